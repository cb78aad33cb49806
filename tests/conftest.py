"""Shared test fixtures: repository paths, the official schemas folder, and the golden-file switch."""

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


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden from current output; review the diff before committing",
    )


@pytest.fixture(scope="session")
def standards():
    """The official IMS and ADL schemas (skips locally when absent, fails on CI)."""
    from qtiexport.packaging.xsd import Standards

    folder = standards_dir()
    require(folder.is_dir(), f"official schemas not found at {folder}; set QTIEXPORT_STANDARDS")
    return Standards(folder)


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


def quiz_sources() -> list[Path]:
    """Every quiz source the project ships: source/*.json and examples/*.json."""
    return sorted(REPO.glob("source/*.json")) + sorted(REPO.glob("examples/*.json"))
