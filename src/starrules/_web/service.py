"""The library behind the pages and the API: standards by registry id only, one cache of
compiled standards per application, evaluation, explanations, batches, verify.

No FastAPI here: plain functions over the library, raising :class:`StarrulesError`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import _api
from .._batch.items import Row, render_problem
from .._batch.run import BatchRun
from .._batch.sources import SourceItem
from .._errors import FactsError, NotFoundError, Problem, StarrulesError, VerifyError
from .._evaluate.result import Result
from .._explain.explain import Explanation, explain_session
from .._explain.next_star import NextStar, next_star_session
from .._explain.report import render_report
from .._explain.session import Session, open_session
from .._explain.verify import VerifyReport, verify
from .._standard.registry import Header, Registry
from .._yaml import Positions
from .settings import WebSettings


def timeout_problem(settings: WebSettings) -> Problem:
    return Problem("request-timeout", {"limit": f"{settings.max_seconds:g}"})


class Service:
    """Thread-safe: compiled standards are immutable; the cache only grows to the registry's ids."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.registry = Registry(settings.standards_dirs)
        self._loaded: dict[str, _api.Standard] = {}
        self._lock = threading.Lock()

    # -- standards -----------------------------------------------------------------------
    def headers(self) -> list[Header]:
        return sorted(self.registry.headers().values(), key=lambda h: (h.family, h.start or 0, h.id))

    def families(self) -> dict[str, list[Header]]:
        out: dict[str, list[Header]] = {}
        for h in self.headers():
            out.setdefault(h.family, []).append(h)
        return out

    def choices(self) -> list[str]:
        """What a request may name: the ids, then the families (picked by the facts' year)."""
        ids = [h.id for h in self.headers()]
        return ids + [f for f in self.families() if f not in ids]

    def _not_found(self, name: str) -> NotFoundError:
        return NotFoundError(Problem("standard-not-found", {"name": name, "available": self.choices()},
                                     path="standard"))

    def by_id(self, sid: str) -> _api.Standard:
        """A standard by its registry id (never a path)."""
        headers = self.registry.headers()
        if sid not in headers:
            raise self._not_found(sid)
        std = self._loaded.get(sid)
        if std is None:
            std = _api.load_standard(sid, standards_dirs=self.settings.standards_dirs)
            with self._lock:
                self._loaded.setdefault(sid, std)
        return std

    def pick(self, name: str, doc: Any) -> _api.Standard:
        """An id, or a family whose version is picked by the facts' ``year``."""
        if name in self.registry.headers():
            return self.by_id(name)
        versions = self.families().get(name)
        if not versions:
            raise self._not_found(name)
        year = _api._year_of(doc)
        covering = [h for h in versions if year is not None and h.covers(year)]
        if not covering:  # the library's own problem (no-version-for-year)
            _api.load_for_year(name, doc, None, self.settings.standards_dirs)  # the library's own problem
            raise self._not_found(name)
        picked = self.by_id(covering[-1].id)
        return _api.Standard(picked.compiled, note=f"{name} → {picked.id} ({covering[-1].period})")

    def batch_standard(self, name: str) -> _api.Standard | str:
        """What a batch is rated against: a loaded standard, or a family name (per document)."""
        if name in self.registry.headers():
            return self.by_id(name)
        if name in self.families():
            return name
        raise self._not_found(name)

    # -- one branch ----------------------------------------------------------------------
    def evaluate(self, name: str, doc: Any, positions: Positions | None, file: str | None, *,
                 embed_facts: bool = False) -> Result:
        std = self.pick(name, doc)
        return _api.evaluate_document(std, doc, positions=positions, file=file, embed_facts=embed_facts)

    def rate_page(self, name: str, doc: Any, positions: Positions | None, file: str | None, lang: str) -> Rated:
        """Everything the result page shows: the result, each indicator's explanation, what the
        next level takes and the report (the very HTML of ``starrules report``)."""
        std = self.pick(name, doc)
        session = open_session(std, _mapping(std, doc, positions, file), positions=positions, file=file)
        nxt = next_star_session(session, lang=lang)
        explanations = {i.id: explain_session(session, i.id, lang=lang) for i in session.result.indicators}
        overall = explain_session(session, None, lang=lang)
        report = render_report([session.result], lang=lang, next_stars=[nxt], standard=session.cs)
        return Rated(std, session, nxt, explanations, overall, report)

    def report(self, name: str, docs: list[Any], lang: str) -> str:
        """One HTML report for rated documents (``report_html``'s output: results and next star)."""
        results, nexts = [], []
        cs = None
        for doc in docs:
            std = self.pick(name, doc)
            session = open_session(std, _mapping(std, doc, None, None))
            results.append(session.result)
            nexts.append(next_star_session(session, lang=lang))
            cs = session.cs
        return render_report(results, lang=lang, next_stars=nexts, standard=cs)

    # -- verify --------------------------------------------------------------------------
    def verify(self, recorded: Any, facts: Any) -> VerifyReport:
        """Re-run a recorded result (parsed JSON); the standard only by its registry id."""
        if not isinstance(recorded, dict):
            raise VerifyError(Problem("not-a-mapping", {}, path="result"))
        std = recorded.get("standard")
        sid = std.get("id") if isinstance(std, dict) else None
        if not isinstance(sid, str):
            raise VerifyError(Problem("missing-key", {"key": "standard.id"}, path="result.standard.id"))
        if sid not in self.registry.headers():
            raise self._not_found(sid)
        if facts is not None and not isinstance(facts, dict):
            raise VerifyError(Problem("facts-not-mapping", {"path": "facts"}, path="facts"))
        return verify(recorded, facts=facts, standards_dirs=self.settings.standards_dirs)

    # -- batches -------------------------------------------------------------------------
    def batch(self, name: str, sources: list[SourceItem], *, mode: str, apply_quota: bool) -> BatchJob:
        """A batch ready to run (the standard resolved now, so a wrong name fails before any row)."""
        run = BatchRun(self.batch_standard(name), sources, mode=mode, standards_dirs=self.settings.standards_dirs,
                       workers=1, apply_quota=apply_quota)
        return BatchJob(run, self.settings)


def _mapping(std: _api.Standard, doc: Any, positions: Positions | None, file: str | None) -> Mapping[str, Any]:
    """``doc`` if it is a mapping, else the validator's own problem (facts-not-mapping): a
    document that is a bare string must never reach an API that takes a string for a path."""
    if not isinstance(doc, Mapping):
        std.compiled.validator.validate(doc, file=file, positions=positions)
        raise FactsError(Problem("facts-not-mapping", {"path": ""}, file=file))
    return doc


@dataclass
class Rated:
    standard: _api.Standard
    session: Session
    next_star: NextStar
    explanations: dict[str, Explanation]
    overall: Explanation
    report: str

    @property
    def result(self) -> Result:
        return self.session.result


class _Overtime(Exception):
    pass


@dataclass
class BatchJob:
    """Rows of a batch in input order, stopping at the time limit: then the rows rated so far
    and ``timed_out``; :meth:`summary_line` is the closing line of an incomplete JSONL."""

    run: BatchRun
    settings: WebSettings
    timed_out: bool = False
    rows_out: int = 0
    _deadline: float = field(default=0.0)

    def rows(self) -> Iterator[Row]:
        self._deadline = time.monotonic() + self.settings.max_seconds
        self.run.on_rated = self._check
        with self.run:
            try:
                for row in self.run:
                    self.rows_out += 1
                    yield row
                    self._check(row)
            except _Overtime:
                self.timed_out = True
                for row in self.run.partial_rows():
                    self.rows_out += 1
                    yield row

    def _check(self, _row: Row) -> None:
        if time.monotonic() > self._deadline:
            raise _Overtime

    def summary_line(self) -> dict[str, Any]:
        p = timeout_problem(self.settings)
        n = self.rows_out
        quota = self.run.quota_in_play and not self.run.quota_applied
        zh = f"处理超时：只有前 {n} 个输入的结果，不完整" + ("；未应用名额限制。" if quota else "。")
        en = f"Timed out: the first {n} inputs only, incomplete" + ("; the quota was not applied." if quota else ".")
        return {"summary": {"complete": False, "timed_out": True, "rows": n, "standard": self.run.ref.ref,
                            "quota_declared": self.run.quota_in_play, "quota_applied": self.run.quota_applied,
                            "message": {"zh": zh, "en": en}, "error": [render_problem(p)]}}


def problems_of(exc: StarrulesError) -> list[dict[str, Any]]:
    """A library error as the batch output renders it: code, place, zh/en message and fix."""
    return [render_problem(p) for p in exc.problems]
