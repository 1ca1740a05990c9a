"""How facts, codes and values read for people: the standard's labels, units and formats.

A :class:`Wording` is built once per compiled standard from the fact schema (``label``,
``labels``, ``unit``, ``format``), the parameters' ``format`` and the ``terms`` (labels of
definitions).  It gives

* ``name(path, lang)``: a fact by its label (or its description without the trailing
  parenthesis), never by its key;
* ``code_labels(paths)``: how codes read for the facts an expression reads (an ambiguous
  code, e.g. ``group`` as a meeting type and as a brand level, is resolved by the facts);
* ``shower(...)``: the function a template placeholder is shown with, when it needs more
  than :func:`format_value` (codes as labels, shares as percentages, records with the
  deciding field values).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .._lang import ast as A
from .._lang import format_value
from .._lang import types as T
from .._lang.check import Analysis
from .._lang.values import UNKNOWN, sort_key
from .._standard.model import FactSpec, label_text
from .._standard.resolved import ResolvedStandard

__all__ = ["Wording", "record_key"]

_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]\s*$")
_WORDS = {"zh": {"sep": "、", "none": "无", "colon": "：", "and": "，"},
          "en": {"sep": "; ", "none": "none", "colon": ": ", "and": ", "}}
Show = Callable[[Any, str], str]


def _short(description: str) -> str:
    """``群众满意度测评结果（0–1）`` -> ``群众满意度测评结果``; text after a colon is an explanation."""
    text = _TRAILING_NOTE.sub("", description).strip()
    head = re.split(r"[：:]", text, maxsplit=1)[0].strip()
    return head or text


def record_key(item: Any) -> Any:
    if isinstance(item, dict):
        for k in ("id", "name"):
            if k in item:
                return item[k]
    return item


class Wording:
    def __init__(self, std: ResolvedStandard) -> None:
        self.std = std
        self.specs: dict[str, FactSpec] = {}
        self.record_fields: dict[str, list[FactSpec]] = {}  # field name -> its specs in any records fact
        for name, spec in std.facts.items():
            self._add(name, spec, in_records=False)
        table: dict[str, set[tuple[str, str]]] = {}
        for spec in self.specs.values():
            for code, lab in (spec.labels or {}).items():
                table.setdefault(code, set()).add((label_text(lab, "zh") or code, label_text(lab, "en") or code))
        #: codes that read the same wherever they occur
        self.unique_codes = {c: next(iter(v)) for c, v in table.items() if len(v) == 1}

    def _add(self, path: str, spec: FactSpec, in_records: bool) -> None:
        self.specs[path] = spec
        if in_records:
            self.record_fields.setdefault(path.rsplit(".", 1)[-1], []).append(spec)
        for fname, fspec in (spec.fields or {}).items():
            self._add(f"{path}.{fname}", fspec, in_records or spec.type == "records")

    # -- facts ------------------------------------------------------------------------------
    def spec(self, path: str) -> FactSpec | None:
        if path.startswith("*."):
            found = self.record_fields.get(path[2:])
            return found[0] if found else None
        return self.specs.get(path)

    def name(self, path: str, lang: str) -> str | None:
        """The label of a fact (``satisfaction`` -> 群众满意度测评结果), or None."""
        spec = self.spec(path)
        if spec is None:
            return None
        text = label_text(spec.label, lang)
        if text:
            return text
        if spec.description and lang == "zh":
            return _short(spec.description)
        return None

    def unit(self, path: str, lang: str) -> str | None:
        spec = self.spec(path)
        return label_text(spec.unit, lang) if spec is not None else None

    def term(self, name: str, lang: str) -> str | None:
        return label_text(self.std.terms.get(name), lang)

    def param_percent(self, name: str) -> bool:
        p = self.std.parameters.get(name)
        return p is not None and p.format == "percent"

    def param_unit(self, name: str) -> str | None:
        p = self.std.parameters.get(name)
        return p.unit if p is not None else None

    def show_param(self, name: str, value: Any, lang: str) -> str:
        """A parameter value as a person reads it: ``80%``, ``32 学时``, labels for codes."""
        if self.param_percent(name) and not isinstance(value, (tuple, dict, bool)):
            return format_value(value, lang, percent=True)
        if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            return self.codes(value, {}, lang)
        if isinstance(value, tuple) and value and all(hasattr(v, "stars") for v in value):  # star bands
            return ("、" if lang == "zh" else ", ").join(f"≥{format_value(b.min, lang)}→{b.stars}★" for b in value)
        unit = self.param_unit(name)
        if isinstance(value, dict):  # a map from codes: by the labels of the fact whose codes it maps
            labels = self.labels_covering(value)
            sep = "、" if lang == "zh" else ", "
            tail = f" {unit}" if unit and lang == "zh" else ""
            return sep.join(f"{self.code(k, labels, lang)} {format_value(v, lang)}{tail}" for k, v in value.items())
        text = format_value(value, lang)
        if unit and lang == "zh" and not isinstance(value, (tuple, bool)):
            return f"{text} {unit}"
        return text

    def labels_covering(self, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The labels of the fact whose codes are exactly (else include) ``codes``."""
        wanted = set(codes)
        best = None
        for path, spec in self.specs.items():
            have = set(spec.labels or ())
            if have == wanted:
                return self.code_labels([path])
            if best is None and wanted <= have:
                best = path
        return self.code_labels([best]) if best is not None else {}

    # -- codes ------------------------------------------------------------------------------
    def code_labels(self, paths: Iterable[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for path in paths:
            spec = self.spec(path)
            for code, lab in ((spec.labels or {}) if spec is not None else {}).items():
                out.setdefault(code, (label_text(lab, "zh") or code, label_text(lab, "en") or code))
        return out

    def code(self, value: str, labels: dict[str, tuple[str, str]], lang: str) -> str:
        got = labels.get(value) or self.unique_codes.get(value)
        if got is None:
            return value
        return got[0] if lang == "zh" else got[1]

    def codes(self, values: Iterable[Any], labels: dict[str, tuple[str, str]], lang: str) -> str:
        items = sorted(values, key=sort_key) if isinstance(values, (set, frozenset)) else list(values)
        if not items:
            return _WORDS[lang]["none"]
        sep = "、" if lang == "zh" else ", "
        return sep.join(self.code(v, labels, lang) if isinstance(v, str) else format_value(v, lang) for v in items)

    # -- template placeholders --------------------------------------------------------------
    def shower(self, node: A.Expr, an: Analysis, reads: list[str], percent: bool, places: int | None,
               fields: tuple[str, ...]) -> Show | None:
        """How a placeholder's value is shown, or None when :func:`format_value` does."""
        t = T.strip_optional(an.type)
        if fields:
            rec = T.element(t) if T.is_collection(t) else None
            records = getattr(rec, "name", None)
            return self._records_shower(records, fields, reads)
        stringy = isinstance(t, (T.Enum,)) or t == T.STRING or (
            T.is_collection(t) and (isinstance(T.element(t), T.Enum) or T.element(t) == T.STRING))
        if stringy:
            labels = self.code_labels(reads)
            if not labels and not self.unique_codes:
                return None

            def show_codes(v: Any, lang: str) -> str:
                if isinstance(v, str):
                    return self.code(v, labels, lang)
                if isinstance(v, (tuple, frozenset, set)):
                    return self.codes(v, labels, lang)
                return format_value(v, lang)

            return show_codes
        if not percent and places is None and self.is_share(node, an):
            return lambda v, lang: format_value(v, lang, percent=True)
        return None

    def is_share(self, node: A.Expr, an: Analysis) -> bool:
        """A share (0–1) to show as a percentage: ``share(...)``, a ``format: percent``
        parameter or fact."""
        if isinstance(node, A.Call) and node.func == "share":
            return True
        if isinstance(node, A.Param):
            return self.param_percent(node.name)
        path = self.fact_path(node, an)
        if path is not None:
            spec = self.spec(path)
            return spec is not None and spec.format == "percent"
        return False

    def fact_path(self, node: A.Expr, an: Analysis) -> str | None:
        """``committee.members`` for a fact read directly, ``*.training_hours`` for a field of
        the current record, else None."""
        names: list[str] = []
        base: A.Expr = node
        while isinstance(base, A.Field):
            names.append(base.name)
            base = base.obj
        res = an.res.get(id(base))
        if not isinstance(base, A.Name) or not res:
            return None
        if res[0] == "fact":
            return ".".join([base.name] + names[::-1])
        if res[0] == "field" and not names:
            return f"*.{res[2]}"
        return None

    def _records_shower(self, records: str | None, fields: tuple[str, ...], reads: list[str]) -> Show:
        def spec_of(f: str) -> FactSpec | None:
            if records is not None and f"{records}.{f}" in self.specs:
                return self.specs[f"{records}.{f}"]
            return self.spec(f"*.{f}")

        specs = [(f, spec_of(f)) for f in fields]

        def show(v: Any, lang: str) -> str:
            return self.record_list(v, specs, lang)

        return show

    def record_list(self, items: Any, specs: list[tuple[str, FactSpec | None]], lang: str,
                    limit: int = 12) -> str:
        """``WH03：28 学时、WH05：30 学时`` (one field) or ``R2023-01：整改期限 2023-09-30，销号日期
        2023-10-12`` (several)."""
        w = _WORDS[lang]
        if not isinstance(items, (tuple, list)) or not items:
            return w["none"]
        out = []
        for item in list(items)[:limit]:
            if not isinstance(item, dict):
                out.append(format_value(item, lang))
                continue
            parts = []
            for f, spec in specs:
                shown = self.field_value(item.get(f, UNKNOWN), spec, lang)
                if len(specs) > 1:
                    name = (label_text(spec.label, lang) or (_short(spec.description) if spec.description and lang == "zh"
                                                             else None)) if spec is not None else None
                    shown = f"{name} {shown}" if name else shown
                parts.append(shown)
            out.append(f"{format_value(record_key(item), lang)}{w['colon']}{w['and'].join(parts)}")
        more = len(items) - limit
        if more > 0:
            out.append(f"另 {more} 项" if lang == "zh" else f"{more} more")
        return w["sep"].join(out)

    def field_value(self, value: Any, spec: FactSpec | None, lang: str) -> str:
        if value is None:
            return "未填写" if lang == "zh" else "not given"
        if spec is not None and spec.format == "percent" and not isinstance(value, (bool, str, tuple)):
            return format_value(value, lang, percent=True)
        if spec is not None and spec.labels and isinstance(value, (str, tuple, frozenset)):
            labels = self.code_labels([]) | {c: (label_text(lab, "zh") or c, label_text(lab, "en") or c)
                                             for c, lab in spec.labels.items()}
            return self.code(value, labels, lang) if isinstance(value, str) else self.codes(value, labels, lang)
        text = format_value(value, lang)
        unit = label_text(spec.unit, lang) if spec is not None else None
        if unit and not isinstance(value, (bool, str)) and value is not UNKNOWN:
            text = f"{text} {unit}"
        return text
