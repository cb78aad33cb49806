"""Package: an ordered set of safe member paths and their bytes, the unit every writer builds and the zip writer stores."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Iterator, Union

MANIFEST = "imsmanifest.xml"
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')


class UnsafePathError(ValueError):
    """A member path could escape the package folder when unpacked, or is not portable."""


def check_member_path(name: str) -> str:
    """Return `name` if it is a safe, portable relative member path; raise UnsafePathError otherwise."""
    if not name or name.startswith("/") or _UNSAFE_CHARS.search(name):
        raise UnsafePathError(f"unsafe package member path {name!r}")
    parts = name.split("/")
    if "" in parts or "." in parts or ".." in parts:
        raise UnsafePathError(f"unsafe package member path {name!r}")
    return name


Content = Union[bytes, Callable[[], bytes]]


class Lazy:
    """A lazy member made by `make()`, declaring its `cost` (see Package) in units of one ordinary member."""

    __slots__ = ("make", "cost")

    def __init__(self, make: Callable[[], bytes], cost: int):
        self.make, self.cost = make, cost

    def __call__(self) -> bytes:
        return self.make()
_path = operator.itemgetter(0)


@dataclass(frozen=True)
class Package:
    """A package ready to be zipped: `name` is the file stem, `entries` maps member paths to their content.

    Members are kept in zip order: the manifest first (where present), then the rest sorted. A
    member's content is bytes, or a function that makes them when the member is written, so a
    large package is streamed into its zip one member at a time instead of held in memory whole.
    Such a function must be pure: it is called again each time the member is read. It may have a
    `cost` attribute (see Lazy), the work it stands for in units of one ordinary member (default 1),
    from which the zip writer decides whether making the members in worker processes pays, and
    how to share them out.
    """

    name: str
    entries: tuple[tuple[str, Content], ...]

    @classmethod
    def of(cls, name: str, members: dict[str, Content]) -> Package:
        for path in members:
            check_member_path(path)
        ordered = sorted((item for item in members.items() if item[0] != MANIFEST), key=_path)
        if MANIFEST in members:
            ordered.insert(0, (MANIFEST, members[MANIFEST]))
        return cls(name=check_member_path(name), entries=tuple(ordered))

    @property
    def members(self) -> Iterator[tuple[str, bytes]]:
        """Yield (path, bytes) in zip order, making lazy members one at a time."""
        for path, content in self.entries:
            yield path, content() if callable(content) else content

    def names(self) -> list[str]:
        return [path for path, _ in self.entries]

    def __getitem__(self, path: str) -> bytes:
        for name, content in self.entries:
            if name == path:
                return content() if callable(content) else content
        raise KeyError(path)

    def __contains__(self, path: object) -> bool:
        return any(name == path for name, _ in self.entries)
