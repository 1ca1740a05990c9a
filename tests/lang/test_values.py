"""Runtime value helpers: UNKNOWN, exact numbers, dates, runs."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from starrules._lang import UNKNOWN
from starrules._lang import values as V


def test_unknown_is_a_singleton() -> None:
    assert repr(UNKNOWN) == "UNKNOWN"
    assert type(UNKNOWN)() is UNKNOWN
    assert copy.copy(UNKNOWN) is UNKNOWN and copy.deepcopy(UNKNOWN) is UNKNOWN
    assert pickle.loads(pickle.dumps(UNKNOWN)) is UNKNOWN
    assert pickle.loads(pickle.dumps({"x": [UNKNOWN]}))["x"][0] is UNKNOWN


def test_unknown_has_no_truth_value() -> None:
    with pytest.raises(TypeError):
        bool(UNKNOWN)


def test_exact() -> None:
    assert V.exact(3) == 3 and type(V.exact(3)) is int
    assert V.exact("0.8") == Decimal("0.8")
    assert V.exact("12") == 12 and type(V.exact("12")) is int
    assert V.exact(Fraction(1, 3)) == Fraction(1, 3)
    with pytest.raises(TypeError):
        V.exact(0.8)
    with pytest.raises(TypeError):
        V.exact(True)
    with pytest.raises(ValueError):
        V.exact("nan")


def test_mixed_arithmetic_is_exact() -> None:
    assert V.add(Decimal("0.1"), Decimal("0.2")) == Decimal("0.3")
    assert V.mul(Decimal("0.7"), 96) == Decimal("67.2")
    assert V.add(Fraction(1, 3), Decimal("0.5")) == Fraction(5, 6)
    assert V.sub(Decimal("1"), Fraction(1, 3)) == Fraction(2, 3)
    assert V.mul(Fraction(3, 2), 2) == 3 and type(V.mul(Fraction(3, 2), 2)) is int
    assert V.div(1, 4) == Fraction(1, 4)
    assert V.div(Decimal("0.5"), Decimal("0.25")) == 2
    with pytest.raises(ZeroDivisionError):
        V.div(1, 0)
    with pytest.raises(ZeroDivisionError):
        V.div(Decimal("1"), Decimal("0.0"))
    big = Decimal("1e-30")
    assert V.add(big, Decimal("1e30")) - Decimal("1e30") == big  # no 28-digit rounding


def test_parse_date_is_strict() -> None:
    assert V.parse_date("2023-12-31") == dt.date(2023, 12, 31)
    for bad in ["2023-2-3", "2023/12/31", "20231231", "2023-12-31T00:00", "２０２３-12-31", "2023-02-29"]:
        with pytest.raises(ValueError):
            V.parse_date(bad)


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


@given(dates, st.integers(-1200, 1200))
def test_add_months_clips_to_the_month_end(d: dt.date, n: int) -> None:
    r = V.add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day == min(d.day, calendar.monthrange(r.year, r.month)[1])


@given(dates, st.integers(-100, 100))
def test_add_years_is_twelve_months(d: dt.date, n: int) -> None:
    assert V.add_years(d, n) == V.add_months(d, 12 * n)


def test_add_months_out_of_range() -> None:
    with pytest.raises(ValueError):
        V.add_years(dt.date(9999, 1, 1), 1)


@given(st.frozensets(st.integers(-5, 30), max_size=20))
def test_longest_run_matches_brute_force(s: frozenset) -> None:
    best = 0
    for start in s:
        n = 0
        while start + n in s:
            n += 1
        best = max(best, n)
    assert V.longest_run(s) == best
    run = V.longest_run_months(s)
    assert len(run) == best and all(x in s for x in run)
    assert list(run) == list(range(run[0], run[0] + best)) if run else best == 0


def test_quarter_of() -> None:
    assert [V.quarter_of(dt.date(2023, m, 1)) for m in range(1, 13)] == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]


def test_partial_set_make_collapses() -> None:
    s = frozenset({1})
    assert V.PartialSet.make(s, s) is s
    p = V.PartialSet.make(s, frozenset({2}))
    assert isinstance(p, V.PartialSet) and p.hi == frozenset({1, 2})
    assert "maybe=[2]" in repr(p)
