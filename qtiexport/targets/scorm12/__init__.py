"""The SCORM 1.2 target: a manifest and a self-contained HTML/JS player (the SCO) that scores and reports to the LMS."""

from __future__ import annotations

import functools
import os

from ...errors import BuildError, Diagnostic
from ...model import Quiz
from ...packaging.imscp import assert_complete
from ...packaging.package import MANIFEST, Lazy, Package
from ...packaging.xsd import SchemaSet
from ..base import BuildContext, Writer
from .check import check
from .data import SUSPEND_DATA_LIMIT, max_suspend_data, quiz_data, render_index, weighting_warnings
from .manifest import LAUNCH, TITLE_LIMIT, imsmanifest

PLAYER_ASSETS = ("player.js", "player.css")


def player_file(name: str) -> bytes:
    """Return a file of the player, shipped as package data."""
    # Read through this package's loader, as importlib.resources and pkgutil.get_data do (so also
    # from a zip), without importing either into every build.
    return __spec__.loader.get_data(os.path.join(os.path.dirname(__file__), "player", name))


def manifest_title(quiz: Quiz, ctx: BuildContext) -> str:
    """Return the title for the manifest, shortened (with a warning) to the 200 characters SCORM 1.2 allows."""
    if len(quiz.title) <= TITLE_LIMIT:
        return quiz.title
    ctx.warn(
        Diagnostic(
            "/title",
            f"the title has {len(quiz.title)} characters; SCORM 1.2's manifest allows {TITLE_LIMIT}, so the "
            "LMS shows it shortened (the player shows it whole)",
            severity="warning",
            file=quiz.origin,
        )
    )
    return quiz.title[: TITLE_LIMIT - 1] + "\u2026"


def player_page(quiz: Quiz) -> bytes:
    """Return index.html with the quiz's data."""
    return render_index(player_file(LAUNCH).decode("utf-8"), quiz_data(quiz)).encode("utf-8")


def build(quiz: Quiz, ctx: BuildContext) -> Package:
    """Return the SCORM 1.2 package of `quiz` (pure: same quiz, same bytes).

    Raises BuildError when the player's saved state could exceed SCORM 1.2's 4,096 characters
    of cmi.suspend_data, which would lose a learner's answers on resume.
    """
    longest = max_suspend_data(quiz)
    if longest > SUSPEND_DATA_LIMIT:
        raise BuildError(
            quiz.origin,
            [
                Diagnostic(
                    "",
                    f"the SCORM player's saved state could reach {longest} characters, over SCORM 1.2's "
                    f"{SUSPEND_DATA_LIMIT} for cmi.suspend_data; split the quiz into smaller quizzes "
                    "(or fewer choices per question)",
                    file=quiz.origin,
                )
            ],
        )
    for warning in weighting_warnings(quiz):
        ctx.warn(warning)
    # The page is made when the zip is written; its cost (one unit a question, as an item of the
    # QTI package) lets a large quiz's page be made by a member worker while the rest goes on.
    page = Lazy(functools.partial(player_page, quiz), cost=len(quiz.questions))
    members = {LAUNCH: page, **{name: player_file(name) for name in PLAYER_ASSETS}}
    manifest, resource = imsmanifest(quiz, sorted(members), manifest_title(quiz, ctx))
    assert_complete([resource], list(members))
    members[MANIFEST] = manifest
    return Package.of(f"{quiz.id}-scorm12", members)


WRITER = Writer(
    name="scorm12",
    description="SCORM 1.2 package with a self-contained quiz player (Moodle, Canvas's SCORM tool, any SCORM 1.2 LMS)",
    build=build,
    manifest_kind=SchemaSet.SCORM12_MANIFEST,
    check=check,
)
