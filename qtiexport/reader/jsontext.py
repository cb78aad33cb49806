"""JSON text to Python data, refusing what JSON authors never mean (duplicate keys, NaN), and source positions on demand."""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring

from ..errors import Diagnostic, to_pointer

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?Infinity|NaN|true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NONFINITE = {"NaN", "Infinity", "-Infinity"}


@dataclass
class ParseResult:
    data: object = None
    problems: list[Diagnostic] = field(default_factory=list)
    suspicious: bool = False  # duplicate keys or non-finite numbers seen; positions tell where


def decode(raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the text of `raw` as UTF-8 (a leading BOM is allowed and dropped), or a located problem."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        message = (
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        )
        return None, [Diagnostic("", message, line=line, column=column)]


def parse(text: str) -> ParseResult:
    """Parse `text` (without a byte-order mark) as JSON; syntax errors come back as located problems, never as exceptions."""
    result = ParseResult()

    def pairs_hook(pairs: list[tuple[str, object]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            result.suspicious = True
        return obj

    def constant_hook(name: str) -> float:
        result.suspicious = True
        return float(name)

    try:
        result.data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=constant_hook, parse_int=_int)
    except json.JSONDecodeError as exc:
        result.problems.append(
            Diagnostic("", f"invalid JSON: {exc.msg}; {_syntax_advice(exc)}", line=exc.lineno, column=exc.colno)
        )
    except RecursionError:
        result.problems.append(
            Diagnostic("", "the JSON nests too deeply to be a quiz; check the brackets", line=1, column=1)
        )
    return result


def _int(literal: str) -> int | float:
    """Return the integer `literal`; one too long for int() (over 4300 digits) is as out of range as 1e400: infinity."""
    try:
        return int(literal)
    except ValueError:
        return float(literal)


def _syntax_advice(exc: json.JSONDecodeError) -> str:
    """Return what to do about a JSON syntax error, in the author's terms."""
    before = exc.doc[: exc.pos].rstrip()
    if not exc.doc[exc.pos :].strip():
        if not before:
            return "the file is empty; write the quiz as a JSON object"
        return "the file ends before the JSON is complete; close every open { and [ and every string"
    if before.endswith(",") and exc.doc[exc.pos : exc.pos + 1] in "}]":
        return "remove the trailing comma before this bracket (JSON allows none)"
    if exc.msg.startswith("Expecting ',' delimiter"):
        return "add a comma between the two entries"
    if exc.msg.startswith("Invalid control character"):
        return "write line breaks and tabs inside a string as \\n and \\t"
    return "fix the syntax here"


class Positions:
    """Line and column (1-based) of every value and object key in a JSON text, by JSON pointer.

    Built only when there is something to report, so the happy path parses with the standard
    `json` module alone. The scanner also finds duplicate keys and non-finite numbers.
    """

    def __init__(self, text: str):
        self._text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.values: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        self.duplicates: list[tuple[str, int]] = []
        self.nonfinite: list[str] = []
        self._scan()

    def line_column(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def locate(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        """Return (line, column) of the value at `pointer` (of its key if `key`), or of its nearest ancestor."""
        if key and pointer in self.keys:
            return self.line_column(self.keys[pointer])
        while True:
            if pointer in self.values:
                return self.line_column(self.values[pointer])
            if not pointer:
                return None
            pointer = pointer[: pointer.rfind("/")]

    def _skip(self, i: int) -> int:
        return _WS.match(self._text, i).end()

    def _key(self, frame: list, i: int) -> tuple[str, int]:
        name, end = scanstring(self._text, i + 1)  # json's own (C) string scanner: fast on huge strings
        pointer = frame[1] + to_pointer([name])
        if name in frame[2]:
            self.duplicates.append((pointer, i))
        else:
            self.keys[pointer] = i
        frame[2].add(name)
        i = self._skip(end)  # now at ':'
        return pointer, self._skip(i + 1)

    def _scan(self) -> None:
        text = self._text
        i = self._skip(0)
        stack: list[list] = []
        pointer = ""
        while True:
            self.values[pointer] = i  # a repeated key's later value is the one json keeps
            char = text[i]
            if char in "{[":
                i = self._skip(i + 1)
                if text[i] in "}]":
                    i += 1
                elif char == "{":
                    frame = ["o", pointer, set()]
                    stack.append(frame)
                    pointer, i = self._key(frame, i)
                    continue
                else:
                    stack.append(["a", pointer, 0])
                    pointer += "/0"
                    continue
            elif char == '"':
                i = scanstring(text, i + 1)[1]
            else:
                match = _SCALAR.match(text, i)
                if match.group() in _NONFINITE:
                    self.nonfinite.append(pointer)
                i = match.end()
            while stack:
                i = self._skip(i)
                frame = stack[-1]
                if text[i] == ",":
                    i = self._skip(i + 1)
                    if frame[0] == "a":
                        frame[2] += 1
                        pointer = f"{frame[1]}/{frame[2]}"
                    else:
                        pointer, i = self._key(frame, i)
                    break
                i += 1
                stack.pop()
            else:
                return


def suspicious_problems(positions: Positions) -> list[Diagnostic]:
    """Return problems for duplicate keys and NaN/Infinity, found by the position scanner."""
    problems = []
    for pointer, offset in positions.duplicates:
        name = pointer.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
        line, column = positions.line_column(offset)
        message = (
            f'duplicate key "{name}": a JSON object may name a property only once '
            "(the earlier value would be silently lost); keep one and delete the other"
        )
        problems.append(Diagnostic(pointer, message, line=line, column=column))
    for pointer in positions.nonfinite:
        line, column = positions.locate(pointer)
        message = "NaN and Infinity are not JSON numbers; write a finite number"
        problems.append(Diagnostic(pointer, message, line=line, column=column))
    return problems
