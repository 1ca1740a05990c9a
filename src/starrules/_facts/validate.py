"""Validate a facts document against a standard's fact schema.

The schema is compiled once per standard into a tree of small checker closures; a document
is then checked in one pass that collects *every* problem with its fact path
(``members[3].training_hours``).  What comes out is plain data for the rule language:
absent facts are ``UNKNOWN`` (or ``None`` where the schema says absent means none, or the
declared default), lists are tuples, records are dicts with every declared field.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Mapping

from .._errors import FactsError, Problem
from .._lang.values import UNKNOWN
from .._standard.model import FactSpec
from .._yaml import MAX_DIGITS, Positions, number_params
from .unfit import too_large as number_too_large

_BIG = 10 ** MAX_DIGITS
#: undeclared keys reported one by one; the others are counted in one facts-undeclared-more
MAX_UNDECLARED = 50

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2099, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]")

_EXPECTED = {
    "string": ("text", "文字"),
    "enum": ("text", "文字"),
    "int": ("a whole number", "整数"),
    "number": ("a number", "数字"),
    "bool": ("true or false", "true 或 false"),
    "date": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "list": ("a list", "列表"),
    "object": ("a mapping", "键值映射"),
    "records": ("a list of records", "记录列表"),
}


def describe(value: Any) -> str:
    if type(value) is int and not -_BIG < value < _BIG:
        return f"a number of more than {MAX_DIGITS} digits"  # str() would raise past 4300 digits
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@dataclass
class _Ctx:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    file: str | None = None
    positions: Positions | None = None
    # deferred reference checks: (path, ids, target records name)
    refs: list[tuple[tuple[Any, ...], tuple[Any, ...], str]] = field(default_factory=list)
    keys: dict[str, frozenset[Any]] = field(default_factory=dict)
    # undeclared keys already reported, by path with record indexes left out (members[].name)
    undeclared: set[tuple[Any, ...]] = field(default_factory=set)
    first_unlisted: tuple[Any, ...] | None = None  # the first undeclared key past MAX_UNDECLARED

    def add(self, code: str, path: tuple[Any, ...], warning: bool = False, key: bool = False, **params: Any) -> None:
        file, line, col = self.file, None, None
        if self.positions is not None:
            cell, line, col = self.positions.locate(path, key=key)
            file = cell or file
        params["path"] = params.pop("shown", None) or fmt_path(path)
        problem = Problem(code, params, file=file, line=line, col=col, path=fmt_path(path) or None)
        (self.warnings if warning else self.problems).append(problem)


def fmt_path(path: tuple[Any, ...]) -> str:
    """``members[3].training_hours``; a ``None`` part (any record) prints as ``[]``."""
    out = ""
    for part in path:
        if part is None:
            out += "[]"
        else:
            out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


_MISS = object()

Checker = Callable[[Any, tuple[Any, ...], _Ctx], Any]


def _scalar(kind: str, spec: FactSpec) -> Checker:
    lo, hi = spec.min, spec.max
    values = spec.values
    en, zh = _EXPECTED[kind]

    def wrong(value: Any, path: tuple[Any, ...], ctx: _Ctx) -> Any:
        if isinstance(value, datetime) or (isinstance(value, str) and kind == "date" and _ISO_STAMP.match(value)):
            ctx.add("facts-timestamp", path)
        else:
            ctx.add("facts-type", path, expected=en, expected_zh=zh, got=describe(value))
        return UNKNOWN

    allowed_numbers = spec.allowed

    def in_range(value: Any, path: tuple[Any, ...], ctx: _Ctx) -> Any:
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            ctx.add("facts-range", path, value=describe(value), range=f"{lo if lo is not None else ''}..{hi if hi is not None else ''}")
            return UNKNOWN
        if allowed_numbers is not None and not any(
                (value == a) if not hasattr(a, "min") else (a.min <= value <= a.max) for a in allowed_numbers):
            shown = "、".join(str(a) if not hasattr(a, "min") else f"{a.min}..{a.max}" for a in allowed_numbers)
            ctx.add("facts-range", path, value=describe(value), range=shown)
            return UNKNOWN
        return value

    if kind == "string":
        return lambda v, p, c: v if type(v) is str else wrong(v, p, c)
    if kind == "enum":
        allowed = tuple(values or ())

        def check_enum(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
            if type(v) is not str:
                return wrong(v, p, c)
            if v not in allowed:
                params: dict[str, Any] = {"value": v, "allowed": list(allowed)}
                s = difflib.get_close_matches(v, allowed, n=1, cutoff=0.6)
                if s:
                    params["suggestion"] = s[0]
                c.add("facts-invalid-value", p, **params)
                return UNKNOWN
            return v

        return check_enum
    def too_large(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
        c.add("number-too-large", p, **number_params(describe(v)))
        return UNKNOWN

    if kind == "int":
        def check_int(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
            if type(v) is not int:
                return wrong(v, p, c)
            if not -_BIG < v < _BIG:  # a Python caller's 10**5000: no rule may compute with it
                return too_large(v, p, c)
            return in_range(v, p, c)
        return check_int
    if kind == "number":
        def check_number(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
            t = type(v)
            if t is float:  # from Python callers: take the shortest decimal that prints the same
                if v != v or v in (float("inf"), float("-inf")):
                    return wrong(v, p, c)
                v = Decimal(repr(v))
            elif t is not int and t is not Decimal:
                return wrong(v, p, c)
            elif t is Decimal and not v.is_finite():
                return wrong(v, p, c)
            if t is int and not -_BIG < v < _BIG or t is not int and number_too_large(v):
                return too_large(v, p, c)
            return in_range(v, p, c)
        return check_number
    if kind == "bool":
        return lambda v, p, c: v if type(v) is bool else wrong(v, p, c)
    if kind == "date":
        def check_date(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
            if type(v) is str and _ISO_DATE.match(v):
                try:
                    v = date.fromisoformat(v)
                except ValueError:
                    return wrong(v, p, c)
            elif type(v) is not date:
                return wrong(v, p, c)
            if v < DATE_MIN or v > DATE_MAX:
                c.add("facts-range", p, value=v.isoformat(), range="1900-01-01..2099-12-31")
                return UNKNOWN
            return in_range(v, p, c) if (lo is not None or hi is not None) else v
        return check_date
    raise ValueError(kind)


def _absent(spec: FactSpec) -> tuple[bool, Any]:
    """(required, value when absent)."""
    if spec.required:
        return True, UNKNOWN
    if spec.default is not None:
        default = spec.default
        if isinstance(default, list):
            default = tuple(default)
        return False, default
    return False, (None if spec.absent == "none" else UNKNOWN)


def _fields(fields: Mapping[str, FactSpec], records_key: str | None) -> Checker:
    compiled = {name: (_compile(spec), *_absent(spec)) for name, spec in fields.items()}
    names = tuple(compiled)
    known = frozenset(compiled)
    suggestions: dict[Any, str | None] = {}  # memo of "did you mean" per undeclared key

    def check_fields(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
        if type(v) is not dict:
            c.add("facts-type", p, expected="a mapping", expected_zh="键值映射", got=describe(v))
            return UNKNOWN
        out = {}
        for name, (checker, required, absent) in compiled.items():
            raw = v.get(name)
            if raw is None:
                if required:
                    c.add("facts-missing", p + (name,))
                out[name] = absent
            else:
                out[name] = checker(raw, p + (name,), c)
        if not v.keys() <= known:
            for k in v:
                if k not in compiled:
                    shape = tuple(None if type(part) is int else part for part in p) + (k,)
                    if shape in c.undeclared:
                        continue  # one note per field of a record collection, not one per record
                    c.undeclared.add(shape)
                    if len(c.undeclared) > MAX_UNDECLARED:  # counted, summed up in one warning
                        if c.first_unlisted is None:
                            c.first_unlisted = p + (k,)
                        continue
                    s = suggestions.get(k, _MISS)
                    if s is _MISS:  # the same undeclared keys recur in every document of a batch
                        close = difflib.get_close_matches(str(k), names, n=1, cutoff=0.75)
                        s = suggestions[k] = close[0] if close else None
                    c.add("facts-undeclared", p + (k,), warning=True, key=True,
                          shown=fmt_path(shape),
                          suggestion_zh=f"（是否想写 “{s}”？）" if s else "",
                          suggestion_en=f" (did you mean '{s}'?)" if s else "")
        return out

    return check_fields


def _compile(spec: FactSpec) -> Checker:
    if spec.type == "object":
        return _fields(spec.fields or {}, None)
    if spec.type == "records":
        item = _fields(spec.fields or {}, spec.key)
        key = spec.key

        def check_records(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
            if type(v) is not list and type(v) is not tuple:
                c.add("facts-type", p, expected="a list of records", expected_zh="记录列表", got=describe(v))
                return UNKNOWN
            out = []
            seen: set[Any] = set()
            for i, raw in enumerate(v):
                if raw is None:
                    c.add("facts-null-in-list", p + (i,))
                    continue
                rec = item(raw, p + (i,), c)
                if rec is UNKNOWN:
                    continue
                if key is not None:
                    k = rec.get(key)
                    if k is not UNKNOWN and k is not None:
                        if k in seen:
                            c.add("facts-duplicate-id", p + (i, key), id=k)
                        seen.add(k)
                out.append(rec)
            return tuple(out)

        return check_records
    if spec.type == "list":
        item_spec = FactSpec(type=spec.of or "string", values=spec.values, min=spec.min, max=spec.max)
        item = _scalar(item_spec.type, item_spec)
        unique, references = spec.unique, spec.references

        def check_list(v: Any, p: tuple[Any, ...], c: _Ctx) -> Any:
            if type(v) is not list and type(v) is not tuple:
                c.add("facts-type", p, expected="a list", expected_zh="列表", got=describe(v))
                return UNKNOWN
            out = []
            seen: set[Any] = set()
            for i, raw in enumerate(v):
                if raw is None:
                    c.add("facts-null-in-list", p + (i,))
                    continue
                value = item(raw, p + (i,), c)
                if unique and value in seen:
                    c.add("facts-duplicate-item", p + (i,), value=raw if type(raw) is str else describe(raw))
                seen.add(value)
                out.append(value)
            if references:
                c.refs.append((p, tuple(out), references))
            return tuple(out)

        return check_list
    return _scalar(spec.type, spec)


def _check_made_for(made_for: Any, standard: tuple[str | None, str | None], ctx: _Ctx) -> None:
    """A workbook made from another standard is refused; one made from an earlier text of
    this standard (its hash differs) is read, with a warning."""
    sid, sha = standard
    if made_for.id != sid:
        ctx.add("xlsx-wrong-standard", (), made_for=made_for.id, standard=sid)
        raise FactsError(ctx.problems)
    if sha and made_for.sha256 and made_for.sha256 != sha:
        ctx.add("xlsx-standard-changed", (), warning=True, standard=sid, recorded=made_for.sha256[:12],
                current=sha[:12])


@dataclass(frozen=True)
class ValidatedFacts:
    values: dict[str, Any]
    warnings: tuple[Problem, ...]
    branch_id: str | None
    year: int


class FactsValidator:
    """A standard's fact schema, compiled once; :meth:`validate` checks one document."""

    def __init__(self, facts: Mapping[str, FactSpec], standard_id: str | None = None,
                 sha256: str | None = None) -> None:
        self._check = _fields(facts, None)
        self._standard = (standard_id, sha256)
        self._records = {name: spec.key for name, spec in facts.items() if spec.type == "records" and spec.key}

    def validate(self, doc: Any, *, file: str | None = None, positions: Positions | None = None) -> ValidatedFacts:
        ctx = _Ctx(file=file, positions=positions)
        made_for = getattr(positions, "made_for", None)  # a facts workbook names its standard
        if made_for is not None and self._standard[0] is not None:
            _check_made_for(made_for, self._standard, ctx)
        if not isinstance(doc, dict):
            ctx.add("facts-not-mapping", ())
            raise FactsError(ctx.problems)
        values = self._check(doc, (), ctx)
        for path, ids, target in ctx.refs:
            records = values.get(target) if isinstance(values, dict) else UNKNOWN
            if records is UNKNOWN or records is None:
                continue  # checked only when the referenced records are known
            key = self._records.get(target, "id")
            known = {r.get(key) for r in records}
            for i, ident in enumerate(ids):
                if ident not in known:
                    ctx.add("facts-dangling-ref", path + (i,), value=ident, target=target)
        if ctx.problems:
            raise FactsError(ctx.problems)
        if len(ctx.undeclared) > MAX_UNDECLARED:
            ctx.add("facts-undeclared-more", ctx.first_unlisted or (), warning=True, key=True, shown="",
                    count=len(ctx.undeclared) - MAX_UNDECLARED, limit=MAX_UNDECLARED)
        branch = values.get("branch")
        branch_id = branch.get("id") if isinstance(branch, dict) else None
        warnings = tuple(sorted(ctx.warnings, key=Problem.sort_key))
        return ValidatedFacts(values, warnings, branch_id if isinstance(branch_id, str) else None, values.get("year"))
