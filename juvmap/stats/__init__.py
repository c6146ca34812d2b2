"""Statistics: rates, smoothing, classification, hot spots, kernel density (Qt-free)."""
