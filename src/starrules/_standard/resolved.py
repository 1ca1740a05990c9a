"""A standard with every layer applied: what the compiler reads."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import Field

from .load import canonical_json, model_data
from .model import Dimension, Effective, Expr, FactSpec, Indicator, Label, Model, Parameter, Rating


class LayerRef(Model):
    id: str
    version: str
    role: str = Field(description="base, overlay or revision")
    file: str
    sha256: str


class ParameterHistory(Model):
    layer: str
    value: Any


class ResolvedStandard(Model):
    id: str
    family: str
    version: str
    title: str
    issuer: str
    effective: Effective
    dimensions: tuple[Dimension, ...]
    facts: dict[str, FactSpec]
    parameters: dict[str, Parameter]
    definitions: dict[str, Expr]
    terms: dict[str, Label] = Field(default_factory=dict)
    indicators: tuple[Indicator, ...]
    rating: Rating
    # provenance (not part of the content hash)
    layers: tuple[LayerRef, ...] = ()
    parameter_layers: dict[str, tuple[ParameterHistory, ...]] = Field(default_factory=dict)
    indicator_layers: dict[str, dict[str, str]] = Field(default_factory=dict)

    _CONTENT = ("id", "family", "version", "title", "issuer", "effective", "dimensions", "facts",
                "parameters", "definitions", "terms", "indicators", "rating")

    def content_hash(self) -> str:
        data = model_data(self, include=set(self._CONTENT))
        return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()

    def parameter_value(self, name: str) -> Any:
        return self.parameters[name].value
