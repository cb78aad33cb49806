"""Streamed XML documents (packaging/imscp.py XmlWriter) are byte for byte what serialize() gives the same tree.

The manifests of both targets and the QTI assessmentTest are streamed; the golden tests check
them on the shipped sources, these tests check the writer itself on any tree it accepts.
"""

from __future__ import annotations

import copy
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from qtiexport._xml import XML_LANG, XSI, serialize
from qtiexport.packaging.imscp import Resource, stream_document, write_resources

A = "urn:example:a"
B = "urn:example:b"
NSMAP = {None: A, "b": B, "xsi": XSI}
ROOT = f"{{{A}}}root"
ROOT_ATTRIB = {"identifier": "R", f"{{{XSI}}}schemaLocation": f"{A} a.xsd"}

# Text as hostile as the quiz format allows: markup characters, quotes, white space of every kind.
TEXT = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters=[chr(c) for c in range(0x20) if c not in (9, 10, 13)]
                  + ["\ufffe", "\uffff"]),
    max_size=12,
) | st.sampled_from(["a & b", "<p>", "x]]>y", '"q"', "'s'", "\t\n\r", "\r\n", " ", "é😀", "&amp;"])
NAMES = st.sampled_from(["p", "q", "value", "item"])


@st.composite
def trees(draw, depth=0):
    """An element without mixed content: in A (the default namespace) or B (prefixed, then holding text or children)."""
    prefixed = draw(st.booleans())
    tag = f"{{{B if prefixed else A}}}{draw(NAMES)}"
    attrib = draw(st.dictionaries(st.sampled_from(["id", "title", "value", XML_LANG]), TEXT, max_size=3))
    element = etree.Element(tag, attrib, nsmap=NSMAP)
    children = draw(st.lists(trees(depth + 1), max_size=3)) if depth < 3 else []
    if children:
        element.extend(children)
    elif prefixed or draw(st.booleans()):
        element.text = draw(TEXT)  # may be "": then <p></p>, not <p/>
    return element


def streamed(children: list[etree._Element]) -> bytes:
    def content(out):
        for child in children:
            out.write(child)

    return stream_document(ROOT, ROOT_ATTRIB, NSMAP, content)


def built(children: list[etree._Element]) -> bytes:
    root = etree.Element(ROOT, ROOT_ATTRIB, nsmap=NSMAP)
    root.extend(children)
    return serialize(root)


@settings(max_examples=100, deadline=None)
@given(st.lists(trees(), min_size=1, max_size=4))
def test_a_streamed_document_has_the_bytes_of_the_serialized_tree(children):
    assert streamed(children) == built([copy.deepcopy(c) for c in children])


def test_deep_nesting_and_empty_elements():
    element = etree.Element(f"{{{A}}}level", nsmap=NSMAP)
    top = element
    for depth in range(20):
        element = etree.SubElement(element, f"{{{A}}}level", depth=str(depth))
    etree.SubElement(element, f"{{{A}}}empty")
    etree.SubElement(element, f"{{{B}}}text", {XML_LANG: "en"}).text = "x < y"
    assert streamed([top]) == built([copy.deepcopy(top)])


def test_mixed_content_and_empty_prefixed_elements_are_refused():
    mixed = etree.Element(f"{{{A}}}p", nsmap=NSMAP)
    mixed.text = "text"
    etree.SubElement(mixed, f"{{{A}}}b")
    with pytest.raises(ValueError, match="mixed content"):
        streamed([mixed])
    with pytest.raises(ValueError, match="not in the default namespace"):
        streamed([etree.Element(f"{{{B}}}empty", nsmap=NSMAP)])


def built_resources(resources: list[Resource]) -> bytes:
    """The document listing `resources`, built whole and serialized."""
    root = etree.Element(ROOT, ROOT_ATTRIB, nsmap=NSMAP)
    listing = etree.SubElement(root, f"{{{A}}}resources")
    for resource in resources:
        attrib = {"identifier": resource.identifier, "type": resource.type, **dict(resource.attributes)}
        if resource.href is not None:
            attrib["href"] = resource.href
        node = etree.SubElement(listing, f"{{{A}}}resource", attrib)
        if resource.metadata:
            etree.SubElement(node, f"{{{A}}}metadata").extend(copy.deepcopy(m) for m in resource.metadata)
        for path in resource.files:
            etree.SubElement(node, f"{{{A}}}file", href=path)
        for identifier in resource.dependencies:
            etree.SubElement(node, f"{{{A}}}dependency", identifierref=identifier)
    return serialize(root)


def test_resources_are_written_as_a_tree_of_them_would_be():
    metadata = etree.Element(f"{{{B}}}meta", nsmap=NSMAP)
    etree.SubElement(metadata, f"{{{B}}}kind").text = "choiceInteraction"
    resources = [
        Resource("I1", "item", "items/1.xml", ("items/1.xml",), metadata=(metadata,)),
        Resource("I2", "item", "items/2.xml", ("items/2.xml",), metadata=(metadata,)),
        Resource("T", "test", "test.xml", ("test.xml", "extra.css"), dependencies=("I1", "I2"),
                 attributes=((f"{{{B}}}flag", "on"),)),
        Resource("E", "empty", None, ()),
    ]
    got = stream_document(ROOT, ROOT_ATTRIB, NSMAP, lambda out: write_resources(out, A, resources))
    assert got == built_resources(resources)

    empty = etree.Element(ROOT, ROOT_ATTRIB, nsmap=NSMAP)
    etree.SubElement(empty, f"{{{A}}}resources")
    assert stream_document(ROOT, ROOT_ATTRIB, NSMAP, lambda out: write_resources(out, A, [])) == serialize(empty)


@settings(max_examples=100, deadline=None)
@given(st.lists(trees(), min_size=0, max_size=7), st.integers(1, 4), st.booleans())
def test_elements_written_in_batches_have_the_bytes_of_the_serialized_tree(children, batch, nested):
    """write_each() at any depth, with batches of any size, gives what serialize() gives the whole tree."""
    wrapper = f"{{{A}}}wrapper"

    def content(out):
        out.leaf(f"{{{A}}}before", {"id": "1"})
        if nested:
            with out.element(wrapper, {"id": "w"}):
                out.leaf(f"{{{A}}}first")
                out.write_each(children, lambda parent, child: parent.append(copy.deepcopy(child)))
        else:
            out.write_each(children, lambda parent, child: parent.append(copy.deepcopy(child)))
        out.leaf(f"{{{A}}}after")

    root = etree.Element(ROOT, ROOT_ATTRIB, nsmap=NSMAP)
    etree.SubElement(root, f"{{{A}}}before", id="1")
    parent = root
    if nested:
        parent = etree.SubElement(root, wrapper, id="w")
        etree.SubElement(parent, f"{{{A}}}first")
    parent.extend(copy.deepcopy(c) for c in children)
    etree.SubElement(root, f"{{{A}}}after")
    with mock.patch("qtiexport.packaging.imscp._BATCH", batch):
        assert stream_document(ROOT, ROOT_ATTRIB, NSMAP, content) == serialize(root)


@pytest.fixture
def monkeypatch_batch(monkeypatch):
    def set_batch(size):
        monkeypatch.setattr("qtiexport.packaging.imscp._BATCH", size)

    return set_batch


@pytest.mark.parametrize("batch", [1, 3, 256])
def test_many_resources_of_few_shapes(monkeypatch_batch, batch):
    """Resources copied from templates, and a test resource with more dependencies than a batch, as a tree gives them."""
    monkeypatch_batch(batch)
    kinds = [etree.Element(f"{{{B}}}meta", nsmap=NSMAP) for _ in range(2)]
    for kind, text in zip(kinds, ("choiceInteraction", "textEntryInteraction")):
        etree.SubElement(kind, f"{{{B}}}kind").text = text
    resources = [
        Resource(f"I{n}", "item", f"items/{n} & <x>.xml", (f"items/{n} & <x>.xml",), metadata=(kinds[n % 2],))
        for n in range(10)
    ]
    resources.insert(3, Resource("S", "sco", "index.html", ("index.html", "player.js"),
                                 attributes=((f"{{{B}}}flag", "on"),)))
    resources.append(Resource("T", "test", "test.xml", ("test.xml",), dependencies=tuple(f"I{n}" for n in range(10))))
    resources.append(Resource("E", "empty", None, ()))
    got = stream_document(ROOT, ROOT_ATTRIB, NSMAP, lambda out: write_resources(out, A, resources))
    assert got == built_resources(resources)
    assert got.count(b"<dependency ") == 10 and b"items/9 &amp; &lt;x&gt;.xml" in got


@pytest.mark.parametrize("batch", [1, 2, 3, 7, 256])
@pytest.mark.parametrize("pattern", ["one-shape", "alternating", "runs", "irregular"])
def test_elements_refilled_in_place_have_the_bytes_of_elements_made_anew(monkeypatch_batch, batch, pattern):
    """write_each() with `refill`: elements of a written batch set again for the next batch's items, where
    the shapes agree, give the bytes of elements made for each item."""
    monkeypatch_batch(batch)
    shapes = {"one-shape": lambda n: 0, "alternating": lambda n: n % 2, "runs": lambda n: n // 5 % 3,
              "irregular": lambda n: (n * n + 3 * n) % 4}[pattern]
    items = [(shapes(n), f"value {n} & <{n}>") for n in range(23)]
    made, refilled = [], []

    def add(parent, item):
        shape, value = item
        element = etree.SubElement(parent, f"{{{A}}}item{shape}", value=value)
        etree.SubElement(element, f"{{{A}}}part", value=value[::-1])
        made.append(item)

    def refill(element, was, item):
        if was[0] != item[0]:
            return False
        element.set("value", item[1])
        element[0].set("value", item[1][::-1])
        refilled.append(item)
        return True

    def content(refilling):
        return lambda out: out.write_each(items, add, refill if refilling else None)

    assert stream_document(ROOT, ROOT_ATTRIB, NSMAP, content(True)) == stream_document(ROOT, ROOT_ATTRIB, NSMAP, content(False))
    assert len(made) == len(items) + (len(items) - len(refilled))  # the plain pass made them all
    if pattern == "one-shape" and batch < len(items):
        assert len(refilled) == len(items) - batch  # every item after the first batch
