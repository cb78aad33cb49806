"""The QTI 2.1 items and test score exactly as qtiexport.scoring says, run by an independent interpreter.

qti_engine.py evaluates the packages' responseProcessing / outcomeProcessing from the QTI 2.1
specification's semantics (it imports nothing from qtiexport). For every question of the shipped
quizzes and of synthetic ones, and for every interesting response, the item's SCORE must equal
scoring.score() to the bit and the scoring rule computed here independently; FEEDBACK must name
exactly the feedback that applies; the test's outcomeProcessing must give SCORE, MAXSCORE and PASS.
"""

from __future__ import annotations

import itertools
import random
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

import qtiexport
from qtiexport import scoring
from qtiexport.model import MultipleResponse, TrueFalse
from qtiexport.targets import BuildContext, get_writer

import qti_engine
from qti_engine import score_item, test_outcomes as run_test_outcomes
from support import QTI, qti_fragments

REPO = Path(__file__).resolve().parents[3]

# A quiz made for scoring: odd point values, both scoring modes, feedback of every kind.
SYNTHETIC = {
    "id": "synthetic-scoring",
    "title": "Synthetic scoring",
    "settings": {"passingScore": 80},
    "questions": [
        {
            "id": "single_2_5",
            "type": "single_choice",
            "prompt": "Pick B.",
            "points": 2.5,
            "feedback": {"correct": "Yes, B.", "incorrect": "Not B.", "general": "B is the one."},
            "choices": [
                {"id": "A", "text": "A", "feedback": "A is wrong."},
                {"id": "B", "text": "B", "correct": True, "feedback": "B is right."},
                {"id": "C", "text": "C"},
            ],
        },
        {
            "id": "mr_all_or_nothing_3",
            "type": "multiple_response",
            "prompt": "Pick A and C.",
            "points": 3,
            "feedback": {"correct": "Both.", "incorrect": "Not exactly A and C."},
            "choices": [
                {"id": "A", "text": "A", "correct": True},
                {"id": "B", "text": "B", "feedback": "Not B."},
                {"id": "C", "text": "C", "correct": True, "feedback": "C is in."},
                {"id": "D", "text": "D"},
            ],
        },
        {
            "id": "mr_partial_1",
            "type": "multiple_response",
            "scoring": "partial",
            "prompt": "Pick the vowels.",
            "points": 1,
            "feedback": {"general": "a, e and i are vowels."},
            "choices": [
                {"id": "a", "text": "a", "correct": True},
                {"id": "b", "text": "b"},
                {"id": "c", "text": "c", "feedback": "c is a consonant."},
                {"id": "e", "text": "e", "correct": True},
                {"id": "f", "text": "f"},
                {"id": "i", "text": "i", "correct": True, "feedback": "i is a vowel."},
            ],
        },
        {
            "id": "mr_partial_7",
            "type": "multiple_response",
            "scoring": "partial",
            "prompt": "Pick the even numbers.",
            "points": 7,
            "feedback": {"correct": "All even numbers.", "incorrect": "Not all, or too many."},
            "choices": [
                {"id": "n1", "text": "1"},
                {"id": "n2", "text": "2", "correct": True, "feedback": "2 is even."},
                {"id": "n3", "text": "3", "feedback": "3 is odd."},
                {"id": "n4", "text": "4", "correct": True},
                {"id": "n5", "text": "5"},
            ],
        },
        {
            "id": "tf_false_0_1",
            "type": "true_false",
            "prompt": "One is an even number.",
            "answer": False,
            "points": 0.1,
            "feedback": {"correct": "Right, it is odd.", "incorrect": "It is odd.", "general": "Even means divisible by 2."},
        },
        {
            "id": "mr_one_correct",
            "type": "multiple_response",
            "prompt": "Select all the primes.",
            "choices": [
                {"id": "p4", "text": "4"},
                {"id": "p7", "text": "7", "correct": True, "feedback": "7 is prime."},
                {"id": "p9", "text": "9"},
            ],
        },
        {
            "id": "mr_partial_one_correct",
            "type": "multiple_response",
            "scoring": "partial",
            "points": 0.5,
            "prompt": "Select all the primes.",
            "choices": [
                {"id": "p4", "text": "4"},
                {"id": "p7", "text": "7", "correct": True},
                {"id": "p9", "text": "9", "feedback": "9 = 3 x 3."},
            ],
        },
    ],
}

SOURCES = {
    "all-features": REPO / "examples" / "all-features.json",
    "harm-reduction-ce": REPO / "source" / "harm-reduction-ce.json",
    "minimal": REPO / "examples" / "minimal.json",
    "synthetic": SYNTHETIC,
}


@lru_cache(maxsize=None)
def built(name: str):
    """Return (quiz, package) for SOURCES[name]."""
    quiz = qtiexport.load(SOURCES[name])
    return quiz, get_writer("qti21").build(quiz, BuildContext())


def build_dict(source: dict):
    quiz = qtiexport.load(source)
    return quiz, get_writer("qti21").build(quiz, BuildContext())


def item_files(package) -> dict[str, bytes]:
    """Return {item ref identifier: item file} through the test's assessmentItemRef hrefs."""
    test = etree.fromstring(package["test.xml"])
    refs = list(test.iter("{*}assessmentItemRef"))
    assert len({r.get("identifier") for r in refs}) == len(refs)
    return {r.get("identifier"): package[r.get("href")] for r in refs}


def item_xml(quiz, package, question) -> bytes:
    return item_files(package)[question.id]


def is_multiple(question) -> bool:
    return isinstance(question, MultipleResponse)


def responses_for(question) -> list[tuple[str, object]]:
    """The responses to try, each as (label, response as given to the engine)."""
    ids = [c.id for c in question.choices]
    correct = frozenset(scoring.correct_ids(question))
    wrong = [i for i in ids if i not in correct]
    if not is_multiple(question):
        # Single cardinality: one identifier, or no response at all.
        return [("none", None)] + [(f"choose {i}", i) for i in ids]
    out: list[tuple[str, object]] = [("exact", set(correct)), ("none", None), ("empty set", set())]
    for size in range(len(correct)):
        for subset in itertools.combinations(sorted(correct), size):
            out.append((f"subset {subset}", set(subset)))
    for w in wrong:
        out.append((f"correct + {w}", set(correct) | {w}))
        out.append((f"only {w}", {w}))
    if wrong:
        out.append(("correct + all wrong", set(correct) | set(wrong)))
    out.append(("all", set(ids)))
    if len(ids) <= 8:  # every other subset too: cheap, and catches any surprise
        for size in range(len(ids) + 1):
            for subset in itertools.combinations(ids, size):
                out.append((f"any {subset}", set(subset)))
    return out


def chosen_set(response) -> frozenset[str]:
    if response is None:
        return frozenset()
    if isinstance(response, str):
        return frozenset({response})
    return frozenset(response)


def independent_score(question, chosen: frozenset[str]) -> float:
    """The source format's rule, written again here (not scoring.score)."""
    points = float(question.points)
    correct = {c.id for c in question.choices if c.correct}
    if isinstance(question, MultipleResponse) and question.scoring == "partial":
        a = len(chosen & correct)
        b = len(chosen - correct)
        return max(0.0, (a - b) / len(correct) * points)
    return points if chosen == correct else 0.0


def expected_feedback(question, chosen: frozenset[str]) -> set[str]:
    fully_correct = chosen == {c.id for c in question.choices if c.correct}
    out = set()
    fb = question.feedback
    if fb is not None:
        if fb.correct and fully_correct:
            out.add("correct_fb")
        if fb.incorrect and not fully_correct:
            out.add("general_incorrect_fb")
        if fb.general:
            out.add("general_fb")
    for choice in question.choices:
        if choice.id in chosen and choice.feedback:
            out.add(f"choice_{choice.id}")
    return out


def question_cases():
    for name in SOURCES:
        quiz, _ = built(name)
        for question in quiz.questions:
            yield pytest.param(name, question.id, id=f"{name}:{question.id}")


@pytest.mark.parametrize("source, question_id", list(question_cases()))
def test_item_score_and_feedback(source, question_id):
    quiz, package = built(source)
    (question,) = [q for q in quiz.questions if q.id == question_id]
    xml = item_xml(quiz, package, question)
    for label, response in responses_for(question):
        chosen = chosen_set(response)
        outcomes = score_item(xml, response)
        library = scoring.score(question, chosen)
        assert isinstance(outcomes["SCORE"], float), label
        # Exactly the library's float: the QTI expression performs the same operations.
        assert outcomes["SCORE"] == library, (label, outcomes["SCORE"], library)
        assert outcomes["SCORE"] == pytest.approx(independent_score(question, chosen)), label
        assert outcomes["FEEDBACK"] == expected_feedback(question, chosen), label
        assert outcomes["MAXSCORE"] == float(question.points), label


def test_synthetic_quiz_covers_the_asked_for_cases():
    quiz, _ = built("synthetic")
    by_id = {q.id: q for q in quiz.questions}
    assert float(by_id["single_2_5"].points) == 2.5
    aon = by_id["mr_all_or_nothing_3"]
    assert aon.scoring == "all-or-nothing" and len(aon.choices) == 4 and len(scoring.correct_ids(aon)) == 2
    p1 = by_id["mr_partial_1"]
    assert p1.scoring == "partial" and len(p1.choices) == 6 and len(scoring.correct_ids(p1)) == 3
    p7 = by_id["mr_partial_7"]
    assert p7.scoring == "partial" and len(p7.choices) == 5 and len(scoring.correct_ids(p7)) == 2
    tf = by_id["tf_false_0_1"]
    assert isinstance(tf, TrueFalse) and tf.answer is False and float(tf.points) == 0.1
    assert len(scoring.correct_ids(by_id["mr_one_correct"])) == 1


@pytest.mark.parametrize(
    "question_id, response, expected",
    [
        ("mr_partial_1", {"a"}, 1 / 3),
        ("mr_partial_1", {"a", "e"}, 2 / 3),
        ("mr_partial_1", {"a", "e", "i", "b"}, 2 / 3),
        ("mr_partial_1", {"a", "b"}, 0.0),
        ("mr_partial_1", {"a", "b", "c"}, 0.0),  # negative count floored at 0
        ("mr_partial_7", {"n2"}, 3.5),
        ("mr_partial_7", {"n2", "n4", "n1"}, 3.5),
        ("mr_partial_7", {"n2", "n4"}, 7.0),
        ("mr_all_or_nothing_3", {"A"}, 0.0),
        ("mr_all_or_nothing_3", {"A", "C"}, 3.0),
        ("mr_all_or_nothing_3", {"A", "C", "D"}, 0.0),
        ("tf_false_0_1", "false", 0.1),
        ("tf_false_0_1", "true", 0.0),
        ("single_2_5", "B", 2.5),
        ("single_2_5", "A", 0.0),
        ("mr_one_correct", {"p7"}, 1.0),
        ("mr_one_correct", {"p7", "p9"}, 0.0),
        ("mr_partial_one_correct", {"p7", "p9"}, 0.0),
        ("mr_partial_one_correct", {"p7"}, 0.5),
    ],
)
def test_hand_computed_item_scores(question_id, response, expected):
    quiz, package = built("synthetic")
    (question,) = [q for q in quiz.questions if q.id == question_id]
    assert score_item(item_xml(quiz, package, question), response)["SCORE"] == pytest.approx(expected)


# ---- test level -------------------------------------------------------------------------------


def run_quiz(quiz, package, responses: dict[str, object]) -> tuple[dict, list[float]]:
    """Score every item for `responses` (question id -> response) and run the test's outcomeProcessing."""
    files = item_files(package)
    item_outcomes = {}
    for question in quiz.questions:
        item_outcomes[question.id] = score_item(files[question.id], responses.get(question.id))
    outcomes = run_test_outcomes(package["test.xml"], item_outcomes)
    return outcomes, [item_outcomes[q.id]["SCORE"] for q in quiz.questions]


def random_response(rng: random.Random, question):
    correct = scoring.correct_ids(question)
    ids = [c.id for c in question.choices]
    roll = rng.random()
    if roll < 0.1:
        return None
    if is_multiple(question):
        if roll < 0.55:
            return set(correct)
        if roll < 0.75:  # near misses: one correct dropped or one wrong added
            chosen = set(correct)
            extra = [i for i in ids if i not in correct]
            if extra and rng.random() < 0.5:
                chosen.add(rng.choice(extra))
            else:
                chosen.discard(rng.choice(sorted(correct)))
            return chosen
        return {i for i in ids if rng.random() < 0.5}
    if roll < 0.65:
        (answer,) = correct
        return answer
    return rng.choice(ids)


def assert_test_outcomes(quiz, outcomes, scores, responses):
    library_scores = [scoring.score(q, chosen_set(responses.get(q.id))) for q in quiz.questions]
    assert scores == library_scores
    total = scoring.total(library_scores)
    maximum = scoring.total(float(q.points) for q in quiz.questions)
    assert outcomes["SCORE"] == pytest.approx(total)
    assert outcomes["SCORE"] == pytest.approx(sum(independent_score(q, chosen_set(responses.get(q.id))) for q in quiz.questions))
    assert outcomes["MAXSCORE"] == pytest.approx(maximum)
    assert outcomes["MAXSCORE"] == pytest.approx(float(sum(q.points for q in quiz.questions)))
    passing = quiz.settings.passing_score
    if passing is None:
        assert "PASS" not in outcomes
    else:
        assert outcomes["PASS"] == (scoring.percent(total, maximum) >= float(passing))
        assert outcomes["PASS"] == scoring.passed(scoring.percent(total, maximum), passing)


def with_passing(source: dict, passing) -> dict:
    copy = dict(source)
    copy["settings"] = {**source.get("settings", {}), "passingScore": passing}
    return copy


@pytest.mark.parametrize(
    "name, passing",
    [
        ("all-features", None),  # the file's own 75
        ("harm-reduction-ce", None),  # the file's own 80
        ("synthetic", None),  # 80
        ("synthetic", 75),
        ("synthetic", 50),
    ],
)
def test_random_attempts(name, passing):
    if passing is None:
        quiz, package = built(name)
    else:
        quiz, package = build_dict(with_passing(SYNTHETIC, passing))
    assert quiz.settings.passing_score is not None
    rng = random.Random(f"{name}-{passing}")
    seen_pass = set()
    for _ in range(300):
        responses = {q.id: random_response(rng, q) for q in quiz.questions}
        outcomes, scores = run_quiz(quiz, package, responses)
        assert_test_outcomes(quiz, outcomes, scores, responses)
        seen_pass.add(outcomes["PASS"])
    assert seen_pass == {True, False}, "the random attempts should both pass and fail"


def test_no_pass_mark_means_no_pass_outcome():
    quiz, package = built("minimal")
    outcomes, scores = run_quiz(quiz, package, {"q1": "true"})
    assert outcomes == {"SCORE": 1.0, "MAXSCORE": 1.0}
    assert_test_outcomes(quiz, outcomes, scores, {"q1": "true"})


def single_choice(qid: str, points=1) -> dict:
    return {
        "id": qid,
        "type": "single_choice",
        "prompt": f"Question {qid}",
        "points": points,
        "choices": [{"id": "right", "text": "Right", "correct": True}, {"id": "wrong", "text": "Wrong"}],
    }


def partial(qid: str, points, correct: int, wrong: int) -> dict:
    return {
        "id": qid,
        "type": "multiple_response",
        "scoring": "partial",
        "prompt": f"Question {qid}",
        "points": points,
        "choices": [{"id": f"c{i}", "text": f"Correct {i}", "correct": True} for i in range(correct)]
        + [{"id": f"w{i}", "text": f"Wrong {i}"} for i in range(wrong)],
    }


def true_false(qid: str, points) -> dict:
    return {"id": qid, "type": "true_false", "prompt": f"Statement {qid}", "answer": True, "points": points}


def quiz_of(questions: list[dict], passing) -> dict:
    return {"id": "boundary", "title": "Boundary", "settings": {"passingScore": passing}, "questions": questions}


FIVE_ONE_POINT = [single_choice(f"q{i}") for i in range(5)]
TWENTY_HALF_POINT = [single_choice(f"h{i}", 0.5) for i in range(20)]
TWO_PARTIAL_HALVES = [partial("p1", 1, 2, 2), partial("p2", 1, 2, 2)]
ONE_PARTIAL_THIRDS = [partial("t", 1, 3, 1)]
TEN_TENTHS = [true_false(f"d{i}", 0.1) for i in range(10)]


def right(n: int, prefix: str) -> dict:
    return {f"{prefix}{i}": "right" for i in range(n)}


@pytest.mark.parametrize(
    "questions, passing, responses, expected_percent, expected_pass",
    [
        # 4 of 5 one-point questions is exactly 80%: a pass at 80, and 3 of 5 is not.
        (FIVE_ONE_POINT, 80, right(4, "q"), 80.0, True),
        (FIVE_ONE_POINT, 80, right(3, "q"), 60.0, False),
        (FIVE_ONE_POINT, 80, right(5, "q"), 100.0, True),
        (FIVE_ONE_POINT, 80.01, right(4, "q"), 80.0, False),
        (FIVE_ONE_POINT, 0, {}, 0.0, True),
        (FIVE_ONE_POINT, 100, right(5, "q"), 100.0, True),
        (FIVE_ONE_POINT, 100, right(4, "q"), 80.0, False),
        # half points: 15 of 20 half-point questions = 7.5 / 10 = 75%; 14 = 70%
        (TWENTY_HALF_POINT, 75, right(15, "h"), 75.0, True),
        (TWENTY_HALF_POINT, 75, right(14, "h"), 70.0, False),
        (TWENTY_HALF_POINT, 72.5, right(14, "h") | {"h14": "wrong", "h15": "wrong"}, 70.0, False),
        # partial credit in halves: 1 + 0.5 of 2 = 75%; 0.5 + 0.5 = 50%
        (TWO_PARTIAL_HALVES, 75, {"p1": {"c0", "c1"}, "p2": {"c0"}}, 75.0, True),
        (TWO_PARTIAL_HALVES, 75, {"p1": {"c0"}, "p2": {"c1"}}, 50.0, False),
        (TWO_PARTIAL_HALVES, 75, {"p1": {"c0", "c1", "w0"}, "p2": {"c0", "c1"}}, 75.0, True),
        (TWO_PARTIAL_HALVES, 75.5, {"p1": {"c0", "c1"}, "p2": {"c0"}}, 75.0, False),
        # thirds: the percentage is rounded half up to 2 decimals before the comparison
        (ONE_PARTIAL_THIRDS, 33.33, {"t": {"c0"}}, 33.33, True),
        (ONE_PARTIAL_THIRDS, 33.34, {"t": {"c0"}}, 33.33, False),
        (ONE_PARTIAL_THIRDS, 66.67, {"t": {"c0", "c1"}}, 66.67, True),
        (ONE_PARTIAL_THIRDS, 66.68, {"t": {"c0", "c1"}}, 66.67, False),
        # tenths do not add up exactly in binary; the rounded percentage still is 90 and 100
        (TEN_TENTHS, 90, {f"d{i}": "true" for i in range(9)}, 90.0, True),
        (TEN_TENTHS, 90.01, {f"d{i}": "true" for i in range(9)}, 90.0, False),
        (TEN_TENTHS, 100, {f"d{i}": "true" for i in range(10)}, 100.0, True),
    ],
)
def test_pass_mark_boundaries(questions, passing, responses, expected_percent, expected_pass):
    quiz, package = build_dict(quiz_of(questions, passing))
    outcomes, scores = run_quiz(quiz, package, responses)
    assert_test_outcomes(quiz, outcomes, scores, responses)
    total = scoring.total(scores)
    maximum = scoring.total(float(q.points) for q in quiz.questions)
    assert scoring.percent(total, maximum) == expected_percent
    assert outcomes["PASS"] is expected_pass


# ---- the interpreter itself -----------------------------------------------------------------

def _item(declaration: str, processing: str | etree._Element, outcomes: str = "") -> bytes:
    """A hand-made item: literal markup for the response declaration, extra outcomes and responseProcessing."""
    processing = qti_fragments(processing) if isinstance(processing, str) else [processing]
    return etree.tostring(QTI.assessmentItem(
        *qti_fragments(declaration),
        QTI.outcomeDeclaration(identifier="SCORE", cardinality="single", baseType="float"),
        *qti_fragments(outcomes),
        QTI.itemBody(),
        *processing,
        identifier="x", title="x", adaptive="false", timeDependent="false"))


def test_engine_templates_and_defaults():
    single = '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>'
    match_correct = '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>'
    item = _item(single, match_correct)
    assert score_item(item, "A")["SCORE"] == 1.0
    assert score_item(item, "B")["SCORE"] == 0.0
    assert score_item(item, None)["SCORE"] == 0.0
    # no defaultValue: a numeric single outcome starts at 0
    assert score_item(_item(single, ""), "A")["SCORE"] == 0.0

    mapped = """<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier">
        <correctResponse><value>A</value><value>B</value></correctResponse>
        <mapping lowerBound="0" upperBound="1.5" defaultValue="-0.25">
          <mapEntry mapKey="A" mappedValue="1"/><mapEntry mapKey="B" mappedValue="1"/><mapEntry mapKey="C" mappedValue="-2"/>
        </mapping></responseDeclaration>"""
    map_response = '<responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"/>'
    item = _item(mapped, map_response)
    assert score_item(item, {"A"})["SCORE"] == 1.0
    assert score_item(item, {"A", "B"})["SCORE"] == 1.5  # upperBound
    assert score_item(item, {"A", "C"})["SCORE"] == 0.0  # lowerBound
    assert score_item(item, {"A", "D"})["SCORE"] == 0.75  # defaultValue for an unmapped key
    assert score_item(item, None)["SCORE"] == 0.0


def test_engine_round_halves_go_up_and_nulls_propagate():
    def rounded(value: str) -> float:
        xml = _item(
            '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"/>',
            QTI.responseProcessing(QTI.setOutcomeValue(QTI.round(QTI.baseValue(value, baseType="float")),
                                                       identifier="SCORE")),
        )
        return score_item(xml, None)["SCORE"]

    assert [rounded(v) for v in ("2.5", "-2.5", "3.49", "-0.5", "0.5", "6.0")] == [3.0, -2.0, 3.0, 0.0, 1.0, 6.0]

    xml = _item(
        '<responseDeclaration identifier="RESPONSE" cardinality="multiple" baseType="identifier"><correctResponse><value>A</value></correctResponse></responseDeclaration>',
        """<responseProcessing>
             <responseCondition>
               <responseIf>
                 <or><match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match>
                     <member><baseValue baseType="identifier">B</baseValue><variable identifier="RESPONSE"/></member></or>
                 <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
               </responseIf>
               <responseElseIf>
                 <and><not><isNull><variable identifier="RESPONSE"/></isNull></not><gte><baseValue baseType="integer">2</baseValue><baseValue baseType="integer">2</baseValue></gte></and>
                 <setOutcomeValue identifier="SCORE"><baseValue baseType="float">0.5</baseValue></setOutcomeValue>
               </responseElseIf>
               <responseElse>
                 <setOutcomeValue identifier="SCORE"><baseValue baseType="float">-1</baseValue></setOutcomeValue>
               </responseElse>
             </responseCondition>
           </responseProcessing>""",
    )
    assert score_item(xml, {"A"})["SCORE"] == 1.0
    assert score_item(xml, {"B", "C"})["SCORE"] == 1.0
    assert score_item(xml, {"A", "C"})["SCORE"] == 0.5
    assert score_item(xml, None)["SCORE"] == -1.0  # match / member of NULL are NULL: not true


def test_engine_is_independent_of_the_library():
    source = Path(qti_engine.__file__).read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if line.lstrip().startswith(("import ", "from "))]
    assert imports and not [line for line in imports if "qtiexport" in line]
