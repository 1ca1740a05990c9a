"""The engine tests: ``--slow`` runs the long ones (the ``slow`` marker) and switches
hypothesis to the ``slow`` profile (2000 examples per property)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

HERE = Path(__file__).resolve().parent

settings.register_profile(
    "slow", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def pytest_addoption(parser: pytest.Parser) -> None:
    try:
        parser.addoption("--slow", action="store_true", default=False,
                         help="run the slow engine tests, and hypothesis with the 'slow' profile")
    except ValueError:  # already added by another conftest
        pass


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long-running engine tests (run with --slow)")
    if config.getoption("--slow", default=False):
        settings.load_profile("slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow", default=False):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords and HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(skip)
