"""One bad document is one error row: an unexpected exception while rating one document of a
batch becomes an ``internal-error`` row, and every other row is still there (quota too)."""

from __future__ import annotations

from typing import Any

import pytest

import starrules
from starrules._batch import workers

from batch._support import example


def _explode_on(branch_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = workers.evaluate_facts

    def evaluate_facts(cs: Any, vf: Any, **kw: Any) -> Any:
        if vf.branch_id == branch_id:
            raise RuntimeError("boom")
        return real(cs, vf, **kw)

    monkeypatch.setattr(workers, "evaluate_facts", evaluate_facts)


def _docs(n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        doc = example("three-star-branch")
        doc["branch"]["id"] = f"B{i}"
        out.append(doc)
    return out


@pytest.mark.parametrize("std", ["prov-2023", "city-2023"])  # city-2023 has a quota: rows are spooled
def test_an_unexpected_exception_is_one_error_row(std: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _explode_on("B1", monkeypatch)
    items = list(starrules.evaluate_many(std, _docs(3), workers=1))
    assert [i.index for i in items] == [0, 1, 2]
    assert items[0].ok and items[2].ok
    assert not items[1].ok
    (err,) = items[1].error
    assert err["code"] == "internal-error"
    assert "RuntimeError" in err["message"]["en"] and "boom" in err["message"]["en"]
    assert err["fix"]["zh"] and err["fix"]["en"]


def test_an_unexpected_exception_in_a_worker_process_is_one_error_row(monkeypatch: pytest.MonkeyPatch) -> None:
    if workers.sys.platform != "linux":
        pytest.skip("the monkeypatch reaches forked workers only")
    _explode_on("B5", monkeypatch)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 4)
    items = list(starrules.evaluate_many("prov-2023", _docs(12), workers=2))
    assert [i.ok for i in items] == [i != 5 for i in range(12)]
    assert items[5].error[0]["code"] == "internal-error"


def test_workers_are_clamped_to_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class Pool:
        def __init__(self, n: int, **kw: Any) -> None:
            started.append(n)
            raise RuntimeError("stop here")

    class Context:
        Pool = staticmethod(lambda n, **kw: Pool(n, **kw))

    monkeypatch.setattr(workers, "_context", lambda: Context())
    monkeypatch.setattr(workers, "default_workers", lambda: 2)
    monkeypatch.setattr(workers, "PARALLEL_MIN", 4)
    with pytest.raises(RuntimeError, match="stop here"):
        list(starrules.evaluate_many("prov-2023", _docs(8), workers=1000))
    assert started == [2]
