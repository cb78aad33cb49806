"""Checks the schema cannot express (unique ids, correct answers, XML-safe text) and the dict-to-model conversion."""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import to_pointer
from ..model import (
    Choice,
    Citation,
    Feedback,
    Metadata,
    MultipleResponse,
    Question,
    Quiz,
    Section,
    Settings,
    SingleChoice,
    TrueFalse,
)

# Characters XML 1.0 cannot carry (and lone surrogates, which no UTF-8 file can).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# How such a character can appear in JSON text: as an escape (\b, \f, \u0000-\u001f, \ud800-\udfff,
# \ufffe, \uffff) or as itself. Text without any of these holds none of them, whatever it decodes to.
_NOT_XML_IN_JSON = re.compile(r"\\(?:[bf]|u(?:00[01]|[dD][89a-fA-F]|[fF]{3}[eEfF]))|[\ufffe\uffff\ud800-\udfff]")

Problem = tuple[str, str, bool]  # (pointer, message, at_key)


def _questions_with_pointers(data: dict) -> list[tuple[str, dict]]:
    out = []
    if isinstance(data.get("sections"), list):
        for s, section in enumerate(data["sections"]):
            if isinstance(section, dict) and isinstance(section.get("questions"), list):
                out += [(f"/sections/{s}/questions/{q}", item) for q, item in enumerate(section["questions"])]
    if isinstance(data.get("questions"), list):
        out += [(f"/questions/{q}", item) for q, item in enumerate(data["questions"])]
    return [(p, q) for p, q in out if isinstance(q, dict)]


def semantic_problems(data: object, text: str | None = None) -> list[Problem]:
    """Return the problems the schema cannot see; works on partly invalid data, so all problems come at once.

    `text` is the JSON `data` was parsed from, if any: when it shows no way to write a character
    XML cannot carry, the walk over every string is skipped.
    """
    problems: list[Problem] = []
    if text is None or _NOT_XML_IN_JSON.search(text):
        problems += _text_problems(data, [])
    if not isinstance(data, dict):
        return problems

    seen: dict[str, str] = {}

    def claim(identifier: object, pointer: str, what: str) -> None:
        if not isinstance(identifier, str):
            return
        if identifier in seen:
            problems.append((pointer, f'duplicate id "{identifier}": {seen[identifier]} already uses it '
                             "(sections and questions share one namespace in the quiz); rename one", False))
        else:
            seen[identifier] = f"the {what} at {pointer.rsplit('/', 1)[0]}"

    if isinstance(data.get("sections"), list):
        for s, section in enumerate(data["sections"]):
            if isinstance(section, dict):
                claim(section.get("id"), f"/sections/{s}/id", "section")
    for pointer, question in _questions_with_pointers(data):
        claim(question.get("id"), f"{pointer}/id", "question")
        problems += _choice_problems(pointer, question)
    return problems


def _choice_problems(pointer: str, question: dict) -> list[Problem]:
    choices = question.get("choices")
    kind = question.get("type")
    if kind not in ("single_choice", "multiple_response") or not isinstance(choices, list):
        return []
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    correct = []
    for c, choice in enumerate(choices):
        if not isinstance(choice, dict):
            continue
        cid = choice.get("id")
        if isinstance(cid, str):
            if cid in ids:
                problems.append((f"{pointer}/choices/{c}/id", f'duplicate choice id "{cid}": choice {ids[cid]} of '
                                 "this question already uses it; choice ids must be unique within a question", False))
            else:
                ids[cid] = c
        if choice.get("correct") is True:
            correct.append(str(cid))
    where = f"{pointer}/choices"
    if kind == "single_choice" and len(correct) != 1:
        if not correct:
            problems.append((where, 'no choice is marked correct; set "correct": true on exactly one choice', False))
        else:
            problems.append((where, f"{len(correct)} choices are marked correct ({', '.join(correct)}); "
                             'a single_choice question has exactly one: keep one, or make it "multiple_response"', False))
    if kind == "multiple_response" and not correct:
        problems.append((where, 'no choice is marked correct; set "correct": true on at least one choice', False))
    return problems


def _text_problems(value: object, path: list):
    if isinstance(value, str):
        match = _NOT_XML.search(value)
        if match:
            char = match.group()
            yield (to_pointer(path), f"contains the control character U+{ord(char):04X} at character "
                   f"{match.start() + 1}, which XML cannot carry; delete it", False)
    elif isinstance(value, dict):
        for key, item in value.items():
            if _NOT_XML.search(key):
                yield (to_pointer(path + [key]), f"the property name contains a control character "
                       f"(U+{ord(_NOT_XML.search(key).group()):04X}); delete it", True)
            yield from _text_problems(item, path + [key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_problems(item, path + [index])


def _decimal(value: object) -> Decimal:
    return Decimal(str(value))


def _feedback(data: dict | None) -> Feedback | None:
    if not data:
        return None
    return Feedback(correct=data.get("correct"), incorrect=data.get("incorrect"), general=data.get("general"))


def _question(data: dict, pointer: str) -> Question:
    common = dict(
        id=data["id"],
        prompt=data["prompt"],
        points=_decimal(data.get("points", 1)),
        title=data.get("title"),
        feedback=_feedback(data.get("feedback")),
        pointer=pointer,
    )
    kind = data["type"]
    if kind == "true_false":
        labels = data.get("labels", {"true": "True", "false": "False"})
        return TrueFalse(answer=data["answer"], labels=(labels["true"], labels["false"]), **common)
    choices = tuple(
        Choice(
            id=c["id"],
            text=c["text"],
            correct=c.get("correct", False),
            feedback=c.get("feedback"),
            fixed=c.get("fixed", False),
            pointer=f"{pointer}/choices/{i}",
        )
        for i, c in enumerate(data["choices"])
    )
    if kind == "single_choice":
        return SingleChoice(choices=choices, **common)
    if kind == "multiple_response":
        return MultipleResponse(choices=choices, scoring=data.get("scoring", "all-or-nothing"), **common)
    raise AssertionError(f"unchecked question type {kind!r}")  # the schema admits no other type


def to_model(data: dict, origin: str) -> Quiz:
    """Return the model of `data`, which must already have passed the schema and the semantic checks."""
    if "sections" in data:
        sections = tuple(
            Section(
                id=s["id"],
                title=s["title"],
                instructions=s.get("instructions"),
                questions=tuple(_question(q, f"/sections/{i}/questions/{j}") for j, q in enumerate(s["questions"])),
                pointer=f"/sections/{i}",
            )
            for i, s in enumerate(data["sections"])
        )
    else:
        questions = tuple(_question(q, f"/questions/{j}") for j, q in enumerate(data["questions"]))
        sections = (Section(id=None, title=None, questions=questions),)
    meta = data.get("metadata", {})
    source = meta.get("source")
    settings = data.get("settings", {})
    return Quiz(
        id=data["id"],
        title=data["title"],
        language=data.get("language", "en"),
        description=data.get("description"),
        instructions=data.get("instructions"),
        metadata=Metadata(
            authors=tuple(meta.get("authors", ())),
            version=meta.get("version"),
            keywords=tuple(meta.get("keywords", ())),
            license=meta.get("license"),
            source=Citation(**source) if source else None,
        ),
        settings=Settings(
            passing_score=_decimal(settings["passingScore"]) if "passingScore" in settings else None,
            shuffle_choices=settings.get("shuffleChoices", False),
            shuffle_questions=settings.get("shuffleQuestions", False),
            show_feedback=settings.get("showFeedback", "after-submit"),
        ),
        sections=sections,
        has_sections="sections" in data,
        origin=origin,
    )
