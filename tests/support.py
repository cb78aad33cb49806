"""Shared test helpers (importable as `support` from every test module): repository paths, prerequisites."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml.builder import ElementMaker

REPO = Path(__file__).resolve().parents[1]
ON_CI = os.environ.get("CI") == "true"


def standards_dir() -> Path:
    """$QTIEXPORT_STANDARDS, else ../shared/standards beside the repository."""
    env = os.environ.get("QTIEXPORT_STANDARDS", "").strip()
    return Path(env) if env else (REPO / ".." / "shared" / "standards").resolve()


def require(condition: bool, reason: str) -> None:
    """Skip with `reason` when `condition` is false; on CI (CI=true) fail instead, so nothing is silently skipped."""
    if condition:
        return
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure)", pytrace=False)
    pytest.skip(reason)


def helper_module(name: str, relative: str):
    """Return the helper module tests/`relative` (outside the importing test's folder), imported once as `name`."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "tests" / relative)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def json_paths(node, prefix=()):
    """Yield the path (a tuple of keys and indices) of every value inside the parsed JSON `node`, parents first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from json_paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix + (index,)
            yield from json_paths(value, prefix + (index,))


def quiz_sources() -> list[Path]:
    """Every quiz source the project ships: source/*.json and examples/*.json."""
    return sorted(REPO.glob("source/*.json")) + sorted(REPO.glob("examples/*.json"))


QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI = ElementMaker(namespace=QTI_NS, nsmap={None: QTI_NS})  # QTI 2.1 elements for hand-made sample documents
_QTI_WRAPPER = ('<wrapper xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">', "</wrapper>")


def qti_fragments(markup: str) -> list[etree._Element]:
    """Parse hand-written QTI 2.1 markup (sibling elements without a namespace declaration) into QTI elements.

    Tests write the parts of sample documents other tools might make as literal markup; the
    documents themselves are assembled with lxml (QTI above), never by formatting strings.
    """
    parser = etree.XMLParser()
    for piece in (_QTI_WRAPPER[0], markup, _QTI_WRAPPER[1]):
        parser.feed(piece)
    return list(parser.close())
