"""The library's facade: load a quiz source; build or export it to a target package; check a built package."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError, Diagnostic, OutputError, UsageError
from .model import Quiz
from .reader import PendingQuiz, load, load_pending, source_files

__all__ = ["SourceResult", "build", "build_file", "check", "export", "load", "load_pending", "source_files",
           "targets"]


def targets() -> list[str]:
    """Return the names of the available targets."""
    from .targets import WRITERS

    return sorted(WRITERS)


def build(quiz: Quiz, target: str, ctx=None):
    """Return the Package of `quiz` for `target` without writing anything."""
    from .targets import BuildContext, get_writer

    return get_writer(target).build(quiz, ctx or BuildContext.from_environment())


def export(quiz: Quiz, target: str, path: str | os.PathLike, ctx=None) -> Path:
    """Write the `target` package of `quiz` and return its path.

    `path` is the zip to write, or an existing directory, in which case the zip is
    `<quiz id>-<target>.zip` inside it. The zip is written to a temporary file and renamed into
    place, so a failure never leaves a half-written package. Time stamps come from
    SOURCE_DATE_EPOCH (or a fixed default), so the same quiz gives the same bytes.
    """
    from .targets import BuildContext, get_writer

    writer = get_writer(target)
    out = Path(path)
    if out.is_dir():
        out = out / writer.file_name(quiz)
    elif not out.parent.is_dir():
        raise UsageError(f"{out.parent}: no such directory")
    return writer.write(quiz, out, ctx or BuildContext.from_environment())


def check(path: str | os.PathLike, standards: str | os.PathLike | None = None):
    """Return the Inspection of the package zip at `path`.

    Checks zip safety, the manifest, files against members, identifier references and the
    target's own rules; with a standards folder (`standards`, or QTIEXPORT_STANDARDS) every XML
    document is also validated against the official schemas.
    """
    from .packaging.check import inspect_package
    from .packaging.xsd import Standards, StandardsError
    from .targets import WRITERS

    try:
        located = Standards.locate(standards)
    except StandardsError as exc:
        raise UsageError(str(exc)) from None
    report = inspect_package(Path(path), located)
    for writer in WRITERS.values():
        if writer.check and report.manifest_kind == writer.manifest_kind:
            writer.check(report)
    return report


@dataclass
class SourceResult:
    """What building one source did: the zips written, the warnings, or why it failed (message and exit code)."""

    source: str
    written: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    failure: str | None = None
    exit_code: int = 0


def build_file(source: str | os.PathLike, target_names: list[str], output: str | os.PathLike, ctx=None,
               fail_on_warning: bool = False, quiz: Quiz | PendingQuiz | None = None) -> SourceResult:
    """Build every target of the quiz in `source` into the folder `output`; never raises for a build failure.

    Every package is built, then all stream into temporary zips at once, their members made by
    worker processes where that pays, so the machine's cores share the work; the zips are renamed
    into place only when every one is complete. So a source's packages are written all together
    or not at all: with `fail_on_warning`, a source with warnings writes nothing. `quiz` may be
    given when `source` was already loaded; as a PendingQuiz (see load_pending), the packages are
    built and written to temporary files while the source's schema check ends, and an invalid
    source raises InputError before anything is put in place. Without `quiz`, a large source is read
    with its questions left in the file until written (see load_pending), and closed on return.
    Picklable in and out, so several sources can be built in parallel processes.
    """
    from .reader import locate
    from .targets import BuildContext, get_writer

    ctx = dataclasses.replace(ctx or BuildContext.from_environment(), warnings=[])
    result = SourceResult(source=str(source))
    staged: list = []
    pending = None

    def stage_all(quiz: Quiz) -> None:
        for writer in map(get_writer, target_names):
            path = Path(output) / writer.file_name(quiz)
            # Each package forks its member workers (if it has any) when staged; the writing threads
            # start once all have, as a process must not fork while it has other threads.
            staged.append((path, writer.stage(writer.build(quiz, ctx), path, ctx, start=False)))
        for _, stage in staged:
            stage.start()

    try:
        if isinstance(quiz, PendingQuiz):
            pending = quiz
        else:
            pending = PendingQuiz(quiz) if quiz is not None else load_pending(source, defer=True)
        provisional = pending.quiz
        if provisional is not None:
            try:
                stage_all(provisional)
            except Exception:
                if pending.confirm() is provisional:  # an invalid source explains the failure; a valid one does not
                    raise
        if pending.confirm() is not provisional:  # nothing is put in place, or warned of, for an invalid source
            for _, stage in staged:  # built from what the source held before it was read again
                stage.abort()
            staged.clear()
            ctx.warnings.clear()
            stage_all(pending.quiz)
        result.warnings = locate(str(source), ctx.warnings)
        if result.warnings and fail_on_warning:
            raise BuildError(str(source), [
                dataclasses.replace(w, severity="error", message=w.message + " (--fail-on-warning: nothing written)")
                for w in result.warnings])
        try:
            for path, stage in staged:  # every zip complete before any is renamed into place
                stage.wait()
            for path, stage in staged:
                result.written.append(stage.commit())
        except OSError as exc:
            raise OutputError.of(path, exc) from exc
    except (BuildError, OutputError) as exc:
        result.failure, result.exit_code = str(exc), exc.exit_code
    finally:
        for _, stage in staged[len(result.written):]:
            stage.abort()
        if pending is not None:
            pending.close()
    return result
