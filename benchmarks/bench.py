#!/usr/bin/env python3
"""qtiexport benchmarks: end-to-end build times, peak memory, linearity, start-up and the SCORM player.

Run from anywhere, on demand (never part of the tests):

    python3 benchmarks/bench.py            # the full run (five measured runs, banks up to 50,000 questions)
    python3 benchmarks/bench.py --quick    # a smoke run: one measured run per job, no 50,000-question bank
    python3 benchmarks/bench.py --runs 9 --out /tmp/RESULTS.md

Every job is a whole process (sys.executable, never a shell shim), timed from spawn to exit, with its
peak resident memory read from os.wait4's rusage. Jobs are run round-robin (run 1 of every job, then
run 2 of every job, ...), after one warm-up round that is not counted, so that a change in the
machine's load affects every job alike and the ratios compare figures from the same run (the jobs a
ratio compares run one after the other in each round).
See benchmarks/README.md for what is measured and the targets.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import http.server
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
DEFAULT_OUT = HERE / "RESULTS.md"

SC_SIZES = (1_000, 5_000, 20_000, 50_000)
QUICK_SC_SIZES = (1_000, 5_000, 20_000)
MIXED_SIZE = 5_000
PEER_SIZE = 5_000
PLAYER_SIZE = 1_000
SECTION_SIZE = 100

PEERS = {"text2qti": "0.8.0", "qti-package-maker": "26.7.14"}

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# The targets (see README.md). MEMORY_GROWTH_MAX is this script's reading of "growing far slower
# than the bank": a bank 10x larger may take at most 3x the peak memory.
TARGET_VS_TEXT2QTI = 1 / 10
TARGET_VS_FLOOR = 3.0
TARGET_LINEAR = 11.0
TARGET_MEMORY_MB = 100.0
MEMORY_GROWTH_MAX = 3.0
TARGET_STARTUP = 4.0
TARGET_PLAYER_S = 1.0

JOB_TIMEOUT_S = 1800
# `python -c` this, then the command's arguments: qtiexport with every source's questions left in its file.
DEFERRED_START = ("import sys, qtiexport.reader as reader; reader.DEFER_MIN_BYTES = 0; from qtiexport.cli import run; "
                  "sys.argv[0] = 'qtiexport'; run()")


# ----------------------------------------------------------------------------- text generation

WORDS = (
    "the a an of to in on for with by from at about between under over after before during without "
    "within across through against among around patient client therapist session treatment goal plan "
    "risk harm reduction use substance alcohol drug dose change stage readiness motivation ambivalence "
    "relapse recovery support family community service clinic policy evidence study trial outcome "
    "measure effect model approach method practice principle value belief attitude behaviour pattern "
    "craving trigger coping skill strategy response reaction feeling emotion thought memory attention "
    "decision choice preference priority concern problem question answer reason example case history "
    "record report note letter form rule standard guideline protocol review audit team staff member "
    "worker nurse doctor counsellor manager student teacher course module lesson unit chapter section "
    "page table figure chart graph number rate ratio percent share level amount cost price budget fund "
    "grant year month week day hour minute morning evening early late first second third last next "
    "previous current recent common rare typical usual main major minor key central basic simple "
    "complex clear unclear safe unsafe healthy unhealthy positive negative direct indirect formal "
    "informal local national public private open closed short long small large high low new old "
    "better worse best worst most least more less many few several each every any some all most "
    "reduces increases supports describes explains shows suggests requires includes improves limits "
    "predicts follows precedes replaces combines separates compares measures tracks reports reviews"
).split()


def _sentence(rng: random.Random, low: int = 60, high: int = 100, end: str = ".") -> str:
    """A sentence of low..high characters (the end mark included), different for every call."""
    while True:
        target = rng.randint(low, high) - len(end)
        words: list[str] = []
        length = -1
        while True:
            word = rng.choice(WORDS)
            if length + 1 + len(word) > target:
                if length >= target - 8:
                    break
                continue
            words.append(word)
            length += 1 + len(word)
            if len(words) in (6, 11) and rng.random() < 0.3:
                words[-1] += ","
                length += 1
        text = " ".join(words).rstrip(",")
        if low <= len(text) + len(end) <= high:
            return text[0].upper() + text[1:] + end


@dataclass
class SCQuestion:
    prompt: str
    options: list[str]
    correct: int


def single_choice_bank(n: int) -> list[SCQuestion]:
    """n single-choice questions, 4 options, one correct; the same n always gives the same texts."""
    rng = random.Random(f"qtiexport-bench-single-choice-{n}")
    bank = []
    for _ in range(n):
        prompt = _sentence(rng, end="?")
        options: list[str] = []
        while len(options) < 4:
            option = _sentence(rng)
            if option not in options:
                options.append(option)
        bank.append(SCQuestion(prompt, options, rng.randrange(4)))
    return bank


def qtiexport_single_choice(bank: list[SCQuestion], quiz_id: str) -> dict:
    return {
        "id": quiz_id,
        "title": f"Benchmark bank: {len(bank):,} single-choice questions",
        "language": "en",
        "questions": [
            {
                "id": f"q{i + 1:05d}",
                "type": "single_choice",
                "prompt": q.prompt,
                "choices": [
                    {"id": "ABCD"[k], "text": text, **({"correct": True} if k == q.correct else {})}
                    for k, text in enumerate(q.options)
                ],
            }
            for i, q in enumerate(bank)
        ],
    }


def text2qti_single_choice(bank: list[SCQuestion]) -> str:
    """text2qti's plain-text quiz format."""
    lines = [
        f"Quiz title: Benchmark bank: {len(bank):,} single-choice questions",
        "Quiz description: Generated by qtiexport's benchmarks/bench.py.",
        "",
    ]
    for i, q in enumerate(bank, 1):
        lines.append(f"{i}.  {q.prompt}")
        for k, text in enumerate(q.options):
            mark = "*" if k == q.correct else ""
            lines.append(f"{mark}{'abcd'[k]})".ljust(4) + text)
        lines.append("")
    return "\n".join(lines)


def bbq_single_choice(bank: list[SCQuestion]) -> str:
    """qti-package-maker's BBQ text format: one MC question per line, tab separated."""
    lines = []
    for q in bank:
        parts = ["MC", q.prompt]
        for k, text in enumerate(q.options):
            parts += [text, "correct" if k == q.correct else "incorrect"]
        lines.append("\t".join(parts))
    return "\n".join(lines) + "\n"


def mixed_bank(n: int, quiz_id: str) -> dict:
    """n questions of every type and feature, in sections of 100."""
    rng = random.Random(f"qtiexport-bench-mixed-{n}")
    kinds = ("single_choice", "mr_all", "mr_partial", "tf", "tf_labels")
    labels = ({"true": "Yes", "false": "No"}, {"true": "Agree", "false": "Disagree"})
    sections = []
    number = 0
    for s in range((n + SECTION_SIZE - 1) // SECTION_SIZE):
        questions = []
        for _ in range(min(SECTION_SIZE, n - number)):
            kind = kinds[number % len(kinds)]
            number += 1
            q: dict = {"id": f"q{number:05d}"}
            if rng.random() < 0.3:
                q["title"] = _sentence(rng, 20, 40, end="")
            q["prompt"] = _sentence(rng, end="?")
            if rng.random() < 0.1:
                q["prompt"] += "\n" + _sentence(rng)
            q["points"] = rng.choice((1, 2, 3))
            feedback = {}
            roll = rng.random()
            if roll < 0.25:
                feedback = {"correct": _sentence(rng, 30, 60), "incorrect": _sentence(rng, 30, 60),
                            "general": _sentence(rng)}
            elif roll < 0.5:
                feedback = {"general": _sentence(rng)}
            elif roll < 0.65:
                feedback = {"correct": _sentence(rng, 30, 60)}
            elif roll < 0.8:
                feedback = {"incorrect": _sentence(rng, 30, 60)}
            if kind in ("tf", "tf_labels"):
                q["type"] = "true_false"
                q["answer"] = rng.random() < 0.5
                if kind == "tf_labels":
                    q["labels"] = rng.choice(labels)
            else:
                count = rng.randint(4, 6) if kind != "single_choice" else 4
                choices = []
                for k in range(count):
                    choice = {"id": "ABCDEF"[k], "text": _sentence(rng)}
                    if rng.random() < 0.3:
                        choice["feedback"] = _sentence(rng, 30, 60)
                    choices.append(choice)
                if kind == "single_choice":
                    q["type"] = "single_choice"
                    choices[rng.randrange(count)]["correct"] = True
                else:
                    q["type"] = "multiple_response"
                    q["scoring"] = "all-or-nothing" if kind == "mr_all" else "partial"
                    for k in rng.sample(range(count - 1), rng.randint(1, 3)):
                        choices[k]["correct"] = True
                    if rng.random() < 0.5:
                        choices[-1]["text"] = "None of the above"
                        choices[-1].pop("correct", None)
                        choices[-1]["fixed"] = True
                q["choices"] = choices
            if feedback:
                q["feedback"] = feedback
            questions.append(q)
        section = {"id": f"s{s + 1:03d}", "title": f"Section {s + 1}: " + _sentence(rng, 20, 40, end=""),
                   "questions": questions}
        if s % 3 == 0:
            section["instructions"] = _sentence(rng)
        sections.append(section)
    return {
        "id": quiz_id,
        "title": f"Benchmark bank: {n:,} questions of every type",
        "language": "en",
        "description": "Generated by qtiexport's benchmarks/bench.py: every question type and feature.",
        "instructions": "Answer every question.\nSome questions have more than one correct answer.",
        "metadata": {"authors": ["Benchmark"], "version": "1.0", "keywords": ["benchmark"], "license": "CC0-1.0"},
        "settings": {"passingScore": 70, "shuffleChoices": True, "shuffleQuestions": True,
                     "showFeedback": "immediately"},
        "sections": sections,
    }


def write_if_changed(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def dump_json(obj: dict) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


# ----------------------------------------------------------------------------- processes

@dataclass
class Sample:
    seconds: float
    peak_mb: float
    exit_code: int


@dataclass
class Job:
    key: str
    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    before: Callable[[], None] | None = None
    expect_refusal: bool = False   # exit 1 is a SCORM refusal, reported, not a failure
    samples: list[Sample] = field(default_factory=list)
    warmup: Sample | None = None
    message: str = ""               # the first line of stderr of a failing or refused run
    status: str = "not run"         # ok | refused | failed | skipped | inconsistent | not run
    note: str = ""
    broken: str = ""                # set when a run "succeeded" without its output: reported as failed

    @property
    def log_base(self) -> Path:
        return WORK / "logs" / self.key

    def ok(self) -> bool:
        return self.status == "ok"


# Why a launcher: on Linux a child's ru_maxrss includes the memory of the process it was forked
# from (the high-water mark of the address space it replaced at exec). Forked straight from this
# script, which holds the banks in memory, every job would report at least this script's size.
# So each job is forked by a small launcher process (about 5 MB) that times it, reaps it with
# os.wait4 and writes "seconds ru_maxrss(KiB) exit-code" to a file.
LAUNCHER = """\
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(argv[0], argv)
    except BaseException as exc:
        os.write(2, ("launcher: cannot run %s: %s\\n" % (argv[0], exc)).encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(result, "w") as out:
    out.write("%r %d %d\\n" % (elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)))
"""


def launcher() -> Path:
    path = WORK / "launcher.py"
    if not path.exists() or path.read_text() != LAUNCHER:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(LAUNCHER)
    return path


def run_process(argv: list[str], cwd: Path, env: dict[str, str], log_base: Path) -> Sample:
    """Run argv as one process; return its wall time (spawn to exit), peak RSS (MB) and exit code."""
    log_base.parent.mkdir(parents=True, exist_ok=True)
    result = Path(f"{log_base}.result")
    result.unlink(missing_ok=True)
    argv = [shutil.which(argv[0]) or argv[0], *argv[1:]]
    with open(f"{log_base}.out", "wb") as out, open(f"{log_base}.err", "wb") as err:
        proc = subprocess.Popen([sys.executable, "-I", "-S", str(launcher()), str(result), *argv], cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        timer = threading.Timer(JOB_TIMEOUT_S, functools.partial(_kill_group, proc.pid))
        timer.start()
        try:
            _, status, _ = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    try:
        seconds, maxrss_kib, code = result.read_text().split()
    except (OSError, ValueError):
        return Sample(float("nan"), float("nan"), proc.returncode or -1)
    return Sample(float(seconds), int(maxrss_kib) / 1024, int(code))  # Linux: ru_maxrss is in KiB


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def first_error_line(path: Path) -> str:
    try:
        lines = [line.strip() for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    for line in lines:
        if "error" in line.lower() or "suspend" in line.lower() or "refus" in line.lower():
            return line[:400]
    return lines[-1][:400] if lines else ""


def outcome(job: Job, code: int) -> str:
    if code == 0:
        return "ok"
    if code == 1 and job.expect_refusal:
        return "refused"
    return "failed"


def measure(job: Job, warmup: bool) -> None:
    if job.before:
        job.before()
    sample = run_process(job.argv, job.cwd, job.env, job.log_base)
    job.status = outcome(job, sample.exit_code)   # the latest run's; settle() decides what is reported
    if job.status != "ok":
        job.message = first_error_line(Path(f"{job.log_base}.err")) or first_error_line(Path(f"{job.log_base}.out"))
    if warmup:
        job.warmup = sample
    else:
        job.samples.append(sample)
    tag = "warm-up" if warmup else f"run {len(job.samples)}"
    print(f"  {job.label:<58} {tag:<8} {sample.seconds:8.3f} s {sample.peak_mb:8.1f} MB  exit {sample.exit_code}",
          flush=True)


def settle(job: Job) -> None:
    """The reported status: ok, refused or failed when every measured run agrees, else inconsistent."""
    if job.status in ("skipped", "not run"):
        return
    if job.broken:
        job.status, job.message = "failed", job.broken
        return
    samples = job.samples or ([job.warmup] if job.warmup else [])
    kinds = {outcome(job, s.exit_code) for s in samples}
    if "failed" in kinds:
        job.status = "failed"
    elif len(kinds) == 1:
        job.status = kinds.pop()
    else:
        job.status = "inconsistent"
        job.note = "measured runs ended differently (exit codes " + ", ".join(
            str(s.exit_code) for s in job.samples) + "): did the library change during the run?"
    if job.warmup and job.samples and outcome(job, job.warmup.exit_code) != outcome(job, job.samples[0].exit_code):
        job.note = (job.note + " " if job.note else "") + (
            f"the warm-up run exited {job.warmup.exit_code}, the measured runs differently: "
            "the library changed during the run?")


def run_round_robin(jobs: list[Job], runs: int, warmup: bool = True) -> None:
    if warmup:
        for job in jobs:
            if job.status != "skipped":
                measure(job, warmup=True)
    for _ in range(runs):
        for job in jobs:
            if job.status in ("skipped", "failed"):
                continue   # a failed job is reported as failed; its remaining runs are not spent
            measure(job, warmup=False)


def med(job: Job | None) -> float | None:
    """The median time of a job's measured runs (None if it failed, was skipped or has none)."""
    if job is None or not job.samples or job.status in ("failed", "skipped", "inconsistent"):
        return None
    return statistics.median(s.seconds for s in job.samples)


def paired_ratio(job: Job | None, other: Job | None) -> float | None:
    """The median over rounds of job's time ÷ other's time in the same round (both succeeded every round)."""
    if job is None or other is None or job.status != "ok" or other.status != "ok":
        return None
    if len(job.samples) != len(other.samples) or not job.samples:
        return None
    return statistics.median(a.seconds / b.seconds for a, b in zip(job.samples, other.samples))


def med_ok(job: Job | None) -> float | None:
    """As med, but only for a job that succeeded: the figure ratios use."""
    return med(job) if job is not None and job.status == "ok" else None


def med_mem(job: Job | None, ok_only: bool = False) -> float | None:
    if job is None or not job.samples or job.status in ("failed", "skipped", "inconsistent"):
        return None
    if ok_only and job.status != "ok":
        return None
    return statistics.median(s.peak_mb for s in job.samples)


# ----------------------------------------------------------------------------- environment

def qtiexport_env() -> dict[str, str]:
    """The environment of qtiexport jobs: this checkout's qtiexport first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONSTARTUP", None)
    return env


def peer_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONSTARTUP", None)
    return env


def capture(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    try:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def peer_versions(venv: Path) -> dict[str, str]:
    python = venv_python(venv)
    if not python.exists():
        return {}
    code = ("import importlib.metadata as m, json\nout = {}\nfor n in %r:\n    try: out[n] = m.version(n)\n"
            "    except m.PackageNotFoundError: pass\nprint(json.dumps(out))") % (list(PEERS),)
    text = capture([str(python), "-c", code], env=peer_env())
    try:
        return json.loads(text.splitlines()[-1]) if text else {}
    except (ValueError, IndexError):
        return {}


def ensure_peers(venv: Path) -> tuple[bool, str]:
    """A throwaway virtual environment with the peers at their pinned versions (reused when it has them)."""
    if peer_versions(venv) == PEERS:
        return True, "reused"
    print(f"installing the peers into {venv} ...", flush=True)
    if venv.exists():
        shutil.rmtree(venv)
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
    if made.returncode != 0:
        return False, f"python -m venv failed: {made.stderr.strip()[-300:]}"
    pins = [f"{name}=={version}" for name, version in PEERS.items()]
    pip = subprocess.run(
        [str(venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check", "-q", *pins],
        capture_output=True, text=True, env=peer_env(),
    )
    if pip.returncode != 0:
        tail = [line for line in pip.stderr.splitlines() if not line.startswith("WARNING: Location")]
        return False, "pip install failed: " + " ".join(tail)[-400:]
    got = peer_versions(venv)
    if got != PEERS:
        return False, f"the virtual environment has {got}, not {PEERS}"
    return True, "installed"


def machine_info() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        models = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["CPU"] = models[0] if models else platform.processor() or "unknown"
    except OSError:
        info["CPU"] = platform.processor() or "unknown"
    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    info["cores (nproc)"] = f"{usable}" + (f" (of {cores})" if cores != usable else "")
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))
        info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["memory"] = "unknown"
    pretty = ""
    try:
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M).group(1)
    except (OSError, AttributeError):
        pass
    info["OS"] = f"{pretty or platform.system()} (kernel {platform.release()}, {platform.machine()})"
    info["Python"] = f"{platform.python_version()} ({sys.executable})"
    probe = ("import importlib.metadata as m, qtiexport, lxml.etree as e\n"
             "print(qtiexport.__version__); print(qtiexport.__file__); print('.'.join(map(str, e.LXML_VERSION)))")
    lines = capture([sys.executable, "-c", probe], cwd=ROOT, env=qtiexport_env()).splitlines()
    if len(lines) >= 3:
        info["qtiexport"] = f"{lines[0]} (imported from {Path(lines[1]).parent})"
        info["lxml"] = lines[2]
    else:
        info["qtiexport"] = "NOT IMPORTABLE (run `python3 -m pip install -e .` first)"
        info["lxml"] = "unknown"
    commit = capture(["git", "-C", str(ROOT), "rev-parse", "HEAD"])
    dirty = capture(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    info["git commit"] = (commit or "unknown") + (" + uncommitted changes" if dirty else "")
    return info


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# ----------------------------------------------------------------------------- zips

def zip_summary(path: Path) -> str:
    """'N members, K items, S bytes' of a built package (items: QTI items found in its XML)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if "scorm" in path.name:
                return f"{len(members):,} members, {path.stat().st_size:,} bytes"
            items = 0
            for info in members:
                if info.filename.endswith(".xml"):
                    data = archive.read(info)
                    items += data.count(b"<assessmentItem ") + data.count(b"<item ")
        return f"{len(members):,} members, {items:,} QTI items, {path.stat().st_size:,} bytes"
    except (OSError, zipfile.BadZipFile) as exc:
        return f"unreadable: {exc}"


def compress_level() -> tuple[int, str, str]:
    """The deflate library and level qtiexport writes with (qtiexport/packaging/zipwriter.py)."""
    probe = ("from qtiexport.packaging import zipwriter as z; "
             "print(z.COMPRESSLEVEL, 'isal' if hasattr(z, 'isal_zlib') else 'zlib')")
    found = capture([sys.executable, "-c", probe], env=qtiexport_env()).split()
    if len(found) == 2 and found[0].isdigit():
        library = "ISA-L (the isal package)" if found[1] == "isal" else "zlib"
        return int(found[0]), found[1], f"{library} at level {found[0]}, as qtiexport/packaging/zipwriter.py"
    return 6, "zlib", "qtiexport/packaging/zipwriter.py's settings unreadable: zlib's default level, 6"


def compile_bytecode() -> str:
    """Compile this checkout's qtiexport to bytecode, as pip does when it installs a package (and did for the peers).

    Without it, a process started with PYTHONDONTWRITEBYTECODE set compiles every module it imports,
    on every run.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "qtiexport")], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return "compileall failed: " + (result.stderr or result.stdout).strip()[-300:]
    return "compiled (`python -m compileall qtiexport`, as pip compiles an installed package)"


FLOOR_SCRIPT = '''\
"""The deflate floor: read qtiexport's own output files and write them into zips, nothing else."""
import json, os, sys, zipfile

plan_path, level, library = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if library == "isal":  # deflate with the library qtiexport uses; zipfile calls zlib.compressobj
    import zlib
    from isal import isal_zlib
    zlib.compressobj = isal_zlib.compressobj
with open(plan_path, encoding="utf-8") as f:
    plan = json.load(f)
for package in plan:
    with zipfile.ZipFile(package["out"], "w") as archive:
        for name in package["names"]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            if name.endswith("/"):
                archive.writestr(info, b"")
                continue
            with open(os.path.join(package["dir"], name), "rb") as member:
                archive.writestr(info, member.read(), compresslevel=level)
    with open(package["out"], "rb+") as written:
        os.fsync(written.fileno())
'''


def prepare_floor(zips: list[Path], folder: Path) -> Path:
    """Extract the built zips (names kept) and write the plan and the floor script; return the plan."""
    if folder.exists():
        shutil.rmtree(folder)
    plan = []
    for path in zips:
        target = folder / "files" / path.stem
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist()]
            for name in names:
                if Path(name).is_absolute() or ".." in Path(name).parts:
                    raise RuntimeError(f"{path}: unsafe member {name}")
            archive.extractall(target)
        plan.append({"dir": str(target), "names": names, "out": str(folder / "out" / path.name)})
    (folder / "out").mkdir(parents=True)
    (folder / "deflate_floor.py").write_text(FLOOR_SCRIPT, encoding="utf-8")
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    return plan_path


# ----------------------------------------------------------------------------- the player

INTERACTIVE_JS = r"""
(() => {
  const N = %d;
  const bench = window.__bench = { interactive: null, frames: 0 };
  function ready() {
    const sets = document.querySelectorAll('fieldset');
    if (sets.length !== N) return false;
    const input = sets[0].querySelector('input');
    if (!input || input.matches(':disabled')) return false;
    const box = input.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const style = getComputedStyle(input);
    return style.visibility !== 'hidden' && style.display !== 'none';
  }
  function tick() {
    bench.frames++;
    if (ready()) { bench.interactive = performance.now(); return; }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();
"""

# A minimal in-memory SCORM 1.2 API, so that the player runs as in an LMS (not in preview mode).
LMS_STUB_JS = r"""
(() => {
  const store = { 'cmi.core.entry': 'ab-initio', 'cmi.core.lesson_status': 'not attempted',
                  'cmi.core.student_id': 'bench', 'cmi.core.student_name': 'Bench, Mark',
                  'cmi.suspend_data': '', 'cmi.launch_data': '' };
  window.API = {
    LMSInitialize: () => 'true', LMSFinish: () => 'true', LMSCommit: () => 'true',
    LMSGetValue: (k) => (k in store ? store[k] : ''),
    LMSSetValue: (k, v) => { store[k] = String(v); return 'true'; },
    LMSGetLastError: () => '0', LMSGetErrorString: () => '', LMSGetDiagnostic: () => ''
  };
})();
"""

CLICK_JS = r"""
() => {
  window.__click = null;
  window.addEventListener('click', (e) => {
    const t0 = e.timeStamp;
    requestAnimationFrame(() => { window.__click = { ms: performance.now() - t0 }; });
  }, { capture: true, once: true });
}
"""


def _poll(page, function: str, timeout_s: float):
    """Poll a page function until it returns non-null. (Not page.wait_for_function: with a string it evaluates
    it with eval in the page, which the player's Content-Security-Policy forbids.) The figures are measured
    in the page, so the polling interval does not affect them."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = page.evaluate(function)
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page did not reach {function!r} within {timeout_s:g} s")
        time.sleep(0.02)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - silence the access log
        pass


def measure_player(site: Path, runs: int) -> dict:
    """Time the 1,000-question player in headless Chromium; return the figures (or a note)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"note": "skipped: Python playwright is not installed (`pip install playwright`)"}
    if not Path(CHROMIUM).exists():
        return {"note": f"skipped: no Chromium at {CHROMIUM} (`apt-get install chromium`)"}

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    results: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            results["browser"] = f"Chromium {browser.version} (headless)"
            modes = (("lms", "with an LMS (in-memory SCORM 1.2 API)"), ("preview", "preview (no LMS API)"))
            samples: dict[str, list[dict]] = {mode: [] for mode, _ in modes}
            for _ in range(runs + 1):  # the first round is a warm-up, not counted
                for mode, _label in modes:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    if mode == "lms":
                        context.add_init_script(LMS_STUB_JS)
                    context.add_init_script(INTERACTIVE_JS % PLAYER_SIZE)
                    page = context.new_page()
                    errors: list[str] = []
                    page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                    page.goto(url, wait_until="commit")
                    bench = _poll(page, "() => window.__bench && window.__bench.interactive !== null"
                                        " ? window.__bench : null", 60)
                    nav = page.evaluate(
                        "(() => { const n = performance.getEntriesByType('navigation')[0];"
                        " return n ? {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd} : {}; })()"
                    )
                    page.evaluate(CLICK_JS)
                    first_input = page.locator("fieldset").first.locator("input").first
                    first_input.click()
                    click_ms = _poll(page, "() => window.__click ? window.__click.ms : null", 30)
                    if not first_input.is_checked():
                        errors.append("the clicked input is not checked after the click")
                    samples[mode].append({"interactive_ms": bench["interactive"], "dcl_ms": nav.get("dcl"),
                                          "click_ms": click_ms, "errors": errors})
                    context.close()
            browser.close()
        results["modes"] = {}
        for mode, label in modes:
            counted = samples[mode][1:]
            results["modes"][mode] = {
                "label": label,
                "interactive_ms": [s["interactive_ms"] for s in counted],
                "dcl_ms": [s["dcl_ms"] for s in counted if s["dcl_ms"] is not None],
                "click_ms": [s["click_ms"] for s in counted],
                "errors": sorted({e for s in samples[mode] for e in s["errors"]}),
            }
    except Exception as exc:  # noqa: BLE001 - reported in the results, never hidden
        results["note"] = f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        results["traceback"] = traceback.format_exc()
    finally:
        server.shutdown()
        server.server_close()
    return results


# ----------------------------------------------------------------------------- the run

def clean(*paths: Path) -> Callable[[], None]:
    def before() -> None:
        for path in paths:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    return before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a fast smoke run: 1 measured run (after the warm-up), 5 start-up runs, 2 player runs, "
                             "no 50,000 bank")
    parser.add_argument("--runs", type=int, default=None, help="measured runs per job (default 7; 1 with --quick)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the Markdown results (default: benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None else (1 if args.quick else 7)
    if runs < 1:
        parser.error("--runs must be at least 1")
    startup_runs = 5 if args.quick else 20
    player_runs = 2 if args.quick else 5
    sizes = QUICK_SC_SIZES if args.quick else SC_SIZES
    command = shlex.join([Path(sys.executable).name, *sys.argv]) if argv is None else shlex.join(argv)
    started = _dt.datetime.now(_dt.timezone.utc)
    wall_start = time.perf_counter()
    load_start = loadavg()

    print(f"qtiexport benchmarks ({'quick' if args.quick else 'full'}: {runs} measured run{'s' if runs != 1 else ''} per job); work folder {WORK}",
          flush=True)
    info = machine_info()
    if info["qtiexport"].startswith("NOT IMPORTABLE"):
        print("qtiexport is not importable with this interpreter: run `python3 -m pip install -e .` first",
              file=sys.stderr)
        return 2
    info["qtiexport bytecode"] = compile_bytecode()
    for key, value in info.items():
        print(f"  {key}: {value}")

    # 1. banks ------------------------------------------------------------------------------
    banks = WORK / "banks"
    print("generating the banks ...", flush=True)
    sc_sources: dict[int, Path] = {}
    peer_bank = None
    for n in sizes:
        bank = single_choice_bank(n)
        sc_sources[n] = write_if_changed(banks / f"sc-{n}.json", dump_json(qtiexport_single_choice(bank, f"sc-{n}")))
        if n == PEER_SIZE:
            peer_bank = bank
    mixed_source = write_if_changed(banks / f"mixed-{MIXED_SIZE}.json",
                                    dump_json(mixed_bank(MIXED_SIZE, f"mixed-{MIXED_SIZE}")))
    player_source = write_if_changed(banks / f"mixed-{PLAYER_SIZE}.json",
                                     dump_json(mixed_bank(PLAYER_SIZE, f"mixed-{PLAYER_SIZE}")))
    if peer_bank is None:
        peer_bank = single_choice_bank(PEER_SIZE)
    t2q_dir, qpm_dir = WORK / "peers" / "text2qti", WORK / "peers" / "qpm"
    t2q_source = write_if_changed(t2q_dir / f"sc-{PEER_SIZE}.txt", text2qti_single_choice(peer_bank))
    qpm_name = f"sc{PEER_SIZE}"
    qpm_source = write_if_changed(qpm_dir / f"bbq-{qpm_name}-questions.txt", bbq_single_choice(peer_bank))

    # 2. peers ------------------------------------------------------------------------------
    venv = WORK / "peers-venv"
    peers_ok, peers_note = ensure_peers(venv)
    print(f"peers: {'ok' if peers_ok else 'UNAVAILABLE'} ({peers_note})", flush=True)

    # 3. the build jobs -----------------------------------------------------------------------
    env = qtiexport_env()
    out = WORK / "out"
    jobs: dict[str, Job] = {}

    def qtiexport_job(key: str, label: str, source: Path, targets: list[str], start: list[str] | None = None) -> Job:
        folder = out / key
        argv = [sys.executable, *(start or ["-m", "qtiexport"]), "build", str(source), "-o", str(folder)]
        for target in targets:
            argv += ["-t", target]
        job = Job(key, label, argv, ROOT, env, before=clean(folder), expect_refusal="scorm12" in targets)
        jobs[key] = job
        return job

    bank_keys = [(n, f"sc-{n}", f"{n:,} single-choice") for n in sizes] + [
        (MIXED_SIZE, f"mixed-{MIXED_SIZE}", f"{MIXED_SIZE:,} mixed")]
    for n, key, name in bank_keys:
        source = mixed_source if key.startswith("mixed") else sc_sources[n]
        qtiexport_job(f"{key}-both", f"qtiexport {name}: both packages", source, ["qti21", "scorm12"])
        qtiexport_job(f"{key}-qti", f"qtiexport {name}: QTI only", source, ["qti21"])
    if PEER_SIZE in sizes and 50_000 in sizes:
        # For information: the 5,000 bank (3.9 MB) with its questions left in the file as the 50,000
        # bank's are (qtiexport holds a source under DEFER_MIN_BYTES whole), so memory growth can be
        # read on one way of reading as well.
        qtiexport_job(f"sc-{PEER_SIZE}-qti-deferred",
                      f"qtiexport {PEER_SIZE:,} single-choice: QTI only, questions left in the file (DEFER_MIN_BYTES = 0)",
                      sc_sources[PEER_SIZE], ["qti21"], start=["-c", DEFERRED_START])

    t2q_zip = t2q_dir / f"sc-{PEER_SIZE}.zip"
    qpm_zip = qpm_dir / f"qti21-{qpm_name}.zip"
    python = str(venv_python(venv))
    jobs["text2qti"] = Job("text2qti", f"text2qti {PEERS['text2qti']} {PEER_SIZE:,} single-choice",
                           [python, str(venv / "bin" / "text2qti"), t2q_source.name], t2q_dir, peer_env(),
                           before=clean(t2q_zip))
    jobs["qpm"] = Job("qpm", f"qti-package-maker {PEERS['qti-package-maker']} {PEER_SIZE:,} single-choice",
                      [python, str(venv / "bin" / "bbq_converter.py"), "-i", qpm_source.name, "-2", "-q"],
                      qpm_dir, peer_env(), before=clean(qpm_zip))
    if not peers_ok:
        for key in ("text2qti", "qpm"):
            jobs[key].status = "skipped"
            jobs[key].note = f"peers unavailable: {peers_note}"

    build_jobs = list(jobs.values())
    print(f"warm-up round ({len(build_jobs)} jobs, not counted) ...", flush=True)
    run_round_robin(build_jobs, 0, warmup=True)

    def check_peer_outputs() -> dict[str, str]:
        """The peers' zips exist after a successful run (a missing one fails the job) and hold every question."""
        found = {}
        for key, path in (("text2qti", t2q_zip), ("qpm", qpm_zip)):
            if jobs[key].status == "ok":
                if path.exists():
                    found[key] = zip_summary(path)
                else:
                    jobs[key].status = "failed"
                    jobs[key].broken = f"exit 0 but {path.name} was not written"
        return found

    check_peer_outputs()

    # 4. the deflate floor (from the warm-up build of the 5,000 bank) -------------------------
    level, library, level_note = compress_level()
    floor_folder = WORK / "floor"
    floor_jobs: dict[str, Job] = {}
    floor_basis: dict[str, list[Path]] = {}
    both5, qti5 = jobs[f"sc-{PEER_SIZE}-both"], jobs[f"sc-{PEER_SIZE}-qti"]
    for kind, job in (("both", both5), ("qti", qti5)):
        zips = sorted((out / job.key).glob("*.zip")) if job.status == "ok" else []
        if not zips:
            continue
        plan = prepare_floor(zips, floor_folder / kind)
        floor_basis[kind] = zips
        script = floor_folder / kind / "deflate_floor.py"
        what = "both packages" if kind == "both" else "QTI package"
        floor_jobs[kind] = Job(f"floor-{kind}", f"deflate floor, {PEER_SIZE:,} bank: {what}",
                               [sys.executable, str(script), str(plan), str(level), library], floor_folder / kind,
                               peer_env(), before=clean(*[floor_folder / kind / "out" / z.name for z in zips]))
    if floor_jobs:
        run_round_robin(list(floor_jobs.values()), 0, warmup=True)
    floor_sizes = {}
    for kind, zips in floor_basis.items():
        floor_sizes[kind] = [(z.name, z.stat().st_size, (floor_folder / kind / "out" / z.name).stat().st_size
                              if (floor_folder / kind / "out" / z.name).exists() else None) for z in zips]

    # The jobs whose times are divided by each other run next to each other in every round, so that
    # a change in the machine's speed (here up to 2x from one minute to the next) touches both sides
    # of a ratio alike; a text2qti run alone lasts 7 to 11 seconds.
    compared = [both5, jobs["text2qti"], floor_jobs.get("both"), qti5, floor_jobs.get("qti"), jobs["qpm"]]
    compared = [job for job in compared if job is not None]
    all_jobs = [job for job in build_jobs + list(floor_jobs.values()) if job not in compared] + compared
    print(f"measured rounds: {runs} x {len(all_jobs)} jobs, round-robin ...", flush=True)
    run_round_robin(all_jobs, runs, warmup=False)
    peer_outputs = check_peer_outputs()
    for job in all_jobs:
        settle(job)
    built_outputs = {}
    for job in build_jobs:
        if job.key.startswith(("sc-", "mixed-")):
            built_outputs[job.key] = [(z.name, zip_summary(z)) for z in sorted((out / job.key).glob("*.zip"))]

    # 6. start-up ---------------------------------------------------------------------------
    script_next = shutil.which("qtiexport", path=str(Path(sys.executable).parent))
    script_path = shutil.which("qtiexport")
    console = script_next or script_path
    startup_jobs = [
        Job("start-pass", "python -c pass", [sys.executable, "-c", "pass"], ROOT, env),
        Job("start-m", "python -m qtiexport --version", [sys.executable, "-m", "qtiexport", "--version"], ROOT, env),
    ]
    if console:
        startup_jobs.append(Job("start-script", f"qtiexport --version (console script {console})",
                                [console, "--version"], ROOT, env))
    if script_path and script_next and Path(script_path).resolve() != Path(script_next).resolve():
        startup_jobs.append(Job("start-path", f"qtiexport --version (first on PATH: {script_path}; info only)",
                                [script_path, "--version"], ROOT, env))
    print(f"start-up: {startup_runs} runs each ...", flush=True)
    run_round_robin(startup_jobs, startup_runs, warmup=True)
    for job in startup_jobs:
        settle(job)

    # 7. the player -------------------------------------------------------------------------
    print(f"player: {PLAYER_SIZE:,} mixed questions, {player_runs} runs ...", flush=True)
    player_out = WORK / "player"
    clean(player_out)()
    build = run_process([sys.executable, "-m", "qtiexport", "build", str(player_source), "-o", str(player_out / "zip"),
                         "-t", "scorm12"], ROOT, env, WORK / "logs" / "player-build")
    player: dict
    scorm_zip = player_out / "zip" / f"mixed-{PLAYER_SIZE}-scorm12.zip"
    if build.exit_code != 0 or not scorm_zip.exists():
        player = {"note": f"FAILED: building the {PLAYER_SIZE:,}-question SCORM package exited {build.exit_code}: "
                          f"{first_error_line(WORK / 'logs' / 'player-build.err')}"}
    else:
        with zipfile.ZipFile(scorm_zip) as archive:
            archive.extractall(player_out / "site")
        player = measure_player(player_out / "site", player_runs)
        player["package"] = zip_summary(scorm_zip)
    if "modes" in player:
        for mode in player["modes"].values():
            print(f"  {mode['label']}: interactive {statistics.median(mode['interactive_ms']):.0f} ms, "
                  f"click {statistics.median(mode['click_ms']):.1f} ms")
    else:
        print(f"  {player.get('note')}")

    # 8. results ----------------------------------------------------------------------------
    finished = _dt.datetime.now(_dt.timezone.utc)
    report = render(
        args=args, runs=runs, startup_runs=startup_runs, player_runs=player_runs, sizes=sizes, command=command,
        started=started, finished=finished, wall=time.perf_counter() - wall_start, info=info,
        load=(load_start, loadavg()), jobs=jobs, floor_jobs=floor_jobs, floor_sizes=floor_sizes, level=level,
        level_note=level_note, startup_jobs=startup_jobs, player=player, peers_note=peers_note,
        peer_outputs=peer_outputs, built_outputs=built_outputs,
    )
    out_path = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(report, encoding="utf-8")
    print(f"wrote {out_path} ({time.perf_counter() - wall_start:.0f} s in all)")
    return 0


# ----------------------------------------------------------------------------- Markdown

def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def fmt_mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def verdict(ok: bool | None, why: str = "") -> str:
    if ok is None:
        return "not measured" + (f": {why}" if why else "")
    return "**PASS**" if ok else "**FAIL**" + (f" ({why})" if why else "")


STATUS_TEXT = {"ok": "ok", "refused": "SCORM 1.2 refused (exit 1)", "failed": "FAILED", "skipped": "skipped",
               "inconsistent": "INCONSISTENT", "not run": "not run"}


def render(*, args, runs, startup_runs, player_runs, sizes, command, started, finished, wall, info, load, jobs,
           floor_jobs, floor_sizes, level, level_note, startup_jobs, player, peers_note, peer_outputs,
           built_outputs) -> str:
    lines: list[str] = []
    add = lines.append
    title = "# qtiexport benchmark results"
    if args.quick:
        title += " (QUICK SMOKE RUN: not the figures of record)"
    add(title)
    add("")
    if args.quick:
        add(f"`--quick`: {runs} measured run{'s' if runs != 1 else ''} per job, no 50,000-question bank, "
            f"{startup_runs} start-up runs, {player_runs} player runs. Run `python3 benchmarks/bench.py` for the "
            "figures that count.")
        add("")
    add(f"- Date (UTC): {started:%Y-%m-%d %H:%M:%S} to {finished:%H:%M:%S} ({wall / 60:.1f} minutes in all)")
    add(f"- Command: `{command}` (working directory `{Path.cwd()}`)")
    for key, value in info.items():
        add(f"- {key}: {value}")
    add(f"- Load average (1, 5, 15 min) at start: {load[0]}; at end: {load[1]} "
        "(a load above the number of cores means other work shared the machine)")
    add(f"- Peers: text2qti {PEERS['text2qti']} and qti-package-maker {PEERS['qti-package-maker']}, pinned, in "
        f"`benchmarks/.work/peers-venv` ({peers_note})")
    add("")
    add(f"Method: every job is one whole process, `{Path(sys.executable).name}` (`sys.executable`, no shell "
        "shim) running the command, timed from spawn to exit (wall clock). Peak memory is that process's "
        "`ru_maxrss` from `os.wait4` (1 MB = 1,048,576 bytes); each job is forked by a small launcher "
        "process (about 5 MB), not by this script, whose own memory a forked child's `ru_maxrss` would "
        "include. A qtiexport build forks member workers (one per core) for a large package; the kernel "
        "reports the largest `ru_maxrss` of the process and the children it reaped, so the peak is that of "
        "the largest of them (workers share with the parent the memory it had when they forked). "
        f"One warm-up round, not counted, then {runs} measured run{'s' if runs != 1 else ''} of "
        "every job, round-robin (run 1 of every job, then run 2, ...), so that a change of load touches every "
        "job alike and the ratios compare medians of the same run; the jobs a ratio compares run one after "
        "the other in each round. Every measured run is in the "
        "median/min/max; none is dropped. qtiexport runs from this checkout "
        "(`PYTHONPATH` = the repository root), its bytecode compiled first, as pip compiles an installed "
        "package (the peers' included).")
    add("")

    both5, qti5 = jobs.get(f"sc-{PEER_SIZE}-both"), jobs.get(f"sc-{PEER_SIZE}-qti")
    t2q, qpm = jobs.get("text2qti"), jobs.get("qpm")
    fb, fq = floor_jobs.get("both"), floor_jobs.get("qti")
    big = max(sizes)
    sp = {j.key: j for j in startup_jobs}

    # targets ---------------------------------------------------------------------------------
    add("## Targets")
    add("")
    add("| target | measured | goal | result |")
    add("|---|---:|---|---|")

    def both_why(job: Job | None) -> str:
        if job is None:
            return "not run"
        if job.status == "refused":
            return f"the SCORM 1.2 package of {_questions(job.key) or 0:,} questions was refused"
        return STATUS_TEXT.get(job.status, job.status)

    r = ratio(med_ok(both5), med_ok(t2q))
    why = "" if r is not None else (both_why(both5) if not (both5 and both5.ok()) else "text2qti did not run")
    add(f"| qtiexport both packages ÷ text2qti, {PEER_SIZE:,} questions | {fmt_s(r)} | ≤ 0.100 (1/10) | "
        f"{verdict(None if r is None else r <= TARGET_VS_TEXT2QTI, why)} |")
    r = ratio(med_ok(both5), med_ok(fb))
    why = "" if r is not None else (both_why(both5) if not (both5 and both5.ok()) else
                                    "no floor (the warm-up build of both packages did not succeed)")
    add(f"| qtiexport both packages ÷ deflate floor, {PEER_SIZE:,} | {fmt_s(r)} | ≤ 3 | "
        f"{verdict(None if r is None else r <= TARGET_VS_FLOOR, why)} |")
    r = ratio(med_ok(qti5), med_ok(fq))
    add(f"| qtiexport QTI only ÷ deflate floor (QTI only), {PEER_SIZE:,} | {fmt_s(r)} | ≤ 3 | "
        f"{verdict(None if r is None else r <= TARGET_VS_FLOOR)} |")
    for kind, name in (("qti", "QTI only"), ("both", "both packages")):
        small_job, big_job = jobs.get(f"sc-{PEER_SIZE}-{kind}"), jobs.get(f"sc-50000-{kind}")
        r = ratio(med_ok(big_job), med_ok(small_job))
        if big_job is None:
            why = "no 50,000 bank (--quick)"
        elif r is None:
            why = "not built at both sizes: " + ", ".join(
                f"{_questions(j.key):,}: {STATUS_TEXT.get(j.status, j.status)}" for j in (small_job, big_job)
                if not j.ok())
        else:
            why = ""
        add(f"| {name}: time at 50,000 ÷ time at 5,000 | {fmt_s(r)} | ≤ 11 (linear) | "
            f"{verdict(None if r is None else r <= TARGET_LINEAR, why)} |")
    mem_job = both5 if both5 is not None and both5.ok() else qti5
    m5 = med_mem(mem_job, ok_only=True)
    basis = "both packages" if mem_job is both5 else "QTI only" + (
        "; both packages refused" if both5 is not None and both5.status == "refused" else "")
    add(f"| peak memory at 5,000 ({basis}) | {fmt_mb(m5)} MB | ≤ 100 MB | "
        f"{verdict(None if m5 is None else m5 <= TARGET_MEMORY_MB)} |")
    for kind, name in (("qti", "QTI only"), ("both", "both packages")):
        big_job = jobs.get(f"sc-50000-{kind}")
        r = ratio(med_mem(big_job, ok_only=True), med_mem(jobs.get(f"sc-{PEER_SIZE}-{kind}"), ok_only=True))
        why = "no 50,000 bank (--quick)" if big_job is None else ("" if r is not None else "not built at both sizes")
        add(f"| peak memory {name}: 50,000 ÷ 5,000 (the bank grows ×10) | {fmt_s(r)} | ≤ {MEMORY_GROWTH_MAX:g} "
            f"(far slower than the bank) | {verdict(None if r is None else r <= MEMORY_GROWTH_MAX, why)} |")
    for key, name in (("start-m", "`python -m qtiexport --version`"),
                      ("start-script", "`qtiexport --version` (console script)")):
        r = ratio(med_ok(sp.get(key)), med_ok(sp.get("start-pass")))
        add(f"| {name} ÷ `python -c pass` | {fmt_s(r)} | ≤ 4 | {verdict(None if r is None else r <= TARGET_STARTUP)} |")
    if "modes" in player:
        for mode in player["modes"].values():
            value = statistics.median(mode["interactive_ms"]) / 1000
            add(f"| player interactive, {PLAYER_SIZE:,} questions, {mode['label']} | {value:.3f} s | < 1 s | "
                f"{verdict(value < TARGET_PLAYER_S)} |")
    else:
        add(f"| player interactive, {PLAYER_SIZE:,} questions | — | < 1 s | {verdict(None, player.get('note', ''))} |")
    add("")
    add(f"\"Far slower than the bank\" is read here as: a bank 10 times larger takes at most "
        f"{MEMORY_GROWTH_MAX:g} times the peak memory (`MEMORY_GROWTH_MAX` in bench.py).")
    add("")

    add("Other ratios (medians of the same run, for information):")
    add("")
    add("| ratio | value |")
    add("|---|---:|")
    add(f"| qtiexport QTI only ÷ text2qti, {PEER_SIZE:,} | {fmt_s(ratio(med_ok(qti5), med_ok(t2q)))} |")
    add(f"| qtiexport both packages ÷ text2qti, {PEER_SIZE:,}: median of each round's ratio (the two run one "
        f"after the other) | {fmt_s(paired_ratio(both5, t2q))} |")
    add(f"| qtiexport both packages ÷ qti-package-maker, {PEER_SIZE:,} | {fmt_s(ratio(med_ok(both5), med_ok(qpm)))} |")
    add(f"| qtiexport QTI only ÷ qti-package-maker, {PEER_SIZE:,} | {fmt_s(ratio(med_ok(qti5), med_ok(qpm)))} |")
    for n in sizes:
        if n not in (PEER_SIZE, 50_000):   # 50,000 ÷ 5,000 is a target, above
            for kind, name in (("qti", "QTI only"), ("both", "both packages")):
                r = ratio(med_ok(jobs.get(f"sc-{n}-{kind}")), med_ok(jobs.get(f"sc-{PEER_SIZE}-{kind}")))
                add(f"| {name}: time at {n:,} ÷ time at 5,000 (bank ×{n / PEER_SIZE:g}) | {fmt_s(r)} |")
    deferred5 = jobs.get(f"sc-{PEER_SIZE}-qti-deferred")
    if deferred5 is not None:
        r = ratio(med_mem(jobs.get("sc-50000-qti"), ok_only=True), med_mem(deferred5, ok_only=True))
        add(f"| peak memory QTI only, questions left in the file at both sizes: 50,000 ÷ {PEER_SIZE:,} | {fmt_s(r)} |")
        add(f"| time QTI only at {PEER_SIZE:,}, questions left in the file ÷ held whole | "
            f"{fmt_s(ratio(med_ok(deferred5), med_ok(qti5)))} |")
    if "start-path" in sp:
        r = ratio(med_ok(sp["start-path"]), med_ok(sp["start-pass"]))
        add(f"| `qtiexport --version` as found first on PATH ÷ `python -c pass` | {fmt_s(r)} |")
    add("")

    # build jobs --------------------------------------------------------------------------------
    add("## Build jobs")
    add("")
    add("| job | status | median s | min s | max s | ms per question | peak MB (median) | peak MB (max) |")
    add("|---|---|---:|---:|---:|---:|---:|---:|")
    for job in list(jobs.values()) + list(floor_jobs.values()):
        add(job_row(job))
    add("")
    notes = [job for job in list(jobs.values()) + list(floor_jobs.values()) if job.status != "ok" or job.note]
    if notes:
        add("Refused, failed, skipped or notable:")
        add("")
        for job in notes:
            codes = [s.exit_code for s in job.samples]
            detail = " ".join(x for x in (job.message, job.note) if x)
            add(f"- {job.label}: {STATUS_TEXT.get(job.status, job.status)}"
                f"{' (exit codes of the measured runs: ' + ', '.join(map(str, codes)) + ')' if codes else ''}"
                f": {detail}")
        add("")
    add("Packages written by the last run:")
    add("")
    for key, outputs in built_outputs.items():
        for name, summary in outputs:
            add(f"- `{name}` ({key}): {summary}")
    for key, summary in peer_outputs.items():
        add(f"- {jobs[key].label}: {summary}")
    add("")

    # linearity -----------------------------------------------------------------------------------
    add("## Linearity and memory by bank size (single-choice banks)")
    add("")
    add("| questions | QTI only median s | ms per question | peak MB | both packages median s | ms per question "
        "| peak MB |")
    add("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        q, b = jobs[f"sc-{n}-qti"], jobs[f"sc-{n}-both"]
        mq, mb = med_ok(q), med_ok(b)
        state = "" if b.ok() else f" ({'SCORM 1.2 refused' if b.status == 'refused' else b.status})"
        add(f"| {n:,} | {fmt_s(mq)} | {'—' if mq is None else f'{mq / n * 1000:.3f}'} | "
            f"{fmt_mb(med_mem(q, ok_only=True))} | {fmt_s(mb)}{state} | "
            f"{'—' if mb is None else f'{mb / n * 1000:.3f}'} | {fmt_mb(med_mem(b))}"
            f"{'' if b.ok() or med_mem(b) is None else ' (refused run)'} |")
    q_small, q_big = med_ok(jobs[f"sc-{sizes[0]}-qti"]), med_ok(jobs[f"sc-{big}-qti"])
    if q_small is not None and q_big is not None:
        add("")
        add(f"Marginal cost, QTI only, from {sizes[0]:,} to {big:,} questions: "
            f"{(q_big - q_small) / (big - sizes[0]) * 1000:.3f} ms per question (start-up and fixed costs removed).")
    add("")

    # floor ---------------------------------------------------------------------------------------
    add("## The deflate floor")
    add("")
    add(f"A Python process (`benchmarks/.work/floor/*/deflate_floor.py`, written by the bench) reads the members "
        f"of qtiexport's own {PEER_SIZE:,}-question packages (extracted, names kept, from the warm-up build) and "
        f"writes them into zips with the standard `zipfile` module, `ZIP_DEFLATED`, deflating with {level_note}, "
        f"in the same entry order, then fsyncs them as qtiexport does. It is the cost of the bytes qtiexport writes, "
        f"with nothing to compute.")
    add("")
    for kind, rows in floor_sizes.items():
        for name, ours, theirs in rows:
            add(f"- {'both packages' if kind == 'both' else 'QTI only'}: `{name}`: qtiexport's {ours:,} bytes; "
                f"the floor's {'—' if theirs is None else f'{theirs:,}'} bytes")
    if not floor_sizes:
        add("- not measured: no 5,000-question build succeeded in the warm-up round")
    elif "both" not in floor_sizes:
        add("- both packages: no floor, since the warm-up build of both packages at 5,000 did not succeed")
    add("")

    # start-up --------------------------------------------------------------------------------------
    add(f"## Start-up ({startup_runs} runs each, after one warm-up)")
    add("")
    add("| command | median s | min s | max s | peak MB |")
    add("|---|---:|---:|---:|---:|")
    for job in startup_jobs:
        times = [s.seconds for s in job.samples]
        state = "" if job.ok() else f" ({STATUS_TEXT.get(job.status, job.status)}: {job.message})"
        add(f"| {job.label}{state} | {fmt_s(med(job))} | {fmt_s(min(times, default=None))} | "
            f"{fmt_s(max(times, default=None))} | {fmt_mb(med_mem(job))} |")
    add("")

    # player ----------------------------------------------------------------------------------------
    add(f"## The SCORM player at scale ({PLAYER_SIZE:,} mixed questions)")
    add("")
    if "modes" in player:
        add(f"{player.get('browser', 'Chromium')}, a fresh browser context per load, the package "
            f"({player.get('package')}) unzipped and served by `http.server` on 127.0.0.1. Interactive = the "
            f"first animation frame (polled with `requestAnimationFrame` from document start) at which "
            f"`document.querySelectorAll('fieldset').length == {PLAYER_SIZE}` and the first question's first "
            f"input is visible and enabled, in ms of `performance.now()` (0 = navigation start). Click = "
            f"Playwright clicks that input; time from the click event's `timeStamp` to the next animation "
            f"frame. \"With an LMS\": a minimal in-memory SCORM 1.2 API is on `window.API`, so the player records "
            f"as in an LMS; \"preview\": no API. One warm-up load of each, then {player_runs} runs.")
        add("")
        add("| mode | interactive median ms | min | max | DOMContentLoaded median ms | click → next frame median ms "
            "| min | max |")
        add("|---|---:|---:|---:|---:|---:|---:|---:|")
        for mode in player["modes"].values():
            i, c, d = mode["interactive_ms"], mode["click_ms"], mode["dcl_ms"]
            add(f"| {mode['label']} | {statistics.median(i):.0f} | {min(i):.0f} | {max(i):.0f} | "
                f"{f'{statistics.median(d):.0f}' if d else '—'} | {statistics.median(c):.1f} | {min(c):.1f} | "
                f"{max(c):.1f} |")
        for mode in player["modes"].values():
            if mode["errors"]:
                add("")
                add(f"Page errors ({mode['label']}): " + "; ".join(mode["errors"][:5]))
    else:
        add(player.get("note", "not measured"))
        if player.get("traceback"):
            add("")
            add("```")
            add(player["traceback"].rstrip())
            add("```")
    add("")
    return "\n".join(lines)


def job_row(job: Job) -> str:
    times = [s.seconds for s in job.samples]
    mems = [s.peak_mb for s in job.samples]
    status = STATUS_TEXT.get(job.status, job.status)
    if job.status in ("failed", "skipped") or not times:
        return f"| {job.label} | {status} | — | — | — | — | — | — |"
    n = _questions(job.key)
    median = statistics.median(times)
    per = f"{median / n * 1000:.3f}" if n else ""
    return (f"| {job.label} | {status} | {median:.3f} | {min(times):.3f} | {max(times):.3f} | {per} | "
            f"{statistics.median(mems):.1f} | {max(mems):.1f} |")


def _questions(key: str) -> int | None:
    match = re.match(r"(?:sc|mixed)-(\d+)-", key)
    if match:
        return int(match.group(1))
    if key in ("text2qti", "qpm") or key.startswith("floor-"):
        return PEER_SIZE
    return None


if __name__ == "__main__":
    sys.exit(main())
