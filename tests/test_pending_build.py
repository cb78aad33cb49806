"""Building while a large source's schema check ends: the same packages as building after it, nothing for an invalid source.

`qtiexport build` with one source loads it with load_pending(): the packages are built into
temporary files while a forked child checks the source against the schema, and are put in place
only if it passes. These tests lower the size from which the reader forks (CONCURRENT_MIN_CHARS)
so that small sources take that path, and compare it with building after a plain load.
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from qtiexport import InputError, _processes, reader
from qtiexport.api import build_file
from qtiexport.cli import cli
from qtiexport.reader import concurrent
from support import REPO

VALID = REPO / "examples" / "all-features.json"
TARGETS = ["qti21", "scorm12"]

LINUX_WITH_CORES = sys.platform.startswith("linux") and hasattr(os, "fork") and _processes.usable_cores() >= 2
pytestmark = pytest.mark.skipif(not LINUX_WITH_CORES, reason="the reader forks its check only on Linux with 2+ cores")


@pytest.fixture(autouse=True)
def forking_despite_test_threads(monkeypatch):
    """The reader forks only from a process with one thread; tests that ran before may leave some
    (the browser session's), which the child, running only the schema check, does not meet."""
    monkeypatch.setattr(concurrent, "forking_is_safe", lambda: True)


@pytest.fixture
def concurrent_always(monkeypatch):
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    monkeypatch.setattr(reader, "DEFER_MIN_BYTES", 0)  # and questions left in the file (with defer=True)


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def invalid_copies(tmp_path: Path) -> dict[str, Path]:
    """Sources the schema rejects: one whose model converts, and ones whose packages fail to build or convert at all."""
    data = json.loads(VALID.read_text(encoding="utf-8"))
    cases = {}
    converts = json.loads(json.dumps(data))
    converts["title"] = 42  # a number: the model takes it, the schema does not
    cases["converts"] = converts
    fails = json.loads(json.dumps(data))
    fails["sections"][0]["questions"][0]["choices"][0]["text"] = ["not", "text"]  # lxml refuses a list
    cases["build-fails"] = fails
    no_model = json.loads(json.dumps(data))
    del no_model["sections"][0]["questions"][0]["prompt"]
    cases["no-model"] = no_model
    paths = {}
    for name, value in cases.items():
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(value), encoding="utf-8")
    return paths


def test_a_valid_source_gives_the_packages_of_a_plain_load(tmp_path: Path, concurrent_always):
    pending = reader.load_pending(VALID)
    assert pending._child is not None  # the check is still running (or its verdict unread)
    built = build_file(VALID, TARGETS, folder(tmp_path / "pending"), quiz=pending)
    plain = build_file(VALID, TARGETS, folder(tmp_path / "plain"), quiz=reader.load(VALID))
    assert built.failure is None and len(built.written) == 2
    for mine, reference in zip(built.written, plain.written):
        assert mine.read_bytes() == reference.read_bytes()


@pytest.mark.parametrize("case", ["converts", "build-fails", "no-model"])
def test_an_invalid_source_raises_its_problems_and_writes_nothing(tmp_path: Path, monkeypatch, case):
    source = invalid_copies(tmp_path)[case]
    with pytest.raises(InputError) as plain:
        reader.load(source)
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    pending = reader.load_pending(source)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError) as raised:
        build_file(source, TARGETS, out, quiz=pending)
    assert raised.value.diagnostics == plain.value.diagnostics
    assert os.listdir(out) == []  # no package, no temporary file


def test_a_source_read_again_is_built_from_what_it_holds_then(tmp_path: Path, concurrent_always, monkeypatch):
    """No verdict (the child died): the source is read again, and the packages come from that reading."""
    source = tmp_path / "quiz.json"
    source.write_bytes(VALID.read_bytes())
    pending = reader.load_pending(source)
    changed = json.loads(VALID.read_text(encoding="utf-8"))
    changed["title"] = "Changed meanwhile"
    source.write_text(json.dumps(changed), encoding="utf-8")
    monkeypatch.setattr(concurrent.Validation, "valid", lambda self, read=b"": None)
    built = build_file(source, TARGETS, folder(tmp_path / "pending"), quiz=pending)
    plain = build_file(source, TARGETS, folder(tmp_path / "plain"))
    assert len(built.written) == 2
    assert [p.read_bytes() for p in built.written] == [p.read_bytes() for p in plain.written]
    assert b"Changed meanwhile" in zipfile.ZipFile(built.written[0]).read("test.xml")


def test_the_command_reports_an_invalid_source_as_before_and_leaves_no_folder(tmp_path: Path, monkeypatch):
    source = invalid_copies(tmp_path)["converts"]
    out = tmp_path / "new" / "dist"
    runner = CliRunner()
    before = runner.invoke(cli, ["build", str(source), "-o", str(out)])
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    during = runner.invoke(cli, ["build", str(source), "-o", str(out)])
    assert during.exit_code == before.exit_code != 0
    assert during.output == before.output and "title" in during.output
    assert not (tmp_path / "new").exists()


# --- a large source's questions left in the file (reader/deferred.py) ------------------------------------


def bank(count: int) -> dict:
    """A quiz of `count` questions of every kind, with text beyond ASCII: enough items for member workers."""
    questions = []
    for n in range(count):
        kind = ("single_choice", "multiple_response", "true_false")[n % 3]
        question = {"id": f"q{n}", "type": kind, "prompt": f"Question {n}: ¿qué? — 問題 😀 \"quoted\"\nline two"}
        if kind == "true_false":
            question["answer"] = n % 2 == 0
        else:
            question["choices"] = [{"id": c, "text": f"{c} {n} é", "correct": c == "B" or (kind != "single_choice" and c == "D")}
                                   for c in "ABCD"]
        if n % 7 == 0:
            question["points"] = 2.5
            question["feedback"] = {"general": f"Because {n}."}
        questions.append(question)
    return {"id": "bank", "title": "Bank", "sections": [{"id": "s1", "title": "One", "questions": questions[:count // 2]},
                                                        {"id": "s2", "title": "Two", "questions": questions[count // 2:]}]}


@pytest.mark.parametrize("name", [p.name for p in (REPO / "examples").glob("*.json")] + ["bank"])
def test_a_source_left_in_its_file_gives_the_packages_of_a_plain_load(tmp_path: Path, concurrent_always, name):
    if name == "bank":
        source = tmp_path / "bank.json"
        source.write_text(json.dumps(bank(300), ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        source = REPO / "examples" / name
    deferred_build = build_file(source, TARGETS, folder(tmp_path / "deferred"))  # loads with defer=True
    plain = build_file(source, TARGETS, folder(tmp_path / "plain"), quiz=reader.load(source))
    assert deferred_build.failure is None and len(deferred_build.written) == 2
    for mine, reference in zip(deferred_build.written, plain.written, strict=True):
        assert mine.read_bytes() == reference.read_bytes()


def test_the_command_reports_a_source_changed_during_its_build_and_writes_nothing(tmp_path: Path, monkeypatch):
    source = tmp_path / "bank.json"
    source.write_text(json.dumps(bank(300), indent=2), encoding="utf-8")
    monkeypatch.setattr(reader, "CONCURRENT_MIN_CHARS", 0)
    monkeypatch.setattr(reader, "DEFER_MIN_BYTES", 0)
    load_pending = reader.load_pending

    def then_changed(path, **kwargs):
        pending = load_pending(path, **kwargs)
        pending.confirm()  # the check passed; now the file changes before the items are made
        raw = source.read_bytes()
        source.write_bytes(raw.replace(b"Question 299:", b"Question 2999"))
        return pending

    monkeypatch.setattr(reader, "load_pending", then_changed)
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out), "-t", "qti21"])
    assert result.exit_code == InputError.exit_code
    assert "the file changed while its packages were being built; build again" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
