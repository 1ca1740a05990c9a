"""The HTML form of a diff (and of an impact): one self-contained page, printable on A4.

jinja2 template ``templates/diff.html.j2`` (autoescaped), CSS inline, no scripts and nothing
fetched at view time.  The transition matrix is a heat table (cell shade ∝ count); the flip
counts are a small static SVG bar chart drawn here (geometry only; the template writes it).
Deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from .._version import __version__
from . import words as W
from .model import Impact, StandardDiff

LABELS = {
    "zh": {"html_lang": "zh-CN", "title": "评价标准变更对比", "from": "原标准", "to": "新标准", "header": "标准信息",
           "indicators": "指标", "parameters": "参数", "definitions": "定义", "rating": "定星规则", "facts": "事实",
           "id": "编号", "ind_title": "名称", "change": "变更", "what": "内容", "layer": "设定层", "name": "参数",
           "value": "原值 → 新值", "used_by": "用于", "path": "事实", "impact": "影响测算", "branches": "支部数",
           "rated": "两版均可评价", "changed": "结果有变化", "broken": "无法评价的记录", "matrix": "结论与星级变化",
           "matrix_note": "行：原标准；列：新标准；颜色越深人数越多", "flips": "指标状态变化", "scores": "得分变化",
           "stars_change": "星级变化", "delta": "变化", "count": "支部数", "affected": "受影响的支部",
           "before": "原", "after": "新", "source": "来源", "side": "被拒绝的标准", "problem": "问题",
           "more": "另有 {n} 个未列出", "none": "无", "no_changes": "无变化", "quota": "名额限制已应用",
           "side_a": "原标准", "side_b": "新标准", "side_both": "两版", "explanation": "说明", "status": "状态",
           "generated": "starrules {v} 生成", "text_only": "仅文字"},
    "en": {"html_lang": "en", "title": "What changed between two standards", "from": "From", "to": "To",
           "header": "Standard", "indicators": "Indicators", "parameters": "Parameters", "definitions": "Definitions",
           "rating": "Rating rules", "facts": "Facts", "id": "Id", "ind_title": "Title", "change": "Change",
           "what": "What", "layer": "Layer", "name": "Parameter", "value": "old → new", "used_by": "Used by",
           "path": "Fact", "impact": "Impact", "branches": "Branches", "rated": "Rated under both",
           "changed": "Rating moved", "broken": "Broken rows", "matrix": "Outcome and stars, before × after",
           "matrix_note": "rows: before; columns: after; darker = more branches", "flips": "Indicator flips",
           "scores": "Score change", "stars_change": "Star change", "delta": "Change", "count": "Branches",
           "affected": "Affected branches", "before": "Before", "after": "After", "source": "Source",
           "side": "Rejected by", "problem": "Problem", "more": "{n} more not listed", "none": "none",
           "no_changes": "no changes", "quota": "quota applied", "side_a": "A", "side_b": "B", "side_both": "both",
           "explanation": "Explanation", "status": "Status", "generated": "made by starrules {v}",
           "text_only": "text only"},
}

#: colours of the flip chart, by the status an indicator flips to
FLIP_COLOURS = {"FAIL": "#c62828", "UNKNOWN": "#9a6700", "PASS": "#1a7f37", "NA": "#8c959f", "—": "#59636e"}
BAR_W, ROW_H, LABEL_W = 360, 18, 92


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("starrules._diff", "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["text"] = W.text
    return env


def _chart(impact: Impact, lang: str) -> dict[str, Any] | None:
    """Bars of the flip counts: one row per indicator, one segment per kind of flip."""
    flipped = [f for f in impact.flips if f.total]
    if not flipped:
        return None
    top = max(f.total for f in flipped)
    rows = []
    for i, f in enumerate(flipped):
        x, segs = float(LABEL_W), []
        for key, n in f.counts.items():
            w = BAR_W * n / top
            segs.append({"x": round(x, 1), "w": round(max(w, 0.5), 1), "n": n, "label": W.flip_label(key, lang),
                         "colour": FLIP_COLOURS.get(key.partition("→")[2], "#59636e")})
            x += w
        rows.append({"y": i * ROW_H, "id": f.id, "total": f.total, "end": round(x + 4, 1), "segments": segs})
    legend = sorted({(str(s["label"]), str(s["colour"])) for segs_ in (r["segments"] for r in rows)
                     for s in segs_})  # type: ignore[attr-defined]
    return {"rows": rows, "width": LABEL_W + BAR_W + 60, "height": len(rows) * ROW_H + 22 + 16 * ((len(legend) + 3) // 4),
            "legend": [{"label": lab, "colour": c, "x": (k % 4) * 140, "y": len(rows) * ROW_H + 14 + 16 * (k // 4)}
                       for k, (lab, c) in enumerate(legend)]}


def _heat(impact: Impact, lang: str) -> dict[str, Any]:
    used = [s for s in impact.states if any(t.before == s or t.after == s for t in impact.matrix)]
    top = max((t.count for t in impact.matrix), default=1) or 1
    cells = {(t.before, t.after): t.count for t in impact.matrix}
    rows = []
    for s in used:
        row = []
        for t in used:
            n = cells.get((s, t), 0)
            shade = 0.08 + 0.82 * n / top if n else 0
            row.append({"n": n, "shade": f"{shade:.2f}", "dark": shade > 0.5, "same": s == t})
        rows.append({"label": W.state_label(s, impact.a, lang), "cells": row})
    return {"cols": [W.state_label(t, impact.b, lang) for t in used], "rows": rows}


def diff_html(diff: StandardDiff | None, impact: Impact | None = None, *, lang: str = "zh") -> str:
    """The page for a diff, an impact, or both."""
    ctx: dict[str, Any] = {"L": LABELS[lang], "lang": lang, "d": diff, "im": impact, "W": W, "version": __version__,
                           "ref_a": (diff or impact).a, "ref_b": (diff or impact).b}  # type: ignore[union-attr]
    if diff is not None:
        ctx["equal_sentence"] = W.equal_sentence(diff, lang)
    if impact is not None:
        ctx["heat"] = _heat(impact, lang)
        ctx["chart"] = _chart(impact, lang)
    return _env().get_template("diff.html.j2").render(**ctx)


__all__ = ["diff_html"]
