"""Runtime values of the rule language (see docs/architecture.md, "Runtime values").

* ``UNKNOWN`` - the one unknown value (Kleene's third truth value and "not known" for every
  other type).  Test it with ``is UNKNOWN``; it refuses ``bool()``.
* Numbers are ``int``, ``Decimal`` and ``Fraction`` (from ``/`` and ``share``), never
  ``float``.  ``add``/``sub``/``mul``/``div`` are exact for any mix of the three.
* Dates are ``datetime.date``; ``add_months``/``add_years`` clip to the month's end.
* ``PartialSet`` and ``PartialItems`` are what a filter leaves when its condition is unknown
  for some items: the items that surely belong, and those that may.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import decimal
from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

__all__ = [
    "UNKNOWN",
    "MAX_RANGE",
    "MAX_BRANCH_RANGE",
    "MAX_FRACTION_DIGITS",
    "PartialSet",
    "PartialItems",
    "EXACT",
    "exact",
    "is_number",
    "add",
    "sub",
    "mul",
    "div",
    "neg",
    "normalize",
    "make_date",
    "parse_date",
    "add_months",
    "add_years",
    "quarter_of",
    "longest_run",
    "longest_run_months",
    "members",
    "set_bounds",
    "set_includes",
    "set_equal",
    "set_member",
    "set_union",
    "set_difference",
    "set_missing",
    "sort_key",
]


class _Unknown:
    """The singleton ``UNKNOWN``."""

    __slots__ = ()
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; test it with `is UNKNOWN`")

    def __reduce__(self) -> str:
        return "UNKNOWN"

    def __copy__(self) -> _Unknown:
        return self

    def __deepcopy__(self, memo: Any) -> _Unknown:
        return self


UNKNOWN: Any = _Unknown()


class PartialSet:
    """A set known only within bounds: every element of ``lo`` is in it, and every element
    is in ``hi`` (``lo`` is a strict subset of ``hi``).  Produced by ``months``/``quarters``
    of a collection with maybe-members and by filtering a set on an unknown condition."""

    __slots__ = ("lo", "hi")

    def __init__(self, lo: frozenset, hi: frozenset) -> None:
        self.lo = lo
        self.hi = hi

    @staticmethod
    def make(lo: frozenset, hi: frozenset) -> frozenset | PartialSet:
        """A PartialSet, or a plain frozenset when the bounds meet."""
        hi = hi | lo
        return lo if len(lo) == len(hi) else PartialSet(lo, hi)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialSet) and other.lo == self.lo and other.hi == self.hi

    def __hash__(self) -> int:
        return hash((PartialSet, self.lo, self.hi))

    def __repr__(self) -> str:
        return f"PartialSet(sure={sorted(self.lo, key=_sort_key)}, maybe={sorted(self.hi - self.lo, key=_sort_key)})"


class PartialItems:
    """A filtered list or record collection some of whose items are only *maybe* members:
    ``sure[i]`` is True for a sure member, False for a maybe member."""

    __slots__ = ("items", "sure")

    def __init__(self, items: tuple, sure: tuple[bool, ...]) -> None:
        self.items = items
        self.sure = sure

    def __iter__(self) -> Iterator:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def bounds(self) -> tuple[frozenset, frozenset]:
        lo = frozenset(i for i, s in zip(self.items, self.sure) if s)
        return lo, frozenset(self.items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialItems) and other.items == self.items and other.sure == self.sure

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PartialItems({len(self.items)} items, {sum(self.sure)} sure)"


def sort_key(x: Any) -> tuple:
    """Orders mixed values: numbers first (by value), then others by type name and value."""
    if isinstance(x, (int, Decimal, Fraction)) and not isinstance(x, bool):
        return ("0", x)
    return (type(x).__name__, x)


_sort_key = sort_key


def members(coll: Any) -> Iterator[tuple[Any, bool]]:
    """(item, surely-a-member) for a tuple, frozenset, PartialItems or PartialSet."""
    t = type(coll)
    if t is PartialItems:
        yield from zip(coll.items, coll.sure)
    elif t is PartialSet:
        for x in coll.lo:
            yield x, True
        for x in coll.hi - coll.lo:
            yield x, False
    else:
        for x in coll:
            yield x, True


def set_bounds(v: Any) -> tuple[frozenset, frozenset]:
    """(lo, hi) bounds of a set-like value (a list counts as the set of its items)."""
    t = type(v)
    if t is frozenset:
        return v, v
    if t is PartialSet:
        return v.lo, v.hi
    if t is PartialItems:
        return v.bounds()
    s = frozenset(v)
    return s, s


#: Largest integer range ``a..b`` (number of elements) a rule may build.
MAX_RANGE = 100_000
#: Range elements one evaluation (one branch, its Env) may build in all: a range built anew per
#: item of another (``all(1..n as a, all(1..a as b, ...))``) adds up; past it, rule-too-costly.
MAX_BRANCH_RANGE = 2_000_000
#: Digits a fraction's numerator or denominator may reach (a chain of divisions, or a sum of
#: 1/a over a long range, grows them without bound); past it, rule-number-too-large.
MAX_FRACTION_DIGITS = 1000

# ------------------------------------------------------------------------- numbers

#: Decimal context for exact addition, subtraction and multiplication (never rounds).
EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


def is_number(x: Any) -> bool:
    t = type(x)
    return t is int or t is Decimal or t is Fraction


def exact(x: Any) -> int | Decimal | Fraction:
    """An exact number from an int, Decimal, Fraction or numeric string; floats and bools
    are refused (a float is already inexact)."""
    t = type(x)
    if t is int or t is Fraction:
        return x
    if t is Decimal:
        if not x.is_finite():
            raise ValueError(f"not a finite number: {x}")
        return x
    if t is str:
        d = Decimal(x)
        if not d.is_finite():
            raise ValueError(f"not a finite number: {x!r}")
        return int(d) if d == d.to_integral_value() and "." not in x and "e" not in x.lower() else d
    raise TypeError(f"not an exact number: {x!r} ({t.__name__})")


def _frac(x: Any) -> Any:
    return Fraction(x) if type(x) is Decimal else x


_FRACTION_BITS = int(MAX_FRACTION_DIGITS * 3.3219280948873626)  # log2(10)


def normalize(x: Any) -> Any:
    """A Fraction with denominator 1 becomes an int; one whose numerator or denominator
    passed MAX_FRACTION_DIGITS digits raises rule-number-too-large (fractions are exact, so a
    chain of divisions would grow them without bound)."""
    if type(x) is Fraction:
        if x.denominator == 1:
            return x.numerator
        if x.denominator.bit_length() > _FRACTION_BITS or x.numerator.bit_length() > _FRACTION_BITS:
            from .errors import EvaluationError

            raise EvaluationError("rule-number-too-large", {"limit": MAX_FRACTION_DIGITS})
    return x


def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a + b
    if ta is Fraction or tb is Fraction:
        return normalize(_frac(a) + _frac(b))
    return EXACT.add(a, b)


def sub(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a - b
    if ta is Fraction or tb is Fraction:
        return normalize(_frac(a) - _frac(b))
    return EXACT.subtract(a, b)


def mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return a * b
    if ta is Fraction or tb is Fraction:
        return normalize(_frac(a) * _frac(b))
    return EXACT.multiply(a, b)


def div(a: Any, b: Any) -> Any:
    """Exact division (a Fraction, or an int when it divides evenly).  Raises
    ZeroDivisionError on 0; the compiler turns that into a located EvaluationError."""
    if type(a) is int and type(b) is int:
        if b == 0:
            raise ZeroDivisionError
        return normalize(Fraction(a, b))
    b = _frac(b)
    if b == 0:
        raise ZeroDivisionError
    return normalize(_frac(a) / b)


def neg(a: Any) -> Any:
    return -a


# --------------------------------------------------------------------------- dates


def make_date(y: int, m: int, d: int) -> _dt.date:
    """A date; ValueError if it does not exist."""
    return _dt.date(y, m, d)


def parse_date(text: str) -> _dt.date:
    """A date from strict ISO ``YYYY-MM-DD``; ValueError otherwise."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(text)
    y, m, d = text[:4], text[5:7], text[8:]
    if not (y.isdigit() and m.isdigit() and d.isdigit() and y.isascii() and m.isascii() and d.isascii()):
        raise ValueError(text)
    return _dt.date(int(y), int(m), int(d))


def add_months(d: _dt.date, n: int) -> _dt.date:
    """``d`` plus ``n`` months, clipped to the month's end (2023-08-31 + 6 = 2024-02-29).
    ValueError if the result is outside the supported years 1..9999."""
    total = d.year * 12 + (d.month - 1) + n
    y, m0 = divmod(total, 12)
    m = m0 + 1
    if not 1 <= y <= 9999:
        raise ValueError("year out of range")
    last = calendar.monthrange(y, m)[1]
    return _dt.date(y, m, min(d.day, last))


def add_years(d: _dt.date, n: int) -> _dt.date:
    """``d`` plus ``n`` years, clipped to the month's end (2020-02-29 + 3 = 2023-02-28)."""
    return add_months(d, 12 * n)


def quarter_of(d: _dt.date) -> int:
    return (d.month - 1) // 3 + 1


def longest_run(s: Iterable[int]) -> int:
    """Length of the longest run of consecutive integers in ``s`` (0 if empty)."""
    return len(longest_run_months(s))


def longest_run_months(s: Iterable[int]) -> tuple[int, ...]:
    """The earliest longest run of consecutive integers in ``s``."""
    xs = sorted(set(s))
    best: tuple[int, ...] = ()
    start = 0
    for i in range(1, len(xs) + 1):
        if i == len(xs) or xs[i] != xs[i - 1] + 1:
            if i - start > len(best):
                best = tuple(xs[start:i])
            start = i
    return best


# ------------------------------------------------------------------- set helpers
# Every set operation works on bounds: a frozenset or tuple is exactly known (lo == hi);
# a PartialSet/PartialItems lies between lo and hi.  Results are decided exactly when the
# bounds allow, else UNKNOWN.


def set_includes(a: Any, b: Any) -> Any:
    """``a ⊇ b`` (Kleene)."""
    alo, ahi = set_bounds(a)
    blo, bhi = set_bounds(b)
    if alo >= bhi:
        return True
    if not ahi >= blo:
        return False
    return UNKNOWN


def set_equal(a: Any, b: Any) -> Any:
    """``a == b`` for sets (lists compare as the set of their items)."""
    alo, ahi = set_bounds(a)
    blo, bhi = set_bounds(b)
    if alo is ahi and blo is bhi or (alo == ahi and blo == bhi):
        return alo == blo
    if not (alo <= bhi and blo <= ahi):
        return False
    return UNKNOWN


def set_member(x: Any, s: Any) -> Any:
    """``x in s``."""
    lo, hi = set_bounds(s)
    if x in lo:
        return True
    if x not in hi:
        return False
    return UNKNOWN


def set_union(a: Any, b: Any) -> Any:
    alo, ahi = set_bounds(a)
    blo, bhi = set_bounds(b)
    return PartialSet.make(alo | blo, ahi | bhi)


def set_difference(a: Any, b: Any) -> Any:
    alo, ahi = set_bounds(a)
    blo, bhi = set_bounds(b)
    return PartialSet.make(alo - bhi, ahi - blo)


def set_missing(a: Any, b: Any, op: str) -> tuple:
    """Evidence for a set comparison: for ``a ⊇ b`` the elements of b not surely in a;
    for ``a ⊆ b`` the elements of a not surely in b; for ``==``/``!=`` both."""
    alo, ahi = set_bounds(a)
    blo, bhi = set_bounds(b)
    if op == "⊇":
        miss = bhi - alo
    elif op == "⊆":
        miss = ahi - blo
    else:
        miss = (bhi - alo) | (ahi - blo)
    return tuple(sorted(miss, key=_sort_key))
