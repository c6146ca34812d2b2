"""juvmap: the criminological map of juvenile delinquency of Kazakhstan."""

__version__ = "0.1.0"
