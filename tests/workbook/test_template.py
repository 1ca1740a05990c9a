"""``starrules template``: a workbook for every shipped standard, generated from its schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import openpyxl
import pytest

from starrules._standard.model import FactSpec
from starrules._workbook.layout import (
    LISTS_SHEET,
    MAIN_SHEET,
    META_SHEET,
    build_layout,
    enum_label,
    short_label,
)

from ._support import SHIPPED, standard


def _validations(ws: Any) -> dict[str, Any]:
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0]] = dv
    return out


@pytest.mark.parametrize("sid", SHIPPED)
def test_template_of_every_shipped_standard(tmp_path: Path, run_cli: Any, sid: str) -> None:
    out = tmp_path / "台账.xlsx"
    res = run_cli("template", "-s", sid, "-o", out)
    assert res.exit_code == 0, res.output
    std = standard(sid)
    wb = openpyxl.load_workbook(out)
    layout = build_layout(std.resolved.facts)
    assert wb.sheetnames == [MAIN_SHEET, *(s.name for s in layout.sheets), LISTS_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden" and wb[LISTS_SHEET].sheet_state == "veryHidden"
    meta = {r[0].value: r[1].value for r in wb[META_SHEET].iter_rows() if r[0].value}
    assert (meta["standard"], meta["version"], meta["sha256"]) == (std.id, std.version, std.sha256)

    main = wb[MAIN_SHEET]
    assert [c.value for c in main[1]][:4] == ["项目", "填写", "说明", "字段"]
    paths = {row[3].value: row for row in main.iter_rows(min_row=2)}
    for name, spec in std.resolved.facts.items():
        if spec.type != "records":
            assert name in paths, name
    checks = _validations(main)
    year = paths["year"][1].coordinate
    assert checks[year].type == "whole" and (checks[year].formula1, checks[year].formula2) == ("2000", "2099")
    assert "评价年度" in checks[year].prompt
    assert checks[paths["secretary.appointed"][1].coordinate].type == "date"
    assert checks[paths["satisfaction"][1].coordinate].type == "decimal"
    brand = checks[paths["brand_level"][1].coordinate]
    assert brand.type == "list" and brand.formula1.startswith(f"'{LISTS_SHEET}'!")
    listed = [c.value for c in wb[LISTS_SHEET][brand.formula1.split("!")[1].replace("$", "").split(":")[0][0]]
              if c.value]
    spec = std.resolved.facts["brand_level"]
    assert listed == [enum_label(spec, code) for code in spec.values]  # the labels people pick, stored as codes
    assert len(set(listed)) == len(listed)

    meetings = wb["会议和活动记录"]
    headers = [str(c.value) for c in meetings[1]]
    assert headers[:3] == ["记录编号 *", "类型 *", "召开日期 *"]
    mchecks = _validations(meetings)
    assert mchecks["B2"].type == "list" and mchecks["C2"].type == "date" and mchecks["D2"].type == "whole"
    assert mchecks["D2"].formula1 == "0"


def test_template_needs_an_xlsx_name(tmp_path: Path, run_cli: Any) -> None:
    assert run_cli("template", "-s", "prov-2023", "-o", tmp_path / "x.yaml").exit_code == 2
    res = run_cli("template", "-s", "no-such", "-o", tmp_path / "x.xlsx")
    assert res.exit_code == 1 and "standard-not-found" in res.stderr


def test_labels_from_label_description_or_name() -> None:
    assert short_label(FactSpec(type="string", description="党员类别：正式党员（formal）或预备党员"), "status") == "党员类别"
    assert short_label(FactSpec(type="object", description="本届支部委员会（或书记）任期"), "term") == "本届支部委员会任期"
    assert short_label(FactSpec(type="int"), "disclosures") == "disclosures"

    class Labelled:  # a schema that gives labels (issue 12a): taken as they are
        type, description, label = "string", "长的说明（备注）", {"zh": "党员名册", "en": "members"}

    assert short_label(Labelled(), "members") == "党员名册"
    assert short_label(Labelled(), "members", "en") == "members"


def test_enum_labels_plug_into_dropdowns_and_reading(tmp_path: Path) -> None:
    from starrules._workbook.cells import from_cell, to_cell
    from starrules._workbook.layout import _cell

    class Status:
        type, of, min, max, required, description = "enum", None, None, None, True, "党员类别"
        values = ("formal", "probationary")
        labels: ClassVar[dict[str, Any]] = {"formal": "正式党员", "probationary": {"zh": "预备党员", "en": "probationary member"}}

    assert enum_label(Status, "formal") == "正式党员"
    assert enum_label(Status, "probationary", "en") == "probationary member"
    assert enum_label(Status, "other") == "other"
    cell = _cell(Status, ("status",), "zh")
    assert cell.choices == (("正式党员", "formal"), ("预备党员", "probationary"))
    assert to_cell("probationary", cell) == ("text", "预备党员")
    assert from_cell("预备党员", cell) == "probationary" and from_cell("formal", cell) == "formal"
    assert from_cell("群众", cell) == "群众"  # left for the validator to report
