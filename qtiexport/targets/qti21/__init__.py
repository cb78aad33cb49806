"""The QTI 2.1 target: an IMS content package with one assessmentItem per question and an assessmentTest."""

from __future__ import annotations

import functools
from typing import Callable, Iterator

from ... import ids
from ...model import Quiz
from ...packaging.imscp import Resource, assert_complete
from ...packaging.package import MANIFEST, Lazy, Package
from ..base import BuildContext, Writer
from ...packaging.xsd import SchemaSet
from .check import check
from .items import interaction_type, question_title
from .manifest import ITEM_TYPE, TEST_TYPE, imsmanifest, item_metadata
from .templates import ItemFactory
from .test import TEST_PART, assessment_test

TEST_FILE = "test.xml"


def question_titles(quiz: Quiz) -> dict[str, str]:
    """Return each question's title: its own, or "Question N" by its position in the quiz."""
    return {q.id: question_title(q, n) for n, q in enumerate(quiz.questions, start=1)}


def build(quiz: Quiz, ctx: BuildContext) -> Package:
    """Return the QTI 2.1 package of `quiz` (pure: same quiz, same bytes)."""
    taken_ids = {q.id for q in quiz.questions} | {s.id for s in quiz.sections if s.id}
    test_part_id = ids.unique(TEST_PART, taken_ids)
    section_ids = [s.id or ids.unique("section", taken_ids) for s in quiz.sections]
    canvas_shuffle_id = None
    if quiz.settings.shuffle_choices and not quiz.settings.shuffle_questions:
        canvas_shuffle_id = ids.unique("shuffle-answers", taken_ids)
    del taken_ids

    items = ItemFactory(quiz)
    taken_files = {TEST_FILE.lower(), MANIFEST.lower()}
    members: dict[str, Callable[[], bytes]] = {}
    hrefs: dict[str, str] = {}
    for number, question in enumerate(quiz.questions, start=1):
        href = "items/" + ids.unique_file_name(question.id, ".xml", taken_files)
        hrefs[question.id] = href
        # Every member is made when the zip is written, one at a time (templates make items
        # cheap; the test and the manifest are streamed), so a large package never sits in memory.
        members[href] = items.member(question, number)
    del taken_files
    # The test and the manifest are made as items are, by member workers for a large quiz; their cost
    # (in items, measured) lets the workers share the work out evenly (see packaging/workers.py).
    questions = len(hrefs)
    members[TEST_FILE] = Lazy(functools.partial(
        assessment_test, quiz, section_ids, hrefs, ctx.generator, canvas_shuffle_id, test_part_id
    ), cost=questions // 4)
    resources = _Resources(quiz, hrefs)
    assert_complete(resources, list(members))
    members[MANIFEST] = Lazy(functools.partial(imsmanifest, quiz, resources), cost=questions * 11 // 20)
    return Package.of(f"{quiz.id}-qti21", members)


class _Resources:
    """The manifest's resources: one per item, then the test's, made one at a time as the manifest is written.

    A package of 50,000 items would otherwise hold 50,000 Resource tuples, with their identifiers,
    from its build until its manifest is written.
    """

    def __init__(self, quiz: Quiz, hrefs: dict[str, str]):
        self.quiz, self.hrefs = quiz, hrefs
        self.test = Resource(f"TEST-{quiz.id}", TEST_TYPE, TEST_FILE, (TEST_FILE,), _ItemIdentifiers(quiz))

    def __len__(self) -> int:
        return len(self.hrefs) + 1

    def __iter__(self) -> Iterator[Resource]:
        metadata: dict[str, tuple] = {}
        for question in self.quiz.questions:
            kind = interaction_type(question)
            if kind not in metadata:
                metadata[kind] = (item_metadata(kind),)  # one element (and tuple) serves every item of a kind
            href = self.hrefs[question.id]
            # identifier, type, href, files, dependencies, metadata (positional: a quarter of the cost)
            yield Resource(f"ITEM-{question.id}", ITEM_TYPE, href, (href,), (), metadata[kind])
        yield self.test


class _ItemIdentifiers:
    """The test resource's dependencies: the identifier of every item resource, in order, made as they are read."""

    def __init__(self, quiz: Quiz):
        self.quiz = quiz

    def __len__(self) -> int:
        return sum(len(section.questions) for section in self.quiz.sections)

    def __iter__(self) -> Iterator[str]:
        return (f"ITEM-{question.id}" for question in self.quiz.questions)


WRITER = Writer(
    name="qti21",
    description="IMS QTI 2.1 content package (Canvas and any QTI 2.1 consumer)",
    build=build,
    manifest_kind=SchemaSet.QTI21_MANIFEST,
    check=check,
)
