"""One QTI 2.1 assessmentItem per question: responseDeclaration, outcomes, itemBody, responseProcessing, feedback.

Canvas's importer (canvas-lms gems/plugins/qti_exporter/lib/qti/) reads these items too; the rules
it imposes are documented in docs/canvas.md and referred to here as "Canvas".
"""

from __future__ import annotations

from lxml import etree

from ... import scoring
from ..._xml import QTI, QTI_XSD, XML_LANG, XSI, maker, schema_location, xml_bool, xml_decimal
from ...model import MultipleResponse, Question, Quiz, SingleChoice, TrueFalse

NSMAP = {None: QTI, "xsi": XSI}
Q = maker(QTI, NSMAP)

# Canvas classifies modalFeedback by identifier: "incorrect" before "correct", "general_" as neutral.
FEEDBACK_CORRECT = "correct_fb"
FEEDBACK_INCORRECT = "general_incorrect_fb"
FEEDBACK_GENERAL = "general_fb"


def canvas_true_false(question: Question) -> bool:
    """Return whether Canvas would import `question` as a True/False question with the right answer.

    Canvas keeps its True/False type only when the first answer whose text contains "true" and
    another whose text contains "false" exist, and takes them as the true and false answers; labels
    such as "Not false"/"Not true" would be swapped, so those questions stay multiple choice.
    """
    if not isinstance(question, TrueFalse):
        return False
    true_label, false_label = (label.lower() for label in question.labels)
    return "true" in true_label and "false" in false_label


def response_identifier(question: Question) -> str:
    """Return the response variable's identifier: Canvas recognises true/false only by a "TF" prefix."""
    return "TF_RESPONSE" if canvas_true_false(question) else "RESPONSE"


def interaction_type(question: Question) -> str:
    match question:
        case SingleChoice() | MultipleResponse() | TrueFalse():
            return "choiceInteraction"
    raise TypeError(f"no QTI interaction for {type(question).__name__}")


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs of plain `text`: its non-blank lines."""
    return [line for line in text.split("\n") if line.strip()]


def block_text(text: str) -> list[etree._Element]:
    """Return one `<p>` per paragraph of `text` (text nodes only: nothing in it is markup)."""
    return [Q.p(line) for line in paragraphs(text)]


def inline_text(text: str) -> list:
    """Return `text` as inline content: one text node, its paragraphs separated by newlines.

    One node, because Canvas reads a choice's text from its first child node only.
    """
    return ["\n".join(paragraphs(text))]


def choice_feedback_id(choice_id: str) -> str:
    """Return the FEEDBACK value that shows a choice's feedbackInline (never clashes with the modal ids)."""
    return f"choice_{choice_id}"


def response_declaration(question: Question) -> etree._Element:
    correct = [choice.id for choice in question.choices if choice.correct]
    multiple = isinstance(question, MultipleResponse)
    declaration = Q.responseDeclaration(
        Q.correctResponse(*(Q.value(identifier) for identifier in correct)),
        identifier=response_identifier(question),
        cardinality="multiple" if multiple else "single",
        baseType="identifier",
    )
    if scoring.is_partial(question):
        # +1 per correct choice, -1 per incorrect one, floored at 0 by lowerBound; responseProcessing
        # turns that count into points: (count / number correct) * points.
        declaration.append(
            Q.mapping(
                *(
                    Q.mapEntry(mapKey=choice.id, mappedValue="1" if choice.correct else "-1")
                    for choice in question.choices
                ),
                lowerBound="0",
                defaultValue="0",
            )
        )
    return declaration


def outcome_declarations(question: Question) -> list[etree._Element]:
    return [
        Q.outcomeDeclaration(
            Q.defaultValue(Q.value("0")), identifier="SCORE", cardinality="single", baseType="float"
        ),
        Q.outcomeDeclaration(
            Q.defaultValue(Q.value(xml_decimal(question.points))),
            identifier="MAXSCORE",
            cardinality="single",
            baseType="float",
        ),
        Q.outcomeDeclaration(identifier="FEEDBACK", cardinality="multiple", baseType="identifier"),
    ]


def simple_choice(question: Question, choice, shuffle: bool) -> etree._Element:
    # Canvas takes the answer text from the first child node when a feedbackInline is present:
    # the text comes first, on the same line (the serializer leaves mixed content unindented).
    node = Q.simpleChoice(*inline_text(choice.text), identifier=choice.id)
    if shuffle and choice.fixed:
        node.set("fixed", "true")
    if choice.feedback:
        node.append(
            Q.feedbackInline(
                *inline_text(choice.feedback),
                outcomeIdentifier="FEEDBACK",
                identifier=choice_feedback_id(choice.id),
                showHide="show",
            )
        )
    return node


def choice_interaction(question: Question, shuffle: bool) -> etree._Element:
    """Return the choiceInteraction: maxChoices 1 for one answer, 0 (unlimited) for select-all, never the answer count."""
    shuffle = shuffle and not isinstance(question, TrueFalse)
    return Q.choiceInteraction(
        *(simple_choice(question, choice, shuffle) for choice in question.choices),
        responseIdentifier=response_identifier(question),
        shuffle=xml_bool(shuffle),
        maxChoices="0" if isinstance(question, MultipleResponse) else "1",
    )


def item_body(question: Question, shuffle: bool) -> etree._Element:
    # Canvas reads the question text from `itemBody > div`; the prompt goes there, as paragraphs.
    return Q.itemBody(Q.div(*block_text(question.prompt)), choice_interaction(question, shuffle))


def _set_score(expression: etree._Element) -> etree._Element:
    return Q.setOutcomeValue(expression, identifier="SCORE")


def _add_feedback(identifier: str) -> etree._Element:
    return Q.setOutcomeValue(
        Q.multiple(Q.variable(identifier="FEEDBACK"), Q.baseValue(identifier, baseType="identifier")),
        identifier="FEEDBACK",
    )


def _float(value) -> etree._Element:
    return Q.baseValue(xml_decimal(value), baseType="float")


def response_processing(question: Question) -> etree._Element:
    """Return responseProcessing giving exactly the source's scoring rule, and setting FEEDBACK.

    Always written inline: no standard template gives points other than 1 or sets FEEDBACK.
    """
    response = response_identifier(question)
    feedback = question.feedback
    rules: list[etree._Element] = []
    count = len(scoring.correct_ids(question))

    if isinstance(question, MultipleResponse):
        is_correct = Q.match(Q.variable(identifier=response), Q.correct(identifier=response))
    else:
        # Single cardinality: compare with the correct choice's identifier as a baseValue, the form
        # Canvas needs (with the "TF" response prefix) to recognise a true/false question.
        (correct_id,) = scoring.correct_ids(question)
        is_correct = Q.match(Q.variable(identifier=response), Q.baseValue(correct_id, baseType="identifier"))

    if_correct: list[etree._Element] = []
    if_incorrect: list[etree._Element] = []
    if scoring.is_partial(question):
        rules.append(
            _set_score(
                Q.product(
                    Q.divide(Q.mapResponse(identifier=response), _float(count)),
                    _float(question.points),
                )
            )
        )
    else:
        if_correct.append(_set_score(_float(question.points)))
        if_incorrect.append(_set_score(_float(0)))
    if feedback and feedback.correct:
        if_correct.append(_add_feedback(FEEDBACK_CORRECT))
    if feedback and feedback.incorrect:
        if_incorrect.append(_add_feedback(FEEDBACK_INCORRECT))
    if if_correct or if_incorrect:
        branches = [Q.responseIf(is_correct, *if_correct)]
        if if_incorrect:
            branches.append(Q.responseElse(*if_incorrect))
        rules.append(Q.responseCondition(*branches))
    if feedback and feedback.general:
        rules.append(_add_feedback(FEEDBACK_GENERAL))
    for choice in question.choices:
        if not getattr(choice, "feedback", None):
            continue
        chosen_value = Q.baseValue(choice.id, baseType="identifier")
        chosen = (
            Q.member(chosen_value, Q.variable(identifier=response))
            if isinstance(question, MultipleResponse)
            else Q.match(Q.variable(identifier=response), chosen_value)
        )
        rules.append(Q.responseCondition(Q.responseIf(chosen, _add_feedback(choice_feedback_id(choice.id)))))
    return Q.responseProcessing(*rules)


def modal_feedback(question: Question) -> list[etree._Element]:
    feedback = question.feedback
    if feedback is None:
        return []
    out = []
    for identifier, text in (
        (FEEDBACK_CORRECT, feedback.correct),
        (FEEDBACK_INCORRECT, feedback.incorrect),
        (FEEDBACK_GENERAL, feedback.general),
    ):
        if text:
            out.append(
                Q.modalFeedback(*block_text(text), outcomeIdentifier="FEEDBACK", identifier=identifier, showHide="show")
            )
    return out


def assessment_item(question: Question, quiz: Quiz, title: str) -> etree._Element:
    """Return the assessmentItem for `question`; its identifier is the question's id."""
    shuffle = quiz.settings.shuffle_choices
    return Q.assessmentItem(
        response_declaration(question),
        *outcome_declarations(question),
        item_body(question, shuffle),
        response_processing(question),
        *modal_feedback(question),
        schema_location((QTI, QTI_XSD)),
        {XML_LANG: quiz.language},
        identifier=question.id,
        title=title,
        adaptive="false",
        timeDependent="false",
    )
