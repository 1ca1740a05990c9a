"""``starrules.explain``: the derivation of a result as a tree (data first, drawn by the CLI).

Without an indicator: how the outcome and the star level were reached, step by step — the
standard's ``not_met`` and ``pending`` expressions with the indicators that made them true,
which dimensions lit and why not, the rating values (bonus and deduction with their caps),
each star step with its value, the score.  With an indicator: its rule as written, its
citation, the value of every sub-expression (a fully traced re-run of ``applies``, ``rule``
or ``points``), the evidence, each parameter with the layer that set it, and how the
indicator fed the outcome and the stars.

Explain reads the result and re-runs the compiled closures with full tracing; it never
re-decides anything: the statuses are the result's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from pydantic import Field

from .._compile.standard import CompiledIndicator, CompiledStandard
from .._errors import NotFoundError, Problem
from .._evaluate.rating_builtins import Row, selector
from .._evaluate.result import AnyValue, BranchInfo, CitationRef, Num, StandardInfo, _Model
from .._lang import UNKNOWN
from .._lang import ast as A
from .._lang.check import analyze_definition
from .session import Rated, Session, open_session, rerate
from .._compile.phrase import Phrase, words
from .gaps import fact_names
from .tree import ExplainNode, TreeBuilder, node, parameter_text
from .._evaluate.marks import status_word
from .words import KIND, STATUS, evidence_parts, listing, outcome_label, score_line, show, show_param, stars_text


class ParameterUse(_Model):
    name: str
    value: AnyValue
    layer: str = Field(description="the layer (standard id) that set the value in force")
    overrides: tuple[tuple[str, AnyValue], ...] = Field(
        default=(), description="earlier (layer, value) pairs it overrides, nearest first"
    )
    text: str


class IndicatorExplanation(_Model):
    id: str
    title: str
    kind: str
    dimension: str
    status: str
    points: Num = 0
    citation: CitationRef
    note: str | None = None
    applies: str | None = None
    rule: str | None = None
    explanation: str
    layers: dict[str, str] = Field(
        default_factory=dict, description="field -> layer that set it ('*': every other field)"
    )
    parameters: tuple[ParameterUse, ...] = ()
    evidence: dict[str, tuple[AnyValue, ...]] = Field(default_factory=dict)
    unknown_facts: tuple[str, ...] = ()
    effect: tuple[str, ...] = Field(default=(), description="how it fed the outcome and the stars")


class RatedHeader(_Model):
    """Who was rated, against what, and the rating (shared by explain and next-star)."""

    lang: str
    standard: StandardInfo
    branch: BranchInfo
    year: int
    outcome: str
    outcome_label: str
    stars: int | None
    score: Num | None


class Explanation(RatedHeader):
    """A result's derivation: ``tree`` is what ``starrules explain`` draws."""

    indicator: IndicatorExplanation | None = None
    tree: ExplainNode


# -- entry point ---------------------------------------------------------------------------------


def explain(
    standard: Any,
    facts: Any,
    indicator: str | None = None,
    *,
    lang: str = "zh",
    standards_dirs: Sequence[str | Path] = (),
) -> Explanation:
    """Explain how ``facts`` were rated against ``standard`` (a :class:`Standard`, an id or a
    path), as a whole or for one ``indicator``."""
    session = open_session(standard, facts, standards_dirs=standards_dirs)
    return explain_session(session, indicator, lang=lang)


def explain_session(session: Session, indicator: str | None = None, *, lang: str = "zh") -> Explanation:
    res = session.result
    ind = None
    if indicator is not None:
        ids = [i.id for i in res.indicators]
        if indicator not in ids:
            import difflib

            close = difflib.get_close_matches(indicator, ids, n=1)
            raise NotFoundError(
                Problem(
                    "invalid-value",
                    {"value": indicator, "allowed": ids, **({"suggestion": close[0]} if close else {})},
                    path="--indicator",
                )
            )
        ind, tree = _indicator(session, session.indicator(indicator), lang)
    else:
        tree = _overall(session, lang)
    return Explanation(
        lang=lang,
        standard=res.standard,
        branch=res.branch,
        year=res.year,
        outcome=res.outcome,
        outcome_label=outcome_label(res.outcome, session.cs.resolved.rating.labels, lang),
        stars=res.stars,
        score=res.score,
        indicator=ind,
        tree=tree,
    )


# -- the rating builtins, annotated ---------------------------------------------------------------


class _Notes:
    """Lines under a rating builtin's node: which indicators made it what it is."""

    def __init__(self, session: Session, board: Any, lang: str) -> None:
        self.session = session
        self.board = board
        self.lang = lang
        self.titles = {r.id: r.title for r in session.result.indicators}
        self.max_points = {r.id: r.max_points for r in session.result.indicators}
        self.dim_titles = session.cs.dimension_titles

    def ids(self, rows: Sequence[Row]) -> str:
        return listing([f"{r.id} {self.titles.get(r.id, '')}".strip() for r in rows], self.lang, 20)

    def __call__(self, call: A.Call, value: Any, args: list[Any]) -> list[str]:
        zh = self.lang == "zh"
        b = self.board
        f = call.func
        if f in ("failed", "unknown"):
            st = "FAIL" if f == "failed" else "UNKNOWN"
            sel = selector(args, self.board.dimensions)
            rows = [r for r in b.rows if r.status == st and sel.matches(r)]
            kinds = "/".join(KIND[self.lang].get(k, k) for k in args)
            word = STATUS[self.lang][st]
            return [f"{word}的{kinds}指标：{self.ids(rows)}" if zh else f"{kinds} indicators {word}: {self.ids(rows)}"]
        if f == "points":
            kind = args[0]
            sel = selector(args, self.board.dimensions)
            rows = [r for r in b.rows if sel.matches(r)]
            if kind == "score":
                short = [r for r in rows if self.max_points.get(r.id) is not None and r.points != self.max_points[r.id]]
                items = [f"{r.id} {show(r.points, self.lang)}/{show(self.max_points[r.id], self.lang)}" for r in short]
                return [
                    (f"{len(rows)} 项计分；未得满分：" if zh else f"{len(rows)} scored items; below full marks: ")
                    + listing(items, self.lang, 20)
                ]
            earned = [r for r in rows if r.points not in (0, None)]
            items = [f"{r.id} {self.titles.get(r.id, '')} {show(r.points, self.lang)}" for r in earned]
            return [("计分的指标：" if zh else "from: ") + listing(items, self.lang, 20)]
        if f == "lit":
            return [self.dimension(args[0])]
        if f == "lit_count":
            lit = [d for d, on in b.lit_map().items() if on]
            return [("点亮的维度：" if zh else "lit dimensions: ") + listing(lit, self.lang)]
        if f == "cap_limit":
            rows = [r for r in b.rows if r.kind == "cap" and r.status == "FAIL" and r.cap is not None]
            if not rows:
                return ["没有未通过的限星指标" if zh else "no cap indicator failed"]
            items = [f"{r.id} {self.titles.get(r.id, '')}（≤ {show(r.cap, self.lang)}★）" for r in rows]
            return [("未通过的限星指标：" if zh else "failed cap indicators: ") + listing(items, self.lang)]
        if f == "band" and len(args) == 2 and args[0] is not UNKNOWN:
            for minimum, stars in args[1]:
                if args[0] >= minimum:
                    return [f"{show(args[0], self.lang)} ≥ {show(minimum, self.lang)} → {stars}★"]
            return []
        if f == "status":
            return [
                f"{args[0]} {self.titles.get(args[0], '')}：{STATUS[self.lang].get(value, value)}"
                if zh
                else f"{args[0]} {self.titles.get(args[0], '')}: {value}"
            ]
        return []

    def dimension(self, dim: str) -> str:
        zh = self.lang == "zh"
        rows = [r for r in self.board.rows if r.dimension == dim and r.kind == "star"]
        on = self.board.lit(dim)
        head = (
            f"{dim} {self.dim_titles.get(dim, '')}：" + ("点亮" if on else "未点亮")
            if zh
            else f"{dim} {self.dim_titles.get(dim, '')}: " + ("lit" if on else "not lit")
        )
        parts = []
        for st in ("PASS", "FAIL", "UNKNOWN", "NA"):
            these = [r for r in rows if r.status == st]
            if these:
                parts.append(f"{STATUS[self.lang][st]}：{self.ids(these)}" if zh else f"{st}: {self.ids(these)}")
        if not rows:
            parts.append("无创星指标" if zh else "no star indicators")
        elif (
            not on
            and not any(r.status == "PASS" for r in rows)
            and not any(r.status in ("FAIL", "UNKNOWN") for r in rows)
        ):
            parts.append("没有适用且通过的创星指标" if zh else "no applicable star indicator passed")
        return head + ("（" + "；".join(parts) + "）" if zh else " (" + "; ".join(parts) + ")")


# -- the whole result ---------------------------------------------------------------------------------


def _overall(session: Session, lang: str) -> ExplainNode:
    res = session.result
    cs = session.cs
    zh = lang == "zh"
    rated = rerate(cs, session.env, session.rows(), traced=True)
    notes = _Notes(session, rated.board, lang)
    tb = TreeBuilder(cs.resolved, lang, notes, cs.wording)
    rating = cs.rating
    label = outcome_label(res.outcome, cs.resolved.rating.labels, lang)
    sections: list[ExplainNode] = []
    counter = iter(range(1, 100))

    def num() -> str:
        return f"{next(counter)}. "

    # 1. outcome
    nm = tb.build(
        rating.not_met.analysis,
        rated.traces["rating.not_met"],
        "expr",
        "不达标条件：" if zh else "not met when: ",
    )
    pd = tb.build(
        rating.pending.analysis,
        rated.traces["rating.pending"],
        "expr",
        "待核实条件：" if zh else "pending when: ",
    )
    if res.outcome == "not_met":
        why = "不达标条件成立 → 不达标" if zh else "the not-met condition holds → not met"
    elif (
        res.outcome == "pending"
        and rated.outcome == "pending"
        and rated.not_met is not True
        and rated.pending is not True
        and rated.not_met is not UNKNOWN
        and rated.pending is not UNKNOWN
    ):
        why = "星级计算中有未知值 → 待核实" if zh else "a star step is unknown → pending"
    elif res.outcome == "pending":
        why = (
            "不达标条件不成立，待核实条件成立或未知 → 待核实"
            if zh
            else "not-met condition false, pending condition true or unknown → pending"
        )
    else:
        why = "两个条件均不成立 → " + label if zh else f"neither condition holds → {label}"
    sections.append(
        node(
            "section",
            f"{num()}结论：{label}" if zh else f"{num()}Outcome: {label}",
            [nm, pd, node("note", why)],
            value=res.outcome,
        )
    )

    # 2. dimensions (when the standard has star indicators)
    if any(ci.kind == "star" for ci in cs.indicators):
        dims = [node("dimension", notes.dimension(d), value=rated.board.lit(d)) for d in cs.dimension_ids]
        lit = rated.board.lit_count()
        sections.append(
            node("section", f"{num()}维度点亮：{lit} 个" if zh else f"{num()}Dimensions lit: {lit}", dims, value=lit)
        )

    # 3. rating values
    vals = [
        tb.build(ce.analysis, rated.traces[f"rating.values.{name}"], "expr", f"{name} = ") for name, ce in rating.values
    ]
    if vals:
        sections.append(node("section", f"{num()}评定值" if zh else f"{num()}Rating values", vals))

    # 4. stars
    steps: list[ExplainNode] = []
    if res.outcome == "met" or (rated.steps and res.outcome == "pending"):
        for i, ((ce, step), (after, before)) in enumerate(zip(rating.stars, rated.steps), start=1):
            t = tb.build(
                ce.analysis, rated.traces[f"rating.stars[{i - 1}]"], "step", f"第 {i} 步：" if zh else f"step {i}: "
            )
            extra = []
            if step is not None and step.note is not None:
                extra.append(node("note", step.note.zh if zh else step.note.en))
            change = f"{show(before, lang)} → {show(after, lang)}"
            extra.append(node("note", f"星级：{change}" if zh else f"stars: {change}"))
            steps.append(
                ExplainNode(kind="step", text=t.text, expr=t.expr, value=t.value, children=tuple(extra) + t.children)
            )
        head = (
            f"星级：{stars_text(res.stars)}（{res.stars} 星）"
            if zh and res.stars is not None
            else (
                f"Stars: {stars_text(res.stars)} ({res.stars})"
                if res.stars is not None
                else ("星级：待定" if zh else "Stars: undecided")
            )
        )
    elif res.outcome == "not_met":
        head = "星级：不达标，0 星（不计算星级步骤）" if zh else "Stars: not met, 0 (star steps not run)"
    else:
        head = "星级：待核实，暂不定星" if zh else "Stars: pending, none yet"
    if not rating.has_stars:  # a standard without stars: say so once, no ☆☆☆☆☆
        head = "星级：本标准不评星级" if zh else "Stars: this standard gives no stars"
        steps = []
    if rating.pass_line is not None and "rating.pass" in rated.traces:
        pl = tb.build(rating.pass_line.analysis, rated.traces["rating.pass"], "expr", "及格线：" if zh else "pass line: ")
        sections.append(node("section", num() + ("及格线" if zh else "Pass line"), [pl]))
    sections.append(node("section", num() + head, steps, value=res.stars))

    # 5. score
    if rating.score is not None:
        if "rating.score" in rated.traces:
            sc = tb.build(rating.score.analysis, rated.traces["rating.score"], "expr", "得分 = " if zh else "score = ")
            sections.append(node("section", num() + ("得分" if zh else "Score"), [sc], value=res.score))
        else:
            sections.append(node("section", num() + ("得分：仅达标时计算" if zh else "Score: only when met")))
    for sc_res in res.scores:
        sections.append(node("section", num() + score_line(sc_res, lang).strip(), value=sc_res.value))

    # rectification list, facts to verify, quota, warnings
    if res.rectification_list:
        items = [
            node(
                "indicator",
                f"{r.id} {r.title}［{KIND[lang].get(r.kind, r.kind)}］：{r.explanation.zh if zh else r.explanation.en}",
            )
            for r in res.rectification_list
        ]
        sections.append(node("section", "整改清单" if zh else "Rectification list", items))
    if res.facts_to_verify:
        named = fact_names(cs, res.facts_to_verify, lang)
        sections.append(
            node("section", "待核实事项" if zh else "Facts to verify",
                 [node("fact", name, expr=f) for f, name in zip(res.facts_to_verify, named)])
        )
    if res.quota is not None:
        sections.append(node("note", res.quota.note.zh if zh else res.quota.note.en))
    for w in res.warnings:
        sections.append(node("note", ("提示：" if zh else "note: ") + (w.message.zh if zh else w.message.en)))

    name = res.branch.name or res.branch.id
    stars = f"{stars_text(res.stars)}" if res.stars is not None else "—"
    score = show(res.score, lang) if res.score is not None else "—"
    title = (
        (
            f"{name}（{res.branch.id}）{res.year} 年 · {res.standard.id} v{res.standard.version}："
            f"{label} · {stars} · 得分 {score}"
        )
        if zh
        else (
            f"{name} ({res.branch.id}) {res.year} · {res.standard.id} v{res.standard.version}: "
            f"{label} · {stars} · score {score}"
        )
    )
    return node("outcome", title, sections, value=res.outcome)


# -- one indicator --------------------------------------------------------------------------------------


def _evidence_line(cs: CompiledStandard, ci: CompiledIndicator, expr: str, ids: Sequence[Any],
                   detail: Sequence[Any] | None, lang: str) -> str:
    what, items = evidence_parts(cs, ci, expr, ids, detail, lang, 30)
    sep = "：" if lang == "zh" else ": "
    joined = listing(items, lang, 30) if not detail else ("、" if lang == "zh" else "; ").join(items)
    return f"{what}{sep}{joined}"


def params_used(ci: CompiledIndicator, cs: CompiledStandard) -> list[str]:
    """Parameters an indicator reads, through the definitions it uses too, in order of use."""
    out: list[str] = []
    seen_defs: set[str] = set()
    owner = cs.scope._owner

    def walk(root: A.Expr, an: Any) -> None:
        for n in A.walk(root):
            if isinstance(n, A.Param):
                out.append(n.name)
            elif isinstance(n, A.Name):
                res = an.res.get(id(n))
                if res and res[0] == "def" and res[1] not in seen_defs and res[1] in owner.defs:
                    seen_defs.add(res[1])
                    d = analyze_definition(owner, res[1])
                    walk(d.root, d)

    for ce in (ci.applies, ci.rule, ci.points):
        if ce is not None:
            walk(ce.analysis.root, ce.analysis)
    return list(dict.fromkeys(out))


def parameter_use(cs: CompiledStandard, name: str, lang: str) -> ParameterUse:
    std = cs.resolved
    history = std.parameter_layers.get(name, ())
    value = std.parameters[name].value
    return ParameterUse(
        name=name,
        value=show_param(value, "en") if isinstance(value, (tuple, dict)) else value,
        layer=history[-1].layer if history else std.id,
        overrides=tuple(
            (h.layer, show_param(h.value, "en") if isinstance(h.value, (tuple, dict)) else h.value)
            for h in reversed(history[:-1])
        ),
        text=parameter_text(std, name, lang, cs.wording),
    )


def _flip(session: Session, ci: CompiledIndicator, status: str, points: Any) -> Rated:
    rows = [Row(r.id, r.kind, r.dimension, status, points, r.cap) if r.id == ci.id else r for r in session.rows()]
    return rerate(session.cs, session.env, rows)


def _effect(session: Session, ci: CompiledIndicator, lang: str) -> list[str]:
    res = session.result
    cs = session.cs
    r = res.indicator(ci.id)
    rating = cs.rating
    zh = lang == "zh"
    kind = KIND[lang].get(r.kind, r.kind)
    out: list[str] = []
    labels = cs.resolved.rating.labels
    said = _Said(cs, lang)
    not_met_text = said(rating.not_met)
    pending_text = said(rating.pending)
    if r.kind in rating.blocking_fail_kinds:
        if r.status == "FAIL":
            out.append(
                f"{kind}指标未通过 → 不达标条件（{not_met_text}）成立 → 结论：{outcome_label('not_met', labels, lang)}"
                if zh
                else f"a failed {r.kind} indicator → the not-met condition ({not_met_text}) holds → outcome: not met"
            )
        else:
            out.append(
                f"{kind}指标：一旦未通过，结论即为{outcome_label('not_met', labels, lang)}（{not_met_text}）"
                if zh
                else f"a {r.kind} indicator: if it fails, the outcome is not met ({not_met_text})"
            )
    if r.kind in rating.blocking_unknown_kinds and r.status == "UNKNOWN":
        facts = listing(fact_names(cs, r.unknown_facts, lang), lang)
        out.append(
            f"待核实 → 待核实条件（{pending_text}）成立 → 结论：{outcome_label('pending', labels, lang)}；需补充：{facts}"
            if zh
            else f"unknown → the pending condition ({pending_text}) holds → outcome: pending; supply: {facts}"
        )
    board = rerate(cs, session.env, session.rows()).board
    if r.kind == "star":
        notes = _Notes(session, board, lang)
        line = ("所属维度 " if zh else "its dimension ") + notes.dimension(r.dimension)
        users = [
            f"{name} = {said(ce)} = {show(res.rating_values.get(name), lang)}"
            for name, ce in rating.values
            if "lit_count()" in ce.text or f'lit("{r.dimension}")' in ce.text
        ]
        users += [f"{said(ce)}" for ce, _ in rating.stars if f'lit("{r.dimension}")' in ce.text]
        if users:
            line += ("；计入 " if zh else "; feeds ") + "；".join(users) if zh else "; feeds " + "; ".join(users)
        out.append(line)
    if r.points not in (0, None) or r.kind in ("bonus", "deduction", "score"):
        total = board.points(r.kind)
        users = [
            f"{name} = {said(ce)} = {show(res.rating_values.get(name), lang)}"
            for name, ce in rating.values
            if f'points("{r.kind}"' in ce.text
        ]
        line = (
            f"本项 {show(r.points, lang)} 分，计入{kind}合计 {show(total, lang)} 分"
            if zh
            else f"{show(r.points, lang)} points, part of the {r.kind} total {show(total, lang)}"
        )
        if ci.spec.cap is not None and r.kind in ("bonus", "deduction"):
            line += (
                f"（本项封顶 {show(ci.spec.cap, lang)} 分）"
                if zh
                else f" (capped at {show(ci.spec.cap, lang)} for this item)"
            )
        if users:
            line += ("；" if zh else "; ") + ("；" if zh else "; ").join(users)
        out.append(line)
    if r.kind == "cap" and r.status == "FAIL":
        out.append(
            f"限星：星级不超过 {show(ci.spec.cap, lang)}" if zh else f"cap: at most {show(ci.spec.cap, lang)} stars"
        )
    # what if it went the other way
    flip: tuple[str, Any] | None = None
    if r.status in ("FAIL", "UNKNOWN"):
        if r.kind == "score":
            flip = ("PASS", ci.spec.max_points if ci.spec.max_points is not None else r.points)
        elif r.kind == "deduction":
            flip = ("PASS", 0)
        elif r.kind != "bonus":
            flip = ("PASS", r.points)
    elif r.status == "PASS" and r.kind not in ("bonus", "deduction", "score"):
        flip = ("FAIL", r.points)
    if flip is not None:
        after = _flip(session, ci, *flip)
        sep = " " if zh else ", "
        now = f"{outcome_label(res.outcome, labels, lang)}{sep}{_stars_words(res.stars, lang)}"
        then = f"{outcome_label(after.outcome, labels, lang)}{sep}{_stars_words(after.stars, lang)}"
        if zh:
            what = {
                "PASS": "通过"
                if r.kind not in ("score", "deduction")
                else ("得满分" if r.kind == "score" else "不扣分"),
                "FAIL": "未通过",
            }[flip[0]]
            out.append(f"若本项{what}：{then}" + ("（不变）" if then == now else f"（现为 {now}）"))
        else:
            what = {
                "PASS": "passed"
                if r.kind not in ("score", "deduction")
                else ("earned full marks" if r.kind == "score" else "deducted nothing"),
                "FAIL": "failed",
            }[flip[0]]
            out.append(f"had it {what}: {then}" + (" (unchanged)" if then == now else f" (now {now})"))
    return out


class _Said:
    """A compiled rating expression in words."""

    def __init__(self, cs: CompiledStandard, lang: str) -> None:
        self.w = cs.wording
        self.lang = lang

    def __call__(self, ce: Any) -> str:
        if self.w is None:
            return ce.text
        return words(Phrase(self.w, ce.analysis, lambda n: UNKNOWN), ce.analysis.root, self.lang)


_FIELD_WORDS = {"kind": "类型", "rule": "规则", "points": "分值", "applies": "适用条件", "explain": "说明模板",
                "citation": "依据", "title": "名称", "dimension": "维度", "cap": "封顶", "max_points": "满分",
                "note": "备注"}


def _stars_words(stars: int | None, lang: str) -> str:
    if stars is None:
        return "（未定星）" if lang == "zh" else "no stars yet"
    return f"{stars} 星" if lang == "zh" else f"{stars} star{'s' if stars != 1 else ''}"


def _indicator(session: Session, ci: CompiledIndicator, lang: str) -> tuple[IndicatorExplanation, ExplainNode]:
    cs = session.cs
    r = session.result.indicator(ci.id)
    zh = lang == "zh"
    spec = ci.spec
    tb = TreeBuilder(cs.resolved, lang, wording=cs.wording)
    kids: list[ExplainNode] = []
    cit = r.citation.document + (r.citation.article or "")
    kids.append(
        node(
            "note",
            ("依据：" if zh else "citation: ")
            + cit
            + (f"（{spec.note}）" if zh and spec.note else (f" ({spec.note})" if spec.note else "")),
        )
    )
    layers = dict(cs.resolved.indicator_layers.get(ci.id, {}))
    base = layers.get("*", cs.id)
    changed = {f: layer for f, layer in layers.items() if f != "*" and layer != base}
    if zh:
        text = f"来源：{base}" + (
            "；" + "；".join(f"{_FIELD_WORDS.get(f, f)}由 {layer} 设定" for f, layer in changed.items()) if changed else ""
        )
    else:
        text = f"defined in {base}" + (
            "; " + "; ".join(f"{f} set by {layer}" for f, layer in changed.items()) if changed else ""
        )
    kids.append(node("note", text))
    applies_value: Any = True
    if ci.applies is not None:
        applies_value, trace = session.traced(ci.applies, f"{ci.id}.applies")
        kids.append(tb.build(ci.applies.analysis, trace, "expr", "适用条件：" if zh else "applies when: "))
    main = ci.main
    if main is not None:
        label = ("规则：" if zh else "rule: ") if ci.rule is not None else ("分值：" if zh else "points: ")
        if applies_value is True:
            _value, trace = session.traced(main, f"{ci.id}.{'rule' if ci.rule is not None else 'points'}")
            kids.append(tb.build(main.analysis, trace, "expr", label))
        else:
            kids.append(
                node(
                    "expr",
                    f"{label}{_Said(cs, lang)(main)}" + ("（不适用，未求值）" if zh else " (does not apply; not evaluated)"),
                    expr=main.text,
                )
            )
        if ci.points is not None and r.status != "UNKNOWN" and (spec.cap is not None or spec.max_points is not None):
            bits = []
            if spec.cap is not None:
                bits.append(f"封顶 {show(spec.cap, lang)}" if zh else f"cap {show(spec.cap, lang)}")
            if spec.max_points is not None:
                bits.append(f"满分 {show(spec.max_points, lang)}" if zh else f"max {show(spec.max_points, lang)}")
            kids.append(
                node(
                    "note",
                    ("计分：" if zh else "points: ") + show(r.points, lang) + "（" + "，".join(bits) + "）"
                    if zh
                    else "points: " + show(r.points, lang) + " (" + ", ".join(bits) + ")",
                )
            )
    params = [parameter_use(cs, p, lang) for p in params_used(ci, cs)]
    if params:
        kids.append(node("section", "参数：" if zh else "parameters:", [node("parameter", p.text) for p in params]))
    if r.evidence:
        ev = [node("evidence", _evidence_line(cs, ci, expr, ids, r.evidence_detail.get(expr), lang), expr=expr,
                   value=ids)
              for expr, ids in r.evidence.items()]
        kids.append(node("section", "证据记录：" if zh else "evidence:", ev))
    if r.unknown_facts:
        kids.append(
            node("section", "待核实的事实：" if zh else "unknown facts:",
                 [node("fact", name, expr=f) for f, name in zip(r.unknown_facts, fact_names(cs, r.unknown_facts, lang))])
        )
    sentence = r.explanation.zh if zh else r.explanation.en
    kids.append(node("note", ("说明：" if zh else "explanation: ") + sentence))
    effect = _effect(session, ci, lang)
    kids.append(
        node(
            "section",
            "对结论和星级的影响：" if zh else "effect on the outcome and stars:",
            [node("note", e) for e in effect],
        )
    )
    pts = (
        f"，{show(r.points, lang)} 分"
        if zh and r.kind in ("bonus", "deduction", "score")
        else (f", {show(r.points, lang)} points" if r.kind in ("bonus", "deduction", "score") else "")
    )
    head = (
        f"{r.id} {r.title}［{KIND[lang].get(r.kind, r.kind)}，{r.dimension}］：{status_word(r.kind, r.status, r.points, lang)}{pts}"
        if zh
        else f"{r.id} {r.title} [{r.kind}, {r.dimension}]: {r.status}{pts}"
    )
    tree = node("indicator", head, kids, value=r.status)
    ind = IndicatorExplanation(
        id=r.id,
        title=r.title,
        kind=r.kind,
        dimension=r.dimension,
        status=r.status,
        points=r.points,
        citation=r.citation,
        note=spec.note,
        applies=ci.applies.text if ci.applies else None,
        rule=main.text if main is not None else None,
        explanation=sentence,
        layers=layers,
        parameters=tuple(params),
        evidence=dict(r.evidence),
        unknown_facts=r.unknown_facts,
        effect=tuple(effect),
    )
    return ind, tree


__all__ = ["explain", "explain_session", "Explanation", "IndicatorExplanation", "ParameterUse", "params_used"]
