"""Member workers: forked processes that make and deflate a package's lazy members, which the zip writer reads in order.

A package's lazy members are pure functions (see Package), so another process can call them: after
a fork it holds the same package. Worker w of W makes the lazy members numbered w, w + W, w + 2W...
(counting lazy members only, in zip order), deflates each and sends it down its own pipe; the zip
writer reads member k from worker k mod W, so the bytes of the zip are the same as when it makes
every member itself. The pipes are bounded, so a worker runs only a little ahead of the writer.

Workers are used only where that is safe and pays: on Linux, with at least two usable cores, from a
process with no other thread (forking a process with threads risks locks held by them), and for a
package whose lazy members stand for enough work: one unit each, or the `cost` a lazy member
declares (the page of a SCORM player holding a whole quiz counts its questions). There are never
more workers than lazy members. Elsewhere the zip writer makes the members itself.
"""

from __future__ import annotations

import gc
import os
import struct
import sys
import threading
from typing import BinaryIO

from isal import isal_zlib

from .package import Package

MIN_LAZY_COST = 64  # units of work (lazy members, or their declared cost): below this, forking costs more than it saves
MAX_WORKERS = 4
_FRAME = struct.Struct("<IIQQ")  # lazy member number, CRC-32, size, deflated size; then the deflated bytes
_FAILED = 0xFFFFFFFF  # in place of a member number: a pickled (exception, traceback text) follows
_PIPE_BYTES = 1 << 20


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(package: Package) -> int:
    """Return how many member workers to use for `package`: 0 when the zip writer should make the members itself."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0
    if threading.active_count() != 1:
        return 0
    cores = usable_cores()
    lazy = [content for _, content in package.entries if callable(content)]
    if cores < 2 or sum(getattr(content, "cost", 1) for content in lazy) < MIN_LAZY_COST:
        return 0
    return min(cores, MAX_WORKERS, len(lazy))


class MemberWorkers:
    """Worker processes making the lazy members of one package; `deflated(k)` returns lazy member k, deflated."""

    def __init__(self, package: Package, count: int, deflate):
        self._pids: list[int] = []
        self._pipes: list[BinaryIO] = []
        try:
            for index in range(count):
                read_end, write_end = os.pipe()
                _widen(write_end)
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    os.close(read_end)
                    for pipe in self._pipes:
                        os.close(pipe.fileno())
                    _work(package, index, count, write_end, deflate)
                os.close(write_end)
                self._pids.append(pid)
                self._pipes.append(os.fdopen(read_end, "rb", buffering=_PIPE_BYTES))
        except BaseException:
            self.close()
            raise

    def deflated(self, number: int) -> tuple[int, int, bytes]:
        """Return (CRC-32, size, deflated bytes) of lazy member `number`, waiting for its worker if need be."""
        worker = number % len(self._pipes)
        pipe = self._pipes[worker]
        header = pipe.read(_FRAME.size)
        if len(header) != _FRAME.size:
            raise RuntimeError(f"member worker {worker} stopped before making lazy member {number}: "
                               f"{self._ended(worker)}")
        found, crc, size, deflated_size = _FRAME.unpack(header)
        if found == _FAILED:
            blob = pipe.read(size)
            try:
                import pickle  # failures only

                exc, text = pickle.loads(blob)
            except Exception:  # noqa: BLE001 - an exception that pickles but does not unpickle
                exc, text = RuntimeError("a lazy member failed in a member worker"), ""
            if text and hasattr(exc, "add_note"):
                exc.add_note("in a member worker process:\n" + text)
            raise exc
        if found != number:
            raise RuntimeError(f"member worker out of step: member {found} came for member {number}")
        return crc, size, pipe.read(deflated_size)

    def _ended(self, worker: int) -> str:
        """Reap worker `worker`, which closed its pipe early, and say how it ended."""
        try:
            _, status = os.waitpid(self._pids[worker], 0)
        except ChildProcessError:
            return "its exit status is unknown"
        if os.WIFSIGNALED(status):
            signal = os.WTERMSIG(status)
            return f"killed by signal {signal}" + (" (perhaps out of memory)" if signal == 9 else "")
        return f"exit status {os.WEXITSTATUS(status)}"

    def close(self) -> None:
        """Stop the workers that are still running and reap them all."""
        for pipe in self._pipes:
            pipe.close()
        for pid in self._pids:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self._pids, self._pipes = [], []


def _widen(fd: int) -> None:
    """Let the pipe hold up to _PIPE_BYTES (Linux), so a worker can run ahead of the writer."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _work(package: Package, index: int, count: int, fd: int, deflate) -> None:
    """Make, deflate and send every `count`-th lazy member from the `index`-th, then exit the process."""
    status = 1
    try:
        gc.disable()  # short-lived; collecting would touch, and so copy, every page shared with the parent
        with os.fdopen(fd, "wb", buffering=_PIPE_BYTES) as pipe:
            number = -1
            for _, content in package.entries:
                if not callable(content):
                    continue
                number += 1
                if number % count != index:
                    continue
                try:
                    data = content()
                except BaseException as exc:  # noqa: BLE001 - sent to the writer, which raises it
                    pipe.write(_failure_frame(exc))
                    break
                deflated = deflate(data)
                pipe.write(_FRAME.pack(number, isal_zlib.crc32(data), len(data), len(deflated)))
                pipe.write(deflated)
        status = 0
    except BaseException:  # noqa: BLE001 - the writer sees the pipe end early and says so
        pass
    finally:
        os._exit(status)  # no clean-up of the parent's state (atexit, buffers) in the copy


def _failure_frame(exc: BaseException) -> bytes:
    import pickle  # failures only, like traceback
    import traceback

    text = traceback.format_exc()
    try:
        blob = pickle.dumps((exc, text))
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled travels as its text
        blob = pickle.dumps((RuntimeError(f"{type(exc).__name__}: {exc}"), text))
    return _FRAME.pack(_FAILED, 0, len(blob), 0) + blob
