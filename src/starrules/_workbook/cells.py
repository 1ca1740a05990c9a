"""One cell <-> one fact value.

Reading (:func:`from_cell`) turns what python-calamine gives (``float``, ``str``, ``bool``,
``date``, ``datetime``, ``""`` for an empty cell) into the values of a facts document:

* numbers: a cell holds an IEEE double; it becomes ``Decimal(repr(x))``, the shortest decimal
  that reads back as the same double (``0.1`` stays ``0.1``, never
  ``0.1000000000000000055511151231257827``), and an integral one becomes an ``int``
  (``4.0`` -> ``4``).  No ``float`` ever reaches a threshold.  A number typed as text
  (``"12.5"``) is read as that decimal, exactly.
* dates: a date cell is a ``date`` (a midnight ``datetime`` too; one with a time of day stays a
  ``datetime`` and is refused as a timestamp); text ``2023/3/31``, ``2023.3.31`` and
  ``2023年3月31日`` mean ``2023-03-31``.
* yes/no: ``是``/``否`` (the dropdown), ``TRUE``/``FALSE``, ``true``/``false``.
* enums: the dropdown's label, or the code itself, gives the code.
* lists: items separated by ``、`` (also ``；`` ``;`` ``，`` ``,`` or new lines), or a JSON list
  (``[]`` is the empty list, which is not the same as an empty cell).
* an empty cell is absent (unknown, or the fact's default); ``""`` typed in full is the empty
  text.

Anything else is passed on as it is, so the facts validator reports it with the same message
as in a YAML file, at the cell.

Writing (:func:`to_cell`) is the inverse; it gives ``(kind, value)`` with ``kind`` one of
``number``, ``text``, ``date``, ``bool`` for the writer.  A decimal that a double cannot hold
exactly (more than 15 significant digits) is written as text, so nothing is lost.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .layout import BOOL_LABELS, Cell

ABSENT = object()
EMPTY_TEXT = '""'
LIST_SEPARATOR = "、"

_SPLIT = re.compile(r"\s*[、；;，,\n]\s*")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRUE = {"是", "true", "yes", "y", "√"}
_FALSE = {"否", "false", "no", "n", "×"}


def exact(x: float) -> int | Decimal:
    """The number a cell's double stands for: an int when integral, else the shortest decimal."""
    if not math.isfinite(x):
        return Decimal(repr(x))  # NaN/inf: refused by the validator as a wrong type
    if x.is_integer() and abs(x) < 2**53:
        return int(x)
    d = Decimal(repr(x))
    return int(d) if d == d.to_integral_value() else d


def _number_text(text: str) -> int | Decimal | None:
    if not _NUMBER_TEXT.match(text):
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets decimals through
        return None
    if "." not in text and "e" not in text.lower():
        return int(text)
    return d


def _plain(raw: Any) -> Any:
    """A cell value with no float left: numbers exact, midnight datetimes as dates."""
    if isinstance(raw, float):
        return exact(raw)
    if isinstance(raw, datetime):
        return raw.date() if raw.time() == datetime.min.time() and raw.tzinfo is None else raw
    return raw


def _scalar(raw: Any, kind: str, cell: Cell) -> Any:
    value = _plain(raw)
    if isinstance(value, str):
        text = value.strip()
        if kind == "string":
            return "" if value == EMPTY_TEXT else value
        if kind in ("int", "number"):
            n = _number_text(text)
            return value if n is None else n
        if kind == "bool":
            low = text.lower()
            return True if low in _TRUE else False if low in _FALSE else value
        if kind == "date":
            m = _DATE_TEXT.match(text)
            if m and not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            return text
        if kind == "enum":
            for label, code in cell.choices:
                if text == label:
                    return code
            return text
        return value
    if kind == "string" and (type(value) is int or isinstance(value, Decimal)):
        return str(value)  # an id typed into a cell Excel took for a number
    if kind == "string" and isinstance(value, date):
        return value.isoformat()  # a text Excel took for a date
    return value


def from_cell(raw: Any, cell: Cell) -> Any:
    """The fact value of a cell (``ABSENT`` for an empty one)."""
    if raw is None or raw == "":
        return ABSENT
    if isinstance(raw, str) and not raw.strip():
        return ABSENT
    if cell.type == "list":
        item = cell.of or "string"
        if isinstance(raw, str):
            text = raw.strip()
            if text.startswith("["):
                try:
                    items = json.loads(text, parse_float=Decimal)
                except ValueError:
                    return raw
                if not isinstance(items, list):
                    return raw
                return [_scalar(i, item, cell) if isinstance(i, str) else i for i in items]
            return [_scalar(part, item, cell) for part in _SPLIT.split(text) if part]
        return [_scalar(raw, item, cell)]
    if cell.type == "json":
        if isinstance(raw, str):
            try:
                return json.loads(raw, parse_float=Decimal)
            except ValueError:
                return raw
        return _plain(raw)
    return _scalar(raw, cell.type, cell)


# -- writing -----------------------------------------------------------------------------------


def _fits_double(d: Decimal) -> bool:
    return d.is_finite() and Decimal(repr(float(d))) == d


def _item_text(value: Any, cell: Cell) -> str:
    if isinstance(value, bool):
        return BOOL_LABELS[value]
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and cell.choices:
        for label, code in cell.choices:
            if code == value:
                return label
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value) if _fits_double(value) else str(value)
    raise TypeError(type(value).__name__)


def to_cell(value: Any, cell: Cell) -> tuple[str, Any] | None:
    """``(kind, value)`` to write for a fact value, or None for nothing (absent)."""
    if value is None:
        return None
    if cell.type == "json":
        return "text", json.dumps(value, ensure_ascii=False, default=_json_default)
    if cell.type == "list" and isinstance(value, (list, tuple)):
        texts = [_item_text(v, cell) for v in value]
        plain = texts and all(t and not _SPLIT.search(t) and t == t.strip() and not t.startswith("[")
                              and isinstance(v, (str, int, date)) for t, v in zip(texts, value))
        if plain:
            return "text", LIST_SEPARATOR.join(texts)
        return "text", json.dumps(list(value), ensure_ascii=False, default=_json_default)
    if isinstance(value, bool):
        return "text", BOOL_LABELS[value]
    if isinstance(value, int):
        return ("number", value) if abs(value) < 2**53 else ("text", str(value))
    if isinstance(value, Decimal):
        return ("number", float(value)) if _fits_double(value) else ("text", str(value))
    if isinstance(value, datetime):
        return "text", value.isoformat()
    if isinstance(value, date):
        return "date", value
    if isinstance(value, str):
        if value == "":
            return "text", EMPTY_TEXT
        if cell.type == "date" and re.match(r"^\d{4}-\d{2}-\d{2}$", value):  # JSON facts give ISO texts
            try:
                return "date", date.fromisoformat(value)
            except ValueError:
                return "text", value
        return "text", _item_text(value, cell) if cell.type == "enum" else value
    return "text", str(value)
