"""next-star on the shipped examples, with answers checked by hand against the policy text
(reference-standard.md §3–§5, score-standard.md)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules._api import read_document
from starrules._explain.next_star import NextStar, upper_bound
from starrules._lang import UNKNOWN

from ._support import cli, example, golden


def ids(ns: NextStar) -> list[list[str]]:
    return [[c.id for c in o.changes] for o in ns.options]


def gap_texts(ns: NextStar, option: int = 0) -> dict[str, list[str]]:
    return {c.id: [g.text for g in c.gaps] for c in ns.options[option].changes}


def facts(name: str, **changes: Any) -> dict[str, Any]:
    doc, _, _ = read_document(example(name))
    return {**doc, **changes}


# -- met: one more star -------------------------------------------------------------------------------------


def test_pharma_prov_two_stars_one_dimension_away() -> None:
    # L = 2 (INST, SUP). ORG fails only ORG-08, ACT only ACT-06 (ACT-03 NA, ACT-09 passes); TEAM
    # would need TEAM-04 and TEAM-07, ROLE four indicators: one change lights a third dimension.
    ns = starrules.next_star("prov-2023", example("pharma-young-branch"))
    assert (ns.outcome, ns.stars, ns.target, ns.target_stars) == ("met", 2, "stars", 3)
    assert ns.reachable and ns.size == 1
    assert ids(ns) == [["ORG-08"], ["ACT-06"]]
    assert all(o.outcome == "met" and o.stars == 3 and o.score == 31 for o in ns.options)
    # the threshold gap in the facts' own terms: 46 of 60 attendances, 80 % needs 48
    act06 = gap_texts(ns, 1)["ACT-06"][0]
    assert "76.67%（46/60）" in act06 and "要求不低于 80%" in act06 and "还需增加 2（46 → 48）" in act06
    assert gap_texts(ns, 0)["ORG-08"] == ["书记是否由单位主要负责人担任需为是（当前为否）"]


def test_three_star_branch_three_ways_to_four() -> None:
    # lit: ACT, ROLE, SUP. ORG fails ORG-08; TEAM fails TEAM-04 (WH03 < 32 h); INST fails INST-06.
    ns = starrules.next_star("prov-2023", example("three-star-branch"), lang="en")
    assert ns.size == 1 and ids(ns) == [["ORG-08"], ["TEAM-04"], ["INST-06"]]
    assert {o.stars for o in ns.options} == {4}
    assert gap_texts(ns, 1)["TEAM-04"] == ["1 non-exempt members with training hours below 32 (WH03: 28 hours)"]
    assert gap_texts(ns, 2)["INST-06"] == [
        "1 rectifications due this year fail: closed given and closed at most due "
        "(R2023-01: closed 2023-10-12, due 2023-09-30)"
    ]


def test_five_stars_is_the_top() -> None:
    ns = starrules.next_star("prov-2023", example("five-star-branch"))
    assert ns.target == "top" and not ns.reachable and ns.options == ()
    assert ns.summary == "已是最高星级（5 星）"


def test_five_star_gate_needs_bonus() -> None:
    # all six lit (ROLE among them), no deduction, but B = 1 < 2: four stars; one more bonus
    # point from either bonus indicator opens the five-star gate.
    doc = facts("five-star-branch", brand_level="none", honours={"branch": "none", "members": 1})
    res = starrules.evaluate("prov-2023", doc)
    assert (res.stars, res.rating_values["B"]) == (4, 1)
    ns = starrules.next_star("prov-2023", doc, lang="en")
    assert ns.size == 1 and ids(ns) == [["ROLE-09"], ["ROLE-10"]]
    role09, role10 = (o.changes[0] for o in ns.options)
    assert (role09.points_from, role09.points_to) == (0, 1)  # the fewest whole points that open the gate
    assert (role10.points_from, role10.points_to) == (1, 2)
    assert all(o.stars == 5 for o in ns.options)
    # the port group's gate is B >= 3
    ns = starrules.next_star("port-group-2023", doc)
    assert [(o.changes[0].id, o.changes[0].points_to) for o in ns.options] == [("ROLE-09", 2), ("ROLE-10", 3)]


def test_deductions_that_cost_stars() -> None:
    # 6 missing records: ACT-11 deducts 3 (its cap), so D = 3: no five stars (D must be 0) and
    # one star less for D >= 3 -> 3 stars.  Clearing the deduction is the one change.
    doc = facts("five-star-branch", missing_records=6)
    assert starrules.evaluate("prov-2023", doc).stars == 3
    ns = starrules.next_star("prov-2023", doc)
    assert ns.target_stars == 4 and ids(ns) == [["ACT-11"]]
    assert ns.options[0].stars == 5
    change = ns.options[0].changes[0]
    assert (change.status_from, change.status_to, change.points_from, change.points_to) == ("FAIL", "PASS", 3, 0)
    assert change.gaps[0].text == "扣 3 分，需不扣分：检查时发现缺失的台账/记录份数：6"


# -- not met: what meeting the standard takes ------------------------------------------------------------------


def test_required_fail_branch_needs_both_required_indicators() -> None:
    ns = starrules.next_star("prov-2023", example("required-fail-branch"))
    assert (ns.outcome, ns.target) == ("not_met", "met")
    assert ns.size == 1 + 1 and ids(ns) == [["ACT-05", "INST-02"]]
    opt = ns.options[0]
    assert (opt.outcome, opt.stars, opt.score) == ("met", 4, Decimal("39.5"))
    gaps = gap_texts(ns)
    assert gaps["ACT-05"] == ["以下月份没有主题党日：7月、8月"]
    assert gaps["INST-02"] == ["年度工作计划制定日期为 2023-04-18，要求不晚于 2023-03-31（晚了 18 天）"]


def test_port_group_tightened_thresholds() -> None:
    # port-group-2023: ORG-08 is required, TEAM-03 needs 90 % (4 of 5 is 80 %: one more member)
    ns = starrules.next_star("port-group-2023", example("pharma-young-branch"), lang="en")
    assert ids(ns) == [["ORG-08", "TEAM-03"]]
    team03 = ns.options[0].changes[1].gaps[0]
    assert team03.change == 1
    assert team03.text == (
        "share of non-exempt members with training hours at least 32 is 80% (4/5), needs at least 90%: "
        "1 more non-exempt members with training hours at least 32"
    )
    assert (ns.options[0].outcome, ns.options[0].stars) == ("met", 3)
    ns = starrules.next_star("port-group-2023", example("three-star-branch"))
    assert ids(ns) == [["ORG-08", "TEAM-03"]] and ns.options[0].stars == 4
    assert "83.33%（5/6）" in ns.options[0].changes[1].gaps[0].text


def test_failed_veto_cannot_be_outweighed() -> None:
    for std_id, veto in (("prov-2023", "ROLE-07"), ("port-group-2023", "ROLE-07"), ("city-2023", "ROLE-V1")):
        ns = starrules.next_star(std_id, example("veto-branch"))
        assert not ns.reachable and ns.options == ()
        assert [b.id for b in ns.blockers] == [veto]
        assert "否决项不能由加分或其他指标抵消" in ns.limits[0]
        assert ns.searched == 1  # every change at once does not reach: no search


# -- pending: the facts to supply ----------------------------------------------------------------------------------


def test_pending_branch_names_the_facts_to_supply() -> None:
    ns = starrules.next_star("prov-2023", example("pending-branch"))
    assert (ns.outcome, ns.target) == ("pending", "decided")
    assert ns.facts_to_supply == ("satisfaction",)
    assert ids(ns) == [["ROLE-05"]]
    assert ns.options[0].changes[0].gaps[0].text == "需补充事实：群众满意度测评结果"
    assert (ns.options[0].outcome, ns.options[0].stars) == ("met", 4)
    assert ns.summary == "当前待核实：需补充事实 群众满意度测评结果；若核实后 ROLE-05 通过：达标 4 星"


# -- a score-based standard --------------------------------------------------------------------------------------------


def test_city_score_bands() -> None:
    # S = 0.7 × 87 + 0.3 × 70 = 81.9 (4 stars). 5 stars need S >= 90, i.e. base >= 98.57:
    # ROLE-C2 and ROLE-C3 at full marks (+6 each) give base 99 and S = 90.3; the brand is known.
    ns = starrules.next_star("city-2023", example("pharma-young-branch"))
    assert (ns.stars, ns.target_stars, ns.size) == (4, 5, 2)
    assert ids(ns) == [["ROLE-C2", "ROLE-C3"]]
    assert ns.options[0].score == Decimal("90.3") and ns.options[0].stars == 5
    assert "还需 3 名应参学党员志愿服务不低于 1 次" in ns.options[0].changes[0].gaps[0].text


def test_city_five_stars_blocked_by_a_fact_the_rating_reads() -> None:
    # S = 93.4 already bands to 5, but brand_level is none: the rating's second step makes it 4.
    ns = starrules.next_star("city-2023", example("three-star-branch"), lang="en")
    assert not ns.reachable and ns.blockers == ()
    assert ns.limits[0] == "even with every possible change, the stars reach 4"
    assert ns.limits[1] == ("step 2 (five stars also need a known Party-building brand other than none, else four) "
                            "lowers the stars from 5 to 4; facts: Party-building brand level: none")


# -- parts ---------------------------------------------------------------------------------------------------------------


def test_bonus_upper_bounds_come_from_the_points_expression() -> None:
    cs = starrules.load_standard("prov-2023").compiled
    by_id = {ci.id: ci for ci in cs.indicators}
    role09, role10 = by_id["ROLE-09"].points, by_id["ROLE-10"].points
    assert role09 is not None and role10 is not None
    assert upper_bound(role09.analysis.root, role09.analysis, cs) == 5  # national brand
    assert upper_bound(role10.analysis.root, role10.analysis, cs) == 8  # national honour + 3 members


@pytest.mark.parametrize("std_id", ["prov-2023", "port-group-2023", "prov-2024", "city-2023"])
def test_every_option_really_reaches_the_target(std_id: str) -> None:
    """An option's outcome/stars are re-rated by the standard's own rating: check them."""
    for name in ("pharma-young-branch", "three-star-branch", "required-fail-branch", "pending-branch"):
        ns = starrules.next_star(std_id, example(name))
        for o in ns.options:
            assert o.outcome == "met"
            if ns.target == "stars":
                assert o.stars is not None and o.stars >= ns.target_stars  # type: ignore[operator]
            assert len(o.changes) == ns.size


# -- CLI -----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("next-star-prov-pharma-zh.txt", [example("pharma-young-branch"), "-s", "prov-2023"]),
        ("next-star-port-pharma-en.txt", [example("pharma-young-branch"), "-s", "port-group-2023", "--lang", "en"]),
        ("next-star-prov-veto-zh.txt", [example("veto-branch"), "-s", "prov-2023"]),
        ("next-star-city-three-star-zh.txt", [example("three-star-branch"), "-s", "city-2023"]),
    ],
)
def test_next_star_golden(name: str, args: list[str]) -> None:
    res = cli("next-star", *args)
    assert res.exit_code == 0, res.output
    golden(name, res.stdout)


def test_next_star_json() -> None:
    res = cli("next-star", example("required-fail-branch"), "-s", "prov-2023", "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["target"] == "met" and data["size"] == 2
    assert [c["id"] for c in data["options"][0]["changes"]] == ["ACT-05", "INST-02"]
    assert data["options"][0]["changes"][0]["gaps"][0]["missing"] == [7, 8]


@pytest.mark.parametrize("std_id", ["prov-2023", "port-group-2023", "prov-2024", "city-2023"])
def test_rerating_reproduces_the_evaluator(std_id: str) -> None:
    """next-star re-rates through the declared rating as the evaluator does: same statuses,
    same outcome, stars, score and rating values."""
    from starrules._explain.session import open_session, rerate

    for path in sorted(Path(example("x")).parent.glob("*.yaml")):
        session = open_session(std_id, path)
        rated = rerate(session.cs, session.env, session.rows())
        res = session.result
        assert (rated.outcome, rated.stars, rated.score) == (res.outcome, res.stars, res.score), path.name
        assert {k: (None if v is UNKNOWN else v) for k, v in rated.values.items()} == res.rating_values
