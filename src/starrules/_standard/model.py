"""The standard file format, as pydantic v2 models.

Every model is immutable and forbids unknown keys, so a typo in a standard file is an
error with a location, never a silently ignored setting.  Rule texts are kept as
:class:`Source` values: the text plus where it stood in its file (the position never takes
part in equality, hashing or serialisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    BeforeValidator,
    Strict,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

Kind = Literal["required", "veto", "star", "bonus", "deduction", "score", "cap"]
KINDS: tuple[str, ...] = ("required", "veto", "star", "bonus", "deduction", "score", "cap")
BOOLEAN_KINDS = frozenset({"required", "veto", "star", "cap"})
POINT_KINDS = frozenset({"bonus", "deduction", "score"})
FactType = Literal["string", "int", "number", "bool", "date", "enum", "list", "object", "records"]


def _number(value: Any) -> Any:
    # Strict: an int or a finite Decimal (what the YAML loader gives); never "3", 3.0 or true.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or (
        isinstance(value, Decimal) and not value.is_finite()
    ):
        raise PydanticCustomError("decimal_type", "Input should be a number")
    return value


# Types are strict (pydantic's lax mode would turn "yes" into True, "3" into 3 and an int
# into a date, undoing what the YAML loader keeps apart); lists still become tuples.
Number = Annotated[Union[int, Decimal], PlainValidator(_number), WithJsonSchema({"type": "number"})]
Bool = Annotated[bool, Strict()]
Int = Annotated[int, Strict()]
Day = Annotated[date, Strict()]


@dataclass(frozen=True)
class Origin:
    """Where a text stood: file, 1-based line and column, and the YAML scalar style."""

    file: str | None
    line: int
    col: int
    style: str | None = None
    layer: str | None = None


@dataclass(frozen=True)
class Source:
    """A rule-language text and (not compared) where it came from."""

    text: str
    origin: Origin | None = field(default=None, compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return self.text


def _to_source(value: Any) -> Source:
    if isinstance(value, Source):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        # `value: 0` (a star step, a score) is the rule text "0": a number is an expression too
        return Source(str(value))
    if not isinstance(value, str):
        raise ValueError("expected rule text")
    origin = None
    line = getattr(value, "line", None)
    if line is not None:
        origin = Origin(getattr(value, "file", None), line, getattr(value, "col", 1), getattr(value, "style", None))
    return Source(str(value), origin)


Expr = Annotated[
    Source,
    PlainValidator(_to_source),
    PlainSerializer(lambda s: s.text, return_type=str),
    WithJsonSchema({"type": "string", "description": "an expression in the starrules rule language"}),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, populate_by_name=True)


class Effective(Model):
    from_: Day = Field(alias="from", description="first day the standard applies")
    to: Day | None = Field(default=None, description="last day (inclusive); open-ended when absent")

    def covers_year(self, year: int) -> bool:
        start, end = self.from_.year, (self.to.year if self.to else 9999)
        return start <= year <= end


class Dimension(Model):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    title: str


class Citation(Model):
    document: str = Field(description="the document, e.g. 《中国共产党支部工作条例（试行）》")
    article: str | None = Field(default=None, description="the article, e.g. 第四条; absent when not confirmed")


class Texts(Model):
    zh: str
    en: str


class Template(Model):
    zh: Expr
    en: Expr


class Span(Model):
    """A range of numbers, both ends included (``{min: 2, max: 3}``: 2 to 3)."""

    min: Number
    max: Number


#: a word for people: one text for both languages, or ``{zh: ..., en: ...}``
Label = Union[str, Texts]


def label_text(label: "Label | None", lang: str) -> str | None:
    """A label's text in ``lang`` (a plain string serves both languages)."""
    if label is None or isinstance(label, str):
        return label
    return label.zh if lang == "zh" else label.en


def _enum_labels(data: Any) -> Any:
    """``values: {formal: 正式党员, ...}`` is short for ``values: [formal, ...]`` (sorted) plus
    ``labels: {formal: 正式党员, ...}`` (an explicit ``labels`` entry wins)."""
    if isinstance(data, dict) and isinstance(data.get("values"), dict):
        data = dict(data)
        mapping = data["values"]
        data["values"] = sorted(mapping, key=str)  # a map's key order is layout, not meaning
        data["labels"] = {**mapping, **(data.get("labels") or {})}
    return data


class FactSpec(Model):
    type: FactType
    description: str | None = None
    label: Label | None = Field(
        default=None, description="a short name for sentences (e.g. 年度累计学时; zh/en); the description when absent"
    )
    labels: dict[str, Label] | None = Field(
        default=None,
        description="how codes read in sentences, e.g. {formal: 正式党员} or {flag: {zh: 党旗, en: Party flag}} "
        "(enum values, or the texts of a string list)",
    )
    unit: Label | None = Field(default=None, description="unit shown after a value (学时, 次, 元) or, for records, "
                                                         "the counting word (名)")
    format: Literal["percent"] | None = Field(default=None, description="percent: a share 0–1 shown as 80%")
    required: Bool = Field(default=False, description="a document without it is rejected")
    default: Any = Field(default=None, description="value taken when absent")
    absent: Literal["unknown", "none"] = Field(
        default="unknown", description="what an absent value means when there is no default"
    )
    min: Number | None = None
    max: Number | None = None
    values: Annotated[tuple[str, ...] | None, WithJsonSchema({"anyOf": [
        {"type": "array", "items": {"type": "string"}},
        {"type": "object", "additionalProperties": {"anyOf": [{"type": "string"}, {
            "type": "object", "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
            "required": ["zh", "en"], "additionalProperties": False}]}},
        {"type": "null"},
    ]})] = Field(
        default=None,
        description="allowed values (enum, or a list of enum); a map {value: label} also gives their labels",
    )
    allowed: tuple[Union[Number, Span], ...] | None = Field(
        default=None, description="int/number: the values it may take, numbers or ranges {min, max} "
                                  "(e.g. a deduction of 0 or 2 to 3: [0, {min: 2, max: 3}])")
    of: Literal["string", "int", "number", "date", "enum"] | None = Field(
        default=None, description="item type of a list"
    )
    unique: Bool = Field(default=False, description="a list whose items must not repeat")
    references: str | None = Field(
        default=None, description="a list of ids that must be keys of this records fact, e.g. members"
    )
    key: str | None = Field(default=None, description="records: the field that identifies a record")
    fields: dict[str, "FactSpec"] | None = Field(default=None, description="fields of an object or a record")

    @model_validator(mode="before")
    @classmethod
    def _values_map(cls, data: Any) -> Any:
        return _enum_labels(data)


class Band(Model):
    min: Number
    stars: Int = Field(ge=0, le=5)


def _param_value(value: Any) -> Any:
    """Accept a parameter's value: a scalar, a list (numbers, texts or bands) or a map of numbers."""
    if isinstance(value, (bool, int, Decimal, date, str)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, (list, tuple)):
        items = list(value)
        if items and all(isinstance(i, (dict, Band)) for i in items):
            return tuple(Band.model_validate(i) for i in items)
        if all(isinstance(i, (int, Decimal)) and not isinstance(i, bool) for i in items):
            return tuple(items)
        if all(isinstance(i, str) for i in items):
            return tuple(str(i) for i in items)
        raise ValueError("a list parameter holds numbers, texts, or bands {min, stars}")
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(v, (int, Decimal)) or isinstance(v, bool):
                raise ValueError(f"a map parameter maps texts to numbers ({k!r} is not a number)")
            out[str(k)] = v
        return out
    raise ValueError("a parameter is a number, text, date, true/false, a list or a map")


ParamValue = Annotated[
    Any,
    PlainValidator(_param_value),
    WithJsonSchema({"description": "a number, text, date, boolean, list, bands or map of numbers"}),
]


class Parameter(Model):
    value: ParamValue
    tighter: Literal["higher", "lower", "none"] = Field(
        default="none", description="which direction makes the standard stricter (checked for overlays)"
    )
    description: str | None = None
    unit: str | None = None
    format: Literal["percent"] | None = Field(default=None, description="percent: a share 0–1 shown as 80%")


def _shorthand_parameters(value: Any) -> Any:
    """``name: 0.9`` is short for ``name: {value: 0.9}`` (a map needs the long form)."""
    if not isinstance(value, dict):
        return value
    return {k: (v if isinstance(v, dict) and "value" in v else {"value": v}) for k, v in value.items()}


_ShortParameter = Annotated[
    Any, WithJsonSchema({"type": ["number", "string", "boolean", "array", "object"],
                         "description": "short for {value: ...}"})
]
Parameters = Annotated[
    dict[str, Parameter],
    BeforeValidator(_shorthand_parameters, json_schema_input_type=dict[str, Union[Parameter, _ShortParameter]]),
]

_INDICATOR_ID = r"^[A-Z][A-Z0-9]*-[A-Z0-9]+$"


def _cap_value(value: Any) -> Any:
    """A cap is a number, or a parameter written ``$name`` (resolved when the standard is compiled)."""
    if isinstance(value, str) and re.fullmatch(r"\$[A-Za-z_][A-Za-z0-9_]*", value):
        return str(value)
    return _number(value)


CapValue = Annotated[
    Union[int, Decimal, str], PlainValidator(_cap_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\$[A-Za-z_][A-Za-z0-9_]*$"}]}),
]


class Indicator(Model):
    id: str = Field(pattern=_INDICATOR_ID)
    dimension: str
    kind: Kind
    title: str
    citation: Citation
    applies: Expr | None = Field(default=None, description="when false the indicator is NA; always applies when absent")
    rule: Expr | None = Field(default=None, description="PASS iff true (required, veto, star, cap)")
    points: Expr | None = Field(default=None, description="points earned (bonus, deduction, score)")
    max_points: Number | None = Field(default=None, description="score: the item's maximum")
    cap: CapValue | None = Field(
        default=None, description="bonus/deduction: cap on its points; cap kind: star limit; a number or $parameter")
    explain: Template | None = Field(default=None, description="sentence templates with {expressions}")
    note: str | None = None


class IndicatorPatch(Model):
    """An overlay's or revision's change to an indicator of its base, or a new indicator."""

    id: str = Field(pattern=_INDICATOR_ID)
    dimension: str | None = None
    kind: Kind | None = None
    title: str | None = None
    citation: Citation | None = None
    applies: Expr | None = None
    rule: Expr | None = None
    points: Expr | None = None
    max_points: Number | None = None
    cap: CapValue | None = None
    explain: Template | None = None
    note: str | None = None


class StarStep(Model):
    value: Expr
    note: Texts | None = None


class Quota(Model):
    stars: Int = Field(ge=1, le=5, description="the star level the quota limits")
    share: Expr = Field(description="share of the branches rated together that may keep it")
    minimum: Int = Field(default=1, ge=0)
    demote_to: Int = Field(ge=0, le=5)
    rank_by: tuple[Expr, ...] = Field(description="'EXPR desc' or 'EXPR asc', in order")
    scope: Expr | None = Field(default=None, description="the branches ranked together, e.g. branch.unit: "
                               "the quota applies within each value (default: all branches rated together)")


Labels = dict[Literal["met", "not_met", "pending"], str]
PassLine = Annotated[
    Union[int, Decimal, str], PlainValidator(_cap_value),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\$[A-Za-z_][A-Za-z0-9_]*$"}]}),
]


class NamedScore(Model):
    """One of several named scores (e.g. the 三星 table's score out of 100, pass line 80):
    evaluated before the outcome (every rating expression can read it by name) and shown in
    every result (``scores``)."""

    value: Expr = Field(description="the score, e.g. points(\"score\", \"L3\")")
    label: Texts | None = Field(default=None, description="what to call it, e.g. {zh: 三星（四有）, en: 3-star table}")
    max: Number | None = Field(default=None, description="its maximum, shown as 'x / max'")
    pass_line: PassLine | None = Field(default=None, alias="pass",
                                       description="its pass line (a number or $parameter): passed when score >= it")


class Rating(Model):
    labels: Labels = Field(description="Chinese labels of the outcomes, e.g. met: 达标")
    not_met: Expr = Field(default=Source("false"),
                          description="true when the branch does not meet the standard (absent: never, e.g. "
                                      "a scheme with only a pass line)")
    pending: Expr = Field(description="true when the outcome waits for unknown facts")
    scores: dict[str, NamedScore] = Field(default_factory=dict,
                                          description="named scores, evaluated first and shown in every result")
    values: dict[str, Expr] = Field(default_factory=dict, description="named values, evaluated in order")
    pass_line: Expr | None = Field(
        default=None, alias="pass",
        description="a pass line on the total (e.g. S >= 60): when false the outcome is not_met, "
                    "the score stays visible and the rectification list holds what lost points")
    stars: tuple[Union[Expr, StarStep], ...] | None = Field(
        default=None, description="steps; each yields the new `stars`; absent: the standard gives no stars")
    score: Expr | None = None
    quota: Quota | None = None


class RatingPatch(Model):
    labels: Labels | None = None
    not_met: Expr | None = None
    pending: Expr | None = None
    scores: dict[str, NamedScore] | None = None
    values: dict[str, Expr] | None = None
    pass_line: Expr | None = Field(default=None, alias="pass")
    stars: tuple[Union[Expr, StarStep], ...] | None = None
    score: Expr | None = None
    quota: Quota | None = None


_ID = r"^[a-z0-9][a-z0-9-]*$"


class _FileCommon(Model):
    starrules: Literal[1] = Field(description="format version of this file")
    id: str = Field(pattern=_ID)
    family: str = Field(pattern=_ID)
    version: str
    title: str
    issuer: str
    facts: dict[str, FactSpec] = Field(default_factory=dict)
    parameters: Parameters = Field(default_factory=dict)
    definitions: dict[str, Expr] = Field(default_factory=dict)
    terms: dict[str, Label] = Field(
        default_factory=dict, description="how a definition's name reads in sentences, e.g. NE: 应参学党员"
    )


class BaseFile(_FileCommon):
    """A standard written whole."""

    effective: Effective
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    rating: Rating


class LayerFile(_FileCommon):
    """An overlay (``extends``: tighten-only) or a revision (``revises``: a new version)."""

    extends: str | None = Field(default=None, description="overlay: the id of the standard it tightens")
    revises: str | None = Field(default=None, description="revision: the id of the version it revises")
    effective: Effective | None = None
    indicators: tuple[IndicatorPatch, ...] = ()
    rating: RatingPatch | None = None


FactSpec.model_rebuild()
