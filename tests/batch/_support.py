"""Documents for the batch tests: the shipped examples, variants of the five-star example,
and generated branches (bench/generate.py)."""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import starrules
from starrules._facts.read import read_facts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BENCH = ROOT / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import baseline  # noqa: F401  (re-exported for the tests)
import generate


@cache
def standard(sid: str) -> starrules.Standard:
    return starrules.load_standard(sid)


@cache
def _example(name: str) -> dict[str, Any]:
    doc, _, _ = read_facts(EXAMPLES / f"{name}.yaml")
    return doc  # type: ignore[no-any-return]


def example(name: str) -> dict[str, Any]:
    return copy.deepcopy(_example(name))


def five_star(branch_id: str, review_score: int, *, activists: int = 3, unit: str = "测试单位") -> dict[str, Any]:
    """The five-star example (base 100) as another branch; ``activists=0`` loses TEAM-C3's 3
    points (base 97).  S = 0.7 × base + 0.3 × review_score."""
    doc = example("five-star-branch")
    doc["branch"] = {**doc["branch"], "id": branch_id, "unit": unit}
    doc["review_score"] = review_score
    doc["recruitment"] = {**doc["recruitment"], "activists": activists}
    return doc


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # few digits: the float's repr is the same decimal
        return float(value)
    raise TypeError(type(value))


def json_line(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, default=_default)


def write_jsonl(path: Path, lines: Iterable[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def generated_lines(n: int, seed: int) -> list[str]:
    return [json.dumps(d, ensure_ascii=False) for d in generate.generate(n, seed=seed)]


def read_out(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
