"""Overlays (tighten only) and revisions (anything), and what the resolved standard records.

Each case writes a base (tests/fixtures/valid/mini.yaml) and a layer into tmp_path; a layer
finds its base by id among the files of its own folder.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import starrules
from starrules import StandardError
from starrules._standard.resolved import ParameterHistory

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "mini.yaml"

HEAD = """starrules: 1
id: {id}
family: {id}
version: "1"
title: 集团标准
issuer: 集团党委
{how}: {base}
"""


def layer(tmp_path: Path, body: str, *, id: str = "tight", base: str = "mini", how: str = "extends",
          name: str | None = None) -> Path:
    if not (tmp_path / "mini.yaml").exists():
        (tmp_path / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / (name or f"{id}.yaml")
    path.write_text(HEAD.format(id=id, base=base, how=how) + body, encoding="utf-8")
    return path


def refused(path: Path) -> list[starrules.Problem]:
    with pytest.raises(StandardError) as info:
        starrules.load_standard(path)
    return list(info.value.problems)


def only(problems: list[starrules.Problem], code: str) -> starrules.Problem:
    assert [p.code for p in problems] == [code], [p.render("en") for p in problems]
    return problems[0]


# -- the tighten check ---------------------------------------------------------------------------


def test_a_lower_threshold_is_refused_naming_parameter_values_and_base_layer(tmp_path: Path) -> None:
    p = only(refused(layer(tmp_path, "parameters:\n  min_members: 2\n")), "overlay-loosens")
    assert p.line == 9 and p.path == "parameters.min_members"
    assert p.params["base_layer"] == "mini" and p.params["base"] == "3" and p.params["overlay"] == "2"
    en = p.message("en")
    for fragment in ("$min_members", "stricter when higher", "base mini: 3", "overlay: 2"):
        assert fragment in en
    assert "上级 mini 为 3，本标准为 2" in p.message("zh")


def test_a_higher_ceiling_is_refused_for_a_lower_is_stricter_map(tmp_path: Path) -> None:
    body = "parameters:\n  level_points: {none: 0, group: 3, national: 5}\n"
    p = only(refused(layer(tmp_path, body)), "overlay-loosens")
    assert "group: 2" in p.params["base"] and "group: 3" in p.params["overlay"]


def test_required_to_star_is_refused(tmp_path: Path) -> None:
    body = "indicators:\n  - id: ORG-01\n    kind: star\n"
    p = only(refused(layer(tmp_path, body)), "overlay-loosens")
    assert (p.line, p.path) == (10, "indicators[0].kind")
    assert p.params["base"] == "required" and p.params["overlay"] == "star" and p.params["base_layer"] == "mini"
    assert "the kind of ORG-01" in p.message("en") and "指标 ORG-01 的类型" in p.message("zh")


def test_a_new_bonus_indicator_is_refused(tmp_path: Path) -> None:
    body = """indicators:
  - id: ACT-03
    dimension: ACT
    kind: bonus
    title: 新加分
    citation: {document: 集团文件}
    points: "1"
"""
    p = only(refused(layer(tmp_path, body)), "overlay-loosens")
    assert p.params["overlay"] == "bonus" and p.params["base_layer"] == "mini"
    assert "a new bonus indicator ACT-03" in p.message("en")


def test_a_raised_bonus_cap_is_refused(tmp_path: Path) -> None:
    p = only(refused(layer(tmp_path, "indicators:\n  - id: ACT-02\n    cap: 8\n")), "overlay-loosens")
    assert (p.params["base"], p.params["overlay"]) == (5, 8)


@pytest.mark.parametrize("field, value", [("rule", "count(F) >= 2"), ("applies", "year >= 2023"),
                                          ("dimension", "ACT")])
def test_rewriting_an_indicator_is_refused(tmp_path: Path, field: str, value: str) -> None:
    body = f"indicators:\n  - id: ORG-01\n    {field}: {value}\n"
    p = only(refused(layer(tmp_path, body)), "overlay-rewrites")
    assert {k: p.params[k] for k in ("indicator", "field")} == {"indicator": "ORG-01", "field": field}
    assert p.path == f"indicators[0].{field}" and p.line == 10
    assert f"'{field}' of indicator ORG-01" in p.message("en")


def test_rewriting_the_rating_is_refused(tmp_path: Path) -> None:
    p = only(refused(layer(tmp_path, "rating:\n  score: \"0\"\n")), "overlay-rewrites")
    assert p.params["field"] == "score"


def test_the_base_layer_named_is_the_layer_that_set_the_value(tmp_path: Path) -> None:
    layer(tmp_path, "parameters:\n  min_members: 5\n", id="mid")
    top = layer(tmp_path, "parameters:\n  min_members: 4\n", id="top", base="mid")
    p = only(refused(top), "overlay-loosens")
    assert (p.params["base_layer"], p.params["base"], p.params["overlay"]) == ("mid", "5", "4")


def test_tightening_is_accepted_and_recorded_layer_by_layer(tmp_path: Path) -> None:
    body = """parameters:
  min_members: 4
  level_points: {none: 0, group: 1, national: 4}
  new_limit: {value: 2, tighter: higher}
indicators:
  - id: ACT-01
    kind: required
  - id: ACT-03
    dimension: ACT
    kind: star
    title: 新增指标
    citation: {document: 集团文件}
    rule: meetings_held >= $new_limit
"""
    std = starrules.load_standard(layer(tmp_path, body))
    r = std.resolved
    assert [x.id for x in r.layers] == ["mini", "tight"]
    assert [x.role for x in r.layers] == ["base", "overlay"]
    assert r.parameter_layers["min_members"] == (ParameterHistory(layer="mini", value=3),
                                                ParameterHistory(layer="tight", value=4))
    assert r.parameter_layers["meetings_min"] == (ParameterHistory(layer="mini", value=4),)
    assert r.parameter_layers["new_limit"] == (ParameterHistory(layer="tight", value=2),)
    assert r.parameter_value("min_members") == 4
    assert r.parameters["min_members"].tighter == "higher"  # the base's direction is kept
    assert r.indicator_layers["ACT-01"] == {"*": "mini", "kind": "tight"}
    assert r.indicator_layers["ORG-01"] == {"*": "mini"}
    assert r.indicator_layers["ACT-03"] == {"*": "tight"}
    # a new indicator goes after the last one of its dimension
    assert std.indicator_ids == ("ORG-01", "ACT-01", "ACT-02", "ACT-03")


def test_the_shipped_overlay_records_its_layers() -> None:
    r = starrules.load_standard("port-group-2023").resolved
    assert r.parameter_layers["theme_day_attendance"] == (
        ParameterHistory(layer="prov-2023", value=Decimal("0.8")),
        ParameterHistory(layer="port-group-2023", value=Decimal("0.9")),
    )
    assert r.indicator_layers["ORG-08"] == {"*": "prov-2023", "kind": "port-group-2023"}
    assert r.indicator_layers["ROLE-11"] == {"*": "port-group-2023"}
    assert next(i for i in r.indicators if i.id == "ORG-08").kind == "required"


def test_a_revision_may_loosen(tmp_path: Path) -> None:
    body = """effective: {from: 2024-01-01, to: 2024-12-31}
parameters:
  min_members: 2
indicators:
  - id: ORG-01
    kind: star
    rule: count(F) >= $min_members - 1
"""
    std = starrules.load_standard(layer(tmp_path, body, id="mini-2024", how="revises"))
    r = std.resolved
    assert r.layers[-1].role == "revision"
    assert r.parameter_value("min_members") == 2
    assert r.indicator_layers["ORG-01"] == {"*": "mini", "kind": "mini-2024", "rule": "mini-2024"}
    assert r.effective.from_.year == 2024


def test_an_overlay_may_not_also_revise(tmp_path: Path) -> None:
    path = layer(tmp_path, "revises: mini\n")
    p = only(refused(path), "invalid-format")
    assert p.path == "revises" and "not both" in p.message("en")


# -- extends: by id, by path, cycles, roots --------------------------------------------------------


def test_extends_by_relative_path_inside_the_folder(tmp_path: Path) -> None:
    std = starrules.load_standard(layer(tmp_path, "parameters:\n  min_members: 4\n", base="./mini.yaml"))
    assert std.resolved.parameter_value("min_members") == 4


def test_extends_outside_the_roots_is_refused(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    layer(tmp_path, "", id="unused")  # writes mini.yaml into tmp_path (outside inner/)
    path = layer(tmp_path / "inner", "", base="../mini.yaml")
    p = only(refused(path), "extends-outside-roots")
    assert p.path == "extends" and p.params["target"] == "../mini.yaml"


def test_extends_outside_the_roots_is_allowed_with_a_standards_dir(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    layer(tmp_path, "", id="unused")
    path = layer(tmp_path / "inner", "", base="mini")
    (tmp_path / "inner" / "mini.yaml").unlink()  # one file with the id mini: the one outside inner/
    std = starrules.load_standard(path, standards_dirs=[tmp_path])
    assert [x.id for x in std.resolved.layers] == ["mini", "tight"]


def test_an_extends_cycle_is_refused(tmp_path: Path) -> None:
    layer(tmp_path, "", id="cyc-a", base="cyc-b")
    path = layer(tmp_path, "", id="cyc-b", base="cyc-a")
    p = only(refused(path), "extends-cycle")
    assert "cyc-b → cyc-a → cyc-b" in p.message("en")


def test_a_standard_extending_itself_is_a_cycle(tmp_path: Path) -> None:
    p = only(refused(layer(tmp_path, "", id="selfish", base="selfish")), "extends-cycle")
    assert p.params["cycle"] == "selfish → selfish"
