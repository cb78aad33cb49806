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
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Callable

from lxml import etree

from ..._xml import serialize, xml_decimal
from ...model import Choice, Feedback, MultipleResponse, Question, Quiz, SingleChoice, TrueFalse
from .items import assessment_item, canvas_true_false, inline_text, paragraphs

_MARKER = re.compile("\ue000([0-9]+)[a-z]*\ue001")  # a hint may follow the index (see describe)

# Templates are built with these points; their decimal text stands for the points slot.
TEMPLATE_POINTS = Decimal("-0.0001234567")
_POINTS_TEXT = xml_decimal(TEMPLATE_POINTS)
_POINTS_SLOT = 2  # describe() makes the points the third value, after the identifier and the title


@functools.lru_cache(maxsize=64)
def _points_text(points: Decimal) -> str:
    return xml_decimal(points)


def describe(question: Question, title: str, placeholder: bool = True) -> tuple[tuple, Question | None, str, list[str]]:
    """Return (shape, placeholder question, placeholder title, values) for `question`.

    Two questions with the same shape give items that differ only where their placeholders are.
    With `placeholder` false, the placeholder question (needed only to build a new template) is
    not made, and None stands for it and for every placeholder; shape and values are the same.
    """
    values: list[str] = []

    def slot(value: str, hint: str = "") -> str | None:
        values.append(value)
        return f"\ue000{len(values) - 1}{hint}\ue001" if placeholder else None

    def text(value: str | None) -> tuple[str | None, int | None]:
        """Return (placeholder text: one placeholder per paragraph, the number of paragraphs)."""
        if not value:
            return None, None
        lines = paragraphs(value)
        markers = [slot(line) for line in lines]
        return ("\n".join(markers) if placeholder else None), len(lines)

    identifier = slot(question.id)
    placeholder_title = slot(title)
    slot(_points_text(question.points))  # _POINTS_SLOT
    prompt, prompt_shape = text(question.prompt)
    feedback, feedback_shape = None, None
    if question.feedback is not None:
        parts = [text(t) for t in (question.feedback.correct, question.feedback.incorrect, question.feedback.general)]
        feedback_shape = tuple(count for _, count in parts)
        if placeholder:
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
        made = TrueFalse(answer=question.answer, labels=labels, **common) if placeholder else None
        return shape, made, placeholder_title, values

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
    if not placeholder:
        return shape, None, placeholder_title, values
    placeholder_choices = tuple(
        Choice(id=cid, text=choice_text, correct=c.correct, feedback=fb, fixed=c.fixed)
        for (cid, choice_text, fb), c in zip(choice_slots, choices)
    )
    if isinstance(question, MultipleResponse):
        made = MultipleResponse(choices=placeholder_choices, scoring=question.scoring, **common)
    else:
        made = SingleChoice(choices=placeholder_choices, **common)
    return shape, made, placeholder_title, values


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
        elements = list(root.iter())
        for index, where, value in self.slots:
            if where is None:
                elements[index].text = values[value]
            else:
                elements[index].set(where, values[value])
        for index, where, parts in self.joined:
            value = "".join(values[p] if isinstance(p, int) else p for p in parts)
            if where is None:
                elements[index].text = value
            else:
                elements[index].set(where, value)
        return root


class ItemFactory:
    """Serialized assessmentItems for one quiz, each shape that repeats built once."""

    def __init__(self, quiz: Quiz, build: Callable[[Question, Quiz, str], etree._Element] = assessment_item):
        self.quiz = quiz
        self.build = build
        self.templates: dict[tuple, ItemTemplate] = {}
        self.seen: set[tuple] = set()  # shapes met once, not yet worth a template

    def item(self, question: Question, title: str) -> etree._Element:
        shape, _, _, values = describe(question, title, placeholder=False)
        template = self.templates.get(shape)
        if template is None:
            if shape not in self.seen:
                self.seen.add(shape)
                return self.build(question, self.quiz, title)
            _, placeholder, placeholder_title, _ = describe(question, title)
            template = self.templates[shape] = ItemTemplate(self.build(placeholder, self.quiz, placeholder_title))
        return template.fill(values)

    def serialized(self, question: Question, title: str) -> bytes:
        return serialize(self.item(question, title))

    def member(self, question: Question, title: str) -> Callable[[], bytes]:
        """Return a function of no arguments that makes the serialized item: a lazy package member."""
        return _ItemMember(self, question, title)


class _ItemMember:
    """ItemFactory.member(): one small object per item, which a package of 50,000 items holds until zipped."""

    __slots__ = ("factory", "question", "title")

    def __init__(self, factory: ItemFactory, question: Question, title: str):
        self.factory = factory
        self.question = question
        self.title = title

    def __call__(self) -> bytes:
        return self.factory.serialized(self.question, self.title)
