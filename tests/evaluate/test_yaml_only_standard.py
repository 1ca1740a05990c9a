"""A new score-based standard is added by writing YAML alone: no Python specific to it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import starrules

STANDARD = """\
starrules: 1
id: town-2025
family: town
version: "2025"
title: 某镇党支部百分制评星办法（2025年版）
issuer: 某镇党委
effective: {from: 2025-01-01, to: 2025-12-31}
dimensions:
  - {id: ACT, title: 基本活动}
  - {id: ROLE, title: 基本作用}
facts:
  branch:
    type: object
    required: true
    fields:
      id: {type: string, required: true}
      name: {type: string}
  year: {type: int, required: true, min: 2000, max: 2099}
  meetings:
    type: records
    key: id
    fields:
      id: {type: string, required: true}
      date: {type: date, required: true}
  volunteers: {type: int, min: 0}
  complaints: {type: int, min: 0}
  incident: {type: bool}
  review_score: {type: number, min: 0, max: 100}
parameters:
  volunteer_full: {value: 10, tighter: higher}
  star_bands:
    value:
      - {min: 85, stars: 5}
      - {min: 70, stars: 4}
      - {min: 50, stars: 3}
      - {min: 0, stars: 1}
  quota: {value: 0.5}
definitions:
  meetings_in_year: meetings where year_of(date) == year
indicators:
  - id: ACT-T1
    dimension: ACT
    kind: score
    title: 每月活动
    citation: {document: 《某镇党支部百分制评星办法》}
    max_points: 60
    points: 5 * count(months(meetings_in_year))
    explain:
      zh: "{count(months(meetings_in_year))} 个月有活动，缺少的月份：{1..12 - months(meetings_in_year)}"
      en: "activities in {count(months(meetings_in_year))} months; missing: {1..12 - months(meetings_in_year)}"
  - id: ROLE-T1
    dimension: ROLE
    kind: score
    title: 志愿服务
    citation: {document: 《某镇党支部百分制评星办法》}
    max_points: 40
    points: if volunteers >= $volunteer_full then 40 else 4 * volunteers
  - id: ROLE-T2
    dimension: ROLE
    kind: deduction
    title: 群众投诉
    citation: {document: 《某镇党支部百分制评星办法》}
    points: 3 * complaints
  - id: ROLE-T3
    dimension: ROLE
    kind: veto
    title: 无安全事故
    citation: {document: 《某镇党支部百分制评星办法》}
    rule: not incident
  - id: ROLE-T4
    dimension: ROLE
    kind: cap
    title: 投诉不超过5件
    citation: {document: 《某镇党支部百分制评星办法》}
    cap: 3
    rule: complaints <= 5
rating:
  labels: {met: 定星, not_met: 不定星, pending: 待核实}
  not_met: failed("veto")
  pending: unknown("veto", "score", "deduction", "cap") or not known(review_score)
  values:
    base: points("score")
    D: points("deduction")
    S: 0.8 * max(base - D, 0) + 0.2 * review_score
  stars:
    - band(S, $star_bands)
    - min(stars, cap_limit())
  score: S
  quota: {stars: 5, share: $quota, minimum: 1, demote_to: 4, rank_by: ["S desc", "branch.id asc"]}
"""


def _facts(**over: object) -> dict:
    doc = {
        "branch": {"id": "T1", "name": "一支部"},
        "year": 2025,
        "meetings": [{"id": f"M{m}", "date": f"2025-{m:02d}-10"} for m in range(1, 13)]
        + [{"id": "OLD", "date": "2024-12-10"}],
        "volunteers": 12,
        "complaints": 0,
        "incident": False,
        "review_score": Decimal("90"),
    }
    doc.update(over)
    return doc


def test_yaml_only_score_standard(tmp_path: Path) -> None:
    path = tmp_path / "town-2025.yaml"
    path.write_text(STANDARD, encoding="utf-8")
    std = starrules.load_standard(path)
    full = starrules.evaluate(std, _facts())
    assert (full.outcome, full.stars, full.score) == ("met", 5, 98)  # 0.8 × 100 + 0.2 × 90
    partial = starrules.evaluate(std, _facts(meetings=[{"id": "M1", "date": "2025-01-05"}], volunteers=3))
    act = partial.indicator("ACT-T1")
    assert (act.status, act.points) == ("FAIL", 5)
    assert "得 5/60 分" in act.explanation.zh and "2、3、4" in act.explanation.zh
    assert partial.indicator("ROLE-T1").points == 12
    assert partial.score == Decimal("0.8") * 17 + 18 and partial.stars == 1
    capped = starrules.evaluate(std, _facts(complaints=6))
    assert capped.indicator("ROLE-T4").status == "FAIL" and capped.stars == 3
    assert starrules.evaluate(std, _facts(incident=True)).outcome == "not_met"
    assert starrules.evaluate(std, _facts(review_score=None)).outcome == "pending"
    quota = starrules.evaluate(std, _facts()).quota
    assert quota is not None and quota.applied is False
