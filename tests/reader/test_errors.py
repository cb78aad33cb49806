"""Bad quiz sources: every problem is reported with its pointer, line, column, file and advice."""

from __future__ import annotations

import re

import pytest

import qtiexport
from qtiexport.reader import load_bytes, load_text

FILE = "bad.json"


def _case(name, text, pointer, line, column, *gist, count=1):
    """One bad source: `text` starts on the line after the opening quotes, so line 1 is its first line."""
    return pytest.param(text.lstrip("\n"), pointer, line, column, gist, count, id=name)


def _raise(text: str) -> qtiexport.InputError:
    with pytest.raises(qtiexport.InputError) as info:
        load_text(text, FILE)
    return info.value


def _choices(count: int) -> str:
    lines = [f'        {{"id": "c{i}", "text": "Choice {i}"{", " + chr(34) + "correct" + chr(34) + ": true" if i == 0 else ""}}}'
             for i in range(count)]
    return ",\n".join(lines)


CASES = [
    # --- JSON syntax ---------------------------------------------------------------------------
    _case("syntax-missing-comma", """
{
  "id": "quiz"
  "title": "Quiz"
}
""", "", 3, 3, "invalid JSON", "Expecting ',' delimiter", "add a comma"),
    _case("syntax-trailing-comma", """
{
  "id": "quiz",
  "title": "Quiz",
}
""", "", 4, 1, "invalid JSON", "remove the trailing comma"),
    _case("syntax-unclosed-brace-at-eof", """
{
  "id": "quiz",
  "title": "Quiz"
""", "", 4, 1, "invalid JSON", "ends before the JSON is complete"),
    _case("syntax-empty-file", "\n", "", 1, 1, "invalid JSON: Expecting value", "the file is empty"),
    # --- wrong types ---------------------------------------------------------------------------
    _case("type-title-number", """
{
  "id": "quiz",
  "title": 42,
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/title", 3, 12, "must be a string, not a number"),
    _case("type-points-string", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "points": "2",
      "answer": true
    }
  ]
}
""", "/questions/0/points", 9, 17, "must be a number, not a string"),
    _case("type-choices-object", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": {"a": "Yes", "b": "No"}
    }
  ]
}
""", "/questions/0/choices", 9, 18, "must be an array, not an object"),
    _case("type-answer-string", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": "yes"
    }
  ]
}
""", "/questions/0/answer", 9, 17, "must be true or false, not a string"),
    _case("type-top-level-array", """
[
  {"id": "quiz"}
]
""", "", 1, 1, "must be an object, not an array", count=2),
    # --- missing required properties ------------------------------------------------------------
    _case("missing-quiz-id", """
{
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "", 1, 1, 'missing required property "id"', "add it"),
    _case("missing-quiz-title", """
{
  "id": "quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "", 1, 1, 'missing required property "title"', "add it"),
    _case("missing-question-id", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/questions/0", 5, 5, 'missing required property "id"', "add it"),
    _case("missing-prompt", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "answer": true
    }
  ]
}
""", "/questions/0", 5, 5, 'missing required property "prompt"', "add it"),
    _case("missing-choices", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one."
    }
  ]
}
""", "/questions/0", 5, 5, 'missing required property "choices"', "add it"),
    _case("missing-answer", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet."
    }
  ]
}
""", "/questions/0", 5, 5, 'missing required property "answer"', "add it"),
    _case("missing-section-title", """
{
  "id": "quiz",
  "title": "Quiz",
  "sections": [
    {
      "id": "s1",
      "questions": [
        {
          "id": "q1",
          "type": "true_false",
          "prompt": "Water is wet.",
          "answer": true
        }
      ]
    }
  ]
}
""", "/sections/0", 5, 5, 'missing required property "title"', "heading of the section", "add it"),
    # --- misspelt keys ---------------------------------------------------------------------------
    _case("misspelt-top-level", """
{
  "id": "quiz",
  "title": "Quiz",
  "langauge": "en",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/langauge", 4, 3, 'unknown property "langauge"', 'did you mean "language"?', "remove or rename it"),
    _case("misspelt-settings", """
{
  "id": "quiz",
  "title": "Quiz",
  "settings": {
    "pasingScore": 80
  },
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/settings/pasingScore", 5, 5, 'unknown property "pasingScore"', 'did you mean "passingScore"?'),
    _case("misspelt-question", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "pionts": 2,
      "answer": true
    }
  ]
}
""", "/questions/0/pionts", 9, 7, 'unknown property "pionts"', 'did you mean "points"?'),
    _case("misspelt-choice", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
        {"id": "a", "text": "Yes", "correct": true},
        {"id": "b", "text": "No", "fixd": true}
      ]
    }
  ]
}
""", "/questions/0/choices/1/fixd", 11, 35, 'unknown property "fixd"', 'did you mean "fixed"?'),
    # --- identifiers: uniqueness and form --------------------------------------------------------
    _case("duplicate-question-id", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    },
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Fire is cold.",
      "answer": false
    }
  ]
}
""", "/questions/1/id", 12, 13, 'duplicate id "q1"', "the question at /questions/0 already uses it", "rename one"),
    _case("duplicate-section-question-id", """
{
  "id": "quiz",
  "title": "Quiz",
  "sections": [
    {
      "id": "s1",
      "title": "Part one",
      "questions": [
        {
          "id": "s1",
          "type": "true_false",
          "prompt": "Water is wet.",
          "answer": true
        }
      ]
    }
  ]
}
""", "/sections/0/questions/0/id", 10, 17, 'duplicate id "s1"', "the section at /sections/0 already uses it",
        "share one namespace"),
    _case("duplicate-choice-id", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
        {"id": "a", "text": "Yes", "correct": true},
        {"id": "a", "text": "No"}
      ]
    }
  ]
}
""", "/questions/0/choices/1/id", 11, 16, 'duplicate choice id "a"', "must be unique within a question"),
    _case("identifier-starts-with-digit", """
{
  "id": "1quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/id", 2, 9, '"1quiz" is not a valid identifier', 'start with a letter or "_"'),
    _case("identifier-contains-space", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "question one",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/questions/0/id", 6, 13, '"question one" is not a valid identifier', "(no spaces)"),
    _case("identifier-65-characters", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "%s",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""" % ("q" * 65), "/questions/0/id", 6, 13, "is 65 characters long; at most 64", "shorten it"),
    # --- correct answers ---------------------------------------------------------------------------
    _case("no-correct-single-choice", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
        {"id": "a", "text": "Yes"},
        {"id": "b", "text": "No"}
      ]
    }
  ]
}
""", "/questions/0/choices", 9, 18, "no choice is marked correct", 'set "correct": true on exactly one choice'),
    _case("no-correct-multiple-response", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "multiple_response",
      "prompt": "Pick all that apply.",
      "choices": [
        {"id": "a", "text": "Yes", "correct": false},
        {"id": "b", "text": "No"}
      ]
    }
  ]
}
""", "/questions/0/choices", 9, 18, "no choice is marked correct", 'set "correct": true on at least one choice'),
    _case("two-correct-single-choice", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
        {"id": "a", "text": "Yes", "correct": true},
        {"id": "b", "text": "No", "correct": true}
      ]
    }
  ]
}
""", "/questions/0/choices", 9, 18, "2 choices are marked correct (a, b)", "keep one", '"multiple_response"'),
    # --- text content ------------------------------------------------------------------------------
    _case("empty-title", """
{
  "id": "quiz",
  "title": "",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/title", 3, 12, "is empty or only white space", "write the text"),
    _case("whitespace-only-prompt", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": " \\t\\n ",
      "answer": true
    }
  ]
}
""", "/questions/0/prompt", 8, 17, "is empty or only white space", "write the text"),
    _case("control-character-bell-escape", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Ring\\u0007 the bell.",
      "answer": true
    }
  ]
}
""", "/questions/0/prompt", 8, 17, "control character U+0007 at character 5", "XML cannot carry", "delete it"),
    _case("control-character-escape-1b", """
{
  "id": "quiz",
  "title": "\\u001b[1mQuiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/title", 3, 12, "control character U+001B at character 1", "delete it"),
    _case("control-character-in-choice-feedback", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
        {"id": "a", "text": "Yes", "correct": true},
        {"id": "b", "text": "No", "feedback": "Not\\u0000 quite"}
      ]
    }
  ]
}
""", "/questions/0/choices/1/feedback", 11, 47, "control character U+0000 at character 4"),
    # --- numbers -----------------------------------------------------------------------------------
    _case("points-zero", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "points": 0,
      "answer": true
    }
  ]
}
""", "/questions/0/points", 9, 17, "must be greater than 0 (found 0)", "use a positive number"),
    _case("points-negative", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "points": -1,
      "answer": true
    }
  ]
}
""", "/questions/0/points", 9, 17, "must be greater than 0 (found -1)", "use a positive number"),
    _case("points-too-large", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "points": 1001,
      "answer": true
    }
  ]
}
""", "/questions/0/points", 9, 17, "at most 1000 (found 1001)"),
    _case("passing-score-150", """
{
  "id": "quiz",
  "title": "Quiz",
  "settings": {
    "passingScore": 150
  },
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/settings/passingScore", 5, 21, "must be between 0 and 100 percent (found 150)", "change the value"),
    _case("passing-score-negative", """
{
  "id": "quiz",
  "title": "Quiz",
  "settings": {
    "passingScore": -5
  },
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/settings/passingScore", 5, 21, "must be between 0 and 100 percent (found -5)"),
    # --- properties that do not fit the question type ----------------------------------------------
    _case("unknown-question-type", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "essay",
      "prompt": "Discuss.",
      "answer": true
    }
  ]
}
""", "/questions/0/type", 7, 15, 'unknown question type "essay"',
        'use one of "single_choice", "multiple_response", "true_false"'),
    _case("scoring-on-single-choice", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "scoring": "partial",
      "choices": [
        {"id": "a", "text": "Yes", "correct": true},
        {"id": "b", "text": "No"}
      ]
    }
  ]
}
""", "/questions/0/scoring", 9, 7, '"scoring" does not apply to a single_choice question (only to multiple_response)',
        'remove it or change "type"'),
    _case("answer-on-single-choice", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "answer": true,
      "choices": [
        {"id": "a", "text": "Yes", "correct": true},
        {"id": "b", "text": "No"}
      ]
    }
  ]
}
""", "/questions/0/answer", 9, 7, '"answer" does not apply to a single_choice question (only to true_false)'),
    _case("choices-on-true-false", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true,
      "choices": [
        {"id": "a", "text": "Yes"},
        {"id": "b", "text": "No"}
      ]
    }
  ]
}
""", "/questions/0/choices", 10, 7,
        '"choices" does not apply to a true_false question (only to single_choice, multiple_response)'),
    # --- quiz structure ----------------------------------------------------------------------------
    _case("both-sections-and-questions", """
{
  "id": "quiz",
  "title": "Quiz",
  "sections": [
    {
      "id": "s1",
      "title": "Part one",
      "questions": [
        {
          "id": "q1",
          "type": "true_false",
          "prompt": "Water is wet.",
          "answer": true
        }
      ]
    }
  ],
  "questions": [
    {
      "id": "q2",
      "type": "true_false",
      "prompt": "Fire is cold.",
      "answer": false
    }
  ]
}
""", "/questions", 18, 3, 'either "sections" or "questions", not both', "move these questions into a section"),
    _case("neither-sections-nor-questions", """
{
  "id": "quiz",
  "title": "Quiz"
}
""", "", 1, 1, "a quiz needs questions", 'add "questions"', '"sections"'),
    _case("37-choices", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
%s
      ]
    }
  ]
}
""" % _choices(37), "/questions/0/choices", 9, 18, "has 37 choices", "at most 36", "split the question"),
    _case("one-choice", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "Pick one.",
      "choices": [
        {"id": "a", "text": "Yes", "correct": true}
      ]
    }
  ]
}
""", "/questions/0/choices", 9, 18, "has 1 choice; at least 2 are needed", "add more"),
    _case("empty-sections", """
{
  "id": "quiz",
  "title": "Quiz",
  "sections": []
}
""", "/sections", 4, 15, "has 0 sections", "add more"),
    _case("empty-feedback-object", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true,
      "feedback": {}
    }
  ]
}
""", "/questions/0/feedback", 10, 19, "is an empty object", "give at least one of correct, general, incorrect"),
    # --- settings and language ---------------------------------------------------------------------
    _case("bad-language-tag", """
{
  "id": "quiz",
  "title": "Quiz",
  "language": "en_GB",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/language", 4, 15, '"en_GB" is not a BCP 47 language tag', 'such as "en", "en-GB"'),
    _case("bad-show-feedback", """
{
  "id": "quiz",
  "title": "Quiz",
  "settings": {
    "showFeedback": "sometimes"
  },
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/settings/showFeedback", 5, 21, '"sometimes" is not allowed here',
        'use one of "immediately", "after-submit", "never"'),
    # --- JSON that Python would accept but JSON authors never mean ------------------------------------
    _case("duplicate-json-key", """
{
  "id": "quiz",
  "title": "Quiz",
  "title": "Quiz again",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/title", 4, 3, 'duplicate key "title"', "keep one and delete the other"),
    _case("nan", """
{
  "id": "quiz",
  "title": "Quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "points": NaN,
      "answer": true
    }
  ]
}
""", "/questions/0/points", 9, 17, "NaN and Infinity are not JSON numbers", "write a finite number"),
    _case("negative-infinity", """
{
  "id": "quiz",
  "title": "Quiz",
  "settings": {
    "passingScore": -Infinity
  },
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
""", "/settings/passingScore", 5, 21, "NaN and Infinity are not JSON numbers", count=2),
]


@pytest.mark.parametrize(("text", "pointer", "line", "column", "gist", "count"), CASES)
def test_bad_input_is_located_and_explained(text, pointer, line, column, gist, count):
    error = _raise(text)
    assert error.source == FILE
    assert all(d.file == FILE and d.severity == "error" for d in error.diagnostics)
    matching = [d for d in error.diagnostics if d.pointer == pointer and all(g in d.message for g in gist)]
    assert matching, f"no diagnostic at {pointer!r} saying {gist!r}; got:\n{error}"
    assert (matching[0].line, matching[0].column) == (line, column), str(error)
    if count is not None:
        assert len(error.diagnostics) == count, str(error)


def test_at_least_thirty_distinct_cases():
    texts = {param.values[0] for param in CASES}
    assert len(texts) == len(CASES) >= 30


def test_same_cases_through_load_bytes_agree():
    """load_bytes decodes and then reports exactly what load_text reports."""
    for param in CASES:
        text = param.values[0]
        expected = _raise(text).diagnostics
        with pytest.raises(qtiexport.InputError) as info:
            load_bytes(text.encode("utf-8"), FILE)
        assert info.value.diagnostics == expected


def test_not_utf8_is_located():
    raw = '{\n  "id": "quiz",\n  "title": "Caf'.encode() + b"\xe9" + b'"\n}\n'
    with pytest.raises(qtiexport.InputError) as info:
        load_bytes(raw, FILE)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.file == FILE
    assert diagnostic.pointer == ""
    assert (diagnostic.line, diagnostic.column) == (3, 16)
    assert "not valid UTF-8 (byte 0xe9 at offset 33)" in diagnostic.message
    assert "save it as UTF-8" in diagnostic.message


def test_utf16_file_is_rejected_not_crashing():
    raw = '{"id": "quiz"}'.encode("utf-16")
    with pytest.raises(qtiexport.InputError) as info:
        load_bytes(raw, FILE)
    assert "save it as UTF-8" in str(info.value)


VALID = """{
  "id": "quiz",
  "title": "Café quiz",
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
"""


def test_utf8_bom_is_accepted():
    quiz = load_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"), FILE)
    assert quiz.title == "Café quiz"
    assert quiz.origin == FILE


def test_bom_does_not_shift_positions():
    bad = VALID.replace('"answer": true', '"answer": 1')
    with pytest.raises(qtiexport.InputError) as info:
        load_bytes(b"\xef\xbb\xbf" + bad.encode("utf-8"), FILE)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.pointer, diagnostic.line, diagnostic.column) == ("/questions/0/answer", 9, 17)


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a": ' * 100_000, "[" * 100_000 + "]" * 100_000],
                         ids=["arrays-unclosed", "objects-unclosed", "arrays-closed"])
def test_deep_nesting_is_an_input_error(text):
    error = _raise(text)  # not RecursionError
    (diagnostic,) = error.diagnostics
    assert diagnostic.file == FILE
    assert (diagnostic.line, diagnostic.column) == (1, 1)
    assert "nests too deeply" in diagnostic.message


def test_deep_but_parseable_nesting_is_an_input_error():
    """JSON that the parser accepts but that is nested too deeply for the checks still gives InputError."""
    text = '{"id": "quiz", "title": "Quiz", "questions": [], "x": ' + "[" * 700 + "]" * 700 + "}"
    error = _raise(text)
    assert error.diagnostics
    assert all(d.file == FILE and d.line == 1 for d in error.diagnostics)


def test_deep_nesting_through_load_bytes():
    with pytest.raises(qtiexport.InputError):
        load_bytes(b"[" * 100_000, FILE)


# --- every problem at once ------------------------------------------------------------------------

SIX_PROBLEMS = """{
  "id": "1quiz",
  "langauge": "en",
  "title": "Quiz",
  "settings": {
    "passingScore": 150
  },
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "",
      "choices": [
        {"id": "a", "text": "Yes"},
        {"id": "a", "text": "No"}
      ]
    }
  ]
}
"""

SIX_EXPECTED = [
    (2, 9, "/id", "is not a valid identifier"),
    (3, 3, "/langauge", 'did you mean "language"?'),
    (6, 21, "/settings/passingScore", "between 0 and 100"),
    (12, 17, "/questions/0/prompt", "is empty or only white space"),
    (13, 18, "/questions/0/choices", "no choice is marked correct"),
    (15, 16, "/questions/0/choices/1/id", 'duplicate choice id "a"'),
]


def test_all_problems_at_once_sorted_by_position():
    error = _raise(SIX_PROBLEMS)
    got = [(d.line, d.column, d.pointer) for d in error.diagnostics]
    assert got == [(line, column, pointer) for line, column, pointer, _ in SIX_EXPECTED]
    assert got == sorted(got)
    for diagnostic, (_, _, _, gist) in zip(error.diagnostics, SIX_EXPECTED):
        assert gist in diagnostic.message
        assert diagnostic.file == FILE


def test_str_of_input_error_is_one_located_line_per_problem():
    error = _raise(SIX_PROBLEMS)
    lines = str(error).splitlines()
    assert len(lines) == 6
    pattern = re.compile(r"^bad\.json:(\d+):(\d+): (/\S*): (.+)$")
    for line, diagnostic in zip(lines, error.diagnostics):
        match = pattern.match(line)
        assert match, line
        assert (int(match[1]), int(match[2])) == (diagnostic.line, diagnostic.column)
        assert match[3] == diagnostic.pointer
        assert match[4] == diagnostic.message
    assert lines[0] == (
        'bad.json:2:9: /id: "1quiz" is not a valid identifier; start with a letter or "_" '
        'and use only letters, digits, "_", "." and "-" (no spaces)'
    )


def test_root_pointer_is_rendered_as_slash():
    error = _raise('{\n  "id": "quiz",\n  "title": "Quiz"\n}\n')
    assert str(error).startswith("bad.json:1:1: /: a quiz needs questions")
