"""Facts shared by every branch of a host unit, given once per unit (``--unit-facts``).

Some facts are about the unit that hosts a branch, not the branch: 中铁电气化局's 四无 veto
(a serious violation, a public-order failure, accidents over quota, a mass incident in the
unit) or a workshop's missed production target. A batch reads them once from a YAML/JSON
file keyed by ``branch.unit``::

    供电一段:
      unit: {serious_violation: false, accidents_over_quota: false}

and merges them into each branch of that unit before it is validated: a top-level fact the
branch does not give is taken whole; an object fact the branch gives in part gets the
missing fields. A field given by both, with different values, is an error row
(``batch-unit-fact-conflict``), never a silent choice. What was merged is recorded in the
result: ``provenance.unit_facts`` (the unit, the file, the fact paths taken from it). The
result's ``facts_sha256`` is the hash of the merged document (what was rated).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .._errors import FactsError, Problem
from .._facts.read import read_facts


class UnitFacts(NamedTuple):
    source: str  # the file, as given
    by_unit: dict[str, dict[str, Any]]


def read_unit_facts(path: str | Path) -> UnitFacts:
    """Read a unit-facts file: a mapping of unit name -> mapping of facts (FactsError otherwise)."""
    doc, _positions, display = read_facts(path)
    if not isinstance(doc, Mapping) or not all(isinstance(v, Mapping) for v in doc.values()):
        raise FactsError(Problem("facts-not-mapping", {}, file=display))
    return UnitFacts(str(path), {str(k): dict(v) for k, v in doc.items()})


def merge_unit_facts(doc: Any, units: UnitFacts, display: str | None) -> tuple[Any, dict[str, Any] | None]:
    """``doc`` with its unit's facts merged in, and the provenance (None when nothing merged)."""
    if not isinstance(doc, Mapping):
        return doc, None
    branch = doc.get("branch")
    unit = branch.get("unit") if isinstance(branch, Mapping) else None
    shared = units.by_unit.get(unit) if isinstance(unit, str) else None
    if not shared:
        return doc, None
    out = dict(doc)
    taken: list[str] = []
    conflicts: list[Problem] = []

    def merge(into: dict[str, Any], given: Mapping[str, Any], prefix: str) -> None:
        for key, value in given.items():
            path = f"{prefix}{key}"
            if key not in into or into[key] is None:
                into[key] = copy.deepcopy(value)
                taken.append(path)
            elif isinstance(into[key], Mapping) and isinstance(value, Mapping):
                inner = dict(into[key])
                merge(inner, value, path + ".")
                into[key] = inner
            elif into[key] != value:
                conflicts.append(Problem("batch-unit-fact-conflict", {
                    "path": path, "unit": unit, "branch_value": into[key], "unit_value": value,
                    "source": units.source}, file=display, path=path))

    merge(out, shared, "")
    if conflicts:
        raise FactsError(conflicts)
    if not taken:
        return doc, None
    return out, {"unit": unit, "source": units.source, "facts": tuple(taken)}
