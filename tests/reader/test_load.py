"""Loading quiz sources into the immutable model: the shipped example, defaults, dict input, unreadable paths."""

from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest

import qtiexport
from qtiexport.model import (
    Choice,
    Citation,
    Metadata,
    MultipleResponse,
    Quiz,
    Section,
    Settings,
    SingleChoice,
    TrueFalse,
)
from qtiexport.reader import load, load_bytes, load_text, source_files

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "source" / "harm-reduction-ce.json"

SECTION_TITLES = (
    "Introduction",
    "The social context and the traditional model",
    "What is harm reduction?",
    "My journey",
    "Facing up the risks",
    "Harm reduction comes of age",
    "Integrative Harm Reduction Psychotherapy",
)


@pytest.fixture(scope="module")
def example() -> Quiz:
    return load(EXAMPLE)


def _question(quiz: Quiz, qid: str):
    (found,) = [q for q in quiz.questions if q.id == qid]
    return found


# --- the shipped example ------------------------------------------------------------------------


def test_example_shape(example):
    assert isinstance(example, Quiz)
    assert example.id == "harm-reduction-ce"
    assert example.title == "The challenge of harm reduction: CE Quiz"
    assert example.language == "en"
    assert example.origin == str(EXAMPLE)
    assert example.has_sections is True
    assert len(example.questions) == 15
    assert [q.id for q in example.questions] == [f"q{i}" for i in range(1, 16)]
    assert len(example.sections) == 7
    assert tuple(s.title for s in example.sections) == SECTION_TITLES
    assert example.sections[0].id == "introduction"
    assert example.sections[1].pointer == "/sections/1"
    assert [len(s.questions) for s in example.sections] == [1, 3, 2, 1, 3, 2, 3]


def test_example_settings_and_metadata(example):
    assert example.settings == Settings(
        passing_score=Decimal(80), shuffle_choices=False, shuffle_questions=False, show_feedback="after-submit"
    )
    assert isinstance(example.settings.passing_score, Decimal)
    assert example.metadata.version == "1.0.0"
    assert "harm reduction" in example.metadata.keywords
    assert example.metadata.authors == ()
    assert example.metadata.source == Citation(
        title="The challenge of harm reduction",
        author="Andrew Tatarsky, PhD",
        publisher="Psychotherapy Networker",
        url="https://www.psychotherapynetworker.org/magazine/quizzes",
    )
    assert example.description.startswith("The Psychotherapy Networker CE quiz")
    assert "\n" in example.instructions


def test_example_true_false(example):
    q4 = _question(example, "q4")
    assert type(q4) is TrueFalse
    assert q4.labels == ("YES", "NO")
    assert q4.answer is False
    assert q4.pointer == "/sections/1/questions/2"
    assert q4.choices == (
        Choice(id="true", text="YES", correct=False),
        Choice(id="false", text="NO", correct=True),
    )
    q6 = _question(example, "q6")
    assert (q6.labels, q6.answer) == (("TRUE", "FALSE"), True)


def test_example_multiple_response(example):
    q10 = _question(example, "q10")
    assert type(q10) is MultipleResponse
    assert q10.scoring == "all-or-nothing"
    assert q10.points == Decimal(1)
    assert [c.id for c in q10.choices] == ["A", "B", "C", "D"]
    assert {c.id for c in q10.choices if c.correct} == {"A", "C"}
    assert {c.id for c in q10.choices if c.fixed} == {"D"}
    assert q10.choices[3].pointer == q10.pointer + "/choices/3"
    assert q10.feedback is not None and q10.feedback.general


def test_example_question_types(example):
    kinds = {q.id: type(q).__name__ for q in example.questions}
    assert {qid for qid, kind in kinds.items() if kind == "TrueFalse"} == {"q4", "q6", "q12"}
    assert {kind for kind in kinds.values()} == {"TrueFalse", "MultipleResponse"}


def test_public_load_is_the_reader_load(example):
    assert qtiexport.load(str(EXAMPLE)) == example
    assert qtiexport.load(EXAMPLE) == example


def test_example_with_bom_and_path_load_agree(example, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert dataclasses.replace(load(path), origin=example.origin) == example
    assert load_bytes(EXAMPLE.read_bytes(), str(EXAMPLE)) == example


def test_source_files_of_the_source_directory():
    assert source_files([REPO_ROOT / "source"]) == [EXAMPLE]
    assert qtiexport.source_files([EXAMPLE]) == [EXAMPLE]


# --- defaults -------------------------------------------------------------------------------------

MINIMAL = {
    "id": "minimal",
    "title": "Minimal",
    "questions": [
        {
            "id": "tf",
            "type": "true_false",
            "prompt": "Water is wet.",
            "answer": True,
        },
        {
            "id": "sc",
            "type": "single_choice",
            "prompt": "Pick one.",
            "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}],
        },
        {
            "id": "mr",
            "type": "multiple_response",
            "prompt": "Pick all.",
            "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}],
        },
    ],
}


def test_defaults():
    quiz = load_text(json.dumps(MINIMAL, indent=2), "minimal.json")
    assert quiz.origin == "minimal.json"
    assert quiz.language == "en"
    assert quiz.description is None and quiz.instructions is None
    assert quiz.metadata == Metadata()
    assert quiz.settings == Settings()
    assert quiz.settings.passing_score is None
    assert quiz.settings.show_feedback == "after-submit"
    assert quiz.settings.shuffle_choices is False and quiz.settings.shuffle_questions is False

    assert quiz.has_sections is False
    (section,) = quiz.sections
    assert (section.id, section.title, section.instructions) == (None, None, None)
    assert [q.id for q in section.questions] == ["tf", "sc", "mr"]

    tf, sc, mr = quiz.questions
    for question in (tf, sc, mr):
        assert question.points == Decimal(1)
        assert isinstance(question.points, Decimal)
        assert question.title is None and question.feedback is None
    assert type(tf) is TrueFalse and tf.labels == ("True", "False") and tf.answer is True
    assert type(sc) is SingleChoice
    assert type(mr) is MultipleResponse and mr.scoring == "all-or-nothing"
    assert [(c.correct, c.fixed, c.feedback) for c in sc.choices] == [(True, False, None), (False, False, None)]
    assert [q.pointer for q in quiz.questions] == ["/questions/0", "/questions/1", "/questions/2"]


@pytest.mark.parametrize(("written", "expected"), [("0.5", "0.5"), ("0.1", "0.1"), ("2", "2"), ("1000", "1000")])
def test_points_are_exact_decimals(written, expected):
    text = json.dumps(MINIMAL).replace('"answer": true', f'"answer": true, "points": {written}', 1)
    quiz = load_text(text)
    assert quiz.questions[0].points == Decimal(expected)
    assert str(quiz.questions[0].points) == expected


def test_explicit_settings_are_kept():
    data = copy.deepcopy(MINIMAL)
    data["settings"] = {"passingScore": 72.5, "shuffleChoices": True, "shuffleQuestions": True, "showFeedback": "never"}
    data["language"] = "pt-BR"
    data["questions"][2]["scoring"] = "partial"
    data["questions"][0]["labels"] = {"true": "Yes", "false": "No"}
    quiz = load(data)
    assert quiz.settings == Settings(
        passing_score=Decimal("72.5"), shuffle_choices=True, shuffle_questions=True, show_feedback="never"
    )
    assert quiz.language == "pt-BR"
    assert quiz.questions[2].scoring == "partial"
    assert quiz.questions[0].labels == ("Yes", "No")


# --- immutability -----------------------------------------------------------------------------------


def test_model_is_immutable(example):
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.sections[0].title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.questions[0].choices[0].correct = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.settings.passing_score = Decimal(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        example.metadata.keywords = ()  # type: ignore[misc]


def test_model_collections_are_tuples(example):
    assert type(example.sections) is tuple
    assert type(example.questions) is tuple
    assert type(example.metadata.keywords) is tuple
    assert type(example.metadata.authors) is tuple
    for section in example.sections:
        assert type(section) is Section
        assert type(section.questions) is tuple
        for question in section.questions:
            assert type(question.choices) is tuple
    tf = _question(example, "q4")
    assert type(tf.labels) is tuple


def test_model_is_hashable(example):
    assert hash(example) == hash(load(EXAMPLE))


# --- dict input -------------------------------------------------------------------------------------


def test_load_dict_equals_load_text():
    from_dict = load(copy.deepcopy(MINIMAL))
    from_text = load_text(json.dumps(MINIMAL, indent=2), "x.json")
    assert from_dict.origin == "<data>"
    assert dataclasses.replace(from_text, origin="<data>") == from_dict


def test_load_dict_does_not_modify_its_input():
    data = copy.deepcopy(MINIMAL)
    load(data)
    assert data == MINIMAL


def test_load_dict_diagnostics_have_pointer_but_no_position():
    data = copy.deepcopy(MINIMAL)
    data["title"] = 42
    data["questions"][1]["choices"][0]["correct"] = False
    data["questions"][2]["id"] = "tf"
    with pytest.raises(qtiexport.InputError) as info:
        load(data)
    error = info.value
    assert error.source == "<data>"
    assert [d.pointer for d in error.diagnostics] == ["/questions/1/choices", "/questions/2/id", "/title"]
    for diagnostic in error.diagnostics:
        assert (diagnostic.line, diagnostic.column, diagnostic.file) == (None, None, None)
    lines = str(error).splitlines()
    assert lines[0].startswith("/questions/1/choices: no choice is marked correct")
    assert lines[1].startswith('/questions/2/id: duplicate id "tf"')
    assert lines[2] == "/title: must be a string, not a number; change the value"


def test_load_dict_that_is_not_a_quiz():
    with pytest.raises(qtiexport.InputError) as info:
        load({})
    messages = [d.message for d in info.value.diagnostics]
    assert any('missing required property "id"' in m for m in messages)
    assert any('missing required property "title"' in m for m in messages)
    assert any("a quiz needs questions" in m for m in messages)


# --- unreadable paths ----------------------------------------------------------------------------------


def test_load_missing_path(tmp_path):
    missing = tmp_path / "nowhere" / "quiz.json"
    with pytest.raises(qtiexport.InputError) as info:
        load(missing)
    assert info.value.source == str(missing)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.file == str(missing)
    assert "cannot read the file" in diagnostic.message
    assert str(missing) in str(info.value)
    assert isinstance(info.value, qtiexport.QtiexportError)


def test_load_directory_is_an_input_error(tmp_path):
    with pytest.raises(qtiexport.InputError) as info:
        load(tmp_path)
    assert "cannot read the file" in str(info.value)


def test_load_bad_file_names_the_path(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "id": "quiz",\n  "title": "Quiz"\n}\n', encoding="utf-8")
    with pytest.raises(qtiexport.InputError) as info:
        load(path)
    assert str(info.value) == f"{path}:1:1: /: " + info.value.diagnostics[0].message
