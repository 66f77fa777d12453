"""Reader: a desktop application for reading archives of Jekyll-style posts offline."""

__version__ = "0.1.0"
