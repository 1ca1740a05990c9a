"""Read a facts workbook: ``(document, CellPositions, display name)``, like a YAML file.

python-calamine reads the cells (imported here, lazily).  The layout written into the hidden
``_starrules`` sheet says which sheet, row and column hold which fact; columns of a records
sheet are found by their header label, so a column moved, or one added for notes, does no
harm.  Values become fact values as :mod:`.cells` describes; every value's cell is kept in
:class:`CellPositions`, so the validator locates each problem as
``台账.xlsx!会议和活动记录!C12`` with its fact path (``meetings[10].date``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import FactsError, Problem
from .._yaml import Positions
from .cells import ABSENT, from_cell
from .extra import require
from .layout import (
    HEADER_ROW,
    MAIN_SHEET,
    META_SHEET,
    Layout,
    RecordSheet,
    column_letter,
    dotted,
)

#: a records sheet's first data cell holding one of these, and nothing else on the sheet:
#: "no records" (an empty sheet is unknown, like an absent fact)
NO_RECORDS = ("无", "[]")
#: a facts workbook larger than this (compressed) is refused unread, like a facts file over its limit
MAX_WORKBOOK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class MadeFor:
    """The standard a workbook was made from (its hidden sheet)."""

    id: str
    version: str
    sha256: str


@dataclass
class CellPositions(Positions):
    """Where each value of a workbook's document stands: ``file!sheet!C12`` by fact path."""

    cells: dict[tuple[Any, ...], str] = field(default_factory=dict)
    made_for: MadeFor | None = None

    def of(self, path: Any, *, key: bool = False) -> tuple[int | None, int | None]:
        return (None, None)

    def locate(self, path: Any, *, key: bool = False) -> tuple[str | None, int | None, int | None]:
        probe = tuple(path)
        while True:
            if probe in self.cells:
                return self.cells[probe], None, None
            if not probe:
                return self.file, None, None
            probe = probe[:-1]


def _problem(code: str, display: str, **params: Any) -> Problem:
    path = params.pop("at_path", None)
    where = params.pop("where", None)
    return Problem(code, {"file": display, **params}, file=where or display, path=path)


def _put(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        doc = doc.setdefault(part, {})
    doc[path[-1]] = value


def _open(path: Path, display: str) -> Any:
    calamine = require("python_calamine", display)
    if not path.exists() or path.is_dir():
        raise FactsError(Problem("file-not-found", {"file": display}, file=display))
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise FactsError(Problem("file-too-large", {"size": size, "limit": MAX_WORKBOOK_BYTES}, file=display))
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise FactsError(_problem("xlsx-unreadable", display, reason=str(exc) or type(exc).__name__)) from None


def _rows(wb: Any, name: str, display: str) -> list[list[Any]]:
    calamine = require("python_calamine", display)
    try:
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (calamine.CalamineError, ValueError, OverflowError) as exc:
        raise FactsError(_problem("xlsx-unreadable", display, reason=f"{name}: {exc}")) from None


def read_meta(wb: Any, display: str) -> tuple[dict[str, str], Layout]:
    if META_SHEET not in wb.sheet_names:
        raise FactsError(_problem("xlsx-not-template", display))
    info: dict[str, str] = {}
    chunks: list[str] = []
    in_layout = False
    for row in _rows(wb, META_SHEET, display):
        key = str(row[0]) if row and row[0] != "" else ""
        value = row[1] if len(row) > 1 else ""
        if key == "layout":
            in_layout = True
        elif key:
            in_layout = False
            info[key] = str(value)
        if in_layout and isinstance(value, str) and value:
            chunks.append(value)
    try:
        layout = Layout.from_json(json.loads("".join(chunks)))
    except (ValueError, KeyError, TypeError, AttributeError):  # a damaged (or crafted) hidden sheet
        raise FactsError(_problem("xlsx-not-template", display)) from None
    if not info.get("standard"):
        raise FactsError(_problem("xlsx-not-template", display))
    return info, layout


def _main(wb: Any, layout: Layout, display: str, doc: dict[str, Any], pos: CellPositions) -> None:
    where = f"{display}!{MAIN_SHEET}"
    by_path = {dotted(c.path): c for c in layout.cells}
    for cell in layout.cells:  # rows deleted by hand: located on the sheet
        pos.cells[cell.path] = where
    for r, row in enumerate(_rows(wb, MAIN_SHEET, display)):
        if r == 0 or len(row) < 4 or not isinstance(row[3], str):
            continue
        found = by_path.get(row[3].strip())
        if found is None:
            continue
        pos.cells[found.path] = f"{where}!B{r + 1}"
        value = from_cell(row[1], found)
        if value is not ABSENT:
            _put(doc, found.path, value)


def _header(text: Any) -> str:
    s = str(text).strip()
    return s[:-1].rstrip() if s.endswith("*") else s


def _records(wb: Any, sheet: RecordSheet, display: str, pos: CellPositions, problems: list[Problem]) -> Any:
    where = f"{display}!{sheet.name}"
    pos.cells[sheet.path] = where
    rows = _rows(wb, sheet.name, display)
    header = rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else []
    found = {_header(h): i for i, h in enumerate(header) if h != ""}
    columns = []
    for cell in sheet.columns:
        idx = found.get(cell.label)
        if idx is None:
            problems.append(_problem("xlsx-missing-column", display, where=where, sheet=sheet.name,
                                     column=cell.label, at_path=f"{dotted(sheet.path)}[].{dotted(cell.path)}"))
        else:
            columns.append((idx, cell, column_letter(idx)))
    data = rows[HEADER_ROW:]
    filled = [(r, row) for r, row in enumerate(data, start=HEADER_ROW + 1) if any(v != "" for v in row)]
    if not filled:
        return ABSENT
    if len(filled) == 1 and columns:
        r, row = filled[0]
        first = min(i for i, _c, _l in columns)
        rest = [v for i, v in enumerate(row) if i != first and v != ""]
        if not rest and isinstance(row[first], str) and row[first].strip() in NO_RECORDS:
            return []
    records: list[dict[str, Any]] = []
    for r, row in filled:
        i = len(records)
        pos.cells[sheet.path + (i,)] = f"{where}!A{r}"
        rec: dict[str, Any] = {}
        for idx, cell, letter in columns:
            pos.cells[sheet.path + (i,) + cell.path] = f"{where}!{letter}{r}"
            value = from_cell(row[idx] if idx < len(row) else "", cell)
            if value is not ABSENT:
                _put(rec, cell.path, value)
        records.append(rec)
    return records


def read_workbook(path: str | Path, display: str | None = None) -> tuple[dict[str, Any], CellPositions, str]:
    """Read a facts workbook; raise FactsError when it cannot be read as one (not a
    workbook, not made by ``starrules template``, a sheet or a column missing)."""
    path = Path(path)
    display = display or str(path)
    wb = _open(path, display)
    try:
        info, layout = read_meta(wb, display)
        pos = CellPositions(file=display, made_for=MadeFor(info["standard"], info.get("version", ""),
                                                           info.get("sha256", "")))
        problems: list[Problem] = []
        doc: dict[str, Any] = {}
        names = set(wb.sheet_names)
        if MAIN_SHEET in names:
            _main(wb, layout, display, doc, pos)
        elif layout.cells:
            problems.append(_problem("xlsx-missing-sheet", display, sheet=MAIN_SHEET, fact="branch, year …"))
        for sheet in layout.sheets:
            if sheet.name not in names:
                problems.append(_problem("xlsx-missing-sheet", display, sheet=sheet.name, fact=dotted(sheet.path),
                                         at_path=dotted(sheet.path)))
                continue
            records = _records(wb, sheet, display, pos, problems)
            if records is not ABSENT:
                _put(doc, sheet.path, records)
    finally:
        wb.close()
    if problems:
        raise FactsError(problems)
    rank = {name: i for i, name in enumerate(layout.order)}
    return dict(sorted(doc.items(), key=lambda kv: rank.get(kv[0], len(rank)))), pos, display
