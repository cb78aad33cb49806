"""The reader's fast paths decide and build exactly what the plain code they replaced did.

The trimmed fastjsonschema code, the split text screen, the quick choice check, the semantic checks
that make pointers only for problems, and the model built through slot drafts and consuming the
parsed data are each compared here with a straightforward version kept as the reference (the code
the reader had before they were made fast).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from decimal import Decimal

import fastjsonschema
import pytest
from hypothesis import given, strategies as st

import qtiexport
from qtiexport import model
from qtiexport.reader import build, load, load_text, schema
from qtiexport.reader._validator import validate as trimmed_validate
from support import json_paths, quiz_sources, helper_module

SOURCES = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in quiz_sources()}
MODEL_CLASSES = (
    model.Quiz, model.Section, model.SingleChoice, model.MultipleResponse, model.TrueFalse,
    model.Choice, model.Feedback, model.Settings, model.Metadata, model.Citation,
)


strategies = helper_module("quiz_strategies", "property/strategies.py")


# --- the reference: the plain code the fast paths replaced -------------------------------------------


def reference_semantic_problems(data: object) -> list[tuple[str, str, bool]]:
    problems = list(build._text_problems(data, []))
    if not isinstance(data, dict):
        return problems
    seen: dict[str, str] = {}

    def claim(identifier, pointer, what):
        if not isinstance(identifier, str):
            return
        if identifier in seen:
            problems.append((pointer, f'duplicate id "{identifier}": {seen[identifier]} already uses it '
                             "(sections and questions share one namespace in the quiz); rename one", False))
        else:
            seen[identifier] = f"the {what} at {pointer.rsplit('/', 1)[0]}"

    if isinstance(data.get("sections"), list):
        for s, section in enumerate(data["sections"]):
            if isinstance(section, dict):
                claim(section.get("id"), f"/sections/{s}/id", "section")
    out = []
    if isinstance(data.get("sections"), list):
        for s, section in enumerate(data["sections"]):
            if isinstance(section, dict) and isinstance(section.get("questions"), list):
                out += [(f"/sections/{s}/questions/{q}", item) for q, item in enumerate(section["questions"])]
    if isinstance(data.get("questions"), list):
        out += [(f"/questions/{q}", item) for q, item in enumerate(data["questions"])]
    for pointer, question in [(p, q) for p, q in out if isinstance(q, dict)]:
        claim(question.get("id"), f"{pointer}/id", "question")
        problems += build._choice_problems(pointer, question)
    return problems


def reference_to_model(data: dict, origin: str) -> model.Quiz:
    def decimal(value):
        return Decimal(str(value))

    def feedback(fb):
        return model.Feedback(correct=fb.get("correct"), incorrect=fb.get("incorrect"), general=fb.get("general")) if fb else None

    def question(q, pointer):
        common = dict(id=q["id"], prompt=q["prompt"], points=decimal(q.get("points", 1)), title=q.get("title"),
                      feedback=feedback(q.get("feedback")), pointer=pointer)
        if q["type"] == "true_false":
            labels = q.get("labels", {"true": "True", "false": "False"})
            return model.TrueFalse(answer=q["answer"], labels=(labels["true"], labels["false"]), **common)
        choices = tuple(
            model.Choice(id=c["id"], text=c["text"], correct=c.get("correct", False), feedback=c.get("feedback"),
                         fixed=c.get("fixed", False), pointer=f"{pointer}/choices/{i}")
            for i, c in enumerate(q["choices"])
        )
        if q["type"] == "single_choice":
            return model.SingleChoice(choices=choices, **common)
        return model.MultipleResponse(choices=choices, scoring=q.get("scoring", "all-or-nothing"), **common)

    if "sections" in data:
        sections = tuple(
            model.Section(id=s["id"], title=s["title"], instructions=s.get("instructions"),
                          questions=tuple(question(q, f"/sections/{i}/questions/{j}") for j, q in enumerate(s["questions"])),
                          pointer=f"/sections/{i}")
            for i, s in enumerate(data["sections"])
        )
    else:
        sections = (model.Section(id=None, title=None,
                                  questions=tuple(question(q, f"/questions/{j}") for j, q in enumerate(data["questions"]))),)
    meta = data.get("metadata", {})
    settings = data.get("settings", {})
    return model.Quiz(
        id=data["id"], title=data["title"], language=data.get("language", "en"),
        description=data.get("description"), instructions=data.get("instructions"),
        metadata=model.Metadata(authors=tuple(meta.get("authors", ())), version=meta.get("version"),
                                keywords=tuple(meta.get("keywords", ())), license=meta.get("license"),
                                source=model.Citation(**meta["source"]) if meta.get("source") else None),
        settings=model.Settings(
            passing_score=decimal(settings["passingScore"]) if "passingScore" in settings else None,
            shuffle_choices=settings.get("shuffleChoices", False),
            shuffle_questions=settings.get("shuffleQuestions", False),
            show_feedback=settings.get("showFeedback", "after-submit"),
        ),
        sections=sections, has_sections="sections" in data, origin=origin,
    )


# --- inputs ---------------------------------------------------------------------------------------------


def _mutations(base: dict):
    """`base` with each value in turn replaced by each of a few others, deleted, or given a stray neighbour."""
    for path in list(json_paths(base)):
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
    fuzz = helper_module("fuzz_corpus", "fuzz/fuzz_corpus.py")
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


def test_the_faster_patterns_still_match_the_code_fastjsonschema_writes():
    """_faster() rewrites the question-type dispatch and every `required` check (a new fastjsonschema
    that writes them otherwise would leave them slow, never wrong: the test above compares decisions)."""
    code = schema._trimmed(fastjsonschema.compile_to_code(schema.schema(), use_default=False))
    faster = schema._faster(code)
    assert [line.strip() for line in faster.splitlines() if "data.get('type') ==" in line] == [
        f"if isinstance(data, dict) and data.get('type') == '{kind}':"
        for kind in ("single_choice", "multiple_response", "true_false")]
    assert "data__missing_keys" in code and "data__missing_keys" not in faster


# --- the text screen -------------------------------------------------------------------------------------


SCREENED = ["\x07", "\x1b", "\b", "\f", "\ufffe", "\uffff", "\ud800", "\udfff", "\t", "\n", "é", "€", "😀", "\\", '"']


@pytest.mark.parametrize("around", ["plain ascii", "é latin-1", "€ two bytes", "😀 astral"])
def test_the_split_screen_finds_what_the_one_expression_finds(around):
    for char in SCREENED:
        for ensure_ascii in (True, False):
            written = json.dumps({"t": f"{around} {char} {around}"}, ensure_ascii=ensure_ascii)
            for text in (written, written.upper(), written.replace("\\u", "\\U"), around + char):
                assert build._may_hold_non_xml(text) == bool(build._NOT_XML_IN_JSON.search(text)), ascii(text)


@given(st.text(alphabet=st.sampled_from(list("\\ubfdDFeE0189aA\"x ") + SCREENED)))
def test_the_split_screen_agrees_on_any_text(text):
    assert build._may_hold_non_xml(text) == bool(build._NOT_XML_IN_JSON.search(text))


# --- the semantic checks ---------------------------------------------------------------------------------


def test_semantic_problems_are_the_reference_problems():
    for data in CANDIDATES:
        assert build.semantic_problems(data) == reference_semantic_problems(data), json.dumps(data)[:200]


CHOICE = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "id": st.one_of(st.sampled_from(["A", "B", "C"]), st.none(), st.integers(0, 2), st.lists(st.just("A"), max_size=1)),
            "correct": st.one_of(st.booleans(), st.none(), st.integers(0, 1), st.just("true")),
        },
    ),
    st.none(),
    st.just("A"),
)
QUESTION = st.fixed_dictionaries(
    {
        "type": st.one_of(st.sampled_from(["single_choice", "multiple_response", "true_false"]), st.none(),
                          st.lists(st.just("single_choice"), max_size=1)),
        "choices": st.one_of(st.lists(CHOICE, max_size=5), st.none(), st.just({})),
    },
    optional={"id": st.one_of(st.sampled_from(["s1", "q1", "q2"]), st.integers(0, 1))},
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "questions": st.one_of(st.lists(st.one_of(QUESTION, st.none()), max_size=4), st.just("x")),
            "sections": st.one_of(
                st.lists(
                    st.one_of(
                        st.fixed_dictionaries(
                            {},
                            optional={"id": st.sampled_from(["s1", "q1", 3]),
                                      "questions": st.one_of(st.lists(QUESTION, max_size=3), st.just({}))},
                        ),
                        st.just([]),
                    ),
                    max_size=3,
                ),
                st.just({}),
            ),
        },
    )
)
def test_semantic_problems_of_any_shape_are_the_reference_problems(data):
    assert build.semantic_problems(data) == reference_semantic_problems(data)


# --- the model -------------------------------------------------------------------------------------------


def _objects(value):
    """Every model object in `value`, depth first."""
    if isinstance(value, MODEL_CLASSES):
        yield value
        for field in dataclasses.fields(value):
            yield from _objects(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _objects(item)


def _same_model(made: model.Quiz, expected: model.Quiz) -> None:
    assert made == expected
    assert repr(made) == repr(expected)  # also Decimal("1") against Decimal("1.0"), which are equal
    for obj in _objects(made):
        assert type(obj) in MODEL_CLASSES
        assert dataclasses.replace(obj) == obj  # every field is set, as the real __init__ needs them all
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, dataclasses.fields(obj)[0].name, None)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_the_model_of_every_shipped_source_is_the_reference_model(name):
    data = SOURCES[name]
    _same_model(build.to_model(copy.deepcopy(data), "x.json"), reference_to_model(data, "x.json"))
    consumed = copy.deepcopy(data)
    _same_model(build.to_model(consumed, "x.json", consume=True), reference_to_model(data, "x.json"))


@given(strategies.quiz_sources(max_questions=40))
def test_the_model_of_any_valid_source_is_the_reference_model(source):
    expected = reference_to_model(source, "<data>")
    kept = copy.deepcopy(source)
    _same_model(load(source), expected)
    assert source == kept  # a caller's dict is only read
    _same_model(load_text(json.dumps(source), "<data>"), expected)


def test_converting_parsed_data_drops_each_question_once_converted():
    for name, data in SOURCES.items():
        consumed = copy.deepcopy(data)
        quiz = build.to_model(consumed, "x.json", consume=True)
        lists = [s["questions"] for s in consumed["sections"]] if "sections" in consumed else [consumed["questions"]]
        assert all(item is None for items in lists for item in items), name
        assert quiz == build.to_model(copy.deepcopy(data), "x.json")


def test_default_points_and_repeated_choice_ids_are_shared():
    text = json.dumps({
        "id": "q", "title": "t",
        "questions": [
            {"id": f"q{n}", "type": "single_choice", "prompt": "p",
             "choices": [{"id": "yes", "text": "y", "correct": True}, {"id": "no", "text": "n"}]}
            for n in range(3)
        ],
    })
    quiz = load_text(text)
    assert len({id(q.points) for q in quiz.questions}) == 1 and quiz.questions[0].points == 1
    assert len({id(q.choices[0].id) for q in quiz.questions}) == 1


def test_a_str_subclass_in_a_callers_dict_is_kept_as_given():
    class Name(str):
        pass

    source = copy.deepcopy(SOURCES["all-features"])
    first = next(q for q in strategies.source_questions(source) if "choices" in q)
    first["choices"][0]["id"] = Name(first["choices"][0]["id"])
    quiz = qtiexport.load(source)
    assert any(type(c.id) is Name for q in quiz.questions for c in getattr(q, "choices", ()))


def test_a_model_from_the_reader_pickles_like_one_made_directly():
    import pickle

    quiz = load(copy.deepcopy(SOURCES["all-features"]))
    again = pickle.loads(pickle.dumps(quiz))
    assert again == quiz and repr(again) == repr(quiz)
