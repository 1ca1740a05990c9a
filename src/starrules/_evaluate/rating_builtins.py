"""Rating building blocks: the functions a standard's ``rating:`` expressions call.

They read the indicator statuses of the branch being rated (a :class:`Board`), so the rule
that turns indicator results into outcome, stars and score is declared data in the
standard file, not code (decisions.md: "the rating is data from the start").

=================  ===============================================================
``failed(k, ...)``  true if any indicator of these kinds is FAIL
``unknown(k, ...)`` true if any indicator of these kinds is UNKNOWN
``points(k)``       sum of the points of the indicators of kind k (UNKNOWN counts 0)
``points(k, dim)``  the same within one dimension
``lit(dim)``        dimension lit: no applicable star indicator FAIL or UNKNOWN, one PASS
``lit_count()``     number of lit dimensions
``cap_limit()``     the smallest ``cap`` of the FAILed cap indicators (5 when none)
``band(x, $b)``     stars of the first band (highest first) whose min <= x
``status(id)``      the status of one indicator, as text
=================  ===============================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .._standard.model import KINDS

MAX_STARS = 5


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    kind: str
    dimension: str
    status: str
    points: Any
    cap: Any


class Board:
    """The indicator results of one branch, indexed for the rating builtins."""

    __slots__ = ("rows", "by_id", "dimensions", "_lit")

    def __init__(self, rows: Sequence[Row], dimensions: Sequence[str]) -> None:
        self.rows = rows
        self.by_id = {r.id: r for r in rows}
        self.dimensions = dimensions
        self._lit: dict[str, bool] | None = None

    def failed(self, *kinds: str) -> bool:
        return any(r.status == "FAIL" and r.kind in kinds for r in self.rows)

    def unknown(self, *kinds: str) -> bool:
        return any(r.status == "UNKNOWN" and r.kind in kinds for r in self.rows)

    def points(self, kind: str, dimension: str | None = None) -> Any:
        total: Any = 0
        for r in self.rows:
            if r.kind == kind and (dimension is None or r.dimension == dimension):
                total = total + r.points
        return total

    def lit_map(self) -> dict[str, bool]:
        if self._lit is None:
            lit: dict[str, bool] = {}
            for dim in self.dimensions:
                statuses = [r.status for r in self.rows if r.dimension == dim and r.kind == "star"]
                lit[dim] = "PASS" in statuses and "FAIL" not in statuses and "UNKNOWN" not in statuses
            self._lit = lit
        return self._lit

    def lit(self, dimension: str) -> bool:
        return self.lit_map().get(dimension, False)

    def lit_count(self) -> int:
        return sum(self.lit_map().values())

    def cap_limit(self) -> Any:
        caps = [r.cap for r in self.rows if r.kind == "cap" and r.status == "FAIL" and r.cap is not None]
        return min(caps) if caps else MAX_STARS

    def status(self, indicator: str) -> str:
        return self.by_id[indicator].status


def band(value: Any, bands: Sequence[tuple[Any, int]]) -> int:
    """Stars of the first band (sorted by min, highest first) whose min <= value; 0 if none."""
    for minimum, stars in bands:
        if value >= minimum:
            return stars
    return 0


KIND_NAMES = frozenset(KINDS)
