"""What the population rules need of the rated rows, merged partition by partition.

``starrules batch`` decides two things only after seeing every row: a ``branch.id`` seen
before makes the later row an error row, and the quota ranks the candidates of each
(standard, scope) group among all branches rated in that group.  A :class:`Tally` holds just
that for a run of consecutive partitions; :func:`merge` of an earlier and a later tally is
associative, so Dask reduces the tallies as a tree, and :func:`decide` turns the total into
per-partition decisions equal to what the batch decides on one machine.

Rows are addressed by ``(partition, position)``, which sorts as the input order; the
global index of a row (the batch's ``Row.index``) is its partition's offset plus position.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .._batch.items import Row

Pos = tuple[int, int]
Group = tuple[str, Any]  # (standard id, quota scope)


class First(NamedTuple):
    pos: Pos
    source: Any
    group: Group
    candidate: bool


@dataclass
class Tally:
    lengths: dict[int, int] = field(default_factory=dict)  # partition -> rows
    first: dict[str, First] = field(default_factory=dict)  # branch.id -> its first rated row
    dups: dict[Pos, tuple[str, Pos, Any]] = field(default_factory=dict)  # row -> (id, first pos, first source)
    rated: Counter[Group] = field(default_factory=Counter)
    candidates: dict[Group, dict[Pos, tuple[Any, ...]]] = field(default_factory=dict)


def tally(partition: int, rows: list[Row]) -> Tally:
    """The tally of one partition's rows (the batch's ``_admit``, in order)."""
    t = Tally(lengths={partition: len(rows)})
    first, dups, rated, candidates = t.first, t.dups, t.rated, t.candidates
    for i, row in enumerate(rows):
        meta = row.meta
        if meta is None:
            continue
        seen = first.get(meta.branch_id)
        if seen is not None:
            dups[(partition, i)] = (meta.branch_id, seen.pos, seen.source)
            continue
        group = (meta.standard, meta.scope)
        first[meta.branch_id] = First((partition, i), row.source, group, meta.rank is not None)
        rated[group] += 1
        if meta.rank is not None:
            candidates.setdefault(group, {})[(partition, i)] = meta.rank
    return t


def merge(a: Tally, b: Tally) -> Tally:
    """The tally of ``a``'s rows followed by ``b``'s (``a`` is changed and returned)."""
    a.lengths.update(b.lengths)
    for pos, (bid, first, source) in b.dups.items():  # re-pointed at a's row when a saw the id first
        seen = a.first.get(bid)
        a.dups[pos] = (bid, seen.pos, seen.source) if seen is not None else (bid, first, source)
    a.rated.update(b.rated)
    for group, cands in b.candidates.items():
        a.candidates.setdefault(group, {}).update(cands)
    for bid, f in b.first.items():
        seen = a.first.get(bid)
        if seen is None:
            a.first[bid] = f
            continue
        a.dups[f.pos] = (bid, seen.pos, seen.source)  # the later row is the duplicate: not rated
        a.rated[f.group] -= 1
        if f.candidate:
            del a.candidates[f.group][f.pos]
    return a


def merge_all(tallies: list[Tally]) -> Tally:
    """Merge in order (the aggregate step of the tree reduction)."""
    total = Tally()
    for t in tallies:
        total = merge(total, t)
    return total
