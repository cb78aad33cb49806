"""Validation of XML documents against the official IMS and ADL schemas; knows files and schemas, not quizzes.

The schemas are read at run time from a read-only "standards" folder (see its
``SOURCES.md``); nothing is copied into this package.  Each :class:`SchemaSet`
is compiled from a small in-memory *driver* schema (no target namespace) that
``xs:import``s every namespace of the set by absolute ``file:`` URI.

Two SCORM 1.2 files are broken as published and are fixed in memory only:

* P1 ``scorm12/ims_xml.xsd`` declares the XML namespace as the default
  namespace; that ``xmlns="..."`` attribute is removed.
* P2 ``scorm12/imsmd_rootv1p2p1.xsd`` uses ``namespace="##any"`` in its
  ``grp.any`` group (not deterministic); it becomes ``"##other"``.

The patched bytes are served through an :class:`lxml.etree.Resolver`, so the
files that import them (by relative ``schemaLocation``) get the fixed version.
The same resolver refuses every non-``file`` URL, so compilation never touches
the network.
"""

from __future__ import annotations

import enum
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

__all__ = [
    "ENV_VAR",
    "SchemaSet",
    "Standards",
    "StandardsError",
    "XsdProblem",
]

#: Environment variable naming the standards folder.
ENV_VAR = "QTIEXPORT_STANDARDS"

_XS = "http://www.w3.org/2001/XMLSchema"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
_IMSCP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
_SCORM12_CP_NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"


class StandardsError(ValueError):
    """The standards folder is missing, incomplete, or a schema set does not compile."""


@dataclass(frozen=True)
class XsdProblem:
    """One schema-validation error: source line (0 if unknown) and libxml2's message."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class SchemaSet(enum.Enum):
    """A set of official schemas that validates one kind of document."""

    #: QTI 2.1 items and tests.
    QTI21 = "qti21"
    #: IMS CP 1.1.4 manifest of a QTI 2.1 package, with its metadata schemas.
    QTI21_MANIFEST = "qti21_manifest"
    #: SCORM 1.2 manifest (IMS CP 1.1.2 + ADL extensions + IMS MD 1.2.1).
    SCORM12_MANIFEST = "scorm12_manifest"


# (namespace, path relative to the standards folder) imported by each driver.
_IMPORTS: dict[SchemaSet, tuple[tuple[str, str], ...]] = {
    SchemaSet.QTI21: (
        (_QTI_NS, "qti21/imsqti_v2p1.xsd"),
    ),
    SchemaSet.QTI21_MANIFEST: (
        (_XML_NS, "imscp/xml.xsd"),
        (_IMSCP_NS, "imscp/imscp_v1p1.xsd"),
        ("http://www.imsglobal.org/xsd/imsmd_v1p2", "imscp/imsmd_v1p2p4.xsd"),
        ("http://ltsc.ieee.org/xsd/LOM", "imscp/imsmd_loose_v1p3p2.xsd"),
        ("http://www.imsglobal.org/xsd/imsqti_metadata_v2p1", "qti21/imsqti_metadata_v2p1.xsd"),
    ),
    SchemaSet.SCORM12_MANIFEST: (
        (_SCORM12_CP_NS, "scorm12/imscp_rootv1p1p2.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "scorm12/adlcp_rootv1p2.xsd"),
        ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "scorm12/imsmd_rootv1p2p1.xsd"),
    ),
}

# Files that must exist for a folder to count as a standards folder.
_REQUIRED_FILES: tuple[str, ...] = tuple(
    sorted(
        {path for imports in _IMPORTS.values() for _, path in imports}
        | {
            "qti21/w3/xml.xsd",
            "qti21/w3/XInclude.xsd",
            "qti21/w3/mathml2/mathml2.xsd",
            "qti21/apip/apipv1p0_qtiextv2p1_v1p0.xsd",
            "scorm12/ims_xml.xsd",
        }
    )
)

# In-memory patches: relative path -> (patch id, bytes to find, replacement).
_PATCHES: dict[str, tuple[str, bytes, bytes]] = {
    # P1: the XML namespace may not be the default namespace.
    "scorm12/ims_xml.xsd": ("P1", b' xmlns="' + _XML_NS.encode() + b'"', b""),
    # P2: grp.any with ##any after same-namespace optional elements is not deterministic.
    "scorm12/imsmd_rootv1p2p1.xsd": ("P2", b'namespace="##any"', b'namespace="##other"'),
}


def _url_to_path(url: str) -> Path | None:
    """The local path a ``file:`` URL or plain path refers to, or None for other schemes."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        from urllib.request import url2pathname  # heavy (http.client, email...): only when checking

        return Path(url2pathname(unquote(parsed.path)))
    if parsed.scheme == "" or (len(parsed.scheme) == 1 and os.name == "nt"):
        return Path(url)
    return None


class _StandardsResolver(etree.Resolver):
    """Serves patched schema files from memory and refuses any network URL."""

    def __init__(self, patched: dict[Path, bytes]):
        super().__init__()
        self._patched = patched
        self.refused: list[str] = []

    def resolve(self, system_url, public_id, context):
        if not system_url:
            return None
        path = _url_to_path(system_url)
        if path is None:
            # Never fetch: answer with an empty document, then fail after compiling.
            self.refused.append(system_url)
            return self.resolve_string(b"<refused/>", context, base_url=system_url)
        data = self._patched.get(_normalise(path))
        if data is not None:
            return self.resolve_string(data, context, base_url=path.as_uri())
        return None


def _normalise(path: Path) -> Path:
    return Path(os.path.normpath(os.path.abspath(path)))


class Standards:
    """A folder of official schemas; compiles each :class:`SchemaSet` lazily, once."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = _normalise(Path(root))
        if not self.root.is_dir():
            raise StandardsError(f"standards folder {self.root} does not exist or is not a folder")
        missing = [rel for rel in _REQUIRED_FILES if not (self.root / rel).is_file()]
        if missing:
            raise StandardsError(
                f"standards folder {self.root} lacks expected schema files: {', '.join(missing)}"
            )
        self._schemas: dict[SchemaSet, etree.XMLSchema] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Standards({str(self.root)!r})"

    @classmethod
    def locate(cls, explicit: str | os.PathLike[str] | None = None) -> Standards | None:
        """The standards folder given explicitly, else by ``$QTIEXPORT_STANDARDS``, else None.

        Raises :class:`StandardsError` if the named folder lacks the expected files.
        """
        if explicit is not None and str(explicit) != "":
            return cls(Path(explicit))
        env = os.environ.get(ENV_VAR, "").strip()
        if env:
            return cls(Path(env))
        return None

    # -- compilation -------------------------------------------------------

    def schema(self, set: SchemaSet) -> etree.XMLSchema:  # noqa: A002 - name from the API
        """The compiled schema for *set* (compiled on first use, then cached)."""
        schema = self._schemas.get(set)
        if schema is None:
            with self._lock:
                schema = self._schemas.get(set)
                if schema is None:
                    schema = self._compile(set)
                    self._schemas[set] = schema
        return schema

    def _patched_files(self) -> dict[Path, bytes]:
        patched: dict[Path, bytes] = {}
        for rel, (_pid, old, new) in _PATCHES.items():
            path = self.root / rel
            data = path.read_bytes()
            # If a future copy is already fixed, the pattern is absent: serve it unchanged.
            patched[_normalise(path)] = data.replace(old, new)
        return patched

    def _driver(self, set: SchemaSet) -> bytes:  # noqa: A002
        root = etree.Element(f"{{{_XS}}}schema", nsmap={"xs": _XS})
        for namespace, rel in _IMPORTS[set]:
            etree.SubElement(
                root,
                f"{{{_XS}}}import",
                namespace=namespace,
                schemaLocation=(self.root / rel).as_uri(),
            )
        return etree.tostring(root)

    def _compile(self, set: SchemaSet) -> etree.XMLSchema:  # noqa: A002
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        resolver = _StandardsResolver(self._patched_files())
        parser.resolvers.add(resolver)
        driver = etree.fromstring(
            self._driver(set), parser, base_url=(self.root / "driver.xsd").as_uri()
        )
        try:
            schema = etree.XMLSchema(etree.ElementTree(driver))
        except etree.XMLSchemaParseError as exc:
            details = "; ".join(
                f"{e.filename}:{e.line}: {e.message}" for e in exc.error_log
            ) or str(exc)
            raise StandardsError(
                f"schema set {set.name} does not compile from {self.root}: {details}"
            ) from exc
        if resolver.refused:
            raise StandardsError(
                f"schema set {set.name} refers to network locations (not fetched): "
                + ", ".join(sorted(resolver.refused))
            )
        return schema

    # -- validation --------------------------------------------------------

    def validate(
        self,
        doc: etree._ElementTree | etree._Element,
        set: SchemaSet,  # noqa: A002
    ) -> list[XsdProblem]:
        """Validate *doc* against *set*; an empty list means valid."""
        schema = self.schema(set)
        if schema.validate(doc):
            return []
        problems = [
            XsdProblem(line=entry.line or 0, message=entry.message.strip())
            for entry in schema.error_log
        ]
        return problems or [XsdProblem(line=0, message="document is not valid")]

    @staticmethod
    def schema_set_for(root: etree._Element) -> SchemaSet | None:
        """The schema set for a document, chosen by its root element's qualified name."""
        if isinstance(root, etree._ElementTree):
            root = root.getroot()
        return _ROOTS.get(root.tag) if isinstance(root.tag, str) else None


_ROOTS: dict[str, SchemaSet] = {
    f"{{{_QTI_NS}}}assessmentItem": SchemaSet.QTI21,
    f"{{{_QTI_NS}}}assessmentTest": SchemaSet.QTI21,
    f"{{{_IMSCP_NS}}}manifest": SchemaSet.QTI21_MANIFEST,
    f"{{{_SCORM12_CP_NS}}}manifest": SchemaSet.SCORM12_MANIFEST,
}
