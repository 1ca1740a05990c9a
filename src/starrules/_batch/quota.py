"""The population rule of a standard's ``rating.quota`` (score-standard.md, rating step 5).

At most ``max(minimum, floor(share × N))`` of the ``N`` branches rated together keep the
quota's star level (N counts every rated branch: met, not_met or pending; a rejected
document is not rated).  When more qualify they are ranked by the declared ``rank_by``
keys (e.g. ``S desc``, ``review_score desc``, ``branch.id asc``; input order last), and the
rest become ``demote_to`` stars.  A single evaluation never applies it.

Workers compute each candidate's rank key (:func:`rank_key`, from the branch's validated
facts and its rating values); the parent keeps only those keys (:class:`Ranking`) and
decides after the pass (:meth:`Ranking.decide`).
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pydantic_core

from .._api import Standard
from .._compile.standard import BOARD, CompiledExpr, CompiledStandard
from .._errors import EvaluationError, Problem
from .._evaluate.rating_builtins import Board
from .._evaluate.rating_builtins import Row as BoardRow
from .._evaluate.result import QuotaInfo, Result, Texts
from .._facts.validate import ValidatedFacts
from .._lang import UNKNOWN, Env
from .._lang.errors import EvaluationError as RuleEvaluationError


@dataclass(frozen=True)
class QuotaRule:
    standard: str
    stars: int
    demote_to: int
    minimum: int
    share: Any  # exact number
    rank_by: tuple[str, ...]  # as written, e.g. "S desc"
    descending: tuple[bool, ...]

    def limit(self, rated: int) -> int:
        """How many may keep the star level among ``rated`` branches."""
        return max(self.minimum, math.floor(Fraction(self.share) * rated))


def rule_of(standard: Standard) -> QuotaRule | None:
    """The standard's quota, its share evaluated (a population constant, e.g. ``$five_star_quota``)."""
    cs = standard.compiled
    q = cs.resolved.rating.quota
    share_expr = cs.rating.quota_share
    if q is None or share_expr is None:
        return None
    try:
        share = share_expr.fn(Env({}, 0))
    except RuleEvaluationError as err:
        raise EvaluationError(Problem("eval-error", {"indicator": "rating.quota.share",
                                                     "detail": err.render("en")})) from None
    if share is UNKNOWN or isinstance(share, bool) or not isinstance(share, (int, Decimal, Fraction)):
        raise EvaluationError(Problem("eval-error", {"indicator": "rating.quota.share",
                                                     "detail": f"the share must be a known number, not {share!r}"}))
    return QuotaRule(
        standard=cs.id, stars=q.stars, demote_to=q.demote_to, minimum=q.minimum, share=share,
        rank_by=tuple(src.text.strip() for src in q.rank_by),
        descending=tuple(desc for _, desc in cs.rating.quota_rank),
    )


# -- worker side -------------------------------------------------------------------------------


def _key_value(value: Any) -> Any:
    if value is UNKNOWN or value is None:
        return None
    if isinstance(value, Decimal):
        return Fraction(value)
    return value


def rank_key(cs: CompiledStandard, vf: ValidatedFacts, result: Result) -> tuple[Any, ...] | None:
    """The quota rank key of a branch at the quota's star level (None for the others)."""
    return quota_keys(cs, vf, result)[0]


def quota_keys(cs: CompiledStandard, vf: ValidatedFacts, result: Result) -> tuple[tuple[Any, ...] | None, Any]:
    """``(rank key, scope)`` of a branch: its rank key at the quota's star level (None for the
    others) and the value of ``rating.quota.scope`` (None without a scope; an unknown scope
    is its own group, ``"?"``).

    The ``rank_by`` and ``scope`` expressions are compiled in the rating's scope, so they see
    the branch's facts, its rating values (``S``...) and the rating builtins: the Env of the
    evaluation is re-created from the validated facts and the result."""
    q = cs.resolved.rating.quota
    if q is None:
        return None, None
    candidate = result.stars == q.stars and bool(cs.rating.quota_rank)
    if not candidate and cs.rating.quota_scope is None:
        return None, None
    rows = [BoardRow(r.id, r.kind, r.dimension, r.status, r.points, ci.spec.cap)
            for r, ci in zip(result.indicators, cs.indicators)]
    values: dict[str, Any] = {BOARD: Board(rows, cs.dimension_ids), "stars": result.stars}
    for name, _ in cs.rating.values:
        v = result.rating_values.get(name)
        values[name] = UNKNOWN if v is None else v
    env = Env(vf.values, vf.year, values)
    scope = None
    if cs.rating.quota_scope is not None:
        got = _run(cs.rating.quota_scope, env)
        scope = UNKNOWN_SCOPE if got is UNKNOWN or got is None else _key_value(got)
    if not candidate:
        return None, scope
    key = []
    for ce, _desc in cs.rating.quota_rank:
        key.append(_key_value(_run(ce, env)))
    return tuple(key), scope


#: the scope of a branch whose ``rating.quota.scope`` is unknown: ranked with the others like it
UNKNOWN_SCOPE = "?"


def _run(ce: CompiledExpr, env: Env) -> Any:
    try:
        return ce.fn(env)
    except RuleEvaluationError:
        return UNKNOWN  # ranks last


# -- parent side -------------------------------------------------------------------------------


@dataclass
class Ranking:
    """The branches rated against one standard with a quota: their count and, for those at
    the quota's star level, ``(rank key, index)``."""

    rule: QuotaRule
    scope: Any = None  # the value of the quota's scope these branches share (None: the whole batch)
    rated: int = 0
    candidates: list[tuple[tuple[Any, ...], int]] = field(default_factory=list)

    def add(self, index: int, key: tuple[Any, ...] | None) -> None:
        self.rated += 1
        if key is not None:
            self.candidates.append((key, index))

    def decide(self) -> dict[int, int]:
        """index -> rank (1-based) of every candidate; see :meth:`outcome`."""
        order = sorted(self.candidates, key=functools.cmp_to_key(self._compare))
        return {index: rank for rank, (_, index) in enumerate(order, start=1)}

    def outcome(self, rank: int) -> tuple[int, QuotaInfo]:
        """The stars and the QuotaInfo of the candidate at ``rank`` (built when written, so
        that only ranks wait in memory)."""
        rule, limit = self.rule, self.limit
        kept = min(limit, len(self.candidates))
        demoted = rank > limit
        return (rule.demote_to if demoted else rule.stars, QuotaInfo(
            applied=True, demoted=demoted, rank=rank, kept=kept, rated=self.rated,
            note=_note(rule, demoted, rank, kept, limit, len(self.candidates), self.rated, self.scope)))

    @property
    def limit(self) -> int:
        return self.rule.limit(self.rated)

    @property
    def demoted(self) -> int:
        return max(0, len(self.candidates) - self.limit)

    def _compare(self, a: tuple[tuple[Any, ...], int], b: tuple[tuple[Any, ...], int]) -> int:
        for x, y, desc in zip(a[0], b[0], self.rule.descending):
            if x == y:
                continue
            if x is None:  # unknown ranks last whatever the direction
                return 1
            if y is None:
                return -1
            try:
                less = x < y
            except TypeError:
                less = str(x) < str(y)
            return (1 if less else -1) if desc else (-1 if less else 1)
        return a[1] - b[1]


def _note(rule: QuotaRule, demoted: bool, rank: int, kept: int, limit: int, candidates: int, rated: int,
          scope: Any = None) -> Texts:
    order = ", ".join(rule.rank_by)
    s, d = rule.stars, rule.demote_to
    if scope is not None:  # "同批评定" / "rated together" then means: within this scope
        within_zh, within_en = f"（{scope}）", f" ({scope})"
    else:
        within_zh = within_en = ""
    if demoted:
        return Texts(
            zh=f"受名额限制由 {s} 星降为 {d} 星：同批评定{within_zh} {rated} 个支部，{s} 星名额 {limit} 个；"
               f"本支部在 {candidates} 个 {s} 星支部中排第 {rank} 名（排序：{order}），"
               f"保留 {kept} 个。",
            en=f"Demoted by the quota from {s} to {d} stars: {rated} branches rated together{within_en}, at most {limit} "
               f"keep {s} stars; this branch ranks {rank} of {candidates} at {s} stars (ranked by {order}), "
               f"{kept} kept.")
    return Texts(
        zh=f"名额限制已应用：同批评定{within_zh} {rated} 个支部，{s} 星名额 {limit} 个；本支部在 {candidates} 个 {s} 星支部中"
           f"排第 {rank} 名（排序：{order}），保留 {s} 星（共保留 {kept} 个）。",
        en=f"Quota applied: {rated} branches rated together{within_en}, at most {limit} keep {s} stars; this branch ranks "
           f"{rank} of {candidates} at {s} stars (ranked by {order}) and keeps them ({kept} kept).")


# -- applying a decision -------------------------------------------------------------------------


def apply_to_result(result: Result, stars: int, info: QuotaInfo) -> Result:
    return result.model_copy(update={"stars": stars, "quota": info})


def apply_to_line(line: bytes, stars: int, info: QuotaInfo) -> bytes:
    """The same change on an OUT line (``{"source": ..., "result": {...}}``); serialised by
    pydantic-core like the rest of the line, so numbers keep their form (the line equals
    the changed result's ``model_dump_json()``)."""
    obj = json.loads(line)
    result = obj["result"]
    result["stars"] = stars
    result["quota"] = info.model_dump(mode="json")
    return pydantic_core.to_json(obj)
