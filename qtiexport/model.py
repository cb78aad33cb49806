"""The immutable, format-neutral quiz model that the reader produces and every target writer reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Union

ShowFeedback = Literal["immediately", "after-submit", "never"]
Scoring = Literal["all-or-nothing", "partial"]


@dataclass(frozen=True, slots=True)
class Feedback:
    """Question-level feedback: `correct` and `incorrect` depend on the answer, `general` is always shown."""

    correct: str | None = None
    incorrect: str | None = None
    general: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    correct: bool = False
    feedback: str | None = None
    fixed: bool = False
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class SingleChoice:
    """Exactly one correct choice; the learner picks one."""

    id: str
    prompt: str
    choices: tuple[Choice, ...]
    points: Decimal = Decimal(1)
    title: str | None = None
    feedback: Feedback | None = None
    pointer: str = ""

    @property
    def choice_count(self) -> int:
        """How many choices the question has (a writer may need only this of every question)."""
        return len(self.choices)


@dataclass(frozen=True, slots=True)
class MultipleResponse:
    """"Select all that apply": one or more correct choices, scored all-or-nothing or with partial credit."""

    id: str
    prompt: str
    choices: tuple[Choice, ...]
    points: Decimal = Decimal(1)
    scoring: Scoring = "all-or-nothing"
    title: str | None = None
    feedback: Feedback | None = None
    pointer: str = ""

    @property
    def choice_count(self) -> int:
        """How many choices the question has (a writer may need only this of every question)."""
        return len(self.choices)


@dataclass(frozen=True, slots=True)
class TrueFalse:
    """A statement that is true or false; `labels` are what the learner sees (e.g. "Yes"/"No")."""

    id: str
    prompt: str
    answer: bool
    points: Decimal = Decimal(1)
    labels: tuple[str, str] = ("True", "False")
    title: str | None = None
    feedback: Feedback | None = None
    pointer: str = ""

    @property
    def choices(self) -> tuple[Choice, Choice]:
        """The two answers as choices with ids "true" and "false", in that order."""
        return (
            Choice(id="true", text=self.labels[0], correct=self.answer),
            Choice(id="false", text=self.labels[1], correct=not self.answer),
        )

    @property
    def choice_count(self) -> int:
        """Two: true and false."""
        return 2


Question = Union[SingleChoice, MultipleResponse, TrueFalse]


@dataclass(frozen=True, slots=True)
class Section:
    """A titled group of questions; a quiz written without sections has one section with `id` and `title` None."""

    id: str | None
    title: str | None
    questions: tuple[Question, ...]
    instructions: str | None = None
    pointer: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    passing_score: Decimal | None = None
    shuffle_choices: bool = False
    shuffle_questions: bool = False
    show_feedback: ShowFeedback = "after-submit"


@dataclass(frozen=True, slots=True)
class Citation:
    """The work a quiz is based on (`metadata.source`)."""

    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
    authors: tuple[str, ...] = ()
    version: str | None = None
    keywords: tuple[str, ...] = ()
    license: str | None = None
    source: Citation | None = None


@dataclass(frozen=True, slots=True)
class Quiz:
    """A whole quiz. `origin` names the source it was read from (a path, or "<data>")."""

    id: str
    title: str
    sections: tuple[Section, ...]
    language: str = "en"
    description: str | None = None
    instructions: str | None = None
    metadata: Metadata = Metadata()
    settings: Settings = Settings()
    has_sections: bool = True
    origin: str = "<data>"

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question in source order, across sections."""
        return tuple(q for s in self.sections for q in s.questions)
