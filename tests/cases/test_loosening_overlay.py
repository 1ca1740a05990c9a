"""A group standard written as a new user would, that loosens the provincial one, is refused
by ``starrules validate`` with a message naming what was loosened, the base value and the
overlay value (reference-standard.md §5: an overlay may only tighten)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from starrules._cli.main import cli

HEADER = """\
# 某港务公司党委的党支部"达标创星"评价标准（2023年版）：在省级标准基础上修改。
starrules: 1
id: harbour-co-2023
family: harbour-co
version: "2023"
title: 某港务公司党支部"达标创星"评价标准（2023年版）
issuer: 某港务公司党委
extends: prov-2023
"""


def _validate(tmp_path: Path, body: str, *args: str) -> tuple[int, str]:
    path = tmp_path / "harbour-co-2023.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    result = CliRunner(env={"STARRULES_WIDTH": "400"}).invoke(cli, ["validate", str(path), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lowering_the_theme_day_attendance_of_act_06_is_refused(tmp_path: Path, lang: str) -> None:
    body = """\
parameters:
  theme_day_attendance: 0.7   # 主题党日参与率（ACT-06）从 80% 降到 70%
"""
    code, out = _validate(tmp_path, body, "--lang", lang)
    assert code == 1, out
    assert "overlay-loosens" in out
    assert "theme_day_attendance" in out
    assert "0.8" in out and "0.7" in out  # base value and overlay value
    assert "prov-2023" in out
    assert "harbour-co-2023.yaml:10:" in out  # the line of the parameter


def test_flipping_the_direction_of_the_parameter_does_not_help(tmp_path: Path) -> None:
    body = """\
parameters:
  theme_day_attendance: {value: 0.7, tighter: lower}
"""
    code, out = _validate(tmp_path, body)
    assert code == 1, out
    assert "overlay-loosens" in out and "0.8" in out and "0.7" in out


def test_rewriting_the_rule_of_act_06_is_refused(tmp_path: Path) -> None:
    body = """\
indicators:
  - id: ACT-06
    rule: sum(theme_days, expected) > 0 and sum(theme_days, present) >= 0.7 * sum(theme_days, expected)
"""
    code, out = _validate(tmp_path, body)
    assert code == 1, out
    assert "overlay-rewrites" in out and "ACT-06" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_turning_a_required_indicator_into_a_star_is_refused(tmp_path: Path, lang: str) -> None:
    body = """\
indicators:
  - id: ROLE-05        # 群众满意度合格：由达标要求改为创星指标
    kind: star
"""
    code, out = _validate(tmp_path, body, "--lang", lang)
    assert code == 1, out
    assert "overlay-loosens" in out
    assert "ROLE-05" in out
    assert "required" in out and "star" in out  # base kind and overlay kind


def test_a_tightening_overlay_is_accepted(tmp_path: Path) -> None:
    body = """\
parameters:
  theme_day_attendance: 0.85
indicators:
  - id: ORG-02
    kind: required
"""
    code, out = _validate(tmp_path, body)
    assert code == 0, out
    assert "harbour-co-2023" in out
