"""The native evaluator: compiled closures over validated facts -> :class:`Result`.

Per indicator: applicability (false -> NA, unknown -> UNKNOWN), then the rule (boolean
kinds) or the points (bonus, deduction, score) with the kind's status rule
(reference-standard.md §2, score-standard.md "Kinds").  Then the standard's declared rating
expressions turn the statuses into outcome, stars and score (§4).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping

from .._compile.standard import BOARD, CompiledIndicator, CompiledStandard
from .._errors import EvaluationError, Problem
from .._facts.validate import ValidatedFacts
from .._lang import Env, UNKNOWN, format_value
from .._lang.errors import EvaluationError as RuleEvaluationError
from .._version import __version__
from .rating_builtins import Board, Row
from .result import (
    BranchInfo,
    DimensionResult,
    IndicatorResult,
    Provenance,
    QuotaInfo,
    RectificationItem,
    Result,
    StarStepResult,
    Texts,
    Warning,
    construct,
)
from .unknowns import unknown_paths

STATUS_WORDS = {
    "zh": {"PASS": "通过", "FAIL": "未通过", "NA": "不适用", "UNKNOWN": "待核实"},
    "en": {"PASS": "passed", "FAIL": "failed", "NA": "does not apply", "UNKNOWN": "unknown"},
}
MAX_TRACED = 8


def _canonical_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$num": str(value.normalize()) if value == value.to_integral_value() else str(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def facts_hash(doc: Any) -> str:
    """sha256 of a facts document's canonical JSON (key order and layout do not matter; a YAML
    date and its ISO string hash alike; numbers keep their decimal digits)."""
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_canonical_default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _num(value: Any) -> Any:
    return value if isinstance(value, (int, Decimal, Fraction)) and not isinstance(value, bool) else 0


class _Indicator:
    """The outcome of one indicator before it becomes a pydantic model."""

    __slots__ = ("ci", "status", "points", "values", "evidence")

    def __init__(self, ci: CompiledIndicator, status: str, points: Any, trace: list[Any]) -> None:
        self.ci = ci
        self.status = status
        self.points = points
        values: dict[str, Any] = {}
        evidence: dict[str, tuple[Any, ...]] = {}
        for entry in trace:
            text = entry.source_text
            if text == "year":
                continue
            if entry.evidence and text not in evidence:
                evidence[text] = tuple(entry.evidence)
            if text not in values and len(values) < MAX_TRACED:
                values[text] = entry.value
        self.values = values
        self.evidence = evidence


def _run(fn: Any, env: Env, name: str) -> Any:
    try:
        return fn(env)
    except RuleEvaluationError as err:
        raise EvaluationError(Problem("eval-error", {"indicator": name, "detail": err.render("en")})) from None


def _cap(points: Any, cap: Any) -> Any:
    if points is UNKNOWN or cap is None:
        return points
    return points if points <= cap else cap


def evaluate_indicator(ci: CompiledIndicator, env: Env) -> _Indicator:
    spec = ci.spec
    trace = env.trace
    trace.clear()
    if ci.applies is not None:
        applies = _run(ci.applies.decisive, env, spec.id)
        if applies is False:
            return _Indicator(ci, "NA", 0, trace)
        if applies is UNKNOWN:
            return _Indicator(ci, "UNKNOWN", 0, trace)
    kind = spec.kind
    if ci.rule is not None:
        value = _run(ci.rule.decisive, env, spec.id)
        status = "PASS" if value is True else "FAIL" if value is False else "UNKNOWN"
        return _Indicator(ci, status, 0, trace)
    assert ci.points is not None
    points = _run(ci.points.decisive, env, spec.id)
    if points is UNKNOWN:
        return _Indicator(ci, "UNKNOWN", 0, trace)
    if kind == "score":
        maximum = spec.max_points
        if points < 0:
            points = 0
        if maximum is not None and points > maximum:
            points = maximum
        return _Indicator(ci, "PASS" if points == maximum else "FAIL", points, trace)
    points = _cap(points, spec.cap)
    if points < 0:
        points = 0
    if kind == "bonus":
        return _Indicator(ci, "PASS" if points > 0 else "NA", points, trace)
    return _Indicator(ci, "FAIL" if points > 0 else "PASS", points, trace)  # deduction


def _auto_sentence(ind: _Indicator, lang: str) -> str:
    spec = ind.ci.spec
    words = STATUS_WORDS[lang]
    head = f"{spec.title}：{words[ind.status]}" if lang == "zh" else f"{spec.id} {words[ind.status]}"
    parts = [f"{expr} = {format_value(v, lang)}" for expr, v in list(ind.values.items())[:4]]
    if spec.kind in ("bonus", "deduction", "score") and ind.status != "UNKNOWN":
        parts.insert(0, _points_phrase(ind, lang))
    for expr, ids in list(ind.evidence.items())[:2]:
        shown = format_value(frozenset(ids) if all(isinstance(i, int) for i in ids) else tuple(ids), lang)
        parts.append((f"{expr} 涉及：{shown}" if lang == "zh" else f"{expr} involves: {shown}"))
    if not parts:
        return head + ("。" if lang == "zh" else ".")
    if lang == "zh":
        return head + "（" + "；".join(parts) + "）。"
    return head + " (" + "; ".join(parts) + ")."


def _points_phrase(ind: _Indicator, lang: str) -> str:
    spec = ind.ci.spec
    pts = format_value(ind.points, lang)
    if spec.kind == "score" and spec.max_points is not None:
        top = format_value(spec.max_points, lang)
        return f"得 {pts}/{top} 分" if lang == "zh" else f"{pts} of {top} points"
    if spec.kind == "bonus":
        return f"加 {pts} 分" if lang == "zh" else f"+{pts} points"
    if spec.kind == "deduction":
        return f"扣 {pts} 分" if lang == "zh" else f"-{pts} points"
    return ""


def _sentence(ind: _Indicator, env: Env, lang: str) -> str:
    tpl = ind.ci.explain_zh if lang == "zh" else ind.ci.explain_en
    if tpl is not None and ind.status != "NA":
        env.values["points"] = ind.points
        env.values["max_points"] = ind.ci.spec.max_points if ind.ci.spec.max_points is not None else 0
        env.values["status"] = ind.status
        env.values["cap"] = ind.ci.spec.cap if ind.ci.spec.cap is not None else 0
        try:
            text = tpl(env, lang)
        except RuleEvaluationError:
            text = None
        if text is not None:
            word = STATUS_WORDS[lang][ind.status]
            pts = _points_phrase(ind, lang) if ind.status != "UNKNOWN" else ""
            if lang == "zh":
                return f"{word}（{pts}）：{text}" if pts else f"{word}：{text}"
            word = word.capitalize()
            return f"{word} ({pts}): {text}" if pts else f"{word}: {text}"
    return _auto_sentence(ind, lang)


def evaluate_facts(
    cs: CompiledStandard,
    vf: ValidatedFacts,
    *,
    facts_sha256: str,
    engine: str = "native",
    embed: Mapping[str, Any] | None = None,
    statuses: Mapping[str, tuple[str, Any]] | None = None,
) -> Result:
    """Rate validated facts. ``statuses`` lets another engine supply the indicator decisions
    (id -> (status, points)); explanations are still drawn from the same compiled rules."""
    env = Env(vf.values, vf.year, {}, [])
    done: list[_Indicator] = []
    for ci in cs.indicators:
        ind = evaluate_indicator(ci, env)
        if statuses is not None:
            ind.status, ind.points = statuses[ci.id]
        done.append(ind)
    rows = [Row(d.ci.id, d.ci.kind, d.ci.spec.dimension, d.status, d.points, d.ci.spec.cap) for d in done]
    board = Board(rows, cs.dimension_ids)
    return _rate(cs, vf, env, done, board, facts_sha256=facts_sha256, engine=engine, embed=embed)


def _rate(cs: CompiledStandard, vf: ValidatedFacts, env: Env, done: list[_Indicator], board: Board, *,
          facts_sha256: str, engine: str, embed: Mapping[str, Any] | None) -> Result:
    rating = cs.rating
    env.values[BOARD] = board
    env.values["stars"] = 0
    not_met = _run(rating.not_met.fn, env, "rating.not_met")
    pending = _run(rating.pending.fn, env, "rating.pending")
    if not_met is True:
        outcome = "not_met"
    elif pending is True or not_met is UNKNOWN or pending is UNKNOWN:
        outcome = "pending"
    else:
        outcome = "met"
    values: dict[str, Any] = {}
    for name, ce in rating.values:
        values[name] = env.values[name] = _run(ce.fn, env, f"rating.values.{name}")
    stars: int | None = None
    score: Any = None
    steps: list[StarStepResult] = []
    if outcome == "met":
        current: Any = 0
        for ce, step in rating.stars:
            current = _run(ce.fn, env, "rating.stars")
            env.values["stars"] = current
            steps.append(StarStepResult(expr=ce.text, stars=None if current is UNKNOWN else int(current),
                                        note=Texts(zh=step.note.zh, en=step.note.en) if step and step.note else None))
        if current is UNKNOWN:
            outcome = "pending"
        else:
            stars = int(current)
            if rating.score is not None:
                score = _run(rating.score.fn, env, "rating.score")
                if score is UNKNOWN:
                    score = None
    elif outcome == "not_met":
        stars = 0

    indicators = []
    for d in done:
        spec = d.ci.spec
        unknown_facts: tuple[str, ...] = ()
        if d.status == "UNKNOWN":
            unknown_facts = tuple(unknown_paths(d.ci.fact_reads, vf.values, cs.record_keys))
        indicators.append(construct(
            IndicatorResult,
            id=spec.id, dimension=spec.dimension, kind=spec.kind, title=spec.title, status=d.status,
            points=d.points, max_points=spec.max_points, citation=d.ci.citation,
            rule=d.ci.main.text if d.ci.main is not None else None,
            values=d.values, evidence=d.evidence, unknown_facts=unknown_facts,
            explanation=construct(Texts, zh=_sentence(d, env, "zh"), en=_sentence(d, env, "en")),
        ))

    lit = board.lit_map()
    dimensions = []
    for dim in cs.dimension_ids:
        stars_here = [r for r in board.rows if r.dimension == dim and r.kind == "star"]
        dimensions.append(construct(
            DimensionResult, id=dim, title=cs.dimension_titles[dim], lit=lit[dim],
            passed=tuple(r.id for r in stars_here if r.status == "PASS"),
            failed=tuple(r.id for r in stars_here if r.status == "FAIL"),
            unknown=tuple(r.id for r in stars_here if r.status == "UNKNOWN"),
        ))

    rectification: list[RectificationItem] = []
    if outcome == "not_met":
        for res in indicators:
            if res.status == "FAIL" and res.kind in rating.blocking_fail_kinds:
                rectification.append(RectificationItem(id=res.id, title=res.title, kind=res.kind,
                                                       explanation=res.explanation))
    to_verify: list[str] = []
    if outcome == "pending":
        for res in indicators:
            if res.status == "UNKNOWN" and res.kind in rating.blocking_unknown_kinds:
                to_verify.extend(res.unknown_facts)
        to_verify.extend(unknown_paths(rating.pending_fact_reads, vf.values, cs.record_keys))
        to_verify = list(dict.fromkeys(to_verify))

    warnings = [Warning(code=w.code, path=w.path, message=Texts(zh=w.message("zh"), en=w.message("en")))
                for w in vf.warnings]
    eff = cs.resolved.effective
    if not eff.covers_year(vf.year):
        period = f"{eff.from_}..{eff.to or ''}"
        p = Problem("facts-year-outside", {"year": vf.year, "standard": cs.id, "period": period})
        warnings.append(Warning(code=p.code, path="year", message=Texts(zh=p.message("zh"), en=p.message("en"))))

    quota = None
    q = cs.resolved.rating.quota
    if q is not None and stars == q.stars:
        quota = QuotaInfo(applied=False, note=Texts(
            zh=f"单独评价不适用名额限制；与其他支部一起评价时，{q.stars} 星受名额比例限制，可能降为 {q.demote_to} 星。",
            en=f"A single evaluation does not apply the quota; rated together with other branches, "
               f"{q.stars} stars are limited by the quota and may become {q.demote_to}."))

    branch = vf.values.get("branch")
    branch = branch if isinstance(branch, dict) else {}
    label = cs.resolved.rating.labels.get(outcome, outcome)  # type: ignore[call-overload]
    return construct(
        Result,
        standard=cs.info,
        branch=construct(BranchInfo, id=vf.branch_id or "", name=_str(branch.get("name")),
                         unit=_str(branch.get("unit"))),
        year=vf.year,
        outcome=outcome,
        outcome_label=label,
        stars=stars,
        score=score,
        indicators=tuple(indicators),
        dimensions=tuple(dimensions),
        rating_values={k: (None if v is UNKNOWN else v) for k, v in values.items()},
        star_steps=tuple(steps),
        rectification_list=tuple(rectification),
        facts_to_verify=tuple(to_verify),
        warnings=tuple(warnings),
        quota=quota,
        provenance=construct(Provenance, facts_sha256=facts_sha256, starrules_version=__version__, engine=engine),
        facts=dict(embed) if embed is not None else None,
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
