"""Tests for qtiexport.packaging.xsd against the official schemas in the standards folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from lxml import etree

from qtiexport.packaging.xsd import (
    ENV_VAR,
    SchemaSet,
    Standards,
    StandardsError,
    XsdProblem,
    _StandardsResolver,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def _standards_dir() -> Path:
    """$QTIEXPORT_STANDARDS, else <repo>/../shared/standards."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env)
    return (REPO_ROOT / ".." / "shared" / "standards").resolve()


STANDARDS_DIR = _standards_dir()
_MISSING_REASON = (
    f"official schemas not found at {STANDARDS_DIR} (set {ENV_VAR} to the standards folder)"
)
_ON_CI = os.environ.get("CI") == "true"

if not STANDARDS_DIR.is_dir() and not _ON_CI:
    pytest.skip(_MISSING_REASON, allow_module_level=True)


@pytest.fixture(scope="module")
def standards() -> Standards:
    if not STANDARDS_DIR.is_dir():  # only reached on CI: a missing folder is a failure there
        pytest.fail(_MISSING_REASON + " (CI=true: not skipping)", pytrace=False)
    return Standards(STANDARDS_DIR)


# --------------------------------------------------------------------------- documents

VALID_ITEM = """\
<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imsqti_v2p1 http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
    identifier="item1" title="Capital" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse>
      <value>A</value>
    </correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">
    <defaultValue>
      <value>0</value>
    </defaultValue>
  </outcomeDeclaration>
  <itemBody>
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1">
      <prompt>What is the capital of France?</prompt>
      <simpleChoice identifier="A">Paris</simpleChoice>
      <simpleChoice identifier="B">Lyon</simpleChoice>
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>
"""

QTI_MANIFEST = """\
<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_v1p2"
    identifier="MANIFEST-1">
  <metadata>
    <schema>QTIv2.1 Package</schema>
    <schemaversion>1.0.0</schemaversion>
    <imsmd:lom>
      <imsmd:general>
        <imsmd:title>
          <imsmd:langstring xml:lang="en">A quiz</imsmd:langstring>
        </imsmd:title>
      </imsmd:general>
    </imsmd:lom>
  </metadata>
  <organizations/>
  <resources>
    <resource identifier="item1" type="imsqti_item_xmlv2p1" href="item1.xml">
      <metadata>
        <qtiMetadata xmlns="http://www.imsglobal.org/xsd/imsqti_metadata_v2p1">
          <interactionType>choiceInteraction</interactionType>
        </qtiMetadata>
      </metadata>
      <file href="item1.xml"/>
    </resource>
  </resources>
</manifest>
"""

SCORM12_MANIFEST = """\
<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MANIFEST-1" version="1.0"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>A quiz</title>
      <item identifier="ITEM-1" identifierref="RES-1">
        <title>A quiz</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormtype="SCORMTYPE" href="index.html">
      <file href="index.html"/>
      <file href="quiz.js"/>
    </resource>
  </resources>
</manifest>
"""

# Exercises P2: imsmd_rootv1p2p1 content (grp.any) inside a SCORM 1.2 manifest.
SCORM12_LOM = """\
    <imsmd:lom xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
      <imsmd:general>
        <imsmd:title>
          <imsmd:langstring xml:lang="en">A quiz</imsmd:langstring>
        </imsmd:title>
      </imsmd:general>
    </imsmd:lom>
"""


def parse(text: str) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(text.encode("utf-8")))


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in document")


# --------------------------------------------------------------------------- compilation


@pytest.mark.parametrize("schema_set", list(SchemaSet), ids=lambda s: s.name)
def test_each_schema_set_compiles(standards: Standards, schema_set: SchemaSet) -> None:
    schema = standards.schema(schema_set)
    assert isinstance(schema, etree.XMLSchema)
    assert standards.schema(schema_set) is schema  # cached per instance


def test_standards_is_cheap_and_lazy() -> None:
    if not STANDARDS_DIR.is_dir():
        pytest.fail(_MISSING_REASON, pytrace=False)
    start = time.perf_counter()
    fresh = Standards(STANDARDS_DIR)
    assert time.perf_counter() - start < 0.5
    assert fresh._schemas == {}


def test_scorm12_patches_are_applied_in_memory_only(standards: Standards) -> None:
    standards.schema(SchemaSet.SCORM12_MANIFEST)
    on_disk = (STANDARDS_DIR / "scorm12" / "ims_xml.xsd").read_bytes()
    assert b'xmlns="http://www.w3.org/XML/1998/namespace"' in on_disk
    on_disk = (STANDARDS_DIR / "scorm12" / "imsmd_rootv1p2p1.xsd").read_bytes()
    assert b'namespace="##any"' in on_disk


def test_resolver_refuses_network_locations(tmp_path: Path) -> None:
    xsd_file = tmp_path / "net.xsd"
    xsd_file.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x" schemaLocation="http://example.invalid/x.xsd"/>'
        "</xs:schema>"
    )
    parser = etree.XMLParser(no_network=True)
    resolver = _StandardsResolver({})
    parser.resolvers.add(resolver)
    doc = etree.parse(str(xsd_file), parser)
    try:
        etree.XMLSchema(doc)
    except etree.XMLSchemaParseError:
        pass
    assert resolver.refused == ["http://example.invalid/x.xsd"]


# --------------------------------------------------------------------------- QTI 2.1 items


def test_valid_qti_item_has_no_problems(standards: Standards) -> None:
    assert standards.validate(parse(VALID_ITEM), SchemaSet.QTI21) == []


def test_validate_accepts_an_element(standards: Standards) -> None:
    assert standards.validate(parse(VALID_ITEM).getroot(), SchemaSet.QTI21) == []


def test_simple_choice_without_identifier_is_reported(standards: Standards) -> None:
    broken = VALID_ITEM.replace('<simpleChoice identifier="B">', "<simpleChoice>")
    problems = standards.validate(parse(broken), SchemaSet.QTI21)
    assert problems, "missing identifier must be reported"
    assert all(isinstance(p, XsdProblem) for p in problems)
    first = problems[0]
    assert first.line == line_of(broken, "<simpleChoice>Lyon")
    assert "simpleChoice" in first.message
    assert "identifier" in first.message
    assert not first.message.startswith(("file:", "<string>"))


def test_unknown_element_is_reported(standards: Standards) -> None:
    broken = VALID_ITEM.replace(
        "<prompt>What is the capital of France?</prompt>",
        "<prompt>What is the capital of France?</prompt>\n      <bogusChoice/>",
    )
    problems = standards.validate(parse(broken), SchemaSet.QTI21)
    assert problems
    assert problems[0].line == line_of(broken, "<bogusChoice/>")
    assert "bogusChoice" in problems[0].message


# --------------------------------------------------------------------------- manifests


def test_valid_qti_manifest(standards: Standards) -> None:
    assert standards.validate(parse(QTI_MANIFEST), SchemaSet.QTI21_MANIFEST) == []


def test_qti_manifest_metadata_is_checked(standards: Standards) -> None:
    broken = QTI_MANIFEST.replace(
        "<interactionType>choiceInteraction</interactionType>",
        "<interactionType>noSuchInteraction</interactionType>",
    )
    problems = standards.validate(parse(broken), SchemaSet.QTI21_MANIFEST)
    assert problems
    assert problems[0].line == line_of(broken, "noSuchInteraction")
    assert "interactionType" in problems[0].message


def test_valid_scorm12_manifest(standards: Standards) -> None:
    doc = parse(SCORM12_MANIFEST.replace("SCORMTYPE", "sco"))
    assert standards.validate(doc, SchemaSet.SCORM12_MANIFEST) == []


def test_scorm12_manifest_with_lom_metadata(standards: Standards) -> None:
    text = SCORM12_MANIFEST.replace("SCORMTYPE", "sco").replace(
        "<schemaversion>1.2</schemaversion>\n",
        "<schemaversion>1.2</schemaversion>\n" + SCORM12_LOM,
    )
    assert standards.validate(parse(text), SchemaSet.SCORM12_MANIFEST) == []


def test_scorm12_bogus_scormtype_fails(standards: Standards) -> None:
    text = SCORM12_MANIFEST.replace("SCORMTYPE", "bogus")
    problems = standards.validate(parse(text), SchemaSet.SCORM12_MANIFEST)
    assert problems
    assert problems[0].line == line_of(text, 'scormtype="bogus"')
    assert "scormtype" in problems[0].message


# --------------------------------------------------------------------------- schema_set_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID_ITEM, SchemaSet.QTI21),
        (
            '<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="t"/>',
            SchemaSet.QTI21,
        ),
        (QTI_MANIFEST, SchemaSet.QTI21_MANIFEST),
        (SCORM12_MANIFEST, SchemaSet.SCORM12_MANIFEST),
        ('<manifest xmlns="urn:other"/>', None),
        ('<assessmentItem identifier="x"/>', None),
    ],
    ids=["item", "test", "qti-manifest", "scorm12-manifest", "other-ns", "no-ns"],
)
def test_schema_set_for(text: str, expected: SchemaSet | None) -> None:
    root = etree.fromstring(text.encode("utf-8"))
    assert Standards.schema_set_for(root) is expected


# --------------------------------------------------------------------------- locating


def test_locate_explicit() -> None:
    if not STANDARDS_DIR.is_dir():
        pytest.fail(_MISSING_REASON, pytrace=False)
    found = Standards.locate(STANDARDS_DIR)
    assert found is not None and found.root == STANDARDS_DIR.resolve()
    assert Standards.locate(str(STANDARDS_DIR)) is not None


def test_locate_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    if not STANDARDS_DIR.is_dir():
        pytest.fail(_MISSING_REASON, pytrace=False)
    monkeypatch.setenv(ENV_VAR, str(STANDARDS_DIR))
    found = Standards.locate()
    assert found is not None and found.root == STANDARDS_DIR.resolve()


def test_locate_without_anything_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert Standards.locate() is None


def test_locate_incomplete_folder_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "qti21").mkdir()
    with pytest.raises(StandardsError, match="imsqti_v2p1.xsd"):
        Standards.locate(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(StandardsError, match="does not exist"):
        Standards.locate()
    assert issubclass(StandardsError, ValueError)
