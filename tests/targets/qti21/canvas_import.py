"""An emulation of the parts of Canvas's QTI 2.1 importer that decide what a teacher gets.

Written from the canvas-lms sources (instructure/canvas-lms), as summarised in the project's research
notes (Part 1). Every rule cites its file; abbreviations:

    QTI   = gems/plugins/qti_exporter/lib/qti/
    CONV  = QTI/converter.rb                       (Qti::Converter: is_qti_2)
    QTIRB = gems/plugins/qti_exporter/lib/qti.rb   (convert_questions, convert_assessments)
    ITEM  = QTI/assessment_item_converter.rb       (create_instructure_question, get_feedback, ...)
    GUESS = QTI/question_type_educated_guesser.rb
    CHOICE= QTI/choice_interaction.rb              (get_answers, process_response_conditions, ...)
    HTML  = QTI/html_helper.rb                     (clear_html, sanitize_html!, detect_html)
    TEST  = QTI/assessment_test_converter.rb       (parse_quiz_data, process_section, process_question)
    QIMP  = app/models/importers/quiz_importer.rb  (import_questions: references joined by migration_id)
    QQIMP = app/models/importers/quiz_question_importer.rb (points of a reference)
    AQIMP = app/models/importers/assessment_question_importer.rb (aq_data, prep_for_import)

Canvas reads XML with Nokogiri CSS selectors; an unprefixed name in a selector means "in the default
namespace of the document's root" (nokogiri lib/nokogiri/css/xpath_visitor.rb). `_Doc` below does the
same: every element name is looked up in the root's default namespace.

Not emulated (reported, never silently approximated where it matters to the tests):
- CanvasSanitize (Sanitize.clean_node!) of question text, answer html and feedback: our markup is
  only <p>, <br/> and text, all of which it keeps;
- migration.convert_html (links to course files) of question text, answer html and comments html;
- <instructureMetadata> fields, flavors (D2L, Respondus, BB, Angel, WebCT), matching / text entry /
  other interactions (an item that is not a choiceInteraction is returned with its guessed type and
  no answers);
- quiz settings other than title, shuffle_answers, allowed_attempts, show_correct_answers and time_limit.
"""

from __future__ import annotations

import html as _html
import re
from urllib.parse import unquote

from lxml import etree

# CONV: QTI_2_NAMESPACES, QTI_2_1_URL, ..., IMS_MD
QTI_2_NAMESPACES = (
    "http://www.imsglobal.org/xsd/imsqti_v2p0",
    "http://www.imsglobal.org/xsd/imsqti_v2p1",
    "http://www.imsglobal.org/xsd/qti/qtiv2p0",
    "http://www.imsglobal.org/xsd/qti/qtiv2p1",
)
QTI_2_1_URL = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_2_0_URL = "http://www.imsglobal.org/xsd/imsqti_v2p0"
QTI_2_0_ITEM_URL = "http://www.imsglobal.org/xsd/imsqti_item_v2p0"
QTI_2_1_ITEM_URL = "http://www.imsglobal.org/xsd/imsqti_item_v2p1"
IMS_MD = "http://www.imsglobal.org/xsd/imsmd_v1p2"

DEFAULT_CORRECT_WEIGHT = 100  # ITEM
DEFAULT_INCORRECT_WEIGHT = 0  # ITEM
DEFAULT_POINTS_POSSIBLE = 1  # ITEM and TEST
DEFAULT_ANSWER_TEXT = "No answer text provided."  # CHOICE
EXCLUDED_QUESTION_TEXT_CLASSES = ("RESPONSE_BLOCK", "RIGHT_MATCH_BLOCK")  # ITEM
MAX_QUESTION_TEXT = 16 * 1024  # AQIMP prep_for_import: hash[:question_text].length > 16.kilobytes


class NotQti2(Exception):
    """CONV is_qti_2 is false: Canvas would run its QTI 1.2 -> 2.1 Python converter instead."""


# ---- Ruby string helpers ---------------------------------------------------------------------

_RUBY_SPACE = " \t\n\v\f\r\0"  # String#strip
_RUBY_WS_RUN = re.compile(r"[ \t\r\n\f\v]+")  # /\s+/ (ASCII only in Ruby)


def strip_ruby(text: str) -> str:
    return text.strip(_RUBY_SPACE)


def collapse(text: str) -> str:
    return _RUBY_WS_RUN.sub(" ", text)


def clear_html(text: str) -> str:
    """HTML clear_html: strips anything that looks like a tag and entity references from *unescaped* text."""
    text = re.sub(r"</?[^>\n]*>", "", text)

    def char(match):
        try:
            return chr(int(match.group(0)[2:-1]))
        except (ValueError, OverflowError):
            return ""

    text = re.sub(r"&#\d+;", char, text)
    text = re.sub(r"&\w+;", "", text)
    return re.sub(r"(?:\\r\\n)+", "\n", text)


def cgi_escape_html(text: str) -> str:
    """Ruby CGI.escapeHTML."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
    )


def ruby_to_f(text: str) -> float:
    match = re.match(r"\s*[-+]?(\d[\d_]*)?(\.\d+)?([eE][-+]?\d+)?", text)
    try:
        return float(match.group(0).replace("_", "")) if match and match.group(0).strip() else 0.0
    except ValueError:
        return 0.0


def ruby_to_i(text: str) -> int:
    match = re.match(r"\s*[-+]?\d+", text)
    return int(match.group(0)) if match else 0


# ---- Nokogiri-like access ---------------------------------------------------------------------


class _Doc:
    """An XML document queried like Nokogiri: names in the root's default namespace."""

    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        self.ns = self.root.nsmap.get(None)

    def xp(self, node, path: str, **variables) -> list:
        """XPath where `d:name` means `name` in the default namespace (or no namespace)."""
        if self.ns is None:
            path = path.replace("d:", "")
            return node.xpath(path, **variables)
        return node.xpath(path, namespaces={"d": self.ns}, **variables)

    def first(self, node, path: str):
        found = self.xp(node, path)
        return found[0] if found else None

    def name(self, element) -> str:
        """Nokogiri Node#name: the local name, whatever the namespace."""
        return etree.QName(element).localname if isinstance(element.tag, str) else ""


def text_of(node) -> str:
    """Nokogiri Node#text: all descendant text."""
    if isinstance(node, str):
        return node
    if not isinstance(node.tag, str):  # comment / PI
        return node.text or ""
    return "".join(node.itertext())


def child_nodes(node) -> list:
    """Nokogiri Node#children: text nodes (as str) and elements, in order."""
    out: list = []
    if node.text:
        out.append(node.text)
    for child in node:
        out.append(child)
        if child.tail:
            out.append(child.tail)
    return out


_NS_DECL = re.compile(r'\s+xmlns(?::[\w.-]+)?="[^"]*"')


def outer_html(node) -> str:
    if isinstance(node, str):
        return _html.escape(node, quote=False)
    return _NS_DECL.sub("", etree.tostring(node, encoding="unicode", with_tail=False))


def inner_html(node) -> str:
    """Nokogiri inner_html: the children serialized (the element's own tag and namespaces dropped)."""
    return "".join(outer_html(child) for child in child_nodes(node))


def _is_blank_or_br(child) -> bool:
    if isinstance(child, str):
        return re.fullmatch(r"\s+", child) is not None
    return isinstance(child.tag, str) and etree.QName(child).localname.lower() == "br"


def sanitize_html(node, remove_extraneous_nodes: bool = False, on_node=None) -> str:
    """HTML sanitize_html!: inner_html of the node (Sanitize itself not emulated).

    With remove_extraneous_nodes: leading/trailing blank text and <br> children are dropped, and a
    lone attribute-less p/div/span child is descended into, repeatedly. Works on a copy.
    """
    node = _copy(node)
    if remove_extraneous_nodes:
        while True:
            children = child_nodes(node)
            while children and _is_blank_or_br(children[0]):
                _remove(node, children.pop(0))
                children = child_nodes(node)
            while children and _is_blank_or_br(children[-1]):
                _remove(node, children.pop())
                children = child_nodes(node)
            if not (
                len(children) == 1
                and not isinstance(children[0], str)
                and isinstance(children[0].tag, str)
                and etree.QName(children[0]).localname in ("p", "div", "span")
            ):
                break
            if children[0].attrib and children[0].get("class") not in ("FORMATTED_TEXT_BLOCK", "flow_1"):
                break
            node = children[0]
    if on_node:
        on_node(node)
    return strip_ruby(inner_html(node))


def _copy(node):
    import copy

    clone = copy.deepcopy(node)
    clone.tail = None
    return clone


def _remove(parent, child) -> None:
    if isinstance(child, str):
        # a text node: the parent's leading text, or some child's tail
        if parent.text == child:
            parent.text = None
            return
        for element in parent:
            if element.tail == child:
                element.tail = None
                return
    else:
        tail = child.tail
        previous = child.getprevious()
        parent.remove(child)
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def detect_html(doc: _Doc, node) -> tuple[str, str | None]:
    """HTML detect_html: (text, html); html is None unless the content is more than one text node."""
    text_node = doc.first(node, ".//d:div[contains(concat(' ', normalize-space(@class), ' '), ' text ')]")
    if text_node is not None:
        return strip_ruby(text_of(text_node)), None
    text = strip_ruby(clear_html(collapse(text_of(node))))
    # html_node / is_html: only for div.html or the Canvas / Angel flavors (not emulated: never ours)
    state = {"is_html": False}

    def check(inner):
        kids = child_nodes(inner)
        state["is_html"] = not (len(kids) == 1 and isinstance(kids[0], str))

    sanitized = sanitize_html(node, True, check)
    html = None
    if sanitized.strip():
        if state["is_html"]:
            html = sanitized
        else:
            text = strip_ruby(collapse(sanitized))
    return text, html


# ---- manifest ---------------------------------------------------------------------------------


def is_qti_2(manifest: bytes) -> bool:
    """CONV self.is_qti_2: a root namespace starting with a QTI 2 namespace, or `metadata schema` =~ /QTIv2\\./i."""
    doc = _Doc(manifest)
    if any(str(uri).startswith(QTI_2_NAMESPACES) for uri in doc.root.nsmap.values()):
        return True
    schema = doc.first(doc.root, "descendant-or-self::d:metadata//d:schema")
    return re.search(r"QTIv2\.", text_of(schema) if schema is not None else "", re.I) is not None


def _read(files, href: str) -> bytes | None:
    names = set(files.names()) if hasattr(files, "names") else set(files)
    for candidate in (href, unquote(href)):
        if candidate in names:
            return files[candidate]
    return None


# ---- items ------------------------------------------------------------------------------------


def _interaction_type(manifest: _Doc, resource) -> str | None:
    """ITEM self.get_interaction_type: interactionType in the manifest's default or a QTI 2 namespace."""
    found = manifest.first(resource, ".//d:interactionType")
    if found is None:
        for ns in (QTI_2_1_URL, QTI_2_0_URL, QTI_2_1_ITEM_URL, QTI_2_0_ITEM_URL):
            hits = resource.xpath(".//x:interactionType", namespaces={"x": ns})
            if hits:
                found = hits[0]
                break
    return text_of(found).lower() if found is not None else None


def _guess_type(doc: _Doc) -> tuple[str | None, str | None]:
    """GUESS educatedly_guess_type (choice part): more than one choiceInteraction means matching."""
    choices = doc.xp(doc.root, "//d:choiceInteraction")
    if choices:
        if len(choices) > 1:
            if doc.xp(doc.root, "//d:outcomeDeclaration[starts-with(@identifier, 'RESPONDUS')]"):
                return "choiceInteraction", "respondus_matching"
            return "choiceInteraction", "matching"
        return "choiceInteraction", None
    for name, custom in (
        ("associateInteraction", "matching"),
        ("extendedTextInteraction", None),
        ("textEntryInteraction", "text_entry_interaction"),
        ("matchInteraction", "matching"),
    ):
        if doc.xp(doc.root, f"//d:{name}"):
            return name if name != "associateInteraction" else "associateinteraction", custom
    return None, None


class _ImportError(Exception):
    """A Ruby exception inside create_instructure_question (e.g. NoMethodError on nil): rescued into type "Error"."""


def _question_text(doc: _Doc, migration_type: str | None, custom_type: str | None) -> str:
    """ITEM create_instructure_question: the question text selectors and the rejected nodes."""
    paths = ["//d:itemBody/d:div", "//d:itemBody/d:p"]
    kind = custom_type or migration_type
    if kind not in (
        "fill_in_multiple_blanks_question",
        "canvas_matching",
        "matching_question",
        "multiple_dropdowns_question",
        "respondus_matching",
    ):
        paths += ["//d:itemBody//d:choiceInteraction/d:prompt", "//d:itemBody/d:extendedTextInteraction/d:prompt"]
    nodes = doc.xp(doc.root, " | ".join(paths))
    nodes = [
        n
        for n in nodes
        if inner_html(n).strip()
        and not any(c.lower() == (n.get("class") or "").lower() for c in EXCLUDED_QUESTION_TEXT_CLASSES)
        and not doc.xp(n, ".//d:choiceInteraction | .//d:associateInteraction")
    ]
    if nodes:
        out = ""
        for index, node in enumerate(nodes):
            if index:
                out += "\n<br/>\n"
            if node.get("class") == "html":
                out += strip_ruby(text_of(node))  # sanitize_html_string(node.text): not emulated further
            else:
                out += sanitize_html(node)
        return out
    if doc.first(doc.root, "//d:itemBody//d:associateInteraction//d:prompt") is not None:
        return ""  # "apparently they deliberately had a blank question?"
    # `itemBody div:first-child` || `itemBody p:first-child` || `itemBody div` || `itemBody p`
    for path in (
        "//d:itemBody//d:div[not(preceding-sibling::*)]",
        "//d:itemBody//d:p[not(preceding-sibling::*)]",
        "//d:itemBody//d:div",
        "//d:itemBody//d:p",
    ):
        fallback = doc.first(doc.root, path)
        if fallback is not None:
            return sanitize_html(fallback)
    body = doc.first(doc.root, "//d:itemBody")
    if body is not None:
        for child in child_nodes(body):
            if strip_ruby(text_of(child)):
                return strip_ruby(text_of(child))
    return ""


def _get_answers(doc: _Doc, question: dict, answers_hash: dict) -> None:
    """CHOICE get_answers."""
    for ci in doc.xp(doc.root, "//d:choiceInteraction"):
        for choice in doc.xp(ci, ".//d:simpleChoice"):
            answer = {"weight": DEFAULT_INCORRECT_WEIGHT, "migration_id": choice.get("identifier"), "comments": None}
            feedback = doc.first(choice, ".//d:feedbackInline")
            if feedback is not None:
                # "weird Angel feedback": the answer is only the first child node
                kids = child_nodes(choice)
                answer["text"] = strip_ruby(text_of(kids[0])) if kids else ""
                answer["comments"] = strip_ruby(text_of(feedback))
            else:
                answer["text"] = collapse(strip_ruby(clear_html(text_of(choice))))
                if doc.first(choice, ".//d:div[@class='text']") is not None:
                    answer["text"] = strip_ruby(text_of(choice))
                elif doc.first(choice, ".//d:div[@class='html']") is None:
                    # the HTML copy Canvas keeps (and shows) when it differs from the escaped text
                    sanitized = sanitize_html(choice, True)
                    if sanitized.strip() and sanitized != cgi_escape_html(answer["text"]):
                        answer["html"] = sanitized
            if answer["text"] == "":
                mid = answer["migration_id"] or ""
                answer["text"] = clear_html(mid) if re.search(r"true|false", mid, re.I) else DEFAULT_ANSWER_TEXT
            question["answers"].append(answer)
            answers_hash[answer["migration_id"]] = answer


def _get_base_value(node) -> int:
    """CHOICE get_base_value."""
    base_type = node.get("baseType")
    text = text_of(node)
    if base_type == "float":
        return DEFAULT_CORRECT_WEIGHT if re.search(r"score\.max", text, re.I) or ruby_to_f(text) > 0 else 0
    if base_type == "integer":
        return DEFAULT_CORRECT_WEIGHT if ruby_to_i(text) > 0 else 0
    if base_type == "boolean":
        return DEFAULT_CORRECT_WEIGHT if text.lower() == "true" else 0
    return DEFAULT_INCORRECT_WEIGHT


def _get_response_weight(doc: _Doc, cond) -> int:
    """CHOICE get_response_weight: the first selector that finds anything decides."""
    for path in (
        ".//d:setOutcomeValue[@identifier='SCORE']//d:sum//d:baseValue[@baseType]",
        ".//d:setOutcomeValue[@identifier='D2L_CORRECT']//d:sum//d:baseValue[@baseType]",
        ".//d:setOutcomeValue[@identifier='SCORE']/d:baseValue[@baseType]",
        ".//d:setOutcomeValue[starts-with(@identifier, 'SCORE')]//d:baseValue[@baseType]",
        ".//d:setOutcomeValue[substring(@identifier, string-length(@identifier) - 4) = 'SCORE']//d:baseValue[@baseType]",
    ):
        base = doc.first(cond, path)
        if base is not None:
            return _get_base_value(base)
    return DEFAULT_INCORRECT_WEIGHT


def _get_feedback_id(doc: _Doc, cond) -> str | None:
    """ITEM get_feedback_id: the FEEDBACK identifier a condition adds, unless it looks question-level."""
    feedback = doc.first(cond, ".//d:setOutcomeValue[@identifier='FEEDBACK']")
    feedback_id = None
    if feedback is not None and doc.first(feedback, ".//d:variable[@identifier='FEEDBACK']") is not None:
        base = doc.first(feedback, ".//d:baseValue[@baseType='identifier']")
        if base is not None:
            feedback_id = strip_ruby(text_of(base))
    if feedback_id is not None and re.search(r"general_|_all|wrong|incorrect|correct|(_IC$)|(_C$)", feedback_id, re.I | re.M):
        return None
    return feedback_id


def _need(node, what: str):
    if node is None:
        raise _ImportError(f"undefined method for nil ({what})")
    return node


def _process_response_conditions(doc: _Doc, question: dict, answers_hash: dict) -> None:
    """CHOICE process_response_conditions, branch by branch, then correctResponse wins."""
    if doc.first(doc.root, "//d:instructureField[@name='bb_question_type'][@value='Multiple Answer']") is not None:
        raise NotImplementedError("Blackboard 9 multiple answers branch is not emulated")
    for cond in doc.xp(doc.root, "//d:responseProcessing//d:responseCondition"):
        if (
            doc.first(cond, ".//d:match//d:variable[@identifier='RESP_MC']") is not None
            or doc.first(cond, ".//d:match//d:variable[@identifier='response']") is not None
        ):
            migration_id = strip_ruby(text_of(_need(doc.first(cond, ".//d:match//d:baseValue[@baseType='identifier']"), "baseValue")))
            answer = answers_hash.get(migration_id) or next(
                (a for a in answers_hash.values() if a["text"] == migration_id), None
            )
            _need(answer, "answer")["weight"] = _get_response_weight(doc, cond)
            answer["feedback_id"] = answer.get("feedback_id") or _get_feedback_id(doc, cond)
        elif doc.first(cond, ".//d:member//d:variable[@identifier='RESP_MC']") is not None:
            migration_id = text_of(_need(doc.first(cond, ".//d:member//d:baseValue[@baseType='identifier']"), "baseValue"))
            answer = _need(answers_hash.get(migration_id), "answer")
            answer["weight"] = _get_response_weight(doc, cond)
            answer["feedback_id"] = answer.get("feedback_id") or _get_feedback_id(doc, cond)
        elif doc.first(cond, ".//d:match//d:variable[starts-with(@identifier, 'TF')]") is not None:
            # the only standard-XML way to a true_false_question (research notes C22)
            migration_id = text_of(_need(doc.first(cond, ".//d:match//d:baseValue[@baseType='identifier']"), "baseValue"))
            answer = _need(answers_hash.get(migration_id), "answer")
            answer["weight"] = _get_response_weight(doc, cond)
            answer["feedback_id"] = answer.get("feedback_id") or _get_feedback_id(doc, cond)
            question["question_type"] = "true_false_question"
        elif doc.first(cond, ".//d:responseIf//d:and/d:member") is not None:
            for member in doc.xp(cond, ".//d:responseIf/d:and/d:member"):
                migration_id = strip_ruby(text_of(_need(doc.first(member, ".//d:baseValue[@baseType='identifier']"), "baseValue")))
                answer = answers_hash.get(migration_id)  # guess_answer_by_position (BB Ultra) not emulated
                if answer is None:
                    continue
                answer["weight"] = DEFAULT_CORRECT_WEIGHT
                answer["feedback_id"] = answer.get("feedback_id") or _get_feedback_id(doc, cond)
        else:
            for r_if in doc.xp(cond, ".//d:responseIf | .//d:responseElseIf"):
                node = doc.first(r_if, ".//d:match//d:baseValue[@baseType='identifier']")
                if node is None:
                    node = doc.first(r_if, ".//d:member//d:baseValue[@baseType='identifier']")
                if node is not None:
                    migration_id = strip_ruby(text_of(node))
                    answer = answers_hash.get(migration_id) or next(
                        (a for a in answers_hash.values() if a["text"].lower() == migration_id.lower()), None
                    )
                    if answer is not None:
                        answer["weight"] = _get_response_weight(doc, r_if)
                        answer["feedback_id"] = answer.get("feedback_id") or _get_feedback_id(doc, r_if)
                if question.get("points_possible") is not None:
                    continue
                que_scores = doc.xp(cond, ".//d:setOutcomeValue[@identifier='QUE_SCORE']/d:baseValue[@baseType]")
                if que_scores:
                    question["points_possible"] = max(ruby_to_i(text_of(q)) for q in que_scores)
            question["feedback_id"] = _get_feedback_id(doc, cond)

    # "Check if there are correct answers explicitly specified": exact text, no strip
    for value in doc.xp(doc.root, "//d:correctResponse/d:value | //d:correctResponse/d:Value"):
        answer = answers_hash.get(text_of(value))
        if answer is not None:
            answer["weight"] = DEFAULT_CORRECT_WEIGHT


def _attach_feedback_values(doc: _Doc, question: dict, answers: list) -> None:
    """ITEM attach_feedback_values: per-answer feedback through a modalFeedback's first p or div."""
    feedback_hash = {}
    for feedback in doc.xp(doc.root, "//d:modalFeedback"):
        node = doc.first(feedback, ".//d:p")
        if node is None:
            node = doc.first(feedback, ".//d:div")
        if node is not None:
            feedback_hash[feedback.get("identifier")] = node
    question.pop("feedback_id", None)
    for answer in answers:
        if answer.get("feedback_id") in feedback_hash:
            text, html = detect_html(doc, feedback_hash[answer["feedback_id"]])
            answer["comments"] = text
            if html:
                answer["comments_html"] = html
        answer.pop("feedback_id", None)


def _set_question_type(question: dict) -> None:
    """CHOICE set_question_type: the number of answers with weight > 0 decides."""
    correct = sum(1 for a in question["answers"] if a["weight"] and a["weight"] > 0)
    if correct == 0:
        question["import_error"] = "The importer couldn't determine the correct answers for this question."
    if not question.get("question_type"):
        question["question_type"] = "multiple_choice_question" if correct == 1 else "multiple_answers_question"


def _extract_feedback(doc: _Doc, target: dict, field: str, node) -> None:
    text, html = detect_html(doc, node)
    target[field] = text
    if html:
        target[f"{field}_html"] = html


def _get_feedback(doc: _Doc, question: dict) -> None:
    """ITEM get_feedback: modalFeedback classified by identifier, in this order."""
    for feedback in doc.xp(doc.root, "//d:modalFeedback"):
        identifier = feedback.get("identifier") or ""
        if re.search(r"wrong|incorrect|(_IC$)", identifier, re.I | re.M):
            _extract_feedback(doc, question, "incorrect_comments", feedback)
        elif re.search(r"correct|(_C$)", identifier, re.I | re.M):
            if doc.first(feedback, ".//d:div[contains(concat(' ', normalize-space(@class), ' '), ' solution ')]") is not None:
                question["example_solution"] = clear_html(collapse(strip_ruby(text_of(feedback))))
            else:
                _extract_feedback(doc, question, "correct_comments", feedback)
        elif re.search(r"solution", identifier, re.I):
            question["example_solution"] = clear_html(collapse(strip_ruby(text_of(feedback))))
        elif re.search(r"general_|_all", identifier, re.I):
            _extract_feedback(doc, question, "neutral_comments", feedback)
        elif match := re.search(r"feedback_(\d*)_fb", identifier, re.I):
            for answer in question["answers"]:
                if answer["migration_id"] == f"RESPONSE_{match.group(1)}":
                    _extract_feedback(doc, answer, "comments", feedback)
                    break


def _process_true_false_question(question: dict) -> None:
    """CHOICE process_true_false_question: kept only for two answers whose texts match /true/i and /false/i."""
    if question.get("question_type") != "true_false_question":
        return
    valid = False
    answers = question["answers"]
    if len(answers) == 2:
        true_answer = next((a for a in answers if re.search(r"true", a["text"], re.I)), None)
        false_answer = next((a for a in answers if a is not true_answer and re.search(r"false", a["text"], re.I)), None)
        if true_answer and false_answer:
            valid = True
            true_answer["text"] = "True"
            false_answer["text"] = "False"
            question["answers"] = [true_answer, false_answer]
    if not valid:
        question["question_type"] = "multiple_choice_question"


def convert_item(manifest: _Doc, resource, files) -> dict:
    """ITEM self.create_instructure_question + create_instructure_question (+ CHOICE parse_question_data)."""
    question: dict = {
        "answers": [],
        "correct_comments": "",
        "incorrect_comments": "",
        "neutral_comments": None,
        "question_text": "",
        "question_name": None,
        "migration_id": None,
        "question_type": None,
        "points_possible": None,
    }
    href = resource.get("href") or ""
    data = _read(files, href)
    # ITEM initialize: a title langstring in the resource (default namespace, or imsmd_v1p2) names the question
    title = manifest.first(resource, ".//d:title//d:langstring")
    if title is None:
        hits = resource.xpath(".//m:title//m:langstring", namespaces={"m": IMS_MD})
        title = hits[0] if hits else None
    manifest_title = text_of(title) if title is not None else None
    interaction = _interaction_type(manifest, resource)
    custom_type = None
    try:
        if data is None:
            raise _ImportError(f"No such file - {href}")
        doc = _Doc(data)
        if interaction is None:
            guessed, custom_type = _guess_type(doc)
            interaction = guessed.lower() if guessed else None
        question["question_name"] = manifest_title or doc.root.get("title")
        migration_id = doc.root.get("identifier")
        if migration_id is not None:
            migration_id = migration_id.replace(":", "-").replace("identifier=", "")
        question["migration_id"] = migration_id or None
        if doc.first(doc.root, "//d:instructureMetadata") is not None:
            raise NotImplementedError("instructureMetadata is not emulated")
        question["question_text"] = _question_text(doc, interaction, custom_type)
        if interaction and re.search(
            r"choiceinteraction|multiple_choice_question|multiple_answers_question|true_false_question", interaction, re.I
        ) and custom_type not in ("matching", "respondus_matching", "canvas_matching"):
            answers_hash: dict = {}
            _get_answers(doc, question, answers_hash)
            _process_response_conditions(doc, question, answers_hash)
            _attach_feedback_values(doc, question, list(answers_hash.values()))
            _set_question_type(question)
            _get_feedback(doc, question)
            _process_true_false_question(question)
        else:
            question["question_type"] = f"not emulated: {interaction}/{custom_type}"
    except _ImportError as error:
        question["qti_error"] = f"There was an error exporting an assessment question - {error}"
        question["question_type"] = "Error"
    if question["points_possible"] is None:
        question["points_possible"] = DEFAULT_POINTS_POSSIBLE
    if len(question["question_text"] or "") > MAX_QUESTION_TEXT:  # AQIMP prep_for_import
        question["question_text"] = "The imported question text for this question was too long."
    return question


# ---- the test ---------------------------------------------------------------------------------


def _parse_time_limit(limit: str) -> int:
    """TEST self.parse_time_limit."""
    kind = limit[:1].lower() if limit else ""
    if kind == "d":
        return 24 * 60 * ruby_to_i(limit[1:])
    if kind == "h":
        return 60 * ruby_to_i(limit[1:])
    if kind == "m":
        return ruby_to_i(limit[1:])
    return ruby_to_i(limit) // 60


def convert_test(doc: _Doc) -> dict:
    """TEST parse_quiz_data / process_section / process_question."""
    root = doc.root
    quiz: dict = {
        "title": root.get("title") if etree.QName(root).localname == "assessmentTest" else None,
        "migration_id": root.get("identifier"),
        "questions": [],
        "question_count": 0,
    }
    limit = doc.first(root, "descendant-or-self::d:timeLimits")
    if limit is not None and limit.get("maxTime") is not None:
        quiz["time_limit"] = _parse_time_limit(limit.get("maxTime"))
    part = doc.first(root, "descendant-or-self::d:testPart[@identifier='BaseTestPart']")
    if part is None:
        part = doc.first(root, "descendant-or-self::d:testPart")
    if part is None:
        quiz["qti_error"] = "Instructure doesn't support QTI importing from this source."
        return quiz
    control = doc.first(part, ".//d:itemSessionControl")
    if control is not None:
        if control.get("maxAttempts") is not None:
            raw = control.get("maxAttempts")
            maximum = -1 if re.search(r"unlimited", raw, re.I) else ruby_to_i(raw)
            quiz["allowed_attempts"] = maximum if maximum >= 1 else -1
        if control.get("showSolution") is not None:
            quiz["show_correct_answers"] = control.get("showSolution").lower() == "true"
    _process_section(doc, quiz, part)
    return quiz


def _weight_points(doc: _Doc, node) -> float | None:
    """get_node_att(node, "weight", "value") is at_css: the FIRST weight anywhere below; to_f of its value."""
    weight = doc.first(node, ".//d:weight")
    if weight is None or weight.get("value") is None:
        return None
    return ruby_to_f(weight.get("value"))


def _process_section(doc: _Doc, quiz: dict, section) -> list:
    group = None
    questions_list = quiz["questions"]
    # the first `ordering` anywhere below this section (at_css) sets shuffle_answers
    ordering = doc.first(section, ".//d:ordering")
    if ordering is not None and re.search(r"true", ordering.get("shuffle") or "", re.I):
        quiz["shuffle_answers"] = True
    # parse_pick_count: a direct child named "selection" with a digits-only select
    selection = next((c for c in section if doc.name(c) == "selection"), None)
    select = None
    if selection is not None:
        raw = (selection.get("select") or "").strip()
        if re.fullmatch(r"\d+", raw):
            select = int(raw)
    if select is not None:
        group = {"question_type": "question_group", "questions": [], "pick_count": select, "title": section.get("title")}
        points = _weight_points(doc, section)
        if points is not None:
            group["question_points"] = points
        questions_list = group["questions"]
    if section.get("visible") and re.search(r"true", section.get("visible"), re.I) and section.get("title") is not None:
        quiz["questions"].append({"question_type": "text_only_question", "question_text": section.get("title")})
    for child in section:
        if not isinstance(child.tag, str):
            continue
        if doc.name(child) == "assessmentSection":
            _process_section(doc, quiz, child)
        elif doc.name(child) == "assessmentItemRef":
            reference = {"question_type": "question_reference", "migration_id": (child.get("identifier") or "").replace(":", "-")}
            points = _weight_points(doc, child)
            if points is not None:
                reference["points_possible"] = points
            questions_list.append(reference)
            quiz["question_count"] += 1
    if group is not None:
        group.setdefault("question_points", DEFAULT_POINTS_POSSIBLE)
        if group["questions"]:
            quiz["questions"].append(group)
    return questions_list


# ---- the whole import -------------------------------------------------------------------------


def _quiz_question(aq: dict, reference: dict) -> dict:
    """QQIMP import_from_migration: the bank question with the reference's points (never below 0)."""
    points = reference.get("points_possible")
    if points is None:
        points = aq.get("points_possible")
    if float(points or 0) < 0:
        points = 0
    return {
        "kind": "question",
        "id": aq["migration_id"],
        "type": aq["question_type"],
        "points": points,
        "name": aq["question_name"],
        "text": aq["question_text"],
        "answers": [
            {
                "text": a["text"],
                "html": a.get("html"),
                "weight": a["weight"],
                "comments": a.get("comments"),
                "migration_id": a["migration_id"],
            }
            for a in aq["answers"]
        ],
        "correct_comments": aq.get("correct_comments"),
        "incorrect_comments": aq.get("incorrect_comments"),
        "neutral_comments": aq.get("neutral_comments"),
        "correct_comments_html": aq.get("correct_comments_html"),
        "incorrect_comments_html": aq.get("incorrect_comments_html"),
        "neutral_comments_html": aq.get("neutral_comments_html"),
        "import_error": aq.get("import_error"),
        "qti_error": aq.get("qti_error"),
    }


def import_package(files) -> dict:
    """Import a package ({name: bytes}, or an object with names() and [name]) as Canvas would.

    Returns {"qti2": True, "bank": [every converted item question], "quizzes": [quiz, ...]} where a quiz is
    {"title", "migration_id", "shuffle_answers", "entries", ...} and an entry is
    {"kind": "text_only", "text"}, {"kind": "question", "id", "type", "points", "name", "text",
    "answers": [{"text", "html", "weight", "comments", "migration_id"}], "correct_comments", "incorrect_comments",
    "neutral_comments", ...} or {"kind": "group", ...} (a question group: never wanted).
    Raises NotQti2 when Canvas would not take the package for QTI 2.
    """
    manifest_bytes = _read(files, "imsmanifest.xml")
    if manifest_bytes is None or not is_qti_2(manifest_bytes):
        raise NotQti2("Canvas would run the QTI 1.2 converter on this package")
    manifest = _Doc(manifest_bytes)
    # QTIRB convert_questions: every item resource, referenced or not
    items = manifest.xp(
        manifest.root,
        "descendant-or-self::d:manifest//d:resources//d:resource[starts-with(@type, 'imsqti_item_xmlv2p')]",
    )
    bank = [convert_item(manifest, resource, files) for resource in items]
    aq_data = {q["migration_id"]: q for q in bank}  # AQIMP process_migration: keyed by migration_id, last wins
    # QTIRB convert_assessments: the type must match exactly
    tests = manifest.xp(
        manifest.root,
        "descendant-or-self::d:manifest//d:resources//d:resource[@type='imsqti_assessment_xmlv2p1' or @type='imsqti_test_xmlv2p1']",
    )
    quizzes = []
    for resource in tests:
        data = _read(files, resource.get("href") or "")
        if data is None:
            quizzes.append({"qti_error": f"No such file - {resource.get('href')}", "entries": []})
            continue
        raw = convert_test(_Doc(data))
        entries = []
        for question in raw["questions"]:
            kind = question["question_type"]
            if kind == "question_reference":
                aq = aq_data.get(question["migration_id"])
                if aq is None:
                    continue  # QIMP import_questions: no such bank question, nothing imported
                entries.append(_quiz_question(aq, question))
            elif kind == "text_only_question":
                entries.append({"kind": "text_only", "text": question["question_text"]})
            elif kind == "question_group":
                entries.append({"kind": "group", **{k: v for k, v in question.items() if k != "question_type"}})
        quizzes.append(
            {
                "title": raw["title"],
                "migration_id": raw["migration_id"],
                "shuffle_answers": bool(raw.get("shuffle_answers", False)),
                "allowed_attempts": raw.get("allowed_attempts"),
                "show_correct_answers": raw.get("show_correct_answers"),
                "time_limit": raw.get("time_limit"),
                "question_count": raw["question_count"],
                "qti_error": raw.get("qti_error"),
                "entries": entries,
            }
        )
    return {"qti2": True, "bank": bank, "quizzes": quizzes}


def import_quiz(files) -> dict:
    """The one quiz of a package with exactly one assessmentTest."""
    result = import_package(files)
    (quiz,) = result["quizzes"]
    return quiz
