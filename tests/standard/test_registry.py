"""Roots, ids, families and versions; the canonical hash of a standard."""

from __future__ import annotations

from pathlib import Path

import pytest

import starrules
from starrules import NotFoundError, StandardError
from starrules._standard.registry import Registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "valid" / "mini.yaml"
SHIPPED = {"prov-2023", "prov-2024", "port-group-2023", "city-2023"}


def test_shipped_ids_and_families() -> None:
    registry = Registry(include_env=False)
    assert SHIPPED <= set(registry.ids())
    assert [h.id for h in registry.family_versions("prov")] == ["prov-2023", "prov-2024"]
    assert registry.overlap_problems() == []


@pytest.mark.parametrize("year, picked", [(2023, "prov-2023"), (2024, "prov-2024")])
def test_a_family_version_is_picked_by_year(year: int, picked: str) -> None:
    resolved, note = Registry(include_env=False).resolve("prov", year=year)
    assert resolved.id == picked
    assert note is not None and picked in note
    assert starrules.load_standard("prov", year=year).id == picked


def test_no_version_for_the_year_lists_the_versions() -> None:
    with pytest.raises(NotFoundError) as info:
        Registry(include_env=False).resolve("prov", year=2031)
    (p,) = info.value.problems
    assert p.code == "no-version-for-year" and p.params["year"] == 2031
    fix = p.fix("en")
    assert "prov-2023 (2023-01-01..2023-12-31)" in fix and "prov-2024 (2024-01-01..2024-12-31)" in fix
    assert "2031" in p.message("zh")


def test_an_unknown_name_lists_ids_and_families() -> None:
    with pytest.raises(NotFoundError) as info:
        starrules.load_standard("prov-2099")
    (p,) = info.value.problems
    assert p.code == "standard-not-found"
    assert {"prov-2023", "prov", "city"} <= set(p.params["available"])


def test_an_overlay_inherits_its_base_period() -> None:
    header = Registry(include_env=False).headers()["port-group-2023"]
    assert header.covers(2023) and not header.covers(2024)
    assert starrules.load_standard("port-group", year=2023).id == "port-group-2023"


def test_overlapping_versions_of_a_family(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("family: mini", "family: fam")
    (tmp_path / "a.yaml").write_text(text.replace("id: mini", "id: fam-a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: mini", "id: fam-b").replace(
        "  to: 2023-12-31\n", ""), encoding="utf-8")  # open-ended, starting on the same day
    (tmp_path / "c.yaml").write_text(text.replace("id: mini", "id: fam-c").replace(
        "from: 2023-01-01", "from: 2030-01-01").replace("to: 2023-12-31", "to: 2030-12-31"), encoding="utf-8")
    registry = Registry([tmp_path], include_env=False, include_shipped=False)
    problems = registry.overlap_problems()
    assert [(p.code, p.params["a"], p.params["b"]) for p in problems] == [
        ("version-overlap", "fam-a", "fam-b"), ("version-overlap", "fam-b", "fam-c")]
    assert all(p.line is not None for p in problems)


def test_adjacent_versions_do_not_overlap(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("family: mini", "family: fam")
    (tmp_path / "a.yaml").write_text(text.replace("id: mini", "id: fam-a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: mini", "id: fam-b").replace(
        "from: 2023-01-01", "from: 2024-01-01").replace("to: 2023-12-31", "to: 2024-12-31"), encoding="utf-8")
    registry = Registry([tmp_path], include_env=False, include_shipped=False)
    assert registry.overlap_problems() == []
    assert registry.resolve("fam", year=2024)[0].id == "fam-b"


def test_a_standards_dir_adds_ids(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    assert starrules.load_standard("mini", standards_dirs=[tmp_path]).id == "mini"
    with pytest.raises(NotFoundError):
        starrules.load_standard("mini")


def test_the_environment_variable_adds_a_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.yaml").write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("STARRULES_STANDARDS", str(tmp_path))
    assert starrules.load_standard("mini").id == "mini"


def test_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(StandardError) as info:
        starrules.load_standard(tmp_path / "nope.yaml")
    assert info.value.problems[0].code == "file-not-found"


# -- the canonical hash ----------------------------------------------------------------------------


def _hash(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return starrules.load_standard(path).sha256


def test_hash_ignores_key_order_whitespace_comments_and_style(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    before = _hash(tmp_path, text)
    head, rest = text.split("dimensions:", 1)
    dims, rest = rest.split("facts:", 1)
    reordered = "# reordered\n" + "dimensions:" + dims + head + "facts:" + rest
    assert _hash(tmp_path, reordered, "r.yaml") == before
    restyled = (text.replace("{id: ORG, title: 基本组织}", "\n    id: ORG\n    title:   基本组织\n")
                .replace("title: 最小标准", "title: '最小标准'    # quoted, with a comment")
                .replace("\n\n", "\n\n\n"))
    assert _hash(tmp_path, restyled, "s2.yaml") == before
    swapped = text.replace("{value: 3, tighter: higher, unit: 人}", "{unit: 人, tighter: higher, value: 3}")
    assert _hash(tmp_path, swapped, "s3.yaml") == before


def test_hash_changes_with_a_threshold(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    before = _hash(tmp_path, text)
    assert _hash(tmp_path, text.replace("{value: 3, tighter: higher", "{value: 4, tighter: higher"), "t.yaml") != before
    assert _hash(tmp_path, text.replace("title: 正式党员人数", "title: 正式党员人数下限"), "u.yaml") != before


def test_hash_of_a_shipped_standard_is_stable() -> None:
    assert starrules.load_standard("prov-2023").sha256 == starrules.load_standard("prov-2023").sha256
    assert len(starrules.load_standard("prov-2023").sha256) == 64
    assert starrules.load_standard("prov-2023").sha256 != starrules.load_standard("prov-2024").sha256
