"""qtiexport: write a quiz once as JSON, get IMS QTI 2.1 and SCORM 1.2 packages (public API, re-exports only)."""

from ._version import __version__
from .api import build, check, export, load, source_files, targets
from .errors import (
    BuildError,
    Diagnostic,
    InputError,
    OutputError,
    QtiexportError,
    UnknownTargetError,
    UsageError,
)
from .model import Quiz

__all__ = [
    "BuildError",
    "Diagnostic",
    "InputError",
    "OutputError",
    "QtiexportError",
    "Quiz",
    "UnknownTargetError",
    "UsageError",
    "__version__",
    "build",
    "check",
    "export",
    "load",
    "source_files",
    "targets",
]
