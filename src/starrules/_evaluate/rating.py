"""The declared rating, run once: indicator statuses (a Board) -> outcome, stars, score.

One implementation serves the evaluator (fast closures), the explain/next-star session
(fully traced closures, re-rating hypothetical statuses) and the durable_rules backend
(``decisions`` made by rules firing in the engine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .._compile.standard import BOARD, CompiledExpr, CompiledStandard
from .._errors import EvaluationError, Problem
from .._lang import Env, UNKNOWN
from .._lang.errors import EvaluationError as RuleEvaluationError
from .rating_builtins import Board

#: how to evaluate one rating expression: ``(compiled, name) -> value``
Runner = Callable[[CompiledExpr, str], Any]


def run(fn: Any, env: Env, name: str) -> Any:
    """Evaluate a compiled closure; a rule-language runtime error becomes a located EvaluationError."""
    try:
        return fn(env)
    except RuleEvaluationError as err:
        raise EvaluationError(Problem("eval-error", {"indicator": name, "detail": err.render("en"),
                                                    "cause": err.code})) from None


@dataclass
class Rating:
    outcome: str
    stars: int | None
    score: Any
    values: dict[str, Any]
    not_met: Any = None
    pending: Any = None
    # per star step: (compiled step, its declaration, stars before, stars after)
    steps: list[tuple[CompiledExpr, Any, Any, Any]] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)  # the named scores (rating.scores)
    passed: Any = None  # rating.pass: True, False, UNKNOWN, or None when there is none
    below_pass_line: bool = False  # not_met because rating.pass is false (the score stays visible)


def rate_board(cs: CompiledStandard, env: Env, board: Board, *, runner: Runner | None = None,
               decisions: Any = None) -> Rating:
    """Apply the standard's ``rating:`` to ``board``: outcome (not_met, else pending, else met),
    the named values, the star steps and the score (stars and score for ``met`` only;
    ``not_met`` has 0 stars)."""
    rating = cs.rating
    ev: Runner = runner or (lambda ce, name: run(ce.fn, env, name))
    env.values[BOARD] = board
    env.values["stars"] = 0
    # the named scores and values first: the outcome conditions may read them
    scores: dict[str, Any] = {}
    for sc in rating.scores:
        scores[sc.name] = env.values[sc.name] = ev(sc.expr, f"rating.scores.{sc.name}")
    values: dict[str, Any] = {}
    for name, ce in rating.values:
        values[name] = env.values[name] = ev(ce, f"rating.values.{name}")
    not_met = pending = passed = None
    below = False
    if decisions is not None:
        outcome = decisions.decide(board, env)
    else:
        not_met = ev(rating.not_met, "rating.not_met")
        pending = ev(rating.pending, "rating.pending")
        if not_met is True:
            outcome = "not_met"
        elif pending is True or not_met is UNKNOWN or pending is UNKNOWN:
            outcome = "pending"
        else:
            outcome = "met"
    if outcome == "met" and rating.pass_line is not None:
        passed = ev(rating.pass_line, "rating.pass")
        if passed is UNKNOWN:
            outcome = "pending"
        elif passed is False:
            outcome, below = "not_met", True
    stars: int | None = None
    score: Any = None
    steps: list[tuple[CompiledExpr, Any, Any, Any]] = []
    if below:
        stars = 0 if rating.has_stars else None
        if rating.score is not None:
            score = ev(rating.score, "rating.score")
            if score is UNKNOWN:
                score = None
    elif outcome == "met":
        current: Any = 0
        for i, (ce, step) in enumerate(rating.stars):
            before = current
            current = ev(ce, f"rating.stars[{i}]")
            env.values["stars"] = current
            steps.append((ce, step, before, current))
        if decisions is not None:
            outcome = decisions.after_stars(current)
        elif current is UNKNOWN:
            outcome = "pending"
        if outcome != "pending":
            stars = int(current) if rating.has_stars else None
            if rating.score is not None:
                score = ev(rating.score, "rating.score")
                if score is UNKNOWN:
                    score = None
    elif outcome == "not_met":
        stars = 0 if rating.has_stars else None
    return Rating(outcome, stars, score, values, not_met, pending, steps, scores, passed, below)
