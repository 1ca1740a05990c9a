"""An overlay changes a score band or a rating gate like any parameter, tighten-checked."""

from __future__ import annotations

from pathlib import Path

import pytest

import starrules

HEAD = """starrules: 1
id: city-tight-2023
family: city-tight
version: "2023"
title: 某区评星办法（2023年版）
issuer: 某区委组织部
extends: city-2023
parameters:
"""


def _load(tmp_path: Path, body: str) -> starrules.Standard:
    path = tmp_path / "city-tight-2023.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return starrules.load_standard(path)


BANDS = "  star_bands:\n    value:\n" + "".join(
    f"      - {{min: {m}, stars: {s}}}\n" for m, s in ((92, 5), (82, 4), (72, 3), (62, 2), (0, 1)))


def test_raising_the_bands_and_the_gate_is_accepted(tmp_path: Path) -> None:
    std = _load(tmp_path, BANDS + "  five_star_quota: 0.2\n")
    bands = std.resolved.parameters["star_bands"].value
    assert [(b.min, b.stars) for b in bands][0] == (92, 5)
    history = std.resolved.parameter_layers["star_bands"]
    assert [h.layer for h in history] == ["city-2023", "city-tight-2023"]
    ex = Path(__file__).resolve().parents[2] / "examples" / "five-star-branch.yaml"
    assert starrules.evaluate(std, ex).stars == 5  # S = 97.6 still clears 92


@pytest.mark.parametrize(("body", "name"), [
    (BANDS.replace("{min: 92, stars: 5}", "{min: 88, stars: 5}"), "star_bands"),
    ("  five_star_quota: 0.4\n", "five_star_quota"),
])
def test_lowering_a_band_or_raising_the_quota_is_refused(tmp_path: Path, body: str, name: str) -> None:
    with pytest.raises(starrules.StandardError) as info:
        _load(tmp_path, body)
    problems = [p for p in info.value.problems if p.code == "overlay-loosens"]
    assert problems and problems[0].path == f"parameters.{name}"
    assert "city-2023" in problems[0].message("en")
