"""The declared rating of prov-2023 (reference-standard.md §4) and city-2023, rule by rule.

Indicator statuses are set directly (``statuses=``) so each test isolates one rating rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from starrules._evaluate.evaluate import evaluate_facts

from ._support import ROOT, standard

EXAMPLE = ROOT / "examples" / "five-star-branch.yaml"


def rate(sid: str, changes: dict[str, tuple[str, Any]], *, base: str = "PASS", facts: dict | None = None):
    std = standard(sid)
    cs = std.compiled
    from starrules._facts.read import read_facts

    doc = facts or read_facts(EXAMPLE)[0]
    vf = cs.validator.validate(doc)
    statuses: dict[str, tuple[str, Any]] = {}
    for ci in cs.indicators:
        if ci.kind == "bonus":
            statuses[ci.id] = ("NA", 0)
        elif ci.kind == "score":
            statuses[ci.id] = ("PASS", ci.spec.max_points)
        else:
            statuses[ci.id] = (base, 0)
    statuses.update(changes)
    return evaluate_facts(cs, vf, facts_sha256="-", statuses=statuses)


def test_all_pass_no_bonus_is_four_stars() -> None:
    res = rate("prov-2023", {})
    assert (res.outcome, res.stars, res.score) == ("met", 4, 60)
    assert all(d.lit for d in res.dimensions)


@pytest.mark.parametrize("kind_id", ["ORG-09", "TEAM-08", "ROLE-07", "INST-08"])
def test_a_failed_veto_is_not_met_with_zero_stars(kind_id: str) -> None:
    res = rate("prov-2023", {kind_id: ("FAIL", 0)})
    assert (res.outcome, res.stars, res.score) == ("not_met", 0, None)
    assert [i.id for i in res.rectification_list] == [kind_id]


def test_failed_required_beats_unknown() -> None:
    res = rate("prov-2023", {"ORG-01": ("FAIL", 0), "ORG-05": ("UNKNOWN", 0)})
    assert res.outcome == "not_met"
    assert [i.id for i in res.rectification_list] == ["ORG-01"]


@pytest.mark.parametrize("ind", ["ORG-01", "ORG-09", "TEAM-09"])
def test_unknown_required_veto_or_deduction_is_pending(ind: str) -> None:
    res = rate("prov-2023", {ind: ("UNKNOWN", 0)})
    assert (res.outcome, res.stars, res.score) == ("pending", None, None)


def test_unknown_star_or_bonus_does_not_make_pending() -> None:
    res = rate("prov-2023", {"ORG-02": ("UNKNOWN", 0), "ROLE-09": ("UNKNOWN", 0)})
    assert res.outcome == "met"
    assert not next(d for d in res.dimensions if d.id == "ORG").lit


def test_lit_needs_one_pass_and_no_fail_or_unknown() -> None:
    # SUP: star indicators SUP-02 and SUP-05
    assert next(d for d in rate("prov-2023", {"SUP-02": ("NA", 0), "SUP-05": ("NA", 0)}).dimensions
                if d.id == "SUP").lit is False
    assert next(d for d in rate("prov-2023", {"SUP-02": ("NA", 0)}).dimensions if d.id == "SUP").lit is True
    assert next(d for d in rate("prov-2023", {"SUP-02": ("FAIL", 0)}).dimensions if d.id == "SUP").lit is False


def test_five_stars_need_six_lit_role_bonus_two_and_no_deduction() -> None:
    assert rate("prov-2023", {"ROLE-09": ("PASS", 2)}).stars == 5
    assert rate("prov-2023", {"ROLE-09": ("PASS", 1)}).stars == 4  # B < 2
    assert rate("prov-2023", {"ROLE-09": ("PASS", 2), "TEAM-09": ("FAIL", 2)}).stars == 4  # D > 0
    # L = 5 with ROLE lit is enough
    assert rate("prov-2023", {"ROLE-09": ("PASS", 2), "SUP-02": ("FAIL", 0)}).stars == 5
    # L = 5 without ROLE is not
    assert rate("prov-2023", {"ROLE-09": ("PASS", 2), "ROLE-02": ("FAIL", 0)}).stars == 4


def test_port_group_five_star_gate_needs_bonus_three() -> None:
    assert rate("port-group-2023", {"ROLE-09": ("PASS", 2)}).stars == 4
    assert rate("port-group-2023", {"ROLE-09": ("PASS", 3)}).stars == 5


def test_deduction_of_three_costs_a_star_and_caps_at_ten() -> None:
    res = rate("prov-2023", {"TEAM-09": ("FAIL", 2)})
    assert (res.stars, res.score) == (4, 58)
    res = rate("prov-2023", {"TEAM-09": ("FAIL", 2), "ACT-11": ("FAIL", 1)})
    assert (res.stars, res.score) == (3, 57)
    res = rate("prov-2023", {"TEAM-09": ("FAIL", 6), "ACT-11": ("FAIL", 3), "INST-07": ("FAIL", 5)})
    assert res.rating_values["D"] == 10 and res.score == 50


def test_bonus_caps_at_ten() -> None:
    res = rate("prov-2023", {"ROLE-09": ("PASS", 5), "ROLE-10": ("PASS", 8)})
    assert res.rating_values["B"] == 10 and res.score == 70


def test_stars_never_below_zero() -> None:
    changes = {i: ("FAIL", 0) for i in ("ORG-02", "ORG-08", "TEAM-04", "TEAM-06", "TEAM-07", "ACT-03", "ACT-06",
                                       "ACT-09", "ROLE-01", "ROLE-02", "ROLE-04", "ROLE-06", "INST-05", "INST-06",
                                       "SUP-02", "SUP-05")}
    changes["TEAM-09"] = ("FAIL", 4)
    res = rate("prov-2023", changes)
    assert (res.outcome, res.stars, res.score) == ("met", 0, -4)


def _city_facts(review: str, brand: str = "group") -> dict:
    from starrules._facts.read import read_facts

    doc = read_facts(EXAMPLE)[0]
    return {**doc, "review_score": Decimal(review), "brand_level": brand}


@pytest.mark.parametrize(("review", "stars"), [("76", 5), ("75.9", 4)])
def test_city_band_edges_are_exact(review: str, stars: int) -> None:
    # base 96 (ACT-C2 earns 8 of 12): S = 0.7 × 96 + 0.3 × review; 76 → exactly 90 (not 89.999…)
    res = rate("city-2023", {"ACT-C2": ("FAIL", 8)}, facts=_city_facts(review))
    assert res.rating_values["S"] == Decimal("67.2") + Decimal("0.3") * Decimal(review)
    assert res.stars == stars


@pytest.mark.parametrize(("deduction", "review", "stars"), [
    (20, "80", 4), (20, "79.9", 3), (30, "70", 3), (30, "69.9", 2), (40, "60", 2), (40, "59.9", 1)])
def test_city_lower_band_edges(deduction: int, review: str, stars: int) -> None:
    # S = 0.7 × (100 − D) + 0.3 × review lands exactly on 80, 70, 60
    res = rate("city-2023", {"TEAM-D1": ("FAIL", deduction)}, facts=_city_facts(review))
    assert res.stars == stars


def test_city_five_stars_need_a_known_brand() -> None:
    assert rate("city-2023", {}, facts=_city_facts("100", "none")).stars == 4
    doc = _city_facts("100")
    del doc["brand_level"]
    res = rate("city-2023", {}, facts=doc)
    assert (res.outcome, res.stars) == ("met", 4)  # unknown brand: not pending, no fifth star


def test_city_failed_cap_limits_stars() -> None:
    assert rate("city-2023", {}, facts=_city_facts("100")).stars == 5
    assert rate("city-2023", {"ROLE-C4": ("FAIL", 0)}, facts=_city_facts("100")).stars == 2


def test_city_deductions_larger_than_base_floor_at_zero() -> None:
    res = rate("city-2023", {"TEAM-D1": ("FAIL", 150)}, facts=_city_facts("50"))
    assert res.rating_values["S"] == 15 and res.stars == 1


def test_city_unknown_review_score_is_pending() -> None:
    doc = _city_facts("80")
    del doc["review_score"]
    res = rate("city-2023", {}, facts=doc)
    assert (res.outcome, res.stars, res.score) == ("pending", None, None)
    assert "review_score" in res.facts_to_verify


def test_city_unknown_score_item_is_pending() -> None:
    assert rate("city-2023", {"ACT-C2": ("UNKNOWN", 0)}).outcome == "pending"
    assert rate("city-2023", {"ROLE-C4": ("UNKNOWN", 0)}).outcome == "pending"
    assert rate("city-2023", {"ORG-V1": ("FAIL", 0)}).outcome == "not_met"
