"""The reader's fast paths decide exactly what the plain code they replaced did.

The trimmed fastjsonschema code is compared here with the code fastjsonschema writes.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from pathlib import Path

import fastjsonschema
import pytest

from qtiexport.reader import schema
from qtiexport.reader._validator import validate as trimmed_validate
from support import quiz_sources

REPO = Path(__file__).resolve().parents[2]
SOURCES = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in quiz_sources()}


def _module(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- inputs ---------------------------------------------------------------------------------------------


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix + (index,)
            yield from _paths(value, prefix + (index,))


def _mutations(base: dict):
    """`base` with each value in turn replaced by each of a few others, deleted, or given a stray neighbour."""
    for path in list(_paths(base)):
        for replacement in (None, True, False, 0, 1, -1, 2.5, "", " ", "x", "A", "q1", "1bad", [], {}, [{}],
                            {"id": "A", "text": "t", "correct": True}, "single_choice", "multiple_response"):
            mutated = copy.deepcopy(base)
            node = mutated
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = replacement
            yield mutated
        mutated = copy.deepcopy(base)
        node = mutated
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
        yield mutated
        if isinstance(node, dict):
            node["stray"] = 1
            yield mutated


def _candidates() -> list:
    out = list(SOURCES.values())
    for name in ("minimal", "all-features"):
        out += _mutations(SOURCES[name])
    fuzz = _module("fuzz_corpus_for_fast_paths", REPO / "tests" / "fuzz" / "fuzz_corpus.py")
    for raw in fuzz.bad_inputs().values():
        try:
            out.append(json.loads(raw))
        except (ValueError, RecursionError):
            pass
    return out


CANDIDATES = _candidates()


# --- the schema check -----------------------------------------------------------------------------------


def test_the_trimmed_validator_decides_as_the_code_fastjsonschema_writes():
    untrimmed = fastjsonschema.compile(schema.schema(), use_default=False)
    disagreements = []
    for data in CANDIDATES:
        try:
            untrimmed(data)
            expected = True
        except fastjsonschema.JsonSchemaException:
            expected = False
        if schema.is_valid(data) != expected:
            disagreements.append(json.dumps(data)[:200])
    assert disagreements == []
    assert sum(map(schema.is_valid, CANDIDATES)) > 100  # many candidates are valid: both answers are tested


def test_the_trimming_keeps_every_check_and_drops_only_messages():
    code = fastjsonschema.compile_to_code(schema.schema(), use_default=False)
    trimmed = schema._trimmed(code)
    assert "format(**locals())" not in trimmed and "definition=" not in trimmed
    checks = re.compile(r"^\s*(?:if|elif|for|try|except|else)\b.*$", re.MULTILINE)
    assert checks.findall(trimmed) == checks.findall(code)
    assert trimmed.count("raise Invalid") == code.count("raise JsonSchemaValueException(")
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        trimmed_validate({"id": "q"})


