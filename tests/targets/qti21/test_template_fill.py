"""Every item filled from a template equals the item assessment_item builds, for every shape and value.

ItemFactory builds the first question of a shape directly and makes the shape's template at the
second, so the property tests of test_templates.py mostly see direct builds; here each question
is made twice, the second time from its own shape's template.
"""

from __future__ import annotations

import importlib.util
import pytest
from hypothesis import given, settings

import qtiexport
from qtiexport._xml import serialize
from qtiexport.targets.qti21 import question_titles
from qtiexport.targets.qti21.items import assessment_item
from qtiexport.targets.qti21.templates import TEMPLATE_POINTS, ItemFactory
from support import REPO, quiz_sources

_spec = importlib.util.spec_from_file_location("quiz_strategies", REPO / "tests" / "property" / "strategies.py")
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)


def assert_templates_fill_every_item(quiz):
    factory = ItemFactory(quiz)
    titles = question_titles(quiz)
    for question in quiz.questions:
        direct = serialize(assessment_item(question, quiz, titles[question.id]))
        first = factory.serialized(question, titles[question.id])  # built directly, or filled
        second = factory.serialized(question, titles[question.id])  # filled from the shape's template
        assert first == direct == second, question.id


@pytest.mark.parametrize("source", quiz_sources(), ids=lambda p: p.stem)
def test_shipped_sources(source):
    assert_templates_fill_every_item(qtiexport.load(source))


@settings(max_examples=60, deadline=None)
@given(strategies.quiz_sources(max_questions=12))
def test_generated_sources(source):
    assert_templates_fill_every_item(qtiexport.load(source))


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
    assert_templates_fill_every_item(quiz)


def test_the_template_points_are_not_valid_points():
    # The sentinel's decimal text marks the points slot in a template; no real question can have it.
    assert TEMPLATE_POINTS <= 0
    with pytest.raises(qtiexport.InputError):
        _bank([float(TEMPLATE_POINTS)])
