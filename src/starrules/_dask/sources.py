"""Partitions of source items (see :mod:`starrules._batch.sources`) for a Dask bag.

A partition is described by a small, picklable *spec*; the worker that rates it reads it
(:func:`read_part`), so file contents never travel through the scheduler:

=============================================  ============================================
spec                                           items
=============================================  ============================================
``("jsonl", path, first_line, start, end)``    lines of a JSONL file from byte ``start`` to
                                               ``end`` (``None``: the whole file, which may
                                               be compressed: .gz, .bz2, .xz, .zst)
``("parquet", path, row_group, first_row)``    the rows of one row group, as documents
``("paths", (path, ...))``                     facts files of a folder (YAML, JSON, …)
=============================================  ============================================

Labels match ``starrules batch``: a JSONL line's number (``file:LINE`` when several files
are rated together), a file's path, a Parquet row's number (``file#ROW`` with several).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .._batch.sources import SourceItem, iter_input
from .._errors import FactsError, Problem

COMPRESSED = (".gz", ".bz2", ".xz", ".zst")
PARQUET = (".parquet", ".pq")
_SCAN = 1 << 20

Spec = tuple[Any, ...]


def is_compressed(path: str) -> bool:
    return path.lower().endswith(COMPRESSED)


def plan(paths: Sequence[str | os.PathLike[str]], lines_per_partition: int) -> tuple[list[Spec], str | None]:
    """The partition specs of the inputs, in input order, and the display name of the JSONL
    file whose line numbers label the rows (only when it is the one input)."""
    specs: list[Spec] = []
    names = [os.fspath(p) for p in paths]
    if not names:
        raise FactsError(Problem("file-not-found", {"file": ""}))
    for name in names:
        p = Path(name)
        if p.is_dir():
            files = [item[2] for item in iter_input(p)]
            specs.extend(("paths", tuple(files[i:i + lines_per_partition]))
                         for i in range(0, len(files), lines_per_partition))
        elif not p.is_file():
            raise FactsError(Problem("file-not-found", {"file": name}, file=name))
        elif name.lower().endswith(PARQUET):
            specs.extend(_parquet_specs(name))
        elif name.lower().endswith((".yaml", ".yml")):
            specs.append(("paths", (name,)))
        elif is_compressed(name):
            specs.append(("jsonl", name, 1, None, None))
        else:
            specs.extend(_jsonl_specs(name, lines_per_partition))
    single = len(names) == 1 and not Path(names[0]).is_dir() and not names[0].lower().endswith(PARQUET)
    return specs, (names[0] if single else None)


def _jsonl_specs(path: str, lines: int) -> Iterator[Spec]:
    """Cut a plain JSONL file every ``lines`` lines (one pass counting newlines)."""
    start, first, count, offset = 0, 1, 0, 0
    with open(path, "rb") as f:
        while chunk := f.read(_SCAN):
            pos = 0
            while True:
                nl = chunk.find(b"\n", pos)
                if nl < 0:
                    break
                count += 1
                pos = nl + 1
                if count == lines:
                    end = offset + pos
                    yield ("jsonl", path, first, start, end)
                    start, first, count = end, first + lines, 0
            offset += len(chunk)
    if offset > start:
        yield ("jsonl", path, first, start, offset)


def _parquet_specs(path: str) -> Iterator[Spec]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    first = 1
    for rg in range(meta.num_row_groups):
        yield ("parquet", path, rg, first)
        first += meta.row_group(rg).num_rows


def read_part(spec: Spec, several: bool) -> list[tuple[SourceItem, Any]]:
    """The items of one partition, each with the label its row finally carries (``several``:
    more than one input file, so labels name their file)."""
    kind = spec[0]
    if kind == "paths":
        return [((path, "path", path), path) for path in spec[1]]
    if kind == "parquet":
        return list(_parquet_items(*spec[1:], several=several))
    return list(_jsonl_items(*spec[1:], several=several))


def _jsonl_items(path: str, first: int, start: int | None, end: int | None, *, several: bool
                 ) -> Iterator[tuple[SourceItem, Any]]:
    if start is None:
        import fsspec

        f = fsspec.open(path, "rb", compression="infer").open()
        data = None
    else:
        f = open(path, "rb")
        f.seek(start)
        data = f.read(end - start)  # type: ignore[operator]
    with f:
        lines = data.splitlines(keepends=True) if data is not None else f
        for lineno, raw in enumerate(lines, first):
            if raw.strip():
                yield (lineno, "line", (path, raw)), (f"{path}:{lineno}" if several else lineno)


def _parquet_items(path: str, row_group: int, first: int, *, several: bool) -> Iterator[tuple[SourceItem, Any]]:
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path).read_row_group(row_group)
    for n, row in enumerate(table.to_pylist(), first):
        label = f"{path}#{n}" if several else n
        yield (label, "doc", plain(row)), label


def plain(value: Any) -> Any:
    """A document from Arrow/pandas values: ``None`` members dropped (absent), NumPy arrays
    and scalars as Python lists and numbers, whole-day timestamps kept as they are (a
    ``datetime`` where a date is expected is a facts error, as in YAML)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None and not _is_nan(v)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    tolist = getattr(value, "tolist", None)
    if tolist is not None and not isinstance(value, (str, bytes)):
        return plain(tolist())
    return value


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and v != v
