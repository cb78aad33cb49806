"""imsmanifest.xml of a SCORM 1.2 package (IMS CP 1.1.2 with the ADL extensions), one organization, one SCO."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

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
from ...packaging.imscp import Resource, XmlWriter, stream_document, write_resources

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


TITLE_LIMIT = 200  # imscp_rootv1p1p2.xsd: <title> is a string of at most 200 characters


def mastery_score(passing_score: Decimal) -> str:
    """Return adlcp:masteryscore for `passing_score`: rounded up to 2 decimals.

    The player reports cmi.core.score.raw with 2 decimals, and for such a score s,
    s >= passing_score exactly when s >= the rounded-up value: the LMS and the player agree,
    and the value stays short (the schema allows 200 characters).
    """
    return xml_decimal((passing_score * 100).to_integral_value(rounding=ROUND_CEILING) / 100)


def imsmanifest(quiz: Quiz, files: list[str], title: str) -> tuple[bytes, Resource]:
    """Return imsmanifest.xml for a package of `files` (launching index.html) and its one resource.

    `title` is the quiz's title as SCORM 1.2 can carry it (see TITLE_LIMIT).
    """
    item = CP.item(CP.title(title), identifier=f"ITEM-{quiz.id}", identifierref=resource_id(quiz))
    if quiz.settings.passing_score is not None:
        item.append(ADL.masteryscore(mastery_score(quiz.settings.passing_score)))
    resource = Resource(
        identifier=resource_id(quiz),
        type="webcontent",
        href=LAUNCH,
        files=tuple(files),
        attributes=((SCORMTYPE, "sco"),),
    )

    def content(out: XmlWriter) -> None:
        out.write(CP.metadata(CP.schema("ADL SCORM"), CP.schemaversion("1.2")))
        out.write(
            CP.organizations(
                CP.organization(CP.title(title), item, identifier=organization_id(quiz)),
                default=organization_id(quiz),
            )
        )
        write_resources(out, SCORM_CP, [resource])

    attributes = {
        "identifier": f"MANIFEST-{quiz.id}",
        "version": "1.0",
        **schema_location((SCORM_CP, SCORM_CP_XSD), (ADLCP, ADLCP_XSD), (SCORM_MD, SCORM_MD_XSD)),
    }
    return stream_document(f"{{{SCORM_CP}}}manifest", attributes, NSMAP, content), resource
