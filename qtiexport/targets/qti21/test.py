"""The QTI 2.1 assessmentTest: one testPart, one assessmentSection per source section, item references, outcomeProcessing.

Choices made where the specifications leave room (see docs/qti21.md):
- navigationMode "nonlinear": the learner may move freely between questions, as on a printed quiz;
- submissionMode "individual" when feedback shows immediately (each question is submitted and
  answered with feedback on its own), "simultaneous" otherwise (one submission at the end);
- itemSessionControl showFeedback false when the source says feedback is never shown.
"""

from __future__ import annotations

from lxml import etree

from ..._xml import QTI, QTI_XSD, xml_bool, xml_decimal, schema_location
from ...model import Question, Quiz, Section
from ...packaging.imscp import XmlWriter, stream_document
from .items import NSMAP, Q, block_text

TEST_PART = "BaseTestPart"  # the identifier Canvas looks for first

_SECTION = f"{{{QTI}}}assessmentSection"
_ITEM_REF = f"{{{QTI}}}assessmentItemRef"
_WEIGHT = f"{{{QTI}}}weight"
_ORDERING = f"{{{QTI}}}ordering"


class _ItemRefs:
    """Appends assessmentItemRefs, each a copy of one made in full (copying is twice as cheap as making)."""

    def __init__(self, hrefs: dict[str, str]):
        self.hrefs = hrefs
        self.template: etree._Element | None = None
        self.weights: dict = {}  # points -> weight@value, written once per distinct value

    def add(self, parent: etree._Element, question: Question) -> None:
        """Append the assessmentItemRef of `question` to `parent`."""
        if self.template is None:
            # Canvas joins references to items by identifier (never by href) and takes the points
            # from weight@value as absolute points; outcomeProcessing sums SCORE without weights.
            self.template = etree.SubElement(parent, _ITEM_REF, identifier=question.id, href=self.hrefs[question.id])
            etree.SubElement(self.template, _WEIGHT, identifier="W", value=self._weight(question.points))
            return
        made = self.template.__copy__()
        self.refill(made, None, question)
        parent.append(made)

    def refill(self, made: etree._Element, was: Question | None, question: Question) -> bool:
        """Set in `made`, a copy of the template (perhaps already written), every value of `question`'s reference."""
        made.set("identifier", question.id)
        made.set("href", self.hrefs[question.id])
        made[0].set("value", self._weight(question.points))
        return True  # every reference has the template's shape (see XmlWriter.write_each)

    def _weight(self, points) -> str:
        weight = self.weights.get(points)
        if weight is None:
            weight = self.weights[points] = xml_decimal(points)
        return weight


def assessment_section(
    out: XmlWriter, quiz: Quiz, section: Section, identifier: str, item_refs: _ItemRefs, first: bool,
    canvas_shuffle_id: str | None,
) -> None:
    """Write the assessmentSection of `section`; quiz instructions go into the first section's rubricBlock."""
    title = section.title or quiz.title
    # A visible, titled section shows its heading; Canvas imports it as a text-only entry.
    visible = section.title is not None
    with out.element(_SECTION, {"identifier": identifier, "title": title, "visible": xml_bool(visible)}):
        if quiz.settings.shuffle_questions:
            out.leaf(_ORDERING, {"shuffle": "true"})
        rubric = []
        if first and quiz.instructions:
            rubric += block_text(quiz.instructions)
        if section.instructions:
            rubric += block_text(section.instructions)
        if rubric:
            out.write(Q.rubricBlock(*rubric, view="candidate"))
        questions = section.questions
        if canvas_shuffle_id:
            # Canvas ignores choiceInteraction@shuffle and turns on "shuffle answers" when the test
            # holds any <ordering shuffle="true"/>. Shuffling an invisible one-item section changes
            # nothing in a QTI delivery engine, so this says "shuffle answers" to Canvas alone.
            with out.element(_SECTION, {"identifier": canvas_shuffle_id, "title": title, "visible": "false"}):
                out.leaf(_ORDERING, {"shuffle": "true"})
                out.write_each(questions[:1], item_refs.add, item_refs.refill)
            questions = questions[1:]
        out.write_each(questions, item_refs.add, item_refs.refill)


def outcome_processing(quiz: Quiz) -> etree._Element:
    rules = [
        Q.setOutcomeValue(Q.sum(Q.testVariables(variableIdentifier="SCORE")), identifier="SCORE"),
        Q.setOutcomeValue(Q.sum(Q.testVariables(variableIdentifier="MAXSCORE")), identifier="MAXSCORE"),
    ]
    passing = quiz.settings.passing_score
    if passing is not None:
        # PASS on the percentage rounded half up to 2 decimals, the value the SCORM player reports:
        # round(SCORE * 10000 / MAXSCORE) / 100 >= passingScore.
        percent = Q.divide(
            Q.round(
                Q.divide(
                    Q.product(Q.variable(identifier="SCORE"), Q.baseValue("10000", baseType="float")),
                    Q.variable(identifier="MAXSCORE"),
                )
            ),
            Q.baseValue("100", baseType="float"),
        )
        rules.append(
            Q.setOutcomeValue(Q.gte(percent, Q.baseValue(xml_decimal(passing), baseType="float")), identifier="PASS")
        )
    return Q.outcomeProcessing(*rules)


def outcome_declarations(quiz: Quiz) -> list[etree._Element]:
    out = [
        Q.outcomeDeclaration(Q.defaultValue(Q.value("0")), identifier=name, cardinality="single", baseType="float")
        for name in ("SCORE", "MAXSCORE")
    ]
    if quiz.settings.passing_score is not None:
        out.append(
            Q.outcomeDeclaration(
                Q.defaultValue(Q.value("false")), identifier="PASS", cardinality="single", baseType="boolean"
            )
        )
    return out


def assessment_test(quiz: Quiz, section_ids: list[str], hrefs: dict[str, str], generator: str,
                    canvas_shuffle_id: str | None, test_part_id: str = TEST_PART) -> bytes:
    """Return test.xml, the assessmentTest of `quiz`; `section_ids` name its sections, `hrefs` its items' files.

    `test_part_id` is BaseTestPart unless a section or question of the quiz is called so: the
    identifiers of a test's parts, sections and item references must not repeat. The document is
    streamed (packaging/imscp.py): a test may hold tens of thousands of item references.
    """
    settings = quiz.settings
    tool, _, version = generator.partition(" ")

    def content(out: XmlWriter) -> None:
        for declaration in outcome_declarations(quiz):
            out.write(declaration)
        test_part = {
            "identifier": test_part_id,
            "navigationMode": "nonlinear",
            "submissionMode": "individual" if settings.show_feedback == "immediately" else "simultaneous",
        }
        with out.element(f"{{{QTI}}}testPart", test_part):
            out.write(Q.itemSessionControl(showFeedback=xml_bool(settings.show_feedback != "never")))
            item_refs = _ItemRefs(hrefs)
            for index, (section, identifier) in enumerate(zip(quiz.sections, section_ids)):
                assessment_section(out, quiz, section, identifier, item_refs, index == 0,
                                   canvas_shuffle_id if index == 0 else None)
        out.write(outcome_processing(quiz))

    attributes = {
        "identifier": quiz.id,
        "title": quiz.title,
        "toolName": tool,
        "toolVersion": version or "0",
        **schema_location((QTI, QTI_XSD)),
    }
    return stream_document(f"{{{QTI}}}assessmentTest", attributes, NSMAP, content)
