"""The package version, read by the build backend and by `qtiexport --version`."""

__version__ = "0.1.0"
