"""Local helpers (shadows the coverage package when run with python -m from this folder)."""

__version__ = "99.0"
