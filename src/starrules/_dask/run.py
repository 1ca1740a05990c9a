"""A Dask batch driven like :class:`starrules._batch.run.BatchRun`, for ``starrules batch
--engine dask``: the CLI writes OUT, the summary and the CSV from its rows exactly as it
does for a batch on one machine."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from .._api import Standard, load_standard
from .._batch.items import Row
from .._batch.quota import Ranking, rule_of
from .._batch.run import where_of
from .._batch.workers import default_workers
from .._errors import EngineError, Problem
from .rate import build


def client_for(scheduler: str | None, workers: int | None) -> Any:
    """A distributed Client: of the scheduler at ``scheduler``, or of a LocalCluster of
    ``workers`` single-threaded processes (default and at most: the CPUs available)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise EngineError(Problem("dask-missing", {"detail": str(exc)})) from None
    try:
        if scheduler:
            return Client(scheduler, timeout="10s")
        n = min(workers or default_workers(), default_workers())
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        return Client(cluster)
    except (OSError, TimeoutError, ValueError, RuntimeError) as exc:
        raise EngineError(Problem("dask-error", {"detail": f"{type(exc).__name__}: {exc}"})) from None


class DaskRun:
    """Iterate it (once) for the rows in input order; a context manager that closes the
    client it made."""

    def __init__(self, standard: Standard | str | os.PathLike[str], data: Any, *,
                 standards_dirs: Iterable[str | os.PathLike[str]] = (), apply_quota: bool = True,
                 client: Any = None, scheduler: str | None = None, workers: int | None = None,
                 lines_per_partition: int | None = None) -> None:
        kw = {} if lines_per_partition is None else {"lines_per_partition": lines_per_partition}
        self.graph = build(data, standard, standards_dirs=standards_dirs, apply_quota=apply_quota, **kw)
        self.ref = self.graph.ref
        self.standard = self.graph.standard
        self._own_client = client is None
        self._client = client if client is not None else client_for(scheduler, workers)
        self.apply_quota = apply_quota
        self.quota_applied = False
        self.phase = "new"
        self.count = self.rated = self.errors = 0
        self.rankings: dict[tuple[str, Any], Ranking] = {}
        self._standards: dict[str, Standard] = {}
        if self.standard is not None:
            self._standards[self.standard.id] = self.standard

    def __enter__(self) -> DaskRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._own_client and self._client is not None:
            cluster = getattr(self._client, "cluster", None)
            self._client.close()
            if cluster is not None:
                cluster.close()
            self._client = None

    @property
    def standards(self) -> list[Standard]:
        return list(self._standards.values())

    @property
    def quota_in_play(self) -> bool:
        return bool(self.rankings) or any(rule_of(s) is not None for s in self._standards.values())

    def where(self, row: Row) -> str:
        return where_of(row.source, row.index, self.graph.lines_display)

    def partial_rows(self) -> Iterator[Row]:
        return iter(())  # rows come out only once the whole population is decided

    def __iter__(self) -> Iterator[Row]:
        if self.phase != "new":
            raise RuntimeError("a DaskRun is iterated once")
        return self._run()

    def _run(self) -> Iterator[Row]:
        self.phase = "rating"
        futures = self._client.compute([self.graph.decisions, *self.graph.final])
        try:
            decisions = futures[0].result()
        except (OSError, TimeoutError) as exc:  # the cluster, not a document (those are error rows)
            raise EngineError(Problem("dask-error", {"detail": f"{type(exc).__name__}: {exc}"})) from None
        self.rankings = decisions.rankings
        self.quota_applied = self.apply_quota and bool(self.rankings)
        self.phase = "writing"
        for fut in futures[1:]:
            rows = fut.result()
            fut.release()
            for row in rows:
                self.count += 1
                if row.meta is None:
                    self.errors += 1
                else:
                    self.rated += 1
                    if row.meta.standard not in self._standards:
                        self._standards[row.meta.standard] = load_standard(row.meta.standard,
                                                                           standards_dirs=self.ref.dirs)
                yield row
        self.phase = "done"
