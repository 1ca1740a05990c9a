"""The case-file format, its loader, the comparison and ``starrules test`` itself."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from starrules import run_cases
from starrules._cases import CaseError, collect, load_case_file
from starrules._cases.compare import same_number, show_number
from starrules._cases.merge import merge
from starrules._cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
FIVE_STAR = (ROOT / "examples" / "five-star-branch.yaml").as_posix()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"STARRULES_WIDTH": "400"}).invoke(cli, ["test", *args])
    return result.exit_code, result.output


# -- merge -----------------------------------------------------------------------------------


def test_merge_mappings_key_by_key_lists_whole_null_removes() -> None:
    base = {"a": {"x": 1, "y": 2}, "l": [1, 2, 3], "gone": 5, "keep": True}
    out = merge(base, {"a": {"y": 3, "z": None}, "l": [9], "gone": None})
    assert out == {"a": {"x": 1, "y": 3}, "l": [9], "keep": True}
    assert base == {"a": {"x": 1, "y": 2}, "l": [1, 2, 3], "gone": 5, "keep": True}  # untouched


def test_merge_a_new_mapping_drops_its_null_keys() -> None:
    assert merge({}, {"term": {"start": "2020-01-01", "years": None}}) == {"term": {"start": "2020-01-01"}}


# -- compare ---------------------------------------------------------------------------------


def test_numbers_compare_exactly() -> None:
    assert same_number(Decimal("0.5"), Fraction(1, 2))
    assert same_number(90, Decimal("90.00"))
    assert not same_number(Decimal("89.99999999999999"), 90)
    assert show_number(Fraction(8997, 100)) == "89.97"
    assert show_number(Fraction(1, 3)) == "1/3"
    assert show_number(Decimal("96.20")) == "96.2"


# -- loading ---------------------------------------------------------------------------------


def test_a_case_merges_its_facts_onto_the_base(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", f"""\
standard: prov-2023
base: {FIVE_STAR}
cases:
  - name: 满意度未知
    facts: {{satisfaction: null, secretary: {{in_post: false}}}}
    expect: {{outcome: not_met}}
""")
    [case] = load_case_file(path)
    assert "satisfaction" not in case.facts
    assert case.facts["secretary"]["in_post"] is False
    assert case.facts["secretary"]["is_unit_leader"] is True  # the rest of the mapping is kept
    assert case.id == f"{path}::满意度未知"


def test_relative_paths_resolve_from_the_case_file(tmp_path: Path) -> None:
    write(tmp_path, "facts/b.yaml", "branch: {id: B}\nyear: 2023\n")
    write(tmp_path, "std/mine.yaml", (ROOT / "standards" / "prov-2023.yaml").read_text(encoding="utf-8")
          .replace("id: prov-2023", "id: mine-2023").replace("family: prov", "family: mine"))
    path = write(tmp_path, "sub/c.yaml", """\
standard: ../std/mine.yaml
base: ../facts/b.yaml
cases:
  - name: a
    expect: {outcome: pending}
""")
    [case] = load_case_file(path)
    assert case.facts == {"branch": {"id": "B"}, "year": 2023}
    assert Path(case.standard) == (tmp_path / "std" / "mine.yaml").resolve()
    report = run_cases([path])
    assert report.ok and report.passed == 1
    assert list(report.coverage.standards) == ["mine-2023"]


@pytest.mark.parametrize("text, where, words", [
    ("standard: prov-2023\ncases:\n  - name: a\n    expct: {outcome: met}\n", ":4:5", ["expct", "expect"]),
    ("standard: prov-2023\ncases:\n  - name: a\n    expect: {outcome: mett}\n", ":4:23", ["mett", "met"]),
    ("standard: prov-2023\ncases:\n  - name: a\n    expect: {stars: '5'}\n", ":4:21", ["stars"]),
    ("standard: prov-2023\ncases:\n  - name: a\n    expect: {indicators: {ORG-01: PASSED}}\n", ":4:35", ["PASSED"]),
    ("standard: prov-2023\ncases:\n  - name: a\n    expect: {indicators: {ORG-01: {}}}\n", ":4:35", ["ORG-01"]),
    ("standard: prov-2023\ncases:\n  - name: a\n    expect: {}\n  - name: a\n    expect: {}\n", ":5:11", ["a"]),
    ("standard: prov-2023\nbase: nowhere.yaml\ncases:\n  - name: a\n    expect: {}\n", ":2:7", ["nowhere.yaml"]),
    ("standard: prov-2023\ncases: []\n", ":2:8", []),
    ("- just a list\n", ":1:1", []),
])
def test_invalid_case_files_are_located(tmp_path: Path, text: str, where: str, words: list[str]) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(CaseError) as info:
        load_case_file(path)
    problems = info.value.problems
    assert all(p.code == "case-invalid" for p in problems), [p.render("en") for p in problems]
    rendered = "\n".join(p.render("en") for p in problems)
    assert f"{path}{where}" in rendered, rendered
    for word in words:
        assert word in rendered


def test_a_facts_problem_points_at_the_line_that_wrote_it(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", f"""\
standard: prov-2023
base: {FIVE_STAR}
cases:
  - name: 负数
    facts:
      missing_records: -1
    expect: {{outcome: met}}
""")
    report = run_cases([path])
    [outcome] = report.outcomes
    assert not outcome.passed and outcome.result is None
    [problem] = outcome.problems
    assert (problem.code, problem.file, problem.line) == ("facts-range", str(path), 6)


def test_directories_skip_facts_folders(tmp_path: Path) -> None:
    write(tmp_path, "cases/facts/base.yaml", "branch: {id: B}\nyear: 2023\n")
    write(tmp_path, "cases/a.yaml", "standard: prov-2023\nbase: facts/base.yaml\ncases:\n  - name: x\n    expect: {}\n")
    found = collect([tmp_path / "cases"])
    assert [Path(f).name for f in found.files] == ["a.yaml"]
    assert not found.problems and len(found.cases) == 1


# -- starrules test --------------------------------------------------------------------------


CASES = f"""\
standard: prov-2023
base: {FIVE_STAR}
cases:
  - name: 五星
    expect: {{outcome: met, stars: 5, score: 66}}
  - name: 满意度0.59
    facts: {{satisfaction: 0.59}}
    expect: {{outcome: met, stars: 5, indicators: {{ROLE-05: PASS}}}}
"""


def test_cli_reports_a_failing_case_with_expected_actual_and_why(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", CASES)
    code, out = run_cli(str(path))
    assert code == 1
    assert f"{path}:6 满意度0.59" in out
    assert "评定结果：期望 met，实际 not_met" in out
    assert "ROLE-05：期望 PASS，实际 FAIL" in out
    assert "说明：" in out and "群众满意度 59%，合格线 60%" in out  # the indicator's explanation
    assert out.rstrip().endswith("1 passed, 1 failed")


def test_cli_in_english(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", CASES)
    code, out = run_cli(str(path), "--lang", "en")
    assert code == 1
    assert "outcome: expected met, got not_met" in out
    assert "ROLE-05: expected PASS, got FAIL" in out
    assert "why: " in out and "satisfaction 59%; pass mark 60%" in out


def test_cli_exit_codes(tmp_path: Path) -> None:
    good = write(tmp_path, "good/c.yaml", CASES.split("  - name: 满意度0.59")[0])
    assert run_cli(str(good))[0] == 0
    assert run_cli(str(tmp_path / "missing"))[0] == 2
    bad = write(tmp_path, "bad/c.yaml", "standard: prov-2023\ncases:\n  - name: a\n")
    code, out = run_cli(str(bad))
    assert code == 1 and "case-invalid" in out


def test_cli_selects_cases_with_k(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", CASES)
    code, out = run_cli(str(path), "-k", "五星")
    assert code == 0 and out.rstrip().endswith("1 passed, 0 failed")


def test_cli_coverage_names_the_gaps(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", CASES)
    _, out = run_cli(str(path), "--coverage", "--lang", "en")
    assert "│ prov-2023 │ 2 " in out  # the table: standard, cases run
    never_fail = next(line for line in out.splitlines() if "prov-2023 never FAIL (" in line)
    assert "ORG-01" in never_fail and "ROLE-05" not in never_fail  # ROLE-05 was seen PASS and FAIL
    assert "ROLE-09" in next(line for line in out.splitlines() if "prov-2023 never NA (" in line)
    assert "TEAM-02" in next(line for line in out.splitlines() if "prov-2023 never PASS, never FAIL (" in line)


def test_null_expects_no_stars_and_no_score_while_a_missing_key_checks_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", f"""\
standard: prov-2023
base: {FIVE_STAR}
cases:
  - name: 写了 null
    expect: {{stars: null, score: null}}
  - name: 什么都没写
    expect: {{}}
""")
    report = run_cases([path])
    first, second = report.outcomes
    assert [m.field for m in first.mismatches] == ["stars", "score"]
    assert second.passed
