"""imsmanifest.xml of a SCORM 1.2 package (IMS CP 1.1.2 with the ADL extensions), one organization, one SCO."""

from __future__ import annotations

from lxml import etree

from ..._xml import (
    ADLCP,
    ADLCP_XSD,
    SCORM_CP,
    SCORM_CP_XSD,
    SCORM_MD,
    SCORM_MD_XSD,
    XSI,
    maker,
    schema_location,
    xml_decimal,
)
from ...model import Quiz
from ...packaging.imscp import Resource, resources_element

# Moodle's manifest parser is not namespace-aware: it looks for the literal prefix "adlcp:".
NSMAP = {None: SCORM_CP, "adlcp": ADLCP, "imsmd": SCORM_MD, "xsi": XSI}
CP = maker(SCORM_CP, NSMAP)
ADL = maker(ADLCP, NSMAP)
SCORMTYPE = f"{{{ADLCP}}}scormtype"
LAUNCH = "index.html"


def organization_id(quiz: Quiz) -> str:
    return f"ORG-{quiz.id}"


def resource_id(quiz: Quiz) -> str:
    return f"SCO-{quiz.id}"


def imsmanifest(quiz: Quiz, files: list[str]) -> tuple[etree._Element, Resource]:
    """Return the manifest for a package of `files` (launching index.html) and its one resource."""
    item = CP.item(CP.title(quiz.title), identifier=f"ITEM-{quiz.id}", identifierref=resource_id(quiz))
    if quiz.settings.passing_score is not None:
        item.append(ADL.masteryscore(xml_decimal(quiz.settings.passing_score)))
    resource = Resource(
        identifier=resource_id(quiz),
        type="webcontent",
        href=LAUNCH,
        files=tuple(files),
        attributes={SCORMTYPE: "sco"},
    )
    manifest = CP.manifest(
        CP.metadata(CP.schema("ADL SCORM"), CP.schemaversion("1.2")),
        CP.organizations(
            CP.organization(CP.title(quiz.title), item, identifier=organization_id(quiz)),
            default=organization_id(quiz),
        ),
        resources_element(CP, [resource]),
        schema_location((SCORM_CP, SCORM_CP_XSD), (ADLCP, ADLCP_XSD), (SCORM_MD, SCORM_MD_XSD)),
        identifier=f"MANIFEST-{quiz.id}",
        version="1.0",
    )
    return manifest, resource
