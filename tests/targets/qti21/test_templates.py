"""Item templates give byte for byte the item that assessment_item builds directly, for every question of every shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import qtiexport
from qtiexport._xml import serialize
from qtiexport.model import Choice, Feedback, MultipleResponse, Quiz, Section, SingleChoice, TrueFalse
from qtiexport.targets.qti21 import question_titles
from qtiexport.targets.qti21.items import assessment_item, inline_text, paragraphs
from qtiexport.targets.qti21.templates import TEMPLATE_POINTS, ItemFactory, describe, shape_and_values
from support import quiz_sources, helper_module

strategies = helper_module("quiz_strategies", "property/strategies.py")


def assert_same_items(quiz):
    """Every item the factory makes is the item assessment_item builds: built directly (a shape's first question),
    filled into a copy of its shape's template (item), or into the template's working copy, in place, after
    the same question or after others (serialized)."""
    factory = ItemFactory(quiz)
    titles = question_titles(quiz)
    direct = {}
    for question in quiz.questions:
        title = titles[question.id]
        shape, _, _, values = describe(question, title)
        assert shape_and_values(question, title) == (shape, values), question.id
        direct[question.id] = serialize(assessment_item(question, quiz, title))
        first = factory.serialized(question, title)  # built directly, or filled in place after another question
        copied = serialize(factory.item(question, title))  # filled into a copy of the shape's template
        again = factory.serialized(question, title)  # filled in place after itself
        assert first == direct[question.id] == copied == again, question.id
    for question in reversed(quiz.questions):  # in place again, each after another question than before
        assert factory.serialized(question, titles[question.id]) == direct[question.id], question.id


@pytest.mark.parametrize("source", quiz_sources(), ids=lambda p: p.stem)
def test_shipped_sources(source):
    assert_same_items(qtiexport.load(source))


@settings(max_examples=max(60, settings.default.max_examples), deadline=None)
@given(strategies.quiz_sources(max_questions=20))
def test_generated_sources(source):
    assert_same_items(qtiexport.load(source))


def templates_made(quiz) -> int:
    """Return how many templates making every item of `quiz` takes."""
    factory = ItemFactory(quiz)
    for question in quiz.questions:
        factory.item(question, question.id)
    return len(factory.templates)


def test_templates_are_shared_between_questions_of_one_shape():
    quiz = _bank([1] * 50, prompt="Question {n} & <{n}>")
    assert templates_made(quiz) == 1
    assert_same_items(quiz)


def test_labels_that_canvas_reads_differently_get_their_own_template():
    quiz = qtiexport.load({"id": "tf", "title": "TF", "questions": [
        {"id": "a", "type": "true_false", "prompt": "p", "answer": True},
        {"id": "b", "type": "true_false", "prompt": "p", "answer": True, "labels": {"true": "Yes", "false": "No"}},
        {"id": "c", "type": "true_false", "prompt": "p", "answer": True,
         "labels": {"true": "Not false", "false": "Not true"}}]})
    assert_same_items(quiz)
    items = [ItemFactory(quiz).serialized(q, q.id) for q in quiz.questions]
    assert b"TF_RESPONSE" in items[0] and b"TF_RESPONSE" not in items[1] and b"TF_RESPONSE" not in items[2]


def _bank(points, prompt="Question {n}"):
    """A bank of single-choice questions of one shape, one for each of `points`; `prompt` is formatted with n."""
    return qtiexport.load({"id": "bank", "title": "Bank", "questions": [
        {"id": f"q{n}", "type": "single_choice", "prompt": prompt.format(n=n), "points": p,
         "choices": [{"id": c, "text": f"{c} {n}", "correct": c == "b"} for c in "abcd"]}
        for n, p in enumerate(points)]})


def test_points_are_a_value_not_part_of_the_shape():
    quiz = _bank([1, 2.5, 0.25, 1000, 3, 1e-3])
    assert templates_made(quiz) == 1
    assert_same_items(quiz)


def test_the_template_points_are_not_valid_points():
    # The sentinel's decimal text marks the points slot in a template; no real question can have it.
    assert TEMPLATE_POINTS <= 0
    with pytest.raises(qtiexport.InputError):
        _bank([float(TEMPLATE_POINTS)])


def _repeated(questions, times=3):
    """Return a quiz source with each of `questions` (source dicts) `times` times, ids numbered, texts varied."""
    out = []
    for n in range(times):
        for i, question in enumerate(questions):
            copy = dict(question, id=f"q{i}_{n}")
            copy["prompt"] = question["prompt"] + " " * n + f" {n}"
            if "choices" in question:
                copy["choices"] = [dict(c, text=c["text"] + (f" {n}" if n % 2 else "")) for c in question["choices"]]
            out.append(copy)
    return {"id": "edges", "title": "Edges", "questions": out}


MARKUP = "<b>&amp;</b>"


@pytest.mark.parametrize("text", ["", " ", "\t", "\u00a0", "one", " padded ", "x\u2028y", MARKUP,
                                  "\n", " \n ", "a\nb", "a\n\nb", "\n\na\n \n"])
def test_paragraph_helpers_keep_their_results_on_one_line_texts_too(text):
    # Values and items both come from these helpers: comparing items could not catch a change in them.
    lines = [line for line in text.split("\n") if line.strip()]
    assert paragraphs(text) == lines
    assert inline_text(text) == ["\n".join(lines)]


def test_texts_that_take_the_fast_paths_or_not():
    # Several questions of every shape, so that each is built directly, from a copy and in place.
    choices = [{"id": "A", "text": "a", "correct": True}, {"id": "B", "text": "b"}]
    quiz = qtiexport.load(_repeated([
        {"type": "single_choice", "prompt": "one line", "choices": choices},
        {"type": "single_choice", "prompt": "two\nparagraphs", "choices": choices},
        {"type": "single_choice", "prompt": "blank\n\nlines\n \n\tbetween\n", "choices": choices},
        {"type": "single_choice", "prompt": "\n\nleading blank lines", "choices": [
            {"id": "A", "text": "first\n\nsecond", "correct": True, "feedback": "yes\n \nindeed"},
            {"id": "B", "text": "  padded  ", "feedback": "\tone line\t"}]},
        {"type": "single_choice", "prompt": MARKUP, "feedback": {"correct": MARKUP, "general": "x\ny"},
         "choices": [{"id": "A", "text": MARKUP, "correct": True, "feedback": MARKUP}, {"id": "B", "text": "é😀"}]},
        {"type": "multiple_response", "scoring": "partial", "prompt": "שאלה?\nما هو", "points": 2.5,
         "feedback": {"correct": "c", "incorrect": "i\n\nj", "general": "g"},
         "choices": [{"id": "A", "text": "a", "correct": True, "feedback": "fa"}, {"id": "B", "text": "b\nc"},
                     {"id": "C", "text": "c", "correct": True}]},
        {"type": "multiple_response", "prompt": "all or nothing", "choices": [
            {"id": "A", "text": "a", "correct": True}, {"id": "B", "text": "b", "correct": True, "feedback": "fb"}]},
        {"type": "true_false", "prompt": "p", "answer": True},
        {"type": "true_false", "prompt": "p", "answer": False,
         "labels": {"true": "Vrai (true)", "false": "Faux (false)"}},  # Canvas's true/false
        {"type": "true_false", "prompt": "p", "answer": True, "labels": {"true": "Not false", "false": "Not true"}},
        {"type": "true_false", "prompt": "p", "answer": True, "labels": {"true": MARKUP, "false": "two\nlines"}},
    ]))
    assert_same_items(quiz)
    factory = ItemFactory(quiz)
    items = [factory.serialized(q, q.id) for q in quiz.questions]
    assert len(factory.templates) == 10  # labels are values: the last two true/false questions share one shape
    escaped = b"&lt;b&gt;&amp;amp;&lt;/b&gt;"
    assert all(item.count(escaped) >= 4 for item in items if b"q4_" in item), "lxml escapes what looks like markup"


def test_texts_only_the_model_can_hold():
    # Blank texts and empty feedback, which the reader refuses, still give the same shape, values and items.
    # (Not question feedback of white space only: items.py gives it a modalFeedback without paragraphs,
    # which its placeholder, an empty text, cannot stand for.)
    def questions(n):
        choices = (Choice(id="A", text=" ", correct=True, feedback=""), Choice(id="B", text=f"b{n}", feedback=" \n "))
        return (
            SingleChoice(id=f"s{n}", prompt=" ", choices=choices, feedback=Feedback(correct="", general=f"g{n}")),
            MultipleResponse(id=f"m{n}", prompt="\n", choices=choices, scoring="partial"),
            TrueFalse(id=f"t{n}", prompt=f"p{n}", answer=bool(n % 2), labels=(" ", "\n\n")),
        )
    quiz = Quiz(id="model", title="Model", sections=(Section(None, None, questions(0) + questions(1) + questions(2)),))
    assert_same_items(quiz)


def test_a_failed_fill_leaves_nothing_behind():
    # The working copy holds whatever a failed fill set before it failed; the next fill sets every slot again.
    quiz = qtiexport.load(_repeated([{"type": "single_choice", "prompt": "p", "choices": [
        {"id": "A", "text": "a", "correct": True}, {"id": "B", "text": "b"}]}]))
    first, second, third = quiz.questions
    bad = SingleChoice(id="bad", prompt="a prompt set before the failure",
                       choices=(Choice(id="A", text="a", correct=True), Choice(id="B", text="\x01")))
    factory = ItemFactory(quiz)
    for question in (first, second, third):
        factory.serialized(question, question.id)
    with pytest.raises(ValueError):
        factory.serialized(bad, bad.id)
    assert factory.serialized(third, third.id) == serialize(assessment_item(third, quiz, third.id))


def test_a_template_in_use_fills_a_copy():
    quiz = _bank([1, 2, 3])
    factory = ItemFactory(quiz)
    for question in quiz.questions[:2]:
        factory.serialized(question, question.id)
    (template,) = factory.templates.values()
    with template._lock:  # as while another thread fills the working copy
        item = factory.serialized(quiz.questions[2], "title")
    assert item == serialize(assessment_item(quiz.questions[2], quiz, "title"))
