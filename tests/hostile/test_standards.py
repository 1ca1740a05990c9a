"""Hostile standards: located errors at load, never a traceback — a chain of 400 definitions,
huge numbers, a star step that is not a whole number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules import StandardError

MINI = (Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "mini.yaml").read_text(encoding="utf-8")


def load(tmp_path: Path, text: str) -> starrules.Standard:
    path = tmp_path / "standard.yaml"
    path.write_text(text, encoding="utf-8")
    return starrules.load_standard(path)


def problems(tmp_path: Path, text: str) -> list[Any]:
    with pytest.raises(StandardError) as exc:
        load(tmp_path, text)
    for p in exc.value.problems:
        assert p.message("zh") and p.message("en") and p.fix("zh") and p.fix("en") and p.line
    return list(exc.value.problems)


def test_400_chained_definitions_are_one_located_problem(tmp_path: Path) -> None:
    chain = "definitions:\n  D0: count(members)\n" + "".join(f"  D{i}: D{i - 1} + 1\n" for i in range(1, 400))
    text = MINI.replace("definitions:\n", chain).replace("count(F) >= $min_members", "D399 >= 3")
    (p,) = problems(tmp_path, text)
    assert (p.code, p.path) == ("rule-too-deep", "definitions.D32")


def test_400_chained_definitions_in_reverse_order(tmp_path: Path) -> None:
    chain = "definitions:\n" + "".join(f"  D{i}: D{i - 1} + 1\n" for i in range(399, 0, -1)) + "  D0: count(members)\n"
    text = MINI.replace("definitions:\n", chain).replace("count(F) >= $min_members", "D399 >= 3")
    assert {p.code for p in problems(tmp_path, text)} == {"rule-too-deep"}


def test_a_chain_within_the_limit_loads_and_evaluates(tmp_path: Path) -> None:
    chain = "definitions:\n  D0: count(members)\n" + "".join(f"  D{i}: D{i - 1} + 1\n" for i in range(1, 31))
    std = load(tmp_path, MINI.replace("definitions:\n", chain).replace("count(F) >= $min_members", "D30 >= 3"))
    result = starrules.evaluate(std, {"branch": {"id": "x"}, "year": 2023, "members": []})
    assert result.indicators[0].status == "PASS"


def test_a_400_definition_cycle_is_located(tmp_path: Path) -> None:
    chain = "definitions:\n  D0: D399 + 1\n" + "".join(f"  D{i}: D{i - 1} + 1\n" for i in range(1, 400))
    text = MINI.replace("definitions:\n", chain).replace("count(F) >= $min_members", "D3 >= 3")
    assert {p.code for p in problems(tmp_path, text)} <= {"rule-too-deep", "rule-cycle"}


@pytest.mark.parametrize("value", ["1e5000", "1e999999", "9" * 5000, "-0.1e-200"], ids=["1e5000", "1e999999",
                                                                                       "9x5000", "tiny"])
def test_a_huge_number_in_a_standard_is_located(value: str, tmp_path: Path) -> None:
    (p,) = problems(tmp_path, MINI.replace("value: 4,", f"value: {value},"))
    assert (p.code, p.path) == ("number-too-large", "parameters.meetings_min.value")


@pytest.mark.parametrize("literal", ["9" * 5000, "1" * 200 + ".5"], ids=["int", "decimal"])
def test_a_huge_number_in_a_rule_is_a_syntax_problem(literal: str, tmp_path: Path) -> None:
    (p,) = problems(tmp_path, MINI.replace("meetings_held >= $meetings_min", f"meetings_held >= {literal}"))
    assert (p.code, p.path) == ("rule-syntax", "ACT-01.rule")
    assert "too many digits" in p.message("en")


@pytest.mark.parametrize("step", ["'5.0'", "'lit_count() / 2'", "'4.5'"])
def test_a_star_step_must_be_a_whole_number(step: str, tmp_path: Path) -> None:
    (p,) = problems(tmp_path, MINI.replace("  stars:\n    - lit_count()", f"  stars:\n    - {step}"))
    assert (p.code, p.path) == ("rule-type", "rating.stars[0]")


def test_stars_given_as_5_0_are_refused_everywhere(tmp_path: Path) -> None:
    city = (Path(__file__).resolve().parents[2] / "standards" / "city-2023.yaml").read_text(encoding="utf-8")
    (p,) = problems(tmp_path, city.replace("  quota:\n    stars: 5\n", "  quota:\n    stars: 5.0\n"))
    assert (p.code, p.path) == ("wrong-type", "rating.quota.stars")
    cap = MINI.replace("    rule: meetings_held >= $meetings_min\n",
                       "    rule: meetings_held >= $meetings_min\n    cap: 4.0\n").replace("kind: star", "kind: cap", 1)
    (p,) = problems(tmp_path, cap)
    assert p.code == "kind-field" and "whole number" in p.message("en")
