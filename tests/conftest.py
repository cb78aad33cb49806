"""Shared test fixtures: the official schemas folder and the golden-file switch."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from support import require, standards_dir

# Property-based and fuzz tests: a modest default run; `--hypothesis-profile=thorough` for a
# nightly-style run. No deadline: timing is measured by benchmarks/, never asserted by tests.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=25, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile("thorough", max_examples=400, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile("default")


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
