"""``starrules evaluate``: table and JSON output, errors as messages with exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import starrules

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_json_output_is_the_result_model(run_cli) -> None:
    out = run_cli("evaluate", EXAMPLES / "five-star-branch.yaml", "--standard", "prov-2023", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    api = starrules.evaluate("prov-2023", EXAMPLES / "five-star-branch.yaml").model_dump(mode="json")
    assert data == api
    assert (data["outcome"], data["stars"]) == ("met", 5)


def test_table_groups_by_dimension_and_ends_with_the_stars(run_cli) -> None:
    out = run_cli("evaluate", EXAMPLES / "three-star-branch.yaml", "-s", "prov-2023")
    assert out.exit_code == 0, out.output
    text = out.stdout
    for dim in ("ORG 基本组织", "TEAM 基本队伍", "ACT 基本活动", "ROLE 基本作用", "INST 基本制度", "SUP 基本保障"):
        assert dim in text
    assert "结论：达标" in text and "★★★☆☆ (3)" in text
    en = run_cli("evaluate", EXAMPLES / "three-star-branch.yaml", "-s", "prov-2023", "--lang", "en").stdout
    assert "Outcome: met" in en and "Stars: ★★★☆☆ (3)" in en


def test_not_met_lists_the_rectification_list(run_cli) -> None:
    out = run_cli("evaluate", EXAMPLES / "veto-branch.yaml", "-s", "prov-2023")
    assert out.exit_code == 0
    assert "整改清单" in out.stdout and "ROLE-07" in out.stdout


def test_pending_lists_facts_to_verify(run_cli) -> None:
    out = run_cli("evaluate", EXAMPLES / "pending-branch.yaml", "-s", "prov-2023", "--lang", "en")
    assert "Facts to verify" in out.stdout and "satisfaction" in out.stdout


def test_family_picks_the_version_for_the_year(run_cli, tmp_path: Path) -> None:
    doc = (EXAMPLES / "five-star-branch.yaml").read_text(encoding="utf-8").replace("year: 2023", "year: 2024")
    path = tmp_path / "b2024.yaml"
    path.write_text(doc, encoding="utf-8")
    out = run_cli("evaluate", path, "-s", "prov", "--lang", "en")
    assert out.exit_code == 0, out.output
    assert "picked version: prov → prov-2024" in out.stdout
    missing = run_cli("evaluate", path.with_name("x.yaml"), "-s", "prov")
    assert missing.exit_code == 1


def test_no_version_for_the_year_lists_versions(run_cli, tmp_path: Path) -> None:
    doc = (EXAMPLES / "five-star-branch.yaml").read_text(encoding="utf-8").replace("year: 2023", "year: 2031")
    path = tmp_path / "b2031.yaml"
    path.write_text(doc, encoding="utf-8")
    out = run_cli("evaluate", path, "-s", "prov", "--lang", "en")
    assert out.exit_code == 1
    assert "no-version-for-year" in out.stderr and "prov-2023" in out.stderr and "prov-2024" in out.stderr
    assert "Traceback" not in out.output


def test_bad_facts_exit_1_with_paths_and_json_error(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"branch": {"id": "X"}, "year": "2023", "members": [{"id": "a", "status": "formel"}]}),
                    encoding="utf-8")
    out = run_cli("evaluate", path, "-s", "prov-2023", "--lang", "en")
    assert out.exit_code == 1
    assert "facts-type" in out.stderr and "year" in out.stderr
    assert "members[0].status" in out.stderr and "did you mean 'formal'" in out.stderr
    as_json = run_cli("evaluate", path, "-s", "prov-2023", "--format", "json")
    assert as_json.exit_code == 1
    errors = json.loads(as_json.stdout)["error"]
    assert {e["code"] for e in errors} == {"facts-type", "facts-invalid-value"}
    assert "Traceback" not in as_json.output


def test_unknown_standard_and_usage_errors(run_cli) -> None:
    out = run_cli("evaluate", EXAMPLES / "five-star-branch.yaml", "-s", "prov-2099", "--lang", "en")
    assert out.exit_code == 1 and "standard-not-found" in out.stderr and "prov-2023" in out.stderr
    assert run_cli("evaluate", EXAMPLES / "five-star-branch.yaml").exit_code == 2
    assert run_cli("evaluate", EXAMPLES / "five-star-branch.yaml", "-s", "prov-2023", "--format", "xml").exit_code == 2
