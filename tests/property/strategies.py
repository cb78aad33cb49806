"""Hypothesis strategies for VALID quiz sources, across the whole source format (docs/format.md).

`quiz_sources(min_questions=1, max_questions=300)` draws a source dict that `qtiexport.load` must
accept: with or without sections (1-6), every question type and scoring, every optional property,
every setting, metadata, language tags, ids that only just satisfy the identifier rules and that
collide with the names the writers use themselves (RESPONSE, BaseTestPart, section, ...), and text
from wide Unicode (right-to-left scripts, combining marks, astral emoji, XML-special characters,
markup-looking strings, tabs and newlines, occasionally thousands of characters).

Text never holds a character XML 1.0 cannot carry, and always holds a character Python's `\\S`
matches: the schema's "\\S" pattern is evaluated with Python's `re`, whose `\\s` is str.isspace()
(so U+00A0, U+0085, U+2028, U+3000 ... count as white space, while U+200B or U+FEFF do not).

Cost: Hypothesis caps one example at about 8 KB of choices, so most text is drawn from a pool of
hand-picked hostile strings (one choice each) and only sometimes composed character by character;
a quiz of more than LARGE_QUIZ questions repeats a dozen fully drawn questions under fresh ids
(with their own points), which keeps a 300-question example within the cap.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
MAX_ID = 64
MAX_LINE = 500
LARGE_QUIZ = 24  # above this many questions, questions are repeated from a drawn pool
SCHEMA_URL = "https://qtiexport.dev/schemas/quiz/v1/quiz.schema.json"

# Characters XML 1.0 cannot carry (the format refuses them); surrogates are excluded by category.
XML_FORBIDDEN = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] + ["\ufffe", "\uffff"]
XML_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters=XML_FORBIDDEN)
NON_SPACE_CHAR = XML_CHAR.filter(lambda c: not c.isspace())

# Pieces of text; some are only white space (Python's or JavaScript's idea of it).
FRAGMENTS = [
    "שלום עולם",  # Hebrew
    "מה השאלה?",
    "مرحبا بالعالم",  # Arabic
    "السؤال الأول",
    "abc אבג 123 دهو",  # mixed directions
    "\u200f", "\u200e", "\u202e", "\u2067", "\u2069",  # RLM, LRM, RLO, RLI, PDI
    "e\u0301", "n\u0303", "Z\u0351\u0310\u0334\u0322",  # combining marks
    "\u0915\u094d\u0937",  # Devanagari conjunct
    "😀", "👩\u200d👩\u200d👧\u200d👦", "🇺🇳", "𝕏𝔂𝔷", "\U0001F9EA", "\U0010FFFD", "\U0001FFFE",
    "<", ">", "&", '"', "'", "]]>", "&amp;", "&lt;b&gt;", "&#0;", "&#x1F600;",
    "<![CDATA[x]]>", "<!-- comment -->", "<?xml version='1.0'?>", "<!DOCTYPE x>",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</script>", "<b>bold</b>",
    "</textarea><svg onload=alert(1)>", "javascript:alert(1)", "*stars*", "{{x}}", "${x}",
    "\\u003c", "\\", '"}', "\\n", "%s %d {0}", "null", "undefined", "__proto__", "constructor",
    "\t", "\n", " ", "\r\n", "\r", "\n\n", " \n \n",
    "\u00a0", "\u3000", "\u2028", "\u2029", "\x85", "\ufeff", "\u200b", "\u180e", "\x7f", "\x9f",
    "Question", "Antwort", "réponse", "答案", "ответ", "ok",
]
# Complete texts (each holds a non-space character), one choice each.
POOL = [f for f in FRAGMENTS if re.search(r"\S", f)] + [
    "Which of these is correct?",
    "Pick <one> & only \"one\".",
    "Line one\nLine two\n\nLine four",
    "\tindented\ttext\t",
    "  padded  ",
    "\n\nleading blank lines",
    "trailing blank lines\n \n",
    "a]]>b<c>d&e",
    "<script>alert(1)</script>\n<img src=x onerror=alert(1)>",
    "שאלה: מהו 2 + 2?",
    "ما هو 2 + 2؟",
    "mixed עברית and العربية and English",
    "emoji 😀👍🏽 and astral 𝕏",
    "\u00a0x\u00a0",
    "\u200b",
    "\ufeff",
    "x\u2028y\u2029z",
    "a\rb\r\nc",
]
LONG_UNITS = ["lorem ipsum dolor sit amet ", "שלום עולם ", "مرحبا ", "😀", "<&>\"']]>", "line\n", "\t", "e\u0301"]

ID_POOL = [
    "q1", "Q1", "q", "_", "_1", "a.b", "a-b", "a_b", "x.-_", "Q.1", "q-1", "q_1",
    "section", "section-2", "shuffle-answers", "shuffle-answers-2", "BaseTestPart",
    "RESPONSE", "TF_RESPONSE", "SCORE", "MAXSCORE", "PASS", "FEEDBACK", "W",
    "correct_fb", "general_fb", "general_incorrect_fb", "choice_A",
    "test", "TEST", "imsmanifest", "items", "index", "player", "ITEM-q1", "MANIFEST-x", "ORG-x", "SCO-x",
    "true", "false", "A", "B", "a", "b",
    "Z" * MAX_ID, "a" + "-" * (MAX_ID - 1), "_" + "9" * (MAX_ID - 1),
]
CHOICE_ID_POOL = [
    "A", "B", "C", "D", "E", "a", "b", "c", "A1", "_", "x.y", "x-y", "true", "false", "True",
    "RESPONSE", "correct_fb", "general_fb", "choice_A", "SCORE", "Z" * MAX_ID,
]
LABELS = [
    ("Yes", "No"), ("TRUE", "FALSE"), ("Not false", "Not true"), ("Vrai", "Faux"), ("Richtig", "Falsch"),
    ("נכון", "לא נכון"), ("صحيح", "خطأ"), ("👍", "👎"), ("<true>", "<false>"), ("Same", "Same"),
]
LANGUAGES = ["en", "en-GB", "he", "he-IL", "ar", "ar-EG", "fa", "ur", "yi", "pt-BR", "zh-Hant-TW", "de-CH-1901",
             "sgn-BE-FR", "EN", "abcde", "abcdefgh-12345678-x"]
POINTS = [1, 2, 0.5, 2.25, 0.1, 0.2, 0.3, 0.25, 0.75, 1.5, 0.01, 1 / 3, 3.0, 33.33, 99.99, 100, 100.5, 101,
          250.5, 999.99, 1000, 1000.0, 5e-324, 1e-9]
PASSING = [0, 0.0, 100, 100.0, 50, 60, 66.67, 70, 75, 80, 33.33, 99.99, 0.01, 12.5, 1 / 3]
FEEDBACK_KEYS = ("correct", "incorrect", "general")


def has_text(text: str) -> bool:
    """What the schema's "\\S" pattern accepts (Python re semantics)."""
    return re.search(r"\S", text) is not None


# Strategies are built once: building them anew on every draw costs more than drawing from them.
_POOL = st.sampled_from(POOL)
_PIECES = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(XML_CHAR, max_size=8)), max_size=5)
_ANCHOR = st.one_of(_POOL, NON_SPACE_CHAR)
_LONG_UNIT = st.sampled_from(LONG_UNITS)


@st.composite
def texts(draw, max_len: int | None = None) -> str:
    """A valid text: never empty or only white space, never a character XML cannot carry."""
    branch = draw(st.integers(0, 9))
    if branch < 6:
        text = draw(_POOL)
    else:
        pieces = draw(_PIECES)
        anchor = draw(_ANCHOR)
        pieces.insert(draw(st.integers(0, len(pieces))), anchor)
        text = "".join(pieces)
    if draw(st.integers(0, 24)) == 0:  # occasionally long: up to a few thousand characters
        unit = draw(_LONG_UNIT)
        size = draw(st.integers(200, max_len or 3000))
        text = text + unit * (size // len(unit) + 1)
    if max_len is not None and len(text) > max_len:
        text = text[:max_len]
        if not has_text(text):
            text = text[: max_len - 1] + "x"
    assert has_text(text) and not any(c in text for c in XML_FORBIDDEN), repr(text)
    return text


TEXT = texts()
LINE = texts(max_len=MAX_LINE)  # a short text: titles, labels, metadata


def unique_id(candidate: str, taken: set[str]) -> str:
    """Return `candidate`, or it suffixed -2, -3 ... (shortened to stay within 64 characters), not in `taken`."""
    result, number = candidate, 1
    while result in taken:
        number += 1
        suffix = f"-{number}"
        result = candidate[: MAX_ID - len(suffix)] + suffix
    taken.add(result)
    assert IDENTIFIER.fullmatch(result) and len(result) <= MAX_ID, result
    return result


_ID_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
# st.text is one choice, st.from_regex one per character: this keeps ids cheap to draw.
_ANY_ID = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(_ID_START),
    st.text(alphabet=_ID_START + "0123456789.-", max_size=MAX_ID - 1),
)
ID = st.one_of(st.sampled_from(ID_POOL), _ANY_ID)
CHOICE_ID = st.one_of(st.sampled_from(CHOICE_ID_POOL), _ANY_ID)
POINT_VALUES = st.one_of(
    st.sampled_from(POINTS),
    st.integers(1, 1000),
    st.decimals(min_value="0.01", max_value="1000", places=2).map(float),
    st.floats(min_value=0, max_value=1000, exclude_min=True, allow_nan=False, allow_infinity=False),
)
PASSING_SCORES = st.one_of(
    st.sampled_from(PASSING),
    st.integers(0, 100),
    st.decimals(min_value="0", max_value="100", places=2).map(float),
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
)


@st.composite
def feedback(draw) -> dict | None:
    """Absent, or any non-empty subset of correct / incorrect / general."""
    mask = draw(st.integers(0, 7))
    if mask == 0:
        return None
    return {key: draw(TEXT) for bit, key in enumerate(FEEDBACK_KEYS) if mask & (1 << bit)}


@st.composite
def choices(draw, single: bool) -> list[dict]:
    count = draw(st.integers(2, 6)) if draw(st.integers(0, 4)) else draw(st.integers(2, 36))
    taken: set[str] = set()
    ids = [unique_id(draw(CHOICE_ID), taken) for _ in range(count)]
    if single:
        right = draw(st.integers(0, count - 1))
        correct = [i == right for i in range(count)]
    else:
        correct = draw(st.lists(st.booleans(), min_size=count, max_size=count))
        if not any(correct):
            correct[draw(st.integers(0, count - 1))] = True
    explicit_false = draw(st.booleans())
    with_fixed = draw(st.integers(0, 2))  # 0: never written, 1: some true, 2: written on every choice
    with_feedback = draw(st.booleans())
    out = []
    for i in range(count):
        choice = {"id": ids[i], "text": draw(TEXT)}
        if correct[i]:
            choice["correct"] = True
        elif explicit_false:
            choice["correct"] = False
        if with_fixed == 1 and draw(st.booleans()):
            choice["fixed"] = True
        elif with_fixed == 2:
            choice["fixed"] = draw(st.booleans())
        if with_feedback and draw(st.booleans()):
            choice["feedback"] = draw(TEXT)
        out.append(choice)
    return out


@st.composite
def questions(draw, qid: str) -> dict:
    kind = draw(st.sampled_from(["single_choice", "multiple_response", "true_false"]))
    question: dict = {"id": qid, "type": kind, "prompt": draw(TEXT)}
    if draw(st.booleans()):
        question["points"] = draw(POINT_VALUES)
    if draw(st.integers(0, 2)) == 0:
        question["title"] = draw(LINE)
    fb = draw(feedback())
    if fb is not None:
        question["feedback"] = fb
    if kind == "true_false":
        question["answer"] = draw(st.booleans())
        labels = draw(st.integers(0, 3))
        if labels == 1:
            true_label, false_label = draw(_LABELS)
            question["labels"] = {"true": true_label, "false": false_label}
        elif labels == 2:
            question["labels"] = {"true": draw(LINE), "false": draw(LINE)}
    else:
        question["choices"] = draw(choices(single=kind == "single_choice"))
        if kind == "multiple_response":
            scoring = draw(st.sampled_from([None, "all-or-nothing", "partial", "partial"]))
            if scoring is not None:
                question["scoring"] = scoring
    return question


def question_counts(min_questions: int, max_questions: int) -> st.SearchStrategy[int]:
    """Mostly 1-20 questions when the range allows it; sometimes anything up to `max_questions`."""
    if min_questions > 20 or max_questions <= 20:
        return st.integers(min_questions, max_questions)
    small = st.integers(min_questions, 20)
    return st.integers(0, 4).flatmap(lambda roll: small if roll else st.integers(min_questions, max_questions))


@st.composite
def question_list(draw, count: int, taken: set[str]) -> list[dict]:
    if count <= LARGE_QUIZ:
        return [draw(questions(unique_id(draw(ID), taken))) for _ in range(count)]
    # A large quiz: a dozen fully drawn questions, repeated under fresh ids, each with its own points.
    pool = [draw(questions(draw(ID))) for _ in range(draw(st.integers(1, 12)))]
    out = []
    for index in range(count):
        question = dict(pool[index % len(pool)])  # shallow: replicas share their (never mutated) choices
        question["id"] = unique_id(question["id"] if index < len(pool) else f"q{index + 1}", taken)
        roll = draw(st.integers(0, 3))
        if roll == 1:
            question["points"] = draw(st.sampled_from(POINTS))
        elif roll == 2:
            question.pop("points", None)
        out.append(question)
    return out


_AUTHORS = st.lists(LINE, max_size=3)
_KEYWORDS = st.lists(LINE, max_size=4)
_VERSION = st.one_of(st.sampled_from(["1.0.0", "2024-01", "v2 <beta>"]), LINE)
_LICENSE = st.one_of(st.sampled_from(["CC-BY-4.0", "MIT", "© all rights reserved"]), LINE)
_CITATION_FIELD = st.one_of(st.sampled_from(["2019", "2019-05-01", "https://example.org/a?b=1&c=<2>"]), LINE)
_LABELS = st.sampled_from(LABELS)


@st.composite
def metadata(draw) -> dict:
    meta: dict = {}
    if draw(st.booleans()):
        meta["authors"] = draw(_AUTHORS)
    if draw(st.booleans()):
        meta["version"] = draw(_VERSION)
    if draw(st.booleans()):
        meta["keywords"] = draw(_KEYWORDS)
    if draw(st.booleans()):
        meta["license"] = draw(_LICENSE)
    if draw(st.booleans()):
        keys = ["title", "author", "publisher", "date", "url"]
        mask = draw(st.integers(1, 31))
        meta["source"] = {
            key: draw(_CITATION_FIELD)
            for bit, key in enumerate(keys)
            if mask & (1 << bit)
        }
    return meta


@st.composite
def settings(draw) -> dict:
    out: dict = {}
    if draw(st.booleans()):
        out["passingScore"] = draw(PASSING_SCORES)
    for key in ("shuffleChoices", "shuffleQuestions"):
        if draw(st.booleans()):
            out[key] = draw(st.booleans())
    if draw(st.booleans()):
        out["showFeedback"] = draw(st.sampled_from(["immediately", "after-submit", "never"]))
    return out


_LETTERS = _ID_START[:-1]
_PRIMARY_LANGUAGE = st.one_of(st.text(_LETTERS, min_size=2, max_size=3), st.text(_LETTERS, min_size=5, max_size=8))
_SUBTAGS = st.lists(st.text(_LETTERS + "0123456789", min_size=1, max_size=8), max_size=3)


@st.composite
def languages(draw) -> str:
    """A BCP 47-shaped tag as the schema's pattern allows, at most 35 characters."""
    if draw(st.booleans()):
        return draw(st.sampled_from(LANGUAGES))
    primary = draw(_PRIMARY_LANGUAGE)
    subtags = draw(_SUBTAGS)
    return "-".join([primary, *subtags])[:35].rstrip("-")


@st.composite
def quiz_sources(draw, min_questions: int = 1, max_questions: int = 300) -> dict:
    """A valid quiz source dict with between `min_questions` and `max_questions` questions."""
    count = draw(question_counts(min_questions, max_questions))
    source: dict = {}
    if draw(st.integers(0, 3)) == 0:
        source["$schema"] = draw(st.sampled_from([SCHEMA_URL, "../schemas/quiz.schema.json"]))
    source["id"] = draw(ID)  # the quiz id is outside the section/question namespace
    source["title"] = draw(LINE)
    if draw(st.booleans()):
        source["language"] = draw(languages())
    if draw(st.integers(0, 2)) == 0:
        source["description"] = draw(TEXT)
    if draw(st.integers(0, 2)) == 0:
        source["instructions"] = draw(TEXT)
    if draw(st.booleans()):
        source["metadata"] = draw(metadata())
    if draw(st.booleans()):
        source["settings"] = draw(settings())

    taken: set[str] = set()  # sections and questions share one namespace
    if draw(st.booleans()):
        sections = draw(st.integers(1, min(6, count)))
        cuts = sorted(draw(st.sets(st.integers(1, count - 1), min_size=sections - 1, max_size=sections - 1))) if sections > 1 else []
        section_ids = [unique_id(draw(ID), taken) for _ in range(sections)]
        all_questions = draw(question_list(count, taken))
        bounds = [0, *cuts, count]
        source["sections"] = []
        for index, section_id in enumerate(section_ids):
            section: dict = {"id": section_id, "title": draw(LINE)}
            if draw(st.integers(0, 2)) == 0:
                section["instructions"] = draw(TEXT)
            section["questions"] = all_questions[bounds[index] : bounds[index + 1]]
            source["sections"].append(section)
    else:
        source["questions"] = draw(question_list(count, taken))
    return source


def source_questions(source: dict) -> list[dict]:
    """The question dicts of `source` in source order."""
    if "sections" in source:
        return [q for s in source["sections"] for q in s["questions"]]
    return list(source["questions"])
