"""One batch: rate every document (in order, in parallel when it pays), turn a repeated
``branch.id`` into an error row, and apply the standard's quota after the pass.

Without a quota (or with ``apply_quota=False``) rows stream straight through.  With one,
the rating pass spools every row to a temporary file and keeps only the rank keys of the
candidates in memory; after the pass the quota is decided and the spooled rows come back,
in input order, with the demotions applied (:mod:`.quota`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .._api import Standard, load_standard
from .._errors import Problem
from . import workers as _workers
from .items import BatchItem, Row, render_problem
from .quota import QuotaRule, Ranking, apply_to_line, apply_to_result, rule_of
from .sources import SourceItem, iter_documents, iter_input
from .spool import Spool
from .units import UnitFacts, read_unit_facts
from .workers import Item, error_line, rate_all, resolve

StandardArg = Standard | str | os.PathLike[str]


class BatchRun:
    """Iterate it (once) for the final rows, in input order; use it as a context manager so
    its temporary file goes away.  ``phase`` says where it is: ``"rating"`` (the pass over
    the input), ``"writing"`` (rows coming back from the spool with the quota applied) or
    ``"done"``.  After an interruption during the rating pass, :meth:`partial_rows` gives
    the rows rated so far, without the quota."""

    def __init__(self, standard: StandardArg, sources: Iterable[SourceItem], *, mode: str = "json",
                 standards_dirs: Iterable[str | os.PathLike[str]] = (), workers: int | None = None,
                 apply_quota: bool = True, on_rated: Callable[[Row], None] | None = None,
                 parallel_min: int | None = None, spool_dir: str | None = None,
                 unit_facts: UnitFacts | None = None) -> None:
        self.ref, self.standard = resolve(standard, standards_dirs)
        self.unit_facts = unit_facts
        self.mode = mode
        self.sources = sources
        self.workers = workers
        self.on_rated = on_rated
        self.parallel_min = parallel_min
        self.spool_dir = spool_dir
        self._standards: dict[str, Standard] = {}
        if self.standard is not None:
            self._standards[self.standard.id] = self.standard
        self._rules: dict[str, QuotaRule | None] = {}
        self.rankings: dict[tuple[str, Any], Ranking] = {}  # (standard id, quota scope) -> ranking
        # a family may pick a version with a quota: spool to be sure
        quota_possible = self.ref.family or self._rule(self.standard.id) is not None  # type: ignore[union-attr]
        self.apply_quota = apply_quota and quota_possible  # spool the rows and rank the candidates
        self.quota_applied = False
        self.phase = "new"
        self.count = 0  # rows out of the rating pass
        self.rated = 0
        self.errors = 0
        self._spool: Spool | None = None
        self._lines_display: str | None = None

    # -- standards -----------------------------------------------------------------------
    def standard_by_id(self, sid: str) -> Standard:
        std = self._standards.get(sid)
        if std is None:
            std = self._standards[sid] = load_standard(sid, standards_dirs=self.ref.dirs)
        return std

    @property
    def quota_in_play(self) -> bool:
        """Whether the batch's standard declares a quota (for a family: a version used so far)."""
        return any(self._rule(sid) is not None for sid in list(self._standards))

    @property
    def standards(self) -> list[Standard]:
        """The standards used so far (one, unless the batch names a family)."""
        return list(self._standards.values())

    def _rule(self, sid: str) -> QuotaRule | None:
        if sid not in self._rules:
            self._rules[sid] = rule_of(self.standard_by_id(sid))
        return self._rules[sid]

    # -- the run ---------------------------------------------------------------------------
    def __enter__(self) -> BatchRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def __iter__(self) -> Iterator[Row]:
        if self.phase != "new":
            raise RuntimeError("a BatchRun is iterated once")
        return self._run()

    def _items(self) -> Iterator[Item]:
        for index, (label, kind, payload) in enumerate(self.sources):
            if kind == "line" and self._lines_display is None:
                self._lines_display = payload[0]
            yield index, label, kind, payload

    def _run(self) -> Iterator[Row]:
        self.phase = "rating"
        spool = self._spool = Spool(self.mode, self.spool_dir) if self.apply_quota else None
        parallel_min = _workers.PARALLEL_MIN if self.parallel_min is None else self.parallel_min
        rows = rate_all(self.ref, self.standard, self.mode, self._items(), workers=self.workers,
                        parallel_min=parallel_min, units=self.unit_facts)
        seen: dict[str, tuple[Any, int]] = {}  # branch.id -> (source, index) of its row
        try:
            for row in rows:
                row = self._admit(row, seen)
                if spool is not None:
                    spool.append(row)
                if self.on_rated is not None:
                    self.on_rated(row)
                if spool is None:
                    yield row
            if spool is not None:
                ranks: dict[int, tuple[Ranking, int]] = {}
                for ranking in self.rankings.values():
                    ranks.update((index, (ranking, rank)) for index, rank in ranking.decide().items())
                self.quota_applied = True
                self.phase = "writing"
                for row in spool:
                    decided = ranks.get(row.index)
                    yield self._apply(row, *decided[0].outcome(decided[1])) if decided is not None else row
            self.phase = "done"
        finally:
            rows.close()  # type: ignore[attr-defined]  # stops the pool if we stopped early

    def _admit(self, row: Row, seen: dict[str, Any]) -> Row:
        self.count += 1
        meta = row.meta
        if meta is None:
            self.errors += 1
            return row
        first = seen.get(meta.branch_id)
        if first is not None:
            self.errors += 1
            return self._duplicate(row, meta.branch_id, self._where(*first))
        seen[meta.branch_id] = (row.source, row.index)
        self.rated += 1
        if self.apply_quota:
            rule = self._rule(meta.standard)
            if rule is not None:
                group = (meta.standard, meta.scope)
                ranking = self.rankings.get(group)
                if ranking is None:
                    ranking = self.rankings[group] = Ranking(rule, meta.scope)
                ranking.add(row.index, meta.rank)
        return row

    def where(self, row: Row) -> str:
        """Where a row came from, as text: a path, ``file.jsonl:LINE`` or ``#INDEX``."""
        return where_of(row.source, row.index, self._lines_display)

    def _where(self, source: Any, index: int) -> str:
        return where_of(source, index, self._lines_display)

    def _duplicate(self, row: Row, branch_id: str, first: str) -> Row:
        return duplicate_row(row, branch_id, first, self.mode, self._lines_display)

    def _apply(self, row: Row, stars: int, info: Any) -> Row:
        assert row.meta is not None
        if self.mode == "json":
            payload = apply_to_line(row.payload, stars, info)
        else:
            payload = apply_to_result(row.payload, stars, info)
        return row._replace(payload=payload, meta=row.meta._replace(stars=stars))

    def partial_rows(self) -> Iterator[Row]:
        """After an interruption during the rating pass: the rows spooled so far (the quota
        not applied). Empty when rows were streamed (they are out already)."""
        if self.phase == "rating" and self._spool is not None:
            yield from self._spool


def where_of(source: Any, index: int, lines_display: str | None) -> str:
    """Where a row came from, as text: a path, ``file.jsonl:LINE`` (a line number of the
    batch's JSONL file ``lines_display``) or ``#INDEX``."""
    if isinstance(source, int) and lines_display is not None:
        return f"{lines_display}:{source}"
    return str(source) if source is not None else f"#{index}"


def duplicate_row(row: Row, branch_id: str, first: str, mode: str, lines_display: str | None) -> Row:
    """The error row that replaces a rated row whose ``branch.id`` was seen before, at ``first``."""
    if isinstance(row.source, int) and lines_display is not None:
        file, line = lines_display, row.source
    else:
        file, line = (row.source if isinstance(row.source, str) else None), None
    p = Problem("batch-duplicate-branch", {"id": branch_id, "first": first}, file=file, line=line,
                path="branch.id")
    error = (render_problem(p),)
    payload = error_line(row.source, error) if mode == "json" else None
    return Row(row.index, row.source, payload, error, None)


def open_sources(facts: Any) -> Iterable[SourceItem]:
    if isinstance(facts, (str, os.PathLike)):
        return iter_input(facts)
    return iter_documents(facts)


def evaluate_many(standard: StandardArg, facts: Any, *, workers: int | None = None, apply_quota: bool = True,
                  standards_dirs: Iterable[str | os.PathLike[str]] = (),
                  unit_facts: str | os.PathLike[str] | None = None) -> Iterator[BatchItem]:
    """Rate many branches against one standard; yields a :class:`BatchItem` per document, in
    input order (``index``, ``source``, and ``result`` or ``error``).

    ``facts`` is an iterable of documents (mappings), facts file paths or ``(label,
    document)`` pairs, or the path of a folder of YAML/JSON files or of a JSONL file.  A
    broken document (malformed JSON line, wrong types, missing ``branch.id``; a ``branch.id``
    already seen in the batch) becomes an item with ``error`` and never stops the others.
    ``standard`` is a :class:`Standard`, an id, a path, or a family (its version picked per
    document by year); worker processes load it themselves from that reference.

    With ``apply_quota`` and a standard that declares ``rating.quota`` (city-2023: five stars
    for at most 30 % of the branches rated), nothing is yielded until every document is
    rated: results wait in a temporary file, then come out with the quota applied
    (``result.quota``).  ``workers``: processes to use (default: the CPUs available; a
    batch of fewer than a few hundred documents is rated in this process).  Raises
    :class:`StandardError` / :class:`NotFoundError` at once if the standard cannot be loaded.
    ``unit_facts``: a YAML/JSON file of facts per ``branch.unit``, merged into each branch of
    that unit (see :mod:`starrules._batch.units`)."""
    units = read_unit_facts(unit_facts) if unit_facts is not None else None
    run = BatchRun(standard, open_sources(facts), mode="model", standards_dirs=standards_dirs,
                   workers=workers, apply_quota=apply_quota, unit_facts=units)
    return _items(run)


def _items(run: BatchRun) -> Iterator[BatchItem]:
    with run:
        for row in run:
            yield BatchItem(row.index, row.source, row.payload, row.error)
