"""SCORM 1.2 rules a generic content-package check cannot see: ADL metadata, the adlcp prefix, a launchable SCO."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._xml import ADLCP, SCORM_CP
from ...packaging.package import MANIFEST

if TYPE_CHECKING:  # the checks are imported only by `check`, not by every build
    from ...packaging.check import Inspection


def check(report: Inspection) -> None:
    """Add findings to `report` where Moodle or another SCORM 1.2 LMS would not run the package as a SCO."""
    manifest = report.documents.get(MANIFEST)
    if manifest is None:
        return
    ns = {"cp": SCORM_CP}
    if manifest.findtext("cp:metadata/cp:schema", namespaces=ns) != "ADL SCORM" or \
            manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns) != "1.2":
        report.add(MANIFEST, "metadata must read <schema>ADL SCORM</schema><schemaversion>1.2</schemaversion>")
    if manifest.nsmap.get("adlcp") != ADLCP:
        report.add(MANIFEST, 'the ADL namespace must be bound to the prefix "adlcp" (Moodle matches the literal '
                   "prefix)")
    scos = [r for r in manifest.iterfind(".//cp:resource", ns) if r.get(f"{{{ADLCP}}}scormtype") == "sco"]
    if not scos:
        report.add(MANIFEST, 'no resource with adlcp:scormtype="sco": an LMS would track nothing')
    for sco in scos:
        if not sco.get("href"):
            report.add(MANIFEST, f"SCO {sco.get('identifier')!r} has no launch href", sco.sourceline)
    for score in manifest.iterfind(f".//{{{ADLCP}}}masteryscore"):
        try:
            value = float(score.text or "")
        except ValueError:
            value = -1.0
        if not 0 <= value <= 100:
            report.add(MANIFEST, f"adlcp:masteryscore {score.text!r} is not a number from 0 to 100", score.sourceline)
