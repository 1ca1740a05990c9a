"""A :class:`Result` as plain data (dicts and tuples) and back, for pickling.

Pickling pydantic models goes through ``__setstate__`` for each of the hundred-odd nested
models of a result and costs more than evaluating it; plain dicts pickle in C.  The shape
of each model class (which fields hold models) is derived once from its annotations;
values are not walked, so exact numbers, dates and sets travel unchanged."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from .._evaluate.result import Result

_PLANS: dict[type, tuple[tuple[str, bool, type], ...]] = {}


def _model_of(annotation: Any) -> tuple[bool, type] | None:
    """(many, model class) when a field holds a model, an optional model or a tuple of them."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _model_of(args[0]) if len(args) == 1 else None
    if origin is tuple:
        args = get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            inner = _model_of(args[0])
            return (True, inner[1]) if inner is not None and not inner[0] else None
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (False, annotation)
    return None


def _plan(cls: type) -> tuple[tuple[str, bool, type], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        found = []
        for name, field in cls.model_fields.items():  # type: ignore[attr-defined]
            m = _model_of(field.annotation)
            if m is not None:
                found.append((name, m[0], m[1]))
        plan = _PLANS[cls] = tuple(found)
    return plan


def encode(model: BaseModel) -> tuple[dict[str, Any], tuple[str, ...]]:
    data = dict(model.__dict__)
    for name, many, _ in _plan(type(model)):
        value = data[name]
        if value is None:
            continue
        data[name] = tuple(encode(v) for v in value) if many else encode(value)
    return data, tuple(model.__pydantic_fields_set__)


def decode(cls: type, encoded: tuple[dict[str, Any], tuple[str, ...]]) -> Any:
    data, fields_set = encoded
    for name, many, sub in _plan(cls):
        value = data[name]
        if value is None:
            continue
        data[name] = tuple(decode(sub, v) for v in value) if many else decode(sub, value)
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", data)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields_set))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def encode_result(result: Result) -> tuple[dict[str, Any], tuple[str, ...]]:
    return encode(result)


def decode_result(encoded: tuple[dict[str, Any], tuple[str, ...]]) -> Result:
    return decode(Result, encoded)  # type: ignore[no-any-return]
