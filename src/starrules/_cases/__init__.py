"""Test cases that policy staff write: a case file names a standard, a base branch and cases
that change one thing each and say what to expect (docs/test-cases.md).

``starrules test`` and the pytest suite share one collector (:func:`collect`) and one
comparison (:func:`compare`).

- ``model``    the case-file format (pydantic, extra keys forbidden)
- ``load``     find case files, validate them, merge each case's facts onto the base
- ``merge``    deep merge with the origin (file:line:col) of every value
- ``compare``  expected vs actual, exact numbers
- ``run``      load standards once, evaluate, compare -> :class:`CaseReport`
- ``coverage`` which statuses each indicator has been seen with
- ``report``   a failing case in plain words (zh/en)
"""

from .compare import Mismatch, compare
from .coverage import Coverage, Gap
from .load import Case, CaseError, Collection, collect, find_case_files, load_case_file
from .model import CaseFileSpec, CaseSpec, Expect, IndicatorExpect
from .report import failure_lines, failure_text
from .run import CaseOutcome, CaseReport, CaseRunner, run_cases

__all__ = [
    "Case",
    "CaseError",
    "CaseFileSpec",
    "CaseOutcome",
    "CaseReport",
    "CaseRunner",
    "CaseSpec",
    "Collection",
    "Coverage",
    "Expect",
    "Gap",
    "IndicatorExpect",
    "Mismatch",
    "collect",
    "compare",
    "failure_lines",
    "failure_text",
    "find_case_files",
    "load_case_file",
    "run_cases",
]
