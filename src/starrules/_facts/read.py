"""Read a facts document from a file (YAML, JSON or a facts workbook .xlsx), numbers exact,
positions kept for YAML and workbooks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .._errors import FactsError, Problem, StandardError
from .._standard.load import decode_text, read_text
from .._yaml import (MAX_DEPTH, MAX_DIGITS, NumberTooLarge, Positions, YamlError, bounded_int, exact_decimal,
                     format_path, load as load_yaml, number_params)

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


_LONG_DIGITS = re.compile(r"[0-9]{%d}" % (MAX_DIGITS + 1))


def parse_json(text: str) -> Any:
    """JSON with exact decimals, no NaN/Infinity, no duplicate keys, numbers within the digit
    and exponent bounds of :mod:`starrules._yaml` (:class:`NumberTooLarge`)."""
    # ints are checked (a Python call each) only when the text has a long run of digits
    parse_int = bounded_int if _LONG_DIGITS.search(text) else None
    return json.loads(text, parse_float=exact_decimal, parse_int=parse_int, parse_constant=_no_constant,
                      object_pairs_hook=_unique_pairs)


def _line_col(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"(\s*:)?|[{}\[\],]')


def locate_duplicate(text: str, key: str, display: str | None) -> Problem:
    """Where a JSON object repeats ``key``: one pass over the strings, brackets and commas of
    the text (no re-parse), stopping at the first repeated key of an object."""
    # frames: [path, seen keys (None for an array), current key or array index]
    stack: list[list[Any]] = []
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token in "{[":
            path: tuple[Any, ...] = ()
            if stack:
                top = stack[-1]
                path = top[0] + (top[2],)
            stack.append([path, {} if token == "{" else None, 0 if token == "[" else None])
        elif token in "}]":
            if stack:
                stack.pop()
        elif token == ",":
            if stack and stack[-1][1] is None:
                stack[-1][2] += 1
        elif m.group(1) is not None and stack and stack[-1][1] is not None:
            raw = token[: token.rindex('"') + 1]
            try:
                name = json.loads(raw) if "\\" in raw else raw[1:-1]
            except ValueError:
                continue
            top = stack[-1]
            seen = top[1]
            line, col = _line_col(text, m.start())
            if name in seen:
                return Problem("duplicate-key", {"key": name, "first_line": seen[name]}, file=display,
                               line=line, col=col, path=format_path(top[0] + (name,)))
            seen[name] = line
            top[2] = name
    return Problem("duplicate-key", {"key": key, "first_line": "?"}, file=display)


def json_problem(exc: Exception, text: str, display: str | None) -> Problem:
    """The located problem of a JSON text that :func:`parse_json` refused."""
    if isinstance(exc, json.JSONDecodeError):
        return Problem("json-syntax", {"problem": exc.msg}, file=display, line=exc.lineno, col=exc.colno)
    if isinstance(exc, DuplicateKey):
        return locate_duplicate(text, exc.key, display)
    if isinstance(exc, NumberTooLarge):
        at = text.find(exc.text)
        line, col = _line_col(text, at) if at >= 0 else (None, None)
        return Problem("number-too-large", number_params(exc.text), file=display, line=line, col=col)
    if isinstance(exc, RecursionError):
        return Problem("too-deep", {"limit": MAX_DEPTH}, file=display)
    return Problem("json-syntax", {"problem": str(exc)}, file=display)


def read_facts(path: str | Path) -> tuple[Any, Positions | None, str]:
    """Return ``(document, positions or None, display name)``; raise FactsError if unreadable."""
    path = Path(path)
    display = str(path)
    if "\0" in display:  # the OS cannot open it; say so rather than raise ValueError
        raise FactsError(Problem("bad-path", {"file": display.replace("\0", "\\0")}, file=display.replace("\0", "\\0")))
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
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, DuplicateKey, NumberTooLarge are ValueErrors
            raise FactsError(json_problem(exc, text, display)) from None
    try:
        doc, positions = load_yaml(text, display, text_dates=True)
    except YamlError as exc:
        raise FactsError(exc.problems) from None
    return doc, positions, display
