"""Browser tests of the SCORM 1.2 player against scorm-again's Scorm12API (see conftest.py)."""

from __future__ import annotations

import math
import os
import random
import re
from pathlib import Path

import pytest

TIMESPAN = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
SUSPEND = re.compile(r"^2\|[0-9a-z]{1,11}\|s?\|[A-Za-z0-9_-]*$")
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "</script><script>window.__pwned=2</script>"


def choice(cid, text, correct=False, response=None, feedback=None, fixed=False):
    return {"id": cid, "text": text, "correct": correct, "feedback": feedback, "fixed": fixed,
            "response": response or cid.lower()}


def sample_quiz(**overrides) -> dict:
    """Two sections; single_choice, multiple_response all-or-nothing, multiple_response partial (2 points), true_false Yes/No."""
    quiz = {
        "format": 1, "id": "sample-quiz", "title": "Sample quiz", "language": "en",
        "description": "A quiz used by the player's browser tests.\nIt has two sections.",
        "instructions": "Answer every question, then press Submit answers.",
        "passingScore": 60, "shuffleChoices": False, "shuffleQuestions": False, "showFeedback": "after-submit",
        "sections": [
            {"id": "intro", "title": "Introduction", "instructions": "Warm-up questions.", "questions": [
                {"id": "q1", "type": "single_choice", "title": None,
                 "prompt": "Which planet is known as the Red Planet?\nThink of its colour.",
                 "points": 1, "weighting": 1, "scoring": "all-or-nothing",
                 "choices": [choice("A", "Venus"), choice("B", "Mars", True, feedback="Yes: iron oxide."), choice("C", "Jupiter")],
                 "feedback": {"correct": "Well done.", "incorrect": "It is Mars.", "general": "Mars looks red."}},
                {"id": "q2", "type": "multiple_response", "title": "Primes", "prompt": "Which of these are prime numbers?",
                 "points": 1, "weighting": 1, "scoring": "all-or-nothing",
                 "choices": [choice("A", "2", True), choice("B", "3", True), choice("C", "4"), choice("D", "9")],
                 "feedback": {"correct": None, "incorrect": None, "general": None}},
            ]},
            {"id": "advanced", "title": "Advanced", "instructions": None, "questions": [
                {"id": "q3", "type": "multiple_response", "title": None, "prompt": "Select the primary colours of light.",
                 "points": 2, "weighting": 2, "scoring": "partial",
                 "choices": [choice("A", "Red", True), choice("B", "Green", True), choice("C", "Blue", True),
                             choice("D", "Yellow", feedback="Yellow is a primary colour of pigment.")],
                 "feedback": {"correct": None, "incorrect": "Red, green and blue.", "general": None}},
                {"id": "q4", "type": "true_false", "title": None, "prompt": "Is water made of hydrogen and oxygen?",
                 "points": 1, "weighting": 1, "scoring": "all-or-nothing",
                 "choices": [choice("true", "Yes", True, "t"), choice("false", "No", False, "f")],
                 "feedback": {"correct": None, "incorrect": None, "general": None}},
            ]},
        ],
    }
    quiz.update(overrides)
    return quiz


def questions_of(quiz):
    return [q for s in quiz["sections"] for q in s["questions"]]


def reference_score(question, chosen_ids) -> float:
    """The scoring rules, written as the Python implementation does."""
    chosen = set(chosen_ids)
    correct = {c["id"] for c in question["choices"] if c["correct"]}
    if question["type"] == "multiple_response" and question["scoring"] == "partial":
        a = len(chosen & correct)
        b = len(chosen - correct)
        return max(0, (a - b) / len(correct) * question["points"])
    return question["points"] if chosen == correct else 0


def reference_percent(quiz, answers: dict) -> float:
    total = 0
    maximum = 0
    for q in questions_of(quiz):
        total += reference_score(q, answers.get(q["id"], []))
    for q in questions_of(quiz):
        maximum += q["points"]
    return math.floor(total * 10000 / maximum + 0.5) / 100


def raw_string(percent: float) -> str:
    return str(int(percent)) if percent == int(percent) else repr(percent)


def answer(frame, quiz, answers: dict) -> None:
    """Click the choices given as {question id: [choice ids]} (by label text, as a learner would)."""
    for qi, q in enumerate(questions_of(quiz)):
        for cid in answers.get(q["id"], []):
            ci = [c["id"] for c in q["choices"]].index(cid)
            frame.locator(f"label[for='q{qi}-c{ci}']").click()


def submit(frame):
    frame.get_by_role("button", name="Submit answers").click()
    frame.wait_for_selector(".results .score")


ALL_CORRECT = {"q1": ["B"], "q2": ["A", "B"], "q3": ["A", "B", "C"], "q4": ["true"]}
ALL_WRONG = {"q1": ["A"], "q2": ["C", "D"], "q3": ["D"], "q4": ["false"]}
PARTIAL = {"q1": ["B"], "q2": ["A"], "q3": ["A", "B", "D"], "q4": ["true"]}


def interactions(cmi) -> list[dict]:
    inter = cmi["cmi"]["interactions"]
    return [inter[str(i)] for i in range(len(inter))]


def assert_interactions(harness, quiz, answers):
    cmi = harness.cmi()
    inter = interactions(cmi)
    qs = questions_of(quiz)
    assert sorted(cmi["cmi"]["interactions"]) == [str(i) for i in range(len(qs))]
    for n, (q, it) in enumerate(zip(qs, inter)):
        chosen = answers.get(q["id"], [])
        assert it["id"] == q["id"]
        assert it["type"] == ("true-false" if q["type"] == "true_false" else "choice")
        assert it["student_response"] == ",".join(c["response"] for c in q["choices"] if c["id"] in chosen)
        assert it["correct_responses"]["0"]["pattern"] == ",".join(c["response"] for c in q["choices"] if c["correct"])
        assert it["result"] == ("correct" if reference_score(q, chosen) == q["points"] else "wrong")
        assert float(it["weighting"]) == q["weighting"]
        assert TIMESPAN.match(it["latency"]), it["latency"]
        assert CLOCK.match(it["time"]), it["time"]
    # What the player itself sent (scorm-again normalises some values when storing them).
    sent = harness.set_calls()
    for n, q in enumerate(qs):
        assert sent[f"cmi.interactions.{n}.id"] == [q["id"]]
        assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", sent[f"cmi.interactions.{n}.latency"][0])
        assert CLOCK.match(sent[f"cmi.interactions.{n}.time"][0])
        assert sent[f"cmi.interactions.{n}.weighting"] == [str(q["weighting"]) if q["weighting"] != int(q["weighting"]) else str(int(q["weighting"]))]
        if not answers.get(q["id"]):
            assert sent[f"cmi.interactions.{n}.latency"] == ["0000:00:00.00"]
    assert not any(k.startswith("cmi.interactions.") and k.split(".")[2] not in {str(i) for i in range(len(qs))} for k in sent)
    for element, values in sent.items():
        if element.startswith("cmi.interactions."):
            assert len(values) == 1, (element, values)
    return cmi


def assert_finished_once(harness):
    methods = [c["method"] for c in harness.calls()]
    assert methods.count("LMSInitialize") == 1
    assert methods.count("LMSFinish") == 1
    assert methods[-1] == "LMSFinish"
    assert methods[-2] == "LMSCommit"


# ---------------------------------------------------------------- (1) (2) (3) scoring and CMI

def test_all_correct_passes_and_records_interactions(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_CORRECT)
    submit(frame)
    cmi = assert_interactions(harness, quiz, ALL_CORRECT)
    core = cmi["cmi"]["core"]
    assert core["score"] == {"raw": "100", "min": "0", "max": "100"}
    assert core["lesson_status"] == "passed"
    assert core["exit"] == ""
    assert TIMESPAN.match(core["session_time"]), core["session_time"]
    sent = harness.set_calls()
    assert re.fullmatch(r"\d{4}:\d{2}:\d{2}\.\d{2}", sent["cmi.core.session_time"][-1])
    assert sent["cmi.core.score.raw"] == ["100"]
    # fields: q1 "B" of 3 = 2 -> 10, q2 A,B -> 1100, q3 A,B,C -> 1110, q4 "true" = 1 -> 01;
    # bits 101100 111001 = 44, 57 -> "s", "5"
    assert cmi["cmi"]["suspend_data"] == "2|" + cmi["cmi"]["suspend_data"].split("|")[1] + "|s|s5"
    assert_finished_once(harness)
    text = frame.locator(".results").inner_text()
    assert "Score: 100% (5 of 5 points)" in text
    assert "Passed" in text
    assert frame.locator(".question.is-correct").count() == 4
    harness.assert_clean()


def test_all_wrong_fails(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_WRONG)
    submit(frame)
    cmi = assert_interactions(harness, quiz, ALL_WRONG)
    assert cmi["cmi"]["core"]["score"]["raw"] == "0"
    assert cmi["cmi"]["core"]["lesson_status"] == "failed"
    assert all(it["result"] == "wrong" for it in interactions(cmi))
    assert "Not passed" in frame.locator(".results").inner_text()
    # after-submit feedback: marking, the chosen choice's feedback, the question's incorrect feedback
    q3 = frame.locator("#q2")
    assert "Yellow is a primary colour of pigment." in q3.inner_text()
    assert "Red, green and blue." in q3.inner_text()
    assert "It is Mars." in frame.locator("#q0").inner_text()
    assert "Mars looks red." in frame.locator("#q0").inner_text()
    harness.assert_clean()


def test_partial_answers_exact_percentage(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, PARTIAL)
    submit(frame)
    # By hand: q1 1 + q2 0 + q3 max(0, (2 - 1) / 3 * 2) + q4 1, out of 5
    total = 0
    total += 1
    total += 0
    total += max(0, (2 - 1) / 3 * 2)
    total += 1
    expected = math.floor(total * 10000 / 5 + 0.5) / 100
    assert expected == 53.33 == reference_percent(quiz, PARTIAL)
    cmi = assert_interactions(harness, quiz, PARTIAL)
    assert cmi["cmi"]["core"]["score"]["raw"] == "53.33"
    assert cmi["cmi"]["core"]["lesson_status"] == "failed"
    results = [it["result"] for it in interactions(cmi)]
    assert results == ["correct", "wrong", "wrong", "correct"]
    assert interactions(cmi)[2]["student_response"] == "a,b,d"
    assert "Partly correct" in frame.locator("#q2").inner_text()
    assert "53.33%" in frame.locator(".results").inner_text()
    harness.assert_clean()


def test_no_pass_mark_completes_and_unanswered_is_empty(harness):
    quiz = sample_quiz(passingScore=None, showFeedback="never")
    frame = harness.open_host(quiz)
    answer(frame, quiz, {"q1": ["B"]})
    submit(frame)
    cmi = assert_interactions(harness, quiz, {"q1": ["B"]})
    assert cmi["cmi"]["core"]["lesson_status"] == "completed"
    assert cmi["cmi"]["core"]["score"]["raw"] == "20"
    assert [it["student_response"] for it in interactions(cmi)] == ["b", "", "", ""]
    # "never": only the overall score
    assert frame.locator(".q-feedback:visible").count() == 0
    assert frame.locator(".question.is-correct, .question.is-incorrect").count() == 0
    assert "Passed" not in frame.locator(".results").inner_text()
    harness.assert_clean()


def test_scoring_matches_reference_on_random_answers(harness):
    quiz = sample_quiz()
    harness.open_host(quiz)
    rng = random.Random(1234)
    for q in questions_of(quiz):
        ids = [c["id"] for c in q["choices"]]
        for _ in range(30):
            chosen = [cid for cid in ids if rng.random() < 0.5]
            if q["type"] != "multiple_response":
                chosen = chosen[:1]
            mask = [c["id"] in chosen for c in q["choices"]]
            got = harness.sco.evaluate("([q, m]) => window.QtiExportPlayer.scoreQuestion(q, m)", [q, mask])
            assert got == reference_score(q, chosen)
    harness.assert_clean()


# ---------------------------------------------------------------- (4) resume

def test_resume_restores_order_and_answers_then_submits_once(harness):
    quiz = sample_quiz(shuffleChoices=True, shuffleQuestions=True)
    questions_of(quiz)[1]["choices"][3]["fixed"] = True   # q2 "9" keeps its index
    frame = harness.open_host(quiz)

    def layout(frame):
        return frame.evaluate("""() => Array.from(document.querySelectorAll('fieldset.question')).map(f => [
            f.id, Array.from(f.querySelectorAll('input')).map(i => [i.id, i.checked])])""")

    first = layout(frame)
    assert {first[0][0], first[1][0]} == {"q0", "q1"}   # questions shuffle within their section only
    assert [i for i, _ in dict(first)["q1"]][3] == "q1-c3"   # the fixed choice keeps its index
    assert [i for i, _ in dict(first)["q3"]] == ["q3-c0", "q3-c1"]   # true/false never shuffles
    answer(frame, quiz, {"q1": ["B"], "q3": ["A", "C"]})
    assert "Answered: 2 of 4" in frame.locator(".progress").inner_text()
    before = layout(frame)
    # The learner leaves: the player's unload fallback suspends the attempt.
    harness.page.evaluate("document.querySelector('iframe').remove()")
    calls = harness.calls()
    assert [c["method"] for c in calls[-2:]] == ["LMSCommit", "LMSFinish"]
    sent = harness.set_calls()
    assert sent["cmi.core.exit"] == ["suspend"]
    assert "cmi.core.score.raw" not in sent and not any(k.startswith("cmi.interactions") for k in sent)
    saved = harness.cmi()["cmi"]
    suspend_data = saved["suspend_data"]
    assert SUSPEND.match(suspend_data) and suspend_data.split("|")[2] == ""
    # source order: q1 "B" = 2 -> 10, q2 -> 0000, q3 A,C -> 1010, q4 -> 00;
    # bits 100000 101000 = 32, 40 -> "g", "o"
    assert suspend_data.split("|")[3] == "go"
    assert saved["core"]["lesson_status"] == "incomplete"
    harness.assert_clean()

    frame = harness.open_host(cmi={"core": {"entry": "resume", "lesson_status": saved["core"]["lesson_status"]},
                                   "suspend_data": suspend_data})
    assert layout(frame) == before
    assert "Your earlier answers have been restored." in frame.locator(".notices").inner_text()
    answer(frame, quiz, {"q2": ["A", "B"], "q4": ["true"]})
    submit(frame)
    final = {"q1": ["B"], "q2": ["A", "B"], "q3": ["A", "C"], "q4": ["true"]}
    cmi = assert_interactions(harness, quiz, final)
    assert cmi["cmi"]["core"]["score"]["raw"] == raw_string(reference_percent(quiz, final)) == "86.67"
    assert cmi["cmi"]["core"]["lesson_status"] == "passed"
    assert_finished_once(harness)
    harness.assert_clean()


def test_submitted_attempt_is_shown_read_only(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz, cmi={"core": {"entry": "", "lesson_status": "passed"},
                                         "suspend_data": "2|zz|s|s5"})   # all correct (see above)
    assert "already submitted" in frame.locator(".notices").inner_text()
    assert "Score: 100%" in frame.locator(".results").inner_text()
    assert frame.locator("input:not([disabled])").count() == 0
    assert frame.get_by_role("button", name="Submitted").is_disabled()
    assert [k for k in harness.set_calls() if k != "cmi.core.session_time"] == []
    harness.assert_clean()


# ---------------------------------------------------------------- (5) standalone

def test_standalone_preview_mode(harness):
    quiz = sample_quiz()
    frame = harness.open_standalone(quiz)
    notice = frame.locator(".notice-preview")
    assert notice.is_visible()
    assert notice.inner_text() == "Preview mode: no learning management system was found, so results are not recorded."
    assert frame.get_by_role("button", name="Save progress").count() == 0
    answer(frame, quiz, PARTIAL)
    submit(frame)
    assert "Score: 53.33% (2.67 of 5 points)" in frame.locator(".results").inner_text()
    assert frame.evaluate("document.documentElement.lang") == "en"
    harness.assert_clean()


# ---------------------------------------------------------------- (6) hostile text

def test_hostile_text_is_shown_literally(harness):
    quiz = sample_quiz(title=HOSTILE_IMG + HOSTILE_SCRIPT, description=HOSTILE_SCRIPT, instructions=HOSTILE_IMG)
    quiz["sections"][0]["title"] = HOSTILE_SCRIPT
    q1 = questions_of(quiz)[0]
    q1["prompt"] = HOSTILE_IMG + "\n" + HOSTILE_SCRIPT
    q1["title"] = HOSTILE_IMG
    q1["choices"][0]["text"] = HOSTILE_IMG
    q1["choices"][1]["text"] = HOSTILE_SCRIPT
    q1["choices"][1]["feedback"] = HOSTILE_IMG + " & more"
    q1["feedback"]["general"] = HOSTILE_SCRIPT
    frame = harness.open_host(quiz)
    body = frame.evaluate("document.body.textContent")
    assert HOSTILE_IMG in body and HOSTILE_SCRIPT in body
    assert frame.locator("h1").text_content() == HOSTILE_IMG + HOSTILE_SCRIPT
    assert frame.evaluate("document.title") == HOSTILE_IMG + HOSTILE_SCRIPT
    assert frame.locator("label[for='q0-c0']").text_content() == HOSTILE_IMG
    assert frame.locator("label[for='q0-c1']").text_content() == HOSTILE_SCRIPT
    answer(frame, quiz, {"q1": ["B"]})
    submit(frame)
    assert HOSTILE_IMG + " & more" in frame.locator("#q0").text_content()
    assert frame.locator("img").count() == 0
    assert frame.evaluate("document.scripts.length") == 2   # quiz-data and player.js only
    assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert harness.page.evaluate("typeof window.__pwned") == "undefined"
    harness.assert_clean()


# ---------------------------------------------------------------- (7) double submit

def test_double_submit_records_once(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_CORRECT)
    button = frame.get_by_role("button", name="Submit answers")
    button.dblclick()
    frame.wait_for_selector(".results .score")
    # Even a re-enabled button must not record a second time.
    frame.evaluate("""() => { const b = document.querySelector('.btn-primary'); b.disabled = false; b.click(); b.click(); }""")
    sent = harness.set_calls()
    assert sent["cmi.core.score.raw"] == ["100"]
    assert sent["cmi.core.lesson_status"] == ["incomplete", "passed"]
    assert_interactions(harness, quiz, ALL_CORRECT)
    assert_finished_once(harness)
    # Leaving afterwards does nothing more.
    n = len(harness.calls())
    harness.page.evaluate("document.querySelector('iframe').remove()")
    assert len(harness.calls()) == n
    harness.assert_clean()


# ---------------------------------------------------------------- (8) keyboard

def test_keyboard_only(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    page = harness.page

    def active():
        return frame.evaluate("() => { const a = document.activeElement; return a ? (a.id || a.textContent) : null; }")

    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        now = active()
        seen.append(now)
        if now == "q0-c0":
            page.keyboard.press("Space")
            assert frame.locator("#q0-c0").is_checked()
            page.keyboard.press("ArrowDown")
            assert frame.locator("#q0-c1").is_checked()
        if now == "q1-c0":
            page.keyboard.press("Space")
            assert frame.locator("#q1-c0").is_checked()
        if now == "Submit answers":
            break
    assert "q0-c0" in seen and "q1-c0" in seen and "q1-c1" in seen and "q3-c0" in seen
    assert seen[-1] == "Submit answers"
    # focus is visible (outline from :focus-visible)
    outline = frame.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    frame.wait_for_selector(".results .score")
    assert active() == "Your result"
    assert harness.cmi()["cmi"]["interactions"]["0"]["student_response"] == "b"
    assert harness.cmi()["cmi"]["interactions"]["1"]["student_response"] == "a"
    harness.assert_clean()


# ---------------------------------------------------------------- feedback modes, page structure

def test_immediate_feedback_check_answer_locks_question(harness):
    quiz = sample_quiz(showFeedback="immediately")
    frame = harness.open_host(quiz)
    check = frame.locator("#q0").get_by_role("button", name="Check answer")
    check.click()
    assert "Choose an answer first." in frame.locator("#q0").inner_text()
    answer(frame, quiz, {"q1": ["A"]})
    check.click()
    q = frame.locator("#q0")
    assert "Incorrect" in q.inner_text() and "It is Mars." in q.inner_text()
    assert frame.locator("#q0 input:not([disabled])").count() == 0
    assert not check.is_visible()
    assert frame.locator("#q1 .q-feedback").is_hidden()
    answer(frame, quiz, {"q2": ["A", "B"]})
    submit(frame)
    assert frame.locator("#q1 .q-feedback").is_visible()
    assert harness.cmi()["cmi"]["interactions"]["0"]["result"] == "wrong"
    harness.assert_clean()


def test_page_structure_and_accessibility_basics(harness):
    quiz = sample_quiz(language="de")
    quiz["sections"] = [{"id": None, "title": None, "instructions": None,
                         "questions": questions_of(sample_quiz())}]
    frame = harness.open_host(quiz)
    assert frame.evaluate("document.documentElement.lang") == "de"
    assert frame.locator("h1").text_content() == "Sample quiz"
    assert frame.locator("h2").count() == 0   # one untitled section: no heading
    assert frame.locator("fieldset").count() == 4
    assert frame.locator("fieldset legend").first.text_content().startswith("Question 1")
    assert "Primes" in frame.locator("#q1 legend").text_content()
    assert frame.locator("#q0 .q-more").text_content() == "Think of its colour."
    assert frame.locator("#q0 input[type=radio]").count() == 3
    assert frame.locator("#q1 input[type=checkbox]").count() == 4
    assert frame.locator("#q3 input[type=radio]").count() == 2
    assert frame.locator("#q1 .hint").text_content() == "Select all that apply."
    assert "(2 points)" in frame.locator("#q2 legend").text_content()   # points shown: not all 1
    for input_id in frame.evaluate("Array.from(document.querySelectorAll('input')).map(i => i.id)"):
        assert frame.locator(f"label[for='{input_id}']").count() == 1
    assert frame.locator("[role=status][aria-live=polite]").count() >= 1
    assert frame.locator("[style]").count() == 0
    assert "Yes" in frame.locator("#q3").inner_text() and "No" in frame.locator("#q3").inner_text()
    harness.assert_clean()


def test_save_progress_commits(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, {"q4": ["false"]})
    before = [c["method"] for c in harness.calls()].count("LMSCommit")
    frame.get_by_role("button", name="Save progress").click()
    assert [c["method"] for c in harness.calls()].count("LMSCommit") == before + 1
    assert "Progress saved" in frame.locator(".save-status").inner_text()
    # q4 "false" = 2 -> 10, the rest zero: bits 000000 000010 -> "A", "C"
    assert harness.cmi()["cmi"]["suspend_data"].endswith("||AC")
    harness.assert_clean()


# ---------------------------------------------------------------- suspend_data format

def field_width(q) -> int:
    n = len(q["choices"])
    return n if q["type"] == "multiple_response" else n.bit_length()


def suspend_bound(qs) -> int:
    """2 + 11 + 1 + 1 + 1 + ceil(total bits / 6), as data.max_suspend_data computes it."""
    return 16 + math.ceil(sum(field_width(q) for q in qs) / 6)


def reference_answers(qs, answers) -> str:
    """Format 2's answers part, written apart from the player: fields as bit strings, 6 bits a character."""
    bits = ""
    for q, chosen in zip(qs, answers):
        if q["type"] == "multiple_response":
            bits += "".join("1" if c else "0" for c in chosen)
        else:
            bits += format(chosen.index(True) + 1 if True in chosen else 0, f"0{field_width(q)}b")
    bits += "0" * (-len(bits) % 6)
    return "".join(B64URL[int(bits[i:i + 6], 2)] for i in range(0, len(bits), 6)).rstrip("A")


def base36(n: int) -> str:
    digits = ""
    while True:
        n, d = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[d] + digits
        if not n:
            return digits


def encode(frame, seed, submitted, answers, qs):
    return frame.evaluate("([s, b, a, q]) => window.QtiExportPlayer.encodeSuspendData(s, b, a, q)",
                          [seed, submitted, answers, qs])


def decode(frame, data, qs):
    return frame.evaluate("([d, q]) => window.QtiExportPlayer.decodeSuspendData(d, q)", [data, qs])


def question(kind, n):
    choices = ([choice("true", "True", True, "t"), choice("false", "False", False, "f")] if kind == "true_false" else
               [choice(f"C{i}", f"Choice {i}", i == 0) for i in range(n)])
    return {"id": f"{kind}-{n}", "type": kind, "title": None, "prompt": "p", "points": 1, "weighting": 1,
            "scoring": "all-or-nothing", "choices": choices,
            "feedback": {"correct": None, "incorrect": None, "general": None}}


def test_suspend_data_length_bound(harness):
    quiz = sample_quiz()
    qs = questions_of(quiz)
    qs[1]["choices"] = [choice(chr(65 + i), f"Choice {i}", True) for i in range(12)]
    frame = harness.open_host(quiz)
    # every choice of a multiple_response question, the last choice of the others
    answers = [[q["type"] == "multiple_response" or i == len(q["choices"]) - 1 for i in range(len(q["choices"]))]
               for q in qs]
    for seed in (0, 4294967295):
        data = encode(frame, seed, True, answers, qs)
        assert len(data) <= suspend_bound(qs) == 16 + 4   # 2 + 12 + 4 + 2 = 20 bits: 4 characters
        # q1 3 of 3 -> 11, q2 -> 1111 1111 1111, q3 -> 1111, q4 "false" = 2 -> 10, padding 0000:
        # 111111 111111 111111 100000 = 63, 63, 63, 32
        assert data.split("|")[3] == "___g"
        assert decode(frame, data, qs) == {"seed": seed, "submitted": True, "answers": answers}
    # 5,000 single choice questions with 4 choices, the last chosen: 3 bits each (4 -> 100), two questions a
    # character: 100100 = 36 = "k", 2,500 characters
    many = [question("single_choice", 4)] * 5000
    data = encode(frame, 4294967295, True, [[False, False, False, True]] * 5000, many)
    assert data == "2|1z141z3|s|" + "k" * 2500 and len(data) <= suspend_bound(many) == 2516
    harness.assert_clean()


def test_suspend_data_round_trips_random_answers(harness):
    frame = harness.open_host(sample_quiz())
    rng = random.Random(2024)
    for trial in range(40):
        qs = [question("multiple_response", 36), question("true_false", 2)]
        qs += [question(rng.choice(["single_choice", "multiple_response"]), rng.randint(1, 36))
               for _ in range(rng.randint(0, 30))]
        rng.shuffle(qs)
        density = rng.choice([0.0, 0.1, 0.5, 0.9, 1.0])
        answers = []
        for q in qs:
            n = len(q["choices"])
            if q["type"] == "multiple_response":
                answers.append([rng.random() < density for _ in range(n)])
            else:
                pick = n - 1 if density == 1.0 else rng.randrange(n + 1) - 1 if density else -1   # -1: nothing chosen
                answers.append([i == pick for i in range(n)])
        seed = rng.choice([0, 4294967295, rng.getrandbits(32)])
        submitted = rng.random() < 0.5
        data = encode(frame, seed, submitted, answers, qs)
        assert data == f"2|{base36(seed)}|{'s' if submitted else ''}|{reference_answers(qs, answers)}", trial
        assert SUSPEND.match(data) and len(data) <= suspend_bound(qs)
        assert decode(frame, data, qs) == {"seed": seed, "submitted": submitted, "answers": answers}, trial
        # the trailing "A"s the player drops may also be written out
        total = math.ceil(sum(field_width(q) for q in qs) / 6)
        padded = data + "A" * (total - len(data.split("|")[3]))
        assert decode(frame, padded, qs) == {"seed": seed, "submitted": submitted, "answers": answers}, trial
    # 36-choice multiple response alone: choices 0, 1 and 35 -> 110000 000000 ... 000001 = "w", "A" x 4, "B"
    mr36 = [question("multiple_response", 36)]
    chosen = [[i in (0, 1, 35) for i in range(36)]]
    assert encode(frame, 35, False, chosen, mr36) == "2|z||wAAAAB"
    # true/false alone: "true" = 1 -> 01 + padding = 010000 = 16 = "Q"; "false" = 2 -> 100000 = "g"; nothing -> ""
    tf = [question("true_false", 2)]
    assert [encode(frame, 0, False, [a], tf) for a in ([True, False], [False, True], [False, False])] == [
        "2|0||Q", "2|0||g", "2|0||"]
    harness.assert_clean()


def test_suspend_data_decoder_rejects_ill_formed_data(harness):
    quiz = sample_quiz()
    qs = questions_of(quiz)   # fields 2 + 4 + 4 + 2 = 12 bits: at most 2 characters
    frame = harness.open_host(quiz)
    nothing = {"seed": 10, "submitted": False, "answers": [[False] * len(q["choices"]) for q in qs]}
    for ok in ("2|a||", "2|a||A", "2|a||AA"):   # missing characters are zero bits
        assert decode(frame, ok, qs) == nothing, ok
    assert decode(frame, "2|a||AC", qs)["answers"][3] == [False, True]   # q4 field 10 = 2: "false"
    bad = [
        "", "2|a|", "2|a|||", "2", "1|a||", "3|a||", "02|a||", "v2|a||",        # parts, version
        "2|||", "2|A||", "2|a-b||", "2|aaaaaaaaaaaa||", "2| a||",                # seed
        "2|a|x|", "2|a|ss|", "2|a|S|",                                          # flag
        "2|a||+", "2|a||/", "2|a||A=", "2|a||A ", "2|a||é", "2|a||A,A",    # not base64url
        "2|a||AAA", "2|a||AAAB", "2|a||___",                                    # more than 2 characters
        "2|a||AD",                                                              # q4 field 11 = 3 > 2 choices
    ]
    for data in bad:
        assert decode(frame, data, qs) is None, data
    # a single choice question with 4 choices: 3 bits, 3 padding bits
    four = [question("single_choice", 4)]
    assert decode(frame, "2|a||g", four)["answers"] == [[False, False, False, True]]   # 100 000: value 4
    assert decode(frame, "2|a||o", four) is None   # 101 000: value 5 > 4 choices
    assert decode(frame, "2|a||w", four) is None   # 110 000: value 6
    assert decode(frame, "2|a||h", four) is None   # 100 001: a padding bit set
    # a resumed attempt with data the player rejects starts afresh
    frame = harness.open_host(quiz, cmi={"core": {"entry": "resume", "lesson_status": "incomplete"},
                                         "suspend_data": "2|a||AD"})
    assert frame.locator("input:checked").count() == 0
    assert "restored" not in frame.locator(".notices").inner_text()
    assert SUSPEND.match(harness.cmi()["cmi"]["suspend_data"])
    harness.assert_clean()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshot(harness, tmp_path, width):
    """Full-page pictures (desktop and phone) into $QTIEXPORT_SCREENSHOTS, else a temporary folder."""
    folder = Path(os.environ.get("QTIEXPORT_SCREENSHOTS", "").strip() or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    quiz = sample_quiz(showFeedback="immediately")
    frame = harness.open_standalone(quiz, viewport={"width": width, "height": 900})
    answer(frame, quiz, {"q1": ["B"], "q2": ["A"]})
    frame.locator("#q0").get_by_role("button", name="Check answer").click()
    harness.page.keyboard.press("Tab")   # a focus ring in the picture
    assert frame.evaluate("document.activeElement.id") == "q1-c0"
    assert frame.evaluate("document.documentElement.scrollWidth") <= width   # no sideways scrolling
    out = folder / f"player-{width}.png"
    harness.screenshot(out)
    assert out.stat().st_size > 1000
    harness.assert_clean()


# ---------------------------------------------------------------- commits and LMS errors

def test_commits_are_throttled(harness):
    quiz = sample_quiz()
    harness.write_sco(quiz)
    harness._new_page()
    harness.page.clock.install()
    frame = harness.open_host(cmi=None, reuse_page=True)

    def commits():
        return [c["method"] for c in harness.calls()].count("LMSCommit")

    assert commits() == 1   # the start: lesson_status "incomplete" and the seed
    answer(frame, quiz, {"q1": ["A"], "q2": ["A", "B"]})
    answer(frame, quiz, {"q1": ["C"], "q4": ["false"]})
    harness.page.clock.run_for(5000)
    assert commits() == 1
    assert len(harness.set_calls()["cmi.suspend_data"]) == 1 + 5   # every change updates suspend_data
    harness.page.clock.run_for(26000)
    assert commits() == 2
    harness.page.clock.run_for(60000)
    assert commits() == 2   # nothing changed since
    answer(frame, quiz, {"q1": ["B"]})
    harness.page.clock.run_for(100)
    assert commits() == 3   # more than 30 s since the last commit: committed right away
    harness.assert_clean()


def test_failed_set_value_is_reported(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    # The test LMS rejects the score (scorm-again answers "false" and error 405 for a non-number).
    harness.page.evaluate("""() => {
        const set = window.API.LMSSetValue;
        window.API.LMSSetValue = (k, v) => set(k, k === 'cmi.core.score.raw' ? 'not a number' : v);
    }""")
    answer(frame, quiz, ALL_CORRECT)
    submit(frame)
    alert = frame.locator(".notice-error[role=alert]")
    assert "cmi.core.score.raw" in alert.inner_text() and "error 405" in alert.inner_text()
    calls = harness.calls()
    failed = [i for i, c in enumerate(calls) if c["method"] == "LMSSetValue" and c["error"] != "0"]
    assert [calls[i]["args"][0] for i in failed] == ["cmi.core.score.raw"]
    assert calls[failed[0] + 1]["method"] == "LMSGetLastError" and calls[failed[0] + 1]["result"] == "405"
    assert harness.cmi()["cmi"]["core"]["lesson_status"] == "passed"
    assert harness.console_errors == []
