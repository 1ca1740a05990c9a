"""The engine tests: ``--slow`` runs the long ones (the ``slow`` marker) and switches
hypothesis to the ``slow`` profile (2000 examples per property)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "slow", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def pytest_configure(config: pytest.Config) -> None:
    # ``--slow`` itself is declared in tests/conftest.py so that it works from the root too
    if config.getoption("--slow", default=False):
        settings.load_profile("slow")
