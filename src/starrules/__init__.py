"""starrules: rules as code for 达标创星 party-branch standards.

::

    import starrules
    std = starrules.load_standard("prov-2023")
    res = starrules.evaluate(std, "examples/five-star-branch.yaml")
    res.outcome, res.stars, res.score
    res.model_dump(mode="json")
"""

from ._api import Standard, evaluate, load_standard, validate_facts
from ._batch import BatchItem, evaluate_many
from ._cases import run_cases
from ._diff import diff, impact
from ._diff.model import Impact, StandardDiff
from ._errors import (
    EngineError,
    EvaluationError,
    FactsError,
    NotFoundError,
    Problem,
    StandardError,
    StarrulesError,
    VerifyError,
)
from ._evaluate.result import DimensionResult, IndicatorResult, Result
from ._explain import Explanation, NextStar, VerifyReport, explain, next_star, report_html, verify
from ._version import __version__

__all__ = [
    "__version__",
    "Standard",
    "load_standard",
    "evaluate",
    "evaluate_many",
    "BatchItem",
    "validate_facts",
    "run_cases",
    "Result",
    "IndicatorResult",
    "DimensionResult",
    "Problem",
    "StarrulesError",
    "StandardError",
    "FactsError",
    "NotFoundError",
    "EvaluationError",
    "EngineError",
    "VerifyError",
    "explain",
    "next_star",
    "verify",
    "report_html",
    "Explanation",
    "NextStar",
    "VerifyReport",
    "diff",
    "impact",
    "StandardDiff",
    "Impact",
]
