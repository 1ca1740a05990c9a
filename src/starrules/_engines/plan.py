"""A CompiledStandard as a durable_rules ruleset, and the derived facts a branch asserts.

Pure Python: nothing here imports durable_rules, so the plan can be built and inspected
(and its rules tested for shape) without the C extension.

Division of labour (docs/engines.md):

* The shared compiler computes the **value** of every rule-language expression: each
  indicator's applicability, its rule (boolean kinds) or its points (point kinds, after the
  kind's own clipping and cap), and any term of the declared rating conditions that is not a
  plain ``failed(...)``/``unknown(...)`` call.  These become derived facts (``t: "ind"``,
  ``t: "term"``); Rete cannot aggregate over records, cover calendars or do date arithmetic.
* Rules firing in durable_rules make every **decision**: the status of each indicator from
  those values according to its kind; the flags of the rating conditions
  (``failed(kinds)``/``unknown(kinds)`` match status facts directly); the outcome
  (not_met / pending / met) with Kleene semantics for unknown conditions; which dimensions
  are lit; and whether a ``met`` branch whose declared star steps came out unknown becomes
  ``pending``.

Fact types asserted into one branch's session (all carry the session's ``sid``):

======== ============================================= =====================================
``t``    asserted by                                   fields
======== ============================================= =====================================
ind      the engine (derived), phase 1                 id kind dim applies form value pk p gap
status   indicator-status rules (chained)              id kind dim status
flag     condition rules (chained)                     e (not_met/pending) v (true/unknown) i by
term     the engine (derived), phase 2                 e i v (true/false/unknown)
lit      the engine, phase 2 (a phase marker)          -
decide   the engine, phase 2 (a phase marker)          -
stars    the engine (derived), phase 3                 v (known/unknown)
======== ============================================= =====================================
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._compile.standard import CompiledExpr, CompiledIndicator, CompiledStandard
from .._errors import EvaluationError
from .._evaluate.rating_builtins import KIND_NAMES
from .._lang import UNKNOWN, Env, analyze, compile_analysis
from .._lang import ast as A

Fn = Callable[[Any], Any]
Action = Callable[[Any], None]

#: The fact types; each is matched by at least one rule (the sink rule), so that asserting
#: one never raises durable_rules' MessageNotHandledException.
FACT_TYPES = ("ind", "status", "flag", "term", "lit", "decide", "stars")
CONDITIONS = ("not_met", "pending")
TRUTH = {True: "true", False: "false"}


def truth(value: Any) -> str:
    """A three-valued rule-language value as a Rete string: true / false / unknown."""
    if value is True or value is False:
        return TRUTH[value]
    return "unknown"


def rete_number(value: Any) -> float:
    """An exact number (int, Decimal, Fraction) as the double durable_rules compares, keeping
    its sign even where the double would underflow to 0 (the rules only test the sign of
    points and of the distance of a score to its maximum)."""
    f = float(value)
    if f == 0.0 and value != 0:
        f = math.copysign(5e-324, 1 if value > 0 else -1)
    return f


# -- the rating conditions -----------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One disjunct of a declared rating condition (``not_met`` or ``pending``).

    ``func`` is ``"failed"``/``"unknown"`` for a call that Rete matches against status facts
    (``kinds`` its arguments); ``None`` for any other expression, whose value the shared
    compiler computes (``fn``) and asserts as a ``term`` fact."""

    condition: str
    index: int
    text: str
    func: str | None
    kinds: tuple[str, ...] = ()
    fn: Fn | None = None


def _disjuncts(node: A.Expr) -> list[A.Expr]:
    if isinstance(node, A.Binary) and node.op == "or":
        return _disjuncts(node.left) + _disjuncts(node.right)
    return [node]


def _builtin_kinds(node: A.Expr) -> tuple[str, tuple[str, ...]] | None:
    # only calls naming kinds are matched by Rete; a call scoped to dimensions or indicators
    # (failed("score", "L3")) is computed by the shared compiler like any other term
    if (isinstance(node, A.Call) and node.func in ("failed", "unknown") and node.binder is None and node.args
            and all(isinstance(a, A.Literal) and a.value in KIND_NAMES for a in node.args)):
        return node.func, tuple(a.value for a in node.args)  # type: ignore[misc]
    return None


def condition_terms(condition: str, ce: CompiledExpr) -> tuple[Term, ...]:
    """``a or b or c`` -> its terms, in the order the native evaluator short-circuits them."""
    terms = []
    for i, node in enumerate(_disjuncts(ce.analysis.root)):
        builtin = _builtin_kinds(node)
        text = node.text or ce.text
        if builtin is not None:
            terms.append(Term(condition, i, text, builtin[0], builtin[1]))
        else:
            sub = analyze(node, ce.analysis.scope) if node is not ce.analysis.root else ce.analysis
            terms.append(Term(condition, i, text, None, (), compile_analysis(sub, None)))
    return tuple(terms)


# -- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the durable backend needs of one compiled standard."""

    name: str  # the ruleset name: standard id + content hash prefix (unique per host)
    standard_id: str
    sha256: str
    indicator_ids: tuple[str, ...]
    dimensions: tuple[str, ...]
    terms: tuple[Term, ...]

    @property
    def opaque_terms(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.func is None)

    def definition(self, actions: Actions) -> dict[str, Any]:
        """A fresh ruleset definition (durable_rules mutates the dict it is given)."""
        return {self.name: ruleset_rules(self, actions)}


def build_plan(cs: CompiledStandard) -> Plan:
    terms = condition_terms("not_met", cs.rating.not_met) + condition_terms("pending", cs.rating.pending)
    safe_id = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in cs.id)
    return Plan(
        name=f"starrules-{safe_id}-{cs.sha256[:16]}",
        standard_id=cs.id,
        sha256=cs.sha256,
        indicator_ids=tuple(ci.id for ci in cs.indicators),
        dimensions=tuple(cs.dimension_ids),
        terms=terms,
    )


class Actions:
    """The Python callbacks the rules run (supplied by the runtime, which knows the sessions).

    Each is a factory returning a durable_rules action ``fn(c)``."""

    def status(self, status: str, with_points: bool) -> Action:  # pragma: no cover - interface
        raise NotImplementedError

    def flag(self, condition: str | None, index: int | None, value: str) -> Action:  # pragma: no cover
        raise NotImplementedError

    def lit(self) -> Action:  # pragma: no cover
        raise NotImplementedError

    def outcome(self, outcome: str) -> Action:  # pragma: no cover
        raise NotImplementedError

    def final(self, outcome: str) -> Action:  # pragma: no cover
        raise NotImplementedError

    def never(self) -> Action:  # pragma: no cover
        raise NotImplementedError


def _and(*tests: dict[str, Any]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$and": list(tests)}


def _or(*tests: dict[str, Any]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$or": list(tests)}


def _one(pattern: dict[str, Any], run: Action) -> dict[str, Any]:
    return {"all": [{"m": pattern}], "run": run}


def ruleset_rules(plan: Plan, actions: Actions) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    ind = {"t": "ind"}
    applies = {"applies": "true"}
    rule_form = {"form": "rule"}
    pts_form = {"form": "points"}
    known = {"pk": "known"}

    # 1. indicator status, per kind (reference-standard.md §2, score-standard.md "Kinds")
    rules["status_na"] = _one(_and(ind, {"applies": "false"}), actions.status("NA", False))
    rules["status_applies_unknown"] = _one(_and(ind, {"applies": "unknown"}), actions.status("UNKNOWN", False))
    rules["status_rule_pass"] = _one(_and(ind, applies, rule_form, {"value": "true"}), actions.status("PASS", False))
    rules["status_rule_fail"] = _one(_and(ind, applies, rule_form, {"value": "false"}), actions.status("FAIL", False))
    rules["status_rule_unknown"] = _one(_and(ind, applies, rule_form, {"value": "unknown"}),
                                        actions.status("UNKNOWN", False))
    rules["status_points_unknown"] = _one(_and(ind, applies, pts_form, {"pk": "unknown"}),
                                          actions.status("UNKNOWN", False))
    score = {"kind": "score"}
    rules["status_score_pass"] = _one(_and(ind, applies, pts_form, score, known, {"gap": 0}),
                                      actions.status("PASS", True))
    rules["status_score_fail"] = _one(
        _and(ind, applies, pts_form, score, known, _or({"$gt": {"gap": 0}}, {"$nex": {"gap": 1}})),
        actions.status("FAIL", True))
    bonus = {"kind": "bonus"}
    rules["status_bonus_pass"] = _one(_and(ind, applies, pts_form, bonus, known, {"$gt": {"p": 0}}),
                                      actions.status("PASS", True))
    rules["status_bonus_na"] = _one(_and(ind, applies, pts_form, bonus, known, {"$lte": {"p": 0}}),
                                    actions.status("NA", True))
    other = _and({"$neq": {"kind": "bonus"}}, {"$neq": {"kind": "score"}})  # deduction
    rules["status_deduction_fail"] = _one(_and(ind, applies, pts_form, other, known, {"$gt": {"p": 0}}),
                                          actions.status("FAIL", True))
    rules["status_deduction_pass"] = _one(_and(ind, applies, pts_form, other, known, {"$lte": {"p": 0}}),
                                          actions.status("PASS", True))

    # 2. the rating conditions: failed(kinds) / unknown(kinds) match status facts directly
    for term in plan.terms:
        if term.func is None:
            continue
        status = "FAIL" if term.func == "failed" else "UNKNOWN"
        rules[f"flag_{term.condition}_{term.index}"] = _one(
            _and({"t": "status"}, {"status": status}, _or(*({"kind": k} for k in term.kinds))),
            actions.flag(term.condition, term.index, "true"))
    # ... and the other terms arrive as derived `term` facts
    rules["flag_term_true"] = _one(_and({"t": "term"}, {"v": "true"}), actions.flag(None, None, "true"))
    rules["flag_term_unknown"] = _one(_and({"t": "term"}, {"v": "unknown"}), actions.flag(None, None, "unknown"))

    # 3. lit dimensions: a PASS star and no FAIL/UNKNOWN star in the same dimension
    rules["lit"] = {"all": [
        {"p": {"t": "lit"}},
        {"s": _and({"t": "status"}, {"kind": "star"}, {"status": "PASS"})},
        {"x$not": _and({"t": "status"}, {"kind": "star"}, {"dim": {"s": "dim"}},
                       _or({"status": "FAIL"}, {"status": "UNKNOWN"}))},
    ], "run": actions.lit()}

    # 4. outcome: not_met if its condition is true; else pending if any condition is true or
    #    unknown (Kleene: an unknown not_met is pending); else met
    not_met_true = _and({"t": "flag"}, {"e": "not_met"}, {"v": "true"})
    rules["outcome_not_met"] = {"all": [{"d": {"t": "decide"}}, {"f": not_met_true}],
                                "run": actions.outcome("not_met")}
    rules["outcome_pending"] = {"all": [{"d": {"t": "decide"}}, {"x$not": not_met_true}, {"f": {"t": "flag"}}],
                                "run": actions.outcome("pending")}
    rules["outcome_met"] = {"all": [{"d": {"t": "decide"}}, {"x$not": {"t": "flag"}}],
                            "run": actions.outcome("met")}

    # 5. a met branch whose declared star steps are unknown is pending
    rules["stars_known"] = _one(_and({"t": "stars"}, {"v": "known"}), actions.final("met"))
    rules["stars_unknown"] = _one(_and({"t": "stars"}, {"v": "unknown"}), actions.final("pending"))

    # every fact type is handled by some rule (else durable_rules raises MessageNotHandled)
    rules["sink"] = {"all": [{"a": _or(*({"t": t} for t in FACT_TYPES))}, {"b": {"t": "-never-"}}],
                     "run": actions.never()}
    return rules


# -- derived facts ---------------------------------------------------------------------------


def indicator_fact(ci: CompiledIndicator, env: Env, run: Callable[[Fn, Env, str], Any]) -> tuple[dict[str, Any], Any]:
    """The derived fact of one indicator (the values its decision needs) and its exact points
    (after the kind's clipping and cap; 0 where it has none).  ``run`` is the native
    evaluator's closure runner, so a rule error is the same EvaluationError."""
    spec = ci.spec
    fact: dict[str, Any] = {"t": "ind", "iid": spec.id, "kind": spec.kind, "dim": spec.dimension}
    try:
        return _indicator_fact(ci, env, run, fact)
    except EvaluationError as err:
        if err.problems[0].params.get("cause") != "rule-division-by-zero":
            raise
        # as the native evaluator: a division by zero makes the indicator UNKNOWN
        fact.clear()
        fact.update({"t": "ind", "iid": spec.id, "kind": spec.kind, "dim": spec.dimension, "applies": "unknown"})
        return fact, 0


def _indicator_fact(ci: CompiledIndicator, env: Env, run: Callable[[Fn, Env, str], Any],
                    fact: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    spec = ci.spec
    if ci.applies is not None:
        applies = run(ci.applies.fn, env, spec.id)
        if applies is not True:
            fact["applies"] = truth(applies)
            return fact, 0
    fact["applies"] = "true"
    if ci.rule is not None:
        fact["form"] = "rule"
        fact["value"] = truth(run(ci.rule.fn, env, spec.id))
        return fact, 0
    assert ci.points is not None
    fact["form"] = "points"
    points = run(ci.points.fn, env, spec.id)
    if points is UNKNOWN:
        fact["pk"] = "unknown"
        return fact, 0
    if spec.kind == "score":
        maximum = spec.max_points
        points = max(points, 0)
        if maximum is not None and points > maximum:
            points = maximum
        if maximum is not None:
            fact["gap"] = rete_number(maximum - points)
    else:
        if spec.cap is not None and points > spec.cap:
            points = spec.cap
        points = max(points, 0)
    fact["pk"] = "known"
    fact["p"] = rete_number(points)
    return fact, points

