"""Which file an id names: never a file of the current folder, never one of two, never a
link out of its root; indexing is bounded (issue 20: "verify fooled", issue 12: list)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules import NotFoundError, StandardError, VerifyError
from starrules._standard import registry as reg
from starrules._standard.registry import Registry, shipped_root

from ._support import FACTS, MINI, no_traceback


def _planted_prov(folder: Path, name: str) -> Path:
    """prov-2023 with a looser threshold: what a planter would want to pass for the real one."""
    text = (shipped_root() / "prov-2023.yaml").read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace("\ndimensions:\n", "\n# planted\ndimensions:\n").replace(
        "title: ", "title: 假", 1), encoding="utf-8")
    return path


def test_a_bare_id_never_names_a_file_of_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _planted_prov(tmp_path, "prov-2023")
    monkeypatch.chdir(tmp_path)
    assert starrules.load_standard("prov-2023").sha256 == starrules.load_standard(
        shipped_root() / "prov-2023.yaml").sha256
    assert starrules.load_standard("./prov-2023").sha256 != starrules.load_standard("prov-2023").sha256  # a path


def test_verify_is_not_fooled_by_a_planted_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                run_cli: Any) -> None:
    planted = _planted_prov(tmp_path, "prov-2023")
    monkeypatch.chdir(tmp_path)
    made = starrules.evaluate(starrules.load_standard(f"./{planted.name}"), FACTS, embed_facts=True)
    result = tmp_path / "result.json"
    result.write_text(made.to_json(), encoding="utf-8")
    assert json.loads(result.read_text(encoding="utf-8"))["standard"]["id"] == "prov-2023"
    res = run_cli("verify", "result.json", "--lang", "en")
    no_traceback(res)
    assert res.exit_code == 1 and "verify-standard-changed" in res.stderr
    assert "identical" not in res.stdout and "一致" not in res.stdout


def test_verify_never_takes_a_recorded_id_as_a_path(tmp_path: Path) -> None:
    made = json.loads(starrules.evaluate("prov-2023", FACTS, embed_facts=True).to_json())
    planted = _planted_prov(tmp_path, "p.yaml")
    made["standard"]["id"] = str(planted)
    made["standard"]["sha256"] = starrules.load_standard(planted).sha256
    result = tmp_path / "result.json"
    result.write_text(json.dumps(made, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(VerifyError) as info:
        starrules.verify(result)
    assert [p.code for p in info.value.problems] == ["standard-not-found"]


def test_a_local_standard_shadowing_a_shipped_id_is_an_error_naming_both(tmp_path: Path) -> None:
    _planted_prov(tmp_path, "mine.yaml")
    with pytest.raises(StandardError) as info:
        starrules.load_standard("prov-2023", standards_dirs=[tmp_path])
    (p,) = info.value.problems
    assert p.code == "standard-ambiguous" and Path(p.file).name == "mine.yaml"  # type: ignore[arg-type]
    assert "mine.yaml" in p.message("en") and "prov-2023.yaml" in p.message("en")
    with pytest.raises(StandardError):  # a family resolving to it too
        starrules.load_standard("prov", year=2023, standards_dirs=[tmp_path])
    with pytest.raises(StandardError):  # and an overlay extending it
        starrules.load_standard("port-group-2023", standards_dirs=[tmp_path])
    with pytest.raises(StandardError):  # and the revision based on it
        starrules.load_standard("prov-2024", standards_dirs=[tmp_path])
    assert starrules.load_standard("city-2023", standards_dirs=[tmp_path]).id == "city-2023"  # others are fine


def test_a_duplicate_id_across_two_roots(tmp_path: Path) -> None:
    for root in ("a", "b"):
        (tmp_path / root).mkdir()
        shutil.copy(MINI, tmp_path / root / "mini.yaml")
    with pytest.raises(StandardError) as info:
        Registry([tmp_path / "a", tmp_path / "b"], include_env=False).resolve("mini")
    (p,) = info.value.problems
    assert p.code == "standard-ambiguous" and p.params["id"] == "mini"
    assert {Path(p.params["first"]).parent.name, Path(p.params["second"]).parent.name} == {"a", "b"}
    # the same folder named twice (or nested roots) is one file, not a duplicate
    assert Registry([tmp_path / "a", tmp_path / "a" / "."], include_env=False).resolve("mini")[0].id == "mini"


@pytest.mark.parametrize("spelling", ['"m\\x69ni"', "'mini'", '"mini"', "!!str mini", "mini   # the id"])
def test_a_duplicate_id_however_spelt_is_found(tmp_path: Path, spelling: str) -> None:
    shutil.copy(MINI, tmp_path / "mini.yaml")
    text = MINI.read_text(encoding="utf-8").replace("id: mini", f"id: {spelling}", 1)
    (tmp_path / "other.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(StandardError) as info:
        Registry([tmp_path], include_env=False).resolve("mini")
    assert info.value.problems[0].code == "standard-ambiguous"


def test_an_ambiguous_family_year_is_refused(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("family: mini", "family: fam")
    (tmp_path / "a.yaml").write_text(text.replace("id: mini", "id: fam-a"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: mini", "id: fam-b").replace(
        "from: 2023-01-01", "from: 2023-06-01"), encoding="utf-8")
    registry = Registry([tmp_path], include_env=False, include_shipped=False)
    with pytest.raises(NotFoundError) as info:
        registry.resolve("fam", year=2023)
    (p,) = info.value.problems
    assert p.code == "family-ambiguous" and "fam-a" in p.message("en") and "fam-b" in p.message("en")


def test_a_symlink_out_of_a_root_is_not_indexed(tmp_path: Path) -> None:
    outside, root = tmp_path / "outside", tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    shutil.copy(MINI, outside / "mini.yaml")
    os.symlink(outside / "mini.yaml", root / "mini.yaml")
    os.symlink(outside, root / "linked-folder")
    registry = Registry([root], include_env=False, include_shipped=False)
    assert registry.all_headers() == []
    with pytest.raises(NotFoundError):
        registry.resolve("mini")
    shutil.copy(MINI, root / "inside.yaml")
    os.symlink(root / "inside.yaml", root / "alias.yml")  # a link inside the root is fine (one file)
    assert Registry([root], include_env=False, include_shipped=False).resolve("mini")[0].id == "mini"


def test_indexing_is_bounded_in_depth_and_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = tmp_path.joinpath(*"abcdefghijkl")
    deep.mkdir(parents=True)
    shutil.copy(MINI, deep / "mini.yaml")
    registry = Registry([tmp_path], include_env=False, include_shipped=False)
    assert registry.all_headers() == [] and "depth" in registry.truncated[tmp_path.resolve()]
    monkeypatch.setattr(reg, "MAX_FILES", 3)
    for i in range(6):
        (tmp_path / f"s{i}.yaml").write_text(MINI.read_text(encoding="utf-8").replace("id: mini", f"id: m{i}"),
                                             encoding="utf-8")
    registry = Registry([tmp_path], include_env=False, include_shipped=False)
    assert [h.id for h in registry.all_headers()] == ["m0", "m1", "m2"]
    assert registry.truncated[tmp_path.resolve()] == "3 files"


def test_list_shows_files_hashes_and_shadowing(tmp_path: Path, run_cli: Any) -> None:
    _planted_prov(tmp_path, "mine.yaml")
    res = run_cli("list", "--standards-dir", tmp_path, "--lang", "en", env={"STARRULES_WIDTH": "250"})
    no_traceback(res)
    assert res.exit_code == 0, res.output
    lines = [line for line in res.stdout.splitlines() if line.startswith("│") and line.split("│")[1].strip() == "prov-2023"]
    assert len(lines) == 2
    local = next(line for line in lines if "mine.yaml" in line)
    shipped = next(line for line in lines if "mine.yaml" not in line)
    assert "shadows a shipped id" in local and "shadowed by a local file" in shipped
    assert starrules.load_standard(shipped_root() / "prov-2023.yaml").sha256[:12] in shipped
    assert starrules.load_standard(tmp_path / "mine.yaml").sha256[:12] in local


def test_list_of_a_huge_folder_says_it_stopped(tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reg, "MAX_ENTRIES", 5)
    for i in range(10):
        (tmp_path / f"f{i}.txt").write_text("x", encoding="utf-8")
    res = run_cli("list", "--standards-dir", tmp_path, "--lang", "en")
    assert res.exit_code == 0 and "only partly indexed" in res.stdout


def test_verify_against_the_recorded_files_of_a_shipped_id(tmp_path: Path, run_cli: Any) -> None:
    """The auditor's way to verify with the standard files as they were: --no-shipped."""
    old = tmp_path / "old"
    old.mkdir()
    for name in ("prov-2023.yaml", "port-group-2023.yaml"):
        shutil.copy(shipped_root() / name, old / name)
    text = (old / "prov-2023.yaml").read_text(encoding="utf-8")
    (old / "prov-2023.yaml").write_text(text.replace("title: ", "title: 旧", 1), encoding="utf-8")
    std = Registry([old], include_env=False, include_shipped=False)
    made = starrules.evaluate(starrules.Standard(*starrules._api._compile(std, "port-group-2023", None)), FACTS,
                              embed_facts=True)
    result = tmp_path / "r.json"
    result.write_text(made.to_json(), encoding="utf-8")
    res = run_cli("verify", result, "--standards-dir", old, "--lang", "en")
    assert res.exit_code == 1 and "standard-ambiguous" in res.stderr
    res = run_cli("verify", result, "--standards-dir", old, "--no-shipped", "--lang", "en")
    assert res.exit_code == 0 and "identical" in res.stdout, res.output
    assert starrules.verify(result, standards_dirs=[old], shipped=False).identical
