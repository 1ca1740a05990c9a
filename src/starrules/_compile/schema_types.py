"""The standard's declared facts and parameters, as rule-language types and values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Mapping

from .._lang import types as T
from .._standard.model import Band, FactSpec, Parameter

_SCALARS = {"string": T.STRING, "int": T.INT, "number": T.NUMBER, "bool": T.BOOL, "date": T.DATE}


def fact_type(spec: FactSpec, name: str) -> T.Type:
    if spec.type in _SCALARS:
        base: T.Type = _SCALARS[spec.type]
    elif spec.type == "enum":
        base = T.Enum(spec.values or ())
    elif spec.type == "list":
        item = T.Enum(spec.values or ()) if spec.of == "enum" else _SCALARS[spec.of or "string"]
        base = T.List(item)
    elif spec.type == "object":
        base = T.Object({k: fact_type(v, f"{name}.{k}") for k, v in (spec.fields or {}).items()}, name=name)
    elif spec.type == "records":
        base = T.Records(T.Record({k: fact_type(v, f"{name}[].{k}") for k, v in (spec.fields or {}).items()},
                                  key=spec.key, name=name))
    else:  # pragma: no cover - the model's Literal forbids it
        raise ValueError(spec.type)
    if spec.absent == "none" and spec.default is None and not spec.required:
        return T.Optional(base)
    return base


def fact_types(facts: Mapping[str, FactSpec]) -> dict[str, T.Type]:
    return {name: fact_type(spec, name) for name, spec in facts.items()}


BANDS = T.Opaque("bands")


def param_type_value(param: Parameter) -> tuple[T.Type, Any]:
    """A parameter's rule-language type and runtime value (sets for lists of texts)."""
    value = param.value
    if isinstance(value, bool):
        return T.BOOL, value
    if isinstance(value, int):
        return T.INT, value
    if isinstance(value, Decimal):
        return T.NUMBER, value
    if isinstance(value, date):
        return T.DATE, value
    if isinstance(value, str):
        return T.STRING, value
    if isinstance(value, dict):
        return T.Map(T.NUMBER), dict(value)
    if isinstance(value, tuple):
        if value and isinstance(value[0], Band):
            bands = tuple(sorted(((b.min, b.stars) for b in value), key=lambda mb: mb[0], reverse=True))
            return BANDS, bands
        if all(isinstance(v, str) for v in value):
            return T.Set(T.STRING), frozenset(value)
        return T.Set(T.NUMBER), frozenset(value)
    raise TypeError(f"unsupported parameter value {value!r}")
