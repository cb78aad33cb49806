"""The library's facade: load a quiz source into the model; export it to a target package."""

from __future__ import annotations

from .reader import load, source_files

__all__ = ["load", "source_files"]
