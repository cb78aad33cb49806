"""Reads a quiz file window by window: the quiz around its questions whole, each question alone with its place in the file.

A quiz of 50,000 questions is a 40 MB file. Parsed whole, it would be some 150 MB of Python
objects at once; read here, no more than a window of the text (about a megabyte) and one question
are in memory at a time. `walk` calls back for each question with its parsed value, its text and
the byte offset where that text starts, and returns the rest of the quiz (the skeleton), in which
each array of questions is replaced by a Questions giving their number.

Only plain sources are read here: anything else (invalid UTF-8 or JSON, a duplicate key, NaN or
Infinity, nesting too deep) raises NotStreamable, and the caller reads the file whole, which
locates every problem.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from json.decoder import JSONDecodeError, scanstring

WINDOW = 1 << 20  # bytes read at a time
_WS = re.compile(r"[ \t\n\r]*")


class NotStreamable(Exception):
    """The file is not plain JSON in UTF-8 (or holds a duplicate key or a non-finite number): read it whole."""


@dataclass(frozen=True)
class Questions:
    """In a skeleton, where an array of questions was: it had `count` questions, each passed to on_question."""

    count: int


@dataclass(frozen=True)
class Walked:
    """What `walk` read: the quiz without its questions, and the size and CRC-32 of every byte of the file."""

    skeleton: dict
    size: int
    crc: int


# on_question(section index or None, question index, value, byte offset of its text, its text)
OnQuestion = Callable[[int | None, int, object, int, str], None]


def walk(fd: int, on_question: OnQuestion, *, window: int = WINDOW,
         on_text: Callable[[str], None] | None = None, strict: bool = True) -> Walked:
    """Read the quiz in the open file `fd` (from its start, with pread: its offset is left alone).

    `on_text`, if given, is called with each piece of text decoded, preceded by the last 5
    characters of the piece before, so that it sees every sequence of up to 6 characters whole.
    Without `strict`, values (questions among them) are parsed as json.loads parses them, a
    third faster: a duplicate key within one keeps its last value, NaN and Infinity are numbers
    and an integer too long for int() raises ValueError. That is for a reader whose result
    counts only if a strict walk of the same bytes succeeds (see concurrent.start_walk).
    """
    text = _Text(fd, window, on_text, _SCAN if strict else _SCAN_PLAIN)
    text.space()
    if text.peek() != "{":
        raise NotStreamable("the file is not a JSON object")
    skeleton = _object(text, lambda key: _top_value(text, key, on_question))
    text.space()
    if text.peek() != "":
        raise NotStreamable("more text after the quiz object")
    return Walked(skeleton, text.read, text.crc)


def _top_value(text: _Text, key: str, on_question: OnQuestion) -> object:
    if key == "sections" and text.peek() == "[":
        return _sections(text, on_question)
    return _value(text, key, None, on_question)


def _value(text: _Text, key: str, section: int | None, on_question: OnQuestion) -> object:
    """Read the value of the member `key` of the quiz or of section `section`: an array of questions question by question."""
    if key == "questions" and text.peek() == "[":
        return Questions(_items(text, "[", "]", lambda j: _question(text, section, j, on_question)))
    return text.value()


def _sections(text: _Text, on_question: OnQuestion) -> list:
    out: list = []

    def section(i: int) -> None:
        if text.peek() != "{":
            out.append(text.value())
            return
        out.append(_object(text, lambda key: _value(text, key, i, on_question)))

    _items(text, "[", "]", section)
    return out


def _question(text: _Text, section: int | None, index: int, on_question: OnQuestion) -> None:
    start = text.offset
    value, piece = text.value_and_text()
    on_question(section, index, value, start, piece)


def _object(text: _Text, value_of: Callable[[str], object]) -> dict:
    """Read the object at the current position, each member's value by `value_of(key)`."""
    out: dict = {}

    def member(_index: int) -> None:
        key = text.key()
        if key in out:
            raise NotStreamable(f"duplicate key {key!r}")
        text.space()
        text.take(":")
        text.space()
        out[key] = value_of(key)

    _items(text, "{", "}", member)
    return out


def _items(text: _Text, opening: str, closing: str, each: Callable[[int], object]) -> int:
    """Read the array or object (`opening`, `closing`) at the current position, calling `each(index)` at
    each element or member, separated by commas; return how many there were."""
    text.take(opening)
    if text.space() == closing:
        text.take(closing)
        return 0
    count = 0
    while True:
        each(count)
        count += 1
        following = text.space()
        text.take(following)
        if following == closing:
            return count
        if following != ",":
            raise NotStreamable(f"expected , or {closing}")
        text.space()


def _refuse(name: str) -> None:
    raise NotStreamable(f"non-finite number {name}")


def _pairs(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise NotStreamable("duplicate key")
    return obj


def _int(literal: str) -> int | float:
    try:
        return int(literal)
    except ValueError:  # over 4300 digits: as out of range as 1e400 (see jsontext._int)
        return float(literal)


_SCAN = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_refuse, parse_int=_int).scan_once
_SCAN_PLAIN = json.JSONDecoder().scan_once


class _Text:
    """A window on the file's text: `text[pos:]` is what is not yet read; `offset` is the byte offset of `text[pos]`."""

    def __init__(self, fd: int, window: int, on_text: Callable[[str], None] | None, scan: Callable):
        self.fd, self.window, self.on_text, self.scan = fd, window, on_text, scan
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text, self.pos = "", 0
        self.offset = 0  # in bytes, of text[pos]
        self.read = 0  # bytes read so far
        self.crc = 0
        self.eof = False
        self.started = False  # a first character was seen (a byte-order mark before it is dropped)
        self.tail = ""

    def more(self) -> bool:
        """Read the next window onto the text not yet read; False at the end of the file."""
        if self.eof:
            return False
        data = os.pread(self.fd, self.window, self.read)
        try:
            piece = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise NotStreamable("invalid UTF-8") from None
        self.eof = not data
        self.read += len(data)
        self.crc = zlib.crc32(data, self.crc)
        if piece and not self.started:
            self.started = True
            if piece[0] == "\ufeff":
                piece = piece[1:]
                self.offset += 3
        if self.on_text is not None and piece:
            self.on_text(self.tail + piece)
            self.tail = (self.tail + piece)[-5:]
        self.text = self.text[self.pos:] + piece
        self.pos = 0
        return True

    def advance(self, to: int) -> None:
        passed = self.text[self.pos:to]
        self.offset += len(passed) if passed.isascii() else len(passed.encode("utf-8"))
        self.pos = to

    def space(self) -> str:
        """Skip whitespace; return the next character ("" at the end of the file)."""
        while True:
            end = _WS.match(self.text, self.pos).end()
            if end < len(self.text) or not self.more():
                self.advance(end)
                return self.text[end:end + 1]

    def peek(self) -> str:
        while self.pos >= len(self.text) and self.more():
            pass
        return self.text[self.pos:self.pos + 1]

    def take(self, char: str) -> None:
        if not char or self.peek() != char:
            raise NotStreamable(f"expected {char or 'more text'}")
        self.advance(self.pos + 1)

    def _cut(self, exc: Exception) -> bool:
        """Return whether the scan that raised `exc` may only have met the end of the window, after reading on."""
        if isinstance(exc, StopIteration):
            at = exc.value
        elif exc.msg.startswith("Unterminated string"):  # its position is where the string starts
            return self.more()
        else:
            at = exc.pos
        return self._near_end(at) and self.more()

    def _near_end(self, at: int) -> bool:
        # A JSON token cut by the window's end fails (or, for a number such as 1.5e+3 cut after
        # "1.5e+", ends) this close to it; anything further from the end is a real error.
        return at >= len(self.text) - 8

    def key(self) -> str:
        if self.peek() != '"':
            raise NotStreamable("expected a property name")
        while True:
            try:
                key, end = scanstring(self.text, self.pos + 1)
            except JSONDecodeError as exc:
                if self._cut(exc):
                    continue
                raise NotStreamable("invalid property name") from None
            self.advance(end)
            return key

    def value_and_text(self) -> tuple[object, str]:
        """Read the JSON value at the current position; return it and its text."""
        while True:
            try:
                value, end = self.scan(self.text, self.pos)
            except (StopIteration, JSONDecodeError) as exc:
                if self._cut(exc):
                    continue
                raise NotStreamable("invalid JSON") from None
            except RecursionError:
                raise NotStreamable("nested too deeply") from None
            # A number or literal that ends near the window's end may go on in the next one: read on, scan again.
            if self._near_end(end) and self.more():
                continue
            piece = self.text[self.pos:end]
            self.offset += len(piece) if piece.isascii() else len(piece.encode("utf-8"))
            self.pos = end
            return value, piece

    def value(self) -> object:
        return self.value_and_text()[0]
