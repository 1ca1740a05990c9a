"""Shared test set-up: the repository root, and a CLI runner pinned to width, colour and language.

Every test sees the same environment whatever the machine: no extra standards folder from
``$STARRULES_STANDARDS``, no default language from ``$STARRULES_LANG``, and a fixed console
width without colour for the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parents[1]

CLI_ENV = {"STARRULES_WIDTH": "120", "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "120"}


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STARRULES_STANDARDS", raising=False)
    monkeypatch.delenv("STARRULES_LANG", raising=False)


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def run_cli() -> Callable[..., Any]:
    """``run_cli("validate", path, "--lang", "en")`` -> click's Result (stdout and stderr apart)."""
    from click.testing import CliRunner

    from starrules._cli.main import cli

    def run(*args: str, env: dict[str, str] | None = None) -> Any:
        runner = CliRunner(env={**CLI_ENV, **(env or {})})
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=True)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", default=False,
                     help="also run the slow tests (marker `slow`), with larger hypothesis profiles")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
