"""Package: an ordered set of safe member paths and their bytes, the unit every writer builds and the zip writer stores."""

from __future__ import annotations

import re
from dataclasses import dataclass

MANIFEST = "imsmanifest.xml"
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')


class UnsafePathError(ValueError):
    """A member path could escape the package folder when unpacked, or is not portable."""


def check_member_path(name: str) -> str:
    """Return `name` if it is a safe, portable relative member path; raise UnsafePathError otherwise."""
    if not name or name.startswith("/") or _UNSAFE_CHARS.search(name):
        raise UnsafePathError(f"unsafe package member path {name!r}")
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafePathError(f"unsafe package member path {name!r}")
    return name


@dataclass(frozen=True)
class Package:
    """A package ready to be zipped: `name` is the file stem, `members` maps member paths to bytes.

    Members are kept in zip order: the manifest first (where present), then the rest sorted.
    """

    name: str
    members: tuple[tuple[str, bytes], ...]

    @classmethod
    def of(cls, name: str, members: dict[str, bytes]) -> Package:
        for path in members:
            check_member_path(path)
        ordered = sorted(members.items(), key=lambda item: (item[0] != MANIFEST, item[0]))
        return cls(name=check_member_path(name), members=tuple(ordered))

    def names(self) -> list[str]:
        return [path for path, _ in self.members]

    def __getitem__(self, path: str) -> bytes:
        for name, data in self.members:
            if name == path:
                return data
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return any(name == path for name, _ in self.members)
