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

from typing import Any, NamedTuple, Sequence

from .._standard.model import KINDS

MAX_STARS = 5


class Row(NamedTuple):
    id: str
    kind: str
    dimension: str
    status: str
    points: Any
    cap: Any


class BoardIndex:
    """Where the rows of each kind, and the star rows of each dimension, are (positions in
    row order).  The same for every branch of a standard, so the evaluator computes it once
    per compiled standard; a Board built without one indexes its own rows."""

    __slots__ = ("by_kind", "stars_by_dim", "size")

    def __init__(self, kinds: Sequence[str], dims: Sequence[str], dimensions: Sequence[str]) -> None:
        by_kind: dict[str, list[int]] = {}
        for i, k in enumerate(kinds):
            by_kind.setdefault(k, []).append(i)
        self.by_kind = {k: tuple(v) for k, v in by_kind.items()}
        self.stars_by_dim = {d: tuple(i for i, (k, dd) in enumerate(zip(kinds, dims)) if k == "star" and dd == d)
                             for d in dimensions}
        self.size = len(kinds)

    @classmethod
    def of_rows(cls, rows: Sequence[Row], dimensions: Sequence[str]) -> BoardIndex:
        return cls([r.kind for r in rows], [r.dimension for r in rows], dimensions)


class Board:
    """The indicator results of one branch, indexed for the rating builtins."""

    __slots__ = ("rows", "dimensions", "_lit", "_index", "_by_id")

    def __init__(self, rows: Sequence[Row], dimensions: Sequence[str], index: BoardIndex | None = None) -> None:
        self.rows = rows
        self.dimensions = dimensions
        self._lit: dict[str, bool] | None = None
        self._index = index if index is not None and index.size == len(rows) else None
        self._by_id: dict[str, Row] | None = None

    @property
    def by_id(self) -> dict[str, Row]:
        if self._by_id is None:
            self._by_id = {r.id: r for r in self.rows}
        return self._by_id

    @property
    def index(self) -> BoardIndex:
        idx = self._index
        if idx is None:
            idx = self._index = BoardIndex.of_rows(self.rows, self.dimensions)
        return idx

    def _any(self, status: str, kinds: tuple[str, ...]) -> bool:
        rows = self.rows
        by_kind = self.index.by_kind
        for k in kinds:
            for i in by_kind.get(k, ()):
                if rows[i].status == status:
                    return True
        return False

    def failed(self, *kinds: str) -> bool:
        return self._any("FAIL", kinds)

    def unknown(self, *kinds: str) -> bool:
        return self._any("UNKNOWN", kinds)

    def points(self, kind: str, dimension: str | None = None) -> Any:
        rows = self.rows
        total: Any = 0
        for i in self.index.by_kind.get(kind, ()):
            r = rows[i]
            if dimension is None or r.dimension == dimension:
                total = total + r.points
        return total

    def lit_map(self) -> dict[str, bool]:
        if self._lit is None:
            rows = self.rows
            stars_by_dim = self.index.stars_by_dim
            lit: dict[str, bool] = {}
            for dim in self.dimensions:
                pos = stars_by_dim.get(dim)
                if pos is None:
                    statuses = [r.status for r in rows if r.dimension == dim and r.kind == "star"]
                else:
                    statuses = [rows[i].status for i in pos]
                lit[dim] = "PASS" in statuses and "FAIL" not in statuses and "UNKNOWN" not in statuses
            self._lit = lit
        return self._lit

    def lit(self, dimension: str) -> bool:
        return self.lit_map().get(dimension, False)

    def lit_count(self) -> int:
        return sum(self.lit_map().values())

    def cap_limit(self) -> Any:
        rows = self.rows
        caps = [rows[i].cap for i in self.index.by_kind.get("cap", ())
                if rows[i].status == "FAIL" and rows[i].cap is not None]
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
