"""IMS Content Packaging manifests (resources, files, dependencies), shared by the QTI 2.1 and SCORM 1.2 targets."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree
from lxml.builder import ElementMaker

from .package import MANIFEST


@dataclass(frozen=True)
class Resource:
    """One `<resource>`: its files are listed in the manifest and must all be members of the package."""

    identifier: str
    type: str
    href: str | None
    files: tuple[str, ...]
    dependencies: tuple[str, ...] = ()
    metadata: tuple[etree._Element, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)


def resources_element(E: ElementMaker, resources: list[Resource]) -> etree._Element:
    """Return `<resources>` for `resources`, in the order given.

    Built with SubElement rather than E: a package may list tens of thousands of resources.
    Metadata elements are copied, so one element may serve every resource.
    """
    out = E.resources()
    namespace = etree.QName(out).namespace
    tag = (lambda name: f"{{{namespace}}}{name}") if namespace else (lambda name: name)
    resource_tag, metadata_tag, file_tag, dependency_tag = map(tag, ("resource", "metadata", "file", "dependency"))
    sub = etree.SubElement
    for resource in resources:
        attributes = {"identifier": resource.identifier, "type": resource.type, **resource.attributes}
        if resource.href is not None:
            attributes["href"] = resource.href
        node = sub(out, resource_tag, attributes)
        if resource.metadata:
            metadata = sub(node, metadata_tag)
            metadata.extend(copy.deepcopy(element) for element in resource.metadata)
        for path in resource.files:
            sub(node, file_tag, href=path)
        for identifier in resource.dependencies:
            sub(node, dependency_tag, identifierref=identifier)
    return out


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
