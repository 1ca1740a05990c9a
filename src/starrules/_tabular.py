"""Cells for spreadsheets: CSV (and later xlsx) text that Excel cannot run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
(or becomes one) for Excel, LibreOffice and Google Sheets ("CSV injection": a branch or unit
named ``=HYPERLINK(...)`` would run when the file is opened).  :func:`safe_cell` prefixes
such text with a single quote ``'``, which spreadsheets show as text and do not evaluate;
numbers are left as numbers.  Every CSV starrules writes goes through :func:`csv_text`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

#: first characters that make a spreadsheet cell a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, with text that a spreadsheet would evaluate prefixed by ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Rows as CSV text (``\\r\\n`` line ends, as Excel writes them), every cell made safe."""
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in rows:
        w.writerow([safe_cell(c) for c in row])
    return buf.getvalue()
