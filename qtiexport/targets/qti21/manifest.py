"""imsmanifest.xml of a QTI 2.1 content package (IMS CP 1.1.4): LOM metadata, item and test resources.

The manifest is streamed (packaging/imscp.py): a package of 50,000 items lists 50,000 resources.
"""

from __future__ import annotations

from typing import Collection

from lxml import etree

from ..._xml import (
    IMSCP,
    IMSCP_XSD,
    IMSMD,
    IMSMD_XSD,
    QTI,
    QTI_METADATA,
    QTI_METADATA_XSD,
    XML_LANG,
    XSI,
    maker,
    schema_location,
)
from ...model import Quiz
from ...packaging.imscp import Resource, XmlWriter, stream_document, write_resources

# The QTI namespace is declared on the root because Canvas recognises a QTI 2 package by it
# (canvas-lms gems/plugins/qti_exporter/lib/qti/converter.rb), besides the metadata schema text.
NSMAP = {None: IMSCP, "imsmd": IMSMD, "imsqti": QTI, "qtimd": QTI_METADATA, "xsi": XSI}
CP = maker(IMSCP, NSMAP)
MD = maker(IMSMD, NSMAP)
QMD = maker(QTI_METADATA, NSMAP)

ITEM_TYPE = "imsqti_item_xmlv2p1"
TEST_TYPE = "imsqti_test_xmlv2p1"


def _langstring(text: str, language: str) -> etree._Element:
    return MD.langstring(text, {XML_LANG: language})


def lom(quiz: Quiz) -> etree._Element:
    """Return IMS Meta-data 1.2 (LOM) for the quiz: title, language, description, keywords, version, authors, rights."""
    lang = quiz.language
    meta = quiz.metadata
    general = [MD.title(_langstring(quiz.title, lang)), MD.language(lang)]
    if quiz.description:
        general.append(MD.description(_langstring(quiz.description, lang)))
    general += [MD.keyword(_langstring(word, lang)) for word in meta.keywords]
    parts = [MD.general(*general)]
    lifecycle = []
    if meta.version:
        lifecycle.append(MD.version(_langstring(meta.version, lang)))
    for author in meta.authors:
        lifecycle.append(
            MD.contribute(
                MD.role(MD.source(_langstring("LOMv1.0", "x-none")), MD.value(_langstring("Author", "x-none"))),
                MD.centity(MD.vcard(_vcard(author))),
            )
        )
    if lifecycle:
        parts.append(MD.lifecycle(*lifecycle))
    if meta.license:
        parts.append(
            MD.rights(
                MD.copyrightandotherrestrictions(
                    MD.source(_langstring("LOMv1.0", "x-none")), MD.value(_langstring("yes", "x-none"))
                ),
                MD.description(_langstring(meta.license, lang)),
            )
        )
    return MD.lom(*parts)


def _vcard(name: str) -> str:
    """Return a minimal vCard 3.0 for `name`, with vCard's special characters escaped."""
    escaped = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", " ")
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{escaped}\nEND:VCARD"


def item_metadata(interaction: str) -> etree._Element:
    """Return the qtiMetadata of an item resource: its `interaction` type (one element serves every such item)."""
    return QMD.qtiMetadata(QMD.interactionType(interaction))


def imsmanifest(quiz: Quiz, resources: Collection[Resource]) -> bytes:
    """Return imsmanifest.xml listing `resources`; the package's version of the QTI package schema is 1.0.0."""

    def content(out: XmlWriter) -> None:
        out.write(CP.metadata(CP.schema("QTIv2.1 Package"), CP.schemaversion("1.0.0"), lom(quiz)))
        out.write(CP.organizations())
        write_resources(out, IMSCP, resources)

    attributes = {
        "identifier": f"MANIFEST-{quiz.id}",
        **schema_location((IMSCP, IMSCP_XSD), (IMSMD, IMSMD_XSD), (QTI_METADATA, QTI_METADATA_XSD)),
    }
    return stream_document(f"{{{IMSCP}}}manifest", attributes, NSMAP, content)
