"""``starrules.next_star``: the smallest set of indicators whose status must change to reach
the next level — ``not_met`` → ``met``, ``met`` with *s* stars → *s* + 1 stars, ``pending`` →
decided and met — and what each change means in the facts' own terms.

The search re-rates through the standard's own ``rating:`` expressions (never a copy of the
rule in code): each candidate set of changed statuses is put on a :class:`Board` and
rated, in order of set size.  What may change: a FAIL or UNKNOWN indicator may pass (a
``score`` item then earns its maximum, a ``deduction`` nothing); a ``bonus`` may earn up to
the most its points expression can give.  A failed ``veto`` cannot change: it records
something that happened in the year, and no number of points outweighs it; ``NA``
indicators stay as they are.

Pruning assumes what every declared rating here satisfies: passing more indicators never
lowers the rating.  Then an unreachable target shows when every change together does not
reach it, and a change is *necessary* when all the others together do not; the search
enumerates only sets that contain the necessary changes, smallest first, within a budget.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from pydantic import Field

from .._compile.standard import CompiledIndicator, CompiledStandard, fact_reads
from .._evaluate.rating_builtins import MAX_STARS, Row
from .._evaluate.result import Num, _Model
from .._evaluate.unknowns import unknown_paths
from .._lang import UNKNOWN
from .._lang import ast as A
from .._lang.check import Analysis
from .gaps import Gap, fact_names, indicator_gaps
from .explain import RatedHeader
from .session import Rated, Session, open_session, rerate
from .words import KIND, STATUS, is_number, listing, outcome_label, show

MAX_OPTIONS = 10
BUDGET = 20_000  # re-ratings per question
#: indicator rows re-rated per question, in all (a re-rating costs one pass over every row: a
#: standard of 6 000 indicators would otherwise take minutes just to find the necessary changes)
WORK_BUDGET = 2_000_000
UNBOUNDED = 10**6  # points of a bonus whose expression has no upper bound


def top_stars(cs: Any) -> int:
    """The most stars the standard's star steps can give: the largest whole number they write
    (a literal, an int parameter, the top of a bands parameter), at most 5; 0 without stars.
    next-star never proposes a level above it."""
    from .._lang import ast as A

    if not cs.rating.has_stars:
        return 0
    params = cs.resolved.parameters
    best = 0
    for ce, _step in cs.rating.stars:
        for node in A.walk(ce.analysis.root):
            if isinstance(node, A.Literal) and type(node.value) is int:
                best = max(best, node.value)
            elif isinstance(node, A.Param) and node.name in params:
                v = params[node.name].value
                if type(v) is int:
                    best = max(best, v)
                elif isinstance(v, tuple) and v and hasattr(v[0], "stars"):
                    best = max(best, max(b.stars for b in v))
    return min(best, MAX_STARS) if best else MAX_STARS


class Change(_Model):
    """One indicator whose status must change, and what that takes."""

    id: str
    title: str
    kind: str
    dimension: str
    status_from: str
    status_to: str
    points_from: Num = 0
    points_to: Num = 0
    text: str
    gaps: tuple[Gap, ...] = ()


class Option(_Model):
    """One smallest set of changes, and the rating it would give."""

    changes: tuple[Change, ...]
    outcome: str
    outcome_label: str
    stars: int | None
    score: Num | None = None


class NextStar(RatedHeader):
    target: str = Field(description="met, stars (one more star), decided (pending: the facts to supply) or top")
    target_stars: int | None = None
    target_text: str
    reachable: bool
    size: int | None = Field(default=None, description="how many indicators must change (the smallest number)")
    options: tuple[Option, ...] = ()
    more_options: int = Field(default=0, description="further smallest sets not listed")
    blockers: tuple[Change, ...] = Field(default=(), description="failed indicators that cannot change (vetoes)")
    limits: tuple[str, ...] = Field(default=(), description="why the target cannot be reached this year")
    facts_to_supply: tuple[str, ...] = ()
    searched: int = Field(default=0, description="candidate sets re-rated")
    exhaustive: bool = True
    summary: str


@dataclass(frozen=True)
class _Lever:
    index: int  # position in the rows
    status: str
    points: Any


# -- entry point ---------------------------------------------------------------------------------------


def next_star(standard: Any, facts: Any, *, lang: str = "zh", standards_dirs: Sequence[str | Path] = ()) -> NextStar:
    """What it takes to reach the next outcome or star level (see the module docstring)."""
    return next_star_session(open_session(standard, facts, standards_dirs=standards_dirs), lang=lang)


def next_star_session(session: Session, *, lang: str = "zh") -> NextStar:
    return _Search(session, lang).run()


# -- points bounds ---------------------------------------------------------------------------------------


def upper_bound(n: A.Expr, an: Analysis, cs: CompiledStandard) -> Fraction | None:
    """The most a points expression can give (None when it has no bound we can see)."""
    params = cs.resolved.parameters
    match n:
        case A.Literal(value=v) if is_number(v):
            return Fraction(v)
        case A.Param(name=name) if name in params and is_number(params[name].value):
            return Fraction(params[name].value)
        case A.Index(obj=A.Param(name=name)) if name in params and isinstance(params[name].value, dict):
            vals = [v for v in params[name].value.values() if is_number(v)]
            return Fraction(max(vals)) if vals else None
        case A.Call(func="min", args=args) if len(args) > 1:
            bounds = [b for b in (upper_bound(a, an, cs) for a in args) if b is not None]
            return min(bounds) if bounds else None
        case A.Call(func="max", args=args) if len(args) > 1:
            bounds = [upper_bound(a, an, cs) for a in args]
            return None if any(b is None for b in bounds) else max(bounds)  # type: ignore[type-var]
        case A.Binary(op="+", left=a, right=b):
            x, y = upper_bound(a, an, cs), upper_bound(b, an, cs)
            return None if x is None or y is None else x + y
        case A.Binary(op="*", left=a, right=b):
            x, y = upper_bound(a, an, cs), upper_bound(b, an, cs)
            return None if x is None or y is None or x < 0 or y < 0 else x * y
        case A.If(then=a, else_=b):
            x, y = upper_bound(a, an, cs), upper_bound(b, an, cs)
            return None if x is None or y is None else max(x, y)
    return None


def _exact(x: Fraction) -> Any:
    return x.numerator if x.denominator == 1 else x


# -- the search ------------------------------------------------------------------------------------------


class _Search:
    def __init__(self, session: Session, lang: str) -> None:
        self.s = session
        self.cs = session.cs
        self.lang = lang
        self.zh = lang == "zh"
        self.res = session.result
        self.rows = session.rows()
        self.cis = {ci.id: ci for ci in self.cs.indicators}
        self.labels = self.cs.resolved.rating.labels
        self.evals = 0
        self.work = 0  # rows re-rated so far
        self.exhaustive = True

    # -- rating a set of changes --------------------------------------------------------------------------
    def spent(self) -> bool:
        """Whether the question's budget is used up (then the answer is not exhaustive)."""
        if self.evals >= BUDGET or self.work >= WORK_BUDGET:
            self.exhaustive = False
            return True
        return False

    def rate(self, levers: Sequence[_Lever], *, traced: bool = False) -> Rated:
        self.evals += 1
        self.work += len(self.rows)
        rows = list(self.rows)
        for lv in levers:
            r = rows[lv.index]
            rows[lv.index] = Row(r.id, r.kind, r.dimension, lv.status, lv.points, r.cap)
        return rerate(self.cs, self.s.env, rows, traced=traced)

    def reached(self, rated: Rated) -> bool:
        if rated.outcome != "met":
            return False
        if self.target == "stars":
            return rated.stars is not None and rated.stars >= self.target_stars  # type: ignore[operator]
        return True

    # -- what may change ----------------------------------------------------------------------------------
    def levers(self) -> tuple[list[_Lever], list[int]]:
        levers: list[_Lever] = []
        fixed_failures: list[int] = []
        for i, row in enumerate(self.rows):
            ci = self.cis[row.id]
            if row.kind == "bonus":
                lv = self.bonus_lever(i, ci, row)
                if lv is not None:
                    levers.append(lv)
                continue
            if row.status not in ("FAIL", "UNKNOWN"):
                continue
            if row.kind == "veto" and row.status == "FAIL":
                fixed_failures.append(i)
                continue
            if row.kind == "score":
                top = ci.spec.max_points if ci.spec.max_points is not None else row.points
                levers.append(_Lever(i, "PASS", top))
            elif row.kind == "deduction":
                levers.append(_Lever(i, "PASS", 0))
            else:
                levers.append(_Lever(i, "PASS", row.points))
        return levers, fixed_failures

    def bonus_lever(self, i: int, ci: CompiledIndicator, row: Row) -> _Lever | None:
        if ci.points is None:
            return None
        bound = upper_bound(ci.points.analysis.root, ci.points.analysis, self.cs)
        if ci.spec.cap is not None:
            bound = Fraction(ci.spec.cap) if bound is None else min(bound, Fraction(ci.spec.cap))
        if bound is None:
            bound = Fraction(UNBOUNDED)
        current = Fraction(row.points) if is_number(row.points) else Fraction(0)
        if bound <= current:
            return None
        return _Lever(i, "PASS", _exact(bound))

    # -- main -----------------------------------------------------------------------------------------------
    def run(self) -> NextStar:
        res = self.res
        zh = self.zh
        top = top_stars(self.cs)
        if res.outcome == "met" and not self.cs.rating.has_stars:
            self.target, self.target_stars = "top", None
            text = "已达标（本标准不评星级）" if zh else "met (this standard gives no stars)"
            return self.answer(reachable=False, target_text=text, summary=text)
        if res.outcome == "met" and res.stars is not None and res.stars >= top:
            self.target, self.target_stars = "top", None
            text = f"已是最高星级（{res.stars} 星）" if zh else f"already at the top level ({res.stars} stars)"
            return self.answer(reachable=False, target_text=text, summary=text)
        if res.outcome == "met":
            self.target, self.target_stars = "stars", (res.stars or 0) + 1
            target_text = f"{self.target_stars} 星" if zh else f"{self.target_stars} stars"
        elif res.outcome == "not_met":
            self.target, self.target_stars = "met", None
            target_text = outcome_label("met", self.labels, self.lang)
        else:
            self.target, self.target_stars = "decided", None
            target_text = "结论确定" if zh else "a decided outcome"
        levers, fixed = self.levers()
        blockers = [
            self.change(_Lever(i, "PASS", self.rows[i].points))
            for i in fixed
            if self.rows[i].kind in self.cs.rating.blocking_fail_kinds
        ]
        best = self.rate(levers)
        if not self.reached(best):
            limits = self.limits(levers, best, blockers)
            return self.answer(
                reachable=False,
                target_text=target_text,
                blockers=blockers,
                limits=limits,
                summary=self.summary(False, target_text, [], blockers, limits),
            )
        necessary = []
        for lv in levers:
            if self.spent():  # the others are left to the search (which then falls back to every change)
                break
            if not self.reached(self.rate([x for x in levers if x != lv])):
                necessary.append(lv)
        rest = [lv for lv in levers if lv not in necessary]
        found: list[tuple[_Lever, ...]] = []
        total_found = 0
        if self.reached(self.rate(necessary)):
            found, total_found = [tuple(necessary)], 1
        else:
            for k in range(1, len(rest) + 1):
                for combo in itertools.combinations(rest, k):
                    if self.spent():
                        break
                    chosen = tuple(necessary) + combo
                    if self.reached(self.rate(chosen)):
                        total_found += 1
                        if len(found) < MAX_OPTIONS:
                            found.append(chosen)
                if found or not self.exhaustive:
                    break
            if not found:  # budget spent: fall back to every change (a set that works, maybe not the smallest)
                found, total_found = [tuple(levers)], 1
        found.sort(key=self.rank)
        options = [self.option(o) for o in found]
        return self.answer(
            reachable=True,
            target_text=target_text,
            size=len(found[0]),
            options=options,
            more=total_found - len(options),
            blockers=blockers,
            summary=self.summary(True, target_text, options, blockers, ()),
        )

    def rank(self, levers: tuple[_Lever, ...]) -> tuple[Any, ...]:
        kinds = [self.rows[lv.index].kind for lv in levers]
        return (kinds.count("deduction"), kinds.count("bonus"), sorted(lv.index for lv in levers))

    # -- explaining an answer ---------------------------------------------------------------------------------
    def minimal_bonus(self, levers: tuple[_Lever, ...]) -> tuple[_Lever, ...]:
        """Lower each bonus change to the fewest whole points that still reach the target."""
        out = list(levers)
        for j, lv in enumerate(out):
            row = self.rows[lv.index]
            if row.kind != "bonus":
                continue
            current = Fraction(row.points) if is_number(row.points) else Fraction(0)
            top = Fraction(lv.points)
            p = int(current) + 1
            while p < top and p <= 100:
                trial = out[:j] + [_Lever(lv.index, "PASS", p)] + out[j + 1 :]
                if self.reached(self.rate(trial)):
                    out[j] = _Lever(lv.index, "PASS", p)
                    break
                p += 1
        return tuple(out)

    def option(self, levers: tuple[_Lever, ...]) -> Option:
        levers = self.minimal_bonus(levers)
        rated = self.rate(levers)
        return Option(
            changes=tuple(self.change(lv) for lv in levers),
            outcome=rated.outcome,
            outcome_label=outcome_label(rated.outcome, self.labels, self.lang),
            stars=rated.stars,
            score=rated.score,
        )

    def change(self, lv: _Lever) -> Change:
        row = self.rows[lv.index]
        ci = self.cis[row.id]
        r = self.res.indicator(row.id)
        zh = self.zh
        lang = self.lang
        kind = KIND[lang].get(row.kind, row.kind)
        if row.kind == "bonus":
            text = (
                f"{row.id} {r.title}［{kind}］：加分从 {show(row.points, lang)} 分提高到至少 {show(lv.points, lang)} 分"
                if zh
                else f"{row.id} {r.title} [{kind}]: bonus from {show(row.points, lang)} to at least "
                f"{show(lv.points, lang)} points"
            )
            gaps: list[Gap] = []
            if ci.points is not None:
                from .gaps import _Finder

                _v, trace = self.s.traced(ci.points, f"{ci.id}.points")
                facts = _Finder(self.s, ci.points.analysis, trace, lang).leaves(ci.points.analysis.root)
                if facts:
                    gaps.append(Gap(text=("现为：" if zh else "now: ") + facts))
        else:
            gaps = indicator_gaps(self.s, ci, lang)
            word_from = STATUS[lang][row.status]
            word_to = STATUS[lang][lv.status]
            if row.kind == "score":
                what = (
                    f"得满分 {show(lv.points, lang)}（现 {show(row.points, lang)}）"
                    if zh
                    else f"full marks {show(lv.points, lang)} (now {show(row.points, lang)})"
                )
            elif row.kind == "deduction":
                what = (
                    f"不扣分（现扣 {show(row.points, lang)}）" if zh else f"no deduction (now {show(row.points, lang)})"
                )
            else:
                what = f"{word_from} → {word_to}"
            text = f"{row.id} {r.title}［{kind}］：{what}" if zh else f"{row.id} {r.title} [{kind}]: {what}"
        return Change(
            id=row.id,
            title=r.title,
            kind=row.kind,
            dimension=row.dimension,
            status_from=row.status,
            status_to=lv.status,
            points_from=row.points,
            points_to=lv.points,
            text=text,
            gaps=tuple(gaps),
        )

    def limits(self, levers: list[_Lever], best: Rated, blockers: list[Change]) -> list[str]:
        zh = self.zh
        lang = self.lang
        out: list[str] = []
        for b in blockers:
            out.append(
                f"{KIND[lang].get(b.kind, b.kind)}指标 {b.id} {b.title} 未通过：否决项不能由加分或其他指标抵消，"
                f"本评价年度不能{outcome_label('met', self.labels, lang)}"
                if zh
                else f"{b.kind} indicator {b.id} {b.title} failed: a veto is not outweighed by points or other "
                f"indicators; the standard cannot be met this year"
            )
        if blockers:
            return out
        if best.outcome == "pending":
            facts = unknown_paths(self.cs.rating.pending_fact_reads, self.s.vf.values, self.cs.record_keys)
            if facts:
                out.append(
                    ("结论取决于未知的事实：" if zh else "the outcome waits for unknown facts: ")
                    + listing(fact_names(self.cs, facts, lang), lang)
                )
        if best.outcome == "met" and self.target == "stars":
            traced = self.rate(levers, traced=True)
            top = traced.stars
            out.append(
                f"即使所有可改变的指标都改变，星级最高为 {top} 星"
                if zh
                else f"even with every possible change, the stars reach {top}"
            )
            w = self.cs.wording
            for i, ((ce, step), (after, before)) in enumerate(zip(self.cs.rating.stars, traced.steps), start=1):
                if is_number(after) and is_number(before) and after < before:
                    reads = fact_reads(ce.analysis, self.cs.scope)
                    values = []
                    for p in dict.fromkeys(reads):
                        name = fact_names(self.cs, [p], lang)[0]
                        v = self._fact(p)
                        shown = w.field_value(v, w.spec(p), lang) if w is not None else show(v, lang)
                        values.append(f"{name}：{shown}" if zh else f"{name}: {shown}")
                    tail = (
                        ("；相关事实：" + listing(values, lang) if values else "")
                        if zh
                        else ("; facts: " + listing(values, lang) if values else "")
                    )
                    note = (step.note.zh if zh else step.note.en) if step is not None and step.note else None
                    what = f"（{note}）" if zh and note else (f" ({note})" if note else "")
                    out.append(
                        f"第 {i} 步{what}将星级由 {before} 降为 {after}{tail}"
                        if zh
                        else f"step {i}{what} lowers the stars from {before} to {after}{tail}"
                    )
        return out

    def _fact(self, path: str) -> Any:
        value: Any = self.s.vf.values
        for part in path.split("."):
            value = value.get(part, UNKNOWN) if isinstance(value, dict) else UNKNOWN
        return value

    def summary(
        self,
        reachable: bool,
        target_text: str,
        options: Sequence[Option],
        blockers: Sequence[Change],
        limits: Sequence[str],
    ) -> str:
        zh = self.zh
        lang = self.lang
        res = self.res
        now = outcome_label(res.outcome, self.labels, lang)
        if res.stars is not None and res.outcome == "met":
            now += f" {res.stars} 星" if zh else f", {res.stars} stars"
        goal = (
            (f"升至 {target_text}" if self.target == "stars" else target_text)
            if zh
            else (f"reaching {target_text}" if self.target == "stars" else f"reaching '{target_text}'")
        )
        if not reachable:  # the reasons are the answer's `limits`
            return (
                f"当前{now}；本评价年度无法{goal}"
                if zh
                else f"now {now}; no way to {goal.replace('reaching', 'reach')} this year"
            )
        first = options[0]
        n = len(first.changes)
        ids = "、".join(c.id for c in first.changes) if zh else ", ".join(c.id for c in first.changes)
        after = first.outcome_label + (
            f" {first.stars} 星"
            if zh and first.stars is not None
            else (f", {first.stars} stars" if first.stars is not None else "")
        )
        alt = len(options) - 1
        if self.target == "decided":
            facts = listing(fact_names(self.cs, res.facts_to_verify, lang), lang)
            if zh:
                return f"当前{now}：需补充事实 {facts}；若核实后 {ids} 通过：{after}"
            return f"now {now}: supply the facts {facts}; if {ids} then pass{'es' if n == 1 else ''}: {after}".replace(
                " then pass", " pass"
            )
        if zh:
            text = f"当前{now}；{goal}至少需改变 {n} 项指标：{ids}（之后为 {after}）"
            if alt:
                text += f"；另有 {alt} 种同样最少的组合"
        else:
            text = f"now {now}; {goal} takes at least {n} indicator change{'s' if n != 1 else ''}: {ids} (then {after})"
            if alt:
                text += f"; {alt} other equally small set{'s' if alt != 1 else ''}"
        return text

    def answer(
        self,
        *,
        reachable: bool,
        target_text: str,
        summary: str,
        size: int | None = None,
        options: Sequence[Option] = (),
        more: int = 0,
        blockers: Sequence[Change] = (),
        limits: Sequence[str] = (),
    ) -> NextStar:
        res = self.res
        return NextStar(
            lang=self.lang,
            standard=res.standard,
            branch=res.branch,
            year=res.year,
            outcome=res.outcome,
            outcome_label=outcome_label(res.outcome, self.labels, self.lang),
            stars=res.stars,
            score=res.score,
            target=self.target,
            target_stars=self.target_stars,
            target_text=target_text,
            reachable=reachable,
            size=size,
            options=tuple(options),
            more_options=max(more, 0),
            blockers=tuple(blockers),
            limits=tuple(limits),
            facts_to_supply=tuple(res.facts_to_verify),
            searched=self.evals,
            exhaustive=self.exhaustive,
            summary=summary,
        )


__all__ = ["next_star", "next_star_session", "NextStar", "Option", "Change", "upper_bound"]
