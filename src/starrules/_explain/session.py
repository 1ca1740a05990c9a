"""One branch re-evaluated for explanation: the result, an Env for traced re-runs, re-rating.

``open_session`` evaluates the facts exactly as :func:`starrules.evaluate` does and keeps
what explain and next-star need: the validated facts, an :class:`Env` whose definition
cache the fully traced closures share, and :func:`rerate`, which turns a set of indicator
statuses into outcome, stars and score through the standard's own ``rating:`` expressions
(the same steps as ``_evaluate.evaluate._rate``, without building a Result).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .._compile.standard import CompiledExpr, CompiledIndicator, CompiledStandard
from .._evaluate.evaluate import evaluate_facts, facts_hash
from .._evaluate.rating import rate_board, run
from .._evaluate.rating_builtins import Board, Row
from .._evaluate.result import Result
from .._facts.validate import ValidatedFacts
from .._lang import Env, TraceEntry
from .._yaml import Positions


@dataclass
class Session:
    standard: Any  # starrules.Standard
    doc: Any
    vf: ValidatedFacts
    result: Result
    env: Env

    @property
    def cs(self) -> CompiledStandard:
        return self.standard.compiled

    def indicator(self, indicator_id: str) -> CompiledIndicator:
        for ci in self.cs.indicators:
            if ci.id == indicator_id:
                return ci
        raise KeyError(indicator_id)

    def rows(self) -> list[Row]:
        """The indicator statuses of the result, as the rating builtins read them."""
        by_id = {ci.id: ci for ci in self.cs.indicators}
        return [
            Row(r.id, r.kind, r.dimension, r.status, r.points, by_id[r.id].spec.cap) for r in self.result.indicators
        ]

    def traced(self, ce: CompiledExpr, name: str) -> tuple[Any, list[TraceEntry]]:
        """Run ``ce`` fully traced: its value and an entry per node evaluation."""
        trace: list[TraceEntry] = []
        self.env.trace = trace
        value = run(ce.full(), self.env, name)
        self.env.trace = []
        return value, trace


def open_session(standard: Any, facts: Any, *, standards_dirs: Sequence[str | Path] = (),
                 positions: Positions | None = None, file: str | None = None) -> Session:
    """``positions`` and ``file`` locate the problems of ``facts`` given as a parsed document
    (a path brings its own)."""
    from .. import _api

    if isinstance(facts, (str, Path)):
        doc, positions, file = _api.read_document(facts)
    else:
        doc = facts
    if not isinstance(standard, _api.Standard):
        standard = _api.load_for_year(standard, doc, file, standards_dirs)
    cs = standard.compiled
    vf = cs.validator.validate(doc, file=file, positions=positions)
    result = evaluate_facts(cs, vf, facts_sha256=facts_hash(doc, file))
    return Session(standard, doc, vf, result, Env(vf.values, vf.year, {}, []))


@dataclass
class Rated:
    """Outcome, stars and score of one set of indicator statuses (``traces`` when traced)."""

    outcome: str
    stars: int | None
    score: Any
    values: dict[str, Any]
    board: Board
    not_met: Any = None
    pending: Any = None
    steps: list[tuple[Any, Any]] = field(default_factory=list)  # (value, stars before the step)
    traces: dict[str, list[TraceEntry]] = field(default_factory=dict)


def rerate(cs: CompiledStandard, env: Env, rows: Sequence[Row], *, traced: bool = False) -> Rated:
    """Rate ``rows`` with the standard's declared rating (the evaluator's own rate_board)."""
    board = Board(list(rows), cs.dimension_ids)
    traces: dict[str, list[TraceEntry]] = {}

    def ev(ce: CompiledExpr, name: str) -> Any:
        if not traced:
            return run(ce.fn, env, name)
        trace: list[TraceEntry] = []
        env.trace = trace
        try:
            return run(ce.full(), env, name)
        finally:
            env.trace = []
            traces[name] = trace

    r = rate_board(cs, env, board, runner=ev)
    steps = [(after, before) for _ce, _step, before, after in r.steps]
    return Rated(r.outcome, r.stars, r.score, r.values, board, r.not_met, r.pending, steps, traces)
