"""The one scoring model: points per question, partial credit, percentage and pass mark; every target renders it.

The SCORM player (targets/scorm12/player/player.js) repeats these float operations in the same
order, and the QTI items express them in response processing, so all three agree to the bit.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Iterable

from .model import MultipleResponse, Question


def correct_ids(question: Question) -> frozenset[str]:
    """Return the ids of the choices that make up the correct answer."""
    return frozenset(choice.id for choice in question.choices if choice.correct)


def is_partial(question: Question) -> bool:
    return isinstance(question, MultipleResponse) and question.scoring == "partial"


def score(question: Question, chosen: Iterable[str]) -> float:
    """Return the points earned by choosing the choice ids `chosen`.

    All-or-nothing (single choice, true/false, multiple response by default): full points for
    exactly the correct set, else 0. Partial: ((correct chosen - incorrect chosen) / number
    correct) * points, never below 0.
    """
    points = float(question.points)
    selected = frozenset(chosen)
    correct = correct_ids(question)
    if is_partial(question):
        right = len(selected & correct)
        wrong = len(selected - correct)
        return max(0.0, ((right - wrong) / len(correct)) * points)
    return points if selected == correct else 0.0


def total(scores: Iterable[float]) -> float:
    """Return the sum of `scores`, added one by one from 0 in source order."""
    result = 0.0
    for value in scores:
        result += value
    return result


def percent(earned: float, maximum: float) -> float:
    """Return `earned` as a percentage of `maximum`, rounded half up to 2 decimals."""
    return math.floor(earned * 10000 / maximum + 0.5) / 100


def passed(percentage: float, passing_score: Decimal | None) -> bool | None:
    """Return whether `percentage` reaches `passing_score`; None when the quiz has no pass mark."""
    if passing_score is None:
        return None
    return percentage >= float(passing_score)
