"""Checks of a built content-package zip: safe member paths, manifest at the root, manifest files against members,
identifier references, and every XML document against the official schemas."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from .package import MANIFEST, UnsafePathError, check_member_path
from .xsd import SchemaSet, Standards

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Finding:
    """One problem in a package: the member it is in (None for the zip itself), a line, and the message."""

    package: str
    member: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.package + (f"!{self.member}" if self.member else "") + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}"


@dataclass
class Inspection:
    """What check_package learned: the findings, the parsed XML members, and which schema sets were used."""

    package: str
    findings: list[Finding] = field(default_factory=list)
    documents: dict[str, etree._Element] = field(default_factory=dict)
    manifest_kind: SchemaSet | None = None
    validated: int = 0
    xsd_skipped: bool = False

    def add(self, member: str | None, message: str, line: int | None = None) -> None:
        self.findings.append(Finding(self.package, member, line, message))

    @property
    def ok(self) -> bool:
        return not self.findings


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def inspect_package(path: Path, standards: Standards | None) -> Inspection:
    """Return the inspection of the zip at `path`; XSD validation runs only when `standards` is given."""
    report = Inspection(package=str(path), xsd_skipped=standards is None)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.add(None, f"not a readable zip file: {exc}")
        return report
    with archive:
        names = archive.namelist()
        _check_names(report, names)
        if MANIFEST not in names:
            report.add(None, f"no {MANIFEST} at the root of the zip; LMS importers look for it there")
        for name in names:
            if name.endswith(".xml") and not name.endswith("/"):
                _parse_member(report, archive, name)
    manifest = report.documents.get(MANIFEST)
    if manifest is not None:
        report.manifest_kind = Standards.schema_set_for(manifest)
        if report.manifest_kind not in (SchemaSet.QTI21_MANIFEST, SchemaSet.SCORM12_MANIFEST):
            report.add(MANIFEST, f"unknown manifest root element {manifest.tag}")
        _check_manifest(report, manifest, [n for n in names if not n.endswith("/")])
    if standards is not None:
        for name, root in report.documents.items():
            schema_set = Standards.schema_set_for(root)
            if schema_set is None:
                continue
            for problem in standards.validate(root, schema_set):
                report.add(name, f"not valid against the official schema: {problem.message}", problem.line)
            report.validated += 1
    return report


def _check_names(report: Inspection, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name.endswith("/"):
            continue
        try:
            check_member_path(name)
        except UnsafePathError:
            report.add(name, "unsafe member path (absolute, '..', backslash or control character); it could "
                       "be written outside the folder the package is unpacked into")
        if name.lower() in seen:
            report.add(name, "a second member with this name (ignoring case); unpacking would overwrite one")
        seen.add(name.lower())


def _parse_member(report: Inspection, archive: zipfile.ZipFile, name: str) -> None:
    try:
        root = etree.fromstring(archive.read(name), _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        report.add(name, f"not well-formed XML: {exc.msg}", exc.lineno)
        return
    report.documents[name] = root


def _check_manifest(report: Inspection, manifest: etree._Element, members: list[str]) -> None:
    resources = [el for el in manifest.iter() if isinstance(el.tag, str) and _local(el) == "resource"]
    identifiers = {el.get("identifier") for el in resources}
    listed: set[str] = set()
    for resource in resources:
        base = resource.get("{http://www.w3.org/XML/1998/namespace}base", "")
        for child in resource:
            if not isinstance(child.tag, str):
                continue
            if _local(child) == "file":
                listed.add(unquote(base + child.get("href", "")))
            elif _local(child) == "dependency" and child.get("identifierref") not in identifiers:
                report.add(MANIFEST, f"dependency on unknown resource {child.get('identifierref')!r}", child.sourceline)
        href = resource.get("href")
        if href is not None and unquote(base + href) not in listed:
            report.add(MANIFEST, f"resource {resource.get('identifier')!r} launches {href!r}, which none of its "
                       "<file> elements lists", resource.sourceline)
    for path in sorted(listed - set(members)):
        report.add(MANIFEST, f"lists the file {path!r}, which is not in the zip")
    for path in sorted(set(members) - listed - {MANIFEST}):
        report.add(path, "is in the zip but not listed in the manifest")
    organizations = [el for el in manifest.iter() if isinstance(el.tag, str) and _local(el) == "organization"]
    org_ids = {el.get("identifier") for el in organizations}
    for el in manifest.iter():
        if not isinstance(el.tag, str):
            continue
        if _local(el) == "organizations" and el.get("default") and el.get("default") not in org_ids:
            report.add(MANIFEST, f"default organization {el.get('default')!r} does not exist", el.sourceline)
        if _local(el) == "item" and el.get("identifierref") and el.get("identifierref") not in identifiers:
            report.add(MANIFEST, f"item refers to unknown resource {el.get('identifierref')!r}", el.sourceline)
