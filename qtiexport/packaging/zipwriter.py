"""Deterministic zips written atomically: fixed entry times and permissions, fixed order, temp file then rename."""

from __future__ import annotations

import io
import os
import tempfile
import time
import zipfile
from pathlib import Path

from .package import Package

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_MAX_ZIP_TIME = (2107, 12, 31, 23, 59, 58)


def zip_time(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """Return the entry time for `epoch` seconds (UTC), clamped to what a zip can store; None gives 1980-01-01."""
    if epoch is None:
        return ZIP_EPOCH
    stamp = tuple(time.gmtime(max(epoch, 0))[:6])
    return min(max(stamp, ZIP_EPOCH), _MAX_ZIP_TIME)


def zip_bytes(package: Package, date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH) -> bytes:
    """Return the zip of `package`: the same package and time always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in package.members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read as such
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A failure leaves any previous file at `path` untouched and no temporary file behind.
    """
    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
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
    """Write `package` as a zip at `path`, atomically; return `path`."""
    return write_atomic(path, zip_bytes(package, date_time))
