"""``starrules.diff``: the rule diff of two standards (reference-standard.md §5, §6)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

import starrules
from starrules._diff.standards import equivalence

REPO = Path(__file__).resolve().parents[2]

# reference-standard.md §7 / citations.md: prov-2024 cites its own edition where prov-2023 cited
# itself ("local"), and the 2024–2028 training plan for TEAM-01/02
LOCAL_2024 = {"ORG-09", "ACT-10", "ACT-11", "ROLE-01", "ROLE-02", "ROLE-04", "ROLE-05", "ROLE-06", "ROLE-07",
              "ROLE-08", "ROLE-09", "ROLE-10", "INST-01", "INST-02", "INST-05", "INST-06", "INST-07", "SUP-01",
              "SUP-02", "SUP-04", "TEAM-01", "TEAM-02"}


def _rating_changes(d: starrules.StandardDiff) -> set[str]:
    return {i.id for i in d.indicators if i.affects_rating}


def test_prov_2023_to_2024_lists_exactly_the_revision() -> None:
    d = starrules.diff("prov-2023", "prov-2024")
    assert not d.equal and not d.same_rules
    # §6: ROLE-05 threshold, TEAM-04 kind, new ACT-12 (+ fact), ACT-11 points per record
    assert _rating_changes(d) == {"ROLE-05", "TEAM-04", "ACT-12", "ACT-11"}
    team04 = d.indicator("TEAM-04")
    kinds = [f for f in team04.fields if f.field == "kind"]
    assert [(f.old, f.new, f.direction, f.old_layer, f.layer) for f in kinds] == [
        ("star", "required", "tighter", "prov-2023", "prov-2024")]
    assert d.indicator("ACT-12").change == "added" and d.indicator("ACT-12").kind == "star"
    assert d.indicator("ACT-12").dimension == "ACT" and d.indicator("ACT-12").layer == "prov-2024"
    assert d.indicator("ROLE-05").parameters == ("satisfaction_pass",)
    assert d.indicator("ACT-11").parameters == ("missing_record_points",)
    params = {p.name: (p.change, p.old, p.new, p.direction, p.old_layer, p.layer) for p in d.parameters}
    assert params == {
        "satisfaction_pass": ("changed", D("0.6"), D("0.7"), "tighter", "prov-2023", "prov-2024"),
        "missing_record_points": ("changed", D("0.5"), 1, "tighter", "prov-2023", "prov-2024"),
        "online_study_share_min": ("added", None, D("0.9"), None, None, "prov-2024"),
    }
    assert d.parameter("satisfaction_pass").used_by == ("ROLE-05",)
    assert [(f.path, f.change) for f in d.facts] == [("online_study_share", "added")]
    assert d.facts[0].new["type"] == "number"
    assert d.rating == () and d.definitions == ()
    # everything else is a citation of the 2024 edition: listed, but text only
    text_only = {i.id for i in d.indicators if i.text_only}
    assert text_only == LOCAL_2024 - {"ROLE-05", "ACT-11"}
    for ind in d.indicators:
        for f in ind.fields:
            assert f.field in ("kind", "citation"), (ind.id, f.field)
    assert {h.field for h in d.header} == {"id", "version", "title", "effective.from", "effective.to"}


def test_grouped_by_dimension_in_the_standards_order() -> None:
    d = starrules.diff("prov-2023", "prov-2024")
    assert [g.id for g in d.dimensions] == ["ORG", "TEAM", "ACT", "ROLE", "INST", "SUP"]
    for g in d.dimensions:
        assert all(i.dimension == g.id for i in g.indicators)
    assert [i.id for i in d.dimensions[2].indicators][-1] == "ACT-12"


def test_port_group_overlay_lists_its_changes_with_layers() -> None:
    d = starrules.diff("prov-2023", "port-group-2023")
    # §5
    assert _rating_changes(d) == {"ACT-06", "TEAM-03", "ORG-08", "ROLE-11", "INST-09"}
    assert all(not i.text_only for i in d.indicators)
    org08 = d.indicator("ORG-08").fields
    assert [(f.field, f.old, f.new, f.direction, f.layer) for f in org08] == [
        ("kind", "star", "required", "tighter", "port-group-2023")]
    for new in ("ROLE-11", "INST-09"):
        assert d.indicator(new).change == "added" and d.indicator(new).layer == "port-group-2023"
    assert (d.indicator("ROLE-11").kind, d.indicator("INST-09").kind) == ("star", "required")
    params = {p.name: (p.old, p.new, p.direction, p.old_layer, p.layer) for p in d.parameters if p.change == "changed"}
    assert params == {
        "theme_day_attendance": (D("0.8"), D("0.9"), "tighter", "prov-2023", "port-group-2023"),
        "training_share": (D("0.8"), D("0.9"), "tighter", "prov-2023", "port-group-2023"),
        "five_star_min_bonus": (2, 3, "tighter", "prov-2023", "port-group-2023"),
    }
    assert d.parameter("five_star_min_bonus").used_by == ("rating",)
    assert d.parameter("theme_day_attendance").used_by == ("ACT-06",)
    assert d.parameter("integration_projects_min").change == "added"
    assert {f.path for f in d.facts} == {"integration_projects", "responsibility_review_done"}
    # every parameter change of an overlay tightens
    assert {p.direction for p in d.parameters if p.change == "changed"} == {"tighter"}


def test_the_reverse_diff_loosens() -> None:
    d = starrules.diff("prov-2024", "prov-2023")
    assert d.indicator("ACT-12").change == "removed"
    assert [f.direction for f in d.indicator("TEAM-04").fields if f.field == "kind"] == ["looser"]
    assert d.parameter("satisfaction_pass").direction == "looser"
    assert d.parameter("online_study_share_min").change == "removed"
    assert [(f.path, f.change) for f in d.facts] == [("online_study_share", "removed")]


def test_equal_standards_say_so(tmp_path: Path) -> None:
    d = starrules.diff("prov-2023", "prov-2023")
    assert d.equal and d.same_rules
    assert d.dimensions == () and d.parameters == () and d.header == ()
    # the same standard reached through a path
    assert starrules.diff("prov-2023", REPO / "standards" / "prov-2023.yaml").equal


def test_family_and_year() -> None:
    d = starrules.diff("prov@2023", "prov@2024")
    assert (d.a.id, d.b.id) == ("prov-2023", "prov-2024")
    with pytest.raises(starrules.NotFoundError):
        starrules.diff("prov@2030", "prov-2024")


def _revision(tmp_path: Path, body: str, name: str = "rev.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        "starrules: 1\nid: test-rev\nfamily: test\nversion: '1'\ntitle: t\nissuer: i\nrevises: prov-2023\n" + body,
        encoding="utf-8")
    return path


def test_rewrites_that_keep_the_meaning_are_text_only(tmp_path: Path) -> None:
    path = _revision(tmp_path, """
indicators:
  - id: ORG-01
    rule: (count(F)  >=  $min_formal_members)   # same tree
  - id: ORG-02
    rule: count(members) <= 50                   # $max_members is 50
  - id: ORG-05
    rule: secretary.in_post or false             # a different tree
""")
    d = starrules.diff("prov-2023", path)
    eq = {i.id: [(f.field, f.equivalent, f.affects_rating) for f in i.fields] for i in d.indicators}
    assert eq == {"ORG-01": [("rule", "syntax", False)], "ORG-02": [("rule", "parameters", False)],
                  "ORG-05": [("rule", None, True)]}
    assert d.indicator("ORG-01").text_only and d.indicator("ORG-02").text_only
    assert not d.indicator("ORG-05").text_only and not d.same_rules


def test_a_standard_whose_changes_are_all_texts_rates_alike(tmp_path: Path) -> None:
    path = _revision(tmp_path, """
indicators:
  - id: ORG-01
    title: 正式党员三人以上
    rule: count(F)>=$min_formal_members
""")
    d = starrules.diff("prov-2023", path)
    assert not d.equal and d.same_rules
    assert [f.field for f in d.indicator("ORG-01").fields] == ["rule", "title"]


def test_definitions_parameters_kinds_moves_and_rating(tmp_path: Path) -> None:
    path = _revision(tmp_path, """
parameters:
  required_roles: [secretary, organization]
definitions:
  NE: members where not exempt and status == "formal"
indicators:
  - id: SUP-05
    dimension: ROLE
  - id: ORG-02
    kind: required
rating:
  score: $lit_dimension_points * L + B - D - 0
""")
    d = starrules.diff("prov-2023", path)
    assert d.parameter("required_roles").direction == "looser"
    assert d.parameter("required_roles").used_by == ("ORG-04",)
    (defn,) = d.definitions
    assert defn.name == "NE" and defn.equivalent is None
    assert {"TEAM-03", "TEAM-04", "ROLE-02"} <= set(defn.used_by)
    assert "NE" in d.indicator("TEAM-03").definitions and d.indicator("TEAM-03").affects_rating
    moved = d.indicator("SUP-05")
    assert moved.dimension == "ROLE" and [(f.field, f.old, f.new) for f in moved.fields] == [("dimension", "SUP", "ROLE")]
    assert [f.direction for f in d.indicator("ORG-02").fields] == ["tighter"]
    assert [(r.field, r.equivalent) for r in d.rating] == [("score", None)]


def test_equivalence_rules() -> None:
    assert equivalence("a >= 0.8", "a >= 0.80", {}, {}) == "syntax"
    assert equivalence("x includes [\"a\"]", "x ⊇ [\"a\"]", {}, {}) == "syntax"
    assert equivalence("a >= $p", "a >= $q", {"p": 1}, {"q": 1}) == "parameters"
    assert equivalence("a >= $p", "a >= $p", {"p": 1}, {"p": 2}) == "syntax"  # the parameter change is listed apart
    assert equivalence("a >= 1", "a > 1", {}, {}) is None
    assert equivalence("a >= (", "a >= 1", {}, {}) is None  # unparsable: never claimed equivalent
