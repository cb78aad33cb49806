"""Shared by the fuzz tests (importable as `fuzz_corpus`): the shipped sources, bad inputs, and the checks every outcome must pass.

The contract under test: reading any bytes or text gives a quiz or raises `qtiexport.InputError`,
never anything else, and every InputError carries at least one diagnostic with a message and,
for text input, a line and column inside the text.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict

from hypothesis import settings

import qtiexport
from qtiexport.errors import Diagnostic, to_pointer
from qtiexport.reader import load_bytes, load_text
from support import quiz_sources

ORIGIN = "fuzz.json"

#: every shipped source by file stem: harm-reduction-ce, all-features, minimal
SOURCES: dict[str, bytes] = {path.stem: path.read_bytes() for path in quiz_sources()}
DATA: dict[str, object] = {name: json.loads(raw) for name, raw in SOURCES.items()}
MINIMAL = DATA["minimal"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def thorough() -> bool:
    """True under a large Hypothesis profile (`--hypothesis-profile=thorough`): walk everything, sample nothing."""
    return settings().max_examples >= 100


def sample(items: list, every: int) -> list:
    """`items`, or every `every`-th of them (always with the first and last) unless the run is thorough."""
    if thorough() or every <= 1 or len(items) <= 2:
        return list(items)
    return [item for i, item in enumerate(items) if i % every == 0 or i == len(items) - 1]


# --- a serializer that keeps duplicate keys, raw literals, and where everything went ------------------


class Pairs(list):
    """A JSON object written as a list of (key, value) pairs, so a key may repeat."""


class Raw(str):
    """Literal JSON text written as is (NaN, 1e400, 10**400 in digits, a string with a raw control character)."""


class Dumped:
    """JSON text with the offsets of every value and every key occurrence, by JSON pointer."""

    def __init__(self, value: object, *, indent: int | None = 2, ensure_ascii: bool = True):
        self._parts: list[str] = []
        self._pos = 0
        self.values: dict[str, list[int]] = defaultdict(list)
        self.keys: dict[str, list[int]] = defaultdict(list)
        self._indent = indent
        self._ascii = ensure_ascii
        self._walk(value, "", 0)
        self.text = "".join(self._parts)

    def _emit(self, text: str) -> None:
        self._parts.append(text)
        self._pos += len(text)

    def _newline(self, depth: int) -> None:
        if self._indent is not None:
            self._emit("\n" + " " * (self._indent * depth))

    def _walk(self, value: object, pointer: str, depth: int) -> None:
        self.values[pointer].append(self._pos)
        if isinstance(value, (dict, Pairs)):
            items = list(value.items()) if isinstance(value, dict) else list(value)
            self._emit("{")
            for n, (key, item) in enumerate(items):
                self._emit("," if n else "")
                self._newline(depth + 1)
                here = pointer + to_pointer([key])
                self.keys[here].append(self._pos)
                self._emit((key if isinstance(key, Raw) else json.dumps(key, ensure_ascii=self._ascii)) + ": ")
                self._walk(item, here, depth + 1)
            if items:
                self._newline(depth)
            self._emit("}")
        elif isinstance(value, list):
            self._emit("[")
            for n, item in enumerate(value):
                self._emit("," if n else "")
                self._newline(depth + 1)
                self._walk(item, f"{pointer}/{n}", depth + 1)
            if value:
                self._newline(depth)
            self._emit("]")
        elif isinstance(value, Raw):
            self._emit(str(value))
        else:
            self._emit(json.dumps(value, ensure_ascii=self._ascii, allow_nan=True))

    def line_column(self, offset: int) -> tuple[int, int]:
        return line_column(self.text, offset)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- walking and editing parsed sources ---------------------------------------------------------------


def paths(value: object, path: tuple = ()) -> list[tuple]:
    """Every path (keys and indices) to a value inside `value`, the root excluded, in document order."""
    out = []
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return out
    for key, item in items:
        out.append(path + (key,))
        out += paths(item, path + (key,))
    return out


def get(value: object, path: tuple) -> object:
    for part in path:
        value = value[part]
    return value


def replaced(value: object, path: tuple, new: object) -> object:
    """A deep copy of `value` with the value at `path` replaced by `new`."""
    out = copy.deepcopy(value)
    get(out, path[:-1])[path[-1]] = new
    return out


def deleted(value: object, path: tuple) -> object:
    """A deep copy of `value` without the object member at `path`."""
    out = copy.deepcopy(value)
    del get(out, path[:-1])[path[-1]]
    return out


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


#: one value of every JSON type, several of some: what "a wrong type" is replaced with
WRONG_VALUES = [None, True, 0, -1, 1e308, "", "x", [], {}]


def related(a: str, b: str) -> bool:
    """True if JSON pointer `a` names `b`, an ancestor of it, or something inside it."""
    return a == b or b.startswith(a + "/") or a.startswith(b + "/")


def printable(text: str) -> str:
    """`text` with lone surrogates written as \\uXXXX escapes, as the reader writes them in diagnostics."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def resolves(data: object, pointer: str) -> bool:
    """True if the RFC 6901 `pointer` names a value in `data` (keys compared as the reader prints them)."""
    if pointer == "":
        return True
    if not pointer.startswith("/"):
        return False
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, dict):
            matches = [key for key in data if printable(key) == token]
            if not matches:
                return False
            data = data[matches[0]]
        elif isinstance(data, list):
            if not re.fullmatch(r"0|[1-9][0-9]*", token) or int(token) >= len(data):
                return False
            data = data[int(token)]
        else:
            return False
    return True


# --- the outcome of reading, and what must hold for it -------------------------------------------------


def check_error(error: qtiexport.InputError, *, text: str | None = None, raw: bytes | None = None,
                file: str = ORIGIN) -> qtiexport.InputError:
    """Assert what every InputError must carry; `text` is the input as decoded (BOM dropped), `raw` its bytes."""
    assert isinstance(error, qtiexport.InputError), type(error)
    assert error.diagnostics, "an InputError without a diagnostic"
    assert list(error.diagnostics) == sorted(error.diagnostics, key=Diagnostic.sort_key)
    lines = text.split("\n") if text is not None else None
    for d in error.diagnostics:
        assert isinstance(d.message, str) and d.message.strip(), d
        assert d.file == file, d
        assert d.severity == "error", d
        assert d.pointer == "" or d.pointer.startswith("/"), d
        assert not re.search("~[^01]|~$", d.pointer), f"not an RFC 6901 pointer: {d.pointer!r}"
        # Diagnostics are printed, and written as JSON: they must encode as UTF-8.
        str(d).encode("utf-8")
        json.dumps(d.as_dict(), ensure_ascii=False).encode("utf-8")
        if text is None and raw is None:
            continue
        assert isinstance(d.line, int) and isinstance(d.column, int), f"not located: {d}"
        assert d.line >= 1 and d.column >= 1, d
        if lines is not None:
            assert d.line <= len(lines), f"line {d.line} past the end ({len(lines)} lines): {d}"
            assert d.column <= len(lines[d.line - 1]) + 1, f"column past the end of line {d.line}: {d}"
        else:
            assert d.line <= raw.count(b"\n") + 1, d
    str(error).encode("utf-8")
    return error


def decoded(raw: bytes) -> str | None:
    """`raw` as UTF-8, a byte-order mark kept (load_text drops one, as load_bytes does)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_bytes(raw: bytes, *, twice: bool = True) -> qtiexport.Quiz | qtiexport.InputError:
    """Read `raw` with load_bytes and return the quiz or the checked error.

    With `twice`, and when `raw` decodes, load_text reads the text too and must agree (the walks
    over whole sources, which validate thousands of documents, read once).
    """
    text = decoded(raw)
    try:
        quiz = load_bytes(raw, ORIGIN)
    except qtiexport.InputError as error:
        check_error(error, text=None if text is None else text.removeprefix("\ufeff"), raw=raw)
        if text is not None and twice:
            again = read_text(text)
            assert isinstance(again, qtiexport.InputError)
            assert again.diagnostics == error.diagnostics
        _pointers_resolve(error, text)
        return error
    assert isinstance(quiz, qtiexport.Quiz)
    assert text is not None
    if twice:
        assert read_text(text) == quiz
    return quiz


def read_text(text: str) -> qtiexport.Quiz | qtiexport.InputError:
    """Read `text` with load_text; return the quiz or the checked error."""
    try:
        quiz = load_text(text, ORIGIN)
    except qtiexport.InputError as error:
        check_error(error, text=text.removeprefix("\ufeff"))
        _pointers_resolve(error, text)
        return error
    assert isinstance(quiz, qtiexport.Quiz)
    return quiz


def _pointers_resolve(error: qtiexport.InputError, text: str | None) -> None:
    """When the text is JSON, every diagnostic's pointer must name something in it.

    Not with a repeated key: JSON keeps the last value, and a problem inside an earlier one (its
    own repeated key, a NaN) names a place in the text that the parsed data no longer has.
    """
    if text is None or any(d.message.startswith("duplicate key") for d in error.diagnostics):
        return
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return
    for d in error.diagnostics:
        assert resolves(data, d.pointer), f"pointer {d.pointer!r} names nothing in the source: {d}"


def read_data(value: object, *, twice: bool = True, **dump_options) -> tuple[qtiexport.Quiz | qtiexport.InputError, Dumped]:
    """Serialize `value` (Pairs and Raw allowed) and read it as UTF-8 bytes."""
    dumped = Dumped(value, **dump_options)
    return read_bytes(dumped.text.encode("utf-8"), twice=twice), dumped


def expect_error(outcome) -> qtiexport.InputError:
    assert isinstance(outcome, qtiexport.InputError), f"accepted: {outcome!r:.200}"
    return outcome


def find(error: qtiexport.InputError, pointer: str | None = None, *, containing: str = "") -> list[Diagnostic]:
    """The diagnostics of `error` at `pointer` (any, if None) whose message contains `containing`."""
    return [d for d in error.diagnostics
            if (pointer is None or d.pointer == pointer) and containing in d.message]


# --- bad inputs, named: shared by the reader's load(path) test and the CLI tests -----------------------


def _minimal_with(**members) -> dict:
    out = dict(MINIMAL)
    out.update(members)
    return out


def _text(value: object) -> bytes:
    return Dumped(value).text.encode("utf-8")


def _title(raw_literal: str) -> bytes:
    return _text(_minimal_with(title=Raw(raw_literal)))


def _deep(depth: int, kind: str = "[") -> str:
    if kind == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def bad_inputs() -> dict[str, bytes]:
    """Bad sources, one of each kind the fuzz tests generate."""
    minimal = SOURCES["minimal"]
    return {
        "empty": b"",
        "whitespace": b" \n\t\n",
        "truncated": minimal[: len(minimal) // 2],
        "truncated-utf8": SOURCES["harm-reduction-ce"][: SOURCES["harm-reduction-ce"].index("\u201c".encode()) + 1],
        "top-level-array": b"[]",
        "top-level-null": b"null",
        "wrong-type-title": _title("[]"),
        "missing-id": _text({k: v for k, v in MINIMAL.items() if k != "id"}),
        "huge-float": _title("1e400"),
        "huge-int-400": _title("1" + "0" * 400),
        "huge-int-5000": _title("-1" + "0" * 5000),
        "tiny-float": _text(_minimal_with(settings={"passingScore": Raw("-1e-400")}, title=Raw("1e-400"))),
        "deep-array-top-10000": _deep(10_000).encode(),
        "deep-object-top-100000": _deep(100_000, "{").encode(),
        "deep-array-title-100000": _title(_deep(100_000)),
        "deep-object-title-10000": _title(_deep(10_000, "{")),
        "lone-continuation-byte": minimal.replace(b"Minimal", b"Mini\x80mal"),
        "overlong-slash": minimal.replace(b"Minimal", b"Mini\xc0\xafmal"),
        "utf8-surrogate": minimal.replace(b"Minimal", b"Mini\xed\xa0\x80mal"),
        "utf16-le-bom": "\ufeff".encode("utf-16-le") + minimal.decode().encode("utf-16-le"),
        "utf16-be-bom": "\ufeff".encode("utf-16-be") + minimal.decode().encode("utf-16-be"),
        "latin1": minimal.replace(b"Minimal", "Minimäl".encode("latin-1")),
        "double-bom": b"\xef\xbb\xbf\xef\xbb\xbf" + minimal,
        "duplicate-key-top": minimal.replace(b'"id": "minimal"', b'"id": "minimal", "id": "minimal"'),
        "duplicate-key-question": minimal.replace(b'"answer": true', b'"answer": true, "answer": false'),
        "nan": minimal.replace(b'"answer": true', b'"answer": NaN'),
        "infinity": minimal.replace(b'"answer": true', b'"points": Infinity, "answer": true'),
        "minus-infinity": _title("-Infinity"),
        "raw-control-character": minimal.replace(b"Minimal", b"Mini\x01mal"),
        "raw-newline-in-string": minimal.replace(b"Minimal", b"Mini\nmal"),
        "escaped-control-character": minimal.replace(b"Minimal", b"Mini\\u0001mal"),
        "escaped-nul-in-key": minimal.replace(b'"id": "minimal"', b'"a\\u0000": 1, "id": "minimal"'),
        "lone-surrogate-value": minimal.replace(b"Minimal", b"Mini\\ud800mal"),
        "lone-surrogate-key": minimal.replace(b'"id": "minimal"', b'"\\udfff": 1, "id": "minimal"'),
        "pointer-characters-in-keys": minimal.replace(b'"id": "minimal"', b'"": 1, "a/b": 2, "~0~1": 3, "id": "minimal"'),
        "random-bytes": bytes(range(256)),
        "trailing-garbage": minimal + b"x",
        "trailing-comma": minimal.replace(b"true\n", b"true,\n"),
    }
