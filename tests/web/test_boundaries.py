"""The web stays an optional extra: the core and the CLI never import FastAPI; ``serve``
without the extra says how to install it; the roster's cells are never formulas."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from starrules._web.roster import COLUMNS, roster_csv, safe_cell

from ._docs import ROOT


def test_core_and_cli_do_not_import_the_web_extra() -> None:
    code = ("import sys, starrules, starrules._cli.main; starrules.evaluate('prov-2023', 'examples/five-star-branch.yaml');"
            "bad = [m for m in ('fastapi', 'starlette', 'uvicorn', 'multipart', 'starrules._web') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], check=False, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src")},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_serve_without_the_extra_says_how_to_install(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn -> ImportError
    res = run_cli("serve", "--port", "0")
    assert res.exit_code == 1
    assert "pip install 'starrules[web]'" in res.stderr and "uvicorn" in res.stderr
    res = run_cli("serve", "--lang", "en")
    assert "the web service needs the optional extra" in res.stderr


_DANGER = ("=", "+", "-", "@", "\t", "\r")


@given(st.text(max_size=40))
def test_no_cell_starts_like_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(_DANGER)
    assert cell == text or cell == "'" + text
    assert (cell != text) == text.startswith(_DANGER)


@given(st.lists(st.lists(st.text(max_size=12), min_size=7, max_size=7), max_size=5))
def test_roster_round_trip(rows: list[list[str]]) -> None:
    data = roster_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert back[0] == list(COLUMNS)
    assert back[1:] == [[safe_cell(c) for c in r] for r in rows]
