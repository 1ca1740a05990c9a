"""Where a batch's documents come from, streamed one at a time.

A source item is a small tuple ``(label, kind, payload)`` that is cheap to send to a worker
process; reading and parsing happen in the worker (:func:`load`):

============  ====================================  ===========================================
kind          payload                               label
============  ====================================  ===========================================
``"path"``    a YAML, JSON or xlsx file path (str)  the path
``"line"``    ``(jsonl display name, raw bytes)``   the 1-based line number in the JSONL file
``"doc"``     an already parsed document            ``None`` (or the caller's label)
``"blob"``    ``(display name, raw bytes)``         the display name (e.g. a member of a zip)
``"error"``   a :class:`Problem` (e.g. a folder     the folder
              that cannot be read): an error row
============  ====================================  ===========================================

Only regular files are read (a FIFO or device in a folder is an error row, never a hang),
and no line of a JSONL file is read beyond the size limit.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .._errors import FactsError, Problem
from .._facts.read import MAX_FACTS_BYTES, facts_from_bytes, json_problem, parse_json, read_facts
from .._files import decode_text, is_regular
from .._standard.load import unreadable
from .._yaml import Positions

SourceItem = tuple[Any, str, Any]

FACT_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
_SINGLE = (".yaml", ".yml", ".xlsx")  # a single facts file given as INPUT (other files are JSONL)
_CHUNK = 1 << 20


def iter_input(path: str | Path) -> Iterator[SourceItem]:
    """A directory of YAML/JSON/xlsx facts files (recursively, sorted, hidden files and Excel's
    ``~$`` lock files skipped), a JSONL file (one document a line; blank lines skipped), or a
    single YAML or xlsx file."""
    p = Path(path)
    if p.is_dir():
        return _iter_dir(p)
    if not p.exists():
        raise FactsError(Problem("file-not-found", {"file": str(path)}, file=str(path)))
    if not is_regular(p):
        raise FactsError(Problem("not-a-regular-file", {"file": str(path)}, file=str(path)))
    if p.suffix.lower() in _SINGLE:
        return iter([(str(p), "path", str(p))])
    try:
        f = open(p, "rb")
    except OSError as exc:
        raise FactsError(unreadable(str(p), exc)) from None
    return _iter_jsonl(str(p), f)


def _iter_dir(root: Path) -> Iterator[SourceItem]:
    unreadable_dirs: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable_dirs.append):
        while unreadable_dirs:  # os.walk reports a folder it cannot list, then goes on
            exc = unreadable_dirs.pop(0)
            where = str(exc.filename or dirpath)
            yield where, "error", unreadable(where, exc)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~$")) or not name.lower().endswith(FACT_SUFFIXES):
                continue
            path = os.path.join(dirpath, name)
            yield path, "path", path
    for exc in unreadable_dirs:  # the root itself, or the last folder listed
        where = str(exc.filename or root)
        yield where, "error", unreadable(where, exc)


def iter_jsonl_bytes(display: str, data: bytes) -> Iterator[SourceItem]:
    """The documents of JSONL content already in memory (e.g. an upload), one a line."""
    return _iter_jsonl(display, io.BytesIO(data))


def _iter_jsonl(display: str, f: Any) -> Iterator[SourceItem]:
    """Lines of at most the size limit; a longer one is skipped unread (its size only)."""
    with f:
        lineno = 0
        while raw := f.readline(MAX_FACTS_BYTES + 1):
            lineno += 1
            if len(raw) > MAX_FACTS_BYTES and not raw.endswith(b"\n"):
                size = len(raw)
                while raw and not raw.endswith(b"\n"):
                    raw = f.readline(_CHUNK)
                    size += len(raw)
                yield lineno, "line", (display, size)
            elif raw.strip():
                yield lineno, "line", (display, raw)


def count_input(path: str | Path) -> int | None:
    """How many documents :func:`iter_input` will give (for a progress bar's total): files of
    a directory, or lines of a JSONL file (blank lines included, so an upper bound)."""
    p = Path(path)
    if p.is_dir():
        return sum(1 for _ in _iter_dir(p))
    if p.suffix.lower() in _SINGLE:
        return 1
    n, last = 0, b"\n"
    with open(p, "rb") as f:
        while chunk := f.read(_CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def iter_documents(facts: Iterable[Any]) -> Iterator[SourceItem]:
    """The items of an iterable given to ``evaluate_many``: parsed documents (mappings),
    paths of facts files, or ``(label, document)`` pairs."""
    for item in facts:
        if isinstance(item, (str, os.PathLike)):
            yield str(item), "path", str(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
            yield item[0], "doc", item[1]
        else:
            yield None, "doc", item


def load(kind: str, payload: Any) -> tuple[Any, Positions | None, str | None]:
    """Read one source: ``(document, positions, display name)``; raises FactsError."""
    if kind == "error":
        raise FactsError(payload)
    if kind == "doc":
        if not isinstance(payload, Mapping):
            raise FactsError(Problem("facts-not-mapping", {"path": ""}))
        return payload, None, None
    if kind == "path":
        try:
            return read_facts(payload)
        except OSError as exc:  # e.g. no permission: read_facts only turns "not found" into a problem
            raise FactsError(unreadable(payload, exc)) from None
    display, raw = payload
    if kind == "blob":
        return facts_from_bytes(raw, display)
    return _parse_line(display, raw), None, display


def _parse_line(display: str, raw: bytes | int) -> Any:
    """One JSONL line; ``raw`` is the size of a line too long to be read."""
    if isinstance(raw, int) or len(raw) > MAX_FACTS_BYTES:
        size = raw if isinstance(raw, int) else len(raw)
        raise FactsError(Problem("file-too-large", {"size": size, "limit": MAX_FACTS_BYTES}, file=display))
    try:
        text = decode_text(raw, display, FactsError)
    except FactsError as exc:  # the line's number is added by the caller
        raise FactsError(Problem("encoding", {}, file=display)) from exc
    try:
        return parse_json(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, a duplicate key, NaN, a huge number
        p = json_problem(exc, text, display)
        raise FactsError(replace(p, line=None)) from None  # the line is the JSONL line (locate_line)


def locate_line(problems: Iterable[Problem], display: str, line: int) -> tuple[Problem, ...]:
    """Give the problems of a JSONL line that have no line of their own that line's number."""
    return tuple(replace(p, file=display, line=line) if p.line is None and p.file in (display, None) else p
                 for p in problems)
