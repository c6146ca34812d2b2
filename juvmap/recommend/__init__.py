"""Regional recommendation sheets: profiles against national values, rules and sheet HTML.

Qt-free: the HTML is printed to PDF by the UI layer.
"""
