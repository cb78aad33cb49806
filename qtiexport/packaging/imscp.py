"""IMS Content Packaging manifests (resources, files, dependencies), shared by the QTI 2.1 and SCORM 1.2 targets.

Manifests are streamed: written element by element through lxml's incremental writer
(`etree.xmlfile`) by `XmlWriter`, which gives the bytes `_xml.serialize()` gives the same document
built whole, so a package of tens of thousands of resources never holds its manifest as a tree.
(The QTI assessmentTest, with one item reference per question, is streamed the same way.)
"""

from __future__ import annotations

import io
from typing import Callable, Mapping, NamedTuple, Sequence

from lxml import etree

from .package import MANIFEST

_XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"


class XmlWriter:
    """Writes the content of a document through lxml's incremental writer, laid out as `serialize()` lays it out.

    `serialize()` (libxml2's pretty printer) puts every element on a line of its own, indented by
    two spaces per level, except inside an element that holds text, which it writes as it is. This
    writer reproduces that layout with three kinds of writes: `element()` for an element whose
    content is elements, `leaf()` for one without child elements, `write()` for a small element
    built whole. Text and attribute values are escaped by lxml, as always.

    lxml's incremental writer differs from `serialize()` in two ways, worked around here:
    - its `element()` always writes an end tag, where `serialize()` closes an empty element as
      `<file href="..."/>`. A leaf in the default namespace is therefore written whole, as a
      detached element named by its local name alone: it declares no namespace, so in the
      document it belongs to the default namespace in scope, which is its own. One such element
      is kept per tag and set of attribute names, and refilled for each leaf. (A prefixed leaf
      must hold text; then it is written with the incremental writer's `element()`.)
    - it would declare the XML namespace (of `xml:lang`) under a made-up prefix; that namespace
      is bound to the prefix `xml` by definition (Namespaces in XML 1.0, section 3) and never
      declared, so attributes in it are written under their `xml:` name.
    """

    def __init__(self, xf, default_namespace: str | None):
        self._xf = xf
        self._default = f"{{{default_namespace}}}" if default_namespace else None
        self._depth = 0  # elements open
        self._count = 0  # elements started so far
        self._indents = ["\n" + "  " * depth for depth in range(8)]  # the line break and indentation per depth
        self._detached: dict = {}  # (tag, attribute names) -> the detached element written for such leaves

    def _line(self) -> None:
        """Put the next element on a line of its own, indented for its depth (the root follows the declaration)."""
        self._count += 1
        if self._depth:
            self._xf.write(self._indents[self._depth])

    def _deeper(self) -> None:
        self._depth += 1
        if self._depth == len(self._indents):
            self._indents.append(self._indents[-1] + "  ")

    def _shallower(self) -> None:
        """Leave an element whose content was elements: its end tag goes on a line of its own."""
        self._depth -= 1
        self._xf.write(self._indents[self._depth])

    def element(self, tag: str, attrib: Mapping[str, str] | None = None, nsmap=None) -> _Open:
        """Return a context in which the child elements of `<tag>` are written; it must get at least one."""
        return _Open(self, tag, attrib, nsmap)

    def leaf(self, tag: str, attrib: Mapping[str, str] | None = None, text: str | None = None) -> None:
        """Write `<tag>` with `attrib` and `text` (None: an empty element), and no child elements."""
        if self._default is None or not tag.startswith(self._default):
            if text is None:
                raise ValueError(f"empty element {tag} is not in the default namespace: it cannot be streamed")
            self._line()
            with self._xf.element(tag, _xml_names(attrib)):
                self._xf.write(text)
            return
        key = (tag, *attrib) if attrib else tag
        detached = self._detached.get(key)
        if detached is None:
            detached = self._detached[key] = etree.Element(tag[len(self._default):], attrib)
            if detached.nsmap:
                raise ValueError(f"{tag} would declare a namespace for its attributes {dict(attrib)}")
        elif attrib:
            for name, value in attrib.items():
                detached.set(name, value)
        detached.text = text
        self._line()
        self._xf.write(detached)

    def write(self, element: etree._Element) -> None:
        """Write `element`, built whole, and its descendants; none may hold both text and child elements."""
        if not len(element):
            self.leaf(element.tag, element.attrib, element.text)
            return
        if element.text is not None:
            raise ValueError(f"{element.tag} holds mixed content, which is not streamed")
        self._line()
        with self._xf.element(element.tag, _xml_names(element.attrib)):
            self._deeper()
            for child in element:
                if child.tail is not None:
                    raise ValueError(f"{element.tag} holds mixed content, which is not streamed")
                self.write(child)
            self._shallower()


class _Open:
    """The context of `XmlWriter.element()`: the start tag on entry; on exit, the end tag on a line of its own."""

    __slots__ = ("_writer", "_tag", "_attrib", "_nsmap", "_element", "_before")

    def __init__(self, writer: XmlWriter, tag: str, attrib, nsmap):
        self._writer = writer
        self._tag = tag
        self._attrib = attrib
        self._nsmap = nsmap

    def __enter__(self) -> None:
        writer = self._writer
        writer._line()
        self._before = writer._count
        self._element = writer._xf.element(self._tag, _xml_names(self._attrib), self._nsmap)
        self._element.__enter__()
        writer._deeper()

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is None:
                if self._writer._count == self._before:
                    raise ValueError(f"{self._tag} got no child element: write it with leaf()")
                self._writer._shallower()
        finally:
            self._element.__exit__(kind, value, traceback)


def _xml_names(attrib: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """Return `attrib` with the names of attributes in the XML namespace written as `xml:name`."""
    if not attrib or not any(name.startswith(_XML_NAMESPACE) for name in attrib):
        return attrib
    return {(f"xml:{name[len(_XML_NAMESPACE):]}" if name.startswith(_XML_NAMESPACE) else name): value
            for name, value in attrib.items()}


def stream_document(
    tag: str, attrib: Mapping[str, str], nsmap: dict[str | None, str], content: Callable[[XmlWriter], None]
) -> bytes:
    """Return the document whose root is `<tag>` with `attrib`, declaring `nsmap`, and whose content `content` writes.

    The bytes are those `serialize()` gives the same document built whole: XML declaration,
    indented content, and a newline after the root's end tag.
    """
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        writer = XmlWriter(xf, nsmap.get(None))
        with writer.element(tag, attrib, nsmap):
            content(writer)
    out.write(b"\n")  # the incremental writer accepts nothing after the root; serialize() ends with a newline
    return out.getvalue()


class Resource(NamedTuple):
    """One `<resource>`: its files are listed in the manifest and must all be members of the package.

    `metadata` elements may be shared between resources (they are written, never moved);
    `attributes` are further (name, value) attributes, such as SCORM's `adlcp:scormtype`.
    (A named tuple: a package may list tens of thousands, and a tuple is made twice as fast as
    a frozen dataclass.)
    """

    identifier: str
    type: str
    href: str | None
    files: tuple[str, ...]
    dependencies: tuple[str, ...] = ()
    metadata: tuple[etree._Element, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


def write_resources(out: XmlWriter, namespace: str, resources: Sequence[Resource]) -> None:
    """Write `<resources>` (in the manifest's `namespace`) for `resources`, in the order given."""
    resources_tag, resource_tag, metadata_tag, file_tag, dependency_tag = (
        f"{{{namespace}}}{name}" for name in ("resources", "resource", "metadata", "file", "dependency")
    )
    if not resources:
        out.leaf(resources_tag)
        return
    with out.element(resources_tag):
        for resource in resources:
            attributes = {"identifier": resource.identifier, "type": resource.type, **dict(resource.attributes)}
            if resource.href is not None:
                attributes["href"] = resource.href
            if not (resource.metadata or resource.files or resource.dependencies):
                out.leaf(resource_tag, attributes)
                continue
            with out.element(resource_tag, attributes):
                if resource.metadata:
                    with out.element(metadata_tag):
                        for element in resource.metadata:
                            out.write(element)
                for path in resource.files:
                    out.leaf(file_tag, {"href": path})
                for identifier in resource.dependencies:
                    out.leaf(dependency_tag, {"identifierref": identifier})


def unlisted_members(resources: list[Resource], members: list[str]) -> tuple[list[str], list[str]]:
    """Return (members no resource lists, listed files that are not members); both empty for a sound package."""
    listed = {path for resource in resources for path in resource.files}
    present = set(members) - {MANIFEST}
    return sorted(present - listed), sorted(listed - present)


def assert_complete(resources: list[Resource], members: list[str]) -> None:
    """Raise AssertionError unless the resources list exactly the package's members (a writer bug otherwise)."""
    extra, missing = unlisted_members(resources, members)
    if extra or missing:
        raise AssertionError(f"manifest and package disagree: unlisted {extra}, missing {missing}")
