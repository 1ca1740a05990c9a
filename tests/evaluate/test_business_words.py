"""Labels for codes, percentages for shares, values for every rule, evidence with each record's
deciding values, record field lists in templates, the fallback sentence from descriptions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules._standard.model import FactSpec

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "valid" / "mini.yaml"


def mini(tmp_path: Path, facts: str = "", indicators: str = "", params: str = "") -> Path:
    text = MINI.read_text(encoding="utf-8")
    text = text.replace("  level: {type: enum, values: [none, group, national]}\n",
                        "  level:\n    type: enum\n    values: {none: {zh: 无, en: none}, group: {zh: 集团级, en: group level},"
                        " national: 全国级}\n    label: {zh: 表彰层级, en: honour level}\n" + facts)
    text = text.replace("  meetings_min: {value: 4, tighter: higher}\n",
                        "  meetings_min: {value: 4, tighter: higher, unit: 次}\n" + params)
    text = text.replace("\nrating:", indicators + "\nrating:")
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return path


DOC: dict[str, Any] = {
    "branch": {"id": "B1"}, "year": 2023, "level": "group", "meetings_held": 2, "share_done": 0.75,
    "members": [{"id": "M1", "status": "formal", "training_hours": 40},
                {"id": "M2", "status": "formal", "training_hours": 28},
                {"id": "M3", "status": "probationary", "training_hours": 12}],
}


def test_values_as_a_map_give_the_labels_and_the_list_form_still_works() -> None:
    spec = FactSpec.model_validate({"type": "enum", "values": {"formal": "正式党员", "probationary": {"zh": "预备党员",
                                                                                                   "en": "probationary"}}})
    assert spec.values == ("formal", "probationary")
    assert spec.labels is not None and spec.labels["formal"] == "正式党员"
    assert FactSpec.model_validate({"type": "enum", "values": ["a", "b"]}).labels is None


def test_codes_read_as_their_labels_in_both_languages(tmp_path: Path) -> None:
    path = mini(tmp_path, indicators="""
  - id: ACT-03
    dimension: ACT
    kind: star
    title: 层级
    citation: {document: 测试}
    rule: level != "none"
    explain:
      zh: 表彰层级：{level}
      en: "level: {level}"
""")
    r = starrules.evaluate(starrules.load_standard(path), DOC).indicator("ACT-03")
    assert r.explanation.zh == "通过：表彰层级：集团级"
    assert r.explanation.en == "Passed: level: group level"


def test_a_percent_parameter_and_fact_print_as_percentages(tmp_path: Path) -> None:
    path = mini(tmp_path, facts="  share_done: {type: number, min: 0, max: 1, format: percent, label: 完成比例}\n",
                params="  share_min: {value: 0.8, tighter: higher, format: percent}\n",
                indicators="""
  - id: ACT-03
    dimension: ACT
    kind: star
    title: 比例
    citation: {document: 测试}
    rule: share_done >= $share_min
    explain:
      zh: 完成 {share_done}，要求不低于 {$share_min}；正式党员学时达标 {share(F, training_hours >= 32)}
      en: "done {share_done}; at least {$share_min}"
""")
    r = starrules.evaluate(starrules.load_standard(path), DOC).indicator("ACT-03")
    assert r.status == "FAIL"
    assert r.explanation.zh == "未通过：完成 75%，要求不低于 80%；正式党员学时达标 50%"
    assert r.explanation.en == "Failed: done 75%; at least 80%"
    assert r.values["share_done"] == Decimal("0.75") and r.values["$share_min"] == Decimal("0.8")


def test_a_field_list_shows_each_record_with_its_deciding_values(tmp_path: Path) -> None:
    path = mini(tmp_path, indicators="""
  - id: ACT-03
    dimension: ACT
    kind: star
    title: 学时
    citation: {document: 测试}
    rule: all(members, training_hours >= 32)
    explain:
      zh: 学时不足的：{members where training_hours < 32:training_hours}；全部：{members where true:status,training_hours}
      en: "below: {members where training_hours < 32:training_hours}"
""")
    r = starrules.evaluate(starrules.load_standard(path), DOC).indicator("ACT-03")
    # (mini's status has no labels: a code without a label reads as written)
    assert r.explanation.zh == "未通过：学时不足的：M2：28、M3：12；全部：M1：formal，40、M2：formal，28、M3：probationary，12"
    # the evidence keeps its ids and gains each record's deciding value
    assert r.evidence == {"all(members, training_hours >= 32)": ("M2", "M3")}
    detail = r.evidence_detail["all(members, training_hours >= 32)"]
    assert [(d.id, d.values) for d in detail] == [("M2", {"training_hours": 28}), ("M3", {"training_hours": 12})]


def test_a_field_list_after_something_else_is_a_rule_type_error(tmp_path: Path) -> None:
    path = mini(tmp_path, indicators="""
  - id: ACT-03
    dimension: ACT
    kind: star
    title: 学时
    citation: {document: 测试}
    rule: meetings_held >= 1
    explain:
      zh: "{meetings_held:training_hours}"
      en: "{members:nonsense}"
""")
    with pytest.raises(starrules.StarrulesError) as info:
        starrules.load_standard(path)
    assert [p.code for p in info.value.problems] == ["rule-type", "rule-type"]
    assert "记录列表" in info.value.problems[0].message("zh")
    assert "nonsense" in info.value.problems[1].message("en")


def test_without_a_template_the_sentence_comes_from_the_descriptions(tmp_path: Path) -> None:
    path = mini(tmp_path, facts="")
    r = starrules.evaluate(starrules.load_standard(path), DOC).indicator("ACT-01")
    # rule: meetings_held >= $meetings_min, no template, no label: the key never shows
    assert "meetings_held" not in r.explanation.zh and "$" not in r.explanation.zh
    assert "要求不少于 4 次" in r.explanation.zh


def test_values_are_filled_for_a_rule_that_is_a_bare_fact() -> None:
    r = starrules.evaluate("prov-2023", REPO / "examples" / "pharma-young-branch.yaml")
    assert r.indicator("ORG-08").values == {"secretary.is_unit_leader": False}
    assert r.indicator("ACT-11").values  # a deduction: its facts and parameters
    assert all(i.values for i in r.indicators if i.status != "NA")


def test_facts_to_verify_keep_the_key_and_gain_the_name() -> None:
    r = starrules.evaluate("prov-2023", REPO / "examples" / "pending-branch.yaml")
    assert r.facts_to_verify == ("satisfaction",)
    assert [(f.fact, f.label.zh, f.label.en) for f in r.facts_to_verify_labels] == [
        ("satisfaction", "群众满意度测评结果", "public satisfaction")]


def test_the_shipped_evidence_detail_names_the_deciding_dates() -> None:
    r = starrules.evaluate("prov-2023", REPO / "examples" / "three-star-branch.yaml").indicator("INST-06")
    (rows,) = [v for k, v in r.evidence_detail.items() if k.startswith("all(")]
    assert [(d.id, {k: str(v) for k, v in d.values.items()}) for d in rows] == [
        ("R2023-01", {"closed": "2023-10-12", "due": "2023-09-30"})]
    assert "R2023-01：期限 2023-09-30，销号 2023-10-12" in r.explanation.zh
