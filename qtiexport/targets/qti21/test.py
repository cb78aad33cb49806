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
from ...model import Quiz, Section
from .items import Q, block_text

TEST_PART = "BaseTestPart"  # the identifier Canvas looks for first


_ITEM_REF = f"{{{QTI}}}assessmentItemRef"
_WEIGHT = f"{{{QTI}}}weight"


def _item_ref(question, href: str) -> etree._Element:
    # Canvas joins references to items by identifier (never by href) and takes the points from
    # weight@value as absolute points; outcomeProcessing below sums SCORE without weights.
    # (SubElement rather than Q: a test may hold tens of thousands of references.)
    ref = etree.Element(_ITEM_REF, identifier=question.id, href=href)
    etree.SubElement(ref, _WEIGHT, identifier="W", value=xml_decimal(question.points))
    return ref


def assessment_section(
    quiz: Quiz, section: Section, identifier: str, hrefs: dict[str, str], first: bool, canvas_shuffle_id: str | None
) -> etree._Element:
    """Return the assessmentSection of `section`; quiz instructions go into the first section's rubricBlock."""
    children: list[etree._Element] = []
    if quiz.settings.shuffle_questions:
        children.append(Q.ordering(shuffle="true"))
    rubric = []
    if first and quiz.instructions:
        rubric += block_text(quiz.instructions)
    if section.instructions:
        rubric += block_text(section.instructions)
    if rubric:
        children.append(Q.rubricBlock(*rubric, view="candidate"))
    refs = [_item_ref(q, hrefs[q.id]) for q in section.questions]
    if canvas_shuffle_id:
        # Canvas ignores choiceInteraction@shuffle and turns on "shuffle answers" when the test
        # holds any <ordering shuffle="true"/>. Shuffling an invisible one-item section changes
        # nothing in a QTI delivery engine, so this says "shuffle answers" to Canvas alone.
        refs[0] = Q.assessmentSection(
            Q.ordering(shuffle="true"),
            refs[0],
            identifier=canvas_shuffle_id,
            title=section.title or quiz.title,
            visible="false",
        )
    children += refs
    # A visible, titled section shows its heading; Canvas imports it as a text-only entry.
    visible = section.title is not None
    return Q.assessmentSection(
        *children,
        identifier=identifier,
        title=section.title or quiz.title,
        visible=xml_bool(visible),
    )


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
                    canvas_shuffle_id: str | None, test_part_id: str = TEST_PART) -> etree._Element:
    """Return the assessmentTest of `quiz`; `section_ids` name its sections, `hrefs` its items' files.

    `test_part_id` is BaseTestPart unless a section or question of the quiz is called so: the
    identifiers of a test's parts, sections and item references must not repeat.
    """
    settings = quiz.settings
    sections = [
        assessment_section(quiz, section, identifier, hrefs, index == 0,
                           canvas_shuffle_id if index == 0 else None)
        for index, (section, identifier) in enumerate(zip(quiz.sections, section_ids))
    ]
    tool, _, version = generator.partition(" ")
    return Q.assessmentTest(
        *outcome_declarations(quiz),
        Q.testPart(
            Q.itemSessionControl(showFeedback=xml_bool(settings.show_feedback != "never")),
            *sections,
            identifier=test_part_id,
            navigationMode="nonlinear",
            submissionMode="individual" if settings.show_feedback == "immediately" else "simultaneous",
        ),
        outcome_processing(quiz),
        schema_location((QTI, QTI_XSD)),
        identifier=quiz.id,
        title=quiz.title,
        toolName=tool,
        toolVersion=version or "0",
    )
