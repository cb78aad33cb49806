"""Whether this process may fork helper processes: the one rule the reader's schema check and the zip writer's workers share."""

from __future__ import annotations

import os
import sys
import threading


def usable_cores() -> int:
    """Return how many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def forking_is_safe() -> bool:
    """Return whether a helper process may be forked here, and would have a core of its own.

    Linux only (where fork is the usual way to start a process), from a process with no other
    thread (forking a process with threads risks locks held by them), with two or more cores.
    """
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and threading.active_count() == 1 and usable_cores() >= 2)
