"""The quick screen of JSON text for characters XML cannot carry never misses one, however the JSON writes it."""

from __future__ import annotations

import json

import pytest

import qtiexport
from qtiexport.reader.build import _NOT_XML, _NOT_XML_IN_JSON

FORBIDDEN = [c for c in map(chr, [*range(0x20), 0xFFFE, 0xFFFF, *range(0xD800, 0xE000)]) if _NOT_XML.match(c)]


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_every_way_json_writes_a_forbidden_character_is_caught(ensure_ascii):
    missed = [hex(ord(c)) for c in FORBIDDEN if not _NOT_XML_IN_JSON.search(json.dumps(c, ensure_ascii=ensure_ascii))]
    assert missed == []
    for c in FORBIDDEN:
        written = json.dumps(c)
        if written.startswith('"\\u'):
            upper = written.upper().replace("\\U", "\\u")  # \u001B as well as \u001b
            assert _NOT_XML_IN_JSON.search(upper), upper


@pytest.mark.parametrize("escape", ["\\u0007", "\\u001B", "\\b", "\\f", "\\uFFFF", "\\ud800"])
def test_a_forbidden_character_is_refused_through_the_fast_path(escape):
    text = '{"id": "q", "title": "a' + escape + 'b", "questions": [{"id": "q1", "type": "true_false", "prompt": "p", "answer": true}]}'
    with pytest.raises(qtiexport.InputError) as info:
        qtiexport.reader.load_text(text, "x.json")
    assert [d.pointer for d in info.value.diagnostics] == ["/title"]
