"""Where each fact of a standard's schema goes in a facts workbook (no Excel library here).

* One sheet, :data:`MAIN_SHEET`, for the scalar facts and the fields of object facts: one
  row per fact with its label, its value, its description and its fact path.
* One sheet per record collection (``members``, ``meetings``, ``rectifications`` …): a header
  row of short Chinese labels, then one row per record.

Labels come from the schema: a fact's ``label`` when the schema gives one, otherwise the
head of its ``description`` (parenthesised remarks and what follows a colon left out:
``党员类别：正式党员（formal）或…`` gives ``党员类别``), otherwise its name.  Enum values
show their labels through :func:`enum_label` (the codes themselves while the schema has no
labels) and are stored as codes.

The layout is also written, as JSON, into the workbook's hidden sheet; the reader needs only
that (and checks the standard's id against the one it rates with).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAIN_SHEET = "基本信息"
META_SHEET = "_starrules"
LISTS_SHEET = "_lists"
FORMAT = 1
#: the records sheets' header row (1-based); records start on the next row
HEADER_ROW = 1
#: the main sheet: header row, then columns label, value, description, fact path
MAIN_COLUMNS = ("项目", "填写", "说明", "字段")
BOOL_LABELS = {True: "是", False: "否"}

_REMARK = re.compile(r"（[^）]*）|\([^)]*\)")
_CUT = re.compile(r"[：:；;。]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_MAX = 31


def _texts(value: Any, lang: str) -> str | None:
    """A label as the schema may give it: a string, or per language ({zh:, en:} / .zh .en)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        got = value.get(lang) or value.get("zh")
        return got if isinstance(got, str) and got else None
    got = getattr(value, lang, None) or getattr(value, "zh", None)
    return got if isinstance(got, str) and got else None


def short_label(spec: Any, name: str, lang: str = "zh") -> str:
    """The header or row label of a fact: its ``label``, else the head of its description,
    else its name."""
    label = _texts(getattr(spec, "label", None), lang)
    if label:
        return label
    text = _REMARK.sub("", getattr(spec, "description", None) or "")
    head = _CUT.split(text, 1)[0].strip()
    return head or name


def enum_codes(spec: Any) -> tuple[str, ...]:
    """The codes of an enum (or a list of enum): ``values`` as a list, or the keys of a
    ``values`` mapping of code -> label."""
    values = getattr(spec, "values", None) or ()
    return tuple(str(v) for v in values)


def enum_label(spec: Any, code: str, lang: str = "zh") -> str:
    """What a person sees for an enum code: its label from the fact schema when it has one
    (``labels: {formal: 正式党员}``, or ``values`` given as a mapping), else the code."""
    for table in (getattr(spec, "labels", None), getattr(spec, "values", None)):
        if isinstance(table, Mapping) and code in table:
            got = _texts(table[code], lang)
            if got:
                return got
    return code


def choices(spec: Any, lang: str = "zh") -> dict[str, str]:
    """label -> code for a dropdown, labels unique (a repeated label gets its code added)."""
    out: dict[str, str] = {}
    for code in enum_codes(spec):
        label = enum_label(spec, code, lang)
        if label in out and out[label] != code:
            label = f"{label}（{code}）"
        out[label] = code
    return out


# -- the layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """How one fact (or one field of a record) is held in a cell."""

    path: tuple[str, ...]  # from the document's top (main sheet) or from the record (records sheets)
    label: str
    description: str
    type: str  # string int number bool date enum list json
    of: str | None = None  # item type of a list
    choices: tuple[tuple[str, str], ...] = ()  # (label, code) of an enum or list of enum
    min: Any = None
    max: Any = None
    required: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"path": list(self.path), "label": self.label, "type": self.type, "of": self.of,
                "choices": [list(c) for c in self.choices]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Cell:
        if not data["path"] or not isinstance(data["path"], list):
            raise ValueError("a cell without a path")
        return cls(path=tuple(str(p) for p in data["path"]), label=str(data["label"]), description="",
                   type=str(data["type"]), of=data.get("of"),
                   choices=tuple((str(a), str(b)) for a, b in data.get("choices") or ()))


@dataclass(frozen=True)
class Heading:
    """A row of the main sheet naming an object fact, above its fields."""

    path: tuple[str, ...]
    label: str
    description: str


@dataclass(frozen=True)
class RecordSheet:
    name: str
    path: tuple[str, ...]  # the records fact (top level, or a field of an object)
    label: str
    description: str
    columns: tuple[Cell, ...]
    key: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "path": list(self.path), "columns": [c.to_json() for c in self.columns]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordSheet:
        if not data["path"] or not isinstance(data["path"], list):
            raise ValueError("a sheet without a path")
        return cls(name=str(data["name"]), path=tuple(str(p) for p in data["path"]), label="", description="",
                   columns=tuple(Cell.from_json(c) for c in data["columns"]))


@dataclass(frozen=True)
class Layout:
    rows: tuple[Cell | Heading, ...]  # the main sheet, in schema order
    sheets: tuple[RecordSheet, ...]
    order: tuple[str, ...] = ()  # the top-level facts in schema order (a read document follows it)

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(r for r in self.rows if isinstance(r, Cell))

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "main": MAIN_SHEET, "cells": [c.to_json() for c in self.cells],
                "sheets": [s.to_json() for s in self.sheets], "order": list(self.order)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Layout:
        return cls(rows=tuple(Cell.from_json(c) for c in data.get("cells") or ()),
                   sheets=tuple(RecordSheet.from_json(s) for s in data.get("sheets") or ()),
                   order=tuple(str(n) for n in data.get("order") or ()))


def _cell(spec: Any, path: tuple[str, ...], lang: str) -> Cell:
    kind = spec.type
    if kind in ("object", "records"):  # inside a record: kept whole, as JSON text
        kind = "json"
    item_enum = kind == "enum" or (kind == "list" and spec.of == "enum")
    return Cell(path=path, label=short_label(spec, path[-1], lang), description=spec.description or "",
                type=kind, of=spec.of if kind == "list" else None,
                choices=tuple(choices(spec, lang).items()) if item_enum else (),
                min=spec.min, max=spec.max, required=bool(spec.required))


def _columns(fields: Mapping[str, Any], prefix: tuple[str, ...], lang: str) -> list[Cell]:
    out: list[Cell] = []
    for name, spec in fields.items():
        if spec.type == "object" and spec.fields:  # a record's object field: one column per field
            out.extend(_columns(spec.fields, prefix + (name,), lang))
        else:
            out.append(_cell(spec, prefix + (name,), lang))
    seen: dict[str, int] = {}
    for c in out:
        seen[c.label] = seen.get(c.label, 0) + 1
    # a label that two columns share gets the field's path added, so every header is unique
    return [c if seen[c.label] == 1 else Cell(**{**c.__dict__, "label": f"{c.label}（{'.'.join(c.path)}）"})
            for c in out]


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (31 characters, none of []:*?/\\)."""
    base = _SHEET_BAD.sub("_", label).strip("'") or "sheet"
    base = base[:SHEET_MAX]
    name, n = base, 2
    while name.lower() in taken or name in (MAIN_SHEET, META_SHEET, LISTS_SHEET) or name.lower() == "history":
        suffix = f"（{n}）"
        name, n = base[: SHEET_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def build_layout(facts: Mapping[str, Any], lang: str = "zh") -> Layout:
    """The layout of a standard's fact schema (``ResolvedStandard.facts``)."""
    rows: list[Cell | Heading] = []
    sheets: list[RecordSheet] = []
    taken: set[str] = {MAIN_SHEET.lower(), META_SHEET.lower(), LISTS_SHEET.lower()}

    def walk(fields: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
        for name, spec in fields.items():
            path = prefix + (name,)
            if spec.type == "records":
                label = short_label(spec, name, lang)
                sheets.append(RecordSheet(name=sheet_name(label, taken), path=path, label=label,
                                          description=spec.description or "",
                                          columns=tuple(_columns(spec.fields or {}, (), lang)), key=spec.key))
            elif spec.type == "object":
                rows.append(Heading(path, short_label(spec, name, lang), spec.description or ""))
                walk(spec.fields or {}, path)
            else:
                rows.append(_cell(spec, path, lang))

    walk(facts, ())
    return Layout(tuple(rows), tuple(sheets), tuple(facts))


def dotted(path: tuple[str, ...]) -> str:
    return ".".join(path)


def column_letter(col: int) -> str:
    """``0`` -> ``A``, ``27`` -> ``AB``."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out
