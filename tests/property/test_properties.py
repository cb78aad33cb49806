"""Property-based tests: every valid source loads, builds, validates, survives intact and scores the same everywhere.

For every quiz source drawn by strategies.quiz_sources (valid by construction, across the whole
format):

- `qtiexport.load` accepts it;
- both packages build; the only acceptable failure is scorm12's BuildError, and exactly when the
  player's saved state could exceed SCORM 1.2's 4,096 characters (data.max_suspend_data);
- every XML member of both packages is valid against the official XSDs;
- building again from a fresh load (of its JSON text) gives identical zip bytes;
- the packages hold exactly the source's questions, choices and correct answers (QTI: items,
  simpleChoices, correctResponse values; SCORM: the quiz-data JSON in index.html, read the way an
  HTML parser reads it), and every text arrives intact;
- one scoring model, three renderings: for drawn responses, the QTI item's SCORE (run by the
  independent interpreter tests/targets/qti21/qti_engine.py) equals qtiexport.scoring.score
  exactly and the player's own JavaScript scoreQuestion (run by Node) too; the item's FEEDBACK is
  the feedback that applies; for whole attempts, the QTI test's SCORE/MAXSCORE/PASS and the
  player's total/max/percent/passed equal Python's total/percent/passed.

Profiles (tests/conftest.py): "default" runs 25 examples per test, `--hypothesis-profile=thorough`
400; the 200-300-question test runs 3 per 25 of those.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from lxml import etree

import qtiexport
from qtiexport import scoring
from qtiexport._xml import xml_decimal
from qtiexport.errors import BuildError
from qtiexport.model import Choice, MultipleResponse, Quiz, Section
from qtiexport.packaging.xsd import Standards
from qtiexport.packaging.zipwriter import zip_bytes
from qtiexport.reader import load_text
from qtiexport.targets.scorm12.data import SUSPEND_DATA_LIMIT, max_suspend_data

from strategies import quiz_sources, source_questions
from support import REPO, require, helper_module

# When a Hypothesis test fails, Hypothesis's pytest plugin imports hypothesis.extra._patching (libcst),
# which emits a DeprecationWarning from mypy_extensions; with pytest's filterwarnings = error that is an
# INTERNALERROR hiding the failure. Importing it once here, with that warning ignored, keeps failures readable.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:
        import hypothesis.extra._patching  # noqa: F401
    except ImportError:
        pass

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
PLAYER_JS = REPO / "qtiexport" / "targets" / "scorm12" / "player" / "player.js"
PLAYER_SCORING = Path(__file__).with_name("player_scoring.mjs")
# The whole-quiz expressions player_scoring.mjs repeats from player.js scoreQuiz (not exposed).
PLAYER_QUIZ_EXPRESSIONS = ("Math.floor(total * 10000 / max + 0.5) / 100", "percent >= data.passingScore")

# 3 examples of a 200-300-question quiz per 25 examples of the current profile (3 by default).
LARGE_EXAMPLES = max(1, round(settings.default.max_examples * 3 / 25))


def _qti_engine():
    """tests/targets/qti21/qti_engine.py, imported under its own name (shared with test_scoring.py)."""
    return helper_module("qti_engine", "targets/qti21/qti_engine.py")


engine = _qti_engine()


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def node() -> str | None:
    """The `node` executable, or None (test_node_is_available reports why that matters)."""
    return shutil.which("node")


def test_node_is_available(node):
    require(
        node is not None,
        "node not found on PATH: the SCORM player's JavaScript scoring is not compared with Python and QTI "
        "(those two are still compared with each other)",
    )


def test_player_still_computes_the_quiz_percentage_as_player_scoring_mjs_repeats_it():
    source = PLAYER_JS.read_text(encoding="utf-8")
    for expression in PLAYER_QUIZ_EXPRESSIONS:
        assert expression in source, f"player.js no longer contains {expression!r}; update player_scoring.mjs"


# ---------------------------------------------------------------- reading the packages


class _QuizDataReader(HTMLParser):
    """Reads index.html as an HTML parser does: the text of <script type="application/json" id="quiz-data">, and <title>."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.titles: list[str] = []
        self._into: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("id") == "quiz-data":
            assert attributes.get("type") == "application/json"
            self.scripts.append("")
            self._into = self.scripts
        elif tag == "title":
            self.titles.append("")
            self._into = self.titles

    def handle_endtag(self, tag):
        if tag in ("script", "title"):
            self._into = None

    def handle_data(self, data):
        if self._into is not None:
            self._into[-1] += data


def scorm_quiz_data(package, defaults: bool = True) -> dict:
    """The quiz data in the package's index.html; with `defaults`, as the player reads it (with_player_defaults)."""
    reader = _QuizDataReader()
    reader.feed(package["index.html"].decode("utf-8"))
    reader.close()
    assert len(reader.scripts) == 1, "index.html must hold exactly one quiz-data element"
    data = json.loads(reader.scripts[0])
    assert reader.titles == [data["title"]]
    return with_player_defaults(data) if defaults else data


def with_player_defaults(data: dict) -> dict:
    """`data` with what format 2 leaves out put back, as the player's withDefaults does (checked against it below)."""
    data = copy.deepcopy(data)
    for section in data["sections"]:
        for q in section["questions"]:
            responses = "tf" if q["type"] == "true_false" else "abcdefghijklmnopqrstuvwxyz0123456789"
            q.setdefault("title", None)
            q.setdefault("weighting", min(q["points"], 100))
            q.setdefault("scoring", "all-or-nothing")
            feedback = q.get("feedback") or {}
            q["feedback"] = {key: feedback.get(key) for key in ("correct", "incorrect", "general")}
            for i, c in enumerate(q["choices"]):
                c.setdefault("correct", False)
                c.setdefault("feedback", None)
                c.setdefault("fixed", False)
                c.setdefault("response", responses[i])
    return data


def player_questions(data: dict) -> list[dict]:
    return [q for section in data["sections"] for q in section["questions"]]


def qti_items(package) -> dict[str, bytes]:
    """{assessmentItemRef identifier: item document}, in test order."""
    test = etree.fromstring(package["test.xml"])
    return {ref.get("identifier"): package[ref.get("href")] for ref in test.iter(f"{{{QTI}}}assessmentItemRef")}


def paragraphs(text: str) -> list[str]:
    """The format's paragraphs: lines that are not blank."""
    return [line for line in text.split("\n") if line.strip()]


def expected_choices(question: dict) -> list[tuple[str, str, bool]]:
    """(id, text, correct) of each choice of a source question, true/false ones included."""
    if question["type"] == "true_false":
        labels = question.get("labels", {"true": "True", "false": "False"})
        return [("true", labels["true"], question["answer"]), ("false", labels["false"], not question["answer"])]
    return [(c["id"], c["text"], c.get("correct", False)) for c in question["choices"]]


# ---------------------------------------------------------------- package properties


def build_packages(quiz):
    """(qti21 package, scorm12 package or None); scorm12 may refuse only a quiz whose saved state could exceed 4,096."""
    qti = qtiexport.build(quiz, "qti21")
    longest = max_suspend_data(quiz)
    try:
        scorm = qtiexport.build(quiz, "scorm12")
    except BuildError:
        assert longest > SUSPEND_DATA_LIMIT, f"scorm12 refused a quiz whose saved state is at most {longest} characters"
        return qti, None
    assert longest <= SUSPEND_DATA_LIMIT, f"scorm12 built a quiz whose saved state could reach {longest} characters"
    return qti, scorm


def assert_valid_xml(standards, package, quiz) -> None:
    xml_members = [name for name in package.names() if name.endswith(".xml")]
    assert "imsmanifest.xml" in xml_members
    for name in xml_members:
        root = etree.fromstring(package[name])
        schema_set = Standards.schema_set_for(root)
        assert schema_set is not None, f"{package.name}/{name}: unknown root element {root.tag}"
        problems = standards.validate(root, schema_set)
        assert problems == [], f"{package.name}/{name}: {[str(p) for p in problems[:5]]}"


def assert_qti_matches_source(package, questions: list[dict]) -> None:
    items = qti_items(package)
    assert list(items) == [q["id"] for q in questions]
    roots = {name: etree.fromstring(data) for name, data in package.members if name.endswith(".xml")}
    assert sum(root.tag == f"{{{QTI}}}assessmentItem" for root in roots.values()) == len(questions)
    n_choices = n_correct = 0
    for number, question in enumerate(questions, start=1):
        item = etree.fromstring(items[question["id"]])
        assert item.get("identifier") == question["id"]
        assert item.get("title") == question.get("title", f"Question {number}")
        expected = expected_choices(question)
        simple = list(item.iter(f"{{{QTI}}}simpleChoice"))
        assert [(c.get("identifier"), c.text) for c in simple] == [
            (cid, "\n".join(paragraphs(text))) for cid, text, _ in expected
        ], question["id"]
        values = [v.text for v in item.iterfind(f"{{{QTI}}}responseDeclaration/{{{QTI}}}correctResponse/{{{QTI}}}value")]
        assert sorted(values) == sorted(cid for cid, _, correct in expected if correct), question["id"]
        prompt = item.find(f"{{{QTI}}}itemBody/{{{QTI}}}div")
        assert [p.text for p in prompt] == paragraphs(question["prompt"]), question["id"]
        n_choices += len(simple)
        n_correct += len(values)
    all_choices = [c for q in questions for c in expected_choices(q)]
    assert n_choices == len(all_choices)
    assert n_correct == sum(correct for _, _, correct in all_choices)


def assert_scorm_matches_source(package, source: dict, questions: list[dict]) -> None:
    data = scorm_quiz_data(package)
    assert (data["id"], data["title"], data["language"]) == (source["id"], source["title"], source.get("language", "en"))
    assert data["description"] == source.get("description") and data["instructions"] == source.get("instructions")
    passing = source.get("settings", {}).get("passingScore")
    assert data["passingScore"] == (None if passing is None else float(passing))
    if "sections" in source:
        assert [(s["id"], s["title"], s["instructions"]) for s in data["sections"]] == [
            (s["id"], s["title"], s.get("instructions")) for s in source["sections"]
        ]
        assert [len(s["questions"]) for s in data["sections"]] == [len(s["questions"]) for s in source["sections"]]
    played = player_questions(data)
    assert len(played) == len(questions)
    for got, question in zip(played, questions):
        assert (got["id"], got["type"], got["prompt"], got["title"]) == (
            question["id"], question["type"], question["prompt"], question.get("title")
        )
        assert got["points"] == float(question.get("points", 1))
        assert [(c["id"], c["text"], c["correct"]) for c in got["choices"]] == expected_choices(question)
        if question["type"] != "true_false":
            assert [(c["feedback"], c["fixed"]) for c in got["choices"]] == [
                (c.get("feedback"), c.get("fixed", False)) for c in question["choices"]
            ]
        feedback = question.get("feedback", {})
        assert got["feedback"] == {key: feedback.get(key) for key in ("correct", "incorrect", "general")}
    all_choices = [c for q in played for c in q["choices"]]
    assert len(all_choices) == sum(len(expected_choices(q)) for q in questions)
    assert sum(c["correct"] for c in all_choices) == sum(c for q in questions for _, _, c in expected_choices(q))


def check_packages(standards, source: dict):
    """Every package property for `source`; returns (quiz, qti package, scorm package or None)."""
    quiz = qtiexport.load(source)
    questions = source_questions(source)
    assert [q.id for q in quiz.questions] == [q["id"] for q in questions]
    qti, scorm = build_packages(quiz)

    for package in (qti, scorm):
        if package is not None:
            assert_valid_xml(standards, package, quiz)

    # Deterministic: a fresh load of the same source (from its JSON text) gives the same bytes.
    qti_again, scorm_again = build_packages(load_text(json.dumps(source)))
    assert zip_bytes(qti_again) == zip_bytes(qti)
    assert (scorm_again is None) == (scorm is None)
    if scorm is not None:
        assert zip_bytes(scorm_again) == zip_bytes(scorm)

    assert_qti_matches_source(qti, questions)
    if scorm is not None:
        assert_scorm_matches_source(scorm, source, questions)
    return quiz, qti, scorm


@given(source=quiz_sources(max_questions=20))
def test_every_valid_source_builds_valid_identical_complete_packages(standards, source):
    check_packages(standards, source)


# ---------------------------------------------------------------- scoring properties


@st.composite
def _response(draw, ids: tuple[str, ...], correct: frozenset[str], multiple: bool) -> frozenset[str]:
    """Chosen choice ids a learner can submit: nothing, the correct answer, a near miss, anything."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return correct
    if kind == 1:
        return frozenset()
    if not multiple:
        return frozenset({ids[draw(st.integers(0, len(ids) - 1))]})
    if kind == 2:  # one choice toggled
        return correct ^ {ids[draw(st.integers(0, len(ids) - 1))]}
    ticks = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids)))
    return frozenset(i for i, tick in zip(ids, ticks) if tick)


def responses(question) -> st.SearchStrategy[frozenset[str]]:
    # Arguments are hashable, so Hypothesis reuses one strategy per question shape.
    ids = tuple(c.id for c in question.choices)
    return _response(ids, frozenset(scoring.correct_ids(question)), isinstance(question, MultipleResponse))


def engine_response(question, chosen: frozenset[str]):
    """The response as a QTI delivery engine submits it: NULL, an identifier, or a set of identifiers."""
    if not chosen:
        return None
    if isinstance(question, MultipleResponse):
        return set(chosen)
    (only,) = chosen
    return only


def expected_feedback(question, chosen: frozenset[str]) -> set[str]:
    """docs/format.md: correct on full points, incorrect otherwise, general always, a choice's when chosen."""
    full = chosen == scoring.correct_ids(question)
    out = set()
    fb = question.feedback
    if fb is not None:
        if fb.correct and full:
            out.add("correct_fb")
        if fb.incorrect and not full:
            out.add("general_incorrect_fb")
        if fb.general:
            out.add("general_fb")
    out |= {f"choice_{c.id}" for c in question.choices if c.id in chosen and c.feedback}
    return out


def run_player(node: str, cases: list[dict]) -> list[dict]:
    """Score `cases` with the player's JavaScript (one Node process for all of them)."""
    result = subprocess.run(
        [node, str(PLAYER_SCORING), str(PLAYER_JS)],
        input="\n".join(json.dumps(case) for case in cases) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.split("\n") if line.strip()]  # not splitlines(): U+2028 is text
    assert len(out) == len(cases)
    return out


def check_scoring(data, quiz, qti, scorm, node: str | None, max_responses: int) -> None:
    """Draw responses for every question and compare Python, the QTI item and test, and the player's JavaScript."""
    questions = quiz.questions
    items = qti_items(qti)
    drawn = {}
    for q in questions:
        strategy = responses(q)
        drawn[q.id] = [
            data.draw(strategy, label=f"response to {q.id}") for _ in range(data.draw(st.integers(1, max_responses)))
        ]
    played = player_questions(scorm_quiz_data(scorm)) if scorm is not None else None
    js_cases: list[dict] = []
    js_expected: list[tuple[str, object]] = []

    def mask(question, chosen):
        return [c.id in chosen for c in question.choices]

    # Per question: Python == QTI item == JavaScript, to the bit.
    outcomes: dict[tuple[str, frozenset], dict] = {}
    for index, question in enumerate(questions):
        for chosen in drawn[question.id]:
            python = scoring.score(question, chosen)
            result = engine.score_item(items[question.id], engine_response(question, chosen))
            outcomes[(question.id, chosen)] = result
            where = f"{question.id} chose {sorted(chosen)}"
            assert result["SCORE"] == python, (where, result["SCORE"], python)
            assert result["MAXSCORE"] == float(question.points), where
            assert result["FEEDBACK"] == expected_feedback(question, chosen), where
            if played is not None:
                assert played[index]["id"] == question.id
                js_cases.append({"question": played[index], "chosen": mask(question, chosen)})
                js_expected.append((where, python))

    # Whole attempts: the i-th drawn response of every question, all correct, nothing at all.
    attempts = [
        [drawn[q.id][i % len(drawn[q.id])] for q in questions] for i in range(max(len(r) for r in drawn.values()))
    ]
    attempts.append([frozenset(scoring.correct_ids(q)) for q in questions])
    attempts.append([frozenset() for _ in questions])
    maximum = scoring.total(float(q.points) for q in questions)
    passing = quiz.settings.passing_score
    for attempt in attempts:
        scores = [scoring.score(q, chosen) for q, chosen in zip(questions, attempt)]
        total = scoring.total(scores)
        percent = scoring.percent(total, maximum)
        passed = scoring.passed(percent, passing)
        item_outcomes = {}
        for q, chosen in zip(questions, attempt):
            if (q.id, chosen) not in outcomes:
                outcomes[(q.id, chosen)] = engine.score_item(items[q.id], engine_response(q, chosen))
            item_outcomes[q.id] = outcomes[(q.id, chosen)]
        test = engine.test_outcomes(qti["test.xml"], item_outcomes)
        where = f"attempt {[sorted(c) for c in attempt]}"
        assert test["SCORE"] == total, (where, test["SCORE"], total)
        assert test["MAXSCORE"] == maximum, (where, test["MAXSCORE"], maximum)
        if passing is None:
            assert "PASS" not in test, where
        else:
            assert test["PASS"] == passed, (where, percent, float(passing))
        if played is not None:
            js_cases.append(
                {
                    "questions": played,
                    "answers": [mask(q, chosen) for q, chosen in zip(questions, attempt)],
                    "passingScore": None if passing is None else float(passing),
                }
            )
            js_expected.append((where, {"scores": scores, "total": total, "max": maximum, "percent": percent, "passed": passed}))

    if node is None or not js_cases:
        return
    for (where, expected), got in zip(js_expected, run_player(node, js_cases)):
        if isinstance(expected, dict):
            assert got == expected, where
        else:
            assert got["score"] == expected, (where, got["score"], expected)


@given(data=st.data())
def test_one_scoring_model_three_renderings(node, data):
    source = data.draw(quiz_sources(max_questions=20), label="source")
    quiz = qtiexport.load(source)
    qti, scorm = build_packages(quiz)
    check_scoring(data, quiz, qti, scorm, node, max_responses=3)


@settings(max_examples=LARGE_EXAMPLES)
@given(data=st.data())
def test_large_quizzes(standards, node, data):
    """200-300 questions: every package property and every scoring property, one drawn response per question."""
    source = data.draw(quiz_sources(min_questions=200, max_questions=300), label="source")
    quiz, qti, scorm = check_packages(standards, source)
    check_scoring(data, quiz, qti, scorm, node, max_responses=1)


# ---------------------------------------------------------------- the one acceptable build failure


def quiz_of(count: int) -> Quiz:
    """A quiz of `count` 36-choice select-all questions (the most saved state per question), built as a model."""
    choices = tuple(Choice(id=f"c{i}", text=f"choice {i}", correct=i == 0) for i in range(36))
    questions = tuple(MultipleResponse(id=f"q{n}", prompt="p", choices=choices) for n in range(count))
    return Quiz(id="long", title="Long", sections=(Section(id=None, title=None, questions=questions),), has_sections=False)


def test_scorm12_refuses_exactly_the_quizzes_whose_saved_state_could_exceed_4096_characters():
    # Generated sources never come near the limit: find the boundary with the writer's own measure
    # (whatever the suspend_data format), then check both sides of it.
    low, high = 1, 1
    while max_suspend_data(quiz_of(high)) <= SUSPEND_DATA_LIMIT:
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if max_suspend_data(quiz_of(middle)) <= SUSPEND_DATA_LIMIT else (low, middle)
    fits, too_long = quiz_of(low), quiz_of(high)
    assert max_suspend_data(fits) <= SUSPEND_DATA_LIMIT < max_suspend_data(too_long)
    assert "index.html" in qtiexport.build(fits, "scorm12")
    with pytest.raises(BuildError, match=f"{max_suspend_data(too_long)} characters"):
        qtiexport.build(too_long, "scorm12")


# ---------------------------------------------------------------- library bugs found


def _with_trailing_newline(where: str) -> dict:
    source = {
        "id": "quiz",
        "title": "t",
        "questions": [
            {"id": "q1", "type": "single_choice", "prompt": "p",
             "choices": [{"id": "A", "text": "a", "correct": True}, {"id": "B", "text": "b"}]},
        ],
    }
    if where == "quiz id":
        source["id"] = "quiz\n"
    elif where == "question id":
        source["questions"][0]["id"] = "q1\n"
    elif where == "choice id":
        source["questions"][0]["choices"][0]["id"] = "A\n"
    elif where == "section id":
        source = {"id": "quiz", "title": "t", "sections": [{"id": "s1\n", "title": "s", "questions": source["questions"]}]}
    elif where == "language":
        source["language"] = "en\n"
    return source


@pytest.mark.parametrize("where", ["quiz id", "section id", "question id", "choice id", "language"])
def test_a_trailing_newline_is_not_part_of_an_identifier_or_language_tag(where):
    with pytest.raises(qtiexport.InputError):
        qtiexport.load(_with_trailing_newline(where))


MINIMAL_QUESTIONS = [{"id": "q1", "type": "true_false", "prompt": "p", "answer": True}]


def test_a_quiz_title_of_up_to_500_characters_gives_a_valid_scorm_manifest(standards):
    from qtiexport.targets import BuildContext

    quiz = qtiexport.load({"id": "t", "title": "x" * 201, "questions": MINIMAL_QUESTIONS})
    ctx = BuildContext()
    package = qtiexport.build(quiz, "scorm12", ctx)
    assert_valid_xml(standards, package, quiz=None)
    assert [(w.pointer, w.severity) for w in ctx.warnings] == [("/title", "warning")]
    assert ("x" * 199 + "\u2026").encode() in package["imsmanifest.xml"]


def test_a_tiny_passing_score_gives_a_valid_scorm_manifest(standards):
    quiz = qtiexport.load({"id": "t", "title": "t", "settings": {"passingScore": 1e-200}, "questions": MINIMAL_QUESTIONS})
    package = qtiexport.build(quiz, "scorm12")
    assert_valid_xml(standards, package, quiz=None)
    assert b"<adlcp:masteryscore>0.01</adlcp:masteryscore>" in package["imsmanifest.xml"]


@settings(max_examples=30, deadline=None)
@given(source=quiz_sources(max_questions=12))
def test_the_player_fills_in_the_defaults_format_2_leaves_out_as_the_tests_do(node, source):
    """player.js withDefaults and with_player_defaults agree, so every check above reads what the player reads."""
    if node is None:
        pytest.skip("node not found on PATH (test_node_is_available says why that matters)")
    from qtiexport.api import build

    quiz = load_text(json.dumps(source))
    try:
        package = build(quiz, "scorm12")
    except BuildError:  # too large for cmi.suspend_data
        return
    lean = scorm_quiz_data(package, defaults=False)
    assert lean["format"] == 2
    filled = run_player(node, [{"withDefaults": lean}])[0]
    assert filled == with_player_defaults(lean)
    full = run_player(node, [{"withDefaults": filled}])[0]
    assert full == filled  # data with every field (format 1) keeps it
