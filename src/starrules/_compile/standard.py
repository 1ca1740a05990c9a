"""Resolved standard -> CompiledStandard: every expression parsed, type-checked and compiled once.

All problems of all expressions are collected and reported together, each located in its
file (line and column inside the rule text).  A CompiledStandard is immutable after
construction and safe to share between threads: evaluation state lives in a per-call Env.
"""

from __future__ import annotations

import operator
from decimal import Decimal
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .._errors import Problem, StandardError
from .._lang import (
    NOT_CONST,
    Analysis,
    HostFunction,
    LangError,
    Scope,
    analyze,
    compile_analysis,
    parse,
    types as T,
)
from .._lang import ast as A
from .._lang.compile import decisive_records
from .._lang.cost import too_costly
from .._lang.template import CompiledTemplate, analyze_template, compile_template, parse_template
from .._standard.model import BOOLEAN_KINDS, KINDS, Indicator, Source, StarStep
from .._standard.resolved import ResolvedStandard
from .._facts.validate import FactsValidator
from .._evaluate.rating_builtins import STATUSES, Board, BoardIndex, Selector, band, selector
from .locate import locate
from .wording import Wording
from .schema_types import BANDS, fact_types, param_type_value

Fn = Callable[[Any], Any]
BOARD = "__board__"


@dataclass(frozen=True)
class CompiledExpr:
    """One compiled rule-language text, with what explain needs to re-run it traced."""

    source: Source
    name: str
    analysis: Analysis
    fn: Fn  # untraced, fast
    decisive: Fn  # records the values that decided it (trace="shown": what the evaluator shows)
    _full: list[Fn] = field(default_factory=list, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    @property
    def text(self) -> str:
        return self.source.text

    def full(self) -> Fn:
        """The fully traced closure (compiled on first use; used by explain)."""
        with self._lock:
            if not self._full:
                self._full.append(compile_analysis(self.analysis, "full"))
            return self._full[0]


@dataclass(frozen=True)
class ExplainPlan:
    """An indicator's two explain templates, ready to render together.

    Each distinct placeholder is a slot, evaluated once per indicator (not at all when the
    decisive trace of the indicator's own texts already recorded the same expression):
    ``slots[i] = (text to look up at the top level of the trace, or None; closure)``.
    ``formats[j] = (slot, percent, places, shown in zh, shown in en, show)``: each distinct way a
    slot is shown (``show(value, lang)``, when not None, writes codes as their labels, shares
    as percentages and records with their deciding fields: see :mod:`.wording`).  A language's text is ``"".join(pick(texts + literals))``: ``texts[j]`` is
    format j's text, ``pick`` an itemgetter of the pieces in order (literal k is item
    ``len(formats) + k``); ``*_slots`` are the slots the language shows."""

    slots: tuple[tuple[str | None, Fn], ...]
    formats: tuple[tuple[int, bool, int | None, bool, bool, Any], ...]
    zh_literals: tuple[str, ...]
    en_literals: tuple[str, ...]
    zh_pick: Callable[[Any], tuple[str, ...]]
    en_pick: Callable[[Any], tuple[str, ...]]
    zh_slots: frozenset[int]
    en_slots: frozenset[int]


def _picker(positions: list[int]) -> Callable[[Any], tuple[str, ...]]:
    if not positions:
        return lambda items: ()
    if len(positions) == 1:
        k = positions[0]
        return lambda items: (items[k],)
    return operator.itemgetter(*positions)


def _explain_plan(zh: CompiledTemplate, en: CompiledTemplate, texts: tuple[CompiledExpr | None, ...],
                  scope: Scope, wording: Wording) -> ExplainPlan:
    rule_texts = [ce.source.text for ce in texts if ce is not None]  # where a reused value may come from
    slots: list[tuple[str | None, Fn]] = []
    by_text: dict[str, int] = {}
    formats: dict[tuple[int, bool, int | None, tuple[str, ...]], int] = {}
    shown_in: list[list[bool]] = []
    showers: list[Any] = []

    def pieces(ct: CompiledTemplate, lang: int) -> tuple[list[tuple[bool, int]], list[str], set[int]]:
        order: list[tuple[bool, int]] = []  # (is a format, index)
        literals: list[str] = []
        used: set[int] = set()
        exprs = iter(ct.exprs)
        for p in ct._pieces:
            if type(p) is str:
                order.append((False, len(literals)))
                literals.append(p)
                continue
            node, an, f, percent, places, fields = next(exprs)
            text = node.text
            i = by_text.get(text)
            if i is None:
                # the same text at the top level of the indicator's rule means the same value
                # unless it reads a template-only value (points, status, ...) or a host value
                # (the trace is searched by text: here only whether it may be found)
                reuse = (any(text in t for t in rule_texts)
                         and not any(r[0] == "extra" for r in an.res.values())
                         and not (scope.functions and any(isinstance(n, A.Call) and n.func in scope.functions
                                                          for n in A.walk(node))))
                i = by_text[text] = len(slots)
                slots.append((text if reuse else None, f))
            j = formats.get((i, percent, places, fields))
            if j is None:
                j = formats[(i, percent, places, fields)] = len(shown_in)
                shown_in.append([False, False])
                showers.append(wording.shower(node, an, fact_reads(an, scope), percent, places, fields))
            shown_in[j][lang] = True
            used.add(i)
            order.append((True, j))
        return order, literals, used

    zh_order, zh_literals, zh_used = pieces(zh, 0)
    en_order, en_literals, en_used = pieces(en, 1)
    n = len(formats)

    def pick(order: list[tuple[bool, int]]) -> Callable[[Any], tuple[str, ...]]:
        return _picker([k if is_format else n + k for is_format, k in order])

    return ExplainPlan(
        slots=tuple(slots),
        formats=tuple((i, percent, places, shown_in[j][0], shown_in[j][1], showers[j])
                      for (i, percent, places, _f), j in sorted(formats.items(), key=lambda kv: kv[1])),
        zh_literals=tuple(zh_literals), en_literals=tuple(en_literals),
        zh_pick=pick(zh_order), en_pick=pick(en_order),
        zh_slots=frozenset(zh_used), en_slots=frozenset(en_used),
    )


def _set_aggregates(texts: tuple[CompiledExpr | None, ...]) -> frozenset[int]:
    """Aggregate calls over a set (e.g. a set parameter): their evidence lists set elements in
    an order that depends on PYTHONHASHSEED, so the evaluator sorts it."""
    out = set()
    for ce in texts:
        if ce is None:
            continue
        types = ce.analysis.types
        for node in A.walk(ce.analysis.root):
            if isinstance(node, A.Call) and node.args:
                t = types.get(id(node.args[0]))
                if t is not None and isinstance(T.strip_optional(t), T.Set):
                    out.add(id(node))
    return frozenset(out)


_PREDICATE_CALLS = frozenset({"count", "share", "all", "any", "sum"})


def _evidence_fields(texts: tuple[CompiledExpr | None, ...]) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Aggregates over records whose evidence lists record keys: node id -> (records fact,
    the record fields the condition reads), so that a result can show each record's
    deciding values."""
    out: dict[int, tuple[str, tuple[str, ...]]] = {}
    for ce in texts:
        if ce is None:
            continue
        an = ce.analysis
        for node in A.walk(an.root):
            if isinstance(node, A.Call) and node.func in _PREDICATE_CALLS and len(node.args) == 2:
                coll, pred = node.args
            elif isinstance(node, A.Where):
                coll, pred = node.collection, node.predicate
            else:
                continue
            t = T.strip_optional(an.types.get(id(coll), T.ERROR))
            if not isinstance(t, T.Records) or not t.record.name:
                continue
            fields = []
            for n in A.walk(pred):
                res = an.res.get(id(n))
                if res and res[0] == "field" and res[2] not in fields:
                    fields.append(res[2])
            if fields:
                out[id(node)] = (t.record.name, tuple(fields))
    return out


@dataclass(frozen=True)
class CompiledIndicator:
    spec: Indicator
    applies: CompiledExpr | None
    rule: CompiledExpr | None  # boolean kinds
    points: CompiledExpr | None  # point kinds
    explain_zh: CompiledTemplate | None
    explain_en: CompiledTemplate | None
    fact_reads: tuple[str, ...]  # fact paths its texts read (for "facts to verify")
    citation: Any  # the CitationRef every result of this indicator shares
    explain: ExplainPlan | None = None  # explain_zh and explain_en, ready to render together
    sorted_evidence: frozenset[int] = frozenset()  # ids of aggregate nodes over a set: sort their evidence
    wording: Wording | None = None  # the standard's labels (sentences without a template)
    evidence_fields: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    param_reads: tuple[str, ...] = ()  # parameters its rule or points read directly (fallback values)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def main(self) -> CompiledExpr | None:
        return self.rule or self.points


@dataclass(frozen=True)
class CompiledScore:
    """A named score of ``rating.scores``: its expression, label, maximum and pass line."""

    name: str
    expr: CompiledExpr
    label: Any  # model Texts or None
    max: Any
    pass_line: Any  # a number or None


@dataclass(frozen=True)
class CompiledRating:
    not_met: CompiledExpr
    pending: CompiledExpr
    values: tuple[tuple[str, CompiledExpr], ...]
    stars: tuple[tuple[CompiledExpr, StarStep | None], ...]
    score: CompiledExpr | None
    blocking_fail_kinds: tuple[str, ...]  # kinds named in failed(...) of not_met
    blocking_unknown_kinds: tuple[str, ...]  # kinds named in unknown(...) of pending
    pending_fact_reads: tuple[str, ...]
    quota_share: CompiledExpr | None
    quota_rank: tuple[tuple[CompiledExpr, bool], ...]  # (expr, descending)
    quota_scope: CompiledExpr | None = None  # the branches ranked together (None: all of them)
    scores: tuple[CompiledScore, ...] = ()
    pass_line: CompiledExpr | None = None
    has_stars: bool = True  # false: the standard gives no stars (no `stars:`)
    blocking_fail: tuple[Selector, ...] = ()  # selectors of failed(...) in not_met
    blocking_unknown: tuple[Selector, ...] = ()  # selectors of unknown(...) in pending
    read_fact_paths: tuple[str, ...] = ()  # facts every rating expression reads (pending's fallback)
    status_ids: tuple[str, ...] = ()  # indicators read by status(...)

    def blocks(self, row: Any) -> bool:
        """A FAIL of this row makes not_met true (it is named by a failed(...) of not_met)."""
        return any(sel.matches(row) for sel in self.blocking_fail)

    def waits_for(self, row: Any) -> bool:
        """An UNKNOWN of this row makes pending true (named by an unknown(...) of pending)."""
        return any(sel.matches(row) for sel in self.blocking_unknown)


class _Builder:
    def __init__(self, std: ResolvedStandard) -> None:
        self.std = std
        self.wording = Wording(std)
        self.problems: list[Problem] = []
        params = {name: param_type_value(p) for name, p in std.parameters.items()}
        self.facts = fact_types(std.facts)
        self.scope = Scope(facts=self.facts, params=params, defs={})
        self.def_sources: dict[str, Source] = {}
        for name, src in std.definitions.items():
            try:
                self.scope.defs[name] = parse(src.text, f"definitions.{name}")
            except LangError as err:
                self.lang_problem(err, src)
            self.def_sources[name] = src
        dims = [d.id for d in std.dimensions]
        self.rating_scope = self.scope.extend(
            extras={"stars": T.INT},
            functions=_rating_functions(dims, [i.id for i in std.indicators]),
        )

    # -- problems ----------------------------------------------------------------------
    def lang_problem(self, err: LangError, src: Source | None) -> None:
        if err.source is not None and err.source.name and err.source.name.startswith("definitions."):
            src = self.def_sources.get(err.source.name.split(".", 1)[1], src)
        text = src.text if src is not None else ""
        start = err.span[0] if err.span else 0
        file, line, col = locate(src.origin if src is not None else None, text, start)
        params = dict(err.params)
        if "detail" not in params:
            params["detail"] = err.render("en") if hasattr(err, "render") else err.code
            params["detail_zh"] = err.render("zh") if hasattr(err, "render") else err.code
        problem = Problem(err.code, {**params, "_zh": err.render("zh"), "_en": err.render("en"),
                                     "_fix_zh": err.fix("zh"), "_fix_en": err.fix("en")},
                          file=file, line=line, col=col, path=err.source.name if err.source is not None else None)
        if problem not in self.problems:  # a broken definition is reported once, not once per use
            self.problems.append(problem)

    # -- expressions -------------------------------------------------------------------
    def expr(self, src: Source, name: str, scope: Scope, want: T.Type | None = None,
             tree: A.Expr | None = None, decisive: bool = True) -> CompiledExpr | None:
        if tree is None:
            try:
                tree = parse(src.text, name)
            except LangError as err:
                self.lang_problem(err, src)
                return None
        try:
            an = analyze(tree, scope, collect=True)
        except RecursionError:  # bounded by MAX_DEPTH and MAX_DEFINITION_CHAIN; a backstop for their product
            self.lang_problem(LangError("rule-too-deep", {}, tree.span, tree.source), src)
            return None
        if an.errors:
            for err in an.errors:
                self.lang_problem(err, src)
            return None
        costly = too_costly(an)
        if costly is not None:
            self.lang_problem(costly, src)
            return None
        if want is not None and not _fits(an.type, want):
            self.problems.append(self._type_problem(src, name, an.type, want))
            return None
        try:
            fn = compile_analysis(an, None)
            traced = decisive and decisive_records(an)  # else the decisive closure is the same as fn
            return CompiledExpr(src, name, an, fn, compile_analysis(an, "shown") if traced else fn)
        except LangError as err:
            self.lang_problem(err, src)
            return None
        except RecursionError:
            self.lang_problem(LangError("rule-too-deep", {}, tree.span, tree.source), src)
            return None

    def _type_problem(self, src: Source, name: str, got: T.Type, want: T.Type) -> Problem:
        file, line, col = locate(src.origin, src.text, 0)
        return Problem("rule-type", {
            "detail": f"{name} must be {T.describe(want, 'en')}, but this is {T.describe(got, 'en')}",
            "detail_zh": f"{name} 应为{T.describe(want, 'zh')}，这里是{T.describe(got, 'zh')}",
        }, file=file, line=line, col=col, path=name)

    def template(self, src: Source, name: str, scope: Scope,
                 known: dict[str, Any] | None = None) -> CompiledTemplate | None:
        try:
            tpl = parse_template(src.text, name)
            analyses = analyze_template(tpl, scope, known)
            for an in analyses:
                costly = too_costly(an)
                if costly is not None:
                    raise costly
            return compile_template(tpl, scope, analyses=analyses, known=known)
        except LangError as err:
            self.lang_problem(err, src)
            return None
        except RecursionError:
            self.lang_problem(LangError("rule-too-deep", {}, (0, len(src.text)), None), src)
            return None

    # -- the standard --------------------------------------------------------------------
    def param_number(self, value: Any, where: Source | None, path: str, what_zh: str, what_en: str) -> Any:
        """A number, or ``$name`` of a number parameter: its value (a problem when it is not one)."""
        if not isinstance(value, str):
            return value
        name = value[1:]
        p = self.std.parameters.get(name)
        v = p.value if p is not None else None
        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
            return v
        file, line, col = locate(where.origin if where is not None else None, where.text if where else "", 0)
        if p is None:
            import difflib

            s = difflib.get_close_matches(name, list(self.std.parameters), n=1)
            self.problems.append(Problem("rule-unknown-name", {
                "name": value, **({"suggestion": "$" + s[0]} if s else {}),
                "_zh": f"{what_zh} 引用了未声明的参数 “{value}”", "_en": f"{what_en} names an undeclared parameter '{value}'",
                "_fix_zh": "在 parameters: 中声明它，或改正拼写。", "_fix_en": "Declare it under parameters:, or fix the spelling.",
            }, file=file, line=line, col=col, path=path))
        else:
            self.problems.append(Problem("rule-type", {
                "_zh": f"{what_zh} 应为一个数，参数 “{value}” 不是数", "_en": f"{what_en} must be a number; parameter '{value}' is not",
                "_fix_zh": "引用一个数值参数。", "_fix_en": "Name a number parameter.",
                "detail": f"{what_en} must be a number", "detail_zh": f"{what_zh}应为一个数",
            }, file=file, line=line, col=col, path=path))
        return None

    def indicator(self, ind: Indicator) -> CompiledIndicator:
        base = f"{ind.id}"
        if isinstance(ind.cap, str):  # cap: $parameter
            where = ind.rule or ind.points
            ind = ind.model_copy(update={"cap": self.param_number(
                ind.cap, where, f"{base}.cap", f"指标 {base} 的 cap", f"the cap of {base}")})
        applies = self.expr(ind.applies, f"{base}.applies", self.scope, T.BOOL) if ind.applies else None
        rule = self.expr(ind.rule, f"{base}.rule", self.scope, T.BOOL) if ind.rule else None
        points = self.expr(ind.points, f"{base}.points", self.scope, T.NUMBER) if ind.points else None
        tpl_scope = self.scope.extend(extras={"points": T.NUMBER, "max_points": T.NUMBER, "status": T.STRING,
                                              "cap": T.NUMBER})
        zh = en = None
        if ind.explain is not None:
            known: dict[str, Any] = {}  # the placeholders both languages show are compiled once
            zh = self.template(ind.explain.zh, f"{base}.explain.zh", tpl_scope, known)
            en = self.template(ind.explain.en, f"{base}.explain.en", tpl_scope, known)
        reads: list[str] = []
        for ce in (applies, rule, points):
            if ce is not None:
                reads.extend(fact_reads(ce.analysis, self.scope))
        from .._evaluate.result import CitationRef

        citation = CitationRef(document=ind.citation.document, article=ind.citation.article)
        texts = (applies, rule, points)
        plan = _explain_plan(zh, en, texts, tpl_scope, self.wording) if zh is not None and en is not None else None
        return CompiledIndicator(ind, applies, rule, points, zh, en, tuple(dict.fromkeys(reads)), citation,
                                 plan, _set_aggregates(texts), self.wording, _evidence_fields(texts),
                                 tuple(dict.fromkeys(n.name for ce in (rule, points) if ce is not None
                                                     for n in A.walk(ce.analysis.root) if isinstance(n, A.Param))))

    def rating(self) -> CompiledRating | None:
        r = self.std.rating
        scope = self.rating_scope
        scores: list[CompiledScore] = []
        for name, spec in r.scores.items():
            ce = self.expr(spec.value, f"rating.scores.{name}", scope, T.NUMBER)
            line = self.param_number(spec.pass_line, spec.value, f"rating.scores.{name}.pass",
                                     f"得分 {name} 的及格线", f"the pass line of score {name}")
            if ce is not None:
                scores.append(CompiledScore(name, ce, spec.label, spec.max, line))
            scope = scope.extend(extras={name: ce.analysis.type if ce is not None else T.NUMBER})
        values: list[tuple[str, CompiledExpr]] = []
        for name, src in r.values.items():
            ce = self.expr(src, f"rating.values.{name}", scope, T.NUMBER)
            if ce is not None:
                values.append((name, ce))
                scope = scope.extend(extras={name: ce.analysis.type})
            else:
                scope = scope.extend(extras={name: T.NUMBER})
        # the outcome conditions may read the named scores and values (evaluated first)
        not_met = self.expr(r.not_met, "rating.not_met", scope, T.BOOL)
        pending = self.expr(r.pending, "rating.pending", scope, T.BOOL)
        pass_line = self.expr(r.pass_line, "rating.pass", scope, T.BOOL) if r.pass_line is not None else None
        stars: list[tuple[CompiledExpr, StarStep | None]] = []
        for i, step in enumerate(r.stars or ()):
            src = step.value if isinstance(step, StarStep) else step
            ce = self.expr(src, f"rating.stars[{i}]", scope, T.INT)
            if ce is not None:
                stars.append((ce, step if isinstance(step, StarStep) else None))
        score = self.expr(r.score, "rating.score", scope, T.NUMBER) if r.score is not None else None
        quota_share = None
        ranks: list[tuple[CompiledExpr, bool]] = []
        quota_scope = None
        if r.quota is not None:
            if r.quota.scope is not None:
                quota_scope = self.expr(r.quota.scope, "rating.quota.scope", scope)
            quota_share = self.expr(r.quota.share, "rating.quota.share", scope, T.NUMBER)
            for i, item in enumerate(r.quota.rank_by):
                text = item.text.strip()
                desc = text.endswith(" desc")
                body = text[: -5] if desc else (text[:-4] if text.endswith(" asc") else text)
                ce = self.expr(Source(body.strip(), item.origin), f"rating.quota.rank_by[{i}]", scope)
                if ce is not None:
                    ranks.append((ce, desc))
        if (not_met is None or pending is None or len(stars) != len(r.stars or ())
                or len(scores) != len(r.scores) or (r.pass_line is not None and pass_line is None)):
            return None
        every = [not_met, pending, pass_line, score, *(c.expr for c in scores), *(ce for _, ce in values),
                 *(ce for ce, _ in stars)]
        every = [ce for ce in every if ce is not None]
        dims = [d.id for d in self.std.dimensions]
        reads: list[str] = []
        for ce in every:
            reads.extend(fact_reads(ce.analysis, self.rating_scope))
        rating = CompiledRating(
            not_met=not_met,
            pending=pending,
            values=tuple(values),
            stars=tuple(stars),
            score=score,
            blocking_fail_kinds=_kinds_called(not_met.analysis.root, "failed"),
            blocking_unknown_kinds=_kinds_called(pending.analysis.root, "unknown"),
            pending_fact_reads=tuple(fact_reads(pending.analysis, self.rating_scope)),
            quota_share=quota_share,
            quota_rank=tuple(ranks),
            quota_scope=quota_scope,
            scores=tuple(scores),
            pass_line=pass_line,
            has_stars=r.stars is not None,
            blocking_fail=_selectors(not_met.analysis.root, "failed", dims),
            blocking_unknown=_selectors(pending.analysis.root, "unknown", dims),
            read_fact_paths=tuple(dict.fromkeys(reads)),
            status_ids=tuple(dict.fromkeys(a for ce in every for a in _call_args(ce.analysis.root, "status"))),
        )
        self.unread_indicators(every, dims)
        return rating

    def unread_indicators(self, every: list[CompiledExpr], dims: list[str]) -> None:
        """An indicator the rating never reads decides nothing (its FAIL changes no outcome,
        star or score): a silent no-op, reported with the rating rule that should read it."""
        fails = [s for ce in every for s in _selectors(ce.analysis.root, "failed", dims)]
        points = [s for ce in every for s in _selectors(ce.analysis.root, "points", dims)]
        status = {a for ce in every for a in _call_args(ce.analysis.root, "status")}
        called = {n.func for ce in every for n in A.walk(ce.analysis.root) if isinstance(n, A.Call)}
        layers = self.std.indicator_layers if hasattr(self.std, "indicator_layers") else {}
        for ind in self.std.indicators:
            row = _RowLike(ind.id, ind.kind, ind.dimension)
            if ind.id in status or any(s.matches(row) for s in fails):
                continue
            if ind.kind == "cap" and "cap_limit" in called:
                continue
            if ind.kind == "star" and called & {"lit", "lit_count"}:
                continue
            if ind.kind in ("bonus", "deduction", "score") and any(s.matches(row) for s in points):
                continue
            where = ind.rule or ind.points
            file, line, col = locate(where.origin if where is not None else None, where.text if where else "", 0)
            layer = layers.get(ind.id, {}).get("*") if isinstance(layers, dict) else None
            self.problems.append(Problem("rating-unread-indicator", {
                "id": ind.id, "kind": ind.kind, "kind_zh": _KIND_ZH[ind.kind], "layer": layer or self.std.id,
                "rule": _READER[ind.kind][0], "example": _READER[ind.kind][1],
            }, file=file, line=line, col=col, path=f"indicators.{ind.id}"))


class _RowLike:
    __slots__ = ("id", "kind", "dimension")

    def __init__(self, id: str, kind: str, dimension: str) -> None:
        self.id, self.kind, self.dimension = id, kind, dimension


_KIND_ZH = {"required": "达标", "veto": "否决", "star": "创星", "bonus": "加分", "deduction": "扣分",
            "score": "计分", "cap": "限星"}

#: kind -> (the rating rule that should read such an indicator, an example)
_READER = {
    "required": ("rating.not_met", 'failed("required")'),
    "veto": ("rating.not_met", 'failed("veto")'),
    "cap": ("rating.stars", "min(stars, cap_limit())"),
    "star": ("rating.stars", "lit_count()"),
    "bonus": ("rating.values / rating.score", 'points("bonus")'),
    "deduction": ("rating.values / rating.score", 'points("deduction")'),
    "score": ("rating.scores / rating.values / rating.score", 'points("score")'),
}


def _call_args(root: A.Expr, func: str) -> list[str]:
    out: list[str] = []
    for node in A.walk(root):
        if isinstance(node, A.Call) and node.func == func:
            out.extend(a.value for a in node.args if isinstance(a, A.Literal) and isinstance(a.value, str))
    return out


def _selectors(root: A.Expr, func: str, dims: list[str]) -> tuple[Selector, ...]:
    out: list[Selector] = []
    for node in A.walk(root):
        if isinstance(node, A.Call) and node.func == func:
            args = [a.value for a in node.args if isinstance(a, A.Literal) and isinstance(a.value, str)]
            if args:
                out.append(selector(args, dims))
    return tuple(dict.fromkeys(out))


def _fits(got: T.Type, want: T.Type) -> bool:
    if want == T.NUMBER:
        return T.is_numeric(got)
    return T.assignable(got, want)


def _kinds_called(root: A.Expr, func: str) -> tuple[str, ...]:
    kinds: list[str] = []
    for node in A.walk(root):
        if isinstance(node, A.Call) and node.func == func:
            for arg in node.args:
                if isinstance(arg, A.Literal) and isinstance(arg.value, str):
                    kinds.append(arg.value)
    return tuple(dict.fromkeys(kinds))


def fact_reads(an: Analysis, scope: Scope, _seen: set[str] | None = None) -> list[str]:
    """Fact paths an expression reads (through definitions too), e.g. ``committee.members``,
    or ``*.present`` for a field of records: used to name the unknown facts behind an
    UNKNOWN indicator."""
    from .._lang.check import analyze_definition

    seen = _seen if _seen is not None else set()
    out: list[str] = []
    owner = scope._owner

    def visit(node: A.Expr) -> None:
        if isinstance(node, A.Field):
            names = [node.name]
            base: A.Expr = node.obj
            while isinstance(base, A.Field):
                names.append(base.name)
                base = base.obj
            res = an.res.get(id(base))
            if isinstance(base, A.Name) and res and res[0] == "fact":
                out.append(".".join([base.name] + names[::-1]))
                return
        res = an.res.get(id(node))
        if res:
            if res[0] == "fact":
                out.append(res[1])
            elif res[0] == "field":
                out.append(f"*.{res[2]}")
            elif res[0] == "def" and res[1] not in seen and res[1] in owner.defs:
                seen.add(res[1])
                out.extend(fact_reads(analyze_definition(owner, res[1]), scope, seen))
        for child in node.children():
            visit(child)

    visit(an.root)
    return out


# -- rating host functions ---------------------------------------------------------------


def _board(env: Any) -> Board:
    return env.values[BOARD]


def _const_strings(name: str, consts: Any, spans: Any, allowed: list[str], what: str,
                   what_zh: str | None = None) -> None:
    for value, span in zip(consts, spans):
        if value is NOT_CONST or not isinstance(value, str):
            raise LangError("rule-type", {"detail": f"{name}() takes {what} names as quoted text",
                                          "detail_zh": f"{name}() 的参数应为加引号的{what_zh or what}名称"}, span)
        if value not in allowed:
            import difflib

            s = difflib.get_close_matches(value, allowed, n=1)
            shown = allowed if len(allowed) <= 12 else allowed[:12] + ["…"]
            raise LangError("rule-unknown-value", {"value": value, "allowed": shown,
                                                   "detail": f"{what}s: {', '.join(shown)}",
                                                   **({"suggestion": s[0]} if s else {})}, span)


STATUS_ENUM = T.Enum(STATUSES)


def _rating_functions(dims: list[str], ids: list[str]) -> dict[str, HostFunction]:
    kinds = list(KINDS)
    scoped = kinds + dims + ids
    sels: dict[tuple[str, ...], Selector] = {}  # filled while checking, read while evaluating

    def remember(args: tuple[str, ...]) -> None:
        if args not in sels:
            sels[args] = selector(args, dims)

    def sel_check(name: str) -> Callable[..., T.Type]:
        def check(types: Any, spans: Any, consts: Any) -> T.Type:
            if len(types) < 1:
                raise LangError("rule-arity", {"name": name, "detail": "1..n arguments"}, (0, 0))
            _const_strings(name, consts, spans, scoped, "kind, dimension or indicator", "类型、维度或指标")
            remember(tuple(consts))
            return T.BOOL
        return check

    def points_check(types: Any, spans: Any, consts: Any) -> T.Type:
        if len(types) < 1:
            raise LangError("rule-arity", {"name": "points", "detail": "1..n arguments"}, (0, 0))
        _const_strings("points", consts[:1], spans, kinds, "kind", "指标类型")
        _const_strings("points", consts[1:], spans[1:], dims + ids, "dimension or indicator", "维度或指标")
        remember(tuple(consts))
        return T.NUMBER

    def dim_check(types: Any, spans: Any, consts: Any) -> T.Type:
        if len(types) != 1:
            raise LangError("rule-arity", {"name": "lit", "detail": "one dimension"}, spans[0] if spans else (0, 0))
        _const_strings("lit", consts, spans, dims, "dimension", "维度")
        return T.BOOL

    def id_check(types: Any, spans: Any, consts: Any) -> T.Type:
        if len(types) != 1:
            raise LangError("rule-arity", {"name": "status", "detail": "one indicator id"}, spans[0] if spans else (0, 0))
        _const_strings("status", consts, spans, ids, "indicator", "指标")
        return STATUS_ENUM

    def none_check(name: str, result: T.Type) -> Callable[..., T.Type]:
        def check(types: Any, spans: Any) -> T.Type:
            if types:
                raise LangError("rule-arity", {"name": name, "detail": "no arguments"}, spans[0])
            return result
        return check

    def band_check(types: Any, spans: Any) -> T.Type:
        if len(types) != 2 or not T.is_numeric(types[0]) or types[1] != BANDS:
            raise LangError("rule-type", {"detail": "band(x, $bands) takes a number and a bands parameter",
                                          "detail_zh": "band(x, $bands) 的参数应为一个数和一个分档参数"},
                            spans[0] if spans else (0, 0))
        return T.INT

    def failed(env: Any, *a: str) -> bool:
        sel = sels[a]
        return _board(env).any_selected("FAIL", sel)

    def unknown(env: Any, *a: str) -> bool:
        return _board(env).any_selected("UNKNOWN", sels[a])

    def points(env: Any, *a: str) -> Any:
        if len(a) == 1 or (len(a) == 2 and a[1] in dims):
            return _board(env).points(*a)
        return _board(env).points_selected(sels[a])

    return {
        "failed": HostFunction("failed", sel_check("failed"), failed, const_args=True),
        "unknown": HostFunction("unknown", sel_check("unknown"), unknown, const_args=True),
        "points": HostFunction("points", points_check, points, const_args=True),
        "lit": HostFunction("lit", dim_check, lambda env, d: _board(env).lit(d), const_args=True),
        "lit_count": HostFunction("lit_count", none_check("lit_count", T.INT), lambda env: _board(env).lit_count()),
        "cap_limit": HostFunction("cap_limit", none_check("cap_limit", T.INT), lambda env: _board(env).cap_limit()),
        "band": HostFunction("band", band_check, lambda env, x, b: band(x, b)),
        "status": HostFunction("status", id_check, lambda env, i: _board(env).status(i), const_args=True),
    }


# -- entry point -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledStandard:
    resolved: ResolvedStandard
    sha256: str
    scope: Scope
    validator: FactsValidator
    indicators: tuple[CompiledIndicator, ...]
    rating: CompiledRating
    dimension_ids: tuple[str, ...]
    dimension_titles: dict[str, str]
    record_keys: dict[str, str | None]
    info: Any  # the StandardInfo every result carries
    board_index: BoardIndex | None = None  # where each kind's rows are (same for every branch)
    wording: Wording | None = None  # labels, units and formats for sentences

    @property
    def id(self) -> str:
        return self.resolved.id


def compile_standard(std: ResolvedStandard) -> CompiledStandard:
    b = _Builder(std)
    # definitions are checked once, where they are written
    for name, src in std.definitions.items():
        if name in b.scope.defs:
            b.expr(src, f"definitions.{name}", b.scope, tree=b.scope.defs[name], decisive=False)
    indicators = [b.indicator(ind) for ind in std.indicators]
    rating = b.rating()
    if b.problems or rating is None:
        unique = {(p.file, p.line, p.col, p.code, str(p.params.get("detail"))): p for p in b.problems}
        raise StandardError(list(unique.values()))
    sha256 = std.content_hash()
    dims = tuple(d.id for d in std.dimensions)
    return CompiledStandard(
        resolved=std,
        sha256=sha256,
        scope=b.scope,
        validator=FactsValidator(std.facts, std.id, sha256),
        indicators=tuple(indicators),
        rating=rating,
        dimension_ids=dims,
        dimension_titles={d.id: d.title for d in std.dimensions},
        record_keys={n: f.key for n, f in std.facts.items() if f.type == "records"},
        info=_standard_info(std, sha256),
        board_index=BoardIndex([i.kind for i in std.indicators], [i.dimension for i in std.indicators], dims),
        wording=b.wording,
    )


def _standard_info(std: ResolvedStandard, sha256: str) -> Any:
    from .._diff.fingerprint import fingerprint_of
    from .._evaluate.result import LayerInfo, StandardInfo

    return StandardInfo(
        id=std.id, family=std.family, version=std.version, title=std.title,
        effective_from=std.effective.from_, effective_to=std.effective.to, sha256=sha256,
        layers=tuple(LayerInfo(**layer.model_dump()) for layer in std.layers),
        fingerprint=fingerprint_of(std),
    )


__all__ = ["CompiledStandard", "CompiledIndicator", "CompiledRating", "CompiledScore", "CompiledExpr", "compile_standard",
           "BOOLEAN_KINDS", "BOARD"]
