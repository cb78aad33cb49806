"""The checks' yes or no about a large source, worked out by a forked child process while the reader converts it.

Checking a large quiz against the schema takes longer than converting it to the model, and a
second core is idle meanwhile. After a fork the child holds the same parsed data: it runs the
schema check and the semantic checks and sends one byte back ("1" both pass, "0" they do not) down
a pipe, while the parent builds the model. A child that sends nothing
(it failed or was killed) leaves the verdict unknown, and the reader then takes its careful path.
The child writes nowhere else, and leaves with os._exit: no atexit handler, no flush of the
parent's buffered output.

Forking is used only where it is safe (qtiexport/_processes.py: on Linux, with at least two usable
cores, from a process with no other thread). Elsewhere, and where the fork fails, the reader checks
the data itself.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

from .._processes import forking_is_safe
from . import build, schema

_VERDICTS = {b"1": True, b"0": False}


class Validation:
    """A forked child checking data against the schema; `valid()` waits for its verdict, `close()` reaps it."""

    def __init__(self, pid: int, fd: int):
        self._pid, self._fd = pid, fd
        self._verdict: bool | None = None

    def valid(self) -> bool | None:
        """Return the child's verdict on the data: True (valid), False (invalid) or None (the child sent none)."""
        if self._fd is not None:
            try:
                self._verdict = _VERDICTS.get(os.read(self._fd, 1))  # b"" once the child is gone without a word
            finally:
                self.close()
        return self._verdict

    def close(self) -> None:
        """Stop the child if it is still running, reap it and close the pipe (a verdict received stays)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            except ChildProcessError:  # already reaped, by someone waiting for any child
                pass


def start(data: object, text: str | None = None) -> Validation | None:
    """Return a child process checking `data` (parsed from `text`), None where forking is not safe or fails."""
    if not forking_is_safe():
        return None
    # Blocked signals wait: none (Ctrl-C) can make the child run the parent's code before it is in
    # _check, nor leave this process with a child it does not know of.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        return _fork(data, text, mask)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal that came meanwhile is handled here


def _fork(data: object, text: str | None, mask: set) -> Validation | None:
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        pid = None
    if pid == 0:
        try:
            _check(data, text, read_end, write_end, mask)  # never returns
        finally:
            os._exit(1)  # only if _check could not even start: never run the parent's code here
    os.close(write_end)
    if pid is None:
        os.close(read_end)
        return None
    return Validation(pid, read_end)


def _check(data: object, text: str | None, read_end: int, write_end: int, mask: set) -> None:
    """In the child: send the checks' verdict on `data` down `write_end`, then end the process."""
    try:
        gc.disable()  # short-lived; collecting would touch, and so copy, every page shared with the parent
        os.close(read_end)
        quiet = open(os.devnull, "w")
        streams = sys.stdout, sys.stderr  # still referenced, so never finalized (that would flush the parent's buffers)
        sys.stdout = sys.stderr = quiet  # nothing the child might write reaches the parent's output
        os.dup2(quiet.fileno(), 1)
        os.dup2(quiet.fileno(), 2)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        passed = schema.is_valid(data) and not build.semantic_problems(data, text)
        os.write(write_end, b"1" if passed else b"0")
    finally:
        os._exit(0)  # no clean-up of the parent's state (atexit handlers, buffered output) in the copy
