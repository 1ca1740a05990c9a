"""Run cases: load each standard once, evaluate the case's facts, compare with ``expect``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .._api import Standard, evaluate_document, load_standard
from .._errors import Problem, StarrulesError
from .._evaluate.result import Result
from .compare import Mismatch, compare, unknown_indicators
from .coverage import Coverage
from .load import Case, Collection, collect, invalid
from .merge import parse_path


@dataclass(frozen=True)
class CaseOutcome:
    """A case that ran: its result (unless the facts were rejected) and what differed."""

    case: Case
    result: Result | None = None
    mismatches: tuple[Mismatch, ...] = ()
    problems: tuple[Problem, ...] = ()  # the standard or the merged facts were rejected

    @property
    def passed(self) -> bool:
        return not self.mismatches and not self.problems


class CaseRunner:
    """Runs cases; each standard is loaded (and compiled) once."""

    def __init__(self, standards_dirs: Sequence[str | os.PathLike[str]] = ()) -> None:
        self.standards_dirs = tuple(standards_dirs)
        self._standards: dict[str, Standard | StarrulesError] = {}

    def standard(self, ref: str) -> Standard:
        if ref not in self._standards:
            try:
                self._standards[ref] = load_standard(ref, standards_dirs=self.standards_dirs)
            except StarrulesError as exc:
                self._standards[ref] = exc
        found = self._standards[ref]
        if isinstance(found, StarrulesError):
            raise found
        return found

    def run(self, case: Case) -> CaseOutcome:
        try:
            std = self.standard(case.standard)
        except StarrulesError as exc:
            line, col = case.where("name")
            head = invalid(f"用例 “{case.name}” 的标准 {case.standard} 无法加载",
                           f"the standard {case.standard} of case '{case.name}' cannot be loaded",
                           case.file, line, col)
            return CaseOutcome(case, problems=(head, *exc.problems))
        try:
            result = evaluate_document(std, case.facts)
        except StarrulesError as exc:
            return CaseOutcome(case, problems=tuple(self._locate(case, p) for p in exc.problems))
        problems = []
        for iid in unknown_indicators(case.expect, result):
            line, col = case.where("expect", "indicators", iid)
            problems.append(invalid(f"标准 {std.id} 中没有指标 {iid}", f"standard {std.id} has no indicator {iid}",
                                    case.file, line, col, f"cases[{case.index}].expect.indicators.{iid}"))
        return CaseOutcome(case, result, tuple(compare(case.expect, result)), tuple(problems))

    @staticmethod
    def _locate(case: Case, p: Problem) -> Problem:
        """A facts problem points at the line that wrote the value: the case or its base."""
        if p.file is not None and p.line is not None:
            return p
        file, line, col = case.origins.locate(parse_path(p.path))
        return replace(p, file=file or case.file, line=line, col=col)


@dataclass
class CaseReport:
    """Every case run, the problems of the files that could not be loaded, and coverage."""

    outcomes: list[CaseOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def passed(self) -> int:
        return sum(1 for o in self.outcomes if o.passed)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.passed)

    @property
    def ok(self) -> bool:
        return not self.problems and all(o.passed for o in self.outcomes)


def run_cases(
    paths: Sequence[str | os.PathLike[str]] = ("cases",),
    *,
    standards_dirs: Sequence[str | os.PathLike[str]] = (),
    select: str | None = None,
    collection: Collection | None = None,
) -> CaseReport:
    """Collect the cases under ``paths`` (files or folders of case files) and run them.

    ``select`` keeps the cases whose ``file::name`` contains it.  Library code: nothing is
    printed; ``starrules test`` renders the report."""
    found = collection if collection is not None else collect([Path(p) for p in paths])
    runner = CaseRunner(standards_dirs)
    report = CaseReport(problems=list(found.problems))
    for case in found.cases:
        if select and select not in case.id:
            continue
        outcome = runner.run(case)
        report.outcomes.append(outcome)
        if outcome.result is not None:
            report.coverage.add(outcome.result)
    return report


__all__ = ["CaseOutcome", "CaseReport", "CaseRunner", "run_cases"]
