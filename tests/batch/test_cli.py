"""``starrules batch``: OUT, summary, CSV, exit codes, interruption."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
import shutil
from pathlib import Path
from typing import Any

import pytest

from starrules._batch import workers
from starrules._cli import cmd_batch

from ._support import (
    example,
    five_star,
    generated_lines,
    json_line,
    read_out,
    write_jsonl,
)


def small_batch(tmp_path: Path, *, errors: bool = True) -> Path:
    lines = [json_line(five_star(f"F{i}", 80 + 3 * i, unit="一公司" if i % 2 else "二公司")) for i in range(6)]
    lines += [json_line(example(n)) for n in ("pending-branch", "veto-branch", "three-star-branch")]
    if errors:
        lines.insert(3, '{"branch": ')
        lines.append(lines[0])  # a duplicate branch.id
    return write_jsonl(tmp_path / "in.jsonl", lines)


def test_out_has_one_line_per_input_in_order_and_errors_exit_1(tmp_path: Path, run_cli: Any) -> None:
    inp = small_batch(tmp_path)
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", inp, "-s", "city-2023", "-o", out)
    assert res.exit_code == 1, res.output
    rows = read_out(out)
    assert [r["source"] for r in rows] == list(range(1, 12))
    assert [set(r) for r in rows] == [{"source", "result"}] * 3 + [{"source", "error"}] + \
        [{"source", "result"}] * 6 + [{"source", "error"}]
    assert rows[3]["error"][0]["code"] == "json-syntax"
    assert rows[10]["error"][0]["code"] == "batch-duplicate-branch"
    assert set(rows[10]["error"][0]["message"]) == {"zh", "en"}
    quota = [r["result"]["quota"] for r in rows if "result" in r and r["result"]["quota"]]
    assert len(quota) == 6 and all(q["applied"] and q["rated"] == 9 and q["kept"] == 2 for q in quota)
    assert sum(q["demoted"] for q in quota) == 4
    text = res.stdout
    for title in ("结论与星级", "各单位", "未通过最多的指标", "出错（2 个）", "名额限制（city-2023）"):
        assert title in text
    assert "一公司" in text and "二公司" in text
    assert f"{inp}:4" in text and "json-syntax" in text


def test_clean_batch_exits_0_english_summary(tmp_path: Path, run_cli: Any) -> None:
    inp = small_batch(tmp_path, errors=False)
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", inp, "-s", "city-2023", "-o", out, "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "Outcome and stars" in res.stdout and "Per unit" in res.stdout and "Quota (city-2023)" in res.stdout
    assert "Errors" not in res.stdout
    assert len(read_out(out)) == 9


def test_directory_input(tmp_path: Path, run_cli: Any, repo_root: Path) -> None:
    out = tmp_path / "out.jsonl"
    folder = tmp_path / "examples"  # the prov-2023 examples (subfolders hold other standards' examples)
    folder.mkdir()
    for p in (repo_root / "examples").glob("*.yaml"):
        shutil.copy(p, folder / p.name)
    res = run_cli("batch", folder, "-s", "prov-2023", "-o", out, "--lang", "en")
    assert res.exit_code == 0, res.output
    rows = read_out(out)
    assert [Path(r["source"]).name for r in rows] == sorted(p.name for p in (repo_root / "examples").glob("*.yaml"))


def test_summary_csv(tmp_path: Path, run_cli: Any) -> None:
    inp = small_batch(tmp_path)
    out, table = tmp_path / "out.jsonl", tmp_path / "counts.csv"
    run_cli("batch", inp, "-s", "city-2023", "-o", out, "--summary-csv", table)
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese right
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["单位", "合计", "定星5星", "定星4星", "定星3星", "定星2星", "定星1星", "定星0星", "不定星", "待核实", "出错"]
    body = {r[0]: [int(x) for x in r[1:]] for r in rows[1:]}
    assert body["全部"] == [11, 2, 5, 0, 0, 0, 0, 1, 1, 2]
    assert body["一公司"][0] == 3 and body["二公司"][0] == 3
    assert body["（未填单位）"][-1] == 2  # error rows have no unit
    assert sum(v[0] for k, v in body.items() if k != "全部") == 11
    en = tmp_path / "en.csv"
    run_cli("batch", inp, "-s", "city-2023", "-o", out, "--summary-csv", en, "--lang", "en")
    head = en.read_text(encoding="utf-8-sig").splitlines()[0]
    assert head == "unit,total,\"met, 5 stars\",\"met, 4 stars\",\"met, 3 stars\",\"met, 2 stars\",\"met, 1 stars\"," \
                   "\"met, 0 stars\",not met,pending,errors"


def test_no_quota_flag(tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "out.jsonl"
    run_cli("batch", small_batch(tmp_path, errors=False), "-s", "city-2023", "-o", out, "--no-quota")
    five = [r["result"] for r in read_out(out) if r["result"]["stars"] == 5]
    assert len(five) == 6 and not any(r["quota"]["applied"] for r in five)


def test_bad_standard_is_exit_1_without_out(tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", small_batch(tmp_path), "-s", "nope-2023", "-o", out)
    assert res.exit_code == 1 and not out.exists()
    assert "nope-2023" in res.stderr


# -- interruption -------------------------------------------------------------------------------


def _interrupt_after(n: int) -> Any:
    real = cmd_batch.iter_input

    def fake(path: Any) -> Iterator[Any]:
        def gen() -> Iterator[Any]:
            for i, item in enumerate(real(path)):
                if i == n:
                    raise KeyboardInterrupt
                yield item
        return gen()

    return fake


@pytest.mark.parametrize("standard,quota", [("city-2023", True), ("prov-2023", False)])
def test_interrupted_run_leaves_a_valid_partial_out(tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch,
                                                    standard: str, quota: bool) -> None:
    inp = small_batch(tmp_path)
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(cmd_batch, "iter_input", _interrupt_after(5))
    res = run_cli("batch", inp, "-s", standard, "-o", out, "--workers", "1")
    assert res.exit_code == 130
    rows = read_out(out)  # every line is whole JSON
    assert [r["source"] for r in rows[:-1]] == [1, 2, 3, 4, 5]
    summary = rows[-1]["summary"]
    assert summary["complete"] is False and summary["interrupted"] is True and summary["rows"] == 5
    assert summary["quota_applied"] is False and summary["quota_declared"] is quota
    if quota:
        assert "未应用名额限制" in summary["message"]["zh"] and "quota was not applied" in summary["message"]["en"]
        assert all(not r["result"]["quota"]["applied"] for r in rows[:-1] if "result" in r and r["result"]["quota"])
    assert "已中断" in res.stderr and str(out) in res.stderr


def test_interrupted_parallel_run(tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", generated_lines(120, seed=4))
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(workers, "PARALLEL_MIN", 0)
    monkeypatch.setattr(cmd_batch, "iter_input", _interrupt_after(100))
    res = run_cli("batch", inp, "-s", "city-2023", "-o", out, "--workers", "2", "--lang", "en")
    assert res.exit_code == 130
    rows = read_out(out)
    assert rows[-1]["summary"]["quota_applied"] is False
    body = rows[:-1]
    assert [r["source"] for r in body] == list(range(1, len(body) + 1)) and len(body) <= 100
    assert "Interrupted" in res.stderr


def _written(folder: Path) -> int:
    """Bytes written so far to the temporary file of OUT (``.out.jsonl.*.tmp`` beside it)."""
    return sum(p.stat().st_size for p in folder.glob(".out.jsonl.*.tmp"))


def test_sigint_to_a_running_batch(tmp_path: Path) -> None:
    """A real Ctrl-C (SIGINT) to ``starrules batch`` in a subprocess with two workers."""
    inp = write_jsonl(tmp_path / "in.jsonl", generated_lines(3000, seed=9))
    out = tmp_path / "out.jsonl"
    exe = Path(sys.executable).with_name("starrules")
    proc = subprocess.Popen([str(exe), "batch", str(inp), "-s", "prov-2023", "-o", str(out), "--workers", "2",
                             "--lang", "en"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _written(tmp_path) < 2_000_000:
        time.sleep(0.2)  # rows stream (no quota) in blocks of 1 MiB, to a temporary file beside OUT
    assert not out.exists()  # OUT appears under its name only when the run is over
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    rows = read_out(out)
    assert "summary" in rows[-1] and rows[-1]["summary"]["rows"] == len(rows) - 1
    assert 0 < len(rows) - 1 < 3000
    assert [r["source"] for r in rows[:-1]] == list(range(1, len(rows)))
    assert os.path.getsize(out) > 0
