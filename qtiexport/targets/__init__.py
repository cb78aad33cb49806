"""The registry of target writers: one Writer per output format, looked up by name."""

from __future__ import annotations

from ..errors import UnknownTargetError
from .base import BuildContext, Writer
from .qti21 import WRITER as QTI21
from .scorm12 import WRITER as SCORM12

WRITERS: dict[str, Writer] = {writer.name: writer for writer in (QTI21, SCORM12)}

__all__ = ["WRITERS", "BuildContext", "Writer", "get_writer"]


def get_writer(name: str) -> Writer:
    """Return the writer called `name`; raise UnknownTargetError listing the known ones otherwise."""
    try:
        return WRITERS[name]
    except KeyError:
        raise UnknownTargetError(name, known=sorted(WRITERS)) from None
