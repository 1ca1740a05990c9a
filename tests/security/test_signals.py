"""Interrupting a batch: SIGTERM as Ctrl-C, and repeated Ctrl-C never loses the closing lines
(issue 20: "signals and shared output").  Real signals to a real ``starrules batch``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ._support import REPO, read_out

sys.path.insert(0, str(REPO / "bench"))
import generate  # noqa: E402


def _start(tmp_path: Path, standard: str) -> tuple[subprocess.Popen[str], Path]:
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in generate.generate(3000, seed=3)),
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.Popen([sys.executable, "-c", "from starrules._cli.main import main; main()", "batch", str(inp),
                             "-s", standard, "-o", str(out), "--workers", "2", "--lang", "en"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    return proc, out


def _wait_for_rows(tmp_path: Path, proc: subprocess.Popen[str], spooled: bool) -> None:
    deadline = time.monotonic() + 90
    pattern = "starrules-batch-*" if spooled else ".out.jsonl.*.tmp"
    while time.monotonic() < deadline and proc.poll() is None:
        if spooled:  # rows wait in an unnamed spool: wait for the worker processes, then a little more
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            if children.exists() and children.read_text().split():
                time.sleep(1)
                return
            time.sleep(0.1)
            continue
        if sum(p.stat().st_size for p in tmp_path.glob(pattern)) > 1_000_000:
            return
        time.sleep(0.1)


def _check_interrupted(proc: subprocess.Popen[str], out: Path, quota: bool) -> None:
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "Interrupted." in stderr and "marks it incomplete" in stderr  # the closing lines
    rows = read_out(out)  # every line whole
    summary = rows[-1]["summary"]
    assert summary["complete"] is False and summary["rows"] == len(rows) - 1
    assert summary["quota_applied"] is False and summary["quota_declared"] is quota
    assert [r["source"] for r in rows[:-1]] == list(range(1, len(rows)))
    assert sorted(p.name for p in out.parent.iterdir()) == ["in.jsonl", "out.jsonl"]


@pytest.mark.parametrize("standard,quota", [("prov-2023", False), ("city-2023", True)])
def test_sigterm_ends_a_batch_as_ctrl_c_does(tmp_path: Path, standard: str, quota: bool) -> None:
    proc, out = _start(tmp_path, standard)
    _wait_for_rows(tmp_path, proc, spooled=quota)
    proc.send_signal(signal.SIGTERM)
    _check_interrupted(proc, out, quota)
    if quota:
        assert "quota was not applied" in read_out(out)[-1]["summary"]["message"]["en"]


def test_repeated_ctrl_c_keeps_the_closing_lines(tmp_path: Path) -> None:
    proc, out = _start(tmp_path, "prov-2023")
    _wait_for_rows(tmp_path, proc, spooled=False)
    for _ in range(4):  # an impatient user
        proc.send_signal(signal.SIGINT)
        time.sleep(0.02)
    _check_interrupted(proc, out, False)
