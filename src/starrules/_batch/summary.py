"""What a batch adds up to: counts per outcome and star level, per unit (``branch.unit``),
the most failed indicators (real failures: a failed condition or a score item with no
points, not partial marks or deductions), the named scores (how many reached each pass
line, the mean), the errors, and the counts as CSV for Excel.  Units come in the order they
first appear (or a declared order), never sorted by code point; rates are over the rated
branches, error rows apart.

Pure data (no printing): the CLI draws it as rich tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from .._files import write_atomic
from .._tabular import csv_text
from .items import Row

#: the count columns, in order: met at each star level, then not_met, pending and errors
COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("met", 5), ("met", 4), ("met", 3), ("met", 2), ("met", 1), ("met", 0),
    ("not_met", None), ("pending", None), ("error", None),
)
DEFAULT_LABELS = {
    "zh": {"met": "达标", "not_met": "不达标", "pending": "待核实"},
    "en": {"met": "met", "not_met": "not met", "pending": "pending"},
}
MAX_ERRORS_KEPT = 1000


def order_units(seen: Iterable[str], declared: Iterable[str] = ()) -> list[str]:
    """Declared units first (in their order), then the others in order of first appearance;
    the empty unit (no ``branch.unit``) last."""
    out: dict[str, None] = {u: None for u in declared if u}
    for u in seen:
        out.setdefault(u, None)
    units = [u for u in out if u]
    return units + ([""] if "" in out else [])


def column_of(row: Row) -> tuple[str, int | None]:
    meta = row.meta
    if meta is None:
        return ("error", None)
    if meta.outcome == "met":
        return ("met", meta.stars)
    return (meta.outcome, None)


@dataclass
class Summary:
    total: int = 0
    rated: int = 0
    errors: int = 0
    counts: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    units: dict[str, Counter[tuple[str, int | None]]] = field(default_factory=dict)
    failed: Counter[str] = field(default_factory=Counter)
    error_samples: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (source, first problem)
    declared: tuple[str, ...] = ()  # a declared order of units (the others follow as they appear)
    # named scores (rating.scores): id -> [branches with a known score, how many passed, sum of the scores]
    scores: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, row: Row, where: str | None = None) -> None:
        self.total += 1
        col = column_of(row)
        self.counts[col] += 1
        unit = row.meta.unit if row.meta is not None and row.meta.unit else ""
        per_unit = self.units.get(unit)
        if per_unit is None:
            per_unit = self.units[unit] = Counter()
        per_unit[col] += 1
        if row.meta is None:
            self.errors += 1
            if len(self.error_samples) < MAX_ERRORS_KEPT and row.error:
                self.error_samples.append((where or str(row.source), row.error[0]))
        else:
            self.rated += 1
            self.failed.update(row.meta.failed)
            for sid, value, passed in row.meta.scores:
                acc = self.scores.setdefault(sid, [0, 0, 0])
                if value is not None:
                    acc[0] += 1
                    acc[1] += 1 if passed else 0
                    acc[2] += value

    def score_rows(self) -> list[tuple[str, int, int, Any]]:
        """(score id, branches with a known score, how many reached its pass line, mean)."""
        return [(sid, n, passed, (total / n if n else None)) for sid, (n, passed, total) in self.scores.items()]

    # -- tables ------------------------------------------------------------------------------
    @staticmethod
    def headers(lang: str, labels: Mapping[str, str] | None = None) -> list[str]:
        words = {**DEFAULT_LABELS[lang], **(labels or {})} if lang == "zh" else DEFAULT_LABELS["en"]
        out = []
        for outcome, stars in COLUMNS:
            if outcome == "met":
                out.append(f"{words['met']}{stars}星" if lang == "zh" else f"met, {stars} stars")
            elif outcome == "error":
                out.append("出错" if lang == "zh" else "errors")
            else:
                out.append(words[outcome])
        return out

    @staticmethod
    def unit_label(unit: str, lang: str) -> str:
        return unit or ("（未填单位）" if lang == "zh" else "(no unit)")

    def unit_order(self) -> list[str]:
        """Units in the declared order, then the others as they first appeared; no unit last."""
        return order_units(self.units, self.declared)

    def table(self, lang: str) -> list[tuple[str, int, list[int]]]:
        """(unit label, total, counts per column): all units first, then each unit in
        :meth:`unit_order` (never sorted by code point)."""
        rows = [("全部" if lang == "zh" else "all", self.total, [self.counts[c] for c in COLUMNS])]
        for unit in self.unit_order():
            counts = self.units.get(unit, Counter())
            rows.append((self.unit_label(unit, lang), sum(counts.values()), [counts[c] for c in COLUMNS]))
        return rows

    def csv_rows(self, lang: str, labels: Mapping[str, str] | None = None) -> list[list[Any]]:
        rows: list[list[Any]] = [["单位" if lang == "zh" else "unit", "合计" if lang == "zh" else "total",
                                  *self.headers(lang, labels)]]
        rows += [[unit, total, *counts] for unit, total, counts in self.table(lang)]
        return rows
    def met_rate(self, unit: str | None = None) -> Fraction | None:
        """达标率 of all branches or of one unit: met ÷ rated (error rows not counted)."""
        counts = self.counts if unit is None else self.units.get(unit, Counter())
        rated = sum(n for (outcome, _stars), n in counts.items() if outcome != "error")
        met = sum(n for (outcome, _stars), n in counts.items() if outcome == "met")
        return Fraction(met, rated) if rated else None

    def write_csv(self, path: str | Path, lang: str, labels: Mapping[str, str] | None = None) -> None:
        """The counts (outcome × stars, all and per unit) as CSV, UTF-8 with a BOM so that
        Excel reads the Chinese correctly; cells that a spreadsheet would run as a formula are
        neutralised (:mod:`starrules._tabular`); written atomically."""
        write_atomic(path, ("\ufeff" + csv_text(self.csv_rows(lang, labels))).encode("utf-8"))
