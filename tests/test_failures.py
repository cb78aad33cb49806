"""Nothing lost, nothing half-written: failing writers, a full disk, a read-only folder, --keep-going, --fail-on-warning."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import qtiexport
from qtiexport.cli import cli
from qtiexport.errors import BuildError, Diagnostic, InputError, OutputError, UnknownTargetError
from qtiexport.packaging import zipwriter
from support import REPO

MINIMAL = REPO / "examples" / "minimal.json"
ALL = REPO / "examples" / "all-features.json"


def big_source(path: Path, questions: int = 400) -> Path:
    """Write a quiz whose packages are larger than the small file systems below."""
    text = "Long prompt text that does not compress away: " + "".join(chr(0x4E00 + i % 500) for i in range(400))
    import json

    data = {"id": path.stem, "title": "Big", "questions": [
        {"id": f"q{n}", "type": "single_choice", "prompt": f"{n} {text}",
         "choices": [{"id": "a", "text": f"yes {n}", "correct": True}, {"id": "b", "text": f"no {n}"}]}
        for n in range(questions)]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def too_big_for_scorm(path: Path) -> Path:
    """Write a valid quiz whose SCORM 1.2 saved state could not fit cmi.suspend_data (the build refuses it)."""
    import json

    path.write_text(json.dumps({"id": path.stem, "title": "Huge", "questions": [
        {"id": f"q{n}", "type": "multiple_response", "prompt": "p",
         "choices": [{"id": f"c{c}", "text": "t", "correct": c == 0} for c in range(36)]} for n in range(700)]}),
        encoding="utf-8")
    return path


@contextlib.contextmanager
def tmpfs(folder: Path, options: str):
    """Mount a small tmpfs at `folder` (needs root and mount rights); skip the test where that is impossible."""
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or 'not permitted'}); this test needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


def test_a_writer_that_raises_midway_leaves_the_previous_package(tmp_path, monkeypatch):
    target = qtiexport.export(qtiexport.load(MINIMAL), "qti21", tmp_path)
    before = target.read_bytes()
    calls = []
    original = zipwriter._deflate

    def failing_deflate(data):
        calls.append(data)
        if len(calls) == 3:
            raise RuntimeError("writer failed midway")
        return original(data)

    monkeypatch.setattr(zipwriter, "_deflate", failing_deflate)
    with pytest.raises(RuntimeError, match="midway"):
        qtiexport.export(qtiexport.load(MINIMAL), "qti21", target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(zipwriter.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        qtiexport.export(qtiexport.load(MINIMAL), "scorm12", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_keeps_the_previous_package_and_exits_3(tmp_path):
    source = big_source(tmp_path / "big.json")
    with tmpfs(tmp_path / "small", "size=96k") as out:
        first = qtiexport.export(qtiexport.load(MINIMAL), "qti21", out / "big-qti21.zip")
        before = first.read_bytes()
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out), "-t", "qti21"])
        assert result.exit_code == 3, result.output + result.stderr
        assert "cannot write the package" in result.stderr and "No space left on device" in result.stderr
        assert "Traceback" not in result.output + result.stderr
        assert first.read_bytes() == before
        assert leftovers(out) == []


def test_read_only_output_folder_exits_3_and_writes_nothing(tmp_path):
    with tmpfs(tmp_path / "ro", "ro,size=64k") as out:
        result = CliRunner().invoke(cli, ["build", str(MINIMAL), "-o", str(out)])
        assert result.exit_code == 3, result.output + result.stderr
        assert "Read-only file system" in result.stderr
        assert "Traceback" not in result.output + result.stderr
        assert list(out.iterdir()) == []


def test_without_keep_going_one_bad_source_stops_everything(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "bad", "title": ""}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(MINIMAL), str(bad), str(ALL), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists() or list(out.iterdir()) == []


def test_keep_going_builds_the_good_sources_and_still_fails(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "bad", "title": ""}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--keep-going", str(MINIMAL), str(bad), str(ALL), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{bad}:1:24: /title: is empty" in result.stderr
    assert "1 source failed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "all-features-qti21.zip", "all-features-scorm12.zip", "minimal-qti21.zip", "minimal-scorm12.zip"]


def test_keep_going_continues_past_a_quiz_a_target_cannot_build(tmp_path):
    huge = too_big_for_scorm(tmp_path / "huge.json")
    out = tmp_path / "out"
    stopped = CliRunner().invoke(cli, ["build", str(huge), str(MINIMAL), "-o", str(out)])
    assert stopped.exit_code == 1
    assert "cmi.suspend_data" in stopped.stderr
    assert not (out / "minimal-qti21.zip").exists() and not (out / "huge-qti21.zip").exists()
    going = CliRunner().invoke(cli, ["build", "--keep-going", str(huge), str(MINIMAL), "-o", str(out)])
    assert going.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["minimal-qti21.zip", "minimal-scorm12.zip"]


def test_fail_on_warning_writes_nothing_for_that_source(tmp_path):
    heavy = tmp_path / "heavy.json"
    heavy.write_text('{"id": "heavy", "title": "Heavy", "questions": [\n'
                     '  {"id": "q", "type": "true_false", "prompt": "p", "answer": true, "points": 250}]}',
                     encoding="utf-8")
    out = tmp_path / "out"
    plain = CliRunner().invoke(cli, ["build", str(heavy), "-o", str(out)])
    assert plain.exit_code == 0
    assert "warning: 250 points exceed" in plain.stderr
    for zip_path in out.iterdir():
        zip_path.unlink()
    strict = CliRunner().invoke(cli, ["build", "--fail-on-warning", str(heavy), "-o", str(out)])
    assert strict.exit_code == 1
    assert f"{heavy}:2:78: /questions/0/points: 250 points exceed" in strict.stderr
    assert "--fail-on-warning: nothing written" in strict.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("quiz_id", ["a..b", "_", "x.zip", "A-1.2_3"])
def test_output_names_from_ids_stay_in_the_output_folder(tmp_path, quiz_id):
    quiz = qtiexport.load({"id": quiz_id, "title": "T", "questions": [
        {"id": "q", "type": "true_false", "prompt": "p", "answer": True}]})
    for target in ("qti21", "scorm12"):
        path = qtiexport.export(quiz, target, tmp_path)
        assert path.parent == tmp_path and path.resolve().parent == tmp_path.resolve()
        assert path.name == f"{quiz_id}-{target}.zip"


@pytest.mark.parametrize("quiz_id", ["../up", "/abs", "a/b", "..", "con\\x"])
def test_ids_that_could_escape_are_refused_by_the_format(quiz_id):
    with pytest.raises(qtiexport.InputError, match="not a valid identifier"):
        qtiexport.load({"id": quiz_id, "title": "T", "questions": [
            {"id": "q", "type": "true_false", "prompt": "p", "answer": True}]})


def test_package_members_can_never_be_absolute_or_climb():
    from qtiexport.packaging.package import Package, UnsafePathError

    for name in ("/etc/passwd", "../x", "a/../../x", "a\\b", "C:/x", "a//b", "./a"):
        with pytest.raises(UnsafePathError):
            Package.of("p", {name: b""})


def test_umask_is_respected_for_written_packages(tmp_path):
    old = os.umask(0o027)
    try:
        path = qtiexport.export(qtiexport.load(MINIMAL), "qti21", tmp_path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o640


def test_parallel_builds_write_the_same_bytes_and_report_in_source_order(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    args = [str(REPO / "source"), str(REPO / "examples")]
    one = CliRunner().invoke(cli, ["build", *args, "-o", str(serial)])
    two = CliRunner().invoke(cli, ["build", "-j", "2", *args, "-o", str(parallel)])
    assert one.exit_code == two.exit_code == 0, two.output + two.stderr
    assert [line.split("/")[-1] for line in one.output.splitlines()] == \
        [line.split("/")[-1] for line in two.output.splitlines()]
    assert sorted(p.name for p in serial.iterdir()) == sorted(p.name for p in parallel.iterdir())
    for path in serial.iterdir():
        assert path.read_bytes() == (parallel / path.name).read_bytes()


def test_parallel_keep_going_still_fails_for_a_source_a_target_cannot_build(tmp_path):
    huge = too_big_for_scorm(tmp_path / "huge.json")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "-j", "2", "--keep-going", str(huge), str(MINIMAL), "-o", str(out)])
    assert result.exit_code == 1
    assert "cmi.suspend_data" in result.stderr and "1 source failed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["minimal-qti21.zip", "minimal-scorm12.zip"]  # all or nothing per source


@pytest.mark.parametrize("error", [
    InputError("quiz.json", [Diagnostic("/title", "a problem", line=2, column=3, file="quiz.json")]),
    BuildError("quiz.json", [Diagnostic("", "too large", file="quiz.json")]),
    OutputError("dist/q.zip", "No space left on device"),
    UnknownTargetError("qti99", ["qti21", "scorm12"]),
], ids=lambda e: type(e).__name__)
def test_library_errors_survive_pickling(error):
    """A member worker sends the error a lazy member raised to the writer, pickled: it must arrive whole."""
    import pickle

    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error) and vars(copy) == vars(error)
