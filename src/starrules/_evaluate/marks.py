"""How an indicator's status reads for people: a score item below full marks is 部分得分
(partial marks) or 未得分 (no points), a deduction taken is 扣分 (deducted), never
"未通过" (failed); the status code in results stays ``FAIL`` (reference-standard.md §2).

Also which results count as real failures (``batch``'s "most failed indicators"): a FAIL of
a condition (required, veto, star, cap) and a score item that earned nothing.
"""

from __future__ import annotations

from typing import Any

STATUS_WORDS = {
    "zh": {"PASS": "通过", "FAIL": "未通过", "NA": "不适用", "UNKNOWN": "待核实"},
    "en": {"PASS": "passed", "FAIL": "failed", "NA": "does not apply", "UNKNOWN": "unknown"},
}
PARTIAL = {"zh": "部分得分", "en": "partial marks"}
NO_POINTS = {"zh": "未得分", "en": "no points"}
DEDUCTED = {"zh": "扣分", "en": "deducted"}
CONDITION_KINDS = frozenset({"required", "veto", "star", "cap"})


def status_word(kind: str, status: str, points: Any, lang: str) -> str:
    """The word for a status, by kind: see the module docstring."""
    if status == "FAIL":
        if kind == "score":
            return (PARTIAL if points not in (0, None) else NO_POINTS)[lang]
        if kind == "deduction":
            return DEDUCTED[lang]
    return STATUS_WORDS[lang][status]


def real_failure(kind: str, status: str, points: Any) -> bool:
    """A failed condition, or a score item with no points (partial marks and deductions are not)."""
    if status != "FAIL":
        return False
    if kind in CONDITION_KINDS:
        return True
    return kind == "score" and points in (0, None)
