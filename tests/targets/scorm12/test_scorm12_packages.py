"""Built SCORM 1.2 packages: manifest, determinism, limits, and scripted learners on every shipped source in a real
browser against scorm-again, with Moodle's stricter checks on every value the player sets."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from lxml import etree

import qtiexport
from qtiexport import scoring
from qtiexport.packaging.zipwriter import zip_bytes
from qtiexport.targets import BuildContext, get_writer
from support import REPO, quiz_sources

SOURCES = quiz_sources()
CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


def build(quiz, ctx=None):
    return get_writer("scorm12").build(quiz, ctx or BuildContext())


def raw(percent: float) -> str:
    return str(int(percent)) if percent == int(percent) else repr(percent)


def expected(quiz, answers: dict[str, set[str]]) -> tuple[float, str]:
    earned = scoring.total(scoring.score(q, answers.get(q.id, ())) for q in quiz.questions)
    maximum = scoring.total(float(q.points) for q in quiz.questions)
    percent = scoring.percent(earned, maximum)
    verdict = scoring.passed(percent, quiz.settings.passing_score)
    return percent, {None: "completed", True: "passed", False: "failed"}[verdict]


def click_answers(frame, quiz, answers: dict[str, set[str]]) -> None:
    for qi, question in enumerate(quiz.questions):
        for ci, choice in enumerate(question.choices):
            if choice.id in answers.get(question.id, ()):
                frame.locator(f"label[for='q{qi}-c{ci}']").click()


def submit(frame) -> None:
    frame.get_by_role("button", name="Submit answers").click()
    frame.wait_for_selector(".results .score")


def all_correct(quiz):
    return {q.id: set(scoring.correct_ids(q)) for q in quiz.questions}


def all_wrong(quiz):
    out = {}
    for q in quiz.questions:
        wrong = [c.id for c in q.choices if not c.correct]
        out[q.id] = set(wrong[:1]) if len(scoring.correct_ids(q)) == 1 or not wrong else set(wrong)
    return out


def some_answers(quiz, seed: int):
    rng = random.Random(seed)
    out = {}
    for q in quiz.questions:
        ids = [c.id for c in q.choices]
        if len(scoring.correct_ids(q)) == 1 and not isinstance(q, qtiexport.model.MultipleResponse):
            out[q.id] = {rng.choice(ids)} if rng.random() < 0.8 else set()
        else:
            out[q.id] = {i for i in ids if rng.random() < 0.5}
    return out


LMS_MASTERY = {"core": {"credit": "credit", "lesson_mode": "normal"}}


def lms_cmi(quiz) -> dict:
    """CMI as an LMS that applies masteryscore presets it (scorm-again then overrides the status like Moodle)."""
    cmi = {"core": dict(LMS_MASTERY["core"])}
    if quiz.settings.passing_score is not None:
        cmi["student_data"] = {"mastery_score": qtiexport._xml.xml_decimal(quiz.settings.passing_score)}
    return cmi


# ------------------------------------------------------------------ packages, no browser


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_package_is_valid_against_the_scorm_schemas(source, tmp_path, standards):
    path = qtiexport.export(qtiexport.load(source), "scorm12", tmp_path)
    report = qtiexport.check(path, standards.root)
    assert report.findings == []
    assert report.validated == 1


def test_manifest_follows_scorm_and_moodle_rules():
    quiz = qtiexport.load(REPO / "source" / "harm-reduction-ce.json")
    package = build(quiz)
    manifest = etree.fromstring(package["imsmanifest.xml"])
    ns = {"cp": CP, "adlcp": ADLCP}
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
    assert b"<adlcp:masteryscore>80</adlcp:masteryscore>" in package["imsmanifest.xml"]
    (organizations,) = manifest.xpath("cp:organizations", namespaces=ns)
    (organization,) = organizations.xpath("cp:organization", namespaces=ns)
    assert organizations.get("default") == organization.get("identifier")
    (item,) = organization.xpath("cp:item", namespaces=ns)
    assert item.findtext("cp:title", namespaces=ns) == quiz.title
    (resource,) = manifest.xpath("//cp:resource", namespaces=ns)
    assert item.get("identifierref") == resource.get("identifier")
    assert resource.get("type") == "webcontent"
    assert resource.get(f"{{{ADLCP}}}scormtype") == "sco"
    assert resource.get("href") == "index.html"
    assert sorted(resource.xpath("cp:file/@href", namespaces=ns)) == sorted(n for n in package.names() if n != "imsmanifest.xml")


def test_no_pass_mark_means_no_masteryscore():
    package = build(qtiexport.load(REPO / "examples" / "minimal.json"))
    assert b"masteryscore" not in package["imsmanifest.xml"]


def test_rebuild_is_byte_identical_and_the_seed_quiz_is_small():
    quiz = qtiexport.load(REPO / "source" / "harm-reduction-ce.json")
    first = zip_bytes(build(quiz))
    assert first == zip_bytes(build(qtiexport.load(REPO / "source" / "harm-reduction-ce.json")))
    assert len(first) < 60_000


def test_quiz_data_is_json_data_not_script():
    quiz = qtiexport.load({"id": "x", "title": "</script><script>alert(1)</script>", "questions": [
        {"id": "q", "type": "true_false", "prompt": "<img src=x onerror=alert(1)> & ]]>", "answer": True}]})
    index = build(quiz)["index.html"].decode("utf-8")
    assert index.count("<script") == 2  # the data block and player.js
    assert "</script><script>alert" not in index
    assert "\\u003c/script\\u003e" in index
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in index


def _big_quiz(questions: int, choices: int, kind: str = "multiple_response") -> dict:
    return {"id": "big", "title": "Big", "questions": [
        {"id": f"q{n}", "type": kind, "prompt": f"Question {n}",
         "choices": [{"id": f"c{c}", "text": f"Choice {c}", "correct": c == 0} for c in range(choices)]}
        for n in range(questions)]}


def test_five_thousand_single_choice_questions_fit_in_suspend_data():
    from qtiexport.targets.scorm12.data import max_suspend_data

    quiz = qtiexport.load(_big_quiz(5000, 4, "single_choice"))
    # 3 bits a question (values 0-4): 15,000 bits = 2,500 characters, after a header of at most 16
    assert max_suspend_data(quiz) == 2516 <= 4096
    assert build(quiz).names()


def test_two_hundred_36_choice_questions_fit_in_suspend_data():
    from qtiexport.targets.scorm12.data import max_suspend_data

    quiz = qtiexport.load(_big_quiz(200, 36))
    assert max_suspend_data(quiz) == 16 + 200 * 36 // 6 == 1216
    assert build(quiz).names()


def test_a_quiz_just_over_the_bound_is_refused():
    from qtiexport.targets.scorm12.data import max_suspend_data

    # 680 x 36 bits = 24,480 bits = 4,080 characters: 4,096 with the header, the most that fits
    source = _big_quiz(680, 36)
    fits = qtiexport.load(source)
    assert max_suspend_data(fits) == 4096
    assert build(fits).names()
    # one true/false question more (2 bits): 4,081 characters, 4,097 in all
    source["questions"].append({"id": "tf", "type": "true_false", "prompt": "p", "answer": True})
    too_long = qtiexport.load(source)
    assert max_suspend_data(too_long) == 4097
    with pytest.raises(qtiexport.BuildError, match="could reach 4097 characters, over SCORM 1.2's 4096 for cmi.suspend_data"):
        build(too_long)


def test_points_above_the_weighting_range_are_capped_with_a_warning():
    quiz = qtiexport.load({"id": "heavy", "title": "Heavy", "questions": [
        {"id": "q", "type": "true_false", "prompt": "p", "answer": True, "points": 250}]})
    ctx = BuildContext()
    package = build(quiz, ctx)
    assert '"weighting":100' in package["index.html"].decode("utf-8")
    assert [(w.pointer, w.severity) for w in ctx.warnings] == [("/questions/0/points", "warning")]
    assert "capped at 100" in ctx.warnings[0].message


def test_moodle_rules_catch_what_scorm_again_lets_through():
    from conftest import moodle_violations  # the browser harness's Moodle checks

    def call(element, value):
        return {"method": "LMSSetValue", "args": [element, value], "result": "true", "error": "0"}

    assert moodle_violations([call("cmi.core.session_time", "0000:01:02.50"), call("cmi.interactions.0.id", "q1"),
                              call("cmi.interactions.0.result", "wrong")]) == []
    bad = moodle_violations([call("cmi.core.session_time", "1:02:03"), call("cmi.interactions.0.id", "has space"),
                             call("cmi.interactions.0.result", "incorrect"), call("cmi.interactions.2.id", "x"),
                             call("cmi.interactions.0.weighting", "150"), call("cmi.suspend_data", "x" * 4097)])
    assert len(bad) == 6


# ------------------------------------------------------------------ scripted learners in the browser


@pytest.fixture(params=SOURCES, ids=lambda p: p.stem)
def quiz(request):
    return qtiexport.load(request.param)


def run_attempt(harness, quiz, answers):
    harness.write_package(build(quiz))
    frame = harness.open_host(cmi=lms_cmi(quiz))
    click_answers(frame, quiz, answers)
    submit(frame)
    return harness.cmi()["cmi"]


@pytest.mark.parametrize("learner", ["all-correct", "all-wrong", "partial-1", "partial-2"])
def test_scripted_learner(harness, quiz, learner):
    answers = {
        "all-correct": all_correct,
        "all-wrong": all_wrong,
        "partial-1": lambda q: some_answers(q, 1),
        "partial-2": lambda q: some_answers(q, 2),
    }[learner](quiz)
    cmi = run_attempt(harness, quiz, answers)
    percent, status = expected(quiz, answers)
    if learner == "all-correct":
        assert percent == 100.0 and status in ("passed", "completed")
    if learner == "all-wrong":
        assert percent == 0.0 and status in ("failed", "completed")
    assert cmi["core"]["score"]["raw"] == raw(percent)
    assert (cmi["core"]["score"]["min"], cmi["core"]["score"]["max"]) == ("0", "100")
    assert cmi["core"]["lesson_status"] == status
    interactions = cmi["interactions"]
    assert sorted(interactions, key=int) == [str(n) for n in range(len(quiz.questions))]
    for n, question in enumerate(quiz.questions):
        record = interactions[str(n)]
        chosen = answers.get(question.id, set())
        earned = scoring.score(question, chosen)
        assert record["id"] == question.id
        assert record["result"] == ("correct" if earned == float(question.points) else "wrong")
        responses = [("t", "f")[i] if isinstance(question, qtiexport.model.TrueFalse) else
                     "abcdefghijklmnopqrstuvwxyz0123456789"[i] for i in range(len(question.choices))]
        assert record["student_response"] == ",".join(r for r, c in zip(responses, question.choices) if c.id in chosen)
        assert record["correct_responses"]["0"]["pattern"] == ",".join(
            r for r, c in zip(responses, question.choices) if c.correct)
    methods = [c["method"] for c in harness.calls()]
    assert methods[-2:] == ["LMSCommit", "LMSFinish"] and methods.count("LMSFinish") == 1
    harness.assert_clean()


def test_resumed_attempt_restores_answers_and_records_once(harness):
    quiz = qtiexport.load(REPO / "source" / "harm-reduction-ce.json")
    harness.write_package(build(quiz))
    first = {q.id: set(scoring.correct_ids(q)) for q in quiz.questions[:7]}
    frame = harness.open_host(cmi=lms_cmi(quiz))
    click_answers(frame, quiz, first)
    harness.page.evaluate("document.querySelector('iframe').remove()")  # the learner leaves
    saved = harness.cmi()["cmi"]
    assert saved["core"]["lesson_status"] == "incomplete"
    assert not saved["interactions"]
    harness.assert_clean()

    cmi = lms_cmi(quiz)
    cmi["core"].update({"entry": "resume", "lesson_status": "incomplete"})
    cmi["suspend_data"] = saved["suspend_data"]
    frame = harness.open_host(cmi=cmi)
    checked = frame.evaluate("() => Array.from(document.querySelectorAll('input:checked')).map(i => i.id)")
    expected_checked = [f"q{qi}-c{ci}" for qi, q in enumerate(quiz.questions) for ci, c in enumerate(q.choices)
                        if c.id in first.get(q.id, ())]
    assert sorted(checked) == sorted(expected_checked)
    rest = {q.id: set(scoring.correct_ids(q)) for q in quiz.questions[7:]}
    click_answers(frame, quiz, rest)
    submit(frame)
    final = harness.cmi()["cmi"]
    assert final["core"]["score"]["raw"] == "100"
    assert final["core"]["lesson_status"] == "passed"
    sets = [c for c in harness.calls() if c["method"] == "LMSSetValue" and c["args"][0].endswith(".id")]
    assert [c["args"][1] for c in sets] == [q.id for q in quiz.questions]
    harness.assert_clean()


def test_standalone_preview_of_the_built_package(harness):
    quiz = qtiexport.load(REPO / "source" / "harm-reduction-ce.json")
    harness.write_package(build(quiz))
    frame = harness.open_standalone()
    assert "Preview mode" in frame.locator("body").inner_text()
    assert frame.locator("h1").inner_text() == quiz.title
    assert frame.locator("fieldset").count() == len(quiz.questions)
    assert frame.locator("h2").all_inner_texts() == [s.title for s in quiz.sections]
    click_answers(frame, quiz, all_correct(quiz))
    submit(frame)
    assert "100%" in frame.locator(".results .score").inner_text()
    harness.assert_clean()


def test_built_package_zip_unpacks_to_the_played_files():
    data = zip_bytes(build(qtiexport.load(REPO / "examples" / "all-features.json")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["imsmanifest.xml", "index.html", "player.css", "player.js"]


@pytest.mark.parametrize(("passing", "mastery"), [("80", "80"), ("66.667", "66.67"), ("33.331", "33.34"),
                                                  ("0", "0"), ("100", "100"), ("12.5", "12.5")])
def test_masteryscore_is_the_pass_mark_rounded_up_to_the_reported_precision(passing, mastery):
    from decimal import Decimal

    from qtiexport.targets.scorm12.manifest import mastery_score

    assert mastery_score(Decimal(passing)) == mastery
    # for every reportable score (2 decimals) the LMS's comparison agrees with the player's
    for hundredths in range(0, 10001, 7):
        score = hundredths / 100
        assert (score >= float(mastery)) == (score >= float(passing))
