"""Message templates: text with ``{expression}`` placeholders.

``parse_template("{count(F)} 名正式党员，需 ≥ {$min_formal_members}")`` gives a
:class:`Template` whose ``parts`` are strings and expressions (spans are offsets into the
whole template).  ``{{`` and ``}}`` stand for literal braces.  A placeholder may end with a
format: ``{share(NE, training_hours >= 32):%}`` (percentage), ``{x:.2}`` (2 decimal
places), ``{x:%.1}``, or name the fields to show for each record of a list of records:
``{NE where training_hours < 32:training_hours}`` (``WH03：28 学时``),
``{rectifications where closed > due:due,closed}``.  Templates are checked and compiled like expressions; the compiled
template renders in ``"zh"`` or ``"en"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import ast as A
from . import types as T
from .check import Analysis, analyze
from .compile import Env, compile_analysis
from .errors import LangError
from .fmt import format_value
from .parse import parse_fragment
from .scope import Scope

__all__ = ["Template", "CompiledTemplate", "parse_template", "check_template", "analyze_template", "compile_template"]

_SPEC = re.compile(r"^(%)?(?:\.(\d))?$")
_FIELDS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*$")


def spec_fields(spec: str) -> tuple[str, ...]:
    """The record fields a format spec names (``"due,closed"``), or ()."""
    if not spec or not _FIELDS.match(spec):
        return ()
    return tuple(f.strip() for f in spec.split(","))


@dataclass(frozen=True)
class Template:
    """``parts``: literal text and expressions, in order.  ``formats`` maps the index of an
    expression part to its format spec (``"%"``, ``".2"``, ``"%.1"``)."""

    source: A.Source
    parts: tuple[str | A.Expr, ...]
    formats: dict[int, str] = field(default_factory=dict, compare=False)

    @property
    def exprs(self) -> list[A.Expr]:
        return [p for p in self.parts if isinstance(p, A.Expr)]


def parse_template(text: str, name: str | None = None) -> Template:
    source = A.Source(text, name)
    parts: list[str | A.Expr] = []
    formats: dict[int, str] = {}
    buf: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "{" and text.startswith("{{", i):
            buf.append("{")
            i += 2
            continue
        if ch == "}" and text.startswith("}}", i):
            buf.append("}")
            i += 2
            continue
        if ch == "}":
            raise LangError("rule-syntax", {"found": "}", "expected": [], "hint": "}}"}, (i, i + 1), source)
        if ch != "{":
            buf.append(ch)
            i += 1
            continue
        end, colon = _scan_placeholder(text, i + 1, source)
        if buf:
            parts.append("".join(buf))
            buf = []
        expr_end = colon if colon is not None else end
        expr = parse_fragment(source, i + 1, expr_end)
        if colon is not None:
            spec = text[colon + 1 : end].strip()
            if (not _SPEC.match(spec) and not _FIELDS.match(spec)) or spec == "":
                raise LangError("rule-syntax", {"found": spec, "expected": ["%", ".2", "%.1", "field,field"],
                                                "hint": None},
                                (colon + 1, end), source)
            formats[len(parts)] = spec
        parts.append(expr)
        i = end + 1
    if buf:
        parts.append("".join(buf))
    return Template(source, tuple(parts), formats)


def _scan_placeholder(text: str, start: int, source: A.Source) -> tuple[int, int | None]:
    """Index of the ``}`` closing a placeholder opened before ``start``, and of its format
    colon (if any); quotes are skipped."""
    i, n = start, len(text)
    quote = None
    colon = None
    while i < n:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == ":" and colon is None:
            colon = i
        elif ch == "{":
            break
        elif ch == "}":
            return i, colon
        i += 1
    raise LangError("rule-syntax", {"found": "{", "expected": ["`}`"], "hint": None}, (start - 1, start), source)


def check_template(tpl: Template, scope: Scope) -> list[T.Type]:
    """The type of each placeholder; raises the first LangError."""
    return [an.type for an in analyze_template(tpl, scope)]


def _check_fields(tpl: Template, analyses: list[Analysis]) -> None:
    """A field list may follow only a list of records that has those fields."""
    k = 0
    for i, p in enumerate(tpl.parts):
        if isinstance(p, str):
            continue
        an = analyses[k]
        k += 1
        fields = spec_fields(tpl.formats.get(i, ""))
        if not fields:
            continue
        t = T.strip_optional(an.type)
        rec = T.element(t) if T.is_collection(t) else None
        if not isinstance(rec, T.Record):
            raise LangError("rule-type", {"context": f"field list :{','.join(fields)}",
                                          "context_zh": f"字段列表 :{','.join(fields)}",
                                          "expected": "a list of records", "expected_zh": "记录列表",
                                          "got": T.describe(an.type, "en"), "got_zh": T.describe(an.type, "zh")},
                            p.span, tpl.source)
        for f in fields:
            if rec.field(f) is None:
                raise LangError("rule-type", {"context": f"field list :{f}", "context_zh": f"字段列表 :{f}",
                                              "expected": "a field of the records: " + ", ".join(rec.field_names()),
                                              "expected_zh": "记录的字段之一：" + "、".join(rec.field_names()),
                                              "got": f, "got_zh": f},
                                p.span, tpl.source)


class CompiledTemplate:
    """``tpl(env, lang)`` renders; ``tpl.values(env)`` gives the placeholders' values.
    ``exprs`` lists, per placeholder: (expression, its Analysis, closure, percent, places,
    record fields to show)."""

    __slots__ = ("template", "_pieces", "_fns", "exprs")

    def __init__(self, template: Template, pieces: list[Any], fns: list[Callable[[Env], Any]],
                 exprs: list[tuple[A.Expr, Analysis, Callable[[Env], Any], bool, int | None, tuple[str, ...]]]
                 | None = None) -> None:
        self.template = template
        self._pieces = pieces
        self._fns = fns
        self.exprs = exprs or []

    def values(self, env: Env) -> list[Any]:
        return [f(env) for f in self._fns]

    def __call__(self, env: Env, lang: str = "zh") -> str:
        out = []
        for p in self._pieces:
            if type(p) is str:
                out.append(p)
            else:
                f, percent, places = p
                out.append(format_value(f(env), lang, percent=percent, places=places))
        return "".join(out)


def analyze_template(tpl: Template, scope: Scope, known: dict[str, Any] | None = None) -> list[Analysis]:
    """The Analysis of each placeholder; raises the first LangError (as check_template).
    ``known`` maps placeholder texts already checked in ``scope`` to their (Analysis,
    closure): those are not checked again."""
    if not known:
        out = [analyze(e, scope) for e in tpl.exprs]
    else:
        out = [known[e.text][0] if e.text in known else analyze(e, scope) for e in tpl.exprs]
    _check_fields(tpl, out)
    return out


def compile_template(tpl: Template, scope: Scope, trace: str | None = None,
                     analyses: list[Analysis] | None = None,
                     known: dict[str, Any] | None = None) -> CompiledTemplate:
    """``analyses`` (from :func:`analyze_template` with the same scope) saves checking the
    placeholders again.  ``known`` (placeholder text -> (Analysis, closure), compiled in the
    same scope with the same ``trace``; e.g. the other language's template) saves compiling
    the same text again, and receives what this template compiles.  (A shared closure's
    run-time errors point at the text where it was first compiled.)"""
    pieces: list[Any] = []
    fns = []
    exprs = []
    k = 0
    for i, p in enumerate(tpl.parts):
        if isinstance(p, str):
            pieces.append(p)
            continue
        got = known.get(p.text) if known is not None else None
        if got is not None:
            an, f = got
            k += 1
        else:
            an = analyses[k] if analyses is not None else analyze(p, scope)
            k += 1
            f = compile_analysis(an, trace)
            if known is not None:
                known[p.text] = (an, f)
        spec = tpl.formats.get(i, "")
        m = _SPEC.match(spec)
        percent = bool(m and m.group(1))
        places = int(m.group(2)) if m and m.group(2) else None
        pieces.append((f, percent, places))
        fns.append(f)
        exprs.append((p, an, f, percent, places, spec_fields(spec)))
    return CompiledTemplate(tpl, pieces, fns, exprs)
