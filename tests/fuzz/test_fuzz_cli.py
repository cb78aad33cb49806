"""Fuzzing the command line: bad sources exit 1 with located problems and no traceback, and build writes nothing.

The inputs are `fuzz_corpus.bad_inputs()` (one of each kind the reader fuzz tests generate) and
Hypothesis byte mutations of the shipped sources; the console script itself runs once per kind
of input most likely to break it (deep nesting, invalid UTF-8, a lone surrogate in a key).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from fuzz_corpus import SOURCES, bad_inputs
from qtiexport.cli import cli

BAD = bad_inputs()


def _invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream[-2000:]
        assert "internal error" not in stream, stream[-2000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _located_lines(stderr: str, path: Path) -> list[str]:
    lines = [line for line in stderr.splitlines() if line.startswith(f"{path}:")]
    for line in lines:
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: (/|/\S*: )", line), line
    return lines


@pytest.fixture(params=sorted(BAD))
def bad_file(request, tmp_path) -> Path:
    path = tmp_path / f"{request.param}.json"
    path.write_bytes(BAD[request.param])
    return path


def test_validate_text(bad_file):
    result = _invoke("validate", str(bad_file))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert _located_lines(result.stderr, bad_file), result.stderr
    assert "valid (" not in result.stdout


def test_validate_json(bad_file):
    result = _invoke("validate", "--format", "json", str(bad_file))
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["files"] == [{"file": str(bad_file), "valid": False, "problems": len(report["diagnostics"])}]
    assert report["diagnostics"]
    for d in report["diagnostics"]:
        assert d["file"] == str(bad_file)
        assert isinstance(d["line"], int) and isinstance(d["column"], int), d
        assert d["severity"] == "error" and d["message"], d


def test_build_writes_nothing(bad_file, tmp_path):
    out = tmp_path / "out"
    result = _invoke("build", str(bad_file), "-o", str(out))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert _located_lines(result.stderr, bad_file), result.stderr
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())
    assert "wrote" not in result.stdout


def test_a_folder_of_bad_sources(tmp_path):
    for name, raw in BAD.items():
        (tmp_path / f"{name}.json").write_bytes(raw)
    result = _invoke("validate", "--format", "json", str(tmp_path))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert len(report["files"]) == len(BAD) and not any(f["valid"] for f in report["files"])
    out = tmp_path / "out"
    result = _invoke("build", str(tmp_path), "-o", str(out))
    assert result.exit_code == 1
    for name in BAD:
        assert _located_lines(result.stderr, tmp_path / f"{name}.json"), name
    assert not out.exists() or not any(out.iterdir())


_mutation = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete"]), st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
    min_size=1, max_size=4,
)


@given(name=st.sampled_from(["minimal", "all-features"]), ops=_mutation)
def test_validate_mutated_sources(name, ops):
    raw = bytearray(SOURCES[name])
    for op, where, byte in ops:
        at = int(where * len(raw))
        if op == "flip" and at < len(raw):
            raw[at] ^= 1 << (byte % 8)
        elif op == "insert":
            raw[at:at] = bytes([byte])
        elif op == "delete":
            del raw[at : at + 1]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mutated.json"
        path.write_bytes(bytes(raw))
        result = _invoke("validate", "--format", "json", str(path))
        assert result.exit_code in (0, 1)
        report = json.loads(result.stdout)
        assert report["valid"] is (result.exit_code == 0)
        assert all(isinstance(d["line"], int) for d in report["diagnostics"])
        if result.exit_code == 1:
            out = Path(folder) / "out"
            result = _invoke("build", str(path), "-o", str(out))
            assert result.exit_code == 1
            assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("deep-object-top-100000", ()),
        ("deep-array-title-100000", ()),
        ("overlong-slash", ()),
        ("utf16-le-bom", ()),
        ("lone-surrogate-key", ("--format", "json")),
        ("lone-surrogate-key", ()),
    ],
)
def test_the_console_script(name, args, tmp_path):
    path = tmp_path / f"{name}.json"
    path.write_bytes(BAD[name])
    run = subprocess.run([sys.executable, "-m", "qtiexport", "validate", *args, str(path)],
                         capture_output=True, timeout=120)
    stdout, stderr = run.stdout.decode("utf-8"), run.stderr.decode("utf-8")
    assert run.returncode == 1, stdout + stderr
    assert "Traceback" not in stdout + stderr and "internal error" not in stdout + stderr
    if args:
        assert json.loads(stdout)["valid"] is False
    else:
        assert _located_lines(stderr, path), stderr
