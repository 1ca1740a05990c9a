"""JSON Schemas for editors: one for standard files, one for the facts of a given standard."""

from __future__ import annotations

from typing import Any, Mapping

from pydantic import TypeAdapter

from .model import BaseFile, FactSpec, LayerFile

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def standard_file_schema() -> dict[str, Any]:
    """Schema of a standard file (a whole standard, an overlay or a revision)."""
    schema = TypeAdapter(BaseFile | LayerFile).json_schema(by_alias=True)
    schema["$schema"] = SCHEMA_URI
    schema["title"] = "starrules standard file"
    return schema


def _fact_schema(spec: FactSpec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.description:
        out["description"] = spec.description
    t = spec.type
    if t == "string":
        out["type"] = "string"
    elif t == "enum":
        out["enum"] = list(spec.values or ())
    elif t == "int":
        out["type"] = "integer"
    elif t == "number":
        out["type"] = "number"
    elif t == "bool":
        out["type"] = "boolean"
    elif t == "date":
        out.update(type="string", format="date")
    elif t == "list":
        item = _fact_schema(FactSpec(type=spec.of or "string", values=spec.values, min=spec.min, max=spec.max))
        out.update(type="array", items=item)
        if spec.unique:
            out["uniqueItems"] = True
        return _with_null(out, spec)
    elif t in ("object", "records"):
        fields = spec.fields or {}
        obj = {
            "type": "object",
            "properties": {k: _fact_schema(v) for k, v in fields.items()},
            "required": [k for k, v in fields.items() if v.required],
        }
        if t == "records":
            out.update(type="array", items=obj)
        else:
            out.update(obj)
        return _with_null(out, spec)
    if spec.min is not None and t in ("int", "number"):
        out["minimum"] = float(spec.min) if not isinstance(spec.min, int) else spec.min
    if spec.max is not None and t in ("int", "number"):
        out["maximum"] = float(spec.max) if not isinstance(spec.max, int) else spec.max
    return _with_null(out, spec)


def _with_null(out: dict[str, Any], spec: FactSpec) -> dict[str, Any]:
    if spec.required:
        return out
    return {"anyOf": [out, {"type": "null"}], **({"description": out["description"]} if "description" in out else {})}


def facts_schema(facts: Mapping[str, FactSpec], title: str) -> dict[str, Any]:
    """Schema of a facts document for one standard (undeclared keys are allowed: they are
    reported as warnings, since one document may serve several standards)."""
    return {
        "$schema": SCHEMA_URI,
        "title": title,
        "type": "object",
        "properties": {k: _fact_schema(v) for k, v in facts.items()},
        "required": [k for k, v in facts.items()
                     if v.required or (v.type == "object" and any(f.required for f in (v.fields or {}).values()))],
    }
