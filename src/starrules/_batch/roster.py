"""A batch's results as the lists people publish: the roster (one row per branch, CSV or
xlsx) and the 公示 list (ranked per unit, with 达标率 and average score per unit, and the
不达标 / 待核实 branches with their reasons).

Entries are read from the results as JSON (what OUT holds), so whatever a result carries
(e.g. several named scores under ``scores``) is read generically.  Units come in the order
they first appear in the input, or in a declared order (units not declared follow in order
of appearance); never sorted by code point.  Shares are over the *rated* branches: error rows
are counted apart and never enter a rate or an average.

CSV is UTF-8 with a BOM (Excel reads the Chinese) and guards against formula injection: a
text cell beginning with ``=`` ``+`` ``-`` ``@``, a tab or a carriage return gets a leading
``'`` (numbers this module writes itself are left alone).  xlsx cells are written as text or
numbers, never as formulas.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .._evaluate.result import Result
from .._files import write_atomic
from .._tabular import csv_text, safe_cell
from .._workbook.extra import close_workbook, new_workbook
from .items import Row
from .summary import order_units

GATE_KINDS = ("required", "veto")  # 达标要求 and 一票否决
NO_UNIT = {"zh": "（未填单位）", "en": "(no unit)"}
OUTCOME_WORDS = {"zh": {"met": "达标", "not_met": "不达标", "pending": "待核实", "error": "出错"},
                 "en": {"met": "met", "not_met": "not met", "pending": "pending", "error": "error"}}


@dataclass(frozen=True)
class Entry:
    """One input of a batch, as the lists show it."""

    index: int
    source: str
    branch_id: str | None = None
    name: str | None = None
    unit: str = ""
    outcome: str = "error"  # met, not_met, pending, or error
    outcome_label: str | None = None
    stars: int | None = None
    score: Any = None
    scores: dict[str, Any] = field(default_factory=dict)  # named scores, when the result has several
    failed: tuple[str, ...] = ()  # titles of the FAILed required/veto indicators
    to_verify: tuple[str, ...] = ()
    quota_note: dict[str, str] | None = None
    error: dict[str, str] | None = None  # first problem's message, zh and en

    @property
    def rated(self) -> bool:
        return self.outcome != "error"


def _named_scores(result: Mapping[str, Any]) -> dict[str, Any]:
    """``scores`` as a mapping name -> number (or -> {score|value}), or a list of
    {id|name|title, score|value}; nothing when the result has one score only."""
    raw = result.get("scores")
    out: dict[str, Any] = {}
    items: Iterable[tuple[Any, Any]] = ()
    if isinstance(raw, Mapping):
        items = raw.items()
    elif isinstance(raw, list):
        items = ((i.get("title") or i.get("name") or i.get("id"), i) for i in raw if isinstance(i, Mapping))
    for name, value in items:
        if isinstance(value, Mapping):
            value = value.get("score", value.get("value"))
        if name is not None and (value is None or isinstance(value, (int, Decimal, float))):
            out[str(name)] = value
    return out


def entry_of(index: int, source: str, result: Mapping[str, Any] | None, error: Sequence[Mapping[str, Any]] | None
             ) -> Entry:
    if result is None:
        first = error[0] if error else {}
        message = first.get("message") if isinstance(first, Mapping) else None
        return Entry(index, source, error=dict(message) if isinstance(message, Mapping) else {"zh": "", "en": ""})
    branch = result.get("branch") or {}
    failed = tuple(i.get("title") or i.get("id") for i in result.get("indicators") or ()
                   if i.get("status") == "FAIL" and i.get("kind") in GATE_KINDS)
    quota = result.get("quota")
    return Entry(
        index, source, branch_id=branch.get("id"), name=branch.get("name"), unit=branch.get("unit") or "",
        outcome=result.get("outcome", "error"), outcome_label=result.get("outcome_label"),
        stars=result.get("stars"), score=result.get("score"), scores=_named_scores(result), failed=failed,
        to_verify=tuple(result.get("facts_to_verify") or ()),
        quota_note=dict(quota["note"]) if isinstance(quota, Mapping) and isinstance(quota.get("note"), Mapping)
        else None)


def entry_of_row(row: Row, where: str | None = None) -> Entry:
    """The entry of a batch row (``json`` mode: its OUT line; ``model`` mode: its Result)."""
    source = where or ("" if row.source is None else str(row.source))
    payload = row.payload
    if row.meta is None:
        return entry_of(row.index, source, None, row.error)
    if isinstance(payload, Result):
        payload = payload.model_dump_json().encode()
    data = json.loads(payload, parse_float=Decimal)
    result = data.get("result", data) if isinstance(data, Mapping) else None
    return entry_of(row.index, source, result, None)


def unit_order(entries: Iterable[Entry], declared: Sequence[str] = ()) -> list[str]:
    """Units in declared order, then the others in order of first appearance; no unit last."""
    return order_units((e.unit for e in entries), declared)


# -- numbers shown ------------------------------------------------------------------------------


def _dec(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rounded(value: Any, places: int = 2) -> Any:
    """A number as shown: an int stays, a decimal is rounded half up to ``places``."""
    d = _dec(value)
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(q) if q == q.to_integral_value() else q.normalize()  # 97.60 -> 97.6


def mean_score(entries: Iterable[Entry]) -> Decimal | None:
    """The average score of the rated entries that have one (exact)."""
    scores = [d for d in (_dec(e.score) for e in entries if e.rated) if d is not None]
    return sum(scores, Decimal(0)) / len(scores) if scores else None


@dataclass(frozen=True)
class UnitStats:
    unit: str
    total: int  # inputs, error rows included
    rated: int
    met: int
    not_met: int
    pending: int
    errors: int
    average: Decimal | None  # mean score over the rated branches that have one

    @property
    def met_rate(self) -> Decimal | None:
        """达标率: met ÷ rated (error rows not counted)."""
        return Decimal(self.met) / Decimal(self.rated) if self.rated else None


def unit_stats(entries: Sequence[Entry], declared: Sequence[str] = ()) -> list[UnitStats]:
    out = []
    for unit in unit_order(entries, declared):
        mine = [e for e in entries if e.unit == unit]
        rated = [e for e in mine if e.rated]
        out.append(UnitStats(unit, len(mine), len(rated), sum(e.outcome == "met" for e in rated),
                             sum(e.outcome == "not_met" for e in rated), sum(e.outcome == "pending" for e in rated),
                             len(mine) - len(rated), mean_score(rated)))
    return out


def percent(rate: Decimal | Fraction | None) -> str:
    """``87.5%`` (one decimal, half up), ``—`` when there is nothing to divide by."""
    if rate is None:
        return "—"
    d = Decimal(rate.numerator) / Decimal(rate.denominator) if isinstance(rate, Fraction) else rate
    return f"{(d * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


# -- the roster -----------------------------------------------------------------------------------


def _words(lang: str, labels: Mapping[str, str] | None) -> dict[str, str]:
    words = dict(OUTCOME_WORDS[lang])
    if lang == "zh" and labels:
        words.update({k: v for k, v in labels.items() if k in words})
    return words


def _joined(items: Iterable[str]) -> str:
    return "、".join(str(i) for i in items)


def roster_table(entries: Sequence[Entry], lang: str = "zh", labels: Mapping[str, str] | None = None
                 ) -> tuple[list[str], list[list[Any]]]:
    """Headers and one row per input, in input order."""
    zh = lang == "zh"
    named: list[str] = []
    for e in entries:
        named.extend(n for n in e.scores if n not in named)
    headers = (["序号", "来源", "支部编号", "支部名称", "单位", "结论", "星级", "得分"] if zh else
               ["no.", "source", "branch id", "branch name", "unit", "outcome", "stars", "score"])
    headers += named
    headers += (["未通过的达标/否决项", "待核实事项", "名额说明", "出错原因"] if zh else
                ["failed required/veto items", "facts to verify", "quota note", "error"])
    words = _words(lang, labels)
    rows = []
    for n, e in enumerate(entries, 1):
        outcome = words.get(e.outcome, e.outcome)
        row = [n, e.source, e.branch_id or "", e.name or "", e.unit, outcome, e.stars, rounded(e.score)]
        row += [rounded(e.scores.get(name)) for name in named]
        row += [_joined(e.failed), _joined(e.to_verify), (e.quota_note or {}).get(lang, ""),
                (e.error or {}).get(lang, "")]
        rows.append(row)
    return headers, rows


guard = safe_cell  # one formula guard for every CSV and workbook cell (_tabular)


def write_csv(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """UTF-8 with a BOM, formula injection guarded; numbers as plain decimals; written atomically."""
    table = [list(headers), *(["" if v is None else v if isinstance(v, (int, Decimal)) else str(v) for v in row]
                              for row in rows)]
    write_atomic(path, "\ufeff" + csv_text(table))


def _put(ws: Any, r: int, c: int, value: Any, fmt: Any = None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_string(r, c, str(value), fmt)
    elif isinstance(value, (int, Decimal)):
        ws.write_number(r, c, float(value), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _sheet(wb: Any, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], head: Any,
           widths: Sequence[int] = ()) -> Any:
    ws = wb.add_worksheet(name)
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
        ws.set_column(c, c, widths[c] if c < len(widths) else max(10, 2 * len(h) + 2))
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row):
            _put(ws, r, c, v)
    ws.freeze_panes(1, 0)
    return ws


def write_roster(path: str | Path, entries: Sequence[Entry], lang: str = "zh",
                 labels: Mapping[str, str] | None = None) -> None:
    """The roster as ``.csv`` or ``.xlsx`` (by the suffix)."""
    headers, rows = roster_table(entries, lang, labels)
    if Path(path).suffix.lower() == ".csv":
        write_csv(path, headers, rows)
        return
    wb = new_workbook(path)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    _sheet(wb, "名册" if lang == "zh" else "roster", headers, rows, head)
    close_workbook(wb, path)


# -- the 公示 list ----------------------------------------------------------------------------------


def _rank(entries: Sequence[Entry]) -> list[tuple[int, Entry]]:
    """By score (then stars) descending, input order among equals; equals share a rank (1, 2, 2, 4)."""
    def key(e: Entry) -> tuple[Any, ...]:
        s = _dec(e.score)
        return (s is None, -(s or 0), -(e.stars or 0), e.index)

    ordered = sorted(entries, key=key)
    out: list[tuple[int, Entry]] = []
    for i, e in enumerate(ordered):
        if out and key(out[-1][1])[:3] == key(e)[:3]:
            out.append((out[-1][0], e))
        else:
            out.append((i + 1, e))
    return out


def publish_tables(entries: Sequence[Entry], lang: str = "zh", labels: Mapping[str, str] | None = None,
                   declared: Sequence[str] = ()) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The sheets of the 公示 list: name -> (headers, rows)."""
    zh = lang == "zh"
    words = _words(lang, labels)
    no_unit = NO_UNIT[lang]
    met = [e for e in entries if e.rated and e.outcome == "met"]
    overall = {id(e): r for r, e in _rank(met)}
    ranked: list[list[Any]] = []
    for unit in unit_order(entries, declared):
        for r, e in _rank([e for e in met if e.unit == unit]):
            ranked.append([e.unit or no_unit, r, overall[id(e)], e.name or "", e.branch_id or "", e.stars,
                           rounded(e.score), words["met"]])
    stats = unit_stats(entries, declared)
    per_unit = [[s.unit or no_unit, s.rated, s.met, percent(s.met_rate), rounded(s.average), s.not_met,
                 s.pending, s.errors] for s in stats]
    rated = sum(s.rated for s in stats)
    all_met = sum(s.met for s in stats)
    per_unit.append(["合计" if zh else "total", rated, all_met,
                     percent(Decimal(all_met) / rated if rated else None),
                     rounded(mean_score(entries)),
                     sum(s.not_met for s in stats), sum(s.pending for s in stats), sum(s.errors for s in stats)])
    others: list[list[Any]] = []
    for unit in unit_order(entries, declared):
        for e in entries:
            if e.unit != unit or e.outcome == "met":
                continue
            if e.rated:
                reason = (("未通过：" if zh else "failed: ") + _joined(e.failed)) if e.failed else ""
                if e.to_verify:
                    reason += ("；" if reason else "") + ("待核实：" if zh else "to verify: ") + _joined(e.to_verify)
            else:
                reason = (e.error or {}).get(lang, "")
            others.append([e.unit or no_unit, e.name or "", e.branch_id or e.source, words.get(e.outcome, e.outcome),
                           rounded(e.score), reason])
    if zh:
        return {
            "公示名单": (["单位", "单位内名次", "总名次", "支部名称", "支部编号", "星级", "得分", "结论"], ranked),
            "各单位统计": (["单位", "已评价支部数", "达标数", "达标率（占已评价）", "平均得分（已评价）", "不达标数",
                        "待核实数", "出错（不计入）"], per_unit),
            "不达标及待核实": (["单位", "支部名称", "支部编号/来源", "结论", "得分", "原因"], others),
        }
    return {
        "published": (["unit", "rank in unit", "overall rank", "branch name", "branch id", "stars", "score",
                       "outcome"], ranked),
        "per unit": (["unit", "rated", "met", "met rate (of rated)", "average score (rated)", "not met", "pending",
                      "errors (not counted)"], per_unit),
        "not met and pending": (["unit", "branch name", "branch id / source", "outcome", "score", "reason"], others),
    }


def write_publish(path: str | Path, entries: Sequence[Entry], lang: str = "zh",
                  labels: Mapping[str, str] | None = None, declared: Sequence[str] = ()) -> None:
    """The 公示 list as an xlsx workbook of three sheets."""
    wb = new_workbook(path)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    for name, (headers, rows) in publish_tables(entries, lang, labels, declared).items():
        _sheet(wb, name, headers, rows, head)
    close_workbook(wb, path)
