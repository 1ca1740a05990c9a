"""Reading is bounded and touches regular files only (issue 20: "bounded time and memory")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules import FactsError, StandardError, VerifyError
from starrules._batch import sources, workers
from starrules._facts.read import MAX_FACTS_BYTES

from ._support import FACTS, REPO, example, json_line, no_traceback, read_out, write_jsonl

SRC = REPO / "src"


def _codes(exc: Any) -> list[str]:
    return [p.code for p in exc.value.problems]


@pytest.mark.parametrize("reader", ["facts", "standard", "verify"])
def test_dev_zero_is_refused_not_read(reader: str) -> None:
    call = {"facts": lambda: starrules.validate_facts(starrules.load_standard("prov-2023"), "/dev/zero"),
            "standard": lambda: starrules.load_standard(Path("/dev/zero")),
            "verify": lambda: starrules.verify("/dev/zero")}[reader]
    with pytest.raises((FactsError, StandardError, VerifyError)) as info:
        call()
    assert _codes(info) == ["not-a-regular-file"]
    assert info.value.problems[0].file == "/dev/zero"


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "facts.yaml")
    os.mkfifo(tmp_path / "std.yaml")
    code = """
import starrules
for call in (lambda: starrules.evaluate("prov-2023", "facts.yaml"), lambda: starrules.load_standard("std.yaml")):
    try:
        call()
    except starrules.StarrulesError as exc:
        print(exc.problems[0].code)
"""
    out = _run(code, tmp_path)  # a blocking open would hang here until the timeout
    assert out.stdout.split() == ["not-a-regular-file", "not-a-regular-file"], out.stderr


def test_a_fifo_in_a_batch_folder_is_an_error_row(tmp_path: Path, run_cli: Any) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(FACTS.read_bytes())
    os.mkfifo(folder / "b.json")
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", folder, "-s", "prov-2023", "-o", out, "--lang", "en")
    no_traceback(res)
    assert res.exit_code == 1
    rows = read_out(out)
    assert "result" in rows[0] and rows[1]["error"][0]["code"] == "not-a-regular-file"


def test_a_fifo_as_batch_input_is_refused(tmp_path: Path, run_cli: Any) -> None:
    os.mkfifo(tmp_path / "in.jsonl")
    res = run_cli("batch", tmp_path / "in.jsonl", "-s", "prov-2023", "-o", tmp_path / "out.jsonl")
    no_traceback(res)
    assert res.exit_code == 1 and "not-a-regular-file" in res.stderr


def test_a_folder_that_cannot_be_read_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "z").mkdir()
    (folder / "a.yaml").write_bytes(FACTS.read_bytes())
    (folder / "z" / "b.yaml").write_bytes((REPO / "examples" / "pending-branch.yaml").read_bytes())
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path).endswith("locked"):  # as for a folder without read permission (root reads them all)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(sources.iter_input(folder))
    assert [(kind, Path(label).name) for label, kind, _ in items] == [("path", "a.yaml"), ("error", "locked"),
                                                                      ("path", "b.yaml")]
    with pytest.raises(FactsError) as info:
        sources.load("error", items[1][2])
    assert _codes(info) == ["file-unreadable"] and "Permission denied" in info.value.problems[0].message("en")
    got = list(starrules.evaluate_many("prov-2023", folder))
    assert [i.ok for i in got] == [True, False, True]


def test_a_jsonl_line_longer_than_the_limit_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_FACTS_BYTES", 1000)
    big = {"branch": {"id": "big"}, "year": 2023, "pad": "x" * 5000}
    inp = write_jsonl(tmp_path / "in.jsonl", [example("pending-branch"), big, example("veto-branch")])
    items = list(sources.iter_input(inp))
    assert [label for label, _, _ in items] == [1, 2, 3]
    assert items[1][2] == (str(inp), len(json_line(big)) + 1)  # its size only, not its bytes
    with pytest.raises(FactsError) as info:
        sources.load("line", items[1][2])
    assert _codes(info) == ["file-too-large"]


def test_a_facts_file_is_read_up_to_its_limit_only(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(MAX_FACTS_BYTES + 10)  # sparse: 16 MiB of NUL bytes
    with pytest.raises(FactsError) as info:
        starrules.validate_facts(starrules.load_standard("prov-2023"), big)
    assert _codes(info) == ["file-too-large"] and info.value.problems[0].params["size"] == MAX_FACTS_BYTES + 10


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize("bom", [True, False])
def test_utf16_facts_are_an_encoding_error(tmp_path: Path, suffix: str, bom: bool) -> None:
    text = json.dumps({"branch": {"id": "a"}, "year": 2023})
    path = tmp_path / f"f{suffix}"
    path.write_bytes(text.encode("utf-16" if bom else "utf-16-le"))
    with pytest.raises(FactsError) as info:
        starrules.validate_facts(starrules.load_standard("prov-2023"), path)
    assert _codes(info) == ["encoding"]


def test_a_utf16_jsonl_line_is_an_encoding_error(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(json_line(example("pending-branch")).encode() + b"\n"
                    + '{"branch": {"id": "a"}}'.encode("utf-16-le") + b"\n")
    got = list(starrules.evaluate_many("prov-2023", inp))
    assert got[0].ok and got[1].error is not None and got[1].error[0]["code"] == "encoding"


def test_workers_are_clamped_to_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(workers, "default_workers", lambda: 2)
    monkeypatch.setattr(workers, "_rate_parallel", lambda ref, mode, it, n, chunk, *rest: seen.append(n) or iter(()))
    std = starrules.load_standard("prov-2023")
    ref, pre = workers.resolve(std, ())
    list(workers.rate_all(ref, pre, "model", iter([(0, None, "doc", {})]), workers=64, parallel_min=1))
    assert seen == [2]
