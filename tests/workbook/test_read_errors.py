"""Problems in a facts workbook: every one located as ``file!sheet!C12`` with its fact path,
the same zh/en message and fix as in a YAML file; workbooks that are not facts workbooks of
this standard refused."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import starrules
from starrules import FactsError, StarrulesError
from starrules._facts.read import read_facts
from starrules._workbook.layout import META_SHEET

from ._support import example_doc, filled, standard

MEETINGS = "会议和活动记录"


def _book(tmp_path: Path, sid: str = "prov-2023") -> Path:
    return filled(tmp_path, sid, example_doc("five-star-branch"))


def _edit(path: Path, edit: Any) -> Path:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _column(wb: Any, sheet: str, header: str) -> str:
    for cell in wb[sheet][1]:
        if str(cell.value).rstrip(" *") == header:
            return str(cell.column_letter)
    raise AssertionError(header)


def _main_row(wb: Any, path: str) -> int:
    for row in wb["基本信息"].iter_rows(min_row=2):
        if row[3].value == path:
            return int(row[0].row)
    raise AssertionError(path)


def _problems(book: Path, sid: str = "prov-2023") -> list[starrules.Problem]:
    with pytest.raises(FactsError) as exc:
        starrules.evaluate(sid, book)
    return list(exc.value.problems)


def _same_as_yaml(problem: starrules.Problem, tmp_path: Path, edit_doc: Any) -> None:
    """The YAML facts with the same mistake give the same code, message and fix."""
    from starrules._facts.write import to_yaml

    doc = example_doc("five-star-branch")
    edit_doc(doc)
    y = tmp_path / "same.yaml"
    y.write_text(to_yaml(doc), encoding="utf-8")
    with pytest.raises(FactsError) as exc:
        starrules.evaluate("prov-2023", y)
    twin = next(p for p in exc.value.problems if p.path == problem.path)
    assert twin.code == problem.code
    for lang in ("zh", "en"):
        assert twin.message(lang) == problem.message(lang) and twin.fix(lang) == problem.fix(lang)


def test_wrong_type_is_located_at_its_cell(tmp_path: Path) -> None:
    book = _book(tmp_path)
    letter: list[str] = []

    def edit(wb: Any) -> None:
        letter.append(_column(wb, MEETINGS, "实到"))
        wb[MEETINGS][f"{letter[0]}12"] = "五"

    [p] = _problems(_edit(book, edit))
    assert (p.code, p.file, p.path, p.line) == ("facts-type", f"{book}!{MEETINGS}!{letter[0]}12", "meetings[10].present",
                                               None)
    assert p.where == f"{book}!{MEETINGS}!{letter[0]}12"
    assert "整数" in p.message("zh") and "whole number" in p.message("en")
    _same_as_yaml(p, tmp_path, lambda d: d["meetings"][10].update(present="五"))


def test_an_integral_decimal_is_an_int_and_a_fraction_is_refused(tmp_path: Path) -> None:
    book = _book(tmp_path)

    def edit(wb: Any) -> None:
        col = _column(wb, MEETINGS, "实到")
        wb[MEETINGS][f"{col}2"] = 4.0
        wb[MEETINGS][f"{col}3"] = 4.5

    book = _edit(book, edit)
    doc = read_facts(book)[0]
    assert doc["meetings"][0]["present"] == 4 and type(doc["meetings"][0]["present"]) is int
    [p] = _problems(book)
    assert p.code == "facts-type" and p.path == "meetings[1].present" and "4.5" in p.message("en")


def test_bad_date_is_located(tmp_path: Path) -> None:
    book = _book(tmp_path)
    col: list[str] = []

    def edit(wb: Any) -> None:
        col.append(_column(wb, MEETINGS, "召开日期"))
        wb[MEETINGS][f"{col[0]}4"] = "2023-02-30"
        wb[MEETINGS][f"{col[0]}5"] = "2023/3/7"  # a date typed as text, Chinese style: fine
        wb[MEETINGS][f"{col[0]}6"] = datetime(2023, 3, 8, 14, 30)  # with a time: a timestamp

    book = _edit(book, edit)
    problems = _problems(book)
    assert [(p.code, p.file, p.path) for p in problems] == [
        ("facts-type", f"{book}!{MEETINGS}!{col[0]}4", "meetings[2].date"),
        ("facts-timestamp", f"{book}!{MEETINGS}!{col[0]}6", "meetings[4].date"),
    ]
    assert read_facts(book)[0]["meetings"][3]["date"] == "2023-03-07"
    _same_as_yaml(problems[0], tmp_path, lambda d: d["meetings"][2].update(date="2023-02-30"))


def test_unknown_dropdown_value_is_located_with_a_suggestion(tmp_path: Path) -> None:
    book = _book(tmp_path)

    def edit(wb: Any) -> None:
        wb[MEETINGS][f"{_column(wb, MEETINGS, '类型')}7"] = "comittee"

    [p] = _problems(_edit(book, edit))
    assert p.code == "facts-invalid-value" and p.path == "meetings[5].type" and p.file.endswith("!B7")
    assert "committee" in p.message("en")
    _same_as_yaml(p, tmp_path, lambda d: d["meetings"][5].update(type="comittee"))


def test_main_sheet_problems_are_located_in_the_value_column(tmp_path: Path) -> None:
    book = _book(tmp_path)
    rows: dict[str, int] = {}

    def edit(wb: Any) -> None:
        rows["id"], rows["sat"] = _main_row(wb, "branch.id"), _main_row(wb, "satisfaction")
        wb["基本信息"][f"B{rows['id']}"] = None
        wb["基本信息"][f"B{rows['sat']}"] = 1.5

    problems = _problems(_edit(book, edit))
    assert {(p.code, p.file, p.path) for p in problems} == {
        ("facts-missing", f"{book}!基本信息!B{rows['id']}", "branch.id"),
        ("facts-range", f"{book}!基本信息!B{rows['sat']}", "satisfaction"),
    }


def test_an_empty_cell_is_unknown(tmp_path: Path) -> None:
    book = _book(tmp_path)
    _edit(book, lambda wb: wb["基本信息"].__setitem__(f"B{_main_row(wb, 'satisfaction')}", None))
    result = starrules.evaluate("prov-2023", book)
    assert "satisfaction" in result.facts_to_verify
    assert "satisfaction" not in read_facts(book)[0]


def test_missing_sheet(tmp_path: Path) -> None:
    book = _edit(_book(tmp_path), lambda wb: wb.remove(wb["整改事项"]))
    [p] = _problems(book)
    assert (p.code, p.file, p.path) == ("xlsx-missing-sheet", str(book), "rectifications")
    assert "整改事项" in p.message("zh") and "整改事项" in p.message("en") and p.fix("zh") and p.fix("en")


def test_missing_column_and_a_moved_or_added_column(tmp_path: Path) -> None:
    book = _book(tmp_path)

    def edit(wb: Any) -> None:
        ws = wb[MEETINGS]
        ws.insert_cols(1)  # a notes column in front: columns are found by their header
        ws["A1"] = "备注"
        ws["A2"] = "补记"

    _edit(book, edit)
    assert read_facts(book)[0]["meetings"] == example_doc("five-star-branch")["meetings"]
    _edit(book, lambda wb: wb[MEETINGS].__setitem__(f"{_column(wb, MEETINGS, '应到')}1", "应到人数"))
    [p] = _problems(book)
    assert (p.code, p.file, p.path) == ("xlsx-missing-column", f"{book}!{MEETINGS}", "meetings[].expected")
    assert "应到" in p.message("zh")


def test_workbook_for_another_standard_is_refused(tmp_path: Path) -> None:
    book = _book(tmp_path, "city-2023")
    [p] = _problems(book, "prov-2023")
    assert p.code == "xlsx-wrong-standard" and p.file == str(book)
    assert "city-2023" in p.message("en") and "prov-2023" in p.message("zh")
    assert starrules.evaluate("city-2023", book).outcome == starrules.evaluate(
        "city-2023", Path(__file__).parents[2] / "examples" / "five-star-branch.yaml").outcome


def test_changed_standard_is_a_warning(tmp_path: Path) -> None:
    book = _book(tmp_path)

    def edit(wb: Any) -> None:
        ws = wb[META_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "sha256":
                row[1].value = "0" * 64

    result = starrules.evaluate("prov-2023", _edit(book, edit))
    assert [w.code for w in result.warnings] == ["xlsx-standard-changed"]


def test_not_a_template_and_not_a_workbook(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "支部"
    wb.save(plain)
    [p] = _problems(plain)
    assert p.code == "xlsx-not-template" and p.file == str(plain)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    [p] = _problems(fake)
    assert p.code == "xlsx-unreadable" and p.message("zh") and p.fix("en")
    [p] = _problems(tmp_path / "none.xlsx")
    assert p.code == "file-not-found"


def test_damaged_hidden_layout_and_a_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _book(tmp_path)

    def edit(wb: Any) -> None:
        ws = wb[META_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "layout":
                row[1].value = '{"cells": [{"path": [], "label": "x", "type": "int"}]}'

    [p] = _problems(_edit(book, edit))
    assert p.code == "xlsx-not-template"
    from starrules._workbook import read

    monkeypatch.setattr(read, "MAX_WORKBOOK_BYTES", 100)
    [p] = _problems(book)
    assert p.code == "file-too-large"


def test_missing_extra_gives_the_install_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _book(tmp_path)
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    [p] = _problems(book)
    assert p.code == "xlsx-missing-extra" and "starrules[xlsx]" in p.fix("en") and "python-calamine" in p.message("en")
    with pytest.raises(FactsError) as exc:
        filled(tmp_path, "prov-2023", {}, "again.xlsx")
    assert exc.value.problems[0].code == "xlsx-missing-extra"


def test_unwritable_output(tmp_path: Path) -> None:
    with pytest.raises(StarrulesError) as exc:
        filled(tmp_path / "no-such-dir", "prov-2023", {})
    [p] = exc.value.problems
    assert p.code == "output-unwritable" and p.message("zh") and p.fix("en")


def test_cli_evaluate_renders_the_cell(tmp_path: Path, run_cli: Any) -> None:
    book = _edit(_book(tmp_path), lambda wb: wb[MEETINGS].__setitem__(f"{_column(wb, MEETINGS, '实到')}12", "五"))
    res = run_cli("evaluate", book, "-s", "prov-2023", "--lang", "en")
    assert res.exit_code == 1
    assert f"{book}!{MEETINGS}!" in res.stderr and "meetings[10].present" in res.stderr
    for command in (("explain", book, "-s", "prov-2023"), ("next-star", book, "-s", "prov-2023")):
        res = run_cli(*command)
        assert res.exit_code == 1 and "facts-type" in res.stderr, res.output
    assert standard("prov-2023").id == "prov-2023"
    assert date(2023, 1, 1)  # dates stay dates: see test_roundtrip
