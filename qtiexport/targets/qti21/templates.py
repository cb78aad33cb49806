"""Item templates: an assessmentItem is built once per shape of question, with placeholders, then copied and filled.

Question banks repeat a few shapes (single choice, four choices, feedback on the second...)
thousands of times. Building each item element by element costs most of a large build; copying
a finished tree and setting its texts and attributes is several times cheaper, and the
placeholders guarantee the copy is exactly what `assessment_item` builds (tests compare the two).

A shape is everything that changes an item's structure: the kind of question, its scoring, the
number of paragraphs of each text, which choices are correct, fixed or have feedback. Texts,
identifiers, the title and the points are values, filled into a copy of the shape's template.
The first question of a shape is built directly (most shapes of a varied quiz occur once); the
template is made when a second question of that shape comes.

Text placeholders are private-use characters (U+E000 ... U+E001) that never leave this module:
every one is replaced by the question's own value, set as text or attribute value through lxml,
so escaping stays lxml's job. The points placeholder is a sentinel number, `TEMPLATE_POINTS`,
whose decimal text is the only one an item can hold that way.

Each item is filled from its question's shape and values alone (`shape_and_values`: no
placeholder made). A serialized item needs no copy of its own either: each template keeps one
working copy, filled in place item after item (every slot whose value changed is set again) and
serialized (`ItemTemplate.serialized`).
"""

from __future__ import annotations

import functools
import re
import threading
from decimal import Decimal
from typing import Callable

from lxml import etree

from ..._xml import serialize, xml_decimal
from ...model import Choice, Feedback, MultipleResponse, Question, Quiz, SingleChoice, TrueFalse
from .items import assessment_item, canvas_true_false, inline_text, paragraphs, question_title

_MARKER = re.compile("\ue000([0-9]+)[a-z]*\ue001")  # a hint may follow the index (see describe)

# Templates are built with these points; their decimal text stands for the points slot.
TEMPLATE_POINTS = Decimal("-0.0001234567")
_POINTS_TEXT = xml_decimal(TEMPLATE_POINTS)
_POINTS_SLOT = 2  # describe() makes the points the third value, after the identifier and the title


@functools.lru_cache(maxsize=64)
def _points_text(points: Decimal) -> str:
    return xml_decimal(points)


def describe(question: Question, title: str) -> tuple[tuple, Question, str, list[str]]:
    """Return (shape, placeholder question, placeholder title, values) for `question`.

    Two questions with the same shape give items that differ only where their placeholders are.
    Only a new template needs the placeholder question; every item is filled from the shape and
    values of `shape_and_values`, which are these.
    """
    values: list[str] = []

    def slot(value: str, hint: str = "") -> str:
        values.append(value)
        return f"\ue000{len(values) - 1}{hint}\ue001"

    def text(value: str | None) -> tuple[str | None, int | None]:
        """Return (placeholder text: one placeholder per paragraph, the number of paragraphs)."""
        if not value:
            return None, None
        lines = paragraphs(value)
        return "\n".join([slot(line) for line in lines]), len(lines)

    identifier = slot(question.id)
    placeholder_title = slot(title)
    slot(_points_text(question.points))  # _POINTS_SLOT
    prompt, prompt_shape = text(question.prompt)
    feedback, feedback_shape = None, None
    if question.feedback is not None:
        parts = [text(t) for t in (question.feedback.correct, question.feedback.incorrect, question.feedback.general)]
        feedback_shape = tuple(count for _, count in parts)
        feedback = Feedback(*(placeholder_text for placeholder_text, _ in parts))
    common = dict(id=identifier, prompt=prompt, feedback=feedback, title=None, pointer="", points=TEMPLATE_POINTS)

    if isinstance(question, TrueFalse):
        canvas = canvas_true_false(question)
        # The hints keep Canvas's reading of the labels (see canvas_true_false) in the placeholders.
        labels = (
            slot(inline_text(question.labels[0])[0], "true" if canvas else ""),
            slot(inline_text(question.labels[1])[0], "false" if canvas else ""),
        )
        shape = ("tf", question.answer, canvas, prompt_shape, feedback_shape)
        return shape, TrueFalse(answer=question.answer, labels=labels, **common), placeholder_title, values

    choices = question.choices
    choice_slots = [
        (slot(c.id), slot(inline_text(c.text)[0]), slot(inline_text(c.feedback)[0]) if c.feedback else None)
        for c in choices
    ]
    choice_shape = tuple((c.correct, c.fixed, c.feedback is not None) for c in choices)
    if isinstance(question, MultipleResponse):
        shape = ("mr", question.scoring, prompt_shape, feedback_shape, choice_shape)
    elif isinstance(question, SingleChoice):
        shape = ("sc", prompt_shape, feedback_shape, choice_shape)
    else:
        raise TypeError(f"no item template for {type(question).__name__}")
    placeholder_choices = tuple(
        Choice(id=cid, text=choice_text, correct=c.correct, feedback=fb, fixed=c.fixed)
        for (cid, choice_text, fb), c in zip(choice_slots, choices)
    )
    if isinstance(question, MultipleResponse):
        made = MultipleResponse(choices=placeholder_choices, scoring=question.scoring, **common)
    else:
        made = SingleChoice(choices=placeholder_choices, **common)
    return shape, made, placeholder_title, values


def _text_values(values: list[str], text: str | None) -> int | None:
    """Append the paragraphs of `text` to `values`; return their number, None for no text (describe's text())."""
    if not text:
        return None
    if "\n" not in text:  # most texts: one line, one paragraph unless blank
        if text.strip():
            values.append(text)
            return 1
        return 0
    lines = paragraphs(text)
    values += lines
    return len(lines)


def shape_and_values(question: Question, title: str) -> tuple[tuple, list[str]]:
    """Return (shape, values) of `question`, equal to those of `describe` (tests compare them), made faster.

    Every item of a large bank is made from these: no placeholder, closure or call per value.
    """
    values = [question.id, title, _points_text(question.points)]  # _POINTS_SLOT is the third
    prompt_shape = _text_values(values, question.prompt)
    feedback = question.feedback
    if feedback is None:
        feedback_shape = None
    else:
        feedback_shape = (
            _text_values(values, feedback.correct),
            _text_values(values, feedback.incorrect),
            _text_values(values, feedback.general),
        )
    if isinstance(question, TrueFalse):
        labels = question.labels
        values.append(inline_text(labels[0])[0])
        values.append(inline_text(labels[1])[0])
        return ("tf", question.answer, canvas_true_false(question), prompt_shape, feedback_shape), values
    append = values.append
    choice_shape = []
    for choice in question.choices:
        append(choice.id)
        append(inline_text(choice.text)[0])
        choice_feedback = choice.feedback
        if choice_feedback:
            append(inline_text(choice_feedback)[0])
        choice_shape.append((choice.correct, choice.fixed, choice_feedback is not None))
    if isinstance(question, MultipleResponse):
        return ("mr", question.scoring, prompt_shape, feedback_shape, tuple(choice_shape)), values
    if isinstance(question, SingleChoice):
        return ("sc", prompt_shape, feedback_shape, tuple(choice_shape)), values
    raise TypeError(f"no item template for {type(question).__name__}")


class ItemTemplate:
    """A finished assessmentItem with placeholders, and where each one sits."""

    def __init__(self, root: etree._Element):
        self.root = root
        # (element index in document order, attribute name or None for the text, value index);
        # `joined` for texts and attributes that mix placeholders and literal text.
        self.slots: list[tuple[int, str | None, int]] = []
        self.joined: list[tuple[int, str | None, list]] = []
        for index, element in enumerate(root.iter()):
            text = element.text
            if text:
                self._find(index, None, text)
            for name, value in element.items():
                self._find(index, name, value)
        # serialized() fills a working copy in place, item after item: where its values go, the values
        # it holds (None: not known, as after a fill that failed), and a lock against another thread.
        self._working = root.__copy__()
        self._slots_of_working = self._slots_in(self._working)
        self._last: list[str] | None = None
        self._lock = threading.Lock()

    def _slots_in(self, copy: etree._Element) -> tuple[list, list, list]:
        """Return where the values go in `copy` of the template: (texts, attributes, joined), by element."""
        elements = list(copy.iter())
        return ([(elements[index], value) for index, where, value in self.slots if where is None],
                [(elements[index], where, value) for index, where, value in self.slots if where is not None],
                [(elements[index], where, parts) for index, where, parts in self.joined])

    @staticmethod
    def _set(slots: tuple[list, list, list], values: list[str], last: list[str | None]) -> None:
        """Put `values` into `slots`, skipping those equal to the `last` ones put there."""
        texts, attributes, joined = slots
        for element, value in texts:
            if values[value] != last[value]:
                element.text = values[value]
        for element, name, value in attributes:
            if values[value] != last[value]:
                element.set(name, values[value])
        for element, where, parts in joined:
            value = "".join(values[p] if isinstance(p, int) else p for p in parts)
            if where is None:
                element.text = value
            else:
                element.set(where, value)

    def _find(self, index: int, where: str | None, template: str) -> None:
        if template == _POINTS_TEXT:
            self.slots.append((index, where, _POINTS_SLOT))
        elif "\ue000" not in template:
            return
        elif lone := _MARKER.fullmatch(template):
            self.slots.append((index, where, int(lone.group(1))))
        else:
            pieces = _MARKER.split(template)  # literal, index, literal, index, ..., literal
            parts = [int(piece) if i % 2 else piece for i, piece in enumerate(pieces) if i % 2 or piece]
            self.joined.append((index, where, parts))

    def fill(self, values: list[str]) -> etree._Element:
        """Return a copy of the template with the placeholders replaced by `values`."""
        root = self.root.__copy__()  # lxml copies the whole tree in C; copy.deepcopy adds Python overhead
        self._set(self._slots_in(root), values, [None] * len(values))
        return root

    def serialized(self, values: list[str]) -> bytes:
        """Return the serialized item filled with `values`, as `serialize(self.fill(values))`, without a copy.

        The working copy is filled in place: every slot whose value differs from the last item's
        is set again, so nothing of the last item remains (questions of one shape share many values,
        such as choice identifiers). A thread that finds it in use by another fills a copy instead.
        """
        if not self._lock.acquire(blocking=False):
            return serialize(self.fill(values))
        try:
            last, self._last = self._last, None  # None until this fill is complete: a failed one leaves no trust
            self._set(self._slots_of_working, values, last or [None] * len(values))
            self._last = values[:]
            return serialize(self._working)
        finally:
            self._lock.release()


class ItemFactory:
    """Serialized assessmentItems for one quiz, each shape that repeats built once."""

    def __init__(self, quiz: Quiz, build: Callable[[Question, Quiz, str], etree._Element] = assessment_item):
        self.quiz = quiz
        self.build = build
        self.templates: dict[tuple, ItemTemplate] = {}
        self.seen: set[tuple] = set()  # shapes met once, not yet worth a template

    def _template(self, question: Question, title: str, shape: tuple) -> ItemTemplate | None:
        """Return the template of `shape`, made now if this is its second question; None for its first."""
        if shape not in self.seen:
            self.seen.add(shape)
            return None
        _, placeholder, placeholder_title, _ = describe(question, title)
        template = self.templates[shape] = ItemTemplate(self.build(placeholder, self.quiz, placeholder_title))
        return template

    def _find_template(self, question: Question, title: str) -> tuple[ItemTemplate | None, list[str]]:
        """Return the template of `question`'s shape (None: build this one directly) and its values."""
        shape, values = shape_and_values(question, title)
        return self.templates.get(shape) or self._template(question, title, shape), values

    def item(self, question: Question, title: str) -> etree._Element:
        template, values = self._find_template(question, title)
        if template is None:
            return self.build(question, self.quiz, title)
        return template.fill(values)

    def serialized(self, question: Question, title: str) -> bytes:
        template, values = self._find_template(question, title)
        if template is None:
            return serialize(self.build(question, self.quiz, title))
        return template.serialized(values)

    def member(self, question: Question, number: int) -> Callable[[], bytes]:
        """Return a function of no arguments that makes the serialized item of the `number`th question: a lazy package member."""
        return _ItemMember(self, question, number)


class _ItemMember:
    """ItemFactory.member(): one small object per item, which a package of 50,000 items holds until zipped.

    It keeps the question's number rather than its title, which most questions do not have.
    """

    __slots__ = ("factory", "question", "number")

    def __init__(self, factory: ItemFactory, question: Question, number: int):
        self.factory = factory
        self.question = question
        self.number = number

    def __call__(self) -> bytes:
        return self.factory.serialized(self.question, question_title(self.question, self.number))
