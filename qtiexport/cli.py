"""The command-line interface; the only module that uses click, prints, or chooses exit codes."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import sys
from pathlib import Path

import click

from ._version import __version__
from .errors import Diagnostic, QtiexportError, UsageError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 invalid input, an invalid package (check), a quiz a target cannot build, or "
    "warnings with --fail-on-warning; 2 usage error (unknown option, missing file); 3 a package could not be "
    "written (disk full, read-only folder); 70 internal error (a bug: please report it with --debug output)."
)


def _guarded(command):
    """Turn library errors into located messages and exit codes, and any other exception into a short note."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return command(*args, **kwargs)
        except UsageError as exc:
            raise click.UsageError(str(exc)) from exc
        except QtiexportError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the user sees no traceback unless asking for one
            if debug:
                import traceback  # only here: the commands need it for nothing else

                traceback.print_exc()
            else:
                click.echo(f"qtiexport: internal error: {type(exc).__name__}: {exc}", err=True)
                click.echo("Run again with --debug for details, and please report it.", err=True)
            ctx.exit(EXIT_INTERNAL)

    return wrapper


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "--version", prog_name="qtiexport", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show a traceback when something unexpected fails.")
def cli(debug: bool) -> None:
    """Turn quiz sources (JSON) into IMS QTI 2.1 and SCORM 1.2 packages.

    Sources follow the published schema schemas/quiz.schema.json.
    """


def _sources(paths: tuple[str, ...]) -> list[Path]:
    from .reader import source_files

    for entry in map(Path, paths):
        if not entry.exists():
            raise UsageError(f"{entry}: no such file or directory")
    files = source_files(list(paths))
    if not files:
        raise UsageError(f"no *.json files in {', '.join(paths)}")
    return files


def _render(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per problem on stderr (FILE:LINE:COL: /pointer: message). "
    "json: a report on stdout for CI tools.",
)
@_guarded
def validate(sources: tuple[str, ...], output_format: str) -> None:
    """Check quiz sources against the format; report every problem at once.

    SOURCE is a quiz file, or a directory meaning every *.json file directly in it.
    """
    from .errors import InputError
    from .reader import load

    files = _sources(sources)
    report = []
    diagnostics: list[Diagnostic] = []
    for path in files:
        try:
            quiz = load(path)
        except InputError as exc:
            diagnostics += exc.diagnostics
            report.append({"file": str(path), "valid": False, "problems": len(exc.diagnostics)})
            if output_format == "text":
                _render(list(exc.diagnostics))
            continue
        count = len(quiz.questions)
        report.append({"file": str(path), "valid": True, "problems": 0, "questions": count})
        if output_format == "text":
            click.echo(f"{path}: valid ({count} question{'s' if count != 1 else ''})")
    invalid = sum(1 for r in report if not r["valid"])
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "valid": invalid == 0,
                    "files": report,
                    "diagnostics": [d.as_dict() for d in diagnostics],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    elif invalid:
        click.echo(f"{invalid} of {len(report)} source{'s' if len(report) != 1 else ''} invalid", err=True)
    if invalid:
        click.get_current_context().exit(EXIT_INVALID)


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector, as it was before afterwards.

    Reading and building make hundreds of thousands of objects and no reference cycles, so
    reference counting frees all that is let go; the collector's rounds would only walk the
    objects again and again (a third of the time of building a package's structure).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _quizzes_kept():
    """Read quizzes with the collector paused, then exempt what was read from its rounds.

    Otherwise a 50,000-question quiz would be read in more than linear time, and every round of
    the build that follows would walk the model again (and, after member workers fork, copy every
    page it touches). The command's process ends with the build, so the frozen objects are never
    needed back.
    """
    with _collector_paused():
        try:
            yield
        finally:
            gc.freeze()


def _load_all(files: list[Path]):
    """Return the quizzes in `files`, or raise InputError carrying the problems of every invalid one."""
    from .errors import InputError
    from .reader import load

    quizzes, diagnostics = [], []
    for path in files:
        try:
            quizzes.append(load(path))
        except InputError as exc:
            diagnostics += exc.diagnostics
    if diagnostics:
        raise InputError(", ".join(str(p) for p in files), diagnostics)
    return quizzes


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Folder for the packages (created if missing).",
)
@click.option(
    "-t",
    "--target",
    "target_names",
    multiple=True,
    metavar="TARGET",
    help="Package format to build: qti21 or scorm12; repeat for several. Default: every target.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Build every source that can be built, past invalid or failing ones (the exit code is still non-zero).",
)
@click.option(
    "--fail-on-warning",
    is_flag=True,
    help="Treat warnings (something a target cannot express exactly) as errors: write nothing for that source.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Build this many sources at once, in parallel processes.",
)
@_guarded
def build(sources: tuple[str, ...], output: Path, target_names: tuple[str, ...], keep_going: bool,
          fail_on_warning: bool, jobs: int) -> None:
    """Build packages from quiz sources: OUTPUT/<quiz id>-<target>.zip.

    SOURCE is a quiz file, or a directory meaning every *.json file directly in it. Every source
    is checked first; if any is invalid, all problems are reported and nothing is written (with
    --keep-going the valid ones are still built). Each zip is written to a temporary file and
    renamed into place, so a failure never leaves a half package. Time stamps come from
    SOURCE_DATE_EPOCH (default 1980-01-01), so the same source always gives byte-identical zips.
    """
    from .api import targets
    from .errors import InputError, OutputError
    from .reader import load
    from .targets import BuildContext, get_writer

    writers = [get_writer(name) for name in (target_names or targets())]
    files = _sources(sources)
    ctx = BuildContext.from_environment()
    loaded, failed = [], 0
    with _quizzes_kept():
        if len(files) == 1 and not keep_going:
            # One source: a large one's schema check ends while its packages are built (nothing is
            # put in place unless it passes; see build_file), instead of being waited for here, and
            # its questions' text stays in the file until the writers need it (reader/deferred.py).
            from .reader import load_pending

            loaded = [(files[0], load_pending(files[0], defer=True))]
        elif keep_going:
            for path in files:
                try:
                    loaded.append((path, load(path)))
                except InputError as exc:
                    _render(list(exc.diagnostics))
                    failed += 1
        else:
            loaded = list(zip(files, _load_all(files)))
    ids: dict[str, Path] = {}
    for path, quiz in loaded if len(loaded) > 1 else []:  # one source alone (perhaps still being checked) clashes with none
        if quiz.id in ids:
            raise UsageError(f"{path} and {ids[quiz.id]} both have the quiz id {quiz.id!r}; their packages "
                             "would overwrite each other")
        ids[quiz.id] = path
    created = [folder for folder in (output, *output.parents) if not folder.exists()]  # deepest first
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.of(output, exc) from None
    from .api import build_file

    names = [writer.name for writer in writers]

    def report(result) -> None:
        nonlocal failed
        if result.failure is None:
            _render(result.warnings)
        for path in result.written:
            click.echo(f"wrote {path}")
        if result.failure is not None:
            click.echo(result.failure, err=True)
            failed += 1
            if not keep_going:
                click.get_current_context().exit(result.exit_code)

    if jobs > 1 and len(loaded) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(build_file, path, names, output, ctx, fail_on_warning) for path, _ in loaded]
            for future in futures:  # reported in source order
                report(future.result())
    else:
        show_progress = len(loaded) > 1 and sys.stderr.isatty()
        try:
            with _collector_paused(), \
                    click.progressbar(loaded, label="Building", file=sys.stderr) if show_progress else _plain(loaded) as bar:
                for path, quiz in bar:
                    report(build_file(path, names, output, ctx, fail_on_warning, quiz=quiz))
        except InputError:  # a source still being checked was invalid: leave no trace of the build
            for folder in created:
                try:
                    folder.rmdir()
                except OSError:
                    break
            raise
    if failed:
        click.echo(f"{failed} source{'s' if failed != 1 else ''} failed", err=True)
        click.get_current_context().exit(EXIT_INVALID)


class _plain:
    """A stand-in for click.progressbar when there is too little to show progress for."""

    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("packages", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path),
                metavar="PACKAGE.zip...")
@click.option(
    "--standards",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the official IMS and ADL schemas (as in shared/standards); default: $QTIEXPORT_STANDARDS. "
    "Without it, XSD validation is skipped (and said so).",
)
@_guarded
def check(packages: tuple[Path, ...], standards: Path | None) -> None:
    """Check built packages: zip safety, manifest, files, references, and the official schemas.

    Exit 0 when every package is valid, 1 otherwise.
    """
    from .api import check as check_package

    failed = 0
    for path in packages:
        if not path.exists():
            raise UsageError(f"{path}: no such file")
        report = check_package(path, standards)
        for finding in report.findings:
            click.echo(str(finding), err=True)
        if report.findings:
            failed += 1
            click.echo(f"{path}: INVALID ({len(report.findings)} problem{'s' if len(report.findings) != 1 else ''})",
                       err=True)
            continue
        if report.xsd_skipped:
            click.echo(f"{path}: valid package structure; XSD validation SKIPPED: no schema folder "
                       "(give --standards DIR or set QTIEXPORT_STANDARDS)")
        else:
            click.echo(f"{path}: valid ({report.validated} XML documents valid against the official schemas)")
    if failed:
        click.get_current_context().exit(EXIT_INVALID)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; `argv` defaults to sys.argv[1:]."""
    cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="qtiexport")


def run() -> None:
    """The `qtiexport` command (and `python -m qtiexport`): main(), then end the process at once.

    A build leaves a large model behind, and the interpreter would free it object by object on the
    way out, for nothing. Everything that matters is already done when main() returns (zips renamed
    into place, worker processes reaped), so this runs the exit handlers, flushes the output and
    ends the process, as the interpreter would, without that clean-up. A failed flush (a closed pipe)
    gives exit status 120, as with the interpreter's own exit.
    """
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if not isinstance(exc.code, (int, type(None))):
            print(exc.code, file=sys.stderr)
    import atexit
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 120
    os._exit(status)
