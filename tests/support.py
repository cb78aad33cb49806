"""Shared test helpers (importable as `support` from every test module): repository paths, prerequisites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ON_CI = os.environ.get("CI") == "true"


def standards_dir() -> Path:
    """$QTIEXPORT_STANDARDS, else ../shared/standards beside the repository."""
    env = os.environ.get("QTIEXPORT_STANDARDS", "").strip()
    return Path(env) if env else (REPO / ".." / "shared" / "standards").resolve()


def require(condition: bool, reason: str) -> None:
    """Skip with `reason` when `condition` is false; on CI (CI=true) fail instead, so nothing is silently skipped."""
    if condition:
        return
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: a missing prerequisite is a failure)", pytrace=False)
    pytest.skip(reason)


def quiz_sources() -> list[Path]:
    """Every quiz source the project ships: source/*.json and examples/*.json."""
    return sorted(REPO.glob("source/*.json")) + sorted(REPO.glob("examples/*.json"))
