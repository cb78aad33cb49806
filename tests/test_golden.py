"""Golden packages: every shipped source, built for every target, equals its unpacked tree under tests/golden/.

Rebuild the trees with `python -m pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

import qtiexport
from qtiexport.targets import WRITERS, BuildContext
from qtiexport.targets.scorm12 import PLAYER_ASSETS, player_file
from support import REPO, quiz_sources

GOLDEN = REPO / "tests" / "golden"
# Static player files are copied unchanged from the package data; the golden trees do not repeat
# them (a change to the player shows as a diff of qtiexport/targets/scorm12/player/ itself).
STATIC = {("scorm12", name): player_file(name) for name in PLAYER_ASSETS}
CASES = [(target, path) for target in sorted(WRITERS) for path in quiz_sources()]


def _canonical(data: bytes) -> str:
    return etree.canonicalize(data.decode("utf-8"), strip_text=True)


@pytest.mark.parametrize(("target", "source"), CASES, ids=[f"{t}-{p.stem}" for t, p in CASES])
def test_package_matches_golden_tree(target, source, update_golden):
    package = WRITERS[target].build(qtiexport.load(source), BuildContext())
    folder = GOLDEN / target / source.stem
    members = [(name, data) for name, data in package.members if (target, name) not in STATIC]
    for name, data in package.members:
        if (target, name) in STATIC:
            assert data == STATIC[target, name], f"{name} is not the shipped player file"
    if update_golden:
        shutil.rmtree(folder, ignore_errors=True)
        for name, data in members:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        pytest.skip(f"rewrote {folder.relative_to(REPO)}")
    assert folder.is_dir(), f"no golden tree {folder}; run pytest --update-golden"
    stored = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert sorted(name for name, _ in members) == stored
    for name, data in members:
        expected = (folder / name).read_bytes()
        if name.endswith(".xml"):
            assert _canonical(data) == _canonical(expected), f"{name} differs from the golden copy"
        else:
            assert data == expected, f"{name} differs from the golden copy"
