"""Values as text for people, in Chinese (``"zh"``) or English (``"en"``).

Numbers never show binary-float noise or trailing zeros (``8``, ``1.5``); a Fraction is
shown as a decimal rounded half-up to 4 places (``0.6667``), or as a percentage when asked
(``66.67%``); sets are sorted and joined with ``、`` (zh) or ``, `` (en); dates are ISO;
booleans 是/否, yes/no; UNKNOWN 未知/unknown; none 无/none.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .values import UNKNOWN, PartialItems, PartialSet, sort_key

__all__ = ["format_value", "format_number"]

_WORDS = {
    "zh": {"unknown": "未知", "none": "无", True: "是", False: "否", "empty": "无", "sep": "、",
           "maybe": "（可能还有 {}）", "maybe_only": "可能：{}"},
    "en": {"unknown": "unknown", "none": "none", True: "yes", False: "no", "empty": "none", "sep": ", ",
           "maybe": " (possibly also {})", "maybe_only": "possibly {}"},
}


def _round_half_up(fr: Fraction, places: int) -> Decimal:
    scaled = fr * (10**places)
    neg = scaled < 0
    a = -scaled if neg else scaled
    q, r = divmod(a.numerator, a.denominator)
    if 2 * r >= a.denominator:
        q += 1
    d = Decimal(-q if neg else q).scaleb(-places)
    return d


def _plain(d: Decimal) -> str:
    if d == 0:
        return "0"
    s = format(d.normalize(), "f")
    return s


def format_number(x: int | Decimal | Fraction, *, percent: bool = False, places: int | None = None) -> str:
    """``8``, ``1.5``, ``0.6667`` (a Fraction: 4 places), ``75%`` / ``66.67%`` (percent: 2
    places of the percentage).  ``places`` overrides the number of decimal places."""
    if type(x) is Decimal and not percent and places is None and x.is_finite():
        # what the Fraction route below gives, without building the Fraction
        return str(int(x)) if x == x.to_integral_value() else _plain(x)
    if percent:
        x = Fraction(x) * 100
    if type(x) is int and places is None:
        return str(x) + ("%" if percent else "")
    fr = Fraction(x)
    if places is None:
        if fr.denominator == 1:
            text = str(fr.numerator)
        elif isinstance(x, Decimal) and not percent:
            text = _plain(x)
        else:
            # exact if it terminates within the default places, else rounded
            text = _plain(_round_half_up(fr, 2 if percent else 4))
    else:
        text = _plain(_round_half_up(fr, places))
    return text + ("%" if percent else "")


def format_value(value: Any, lang: str = "zh", *, percent: bool = False, places: int | None = None) -> str:
    """A value as text (see the module docstring)."""
    t = type(value)
    if t is str:
        return value
    if t is int and not percent and places is None:
        return str(value)
    w = _WORDS["zh" if lang == "zh" else "en"]
    if value is UNKNOWN:
        return w["unknown"]
    if value is None:
        return w["none"]
    if value is True or value is False:
        return w[value]
    if t is int or t is Decimal or t is Fraction:
        return format_number(value, percent=percent, places=places)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if t is frozenset or t is set:
        return _join(_sorted(value), w, lang, percent, places)
    if t is tuple or t is list:
        return _join(value, w, lang, percent, places)
    if t is dict:
        for k in ("id", "name"):
            if k in value:
                return format_value(value[k], lang)
        return w["sep"].join(f"{k}={format_value(v, lang)}" for k, v in value.items())
    if t is PartialSet:
        sure = _sorted(value.lo)
        maybe = _sorted(value.hi - value.lo)
        maybe_text = _join(maybe, w, lang, percent, places)
        if not sure:
            return w["maybe_only"].format(maybe_text)
        return _join(sure, w, lang, percent, places) + w["maybe"].format(maybe_text)
    if t is PartialItems:
        sure = [i for i, s in zip(value.items, value.sure) if s]
        maybe = [i for i, s in zip(value.items, value.sure) if not s]
        maybe_text = _join(maybe, w, lang, percent, places)
        if not sure:
            return w["maybe_only"].format(maybe_text)
        return _join(sure, w, lang, percent, places) + w["maybe"].format(maybe_text)
    return str(value)


def _sorted(values: Any) -> list:
    """``sorted(values, key=sort_key)``; all texts or all integers sort as they are (the
    same order, without a key call per element)."""
    types = {type(v) for v in values}
    if len(types) == 1 and (str in types or int in types):
        return sorted(values)
    return sorted(values, key=sort_key)


def _join(items: Any, w: dict, lang: str, percent: bool, places: int | None) -> str:
    if not items:
        return w["empty"]
    plain = not percent and places is None
    out = []
    for i in items:
        ti = type(i)
        if ti is str:
            out.append(i)
        elif ti is int and plain:
            out.append(str(i))
        else:
            out.append(format_value(i, lang, percent=percent, places=places))
    return w["sep"].join(out)
