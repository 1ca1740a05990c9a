"""starrules.dask.rate on a LocalCluster gives, row for row, what ``starrules batch`` gives."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import starrules
import starrules.dask as sd
from starrules._dask.rate import _evaluator

from ._support import REPO, batch_lines, documents, write_jsonl


def test_jsonl_with_broken_rows_duplicates_and_the_quota(client: Any, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "b.jsonl", documents(400, seed=1))
    want = batch_lines("city-2023", path)
    got = sd.rate(path, "city-2023", lines_per_partition=37).compute()
    assert got == want
    # the population rules were in play: error rows, a duplicate, quota decisions
    assert any('"json-syntax"' in line for line in got)
    assert any('"batch-duplicate-branch"' in line for line in got)
    assert any('"demoted":true' in line for line in got)


def test_the_standard_is_compiled_once_per_worker(client: Any, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "b.jsonl", documents(120, seed=2))
    sd.rate(path, "prov-2023", lines_per_partition=10).compute()
    misses = client.run(lambda: _evaluator.cache_info().misses)
    assert all(m <= 2 for m in misses.values())  # one per standard reference used in this worker
    assert sum(misses.values()) >= 1


def test_a_family_picks_the_version_per_document(client: Any, tmp_path: Path) -> None:
    docs = documents(60, seed=3, year=2023) + documents(60, seed=4, year=2024)
    path = write_jsonl(tmp_path / "b.jsonl", docs)
    assert sd.rate(path, "prov", lines_per_partition=25).compute() == batch_lines("prov", path)


def test_compressed_jsonl_is_rated_like_the_plain_file(client: Any, tmp_path: Path) -> None:
    plain = write_jsonl(tmp_path / "b.jsonl", documents(80, seed=5))
    packed = tmp_path / "b.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    got = sd.rate(str(packed), "city-2023").compute()
    want = [line.replace(json.dumps(str(plain))[1:-1], json.dumps(str(packed))[1:-1])
            for line in batch_lines("city-2023", plain)]
    assert got == want


def test_several_files_label_rows_with_their_file(client: Any, tmp_path: Path) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", documents(30, seed=6))
    b = write_jsonl(tmp_path / "b.jsonl", documents(30, seed=7))
    got = [json.loads(line) for line in sd.rate([a, b], "prov-2023").compute()]
    assert got[0]["source"] == f"{a}:1"
    assert got[-1]["source"].startswith(f"{b}:")
    # a branch id seen in a.jsonl is a duplicate in b.jsonl
    dup = [row for row in got if "error" in row and row["error"][0]["code"] == "batch-duplicate-branch"]
    assert any(f"{a}:" in row["error"][0]["message"]["en"] for row in dup if str(row["source"]).startswith(str(b)))


def test_a_bag_of_documents(client: Any) -> None:
    import dask.bag as db

    docs = documents(90, seed=8)
    got = sd.rate(db.from_sequence(docs, npartitions=4), "city-2023").compute()
    assert got == batch_lines("city-2023", docs)


def test_parquet_with_nested_columns(client: Any, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = documents(50, seed=9)
    docs = [d for d in docs if isinstance(d["year"], int)]  # Arrow columns have one type
    for d in docs:
        d["branch"]["id"] = f"{d['branch']['id']}-{id(d)}"
    table = pa.Table.from_pylist(docs)
    path = tmp_path / "facts.parquet"
    pq.write_table(table, path, row_group_size=16)
    got = [json.loads(line) for line in sd.rate(str(path), "prov-2023").compute()]
    want = list(starrules.evaluate_many("prov-2023", [(n, d) for n, d in enumerate(
        table.to_pylist(), 1)]))
    assert [row["source"] for row in got] == list(range(1, len(docs) + 1))
    for row, item in zip(got, want):
        if item.result is None:
            assert "error" in row
        else:
            assert row["result"]["stars"] == item.result.stars
            assert row["result"]["outcome"] == item.result.outcome


def test_a_folder_of_facts_files(client: Any) -> None:
    got = sd.rate(REPO / "examples", "prov-2023").compute()
    assert got == batch_lines("prov-2023", REPO / "examples")


def test_dataframe_and_parquet_outputs(client: Any, tmp_path: Path) -> None:
    import pandas as pd

    path = write_jsonl(tmp_path / "b.jsonl", documents(60, seed=10))
    lines = sd.rate(path, "city-2023", lines_per_partition=20)
    frame = sd.to_dataframe(lines).compute()
    batch = batch_lines("city-2023", path)
    want = [json.loads(line) for line in batch]
    assert list(frame["line"]) == batch
    assert list(frame["outcome"]) == [row["result"]["outcome"] if "result" in row else "error" for row in want]
    assert list(frame["stars"].astype(object).where(frame["stars"].notna(), None)) == [
        row["result"]["stars"] if "result" in row else None for row in want]
    sd.write_parquet(lines, tmp_path / "pq")
    back = pd.read_parquet(tmp_path / "pq")
    assert list(back["line"]) == batch
    files = sd.write_jsonl(lines, tmp_path / "jsonl")
    text = "".join(Path(f).read_text(encoding="utf-8") for f in sorted(files))
    assert [json.loads(x) for x in text.splitlines()] == want


def test_quota_per_scope(client: Any, tmp_path: Path) -> None:
    """``rating.quota.scope: branch.unit``: each unit gets its own quota, in batch and on Dask alike."""
    text = (REPO / "standards" / "city-2023.yaml").read_text(encoding="utf-8")
    text = text.replace("id: city-2023", "id: unitcity-2023").replace("family: city", "family: unitcity")
    assert "rank_by:" in text
    text = text.replace("  quota:\n", "  quota:\n    scope: branch.unit\n", 1)
    std_path = tmp_path / "unitcity-2023.yaml"
    std_path.write_text(text, encoding="utf-8")
    std = str(std_path)  # the workers load it by its path
    docs = documents(300, seed=11)
    want = batch_lines(std, docs)
    rows = [json.loads(line) for line in want]
    per_unit: dict[str, list[Any]] = {}
    for row in rows:
        if "result" in row:
            per_unit.setdefault(row["result"]["branch"]["unit"], []).append(row["result"])
    assert len(per_unit) > 1
    for unit, results in per_unit.items():
        five = sum(r["stars"] == 5 for r in results)
        assert five <= max(1, (3 * len(results)) // 10), unit
        noted = [r for r in results if r["quota"] is not None]
        assert all(r["quota"]["rated"] == len(results) for r in noted), unit
        assert all(f"（{unit}）" in r["quota"]["note"]["zh"] for r in noted)
    import dask.bag as db

    got = sd.rate(db.from_sequence(docs, npartitions=5), std).compute()
    assert got == want


@pytest.mark.parametrize("engine_args", [["--engine", "dask", "--workers", "2"]])
def test_cli_batch_on_dask_writes_what_batch_writes(engine_args: list[str], tmp_path: Path, run_cli: Any) -> None:
    path = write_jsonl(tmp_path / "b.jsonl", documents(120, seed=12))
    native, dask_out = tmp_path / "native.jsonl", tmp_path / "dask.jsonl"
    r1 = run_cli("batch", path, "-s", "city-2023", "-o", native, "--workers", "1")
    r2 = run_cli("batch", path, "-s", "city-2023", "-o", dask_out, *engine_args)
    assert r1.exit_code == r2.exit_code == 1  # error rows in both
    assert dask_out.read_bytes() == native.read_bytes()
    assert r2.stdout.splitlines()[-1].startswith("结果已写入")
    assert r2.stdout.split("结果已写入")[0] == r1.stdout.split("结果已写入")[0]


def test_a_standard_the_workers_cannot_find_is_a_clear_error(tmp_path: Path) -> None:
    text = (REPO / "standards" / "prov-2023.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mine-2023.yaml"
    path.write_text(text.replace("id: prov-2023", "id: mine-2023").replace("family: prov", "family: mine"),
                    encoding="utf-8")
    with pytest.raises(starrules.EngineError) as info:
        sd.rate(documents(3), starrules.load_standard(path))
    assert info.value.problems[0].code == "dask-error"


def test_cli_unreachable_scheduler_is_a_clear_error(tmp_path: Path, run_cli: Any) -> None:
    path = write_jsonl(tmp_path / "b.jsonl", documents(5, seed=13))
    r = run_cli("batch", path, "-s", "prov-2023", "-o", tmp_path / "o.jsonl", "--engine", "dask",
                "--scheduler", "tcp://127.0.0.1:9", "--lang", "en")
    assert r.exit_code == 1
    assert "dask-error" in r.output and "Traceback" not in r.output


def test_scheduler_needs_the_dask_engine(tmp_path: Path, run_cli: Any) -> None:
    r = run_cli("batch", REPO / "examples", "-s", "prov-2023", "-o", tmp_path / "o.jsonl", "--scheduler", "x")
    assert r.exit_code == 2
