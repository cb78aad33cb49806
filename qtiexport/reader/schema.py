"""The published JSON Schema of the quiz format: loading it from the package and turning its errors into advice."""

from __future__ import annotations

import ast
import json
import re
from functools import lru_cache
from importlib import resources

from ..errors import to_pointer

SCHEMA_RESOURCE = ("schemas", "quiz.schema.json")

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
}
_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "null",
}
_QUESTION_DEFS = {"single_choice": "singleChoice", "multiple_response": "multipleResponse", "true_false": "trueFalse"}


def schema_text() -> str:
    """Return the JSON Schema shipped inside the installed package."""
    return resources.files("qtiexport").joinpath(*SCHEMA_RESOURCE).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(schema_text())


@lru_cache(maxsize=1)
def validator():
    """Return the Draft 2020-12 validator that explains problems (built once per process, only when needed)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


GENERATED_HEADER = (
    '"""The quiz schema compiled to Python by fastjsonschema: the fast yes/no check of the happy path.\n\n'
    "Generated from schemas/quiz.schema.json by qtiexport.reader.schema.generated_validator_source();\n"
    "tests/test_schema.py checks it is current (rebuild it with `pytest tests/test_schema.py --update-golden`).\n"
    "The schema uses no keyword whose meaning differs between draft 7, which fastjsonschema\n"
    "implements, and 2020-12; tests check the two validators agree.\n"
    "Only the yes/no is used (jsonschema explains a no), so the code is trimmed of what only\n"
    "makes fastjsonschema's messages: no place names are built for the checks of parts, and every\n"
    "failure raises a bare exception. That was half the cost of a valid quiz, and decided nothing.\n"
    "Two patterns are then written as cheaper code that decides the same (see schema._faster).\n"
    '"""\n'
)

# What only fastjsonschema's messages use, in the code it writes: the place name handed to the check of
# a part (`(name_prefix or "data") + ".questions[{data__questions_x}]".format(**locals())`, built for every
# question and choice of a valid quiz), and the arguments of each raise (the message and a literal copy of
# the schema, built at every failed `if` of the question types), with the exception's Python __init__.
# None of it has side effects; the trimmed code makes the same decisions (tests/test_schema.py compares
# it with jsonschema, tests/reader/test_fast_paths.py with the untrimmed code). Code of another
# fastjsonschema that does not match is left as it is: slower, never wrong.
_PLACE_NAME = re.compile(r'custom_formats, \(name_prefix or "data"\) \+ "[^"\n]*"(?:\.format\(\*\*locals\(\)\))?\)')
_RAISE = re.compile(r"^( *)raise JsonSchemaValueException\(.*\)$", re.MULTILINE)
_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
_INVALID = (
    "\n\nclass Invalid(JsonSchemaValueException):\n"
    '    """Raised where fastjsonschema raises JsonSchemaValueException with a message, which is not used here."""\n\n'
    "    __init__ = Exception.__init__  # no message, value or definition to keep\n"
)


def _trimmed(code: str) -> str:
    """Return the fastjsonschema `code` without what builds its messages (see above)."""
    code = _PLACE_NAME.sub("custom_formats, name_prefix)", code)
    if _IMPORT in code:
        code = _RAISE.sub(r"\1raise Invalid", code.replace(_IMPORT, _IMPORT + _INVALID, 1))
    return code


def _pattern(*lines: str) -> re.Pattern:
    """Return a pattern for `lines` of generated code at any indentation; KEY, CONST and CALL are captured."""
    parts, captured = [], set()
    for number, line in enumerate(lines):
        text = re.escape(line)
        for name, what in (("KEY", r"\w+"), ("CONST", r"'[^'\\\n]*'"), ("CALL", r"validate_\w+\(data, custom_formats, name_prefix\)")):
            group = name.lower()
            if name in text and group not in captured:
                text = text.replace(name, f"(?P<{group}>{what})", 1)
                captured.add(group)
            text = text.replace(name, f"(?P={group})")
        parts.append(("^(?P<indent> *)" if number == 0 else "(?P=indent)") + text + "\n")
    return re.compile("".join(parts), re.MULTILINE)


# fastjsonschema checks `if: {properties: {type: {const: ...}}, required: [type]}` (the question types)
# by running the whole `if` schema in a try block; for a dict that is one comparison.
_IF_CONST = _pattern(
    "try:",
    "    data_is_dict = isinstance(data, dict)",
    "    if data_is_dict:",
    "        data__missing_keys = set(['KEY']) - data.keys()",
    "        if data__missing_keys:",
    "            raise Invalid",
    "        data_keys = set(data.keys())",
    '        if "KEY" in data_keys:',
    '            data_keys.remove("KEY")',
    '            data__KEY = data["KEY"]',
    "            if not (isinstance(data__KEY, str) and data__KEY == CONST):",
    "                raise Invalid",
    "except (JsonSchemaValueException, JsonSchemaValuesException):",
    "    pass",
    "else:",
    "    CALL",
)
# `required`, checked inside `if data_is_dict:` by a set difference, is a few `in` tests.
_REQUIRED = re.compile(r"^( *)data__missing_keys = set\((\[[^\]\n]*\])\) - data\.keys\(\)\n\1if data__missing_keys:\n",
                       re.MULTILINE)


def _faster(code: str) -> str:
    """Return the fastjsonschema `code` with two of its patterns written as cheaper code that decides the same.

    tests/reader/test_fast_paths.py and tests/test_schema.py compare the result with fastjsonschema's
    own code and with jsonschema on thousands of candidates.
    """
    code = _IF_CONST.sub(lambda m: f"{m['indent']}if isinstance(data, dict) and data.get({m['key']!r}) == {m['const']}:\n"
                                   f"{m['indent']}    {m['call']}\n", code)

    def required(match: re.Match) -> str:
        names = ast.literal_eval(match[2])
        return f"{match[1]}if {' or '.join(f'{name!r} not in data' for name in names) or 'False'}:\n"

    return _REQUIRED.sub(required, code)


def generated_validator_source() -> str:
    """Return the source of qtiexport/reader/_validator.py for the current schema."""
    import fastjsonschema

    code = _faster(_trimmed(fastjsonschema.compile_to_code(schema(), use_default=False)))  # never change the caller's data
    root = re.search(r"^def (validate_\w+)\(", code, re.MULTILINE).group(1)  # the first function checks the root
    return f"{GENERATED_HEADER}{code}\n\nvalidate = {root}\n"


def is_valid(data: object) -> bool:
    """Return whether `data` satisfies the schema, fast; when it does not, `problems` says why."""
    from fastjsonschema import JsonSchemaException

    from ._validator import validate

    try:
        validate(data)
    except JsonSchemaException:
        return False
    except RecursionError:
        return False
    return True


def is_valid_question(data: object) -> bool:
    """Return whether `data` satisfies the schema's definition of a question (`$defs/question`)."""
    from fastjsonschema import JsonSchemaException

    from . import _validator

    try:
        _validator.validate_https___qtiexport_dev_schemas_quiz_v1_quiz_schema_json___defs_question(data)
    except (JsonSchemaException, RecursionError):
        return False
    return True


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else noun + 's'}"


def _found(value: object) -> str:
    return json.dumps(value) if not isinstance(value, float) or value == value and abs(value) != float("inf") else "a non-finite number"


def _kind(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


class _LazyQuestionProperties(dict):
    def get(self, key, default=None):
        return schema()["$defs"]["singleChoice"]["properties"].get(key, default)


_QUESTION_PROPERTIES = _LazyQuestionProperties()


def _question_types_with(name: str) -> list[str]:
    defs = schema()["$defs"]
    return [t for t, d in _QUESTION_DEFS.items() if name in defs[d]["properties"]]


def problems(data: object) -> list[tuple[str, str, bool]]:
    """Return (pointer, message, at_key) for every schema violation in `data`, each message saying what to do."""
    found: list[tuple[str, str, bool]] = []
    for error in validator().iter_errors(data):
        found.extend(_advice(error))
    unique = list(dict.fromkeys(found))
    return unique


def _advice(error) -> list[tuple[str, str, bool]]:
    path = list(error.absolute_path)
    pointer = to_pointer(path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    sub = error.schema if isinstance(error.schema, dict) else {}
    where = path[-1] if path else None

    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = sorted(sub.get("properties", {}))
        out = []
        for name in instance:
            if name in sub.get("properties", {}):
                continue
            other = _question_types_with(name) if "type" in allowed and "prompt" in allowed else []
            if other:
                kind = instance.get("type")
                message = (
                    f'"{name}" does not apply to a {kind} question (only to {", ".join(other)}); '
                    'remove it or change "type"'
                )
            else:
                # A name much longer than every allowed one cannot be 60% similar to any, and difflib
                # on a megabyte-long name takes seconds and hundreds of megabytes: skip it.
                longest = max(map(len, allowed), default=0)
                import difflib  # here only: problems are rare, and every build imports this module

                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6) if len(name) <= 3 * longest else []
                hint = f'did you mean "{close[0]}"? ' if close else ""
                shown = json.dumps(name, ensure_ascii=False)
                message = f"unknown property {shown}: {hint}allowed here: {', '.join(allowed)}; remove or rename it"
            out.append((pointer + to_pointer([name]), message, True))
        return out
    if keyword == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        out = []
        for name in missing:
            described = sub.get("properties", {}).get(name) or _QUESTION_PROPERTIES.get(name, {})
            description = described.get("description", "")
            hint = f" ({description[:1].lower()}{description[1:].rstrip('.')})" if description else ""
            out.append((pointer, f'missing required property "{name}"{hint}: add it', False))
        return out
    if keyword == "oneOf" and not path:
        if isinstance(instance, dict) and "sections" in instance and "questions" in instance:
            return [("/questions", 'a quiz has either "sections" or "questions", not both; '
                     'move these questions into a section or drop "sections"', True)]
        return [("", 'a quiz needs questions: add "questions" (a list of questions) or "sections" '
                 "(a list of sections, each with its questions)", False)]
    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        return [(pointer, f"must be {names}, not {_kind(instance)}; change the value", False)]
    if keyword == "enum":
        options = ", ".join(json.dumps(v) for v in value)
        if where == "type":
            return [(pointer, f"unknown question type {json.dumps(instance)}; use one of {options}", False)]
        return [(pointer, f"{json.dumps(instance)} is not allowed here; use one of {options}", False)]
    if keyword == "const":
        return [(pointer, f"must be {json.dumps(value)}", False)]
    if keyword == "pattern":
        if value == "\\S":
            return [(pointer, "is empty or only white space; write the text, or remove the property if it is optional", False)]
        if value.startswith("^[A-Za-z_]"):
            return [(pointer, f"{json.dumps(instance)} is not a valid identifier; start with a letter or \"_\" "
                     'and use only letters, digits, "_", "." and "-" (no spaces)', False)]
        if where == "language":
            return [(pointer, f'{json.dumps(instance)} is not a BCP 47 language tag; write one such as "en", "en-GB" or "pt-BR"', False)]
        return [(pointer, f"{json.dumps(instance)} does not match the pattern {value}", False)]
    if keyword == "maxLength":
        return [(pointer, f"is {len(instance)} characters long; at most {value} are allowed here, shorten it", False)]
    if keyword == "minItems":
        noun = {"choices": "choice", "questions": "question", "sections": "section"}.get(where, "item")
        return [(pointer, f"has {_plural(len(instance), noun)}; at least {value} {'is' if value == 1 else 'are'} needed, add more", False)]
    if keyword == "maxItems":
        if where == "choices":
            return [(pointer, f"has {len(instance)} choices; a question may have at most {value} "
                     "(SCORM 1.2 reports each choice as one character, a-z or 0-9); split the question", False)]
        return [(pointer, f"has {len(instance)} items; at most {value} are allowed", False)]
    if keyword == "exclusiveMinimum":
        return [(pointer, f"must be greater than {value} (found {_found(instance)}); use a positive number", False)]
    if keyword in ("minimum", "maximum"):
        low, high = sub.get("minimum"), sub.get("maximum")
        if sub.get("exclusiveMinimum") is not None:
            return [(pointer, f"must be greater than {sub['exclusiveMinimum']} and at most {high} (found {_found(instance)}); change the value", False)]
        if low is not None and high is not None:
            unit = " percent" if where == "passingScore" else ""
            return [(pointer, f"must be between {low} and {high}{unit} (found {_found(instance)}); change the value", False)]
        return [(pointer, error.message, False)]
    if keyword == "minProperties":
        allowed = ", ".join(sorted(sub.get("properties", {})))
        return [(pointer, f"is an empty object; give at least one of {allowed}, or remove it", False)]
    return [(pointer, error.message, False)]
