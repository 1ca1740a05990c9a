"""The rating constructs the real schemes need (issue 13): named scores, a pass line that
keeps the score, no stars, scoped failed/unknown/points, cap from a parameter, numeric
allowed values, clamping and division by zero reported, unit facts in a batch."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

import starrules
from starrules import FactsError, StandardError
from starrules._batch.units import UnitFacts, merge_unit_facts
from starrules._explain.next_star import top_stars

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "valid" / "mini.yaml"
CREC = ROOT / "examples" / "crec-ele-2015" / "branches"


def facts(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_named_scores_are_in_the_json_with_their_pass_lines() -> None:
    res = starrules.evaluate("crec-ele-2015", CREC / "five-star.yaml")
    data = json.loads(res.to_json())
    assert [(s["id"], s["value"], s["max"], s["pass_line"], s["passed"]) for s in data["scores"]] == [
        ("S3", 97, 100, 80, True), ("S4", 94, 100, 80, True), ("S5", 93, 100, 80, True)]
    assert data["scores"][0]["label"] == {"zh": "三星（四有）", "en": "3-star table"}
    assert (res.outcome, res.stars) == ("met", 5)


def test_level_by_level_and_the_pass_line_keeps_the_score() -> None:
    doc = facts(CREC / "five-star.yaml")
    doc["deductions"].update(organisation=6, rules=5, activities=5, role=5)  # S3 = 79
    res = starrules.evaluate("crec-ele-2015", doc)
    assert (res.outcome, res.outcome_label, res.stars, res.score) == ("not_met", "无星", 0, 79)
    assert {r.id for r in res.rectification_list} >= {"L3-ORG", "L3-RULE", "L3-ACT", "L3-ROLE"}
    assert res.scores[0].passed is False


def test_a_standard_without_stars_has_none_and_says_so() -> None:
    res = starrules.evaluate("workshop-c2", ROOT / "examples" / "workshop-c2" / "good-workshop.yaml")
    assert (res.outcome, res.stars, res.has_stars, res.score) == ("met", None, False, 85)
    assert top_stars(starrules.load_standard("workshop-c2").compiled) == 0


def test_partial_marks_and_clamping_read_in_words() -> None:
    doc = facts(ROOT / "examples" / "workshop-c2" / "good-workshop.yaml")
    doc["team"].update(incomplete=True, election_late=True, cooperation=4, life_meeting=4)
    res = starrules.evaluate("workshop-c2", doc)
    team2 = res.indicator("TEAM-2")
    assert (team2.status, team2.points) == ("FAIL", 0)
    assert "：未得分（得 0/10 分" in team2.explanation.zh and "扣分到该项为止" in team2.explanation.zh
    assert "deductions stop at this item's points" in team2.explanation.en
    assert "部分得分" in res.indicator("MEMB-1").explanation.zh


def test_allowed_numbers_refuse_a_value_outside_0_or_the_range() -> None:
    doc = facts(ROOT / "examples" / "workshop-c2" / "good-workshop.yaml")
    doc["team"]["instructions"] = 1  # 0, or 2 to 3
    with pytest.raises(FactsError) as info:
        starrules.evaluate("workshop-c2", doc)
    p = info.value.problems[0]
    assert (p.code, p.path) == ("facts-range", "team.instructions") and "2..3" in p.message("en")
    doc["team"]["instructions"] = 2.5
    assert starrules.evaluate("workshop-c2", doc).indicator("TEAM-1").points == 2.5


def test_graded_items_read_a_map_parameter() -> None:
    doc = facts(ROOT / "examples" / "percent-c3" / "good-branch.yaml")
    res = starrules.evaluate("percent-c3", doc)
    assert res.indicator("TEAM-B1").points == 1.5  # 一般
    assert [(s.id, s.value) for s in res.scores] == [("assessed", 99.5), ("self", 96)]


def _mini(tmp_path: Path, replace: dict[str, str]) -> Path:
    text = MINI.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return path


MINI_DOC = {"branch": {"id": "B1"}, "year": 2023, "members": [{"id": f"M{i}", "status": "formal"} for i in range(4)],
            "meetings_held": 8, "level": "group"}


def test_values_are_readable_in_pending_and_scoped_selectors(tmp_path: Path) -> None:
    path = _mini(tmp_path, {
        'pending: unknown("veto", "required")':
            'values:\n    B: points("bonus", "ACT")\n  pending: unknown("ORG-01") or B > 100',
        'not_met: failed("veto", "required")': 'not_met: failed("required", "ORG")',
    })
    std = starrules.load_standard(path)
    assert starrules.evaluate(std, MINI_DOC).outcome == "met"
    doc = copy.deepcopy(MINI_DOC)
    doc["members"] = doc["members"][:1]
    res = starrules.evaluate(std, doc)
    assert res.outcome == "not_met" and [r.id for r in res.rectification_list] == ["ORG-01"]


def test_pending_from_status_still_lists_facts_to_verify(tmp_path: Path) -> None:
    path = _mini(tmp_path, {'pending: unknown("veto", "required")': 'pending: status("ACT-01") == "UNKNOWN"'})
    doc = copy.deepcopy(MINI_DOC)
    del doc["meetings_held"]
    res = starrules.evaluate(starrules.load_standard(path), doc)
    assert res.outcome == "pending" and res.facts_to_verify == ("meetings_held",)


def test_cap_from_a_parameter_and_a_failed_cap_is_on_the_rectification_list(tmp_path: Path) -> None:
    path = _mini(tmp_path, {
        "    - lit_count()": "    - lit_count() + 1\n    - min(stars, cap_limit())",
        "indicators:\n": "indicators:\n  - {id: ORG-09, dimension: ORG, kind: cap, title: 限星, cap: $low_cap,\n"
                         "     citation: {document: 测试}, rule: meetings_held >= 10}\n",
        "parameters:\n": "parameters:\n  low_cap: 1\n",
    })
    res = starrules.evaluate(starrules.load_standard(path), MINI_DOC)
    assert res.stars == 1 and [r.id for r in res.rectification_list] == ["ORG-09"]


def test_cap_naming_an_undeclared_parameter_is_located(tmp_path: Path) -> None:
    path = _mini(tmp_path, {"    cap: 5": "    cap: $bonus_cpa"})
    with pytest.raises(StandardError) as info:
        starrules.load_standard(path)
    p = info.value.problems[0]
    assert p.code == "rule-unknown-name" and p.line is not None and "$bonus_cpa" in p.message("en")


def test_a_zero_star_step_may_be_a_number(tmp_path: Path) -> None:
    path = _mini(tmp_path, {"    - lit_count()": "    - value: 0\n    - stars + 0 * lit_count()"})
    assert starrules.evaluate(starrules.load_standard(path), MINI_DOC).stars == 0


def test_division_by_zero_makes_the_indicator_unknown(tmp_path: Path) -> None:
    path = _mini(tmp_path, {"rule: meetings_held >= $meetings_min": "rule: 10 / (meetings_held - 8) >= 1"})
    res = starrules.evaluate(starrules.load_standard(path), MINI_DOC)
    act = res.indicator("ACT-01")
    assert act.status == "UNKNOWN" and "除数为零" in act.explanation.zh and act.unknown_facts == ("meetings_held",)


def test_unit_facts_merge_record_provenance_and_refuse_conflicts() -> None:
    units = UnitFacts("units.yaml", {"一段": {"unit": {"mass_incident": False, "serious_violation": False}}})
    doc = {"branch": {"id": "X", "unit": "一段"}, "unit": {"mass_incident": False}}
    merged, info = merge_unit_facts(doc, units, None)
    assert merged["unit"] == {"mass_incident": False, "serious_violation": False}
    assert info == {"unit": "一段", "source": "units.yaml", "facts": ("unit.serious_violation",)}
    assert merge_unit_facts({"branch": {"id": "Y", "unit": "二段"}}, units, None)[1] is None
    with pytest.raises(FactsError) as exc:
        merge_unit_facts({"branch": {"id": "Z", "unit": "一段"}, "unit": {"mass_incident": True}}, units, None)
    assert exc.value.problems[0].code == "batch-unit-fact-conflict"


def test_evaluate_many_with_unit_facts() -> None:
    items = list(starrules.evaluate_many("crec-ele-2015", CREC, unit_facts=CREC.parent / "units.yaml"))
    by_id = {i.result.branch.id: i.result for i in items}
    assert (by_id["CRE-02"].outcome, by_id["CRE-02"].stars) == ("met", 3)
    assert by_id["CRE-02"].provenance.unit_facts.facts == ("unit",)
    assert by_id["CRE-01"].provenance.unit_facts is None  # it gives the unit facts itself
