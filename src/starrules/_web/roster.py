"""The roster: one CSV row per branch (id, name, unit, outcome, stars, score, failed items),
UTF-8 with a BOM so that Excel reads the Chinese, and every cell that a spreadsheet would
take for a formula (starting with ``= + - @``, a tab or a carriage return) prefixed with
``'`` (CSV injection: :mod:`starrules._tabular`, shared with the summary CSV)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .._batch.items import Row
from .._evaluate.result import Result
from .._explain.words import outcome_label
from .._lang import format_value
from .._tabular import csv_text, safe_cell

__all__ = ["COLUMNS", "batch_row", "error_row", "result_row", "roster_csv", "safe_cell"]

COLUMNS = ("id", "name", "unit", "outcome", "stars", "score", "failed_items")
ERROR_LABEL = {"zh": "出错", "en": "error"}


def result_row(result: Result, lang: str) -> list[str]:
    outcome = result.outcome_label if lang == "zh" else outcome_label(result.outcome, {}, lang)
    failed = [i.id for i in result.indicators if i.status == "FAIL"]
    score = "" if result.score is None else format_value(result.score, "en")
    stars = "" if result.stars is None else str(result.stars)
    return [result.branch.id, result.branch.name or "", result.branch.unit or "", outcome, stars, score,
            " ".join(failed)]


def error_row(where: str, error: Iterable[dict[str, Any]], lang: str) -> list[str]:
    codes = list(dict.fromkeys(p["code"] for p in error))
    return [where, "", "", ERROR_LABEL.get(lang, "error"), "", "", " ".join(codes)]


def batch_row(row: Row, where: str, lang: str) -> list[str]:
    if row.payload is not None and isinstance(row.payload, Result):
        return result_row(row.payload, lang)
    return error_row(where, row.error or (), lang)


def roster_csv(rows: Iterable[list[str]]) -> bytes:
    return csv_text([COLUMNS, *rows]).encode("utf-8-sig")
