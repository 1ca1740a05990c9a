"""Why a parsed facts document cannot be hashed or written out, as a located problem.

Documents read from files are already bounded by the readers (numbers, nesting); these checks
run only when hashing a document fails (a Python caller's dict with a lone surrogate, a
10 000-digit int, a recursion of lists) or before embedding a document in a result, so the
common path pays nothing for them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from .._errors import Problem
from .._yaml import MAX_DEPTH, MAX_DIGITS, MAX_EXPONENT, format_path, number_params

_BIG = 10 ** MAX_DIGITS


def _nodes(doc: Any) -> Iterator[tuple[tuple[Any, ...], Any, bool]]:
    """(path, value, is a key) of every value and mapping key, iteratively (any depth)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), doc)]
    while stack:
        path, value = stack.pop()
        yield path, value, False
        if isinstance(value, dict):
            for k, v in value.items():
                yield path + (k,), k, True
                stack.append((path + (str(k),), v))
        elif isinstance(value, (list, tuple)):
            stack.extend((path + (i,), v) for i, v in enumerate(value))


def _bad_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def too_large(value: Any) -> bool:
    """An int or Decimal beyond the readers' digit and exponent bounds."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -_BIG < value < _BIG
    if isinstance(value, Decimal) and value.is_finite() and value != 0:
        return len(value.as_tuple().digits) > MAX_DIGITS or abs(value.adjusted()) > MAX_EXPONENT
    return False


def _shown(value: Any) -> str:
    if isinstance(value, int):
        return f"({len(str(abs(value) % _BIG))}+ digits)" if abs(value) >= _BIG else str(value)
    return str(value)


def depth_problem(doc: Any, file: str | None = None, limit: int = MAX_DEPTH) -> Problem | None:
    """A ``too-deep`` problem when ``doc`` nests more than ``limit`` levels, else None."""
    for path, _value, is_key in _nodes(doc):
        if not is_key and len(path) > limit:
            return Problem("too-deep", {"limit": limit}, file=file, path=format_path(path[:4]) + "…")
    return None


def unfit_problem(doc: Any, exc: BaseException, file: str | None = None) -> Problem:
    """The first value of ``doc`` that hashing/serialising cannot take (``exc`` is what it raised)."""
    if isinstance(exc, RecursionError):
        return depth_problem(doc, file) or Problem("too-deep", {"limit": MAX_DEPTH}, file=file)
    for path, value, _is_key in _nodes(doc):
        where = format_path(path) or None
        if _bad_text(value):
            return Problem("bad-text", {"path": where or ""}, file=file, path=where)
        if too_large(value):
            return Problem("number-too-large", number_params(_shown(value)), file=file, path=where)
    return depth_problem(doc, file) or Problem("bad-text", {"path": ""}, file=file)
