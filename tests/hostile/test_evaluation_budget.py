"""Evaluation is bounded: nested loops over large constant ranges are refused at load
(rule-too-costly), ranges built from the facts count against the branch's budget, and
fractions cannot grow without bound.  Asserted by the budgets, never by wall time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules import EvaluationError, StandardError
from starrules._lang import compile as lang_compile
from starrules._lang import cost, values

MINI = (Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "mini.yaml").read_text(encoding="utf-8")
FACTS = {"branch": {"id": "x"}, "year": 2023, "members": [], "meetings_held": 3}


def standard(tmp_path: Path, rule: str) -> starrules.Standard:
    path = tmp_path / "standard.yaml"
    path.write_text(MINI.replace("meetings_held >= $meetings_min", rule), encoding="utf-8")
    return starrules.load_standard(path)


def load_problem(tmp_path: Path, rule: str) -> Any:
    with pytest.raises(StandardError) as exc:
        standard(tmp_path, rule)
    (p,) = exc.value.problems
    return p


@pytest.mark.parametrize("rule", [
    "all(1..100000 as a, all(1..100000 as b, a + b > meetings_held))",
    "count(1..1000 where all(1..10000 as b, b > 0)) > meetings_held",
    "any(1..2000 as a, count(1..1000 where it > a) > meetings_held)",
])
def test_nested_loops_over_large_ranges_are_refused_at_load(rule: str, tmp_path: Path) -> None:
    p = load_problem(tmp_path, rule)
    assert (p.code, p.path) == ("rule-too-costly", "ACT-01.rule")
    assert p.params["_en"].startswith("the rule would repeat its inner part")


def test_a_definition_holding_a_large_range_counts(tmp_path: Path) -> None:
    text = MINI.replace("definitions:\n", "definitions:\n  R: 1..100000\n").replace(
        "meetings_held >= $meetings_min", "all(R as a, all(R as b, a != b or a > meetings_held))")
    path = tmp_path / "standard.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StandardError) as exc:
        starrules.load_standard(path)
    assert [p.code for p in exc.value.problems] == ["rule-too-costly"]


def test_ordinary_loops_are_fine(tmp_path: Path) -> None:
    std = standard(tmp_path, "all(1..12 as m, all(1..4 as q, m + q > 0)) and count(1..1000) > meetings_held")
    assert starrules.evaluate(std, FACTS).indicators[1].status == "PASS"


def test_the_cost_bound_is_the_product_of_the_ranges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rule = "all(1..10 as a, all(1..10 as b, a + b > 0))"
    monkeypatch.setattr(cost, "MAX_COST", 100)
    standard(tmp_path, rule)
    monkeypatch.setattr(cost, "MAX_COST", 99)
    assert load_problem(tmp_path, rule).code == "rule-too-costly"


@pytest.mark.parametrize("rule", [
    "all(1..100000 as a, all(1..a as b, b > 0))",
    "all(1..meetings_held * 30000 as a, count(1..meetings_held * 30000) > 0)",
])
def test_ranges_built_per_item_spend_the_branch_budget(rule: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lang_compile, "MAX_BRANCH_RANGE", 50_000)  # a smaller budget: same code path
    std = standard(tmp_path, rule)
    with pytest.raises(EvaluationError) as exc:
        starrules.evaluate(std, FACTS)
    (p,) = exc.value.problems
    assert p.code == "eval-error" and p.params["indicator"] == "ACT-01"
    assert "range elements" in p.message("en")
    # the budget belongs to one branch: the next branch starts afresh, and other standards are unaffected
    assert starrules.evaluate(standard(tmp_path, "count(1..meetings_held * 1000) > 0"), FACTS).indicators[1].status == "PASS"


def test_a_constant_range_is_still_built_once_at_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lang_compile, "MAX_BRANCH_RANGE", 10)
    std = standard(tmp_path, "longest_run(1..12 - 1..3) == 9 and count(1..50000) > meetings_held")
    for _ in range(3):
        assert starrules.evaluate(std, FACTS).indicators[1].status == "PASS"


def test_fractions_cannot_grow_without_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "_FRACTION_BITS", 200)
    std = standard(tmp_path, "sum(1..1000 as a, 1 / a) > meetings_held")
    with pytest.raises(EvaluationError) as exc:
        starrules.evaluate(std, FACTS)
    assert "more than 1000 digits" in exc.value.problems[0].message("en")
    small = standard(tmp_path, "sum(1..10 as a, 1 / a) > 2")
    assert starrules.evaluate(small, FACTS).indicators[1].status == "PASS"
