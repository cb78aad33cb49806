"""Shared test fixtures: the official schemas folder and the golden-file switch."""

from __future__ import annotations

import pytest

from support import require, standards_dir


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
