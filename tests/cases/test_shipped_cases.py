"""Every case under cases/ is a pytest test, collected and compared exactly as
``starrules test`` does it (one collector: :func:`starrules._cases.collect`; one comparison:
:func:`starrules._cases.compare`).  Also: the cases cover every indicator of the shipped
standards both ways, and the independent baseline (bench/baseline.py) agrees with every case."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from starrules._cases import Case, CaseOutcome, CaseRunner, collect, failure_text
from starrules._cases.compare import same_number
from starrules._cases.coverage import Coverage

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")
REAL = ("crec-ele-2015", "workshop-c2", "percent-c3")  # real schemes (research notes B, C2, C3): no baseline


def _collect():  # ids relative to the repository: "cases/prov-2023/01-org.yaml::…"
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return collect(["cases"])
    finally:
        os.chdir(here)


COLLECTION = _collect()
RUNNER = CaseRunner()


_OUTCOMES: dict[str, CaseOutcome] = {}


def outcome_of(case: Case) -> CaseOutcome:
    """Each case runs once per session, whichever test asks first."""
    if case.id not in _OUTCOMES:
        _OUTCOMES[case.id] = RUNNER.run(case)
    return _OUTCOMES[case.id]


def test_case_files_are_valid() -> None:
    assert COLLECTION.files, "no case files under cases/"
    assert not COLLECTION.problems, "\n".join(p.render("en") for p in COLLECTION.problems)


@pytest.mark.parametrize("case", COLLECTION.cases)
def test_case(case: Case) -> None:
    outcome = outcome_of(case)
    assert outcome.passed, failure_text(outcome, "en")


def test_every_shipped_standard_is_fully_covered() -> None:
    coverage = Coverage()
    for case in COLLECTION.cases:
        result = outcome_of(case).result
        if result is not None:
            coverage.add(result)
    assert set(SHIPPED + REAL) <= set(coverage.standards), sorted(coverage.standards)
    gaps = [f"{g.standard} {g.indicator} ({g.kind}) never {'/'.join(g.missing)}"
            for g in coverage.gaps() if g.standard in SHIPPED + REAL]
    assert not gaps, "\n".join(gaps)


def test_the_baseline_agrees_with_every_case() -> None:
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))
    from baseline import rate

    disagreements = []
    for case in COLLECTION.cases:
        result = outcome_of(case).result
        if result is None or result.standard.id not in SHIPPED:
            continue
        ref = rate(result.standard.id, case.facts)
        if (result.outcome, result.stars) != (ref["outcome"], ref["stars"]) or not same_number(result.score, ref["score"]):
            disagreements.append(f"{case.id}: {result.outcome}/{result.stars}/{result.score} != "
                                 f"{ref['outcome']}/{ref['stars']}/{ref['score']}")
        for ind in result.indicators:
            r = ref["indicators"].get(ind.id)
            if r is None or r["status"] != ind.status or not same_number(r["points"], ind.points):
                disagreements.append(f"{case.id}: {ind.id} {ind.status}/{ind.points} != {r}")
    assert not disagreements, "\n".join(disagreements)
