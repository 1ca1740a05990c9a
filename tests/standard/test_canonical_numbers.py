"""A standard's hash depends on numbers' values, not on how they are spelled."""

from pathlib import Path

import starrules

SHIPPED = Path(__file__).resolve().parents[2] / "standards" / "prov-2023.yaml"


def _load(tmp_path: Path, text: str) -> starrules.Standard:
    path = tmp_path / "prov-2023.yaml"
    path.write_text(text, encoding="utf-8")
    return starrules.load_standard(path)


def test_number_spelling_does_not_change_the_hash(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    original = starrules.load_standard(SHIPPED).sha256
    assert "theme_day_attendance: {value: 0.8," in text
    respelled = text.replace("theme_day_attendance: {value: 0.8,", "theme_day_attendance: {value: 0.80,")
    assert _load(tmp_path, respelled).sha256 == original
    changed = text.replace("theme_day_attendance: {value: 0.8,", "theme_day_attendance: {value: 0.85,")
    assert _load(tmp_path, changed).sha256 != original


def test_order_of_rating_values_is_part_of_the_hash(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    original = starrules.load_standard(SHIPPED).sha256
    block = "    B: min(points(\"bonus\"), $bonus_cap)\n    D: min(points(\"deduction\"), $deduction_cap)\n"
    assert block in text
    swapped = text.replace(block, "    D: min(points(\"deduction\"), $deduction_cap)\n    B: min(points(\"bonus\"), $bonus_cap)\n")
    assert _load(tmp_path, swapped).sha256 != original
