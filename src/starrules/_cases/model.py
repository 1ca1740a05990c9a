"""The case-file format (docs/test-cases.md) as pydantic models: a YAML typo is an error.

::

    standard: prov-2023                  # an id, or a path relative to this file
    base: ../../examples/five-star-branch.yaml   # facts file (relative) or inline facts
    cases:
      - name: 正式党员恰好3名
        facts: {members: [...]}          # deep-merged onto base (null removes a key)
        expect:
          outcome: met
          stars: 5
          score: 66
          indicators: {ORG-01: PASS, ROLE-09: {status: PASS, points: 2}}

Only what ``expect`` names is checked.  ``stars: null`` / ``score: null`` expect no stars /
no score (pending, not met); leaving the key out does not check it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictInt,
    StrictStr,
    field_validator,
)

Status = Literal["PASS", "FAIL", "NA", "UNKNOWN"]
Outcome = Literal["met", "not_met", "pending"]
#: an exact number as the YAML loader gives it: int or Decimal, never bool, text or float
Number = StrictInt | Annotated[Decimal, Strict()]
Name = Annotated[StrictStr, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorExpect(_Model):
    """What one indicator should yield: its status, its points, or both (``load`` refuses
    an expectation with neither)."""

    status: Status | None = None
    points: Number | None = None


class Expect(_Model):
    """The expected result; every key is optional and only the keys written are checked."""

    outcome: Outcome | None = None
    stars: Annotated[StrictInt, Field(ge=0, le=5)] | None = None
    score: Number | None = None
    #: ``ID: STATUS`` is short for ``ID: {status: STATUS}``
    indicators: dict[Name, IndicatorExpect] = Field(default_factory=dict)
    #: dimensions lit (set equality), e.g. [ORG, TEAM, ACT, ROLE, INST, SUP]
    lit: list[Name] | None = None
    #: facts to verify of a pending result (set equality), e.g. [satisfaction]
    facts_to_verify: list[Name] | None = None
    #: ids on the rectification list of a not-met result (set equality)
    rectification_list: list[Name] | None = None

    def given(self, key: str) -> bool:
        """Whether the author wrote ``key`` (``stars: null`` is written; a missing key is not)."""
        return key in self.model_fields_set

    @field_validator("indicators", mode="before")
    @classmethod
    def _status_shorthand(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"status": v} if isinstance(v, str) else v for k, v in value.items()}
        return value

    def indicator(self, indicator_id: str) -> IndicatorExpect:
        return self.indicators[indicator_id]


class CaseSpec(_Model):
    """One case as written."""

    name: Name
    note: StrictStr | None = None
    facts: dict[StrictStr, Any] | None = None
    facts_file: Name | None = None
    expect: Expect


class CaseFileSpec(_Model):
    """A whole case file as written."""

    standard: Name
    title: StrictStr | None = None
    note: StrictStr | None = None
    base: Name | dict[StrictStr, Any] | None = None
    cases: list[CaseSpec] = Field(min_length=1)


__all__ = ["CaseFileSpec", "CaseSpec", "Expect", "IndicatorExpect", "Number", "Outcome", "Status"]
