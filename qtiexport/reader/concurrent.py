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
import struct
import sys

from .._processes import forking_is_safe
from . import build, schema, stream

_VERDICTS = {b"1": True, b"0": False}
_STAND_IN = {"id": "q", "type": "true_false", "prompt": "q", "answer": True}  # a question the schema accepts


class Validation:
    """A forked child checking data against the schema; `valid()` waits for its verdict, `close()` reaps it."""

    def __init__(self, pid: int, fd: int):
        self._pid, self._fd = pid, fd
        self._verdict: bool | None = None

    def valid(self, read: bytes = b"") -> bool | None:
        """Return the child's verdict on the data: True (valid), False (invalid) or None (the child sent none).

        A child checking a file (start_walk) says what it read after its verdict: True only if that
        is `read` (see token), the same bytes the caller read; otherwise None.
        """
        if self._fd is not None:
            try:
                message = b""
                while chunk := os.read(self._fd, 64):  # b"" once the child is gone
                    message += chunk
                verdict = _VERDICTS.get(message[:1])
                self._verdict = None if verdict and message[1:] != read else verdict
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
    return _start(lambda: _verdict(data, text))


def start_walk(fd: int) -> Validation | None:
    """Return a child process checking the quiz in the open file `fd` question by question (see stream.walk).

    Its verdict is followed by the token of what it read; pass the token of what the caller read
    to `valid()`, which says True only for a valid file whose bytes both read.
    """
    return _start(lambda: _walk_verdict(fd))


def token(walked: stream.Walked) -> bytes:
    """Return what a child checking a file sends after its verdict: the size and CRC-32 of the bytes it read."""
    return struct.pack("<QI", walked.size, walked.crc)


def _start(verdict) -> Validation | None:
    if not forking_is_safe():
        return None
    # Blocked signals wait: none (Ctrl-C) can make the child run the parent's code before it is in
    # _check, nor leave this process with a child it does not know of.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        return _fork(verdict, mask)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal that came meanwhile is handled here


def _verdict(data: object, text: str | None) -> bytes:
    return b"1" if schema.is_valid(data) and not build.semantic_problems(data, text) else b"0"


class _Invalid(Exception):
    """Ends the walk of a file at its first problem: the verdict is known."""


def _walk_verdict(fd: int) -> bytes:
    """Check the quiz in `fd` as the schema and semantic checks would check it parsed whole.

    Each question is checked against the schema's question definition and the semantic checks
    as it is read; the rest of the quiz (the skeleton) against the whole schema, each array of
    questions standing in as one valid question (or none, for an empty one: the schema puts no
    other condition on them). Text is looked through for characters XML cannot carry only from
    the first window whose text may hold one (as semantic_problems does for the whole text).
    """
    ids: set = set()
    screened = False  # a window's text may hold such a character

    def on_text(text: str) -> None:
        nonlocal screened
        screened = screened or build._may_hold_non_xml(text)

    def on_question(section, index, value, start, text) -> None:
        if not (schema.is_valid_question(value) and build.question_fine(value, ids)):
            raise _Invalid
        if screened and any(build._text_problems(value, [])):
            raise _Invalid

    try:
        walked = stream.walk(fd, on_question, on_text=on_text)
    except (_Invalid, stream.NotStreamable):
        return b"0"
    if screened and any(build._text_problems(walked.skeleton, [])):
        return b"0"
    skeleton = dict(walked.skeleton)
    sections = skeleton.get("sections")
    if isinstance(sections, list):
        skeleton["sections"] = [_stand_in(section) for section in sections]
        section_ids = (section.get("id") for section in sections if isinstance(section, dict))
        if not all(build.claim_id(identifier, ids) for identifier in section_ids if isinstance(identifier, str)):
            return b"0"
    if not schema.is_valid(_stand_in(skeleton)):
        return b"0"
    return b"1" + token(walked)


def _stand_in(part: object) -> object:
    """Return `part` (a skeleton, or a section of one) with a Questions in place of a list of questions like it."""
    if not isinstance(part, dict) or not isinstance(part.get("questions"), stream.Questions):
        return part
    return {**part, "questions": [_STAND_IN] if part["questions"].count else []}


def _fork(verdict, mask: set) -> Validation | None:
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
            _check(verdict, read_end, write_end, mask)  # never returns
        finally:
            os._exit(1)  # only if _check could not even start: never run the parent's code here
    os.close(write_end)
    if pid is None:
        os.close(read_end)
        return None
    return Validation(pid, read_end)


def _check(verdict, read_end: int, write_end: int, mask: set) -> None:
    """In the child: send `verdict()` down `write_end`, then end the process."""
    try:
        gc.disable()  # short-lived; collecting would touch, and so copy, every page shared with the parent
        os.close(read_end)
        quiet = open(os.devnull, "w")
        streams = sys.stdout, sys.stderr  # still referenced, so never finalized (that would flush the parent's buffers)
        sys.stdout = sys.stderr = quiet  # nothing the child might write reaches the parent's output
        os.dup2(quiet.fileno(), 1)
        os.dup2(quiet.fileno(), 2)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.write(write_end, verdict())
    finally:
        os._exit(0)  # no clean-up of the parent's state (atexit handlers, buffered output) in the copy
