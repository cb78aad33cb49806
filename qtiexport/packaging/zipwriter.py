"""Deterministic zips written atomically: fixed entry times and permissions, fixed order, temp file then rename."""

from __future__ import annotations

import io
import os
import tempfile
import struct
import threading
import time
from pathlib import Path
from queue import Queue
from typing import BinaryIO, Callable

from isal import isal_zlib

from .package import Package
from .workers import MemberWorkers, worker_count

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_MAX_ZIP_TIME = (2107, 12, 31, 23, 59, 58)


def zip_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """Return the entry time for `epoch` seconds (UTC), clamped to what a zip can store; None gives 1980-01-01."""
    if epoch is None:
        return ZIP_EPOCH
    stamp = tuple(time.gmtime(max(epoch, 0))[:6])
    return min(max(stamp, ZIP_EPOCH), _MAX_ZIP_TIME)


# Members are deflated by ISA-L (the isal package) at its default level: on the XML of a question
# bank it deflates about three times faster than zlib at zlib's default level, for packages about
# 5 % larger. Any unzip reads the result; the same isal release always gives the same bytes.
COMPRESSLEVEL = 2  # ISA-L's default (levels 0 to 3)

_LOCAL = struct.Struct("<IHHHHHIIIHH")  # local file header, APPNOTE 4.3.7
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # central directory file header, APPNOTE 4.3.12
_END = struct.Struct("<IHHHHIIH")  # end of central directory record, APPNOTE 4.3.16
_END64 = struct.Struct("<IQHHIIQQQQ")  # zip64 end of central directory record, APPNOTE 4.3.14
_LOCATOR64 = struct.Struct("<IIQI")  # zip64 end of central directory locator, APPNOTE 4.3.15
_VERSION = 20  # 2.0: deflate; also "needed to extract"
_MADE_BY = (3 << 8) | _VERSION  # Unix, so the permissions below are read as such
_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_UTF8 = 0x800  # general purpose flag bit 11: the name is UTF-8
_DEFLATED = 8
_BATCH_BYTES = 1 << 16  # members go to the deflating thread in batches of about this many bytes


class ZipTooLargeError(OSError):
    """The package would pass 4 GiB, beyond what this writer stores without zip64 extra fields."""


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def _deflate(data: bytes) -> bytes:
    """Return `data` as a raw deflate stream at COMPRESSLEVEL.

    The window is the smallest that holds the whole member (512 bytes to 32 KiB): deflate finds
    the same matches, and sets up far less state for each of thousands of small members.
    """
    window = min(max((len(data) - 1).bit_length(), 9), 15)
    compressor = isal_zlib.compressobj(COMPRESSLEVEL, isal_zlib.DEFLATED, -window)
    return compressor.compress(data) + compressor.flush()


class _ZipStream:
    """Writes zip members in order to a forward-only stream, then the central directory (APPNOTE.TXT 6.3)."""

    def __init__(self, out: BinaryIO, date_time: tuple[int, int, int, int, int, int]):
        self.out = out
        self.time, self.date = _dos_time(date_time)
        self.offset = 0
        self.central: list[bytes] = []

    def add(self, name: str, data: bytes) -> None:
        self.add_deflated(name, isal_zlib.crc32(data), len(data), _deflate(data))

    def add_deflated(self, name: str, crc: int, size: int, compressed: bytes) -> None:
        """Add a member already deflated (by _deflate): its CRC-32, its size and the deflated bytes."""
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8
        if self.offset + len(compressed) + len(encoded) + 64 > 0xFFFFFFFF or size > 0xFFFFFFFF:
            raise ZipTooLargeError(27, "the package would pass 4 GiB; split the quiz")
        self.central.append(_CENTRAL.pack(
            0x02014B50, _MADE_BY, _VERSION, flags, _DEFLATED, self.time, self.date, crc, len(compressed),
            size, len(encoded), 0, 0, 0, 0, _MODE, self.offset) + encoded)
        header = _LOCAL.pack(0x04034B50, _VERSION, flags, _DEFLATED, self.time, self.date, crc, len(compressed),
                             size, len(encoded), 0)
        self.out.write(header + encoded)
        self.out.write(compressed)
        self.offset += len(header) + len(encoded) + len(compressed)

    def close(self) -> None:
        directory = b"".join(self.central)
        start, count = self.offset, len(self.central)
        self.out.write(directory)
        end = start + len(directory)
        if count > 0xFFFF or end > 0xFFFFFFFF:  # zip64 end records, so that more than 65,535 members fit
            self.out.write(_END64.pack(0x06064B50, _END64.size - 12, 45, 45, 0, 0, count, count, len(directory), start))
            self.out.write(_LOCATOR64.pack(0x07064B50, 0, end, 1))
            self.out.write(_END.pack(0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
        else:
            self.out.write(_END.pack(0x06054B50, 0, 0, count, count, len(directory), start, 0))


def _zip_into(out: BinaryIO, package: Package, date_time: tuple[int, int, int, int, int, int],
              cancel: threading.Event | None = None, workers: MemberWorkers | None = None) -> None:
    """Write the zip of `package` into `out`, making members in this thread and deflating them in another.

    ISA-L releases the interpreter lock while it deflates, so on a machine with two cores making
    the next members overlaps with compressing the previous ones; they travel in batches, so the
    threads rarely wait for each other. With `workers`, lazy members come made and deflated from
    those processes instead, and this thread writes them in turn. Members are written in order
    by one thread, so the bytes do not depend on timing. Setting `cancel` stops the work between
    members (the zip is then incomplete: the caller throws it away). `workers` are closed on return.
    """
    stream = _ZipStream(out, date_time)
    if workers is not None:  # members come made and deflated: one thread writes them in turn
        try:
            lazy = 0
            for name, content in package.entries:
                if cancel is not None and cancel.is_set():
                    break
                if callable(content):
                    stream.add_deflated(name, *workers.deflated(lazy))
                    lazy += 1
                else:
                    stream.add(name, content)  # few and small (ISA-L releases the interpreter lock)
        finally:
            workers.close()
        stream.close()
        return
    queue: Queue = Queue(maxsize=8)
    failure: list[BaseException] = []

    def deflater() -> None:
        try:
            while (batch := queue.get()) is not None:
                for item in batch:
                    stream.add(*item)
        except BaseException as exc:  # noqa: BLE001 - handed to the producing thread
            failure.append(exc)
            while queue.get() is not None:  # drain, so the producer never blocks
                pass

    thread = threading.Thread(target=deflater, name="qtiexport-zip", daemon=True)
    thread.start()
    try:
        batch, size = [], 0
        for name, content in package.entries:
            if failure or (cancel is not None and cancel.is_set()):
                break
            item = (name, content() if callable(content) else content)
            batch.append(item)
            size += len(item[-1])
            if size >= _BATCH_BYTES:
                queue.put(batch)
                batch, size = [], 0
        if batch and not failure:
            queue.put(batch)
    finally:
        queue.put(None)
        thread.join()
    if failure:
        raise failure[0]
    stream.close()


def _workers_for(package: Package, count: int | None) -> MemberWorkers | None:
    """Start member workers for `package` (`count` of them; None: as many as pay, possibly none)."""
    count = worker_count(package) if count is None else count
    return MemberWorkers(package, count, _deflate) if count > 0 else None


def zip_bytes(package: Package, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
              workers: int | None = None) -> bytes:
    """Return the zip of `package`: the same package and time always give the same bytes.

    `workers`: how many member worker processes make the lazy members (0: none, this process makes
    them; None: as many as pay on this machine). The bytes are the same either way.
    """
    buffer = io.BytesIO()
    _zip_into(buffer, package, date_time, workers=_workers_for(package, workers))
    return buffer.getvalue()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


class StagedFile:
    """A file being written in a background thread to a temporary file beside `path`, until commit() or abort().

    Several packages can so be made at once: while one thread makes members (Python), ISA-L
    deflates in others without the interpreter lock, so the cores of the machine share the work.
    commit() waits, fsyncs and renames the file into place; abort() stops and removes it. A failure
    is raised by commit() (or wait()) in the calling thread, after the temporary file is removed,
    so any previous file at `path` is untouched and nothing is left behind.
    """

    def __init__(self, path: Path, write: Callable[[BinaryIO, threading.Event], None], start: bool = True):
        self.path = Path(path)
        handle, self._temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._cancel = threading.Event()
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(handle, write), name="qtiexport-stage", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Start writing (done by the constructor unless told not to)."""
        self._thread.start()

    def _run(self, handle: int, write: Callable[[BinaryIO, threading.Event], None]) -> None:
        try:
            with os.fdopen(handle, "wb") as out:
                write(out, self._cancel)
                out.flush()
                os.fsync(out.fileno())
        except BaseException as exc:  # noqa: BLE001 - raised again by wait() in the calling thread
            self._failure = exc

    def _join(self) -> None:
        if self._thread.ident is None:  # never started: run it anyway, so that it closes what it holds
            self.start()
        self._thread.join()

    def _remove(self) -> None:
        try:
            os.unlink(self._temp)
        except FileNotFoundError:
            pass

    def wait(self) -> None:
        """Wait until the file is written; raise what went wrong, if anything, with the temporary file removed."""
        self._join()
        if self._failure is not None:
            self._remove()
            failure, self._failure = self._failure, None
            raise failure

    def commit(self) -> Path:
        """Wait, then rename the finished file into place; return its path."""
        try:
            self.wait()
        except BaseException:  # including an interrupt while waiting: stop the thread, remove the file
            self.abort()
            raise
        try:
            os.chmod(self._temp, 0o666 & ~_umask())
            os.replace(self._temp, self.path)
        except BaseException:
            self._remove()
            raise
        return self.path

    def abort(self) -> None:
        """Stop writing (between members) and remove the temporary file; never raises for the write's own failure."""
        self._cancel.set()
        self._join()
        self._failure = None
        self._remove()


def write_zip(package: Package, path: Path, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> Path:
    """Write `package` as a zip at `path`, atomically and one member at a time; return `path`."""
    return stage_zip(package, path, date_time).commit()


def stage_zip(package: Package, path: Path, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
              workers: int | None = None, start: bool = True) -> StagedFile:
    """Start writing `package` as a zip for `path` in the background; commit() puts it in place.

    Member workers (see zip_bytes) are started here, in the calling thread, before the writing
    thread exists. With `start` false, the writing thread waits for StagedFile.start(): staging
    several packages so, then starting them all, lets each fork its workers while the process
    has no other thread.
    """
    pool = _workers_for(package, workers)
    try:
        return StagedFile(path, lambda out, cancel: _zip_into(out, package, date_time, cancel, pool), start)
    except BaseException:
        if pool is not None:
            pool.close()
        raise
