"""Unit tests of qtiexport.reader.jsontext: the position scanner, parse() and the suspicious-JSON problems."""

from __future__ import annotations

import pytest

from qtiexport.errors import to_pointer
from qtiexport.reader.jsontext import Positions, decode, parse, suspicious_problems

NESTED = (
    "{\n"
    '  "a": {"b": [1, {"c": "x\\"}{["}], "d": true},\n'
    '  "e~f/g": [ "h", null ],\n'
    '  "i": "\\\\",\n'
    '  "j": {}, "k": []\n'
    "}\n"
)
# Line 2 reads:   "a": {"b": [1, {"c": "x\"}{["}], "d": true},
# Line 3 reads:   "e~f/g": [ "h", null ],


@pytest.fixture(scope="module")
def nested() -> Positions:
    return Positions(NESTED)


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        ("", (1, 1)),
        ("/a", (2, 8)),
        ("/a/b", (2, 14)),
        ("/a/b/0", (2, 15)),
        ("/a/b/1", (2, 18)),
        ("/a/b/1/c", (2, 24)),
        ("/a/d", (2, 41)),  # after a string holding \" } { [ the scanner is still in step
        ("/e~0f~1g", (3, 12)),
        ("/e~0f~1g/0", (3, 14)),
        ("/e~0f~1g/1", (3, 19)),
        ("/i", (4, 8)),
        ("/j", (5, 8)),
        ("/k", (5, 17)),
    ],
)
def test_values_are_located(nested, pointer, where):
    assert nested.locate(pointer) == where


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        ("/a", (2, 3)),
        ("/a/b", (2, 9)),
        ("/a/b/1/c", (2, 19)),
        ("/a/d", (2, 36)),
        ("/e~0f~1g", (3, 3)),
        ("/i", (4, 3)),
        ("/j", (5, 3)),
        ("/k", (5, 12)),
    ],
)
def test_keys_are_located(nested, pointer, where):
    assert nested.locate(pointer, key=True) == where


def test_every_value_and_key_is_recorded(nested):
    assert set(nested.values) == {
        "", "/a", "/a/b", "/a/b/0", "/a/b/1", "/a/b/1/c", "/a/d",
        "/e~0f~1g", "/e~0f~1g/0", "/e~0f~1g/1", "/i", "/j", "/k",
    }
    assert set(nested.keys) == {"/a", "/a/b", "/a/b/1/c", "/a/d", "/e~0f~1g", "/i", "/j", "/k"}
    assert nested.duplicates == []
    assert nested.nonfinite == []


def test_array_elements_have_no_key_position(nested):
    assert nested.locate("/a/b/1", key=True) == nested.locate("/a/b/1") == (2, 18)


def test_unknown_pointer_falls_back_to_nearest_ancestor(nested):
    assert nested.locate("/a/b/1/missing") == (2, 18)
    assert nested.locate("/a/b/7") == (2, 14)
    assert nested.locate("/a/zzz/0/1", key=True) == (2, 8)
    assert nested.locate("/nothing") == (1, 1)


def test_rfc6901_escaping_in_pointers():
    assert to_pointer(["a/b", "m~n", 0, "~1"]) == "/a~1b/m~0n/0/~01"
    text = '{"a/b": {"m~n": [10, 20]}, "~1": 3}'
    positions = Positions(text)
    assert positions.locate("/a~1b") == (1, 9)
    assert positions.locate("/a~1b/m~0n/1") == (1, 22)
    assert positions.locate("/a~1b/m~0n", key=True) == (1, 10)
    assert positions.locate("/~01", key=True) == (1, 28)
    assert positions.locate("/~01") == (1, 34)
    assert "/a/b" not in positions.values


def test_escaped_key_names_are_decoded():
    text = '{\n  "caf\\u00e9": 1,\n  "tab\\there": 2\n}'
    positions = Positions(text)
    assert positions.locate("/café") == (2, 16)
    assert positions.locate("/tab\there", key=True) == (3, 3)


def test_columns_count_characters_not_bytes():
    text = '{"é€😀": "ü", "x": 1}'
    positions = Positions(text)
    assert positions.locate("/x") == (1, 19)
    assert positions.locate("/x", key=True) == (1, 14)


def test_leading_whitespace_and_crlf_lines():
    text = '\r\n  \t{\r\n  "a": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n'
    positions = Positions(text)
    assert positions.locate("") == (2, 4)
    assert positions.locate("/a", key=True) == (3, 3)
    assert positions.locate("/a/1") == (5, 5)


def test_scalars_of_every_kind():
    text = '[-0, 1.5e+10, -2E-3, true, false, null, "", "\\"\\\\"]'
    positions = Positions(text)
    assert [positions.locate(f"/{i}") for i in range(8)] == [
        (1, 2), (1, 6), (1, 15), (1, 22), (1, 28), (1, 35), (1, 41), (1, 45)
    ]


def test_scalar_root():
    assert Positions("  42  ").locate("") == (1, 3)
    assert Positions('"x"').locate("/anything") == (1, 1)


def test_empty_containers_and_nesting():
    text = '{"a": [[], {}, [[{"b": {}}]]]}'
    positions = Positions(text)
    assert positions.locate("/a/0") == (1, 8)
    assert positions.locate("/a/1") == (1, 12)
    assert positions.locate("/a/2") == (1, 16)
    assert positions.locate("/a/2/0/0/b") == (1, 24)
    assert positions.locate("/a/2/0/0/b", key=True) == (1, 19)


def test_line_column_of_offsets():
    positions = Positions('{\n"a":\n1}')
    assert positions.line_column(0) == (1, 1)
    assert positions.line_column(1) == (1, 2)  # the newline itself ends line 1
    assert positions.line_column(2) == (2, 1)
    assert positions.line_column(6) == (2, 5)
    assert positions.line_column(7) == (3, 1)


# --- duplicate keys and non-finite numbers ---------------------------------------------------------

DUPLICATES = (
    "{\n"
    '  "a": 1,\n'
    '  "b": {"x": 1, "x": [2]},\n'
    '  "a": {"y": true}\n'
    "}\n"
)


def test_duplicate_keys_are_reported_at_the_second_occurrence():
    positions = Positions(DUPLICATES)
    assert [(pointer, positions.line_column(offset)) for pointer, offset in positions.duplicates] == [
        ("/b/x", (3, 17)),
        ("/a", (4, 3)),
    ]
    # the first key stays recorded; the value is the later one, the one json keeps
    assert positions.locate("/a", key=True) == (2, 3)
    assert positions.locate("/a") == (4, 8)
    assert positions.locate("/a/y") == (4, 14)
    assert positions.locate("/b/x") == (3, 22)


def test_same_key_in_different_objects_is_not_a_duplicate():
    positions = Positions('{"a": {"id": 1}, "b": {"id": 2}, "c": [{"id": 3}, {"id": 4}]}')
    assert positions.duplicates == []


def test_parse_marks_duplicates_suspicious_and_keeps_the_last_value():
    result = parse(DUPLICATES)
    assert result.problems == []
    assert result.suspicious is True
    assert result.data == {"a": {"y": True}, "b": {"x": [2]}}


def test_suspicious_problems_for_duplicates():
    problems = suspicious_problems(Positions(DUPLICATES))
    assert [(p.pointer, p.line, p.column) for p in problems] == [("/b/x", 3, 17), ("/a", 4, 3)]
    assert 'duplicate key "x"' in problems[0].message
    assert "keep one and delete the other" in problems[1].message


def test_duplicate_key_with_slash_is_named_unescaped():
    (problem,) = suspicious_problems(Positions('{"a/b~c": 1, "a/b~c": 2}'))
    assert problem.pointer == "/a~1b~0c"
    assert 'duplicate key "a/b~c"' in problem.message


NONFINITE = (
    "{\n"
    '  "a": NaN,\n'
    '  "b": [1, Infinity, -Infinity],\n'
    '  "c": "NaN and Infinity in a string are fine"\n'
    "}\n"
)


def test_nan_and_infinity_are_found():
    positions = Positions(NONFINITE)
    assert positions.nonfinite == ["/a", "/b/1", "/b/2"]
    assert positions.locate("/b/2") == (3, 22)


def test_parse_marks_nonfinite_suspicious():
    result = parse(NONFINITE)
    assert result.problems == []
    assert result.suspicious is True


def test_suspicious_problems_for_nonfinite():
    problems = suspicious_problems(Positions(NONFINITE))
    assert [(p.pointer, p.line, p.column) for p in problems] == [("/a", 2, 8), ("/b/1", 3, 12), ("/b/2", 3, 22)]
    assert all("NaN and Infinity are not JSON numbers" in p.message for p in problems)


def test_plain_json_is_not_suspicious():
    result = parse('{"a": [1, 2.5, "NaN"], "b": {"a": null}}')
    assert (result.suspicious, result.problems) == (False, [])
    assert result.data == {"a": [1, 2.5, "NaN"], "b": {"a": None}}


# --- parse() and decode() problems --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{\n  "a": 1\n  "b": 2\n}', (3, 3)),
        ('{\n  "a": 1,\n}', (3, 1)),
        ("[1, 2", (1, 6)),
        ("", (1, 1)),
        ('{"a": tru}', (1, 7)),
    ],
)
def test_parse_syntax_errors_are_located(text, where):
    result = parse(text)
    (problem,) = result.problems
    assert (problem.line, problem.column) == where
    assert problem.pointer == ""
    assert problem.message.startswith("invalid JSON: ")


def test_parse_deep_nesting_is_a_problem_not_an_exception():
    (problem,) = parse("[" * 100_000).problems
    assert "nests too deeply" in problem.message


def test_decode():
    assert decode(b'\xef\xbb\xbf{"a": 1}') == ('{"a": 1}', [])
    assert decode("{}".encode()) == ("{}", [])
    text, (problem,) = decode(b'{\n"a": "\xff"}')
    assert text is None
    assert (problem.line, problem.column) == (2, 7)
    assert "byte 0xff at offset 8" in problem.message
