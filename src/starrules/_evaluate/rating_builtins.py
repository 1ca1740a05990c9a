"""Rating building blocks: the functions a standard's ``rating:`` expressions call.

They read the indicator statuses of the branch being rated (a :class:`Board`), so the rule
that turns indicator results into outcome, stars and score is declared data in the
standard file, not code (decisions.md: "the rating is data from the start").

======================  ===============================================================
``failed(s, ...)``       true if any selected indicator is FAIL
``unknown(s, ...)``      true if any selected indicator is UNKNOWN
``points(k)``            sum of the points of the indicators of kind k (UNKNOWN counts 0)
``points(k, s, ...)``    the same within the selected dimensions / indicators
``lit(dim)``             dimension lit: no applicable star indicator FAIL or UNKNOWN, one PASS
``lit_count()``          number of lit dimensions
``cap_limit()``          the smallest ``cap`` of the FAILed cap indicators (5 when none)
``band(x, $b)``          stars of the first band (highest first) whose min <= x
``status(id)``           the status of one indicator: PASS, FAIL, NA or UNKNOWN (an enum)
======================  ===============================================================

A selector ``s`` is quoted text: a kind (``"veto"``), a dimension id (``"L3"``) or an
indicator id (``"ORG-01"``).  An indicator is selected when its kind is among the kinds
named (any kind when none is named), its dimension among the dimensions named (any when
none) and its id among the ids named (any when none): ``failed("score", "L3")`` is "a score
item of L3 failed", ``unknown("ORG-01", "ORG-02")`` "one of these two is unknown".
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from .._standard.model import KINDS

MAX_STARS = 5
KIND_NAMES = frozenset(KINDS)


class Row(NamedTuple):
    id: str
    kind: str
    dimension: str
    status: str
    points: Any
    cap: Any


class Selector(NamedTuple):
    """Which indicators a ``failed``/``unknown``/``points`` call reads (empty: any)."""

    kinds: frozenset[str]
    dims: frozenset[str]
    ids: frozenset[str]

    @property
    def kinds_only(self) -> bool:
        return not self.dims and not self.ids

    def matches(self, row: Any) -> bool:
        return ((not self.kinds or row.kind in self.kinds) and (not self.dims or row.dimension in self.dims)
                and (not self.ids or row.id in self.ids))


def selector(args: Sequence[str], dims: Sequence[str] | frozenset[str]) -> Selector:
    """Classify quoted arguments (already checked to be kinds, dimensions or indicator ids)."""
    kinds = frozenset(a for a in args if a in KIND_NAMES)
    dset = frozenset(a for a in args if a not in KIND_NAMES and a in dims)
    ids = frozenset(a for a in args if a not in KIND_NAMES and a not in dset)
    return Selector(kinds, dset, ids)


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

    def any_selected(self, status: str, sel: Selector) -> bool:
        """Any indicator chosen by ``sel`` with this status."""
        if sel.kinds_only:
            return self._any(status, tuple(sel.kinds))
        return any(r.status == status and sel.matches(r) for r in self.rows)

    def points(self, kind: str, dimension: str | None = None) -> Any:
        rows = self.rows
        total: Any = 0
        for i in self.index.by_kind.get(kind, ()):
            r = rows[i]
            if dimension is None or r.dimension == dimension:
                total = total + r.points
        return total

    def points_selected(self, sel: Selector) -> Any:
        rows = self.rows
        total: Any = 0
        for kind in sel.kinds:
            for i in self.index.by_kind.get(kind, ()):
                r = rows[i]
                if sel.matches(r):
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


STATUSES = ("PASS", "FAIL", "NA", "UNKNOWN")


def band(value: Any, bands: Sequence[tuple[Any, int]]) -> int:
    """Stars of the first band (sorted by min, highest first) whose min <= value; 0 if none."""
    for minimum, stars in bands:
        if value >= minimum:
            return stars
    return 0


