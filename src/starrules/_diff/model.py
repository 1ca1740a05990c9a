"""What changed between two standards (:class:`StandardDiff`) and for whom (:class:`Impact`).

Pydantic models with stable JSON, like the result contract.  ``old``/``new`` values are
JSON-ready (numbers stay exact inside and print as JSON numbers); a field that does not
exist on one side is ``None``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from .._evaluate.result import AnyValue, Num, Texts, _Model

Change = Literal["added", "removed", "changed"]
#: how a rewritten expression relates to the old one (docs/diff.md "Equivalent rules")
Equivalence = Literal["syntax", "parameters"]
#: which way a parameter or kind change moves the standard
Direction = Literal["tighter", "looser", "mixed", "unordered"]


class StandardRef(_Model):
    id: str
    family: str
    version: str
    title: str
    sha256: str
    effective_from: date
    effective_to: date | None
    layers: tuple[str, ...] = Field(default=(), description="ids of the files it is built from, base first")
    labels: dict[str, str] = Field(default_factory=dict, description="its (Chinese) labels of the outcomes")


class FieldChange(_Model):
    """One field of an indicator, of the rating or of the standard's header."""

    field: str = Field(description="e.g. kind, rule, citation, explain.zh, stars[2], effective.to")
    old: AnyValue = None
    new: AnyValue = None
    equivalent: Equivalence | None = Field(
        default=None, description="an expression rewritten without changing its meaning: syntax or parameters")
    affects_rating: bool = Field(description="can change a status, outcome, stars or score")
    direction: Direction | None = Field(default=None, description="kind changes: star → required is tighter")
    old_layer: str | None = None
    layer: str | None = Field(default=None, description="the layer of B that set the new value")


class IndicatorChange(_Model):
    id: str
    change: Change
    dimension: str = Field(description="its dimension in B (in A when removed)")
    kind: str = Field(description="its kind in B (in A when removed)")
    title: str
    fields: tuple[FieldChange, ...] = ()
    parameters: tuple[str, ...] = Field(default=(), description="changed parameters its rule reads")
    definitions: tuple[str, ...] = Field(default=(), description="changed definitions its rule reads")
    affects_rating: bool
    text_only: bool = Field(description="changed, but only in texts or by equivalent rewrites")
    layer: str | None = Field(default=None, description="added: the layer that added it")


class DimensionChanges(_Model):
    id: str
    title: str
    indicators: tuple[IndicatorChange, ...]


class ParameterChange(_Model):
    name: str
    change: Change
    old: AnyValue = None
    new: AnyValue = None
    tighter: str = Field(description="the parameter's declared direction: higher, lower or none")
    direction: Direction | None = Field(default=None, description="changed: whether B is tighter than A")
    old_layer: str | None = None
    layer: str | None = None
    used_by: tuple[str, ...] = Field(default=(), description="indicators (and 'rating') whose rules read it")
    unit: str | None = None
    description: str | None = None


class DefinitionChange(_Model):
    name: str
    change: Change
    old: str | None = None
    new: str | None = None
    equivalent: Equivalence | None = None
    used_by: tuple[str, ...] = ()


class FactChange(_Model):
    path: str = Field(description="e.g. online_study_share, members[].training_hours")
    change: Change
    old: AnyValue = None
    new: AnyValue = None
    fields: tuple[str, ...] = Field(default=(), description="changed: which attributes of the declaration")


class StandardDiff(_Model):
    """``starrules.diff(a, b)``: every change from standard A to standard B."""

    a: StandardRef
    b: StandardRef
    equal: bool = Field(description="same content hash: the standards are the same")
    same_rules: bool = Field(description="no change that can move a rating (texts, citations, header aside)")
    header: tuple[FieldChange, ...] = ()
    dimensions: tuple[DimensionChanges, ...] = Field(default=(), description="indicator changes, per dimension")
    parameters: tuple[ParameterChange, ...] = ()
    definitions: tuple[DefinitionChange, ...] = ()
    rating: tuple[FieldChange, ...] = ()
    facts: tuple[FactChange, ...] = ()

    @property
    def indicators(self) -> tuple[IndicatorChange, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

    def indicator(self, indicator_id: str) -> IndicatorChange:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def parameter(self, name: str) -> ParameterChange:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)


# -- impact ------------------------------------------------------------------------------------

#: one cell of the transition matrix: ``met:3``, ``not_met:0``, ``pending:-``
State = str


class Rating(_Model):
    outcome: str
    outcome_label: str
    stars: int | None
    score: Num | None
    quota: Texts | None = Field(default=None, description="the quota's note, when it decided the stars")


class Flip(_Model):
    """An indicator that changed for one branch: its status, or its points, or its kind
    where the kind decides (a FAIL or UNKNOWN that became required or veto)."""

    id: str
    title: str
    dimension: str
    before: str = Field(description="status under A (— when A has no such indicator)")
    after: str = Field(description="status under B (— when B has no such indicator)")
    explanation_before: Texts | None = None
    explanation_after: Texts | None = None
    kind_before: str | None = None
    kind_after: str | None = None
    points_before: Num | None = None
    points_after: Num | None = None


class AffectedBranch(_Model):
    source: str
    branch_id: str
    name: str | None = None
    unit: str | None = None
    before: Rating
    after: Rating
    flips: tuple[Flip, ...] = ()


class Transition(_Model):
    before: State
    after: State
    count: int


class FlipCount(_Model):
    id: str
    title: str
    dimension: str
    counts: dict[str, int] = Field(description='status flips, "PASS→FAIL": n, ... (— for an indicator one side lacks)')
    total: int = Field(description="status flips in all")
    kind_changed: int = Field(default=0, description="branches for which its new kind decides (FAIL/UNKNOWN)")
    points_changed: int = Field(default=0, description="branches whose points from it changed")


class Delta(_Model):
    delta: Num | None = Field(description="score (or stars) under B minus under A; None: one side has none")
    count: int


class BrokenRow(_Model):
    source: str
    side: Literal["a", "b", "both"] = Field(description="which standard rejected it (a duplicate id: both)")
    problems: tuple[dict[str, AnyValue], ...]


class Impact(_Model):
    """``starrules.impact(a, b, facts)``: every branch rated under both standards."""

    a: StandardRef
    b: StandardRef
    branches: int = Field(description="documents read")
    rated: int = Field(description="rated under both (the rest are broken rows)")
    changed: int = Field(description="branches whose outcome, stars or score moved, or the status of an "
                                     "indicator both standards have")
    quota_applied: dict[str, bool] = Field(default_factory=dict, description="a, b: the quota applied on that side")
    states: tuple[State, ...] = Field(description="the matrix's rows and columns, in order")
    matrix: tuple[Transition, ...] = Field(description="non-empty cells of before × after")
    flips: tuple[FlipCount, ...] = ()
    score_changes: tuple[Delta, ...] = ()
    star_changes: tuple[Delta, ...] = ()
    affected: tuple[AffectedBranch, ...] = Field(default=(), description="the first affected branches, in input order")
    affected_truncated: int = Field(default=0, description="affected branches not listed (limit reached)")
    broken: tuple[BrokenRow, ...] = ()
    broken_truncated: int = 0

    def cell(self, before: State, after: State) -> int:
        for t in self.matrix:
            if t.before == before and t.after == after:
                return t.count
        return 0


def state(outcome: str, stars: int | None) -> State:
    return f"{outcome}:{'-' if stars is None else stars}"


STATES: tuple[State, ...] = tuple(state("met", s) for s in range(5, -1, -1)) + (state("not_met", 0),
                                                                                state("pending", None))

__all__ = [
    "STATES",
    "AffectedBranch",
    "BrokenRow",
    "DefinitionChange",
    "Delta",
    "DimensionChanges",
    "FactChange",
    "FieldChange",
    "Flip",
    "FlipCount",
    "Impact",
    "IndicatorChange",
    "ParameterChange",
    "Rating",
    "StandardDiff",
    "StandardRef",
    "Transition",
    "state",
]
