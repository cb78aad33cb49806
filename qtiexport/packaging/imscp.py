"""IMS Content Packaging manifests (resources, files, dependencies), shared by the QTI 2.1 and SCORM 1.2 targets.

Manifests are streamed by `XmlWriter`: written through lxml's incremental writer (`etree.xmlfile`),
their long runs of like elements (resources, item references) serialized by lxml in batches, with
the bytes `_xml.serialize()` gives the same document built whole. So a package of tens of
thousands of resources never holds its manifest as a tree. (The QTI assessmentTest, with one item
reference per question, is streamed the same way.)
"""

from __future__ import annotations

import io
from typing import Callable, Collection, Iterable, Iterator, Mapping, NamedTuple, TypeVar

from lxml import etree

from .package import MANIFEST

_XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"
_BATCH = 256  # elements serialized at once by XmlWriter.write_each
_BEFORE, _AFTER = " batch ", " end of batch "  # the marker comments around a batch
_BEFORE_BYTES, _AFTER_BYTES = b"<!--" + _BEFORE.encode() + b"-->", b"<!--" + _AFTER.encode() + b"-->"
T = TypeVar("T")


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

    Each of those writes costs several calls into lxml, so a long run of sibling elements (one per
    question) is written with `write_each()` instead: the elements are built in batches inside a
    stand-in document that declares the same namespaces at the same depth, lxml serializes each
    batch whole, and the batch's bytes (the part between two marker comments) go to the output as
    they are. serialize() lays out an element from its content, its depth and the namespaces in
    scope alone, so these are the bytes it gives for the same elements in the whole document.
    """

    def __init__(self, xf, nsmap: Mapping[str | None, str], out: io.BytesIO):
        self._xf = xf
        self._out = out
        self._nsmap = dict(nsmap)
        default_namespace = nsmap.get(None)
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

    def write_each(self, items: Iterable[T], add: Callable[[etree._Element, T], object],
                   refill: Callable[[etree._Element, T, T], bool] | None = None) -> None:
        """Write, at the current depth, the elements `add(parent, item)` appends to `parent` for each of `items`.

        `add` may append any number of elements (and their descendants), by SubElement or by
        appending copies; `parent` stands in for the element being written into. With `refill`,
        `add` appends exactly one element, and the elements of a batch already written are
        offered again, in order, to the items of the next: `refill(element, was, item)`, given the
        item `element` was last made or filled for, sets in it every value of `item`'s element and
        returns True, or returns False (another shape) and `add` is called. Setting a few values
        in place costs much less than copying a template.
        """
        parent = root = etree.Element(f"{self._default or ''}batch", nsmap=self._nsmap)
        for _ in range(self._depth - 1):
            parent = etree.SubElement(parent, f"{self._default or ''}batch")
        parent.append(etree.Comment(_BEFORE))
        after = etree.Comment(_AFTER)
        batch: list[T] = []
        spare: list[etree._Element] = []  # the elements of the last batch (with `refill`), and their items
        spare_items: list[T] = []
        for item in items:
            slot = len(batch)
            if slot < len(spare) and refill(spare[slot], spare_items[slot], item):
                parent.append(spare[slot])
            else:
                add(parent, item)
            batch.append(item)
            if len(batch) == _BATCH:
                written = self._write_batch(root, parent, after)
                if refill is not None:
                    spare, spare_items = written, batch
                batch = []
        if batch:
            self._write_batch(root, parent, after)

    def _write_batch(self, root: etree._Element, parent: etree._Element, after: etree._Element) -> list:
        """Serialize the elements added to `parent` (after the first marker) into the output; remove and return them."""
        parent.append(after)
        text = etree.tostring(root, encoding="UTF-8", pretty_print=True)
        start = text.index(_BEFORE_BYTES) + len(_BEFORE_BYTES)
        end = text.rindex(b"\n", start, text.rindex(_AFTER_BYTES))  # before the marker's line and indentation
        if end > start:
            self._xf.flush()  # what lxml holds goes out first
            self._out.write(text[start:end])
            self._count += 1
        written = parent[1:-1]
        del parent[1:]
        return written

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

    __slots__ = ("_writer", "_tag", "_attrib", "_nsmap", "_element", "_before", "_outer_nsmap")

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
        if self._nsmap:  # in scope until the end tag (for write_each)
            self._outer_nsmap, writer._nsmap = writer._nsmap, {**writer._nsmap, **self._nsmap}

    def __exit__(self, kind, value, traceback) -> None:
        if self._nsmap:
            self._writer._nsmap = self._outer_nsmap
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
        writer = XmlWriter(xf, nsmap, out)
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
    dependencies: Collection[str] = ()  # a tuple, or any collection read only by len() and iteration
    metadata: tuple[etree._Element, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


def write_resources(out: XmlWriter, namespace: str, resources: Collection[Resource]) -> None:
    """Write `<resources>` (in the manifest's `namespace`) for `resources`, in the order given (read once)."""
    resources_tag, resource_tag, metadata_tag, file_tag, dependency_tag = (
        f"{{{namespace}}}{name}" for name in ("resources", "resource", "metadata", "file", "dependency")
    )

    def attributes(resource: Resource) -> dict[str, str]:
        found = {"identifier": resource.identifier, "type": resource.type, **dict(resource.attributes)}
        if resource.href is not None:
            found["href"] = resource.href
        return found

    def add_metadata(parent: etree._Element, metadata: tuple[etree._Element, ...]) -> None:
        etree.SubElement(parent, metadata_tag).extend(m.__copy__() for m in metadata)

    def add_file(parent: etree._Element, path: str) -> None:
        etree.SubElement(parent, file_tag, href=path)

    def add_dependency(parent: etree._Element, identifier: str) -> None:
        etree.SubElement(parent, dependency_tag, identifierref=identifier)

    # Copying a finished resource and setting its values costs half as much as making its elements
    # one by one; resources of one shape (an item's, for each question) share a template: a copy
    # of the first of them.
    templates: dict[tuple, etree._Element] = {}

    def shape_of(resource: Resource) -> tuple:
        return (resource.type, resource.href is None, resource.attributes, id(resource.metadata),
                len(resource.files), len(resource.dependencies))

    def add_resource(parent: etree._Element, resource: Resource) -> None:
        shape = shape_of(resource)
        template = templates.get(shape)
        if template is None:
            made = etree.SubElement(parent, resource_tag, attributes(resource))
            if resource.metadata:
                add_metadata(made, resource.metadata)
            for path in resource.files:
                add_file(made, path)
            for identifier in resource.dependencies:
                add_dependency(made, identifier)
            templates[shape] = made.__copy__()
            return
        made = template.__copy__()
        fill(made, resource)
        parent.append(made)

    def fill(made: etree._Element, resource: Resource) -> None:
        made.set("identifier", resource.identifier)
        if resource.href is not None:
            made.set("href", resource.href)
        children = iter(made[1:] if resource.metadata else made)
        for path, child in zip(resource.files, children):
            child.set("href", path)
        for identifier, child in zip(resource.dependencies, children):
            child.set("identifierref", identifier)

    def refill(made: etree._Element, was: Resource, resource: Resource) -> bool:
        if shape_of(was) != shape_of(resource):
            return False
        fill(made, resource)
        return True

    def refill_dependency(made: etree._Element, was: str, identifier: str) -> bool:
        made.set("identifierref", identifier)
        return True

    if not resources:
        out.leaf(resources_tag)
        return
    remaining = iter(resources)
    large: list[Resource] = []

    def until_large() -> Iterator[Resource]:
        """Yield the resources up to the next with many dependencies (one per item of a large test), kept in `large`."""
        for resource in remaining:
            if len(resource.dependencies) > _BATCH:
                large.append(resource)
                return
            yield resource

    with out.element(resources_tag):
        out.write_each(until_large(), add_resource, refill)
        while large:  # its children are batched
            resource = large.pop()
            with out.element(resource_tag, attributes(resource)):
                out.write_each([resource.metadata] if resource.metadata else [], add_metadata)
                out.write_each(resource.files, add_file)
                out.write_each(resource.dependencies, add_dependency, refill_dependency)
            out.write_each(until_large(), add_resource, refill)


def unlisted_members(resources: Iterable[Resource], members: list[str]) -> tuple[list[str], list[str]]:
    """Return (members no resource lists, listed files that are not members); both empty for a sound package."""
    listed = {path for resource in resources for path in resource.files}
    present = set(members) - {MANIFEST}
    return sorted(present - listed), sorted(listed - present)


def assert_complete(resources: Iterable[Resource], members: list[str]) -> None:
    """Raise AssertionError unless the resources list exactly the package's members (a writer bug otherwise)."""
    extra, missing = unlisted_members(resources, members)
    if extra or missing:
        raise AssertionError(f"manifest and package disagree: unlisted {extra}, missing {missing}")
