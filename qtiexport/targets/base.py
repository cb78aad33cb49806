"""What every target writer shares: the Writer record, the build context (time, generator, warnings)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Optional, TYPE_CHECKING

from .._version import __version__
from ..errors import Diagnostic, OutputError, UsageError
from ..model import Quiz
from ..packaging.package import Package
from ..packaging.xsd import SchemaSet
from ..packaging.zipwriter import StagedFile, stage_zip, write_zip, zip_time

if TYPE_CHECKING:  # the checks are imported only by `check`, not by every build
    from ..packaging.check import Inspection


@dataclass(frozen=True)
class BuildContext:
    """What a build may depend on besides the quiz. Writers never read the clock or the environment."""

    source_date_epoch: int | None = None
    generator: str = f"qtiexport {__version__}"
    warnings: list[Diagnostic] = field(default_factory=list, compare=False)

    def warn(self, diagnostic: Diagnostic) -> None:
        self.warnings.append(diagnostic)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> BuildContext:
        """Return a context whose time is SOURCE_DATE_EPOCH when set, else the fixed default (1980-01-01)."""
        raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not raw:
            return cls()
        try:
            return cls(source_date_epoch=int(raw))
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {raw!r}") from None


@dataclass(frozen=True)
class Writer:
    """A target: `build` is pure (quiz to Package); `write` zips the package to a path."""

    name: str
    description: str
    build: Callable[[Quiz, BuildContext], Package]
    manifest_kind: SchemaSet
    check: Optional[Callable[[Inspection], None]] = None

    def file_name(self, quiz: Quiz) -> str:
        return f"{quiz.id}-{self.name}.zip"

    def write(self, quiz: Quiz, path: Path, ctx: BuildContext) -> Path:
        """Build `quiz` and write the zip to `path` atomically; return `path`."""
        return self.save(self.build(quiz, ctx), path, ctx)

    def save(self, package: Package, path: Path, ctx: BuildContext) -> Path:
        """Write `package` as a zip at `path` through a temporary file and a rename; return `path`.

        Raises OutputError when the file cannot be written; any previous file at `path` is then
        unchanged and no temporary file is left behind.
        """
        try:
            return write_zip(package, Path(path), zip_time(ctx.source_date_epoch))
        except OSError as exc:
            raise OutputError.of(path, exc) from exc

    def stage(self, package: Package, path: Path, ctx: BuildContext, start: bool = True) -> StagedFile:
        """Start writing `package` as a zip for `path` in the background; the caller commits or aborts it.

        With `start` false the writing waits for StagedFile.start() (see stage_zip). Raises
        OutputError when the temporary file cannot be made.
        """
        try:
            return stage_zip(package, Path(path), zip_time(ctx.source_date_epoch), start=start)
        except OSError as exc:
            raise OutputError.of(path, exc) from exc
