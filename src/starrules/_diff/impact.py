"""Population impact: every branch rated under standard A and under standard B.

One pass over the sources (the batch's: folders, JSONL, iterables), in worker processes
when it pays (:func:`starrules._batch.workers.run_pool`): each worker reads a document
once, validates and rates it against both standards, and sends back only a small pair
record (outcome, stars, score, rank key per side, and the indicators whose status
differs with both explanations).  The parent keeps aggregates (the transition matrix,
flip counts, score and star changes) and the first ``affected_limit`` affected branches;
nothing else stays in memory.

A standard with a quota (``rating.quota``) needs every branch first: then the pair records
wait in a temporary file (:class:`starrules._batch.spool.Spool`), each side's quota is
decided as ``batch`` decides it (over the branches that side rated), and the records come
back with the demotions applied.  A document rejected by either standard (or whose
``branch.id`` was seen before) is a broken row: reported, not diffed; the standard that
did rate it still counts it for its quota, as its own ``batch`` would.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from .._api import Standard, load_standard
from .._batch import workers as _workers
from .._batch.items import Row, render_problem
from .._batch.quota import QuotaRule, Ranking, rule_of
from .._batch.sources import SourceItem, iter_documents, iter_input, load, locate_line
from .._batch.spool import Spool
from .._batch.workers import Item, StandardRef, rate_document, reloadable, resolve
from .._errors import Problem, StarrulesError
from .._evaluate.result import Result, Texts
from .model import (
    STATES,
    AffectedBranch,
    BrokenRow,
    Delta,
    Flip,
    FlipCount,
    Impact,
    Rating,
    Transition,
    state,
)
from .standards import ref_of

ABSENT = "—"
AFFECTED_LIMIT = 200
BROKEN_LIMIT = 200

# a side of a pair record: (outcome, outcome_label, stars, score, rank key, quota note)
Side = tuple[str, str, int | None, Any, Any, Any]
# a changed indicator: (id, status under A, under B, explanation under A, under B, kind under A, under B,
# points under A, under B); None where a side lacks it
FlipRec = tuple[str, str, str, tuple[str, str] | None, tuple[str, str] | None, str | None, str | None, Any, Any]
#: statuses for which an indicator's kind decides something (a PASS is a PASS whatever its kind)
_KIND_MATTERS = frozenset({"FAIL", "UNKNOWN"})


def _side(result: Result, key: Any) -> Side:
    return (result.outcome, result.outcome_label, result.stars, result.score, key, None)


def _texts(t: Texts) -> tuple[str, str]:
    return (t.zh, t.en)


def pair_record(ra: Result, ka: Any, rb: Result, kb: Any) -> tuple[Any, ...]:
    """What the parent needs of a branch rated under both standards (cheap to pickle)."""
    by_b = {i.id: i for i in rb.indicators}
    flips: list[FlipRec] = []
    for ia in ra.indicators:
        ib = by_b.pop(ia.id, None)
        if ib is None:
            flips.append((ia.id, ia.status, ABSENT, _texts(ia.explanation), None, ia.kind, None, ia.points, None))
        elif (ia.status != ib.status or ia.points != ib.points
              or (ia.kind != ib.kind and ib.status in _KIND_MATTERS)):
            flips.append((ia.id, ia.status, ib.status, _texts(ia.explanation), _texts(ib.explanation),
                          ia.kind, ib.kind, ia.points, ib.points))
    for ib in by_b.values():
        flips.append((ib.id, ABSENT, ib.status, None, _texts(ib.explanation), None, ib.kind, None, ib.points))
    branch = (ra.branch.id, ra.branch.name, ra.branch.unit)
    return (branch, _side(ra, ka), _side(rb, kb), tuple(flips))


def _where(index: int, label: Any, kind: str, payload: Any) -> str:
    if kind == "line":
        return f"{payload[0]}:{label}"
    return str(label) if label is not None else f"#{index}"


def _dedupe(problems: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for p in problems:
        seen.setdefault((p["code"], p["path"], p["line"], p["message"]["en"]), p)
    return tuple(seen.values())


class PairEvaluator:
    """Rates source items against both standards; one per process."""

    def __init__(self, a: StandardRef, b: StandardRef, pre_a: Standard | None = None,
                 pre_b: Standard | None = None) -> None:
        self.a = pre_a or load_standard(a.ref, standards_dirs=a.dirs)
        self.b = pre_b or load_standard(b.ref, standards_dirs=b.dirs)
        for ref, std in ((a, self.a), (b, self.b)):
            if ref.sha256 is not None and std.sha256 != ref.sha256:
                raise RuntimeError(f"standard {ref.ref} changed while the diff was starting")

    def rate(self, item: Item) -> Row:
        """A :class:`Row` whose payload is a pair record, or, for a broken row, ``(side,
        rank key under A or False, rank key under B or False)`` (False: not rated) with
        ``error`` set."""
        index, label, kind, payload = item
        where = _where(index, label, kind, payload)  # always a str: rows carry it as their source
        try:
            doc, positions, display = load(kind, payload)
        except StarrulesError as exc:
            return Row(index, where, ("both", False, False), self._render(exc, kind, payload, label), None)
        got: dict[str, tuple[Result, Any]] = {}
        errors: dict[str, tuple[dict[str, Any], ...]] = {}
        for side, std in (("a", self.a), ("b", self.b)):
            try:
                got[side] = rate_document(std, doc, positions, display)
            except StarrulesError as exc:
                errors[side] = self._render(exc, kind, payload, label)
        if errors:
            which = "both" if len(errors) == 2 else next(iter(errors))
            keys = tuple(got[s][1] if s in got else False for s in ("a", "b"))
            return Row(index, where, (which, *keys), _dedupe(chain(*errors.values())), None)
        (ra, ka, _), (rb, kb, _) = got["a"], got["b"]  # impact ranks each side's whole population
        return Row(index, where, pair_record(ra, ka, rb, kb), None, None)

    @staticmethod
    def _render(exc: StarrulesError, kind: str, payload: Any, label: Any) -> tuple[dict[str, Any], ...]:
        problems = exc.problems
        if kind == "line":
            problems = locate_line(problems, payload[0], label)
        return tuple(render_problem(p) for p in problems)


@dataclass(frozen=True)
class PairWorker:
    """Pool initializer argument: builds a worker's :class:`PairEvaluator` (picklable)."""

    a: StandardRef
    b: StandardRef

    def __call__(self) -> PairEvaluator:
        return PairEvaluator(self.a, self.b)


# -- the parent --------------------------------------------------------------------------------


def _num_key(value: Any) -> tuple[int, Any]:
    return (1, 0) if value is None else (0, value)


class _Tally:
    """The aggregates, and the first affected branches."""

    def __init__(self, titles: dict[str, tuple[str, str]], affected_limit: int, broken_limit: int) -> None:
        self.titles = titles
        self.affected_limit = affected_limit
        self.broken_limit = broken_limit
        self.branches = self.rated = self.changed = 0
        self.matrix: Counter[tuple[str, str]] = Counter()
        self.flips: dict[str, Counter[str]] = {}
        self.kinds: Counter[str] = Counter()
        self.points: Counter[str] = Counter()
        self.scores: Counter[Any] = Counter()
        self.stars: Counter[Any] = Counter()
        self.affected: list[AffectedBranch] = []
        self.affected_more = 0
        self.broken: list[BrokenRow] = []
        self.broken_more = 0

    def broken_row(self, source: str, side: str, problems: tuple[dict[str, Any], ...]) -> None:
        self.branches += 1
        if len(self.broken) < self.broken_limit:
            self.broken.append(BrokenRow(source=source, side=side, problems=problems))  # type: ignore[arg-type]
        else:
            self.broken_more += 1

    def pair(self, source: str, record: tuple[Any, ...]) -> None:
        (bid, name, unit), sa, sb, flips = record
        self.branches += 1
        self.rated += 1
        before, after = state(sa[0], sa[2]), state(sb[0], sb[2])
        self.matrix[(before, after)] += 1
        for ind, x, y, _, _, ka, kb, pa, pb in flips:
            counts = self.flips.setdefault(ind, Counter())
            if x != y:
                counts[f"{x}→{y}"] += 1
            if ka is not None and kb is not None:
                if ka != kb:
                    self.kinds[ind] += 1
                if pa != pb:
                    self.points[ind] += 1
        score_delta = None if sa[3] is None or sb[3] is None else sb[3] - sa[3]
        star_delta = None if sa[2] is None or sb[2] is None else sb[2] - sa[2]
        self.scores[score_delta] += 1
        self.stars[star_delta] += 1
        # moved: the rating, or an indicator both standards have (an added indicator alone does not)
        moved = before != after or sa[3] != sb[3] or any(
            x != ABSENT and y != ABSENT and x != y for _, x, y, *_ in flips)
        if not moved:
            return
        self.changed += 1
        if len(self.affected) >= self.affected_limit:
            self.affected_more += 1
            return
        self.affected.append(AffectedBranch(
            source=source, branch_id=bid, name=name, unit=unit, before=_rating(sa), after=_rating(sb),
            flips=tuple(Flip(id=ind, title=self.titles.get(ind, ("", ""))[0], dimension=self.titles.get(ind, ("", ""))[1],
                             before=x, after=y, explanation_before=_t(ea), explanation_after=_t(eb),
                             kind_before=ka, kind_after=kb, points_before=pa, points_after=pb)
                        for ind, x, y, ea, eb, ka, kb, pa, pb in flips)))

    def result(self, a: Any, b: Any, quota: dict[str, bool]) -> Impact:
        states = list(STATES)
        for cell in self.matrix:
            states += [s for s in cell if s not in states]
        flips = []
        order = list(self.titles)
        for ind in sorted(self.flips, key=lambda i: order.index(i) if i in order else len(order)):
            counts = self.flips[ind]
            title, dim = self.titles.get(ind, ("", ""))
            flips.append(FlipCount(id=ind, title=title, dimension=dim, counts=dict(counts.most_common()),
                                   total=sum(counts.values()), kind_changed=self.kinds[ind],
                                   points_changed=self.points[ind]))
        return Impact(
            a=a, b=b, branches=self.branches, rated=self.rated, changed=self.changed, quota_applied=quota,
            states=tuple(states),
            matrix=tuple(Transition(before=x, after=y, count=n)
                         for (x, y), n in sorted(self.matrix.items(), key=lambda kv: (states.index(kv[0][0]),
                                                                                      states.index(kv[0][1])))),
            flips=tuple(flips),
            score_changes=tuple(Delta(delta=d, count=n) for d, n in sorted(self.scores.items(),
                                                                            key=lambda kv: _num_key(kv[0]))),
            star_changes=tuple(Delta(delta=d, count=n) for d, n in sorted(self.stars.items(),
                                                                           key=lambda kv: _num_key(kv[0]))),
            affected=tuple(self.affected), affected_truncated=self.affected_more,
            broken=tuple(self.broken), broken_truncated=self.broken_more)


def _t(pair: tuple[str, str] | None) -> Texts | None:
    return None if pair is None else Texts(zh=pair[0], en=pair[1])


def _rating(side: Side) -> Rating:
    outcome, label, stars, score, _, note = side
    return Rating(outcome=outcome, outcome_label=label, stars=stars, score=score, quota=note)


def _apply(side: Side, decided: tuple[int, Any] | None) -> Side:
    if decided is None:
        return side
    stars, info = decided
    return (side[0], side[1], stars, side[3], side[4], info.note if info.demoted else None)


StandardArg = Standard | str | os.PathLike[str]


class ImpactRun:
    """One impact pass (see the module docstring); :meth:`run` gives the :class:`Impact`."""

    def __init__(self, a: StandardArg, b: StandardArg, sources: Iterable[SourceItem], *,
                 standards_dirs: Iterable[str | os.PathLike[str]] = (), workers: int | None = None,
                 apply_quota: bool = True, affected_limit: int = AFFECTED_LIMIT, broken_limit: int = BROKEN_LIMIT,
                 parallel_min: int | None = None, spool_dir: str | None = None) -> None:
        dirs = tuple(str(d) for d in standards_dirs)
        self.ref_a, std_a = resolve(a, dirs)
        self.ref_b, std_b = resolve(b, dirs)
        if std_a is None or std_b is None:  # a family without a year: resolve() left it open
            load_standard(str(a if std_a is None else b), standards_dirs=dirs)  # raises no-version-for-year
        assert std_a is not None and std_b is not None
        self.a, self.b = std_a, std_b
        self.sources = sources
        self.workers = workers
        self.parallel_min = _workers.PARALLEL_MIN if parallel_min is None else parallel_min
        self.spool_dir = spool_dir
        self.rules: dict[str, QuotaRule | None] = {"a": rule_of(std_a), "b": rule_of(std_b)}
        self.apply_quota = apply_quota and any(self.rules.values())
        self.affected_limit = affected_limit
        self.broken_limit = broken_limit

    def _titles(self) -> dict[str, tuple[str, str]]:
        titles = {ci.id: (ci.spec.title, ci.spec.dimension) for ci in self.a.compiled.indicators}
        titles.update({ci.id: (ci.spec.title, ci.spec.dimension) for ci in self.b.compiled.indicators})
        return titles

    def _rows(self) -> Iterator[Row]:
        items: Iterator[Item] = ((i, label, kind, payload) for i, (label, kind, payload) in enumerate(self.sources))
        n = _workers.default_workers() if self.workers is None else self.workers
        if n > 1:
            head = list(islice(items, self.parallel_min))
            items = chain(head, items)
            if (len(head) >= self.parallel_min and reloadable(self.ref_a, self.a)
                    and reloadable(self.ref_b, self.b)):
                return _workers.run_pool(PairWorker(self.ref_a, self.ref_b), items, n)
        ev = PairEvaluator(self.ref_a, self.ref_b, self.a, self.b)
        return (ev.rate(item) for item in items)

    def run(self) -> Impact:
        tally = _Tally(self._titles(), self.affected_limit, self.broken_limit)
        rankings = {s: Ranking(r) for s, r in self.rules.items() if r is not None and self.apply_quota}
        seen: dict[str, str] = {}
        spool = Spool("pairs", self.spool_dir) if rankings else None
        try:
            with closing(self._rows()) as rows:  # type: ignore[type-var]
                for row in rows:
                    row = self._admit(row, seen, rankings)
                    if spool is not None:
                        spool.append(row)
                    else:
                        self._count(tally, row, {})
            if spool is not None:
                decided = {s: {i: r.outcome(rank) for i, rank in r.decide().items()} for s, r in rankings.items()}
                for row in spool:
                    self._count(tally, row, decided)
        finally:
            if spool is not None:
                spool.close()
        return tally.result(ref_of(self.a.resolved, self.a.sha256), ref_of(self.b.resolved, self.b.sha256),
                            {s: s in rankings for s in ("a", "b")})

    @staticmethod
    def _admit(row: Row, seen: dict[str, str], rankings: dict[str, Ranking]) -> Row:
        """Duplicate ``branch.id`` → a broken row; rank keys to each side's quota."""
        if row.error is None:
            bid = row.payload[0][0]
            if bid in seen:
                p = Problem("batch-duplicate-branch", {"id": bid, "first": seen[bid]}, file=str(row.source),
                            path="branch.id")
                return Row(row.index, row.source, ("both", False, False), (render_problem(p),), None)
            seen[bid] = str(row.source)
            keys = {"a": row.payload[1][4], "b": row.payload[2][4]}
        else:
            keys = {"a": row.payload[1], "b": row.payload[2]}
        for side, ranking in rankings.items():
            if keys[side] is not False:  # rated on that side
                ranking.add(row.index, keys[side])
        return row

    @staticmethod
    def _count(tally: _Tally, row: Row, decided: dict[str, dict[int, tuple[int, Any]]]) -> None:
        if row.error is not None:
            tally.broken_row(str(row.source), row.payload[0], row.error)
            return
        branch, sa, sb, flips = row.payload
        sa = _apply(sa, decided.get("a", {}).get(row.index))
        sb = _apply(sb, decided.get("b", {}).get(row.index))
        tally.pair(str(row.source), (branch, sa, sb, flips))


def population_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[SourceItem]:
    """The documents of several paths, in order, read as ``batch`` reads its INPUT
    (:func:`starrules._batch.sources.iter_input`: a folder of YAML/JSON files, a JSONL file, a
    YAML file, and whatever else batch reads); a ``.json`` file is one facts document."""
    for path in paths:
        p = str(path)
        if p.lower().endswith(".json") and not os.path.isdir(p):
            yield p, "path", p
        else:
            yield from iter_input(p)


def open_population(facts: Any) -> Iterable[SourceItem]:
    """A path (folder, JSONL, one facts file), or an iterable of documents, facts file paths
    or ``(label, document)`` pairs (as :func:`starrules.evaluate_many` takes)."""
    if isinstance(facts, (str, os.PathLike)):
        return population_sources([facts])
    if isinstance(facts, (list, tuple)) and facts and all(isinstance(f, (str, os.PathLike)) for f in facts):
        return population_sources(facts)
    return iter_documents(facts)


__all__ = ["ABSENT", "ImpactRun", "PairEvaluator", "PairWorker", "open_population", "pair_record", "population_sources"]
