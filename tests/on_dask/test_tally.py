"""The tally of the population rules is the batch's decision whatever the partitioning."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from starrules._batch.items import Meta, Row
from starrules._dask.tally import Tally, merge, merge_all, tally


def _row(bid: str, group: str, rank: int | None) -> Row:
    return Row(0, None, b"", None, Meta("std", bid, "met", 5, None, (), None if rank is None else (rank,), group))


rows_st = st.lists(st.tuples(st.sampled_from("abcdefgh"), st.sampled_from(["u1", "u2"]),
                             st.one_of(st.none(), st.integers(0, 3))), max_size=40)


def _sequential(rows: list[Row]) -> tuple[dict[int, tuple[str, int]], dict[Any, int], dict[Any, set[int]]]:
    """What BatchRun._admit decides, in input order."""
    first: dict[str, int] = {}
    dups: dict[int, tuple[str, int]] = {}
    rated: dict[Any, int] = {}
    cands: dict[Any, set[int]] = {}
    for i, row in enumerate(rows):
        m = row.meta
        assert m is not None
        if m.branch_id in first:
            dups[i] = (m.branch_id, first[m.branch_id])
            continue
        first[m.branch_id] = i
        g = (m.standard, m.scope)
        rated[g] = rated.get(g, 0) + 1
        if m.rank is not None:
            cands.setdefault(g, set()).add(i)
    return dups, rated, cands


@settings(max_examples=150, deadline=None)
@given(rows_st, st.lists(st.integers(1, 7), min_size=1, max_size=10), st.integers(2, 4))
def test_any_partitioning_and_tree_shape_gives_the_sequential_decision(spec: list[Any], cuts: list[int],
                                                                       split: int) -> None:
    rows = [_row(*r) for r in spec]
    parts: list[list[Row]] = []
    i = 0
    for c in cuts * (len(rows) + 1):
        if i >= len(rows):
            break
        parts.append(rows[i:i + c])
        i += c
    tallies = [tally(k, p) for k, p in enumerate(parts)]
    while len(tallies) > 1:  # the tree reduction of rate._tree
        tallies = [merge_all(tallies[j:j + split]) for j in range(0, len(tallies), split)]
    total = tallies[0] if tallies else Tally()
    offsets, n = {}, 0
    for k in sorted(total.lengths):
        offsets[k] = n
        n += total.lengths[k]

    def gi(pos: tuple[int, int]) -> int:
        return offsets[pos[0]] + pos[1]

    dups, rated, cands = _sequential(rows)
    assert {gi(p): (bid, gi(f)) for p, (bid, f, _) in total.dups.items()} == dups
    assert {g: c for g, c in total.rated.items() if c} == rated
    assert {g: {gi(p) for p in c} for g, c in total.candidates.items() if c} == cands


def test_merge_keeps_the_earlier_row() -> None:
    a = tally(0, [_row("x", "u1", 1)])
    b = tally(1, [_row("x", "u1", 2), _row("y", "u1", None)])
    total = merge(a, b)
    assert total.dups == {(1, 0): ("x", (0, 0), None)}
    assert total.rated[("std", "u1")] == 2
    assert total.candidates[("std", "u1")] == {(0, 0): (1,)}
