"""Item templates: an assessmentItem is built once per shape of question, with placeholders, then copied and filled.

Question banks repeat a few shapes (single choice, four choices, one point...) thousands of
times. Building each item element by element costs most of a large build; copying a finished
tree and setting its texts and attributes is several times cheaper, and the placeholders
guarantee the copy is exactly what `assessment_item` builds (tests compare the two).

The placeholders are private-use characters (U+E000 ... U+E001) that never leave this module:
every one is replaced by the question's own value, set as text or attribute value through lxml,
so escaping stays lxml's job.
"""

from __future__ import annotations

import re
from typing import Callable

from lxml import etree

from ..._xml import serialize
from ...model import Choice, Feedback, MultipleResponse, Question, Quiz, SingleChoice, TrueFalse
from .items import assessment_item, canvas_true_false, inline_text, paragraphs

_MARKER = re.compile("\ue000([0-9]+)[a-z]*\ue001")


class _Slots:
    """Collects a question's values and hands out the placeholders that stand for them."""

    def __init__(self) -> None:
        self.values: list[str] = []

    def __call__(self, value: str, hint: str = "") -> str:
        self.values.append(value)
        return f"\ue000{len(self.values) - 1}{hint}\ue001"

    def text(self, text: str) -> str:
        """Return a placeholder text with one placeholder per paragraph of `text`."""
        return "\n".join(self(paragraph) for paragraph in paragraphs(text))


def _feedback(slot: _Slots, feedback: Feedback | None) -> tuple[Feedback | None, tuple]:
    if feedback is None:
        return None, ()
    texts = (feedback.correct, feedback.incorrect, feedback.general)
    shape = tuple(len(paragraphs(t)) if t else 0 for t in texts)
    placeholder = Feedback(*(slot.text(t) if t else None for t in texts))
    return placeholder, shape


def describe(question: Question, title: str, placeholder: bool = True) -> tuple[tuple, Question | None, str, list[str]]:
    """Return (shape, placeholder question, placeholder title, values) for `question`.

    Two questions with the same shape give items that differ only where their placeholders are.
    With `placeholder` false, the placeholder question (needed only to build a new template) is
    not made and None stands in its place; shape and values are the same.
    """
    slot = _Slots()
    identifier = slot(question.id)
    placeholder_title = slot(title)
    prompt = slot.text(question.prompt)
    feedback, feedback_shape = _feedback(slot, question.feedback)
    common = dict(id=identifier, prompt=prompt, feedback=feedback, title=None, pointer="")
    prompt_shape = len(paragraphs(question.prompt))
    if isinstance(question, TrueFalse):
        canvas = canvas_true_false(question)
        labels = (
            slot(inline_text(question.labels[0])[0], "true" if canvas else ""),
            slot(inline_text(question.labels[1])[0], "false" if canvas else ""),
        )
        shape = ("tf", question.points, question.answer, canvas, prompt_shape, feedback_shape)
        made = TrueFalse(answer=question.answer, points=question.points, labels=labels, **common) if placeholder else None
        return shape, made, placeholder_title, slot.values
    choice_slots = [
        (slot(c.id), slot(inline_text(c.text)[0]), slot(inline_text(c.feedback)[0]) if c.feedback else None)
        for c in question.choices
    ]
    choice_shape = tuple((c.correct, c.fixed, c.feedback is not None) for c in question.choices)
    if isinstance(question, MultipleResponse):
        shape = ("mr", question.scoring, question.points, prompt_shape, feedback_shape, choice_shape)
    elif isinstance(question, SingleChoice):
        shape = ("sc", question.points, prompt_shape, feedback_shape, choice_shape)
    else:
        raise TypeError(f"no item template for {type(question).__name__}")
    if not placeholder:
        return shape, None, placeholder_title, slot.values
    choices = tuple(
        Choice(id=cid, text=text, correct=c.correct, feedback=fb, fixed=c.fixed)
        for (cid, text, fb), c in zip(choice_slots, question.choices)
    )
    if isinstance(question, MultipleResponse):
        made = MultipleResponse(choices=choices, points=question.points, scoring=question.scoring, **common)
    else:
        made = SingleChoice(choices=choices, points=question.points, **common)
    return shape, made, placeholder_title, slot.values


class ItemTemplate:
    """A finished assessmentItem with placeholders, and where each one sits."""

    def __init__(self, root: etree._Element):
        self.root = root
        # (element index in document order, attribute name or None for the text, value index or parts)
        self.slots: list[tuple[int, str | None, int | list]] = []
        for index, element in enumerate(root.iter()):
            if element.text and "\ue000" in element.text:
                self.slots.append((index, None, self._parts(element.text)))
            for name, value in element.attrib.items():
                if "\ue000" in value:
                    self.slots.append((index, name, self._parts(value)))

    @staticmethod
    def _parts(template: str) -> list:
        pieces = _MARKER.split(template)  # literal, index, literal, index, ..., literal
        parts = [int(piece) if odd else piece for odd, piece in ((i % 2, p) for i, p in enumerate(pieces)) if odd or piece]
        return parts[0] if len(parts) == 1 and isinstance(parts[0], int) else parts  # a lone value: no join

    def fill(self, values: list[str]) -> etree._Element:
        """Return a copy of the template with the placeholders replaced by `values`."""
        root = self.root.__copy__()  # lxml copies the whole tree in C; copy.deepcopy adds Python overhead
        elements = list(root.iter())
        for index, where, parts in self.slots:
            if isinstance(parts, int):
                value = values[parts]
            else:
                value = "".join(values[p] if isinstance(p, int) else p for p in parts)
            if where is None:
                elements[index].text = value
            else:
                elements[index].set(where, value)
        return root


class ItemFactory:
    """Serialized assessmentItems for one quiz, each shape built once."""

    def __init__(self, quiz: Quiz, build: Callable[[Question, Quiz, str], etree._Element] = assessment_item):
        self.quiz = quiz
        self.build = build
        self.templates: dict[tuple, ItemTemplate] = {}

    def item(self, question: Question, title: str) -> etree._Element:
        shape, _, _, values = describe(question, title, placeholder=False)
        template = self.templates.get(shape)
        if template is None:
            _, placeholder, placeholder_title, _ = describe(question, title)
            template = self.templates[shape] = ItemTemplate(self.build(placeholder, self.quiz, placeholder_title))
        return template.fill(values)

    def serialized(self, question: Question, title: str) -> bytes:
        return serialize(self.item(question, title))

