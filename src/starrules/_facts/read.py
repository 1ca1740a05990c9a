"""Read a facts document from a file (YAML, JSON or a facts workbook .xlsx), numbers exact,
positions kept for YAML and workbooks."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from .._errors import FactsError, Problem, StandardError
from .._standard.load import decode_text, read_text
from .._yaml import Positions, YamlError, load as load_yaml

MAX_FACTS_BYTES = 16 * 1024 * 1024
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:  # json.loads would silently keep the last one
            raise DuplicateKey(key)
        out[key] = value
    return out


def parse_json(text: str) -> Any:
    """JSON with exact decimals (``parse_float=Decimal``), no NaN/Infinity, no duplicate keys."""
    return json.loads(text, parse_float=Decimal, parse_constant=_no_constant, object_pairs_hook=_unique_pairs)


def _duplicate_problems(text: str, key: str, display: str) -> list[Problem]:
    """Locate a JSON duplicate key: most JSON is also YAML, whose loader knows positions."""
    try:
        load_yaml(text, display)
    except YamlError as exc:
        found = [p for p in exc.problems if p.code == "duplicate-key"]
        if found:
            return found
    return [Problem("duplicate-key", {"key": key, "first_line": "?"}, file=display)]


def read_facts(path: str | Path) -> tuple[Any, Positions | None, str]:
    """Return ``(document, positions or None, display name)``; raise FactsError if unreadable."""
    path = Path(path)
    display = str(path)
    if path.suffix.lower() in XLSX_SUFFIXES:  # a facts workbook (starrules[xlsx])
        from .._workbook.read import read_workbook

        return read_workbook(path, display)
    try:
        text = read_text(path, MAX_FACTS_BYTES, display)
    except StandardError as exc:  # file-level problems are the same for facts
        raise FactsError(exc.problems) from None
    return parse_facts_text(text, display, json_syntax=path.suffix.lower() == ".json")


def facts_from_bytes(raw: bytes, display: str, *, limit: int = MAX_FACTS_BYTES) -> tuple[Any, Positions | None, str]:
    """A facts document given as bytes (an upload, a member of a zip file), read exactly as
    :func:`read_facts` reads a file: JSON when ``display`` ends with ``.json``, else YAML.
    Nothing is opened: ``display`` only names the document in problems."""
    try:
        text = decode_text(raw, limit, display)
    except StandardError as exc:
        raise FactsError(exc.problems) from None
    return parse_facts_text(text, display, json_syntax=display.lower().endswith(".json"))


def parse_facts_text(text: str, display: str, *, json_syntax: bool) -> tuple[Any, Positions | None, str]:
    if json_syntax:
        try:
            return parse_json(text), None, display
        except json.JSONDecodeError as exc:
            raise FactsError(Problem("json-syntax", {"problem": exc.msg}, file=display, line=exc.lineno,
                                     col=exc.colno)) from None
        except DuplicateKey as exc:
            raise FactsError(_duplicate_problems(text, exc.key, display)) from None
        except RecursionError:
            raise FactsError(Problem("json-syntax", {"problem": "nesting too deep"}, file=display)) from None
        except ValueError as exc:
            raise FactsError(Problem("json-syntax", {"problem": str(exc)}, file=display)) from None
    try:
        doc, positions = load_yaml(text, display)
    except YamlError as exc:
        raise FactsError(exc.problems) from None
    return doc, positions, display
