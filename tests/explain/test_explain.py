"""explain: the derivation tree (data first), drawn by the CLI; golden files pin the drawing."""

from __future__ import annotations

import json

import pytest

import starrules
from starrules._explain.explain import explain_session
from starrules._explain.session import open_session

from ._support import cli, example, golden

PHARMA = example("pharma-young-branch")


def _texts(node: starrules.Explanation | object) -> list[str]:
    out: list[str] = []

    def walk(n: object) -> None:
        out.append(n.text)  # type: ignore[attr-defined]
        for c in n.children:  # type: ignore[attr-defined]
            walk(c)

    walk(node)
    return out


# -- golden files (width 100, no colour) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("explain-port-pharma-zh.txt", [PHARMA, "-s", "port-group-2023"]),
        ("explain-prov-pharma-en.txt", [PHARMA, "-s", "prov-2023", "--lang", "en"]),
        ("explain-city-three-star-zh.txt", [example("three-star-branch"), "-s", "city-2023"]),
        ("explain-prov-pending-zh.txt", [example("pending-branch"), "-s", "prov-2023"]),
        ("explain-port-pharma-ACT-06-zh.txt", [PHARMA, "-s", "port-group-2023", "--indicator", "ACT-06"]),
        ("explain-port-pharma-TEAM-03-en.txt", [PHARMA, "-s", "port-group-2023", "-i", "TEAM-03", "--lang", "en"]),
        ("explain-port-pharma-ORG-08-zh.txt", [PHARMA, "-s", "port-group-2023", "-i", "ORG-08"]),
        (
            "explain-prov-required-fail-INST-02-zh.txt",
            [example("required-fail-branch"), "-s", "prov-2023", "-i", "INST-02"],
        ),
        ("explain-city-pharma-ROLE-C2-zh.txt", [PHARMA, "-s", "city-2023", "-i", "ROLE-C2"]),
    ],
)
def test_explain_golden(name: str, args: list[str]) -> None:
    res = cli("explain", *args)
    assert res.exit_code == 0, res.output
    golden(name, res.stdout)


def test_explain_json_is_the_same_tree() -> None:
    res = cli("explain", PHARMA, "-s", "port-group-2023", "-i", "ACT-06", "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    exp = starrules.explain("port-group-2023", PHARMA, "ACT-06")
    assert data == json.loads(exp.model_dump_json())
    assert data["indicator"]["status"] == "FAIL"
    assert data["tree"]["kind"] == "indicator"


# -- content ------------------------------------------------------------------------------------------------


def test_parameter_names_the_layer_that_set_it() -> None:
    exp = starrules.explain("port-group-2023", PHARMA, "ACT-06", lang="en")
    assert exp.indicator is not None
    param = {p.name: p for p in exp.indicator.parameters}["theme_day_attendance"]
    assert param.layer == "port-group-2023"
    assert [layer for layer, _ in param.overrides] == ["prov-2023"]
    assert param.text == "theme_day_attendance: 90% from port-group-2023, overriding 80% from prov-2023"
    zh = starrules.explain("port-group-2023", PHARMA, "ACT-06")
    assert "主题党日实到人次占应到人次比例下限（ACT-06）：90%，由 port-group-2023 设定（覆盖 prov-2023 的 80%）" in _texts(zh.tree)


def test_indicator_fields_set_by_an_overlay_are_named() -> None:
    exp = starrules.explain("port-group-2023", PHARMA, "ORG-08")
    assert exp.indicator is not None and exp.indicator.layers == {"*": "prov-2023", "kind": "port-group-2023"}
    assert "来源：prov-2023；类型由 port-group-2023 设定" in _texts(exp.tree)


def test_every_sub_expression_has_its_value() -> None:
    exp = starrules.explain("port-group-2023", PHARMA, "ACT-06", lang="en")
    texts = _texts(exp.tree)
    assert "total present of theme days: 46" in texts
    assert "90% × total expected of theme days: 54" in texts
    assert any(t.startswith("rule: total expected of theme days above 0 and") and t.endswith(": no") for t in texts)
    assert exp.indicator is not None
    assert exp.indicator.citation.document == "《中国共产党党员教育管理工作条例》"
    assert exp.indicator.citation.article == "第十六条"


def test_short_circuit_shows_only_the_parts_that_decided() -> None:
    exp = starrules.explain("prov-2023", PHARMA, lang="en")
    texts = _texts(exp.tree)
    assert "L at least 5: no" in texts  # it decided the chain of `and`s ...
    assert not any(t.startswith("dimension 基本作用 lit:") for t in texts)  # ... the rest was never evaluated
    assert not any("not evaluated" in t for t in texts)


def test_overall_tree_names_failed_blocking_indicators_and_lit_dimensions() -> None:
    exp = starrules.explain("port-group-2023", PHARMA)
    texts = _texts(exp.tree)
    assert "未通过的否决/达标指标：ORG-08 书记由单位主要负责人担任、TEAM-03 党员学时达标面" in texts
    assert "1. 结论：不达标" in texts
    assert "2. 维度点亮：3 个" in texts
    assert any(t.startswith("ACT 基本活动：未点亮") and "ACT-06 主题党日参与率" in t for t in texts)
    assert exp.outcome == "not_met" and exp.stars == 0


def test_star_steps_each_with_their_value() -> None:
    exp = starrules.explain("prov-2023", example("three-star-branch"), lang="en")
    texts = _texts(exp.tree)
    steps = [t for t in texts if t.startswith("step ")]
    assert [s.rsplit(": ", 1)[1] for s in steps] == ["3", "3", "3"]
    assert "B = the smaller of bonus points and 10: 1" in texts
    assert "D = the smaller of deduction points and 10: 1" in texts


def test_effect_of_an_indicator_on_outcome_and_stars() -> None:
    exp = starrules.explain("prov-2023", PHARMA, "ORG-08")
    assert exp.indicator is not None
    assert exp.indicator.effect[-1] == "若本项通过：达标 3 星（现为 达标 2 星）"
    exp = starrules.explain("prov-2023", example("veto-branch"), "ROLE-07", lang="en")
    assert exp.indicator is not None
    assert exp.indicator.effect[0].startswith(
        "a failed veto indicator → the not-met condition (a veto/required indicator failed) holds")


def test_explain_reads_the_result_it_does_not_re_decide() -> None:
    for std_id in ("prov-2023", "city-2023"):
        for name in ("pharma-young-branch", "pending-branch", "veto-branch"):
            session = open_session(std_id, example(name))
            overall = explain_session(session)
            assert overall.outcome == session.result.outcome and overall.stars == session.result.stars
            for ind in session.result.indicators:
                exp = explain_session(session, ind.id)
                assert exp.indicator is not None and exp.indicator.status == ind.status
                assert exp.indicator.explanation == ind.explanation.zh


def test_unknown_indicator_is_an_error() -> None:
    res = cli("explain", PHARMA, "-s", "prov-2023", "-i", "ACT-66")
    assert res.exit_code == 1
    assert "invalid-value" in res.stderr and "ACT-06" in res.stderr
    with pytest.raises(starrules.NotFoundError):
        starrules.explain("prov-2023", PHARMA, "NOPE-01")


def test_bad_facts_are_reported_once() -> None:
    res = cli("explain", "missing.yaml", "-s", "prov-2023")
    assert res.exit_code == 1 and "file-not-found" in res.stderr
