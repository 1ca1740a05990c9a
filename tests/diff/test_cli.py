"""``starrules diff``: table, JSON and HTML; --population; exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import starrules

from ._support import generate, write_jsonl


def test_table_lists_changes_per_dimension_with_layers(run_cli) -> None:
    out = run_cli("diff", "prov-2023", "prov-2024")
    assert out.exit_code == 0, out.output
    text = out.stdout
    for dim in ("基本队伍（TEAM）", "基本活动（ACT）", "基本作用（ROLE）"):
        assert dim in text
    assert "类型：创星 → 达标（收紧）" in text
    assert "$satisfaction_pass" in text and "0.6 → 0.7（收紧）" in text
    assert "online_study_share" in text and "prov-2023 → prov-2024" in text
    en = run_cli("diff", "prov-2023", "port-group-2023", "--lang", "en").stdout
    assert "kind: star → required (tighter)" in en and "port-group-2023" in en


def test_equal_standards_say_so(run_cli) -> None:
    out = run_cli("diff", "prov-2023", "prov-2023", "--lang", "en")
    assert out.exit_code == 0 and "The standards are the same" in out.stdout


def test_json_is_the_model(run_cli) -> None:
    out = run_cli("diff", "prov@2023", "prov@2024", "--format", "json")
    assert out.exit_code == 0
    assert json.loads(out.stdout) == json.loads(starrules.diff("prov-2023", "prov-2024").model_dump_json())


def test_unknown_standard_is_an_error(run_cli) -> None:
    out = run_cli("diff", "prov-2023", "nope-2023", "--format", "json")
    assert out.exit_code == 1 and json.loads(out.stdout)["error"][0]["code"] == "standard-not-found"


def test_facts_need_population_and_population_needs_facts(run_cli, tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [json.dumps(next(generate.generate(1, seed=1)), ensure_ascii=False)])
    assert run_cli("diff", "prov-2023", "prov-2024", f).exit_code == 2
    assert run_cli("diff", "prov-2023", "prov-2024", "--population").exit_code == 2


def _population(tmp_path: Path, broken: bool) -> Path:
    lines = [json.dumps(d, ensure_ascii=False) for d in generate.generate(25, seed=9)]
    if broken:
        lines.insert(2, "{broken")
    return write_jsonl(tmp_path / "pop.jsonl", lines)


def test_population_table_and_json(run_cli, tmp_path: Path) -> None:
    pop = _population(tmp_path, broken=False)
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "x.json").write_text(json.dumps(next(generate.generate(1, seed=99)) | {"branch": {"id": "EXTRA"}},
                                              ensure_ascii=False), encoding="utf-8")
    out = run_cli("diff", "prov-2023", "port-group-2023", "--population", pop, folder, "--workers", "1")
    assert out.exit_code == 0, out.output
    assert "影响测算：26 个支部" in out.stdout and "结论与星级变化" in out.stdout and "指标状态变化" in out.stdout
    js = run_cli("diff", "prov-2023", "port-group-2023", "-p", pop, "--format", "json", "--workers", "1")
    data = json.loads(js.stdout)
    assert set(data) == {"diff", "impact"} and data["impact"]["rated"] == 25
    api = starrules.impact("prov-2023", "port-group-2023", pop, workers=1)
    assert data["impact"] == json.loads(api.model_dump_json())


def test_population_with_broken_rows_exits_1_but_diffs_the_rest(run_cli, tmp_path: Path) -> None:
    pop = _population(tmp_path, broken=True)
    out = run_cli("diff", "prov-2023", "port-group-2023", "-p", pop, "--lang", "en", "--workers", "1")
    assert out.exit_code == 1
    assert "Impact: 26 branches, 25 rated under both" in out.stdout and "json-syntax" in out.stdout
    assert f"{pop}:3" in out.stdout


def test_html_has_the_heat_table_and_the_chart(run_cli, tmp_path: Path) -> None:
    pop = _population(tmp_path, broken=True)
    page = tmp_path / "impact.html"
    out = run_cli("diff", "prov-2023", "port-group-2023", "-p", pop, "--format", "html", "-o", page, "--workers", "1")
    assert out.exit_code == 1 and page.is_file()
    html = page.read_text(encoding="utf-8")
    assert '<table class="heat">' in html and "<svg" in html and "rgba(183, 28, 28," in html
    assert "@page { size: A4" in html
    assert "ROLE-11" in html and "无法评价的记录" in html
    # self-contained: no scripts, nothing fetched
    assert "<script" not in html and not re.search(r"(src|href)=\"https?:", html)
    en = run_cli("diff", "prov-2023", "prov-2024", "--format", "html", "--lang", "en").stdout
    assert '<html lang="en">' in en and "kind: star → required (tighter)" in en and "<svg" not in en
