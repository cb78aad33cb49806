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


def question_title(question: Question, number: int) -> str:
    """Return the title of the `number`th question of a quiz (from 1): its own, or "Question N"."""
    return question.title or f"Question {number}"


def interaction_type(question: Question) -> str:
    match question:
        case SingleChoice() | MultipleResponse() | TrueFalse():
            return "choiceInteraction"
    raise TypeError(f"no QTI interaction for {type(question).__name__}")


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs of plain `text`: its non-blank lines."""
    if "\n" not in text:  # most texts: one line
        return [text] if text.strip() else []
    return [line for line in text.split("\n") if line.strip()]


def block_text(text: str) -> list[etree._Element]:
    """Return one `<p>` per paragraph of `text` (text nodes only: nothing in it is markup)."""
    return [Q.p(line) for line in paragraphs(text)]


def inline_text(text: str) -> list:
    """Return `text` as inline content: one text node, its paragraphs separated by newlines.

    One node, because Canvas reads a choice's text from its first child node only.
    """
    if "\n" not in text:  # most texts: one line, kept unless blank (as paragraphs() would)
        return [text if text.strip() else ""]
    return ["\n".join(paragraphs(text))]


def choice_feedback_id(choice_id: str) -> str:
    """Return the FEEDBACK value that shows a choice's feedbackInline (never clashes with the modal ids)."""
    return f"choice_{choice_id}"


# Items are built top down with SubElement, each element created in its item's document: nested
# ElementMaker calls (as elsewhere) create a document per element and move every subtree into its
# parent, which made an item about twice as slow to build. Templates (templates.py) still copy
# most items of a large quiz; this is the cost of each new shape.


def _sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    """Append and return the QTI element `name` with `text` and `attributes` (in the order given)."""
    element = etree.SubElement(parent, f"{{{QTI}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def response_declaration(item: etree._Element, question: Question, response: str) -> None:
    declaration = _sub(
        item,
        "responseDeclaration",
        identifier=response,
        cardinality="multiple" if isinstance(question, MultipleResponse) else "single",
        baseType="identifier",
    )
    correct = _sub(declaration, "correctResponse")
    for choice in question.choices:
        if choice.correct:
            _sub(correct, "value", choice.id)
    if scoring.is_partial(question):
        # +1 per correct choice, -1 per incorrect one, floored at 0 by lowerBound; responseProcessing
        # turns that count into points: (count / number correct) * points.
        mapping = _sub(declaration, "mapping", lowerBound="0", defaultValue="0")
        for choice in question.choices:
            _sub(mapping, "mapEntry", mapKey=choice.id, mappedValue="1" if choice.correct else "-1")


def outcome_declarations(item: etree._Element, question: Question) -> None:
    for identifier, default in (("SCORE", "0"), ("MAXSCORE", xml_decimal(question.points))):
        declaration = _sub(item, "outcomeDeclaration", identifier=identifier, cardinality="single", baseType="float")
        _sub(_sub(declaration, "defaultValue"), "value", default)
    _sub(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")


def simple_choice(interaction: etree._Element, choice, shuffle: bool) -> None:
    # Canvas takes the answer text from the first child node when a feedbackInline is present:
    # the text comes first, on the same line (the serializer leaves mixed content unindented).
    node = _sub(interaction, "simpleChoice", *inline_text(choice.text), identifier=choice.id)
    if shuffle and choice.fixed:
        node.set("fixed", "true")
    if choice.feedback:
        _sub(
            node,
            "feedbackInline",
            *inline_text(choice.feedback),
            outcomeIdentifier="FEEDBACK",
            identifier=choice_feedback_id(choice.id),
            showHide="show",
        )


def choice_interaction(body: etree._Element, question: Question, shuffle: bool, response: str) -> None:
    """Append the choiceInteraction: maxChoices 1 for one answer, 0 (unlimited) for select-all, never the answer count."""
    shuffle = shuffle and not isinstance(question, TrueFalse)
    interaction = _sub(
        body,
        "choiceInteraction",
        responseIdentifier=response,
        shuffle=xml_bool(shuffle),
        maxChoices="0" if isinstance(question, MultipleResponse) else "1",
    )
    for choice in question.choices:
        simple_choice(interaction, choice, shuffle)


def item_body(item: etree._Element, question: Question, shuffle: bool, response: str) -> None:
    # Canvas reads the question text from `itemBody > div`; the prompt goes there, as paragraphs.
    body = _sub(item, "itemBody")
    div = _sub(body, "div")
    for line in paragraphs(question.prompt):
        _sub(div, "p", line)
    choice_interaction(body, question, shuffle, response)


def _set_score(parent: etree._Element, value) -> None:
    _float(_sub(parent, "setOutcomeValue", identifier="SCORE"), value)


def _add_feedback(parent: etree._Element, identifier: str) -> None:
    multiple = _sub(_sub(parent, "setOutcomeValue", identifier="FEEDBACK"), "multiple")
    _sub(multiple, "variable", identifier="FEEDBACK")
    _sub(multiple, "baseValue", identifier, baseType="identifier")


def _float(parent: etree._Element, value) -> None:
    _sub(parent, "baseValue", xml_decimal(value), baseType="float")


def response_processing(item: etree._Element, question: Question, response: str) -> None:
    """Append responseProcessing giving exactly the source's scoring rule, and setting FEEDBACK.

    Always written inline: no standard template gives points other than 1 or sets FEEDBACK.
    """
    processing = _sub(item, "responseProcessing")
    feedback = question.feedback
    multiple = isinstance(question, MultipleResponse)
    partial = scoring.is_partial(question)
    if partial:
        product = _sub(_sub(processing, "setOutcomeValue", identifier="SCORE"), "product")
        divide = _sub(product, "divide")
        _sub(divide, "mapResponse", identifier=response)
        _float(divide, len(scoring.correct_ids(question)))
        _float(product, question.points)
    if_correct = not partial or bool(feedback and feedback.correct)
    if_incorrect = not partial or bool(feedback and feedback.incorrect)
    if if_correct or if_incorrect:
        condition = _sub(processing, "responseCondition")
        branch = _sub(condition, "responseIf")
        is_correct = _sub(branch, "match")
        _sub(is_correct, "variable", identifier=response)
        if multiple:
            _sub(is_correct, "correct", identifier=response)
        else:
            # Single cardinality: compare with the correct choice's identifier as a baseValue, the form
            # Canvas needs (with the "TF" response prefix) to recognise a true/false question.
            (correct_id,) = scoring.correct_ids(question)
            _sub(is_correct, "baseValue", correct_id, baseType="identifier")
        if not partial:
            _set_score(branch, question.points)
        if feedback and feedback.correct:
            _add_feedback(branch, FEEDBACK_CORRECT)
        if if_incorrect:
            otherwise = _sub(condition, "responseElse")
            if not partial:
                _set_score(otherwise, 0)
            if feedback and feedback.incorrect:
                _add_feedback(otherwise, FEEDBACK_INCORRECT)
    if feedback and feedback.general:
        _add_feedback(processing, FEEDBACK_GENERAL)
    for choice in question.choices:
        if not getattr(choice, "feedback", None):
            continue
        branch = _sub(_sub(processing, "responseCondition"), "responseIf")
        if multiple:
            chosen = _sub(branch, "member")
            _sub(chosen, "baseValue", choice.id, baseType="identifier")
            _sub(chosen, "variable", identifier=response)
        else:
            chosen = _sub(branch, "match")
            _sub(chosen, "variable", identifier=response)
            _sub(chosen, "baseValue", choice.id, baseType="identifier")
        _add_feedback(branch, choice_feedback_id(choice.id))


def modal_feedback(item: etree._Element, question: Question) -> None:
    feedback = question.feedback
    if feedback is None:
        return
    for identifier, text in (
        (FEEDBACK_CORRECT, feedback.correct),
        (FEEDBACK_INCORRECT, feedback.incorrect),
        (FEEDBACK_GENERAL, feedback.general),
    ):
        if text:
            node = _sub(item, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier=identifier, showHide="show")
            for line in paragraphs(text):
                _sub(node, "p", line)


def assessment_item(question: Question, quiz: Quiz, title: str) -> etree._Element:
    """Return the assessmentItem for `question`; its identifier is the question's id."""
    item = etree.Element(
        f"{{{QTI}}}assessmentItem",
        {
            "identifier": question.id,
            "title": title,
            "adaptive": "false",
            "timeDependent": "false",
            **schema_location((QTI, QTI_XSD)),
            XML_LANG: quiz.language,
        },
        nsmap=NSMAP,
    )
    response = response_identifier(question)
    response_declaration(item, question, response)
    outcome_declarations(item, question)
    item_body(item, question, quiz.settings.shuffle_choices, response)
    response_processing(item, question, response)
    modal_feedback(item, question)
    return item
