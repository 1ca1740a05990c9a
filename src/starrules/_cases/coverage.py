"""Which indicator outcomes the cases have exercised, per standard.

An indicator is covered when the cases have seen both sides of it:

=========================  =========================================
kind                       needs
=========================  =========================================
required, veto, star, cap  PASS and FAIL
bonus                      PASS (points earned) and NA (none earned)
deduction                  PASS (0 points) and FAIL (points > 0)
score                      PASS (full marks) and FAIL (less)
=========================  =========================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._evaluate.result import Result

NEEDED: dict[str, tuple[str, ...]] = {"bonus": ("PASS", "NA")}
DEFAULT_NEEDED = ("PASS", "FAIL")


def needed(kind: str) -> tuple[str, ...]:
    return NEEDED.get(kind, DEFAULT_NEEDED)


@dataclass(frozen=True)
class Gap:
    standard: str
    indicator: str
    kind: str
    missing: tuple[str, ...]  # statuses never seen


@dataclass
class StandardCoverage:
    standard: str
    kinds: dict[str, str] = field(default_factory=dict)  # indicator -> kind, in standard order
    seen: dict[str, set[str]] = field(default_factory=dict)
    cases: int = 0

    def gaps(self) -> list[Gap]:
        out = []
        for iid, kind in self.kinds.items():
            missing = tuple(s for s in needed(kind) if s not in self.seen.get(iid, ()))
            if missing:
                out.append(Gap(self.standard, iid, kind, missing))
        return out

    @property
    def covered(self) -> int:
        return len(self.kinds) - len(self.gaps())


@dataclass
class Coverage:
    standards: dict[str, StandardCoverage] = field(default_factory=dict)

    def add(self, result: Result) -> None:
        sc = self.standards.setdefault(result.standard.id, StandardCoverage(result.standard.id))
        sc.cases += 1
        for ind in result.indicators:
            sc.kinds.setdefault(ind.id, ind.kind)
            sc.seen.setdefault(ind.id, set()).add(ind.status)

    def gaps(self) -> list[Gap]:
        return [g for sc in self.standards.values() for g in sc.gaps()]


__all__ = ["Coverage", "Gap", "StandardCoverage", "needed"]
