"""Deterministic zips written atomically: fixed entry times and permissions, fixed order, temp file then rename."""

from __future__ import annotations

import io
import os
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from queue import Queue
from typing import BinaryIO, Callable

from .package import Package

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_MAX_ZIP_TIME = (2107, 12, 31, 23, 59, 58)


def zip_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """Return the entry time for `epoch` seconds (UTC), clamped to what a zip can store; None gives 1980-01-01."""
    if epoch is None:
        return ZIP_EPOCH
    stamp = tuple(time.gmtime(max(epoch, 0))[:6])
    return min(max(stamp, ZIP_EPOCH), _MAX_ZIP_TIME)


COMPRESSLEVEL = 6  # zlib's default: on XML, level 9 gains about 0.1 % for the same time or more


def _zip_into(out: BinaryIO, package: Package, date_time: tuple[int, int, int, int, int, int]) -> None:
    """Write the zip of `package` into `out`, making members in this thread and deflating them in another.

    zlib releases the interpreter lock while it deflates, so on a machine with two cores making
    the next member overlaps with compressing the previous one. Members are written in order by
    one thread, so the bytes do not depend on timing.
    """
    queue: Queue = Queue(maxsize=64)
    failure: list[BaseException] = []

    def writer(archive: zipfile.ZipFile) -> None:
        try:
            while (item := queue.get()) is not None:
                name, data = item
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so the permissions below are read as such
                info.external_attr = 0o100644 << 16
                archive.writestr(info, data, compresslevel=COMPRESSLEVEL)
        except BaseException as exc:  # noqa: BLE001 - handed to the producing thread
            failure.append(exc)
            while queue.get() is not None:  # drain, so the producer never blocks
                pass

    with zipfile.ZipFile(out, "w") as archive:
        thread = threading.Thread(target=writer, args=(archive,), name="qtiexport-zip", daemon=True)
        thread.start()
        try:
            for member in package.members:
                if failure:
                    break
                queue.put(member)
        finally:
            queue.put(None)
            thread.join()
        if failure:
            raise failure[0]


def zip_bytes(package: Package, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """Return the zip of `package`: the same package and time always give the same bytes."""
    buffer = io.BytesIO()
    _zip_into(buffer, package, date_time)
    return buffer.getvalue()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file at `path` with `write(file)`, through a temporary file in the same folder and a rename.

    A failure leaves any previous file at `path` untouched and no temporary file behind.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    return path


def write_zip(package: Package, path: Path, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> Path:
    """Write `package` as a zip at `path`, atomically and one member at a time; return `path`."""
    return write_atomic(path, lambda out: _zip_into(out, package, date_time))
