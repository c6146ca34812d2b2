"""Reading data: built-in datasets, the region gazetteer and user files (Qt-free)."""
