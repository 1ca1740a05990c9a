"""Helpers for the audit tests: the repository, a pinned CLI runner, golden files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
#: set to 1 to rewrite the golden files from the current output
REGEN = os.environ.get("STARRULES_REGEN_GOLDEN") == "1"
#: width and colour pinned for golden output
CLI_ENV = {"STARRULES_WIDTH": "100", "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}


def example(name: str) -> str:
    return str(EXAMPLES / f"{name}.yaml")


def cli(*args: Any, env: dict[str, str] | None = None) -> Any:
    """Run ``starrules ARGS`` in-process with the pinned environment (stdout and stderr apart)."""
    from click.testing import CliRunner

    from starrules._cli.main import cli as group

    runner = CliRunner(env={**CLI_ENV, **(env or {})})
    return runner.invoke(group, [str(a) for a in args], catch_exceptions=False)


def golden(name: str, text: str) -> None:
    """Compare ``text`` with ``golden/NAME`` (rewrite it when STARRULES_REGEN_GOLDEN=1)."""
    path = GOLDEN / name
    if REGEN or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not REGEN:
            raise AssertionError(f"golden file {path.name} was missing and has been written; check it in")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (
        f"output differs from golden/{name}; if the change is intended, rerun with STARRULES_REGEN_GOLDEN=1"
    )
