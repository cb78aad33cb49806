"""Checks the schema cannot express (unique ids, correct answers, XML-safe text) and the dict-to-model conversion."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
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
# Its two halves, searched apart because that is quicker (see _may_hold_non_xml).
_NOT_XML_ESCAPE = re.compile(r"\\(?:[bf]|u(?:00[01]|[dD][89a-fA-F]|[fF]{3}[eEfF]))")
_NOT_XML_CHAR = re.compile("[\ufffe\uffff\ud800-\udfff]")

Problem = tuple[str, str, bool]  # (pointer, message, at_key)


def _questions(data: dict):
    """Yield (section index or None, question index, question) for every question object, sections' first."""
    sections = data.get("sections")
    if isinstance(sections, list):
        for s, section in enumerate(sections):
            if isinstance(section, dict):
                questions = section.get("questions")
                if isinstance(questions, list):
                    for q, item in enumerate(questions):
                        if isinstance(item, dict):
                            yield s, q, item
    questions = data.get("questions")
    if isinstance(questions, list):
        for q, item in enumerate(questions):
            if isinstance(item, dict):
                yield None, q, item


def _owner(s: int | None, q: int | None) -> str:
    """Return the pointer of section `s`, of question `q` of section `s`, or (`s` None) of top-level question `q`."""
    if q is None:
        return f"/sections/{s}"
    return f"/questions/{q}" if s is None else f"/sections/{s}/questions/{q}"


def _may_hold_non_xml(text: str) -> bool:
    """Return whether `_NOT_XML_IN_JSON` matches somewhere in `text`, some twenty times faster on a large text.

    The escapes all start with a backslash, a literal the regular expression engine skips to quickly
    (the alternation as a whole makes it try every position), and an ASCII text (known at once)
    cannot hold the characters themselves.
    """
    return bool(_NOT_XML_ESCAPE.search(text)) or not text.isascii() and bool(_NOT_XML_CHAR.search(text))


def semantic_problems(data: object, text: str | None = None) -> list[Problem]:
    """Return the problems the schema cannot see; works on partly invalid data, so all problems come at once.

    `text` is the JSON `data` was parsed from, if any: when it shows no way to write a character
    XML cannot carry, the walk over every string is skipped.
    """
    problems: list[Problem] = []
    if text is None or _may_hold_non_xml(text):
        problems += _text_problems(data, [])
    if not isinstance(data, dict):
        return problems

    # Pointers and messages are made only for a problem found: a valid quiz needs none.
    seen: dict[str, tuple[int | None, int | None]] = {}  # id -> where it was first used (see _owner)

    def claim(identifier: object, s: int | None, q: int | None) -> None:
        if not isinstance(identifier, str):
            return
        first = seen.get(identifier)
        if first is None:
            seen[identifier] = (s, q)
            return
        what = "section" if first[1] is None else "question"
        problems.append((f"{_owner(s, q)}/id", f'duplicate id "{identifier}": the {what} at {_owner(*first)} already '
                         "uses it (sections and questions share one namespace in the quiz); rename one", False))

    if isinstance(data.get("sections"), list):
        for s, section in enumerate(data["sections"]):
            if isinstance(section, dict):
                claim(section.get("id"), s, None)
    for s, q, question in _questions(data):
        claim(question.get("id"), s, q)
        kind = question.get("type")
        if kind in _CHOICE_KINDS:  # a tuple: `kind` may be any JSON value, even a list (see question_fine too)
            choices = question.get("choices")
            if isinstance(choices, list) and not _choices_fine(kind, choices):
                problems += _choice_problems(_owner(s, q), question)
    return problems


_CHOICE_KINDS = ("single_choice", "multiple_response")


def question_fine(question: dict, ids: set) -> bool:
    """Return whether `semantic_problems` would find nothing in `question` (which passed the schema), claiming its id in `ids`.

    For a quiz checked question by question (see concurrent.start_walk); its text is checked apart.
    """
    if not claim_id(question["id"], ids):
        return False
    kind = question["type"]
    return kind not in _CHOICE_KINDS or _choices_fine(kind, question["choices"])


def claim_id(identifier: str, ids: set) -> bool:
    """Add `identifier` to `ids`; return False if it was there already (sections and questions share one namespace)."""
    if identifier in ids:
        return False
    ids.add(identifier)
    return True


def _choices_fine(kind: str, choices: list) -> bool:
    """Return whether `_choice_problems` would find nothing in `choices` (quickly: no pointers, no messages)."""
    ids = set()
    correct = 0
    for choice in choices:
        if isinstance(choice, dict):
            cid = choice.get("id")
            if isinstance(cid, str):
                if cid in ids:
                    return False
                ids.add(cid)
            if choice.get("correct") is True:
                correct += 1
    return correct == 1 if kind == "single_choice" else correct > 0


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


def _draft(cls: type) -> type:
    """Return a plain class with the slots of the frozen dataclass `cls`, to make many `cls` objects quickly.

    An instance of it, filled in attribute by attribute and then given `cls` as its class, is a `cls`
    equal in every way to one made by `cls(...)`, without the frozen `__init__`'s object.__setattr__
    per field (most of the cost of converting a large quiz). Python refuses the class change if the
    two layouts ever differed; tests/reader/test_fast_paths.py checks every field is set.
    """
    return type(f"_{cls.__name__}Draft", (), {"__slots__": cls.__slots__})


_ChoiceDraft = _draft(Choice)
_SingleChoiceDraft = _draft(SingleChoice)
_MultipleResponseDraft = _draft(MultipleResponse)
_TrueFalseDraft = _draft(TrueFalse)
_FeedbackDraft = _draft(Feedback)

_ONE = Decimal(1)  # the default points, shared: a Decimal is immutable


def _choice_suffixes(count: int) -> tuple[str, ...]:
    """Return "/choices/0" ... for `count` choices: a choice's pointer is its question's and one of these."""
    return tuple(f"/choices/{i}" for i in range(count))


_CHOICE_SUFFIXES = _choice_suffixes(36)  # the schema's maxItems; more would still work
_TRUE_FALSE = ("True", "False")


class _Converter:
    """Converts questions (dicts that passed the schema and the semantic checks) into model objects.

    Equal point values share one Decimal, and, for data the reader parsed itself (`share`: its
    strings are all plain `str`), equal choice ids share one string ("yes", "no", "opt1" ... repeat in
    every question of a bank; one-letter ids are shared by Python already).
    """

    def __init__(self, share: bool):
        self._points: dict[str, Decimal] = {}
        self._share = share

    def question(self, data: dict, pointer: str) -> Question:
        kind = data["type"]
        q = _DRAFT_OF[kind]()
        self.head(q, data, setattr)
        q.prompt = data["prompt"]
        feedback = data.get("feedback")
        q.feedback = _feedback(feedback) if feedback else None
        q.pointer = pointer
        if kind != "true_false":
            q.choices = self._choices(data["choices"], pointer)
        q.__class__ = _MODEL_OF[type(q)]
        return q

    def head(self, q: object, data: dict, put: Callable[[object, str, object], None]) -> None:
        """Give `q` (by `put(q, name, value)`) every field of the question `data` but its text: prompt, choices, feedback."""
        get = data.get
        kind = data["type"]
        if kind == "multiple_response":
            put(q, "scoring", get("scoring", "all-or-nothing"))
        elif kind == "true_false":
            put(q, "answer", data["answer"])
            labels = get("labels")
            put(q, "labels", _TRUE_FALSE if labels is None else (labels["true"], labels["false"]))
        elif kind != "single_choice":
            raise AssertionError(f"unchecked question type {kind!r}")  # the schema admits no other type
        put(q, "id", data["id"])
        points = get("points")
        put(q, "points", _ONE if points is None else self._decimal(points))
        put(q, "title", get("title"))

    def _decimal(self, value: object) -> Decimal:
        text = str(value)
        made = self._points.get(text)
        if made is None:
            made = self._points[text] = Decimal(text)
        return made

    def _choices(self, items: list, pointer: str) -> tuple[Choice, ...]:
        share = sys.intern if self._share else None
        suffixes = _CHOICE_SUFFIXES if len(items) <= len(_CHOICE_SUFFIXES) else _choice_suffixes(len(items))
        out = []
        for suffix, c in zip(suffixes, items):
            get = c.get
            choice = _ChoiceDraft()
            choice.id = share(c["id"]) if share else c["id"]
            choice.text = c["text"]
            choice.correct = get("correct", False)
            choice.feedback = get("feedback")
            choice.fixed = get("fixed", False)
            choice.pointer = pointer + suffix
            choice.__class__ = Choice
            out.append(choice)
        return tuple(out)

    def questions(self, items: list, prefix: str, consume: bool) -> tuple[Question, ...]:
        """Return the questions in `items`, the one at index j with pointer `prefix` + j; if `consume`,
        each item of `items` is replaced by None once converted, so its dict can go."""
        out = []
        for j, item in enumerate(items):
            out.append(self.question(item, f"{prefix}{j}"))
            if consume:
                items[j] = None
        return tuple(out)


_MODEL_OF = {
    _SingleChoiceDraft: SingleChoice,
    _MultipleResponseDraft: MultipleResponse,
    _TrueFalseDraft: TrueFalse,
}
_DRAFT_OF = {"single_choice": _SingleChoiceDraft, "multiple_response": _MultipleResponseDraft,
             "true_false": _TrueFalseDraft}


def _feedback(data: dict | None) -> Feedback | None:
    if not data:
        return None
    feedback = _FeedbackDraft()
    feedback.correct = data.get("correct")
    feedback.incorrect = data.get("incorrect")
    feedback.general = data.get("general")
    feedback.__class__ = Feedback
    return feedback


def to_model(data: dict, origin: str, *, consume: bool = False, prebuilt: bool = False) -> Quiz:
    """Return the model of `data`, which must already have passed the schema and the semantic checks.

    With `consume` (for data the reader parsed itself, never a caller's), every question in `data`
    is replaced by None as soon as it is converted, so that the parsed data and the model of a large
    quiz are never both whole in memory; `data` is then of no further use. With `prebuilt`, each
    array of questions in `data` already holds model questions (see reader/deferred.py).
    """
    convert = _Converter(share=consume)

    def questions(items: list, prefix: str) -> tuple[Question, ...]:
        return tuple(items) if prebuilt else convert.questions(items, prefix, consume)
    if "sections" in data:
        sections = tuple(
            Section(
                id=s["id"],
                title=s["title"],
                instructions=s.get("instructions"),
                questions=questions(s["questions"], f"/sections/{i}/questions/"),
                pointer=f"/sections/{i}",
            )
            for i, s in enumerate(data["sections"])
        )
    else:
        sections = (Section(id=None, title=None, questions=questions(data["questions"], "/questions/")),)
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
