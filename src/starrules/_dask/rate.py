"""The Dask graph of a batch: rate each partition, reduce the tallies, decide, finish.

::

    items_k ──rate──> rows_k ──tally──> t_k ─┐
                        │          (tree reduction: merge) ──> total ──decide──> decisions
                        └───────────────finish(rows_k, decisions[k])──> final_k

Each worker process compiles the standard once (:func:`_evaluator`, a small cache keyed by
the standard's reference, so several batches in one worker do not pile up) and rates with
the very code of ``starrules batch`` (:class:`starrules._batch.workers.Evaluator`), so rows
are byte for byte the lines ``batch`` writes.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .._api import Standard, load_standard
from .._batch.items import Row
from .._batch.quota import QuotaRule, Ranking, apply_to_line, rule_of
from .._batch.run import duplicate_row, where_of
from .._batch.sources import iter_documents
from .._batch.workers import Evaluator, StandardRef, reloadable, resolve
from .._errors import EngineError, Problem
from . import sources as _sources
from .tally import Tally, merge, merge_all, tally

SPLIT_EVERY = 8  # tallies merged per task of the tree reduction
LINES_PER_PARTITION = 2000


@functools.lru_cache(maxsize=4)
def _evaluator(ref: StandardRef) -> Evaluator:
    return Evaluator(ref, "json")


def _rate(items: list[tuple[Any, Any]], ref: StandardRef) -> list[Row]:
    ev = _evaluator(ref)
    rows = []
    for i, (item, final_label) in enumerate(items):
        label, kind, payload = item
        row = ev.rate((i, label, kind, payload))
        if final_label != label:
            row = _relabel(row, final_label)
        rows.append(row)
    return rows


def _relabel(row: Row, label: Any) -> Row:
    """The row with ``source`` named ``label`` (the OUT line rewritten to match)."""
    import pydantic_core

    head = b'{"source":' + pydantic_core.to_json(row.source)
    payload = row.payload
    if isinstance(payload, bytes) and payload.startswith(head):
        payload = b'{"source":' + pydantic_core.to_json(label) + payload[len(head):]
    return row._replace(source=label, payload=payload)


@dataclass(frozen=True)
class Decisions:
    """Per partition: its offset (the global index of its first row) and, by position, what
    becomes of a row: ``("dup", id, first)`` or ``("quota", stars, QuotaInfo)``."""

    offsets: dict[int, int]
    rows: dict[int, dict[int, tuple[Any, ...]]]
    rankings: dict[tuple[str, Any], Ranking]


def decide(total: Tally, ref: StandardRef, lines_display: str | None, apply_quota: bool) -> Decisions:
    offsets: dict[int, int] = {}
    n = 0
    for k in sorted(total.lengths):
        offsets[k] = n
        n += total.lengths[k]

    def index(pos: tuple[int, int]) -> int:
        return offsets[pos[0]] + pos[1]

    rows: dict[int, dict[int, tuple[Any, ...]]] = {k: {} for k in offsets}
    for (k, i), (bid, first, source) in total.dups.items():
        rows[k][i] = ("dup", bid, where_of(source, index(first), lines_display))
    rankings: dict[tuple[str, Any], Ranking] = {}
    if apply_quota:
        rules: dict[str, QuotaRule | None] = {}
        for group in total.rated:  # in the order groups first appear, as the batch meets them
            sid, scope = group
            if sid not in rules:
                # a fixed standard by its reference (it may be a path); a family's versions by id
                rules[sid] = rule_of(load_standard(sid if ref.family else ref.ref, standards_dirs=ref.dirs))
            rule = rules[sid]
            if rule is None or total.rated[group] <= 0:
                continue
            ranking = Ranking(rule, scope, rated=total.rated[group],
                              candidates=[(key, index(pos)) for pos, key in total.candidates.get(group, {}).items()])
            rankings[group] = ranking
            by_index = {index(pos): pos for pos in total.candidates.get(group, {})}
            for gidx, rank in ranking.decide().items():
                k, i = by_index[gidx]
                rows[k][i] = ("quota", *ranking.outcome(rank))
    return Decisions(offsets, rows, rankings)


def _finish(rows: list[Row], k: int, decisions: Decisions, lines_display: str | None) -> list[Row]:
    offset = decisions.offsets.get(k, 0)
    todo = decisions.rows.get(k, {})
    out = []
    for i, row in enumerate(rows):
        row = row._replace(index=offset + i)
        d = todo.get(i)
        if d is not None and d[0] == "dup":
            row = duplicate_row(row, d[1], d[2], "json", lines_display)
        elif d is not None:
            stars, info = d[1], d[2]
            row = row._replace(payload=apply_to_line(row.payload, stars, info),
                               meta=row.meta._replace(stars=stars))  # type: ignore[union-attr]
        out.append(row)
    return out


def _tree(tallies: list[Any], split_every: int) -> Any:
    """The Dask tree reduction of the tallies (in order, ``split_every`` at a time)."""
    from dask import delayed

    level = tallies
    while len(level) > 1:
        level = [delayed(merge_all)(level[i:i + split_every]) for i in range(0, len(level), split_every)]
    return level[0] if level else delayed(Tally)()


@dataclass
class Graph:
    """The lazy result of :func:`build`: ``final`` partitions of rows (in input order) and the
    ``decisions`` (with the quota rankings, for the summary)."""

    final: list[Any]  # Delayed[list[Row]], one per partition
    decisions: Any  # Delayed[Decisions]
    ref: StandardRef
    standard: Standard | None
    lines_display: str | None

    def bag(self) -> Any:
        import dask.bag as db

        return db.from_delayed(self.final)


def build(data: Any, standard: Standard | str | os.PathLike[str], *, standards_dirs: Iterable[str | os.PathLike[str]] = (),
          apply_quota: bool = True, lines_per_partition: int = LINES_PER_PARTITION,
          split_every: int = SPLIT_EVERY) -> Graph:
    """The graph rating ``data``: a path or a list of paths (JSONL, compressed JSONL, Parquet,
    folders of facts files), a Dask bag of documents / ``(label, document)`` pairs / paths,
    or a Dask dataframe whose rows are facts documents."""
    try:
        from dask import delayed
    except ImportError as exc:
        raise EngineError(Problem("dask-missing", {"detail": str(exc)})) from None

    ref, std = resolve(standard, standards_dirs)
    if not reloadable(ref, std):  # workers find a standard by its reference, never as a pickled object
        raise EngineError(Problem("dask-error", {"detail": (
            f"the workers cannot find the standard {ref.ref} by its id: give its path, or its folder "
            f"in standards_dirs")}))
    parts, lines_display = _partitions(data, lines_per_partition)
    rated = [delayed(_rate)(p, ref) for p in parts]
    tallies = [delayed(tally)(k, rows) for k, rows in enumerate(rated)]
    decisions = delayed(decide)(_tree(tallies, split_every), ref, lines_display, apply_quota)
    final = [delayed(_finish)(rows, k, decisions, lines_display) for k, rows in enumerate(rated)]
    return Graph(final, decisions, ref, std, lines_display)


def _partitions(data: Any, lines_per_partition: int) -> tuple[list[Any], str | None]:
    """Delayed lists of ``(source item, final label)``, one per partition."""
    from dask import delayed

    if isinstance(data, (str, os.PathLike)) or (isinstance(data, Sequence) and not isinstance(data, (bytes, str))
                                                 and all(isinstance(d, (str, os.PathLike)) for d in data)):
        paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
        specs, display = _sources.plan(paths, lines_per_partition)
        several = len(paths) > 1
        return [delayed(_sources.read_part)(s, several) for s in specs], display
    kind = type(data).__module__.split(".")[0:2]
    if kind[:2] == ["dask", "bag"]:
        return [delayed(_bag_items)(p) for p in data.to_delayed()], None
    if hasattr(data, "to_delayed") and hasattr(data, "columns"):  # a dask dataframe
        return [delayed(_frame_items)(p) for p in data.to_delayed()], None
    raise TypeError("data must be a path, a list of paths, a dask bag or a dask dataframe")


def _bag_items(part: list[Any]) -> list[tuple[Any, Any]]:
    return [(item, item[0]) for item in iter_documents(part)]


def _frame_items(frame: Any) -> list[tuple[Any, Any]]:
    import pyarrow as pa

    docs = pa.Table.from_pandas(frame, preserve_index=False).to_pylist()
    return [((None, "doc", _sources.plain(doc)), None) for doc in docs]


__all__ = ["build", "decide", "Graph", "Decisions", "merge"]
