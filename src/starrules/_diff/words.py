"""Words for a diff and an impact, zh / en: shared by the table (CLI) and the HTML form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .._evaluate.result import json_value
from .._explain.words import KIND, STATUS, outcome_label
from .model import FieldChange, IndicatorChange, ParameterChange, StandardRef

CHANGE = {
    "zh": {"added": "新增", "removed": "删除", "changed": "修改"},
    "en": {"added": "added", "removed": "removed", "changed": "changed"},
}
DIRECTION = {
    "zh": {"tighter": "收紧", "looser": "放宽", "mixed": "有紧有松", "unordered": "无松紧方向"},
    "en": {"tighter": "tighter", "looser": "looser", "mixed": "mixed", "unordered": "no direction"},
}
EQUIVALENT = {
    "zh": {"syntax": "仅文字改写（语法等价）", "parameters": "仅文字改写（代入参数后等价）"},
    "en": {"syntax": "text only (same syntax tree)", "parameters": "text only (same after substituting parameters)"},
}
FIELD = {
    "zh": {"dimension": "维度", "kind": "类型", "applies": "适用条件", "rule": "规则", "points": "分值",
           "max_points": "满分", "cap": "上限", "title": "名称", "citation": "依据", "explain.zh": "说明模板（中文）",
           "explain.en": "说明模板（英文）", "explain": "说明模板", "note": "备注", "id": "编号", "family": "系列",
           "version": "版本", "issuer": "发布单位", "effective.from": "生效日期", "effective.to": "截止日期"},
    "en": {},
}


def text(value: Any) -> str:
    """A value as one line of text."""
    if value is None:
        return "—"
    v = json_value(value)
    if isinstance(v, str):
        return v
    if isinstance(v, dict) and set(v) <= {"document", "article"} and "document" in v:
        return v["document"] + (f" {v['article']}" if v.get("article") else "")
    return json.dumps(v, ensure_ascii=False)


def field_name(name: str, lang: str) -> str:
    return FIELD.get(lang, {}).get(name, name)


def layers(old: str | None, new: str | None) -> str:
    if old and new and old != new:
        return f"{old} → {new}"
    return new or old or "—"


def field_line(fc: FieldChange, lang: str) -> str:
    """``类型：star → required（收紧）`` / ``kind: star → required (tighter)``."""
    zh = lang == "zh"
    old, new = fc.old, fc.new
    if fc.field == "kind":
        old, new = KIND[lang].get(str(old), old), KIND[lang].get(str(new), new)
    old, new = (v[lang] if isinstance(v, dict) and set(v) == {"zh", "en"} else v for v in (old, new))
    line = f"{field_name(fc.field, lang)}{'：' if zh else ': '}{text(old)} → {text(new)}"
    notes = []
    if fc.direction:
        notes.append(DIRECTION[lang][fc.direction])
    if fc.equivalent:
        notes.append(EQUIVALENT[lang][fc.equivalent])
    if notes:
        line += ("（" + "；".join(notes) + "）") if zh else (" (" + "; ".join(notes) + ")")
    return line


def indicator_lines(ic: IndicatorChange, lang: str, params: Sequence[ParameterChange] = ()) -> list[str]:
    zh = lang == "zh"
    if ic.change == "added":
        return [(f"新增{KIND[lang].get(ic.kind, ic.kind)}指标" if zh else f"new {ic.kind} indicator")]
    if ic.change == "removed":
        return ["删除" if zh else "removed"]
    out = [field_line(f, lang) for f in ic.fields]
    by_name = {p.name: p for p in params}
    for name in ic.parameters:
        p = by_name.get(name)
        out.append(("参数 " if zh else "parameter ") + f"${name}" + (f"{'：' if zh else ': '}{parameter_line(p, lang)}"
                                                                    if p is not None else ""))
    if ic.definitions:
        out.append(("所用定义已改：" if zh else "definitions it reads changed: ") + ", ".join(ic.definitions))
    return out


def indicator_layer(ic: IndicatorChange, params: Sequence[ParameterChange] = ()) -> str:
    """The layers that set what changed: its fields' and its parameters'."""
    if ic.layer:
        return ic.layer
    found = [layers(f.old_layer, f.layer) for f in ic.fields]
    found += [layers(p.old_layer, p.layer) for p in params if p.name in ic.parameters]
    return "、".join(dict.fromkeys(found)) if found else "—"


def parameter_line(p: ParameterChange, lang: str) -> str:
    zh = lang == "zh"
    unit = f" {p.unit}" if p.unit else ""
    if p.change == "added":
        return (f"新增：{text(p.new)}{unit}" if zh else f"added: {text(p.new)}{unit}")
    if p.change == "removed":
        return (f"删除（原为 {text(p.old)}{unit}）" if zh else f"removed (was {text(p.old)}{unit})")
    line = f"{text(p.old)} → {text(p.new)}{unit}"
    if p.direction:
        line += f"（{DIRECTION[lang][p.direction]}）" if zh else f" ({DIRECTION[lang][p.direction]})"
    return line


def state_label(state: str, ref: StandardRef, lang: str) -> str:
    outcome, _, stars = state.partition(":")
    label = outcome_label(outcome, ref.labels, lang)
    if stars in ("-", "") or outcome != "met":
        return label
    return f"{label} {stars}★"


def flip_label(key: str, lang: str) -> str:
    x, _, y = key.partition("→")
    return f"{STATUS[lang].get(x, x)}→{STATUS[lang].get(y, y)}"


def equal_sentence(d: Any, lang: str) -> str | None:
    zh = lang == "zh"
    if d.equal:
        return "两个标准相同（内容哈希一致）。" if zh else "The standards are the same (equal content hashes)."
    if d.same_rules:
        return ("两个标准的评定规则相同：只有名称、依据、说明等文字不同，评定结果不会改变。" if zh else
                "The standards rate alike: only titles, citations or other texts differ; no rating can change.")
    return None


__all__ = [
    "CHANGE",
    "DIRECTION",
    "EQUIVALENT",
    "equal_sentence",
    "field_line",
    "flip_counts",
    "flip_label",
    "flip_status",
    "rating_label",
    "indicator_layer",
    "indicator_lines",
    "layers",
    "parameter_line",
    "state_label",
    "text",
]


def flip_counts(fc: Any, lang: str) -> str:
    """``通过→未通过 18，类型改变起作用 3，分值改变 5``."""
    zh = lang == "zh"
    parts = [f"{flip_label(k, lang)} {n}" for k, n in fc.counts.items()]
    if fc.kind_changed:
        parts.append(f"类型改变起作用 {fc.kind_changed}" if zh else f"kind now decides {fc.kind_changed}")
    if fc.points_changed:
        parts.append(f"分值改变 {fc.points_changed}" if zh else f"points changed {fc.points_changed}")
    return ("，" if zh else ", ").join(parts)


def flip_status(f: Any, lang: str) -> str:
    """``未通过 → 未通过（创星 → 达标）`` / ``FAIL → FAIL (star → required; points 1 → 2)``."""
    zh = lang == "zh"
    line = f"{STATUS[lang].get(f.before, f.before)} → {STATUS[lang].get(f.after, f.after)}"
    notes = []
    if f.kind_before and f.kind_after and f.kind_before != f.kind_after:
        notes.append(f"{KIND[lang].get(f.kind_before, f.kind_before)} → {KIND[lang].get(f.kind_after, f.kind_after)}")
    if f.points_before is not None and f.points_after is not None and f.points_before != f.points_after:
        notes.append(("分值 " if zh else "points ") + f"{text(f.points_before)} → {text(f.points_after)}")
    if notes:
        line += ("（" + "；".join(notes) + "）") if zh else (" (" + "; ".join(notes) + ")")
    return line


def rating_label(r: Any, ref: StandardRef, lang: str) -> str:
    """``达标 4★`` / ``不达标`` / ``待核实``, with the score when there is one."""
    from .model import state

    label = state_label(state(r.outcome, r.stars), ref, lang)
    if r.score is not None:
        label += f"（{text(r.score)} 分）" if lang == "zh" else f" ({text(r.score)} points)"
    return label
