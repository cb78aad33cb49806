"""What a Canvas teacher gets from the QTI 2.1 package, through canvas_import.py's emulation of
Canvas's importer (instructure/canvas-lms gems/plugins/qti_exporter; rules in docs/canvas.md).

Every shipped quiz and several synthetic ones are built and imported; the result must hold every
question, in order, with its type, points, correct answers, texts and feedback.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree
from lxml.builder import ElementMaker

import qtiexport
from qtiexport.model import TrueFalse
from qtiexport.targets import BuildContext, get_writer

import canvas_import
from canvas_import import import_package, import_quiz, is_qti_2
from support import QTI, qti_fragments

REPO = Path(__file__).resolve().parents[3]

# Texts Canvas must carry unchanged: XML-special characters, quotes, non-ASCII, emoji.
TRICKY = {
    "id": "tricky-texts",
    "title": "Ampersands & <angles>, \"quotes\" and ünïcödé 🎉",
    "settings": {"shuffleChoices": False},
    "sections": [
        {
            "id": "s-special",
            "title": "R&D <first> section “quoted”",
            "questions": [
                {
                    "id": "amp",
                    "type": "single_choice",
                    "title": "Tom & Jerry's <b>question</b>",
                    "prompt": "Which is true of AT&T and 3 < 5?\nSecond paragraph with \"quotes\" and 'apostrophes'.\nÜnïcödé ✓ and emoji 🎉.",
                    "points": 2,
                    "feedback": {
                        "correct": "Right & proper.",
                        "incorrect": "Wrong < right.",
                        "general": "General: \"it depends\" — ça dépend 🤷.",
                    },
                    "choices": [
                        {"id": "a", "text": "Tom & Jerry", "correct": True, "feedback": "Yes & indeed < 3."},
                        {"id": "b", "text": "3 < 5 always", "feedback": "\"Quoted\" feedback 🙂"},
                        {"id": "c", "text": "He said \"hello\" and 'bye'"},
                        {"id": "d", "text": "Crème brûlée 🍮 naïve café"},
                        {"id": "e", "text": "x > 2 only"},
                        {"id": "f", "text": "Fish & chips", "feedback": "Ünïcödé feedback ✓"},
                    ],
                },
                {
                    "id": "multi_para_feedback",
                    "type": "multiple_response",
                    "prompt": "Pick two.",
                    "points": 3,
                    "feedback": {"correct": "First paragraph.\nSecond paragraph.", "general": "One & two\nThree < four"},
                    "choices": [
                        {"id": "a", "text": "One", "correct": True},
                        {"id": "b", "text": "Two", "correct": True},
                        {"id": "c", "text": "Three & four"},
                    ],
                },
            ],
        },
        {
            "id": "s-types",
            "title": "Types",
            "questions": [
                {"id": "tf_default", "type": "true_false", "prompt": "True by default labels.", "answer": True, "points": 0.5,
                 "feedback": {"correct": "Yes.", "incorrect": "No."}},
                {"id": "tf_default_false", "type": "true_false", "prompt": "False statement.", "answer": False},
                {"id": "tf_yes_no", "type": "true_false", "prompt": "Yes or no?", "answer": True,
                 "labels": {"true": "Yes", "false": "No"}},
                {"id": "tf_vrai_faux", "type": "true_false", "prompt": "Vrai ou faux ?", "answer": False,
                 "labels": {"true": "Vrai", "false": "Faux"}},
                {"id": "select_all_one", "type": "multiple_response", "prompt": "Select all that apply.",
                 "choices": [{"id": "x", "text": "X", "correct": True}, {"id": "y", "text": "Y"}, {"id": "z", "text": "Z"}]},
                {"id": "select_all_partial", "type": "multiple_response", "scoring": "partial", "points": 7,
                 "prompt": "Partial credit.",
                 "feedback": {"incorrect": "Not all of them."},
                 "choices": [{"id": "C", "text": "C", "correct": True, "feedback": "C is right."},
                             {"id": "IC", "text": "IC", "feedback": "IC is wrong."},
                             {"id": "correct", "text": "correct", "correct": True, "feedback": "an id that says correct"},
                             {"id": "general_all", "text": "general_all", "feedback": "an id that says general"}]},
                {"id": "single_ids_like_feedback", "type": "single_choice", "prompt": "Odd identifiers.",
                 "choices": [{"id": "wrong", "text": "wrong", "feedback": "fb of wrong"},
                             {"id": "true", "text": "Some true thing", "correct": True, "feedback": "fb of true"},
                             {"id": "RESP_MC", "text": "RESP_MC"}]},
            ],
        },
    ],
}

SECTIONLESS = {
    "id": "sectionless",
    "title": "No sections",
    "questions": [
        {"id": "q1", "type": "single_choice", "prompt": "One?", "points": 2,
         "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]},
        {"id": "q2", "type": "multiple_response", "prompt": "Two?",
         "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B", "correct": True}, {"id": "c", "text": "C"}]},
        {"id": "q3", "type": "true_false", "prompt": "Three.", "answer": False, "points": 0.25},
    ],
}

SOURCES = {
    "harm-reduction-ce": REPO / "source" / "harm-reduction-ce.json",
    "all-features": REPO / "examples" / "all-features.json",
    "minimal": REPO / "examples" / "minimal.json",
    "tricky-texts": TRICKY,
    "sectionless": SECTIONLESS,
}


def build(source):
    quiz = qtiexport.load(source)
    return quiz, get_writer("qti21").build(quiz, BuildContext())


@lru_cache(maxsize=None)
def imported(name: str):
    """Return (quiz, package, Canvas's quiz) for SOURCES[name]."""
    quiz, package = build(SOURCES[name])
    return quiz, package, import_quiz(package)


def questions_of(canvas_quiz) -> list[dict]:
    return [e for e in canvas_quiz["entries"] if e["kind"] == "question"]


def by_id(name: str):
    quiz, _, canvas = imported(name)
    source = {q.id: q for q in quiz.questions}
    return [(source[e["id"]], e) for e in questions_of(canvas)]


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def expected_type(question) -> str:
    correct = [c for c in question.choices if c.correct]
    if isinstance(question, TrueFalse):
        # Canvas keeps true/false only for answers reading /true/i and /false/i (choice_interaction.rb)
        if re.search("true", question.labels[0], re.I) and re.search("false", question.labels[1], re.I):
            return "true_false_question"
        return "multiple_choice_question"
    # the number of correct answers alone decides (choice_interaction.rb set_question_type)
    return "multiple_choice_question" if len(correct) == 1 else "multiple_answers_question"


def expected_answer_text(question, choice) -> str:
    if expected_type(question) == "true_false_question":
        return "True" if choice.id == "true" else "False"
    return collapse(choice.text)


def comments_text(value: str | None) -> str | None:
    """Canvas's comments as a teacher reads them: a lone text node is kept as escaped HTML (detect_html)."""
    return None if value is None else html.unescape(value)


ALL = list(SOURCES)


# ---- the package is taken for QTI 2 -----------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_recognised_as_qti2_by_both_rules(name):
    _, package, _ = imported(name)
    manifest = package["imsmanifest.xml"].decode()
    assert is_qti_2(manifest.encode())
    # each rule of converter.rb is_qti_2 holds on its own:
    root = etree.fromstring(manifest.encode())
    qti_prefixes = [p for p, uri in root.nsmap.items() if str(uri).startswith(canvas_import.QTI_2_NAMESPACES)]
    assert qti_prefixes, "the manifest root declares a QTI 2 namespace"
    other_schema = manifest.replace("<schema>QTIv2.1 Package</schema>", "<schema>Something else</schema>")
    assert other_schema != manifest and is_qti_2(other_schema.encode())
    no_namespace = manifest
    for prefix in qti_prefixes:
        no_namespace = re.sub(rf'\s+xmlns:{prefix}="[^"]*"', "", no_namespace, count=1)
    assert no_namespace != manifest and is_qti_2(no_namespace.encode())


@pytest.mark.parametrize("name", ALL)
def test_item_and_test_resources(name):
    quiz, _, _ = imported(name)
    _, package = build(SOURCES[name])
    result = import_package(package)
    assert [q["migration_id"] for q in result["bank"]] == [q.id for q in quiz.questions]
    assert len(result["quizzes"]) == 1


def test_not_qti2_without_either_mark():
    _, package = build(SOURCES["minimal"])
    manifest = package["imsmanifest.xml"].decode()
    manifest = manifest.replace('xmlns:imsqti="http://www.imsglobal.org/xsd/imsqti_v2p1" ', "")
    manifest = manifest.replace("QTIv2.1 Package", "Some package")
    assert not is_qti_2(manifest.encode())
    files = {n: package[n] for n in package.names()}
    files["imsmanifest.xml"] = manifest.encode()
    with pytest.raises(canvas_import.NotQti2):
        import_package(files)


# ---- the quiz ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_quiz_title(name):
    quiz, _, canvas = imported(name)
    assert canvas["title"] == quiz.title
    assert canvas["migration_id"] == quiz.id
    assert canvas["qti_error"] is None


@pytest.mark.parametrize("name", ALL)
def test_every_question_arrives_in_order_with_section_headings(name):
    quiz, _, canvas = imported(name)
    expected = []
    for section in quiz.sections:
        if section.title is not None and quiz.has_sections:
            expected.append(("text_only", section.title))
        expected += [("question", q.id) for q in section.questions]
    got = [(e["kind"], e["text"] if e["kind"] == "text_only" else e["id"]) for e in canvas["entries"]]
    assert got == expected
    assert canvas["question_count"] == len(quiz.questions)
    assert not [e for e in canvas["entries"] if e["kind"] == "group"]


@pytest.mark.parametrize("name", ALL)
def test_question_types(name):
    for question, entry in by_id(name):
        assert entry["type"] == expected_type(question), question.id
        assert entry["import_error"] is None and entry["qti_error"] is None, question.id


@pytest.mark.parametrize("name", ALL)
def test_points(name):
    for question, entry in by_id(name):
        assert entry["points"] == float(question.points), question.id


def test_points_examples():
    points = {q.id: e["points"] for q, e in by_id("all-features")}
    assert points == {"capital_fr": 2.0, "landlocked": 3.0, "primes": 1.0, "even_sum": 0.5, "zero_odd": 1.0}


@pytest.mark.parametrize("name", ALL)
def test_correct_answers_are_exactly_the_source_ones(name):
    for question, entry in by_id(name):
        answers = entry["answers"]
        assert [a["migration_id"] for a in answers] == [c.id for c in question.choices], question.id
        assert {a["weight"] for a in answers} <= {0, 100}, question.id
        right = {a["migration_id"] for a in answers if a["weight"] == 100}
        assert right == {c.id for c in question.choices if c.correct}, question.id
        for answer, choice in zip(answers, question.choices):
            if not choice.correct:
                assert answer["weight"] != 100, (question.id, choice.id)


@pytest.mark.parametrize("name", ALL)
def test_answer_texts(name):
    for question, entry in by_id(name):
        for answer, choice in zip(entry["answers"], question.choices):
            assert answer["text"] == expected_answer_text(question, choice), (question.id, choice.id)


@pytest.mark.parametrize("name", ALL)
def test_choice_feedback_arrives_as_comments(name):
    for question, entry in by_id(name):
        for answer, choice in zip(entry["answers"], question.choices):
            expected = collapse(choice.feedback) if getattr(choice, "feedback", None) else None
            assert answer["comments"] == expected, (question.id, choice.id)


@pytest.mark.parametrize("name", ALL)
def test_question_feedback_arrives_as_comments(name):
    for question, entry in by_id(name):
        feedback = question.feedback
        for kind, field, absent in (
            ("correct", "correct_comments", ""),
            ("incorrect", "incorrect_comments", ""),
            ("general", "neutral_comments", None),
        ):
            text = getattr(feedback, kind, None) if feedback else None
            if text is None:
                assert entry[field] == absent, (question.id, field)
                continue
            assert comments_text(entry[field]) == collapse(text), (question.id, field)
            paragraphs = [line for line in text.split("\n") if line.strip()]
            if len(paragraphs) > 1:
                # several paragraphs: Canvas keeps them as HTML too
                html_copy = entry[f"{field}_html"]
                for paragraph in paragraphs:
                    assert f"<p>{html.escape(paragraph, quote=False)}</p>" in html_copy, (question.id, field)
            else:
                assert entry[f"{field}_html"] is None, (question.id, field)


@pytest.mark.parametrize("name", ALL)
def test_question_text_holds_the_prompt_paragraphs(name):
    for question, entry in by_id(name):
        paragraphs = [line for line in question.prompt.split("\n") if line.strip()]
        expected = [f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs]
        found = re.findall(r"<p>.*?</p>", entry["text"], re.S)
        assert found == expected, question.id
        assert html.unescape(re.sub(r"<[^>]+>", " ", entry["text"])).split() == " ".join(paragraphs).split()
        position = [q.id for q in imported(name)[0].questions].index(question.id) + 1
        assert entry["name"] == (question.title or f"Question {position}"), question.id


def test_question_names():
    names = {q.id: e["name"] for q, e in by_id("all-features")}
    assert names["capital_fr"] == "Capital of France"
    assert names["primes"] == "Question 3"  # untitled: numbered by position
    assert {q.id: e["name"] for q, e in by_id("tricky-texts")}["amp"] == "Tom & Jerry's <b>question</b>"


# ---- documented limitations, pinned -----------------------------------------------------------


def test_select_all_with_one_correct_choice_is_multiple_choice():
    """Documented (docs/canvas.md): Canvas decides the type from the number of correct answers."""
    entries = {q.id: e for q, e in by_id("tricky-texts")}
    assert entries["select_all_one"]["type"] == "multiple_choice_question"
    harm = {q.id: e for q, e in by_id("harm-reduction-ce")}
    assert harm["q1"]["type"] == "multiple_choice_question"  # a select-all with one correct answer
    assert harm["q3"]["type"] == "multiple_answers_question"


def test_true_false_types():
    entries = {q.id: e for q, e in by_id("tricky-texts")}
    assert entries["tf_default"]["type"] == "true_false_question"
    assert [(a["text"], a["weight"]) for a in entries["tf_default"]["answers"]] == [("True", 100), ("False", 0)]
    assert [(a["text"], a["weight"]) for a in entries["tf_default_false"]["answers"]] == [("True", 0), ("False", 100)]
    # documented: other labels give a two-answer multiple choice question with those labels
    assert entries["tf_yes_no"]["type"] == "multiple_choice_question"
    assert [(a["text"], a["weight"]) for a in entries["tf_yes_no"]["answers"]] == [("Yes", 100), ("No", 0)]
    assert entries["tf_vrai_faux"]["type"] == "multiple_choice_question"
    assert [(a["text"], a["weight"]) for a in entries["tf_vrai_faux"]["answers"]] == [("Vrai", 0), ("Faux", 100)]
    harm = {q.id: e for q, e in by_id("harm-reduction-ce")}
    assert harm["q4"]["type"] == "multiple_choice_question"  # labels YES / NO


def test_tricky_answer_texts_and_feedback():
    entries = {q.id: e for q, e in by_id("tricky-texts")}
    answers = {a["migration_id"]: a for a in entries["amp"]["answers"]}
    assert answers["a"]["text"] == "Tom & Jerry" and answers["a"]["comments"] == "Yes & indeed < 3."
    assert answers["b"]["text"] == "3 < 5 always" and answers["b"]["comments"] == '"Quoted" feedback 🙂'
    assert answers["c"]["text"] == "He said \"hello\" and 'bye'"
    assert answers["d"]["text"] == "Crème brûlée 🍮 naïve café"
    assert answers["e"]["text"] == "x > 2 only"
    assert answers["f"]["comments"] == "Ünïcödé feedback ✓"
    assert comments_text(entries["amp"]["correct_comments"]) == "Right & proper."
    assert comments_text(entries["amp"]["incorrect_comments"]) == "Wrong < right."
    assert comments_text(entries["amp"]["neutral_comments"]) == 'General: "it depends" — ça dépend 🤷.'
    assert "<p>Which is true of AT&amp;T and 3 &lt; 5?</p>" in entries["amp"]["text"]
    quiz, _, canvas = imported("tricky-texts")
    assert canvas["title"] == "Ampersands & <angles>, \"quotes\" and ünïcödé 🎉"
    assert canvas["entries"][0] == {"kind": "text_only", "text": "R&D <first> section “quoted”"}


def test_identifiers_that_look_like_feedback_names_change_nothing():
    entries = {q.id: e for q, e in by_id("tricky-texts")}
    partial = {a["migration_id"]: a for a in entries["select_all_partial"]["answers"]}
    assert {k: (a["weight"], a["comments"]) for k, a in partial.items()} == {
        "C": (100, "C is right."),
        "IC": (0, "IC is wrong."),
        "correct": (100, "an id that says correct"),
        "general_all": (0, "an id that says general"),
    }
    assert entries["select_all_partial"]["incorrect_comments"] == "Not all of them."
    assert entries["select_all_partial"]["correct_comments"] == ""
    single = {a["migration_id"]: a for a in entries["single_ids_like_feedback"]["answers"]}
    assert {k: (a["weight"], a["comments"]) for k, a in single.items()} == {
        "wrong": (0, "fb of wrong"),
        "true": (100, "fb of true"),
        "RESP_MC": (0, None),
    }


# ---- shuffling --------------------------------------------------------------------------------


def _shuffle_quiz(choices: bool | None, questions: bool | None, sections: bool) -> dict:
    settings = {}
    if choices is not None:
        settings["shuffleChoices"] = choices
    if questions is not None:
        settings["shuffleQuestions"] = questions
    qs = [
        {"id": f"q{i}", "type": "single_choice", "prompt": f"Q{i}",
         "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"},
                     {"id": "n", "text": "None of the above", "fixed": True}]}
        for i in range(3)
    ]
    source = {"id": "shuffle", "title": "Shuffle", "settings": settings}
    if sections:
        source["sections"] = [
            {"id": "one", "title": "One", "questions": qs[:2]},
            {"id": "two", "title": "Two", "questions": qs[2:]},
        ]
    else:
        source["questions"] = qs
    return source


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "no-sections"])
@pytest.mark.parametrize(
    "choices, questions, expected",
    [
        (True, False, True),
        (True, True, True),
        (True, None, True),
        (False, False, False),
        (None, None, False),
    ],
)
def test_shuffle_answers(choices, questions, expected, sections):
    quiz, package = build(_shuffle_quiz(choices, questions, sections))
    canvas = import_quiz(package)
    assert canvas["shuffle_answers"] is expected
    # the extra section that carries the setting adds no heading and loses no question
    assert [e["id"] for e in questions_of(canvas)] == [q.id for q in quiz.questions]
    assert [e["text"] for e in canvas["entries"] if e["kind"] == "text_only"] == (["One", "Two"] if sections else [])


@pytest.mark.parametrize("sections", [True, False], ids=["sections", "no-sections"])
def test_shuffle_questions_alone_also_shuffles_answers_in_canvas(sections):
    """Documented in docs/canvas.md ("shuffleQuestions ... also turns 'Shuffle answers' on"): Canvas reads
    the sections' <ordering shuffle="true"/> as "shuffle answers" and cannot shuffle questions."""
    _, package = build(_shuffle_quiz(False, True, sections))
    assert import_quiz(package)["shuffle_answers"] is True


def test_shipped_quizzes_shuffle_setting():
    assert imported("all-features")[2]["shuffle_answers"] is True  # shuffleChoices + shuffleQuestions
    assert imported("harm-reduction-ce")[2]["shuffle_answers"] is False
    assert imported("minimal")[2]["shuffle_answers"] is False


# ---- the emulation itself, on hand-made packages ------------------------------------------------

CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP = ElementMaker(namespace=CP_NS, nsmap={None: CP_NS})


def _item(identifier: str, response: str, correct: list[str], choices: dict[str, str], processing: str = "") -> bytes:
    """A hand-made single- or multiple-response item; `processing` is literal responseProcessing content."""
    return etree.tostring(QTI.assessmentItem(
        QTI.responseDeclaration(
            QTI.correctResponse(*(QTI.value(c) for c in correct)),
            identifier=response, cardinality="multiple" if len(correct) > 1 else "single", baseType="identifier"),
        QTI.itemBody(
            QTI.p(f"Stem of {identifier}"),
            QTI.choiceInteraction(*(QTI.simpleChoice(text, identifier=key) for key, text in choices.items()),
                                  responseIdentifier=response, shuffle="false", maxChoices="0")),
        QTI.responseProcessing(*qti_fragments(processing)),
        identifier=identifier, title=f"{identifier} title", adaptive="false", timeDependent="false"))


def _package(items: dict[str, bytes], test_body: str) -> dict[str, bytes]:
    """A hand-made package of `items` and a test whose content is the literal markup `test_body`."""
    resources = [CP.resource(CP.file(href=f"{n}.xml"), identifier=f"R{n}", type="imsqti_item_xmlv2p1", href=f"{n}.xml")
                 for n in items]
    resources.append(CP.resource(CP.file(href="test.xml"), identifier="T", type="imsqti_test_xmlv2p1", href="test.xml"))
    manifest = CP.manifest(
        CP.metadata(CP.schema("QTIv2.1 Package"), CP.schemaversion("1.0.0")),
        CP.organizations(),
        CP.resources(*resources),
        identifier="M")
    files = {f"{n}.xml": item for n, item in items.items()}
    files["imsmanifest.xml"] = etree.tostring(manifest, xml_declaration=True, encoding="UTF-8")
    files["test.xml"] = etree.tostring(QTI.assessmentTest(*qti_fragments(test_body), identifier="T", title="Hand made"))
    return files


def test_emulation_core_rules():
    tf_rp = """<responseCondition><responseIf><match><variable identifier="TF_X"/>
        <baseValue baseType="identifier">t</baseValue></match>
        <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
        </responseIf></responseCondition>"""
    bad_rp = """<responseCondition><responseIf><match><variable identifier="RESP_MC"/><correct identifier="RESP_MC"/></match>
        <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
        </responseIf></responseCondition>"""
    items = {
        "plain_tf": _item("plain_tf", "RESPONSE", ["t"], {"t": "True", "f": "False"}),
        "tf": _item("tf", "TF_X", ["t"], {"t": "True", "f": "False"}, tf_rp),
        "mr": _item("mr", "RESPONSE", ["a", "b"], {"a": "A", "b": "B", "c": "C"}),
        "broken": _item("broken", "RESP_MC", ["a"], {"a": "A", "b": "B"}, bad_rp),
        "grouped": _item("grouped", "RESPONSE", ["a"], {"a": "A", "b": "B"}),
    }
    test = """<testPart identifier="Other" navigationMode="linear" submissionMode="individual"/>
      <testPart identifier="BaseTestPart" navigationMode="linear" submissionMode="individual">
        <assessmentSection identifier="S" title="Shown" visible="true">
          <assessmentItemRef identifier="plain_tf" href="plain_tf.xml"/>
          <assessmentItemRef identifier="tf" href="tf.xml"><weight identifier="W" value="2.5"/></assessmentItemRef>
          <assessmentItemRef identifier="missing" href="mr.xml"/>
          <assessmentSection identifier="H" title="Hidden" visible="false">
            <ordering shuffle="true"/>
            <assessmentItemRef identifier="mr" href="whatever.xml"/>
          </assessmentSection>
          <assessmentItemRef identifier="broken" href="broken.xml"/>
        </assessmentSection>
        <assessmentSection identifier="G" title="Group" visible="false">
          <selection select="0"/>
          <assessmentItemRef identifier="grouped" href="grouped.xml"><weight identifier="W" value="4"/></assessmentItemRef>
        </assessmentSection>
      </testPart>"""
    quiz = import_quiz(_package(items, test))
    kinds = [(e["kind"], e.get("id") or e.get("text") or e.get("title")) for e in quiz["entries"]]
    # plain T/F is multiple choice (Canvas spec VE_IP_01); the unmatched "missing" reference is dropped;
    # the href is never read; a <selection> makes a question group even with select="0"
    assert kinds == [("text_only", "Shown"), ("question", "plain_tf"), ("question", "tf"), ("question", "mr"),
                     ("question", "broken"), ("group", "Group")]
    entries = {e["id"]: e for e in quiz["entries"] if e["kind"] == "question"}
    assert entries["plain_tf"]["type"] == "multiple_choice_question" and entries["plain_tf"]["points"] == 1
    assert entries["tf"]["type"] == "true_false_question" and entries["tf"]["points"] == 2.5
    assert entries["mr"]["type"] == "multiple_answers_question"
    assert entries["broken"]["type"] == "Error"  # `match baseValue` is nil: NoMethodError, rescued
    assert quiz["shuffle_answers"] is True
    assert quiz["question_count"] == 6
    group = quiz["entries"][-1]
    assert group["pick_count"] == 0 and group["question_points"] == 4.0


# ---- library bugs found through the emulation ---------------------------------------------------


def _one_question(question: dict) -> dict:
    return {"id": "bug", "title": "Bug", "questions": [question]}


def test_multi_line_choice_with_feedback_arrives_whole():
    _, package = build(_one_question({
        "id": "q", "type": "single_choice", "prompt": "P",
        "choices": [{"id": "a", "text": "Line one\nLine two", "correct": True, "feedback": "Because."},
                    {"id": "b", "text": "B"}],
    }))
    (entry,) = questions_of(import_quiz(package))
    assert " ".join(entry["answers"][0]["text"].split()) == "Line one Line two"


def test_multi_line_choice_feedback_keeps_a_separator():
    _, package = build(_one_question({
        "id": "q", "type": "single_choice", "prompt": "P",
        "choices": [{"id": "a", "text": "A", "correct": True, "feedback": "fb one\nfb two"},
                    {"id": "b", "text": "B"}],
    }))
    (entry,) = questions_of(import_quiz(package))
    assert " ".join(entry["answers"][0]["comments"].split()) == "fb one fb two"


def test_multi_line_choice_text_field_keeps_a_separator():
    _, package = build(_one_question({
        "id": "q", "type": "single_choice", "prompt": "P",
        "choices": [{"id": "a", "text": "Line one\nLine two", "correct": True}, {"id": "b", "text": "B"}],
    }))
    (entry,) = questions_of(import_quiz(package))
    assert entry["answers"][0]["text"] == "Line one Line two"


def test_true_false_labels_mentioning_the_other_word_are_not_inverted():
    _, package = build(_one_question({
        "id": "q", "type": "true_false", "prompt": "Two is even.", "answer": True,
        "labels": {"true": "Not false", "false": "Not true"},
    }))
    (entry,) = questions_of(import_quiz(package))
    correct = [a for a in entry["answers"] if a["weight"] == 100]
    assert [a["migration_id"] for a in correct] == ["true"]
    assert correct[0]["text"] in ("True", "Not false")
