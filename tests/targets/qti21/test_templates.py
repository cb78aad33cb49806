"""Item templates give byte for byte the item that assessment_item builds directly, for every question of every shape."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import qtiexport
from qtiexport._xml import serialize
from qtiexport.targets.qti21 import question_titles
from qtiexport.targets.qti21.items import assessment_item
from qtiexport.targets.qti21.templates import TEMPLATE_POINTS, ItemFactory
from support import quiz_sources, helper_module

strategies = helper_module("quiz_strategies", "property/strategies.py")


def assert_same_items(quiz):
    """Every item the factory makes, built directly (a shape's first question) or filled from its template (asked
    again), is the item assessment_item builds."""
    factory = ItemFactory(quiz)
    titles = question_titles(quiz)
    for question in quiz.questions:
        direct = serialize(assessment_item(question, quiz, titles[question.id]))
        first = factory.serialized(question, titles[question.id])  # built directly, or filled
        second = factory.serialized(question, titles[question.id])  # filled from the shape's template
        assert first == direct == second, question.id


@pytest.mark.parametrize("source", quiz_sources(), ids=lambda p: p.stem)
def test_shipped_sources(source):
    assert_same_items(qtiexport.load(source))


@settings(max_examples=max(60, settings.default.max_examples), deadline=None)
@given(strategies.quiz_sources(max_questions=20))
def test_generated_sources(source):
    assert_same_items(qtiexport.load(source))


def test_templates_are_shared_between_questions_of_one_shape():
    quiz = qtiexport.load({"id": "bank", "title": "Bank", "questions": [
        {"id": f"q{n}", "type": "single_choice", "prompt": f"Question {n} & <{n}>",
         "choices": [{"id": c, "text": f"{c} {n}", "correct": c == "b"} for c in "abcd"]} for n in range(50)]})
    factory = ItemFactory(quiz)
    for question in quiz.questions:
        factory.item(question, question.id)
    assert len(factory.templates) == 1
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


def _bank(points):
    return qtiexport.load({"id": "bank", "title": "Bank", "questions": [
        {"id": f"q{n}", "type": "single_choice", "prompt": f"Question {n}", "points": p,
         "choices": [{"id": c, "text": f"{c} {n}", "correct": c == "b"} for c in "abcd"]}
        for n, p in enumerate(points)]})


def test_points_are_a_value_not_part_of_the_shape():
    quiz = _bank([1, 2.5, 0.25, 1000, 3, 1e-3])
    factory = ItemFactory(quiz)
    for question in quiz.questions:
        factory.item(question, question.id)
    assert len(factory.templates) == 1
    assert_same_items(quiz)


def test_the_template_points_are_not_valid_points():
    # The sentinel's decimal text marks the points slot in a template; no real question can have it.
    assert TEMPLATE_POINTS <= 0
    with pytest.raises(qtiexport.InputError):
        _bank([float(TEMPLATE_POINTS)])
