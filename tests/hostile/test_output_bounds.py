"""Output stays bounded whatever the facts: undeclared keys are counted past 50, evidence
lists end in "… and N more" past 200 ids, next-star's search has a work budget."""

from __future__ import annotations

from typing import Any

import pytest

import starrules
from starrules._evaluate import evaluate as ev
import importlib

ns = importlib.import_module("starrules._explain.next_star")
from starrules._facts import validate

from batch._support import example

STD = starrules.load_standard("prov-2023")


def _undeclared(doc: dict[str, Any]) -> int:
    return [w.code for w in starrules.evaluate(STD, doc).warnings].count("facts-undeclared")


def test_many_undeclared_keys_give_a_bounded_number_of_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _undeclared(example("three-star-branch"))
    doc = example("three-star-branch")
    for i in range(5000):
        doc[f"stray_{i:05d}"] = i
    for m in doc["members"]:
        m.update({f"x{i}": i for i in range(30)})
    result = starrules.evaluate(STD, doc)
    undeclared = [w for w in result.warnings if w.code == "facts-undeclared"]
    (more,) = [w for w in result.warnings if w.code == "facts-undeclared-more"]
    assert len(undeclared) == validate.MAX_UNDECLARED
    assert f"{5000 + 30 + base - validate.MAX_UNDECLARED} more keys" in more.message.en
    assert len(result.model_dump_json()) < 200_000


def test_a_few_undeclared_keys_are_listed_one_by_one() -> None:
    base = _undeclared(example("three-star-branch"))
    doc = example("three-star-branch")
    doc.update({f"stray_{i}": i for i in range(3)})
    codes = [w.code for w in starrules.evaluate(STD, doc).warnings]
    assert codes.count("facts-undeclared") == base + 3 and "facts-undeclared-more" not in codes


def test_long_evidence_lists_end_with_a_count() -> None:
    doc = example("three-star-branch")
    doc["members"] = [{"id": f"M{i:04d}", "status": "formal", "training_hours": 1} for i in range(500)]
    result = starrules.evaluate(STD, doc)
    lists = [ids for ind in result.indicators for ids in ind.evidence.values()]
    assert lists and all(len(ids) <= ev.MAX_EVIDENCE + 1 for ids in lists)
    long = [ids for ids in lists if len(ids) == ev.MAX_EVIDENCE + 1]
    assert long, "the 500 members short of hours are evidence somewhere"
    for ids in long:
        assert isinstance(ids[-1], str) and ids[-1].startswith("… and ") and ids[-1].endswith(" more")
        assert int(ids[-1].split()[2]) >= 1
    assert starrules.evaluate(STD, doc).model_dump_json() == result.model_dump_json()  # stable


def test_next_star_stops_at_its_work_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = example("three-star-branch")
    full = starrules.next_star(STD, doc, lang="en")
    rates: list[int] = []
    real = ns.rerate

    def counting(*a: Any, **k: Any) -> Any:
        rates.append(1)
        return real(*a, **k)

    monkeypatch.setattr(ns, "rerate", counting)
    n_rows = len(STD.indicator_ids)
    monkeypatch.setattr(ns, "WORK_BUDGET", 3 * n_rows)
    bounded = starrules.next_star(STD, doc, lang="en")
    assert bounded.reachable == full.reachable
    if full.reachable:
        assert bounded.options and not bounded.exhaustive
        assert {c.id for c in full.options[0].changes} <= {c.id for c in bounded.options[0].changes}
    assert len(rates) <= 3 + 6  # the budget, then a handful of re-ratings to build the answer
