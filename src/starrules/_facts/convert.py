"""``facts convert``: a facts document from one format to another (YAML, JSON, xlsx).

A workbook is written from a standard's fact schema, so converting *to* xlsx needs the
standard, and the document is validated against it first (a workbook cannot hold what the
schema does not declare).  Converting *from* xlsx needs nothing: the workbook carries its
layout.  YAML -> xlsx -> YAML gives an equal document (see docs/workbooks.md for the one
difference: an explicit ``null`` is written as an empty cell and reads back as absent).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._files import write_atomic
from .read import XLSX_SUFFIXES
from .write import to_json, to_yaml

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", **{s: "xlsx" for s in XLSX_SUFFIXES}}


def format_of(path: str | Path) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def write_facts(doc: Mapping[str, Any], out: str | Path, *, standard: Any = None, lang: str = "zh") -> None:
    """Write ``doc`` to ``out`` in the format its suffix names (``.yaml``/``.yml``, ``.json``,
    ``.xlsx``; the last needs ``standard``, a loaded :class:`starrules.Standard`)."""
    fmt = format_of(out)
    if fmt == "xlsx":
        from .._workbook.write import write_workbook

        if standard is None:
            raise ValueError("writing a facts workbook needs the standard")
        write_workbook(out, standard, doc, lang=lang)
        return
    text = to_json(doc) if fmt == "json" else to_yaml(doc)
    write_atomic(out, text)
