"""Diagnostics and the exception hierarchy; the library raises these, only the CLI turns them into exit codes."""

from __future__ import annotations

import copyreg
import os
from dataclasses import dataclass, replace
from typing import Iterable, Literal, Sequence

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located problem: a JSON pointer into the source, its line and column, and a message that says what to do."""

    pointer: str
    message: str
    severity: Severity = "error"
    line: int | None = None
    column: int | None = None
    file: str | None = None

    def located(self, line: int | None, column: int | None, file: str | None = None) -> Diagnostic:
        """Return a copy with `line`, `column` (1-based) and `file` set."""
        return replace(self, line=line, column=column, file=file if file is not None else self.file)

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.pointer, self.message)

    def __str__(self) -> str:
        where = ":".join(str(part) for part in (self.file, self.line, self.column) if part is not None)
        prefix = f"{where}: " if where else ""
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{prefix}{self.pointer or '/'}: {label}{self.message}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "severity": self.severity,
            "message": self.message,
        }


def to_pointer(path: Iterable[object]) -> str:
    """Return the RFC 6901 JSON pointer for a sequence of keys and indices."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


class QtiexportError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1

    def __reduce__(self):
        # Unpickled without __init__, whose arguments differ by class (a member worker sends the error
        # a lazy member raised to the writer): its message and attributes travel as they are.
        return copyreg.__newobj__, (type(self), *self.args), self.__dict__


class InputError(QtiexportError):
    """A quiz source is invalid; carries every diagnostic found, sorted by position."""

    exit_code = 1

    def __init__(self, source: str, diagnostics: Sequence[Diagnostic]):
        self.source = source
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        count = len(self.diagnostics)
        super().__init__(f"{source}: {count} problem{'s' if count != 1 else ''} found")

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics) or super().__str__()


class UsageError(QtiexportError):
    """The caller asked for something that cannot be done (an unknown target, a missing file)."""

    exit_code = 2


class UnknownTargetError(UsageError):
    def __init__(self, name: str, known: Sequence[str]):
        self.name = name
        self.known = tuple(known)
        super().__init__(f"unknown target {name!r}; choose one of: {', '.join(self.known)}")


class BuildError(QtiexportError):
    """A valid quiz cannot be turned into a package for a target (for example, too large for SCORM 1.2)."""

    exit_code = 1

    def __init__(self, source: str, diagnostics: Sequence[Diagnostic]):
        self.source = source
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class OutputError(QtiexportError):
    """A package could not be written (disk full, read-only folder); nothing was left half-written."""

    exit_code = 3

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot write the package: {reason}; the previous file, if any, is unchanged")

    @classmethod
    def of(cls, path: str | os.PathLike, exc: OSError) -> OutputError:
        """Return the OutputError for writing at `path` failing with `exc`."""
        return cls(str(path), exc.strerror or str(exc))
