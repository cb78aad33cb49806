"""The command line, run in-process with click's CliRunner: exit codes, text and JSON reports."""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import qtiexport
import qtiexport.reader
from qtiexport.cli import EXIT_INTERNAL, cli, main

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = REPO_ROOT / "source"
EXAMPLE = SOURCE_DIR / "harm-reduction-ce.json"

LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<pointer>/\S*): (?P<message>.+)$")

BAD = """{
  "id": "quiz",
  "title": 42,
  "questions": [
    {
      "id": "q1",
      "type": "true_false",
      "prompt": "Water is wet.",
      "answer": true
    }
  ]
}
"""

MANY_BAD = """{
  "id": "1quiz",
  "titel": "Quiz",
  "settings": {
    "passingScore": 150
  },
  "questions": [
    {
      "id": "q1",
      "type": "single_choice",
      "prompt": "",
      "choices": [
        {"id": "a", "text": "Yes"},
        {"id": "a", "text": "No"}
      ]
    }
  ]
}
"""


def _runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout (click >= 8.2 always does; older click needs mix_stderr)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


def _run(*args: str):
    return _runner().invoke(cli, list(args), catch_exceptions=False)


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def _located_lines(stderr: str) -> list[re.Match]:
    return [m for m in map(LOCATED.match, stderr.splitlines()) if m]


def test_runner_separates_stderr():
    result = _run("validate", str(EXAMPLE))
    assert result.stderr == ""
    assert "valid" in result.stdout


# --- version and help ---------------------------------------------------------------------------


def test_version():
    result = _run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"qtiexport {qtiexport.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", qtiexport.__version__)


def test_main_entry_point_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"qtiexport {qtiexport.__version__}"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_group_help(flag):
    result = _run(flag)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "validate" in result.stdout
    assert "Exit codes:" in result.stdout


def test_validate_help():
    result = _run("validate", "--help")
    assert result.exit_code == 0
    assert "SOURCE..." in result.stdout
    assert "--format" in result.stdout
    assert "Exit codes:" in result.stdout


# --- valid sources ----------------------------------------------------------------------------------


def test_validate_source_directory():
    result = _run("validate", str(SOURCE_DIR))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{EXAMPLE}: valid (15 questions)"
    assert result.stderr == ""


def test_validate_relative_source_directory(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    result = _run("validate", "source/")
    assert result.exit_code == 0, result.output
    assert "harm-reduction-ce.json: valid (15 questions)" in result.stdout


def test_validate_file_json_format():
    result = _run("validate", "--format", "json", str(EXAMPLE))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report == {
        "valid": True,
        "files": [{"file": str(EXAMPLE), "valid": True, "problems": 0, "questions": 15}],
        "diagnostics": [],
    }


# --- invalid sources ---------------------------------------------------------------------------------


def test_validate_bad_file(tmp_path):
    bad = _write(tmp_path, "bad.json", BAD)
    result = _run("validate", str(bad))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert f"{bad}:3:12: /title: must be a string, not a number; change the value" in result.stderr.splitlines()
    assert "1 of 1 source invalid" in result.stderr


def test_validate_reports_every_problem(tmp_path):
    bad = _write(tmp_path, "many.json", MANY_BAD)
    result = _run("validate", str(bad))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    located = _located_lines(result.stderr)
    assert [(m["line"], m["column"], m["pointer"]) for m in located] == [
        ("1", "1", "/"),
        ("2", "9", "/id"),
        ("3", "3", "/titel"),
        ("5", "21", "/settings/passingScore"),
        ("11", "17", "/questions/0/prompt"),
        ("12", "18", "/questions/0/choices"),
        ("14", "16", "/questions/0/choices/1/id"),
    ]
    assert all(m["file"] == str(bad) for m in located)
    assert 'missing required property "title"' in located[0]["message"]
    assert 'did you mean "title"?' in located[2]["message"]


def test_validate_directory_with_good_and_bad(tmp_path):
    good = _write(tmp_path, "a-good.json", EXAMPLE.read_text(encoding="utf-8"))
    bad = _write(tmp_path, "b-bad.json", BAD)
    _write(tmp_path, "notes.txt", "not a quiz")
    result = _run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"{good}: valid (15 questions)" in result.stdout
    assert str(bad) not in result.stdout
    assert f"{bad}:3:12: /title:" in result.stderr
    assert "notes.txt" not in result.output
    assert "1 of 2 sources invalid" in result.stderr


def test_validate_several_paths(tmp_path):
    bad = _write(tmp_path, "bad.json", BAD)
    result = _run("validate", str(EXAMPLE), str(bad))
    assert result.exit_code == 1
    assert f"{EXAMPLE}: valid" in result.stdout
    assert f"{bad}:3:12:" in result.stderr


def test_validate_json_format_reports_problems(tmp_path):
    good = _write(tmp_path, "a-good.json", EXAMPLE.read_text(encoding="utf-8"))
    bad = _write(tmp_path, "b-bad.json", MANY_BAD)
    result = _run("validate", "--format", "json", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["files"] == [
        {"file": str(good), "valid": True, "problems": 0, "questions": 15},
        {"file": str(bad), "valid": False, "problems": 7},
    ]
    diagnostics = report["diagnostics"]
    assert len(diagnostics) == 7
    for diagnostic in diagnostics:
        assert {"file", "line", "column", "pointer", "message"} <= set(diagnostic)
        assert diagnostic["file"] == str(bad)
        assert isinstance(diagnostic["line"], int) and isinstance(diagnostic["column"], int)
        assert diagnostic["severity"] == "error"
    assert {
        "file": str(bad), "line": 5, "column": 21, "pointer": "/settings/passingScore", "severity": "error",
        "message": "must be between 0 and 100 percent (found 150); change the value",
    } in diagnostics
    assert diagnostics[0]["pointer"] == ""


def test_validate_syntax_error(tmp_path):
    bad = _write(tmp_path, "syntax.json", '{\n  "id": "quiz",\n  "title": "Quiz",\n}\n')
    result = _run("validate", str(bad))
    assert result.exit_code == 1
    (line,) = _located_lines(result.stderr)
    assert (line["file"], line["line"], line["column"], line["pointer"]) == (str(bad), "4", "1", "/")
    assert line["message"].startswith("invalid JSON")


def test_validate_not_utf8(tmp_path):
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{\n  "id": "café"\n}\n'.encode("latin-1"))
    result = _run("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:2:13: /: the file is not valid UTF-8" in result.stderr
    assert "Traceback" not in result.output


# --- usage errors ---------------------------------------------------------------------------------------


def test_validate_nonexistent_path(tmp_path):
    missing = tmp_path / "missing.json"
    result = _run("validate", str(missing))
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert "no such file or directory" in result.stderr
    assert "Traceback" not in result.output


def test_validate_unknown_option():
    result = _run("validate", "--bogus", str(EXAMPLE))
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_unknown_command():
    result = _run("frobnicate")
    assert result.exit_code == 2


def test_validate_without_sources():
    result = _run("validate")
    assert result.exit_code == 2
    assert "SOURCE" in result.stderr


def test_validate_bad_format_choice():
    result = _run("validate", "--format", "xml", str(EXAMPLE))
    assert result.exit_code == 2


def test_validate_empty_directory(tmp_path):
    result = _run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "no *.json files" in result.stderr
    assert str(tmp_path) in result.stderr


# --- unexpected failures -----------------------------------------------------------------------------------


def _explode(*args, **kwargs):
    raise ValueError("boom")


def test_internal_error_is_short_without_debug(monkeypatch):
    monkeypatch.setattr(qtiexport.reader, "load", _explode)
    result = _run("validate", str(EXAMPLE))
    assert result.exit_code == EXIT_INTERNAL == 70
    assert "internal error: ValueError: boom" in result.stderr
    assert "--debug" in result.stderr
    assert "Traceback" not in result.output


def test_internal_error_with_debug_shows_traceback(monkeypatch):
    monkeypatch.setattr(qtiexport.reader, "load", _explode)
    result = _run("--debug", "validate", str(EXAMPLE))
    assert result.exit_code == 70
    assert "Traceback" in result.stderr
    assert "ValueError: boom" in result.stderr


def test_build_reports_located_warnings(tmp_path):
    source = tmp_path / "heavy.json"
    source.write_text(
        '{\n  "id": "heavy",\n  "title": "Heavy",\n  "questions": [\n'
        '    {"id": "q", "type": "true_false", "prompt": "p", "answer": true,\n'
        '     "points": 250}\n  ]\n}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert f"{source}:6:16: /questions/0/points: warning: 250 points exceed" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["heavy-qti21.zip", "heavy-scorm12.zip"]


def test_the_command_ends_at_once_with_its_output_flushed_and_its_exit_status(tmp_path: Path):
    """`python -m qtiexport` (cli.run) leaves without the interpreter's clean-up: nothing it printed may be lost."""
    import subprocess

    def command(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "qtiexport", *args], capture_output=True, text=True,
                              cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})

    built = command("build", str(REPO_ROOT / "source"), "-o", "dist")
    assert built.returncode == 0, built.stderr
    written = sorted(tmp_path.glob("dist/*.zip"))
    assert len(written) == 2 and built.stdout.splitlines() == [f"wrote {Path('dist') / p.name}" for p in written]
    invalid = tmp_path / "bad.json"
    invalid.write_text('{"id": "x"}', encoding="utf-8")
    refused = command("validate", str(invalid))
    assert refused.returncode == 1 and "title" in refused.stderr
    usage = command("build")
    assert usage.returncode == 2 and "Usage:" in usage.stderr
