"""mlgrade: grade ML take-home submissions in a Docker sandbox, with evidence."""

__version__ = "0.1.0"
