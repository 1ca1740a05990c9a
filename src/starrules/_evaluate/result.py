"""The result contract (reference-standard.md §8): pydantic models with stable JSON.

Numbers (points, score, traced values) are held exactly (int, Decimal or Fraction) and
serialise as JSON numbers: an integral value prints as an integer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

_M = TypeVar("_M", bound=BaseModel)
Status = Literal["PASS", "FAIL", "NA", "UNKNOWN"]
Outcome = Literal["met", "not_met", "pending"]


def json_number(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return value.numerator
        return float(round(Decimal(value.numerator) / Decimal(value.denominator), 10))
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


def json_value(value: Any) -> Any:
    """Any rule-language value as JSON: numbers as numbers, sets sorted, dates ISO."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, Decimal, Fraction)):
        return json_number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        items = [json_value(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=str)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)  # UNKNOWN and other markers print as their names


Num = Annotated[
    Union[int, Decimal, Fraction],
    PlainSerializer(json_number, when_used="json"),
    WithJsonSchema({"type": "number"}),
]
AnyValue = Annotated[Any, PlainSerializer(json_value, when_used="json"), WithJsonSchema({})]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


_DEFAULTS: dict[type, dict[str, Any]] = {}


def construct(cls: type[_M], **values: Any) -> _M:
    """Build a result model from trusted values, skipping validation (the hot path of a batch).

    Equivalent to ``cls.model_construct(**values)`` for our frozen models, at a fraction of
    its cost; fields not given take their defaults."""
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = {name: f.get_default(call_default_factory=True) for name, f in cls.model_fields.items()
                    if not f.is_required()}
        _DEFAULTS[cls] = defaults
    data = {**defaults, **values} if len(values) < len(cls.model_fields) else values
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", data)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class Texts(_Model):
    zh: str
    en: str


class CitationRef(_Model):
    document: str
    article: str | None = None


class IndicatorResult(_Model):
    id: str
    dimension: str
    kind: str
    title: str
    status: Status
    points: Num = 0
    max_points: Num | None = None
    citation: CitationRef
    rule: str | None = None
    values: dict[str, AnyValue] = Field(
        default_factory=dict, description="sub-expression as written -> the value that decided it")
    evidence: dict[str, tuple[AnyValue, ...]] = Field(
        default_factory=dict, description="sub-expression -> ids of the records (or months) behind it")
    evidence_detail: dict[str, tuple["EvidenceRecord", ...]] = Field(
        default_factory=dict,
        description="sub-expression -> per record of its evidence, the fields that decided it (same keys as evidence)")
    unknown_facts: tuple[str, ...] = ()
    explanation: Texts


class EvidenceRecord(_Model):
    """One record behind an evidence list, with the values of the fields the rule part read
    (``{"id": "WH03", "values": {"training_hours": 28}}``)."""

    id: AnyValue
    values: dict[str, AnyValue] = Field(default_factory=dict)


class FactToVerify(_Model):
    """A fact to supply, by key and by its name for people."""

    fact: str
    label: Texts


class DimensionResult(_Model):
    id: str
    title: str
    lit: bool
    passed: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


class StarStepResult(_Model):
    expr: str
    stars: int | None
    note: Texts | None = None


class ScoreResult(_Model):
    """One named score of the rating (``rating.scores``), e.g. the 三星 table's 86 of 100."""

    id: str
    label: Texts | None = None
    value: Num | None = Field(description="the score; null when unknown")
    max: Num | None = None
    pass_line: Num | None = None
    passed: bool | None = Field(default=None, description="value >= pass_line; null without either")


class RectificationItem(_Model):
    id: str
    title: str
    kind: str
    explanation: Texts


class Warning(_Model):
    code: str
    path: str | None = None
    message: Texts


class QuotaInfo(_Model):
    applied: bool
    demoted: bool = False
    rank: int | None = None
    kept: int | None = None
    rated: int | None = None
    note: Texts


class LayerInfo(_Model):
    id: str
    version: str
    role: str
    file: str
    sha256: str


class StandardFingerprint(_Model):
    """What a result records of its standard beyond the hash, so that ``verify`` can say
    what changed without the old file: a short hash per indicator, definition, fact and of
    the rating, and every parameter's value (with the layer that set it, when not the base)."""

    indicators: dict[str, str] = Field(default_factory=dict, description="id -> short hash of the indicator")
    parameters: dict[str, AnyValue] = Field(default_factory=dict, description="name -> value")
    parameter_layers: dict[str, str] = Field(default_factory=dict, description="name -> layer, when not the base")
    definitions: dict[str, str] = Field(default_factory=dict, description="name -> short hash")
    facts: dict[str, str] = Field(default_factory=dict, description="top-level fact -> short hash of its declaration")
    rating: str = Field(default="", description="short hash of the rating rules")


class StandardInfo(_Model):
    id: str
    family: str
    version: str
    title: str
    effective_from: date
    effective_to: date | None
    sha256: str = Field(description="sha256 of the resolved standard's canonical form")
    layers: tuple[LayerInfo, ...]
    fingerprint: StandardFingerprint | None = Field(default=None, description="for verify: see StandardFingerprint")


class BranchInfo(_Model):
    id: str
    name: str | None = None
    unit: str | None = None


class UnitFactsInfo(_Model):
    """Facts a batch merged in from the branch's unit (``--unit-facts``)."""

    unit: str
    source: str = Field(description="the unit-facts file")
    facts: tuple[str, ...] = Field(description="the fact paths taken from it")


class Provenance(_Model):
    facts_sha256: str
    starrules_version: str
    engine: str
    unit_facts: UnitFactsInfo | None = None


class Result(_Model):
    """One branch rated against one standard."""

    standard: StandardInfo
    branch: BranchInfo
    year: int
    outcome: Outcome
    outcome_label: str
    stars: int | None
    score: Num | None
    indicators: tuple[IndicatorResult, ...]
    dimensions: tuple[DimensionResult, ...]
    rating_values: dict[str, AnyValue] = Field(default_factory=dict)
    scores: tuple[ScoreResult, ...] = Field(default=(), description="the named scores (rating.scores), in order")
    has_stars: bool = Field(default=True, description="false: the standard gives no stars (stars is always null)")
    star_steps: tuple[StarStepResult, ...] = ()
    rectification_list: tuple[RectificationItem, ...] = ()
    facts_to_verify: tuple[str, ...] = ()
    facts_to_verify_labels: tuple[FactToVerify, ...] = Field(
        default=(), description="facts_to_verify with their names for people (the same order)")
    warnings: tuple[Warning, ...] = ()
    quota: QuotaInfo | None = None
    provenance: Provenance
    facts: dict[str, AnyValue] | None = Field(default=None, description="the facts, when embedded")

    def indicator(self, indicator_id: str) -> IndicatorResult:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent, exclude_none=False)

IndicatorResult.model_rebuild()
