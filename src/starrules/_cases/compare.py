"""Compare a case's ``expect`` with a result: only what the author wrote is checked.

Numbers are compared exactly (``0.5`` written in YAML equals a result's ``Fraction(1, 2)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .._evaluate.result import Result, Texts
from .model import Expect


@dataclass(frozen=True)
class Mismatch:
    """One expectation the result does not meet."""

    field: str  # outcome | stars | score | lit | facts_to_verify | rectification_list | indicator
    expected: Any
    actual: Any
    indicator: str | None = None
    explanation: Texts | None = None


def same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return Fraction(a) == Fraction(b)


def show_number(value: Any) -> str:
    """An exact number as people write it: 66, 0.5, 89.93; a repeating fraction as p/q."""
    if value is None:
        return "null"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        d = value.denominator
        for p in (2, 5):
            while d % p == 0:
                d //= p
        if d == 1:
            return _plain(Decimal(value.numerator) / Decimal(value.denominator))
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)


def _plain(d: Decimal) -> str:
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def compare(expect: Expect, result: Result) -> list[Mismatch]:
    """Every difference between ``expect`` and ``result``; unknown indicator ids are left to
    the caller (see :func:`unknown_indicators`)."""
    out: list[Mismatch] = []
    if expect.given("outcome") and expect.outcome != result.outcome:
        out.append(Mismatch("outcome", expect.outcome, result.outcome))
    if expect.given("stars") and expect.stars != result.stars:
        out.append(Mismatch("stars", expect.stars, result.stars))
    if expect.given("score") and not same_number(expect.score, result.score):
        out.append(Mismatch("score", expect.score, result.score))
    if expect.lit is not None:
        lit = [d.id for d in result.dimensions if d.lit]
        if set(expect.lit) != set(lit):
            out.append(Mismatch("lit", list(expect.lit), lit))
    if expect.facts_to_verify is not None and set(expect.facts_to_verify) != set(result.facts_to_verify):
        out.append(Mismatch("facts_to_verify", list(expect.facts_to_verify), list(result.facts_to_verify)))
    if expect.rectification_list is not None:
        ids = [item.id for item in result.rectification_list]
        if set(expect.rectification_list) != set(ids):
            out.append(Mismatch("rectification_list", list(expect.rectification_list), ids))
    known = {ind.id: ind for ind in result.indicators}
    for iid in expect.indicators:
        ind = known.get(iid)
        if ind is None:
            continue
        want = expect.indicator(iid)
        bad_status = want.status is not None and want.status != ind.status
        bad_points = want.points is not None and not same_number(want.points, ind.points)
        if bad_status or bad_points:
            out.append(Mismatch("indicator", want, ind, indicator=iid, explanation=ind.explanation))
    return out


def unknown_indicators(expect: Expect, result: Result) -> list[str]:
    known = {ind.id for ind in result.indicators}
    return [iid for iid in expect.indicators if iid not in known]


__all__ = ["Mismatch", "compare", "same_number", "show_number", "unknown_indicators"]
