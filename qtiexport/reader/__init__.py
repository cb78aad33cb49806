"""Reads a quiz source (a JSON file or already-parsed data) into the model, or raises InputError with every problem."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ..errors import Diagnostic, InputError
from ..model import Quiz
from . import build, concurrent, deferred, jsontext, schema

__all__ = ["PendingQuiz", "load", "load_pending", "load_text", "locate", "source_files"]

CONCURRENT_MIN_CHARS = 1 << 20  # text from which the schema check runs in a forked child, beside the conversion
# File size from which load_pending(defer=True) leaves questions in the file. A question read again
# costs each target some 25 µs (parse and convert) where a question held costs nothing, and a held
# quiz takes about 3.4 times its source's size: 8 MiB (some 10,000 questions, a model of about
# 30 MB) is where memory starts to matter more than that time.
DEFER_MIN_BYTES = 8 << 20


def load(source: str | os.PathLike | dict) -> Quiz:
    """Return the quiz in `source` (a path to a JSON file, or a dict already parsed).

    Raises `InputError` carrying every problem found, each with its JSON pointer and, for files,
    its line and column. A dict is only read, never changed.
    A large file is checked against the schema by a forked child process where that is safe (see `_load`).
    """
    if isinstance(source, dict):
        return _load("<data>", data=source)
    return load_pending(source).confirm()


def load_pending(source: str | os.PathLike, *, defer: bool = False) -> PendingQuiz:
    """Return the quiz in the file `source`, whose schema check may still be running (see PendingQuiz).

    For a caller with other work to do meanwhile, such as building packages it will not write
    unless the source is valid: the check of a large source then overlaps that work instead of
    being waited for here. Raises InputError, as load() does, for every problem already known.

    With `defer`, the questions of a source of `DEFER_MIN_BYTES` or more may be left in the file,
    read again when a writer asks for their text (reader/deferred.py): the model then takes about
    0.3 KB a question rather than 2.6 KB. Such a quiz is usable only until the PendingQuiz is
    closed, so this is for a build that closes it when its packages are written.
    """
    path = Path(source)
    if defer:
        read = _load_deferred(path)
        if read is not None:
            return read
    # no name here keeps the bytes alive while the rest runs; the careful path reads them again
    read = _load(str(path), raw=_read(path), again=lambda: {"raw": _read(path)}, pending=True)
    return read if isinstance(read, PendingQuiz) else PendingQuiz(read)


class PendingQuiz:
    """A quiz whose model may be built from data the schema check (a child process) has not yet passed.

    `quiz` is that model (None where the data could not even be converted); `confirm()` waits for
    the check and returns the quiz, or does what load() does with an invalid source: raises
    InputError with every problem. Nothing made from `quiz` may be kept or shown before confirm()
    returns. `close()` stops the check (for a caller that gives up); confirm() closes it too.
    """

    def __init__(self, quiz: Quiz | None, child: concurrent.Validation | None = None,
                 origin: str = "", again: Callable[[], dict] | None = None, read: bytes = b""):
        self.quiz = quiz
        self._child, self._origin, self._again, self._read = child, origin, again, read

    def confirm(self) -> Quiz:
        child, self._child = self._child, None
        if child is not None and not (child.valid(self._read) and self.quiz is not None):  # valid() reaps the child
            # Invalid, no verdict, or no model: the plain path on the source read again, which
            # gives every problem (or, for a file changed meanwhile, the quiz it now holds).
            self._close_source()
            self.quiz = None
            self.quiz = _load(self._origin, **self._again())
        return self.quiz

    def close(self) -> None:
        """Stop the check if it still runs; a quiz whose questions were left in the file can no longer read them."""
        child, self._child = self._child, None
        if child is not None:
            child.close()
        self._close_source()

    def _close_source(self) -> None:
        source = deferred.source_of(self.quiz) if self.quiz is not None else None
        if source is not None:
            source.close()


def _load_deferred(path: Path) -> PendingQuiz | None:
    """Return the quiz in the file at `path` with its questions left in the file, checked by a child
    walking the file too; None where that does not apply (a small or unusual file, no fork)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None  # the plain path says why
    child = quiz = None
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_size >= max(DEFER_MIN_BYTES, CONCURRENT_MIN_CHARS):
            child = concurrent.start_walk(fd)
        if child is not None:
            quiz, walked = deferred.read_deferred(fd, str(path))
            return PendingQuiz(quiz, child, str(path), lambda: {"raw": _read(path)}, concurrent.token(walked))
    except Exception:  # noqa: BLE001 - unchecked data may break the conversion anywhere; the plain path explains
        pass
    finally:
        if quiz is None:
            if child is not None:
                child.close()
            os.close(fd)
    return None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(str(path), [Diagnostic("", f"cannot read the file: {reason}", file=str(path))]) from None


def load_bytes(raw: bytes, origin: str) -> Quiz:
    """Return the quiz in the JSON bytes `raw`; `origin` names it in diagnostics."""
    return _load(origin, raw=raw, again=lambda: {"raw": raw})


def load_text(text: str, origin: str = "<text>") -> Quiz:
    """Return the quiz in the JSON `text`; `origin` names it in diagnostics."""
    return _load(origin, text=text.removeprefix("\ufeff"), again=lambda: {"text": text.removeprefix("\ufeff")})


def _load(origin: str, *, raw: bytes | None = None, text: str | None = None, data: dict | None = None,
          again: Callable[[], dict] | None = None, pending: bool = False) -> Quiz | PendingQuiz:
    """Return the quiz in one of `raw` (JSON bytes), `text` (JSON text whose byte-order mark, if any, is
    already dropped: a second one is an error) or `data` (parsed by the caller, so only read).

    A large source passes through bytes, text, parsed data and model; each is let go as soon as it
    is no longer needed, so that at most two of them are ever whole in memory at once. The text is
    kept only while a problem may still need its line and column, and the questions of data parsed
    here are dropped one by one as they become model objects.

    The checks of a large source parsed here (`CONCURRENT_MIN_CHARS` characters or more, with no
    duplicate key or non-finite number) run in a forked child process (see `concurrent`): the
    schema check and the semantic checks, while this one builds the model from the data not yet
    checked. That model is returned only once the child has found the data valid. Otherwise (the
    data is invalid, the child sent no verdict, or the conversion failed, as it may on unchecked
    data) the model and the data it consumed are dropped, and the plain path runs on the source
    read again: `again()` returns it as keyword arguments of this function. The outcome is
    therefore the one without a child (for a file changed in between: the one for its new
    content). With `pending`, the model is returned before the verdict, as a PendingQuiz whose
    confirm() waits for it.
    """
    ours = data is None  # parsed here: no one else holds it, so converting may consume it
    suspicious = False
    if raw is not None:
        text, problems = jsontext.decode(raw)  # without its byte-order mark
        raw = None
        if text is None:
            raise InputError(origin, [d.located(d.line, d.column, origin) for d in problems])
    if ours:
        parsed = jsontext.parse(text)
        if parsed.problems:
            raise InputError(origin, [d.located(d.line, d.column, origin) for d in parsed.problems])
        data, suspicious = parsed.data, parsed.suspicious
        parsed = None
    if ours and again is not None and not suspicious and len(text) >= CONCURRENT_MIN_CHARS:
        child = concurrent.start(data, text)
        if child is not None:
            text = None
            try:
                quiz = build.to_model(data, origin, consume=True)
            except Exception:  # noqa: BLE001 - unchecked data may break the conversion anywhere
                quiz = None
            except BaseException:
                child.close()
                raise
            data = None  # consumed
            read = PendingQuiz(quiz, child, origin, again)
            return read if pending else read.confirm()
    try:
        if schema.is_valid(data):  # the happy path: no jsonschema, no positions
            found = build.semantic_problems(data, text)
        else:
            found = schema.problems(data) + build.semantic_problems(data, text)
    except RecursionError:
        found = [("", "the JSON nests too deeply to be a quiz; check the brackets", False)]
    if not found and not suspicious:
        text = None  # nothing to place
        return build.to_model(data, origin, consume=ours)

    file = origin if text is not None else None
    positions = jsontext.Positions(text) if text is not None else None
    diagnostics = jsontext.suspicious_problems(positions) if positions else []
    for pointer, message, at_key in found:
        where = positions.locate(pointer, key=at_key) if positions else None
        line, column = where if where else (None, None)
        diagnostics.append(Diagnostic(pointer, message, line=line, column=column, file=file))
    diagnostics = [_printable(d.located(d.line, d.column, file)) for d in diagnostics]
    if not diagnostics:  # suspicious was a false alarm
        text = positions = None
        return build.to_model(data, origin, consume=ours)
    raise InputError(origin, diagnostics)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _printable(diagnostic: Diagnostic) -> Diagnostic:
    """Return `diagnostic` with lone surrogates (a `\\ud800` escape in a property name) written back as escapes.

    No UTF-8 stream can carry them, so printing the pointer or message would fail.
    """
    def escape(text: str) -> str:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    return replace(diagnostic, pointer=escape(diagnostic.pointer), message=escape(diagnostic.message))


def locate(origin: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Return `diagnostics` (about the source read from the file `origin`) with file, line and column filled in.

    Model objects keep the JSON pointer of the source object they came from; this turns such a
    pointer, for example in a writer's warning, back into a place in the file.
    """
    if not diagnostics:
        return []
    try:
        text, _ = jsontext.decode(Path(origin).read_bytes())
    except OSError:
        text = None
    if text is None:
        return [d.located(d.line, d.column, origin) for d in diagnostics]
    positions = jsontext.Positions(text.removeprefix("\ufeff"))
    out = []
    for d in diagnostics:
        where = positions.locate(d.pointer) or (None, None)
        out.append(d.located(*where, origin))
    return out


def source_files(paths: list[str | os.PathLike]) -> list[Path]:
    """Return the quiz files named by `paths`: a file as given, a directory as every `*.json` directly in it, sorted."""
    out: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            out += sorted(p for p in entry.glob("*.json") if p.is_file())
        else:
            out.append(entry)
    return out
