"""The QTI 2.1 package as consumers see it: valid against the official schemas, complete, stable, deterministic, safe."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import qtiexport
from qtiexport.cli import cli
from qtiexport.packaging import zipwriter
from qtiexport.targets import BuildContext, get_writer
from support import REPO, quiz_sources

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS = {"qti": QTI, "cp": CP}
SOURCES = quiz_sources()


def build(source):
    return get_writer("qti21").build(qtiexport.load(source), BuildContext())


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(members: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_xml_member_is_valid_against_the_official_schemas(source, tmp_path, standards):
    path = qtiexport.export(qtiexport.load(source), "qti21", tmp_path)
    report = qtiexport.check(path, standards.root)
    assert report.findings == []
    assert report.validated == len(zip_members(path)) == len(qtiexport.load(source).questions) + 2


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_manifest_lists_exactly_the_members_with_stable_identifiers(source):
    quiz = qtiexport.load(source)
    package = build(source)
    manifest = etree.fromstring(package["imsmanifest.xml"])
    files = manifest.xpath("//cp:resource/cp:file/@href", namespaces=NS)
    assert sorted(files) == sorted(n for n in package.names() if n != "imsmanifest.xml")
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "QTIv2.1 Package"
    items = manifest.xpath("//cp:resource[@type='imsqti_item_xmlv2p1']", namespaces=NS)
    assert [r.get("identifier") for r in items] == [f"ITEM-{q.id}" for q in quiz.questions]
    (test,) = manifest.xpath("//cp:resource[@type='imsqti_test_xmlv2p1']", namespaces=NS)
    assert test.xpath("cp:dependency/@identifierref", namespaces=NS) == [r.get("identifier") for r in items]
    for resource in items:
        item = etree.fromstring(package[resource.get("href")])
        assert item.get("identifier") == resource.get("identifier").removeprefix("ITEM-")


def test_item_references_match_item_identifiers_and_carry_points():
    quiz = qtiexport.load(REPO / "examples" / "all-features.json")
    package = build(REPO / "examples" / "all-features.json")
    test = etree.fromstring(package["test.xml"])
    refs = test.xpath("//qti:assessmentItemRef", namespaces=NS)
    assert [r.get("identifier") for r in refs] == [q.id for q in quiz.questions]
    for ref, question in zip(refs, quiz.questions):
        item = etree.fromstring(package[ref.get("href")])
        assert item.get("identifier") == ref.get("identifier")
        (weight,) = ref.xpath("qti:weight/@value", namespaces=NS)
        assert float(weight) == float(question.points)
    sections = test.xpath("//qti:testPart/qti:assessmentSection", namespaces=NS)
    assert [(s.get("title"), s.get("visible")) for s in sections] == [("Geography", "true"), ("Arithmetic & logic", "true")]


def test_max_choices_never_reveals_the_number_of_correct_answers():
    quiz = qtiexport.load(REPO / "source" / "harm-reduction-ce.json")
    package = build(REPO / "source" / "harm-reduction-ce.json")
    for question in quiz.questions:
        (interaction,) = etree.fromstring(package[f"items/{question.id}.xml"]).xpath(
            "//qti:choiceInteraction", namespaces=NS)
        select_all = isinstance(question, qtiexport.model.MultipleResponse)
        assert interaction.get("maxChoices") == ("0" if select_all else "1")


def test_same_source_gives_identical_bytes(tmp_path):
    quiz = qtiexport.load(REPO / "source" / "harm-reduction-ce.json")
    first = qtiexport.export(quiz, "qti21", tmp_path / "a.zip")
    second = qtiexport.export(qtiexport.load(REPO / "source" / "harm-reduction-ce.json"), "qti21", tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()


def test_source_date_epoch_sets_entry_times_and_nothing_else(tmp_path):
    quiz = qtiexport.load(REPO / "examples" / "minimal.json")
    default = qtiexport.export(quiz, "qti21", tmp_path / "default.zip", BuildContext())
    dated = qtiexport.export(quiz, "qti21", tmp_path / "dated.zip", BuildContext(source_date_epoch=1700000000))
    with zipfile.ZipFile(default) as a, zipfile.ZipFile(dated) as b:
        assert {i.date_time for i in a.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.date_time for i in b.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert [i.filename for i in a.infolist()] == [i.filename for i in b.infolist()]
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        assert a.namelist()[0] == "imsmanifest.xml"
        assert {i.external_attr >> 16 for i in a.infolist()} == {0o100644}


def test_environment_source_date_epoch_is_used(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert BuildContext.from_environment().source_date_epoch == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(qtiexport.UsageError, match="SOURCE_DATE_EPOCH"):
        BuildContext.from_environment()


HOSTILE = [
    "<script>alert('x')</script>",
    "Fish & chips; a < b > c",
    "\"double\" and 'single' quotes",
    "]]> ends a CDATA section",
    "עברית מימין לשמאל ومرحبا",
    "emoji 😀🧪 and combining e\u0301",
    "&amp; &lt;b&gt; stays as written",
]


def hostile_quiz() -> dict:
    return {
        "id": "hostile",
        "title": HOSTILE[0],
        "description": HOSTILE[1],
        "instructions": HOSTILE[3],
        "sections": [
            {
                "id": "s1",
                "title": HOSTILE[2],
                "questions": [
                    {
                        "id": "q1",
                        "type": "single_choice",
                        "title": HOSTILE[4],
                        "prompt": "\n".join(HOSTILE),
                        "feedback": {"correct": HOSTILE[0], "incorrect": HOSTILE[5], "general": HOSTILE[6]},
                        "choices": [
                            {"id": f"c{i}", "text": text, "correct": i == 0, "feedback": text}
                            for i, text in enumerate(HOSTILE)
                        ],
                    }
                ],
            }
        ],
    }


def test_hostile_text_is_escaped_and_round_trips_exactly(tmp_path, standards):
    quiz = qtiexport.load(hostile_quiz())
    path = qtiexport.export(quiz, "qti21", tmp_path)
    assert qtiexport.check(path, standards.root).findings == []
    members = zip_members(path)
    for data in members.values():
        root = etree.fromstring(data)
        assert not [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == "script"]
    item = etree.fromstring(members["items/q1.xml"])
    assert item.get("title") == HOSTILE[4]
    paragraphs = item.xpath("//qti:itemBody/qti:div/qti:p/text()", namespaces=NS)
    assert paragraphs == HOSTILE
    choices = item.xpath("//qti:simpleChoice", namespaces=NS)
    assert [c.text for c in choices] == HOSTILE  # the text stays the first child node
    assert [c.xpath("string(qti:feedbackInline)", namespaces=NS) for c in choices] == HOSTILE
    test = etree.fromstring(members["test.xml"])
    assert test.get("title") == HOSTILE[0]
    assert test.xpath("string(//qti:rubricBlock)", namespaces=NS).strip() == HOSTILE[3]


def test_a_failed_write_leaves_the_previous_package_and_no_temporary_file(tmp_path, monkeypatch):
    quiz = qtiexport.load(REPO / "examples" / "minimal.json")
    target = qtiexport.export(quiz, "qti21", tmp_path)
    before = target.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipwriter.os, "replace", broken_replace)
    with pytest.raises(qtiexport.OutputError, match="No space left on device"):
        qtiexport.export(qtiexport.load(REPO / "examples" / "all-features.json"), "qti21", target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_check_fails_on_an_item_the_schema_rejects(tmp_path, standards):
    path = qtiexport.export(qtiexport.load(REPO / "examples" / "minimal.json"), "qti21", tmp_path)
    members = zip_members(path)
    members["items/q1.xml"] = members["items/q1.xml"].replace(b'<simpleChoice identifier="true">',
                                                              b"<simpleChoice>")
    broken = rezip(members, tmp_path / "broken.zip")
    report = qtiexport.check(broken, standards.root)
    assert [(f.member, "identifier" in f.message) for f in report.findings] == [("items/q1.xml", True)]
    assert report.findings[0].line is not None
    result = CliRunner().invoke(cli, ["check", "--standards", str(standards.root), str(broken)])
    assert result.exit_code == 1
    assert "broken.zip!items/q1.xml:" in result.stderr


@pytest.mark.parametrize(
    ("change", "gist"),
    [
        (lambda m: m.update({"../evil.xml": b"<x/>"}), "unsafe member path"),
        (lambda m: m.update({"/etc/evil.xml": b"<x/>"}), "unsafe member path"),
        (lambda m: m.pop("imsmanifest.xml"), "no imsmanifest.xml at the root"),
        (lambda m: m.update({"extra.txt": b"x"}), "not listed in the manifest"),
        (lambda m: m.pop("items/q1.xml"), "which is not in the zip"),
        (lambda m: m.update({"test.xml": m["test.xml"].replace(b'assessmentItemRef identifier="q1"',
                                                               b'assessmentItemRef identifier="q9"')}),
         "Canvas joins them by identifier"),
        (lambda m: m.update({"items/q1.xml": b"<assessmentItem"}), "not well-formed XML"),
    ],
    ids=["dotdot", "absolute", "no-manifest", "unlisted", "missing", "ref-mismatch", "not-xml"],
)
def test_check_reports_broken_packages(change, gist, tmp_path):
    path = qtiexport.export(qtiexport.load(REPO / "examples" / "minimal.json"), "qti21", tmp_path)
    members = zip_members(path)
    change(members)
    report = qtiexport.check(rezip(members, tmp_path / "broken.zip"))
    assert any(gist in f.message for f in report.findings), [str(f) for f in report.findings]


def test_check_says_when_xsd_validation_is_skipped(tmp_path, monkeypatch):
    monkeypatch.delenv("QTIEXPORT_STANDARDS", raising=False)
    path = qtiexport.export(qtiexport.load(REPO / "examples" / "minimal.json"), "qti21", tmp_path)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0
    assert "XSD validation SKIPPED" in result.output


def test_cli_build_writes_packages_and_says_so(tmp_path):
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(REPO / "source"), "-o", str(out), "--target", "qti21"])
    assert result.exit_code == 0, result.output + result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["harm-reduction-ce-qti21.zip"]
    assert f"wrote {out / 'harm-reduction-ce-qti21.zip'}" in result.output


def test_cli_build_writes_nothing_when_a_source_is_invalid(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "bad", "title": "Bad", "questions": []}', encoding="utf-8")
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(REPO / "examples" / "minimal.json"), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{bad}:1:44: /questions: has 0 questions" in result.stderr
    assert "Traceback" not in result.stderr + result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_cli_build_refuses_an_unknown_target(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(REPO / "examples"), "-o", str(tmp_path), "-t", "qti12"])
    assert result.exit_code == 2
    assert "unknown target 'qti12'" in result.stderr


def test_cli_build_refuses_two_sources_with_one_id(tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_bytes((REPO / "examples" / "minimal.json").read_bytes())
    result = CliRunner().invoke(cli, ["build", str(REPO / "examples" / "minimal.json"), str(copy), "-o", str(tmp_path / "d")])
    assert result.exit_code == 2
    assert "both have the quiz id 'minimal'" in result.stderr


def test_zip_has_no_directory_entries_or_unsafe_names():
    data = zipwriter.zip_bytes(build(REPO / "examples" / "all-features.json"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            assert not name.endswith("/") and not name.startswith("/") and ".." not in name.split("/")
            assert os.sep == "/" or os.sep not in name


def test_a_question_called_like_the_test_part_gets_a_distinct_test_part(standards):
    quiz = qtiexport.load({"id": "clash", "title": "Clash", "sections": [
        {"id": "BaseTestPart", "title": "S", "questions": [
            {"id": "section", "type": "true_false", "prompt": "p", "answer": True}]}]})
    test = etree.fromstring(build_quiz(quiz)["test.xml"])
    identifiers = [el.get("identifier") for el in test.iter() if el.get("identifier") and
                   etree.QName(el).localname in ("testPart", "assessmentSection", "assessmentItemRef")]
    assert len(identifiers) == len(set(identifiers)) == 3
    assert test.xpath("//qti:testPart/@identifier", namespaces=NS) == ["BaseTestPart-2"]


def build_quiz(quiz):
    return get_writer("qti21").build(quiz, BuildContext())
