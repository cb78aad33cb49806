"""Fuzzing the reader: whatever the bytes, load_bytes, load_text and load give a quiz or a located InputError.

Explicit cases walk the shipped sources (every prefix, every value replaced by every other JSON
type, every key deleted or repeated); Hypothesis adds random JSON documents, random bytes and byte
mutations of the shipped sources. Every error goes through `fuzz_corpus.check_error`.
`--hypothesis-profile=thorough` also walks every position the default run samples.
"""

from __future__ import annotations

import json
import re
import tracemalloc

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import qtiexport
from fuzz_corpus import (
    DATA,
    MINIMAL,
    ORIGIN,
    SOURCES,
    WRONG_VALUES,
    Dumped,
    Pairs,
    Raw,
    bad_inputs,
    check_error,
    deleted,
    expect_error,
    find,
    get,
    json_type,
    line_column,
    paths,
    read_bytes,
    read_data,
    read_text,
    related,
    replaced,
    sample,
)
from qtiexport.errors import to_pointer
from qtiexport.reader import load, load_bytes

NAMES = sorted(SOURCES)
#: how sparsely the default profile samples each source's positions (thorough: every position)
EVERY = {"minimal": 1, "all-features": 4, "harm-reduction-ce": 40}


def test_the_shipped_sources_are_valid():
    for name, raw in SOURCES.items():
        assert isinstance(read_bytes(raw), qtiexport.Quiz), name


# --- truncation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_prefix_is_refused(name):
    raw = SOURCES[name]
    # the cut is sampled; cuts inside a multi-byte character are always tried
    cuts = sample(list(range(len(raw))), EVERY[name] * 3)
    cuts += [i for i in range(len(raw)) if raw[i] & 0xC0 == 0x80]
    for cut in sorted(set(cuts)):
        prefix = raw[:cut]
        outcome = read_bytes(prefix)
        if prefix.strip() == raw.strip():
            assert isinstance(outcome, qtiexport.Quiz)
            continue
        error = expect_error(outcome)
        assert len(error.diagnostics) == 1
        (d,) = error.diagnostics
        assert "invalid JSON" in d.message or "not valid UTF-8" in d.message, d


# --- wrong types, deleted keys ---------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_value_replaced_by_every_other_type_is_refused(name):
    data = DATA[name]
    for path in sample(paths(data), EVERY[name]):
        pointer = to_pointer(path)
        old = get(data, path)
        for new in WRONG_VALUES:
            if json_type(new) == json_type(old):
                continue
            outcome, dumped = read_data(replaced(data, path, new), twice=False)
            error = expect_error(outcome)
            assert any(related(d.pointer, pointer) for d in error.diagnostics), (pointer, new, error)
            exact = find(error, pointer)
            for d in exact:  # a problem with the value itself is reported where the value is
                assert (d.line, d.column) in {
                    dumped.line_column(dumped.values[pointer][0]),
                    dumped.line_column(dumped.keys.get(pointer, [-1])[0]),
                }, d


@pytest.mark.parametrize("name", NAMES)
def test_every_key_deleted(name):
    data = DATA[name]
    members = [path for path in paths(data) if isinstance(get(data, path[:-1]), dict)]
    required = {"id", "type", "prompt", "text", "answer", "choices", "true", "false"}
    for path in sample(members, EVERY[name]):
        outcome, _ = read_data(deleted(data, path), twice=False)
        parent = to_pointer(path[:-1])
        titled = parent == "" or re.fullmatch(r"/sections/[0-9]+", parent)  # a question's title is optional
        if path[-1] in required and parent != "/metadata/source" or path[-1] == "title" and titled:
            error = expect_error(outcome)
            assert find(error, parent, containing=f'missing required property "{path[-1]}"'), error
        elif path in {("questions",), ("sections",)}:
            assert find(expect_error(outcome), "", containing="a quiz needs questions")
        # other keys are optional: a quiz, or an error for what their absence implies


# --- numbers -----------------------------------------------------------------------------------------

HUGE = {
    "1e400": "1e400",
    "-1e400": "-1e400",
    "10**400": "1" + "0" * 400,
    "-10**400": "-1" + "0" * 400,
    "10**5000": "1" + "0" * 5000,
    "-10**5000": "-1" + "0" * 5000,
    "1e-400": "1e-400",
    "1.5e99999999999": "1.5e99999999999",
}


@pytest.mark.parametrize("literal", list(HUGE.values()), ids=list(HUGE))
@pytest.mark.parametrize("where", [("title",), ("settings", "passingScore"), ("questions", 0, "points"),
                                   ("questions", 0, "answer"), ("metadata", "keywords", 0)])
def test_huge_and_tiny_numbers(literal, where):
    data = dict(MINIMAL, settings={"passingScore": 50}, metadata={"keywords": ["k"]})
    data["questions"] = [dict(MINIMAL["questions"][0], points=1)]
    outcome, dumped = read_data(replaced(data, where, Raw(literal)))
    value = float(literal)
    valid_here = {"passingScore": 0 <= value <= 100, "points": 0 < value <= 1000}.get(where[-1], False)
    if valid_here:
        assert isinstance(outcome, qtiexport.Quiz)
        return
    error = expect_error(outcome)
    pointer = to_pointer(where)
    (d, *_) = find(error, pointer)
    assert (d.line, d.column) == dumped.line_column(dumped.values[pointer][0])


def test_huge_integers_anywhere():
    """An integer literal longer than int() accepts (4300 digits) is an out-of-range number, not a crash."""
    for digits in (4300, 4301, 50_000):
        for literal in ("1" + "0" * (digits - 1), "-" + "9" * digits):
            read_bytes(literal.encode())
            read_bytes(f'[{literal}, {{"{literal}": {literal}}}]'.encode())
            expect_error(read_bytes(SOURCES["minimal"].replace(b'"answer": true', b'"answer": ' + literal.encode())))


# --- deep nesting -------------------------------------------------------------------------------------


def _nest(depth: int, kind: str) -> str:
    return "[" * depth + "]" * depth if kind == "array" else '{"a": ' * depth + "null" + "}" * depth


@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize("depth", [500, 980, 1000, 2000, 10_000, 100_000])
@pytest.mark.parametrize("where", ["top", "title", "keywords", "showFeedback", "unknown"])
def test_deep_nesting(kind, depth, where):
    nested = Raw(_nest(depth, kind))
    if where == "top":
        text = nested
    else:
        value = {
            "title": dict(MINIMAL, title=nested),
            "keywords": dict(MINIMAL, metadata={"keywords": ["k", nested]}),
            "showFeedback": dict(MINIMAL, settings={"showFeedback": nested}),
            "unknown": dict(MINIMAL, extra=nested),
        }[where]
        text = Dumped(value).text
    error = expect_error(read_bytes(text.encode()))
    if depth >= 10_000:
        assert find(error, containing="nests too deeply")


@pytest.mark.parametrize("kind", ["array", "object"])
def test_deep_nesting_from_a_file(kind, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(Dumped(dict(MINIMAL, title=Raw(_nest(100_000, kind)))).text, encoding="utf-8")
    with pytest.raises(qtiexport.InputError) as info:
        load(path)
    check_error(info.value, text=path.read_text(encoding="utf-8"), file=str(path))


# --- huge strings ---------------------------------------------------------------------------------------

TEN_MB = 10_000_000


@pytest.mark.parametrize("case", ["title", "title-escapes", "prompt-control-at-end", "unknown-key"])
def test_ten_megabyte_strings(case):
    if case == "title":
        value = dict(MINIMAL, title="x" * TEN_MB)
    elif case == "title-escapes":
        value = dict(MINIMAL, title=Raw('"' + '\\"' * (TEN_MB // 2) + '"'))
    elif case == "prompt-control-at-end":
        value = dict(MINIMAL, questions=[dict(MINIMAL["questions"][0], prompt="p" * TEN_MB + "\x07")])
    else:
        value = dict(MINIMAL, **{"k" * TEN_MB: 1})
    raw = Dumped(value).text.encode()
    tracemalloc.start()
    try:
        error = expect_error(read_bytes(raw))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # A few copies of the input, never a blow-up (read_bytes reads it twice, as bytes and as text).
    assert peak < 25 * len(raw), f"peak {peak / 1e6:.0f} MB for a {len(raw) / 1e6:.0f} MB source"
    if case == "prompt-control-at-end":
        (d,) = find(error, "/questions/0/prompt", containing="U+0007")
        assert f"at character {TEN_MB + 1}" in d.message
    elif case == "unknown-key":
        assert find(error, to_pointer(["k" * TEN_MB]), containing="unknown property")
    else:
        assert find(error, "/title", containing="characters long")


# --- encodings ------------------------------------------------------------------------------------------

BAD_UTF8 = {
    "lone-continuation": b"\x80",
    "lone-continuation-bf": b"\xbf",
    "overlong-slash-2": b"\xc0\xaf",
    "overlong-slash-3": b"\xe0\x80\xaf",
    "overlong-nul": b"\xc0\x80",
    "overlong-4": b"\xf0\x80\x80\xaf",
    "encoded-surrogate": b"\xed\xa0\x80",
    "above-10ffff": b"\xf4\x90\x80\x80",
    "truncated-2": b"\xc3",
    "truncated-3": b"\xe2\x80",
    "truncated-4": b"\xf0\x9f\x98",
    "ff": b"\xff",
    "fe": b"\xfe",
    "f8": b"\xf8\x88\x80\x80\x80",
    "latin1-e-acute": b"\xe9",
}


@pytest.mark.parametrize("bad", list(BAD_UTF8.values()), ids=list(BAD_UTF8))
@pytest.mark.parametrize("name", NAMES)
def test_invalid_utf8_is_located(name, bad):
    raw = SOURCES[name]
    for offset in {0, raw.index(b'"title"') + 3, len(raw) // 2, len(raw)}:
        while raw[offset : offset + 1] and raw[offset] & 0xC0 == 0x80:  # not inside a character
            offset += 1
        mutated = raw[:offset] + bad + raw[offset:]
        (d,) = expect_error(read_bytes(mutated)).diagnostics
        assert "not valid UTF-8" in d.message and f"offset {offset}" in d.message, d
        assert (d.line, d.column) == line_column(raw[:offset].decode(), offset=len(raw[:offset].decode()))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"])
def test_other_encodings_are_refused(codec):
    raw = SOURCES["harm-reduction-ce"].decode("utf-8")
    if codec in ("utf-16-le", "utf-16-be"):
        raw = "\ufeff" + raw
    (d,) = expect_error(read_bytes(raw.encode(codec, errors="replace"))).diagnostics
    assert "not valid UTF-8" in d.message


def test_a_utf8_bom_is_accepted():
    for name, raw in SOURCES.items():
        quiz = read_bytes(b"\xef\xbb\xbf" + raw)
        assert quiz == load_bytes(raw, ORIGIN), name
        assert read_text("\ufeff" + raw.decode()) == quiz


def test_a_bom_changes_no_position():
    """load_text and load_bytes with a BOM report the same places as without one."""
    for text in (Dumped(dict(MINIMAL, id="1bad", extra=1)).text, "1", '{"id": 1, "id": 2}', "[NaN]", "{"):
        plain = expect_error(read_text(text)).diagnostics
        assert expect_error(read_text("\ufeff" + text)).diagnostics == plain
        assert expect_error(read_bytes(b"\xef\xbb\xbf" + text.encode())).diagnostics == plain


def test_two_boms_are_refused():
    expect_error(read_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + SOURCES["minimal"]))


# --- duplicate keys ----------------------------------------------------------------------------------------


def _with_duplicate(value: object, target: tuple, key: str, again: object) -> object:
    """`value` (plain data) as Pairs, with `key` repeated at the end of the object at `target`."""
    def convert(node, path):
        if isinstance(node, dict):
            pairs = Pairs((k, convert(v, path + (k,))) for k, v in node.items())
            if path == target:
                pairs.append((key, again))
            return pairs
        if isinstance(node, list):
            return [convert(v, path + (i,)) for i, v in enumerate(node)]
        return node

    return convert(value, ())


@pytest.mark.parametrize("name", NAMES)
def test_duplicate_keys_at_every_level(name):
    data = DATA[name]
    objects = [()] + [path for path in paths(data) if isinstance(get(data, path), dict)]
    for target in sample(objects, EVERY[name]):
        obj = get(data, target)
        for key in obj:
            for again in (obj[key], "other"):
                outcome, dumped = read_data(_with_duplicate(data, target, key, again), twice=False)
                pointer = to_pointer(target + (key,))
                (d,) = find(expect_error(outcome), pointer, containing=f'duplicate key "{key}"')
                second = dumped.keys[pointer][1]
                assert (d.line, d.column) == dumped.line_column(second)


def test_a_key_three_times_gives_two_problems():
    value = Pairs([("id", "a"), ("id", "b"), ("title", "T"), ("id", "c")])
    outcome, dumped = read_data(value)
    found = find(expect_error(outcome), "/id", containing="duplicate key")
    assert [(d.line, d.column) for d in found] == [dumped.line_column(o) for o in dumped.keys["/id"][1:]]


def test_problems_inside_a_value_json_discards_are_still_reported():
    """In {"a": {"b": 1, "b": NaN}, "a": ...} the first "a" is lost to the parser, not to the reader."""
    value = Pairs([("a", Pairs([("b", 1), ("b", Raw("NaN"))])), ("a", Raw("NaN"))])
    outcome, dumped = read_data(value)
    error = expect_error(outcome)
    (inner,) = find(error, "/a/b", containing="duplicate key")
    (outer,) = find(error, "/a", containing="duplicate key")
    assert (inner.line, inner.column) == dumped.line_column(dumped.keys["/a/b"][1])
    assert (outer.line, outer.column) == dumped.line_column(dumped.keys["/a"][1])
    assert find(error, containing="NaN and Infinity")


# --- NaN and Infinity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("name", ["minimal", "all-features"])
def test_nonfinite_literals_are_refused_where_they_are(name, literal):
    data = DATA[name]
    scalars = [path for path in paths(data) if not isinstance(get(data, path), (dict, list))]
    for path in sample(scalars, EVERY[name] * 2):
        outcome, dumped = read_data(replaced(data, path, Raw(literal)), twice=False)
        pointer = to_pointer(path)
        (d,) = find(expect_error(outcome), pointer, containing="NaN and Infinity")
        assert (d.line, d.column) == dumped.line_column(dumped.values[pointer][0])
    for text in (literal, f"[1, {literal}]", f'{{"a": {{"b": [{literal}]}}}}'):
        assert find(expect_error(read_text(text)), containing="NaN and Infinity")


# --- control characters and surrogates ------------------------------------------------------------------------

CONTROLS = [chr(c) for c in range(0x20)]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_raw_control_characters_are_syntax_errors(char):
    for where in (("title",), ("questions", 0, "prompt")):
        outcome, dumped = read_data(replaced(MINIMAL, where, Raw(f'"ab{char}cd"')))
        (d,) = expect_error(outcome).diagnostics
        assert "invalid JSON" in d.message and "control character" in d.message, d
        assert (d.line, d.column) == dumped.line_column(dumped.values[to_pointer(where)][0] + 3)
    # in a key, too
    key = Raw(f'"i{char}d"')
    outcome, dumped = read_data(Pairs([(key, "minimal")] + list(MINIMAL.items())[1:]))
    (d,) = expect_error(outcome).diagnostics
    assert "control character" in d.message
    assert (d.line, d.column) == dumped.line_column(dumped.keys[to_pointer([key])][0] + 2)


REFUSED = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"]


@pytest.mark.parametrize("char", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_escaped_control_characters_are_refused_with_their_position(char):
    escape = f"\\u{ord(char):04x}"
    for where in (("title",), ("questions", 0, "prompt"), ("questions", 0, "id")):
        outcome, dumped = read_data(replaced(MINIMAL, where, Raw(f'"ab{escape}cd"')))
        pointer = to_pointer(where)
        (d,) = find(expect_error(outcome), pointer, containing=f"U+{ord(char):04X} at character 3")
        assert (d.line, d.column) == dumped.line_column(dumped.values[pointer][0])
    outcome, dumped = read_data(dict(MINIMAL, **{f"k{char}": 1}))
    pointer = to_pointer([f"k{char}"])
    (d,) = find(expect_error(outcome), pointer, containing="property name contains a control character")
    assert (d.line, d.column) == dumped.line_column(dumped.keys[pointer][0])


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\x7f", "\u2028", "\U0001F600"])
def test_allowed_escaped_characters(char):
    assert isinstance(read_data(dict(MINIMAL, title=f"a{char}b"))[0], qtiexport.Quiz)


@pytest.mark.parametrize("escape", ["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\udc00\\ud800", "x\\ud83d"])
def test_lone_surrogate_escapes_are_refused(escape):
    outcome, dumped = read_data(dict(MINIMAL, title=Raw(f'"{escape}"')))
    (d,) = find(expect_error(outcome), "/title", containing="U+D")
    assert (d.line, d.column) == dumped.line_column(dumped.values["/title"][0])
    # as a property name: the pointer and message show the escape, and print
    outcome, dumped = read_data(Pairs([(Raw(f'"{escape}"'), 1)] + list(MINIMAL.items())))
    error = expect_error(outcome)
    assert find(error, "/" + escape, containing="unknown property")
    # a raw lone surrogate in text given to load_text
    raw_char = json.loads(f'"{escape}"')
    error = expect_error(read_text(Dumped(dict(MINIMAL, title=raw_char), ensure_ascii=False).text))
    assert find(error, "/title", containing="U+D")


def test_a_surrogate_pair_is_one_character():
    quiz = read_data(dict(MINIMAL, title=Raw('"\\ud83d\\ude00"')))[0]
    assert quiz.title == "\U0001F600"


# --- keys that need escaping in a pointer ----------------------------------------------------------------------

ODD_KEYS = ["", "/", "~", "a/b", "~0", "~1", "a~b/c", "//", "~~", " "]


@pytest.mark.parametrize("key", ODD_KEYS, ids=[repr(k) for k in ODD_KEYS])
@pytest.mark.parametrize("where", [(), ("questions", 0), ("settings",), ("metadata", "source")])
def test_odd_keys_are_named_by_escaped_pointers(key, where):
    data = dict(MINIMAL, settings={"passingScore": 1}, metadata={"source": {"title": "S"}})
    data = json.loads(json.dumps(data))
    get(data, where)[key] = 1
    outcome, dumped = read_data(data)
    pointer = to_pointer(where + (key,))
    assert pointer.count("/") == len(where) + 1  # "/" inside the key is escaped
    (d,) = find(expect_error(outcome), pointer, containing="unknown property")
    assert (d.line, d.column) == dumped.line_column(dumped.keys[pointer][0])
    # and repeated
    outcome, dumped = read_data(_with_duplicate(data, where, key, 2))
    (d,) = find(expect_error(outcome), pointer, containing=f'duplicate key "{key}"')
    assert (d.line, d.column) == dumped.line_column(dumped.keys[pointer][1])


# --- load(path) on every kind of bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(bad_inputs()))
def test_load_from_a_file_agrees_with_load_bytes(name, tmp_path):
    raw = bad_inputs()[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(raw)
    expected = expect_error(read_bytes(raw))
    with pytest.raises(qtiexport.InputError) as info:
        load(path)
    check_error(info.value, raw=raw, file=str(path))
    assert [d.located(d.line, d.column, ORIGIN) for d in info.value.diagnostics] == list(expected.diagnostics)
    with pytest.raises(qtiexport.InputError) as info:
        load(str(path))


def test_load_of_what_is_no_file(tmp_path):
    for path in (tmp_path / "missing.json", tmp_path):
        with pytest.raises(qtiexport.InputError) as info:
            load(path)
        check_error(info.value, file=str(path))


# --- Hypothesis: random documents, random bytes, mutations ---------------------------------------------------

_keys = st.one_of(
    st.sampled_from(["id", "title", "questions", "sections", "type", "prompt", "choices", "answer", "text",
                     "correct", "settings", "passingScore", "metadata", "", "/", "~", "a/b~c"]),
    st.text(max_size=6),
    st.text(st.characters(exclude_categories=()), max_size=4),  # with surrogates and controls
)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.text(st.characters(exclude_categories=()), max_size=6),
    st.sampled_from(["single_choice", "multiple_response", "true_false", "q1", "A"]),
    st.sampled_from([Raw("1e400"), Raw("-1e-400"), Raw("1" + "0" * 5000), Raw("NaN"), Raw("-Infinity")]),
)


def _objects(children):
    return st.one_of(
        st.dictionaries(_keys, children, max_size=6),
        st.lists(st.tuples(_keys, children), max_size=6).map(Pairs),  # keys may repeat
    )


def _containers(children):
    return st.one_of(st.lists(children, max_size=6), _objects(children))


json_values = st.recursive(_scalars, _containers, max_leaves=40)


def _suspicious(value) -> tuple[bool, bool]:
    """(has a NaN or infinity literal, has a repeated key) in a generated value."""
    nonfinite = dup = False
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf")), False
    if isinstance(value, Raw):
        return value in ("NaN", "-Infinity"), False
    items = value.items() if isinstance(value, dict) else value if isinstance(value, Pairs) else None
    if items is not None:
        items = list(items)
        keys = [k for k, _ in items]
        dup = len(set(keys)) != len(keys)
        children = [v for _, v in items]
    elif isinstance(value, list):
        children = value
    else:
        return False, False
    for child in children:
        n, d = _suspicious(child)
        nonfinite, dup = nonfinite or n, dup or d
    return nonfinite, dup


def _read_generated(value, indent, ensure_ascii):
    dumped = Dumped(value, indent=indent, ensure_ascii=ensure_ascii)
    try:
        raw = dumped.text.encode("utf-8")
    except UnicodeEncodeError:  # a raw lone surrogate: only text can carry it
        return read_text(dumped.text)
    return read_bytes(raw)


@given(value=json_values, indent=st.sampled_from([None, 0, 2]), ensure_ascii=st.booleans())
def test_random_json_documents(value, indent, ensure_ascii):
    outcome = _read_generated(value, indent, ensure_ascii)
    nonfinite, dup = _suspicious(value)
    if nonfinite or dup:
        error = expect_error(outcome)
        if nonfinite:
            assert find(error, containing="NaN and Infinity")
        if dup:
            assert find(error, containing="duplicate key")


@given(name=st.sampled_from(NAMES), data=st.data(), indent=st.sampled_from([None, 2]),
       ensure_ascii=st.booleans())
def test_random_values_inside_a_valid_source(name, data, indent, ensure_ascii):
    source = DATA[name]
    path = data.draw(st.sampled_from(paths(source)), label="path")
    if data.draw(st.booleans(), label="replace"):
        value = replaced(source, path, data.draw(json_values, label="value"))
    else:  # a new member in the object at or around path
        parent = path if isinstance(get(source, path), dict) else path[:-1]
        assume(isinstance(get(source, parent), dict))
        grown = dict(get(source, parent))
        grown[data.draw(_keys, label="key")] = data.draw(json_values, label="member")
        value = replaced(source, parent, grown) if parent else grown
    outcome = _read_generated(value, indent, ensure_ascii)
    nonfinite, _ = _suspicious(value)
    if nonfinite:
        assert find(expect_error(outcome), containing="NaN and Infinity")


@given(raw=st.binary(max_size=300))
@example(raw=b"\xef\xbb\xbf")
@example(raw=b"\xef\xbb\xbf\xef\xbb\xbf{}")
@example(raw=b'"\\ud800"')
@example(raw=b"{\"\\ud800\": 1, \"\\ud800\": 2}")
def test_random_bytes(raw):
    read_bytes(raw)


@given(raw=st.binary(max_size=60).map(lambda b: b"{" + b), text=st.text(max_size=60))
def test_random_bytes_and_text_after_a_brace(raw, text):
    read_bytes(raw)
    read_text("{" + text)
    read_text("[" + text)


_ops = st.lists(
    st.tuples(st.sampled_from(["flip", "set", "insert", "delete", "duplicate"]),
              st.floats(min_value=0, max_value=1, exclude_max=True),
              st.integers(0, 255)),
    min_size=1, max_size=8,
)
_interesting_bytes = st.sampled_from(list(b'{}[]",:\\0123456789-+.eE ntfu\n') + [0x00, 0x80, 0xc3, 0xe2, 0xff])


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(name=st.sampled_from(NAMES), ops=_ops, special=st.lists(_interesting_bytes, min_size=8, max_size=8))
def test_mutated_sources(name, ops, special):
    raw = bytearray(SOURCES[name])
    for n, (op, where, byte) in enumerate(ops):
        at = int(where * (len(raw) + 1))
        byte = special[n] if byte % 2 else byte
        if op == "flip" and at < len(raw):
            raw[at] ^= 1 << (byte % 8)
        elif op == "set" and at < len(raw):
            raw[at] = byte
        elif op == "insert":
            raw[at:at] = bytes([byte])
        elif op == "delete":
            del raw[at : at + 1 + byte % 3]
        elif op == "duplicate":
            raw[at:at] = raw[at : at + 1 + byte % 40]
    read_bytes(bytes(raw))
