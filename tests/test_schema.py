"""The published JSON Schema: well-formed, documented, closed, and carried by the installed package."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from jsonschema import Draft202012Validator

import qtiexport
from support import REPO, json_paths, helper_module
from qtiexport.reader import schema as schema_module

SCHEMA_PATH = REPO / "schemas" / "quiz.schema.json"


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _walk(node, path=()):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, path + (index,))


def test_schema_is_valid_draft_2020_12_with_versioned_id():
    schema = _schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "/v1/" in schema["$id"]


def test_package_loads_the_same_schema_as_published():
    assert schema_module.schema_text() == SCHEMA_PATH.read_text(encoding="utf-8")


def test_every_property_has_a_description():
    missing = []
    for path, node in _walk(_schema()):
        if "examples" in path or "if" in path:  # `if` holds conditions, not documented properties
            continue
        for name, sub in node.get("properties", {}).items() if isinstance(node.get("properties"), dict) else []:
            target = sub
            if "description" not in target and "$ref" in target:
                target = _resolve(target["$ref"])
            if "description" not in target:
                missing.append("/".join(map(str, path + ("properties", name))))
    assert missing == []


def _resolve(ref: str) -> dict:
    node = _schema()
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_every_object_with_properties_is_closed():
    """additionalProperties is false everywhere; the question dispatcher delegates to closed per-type schemas."""
    schema = _schema()
    open_objects = []
    for path, node in _walk(schema):
        if "examples" in path or not isinstance(node.get("properties"), dict) or path[-1:] == ("if",):
            continue
        if node.get("additionalProperties") is False:
            continue
        branches = [b["then"]["$ref"] for b in node.get("allOf", []) if "then" in b]
        if branches and all(_resolve(ref).get("additionalProperties") is False for ref in branches):
            continue
        open_objects.append("/".join(map(str, path)))
    assert open_objects == []


def test_question_dispatcher_covers_every_type():
    schema = _schema()
    kinds = schema["$defs"]["question"]["properties"]["type"]["enum"]
    conditions = [b["if"]["properties"]["type"]["const"] for b in schema["$defs"]["question"]["allOf"]]
    assert sorted(kinds) == sorted(conditions)


def test_schema_examples_are_valid_quizzes():
    for example in _schema()["examples"]:
        assert qtiexport.load(example).id == example["id"]


@pytest.mark.parametrize("definition", ["identifier", "points", "feedback", "trueFalse"])
def test_definition_examples_validate(definition):
    schema = _schema()
    sub = dict(schema["$defs"][definition], **{"$defs": schema["$defs"]})
    node = schema["$defs"][definition]
    examples = node.get("examples") or node["properties"]["labels"]["examples"]
    target = sub if node.get("examples") else dict(node["properties"]["labels"], **{"$defs": schema["$defs"]})
    for example in examples:
        assert list(Draft202012Validator(target).iter_errors(example)) == []


def test_installed_wheel_carries_and_finds_the_schema(tmp_path):
    """Build the wheel, import qtiexport from it alone (not from the checkout), and load a quiz."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheel_dir.glob("qtiexport-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert "qtiexport/schemas/quiz.schema.json" in zf.namelist()
        zf.extractall(tmp_path / "site")
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]); import qtiexport; "
        "q = qtiexport.load(sys.argv[1]); "
        "print(qtiexport.__file__); print(len(q.questions))"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", code, str(REPO / "source" / "harm-reduction-ce.json"), str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    location, count = result.stdout.split()
    assert location.startswith(str(tmp_path / "site"))
    assert count == "15"


def test_generated_validator_is_current(update_golden):
    import fastjsonschema

    path = REPO / "qtiexport" / "reader" / "_validator.py"
    fresh = schema_module.generated_validator_source()
    if update_golden:
        path.write_text(fresh, encoding="utf-8")
        pytest.skip(f"rewrote {path.relative_to(REPO)}")
    stored = path.read_text(encoding="utf-8")
    if f'VERSION = "{fastjsonschema.VERSION}"' in stored:
        assert stored == fresh, "qtiexport/reader/_validator.py is stale: rerun with --update-golden"
    else:  # another fastjsonschema writes other code; the decisions must still be the same
        assert "def validate(" in stored


def _jsonschema_accepts(data) -> bool:
    return not any(True for _ in schema_module.validator().iter_errors(data))


def _candidates():
    """Shipped sources, every bad input of the fuzz corpus that parses, and one-value mutations of a source."""
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((REPO / "examples").glob("*.json"))]
    out.append(json.loads((REPO / "source" / "harm-reduction-ce.json").read_text(encoding="utf-8")))
    for raw in helper_module("fuzz_corpus", "fuzz/fuzz_corpus.py").bad_inputs().values():
        try:
            out.append(json.loads(raw))
        except (ValueError, RecursionError):
            pass
    base = json.loads((REPO / "examples" / "all-features.json").read_text(encoding="utf-8"))
    for replacement in (None, True, 0, -1, 1.5, "", "x", [], {}, "1bad", "q1\n", 1001, 150):
        for path in json_paths(base):
            mutated = json.loads(json.dumps(base))
            node = mutated
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = replacement
            out.append(mutated)
    return out


def test_fast_validator_decides_exactly_as_jsonschema():
    disagreements = []
    for data in _candidates():
        try:
            expected = _jsonschema_accepts(data)
        except RecursionError:
            continue
        if schema_module.is_valid(data) != expected:
            disagreements.append(json.dumps(data)[:200])
    assert disagreements == []
