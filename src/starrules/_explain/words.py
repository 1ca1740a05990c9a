"""Words and value display shared by explain, next-star, verify and the report (zh / en)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping, Sequence

from .._lang import UNKNOWN, format_value
from .._lang import ast as A
from .._lang.values import PartialItems, PartialSet, sort_key
from .._compile.phrase import KIND_WORDS
from .._compile.wording import record_key
from .._standard.model import Band

STATUS = {
    "zh": {"PASS": "通过", "FAIL": "未通过", "NA": "不适用", "UNKNOWN": "待核实"},
    "en": {"PASS": "PASS", "FAIL": "FAIL", "NA": "NA", "UNKNOWN": "UNKNOWN"},
}
KIND = KIND_WORDS
OUTCOME_EN = {"met": "met", "not_met": "not met", "pending": "pending"}
MAX_LISTED = 12


def outcome_label(outcome: str, labels: Mapping[str, str], lang: str) -> str:
    """The standard's own (Chinese) label of an outcome, or the English words."""
    if lang == "zh":
        return labels.get(outcome, outcome)
    return OUTCOME_EN.get(outcome, outcome)


def score_line(sc: Any, lang: str) -> str:
    """One named score (a ScoreResult): "三星（四有） S3：86 / 100（及格线 80，达到）"."""
    zh = lang == "zh"

    def num(v: Any) -> str:
        return format_value(v, "en")

    name = (sc.label.zh if zh else sc.label.en) if sc.label is not None else sc.id
    value = num(sc.value) if sc.value is not None else "—"
    text = f"  {name} {sc.id}：{value}" if zh else f"  {name} {sc.id}: {value}"
    if sc.max is not None:
        text += f" / {num(sc.max)}"
    if sc.pass_line is not None:
        verdict = {True: ("达到", "passed"), False: ("未达到", "not reached"), None: ("待核实", "unknown")}[sc.passed]
        text += (f"（及格线 {num(sc.pass_line)}，{verdict[0]}）" if zh
                 else f" (pass line {num(sc.pass_line)}, {verdict[1]})")
    return text


def stars_text(stars: int | None) -> str:
    if stars is None:
        return "—"
    return "★" * stars + "☆" * max(5 - stars, 0)


_item_key = record_key  # a record by its key (id or name)


def listing(items: Sequence[Any], lang: str, limit: int = MAX_LISTED) -> str:
    """``a、b、c`` (zh) or ``a, b, c`` (en), at most ``limit`` shown."""
    sep = "、" if lang == "zh" else ", "
    shown = [show(_item_key(i), lang) for i in list(items)[:limit]]
    if not shown:
        return "无" if lang == "zh" else "none"
    more = len(items) - limit
    if more > 0:
        shown.append(f"… 另 {more} 项" if lang == "zh" else f"… {more} more")
    return sep.join(shown)


def show(value: Any, lang: str) -> str:
    """A value as a short text for a tree line: records by their keys, sets sorted."""
    if isinstance(value, tuple) and value and all(isinstance(v, dict) for v in value):
        n = len(value)
        head = f"{n} 项" if lang == "zh" else f"{n} item{'s' if n != 1 else ''}"
        return f"{head}（{listing(value, lang)}）" if lang == "zh" else f"{head} ({listing(value, lang)})"
    if isinstance(value, tuple) and not value:
        return "0 项" if lang == "zh" else "0 items"
    if isinstance(value, (frozenset, set)):
        return "{" + listing(sorted(value, key=sort_key), lang, 24) + "}" if value else ("∅")
    if isinstance(value, PartialItems):
        return format_value(tuple(_item_key(i) for i in value.items), lang)
    if isinstance(value, PartialSet):
        return format_value(value, lang)
    if isinstance(value, dict):
        return format_value(value, lang)
    if isinstance(value, Fraction) and value.denominator != 1:
        return format_value(value, lang)
    return format_value(value, lang)


def show_param(value: Any, lang: str) -> str:
    """A parameter's value as written in the standard (maps, lists and star bands)."""
    if isinstance(value, tuple) and value and isinstance(value[0], Band):
        return ", ".join(f"≥{format_value(b.min, lang)}→{b.stars}★" for b in value)
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):  # compiled bands
        return ", ".join(f"≥{format_value(m, lang)}→{s}★" for m, s in value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(show_param(v, lang) for v in value) + "]"
    if isinstance(value, (frozenset, set)):
        return "[" + ", ".join(show_param(v, lang) for v in sorted(value, key=sort_key)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show_param(v, lang)}" for k, v in value.items()) + "}"
    return format_value(value, lang)


def percent(value: Any, lang: str) -> str:
    return format_value(Fraction(value), lang, percent=True)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal, Fraction)) and not isinstance(value, bool)


def is_known(value: Any) -> bool:
    return value is not UNKNOWN and not isinstance(value, (PartialItems, PartialSet))


def month_words(months: Sequence[int], lang: str) -> str:
    if lang == "zh":
        return "、".join(f"{m}月" for m in months)
    names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return ", ".join(names[m - 1] if 1 <= m <= 12 else str(m) for m in months)


def quarter_words(quarters: Sequence[int], lang: str) -> str:
    if lang == "zh":
        return "、".join(f"第{q}季度" for q in quarters)
    return ", ".join(f"Q{q}" for q in quarters)


def evidence_parts(cs: Any, ci: Any, expr: str, ids: Sequence[Any], detail: Sequence[Any] | None, lang: str,
                   limit: int = 20) -> tuple[str, list[str]]:
    """An evidence list for people: what it is in words (``应参学党员中年度学时不低于 32 学时的
    数量``) and its items, each record with its deciding values when the result has them
    (``YY03：24 学时``)."""
    from .._compile.phrase import Phrase, words

    w = cs.wording
    what = expr
    for ce in (ci.applies, ci.rule, ci.points):
        if ce is None or w is None:
            continue
        found = next((n for n in A.walk(ce.analysis.root) if n.text == expr), None)
        if found is not None:
            what = words(Phrase(w, ce.analysis, lambda n: UNKNOWN), found, lang)
            break
    if detail and w is not None:
        fields = list(detail[0].values)
        specs = [(f, w.spec(f"*.{f}")) for f in fields]
        sep = "、" if lang == "zh" else "; "
        rows = tuple({"id": d.id, **d.values} for d in list(detail)[:limit])
        return what, w.record_list(rows, specs, lang, limit).split(sep)
    return what, [show(i, lang) for i in list(ids)[:limit]]
