"""QTI 2.1 rules a generic content-package check cannot see: item references resolve to items, resource types, schema."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from ..._xml import IMSCP, QTI
from ...packaging.package import MANIFEST
from .manifest import ITEM_TYPE, TEST_TYPE

if TYPE_CHECKING:  # the checks are imported only by `check`, not by every build
    from ...packaging.check import Inspection

_ITEM = f"{{{QTI}}}assessmentItem"
_TEST = f"{{{QTI}}}assessmentTest"
_REF = f"{{{QTI}}}assessmentItemRef"


def check(report: Inspection) -> None:
    """Add findings to `report` for broken item references and misdeclared resources."""
    docs = report.documents
    items = {name: root.get("identifier") for name, root in docs.items() if root.tag == _ITEM}
    tests = {name: root for name, root in docs.items() if root.tag == _TEST}
    manifest = docs.get(MANIFEST)
    if manifest is not None:
        schema = manifest.findtext(f"{{{IMSCP}}}metadata/{{{IMSCP}}}schema")
        if schema != "QTIv2.1 Package":
            report.add(MANIFEST, f'metadata schema is {schema!r}, not "QTIv2.1 Package" (Canvas needs it to '
                       "recognise a QTI 2.1 package)")
        types = {}
        for resource in manifest.iter(f"{{{IMSCP}}}resource"):
            types[resource.get("href")] = resource.get("type")
        for name in items:
            if types.get(name) != ITEM_TYPE:
                report.add(MANIFEST, f"{name} holds an assessmentItem but its resource type is "
                           f"{types.get(name)!r}, not {ITEM_TYPE!r}")
        for name in tests:
            if types.get(name) != TEST_TYPE:
                report.add(MANIFEST, f"{name} holds an assessmentTest but its resource type is "
                           f"{types.get(name)!r}, not {TEST_TYPE!r}")
    if not tests:
        report.add(None, "no assessmentTest in the package")
    identifiers = set(items.values())
    for name, test in tests.items():
        for ref in test.iter(_REF):
            identifier, href = ref.get("identifier"), ref.get("href")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), href or ""))
            if target not in items:
                report.add(name, f"assessmentItemRef {identifier!r} points to {href!r}, which holds no "
                           "assessmentItem", ref.sourceline)
            elif items[target] != identifier:
                report.add(name, f"assessmentItemRef {identifier!r} points to an item identified "
                           f"{items[target]!r}; Canvas joins them by identifier and would drop it", ref.sourceline)
            elif identifier not in identifiers:
                report.add(name, f"assessmentItemRef {identifier!r} matches no assessmentItem", ref.sourceline)
