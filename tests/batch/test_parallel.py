"""Worker processes give exactly the rows a serial run gives, in the same order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules._batch import workers
from starrules._batch.run import BatchRun
from starrules._batch.sources import iter_input
from starrules._batch.workers import result_line

from ._support import example, five_star, generated_lines, json_line, write_jsonl


def mixed_lines() -> list[str]:
    lines = generated_lines(150, seed=5)
    extra = [json_line(five_star(f"Q{i:02d}", 85 + i % 15)) for i in range(40)]  # > 30 % five stars
    lines[10:10] = ['{"broken": ', json_line({**example("three-star-branch"), "year": "x"})]
    lines[60:60] = extra[:20]
    lines += extra[20:] + [lines[0], json_line(example("veto-branch"))]  # lines[0] again: a duplicate
    return lines


@pytest.fixture()
def spy_parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = workers._rate_parallel

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[3])
        return original(*args, **kwargs)

    monkeypatch.setattr(workers, "_rate_parallel", spy)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 0)
    return calls


def out_lines(path: Path, n_workers: int, mode: str = "json", chunk: int | None = None) -> list[Any]:
    with BatchRun("city-2023", iter_input(path), mode=mode, workers=n_workers) as run:
        return [(row.index, row.source, row.payload, row.error, row.meta) for row in run]


def test_json_rows_identical(tmp_path: Path, spy_parallel: list[int]) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", mixed_lines())
    serial = out_lines(path, 1)
    assert spy_parallel == []
    parallel = out_lines(path, 2)
    assert spy_parallel == [2]
    assert serial == parallel
    assert len(serial) == len(mixed_lines())
    assert [r[0] for r in serial] == list(range(len(serial)))
    assert sum(1 for r in serial if r[3]) == 3  # malformed, wrong type, duplicate
    demoted = [r for r in serial if r[4] and b'"demoted":true' in r[2]]
    assert demoted  # the quota did demote some


def test_models_identical_and_equal_to_the_json_rows(tmp_path: Path, spy_parallel: list[int]) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", mixed_lines())
    serial = list(starrules.evaluate_many("city-2023", path, workers=1))
    parallel = list(starrules.evaluate_many("city-2023", path, workers=2))
    assert spy_parallel == [2]
    assert [i.index for i in parallel] == [i.index for i in serial]
    for a, b in zip(serial, parallel):
        assert a.source == b.source and a.error == b.error
        assert (a.result is None) == (b.result is None)
        if a.result is not None:
            assert a.result == b.result
            assert a.result.model_dump_json() == b.result.model_dump_json()
    # the CLI's OUT lines are the models' JSON, byte for byte (quota applied or not)
    rows = out_lines(path, 1)
    for item, row in zip(serial, rows):
        if item.result is not None:
            assert row[2] == result_line(item.source, item.result)
            assert json.loads(row[2])["result"] == json.loads(item.result.model_dump_json())
            assert item.result.model_dump_json().encode() in row[2]


def test_a_standard_object_is_reloaded_by_the_workers(tmp_path: Path, spy_parallel: list[int]) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", generated_lines(40, seed=2))
    std = starrules.load_standard("prov-2023")
    items = list(starrules.evaluate_many(std, path, workers=2))
    assert spy_parallel == [2] and all(i.ok for i in items)
    assert json.loads(items[0].result.model_dump_json())["standard"]["sha256"] == std.sha256


def test_a_standard_the_workers_cannot_reload_is_rated_here(tmp_path: Path, spy_parallel: list[int]) -> None:
    src = Path(starrules.__file__).resolve().parents[2] / "standards" / "prov-2023.yaml"
    own = tmp_path / "mine.yaml"
    own.write_text(src.read_text(encoding="utf-8").replace("id: prov-2023", "id: mine-2023", 1), encoding="utf-8")
    std = starrules.load_standard(own)
    items = list(starrules.evaluate_many(std, [example("three-star-branch")] * 1, workers=2))
    assert spy_parallel == [] and items[0].ok


def test_few_documents_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[int] = []
    monkeypatch.setattr(workers, "_rate_parallel", lambda *a, **k: called.append(1))
    items = list(starrules.evaluate_many("prov-2023", [example("three-star-branch")], workers=4))
    assert called == [] and items[0].ok
