"""verify: a recorded result re-runs identically, or the report says exactly what differs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

import starrules
from starrules._standard.registry import shipped_root

from ._support import cli, example, golden

THREE = example("three-star-branch")


def record(tmp_path: Path, *args: str, name: str = "result.json") -> Path:
    """``starrules evaluate ... --format json`` saved as a file, as an auditor would keep it."""
    res = cli("evaluate", *args, "--format", "json")
    assert res.exit_code == 0, res.output
    path = tmp_path / name
    path.write_text(res.stdout, encoding="utf-8")
    return path


def test_identical_with_embedded_facts(tmp_path: Path) -> None:
    path = record(tmp_path, THREE, "-s", "port-group-2023", "--embed-facts")
    res = cli("verify", path)
    assert res.exit_code == 0, res.output
    assert "一致：重新评价的结果与记录完全相同" in res.stdout
    rep = starrules.verify(path)
    assert rep.identical and rep.facts_source == "embedded" and rep.differences == ()
    assert rep.standard_sha256 == starrules.load_standard("port-group-2023").sha256


def test_identical_with_facts_file(tmp_path: Path) -> None:
    path = record(tmp_path, example("pending-branch"), "-s", "city-2023")
    res = cli("verify", path, "--facts", example("pending-branch"), "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "identical: re-evaluating gives the recorded result" in res.stdout
    assert starrules.verify(path, facts=example("pending-branch")).facts_source == "file"


def test_every_example_verifies(tmp_path: Path) -> None:
    for std_id in ("prov-2023", "port-group-2023", "prov-2024", "city-2023"):
        for facts in sorted(Path(example("x")).parent.glob("*.yaml")):
            res = starrules.evaluate(std_id, facts, embed_facts=True)
            path = tmp_path / f"{std_id}-{facts.stem}.json"
            path.write_text(res.to_json(), encoding="utf-8")
            assert starrules.verify(path).identical, (std_id, facts.name)


def test_embedded_facts_with_trailing_zeros_verify(tmp_path: Path) -> None:
    # a JSON result prints 15000.0 as 15000 and 0.880 as 0.88: the facts hash is by value
    text = Path(THREE).read_text(encoding="utf-8")
    text = text.replace("satisfaction: 0.88", "satisfaction: 0.880").replace("funds_cny: 15000", "funds_cny: 15000.0")
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    path = record(tmp_path, facts, "-s", "prov-2023", "--embed-facts")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    assert recorded["facts"]["funds_cny"] == 15000 and recorded["facts"]["satisfaction"] == 0.88
    assert starrules.verify(path).identical
    assert starrules.verify(path, facts=facts).identical


def test_no_facts(tmp_path: Path) -> None:
    path = record(tmp_path, THREE, "-s", "prov-2023")
    res = cli("verify", path)
    assert res.exit_code == 1
    assert "verify-no-facts" in res.stderr and "--embed-facts" in res.stderr
    with pytest.raises(starrules.VerifyError) as err:
        starrules.verify(path)
    assert err.value.problems[0].code == "verify-no-facts"


def test_changed_facts_are_refused(tmp_path: Path) -> None:
    path = record(tmp_path, THREE, "-s", "prov-2023")
    changed = tmp_path / "facts.yaml"
    changed.write_text(
        Path(THREE).read_text(encoding="utf-8").replace("disclosures: 2", "disclosures: 3"), encoding="utf-8"
    )
    res = cli("verify", path, "--facts", changed)
    assert res.exit_code == 1
    assert "verify-facts-changed" in res.stderr
    recorded = json.loads(path.read_text(encoding="utf-8"))["provenance"]["facts_sha256"]
    assert recorded in res.stderr


def test_reformatted_facts_are_the_same_facts(tmp_path: Path) -> None:
    path = record(tmp_path, THREE, "-s", "prov-2023")
    doc = yaml.safe_load(Path(THREE).read_text(encoding="utf-8"))
    as_json = tmp_path / "facts.json"
    as_json.write_text(
        json.dumps({k: doc[k] for k in reversed(list(doc))}, default=str, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    assert starrules.verify(path, facts=as_json).identical


def _local_standards(tmp_path: Path) -> Path:
    """Copies of prov-2023 and port-group-2023 under local ids (a local file may not take a
    shipped id: that would be standard-ambiguous)."""
    folder = tmp_path / "standards"
    folder.mkdir()
    for name in ("prov-2023.yaml", "port-group-2023.yaml"):
        text = (shipped_root() / name).read_text(encoding="utf-8")
        text = (text.replace("id: prov-2023", "id: local-prov-2023").replace("extends: prov-2023", "extends: local-prov-2023")
                .replace("id: port-group-2023", "id: local-port-group-2023")
                .replace("family: prov\n", "family: local-prov\n").replace("family: port-group\n", "family: local-port\n"))
        (folder / f"local-{name}").write_text(text, encoding="utf-8")
    return folder


def _edit(folder: Path, edit: tuple[str, str]) -> None:
    p = folder / "local-prov-2023.yaml"
    text = p.read_text(encoding="utf-8")
    assert edit[0] in text
    p.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")


def test_changed_standard_is_refused(tmp_path: Path) -> None:
    folder = _local_standards(tmp_path)
    path = record(tmp_path, THREE, "-s", "local-port-group-2023", "--standards-dir", str(folder), "--embed-facts")
    _edit(folder, ("satisfaction_excellent: {value: 0.85,", "satisfaction_excellent: {value: 0.9,"))
    res = cli("verify", path, "--standards-dir", folder, "--lang", "en")
    assert res.exit_code == 1
    assert "verify-standard-changed" in res.stderr and "local-port-group-2023" in res.stderr
    recorded = json.loads(path.read_text(encoding="utf-8"))["standard"]["sha256"]
    assert recorded in res.stderr
    with pytest.raises(starrules.VerifyError):
        starrules.verify(path, standards_dirs=[folder])


def test_a_reformatted_standard_is_the_same_standard(tmp_path: Path) -> None:
    folder = _local_standards(tmp_path)
    path = record(tmp_path, THREE, "-s", "local-port-group-2023", "--standards-dir", str(folder), "--embed-facts")
    _edit(folder, ("\ndimensions:\n", "\n\n# reformatted by hand\ndimensions:\n"))
    assert starrules.verify(path, standards_dirs=[folder]).identical


def test_a_local_copy_under_a_shipped_id_is_refused_not_verified(tmp_path: Path) -> None:
    """A planted standard with a shipped id (even its very text) never passes for it."""
    path = record(tmp_path, THREE, "-s", "port-group-2023", "--embed-facts")
    folder = tmp_path / "planted"
    folder.mkdir()
    shutil.copy(shipped_root() / "port-group-2023.yaml", folder / "port-group-2023.yaml")
    res = cli("verify", path, "--standards-dir", folder, "--lang", "en")
    assert res.exit_code == 1 and "standard-ambiguous" in res.stderr, res.output
    assert "port-group-2023.yaml" in res.stderr


def test_tampered_result_lists_every_difference(tmp_path: Path) -> None:
    path = record(tmp_path, THREE, "-s", "prov-2023", "--embed-facts")
    data = json.loads(path.read_text(encoding="utf-8"))
    ind = {i["id"]: i for i in data["indicators"]}
    ind["ORG-08"]["status"] = "PASS"
    data["stars"] = 4
    data["score"] = 40
    data["provenance"]["starrules_version"] = "0.0.1"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    rep = starrules.verify(tampered)
    assert not rep.identical
    assert [(d.path, d.recorded, d.now) for d in rep.differences] == [
        ("stars", 4, 3),
        ("score", 40, 30),
        ("indicators[ORG-08].status", "PASS", "FAIL"),
    ]
    assert [(n.path, n.recorded) for n in rep.notes] == [("provenance.starrules_version", "0.0.1")]
    res = cli("verify", tampered, "--lang", "en")
    assert res.exit_code == 1
    text = res.stdout.replace(rep.facts_sha256, "<facts-sha256>").replace(rep.standard_sha256, "<standard-sha256>")
    golden("verify-tampered-en.txt", text.replace(f"now {starrules.__version__}", "now <version>"))


def test_verify_json(tmp_path: Path) -> None:
    path = record(tmp_path, THREE, "-s", "prov-2023", "--embed-facts")
    res = cli("verify", path, "--format", "json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data["identical"] is True and data["differences"] == []


def test_unreadable_results(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    res = cli("verify", bad)
    assert res.exit_code == 1 and "json-syntax" in res.stderr
    res = cli("verify", tmp_path / "missing.json")
    assert res.exit_code == 1 and "file-not-found" in res.stderr
    half = tmp_path / "half.json"
    half.write_text('{"standard": {"id": "prov-2023"}}', encoding="utf-8")
    res = cli("verify", half)
    assert res.exit_code == 1 and "missing-key" in res.stderr
