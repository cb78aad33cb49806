"""Questions left in their source file (reader/deferred.py) and the child that checks such a file (concurrent.start_walk).

A quiz read with `load_pending(path, defer=True)` must equal the quiz `load(path)` makes, hold no
question text of its own, notice a file changed under it, and never be trusted on a verdict the
checks of the whole data would not give. The tests lower `CONCURRENT_MIN_CHARS` and
`DEFER_MIN_BYTES` to 0 so that small sources take that path.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

import qtiexport
from qtiexport import InputError, model, reader
from qtiexport.reader import build, concurrent, deferred, schema, stream
from support import helper_module, quiz_sources

strategies = helper_module("quiz_strategies", "property/strategies.py")
fast_paths = helper_module("reader_fast_paths", "reader/test_fast_paths.py")
pytestmark = pytest.mark.skipif(not (sys.platform.startswith("linux") and hasattr(os, "fork")),
                                reason="a large source is left in its file only where the reader can fork its check")

KINDS = (model.SingleChoice, model.MultipleResponse, model.TrueFalse)


@pytest.fixture(autouse=True)
def deferred_always(monkeypatch):
    """Every source is large enough, and the child may fork even with a test's threads about."""
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    monkeypatch.setattr(reader, "DEFER_MIN_BYTES", 0)
    monkeypatch.setattr(concurrent, "forking_is_safe", lambda: True)


def read(path: Path):
    """Return the quiz `load_pending(path, defer=True)` confirms, and its PendingQuiz (to close), or the InputError."""
    pending = reader.load_pending(path, defer=True)
    try:
        return pending.confirm(), pending
    except InputError as error:
        pending.close()
        return error, None


def strings_held(root: object) -> set[str]:
    """Every str reachable from `root` through objects the garbage collector can see into."""
    seen, found, todo = set(), set(), [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.add(obj)
        elif not isinstance(obj, (type, type(os))):
            todo += gc.get_referents(obj)
    return found


# --- the same quiz -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", quiz_sources(), ids=lambda p: p.name)
def test_a_deferred_quiz_equals_the_loaded_quiz(path):
    quiz, pending = read(path)
    try:
        expected = reader.load(path)
        assert deferred.source_of(quiz) is not None, "not deferred"
        assert quiz == expected and expected == quiz
        assert hash(quiz) == hash(expected)
        for mine, theirs in zip(quiz.questions, expected.questions, strict=True):
            assert isinstance(mine, type(theirs)) and type(mine) is not type(theirs)
            assert mine.pointer == theirs.pointer
            assert mine.choice_count == theirs.choice_count == len(theirs.choices)
            for field in dataclasses.fields(theirs):
                assert repr(getattr(mine, field.name)) == repr(getattr(theirs, field.name))
            with pytest.raises(dataclasses.FrozenInstanceError):
                mine.prompt = "changed"
    finally:
        pending.close()


@settings(max_examples=40, deadline=None)
@given(strategies.quiz_sources(max_questions=12))
def test_any_valid_source_gives_an_equal_deferred_quiz(tmp_path_factory, source):
    path = tmp_path_factory.mktemp("any") / "quiz.json"
    path.write_text(json.dumps(source, ensure_ascii=False, indent=1), encoding="utf-8")
    quiz, pending = read(path)
    try:
        assert deferred.source_of(quiz) is not None
        assert quiz == reader.load(path)
    finally:
        pending.close()


def test_a_deferred_quiz_holds_no_question_text(tmp_path: Path):
    data = json.loads(Path(quiz_sources()[0]).read_text(encoding="utf-8"))
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    quiz, pending = read(path)
    try:
        held = strings_held(quiz)
        texts = [q.prompt for q in quiz.questions] + [
            c.text for q in quiz.questions if not isinstance(q, model.TrueFalse) for c in q.choices]  # labels stay
        assert texts and not held & set(texts)
        assert {q.id for q in quiz.questions} <= held  # ids stay: every writer needs them all at once
    finally:
        pending.close()


def test_only_a_source_of_defer_min_bytes_or_more_is_left_in_its_file(monkeypatch):
    path = quiz_sources()[0]
    size = path.stat().st_size
    for threshold, left in ((size + 1, False), (size, True)):
        monkeypatch.setattr(reader, "DEFER_MIN_BYTES", threshold)
        quiz, pending = read(path)
        assert (deferred.source_of(quiz) is not None) == left
        pending.close()


# --- a file changed or closed ----------------------------------------------------------------------------


def test_a_question_changed_in_the_file_raises_input_error(tmp_path: Path):
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(json.loads(quiz_sources()[0].read_text(encoding="utf-8")), ensure_ascii=False),
                    encoding="utf-8")
    quiz, pending = read(path)
    try:
        first = quiz.questions[0]
        assert first.prompt  # read from the file
        raw = path.read_bytes()
        at = raw.index(first.prompt[:8].encode("utf-8"))
        with open(path, "r+b") as f:  # the same size, in place: only the checksum tells
            f.seek(at)
            f.write(b"X")
        assert quiz.questions[1].prompt  # another question is still the same
        with pytest.raises(InputError) as raised:
            quiz.questions[0].choices
        assert raised.value.diagnostics[0].message == deferred.CHANGED
    finally:
        pending.close()


def test_a_closed_source_says_so(tmp_path: Path):
    quiz, pending = read(quiz_sources()[0])
    pending.close()
    with pytest.raises(ValueError, match="closed"):
        quiz.questions[0].prompt
    pending.close()  # twice is harmless


def test_a_file_replaced_by_another_is_still_read_as_it_was(tmp_path: Path):
    """The open file is kept: a build reads the quiz it began with, not a file renamed over it."""
    path = tmp_path / "quiz.json"
    path.write_bytes(quiz_sources()[0].read_bytes())
    quiz, pending = read(path)
    try:
        expected = reader.load(path)
        other = tmp_path / "other.json"
        other.write_text('{"id": "other"}', encoding="utf-8")
        other.replace(path)
        assert quiz == expected
    finally:
        pending.close()


# --- the child's verdict -----------------------------------------------------------------------------------


def _verdicts(data: object, ascii: bool) -> tuple[bytes, bytes, bool, str]:
    """Return the walking child's verdict on `data` as a file (`ascii`: all beyond ASCII escaped), the token of
    that file, whether the checks of the whole data as parsed from it pass, and the file's text."""
    text = json.dumps(data, ensure_ascii=ascii)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: only its escape can be written
        text = json.dumps(data)
    fd = os.memfd_create("candidate.json")
    try:
        os.write(fd, text.encode("utf-8"))
        verdict = concurrent._walk_verdict(fd)  # in this process: the same function the child runs
        try:
            token = concurrent.token(stream.walk(fd, lambda *args: None))
        except stream.NotStreamable:
            token = None
    finally:
        os.close(fd)
    data = json.loads(text)
    valid = schema.is_valid(data) and not build.semantic_problems(data, text)
    return verdict, token, valid, text


def _sectioned_mutations() -> list:
    """The shipped sources with sections, each value changed in turn (as test_fast_paths does for the others)."""
    out = []
    for data in fast_paths.SOURCES.values():
        if "sections" in data:
            out += list(fast_paths._mutations(data))[::6]  # every kind of change, at a sixth of the places
    return out


CANDIDATES = fast_paths.CANDIDATES + _sectioned_mutations() + [
    {"id": "q", "title": "t", "questions": 5},  # a count where an array belongs: Questions is not a number
    {"id": "q", "title": "t", "sections": [{"id": "s", "title": "s", "questions": 1}]},
    {"id": "q", "title": "t", "sections": [{"id": "s", "title": "s", "questions": []}]},
    {"id": "q", "title": "t", "questions": []},
    {"id": "s", "title": "t", "sections": [{"id": "s", "title": "s", "questions": [
        {"id": "x", "type": "true_false", "prompt": "p", "answer": True}]}]},  # the quiz id is not in the namespace
    {"id": "q", "title": "t", "sections": [
        {"id": "s", "title": "s", "questions": [{"id": "x", "type": "true_false", "prompt": "p", "answer": True}]},
        {"id": "x", "title": "s", "questions": [{"id": "y", "type": "true_false", "prompt": "p", "answer": True}]}]},
    {"id": "q", "title": "t", "sections": [
        {"id": "s", "title": "s", "questions": [{"id": "x", "type": "true_false", "prompt": "p", "answer": True}]},
        {"id": "s", "title": "s", "questions": [{"id": "y", "type": "true_false", "prompt": "p", "answer": True}]}]},
    {"id": "q", "title": "t", "questions": [{"id": "q", "type": "true_false", "prompt": "a\\b", "answer": True}]},
    {"id": "q", "title": "t", "questions": [{"id": "q", "type": "true_false", "prompt": "\U0001f600", "answer": True}]},  # written both ways: twice
    {"id": "q", "title": "t", "questions": [{"id": "q", "type": "true_false", "prompt": "\U0001f600", "answer": True}]},
    {"id": "q", "title": "t", "questions": [{"id": "q", "type": "true_false", "prompt": "\ud83d", "answer": True}]},
    {"id": "q", "title": "t\u0007", "questions": [{"id": "q", "type": "true_false", "prompt": "p", "answer": True}]},
    {"id": "q", "title": "t", "questions": [{"id": "q", "type": "true_false", "prompt": "p", "answer": True, "x\u0001": 1}]},
]


def test_the_walking_child_says_valid_exactly_when_the_checks_of_the_whole_data_do():
    """Never valid for data the checks reject; always valid for data they accept (but a file not walked)."""
    accepted = rejected = 0
    for n, data in enumerate(CANDIDATES):
        verdict, token, valid, text = _verdicts(data, ascii=n % 2 == 1)
        if verdict.startswith(b"1"):
            assert valid, text[:300]
            assert verdict == b"1" + token
            accepted += 1
        else:
            assert verdict == b"0"
            assert not valid or token is None, text[:300]
            rejected += 1
    assert accepted > 10 and rejected > 1000


def test_a_verdict_on_other_bytes_is_no_verdict(tmp_path: Path, monkeypatch):
    """The child read the file changed after the parent read it: its verdict is not about this quiz."""
    path = tmp_path / "quiz.json"
    path.write_bytes(quiz_sources()[0].read_bytes())
    walked_once = []
    walk = stream.walk

    def changing_walk(fd, on_question, **kwargs):
        walked = walk(fd, on_question, **kwargs)
        if not walked_once:  # the parent, before the child reads
            walked_once.append(walked)
            data = json.loads(path.read_text(encoding="utf-8"))
            data["title"] = "Read by the child"
            path.write_text(json.dumps(data), encoding="utf-8")
        return walked

    monkeypatch.setattr(stream, "walk", changing_walk)
    monkeypatch.setattr(concurrent, "start_walk", lambda fd: _child_after(fd))
    quiz, pending = read(path)
    try:
        assert quiz.title == "Read by the child"  # the careful path read the file again
        assert deferred.source_of(quiz) is None
    finally:
        if pending is not None:
            pending.close()


def _child_after(fd: int):
    """A stand-in for start_walk whose child starts only when asked for its verdict, after the parent's walk."""

    class Late:
        def valid(self, read=b""):
            child = concurrent._start(lambda: concurrent._walk_verdict(fd))
            return child.valid(read)

        def close(self):
            pass

    return Late()


@pytest.mark.parametrize("inside", ['"id": "again", ', '"points": NaN, '], ids=["duplicate-key", "nan"])
def test_what_only_the_strict_walk_refuses_inside_a_question_is_reported_as_ever(tmp_path: Path, inside):
    """The main process walks questions as json.loads parses them; the child's strict walk sends such a file
    to the careful path, which reports it."""
    text = quiz_sources()[0].read_text(encoding="utf-8")
    at = text.index('"type"')  # in the first question
    path = tmp_path / "quiz.json"
    path.write_text(text[:at] + inside + text[at:], encoding="utf-8")
    with pytest.raises(InputError) as plain:
        reader.load(path)
    with pytest.raises(InputError) as raised:
        reader.load_pending(path, defer=True).confirm()
    assert raised.value.diagnostics == plain.value.diagnostics


def test_an_unusual_file_takes_the_plain_path(tmp_path: Path):
    path = tmp_path / "quiz.json"
    path.write_text(quiz_sources()[0].read_text(encoding="utf-8").replace('"id"', '"id": "first", "id"', 1),
                    encoding="utf-8")
    with pytest.raises(InputError) as raised:
        reader.load_pending(path, defer=True).confirm()
    assert "duplicate" in str(raised.value)
    assert isinstance(reader.load_pending(quiz_sources()[0], defer=False).confirm().questions[0], KINDS)
    quiz, pending = read(quiz_sources()[0])
    assert isinstance(quiz, qtiexport.Quiz)
    pending.close()
