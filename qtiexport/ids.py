"""Deterministic identifier policy: identifiers come from the source's ids, made unique by suffixes, never random."""

from __future__ import annotations


def unique(base: str, taken: set[str]) -> str:
    """Return `base`, or `base-2`, `base-3`, ... whichever is not in `taken`, and add it to `taken`."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


def unique_file_name(stem: str, suffix: str, taken: set[str]) -> str:
    """Return `stem + suffix`, suffixed with -2, -3... when it clashes case-insensitively with a name in `taken`.

    Case-insensitive, so a package unpacked on macOS or Windows never merges two files.
    """
    name = stem + suffix
    folded = name.lower()
    if folded not in taken:  # most names
        taken.add(folded)
        return name
    candidate, number = stem, 1
    while f"{candidate}{suffix}".lower() in taken:
        number += 1
        candidate = f"{stem}-{number}"
    name = f"{candidate}{suffix}"
    taken.add(name.lower())
    return name
