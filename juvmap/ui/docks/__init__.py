"""Dock widgets of the main window: thin bindings of the Qt-free project state."""
