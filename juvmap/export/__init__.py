"""Exports: tables, GeoPackage, print layouts and sheets (Qt-free)."""
