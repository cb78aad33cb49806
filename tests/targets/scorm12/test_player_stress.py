"""The SCORM 1.2 player under stress: a failing LMS API, a slow one, double submits, and a 300-question quiz.

The faulty LMS is the harness's (conftest.py, FAULTS): chosen calls answer "false" with a chosen error code.
Those failures are on purpose, so these tests use assert_clean(allow_injected=True): every other call must
still end with error "0", and every value set must pass Moodle's checks.

No timing is asserted here (speed is measured by benchmarks): the 300-question test asserts the structural
properties that keep the player responsive and only prints the times it measures (visible with -s).
"""

from __future__ import annotations

import random
import string

from test_scorm12_player import (
    ALL_CORRECT,
    answer,
    assert_interactions,
    choice,
    questions_of,
    raw_string,
    reference_percent,
    sample_quiz,
    submit,
)

COMMIT_FAILS = {"fail": [{"method": "LMSCommit", "code": "101"}]}


def methods(harness) -> list[str]:
    return [c["method"] for c in harness.calls()]


def status(frame):
    """The live region telling the learner what happened to their submission."""
    return frame.locator(".record-status[role=alert]")


def record_calls(harness) -> list[dict]:
    """The calls since the learner submitted (the first cmi.core.score.raw)."""
    calls = harness.calls()
    start = next(i for i, c in enumerate(calls) if c["method"] == "LMSSetValue" and c["args"][0] == "cmi.core.score.raw")
    return calls[start:]


def assert_still_on_page(frame, quiz, answers) -> None:
    """Every answer is still shown, checked; nothing else is."""
    expected = sorted(f"q{qi}-c{ci}" for qi, q in enumerate(questions_of(quiz)) for ci, c in enumerate(q["choices"])
                      if c["id"] in answers.get(q["id"], []))
    checked = frame.evaluate("() => Array.from(document.querySelectorAll('input:checked')).map(i => i.id)")
    assert sorted(checked) == expected
    assert "Score: 100%" in frame.locator(".results").inner_text()


def assert_recorded_once(harness, quiz, answers, times_set: int) -> dict:
    """One set of interactions in the CMI (indices 0..n-1), each element set `times_set` times with one value."""
    sent = harness.set_calls()
    n = len(questions_of(quiz))
    for element, values in sent.items():
        if element.startswith("cmi.interactions."):
            assert int(element.split(".")[2]) < n, element
            assert len(values) == times_set and len(set(values)) == 1, (element, values)
    assert len(set(sent["cmi.core.score.raw"])) == 1 and len(sent["cmi.core.score.raw"]) == times_set
    cmi = harness.cmi()
    assert sorted(cmi["cmi"]["interactions"], key=int) == [str(i) for i in range(n)]
    assert cmi["cmi"]["core"]["score"]["raw"] == raw_string(reference_percent(quiz, answers))
    ms = methods(harness)
    assert ms.count("LMSFinish") == 1 and ms[-1] == "LMSFinish"
    return cmi


# ---------------------------------------------------------------- LMSCommit fails

def test_commit_fails_once_then_the_retry_saves(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz, fake_clock=True)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults({"fail": [{"method": "LMSCommit", "code": "101", "times": 1}]})
    submit(frame)
    told = status(frame)
    assert told.is_visible()
    text = told.inner_text()
    assert "not saved yet" in text and "error 101 (General Exception) in LMSCommit" in text
    assert "Trying again in 2 seconds" in text
    assert "LMSFinish" not in methods(harness)   # never finish before a successful commit

    harness.page.clock.run_for(2100)
    assert told.inner_text() == "Your result has been saved (on try 2)."
    assert "notice-ok" in told.get_attribute("class")
    assert [c["method"] for c in record_calls(harness) if c["method"] in ("LMSCommit", "LMSFinish")] == \
        ["LMSCommit", "LMSCommit", "LMSFinish"]
    assert_interactions(harness, quiz, ALL_CORRECT)   # every interaction element set exactly once
    assert_recorded_once(harness, quiz, ALL_CORRECT, times_set=1)
    assert [c["method"] for c in harness.injected_calls()] == ["LMSCommit", "LMSGetLastError", "LMSGetErrorString"]
    harness.page.clock.run_for(60_000)
    assert methods(harness).count("LMSCommit") == 3   # the start, the failed commit, the retry: nothing after
    harness.assert_clean(allow_injected=True)


def test_commit_always_fails_then_the_learner_saves_again(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz, fake_clock=True)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults(COMMIT_FAILS)
    submit(frame)
    harness.page.clock.run_for(2100)
    assert "Trying again in 5 seconds" in status(frame).inner_text()
    harness.page.clock.run_for(5100)

    # Three tries (at once, after 2 s, after 5 s more), then the learner is told, and nothing is finished.
    assert [c["method"] for c in record_calls(harness)].count("LMSCommit") == 3
    assert "LMSFinish" not in methods(harness)
    told = status(frame)
    assert told.is_visible() and "notice-error" in told.get_attribute("class")
    text = told.inner_text()
    assert text.startswith("Your result may not have been saved")
    assert "error 101 (General Exception) in LMSCommit" in text
    assert "Your answers are still on this page" in text
    retry = frame.get_by_role("button", name="Try saving again")
    assert retry.is_visible()
    assert_still_on_page(frame, quiz, ALL_CORRECT)
    harness.page.clock.run_for(60_000)
    assert [c["method"] for c in record_calls(harness)].count("LMSCommit") == 3   # bounded: no more tries

    # The LMS recovers; the learner tries again: the same values at the same indices, a commit, then the finish.
    harness.set_faults(None)
    n = len(harness.calls())
    retry.click()
    assert told.inner_text() == "Your result has been saved."
    assert not retry.is_visible()
    again = harness.calls()[n:]
    assert [c["method"] for c in again if c["method"] != "LMSSetValue"] == ["LMSCommit", "LMSFinish"]
    assert [c["args"][0] for c in again if c["method"] == "LMSSetValue"][:5] == [
        "cmi.core.score.raw", "cmi.core.score.min", "cmi.core.score.max", "cmi.core.lesson_status",
        "cmi.interactions.0.id"]
    assert_recorded_once(harness, quiz, ALL_CORRECT, times_set=2)
    assert frame.evaluate("document.activeElement.className").startswith("record-status")   # focus not lost
    assert_still_on_page(frame, quiz, ALL_CORRECT)
    # Leaving afterwards does nothing more.
    n = len(harness.calls())
    harness.page.evaluate("document.querySelector('iframe').remove()")
    assert len(harness.calls()) == n
    harness.assert_clean(allow_injected=True)


def test_leaving_with_an_unsaved_result_tries_once_more_then_finishes(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz, fake_clock=True)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults(COMMIT_FAILS)
    submit(frame)
    harness.page.clock.run_for(1000)   # a retry is still waiting when the learner gives up and leaves
    n = len(harness.calls())
    harness.page.evaluate("document.querySelector('iframe').remove()")
    last = [c for c in harness.calls()[n:] if c["method"] != "LMSGetLastError" and c["method"] != "LMSGetErrorString"]
    assert last[-2]["method"] == "LMSCommit" and last[-1]["method"] == "LMSFinish"
    assert "cmi.core.score.raw" in [c["args"][0] for c in last if c["method"] == "LMSSetValue"]
    assert methods(harness).count("LMSFinish") == 1
    sent = harness.set_calls()
    assert sent["cmi.core.exit"] == ["", ""]   # a submitted attempt is not suspended
    harness.page.clock.run_for(60_000)
    assert methods(harness).count("LMSFinish") == 1
    harness.assert_clean(allow_injected=True)


# ---------------------------------------------------------------- LMSSetValue, LMSFinish, LMSInitialize fail

def test_set_value_fails_for_the_score(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults({"fail": [{"method": "LMSSetValue", "element": "cmi.core.score.raw", "code": "351"}],
                        "errorStrings": {"351": "General set failure"}})
    submit(frame)
    told = status(frame)
    assert told.is_visible()
    text = told.inner_text()
    assert text.startswith("Your result may not have been saved")
    assert "error 351 (General set failure) in LMSSetValue(cmi.core.score.raw)" in text
    assert frame.locator(".notice-error[role=alert]").count() == 1   # one message, not one per failed call
    # The rest is still set and committed, but a set that failed cannot be fixed by committing again,
    # and the session is not finished while the learner can still try again.
    record = [c["method"] for c in record_calls(harness)]
    assert record.count("LMSCommit") == 1 and "LMSFinish" not in record
    assert harness.cmi()["cmi"]["core"]["lesson_status"] == "passed"
    assert_still_on_page(frame, quiz, ALL_CORRECT)

    harness.set_faults(None)
    frame.get_by_role("button", name="Try saving again").click()
    assert told.inner_text() == "Your result has been saved."
    assert_recorded_once(harness, quiz, ALL_CORRECT, times_set=2)
    assert harness.cmi()["cmi"]["core"]["score"]["raw"] == "100"
    assert [c["args"][0] for c in harness.injected_calls() if c["method"] == "LMSSetValue"] == ["cmi.core.score.raw"]
    harness.assert_clean(allow_injected=True)


def test_set_value_error_text_comes_from_the_lms(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults({"fail": [{"method": "LMSSetValue", "element": "cmi.interactions.2.result", "code": "405"}]})
    submit(frame)
    assert "error 405 (Incorrect Data Type) in LMSSetValue(cmi.interactions.2.result)" in status(frame).inner_text()
    assert frame.get_by_role("button", name="Try saving again").is_visible()
    harness.assert_clean(allow_injected=True)


def test_finish_fails_then_the_learner_saves_again(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults({"fail": [{"method": "LMSFinish", "code": "101", "times": 1}]})
    submit(frame)
    text = status(frame).inner_text()
    assert text.startswith("Your result may not have been saved")
    assert "error 101 (General Exception) in LMSFinish" in text
    frame.get_by_role("button", name="Try saving again").click()
    assert status(frame).inner_text() == "Your result has been saved."
    record = [c["method"] for c in record_calls(harness) if c["method"] in ("LMSCommit", "LMSFinish")]
    assert record == ["LMSCommit", "LMSFinish", "LMSCommit", "LMSFinish"]   # the first finish failed
    sent = harness.set_calls()
    assert all(len(v) == 2 for k, v in sent.items() if k.startswith("cmi.interactions."))
    assert sorted(harness.cmi()["cmi"]["interactions"], key=int) == ["0", "1", "2", "3"]
    harness.assert_clean(allow_injected=True)


def test_initialize_fails_runs_as_a_preview_with_a_notice(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz, faults={"fail": [{"method": "LMSInitialize", "code": "101"}]})
    notice = frame.locator(".notice-preview")
    assert notice.is_visible() and notice.get_attribute("role") == "alert"
    text = notice.inner_text()
    assert "could not start this attempt" in text and "error 101 (General Exception) in LMSInitialize" in text
    assert "your results cannot be recorded" in text
    assert frame.get_by_role("button", name="Save progress").count() == 0
    answer(frame, quiz, ALL_CORRECT)
    submit(frame)
    assert "This result was not recorded (preview mode)." in frame.locator(".results").inner_text()
    # Nothing but the failed LMSInitialize and the questions about its error.
    assert methods(harness) == ["LMSInitialize", "LMSGetLastError", "LMSGetErrorString"]
    harness.assert_clean(allow_injected=True)


def test_save_progress_failure_says_why(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, {"q1": ["B"]})
    harness.set_faults(COMMIT_FAILS)
    frame.get_by_role("button", name="Save progress").click()
    text = frame.locator(".save-status").inner_text()
    assert "could not be saved" in text and "error 101 (General Exception) in LMSCommit" in text
    assert frame.locator("#q0-c1").is_checked()
    harness.set_faults(None)
    frame.get_by_role("button", name="Save progress").click()
    assert "Progress saved" in frame.locator(".save-status").inner_text()
    harness.assert_clean(allow_injected=True)


# ---------------------------------------------------------------- double submit with a slow or failing commit

def test_double_submit_with_a_slow_commit_records_once(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults({"delayMs": {"LMSCommit": 800}})   # each commit blocks the page for 0.8 s
    frame.get_by_role("button", name="Submit answers").dblclick()
    frame.wait_for_selector(".results .score")
    frame.evaluate("""() => { const b = document.querySelector('.btn-primary'); b.disabled = false; b.click(); b.click(); }""")
    assert status(frame).inner_text() == "Your result has been saved."
    assert_interactions(harness, quiz, ALL_CORRECT)
    assert_recorded_once(harness, quiz, ALL_CORRECT, times_set=1)
    assert [c["method"] for c in record_calls(harness)].count("LMSCommit") == 1
    harness.assert_clean()


def test_double_submit_while_a_failed_commit_waits_for_its_retry_records_once(harness):
    quiz = sample_quiz()
    frame = harness.open_host(quiz, fake_clock=True)
    answer(frame, quiz, ALL_CORRECT)
    harness.set_faults({"fail": [{"method": "LMSCommit", "code": "101", "times": 1}], "delayMs": {"LMSCommit": 300}})
    frame.get_by_role("button", name="Submit answers").dblclick()
    frame.wait_for_selector(".results .score")
    assert "Trying again" in status(frame).inner_text()
    # Submit again, and press the (hidden) retry button, while the retry waits: nothing is recorded again.
    frame.evaluate("""() => {
        const b = document.querySelector('.btn-primary'); b.disabled = false; b.click(); b.click();
        const r = document.querySelector('.btn-retry'); r.hidden = false; r.click(); r.click();
    }""")
    assert [c["method"] for c in record_calls(harness)].count("LMSCommit") == 1
    harness.page.clock.run_for(2100)
    assert status(frame).inner_text() == "Your result has been saved (on try 2)."
    assert_interactions(harness, quiz, ALL_CORRECT)
    assert_recorded_once(harness, quiz, ALL_CORRECT, times_set=1)
    assert [c["method"] for c in record_calls(harness)].count("LMSCommit") == 2
    harness.assert_clean(allow_injected=True)


# ---------------------------------------------------------------- 300 questions

def big_quiz(n: int = 300) -> dict:
    """300 questions in 3 sections: single choice, select-all (all-or-nothing and partial), true/false;
    every 7th choice question has 10 to 14 choices; choices and questions shuffled."""
    rng = random.Random(300)
    letters = string.ascii_lowercase + string.digits
    sections = []
    for s in range(3):
        questions = []
        for k in range(n // 3):
            i = s * (n // 3) + k
            kind = ("single_choice", "multiple_response", "true_false", "multiple_response")[i % 4]
            if kind == "true_false":
                truth = rng.random() < 0.5
                choices = [choice("true", "True", truth, "t"), choice("false", "False", not truth, "f")]
            else:
                count = rng.randint(10, 14) if i % 7 == 0 else rng.randint(3, 6)
                right = set(rng.sample(range(count), 1 if kind == "single_choice" else rng.randint(1, 3)))
                choices = [choice(f"C{c}", f"Choice {c} of question {i + 1}", c in right, letters[c],
                                  feedback=f"About choice {c}." if c % 3 == 0 else None, fixed=c == count - 1)
                           for c in range(count)]
            questions.append({
                "id": f"s{s}-q{k}", "type": kind, "title": None, "prompt": f"Question {i + 1}: pick wisely.",
                "points": 1 + i % 3, "weighting": 1 + i % 3, "scoring": "partial" if i % 8 == 3 else "all-or-nothing",
                "choices": choices, "feedback": {"correct": "Right.", "incorrect": "Not quite.", "general": None}})
        sections.append({"id": f"s{s}", "title": f"Part {s + 1}", "instructions": None, "questions": questions})
    return sample_quiz(id="stress-300", title="300 questions", shuffleChoices=True, shuffleQuestions=True,
                       sections=sections)


def test_three_hundred_questions_stay_responsive(harness):
    quiz = big_quiz()
    qs = questions_of(quiz)
    assert len(qs) == 300 and sum(len(q["choices"]) >= 10 for q in qs) >= 30
    rng = random.Random(7)
    answers = {}
    for q in qs:
        ids = [c["id"] for c in q["choices"]]
        answers[q["id"]] = [rng.choice(ids)] if q["type"] != "multiple_response" else rng.sample(ids, rng.randint(1, 3))

    frame = harness.open_host(quiz)
    loaded = frame.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    assert frame.locator("fieldset.question").count() == 300
    order = frame.evaluate("Array.from(document.querySelectorAll('fieldset.question')).map(f => f.id)")
    assert order != [f"q{i}" for i in range(300)]   # shuffled
    # Mark every question's DOM nodes: a re-render would replace them.
    frame.evaluate("""() => document.querySelectorAll('fieldset.question, fieldset.question input')
                              .forEach((n, i) => { n.__stressMark = i; })""")

    # A few real clicks: each sets cmi.suspend_data once and nothing else.
    real = [(qi, ci) for qi, q in enumerate(qs[:10]) for ci, c in enumerate(q["choices"]) if c["id"] in answers[q["id"]]]
    for qi, ci in real:
        n = len(harness.calls())
        frame.locator(f"label[for='q{qi}-c{ci}']").click()
        new = harness.calls()[n:]
        assert [(c["method"], c["args"][0]) for c in new] == [("LMSSetValue", "cmi.suspend_data")], new

    # The rest, clicked in the page, each click timed and its API calls counted.
    rest = [[f"q{qi}-c{ci}" for ci, c in enumerate(q["choices"]) if c["id"] in answers[q["id"]]]
            for qi, q in enumerate(qs) if qi >= 10]
    clicks = frame.evaluate("""(groups) => {
        const calls = window.parent.__calls, out = [];
        for (const ids of groups) for (const id of ids) {
            const label = document.querySelector(`label[for='${id}']`);
            const n = calls.length, t0 = performance.now();
            label.click();
            out.push({ms: performance.now() - t0, calls: calls.slice(n).map(c => c.method + ' ' + c.args[0])});
        }
        return out;
    }""", rest)
    assert all(c["calls"] == ["LMSSetValue cmi.suspend_data"] for c in clicks), [c for c in clicks if len(c["calls"]) != 1]
    assert frame.locator(".progress").inner_text() == "Answered: 300 of 300 questions."
    same = """() => Array.from(document.querySelectorAll('fieldset.question, fieldset.question input'))
                        .every((n, i) => n.__stressMark === i)"""
    assert frame.evaluate(same)
    suspend = harness.set_calls()["cmi.suspend_data"]
    assert max(len(v) for v in suspend) <= 4096
    assert len(suspend) == 1 + len(real) + len(clicks)

    submit_ms = frame.evaluate("""() => {
        const t0 = performance.now();
        document.querySelector('.btn-primary').click();
        return performance.now() - t0;
    }""")
    assert status(frame).inner_text() == "Your result has been saved."
    assert frame.evaluate(same)   # results and feedback are added to the same nodes
    cmi = harness.cmi()["cmi"]
    assert sorted(cmi["interactions"], key=int) == [str(i) for i in range(300)]
    assert [cmi["interactions"][str(i)]["id"] for i in range(300)] == [q["id"] for q in qs]
    for i, q in enumerate(qs):
        chosen = answers[q["id"]]
        assert cmi["interactions"][str(i)]["student_response"] == ",".join(
            c["response"] for c in q["choices"] if c["id"] in chosen)
    assert cmi["core"]["score"]["raw"] == raw_string(reference_percent(quiz, answers))
    assert len(cmi["suspend_data"]) <= 4096
    sent = harness.set_calls()
    assert all(len(v) == 1 for k, v in sent.items() if k.startswith("cmi.interactions."))
    ms = methods(harness)
    assert ms.count("LMSFinish") == 1 and ms[-2:] == ["LMSCommit", "LMSFinish"]
    harness.assert_clean()   # every call's error is "0", no Moodle violations

    times = sorted(c["ms"] for c in clicks)
    print(f"\n300 questions ({sum(len(q['choices']) for q in qs)} choices, shuffled): "
          f"page load to interactive {loaded:.0f} ms; "
          f"click handling over {len(times)} clicks: median {times[len(times) // 2]:.2f} ms, "
          f"max {times[-1]:.2f} ms; submit (scoring, feedback, {len(ms)} API calls in all) {submit_ms:.0f} ms")
