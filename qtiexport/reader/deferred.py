"""Questions left in their source file: model objects that keep their place there and read their text when a writer asks.

A question of a large bank costs some 2.6 KB as model objects, most of it its text (prompt,
choices, feedback). Building packages needs that text once per target, in the member workers that
make the items; everything else (ids, points, titles, how many choices) is needed from every
question at once. So a question read by `read_deferred` keeps only the latter, with its place in
the file, and its text is read again (and checked against the CRC-32 taken when it was first
read) each time it is asked for. Such a question is a SingleChoice, MultipleResponse or TrueFalse
like any other and compares equal to the one `load()` makes of the same source; its class is a
subclass that makes the text fields properties.

The file stays open (SourceFile) until `close()`: a quiz read this way is for a build that ends
before its source is closed, not for keeping. A file changed meanwhile is noticed: its changed
question raises InputError.
"""

from __future__ import annotations

import json
import os
import zlib
from array import array

from ..errors import Diagnostic, InputError
from ..model import MultipleResponse, Question, Quiz, SingleChoice, TrueFalse
from . import stream
from .build import _Converter, to_model

CHANGED = "the file changed while its packages were being built; build again"


class SourceFile:
    """An open quiz file and the place (byte offset, size, CRC-32) of each question read from it."""

    def __init__(self, fd: int, origin: str):
        self.fd: int | None = fd
        self.origin = origin
        self.starts = array("q")
        self.sizes = array("q")
        self.crcs = array("L")
        self._convert = _Converter(share=True)
        self._last: tuple = (None, None)  # the question last read, and its model: writers ask for field after field

    def add(self, start: int, text: str) -> int:
        """Record a question whose `text` starts at byte `start`; return its index."""
        data = text.encode("utf-8")
        self.starts.append(start)
        self.sizes.append(len(data))
        self.crcs.append(zlib.crc32(data))
        return len(self.starts) - 1

    def question(self, deferred: Question) -> Question:
        """Return the whole model of the deferred question `deferred`, read from the file again."""
        last, model = self._last
        if last is deferred:
            return model
        if self.fd is None:
            raise ValueError(f"{self.origin}: the quiz's source file was closed after the build it was read for")
        index = deferred._index
        data = os.pread(self.fd, self.sizes[index], self.starts[index])
        if len(data) != self.sizes[index] or zlib.crc32(data) != self.crcs[index]:
            raise InputError(self.origin, [Diagnostic("", CHANGED, file=self.origin)])
        model = self._convert.question(json.loads(data), deferred.pointer)  # bytes the checks passed
        self._last = (deferred, model)
        return model

    def close(self) -> None:
        fd, self.fd = self.fd, None
        self._last = (None, None)
        if fd is not None:
            os.close(fd)


def _deferred_class(cls: type, text_fields: tuple[str, ...]) -> type:
    """Return the subclass of the question class `cls` whose `text_fields` are read from the source file when asked for."""

    def field(name: str) -> property:
        return property(lambda self: getattr(self._source.question(self), name))

    def __eq__(self, other: object) -> bool:
        mine = self._source.question(self)
        return mine == (other._source.question(other) if isinstance(other, _DEFERRED_CLASSES) else other)

    namespace = {
        "__slots__": ("_source", "_index", "_prefix", "_choice_count"),
        "__doc__": f"A {cls.__name__} whose text is read from its source file when asked for (see reader/deferred.py).",
        "__eq__": __eq__,
        "__hash__": lambda self: hash(self._source.question(self)),
        # _prefix: (the pointer of the section's questions array + "/", the index of its first question in the file)
        "pointer": property(lambda self: f"{self._prefix[0]}{self._index - self._prefix[1]}"),
        "choice_count": property(lambda self: self._choice_count),
        **{name: field(name) for name in text_fields},
    }
    return type(f"Deferred{cls.__name__}", (cls,), namespace)


_DEFERRED = {
    "single_choice": _deferred_class(SingleChoice, ("prompt", "choices", "feedback")),
    "multiple_response": _deferred_class(MultipleResponse, ("prompt", "choices", "feedback")),
    "true_false": _deferred_class(TrueFalse, ("prompt", "feedback")),
}
_DEFERRED_CLASSES = tuple(_DEFERRED.values())


def read_deferred(fd: int, origin: str, *, window: int = stream.WINDOW) -> tuple[Quiz, stream.Walked]:
    """Return the quiz in the open file `fd`, its questions deferred (see the module), and what the walk read.

    The data is not checked here: the caller must have it checked (see concurrent.start_walk) before
    trusting the quiz; that child also refuses what this walk lets pass (duplicate keys within a
    question, NaN). Raises NotStreamable for a file to be read whole, and any exception the
    conversion of unchecked data may raise. On success the quiz owns `fd`: closing the SourceFile
    (`source_of(quiz)`) closes it.
    """
    source = SourceFile(fd, origin)
    convert = source._convert
    put = object.__setattr__
    questions: dict[int | None, list] = {}
    prefixes: dict[int | None, tuple[str, int]] = {}

    def on_question(section: int | None, index: int, value: object, start: int, text: str) -> None:
        kind = value["type"]
        cls = _DEFERRED[kind]
        q = cls.__new__(cls)
        convert.head(q, value, put)
        put(q, "_source", source)
        put(q, "_index", source.add(start, text))
        if section not in prefixes:
            array_pointer = "/questions/" if section is None else f"/sections/{section}/questions/"
            prefixes[section] = (array_pointer, q._index - index)
            questions[section] = []
        put(q, "_prefix", prefixes[section])
        put(q, "_choice_count", 2 if kind == "true_false" else len(value["choices"]))
        questions[section].append(q)

    walked = stream.walk(fd, on_question, window=window, strict=False)  # the checking child's walk is strict
    skeleton = walked.skeleton
    for i, section in enumerate(skeleton.get("sections", ())):
        if isinstance(section["questions"], stream.Questions):
            section["questions"] = questions.get(i, [])
    if isinstance(skeleton.get("questions"), stream.Questions):
        skeleton["questions"] = questions.get(None, [])
    return to_model(skeleton, origin, prebuilt=True), walked


def source_of(quiz: Quiz) -> SourceFile | None:
    """Return the SourceFile the questions of `quiz` are read from, None for a quiz held whole."""
    for section in quiz.sections:
        for question in section.questions:
            return question._source if isinstance(question, _DEFERRED_CLASSES) else None
    return None
