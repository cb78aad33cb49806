"""The quiz as the SCORM player reads it: a JSON document embedded in index.html, never spliced into JavaScript."""

from __future__ import annotations

import functools
import json
import math
import re
from decimal import Decimal

from ... import scoring
from ...errors import Diagnostic
from ...model import MultipleResponse, Question, Quiz, TrueFalse

# Format 2: a question or choice leaves out each field that has its default (question_data; the
# defaults are listed in docs/scorm12.md). A choice's `response` is RESPONSE_CHARS[i]
# (TRUE_FALSE_RESPONSES[i] for true/false) for the i-th choice, and a question's `weighting` its
# points; player.js fills them in the same way (withDefaults).
FORMAT = 2
# SCORM 1.2 reports a choice as one character: the i-th choice (source order) is RESPONSE_CHARS[i].
RESPONSE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
TRUE_FALSE_RESPONSES = "tf"  # a true/false question reports "t" or "f"
MAX_WEIGHTING = 100  # cmi.interactions.n.weighting is limited to -100..100 (Moodle enforces it)
SUSPEND_DATA_LIMIT = 4096  # SCORM 1.2 cmi.suspend_data: CMIString4096
QUIZ_DATA_ELEMENT = '<script type="application/json" id="quiz-data"></script>'
_TITLE = re.compile(r"<title>[^<]*</title>")


@functools.lru_cache(maxsize=64)
def _number(value: Decimal) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def question_type(question: Question) -> str:
    match question:
        case TrueFalse():
            return "true_false"
        case MultipleResponse():
            return "multiple_response"
        case _:
            return "single_choice"


def weighting_warnings(quiz: Quiz) -> list[Diagnostic]:
    """Return a warning for each question whose points exceed what cmi.interactions.n.weighting holds."""
    return [
        Diagnostic(
            f"{question.pointer}/points",
            f"{_number(question.points)} points exceed SCORM 1.2's interaction weighting range (-100..100); "
            "cmi.interactions weighting is capped at 100 (the score itself is unaffected)",
            severity="warning",
            file=quiz.origin,
        )
        for question in quiz.questions
        if _number(question.points) > MAX_WEIGHTING
    ]


def question_data(question: Question) -> dict:
    points = _number(question.points)
    weighting = min(points, MAX_WEIGHTING)  # weighting_warnings() tells of the cap
    choices = question.choices
    responses = TRUE_FALSE_RESPONSES if isinstance(question, TrueFalse) else RESPONSE_CHARS
    if len(choices) > len(responses):
        raise ValueError(f"{question.pointer}: {len(choices)} choices; SCORM responses name at most {len(responses)}")
    data = {"id": question.id, "type": question_type(question), "prompt": question.prompt, "points": points}
    # Only what differs from the defaults (title none, weighting the points, scoring all-or-nothing,
    # no feedback; a choice not correct, not fixed, without feedback): about 40 % less JSON for a
    # typical bank, to write, deflate and parse in the browser.
    if question.title is not None:
        data["title"] = question.title
    if weighting != points:
        data["weighting"] = weighting
    if isinstance(question, MultipleResponse) and question.scoring != "all-or-nothing":
        data["scoring"] = question.scoring
    choice_data = []
    for choice in choices:
        entry = {"id": choice.id, "text": choice.text}
        if choice.correct:
            entry["correct"] = True
        if choice.feedback is not None:
            entry["feedback"] = choice.feedback
        if choice.fixed:
            entry["fixed"] = True
        choice_data.append(entry)
    data["choices"] = choice_data
    feedback = question.feedback
    if feedback is not None:
        data["feedback"] = {key: value for key, value in (
            ("correct", feedback.correct), ("incorrect", feedback.incorrect), ("general", feedback.general))
            if value is not None}
    return data


def quiz_data(quiz: Quiz) -> dict:
    """Return the player's data for `quiz` (the contract is documented in docs/scorm12.md)."""
    settings = quiz.settings
    return {
        "format": FORMAT,
        "id": quiz.id,
        "title": quiz.title,
        "language": quiz.language,
        "description": quiz.description,
        "instructions": quiz.instructions,
        "passingScore": _number(settings.passing_score) if settings.passing_score is not None else None,
        "shuffleChoices": settings.shuffle_choices,
        "shuffleQuestions": settings.shuffle_questions,
        "showFeedback": settings.show_feedback,
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "instructions": section.instructions,
                "questions": [question_data(q) for q in section.questions],
            }
            for section in quiz.sections
        ],
    }


def max_suspend_data(quiz: Quiz) -> int:
    """Return the longest cmi.suspend_data the player can write for `quiz`.

    The player's state is `2|<seed>|<flags>|<answers>`: a header of at most 16 characters, then
    one bitstream of all questions' answers at 6 bits per character. A question's field takes
    n bits for a multiple_response question with n choices, else the bit length of n (the
    smallest w with 2**w > n: 0 for no answer, or 1 + the chosen choice's index).
    """
    bits = sum(
        q.choice_count if isinstance(q, MultipleResponse) else q.choice_count.bit_length() for q in quiz.questions
    )
    return 16 + math.ceil(bits / 6)


def render_index(template: str, data: dict) -> str:
    """Return index.html with `data` as the text of the quiz-data element and the title filled in.

    The JSON has <, > and & escaped as \\u003c, \\u003e and \\u0026, so no text in it can end the
    script element or be read as markup; the player reads it with JSON.parse.
    """
    if template.count(QUIZ_DATA_ELEMENT) != 1 or len(_TITLE.findall(template)) != 1:
        raise AssertionError("player/index.html must hold one empty quiz-data element and one <title>")
    import html  # here: the page is made by a member worker, off the build's start

    title = html.escape(data["title"], quote=False)
    template = _TITLE.sub(lambda _match: f"<title>{title}</title>", template, count=1)
    # The data is a tree: no need for the encoder's check for circular references. Key order is the
    # code's: deterministic.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    payload = payload.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    before, after = template.split(QUIZ_DATA_ELEMENT)
    opening = QUIZ_DATA_ELEMENT.removesuffix("</script>")
    return "".join((before, opening, payload, "</script>", after))
