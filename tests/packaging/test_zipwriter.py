"""The zip writer: the standard library's zip layout byte for byte, ISA-L deflate any inflater reads, zip64, no leftovers."""

from __future__ import annotations

import io
import os
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import pytest

from qtiexport.packaging import zipwriter
from qtiexport.packaging.package import Package

WHEN = (2024, 2, 29, 13, 45, 58)


@pytest.fixture
def with_zlib(monkeypatch):
    """qtiexport's writer deflating as zipfile does (zlib, level 6, 32 KiB window), so the two can be compared."""

    def deflate(data: bytes) -> bytes:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush()

    monkeypatch.setattr(zipwriter, "_deflate", deflate)


def reference_zip(members: list[tuple[str, bytes]], date_time=WHEN) -> bytes:
    """The same members written by the standard library's zipfile with the same settings (zlib, level 6)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def sample_members() -> list[tuple[str, bytes]]:
    words = b"assessmentItem responseDeclaration choiceInteraction simpleChoice "
    return [
        ("imsmanifest.xml", b"<manifest/>" * 5000),  # above the 32 KiB window
        ("empty.txt", b""),
        ("items/\u00e9t\u00e9.xml", "caf\u00e9 \u00e0 la cr\u00e8me".encode()),  # a UTF-8 name
        ("items/one-byte", b"x"),
        ("items/random.bin", os.urandom(3000)),  # does not compress: stored bigger than itself
        *((f"items/q{n:04}.xml", words * (n % 40 + 1)) for n in range(300)),
    ]


def test_the_zip_layout_is_byte_for_byte_what_zipfile_writes(with_zlib):
    members = sample_members()
    package = Package(name="p", entries=tuple(members))
    assert zipwriter.zip_bytes(package, WHEN) == reference_zip(members)


def test_members_of_every_size_inflate_back_with_zlib():
    # sizes around every window boundary, 512 B ... 32 KiB, compressible and not
    sizes = sorted({max(0, (1 << bits) + delta) for bits in range(8, 17) for delta in (-1, 0, 1)})
    members = [(f"m{size}", (b"abcdefghij" * (size // 10 + 1))[:size]) for size in sizes]
    members += [(f"r{size}", os.urandom(size)) for size in sizes]
    data = zipwriter.zip_bytes(Package(name="p", entries=tuple(members)), WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # zipfile inflates with zlib and checks every CRC
        assert archive.testzip() is None
        assert [(info.filename, archive.read(info)) for info in archive.infolist()] == members
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        assert {info.date_time for info in archive.infolist()} == {WHEN}


def test_sample_package_is_the_same_bytes_every_time():
    package = Package(name="p", entries=tuple(sample_members()[:1] + sample_members()[5:]))
    assert zipwriter.zip_bytes(package, WHEN) == zipwriter.zip_bytes(package, WHEN)


def test_more_than_65535_members_use_zip64_end_records():
    members = [(f"m/{n}", b"") for n in range(70_000)]
    data = zipwriter.zip_bytes(Package(name="p", entries=tuple(members)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [name for name, _ in members]
    assert data.endswith(b"PK\x05\x06" + b"\x00" * 4 + b"\xff" * 12 + b"\x00\x00")


def test_a_failing_member_is_raised_and_nothing_is_left(tmp_path: Path):
    def broken() -> bytes:
        raise ValueError("member failed")

    package = Package(name="p", entries=(("a", b"a"), ("b", broken), ("c", b"c")))
    (tmp_path / "p.zip").write_bytes(b"previous")
    with pytest.raises(ValueError, match="member failed"):
        zipwriter.write_zip(package, tmp_path / "p.zip")
    assert os.listdir(tmp_path) == ["p.zip"] and (tmp_path / "p.zip").read_bytes() == b"previous"


def test_staged_zip_commits_or_aborts(tmp_path: Path):
    members = sample_members()
    package = Package(name="p", entries=tuple(members))
    staged = zipwriter.stage_zip(package, tmp_path / "p.zip", WHEN)
    assert not (tmp_path / "p.zip").exists()
    assert staged.commit() == tmp_path / "p.zip"
    assert (tmp_path / "p.zip").read_bytes() == zipwriter.zip_bytes(package, WHEN)
    assert os.listdir(tmp_path) == ["p.zip"]

    started = threading.Event()
    release = threading.Event()

    def slow() -> bytes:
        started.set()
        release.wait(10)
        return b"slow"

    staged = zipwriter.stage_zip(Package(name="q", entries=(("a", slow), ("b", b"b"))), tmp_path / "q.zip")
    started.wait(10)
    release.set()
    staged.abort()
    assert os.listdir(tmp_path) == ["p.zip"]


def lazy_package(count: int = 200, fail_at: int | None = None) -> Package:
    def member(n: int) -> bytes:
        if n == fail_at:
            raise ValueError(f"member {n} failed")
        return f"member {n}: {'text ' * (n % 50)}".encode()

    entries = [("imsmanifest.xml", b"<manifest/>")]
    entries += [(f"items/{n:04}.xml", (lambda n=n: member(n))) for n in range(count)]
    entries += [("z.bin", os.urandom(5000))]
    return Package(name="lazy", entries=tuple(entries))


def children() -> set[int]:
    """This process's child processes, running or not yet reaped (Linux)."""
    found: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        found |= {int(pid) for pid in (task / "children").read_text().split()}
    return found


@pytest.fixture
def no_children_left():
    """Checks, after the test, that it left no worker process behind, running or unreaped."""
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs /proc (Linux) to list child processes")
    before = children()
    yield
    assert children() <= before


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_member_workers_give_the_same_bytes(workers, no_children_left):
    package = lazy_package()
    assert zipwriter.zip_bytes(package, WHEN, workers=workers) == zipwriter.zip_bytes(package, WHEN, workers=0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
def test_a_member_failing_in_a_worker_is_raised_here(tmp_path: Path, no_children_left):
    package = lazy_package(fail_at=77)
    with pytest.raises(ValueError, match="member 77 failed"):
        zipwriter.zip_bytes(package, WHEN, workers=2)
    staged = zipwriter.stage_zip(package, tmp_path / "p.zip", WHEN, workers=2)
    with pytest.raises(ValueError, match="member 77 failed"):
        staged.commit()
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
def test_aborting_stops_the_workers(tmp_path: Path, no_children_left):
    staged = zipwriter.stage_zip(lazy_package(5000), tmp_path / "p.zip", WHEN, workers=2)
    staged.abort()
    assert os.listdir(tmp_path) == []


def test_no_workers_in_a_process_with_other_threads():
    from qtiexport.packaging import workers

    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert workers.worker_count(lazy_package()) == 0
    finally:
        release.set()
        other.join()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
def test_a_worker_killed_midway_is_reported(no_children_left):
    import signal

    from qtiexport.packaging.workers import MemberWorkers

    import random

    # incompressible members: far more than the pipes hold, so worker 1 cannot have sent them all yet
    entries = tuple((f"m{n}", (lambda n=n: random.Random(n).randbytes(4000))) for n in range(5000))
    workers = MemberWorkers(Package(name="big", entries=entries), 2, zipwriter._deflate)
    try:
        workers.deflated(0)
        os.kill(workers._pids[1], signal.SIGKILL)
        with pytest.raises(RuntimeError, match="member worker 1 stopped before making lazy member .*killed by signal 9"):
            for number in range(1, 5000):
                workers.deflated(number)
    finally:
        workers.close()


class _Costly:
    """A lazy member that declares the work it stands for."""

    def __init__(self, cost: int):
        self.cost = cost

    def __call__(self) -> bytes:
        return b"page " * self.cost


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="member workers are used on Linux")
def test_a_lazy_member_declaring_its_cost_gets_a_worker(monkeypatch):
    from qtiexport import _processes
    from qtiexport.packaging import workers

    monkeypatch.setattr(_processes, "forking_is_safe", lambda: True)  # whatever threads earlier tests left
    monkeypatch.setattr(_processes, "usable_cores", lambda: 2)
    few = Package(name="few", entries=(("a", _Costly(1)), ("b", b"x")))
    costly = Package(name="costly", entries=(("a", _Costly(workers.MIN_LAZY_COST)), ("b", b"x")))
    assert workers.worker_count(few) == 0
    assert workers.worker_count(costly) == 1  # never more workers than lazy members
    assert workers.worker_count(lazy_package(workers.MIN_LAZY_COST)) == 2


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
def test_packages_staged_unstarted_fork_their_workers_before_any_writing_thread(tmp_path: Path, monkeypatch,
                                                                                 no_children_left):
    """build_file stages every package unstarted, then starts them: each forks while no other thread runs.

    Threads that earlier tests left running are counted as already there: only a writing thread
    started before a fork would be one more, and would stop the fork.
    """
    from qtiexport import _processes

    already = threading.active_count()
    monkeypatch.setattr(_processes, "forking_is_safe", lambda: threading.active_count() == already)
    monkeypatch.setattr(_processes, "usable_cores", lambda: 2)
    forked_with_threads = []
    real_fork = os.fork

    def fork():
        forked_with_threads.append(threading.active_count())
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    packages = [lazy_package(300), Package(name="page", entries=(("index.html", _Costly(5000)),))]
    staged = [zipwriter.stage_zip(p, tmp_path / f"{p.name}.zip", WHEN, start=False) for p in packages]
    for stage in staged:
        stage.start()
    paths = [stage.commit() for stage in staged]
    assert forked_with_threads == [already] * 3  # two workers for the items, one for the page
    for package, path in zip(packages, paths):
        assert path.read_bytes() == zipwriter.zip_bytes(package, WHEN, workers=0)


def test_a_staged_file_never_started_is_aborted_cleanly(tmp_path: Path, no_children_left):
    staged = zipwriter.stage_zip(lazy_package(300), tmp_path / "p.zip", WHEN, workers=2, start=False)
    staged.abort()
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
@pytest.mark.parametrize("memory_files", [True, False], ids=["members-in-memfd", "members-down-the-pipe"])
def test_member_workers_give_the_same_bytes_with_or_without_memory_files(monkeypatch, memory_files, no_children_left):
    from qtiexport.packaging import workers

    if not memory_files:
        monkeypatch.setattr(workers, "_memory_file", lambda name: None)
    elif workers._memory_file("probe") is None:
        pytest.skip("no memfd here")
    package = lazy_package(3000)  # more than a pipe holds, so the writer reads while the workers make
    assert zipwriter.zip_bytes(package, WHEN, workers=2) == zipwriter.zip_bytes(package, WHEN, workers=0)


def test_lazy_members_are_shared_out_by_their_cost_largest_first():
    from qtiexport.packaging.package import Lazy
    from qtiexport.packaging.workers import share_out

    entries = [("imsmanifest.xml", Lazy(lambda: b"m", cost=550))]
    entries += [(f"items/{n:04}.xml", (lambda: b"i")) for n in range(1000)]
    entries += [("test.xml", Lazy(lambda: b"t", cost=250)), ("z.bin", b"eager, not shared")]
    assignment = share_out(Package(name="p", entries=tuple(entries)), 2)
    costs = [550] + [1] * 1000 + [250]
    assert len(assignment) == 1002
    assert assignment[0] != assignment[-1]  # the manifest and the test go to different workers
    loads = [sum(c for c, w in zip(costs, assignment) if w == worker) for worker in (0, 1)]
    assert abs(loads[0] - loads[1]) <= 1
    assert share_out(Package(name="p", entries=tuple(entries)), 2) == assignment  # the same every time
    assert share_out(Package(name="p", entries=tuple(entries)), 1) == [0] * 1002


@pytest.mark.skipif(not hasattr(os, "fork"), reason="member workers are forked processes")
def test_costly_members_made_by_workers_give_the_same_bytes(no_children_left):
    from qtiexport.packaging.package import Lazy

    package = lazy_package(500)
    entries = list(package.entries)
    entries[1] = (entries[1][0], Lazy(entries[1][1], cost=300))
    entries[-2] = (entries[-2][0], Lazy(entries[-2][1], cost=120))
    costly = Package(name="costly", entries=tuple(entries))
    for workers in (2, 3):
        assert zipwriter.zip_bytes(costly, WHEN, workers=workers) == zipwriter.zip_bytes(package, WHEN, workers=0)
