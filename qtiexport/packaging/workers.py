"""Member workers: forked processes that make and deflate a package's lazy members, which the zip writer reads in order.

A package's lazy members are pure functions (see Package), so another process can call them: after
a fork it holds the same package. The lazy members (numbered in zip order) are shared out before
the fork, largest first, each to the worker with the least work so far, by their declared `cost`
(1 unless a member says otherwise: a manifest listing every item costs more than an item). Each
worker makes and deflates its members in order, appends each to its own in-memory file (memfd)
and sends its frame (number, CRC, sizes) down its own pipe; the zip writer reads member k from the
worker it went to, so the bytes of the zip are the same as when it makes every member itself. A
worker never waits for the writer (which may be slow to get the interpreter lock while its process
does other work) nor for a slower worker: its members wait in its file. Where memfd is missing,
the members go down the pipe after their frames, and a worker runs at most a pipe ahead.

Workers are used only where that is safe and pays: where forking is (qtiexport/_processes.py: on
Linux, with at least two usable cores, from a process with no other thread), and for a package
whose lazy members stand for enough work: one unit each, or the `cost` a lazy member declares (the
page of a SCORM player holding a whole quiz counts its questions). There are never more workers
than lazy members. Elsewhere the zip writer makes the members itself.
"""

from __future__ import annotations

import gc
import os
import struct
from typing import BinaryIO

from isal import isal_zlib

from .. import _processes
from .package import Package

MIN_LAZY_COST = 64  # units of work (lazy members, or their declared cost) below which forking costs more than it saves
MAX_WORKERS = 4
_FRAME = struct.Struct("<IIQQ")  # lazy member number, CRC-32, size, deflated size (the bytes: in the file or after)
_FAILED = 0xFFFFFFFF  # in place of a member number: a pickled (exception, traceback text) follows
_PIPE_BYTES = 1 << 20
_SEND_BYTES = 1 << 16  # a worker sends what it has made in batches of about this many bytes


def worker_count(package: Package) -> int:
    """Return how many member workers to use for `package`: 0 when the zip writer should make the members itself."""
    if not _processes.forking_is_safe():
        return 0
    lazy = [content for _, content in package.entries if callable(content)]
    if sum(getattr(content, "cost", 1) for content in lazy) < MIN_LAZY_COST:
        return 0
    return min(_processes.usable_cores(), MAX_WORKERS, len(lazy))


def share_out(package: Package, count: int) -> list[int]:
    """Return the worker (0 to count - 1) of each lazy member of `package`, numbered in zip order.

    Largest first, each member goes to the worker with the least declared cost so far (members of
    equal cost in zip order, the first such worker on a tie), so that the workers end together.
    """
    costs = [getattr(content, "cost", 1) for _, content in package.entries if callable(content)]
    loads = [0] * count
    assignment = [0] * len(costs)
    for number in sorted(range(len(costs)), key=lambda n: -costs[n]):  # stable: ties stay in zip order
        worker = loads.index(min(loads))
        assignment[number] = worker
        loads[worker] += costs[number]
    return assignment


class MemberWorkers:
    """Worker processes making the lazy members of one package; `deflated(k)` returns lazy member k, deflated."""

    def __init__(self, package: Package, count: int, deflate):
        self._assignment = share_out(package, count)  # lazy member number -> worker
        self._pids: list[int] = []
        self._pipes: list[BinaryIO] = []
        self._stores: list[int | None] = []  # each worker's memfd, or None: the members come down the pipe
        self._offsets: list[int] = []
        try:
            for index in range(count):
                read_end, write_end = os.pipe()
                _widen(write_end)
                store = _memory_file(f"qtiexport-worker-{index}")
                self._stores.append(store)
                self._offsets.append(0)
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    try:
                        os.close(read_end)
                        for pipe in self._pipes:
                            os.close(pipe.fileno())
                        _work(package, index, self._assignment, write_end, deflate, store)
                    finally:
                        os._exit(1)  # only if _work could not even start: never run the parent's code here
                os.close(write_end)
                self._pids.append(pid)
                self._pipes.append(os.fdopen(read_end, "rb", buffering=_PIPE_BYTES))
        except BaseException:
            self.close()
            raise

    def deflated(self, number: int) -> tuple[int, int, bytes]:
        """Return (CRC-32, size, deflated bytes) of lazy member `number`, waiting for its worker if need be."""
        worker = self._assignment[number]
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
        store = self._stores[worker]
        if store is None:
            return crc, size, pipe.read(deflated_size)
        offset = self._offsets[worker]
        self._offsets[worker] = offset + deflated_size
        return crc, size, _read_at(store, deflated_size, offset)

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
        for store in self._stores:
            if store is not None:
                os.close(store)
        for pid in self._pids:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        self._pids, self._pipes, self._stores = [], [], []


def _widen(fd: int) -> None:
    """Let the pipe hold up to _PIPE_BYTES (Linux), so a worker can run ahead of the writer."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _memory_file(name: str) -> int | None:
    """Return a new anonymous in-memory file (Linux memfd), or None where there is none."""
    try:
        return os.memfd_create(name, os.MFD_CLOEXEC)
    except (AttributeError, OSError):
        return None


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_at(fd: int, size: int, offset: int) -> bytes:
    data = os.pread(fd, size, offset)
    while len(data) < size:  # a file written before its frame was sent holds it all; never loops in practice
        more = os.pread(fd, size - len(data), offset + len(data))
        if not more:
            raise RuntimeError("a member worker's file ended early")
        data += more
    return data


def _work(package: Package, index: int, assignment: list[int], fd: int, deflate, store: int | None) -> None:
    """Make, deflate and send the lazy members `assignment` gives worker `index`, then exit the process."""
    status = 1
    try:
        gc.disable()  # short-lived; collecting would touch, and so copy, every page shared with the parent
        frames, members = bytearray(), bytearray()  # made, not yet sent; `members` fill the file first

        def send() -> None:
            if members:
                _write_all(store, members)
                members.clear()
            _write_all(fd, frames)
            frames.clear()

        number = -1
        for _, content in package.entries:
            if not callable(content):
                continue
            number += 1
            if assignment[number] != index:
                continue
            try:
                data = content()
            except BaseException as exc:  # noqa: BLE001 - sent to the writer, which raises it
                send()
                _write_all(fd, _failure_frame(exc))
                break
            deflated = deflate(data)
            frames += _FRAME.pack(number, isal_zlib.crc32(data), len(data), len(deflated))
            (frames if store is None else members).extend(deflated)
            if len(frames) + len(members) >= _SEND_BYTES:
                send()
        send()
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
