"""The offline-first course companion."""

__version__ = "0.1.0"
