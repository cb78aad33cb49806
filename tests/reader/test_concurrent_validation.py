"""Concurrent validation: a source checked against the schema by a forked child reads exactly as one checked in turn.

Each test lowers the size from which the reader forks (`CONCURRENT_MIN_CHARS`) to 0, so that small
sources take the concurrent path, and compares what it gives with the in-turn path, which is the
reference. The `forks` fixture records every child forked and checks that each was reaped.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given

import qtiexport
from qtiexport import reader
from qtiexport.reader import build, concurrent, load, load_bytes, load_text, schema
from support import REPO, helper_module, quiz_sources

error_cases = helper_module("reader_error_cases", "reader/test_errors.py")
fuzz = helper_module("fuzz_corpus", "fuzz/fuzz_corpus.py")
strategies = helper_module("quiz_strategies", "property/strategies.py")

BAD = {param.id: param.values[0].encode("utf-8") for param in error_cases.CASES} | fuzz.bad_inputs()
BAD["deep-but-parseable"] = ('{"id": "quiz", "title": "Quiz", "questions": [], "x": '
                             + "[" * 700 + "]" * 700 + "}").encode()
# How each goes wrong once parsed: the conversion of the unchecked data fails, or it succeeds on data the
# schema then rejects; the semantic checks (in the child too) find problems; or the parser saw duplicate
# keys or NaN (then no child is forked).
CONVERSION_FAILS = ["type-choices-object", "type-top-level-array", "missing-prompt", "unknown-question-type",
                    "neither-sections-nor-questions"]
CONVERSION_SUCCEEDS = ["type-title-number", "misspelt-question", "points-negative", "37-choices", "huge-float",
                       "deep-but-parseable"]
SEMANTIC = ["duplicate-section-question-id", "two-correct-single-choice", "lone-surrogate-key"]
SUSPICIOUS = ["duplicate-json-key", "nan", "duplicate-key-question"]
VALID = REPO / "examples" / "all-features.json"


def outcome(read, *args, concurrent_from: int):
    """Return the quiz `read(*args)` gives with `CONCURRENT_MIN_CHARS` at `concurrent_from`, or its error's source and diagnostics."""
    saved, reader.CONCURRENT_MIN_CHARS = reader.CONCURRENT_MIN_CHARS, concurrent_from
    try:
        return read(*args)
    except qtiexport.InputError as error:
        return error.source, error.diagnostics
    finally:
        reader.CONCURRENT_MIN_CHARS = saved


def assert_alike(read, *args) -> object:
    """Check `read(*args)` gives the same concurrently as in turn; return that."""
    expected = outcome(read, *args, concurrent_from=sys.maxsize)
    got = outcome(read, *args, concurrent_from=0)
    assert got == expected
    assert repr(got) == repr(expected)  # also Decimal("1") against Decimal("1.0"), which are equal
    return got


@pytest.fixture
def forks(monkeypatch):
    """Yield the list of the children the reader forks; afterwards, check every one was reaped."""
    if not concurrent.forking_is_safe():
        pytest.skip("the reader does not fork here (not Linux, one core, or other threads)")
    pids: list[int] = []
    fork = os.fork

    def recorded_fork() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded_fork)
    fds = sorted(os.listdir("/proc/self/fd"))
    yield pids
    for pid in pids:
        with pytest.raises(ChildProcessError):  # reaped already: no zombie
            os.waitpid(pid, os.WNOHANG)
    assert sorted(os.listdir("/proc/self/fd")) == fds  # no pipe left open


def in_child(parent: int, then):
    """Return a stand-in for `schema.is_valid` that does `then(data)` in a child and the real check in `parent`."""
    is_valid = schema.is_valid

    def check(data):
        return is_valid(data) if os.getpid() == parent else then(data)

    return check


# --- the same outcome --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", quiz_sources(), ids=lambda p: p.name)
def test_shipped_sources_give_equal_models(path, forks):
    assert isinstance(assert_alike(load, path), qtiexport.Quiz)
    assert_alike(load_bytes, path.read_bytes(), str(path))
    assert_alike(load_text, path.read_text(encoding="utf-8"), str(path))
    assert len(forks) == 3


@given(strategies.quiz_sources(max_questions=20))
def test_any_valid_source_gives_an_equal_model(source):
    assert isinstance(assert_alike(load_text, json.dumps(source)), qtiexport.Quiz)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_sources_give_identical_diagnostics(name, forks, tmp_path):
    raw = BAD[name]
    error = assert_alike(load_bytes, raw, "bad.json")
    assert isinstance(error, tuple) and error[1], "no diagnostics"
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    assert list(assert_alike(load, path)[1]) == [d.located(d.line, d.column, str(path)) for d in error[1]]


@pytest.mark.parametrize("name", CONVERSION_FAILS + CONVERSION_SUCCEEDS + SEMANTIC + SUSPICIOUS)
def test_each_way_of_going_wrong_is_taken(name, forks, monkeypatch):
    """The cases above cover each branch: the optimistic conversion failing or succeeding in vain (the child
    checks the schema and the semantic checks), or not tried (duplicate keys or non-finite numbers: no child)."""
    conversions = []
    to_model = build.to_model

    def recorded(*args, **kwargs):
        try:
            quiz = to_model(*args, **kwargs)
        except Exception as exc:
            conversions.append(type(exc))
            raise
        conversions.append(None)
        return quiz

    monkeypatch.setattr(build, "to_model", recorded)
    assert_alike(load_bytes, BAD[name], "bad.json")  # in turn, no conversion: the schema or the checks say no
    if name in CONVERSION_FAILS:
        assert len(conversions) == 1 and conversions[0] is not None
    elif name in CONVERSION_SUCCEEDS:
        assert conversions == [None]
    elif name in SEMANTIC:
        assert len(conversions) == 1  # tried, whatever came of it: the child's verdict decides
    else:
        assert conversions == []
    # the careful path, on the source read again, checks in turn; a suspicious source has no child
    assert len(forks) == (0 if name in SUSPICIOUS else 1)


# --- a child that fails, and where no child is forked -------------------------------------------------


def _exit(data):
    os._exit(3)


def _killed(data):
    os.kill(os.getpid(), signal.SIGKILL)


def _noisy_failure(data):
    print("from the child", flush=True)
    print("from the child", file=sys.stderr, flush=True)
    raise RecursionError


def _wrong(data):
    return False  # even for valid data: the careful path then decides


@pytest.mark.parametrize("end", [_exit, _killed, _noisy_failure, _wrong],
                         ids=["exit-3", "killed", "raises-after-printing", "says-invalid"])
@pytest.mark.parametrize("name", ["valid", "type-title-number", "missing-prompt", "duplicate-section-question-id"])
def test_without_a_verdict_of_valid_the_careful_path_decides(end, name, forks, monkeypatch, capfd):
    monkeypatch.setattr(schema, "is_valid", in_child(os.getpid(), end))
    raw = VALID.read_bytes() if name == "valid" else BAD[name]
    got = assert_alike(load_bytes, raw, "x.json")
    assert isinstance(got, qtiexport.Quiz) == (name == "valid")
    assert forks
    assert capfd.readouterr() == ("", "")  # the child's output goes nowhere


def test_without_fork_the_reader_checks_in_turn(forks, monkeypatch):
    def refused():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert isinstance(assert_alike(load, VALID), qtiexport.Quiz)
    assert assert_alike(load_bytes, BAD["type-title-number"], "bad.json")[1]


def test_no_fork_while_another_thread_runs(forks):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert isinstance(assert_alike(load, VALID), qtiexport.Quiz)
        assert assert_alike(load_bytes, BAD["missing-prompt"], "bad.json")[1]
    finally:
        stop.set()
        other.join()
    assert forks == []


def test_a_callers_dict_is_checked_in_turn(forks, monkeypatch):
    expected = dataclasses.replace(outcome(load, VALID, concurrent_from=sys.maxsize), origin="<data>")
    data = json.loads(VALID.read_text(encoding="utf-8"))
    kept = copy.deepcopy(data)
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    assert load(data) == expected
    assert data == kept
    assert forks == []


# --- interruptions and a file that changes ------------------------------------------------------------


def test_interrupted_during_the_conversion_the_child_is_killed_and_reaped(forks, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(schema, "is_valid", in_child(os.getpid(), lambda data: time.sleep(60)))
    monkeypatch.setattr(build, "to_model", interrupted)
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    with pytest.raises(KeyboardInterrupt):
        load(VALID)
    assert len(forks) == 1


def test_interrupted_waiting_for_the_verdict_the_child_is_killed_and_reaped(forks, monkeypatch):
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    monkeypatch.setattr(schema, "is_valid", in_child(os.getpid(), lambda data: time.sleep(60)))
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt):
            load(VALID)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 30
    assert len(forks) == 1


@pytest.mark.parametrize("change", ["invalid", "deleted"])
def test_a_file_changed_before_the_careful_path_is_read_as_it_is_then(change, forks, monkeypatch, tmp_path):
    path = tmp_path / "quiz.json"
    path.write_bytes(VALID.read_bytes())
    to_model = build.to_model

    def changing(*args, **kwargs):
        if change == "deleted":
            path.unlink()
        else:
            path.write_bytes(BAD["type-title-number"])
        return to_model(*args, **kwargs)

    monkeypatch.setattr(schema, "is_valid", in_child(os.getpid(), _exit))  # no verdict: the careful path
    monkeypatch.setattr(build, "to_model", changing)
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    with pytest.raises(qtiexport.InputError) as info:
        load(path)
    if change == "deleted":
        assert "cannot read the file" in str(info.value)
    else:
        assert [d.pointer for d in info.value.diagnostics] == ["/title"]
        assert info.value.diagnostics[0].line == 3


def test_the_child_leaves_the_parents_buffered_output_alone(tmp_path):
    """A child that flushed the parent's stdio buffers on exit would print what the parent wrote twice."""
    if not concurrent.forking_is_safe():
        pytest.skip("the reader does not fork here (not Linux, one core, or other threads)")
    script = (
        "import os, sys\n"
        "from qtiexport import reader\n"
        "reader.CONCURRENT_MIN_CHARS = 0\n"
        "forks = []\n"
        "fork = os.fork\n"
        "os.fork = lambda: forks.append(1) or fork()\n"
        "sys.stdout.write('before;')\n"
        "sys.stderr.write('before;')\n"
        f"reader.load({str(VALID)!r})\n"
        "sys.stdout.write(f'forks={len(forks)}')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | {"PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "before;forks=1", "before;")
