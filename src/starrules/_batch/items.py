"""What a batch yields: :class:`BatchItem` (public) and the internal :class:`Row` that travels
from the workers to the parent process, plus the zh+en rendering of a row's problems."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from .._errors import Problem
from .._evaluate.result import Result

#: where a document came from: a file path, a line number of a JSONL file, or None
SourceLabel = str | int | None


def render_problem(p: Problem) -> dict[str, Any]:
    """One problem as JSON, its message and fix in both languages (OUT's ``error`` items)."""
    fix_zh, fix_en = p.fix("zh"), p.fix("en")
    return {
        "code": p.code,
        "file": p.file,
        "line": p.line,
        "col": p.col,
        "path": p.path,
        "message": {"zh": p.message("zh"), "en": p.message("en")},
        "fix": {"zh": fix_zh, "en": fix_en} if fix_zh or fix_en else None,
    }


class Meta(NamedTuple):
    """What the parent needs of a rated branch besides its result (cheap to pickle)."""

    standard: str  # id of the standard it was rated against
    branch_id: str
    outcome: str
    stars: int | None
    unit: str | None
    failed: tuple[str, ...]  # ids of the indicators that really failed (marks.real_failure)
    rank: tuple[Any, ...] | None  # the quota's rank key, for candidates of the quota's star level
    scope: Any = None  # the value of the quota's scope (None: the whole batch)
    scores: tuple[tuple[str, Any, bool | None], ...] = ()  # the named scores: (id, value, passed)


class Row(NamedTuple):
    """One input document, evaluated.

    ``payload`` is, in ``json`` mode, the complete OUT line (UTF-8, no newline); in ``model``
    mode the :class:`Result` (or ``None`` for an error row).  ``error`` holds the rendered
    problems of a rejected document, ``meta`` what the parent needs of a rated one."""

    index: int
    source: SourceLabel
    payload: Any
    error: tuple[dict[str, Any], ...] | None
    meta: Meta | None

    @property
    def rated(self) -> bool:
        return self.meta is not None


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One document of :func:`starrules.evaluate_many`, in input order.

    Exactly one of ``result`` and ``error`` is set: ``error`` lists the problems that made the
    document rejected (malformed JSON, wrong types, a missing or duplicate ``branch.id``),
    each a dict with ``code``, ``file``, ``line``, ``col``, ``path``, ``message`` and ``fix``
    (the last two ``{"zh": ..., "en": ...}``)."""

    index: int
    source: SourceLabel
    result: Result | None = None
    error: tuple[dict[str, Any], ...] | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None
