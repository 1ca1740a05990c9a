"""``batch`` over a folder of workbooks, ``--roster`` and ``--publish``, read back with readers."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

from starrules._batch.roster import Entry, guard, publish_tables, unit_order
from starrules._batch.summary import order_units

from ._support import ROOT, example_doc, filled

NAMES = ("five-star-branch", "pending-branch", "pharma-young-branch", "required-fail-branch",
         "three-star-branch", "veto-branch")
# units whose code-point order differs from their order of appearance
UNITS = ("乙公司", "甲公司", "乙公司", "丙公司", "甲公司", "")


def _docs() -> list[dict[str, Any]]:
    docs = []
    for name, unit in zip(NAMES, UNITS):
        doc = example_doc(name)
        doc["branch"] = {**doc["branch"], "unit": unit} if unit else {k: v for k, v in doc["branch"].items()
                                                                          if k != "unit"}
        docs.append(doc)
    docs[2]["branch"]["name"] = "=HYPERLINK(\"http://x\")"  # formula injection attempt
    return docs


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    books, yamls = tmp_path / "books", tmp_path / "yamls"
    books.mkdir()
    yamls.mkdir()
    from starrules._facts.write import to_yaml

    for i, doc in enumerate(_docs()):
        filled(books, "prov-2023", doc, f"{i}-{NAMES[i]}.xlsx")
        (yamls / f"{i}-{NAMES[i]}.yaml").write_text(to_yaml(doc), encoding="utf-8")
    (books / "~$0-five-star-branch.xlsx").write_bytes(b"Excel's lock file")  # skipped
    return books, yamls


def _results(out: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for r in rows:
        r["result"]["provenance"].pop("facts_sha256")
        r["result"]["warnings"] = [w for w in r["result"]["warnings"] if w["code"] != "facts-undeclared"]
        r.pop("source")
    return rows


def test_batch_of_workbooks_is_like_one_of_yaml_files(tmp_path: Path, run_cli: Any) -> None:
    books, yamls = _folders(tmp_path)
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    res = run_cli("batch", books, "-s", "prov-2023", "-o", a)
    assert res.exit_code == 0, res.output
    assert run_cli("batch", yamls, "-s", "prov-2023", "-o", b).exit_code == 0
    assert _results(a) == _results(b)


def test_roster_csv_and_xlsx_and_the_summary_agree(tmp_path: Path, run_cli: Any) -> None:
    books, _ = _folders(tmp_path)
    (books / "broken.yaml").write_text("branch: [\n", encoding="utf-8")  # an error row
    csv_path, xlsx_path = tmp_path / "roster.csv", tmp_path / "roster.xlsx"
    res = run_cli("batch", books, "-s", "prov-2023", "-o", tmp_path / "o.jsonl", "--roster", csv_path)
    assert res.exit_code == 1  # an error row
    assert run_cli("batch", books, "-s", "prov-2023", "-o", tmp_path / "o2.jsonl", "--roster", xlsx_path,
                   "--lang", "en").exit_code == 1
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    head, body = rows[0], rows[1:]
    assert head[:8] == ["序号", "来源", "支部编号", "支部名称", "单位", "结论", "星级", "得分"]
    assert len(body) == 7
    by_id = {r[2]: dict(zip(head, r)) for r in body}
    assert by_id["BHPG-CT-OPS"]["结论"] == "达标" and by_id["BHPG-CT-OPS"]["星级"] == "5"
    assert by_id["BHPG-CT-OPS"]["得分"] == "66"
    assert by_id["BHPG-PHARMA-01"]["支部名称"] == "'=HYPERLINK(\"http://x\")"
    assert by_id["BHPG-ENG-P3"]["未通过的达标/否决项"] == "主题党日每月、年度计划与总结"
    assert by_id["BHPG-PILOT"]["待核实事项"] == "satisfaction"
    assert by_id["BHPG-PORT2-BULK"]["未通过的达标/否决项"] == "无重大安全质量事故"
    error = by_id[""]
    assert error["结论"] == "出错" and error["出错原因"] and error["来源"].endswith("broken.yaml")

    # the terminal summary: units in order of appearance, the shares over the rated branches
    text = res.stdout
    assert text.index("乙公司") < text.index("甲公司") < text.index("丙公司") < text.index("（未填单位）")
    assert "占比按已评价的 6 个支部计算，出错的 1 个不计入" in text
    per_unit: dict[str, int] = {}
    for r in body:
        per_unit[r[4]] = per_unit.get(r[4], 0) + 1
    for unit, n in per_unit.items():
        line = next(ln for ln in text.splitlines() if (unit or "（未填单位）") in ln and "│" in ln)
        assert line.split("│")[2].strip() == str(n)

    book = CalamineWorkbook.from_path(str(xlsx_path))
    sheet = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    assert sheet[0][:3] == ["no.", "source", "branch id"]
    xrows = {r[2]: r for r in sheet[1:]}
    assert xrows["BHPG-CT-OPS"][5] == "met" and xrows["BHPG-CT-OPS"][6] == 5 and xrows["BHPG-CT-OPS"][7] == 66
    assert xrows["BHPG-PHARMA-01"][3] == "=HYPERLINK(\"http://x\")"  # a text cell, never a formula
    assert openpyxl.load_workbook(xlsx_path).active["D4"].data_type == "s"


def test_publish_list(tmp_path: Path, run_cli: Any) -> None:
    books, _ = _folders(tmp_path)
    order = tmp_path / "units.txt"
    order.write_text("丙公司\n甲公司\n", encoding="utf-8")
    pub = tmp_path / "公示.xlsx"
    res = run_cli("batch", books, "-s", "prov-2023", "-o", tmp_path / "o.jsonl", "--publish", pub,
                  "--unit-order", order)
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(pub)
    assert wb.sheetnames == ["公示名单", "各单位统计", "不达标及待核实"]
    listed = [[c.value for c in r] for r in wb["公示名单"].iter_rows(min_row=2)]
    # met: five-star (乙, 66), pharma (乙, 21), three-star (甲, 30); declared 丙, 甲 first, then 乙
    assert [(r[0], r[1], r[2], r[4]) for r in listed] == [
        ("甲公司", 1, 2, "BHPG-LOG-WH"), ("乙公司", 1, 1, "BHPG-CT-OPS"), ("乙公司", 2, 3, "BHPG-PHARMA-01")]
    stats = {r[0].value: [c.value for c in r] for r in wb["各单位统计"].iter_rows(min_row=2)}
    assert list(stats) == ["丙公司", "甲公司", "乙公司", "（未填单位）", "合计"]
    assert stats["乙公司"][1:5] == [2, 2, "100.0%", 43.5]
    assert stats["甲公司"][1:4] == [2, 1, "50.0%"] and stats["甲公司"][4] == 30
    assert stats["合计"][1:4] == [6, 3, "50.0%"]
    others = [[c.value for c in r] for r in wb["不达标及待核实"].iter_rows(min_row=2)]
    assert [r[2] for r in others] == ["BHPG-ENG-P3", "BHPG-PILOT", "BHPG-PORT2-BULK"]
    assert others[0][5] == "未通过：主题党日每月、年度计划与总结" and others[1][5] == "待核实：satisfaction"
    assert run_cli("batch", books, "-s", "prov-2023", "-o", tmp_path / "o.jsonl",
                   "--publish", tmp_path / "x.csv").exit_code == 2


def test_ties_share_a_rank_and_named_scores_get_columns() -> None:
    entries = [Entry(0, "a", "A", unit="U", outcome="met", stars=3, score=80, scores={"三星": 90}),
               Entry(1, "b", "B", unit="U", outcome="met", stars=3, score=80),
               Entry(2, "c", "C", unit="U", outcome="met", stars=4, score=85)]
    ranked = publish_tables(entries)["公示名单"][1]
    assert [(r[4], r[1]) for r in ranked] == [("C", 1), ("A", 2), ("B", 2)]
    from starrules._batch.roster import roster_table

    head, rows = roster_table(entries)
    assert "三星" in head and rows[0][head.index("三星")] == 90 and rows[1][head.index("三星")] is None


def test_units_are_never_sorted_by_code_point() -> None:
    assert order_units(["乙", "甲", "", "乙", "丙"]) == ["乙", "甲", "丙", ""]
    assert order_units(["乙", "甲"], ["甲"]) == ["甲", "乙"]
    assert unit_order([Entry(0, "x", unit="b"), Entry(1, "y", unit="a")]) == ["b", "a"]


def test_numbers_shown_rounded_half_up_without_trailing_zeros() -> None:
    from decimal import Decimal

    from starrules._batch.roster import rounded

    assert rounded(Decimal("97.60")) == Decimal("97.6") and str(rounded(Decimal("97.60"))) == "97.6"
    assert rounded(Decimal("2.675")) == Decimal("2.68") and rounded(Decimal("43.5")) == Decimal("43.5")
    assert rounded(Decimal("66.0")) == 66 and type(rounded(Decimal("65.999"))) is int and rounded(None) is None


def test_formula_guard() -> None:
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert guard(bad) == "'" + bad
    assert guard("党支部") == "党支部" and guard(5) == 5
    assert ROOT.exists()
