"""Rating on Dask: ``starrules.dask.rate`` (install the ``dask`` extra: ``pip install 'starrules[dask]'``).

::

    import dask.bag as db
    import starrules.dask

    lines = starrules.dask.rate("branches.jsonl", "city-2023")   # a dask bag of OUT lines
    lines.compute()                                              # in input order
    starrules.dask.write_jsonl(lines, "out/")                    # part files, in order
    starrules.dask.write_parquet(lines, "out-parquet/")

The rows are exactly the lines ``starrules batch`` writes for the same input: the standard
is compiled once per worker, rejected documents are error rows, a ``branch.id`` seen before
is an error row for the later document, and the population rule (the quota, per scope when
the standard declares one) is decided by a Dask tree reduction over the whole input.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

try:
    import dask.bag  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError("starrules.dask needs the dask extra: pip install 'starrules[dask]'") from exc

from ._api import Standard
from ._dask.rate import LINES_PER_PARTITION, build

__all__ = ["rate", "to_dataframe", "write_jsonl", "write_parquet"]


def rate(data: Any, standard: Standard | str | os.PathLike[str], *,
         standards_dirs: Iterable[str | os.PathLike[str]] = (), apply_quota: bool = True,
         lines_per_partition: int = LINES_PER_PARTITION) -> Any:
    """Rate every branch of ``data`` against ``standard``; a lazy ``dask.bag.Bag`` of the OUT
    lines (``str``, JSON: ``{"source": ..., "result": {...}}`` or ``{"source": ..., "error":
    [...]}``), one per document, in input order.

    ``data``: a path or list of paths (JSONL files, plain or compressed; Parquet files whose
    rows are facts documents, nested columns for objects and records; folders of facts
    files), a Dask bag of documents, ``(label, document)`` pairs or paths, or a Dask
    dataframe whose rows are facts documents.  ``standard``: a loaded standard, an id, a path
    or a family (the version picked per document by its year)."""
    graph = build(data, standard, standards_dirs=standards_dirs, apply_quota=apply_quota,
                  lines_per_partition=lines_per_partition)
    return graph.bag().map_partitions(_lines)


def _lines(rows: list[Any]) -> list[str]:
    return [row.payload.decode("utf-8") for row in rows]


_COLUMNS = {"source": "string", "branch_id": "string", "unit": "string", "standard": "string",
            "outcome": "string", "stars": "Int64", "score": "float64", "error": "string", "line": "string"}


def _flat(line: str) -> dict[str, Any]:
    obj = json.loads(line)
    res = obj.get("result")
    source = obj.get("source")
    if res is None:
        return {"source": None if source is None else str(source), "branch_id": None, "unit": None,
                "standard": None, "outcome": "error", "stars": None, "score": None,
                "error": json.dumps(obj.get("error"), ensure_ascii=False), "line": line}
    return {"source": None if source is None else str(source), "branch_id": res["branch"]["id"],
            "unit": res["branch"].get("unit"), "standard": res["standard"]["id"], "outcome": res["outcome"],
            "stars": res["stars"], "score": res["score"], "error": None, "line": line}


def to_dataframe(lines: Any) -> Any:
    """The rows of :func:`rate` as a Dask dataframe: ``source``, ``branch_id``, ``unit``,
    ``standard``, ``outcome`` (``error`` for an error row), ``stars``, ``score`` (a float for
    tables; the exact value is in ``line``), ``error`` (the problems, JSON) and ``line``
    (the OUT line)."""
    import pandas as pd

    meta = pd.DataFrame({k: pd.Series(dtype=v) for k, v in _COLUMNS.items()})
    return lines.map(_flat).to_dataframe(meta=meta)


def write_jsonl(lines: Any, directory: str | os.PathLike[str], **compute: Any) -> list[str]:
    """Write the lines as JSONL part files ``directory/00000.jsonl``, ... (in input order)."""
    os.makedirs(directory, exist_ok=True)
    return list(lines.to_textfiles(os.path.join(os.fspath(directory), "*.jsonl"), name_function=lambda i: f"{i:05d}",
                                   last_endline=True, compute=True, **compute))


def write_parquet(lines: Any, directory: str | os.PathLike[str], **compute: Any) -> None:
    """Write :func:`to_dataframe` of the lines as Parquet partitions in ``directory``."""
    to_dataframe(lines).to_parquet(os.fspath(directory), write_index=False, **compute)
