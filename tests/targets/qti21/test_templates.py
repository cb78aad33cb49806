"""Item templates give byte for byte the item that assessment_item builds directly, for every question of every shape."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given

import qtiexport
from qtiexport._xml import serialize
from qtiexport.targets.qti21 import question_titles
from qtiexport.targets.qti21.items import assessment_item
from qtiexport.targets.qti21.templates import ItemFactory
from support import REPO, quiz_sources

_spec = importlib.util.spec_from_file_location("quiz_strategies", REPO / "tests" / "property" / "strategies.py")
strategies = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(strategies)


def assert_same_items(quiz):
    factory = ItemFactory(quiz)
    titles = question_titles(quiz)
    for question in quiz.questions:
        direct = serialize(assessment_item(question, quiz, titles[question.id]))
        assert factory.serialized(question, titles[question.id]) == direct, question.id


@pytest.mark.parametrize("source", quiz_sources(), ids=lambda p: p.stem)
def test_shipped_sources(source):
    assert_same_items(qtiexport.load(source))


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
