"""Read one standard file: bytes -> YAML -> model, with every problem located."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any, Union

from pydantic import ValidationError

from .._errors import Problem, StandardError
from .. import _files
from .._files import read_bytes
from .._yaml import Positions, YamlError, format_path, load as load_yaml
from .model import BOOLEAN_KINDS, POINT_KINDS, BaseFile, FactSpec, Indicator, LayerFile, Source
from .pydantic_problems import problems_from, suggest

MAX_STANDARD_BYTES = 2 * 1024 * 1024

StandardFileModel = Union[BaseFile, LayerFile]


@dataclass(frozen=True)
class LoadedFile:
    """A standard file as written, validated on its own (before layering)."""

    model: StandardFileModel
    path: FsPath
    positions: Positions
    sha256: str  # of the canonical form: key order and whitespace do not change it

    @property
    def is_layer(self) -> bool:
        return isinstance(self.model, LayerFile)


def _canonical(value: Any) -> Any:
    """Numbers by value, not spelling: ``0.8`` and ``0.80`` (and ``1`` and ``1.0``) hash alike."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return {"$decimal": format(value.normalize(), "f")}
    if isinstance(value, (date, Source)):
        return str(value)
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def model_data(model: Any, **kwargs: Any) -> Any:
    """A model's content for hashing: Python values (exact numbers), aliases, defaults left out.

    Key order never matters (canonical JSON sorts keys), except where it is meaning: the
    rating's named ``values`` are evaluated in order, so they hash as a list of pairs."""
    data = model.model_dump(mode="python", by_alias=True, exclude_defaults=True, **kwargs)
    rating = data.get("rating") if isinstance(data, dict) else None
    if isinstance(rating, dict) and isinstance(rating.get("values"), dict):
        rating["values"] = [[k, v] for k, v in rating["values"].items()]
    return data


def canonical_hash(model: Any) -> str:
    return hashlib.sha256(canonical_json(model_data(model)).encode("utf-8")).hexdigest()


def unreadable(display: str, exc: OSError) -> Problem:
    """A file that exists but cannot be read (permissions, I/O error)."""
    return Problem("file-unreadable", {"file": display, "reason": exc.strerror or type(exc).__name__}, file=display)


def read_text(path: FsPath, limit: int, display: str) -> str:
    """A regular file of at most ``limit`` bytes as text (UTF-8, a BOM accepted)."""
    return decode_text(read_bytes(path, limit, display, StandardError), limit, display)


def decode_text(raw: bytes, limit: int, display: str) -> str:
    """The bytes of a file (or an upload) as text: UTF-8 (a BOM allowed), at most ``limit``
    bytes; UTF-16 and other encodings are ``encoding``."""
    if len(raw) > limit:
        raise StandardError(Problem("file-too-large", {"size": len(raw), "limit": limit}, file=display))
    return _files.decode_text(raw, display, StandardError)


def load_file(path: FsPath, display: str | None = None) -> LoadedFile:
    """Load and validate one standard file on its own; raise :class:`StandardError` with every problem."""
    display = display or str(path)
    text = read_text(path, MAX_STANDARD_BYTES, display)
    try:
        data, positions = load_yaml(text, display, located=True)
    except YamlError as exc:
        raise StandardError(exc.problems) from None
    if not isinstance(data, dict):
        line, col = positions.of(())
        raise StandardError(Problem("not-a-mapping", {}, file=display, line=line or 1, col=col or 1))
    cls: type[BaseFile] | type[LayerFile] = LayerFile if ("extends" in data or "revises" in data) else BaseFile
    try:
        model = cls.model_validate(data)
    except ValidationError as exc:
        raise StandardError(problems_from(exc, cls, data, positions)) from None
    problems = check_file(model, positions)
    if problems:
        raise StandardError(problems)
    return LoadedFile(model, path, positions, canonical_hash(model))


def _at(positions: Positions, path: tuple[Any, ...], code: str, **params: Any) -> Problem:
    line, col = positions.of(path)
    return Problem(code, params, file=positions.file, line=line, col=col, path=format_path(path) or None)


def check_file(model: StandardFileModel, positions: Positions) -> list[Problem]:
    """Checks that need more than one field: unique ids, kinds and their fields, fact specs."""
    problems: list[Problem] = []
    if isinstance(model, LayerFile) and not model.extends and not model.revises:
        # ``extends:`` written without a value (null or empty text)
        key = "extends" if "extends" in model.model_fields_set else "revises"
        problems.append(_at(positions, (key,), "wrong-type", expected="the id or path of the base standard",
                            expected_zh="上级标准的编号或路径", got="null" if getattr(model, key) is None else '""'))
    if isinstance(model, LayerFile) and model.extends and model.revises:
        problems.append(_at(positions, ("revises",), "invalid-format",
                            detail="a file either extends (overlay) or revises (new version), not both",
                            detail_zh="一个文件只能 extends（叠加标准）或 revises（新版本），不能两者都有"))
    if isinstance(model, BaseFile):
        seen_dims: set[str] = set()
        for i, dim in enumerate(model.dimensions):
            if dim.id in seen_dims:
                problems.append(_at(positions, ("dimensions", i, "id"), "duplicate-id",
                                    what="维度", what_en="dimension", id=dim.id))
            seen_dims.add(dim.id)
    seen: set[str] = set()
    for i, ind in enumerate(model.indicators):
        if ind.id in seen:
            problems.append(_at(positions, ("indicators", i, "id"), "duplicate-id",
                                what="指标", what_en="indicator", id=ind.id))
        seen.add(ind.id)
        if isinstance(ind, Indicator):
            problems.extend(check_indicator_fields(ind, positions, ("indicators", i)))
            if isinstance(model, BaseFile) and ind.dimension not in seen_dims:
                problems.append(_dimension_problem(ind.dimension, sorted(seen_dims), positions,
                                                   ("indicators", i, "dimension")))
    for name, spec in model.facts.items():
        problems.extend(check_fact_spec(spec, positions, ("facts", name), name))
    return problems


def _dimension_problem(dim: str, allowed: list[str], positions: Positions, path: tuple[Any, ...]) -> Problem:
    params: dict[str, Any] = {"dimension": dim, "allowed": allowed}
    s = suggest(dim, allowed)
    if s:
        params["suggestion"] = s
    return _at(positions, path, "unknown-dimension", **params)


def check_indicator_fields(ind: Any, positions: Positions, path: tuple[Any, ...]) -> list[Problem]:
    problems: list[Problem] = []

    def bad(field: str, zh: str, en: str) -> None:
        problems.append(_at(positions, path + (field,), "kind-field", kind=ind.kind, problem_zh=zh, problem_en=en))

    if ind.kind in BOOLEAN_KINDS:
        if ind.rule is None:
            bad("kind", "需要 rule（通过条件）", "needs a rule (the condition to pass)")
        if ind.points is not None:
            bad("points", "不能有 points（只有加分、扣分、计分类指标有分值）",
                "takes no points (only bonus, deduction and score indicators do)")
    if ind.kind in POINT_KINDS:
        if ind.points is None:
            bad("kind", "需要 points（得分表达式）", "needs points (an expression for its points)")
        if ind.rule is not None:
            bad("rule", "不用 rule，请用 points 写分值", "takes points, not a rule")
    if ind.kind == "score" and ind.max_points is None:
        bad("kind", "需要 max_points（满分）", "needs max_points (its maximum)")
    if ind.kind == "cap" and ind.cap is None:
        bad("kind", "需要 cap（不通过时星级上限）", "needs cap (the most stars when it fails)")
    if ind.kind == "cap" and ind.cap is not None and type(ind.cap) is not int and not isinstance(ind.cap, str):
        # a whole number, or a $parameter (whose value is checked where the rating reads it)
        bad("cap", "的 cap 是星级上限，应为整数（写 4，不要写 4.0）",
            "has a star limit as its cap, which must be a whole number (4, not 4.0)")
    if ind.kind not in ("bonus", "deduction", "cap") and ind.cap is not None:
        bad("cap", "不能有 cap", "takes no cap")
    return problems


_SCALAR_CHECK = {
    "string": lambda v: isinstance(v, str),
    "enum": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, __import__("decimal").Decimal)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "date": lambda v: hasattr(v, "isoformat") and not hasattr(v, "hour"),
}


def check_fact_spec(spec: FactSpec, positions: Positions, path: tuple[Any, ...], name: str) -> list[Problem]:
    problems: list[Problem] = []

    def bad(detail: str, zh: str) -> None:
        problems.append(_at(positions, path, "invalid-format", detail=f"fact '{name}': {detail}",
                            detail_zh=f"事实 “{name}”：{zh}"))

    if spec.type == "enum" and not spec.values:
        bad("an enum needs values: [...]", "enum 类型需要 values: [...]")
    if spec.type == "list" and spec.of is None:
        bad("a list needs of: (string, int, number, date or enum)", "list 类型需要 of:（string、int、number、date 或 enum）")
    if spec.type == "list" and spec.of == "enum" and not spec.values:
        bad("a list of enum needs values: [...]", "enum 列表需要 values: [...]")
    if spec.type in ("object", "records") and not spec.fields:
        bad(f"{spec.type} needs fields: {{...}}", f"{spec.type} 类型需要 fields: {{...}}")
    if spec.key is not None and (spec.type != "records" or not spec.fields or spec.key not in spec.fields):
        bad("key names a field of a records fact", "key 应为 records 事实的一个字段名")
    if spec.references is not None and spec.type != "list":
        bad("references belongs to a list of ids", "references 只用于编号列表")
    if spec.default is not None:
        ok = True
        if spec.type in _SCALAR_CHECK:
            ok = _SCALAR_CHECK[spec.type](spec.default)
        elif spec.type == "list":
            ok = isinstance(spec.default, (list, tuple)) and all(
                _SCALAR_CHECK[spec.of or "string"](v) for v in spec.default)
        else:
            ok = False
        if not ok:
            problems.append(_at(positions, path + ("default",), "bad-default", fact=name, type=spec.type))
    for field_name, sub in (spec.fields or {}).items():
        problems.extend(check_fact_spec(sub, positions, path + ("fields", field_name), f"{name}.{field_name}"))
    return problems
