"""Every shipped quiz source (source/ and examples/) loads without a problem."""

from __future__ import annotations

import pytest

import qtiexport
from support import quiz_sources


@pytest.mark.parametrize("path", quiz_sources(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_source_is_valid(path):
    quiz = qtiexport.load(path)
    assert quiz.id == path.stem
    assert quiz.questions


def test_sources_are_found():
    names = {f"{p.parent.name}/{p.name}" for p in quiz_sources()}
    assert {"source/harm-reduction-ce.json", "examples/minimal.json", "examples/all-features.json"} <= names
