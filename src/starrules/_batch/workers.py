"""Evaluating source items, in this process or in a pool of worker processes, in input order.

Each worker compiles the standard once (pool initializer) from its reference — an id, a
path or a family, plus the standards folders — never from a pickled object.  Work goes out
in chunks of source items (paths or raw JSONL lines: parsing happens in the worker) and
comes back as :class:`Row` lists whose results are already serialised (``json`` mode: the
OUT line) or flattened (``model`` mode, see :mod:`.codec`).  At most a few chunks per
worker are in flight, so memory stays flat whatever the input size.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

import pydantic_core

from .._api import Standard, _year_of, load_for_year, load_standard
from .._errors import NotFoundError, Problem, StarrulesError
from .._evaluate.evaluate import evaluate_facts, facts_hash
from .._evaluate.marks import real_failure
from .._evaluate.result import Result, UnitFactsInfo
from .codec import decode_result, encode_result
from .items import Meta, Row, render_problem
from .quota import quota_keys
from .sources import load, locate_line
from .units import UnitFacts, merge_unit_facts

#: an item sent to a worker: (index, label, kind, payload), see :mod:`.sources`
Item = tuple[int, Any, str, Any]

CHUNK_SIZE = 32  # documents per task
AHEAD = 4  # tasks in flight per worker
PARALLEL_MIN = 400  # fewer documents than this are rated in this process


@dataclass(frozen=True)
class StandardRef:
    """How any process finds the batch's standard: ``ref`` as given (id or path), or a family
    whose version is picked per document by its year."""

    ref: str
    dirs: tuple[str, ...] = ()
    family: bool = False
    sha256: str | None = None  # of the standard the parent loaded (fixed standards)
    from_object: bool = False  # given as a Standard: ``ref`` is its id, which may not find it


def resolve(standard: Standard | str | os.PathLike[str], dirs: Iterable[str | os.PathLike[str]] = ()
            ) -> tuple[StandardRef, Standard | None]:
    """The reference of a batch's standard, and the standard itself unless it is a family.
    Raises StandardError / NotFoundError when it cannot be loaded."""
    dirs_t = tuple(str(d) for d in dirs)
    if isinstance(standard, Standard):
        return StandardRef(standard.id, dirs_t, False, standard.sha256, from_object=True), standard
    ref = str(standard)
    try:
        std = load_standard(ref, standards_dirs=dirs_t)
    except NotFoundError as exc:
        if any(p.code == "no-version-for-year" for p in exc.problems):
            return StandardRef(ref, dirs_t, True, None), None
        raise
    return StandardRef(ref, dirs_t, False, std.sha256), std


def reloadable(ref: StandardRef, preloaded: Standard | None) -> bool:
    """Whether a worker loading ``ref`` gets the very standard the parent holds (a Standard
    object built from a file outside the standards folders cannot be reloaded by its id)."""
    if not ref.from_object or preloaded is None:
        return True  # workers load the very reference the parent loaded
    try:
        return load_standard(ref.ref, standards_dirs=ref.dirs).sha256 == preloaded.sha256
    except StarrulesError:
        return False


class Evaluator:
    """Rates source items against the batch's standard; one per process."""

    def __init__(self, ref: StandardRef, mode: str, preloaded: Standard | None = None, *,
                 flatten: bool = False, units: UnitFacts | None = None) -> None:
        self.ref = ref
        self.units = units  # facts shared by every branch of a unit (--unit-facts)
        self.mode = mode
        self.flatten = flatten  # model mode in a worker: results as plain data
        self._fixed = preloaded
        self._by_year: dict[int | None, Standard | StarrulesError] = {}
        if preloaded is None and not ref.family:
            self._fixed = load_standard(ref.ref, standards_dirs=ref.dirs)
            if ref.sha256 is not None and self._fixed.sha256 != ref.sha256:
                raise RuntimeError(f"standard {ref.ref} changed while the batch was starting "
                                   f"({ref.sha256[:12]} -> {self._fixed.sha256[:12]})")

    def standard_for(self, doc: Any, display: str | None = None) -> Standard:
        if self._fixed is not None:
            return self._fixed
        year = _year_of(doc)
        if year is None:  # missing or not a whole number: facts-missing / facts-type on year
            return load_for_year(self.ref.ref, doc, display, self.ref.dirs)
        got = self._by_year.get(year)
        if got is None:
            try:
                got = load_standard(self.ref.ref, standards_dirs=self.ref.dirs, year=year)
            except StarrulesError as exc:
                got = exc
            self._by_year[year] = got
        if isinstance(got, StarrulesError):
            raise got
        return got

    def rate(self, item: Item) -> Row:
        index, label, kind, payload = item
        display: str | None = None
        try:
            doc, positions, display = load(kind, payload)
            merged = None
            if self.units is not None:
                doc, merged = merge_unit_facts(doc, self.units, display)
            std = self.standard_for(doc, display)
            cs = std.compiled
            result, key, scope = rate_document(std, doc, positions, display)
            if merged is not None:
                result = result.model_copy(update={"provenance": result.provenance.model_copy(
                    update={"unit_facts": UnitFactsInfo(**merged)})})
        except StarrulesError as exc:
            problems = exc.problems
            if kind == "line":
                problems = locate_line(problems, payload[0], label)
            return self.error_row(index, label, tuple(render_problem(p) for p in problems))
        except Exception as exc:  # noqa: BLE001 - the one broad catch: a bug hit by one document
            # must cost that document only, never the batch (whose rows may all be spooled)
            return self.error_row(index, label, (render_problem(internal_error(exc, display)),))
        meta = Meta(cs.id, result.branch.id, result.outcome, result.stars, result.branch.unit,
                    tuple(i.id for i in result.indicators if real_failure(i.kind, i.status, i.points)), key, scope,
                    tuple((sc.id, sc.value, sc.passed) for sc in result.scores))
        return Row(index, label, self.payload(label, result), None, meta)

    def payload(self, label: Any, result: Result) -> Any:
        if self.mode == "json":
            return result_line(label, result)
        return encode_result(result) if self.flatten else result

    def error_row(self, index: int, label: Any, error: tuple[dict[str, Any], ...]) -> Row:
        payload = error_line(label, error) if self.mode == "json" else None
        return Row(index, label, payload, error, None)


def rate_document(std: Standard, doc: Any, positions: Any, display: str | None
                  ) -> tuple[Result, tuple[Any, ...] | None, Any]:
    """One read document rated against ``std``: its result, its quota rank key and its quota
    scope (raises StarrulesError for a rejected document)."""
    cs = std.compiled
    vf = cs.validator.validate(doc, file=display, positions=positions)
    result = evaluate_facts(cs, vf, facts_sha256=facts_hash(doc, display))
    return (result, *quota_keys(cs, vf, result))


_RESULT_JSON = Result.__pydantic_serializer__.to_json  # model_dump_json() without the str round trip


def result_line(label: Any, result: Result) -> bytes:
    """The OUT line of a result, UTF-8: what ``model_dump_json()`` gives, encoded once, here
    (in the worker); it then travels, waits in the spool and lands in OUT as it is."""
    return b'{"source":' + pydantic_core.to_json(label) + b',"result":' + _RESULT_JSON(result) + b"}"


def error_line(label: Any, error: tuple[dict[str, Any], ...]) -> bytes:
    return pydantic_core.to_json({"source": label, "error": list(error)})


def internal_error(exc: BaseException, display: str | None) -> Problem:
    """The problem of a document whose rating raised something that is not a library error."""
    detail = f"{type(exc).__name__}: {exc}"
    if len(detail) > 300:
        detail = detail[:300] + "…"
    detail = detail.encode("utf-8", "backslashreplace").decode("utf-8")  # no lone surrogate
    return Problem("internal-error", {"error": detail}, file=display)


# -- the pool ---------------------------------------------------------------------------------

_WORKER: Any = None
_WORKER_ERROR: str | None = None


@dataclass(frozen=True)
class BatchWorker:
    """Builds a worker process's evaluator (pool initializer argument; picklable).  Other
    evaluations over the same sources (``starrules diff --population``) give their own
    factory to :func:`run_pool`: any object whose ``rate(item)`` returns a :class:`Row`."""

    ref: StandardRef
    mode: str
    units: UnitFacts | None = None

    def __call__(self) -> Evaluator:
        return Evaluator(self.ref, self.mode, flatten=True, units=self.units)


def _init_worker(factory: Any) -> None:
    global _WORKER, _WORKER_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "SIGTERM"):  # the parent's SIGTERM handler is not the workers' (pool.terminate)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        _WORKER = factory()
    except Exception as exc:  # noqa: BLE001 - reported by _rate_chunk: a failing initializer makes
        _WORKER_ERROR = f"{type(exc).__name__}: {exc}"  # the pool respawn workers for ever


def _rate_chunk(chunk: list[Item]) -> list[Row]:
    if _WORKER is None:
        raise RuntimeError(f"batch worker could not load the standard: {_WORKER_ERROR}")
    return [_WORKER.rate(item) for item in chunk]


def _context() -> Any:
    """fork on Linux: workers start in milliseconds and need not re-import ``__main__`` (spawn
    fails for a script read from stdin); spawn elsewhere.  Either way each worker compiles
    the standard itself, in the initializer, from its reference."""
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(items: Iterator[Item], size: int) -> Iterator[list[Item]]:
    while chunk := list(islice(items, size)):
        yield chunk


def rate_all(ref: StandardRef, preloaded: Standard | None, mode: str, items: Iterable[Item], *,
             workers: int | None = None, parallel_min: int = PARALLEL_MIN,
             chunk_size: int = CHUNK_SIZE, units: UnitFacts | None = None) -> Iterator[Row]:
    """Rows for ``items``, in input order: in worker processes when there are ``workers > 1``
    and at least ``parallel_min`` documents, else in this process (same rows either way).
    ``workers`` is clamped to the CPUs available."""
    n = default_workers() if workers is None else max(1, min(workers, default_workers()))  # never more than the CPUs
    it = iter(items)
    if n > 1:
        head = list(islice(it, parallel_min))
        it = chain(head, it)
        if len(head) >= parallel_min and reloadable(ref, preloaded):
            return _rate_parallel(ref, mode, it, n, chunk_size, units)
    return _rate_serial(Evaluator(ref, mode, preloaded, units=units), it)


def _rate_serial(ev: Evaluator, items: Iterator[Item]) -> Iterator[Row]:
    for item in items:
        yield ev.rate(item)


def _rate_parallel(ref: StandardRef, mode: str, items: Iterator[Item], workers: int, chunk_size: int,
                   units: UnitFacts | None = None) -> Iterator[Row]:
    with closing(run_pool(BatchWorker(ref, mode, units), items, workers, chunk_size)) as rows:
        for row in rows:
            if mode == "model" and row.payload is not None:
                row = row._replace(payload=decode_result(row.payload))
            yield row


def run_pool(factory: Any, items: Iterator[Item], workers: int, chunk_size: int = CHUNK_SIZE) -> Iterator[Row]:
    """Rows for ``items``, in input order, rated in ``workers`` processes by the evaluator
    ``factory()`` builds in each (at most ``AHEAD`` chunks per worker in flight)."""
    pool = _context().Pool(workers, initializer=_init_worker, initargs=(factory,))
    finished = False
    try:
        chunks = _chunks(items, chunk_size)
        pending = deque(pool.apply_async(_rate_chunk, (c,)) for c in islice(chunks, workers * AHEAD))
        while pending:
            rows = pending.popleft().get()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.apply_async(_rate_chunk, (nxt,)))
            yield from rows
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()
