"""``verify`` says what changed in a standard since a result was recorded (issue 12:
indicator, parameter, old → new, layer), from the fingerprint every result records."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import starrules
from starrules._api import Standard, _compile
from starrules._standard.registry import Registry, shipped_root

from ._support import EXAMPLES

FIVE = EXAMPLES / "five-star-branch.yaml"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "standards"
    folder.mkdir()
    for name in ("prov-2023.yaml", "port-group-2023.yaml"):
        shutil.copy(shipped_root() / name, folder / name)
    return folder


def _edit(path: Path, *edits: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def _record(tmp_path: Path, folder: Path, sid: str) -> Path:
    # the copies reuse shipped ids: only their folder is searched (as `verify --no-shipped`)
    std = Standard(*_compile(Registry([folder], include_shipped=False), sid, None))
    out = tmp_path / "result.json"
    out.write_text(starrules.evaluate(std, FIVE, embed_facts=True).to_json(), encoding="utf-8")
    return out


def _changes(path: Path, folder: Path) -> list[dict]:
    with pytest.raises(starrules.VerifyError) as err:
        starrules.verify(path, standards_dirs=[folder], shipped=False)
    codes = [p.code for p in err.value.problems]
    assert codes[0] == "verify-standard-changed"
    return [p.params["change"] for p in err.value.problems if p.code == "verify-what-changed"]


def test_an_edited_standard_names_each_change(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = _record(tmp_path, folder, "prov-2023")
    _edit(folder / "prov-2023.yaml",
          ("satisfaction_pass: {value: 0.6,", "satisfaction_pass: {value: 0.7,"),
          ("  - id: TEAM-04\n    dimension: TEAM\n    kind: star\n", "  - id: TEAM-04\n    dimension: TEAM\n    kind: required\n"),
          ("    rule: count(members) <= $max_members\n", "    rule: count(members) < $max_members\n"),
          ("  NE: members where not exempt\n", "  NE: members where not exempt and status == \"formal\"\n"))
    changes = _changes(path, folder)
    got = {(c["what"], c["id"], c.get("field"), str(c.get("old")), str(c.get("new")), c.get("direction"),
            c.get("old_layer"), c.get("layer")) for c in changes}
    assert got == {
        ("parameter", "satisfaction_pass", None, "0.6", "0.7", "tighter", "prov-2023", "prov-2023"),
        ("indicator", "TEAM-04", "kind", "star", "required", "tighter", None, "prov-2023"),
        ("indicator", "ORG-02", "rule", "count(members) <= $max_members", "count(members) < $max_members", None, None,
         "prov-2023"),
        ("definition", "NE", None, "None", "None", None, None, None),
    }


def test_the_cli_prints_what_changed(tmp_path: Path, run_cli) -> None:
    folder = _copy(tmp_path)
    path = _record(tmp_path, folder, "prov-2023")
    _edit(folder / "prov-2023.yaml", ("satisfaction_pass: {value: 0.6,", "satisfaction_pass: {value: 0.7,"))
    out = run_cli("verify", path, "--standards-dir", folder, "--no-shipped")
    assert out.exit_code == 1
    assert "verify-what-changed" in out.stderr and "$satisfaction_pass：0.6 → 0.7（收紧" in out.stderr
    en = run_cli("verify", path, "--standards-dir", folder, "--no-shipped", "--lang", "en", "--format", "json")
    codes = [p["code"] for p in json.loads(en.stdout)["error"]]
    assert codes == ["verify-standard-changed", "verify-what-changed"]


def test_an_overlays_parameter_names_its_layer(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = _record(tmp_path, folder, "port-group-2023")
    _edit(folder / "port-group-2023.yaml", ("  theme_day_attendance: 0.9\n", "  theme_day_attendance: 0.95\n"),
          ("    rule: responsibility_review_done\n", "    rule: responsibility_review_done\n    applies: year >= 2023\n"))
    _edit(folder / "prov-2023.yaml", ("satisfaction_pass: {value: 0.6,", "satisfaction_pass: {value: 0.65,"))
    changes = {(c["what"], c["id"]): c for c in _changes(path, folder)}
    theme = changes[("parameter", "theme_day_attendance")]
    assert (str(theme["old"]), str(theme["new"]), theme["old_layer"], theme["layer"], theme["direction"]) == (
        "0.9", "0.95", "port-group-2023", "port-group-2023", "tighter")
    sat = changes[("parameter", "satisfaction_pass")]
    assert (sat["old_layer"], sat["layer"]) == ("prov-2023", "prov-2023")
    inst = changes[("indicator", "INST-09")]  # applicability is not recorded in a result: named, not shown
    assert inst["field"] == "other" and inst["layer"] == "port-group-2023"
    assert len(changes) == 3


def test_added_and_removed_indicators(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = _record(tmp_path, folder, "port-group-2023")
    _edit(folder / "port-group-2023.yaml", ("  - id: INST-09\n", "  - id: INST-10\n"))
    changes = {(c["what"], c["id"], c["change"]) for c in _changes(path, folder)}
    assert changes == {("indicator", "INST-10", "added"), ("indicator", "INST-09", "removed")}


def test_a_result_without_fingerprint_still_verifies_and_names_what_it_can(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = _record(tmp_path, folder, "prov-2023")
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["standard"]["fingerprint"]  # as an earlier release wrote it
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = starrules.verify(path, standards_dirs=[folder], shipped=False)
    assert report.identical and [n.path for n in report.notes] == ["standard.fingerprint"]
    _edit(folder / "prov-2023.yaml",
          ("satisfaction_pass: {value: 0.6,", "satisfaction_pass: {value: 0.7,"),
          ("  - id: TEAM-04\n    dimension: TEAM\n    kind: star\n", "  - id: TEAM-04\n    dimension: TEAM\n    kind: required\n"))
    changes = _changes(path, folder)
    assert [(c["what"], c["id"], c.get("field")) for c in changes] == [("indicator", "TEAM-04", "kind")]


def test_the_fingerprint_is_compact() -> None:
    res = starrules.evaluate("prov-2023", FIVE)
    fp = res.standard.fingerprint
    assert fp is not None and len(fp.indicators) == 52 and set(fp.parameters) == set(
        starrules.load_standard("prov-2023").resolved.parameters)
    assert len(fp.model_dump_json()) < len(res.to_json()) / 8
