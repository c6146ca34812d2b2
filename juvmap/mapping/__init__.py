"""Offline folium maps (Qt-free)."""
