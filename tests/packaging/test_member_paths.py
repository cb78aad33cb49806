"""Package: member paths checked, zip order (manifest first, then by path), and file names made unique."""

from __future__ import annotations

import pytest

from qtiexport import ids
from qtiexport.packaging.package import MANIFEST, Package, UnsafePathError, check_member_path


@pytest.mark.parametrize("path", ["", "/a", "a//b", "a/./b", "../a", "a/..", ".", "a/", "a\\b", "a:b", "a\x00", "a\nb"])
def test_unsafe_member_paths_are_refused(path):
    with pytest.raises(UnsafePathError):
        check_member_path(path)


@pytest.mark.parametrize("path", ["a", "items/q1.xml", "a/b/c.txt", "...", "a..b/c", ".hidden/x", "é/ü.xml"])
def test_safe_member_paths_pass(path):
    assert check_member_path(path) == path


def test_the_manifest_comes_first_then_every_member_by_path():
    members = {"z.xml": b"z", "items/b.xml": b"b", MANIFEST: b"m", "items/a.xml": b"a", "A.xml": b"A"}
    assert Package.of("p", members).names() == [MANIFEST, "A.xml", "items/a.xml", "items/b.xml", "z.xml"]
    assert Package.of("p", {"b": b"1", "a": b"2"}).names() == ["a", "b"]


def test_file_names_are_unique_regardless_of_case():
    taken = {"test.xml"}
    names = [ids.unique_file_name(stem, ".xml", taken) for stem in ["q1", "Q1", "q1", "test", "q1-2"]]
    assert names == ["q1.xml", "Q1-2.xml", "q1-3.xml", "test-2.xml", "q1-2-2.xml"]
    assert taken == {"test.xml", "q1.xml", "q1-2.xml", "q1-3.xml", "test-2.xml", "q1-2-2.xml"}
