"""Unit tests of qtiexport.reader.stream: walking a quiz file window by window gives what json.loads gives, or refuses.

Every file is walked through `walk_bytes`, which writes the bytes to a temporary file and walks it
with a given window; `check_walk` then rebuilds the data from the skeleton and the questions passed
to on_question and compares it with `json.loads` of the same bytes, exactly (types and key order
too), and checks each question's byte offset and text against the bytes, and the size and CRC-32.
Small windows cut every token at every place; a refusal must be NotStreamable, never another error.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from qtiexport.reader import stream
from support import REPO, helper_module, quiz_sources

strategies = helper_module("quiz_strategies", "property/strategies.py")

BOM = b"\xef\xbb\xbf"
WINDOWS = [1, 2, 3, 5, 7, 64, 4096, stream.WINDOW]
_FOLDER = tempfile.TemporaryDirectory(prefix="test_stream-")  # one file, rewritten by each walk; removed at exit


@dataclass
class Call:
    """One call of on_question."""

    section: int | None
    index: int
    value: object
    offset: int
    text: str


def walk_bytes(raw: bytes, window: int = stream.WINDOW, on_text=None, strict: bool = True) -> tuple[stream.Walked, list[Call]]:
    """Walk `raw` (written to a temporary file, opened with os.open) with `window`: return the Walked and the calls."""
    calls: list[Call] = []
    path = Path(_FOLDER.name) / "quiz.json"
    path.write_bytes(raw)
    fd = os.open(path, os.O_RDONLY)
    try:
        walked = stream.walk(fd, lambda *args: calls.append(Call(*args)), window=window, on_text=on_text, strict=strict)
    finally:
        os.close(fd)
    return walked, calls


def exact(data) -> str:
    """`data` as JSON text: equal for equal values of equal types (1 is not 1.0) with keys in the same order."""
    return json.dumps(data, ensure_ascii=True)


def rebuild(skeleton: dict, calls: list[Call]) -> dict:
    """Put the values passed to on_question back where the skeleton's Questions stand (in a copy)."""
    by_section: dict[int | None, list] = {}
    for call in calls:
        got = by_section.setdefault(call.section, [])
        assert call.index == len(got), "question indices are not 0, 1, 2 ... in order"
        got.append(call.value)

    def questions(holder: dict, section: int | None) -> dict:
        if not isinstance(holder.get("questions"), stream.Questions):
            assert section not in by_section, f"questions passed for {section}, which has no Questions"
            return dict(holder)
        values = by_section.pop(section, [])
        assert holder["questions"] == stream.Questions(len(values))
        return {**holder, "questions": values}

    data = questions(skeleton, None)
    if isinstance(data.get("sections"), list):
        data["sections"] = [questions(section, i) if isinstance(section, dict) else section
                            for i, section in enumerate(data["sections"])]
    assert not by_section, f"questions passed for sections {sorted(by_section)} the skeleton does not have"
    return data


def check_walk(raw: bytes, window: int, expected=None) -> tuple[stream.Walked, list[Call]]:
    """Walk `raw` with `window` and check everything against json.loads(raw) (or `expected`); return the walk."""
    walked, calls = walk_bytes(raw, window)
    data = json.loads(raw) if expected is None else expected  # bytes: json.loads skips a leading BOM itself
    rebuilt = rebuild(walked.skeleton, calls)
    assert rebuilt == data
    assert exact(rebuilt) == exact(data)
    assert (walked.size, walked.crc) == (len(raw), zlib.crc32(raw))
    sections = [call.section for call in calls]
    assert sections == sorted(sections, key=lambda s: -1 if s is None else s)
    offsets = [call.offset for call in calls]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    for call in calls:
        encoded = call.text.encode("utf-8")
        assert raw[call.offset:call.offset + len(encoded)] == encoded
        assert call.text == call.text.strip(" \t\r\n") and call.text
        parsed = json.loads(call.text)
        assert parsed == call.value and exact(parsed) == exact(call.value)
    return walked, calls


def refused(raw: bytes, window: int = stream.WINDOW) -> stream.NotStreamable:
    """Check that walking `raw` with `window` raises NotStreamable (and nothing else); return it."""
    with pytest.raises(stream.NotStreamable) as info:
        walk_bytes(raw, window)
    return info.value


# --- the same as json.loads ---------------------------------------------------------------------------


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("path", quiz_sources(), ids=lambda p: p.name)
def test_shipped_sources_walk_as_json_loads_reads_them(path, window):
    raw = path.read_bytes()
    walked, calls = check_walk(raw, window)
    data = json.loads(raw)
    expected = len(data.get("questions", [])) + sum(len(s["questions"]) for s in data.get("sections", []))
    assert len(calls) == expected > 0


def test_walk_reads_from_the_start_and_leaves_the_file_offset_alone(tmp_path):
    raw = quiz_sources()[0].read_bytes()
    path = tmp_path / "quiz.json"
    path.write_bytes(raw)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.lseek(fd, 17, os.SEEK_SET)
        calls: list = []
        walked = stream.walk(fd, lambda *args: calls.append(Call(*args)), window=100)
        assert os.lseek(fd, 0, os.SEEK_CUR) == 17
    finally:
        os.close(fd)
    assert rebuild(walked.skeleton, calls) == json.loads(raw)
    assert (walked.size, walked.crc) == (len(raw), zlib.crc32(raw))


# --- both shapes --------------------------------------------------------------------------------------

FLAT = """{
  "id": "flat",
  "metadata": {"questions": [{"id": "not-a-question"}]},
  "questions": [{"id": "a", "points": 2}, {"id": "b"}, {"id": "c", "choices": [{"id": "A"}]}],
  "title": "after the questions"
}
"""
SECTIONS = """{
  "id": "sectioned",
  "sections": [
    {"id": "s1", "questions": [{"id": "a"}, {"id": "b", "points": 0.5}]},
    {"id": "s2", "questions": []},
    7,
    {"id": "s4", "title": "no questions"},
    {"id": "s5", "questions": {"not": "an array"}},
    ["a", "list"],
    null,
    {"questions": [{"id": "c"}], "id": "s8", "after": {"questions": [1]}}
  ],
  "settings": {"shuffleQuestions": true}
}
"""


@pytest.mark.parametrize("window", WINDOWS)
def test_top_level_questions_are_passed_one_by_one(window):
    walked, calls = check_walk(FLAT.encode(), window)
    assert walked.skeleton == {"id": "flat", "metadata": {"questions": [{"id": "not-a-question"}]},
                               "questions": stream.Questions(3), "title": "after the questions"}
    assert list(walked.skeleton) == ["id", "metadata", "questions", "title"]
    assert [(c.section, c.index, c.value) for c in calls] == [
        (None, 0, {"id": "a", "points": 2}), (None, 1, {"id": "b"}), (None, 2, {"id": "c", "choices": [{"id": "A"}]})]
    assert [c.offset for c in calls] == [FLAT.index('{"id": "a"'), FLAT.index('{"id": "b"'), FLAT.index('{"id": "c"')]


@pytest.mark.parametrize("window", WINDOWS)
def test_section_questions_are_passed_with_their_section_index(window):
    walked, calls = check_walk(SECTIONS.encode(), window)
    assert walked.skeleton == {
        "id": "sectioned",
        "sections": [
            {"id": "s1", "questions": stream.Questions(2)},
            {"id": "s2", "questions": stream.Questions(0)},
            7,
            {"id": "s4", "title": "no questions"},
            {"id": "s5", "questions": {"not": "an array"}},
            ["a", "list"],
            None,
            {"questions": stream.Questions(1), "id": "s8", "after": {"questions": [1]}},
        ],
        "settings": {"shuffleQuestions": True},
    }
    assert [(c.section, c.index, c.value, c.text) for c in calls] == [
        (0, 0, {"id": "a"}, '{"id": "a"}'),
        (0, 1, {"id": "b", "points": 0.5}, '{"id": "b", "points": 0.5}'),
        (7, 0, {"id": "c"}, '{"id": "c"}'),
    ]


@pytest.mark.parametrize("window", [1, 3, 64, stream.WINDOW])
def test_questions_and_sections_side_by_side_and_empty(window):
    raw = b'{"questions": [], "sections": [{"questions": [[]]}, {}], "x": {}, "questions2": [1]}'
    walked, calls = check_walk(raw, window)
    assert walked.skeleton == {"questions": stream.Questions(0), "sections": [{"questions": stream.Questions(1)}, {}],
                               "x": {}, "questions2": [1]}
    assert [(c.section, c.index, c.value) for c in calls] == [(0, 0, [])]
    walked, calls = check_walk(b" {} ", window)
    assert (walked.skeleton, calls) == ({}, [])


# --- non-ASCII text, escapes and the byte-order mark --------------------------------------------------

NON_ASCII_QUESTIONS = [  # (section, text)
    (None, '{"id": "q1", "prompt": "é"}'),
    (None, r'{"id": "q2", "prompt": "\u00e9 \ud83d\ude00 \"quoted\" \\ back \u4e2d"}'),
    (None, '{"id": "q3", "prompt": "中文 and 😀😀", "choices": ["ü", "𝕏", "\U0001F469\u200d\U0001F467"]}'),
    (None, '"😀"'),
    (None, r'"\ud83d\ude00\u00e9"'),
    (None, '{"é": "中", "😀": ["😀", {"中": 1.5e+3}]}'),
    (0, '{"id": "q7", "prompt": "ß"}'),
    (1, '{"id": "q8", "prompt": "ünïcödé"}'),
]
NON_ASCII = (  # non-ASCII keys and values before, between and after the questions
    '{\n  "id": "unicode",\n  "clé 中": {"ключ": "д😀"},\n  "title": "Café 中文 😀 \\u00e9\\ud83d\\ude00",\n'
    '  "questions": [\n    ' + ",\n    ".join(text for section, text in NON_ASCII_QUESTIONS if section is None)
    + '\n  ],\n  "ünï": "ü",\n  "sections": [\n'
    '    {"名前": "é", "questions": [' + NON_ASCII_QUESTIONS[-2][1] + ']},\n'
    '    {"😀": 1, "ü": {"é": []}, "questions": [' + NON_ASCII_QUESTIONS[-1][1] + ']}\n'
    '  ],\n  "tail": "ü"\n}\n'
)


@pytest.mark.parametrize("bom", [b"", BOM], ids=["no-bom", "bom"])
@pytest.mark.parametrize("window", [*range(1, 13), 64, stream.WINDOW])
def test_non_ascii_questions_have_byte_offsets(bom, window):
    raw = bom + NON_ASCII.encode("utf-8")
    walked, calls = check_walk(raw, window)
    assert [(c.section, c.text) for c in calls] == NON_ASCII_QUESTIONS
    assert [c.value for c in calls] == [json.loads(text) for section, text in NON_ASCII_QUESTIONS]
    assert calls[1].value["prompt"] == "é 😀 \"quoted\" \\ back 中"
    assert calls[4].value == "😀é"
    expected = [len(bom) + len(NON_ASCII[:NON_ASCII.index(text)].encode("utf-8"))
                for section, text in NON_ASCII_QUESTIONS]
    assert [c.offset for c in calls] == expected
    # offsets count bytes (the BOM's three too), not characters
    assert calls[-1].offset > NON_ASCII.index(NON_ASCII_QUESTIONS[-1][1]) + len(bom)
    assert walked.skeleton["title"] == "Café 中文 😀 é😀"
    assert list(walked.skeleton) == ["id", "clé 中", "title", "questions", "ünï", "sections", "tail"]


@pytest.mark.parametrize("window", [1, 2, 3, 4, 5, stream.WINDOW])
def test_only_one_leading_byte_order_mark_is_skipped(window):
    assert check_walk(BOM + b"{}", window)[0].skeleton == {}
    assert check_walk(BOM + b" \n{}", window)[0].skeleton == {}
    for raw in [BOM + BOM + b"{}", BOM + b" " + BOM + b"{}", b" " + BOM + b"{}", b'{"a": 1}' + BOM,
                b'{' + BOM + b'"a": 1}', BOM, BOM + b"  ", BOM[:2] + b"{}", BOM[:2]]:
        refused(raw, window)


# --- windows that cut tokens ---------------------------------------------------------------------------

TOKENS = (
    r'{"a": 1.5e+3, "b": -0.25, "c": 12345678901234567890, "d": true, "e": false, "f": null, "g": 1E-2,'
    r' "k\"\\\u0041\/": "x\"y\\z\u0041\ud83d\ude00\/\b\f\n\r\t", "h": [1.5e+3, -0.25, true, null],'
    r' "questions": [1.5e+3, -0.25, 12345678901234567890, true, false, null, 0, -0, 2e5, -1.5E-3,'
    r' "\"\\\u0041\ud83d\ude00", {"points": 1.5e+3, "p": -0.25, "big": 12345678901234567890,'
    r' "t": true, "f": false, "n": null, "s\u0041\"": "\"\\\u0041"}, [1.5e+3,true,false,null,-0.25], {}, []],'
    r' "sections": [{"k\u0041": 1.5e+3, "questions": [-0.25, true, {"n": null}, 12345678901234567890]},'
    r' 12345678901234567890, true, false, null, 1.5e+3, -0.25, "\u0041\\", {"questions": [false]}],'
    r' "z": -0.25}'
)


def test_the_token_source_is_what_it_should_be():
    data = json.loads(TOKENS)
    assert data["a"] == 1500.0 and data["c"] == 12345678901234567890 and data['k"\\A/'] == 'x"y\\zA😀/\b\f\n\r\t'
    assert data["questions"][10] == '"\\A😀' and data["sections"][0]["kA"] == 1500.0


TOKEN_QUESTIONS = 15 + 4 + 1


@pytest.mark.parametrize("window", range(1, 41))
def test_every_cut_of_every_token_reads_as_json_loads(window):
    for shift in range(window):  # moves the window's ends to every place in every token
        raw = b" " * shift + TOKENS.encode()
        walked, calls = check_walk(raw, window)
        assert len(calls) == TOKEN_QUESTIONS
        assert calls[0].offset == shift + TOKENS.index("[1.5e+3, -0.25, 1234") + 1


# --- refusals -----------------------------------------------------------------------------------------

# Where a member is put: in the quiz object, in a value of the quiz, in a section, in a question, deeper in a question.
PLACES = {
    "top": '{"id": "q", %s, "questions": [{"id": "q1"}]}',
    "top-nested": '{"id": "q", "metadata": {"x": [{%s}]}, "questions": [{"id": "q1"}]}',
    "section": '{"id": "q", "sections": [{"id": "s", %s, "questions": [{"id": "q1"}]}]}',
    "question": '{"id": "q", "sections": [{"id": "s", "questions": [{"id": "q0"}, {"id": "q1", %s}]}]}',
    "question-nested": '{"id": "q", "questions": [{"id": "q1", "choices": [{"id": "A", %s}]}]}',
}
BAD_MEMBERS = {
    "duplicate-key": '"a": 1, "a": 2',
    "duplicate-key-escaped": r'"a": 1, "\u0061": 2',
    "duplicate-key-far": '"a": {"b": 1}, "c": [1, 2, 3], "d": "' + "x" * 100 + '", "a": null',
    "nan": '"a": NaN',
    "infinity": '"a": Infinity',
    "minus-infinity": '"a": -Infinity',
    "nan-in-array": '"a": [1, 2, NaN]',
    "trailing-comma": '"a": [1, 2,]',
    "missing-colon": '"a" 1',
    "single-quotes": "'a': 1",
    "raw-newline-in-string": '"a": "x\ny"',
    "bad-escape": r'"a": "\x41"',
    "leading-zero": '"a": 01',
}
GOOD_MEMBER = r'"a": [1.5e+3, "\u00e9", {"b": null}], "b": "😀"'


@pytest.mark.parametrize("place", PLACES)
def test_the_places_hold_a_good_member(place):
    raw = (PLACES[place] % GOOD_MEMBER).encode()
    for window in (1, 5, stream.WINDOW):
        check_walk(raw, window)


@pytest.mark.parametrize("window", [1, 5, 64, stream.WINDOW])
@pytest.mark.parametrize("member", BAD_MEMBERS)
@pytest.mark.parametrize("place", PLACES)
def test_duplicate_keys_non_finite_numbers_and_invalid_json_are_refused(place, member, window):
    refused((PLACES[place] % BAD_MEMBERS[member]).encode(), window)


@pytest.mark.parametrize("window", [7, 64, stream.WINDOW])
@pytest.mark.parametrize("place", PLACES)
def test_deep_nesting_is_refused_not_a_recursion_error(place, window):
    deep = '"x": ' + "[" * 5000 + "]" * 5000
    refused((PLACES[place] % deep).encode(), window)
    deep_objects = '"x": ' + '{"a": ' * 3000 + "1" + "}" * 3000
    refused((PLACES[place] % deep_objects).encode(), window)


@pytest.mark.parametrize("window", [7, 64, stream.WINDOW])
def test_deep_nesting_in_sections_and_questions_lists_is_refused(window):
    deep = "[" * 5000 + "]" * 5000
    refused(('{"sections": [%s]}' % deep).encode(), window)
    refused(('{"questions": [%s]}' % deep).encode(), window)


@pytest.mark.parametrize("window", [1, 5, stream.WINDOW])
def test_duplicate_question_arrays_and_sections_are_refused(window):
    for raw in ['{"questions": [1], "questions": [2]}', '{"sections": [], "id": 1, "sections": []}',
                '{"sections": [{"questions": [1], "questions": []}]}', '{"sections": [{"id": 1, "id": 2}]}',
                '{"questions": [], "x": 1, "questions": 5}']:
        refused(raw.encode(), window)


BAD_UTF8 = {
    "ff": b"\xff",
    "lone-continuation": b"\x80",
    "cut-sequence": b"\xc3(",
    "cut-3-byte-sequence": b"\xe2\x82z",
    "surrogate": b"\xed\xa0\x80",
    "overlong": b"\xc0\xaf",
    "above-max": b"\xf4\x90\x80\x80",
}


@pytest.mark.parametrize("window", [1, 2, 3, 5, stream.WINDOW])
@pytest.mark.parametrize("bad", BAD_UTF8)
@pytest.mark.parametrize("place", PLACES)
def test_invalid_utf8_is_refused(place, bad, window):
    good = (PLACES[place] % '"a": "é!é"').encode()
    check_walk(good, window)
    refused(good.replace(b"!", BAD_UTF8[bad]), window)


@pytest.mark.parametrize("window", [1, 3, stream.WINDOW])
@pytest.mark.parametrize("raw", [
    b"", b" ", b" \n\t\r ", b"[]", b'[{"id": "q", "questions": []}]', b'"quiz"', b"1", b"null", b"true",
    b'{"questions": []} x', b"{}{}", b"{} {}", b"{}]", b"{},", b"{}\x00", b"{} []", b'{"a": 1}}', b"{",
    b"\x00{}", b"\x0c{}", b"\xc2\xa0{}", b"{}\xc2\xa0", b"{}\n\x0b",
], ids=repr)
def test_what_is_not_one_json_object_is_refused(raw, window):
    refused(raw, window)


TRUNCATED = {
    "minimal": (REPO / "examples" / "minimal.json").read_bytes(),
    "sections-bom": BOM + SECTIONS.encode(),
    "non-ascii": NON_ASCII.encode(),
    "tokens": TOKENS.encode(),
}


@pytest.mark.parametrize(("name", "window"), [  # the longest source not with window 1, which is slow on it
    (name, window) for name in TRUNCATED
    for window in ([4, 64, stream.WINDOW] if name == "tokens" else [1, 5, stream.WINDOW])])
def test_every_truncation_is_refused(name, window):
    raw = TRUNCATED[name]
    end = len(raw.rstrip(b" \t\r\n"))
    if name == "minimal":
        assert end < len(raw)  # a final newline: some cuts leave the whole quiz
    for cut in range(len(raw)):
        if cut < end:
            refused(raw[:cut], window)
        else:  # only white space was cut off: still the whole quiz
            check_walk(raw[:cut], window, expected=json.loads(raw))


# --- on_text ------------------------------------------------------------------------------------------


def pieces_of(raw: bytes, window: int) -> list[str]:
    """The pieces of text walking `raw` with `window` passes to on_text."""
    pieces: list[str] = []
    walk_bytes(raw, window, on_text=pieces.append)
    return pieces


@pytest.mark.parametrize("bom", [b"", BOM], ids=["no-bom", "bom"])
@pytest.mark.parametrize("window", [1, 2, 3, 4, 5, 6, 7, 11, 64, stream.WINDOW])
def test_on_text_sees_the_whole_text_once_with_five_characters_of_overlap(bom, window):
    raw = bom + NON_ASCII.encode("utf-8")
    pieces = pieces_of(raw, window)
    assert pieces and all(pieces)
    text = ""
    for piece in pieces:
        overlap = min(5, len(text))
        assert piece[:overlap] == text[len(text) - overlap:]
        assert 0 < len(piece) - overlap <= window  # a window of bytes decodes to at most as many characters
        text += piece[overlap:]
    assert text == NON_ASCII
    if window >= len(raw):
        assert pieces == [NON_ASCII]


@pytest.mark.parametrize("window", [1, 4, 7])
@pytest.mark.parametrize("source", ["non-ascii", "tokens", "sections"])
def test_on_text_sees_every_six_characters_whole(source, window):
    text = {"non-ascii": NON_ASCII, "tokens": TOKENS, "sections": SECTIONS}[source]
    pieces = pieces_of(BOM + text.encode(), window)
    assert len(pieces) > len(text) // 7
    missing = [text[i:i + 6] for i in range(len(text) - 5) if not any(text[i:i + 6] in piece for piece in pieces)]
    assert missing == []


# --- any valid source ---------------------------------------------------------------------------------


@settings(max_examples=max(50, settings.default.max_examples))
@given(source=strategies.quiz_sources(max_questions=5), indent=st.sampled_from([None, None, 0, 1, 2, "\t"]),
       ensure_ascii=st.booleans(), compact=st.booleans(), bom=st.booleans(), window=st.integers(1, 64))
def test_any_valid_source_walks_as_json_loads_reads_it(source, indent, ensure_ascii, compact, bom, window):
    separators = (",", ":") if compact else None
    raw = (BOM if bom else b"") + json.dumps(source, indent=indent, ensure_ascii=ensure_ascii,
                                             separators=separators).encode("utf-8")
    walked, calls = check_walk(raw, window)
    assert [c.value for c in calls] == strategies.source_questions(source)
    assert exact(rebuild(walked.skeleton, calls)) == exact(source)


# --- the plain walk (strict=False): the deferred reader's, whose result counts only after a strict walk ---


@pytest.mark.parametrize("path", quiz_sources(), ids=lambda p: p.name)
@pytest.mark.parametrize("window", [3, 64, stream.WINDOW])
def test_the_plain_walk_reads_a_plain_source_as_the_strict_walk_does(path, window):
    raw = path.read_bytes()
    assert walk_bytes(raw, window, strict=False) == walk_bytes(raw, window)


def test_the_plain_walk_lets_through_inside_values_what_the_strict_walk_refuses():
    """Inside a value it parses as json.loads does; the walk's own levels (the quiz, sections) still refuse duplicates."""
    question = '{"id": "q", "id": "r", "type": "true_false", "prompt": NaN, "answer": true}'
    raw = ('{"id": "quiz", "title": "T", "questions": [' + question + ']}').encode()
    with pytest.raises(stream.NotStreamable):
        walk_bytes(raw)
    walked, calls = walk_bytes(raw, strict=False)
    assert calls[0].value["id"] == "r" and math.isnan(calls[0].value["prompt"])
    with pytest.raises(stream.NotStreamable):
        walk_bytes(b'{"id": "a", "id": "b", "questions": []}', strict=False)
