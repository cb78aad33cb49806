"""XML plumbing shared by every writer: the namespace table, ElementMaker factories, value converters, serialize()."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree
from lxml.builder import ElementMaker

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
QTI_METADATA = "http://www.imsglobal.org/xsd/imsqti_metadata_v2p1"
QTI_METADATA_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_metadata_v2p1.xsd"
IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
IMSCP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
IMSMD_XSD = "http://www.imsglobal.org/xsd/imsmd_v1p2p4.xsd"

SCORM_CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
SCORM_CP_XSD = "imscp_rootv1p1p2.xsd"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_XSD = "adlcp_rootv1p2.xsd"
SCORM_MD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
SCORM_MD_XSD = "imsmd_rootv1p2p1.xsd"


def maker(namespace: str, nsmap: dict[str | None, str]) -> ElementMaker:
    """Return an ElementMaker whose elements are in `namespace`, declaring `nsmap` on each root."""
    return ElementMaker(namespace=namespace, nsmap=nsmap)


def schema_location(*pairs: tuple[str, str]) -> dict[str, str]:
    """Return the xsi:schemaLocation attribute for (namespace, location) `pairs`."""
    return {f"{{{XSI}}}schemaLocation": " ".join(f"{ns} {loc}" for ns, loc in pairs)}


def xml_bool(value: bool) -> str:
    return "true" if value else "false"


def xml_decimal(value: Decimal | int | float) -> str:
    """Return `value` in plain decimal notation without exponent or trailing zeros ("2", "0.5")."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def serialize(root: etree._Element) -> bytes:
    """Return the one serialization every XML member uses: UTF-8, declaration, indented.

    libxml2's pretty printer leaves mixed content alone, so `<simpleChoice>text<feedbackInline>`
    keeps its text as the first child node (importers such as Canvas's read it from there).
    """
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
