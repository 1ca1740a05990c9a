"""Every shipped standard x every shipped example, case facts file and generated branch:
written into the standard's workbook through the library, read back, rated equal to the
YAML/JSON facts; ``facts convert`` round trips."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import starrules
from starrules._facts.read import read_facts
from starrules._workbook.cells import ABSENT, from_cell, to_cell
from starrules._workbook.layout import Cell

from ._support import ROOT, SHIPPED, comparable, declared_only, filled, standard

sys.path.insert(0, str(ROOT / "tests" / "golden"))
import _golden

sys.path.pop(0)

PAIRS = [(sid, name, facts) for sid in SHIPPED for name, facts in _golden.branches(sid)]


@pytest.mark.parametrize(("sid", "name", "facts"), PAIRS, ids=[f"{s}-{n}" for s, n, _ in PAIRS])
def test_workbook_rates_like_the_yaml(tmp_path: Path, sid: str, name: str, facts: Any) -> None:
    std = standard(sid)
    doc = read_facts(facts)[0] if isinstance(facts, Path) else facts
    book = filled(tmp_path, sid, doc)
    back, _positions, display = read_facts(book)
    assert display == str(book)
    assert back == declared_only(std, _dates(doc, back))
    assert comparable(starrules.evaluate(std, book)) == comparable(starrules.evaluate(std, facts))


def _dates(doc: Any, back: Any) -> Any:
    """JSON facts hold dates as ISO texts; the workbook gives them back as dates."""
    if isinstance(doc, dict) and isinstance(back, dict):
        return {k: _dates(v, back.get(k)) for k, v in doc.items()}
    if isinstance(doc, list) and isinstance(back, list) and len(doc) == len(back):
        return [_dates(a, b) for a, b in zip(doc, back)]
    if isinstance(doc, str) and isinstance(back, date):
        return date.fromisoformat(doc)
    return doc


@pytest.mark.parametrize("sid", SHIPPED)
def test_convert_yaml_xlsx_yaml_json_gives_equal_facts(tmp_path: Path, run_cli: Any, sid: str) -> None:
    src = ROOT / "examples" / "five-star-branch.yaml"
    std = standard(sid)
    book, yaml_back, json_back = tmp_path / "f.xlsx", tmp_path / "f.yaml", tmp_path / "f.json"
    res = run_cli("facts", "convert", src, "-s", sid, "-o", book)
    assert res.exit_code == 0, res.output
    assert run_cli("facts", "convert", book, "-o", yaml_back).exit_code == 0
    assert run_cli("facts", "convert", yaml_back, "-o", json_back).exit_code == 0
    original = read_facts(src)[0]
    for path in (yaml_back, json_back):
        again = read_facts(path)[0]
        assert again == declared_only(std, original) or path.suffix == ".json"
        assert std.compiled.validator.validate(again).values == std.compiled.validator.validate(original).values
    # and back into a workbook from JSON: the same cells
    book2 = tmp_path / "g.xlsx"
    assert run_cli("facts", "convert", json_back, "-s", sid, "-o", book2).exit_code == 0
    assert read_facts(book2)[0] == read_facts(book)[0]


def test_convert_needs_the_standard_for_xlsx_and_a_known_suffix(tmp_path: Path, run_cli: Any) -> None:
    src = ROOT / "examples" / "five-star-branch.yaml"
    assert run_cli("facts", "convert", src, "-o", tmp_path / "x.xlsx").exit_code == 2
    assert run_cli("facts", "convert", src, "-o", tmp_path / "x.txt").exit_code == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("branch: {id: X}\nyear: 二〇二三\n", encoding="utf-8")
    res = run_cli("facts", "convert", bad, "-s", "prov-2023", "-o", tmp_path / "x.xlsx", "--lang", "en")
    assert res.exit_code == 1 and "facts-type" in res.output
    assert not (tmp_path / "x.xlsx").exists()


def test_empty_lists_empty_texts_and_no_records_survive(tmp_path: Path) -> None:
    doc = {"branch": {"id": "B1", "name": ""}, "year": 2023, "party_groups": [], "rectifications": [],
           "meetings": [{"id": "M1", "type": "group", "date": date(2023, 1, 5), "topics": [],
                         "group": "第一、第二党小组"}],
           "care": {"targets": ["张三，李四", "[王五]"]}}
    back = read_facts(filled(tmp_path, "prov-2023", doc))[0]
    assert back == doc
    assert "members" not in back  # an empty sheet is unknown, not "no records"


def test_numbers_stay_exact_decimals(tmp_path: Path) -> None:
    doc = {"branch": {"id": "B1"}, "year": 2023, "satisfaction": Decimal("0.7"), "funds_cny": Decimal("0.1"),
           "unit_kpi_completion": Decimal("1.23456789012345678901"), "missing_records": 4}
    back = read_facts(filled(tmp_path, "prov-2023", doc))[0]
    assert back == doc
    assert all(type(v) is not float for v in back.values())
    assert type(back["missing_records"]) is int and type(back["satisfaction"]) is Decimal
    assert str(back["satisfaction"]) == "0.7" and str(back["unit_kpi_completion"]) == "1.23456789012345678901"


# -- one cell, both ways ---------------------------------------------------------------------------


def _stored(kind: str, value: Any) -> Any:
    """What python-calamine gives back for what the writer wrote: numbers as doubles."""
    return float(value) if kind == "number" else value


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
_decimals = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
_dates_st = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
CASES = {
    "string": (Cell(("x",), "x", "", "string"), _texts),
    "int": (Cell(("x",), "x", "", "int"), st.integers(-(10**12), 10**12)),
    "number": (Cell(("x",), "x", "", "number"), _decimals),
    "date": (Cell(("x",), "x", "", "date"), _dates_st),
    "bool": (Cell(("x",), "x", "", "bool"), st.booleans()),
    "enum": (Cell(("x",), "x", "", "enum", choices=(("正式党员", "formal"), ("预备党员", "probationary"))),
             st.sampled_from(["formal", "probationary"])),
    "list": (Cell(("x",), "x", "", "list", of="string"), st.lists(_texts, max_size=4)),
    "list-int": (Cell(("x",), "x", "", "list", of="int"), st.lists(st.integers(1, 12), max_size=4)),
}


@pytest.mark.parametrize("kind", list(CASES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_value_survives_its_cell(kind: str, data: Any) -> None:
    cell, values = CASES[kind]
    value = data.draw(values)
    written = to_cell(value, cell)
    assert written is not None
    back = from_cell(_stored(*written), cell)
    if isinstance(value, str) and value.strip() == "" and cell.type == "string":
        assert back is ABSENT  # whitespace alone reads as an empty cell (documented)
        return
    assert back is not ABSENT
    assert back == value and type(back) is type(value) or (isinstance(value, Decimal) and back == value)
    assert type(back) is not float


def test_json_facts_write_exact_decimals(tmp_path: Path) -> None:
    from starrules._facts.write import to_json, to_yaml

    doc = {"a": Decimal("0.1"), "b": [Decimal("1E+2"), 3], "d": date(2023, 1, 2), "s": "是",
           "r": [{"id": "a, b", "t": "x: y", "l": ["[z]", "yes", "1.5", "#c"], "d": date(2023, 2, 3),
                  "n": None, "e": "", "f": Decimal("-0.25")}, {"nested": {"k": [1, 2]}}]}
    as_json = json.loads(to_json(doc), parse_float=Decimal)
    assert as_json["a"] == doc["a"] and as_json["d"] == "2023-01-02" and as_json["r"][0]["l"] == doc["r"][0]["l"]
    p = tmp_path / "d.yaml"
    p.write_text(to_yaml(doc), encoding="utf-8")
    assert read_facts(p)[0] == doc


def test_every_entry_point_takes_a_workbook(tmp_path: Path, run_cli: Any) -> None:
    std = standard("prov-2023")
    src = ROOT / "examples" / "three-star-branch.yaml"
    book = filled(tmp_path, "prov-2023", read_facts(src)[0])
    assert starrules.validate_facts(std, book).branch_id == starrules.validate_facts(std, src).branch_id
    [item] = list(starrules.evaluate_many(std, [str(book)]))
    assert item.result is not None and comparable(item.result) == comparable(starrules.evaluate(std, src))
    assert starrules.next_star(std, book).model_dump(mode="json") == starrules.next_star(std, src).model_dump(
        mode="json")
    explained = [starrules.explain(std, f, indicator="ACT-06").model_dump(mode="json") for f in (book, src)]
    for e in explained:
        e.pop("facts_sha256", None)
    assert explained[0] == explained[1]
    res = run_cli("report", book, "-s", "prov-2023", "-o", tmp_path / "r.html")
    assert res.exit_code == 0, res.output
    assert "BHPG-LOG-WH" in (tmp_path / "r.html").read_text(encoding="utf-8")
    res = run_cli("validate", "--facts", book, "-s", "prov-2023")
    assert res.exit_code == 0, res.output
