"""The public API is what ``starrules.__all__`` says (httpx-style pin)."""

import starrules


def test_all_is_pinned() -> None:
    expected = {
        "__version__", "Standard", "load_standard", "evaluate", "validate_facts", "Result", "IndicatorResult",
        "DimensionResult", "Problem", "StarrulesError", "StandardError", "FactsError", "NotFoundError",
        "EvaluationError", "EngineError", "VerifyError", "evaluate_many", "BatchItem", "run_cases", "explain",
        "next_star", "verify", "report_html", "Explanation", "NextStar", "VerifyReport", "diff", "impact",
        "StandardDiff", "Impact",
    }
    assert expected <= set(starrules.__all__)
    for name in starrules.__all__:
        assert hasattr(starrules, name), name


def test_errors_form_one_tree() -> None:
    for name in ("StandardError", "FactsError", "NotFoundError", "EvaluationError", "EngineError", "VerifyError"):
        assert issubclass(getattr(starrules, name), starrules.StarrulesError)
