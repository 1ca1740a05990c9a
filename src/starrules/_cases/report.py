"""A failing case in plain words (zh or en): what was expected, what came out, and why.

Shared by ``starrules test`` (which adds colour) and the pytest collector (assert message).
"""

from __future__ import annotations

from typing import Any

from .._errors import Lang
from .compare import Mismatch, show_number
from .model import IndicatorExpect
from .run import CaseOutcome

_FIELDS = {
    "outcome": ("评定结果", "outcome"),
    "stars": ("星级", "stars"),
    "score": ("综合得分", "score"),
    "lit": ("点亮维度", "lit dimensions"),
    "facts_to_verify": ("待核实事项", "facts to verify"),
    "rectification_list": ("整改清单", "rectification list"),
}


def _value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return show_number(value)


def _indicator_side(value: Any, want: IndicatorExpect, lang: Lang) -> str:
    """``PASS`` / ``FAIL，2 分``: the expected side shows what was written; the actual side
    shows its points when points were expected or the kind carries points."""
    status = value.status
    show_points = value.points is not None and (
        isinstance(value, IndicatorExpect) or want.points is not None
        or getattr(value, "kind", None) in ("bonus", "deduction", "score"))
    parts = [status] if status is not None else []
    if show_points:
        parts.append(f"{show_number(value.points)} 分" if lang == "zh" else f"{show_number(value.points)} points")
    return ("，" if lang == "zh" else ", ").join(parts)


def mismatch_lines(m: Mismatch, lang: Lang) -> list[str]:
    zh = lang == "zh"
    if m.field == "indicator":
        want = m.expected
        line = (f"{m.indicator}：期望 {_indicator_side(want, want, lang)}，实际 {_indicator_side(m.actual, want, lang)}"
                if zh else
                f"{m.indicator}: expected {_indicator_side(want, want, lang)}, got {_indicator_side(m.actual, want, lang)}")
        out = [line]
        if m.explanation is not None:
            text = m.explanation.zh if zh else m.explanation.en
            out.append(("    说明：" if zh else "    why: ") + text)
        return out
    label = _FIELDS[m.field][0 if zh else 1]
    if zh:
        return [f"{label}：期望 {_value(m.expected)}，实际 {_value(m.actual)}"]
    return [f"{label}: expected {_value(m.expected)}, got {_value(m.actual)}"]


def rating_line(outcome: CaseOutcome, lang: Lang) -> str | None:
    """The rating's inputs (L, B, D …; lit dimensions) when the rating differed."""
    res = outcome.result
    if res is None or not any(m.field in ("outcome", "stars", "score") for m in outcome.mismatches):
        return None
    values = "，".join if lang == "zh" else ", ".join
    vals = values(f"{k} = {_value(v) if not isinstance(v, (dict, set, frozenset)) else v}"
                  for k, v in res.rating_values.items())
    lit = [d.id for d in res.dimensions if d.lit]
    failing = [i.id for i in res.indicators if i.kind in ("required", "veto") and i.status in ("FAIL", "UNKNOWN")]
    if lang == "zh":
        text = f"评定依据：{vals or '无'}；点亮维度 {_value(lit)}"
        if failing:
            text += f"；未通过或待核实的达标/否决指标 {_value(failing)}"
        if res.facts_to_verify:
            text += f"；待核实事项 {_value(list(res.facts_to_verify))}"
        return text
    text = f"rating: {vals or 'none'}; lit dimensions {_value(lit)}"
    if failing:
        text += f"; required/veto indicators failing or unknown {_value(failing)}"
    if res.facts_to_verify:
        text += f"; facts to verify {_value(list(res.facts_to_verify))}"
    return text


def failure_lines(outcome: CaseOutcome, lang: Lang) -> list[str]:
    """The body of a failing case's report (without the header naming the case)."""
    out: list[str] = []
    for p in outcome.problems:
        out.extend(p.render(lang).splitlines())
    for m in outcome.mismatches:
        out.extend(mismatch_lines(m, lang))
    line = rating_line(outcome, lang)
    if line:
        out.append(line)
    return out


def failure_text(outcome: CaseOutcome, lang: Lang = "en") -> str:
    """Header and body as one text (the pytest assert message)."""
    head = f"{outcome.case.file}:{outcome.case.line} {outcome.case.name}"
    return "\n".join([head, *("    " + line for line in failure_lines(outcome, lang))])


__all__ = ["failure_lines", "failure_text", "mismatch_lines", "rating_line"]
