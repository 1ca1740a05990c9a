"""Write a facts workbook: the empty template of a standard, or one filled from a document.

Written with xlsxwriter (imported here, lazily).  Every value cell gets the validation its
fact type allows (whole numbers, decimals, dates, a dropdown of labels for enums and yes/no,
the declared ``min``/``max``), an input message from the fact's description, and a format
(dates ``yyyy-mm-dd``, texts as text so ``001`` keeps its zeros).  Two very hidden sheets
hold the standard's id, version and hash with the layout (``_starrules``), and the
dropdown lists (``_lists``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from .cells import to_cell
from .extra import close_workbook, new_workbook
from .layout import (
    BOOL_LABELS,
    HEADER_ROW,
    LISTS_SHEET,
    MAIN_COLUMNS,
    MAIN_SHEET,
    META_SHEET,
    Cell,
    Heading,
    Layout,
    RecordSheet,
    build_layout,
    column_letter,
    dotted,
)

#: records sheets: validation and formats cover this many rows below the header
RECORD_ROWS = 5000
NO_RECORDS = "无"
CHUNK = 30000  # characters of layout JSON per cell (a cell holds at most 32 767)
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2099, 12, 31)
_INT_RANGE = (-(10**9), 10**9)
_NUM_RANGE = (-(10**15), 10**15)
_TITLE_MAX, _MESSAGE_MAX = 32, 255


def _bound(value: Any, default: int) -> int | float:
    """A declared min/max for Excel's check (the reader checks it again, exactly)."""
    if value is None:
        return default
    return value if isinstance(value, int) else float(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _range_words(cell: Cell) -> str:
    lo, hi = cell.min, cell.max
    if lo is None and hi is None:
        return ""
    if lo is not None and hi is not None:
        return f"{lo}–{hi}"
    return f"≥ {lo}" if lo is not None else f"≤ {hi}"


def _hint(cell: Cell) -> str:
    kind = {"int": "整数", "number": "数字", "date": "日期（如 2023-03-31）", "bool": "是 / 否",
            "enum": "从下拉列表中选择", "string": "文字", "json": "JSON"}.get(cell.type, "")
    if cell.type == "list":
        kind = "多项用 “、” 分隔；无则填 []"
        if cell.choices:
            kind += "；可选：" + "、".join(label for label, _code in cell.choices)
    words = [cell.description] if cell.description else []
    words.append(kind + (f"，范围 {_range_words(cell)}" if _range_words(cell) else ""))
    if cell.required:
        words.append("必填")
    return "；".join(w for w in words if w)


class _Writer:
    def __init__(self, path: str | Path, standard: Any, layout: Layout) -> None:
        self.path = str(path)
        self.standard = standard
        self.layout = layout
        self.wb = new_workbook(path)
        self.f_head = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                          "valign": "top"})
        self.f_group = self.wb.add_format({"bold": True, "bg_color": "#F2F2F2"})
        self.f_text = self.wb.add_format({"num_format": "@"})
        self.f_date = self.wb.add_format({"num_format": "yyyy-mm-dd"})
        self.f_num = self.wb.add_format({"num_format": "General"})
        self.f_note = self.wb.add_format({"font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.f_path = self.wb.add_format({"font_color": "#808080", "font_size": 9})
        self.lists: dict[tuple[tuple[str, str], ...], str] = {}

    # -- formats and validation ------------------------------------------------------------
    def fmt(self, cell: Cell) -> Any:
        if cell.type == "date":
            return self.f_date
        if cell.type in ("int", "number"):
            return self.f_num
        return self.f_text

    def _list_source(self, items: tuple[tuple[str, str], ...]) -> str:
        source = self.lists.get(items)
        if source is None:  # the sheet itself is written last, after the visible ones
            letter = column_letter(len(self.lists))
            source = self.lists[items] = f"='{LISTS_SHEET}'!${letter}$1:${letter}${len(items)}"
        return source

    def list_sheet(self) -> None:
        if not self.lists:
            return
        ws = self.wb.add_worksheet(LISTS_SHEET)
        for col, items in enumerate(self.lists):
            for row, (label, _code) in enumerate(items):
                ws.write_string(row, col, label)
        ws.very_hidden()

    def validation(self, cell: Cell) -> dict[str, Any]:
        v: dict[str, Any] = {"validate": "any"}
        lo, hi = cell.min, cell.max
        if cell.type in ("int", "number"):
            default = _INT_RANGE if cell.type == "int" else _NUM_RANGE
            v = {"validate": "integer" if cell.type == "int" else "decimal", "criteria": "between",
                 "minimum": _bound(lo, default[0]), "maximum": _bound(hi, default[1])}
        elif cell.type == "date":
            v = {"validate": "date", "criteria": "between", "minimum": DATE_MIN, "maximum": DATE_MAX}
        elif cell.type == "bool":
            v = {"validate": "list", "source": self._list_source(tuple((t, t) for t in BOOL_LABELS.values()))}
        elif cell.type == "enum" and cell.choices:
            v = {"validate": "list", "source": self._list_source(cell.choices)}
        v["input_title"] = _clip(cell.label, _TITLE_MAX)
        v["input_message"] = _clip(_hint(cell), _MESSAGE_MAX)
        if v["validate"] != "any":
            v["error_title"] = _clip(cell.label, _TITLE_MAX)
            v["error_message"] = _clip(_hint(cell), _MESSAGE_MAX)
        return v

    def put(self, ws: Any, row: int, col: int, value: Any, cell: Cell) -> None:
        got = to_cell(value, cell)
        fmt = self.fmt(cell)
        if got is None:
            ws.write_blank(row, col, None, fmt)
            return
        kind, v = got
        if kind == "number":
            ws.write_number(row, col, v, fmt)
        elif kind == "date":
            ws.write_datetime(row, col, v, self.f_date)
        else:
            ws.write_string(row, col, v, self.f_text)

    # -- sheets ------------------------------------------------------------------------------
    def main(self, doc: Mapping[str, Any] | None) -> None:
        ws = self.wb.add_worksheet(MAIN_SHEET)
        ws.activate()
        for col, head in enumerate(MAIN_COLUMNS):
            ws.write_string(0, col, head, self.f_head)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 1, 26)
        ws.set_column(2, 2, 60)
        ws.set_column(3, 3, 30)
        ws.freeze_panes(1, 0)
        for i, item in enumerate(self.layout.rows, start=1):
            if isinstance(item, Heading):
                ws.write_string(i, 0, item.label, self.f_group)
                ws.write_blank(i, 1, None, self.f_group)
                ws.write_string(i, 2, item.description, self.f_group)
                ws.write_string(i, 3, dotted(item.path), self.f_path)
                continue
            label = ("    " if len(item.path) > 1 else "") + item.label + (" *" if item.required else "")
            ws.write_string(i, 0, label)
            self.put(ws, i, 1, _get(doc, item.path), item)
            ws.write_string(i, 2, item.description, self.f_note)
            ws.write_string(i, 3, dotted(item.path), self.f_path)
            ws.data_validation(i, 1, i, 1, self.validation(item))

    def records(self, sheet: RecordSheet, doc: Mapping[str, Any] | None) -> None:
        ws = self.wb.add_worksheet(sheet.name)
        top = HEADER_ROW - 1
        for col, cell in enumerate(sheet.columns):
            ws.write_string(top, col, cell.label + (" *" if cell.required else ""), self.f_head)
            ws.set_column(col, col, max(12, min(40, 2 * len(cell.label) + 4)), self.fmt(cell))
            ws.data_validation(top + 1, col, top + RECORD_ROWS, col, self.validation(cell))
        ws.freeze_panes(HEADER_ROW, 0)
        ws.set_row(top, 30)
        records = _get(doc, sheet.path)
        if isinstance(records, (list, tuple)) and not records:
            ws.write_string(top + 1, 0, NO_RECORDS)  # known to be none, unlike an empty sheet
        if isinstance(records, (list, tuple)):
            for i, rec in enumerate(records):
                if not isinstance(rec, Mapping):
                    continue
                for col, cell in enumerate(sheet.columns):
                    value = _get(rec, cell.path)
                    if value is not None:
                        self.put(ws, top + 1 + i, col, value, cell)

    def meta(self) -> None:
        ws = self.wb.add_worksheet(META_SHEET)
        std = self.standard
        rows = [("starrules", "facts workbook"), ("standard", std.id), ("family", std.family),
                ("version", std.version), ("sha256", std.sha256), ("title", std.title), ("format", "1")]
        for r, (k, v) in enumerate(rows):
            ws.write_string(r, 0, k)
            ws.write_string(r, 1, str(v))
        text = json.dumps(self.layout.to_json(), ensure_ascii=False)
        ws.write_string(len(rows), 0, "layout")
        for i in range(0, len(text), CHUNK):
            ws.write_string(len(rows) + i // CHUNK, 1, text[i:i + CHUNK])
        ws.very_hidden()

    def close(self) -> None:
        close_workbook(self.wb, self.path)


def _get(doc: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(doc, Mapping):
            return None
        doc = doc.get(part)
    return doc


def write_workbook(path: str | Path, standard: Any, doc: Mapping[str, Any] | None = None, *,
                   lang: str = "zh") -> None:
    """Write the facts workbook of ``standard`` (a loaded :class:`starrules.Standard`) to
    ``path``: the empty template, or filled from ``doc`` (a facts document, e.g. the mapping
    a YAML facts file gives).  Raises OutputError (``output-unwritable``) or FactsError (``xlsx-missing-extra``)."""
    layout = build_layout(standard.resolved.facts, lang)
    w = _Writer(path, standard, layout)
    w.main(doc)
    for sheet in layout.sheets:
        w.records(sheet, doc)
    w.list_sheet()
    w.meta()
    w.close()
