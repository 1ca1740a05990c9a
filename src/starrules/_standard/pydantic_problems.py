"""Turn pydantic validation errors into located, translatable problems."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from .._errors import Problem
from .._yaml import Path, Positions, format_path

_TYPE_NAMES = {
    "string_type": ("text", "文字"),
    "int_type": ("a whole number", "整数"),
    "int_parsing": ("a whole number", "整数"),
    "int_from_float": ("a whole number", "整数"),
    "float_type": ("a number", "数字"),
    "decimal_type": ("a number", "数字"),
    "bool_type": ("true or false", "true 或 false"),
    "bool_parsing": ("true or false", "true 或 false"),
    "date_type": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "date_parsing": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "date_from_datetime_parsing": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "date_from_datetime_inexact": ("a date without a time", "不带时间的日期"),
    "model_type": ("a mapping (key: value)", "键值映射"),
    "model_attributes_type": ("a mapping (key: value)", "键值映射"),
    "dict_type": ("a mapping (key: value)", "键值映射"),
    "list_type": ("a list", "列表"),
    "tuple_type": ("a list", "列表"),
}


_BOUNDS = {
    "greater_than_equal": ("≥", "ge"),
    "less_than_equal": ("≤", "le"),
    "greater_than": (">", "gt"),
    "less_than": ("<", "lt"),
}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return f'"{value}"'
    return f"{value} ({type(value).__name__})"


def _data_path(data: Any, loc: Iterable[Any]) -> Path:
    """Keep the parts of a pydantic ``loc`` that really index into ``data`` (drops union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and part == "from" and "from" in node:
            path.append(part)
            node = node[part]
    return tuple(path)


def _unwrap(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _models_at(model: type[BaseModel], path: Path) -> list[type[BaseModel]]:
    """The model classes that could stand at ``path`` (for the allowed keys of a mapping)."""
    current: list[Any] = [model]
    for part in path:
        nxt: list[Any] = []
        for ann in current:
            for t in _unwrap(ann):
                if isinstance(t, type) and issubclass(t, BaseModel):
                    if isinstance(part, str):
                        for name, f in t.model_fields.items():
                            if part in (name, f.alias):
                                nxt.append(f.annotation)
                elif typing.get_origin(t) in (dict,) and isinstance(part, str):
                    nxt.append(typing.get_args(t)[1])
                elif typing.get_origin(t) in (tuple, list) and isinstance(part, int):
                    nxt.append(typing.get_args(t)[0])
        current = nxt
    return [t for ann in current for t in _unwrap(ann) if isinstance(t, type) and issubclass(t, BaseModel)]


def _allowed_keys(model: type[BaseModel], path: Path) -> list[str]:
    keys: list[str] = []
    for m in _models_at(model, path):
        for name, f in m.model_fields.items():
            key = f.alias or name
            if key not in keys:
                keys.append(key)
    return keys


#: the id patterns of the format, in words (a regex is never shown to policy staff)
ID_FORMATS = {
    r"^[A-Z][A-Z0-9_]*$": (
        "维度编号的格式：大写字母开头，只含大写字母、数字和下划线，例如 ORG、ACT_2",
        "a dimension id: a capital letter, then capital letters, digits or underscores, e.g. ORG, ACT_2"),
    r"^[A-Z][A-Z0-9]*-[A-Z0-9]+$": (
        "指标编号的格式：大写字母开头的维度缩写、一个连字符 -、再接大写字母或数字，例如 ORG-01、ROLE-C4",
        "an indicator id: a capitalised abbreviation, a hyphen, then capital letters or digits, e.g. ORG-01, ROLE-C4"),
    r"^[a-z0-9][a-z0-9-]*$": (
        "标准编号的格式：小写字母或数字开头，只含小写字母、数字和连字符 -，例如 prov-2023",
        "a standard id: lower-case letters, digits and hyphens, starting with a letter or digit, e.g. prov-2023"),
    r"^\$[A-Za-z_][A-Za-z0-9_]*$": (
        "参数引用的格式：$ 加参数名，例如 $star_cap", "a parameter reference: $ and the name, e.g. $star_cap"),
}


def suggest(word: str, options: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def problems_from(
    exc: ValidationError, model: type[BaseModel], data: Any, positions: Positions
) -> list[Problem]:
    out: dict[tuple[Any, ...], Problem] = {}
    for err in exc.errors(include_url=False):
        kind = err["type"]
        loc = err["loc"]
        path = _data_path(data, loc)
        code: str
        params: dict[str, Any]
        at_key = False
        if kind == "extra_forbidden":
            key = str(loc[-1])
            parent = path[:-1] if path and path[-1] == key else path
            allowed = _allowed_keys(model, parent)
            code, params, at_key = "unknown-key", {"key": key, "allowed": allowed}, True
            s = suggest(key, allowed)
            if s:
                params["suggestion"] = s
            path = parent + (key,)
        elif kind == "missing":
            key = str(loc[-1])
            code, params = "missing-key", {"key": key}
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            allowed = [a.strip().strip("'") for a in str(expected).replace(" or ", ",").split(",") if a.strip()]
            value = err.get("input")
            code, params = "invalid-value", {"value": value, "allowed": allowed}
            s = suggest(str(value), allowed)
            if s:
                params["suggestion"] = s
        elif kind == "string_pattern_mismatch":
            zh, en = ID_FORMATS.get(err["ctx"]["pattern"], ("编号格式", "the id format"))
            code, params = "invalid-format", {"detail": f"'{err.get('input')}' is not {en}",
                                              "detail_zh": f"“{err.get('input')}” 不符合{zh}"}
        elif kind in _BOUNDS:
            sign, key = _BOUNDS[kind]
            code, params = "out-of-range", {"value": err.get("input"),
                                            "range": f"{sign} {err.get('ctx', {}).get(key, '?')}"}
        elif kind in _TYPE_NAMES:
            en, zh = _TYPE_NAMES[kind]
            code, params = "wrong-type", {"expected": en, "expected_zh": zh, "got": _type_name(err.get("input"))}
        elif kind == "value_error":
            code, params = "invalid-format", {"detail": str(err.get("ctx", {}).get("error", err["msg"]))}
        else:
            code, params = "invalid-format", {"detail": err["msg"]}
        line, col = positions.of(path, key=at_key or kind == "missing")
        problem = Problem(code, params, file=positions.file, line=line, col=col, path=format_path(path) or None)
        dedup = (code, path, str(params.get("key", "")))
        if dedup not in out:
            out[dedup] = problem
    # A union (e.g. a star step written as text or as a mapping) reports one error per member;
    # keep the most specific ones only: drop a wrong-type problem when a sibling problem exists.
    problems = list(out.values())
    paths_with_other = {p.path for p in problems if p.code != "wrong-type"}
    return [p for p in problems if not (p.code == "wrong-type" and p.path in paths_with_other)]
