"""Documents for the diff tests: generated branches (bench/generate.py) and the five-star example."""

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

from starrules._facts.read import read_facts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BENCH = ROOT / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import generate


@cache
def _example(name: str) -> dict[str, Any]:
    doc, _, _ = read_facts(EXAMPLES / f"{name}.yaml")
    return doc  # type: ignore[no-any-return]


def five_star(branch_id: str, review_score: int) -> dict[str, Any]:
    """The five-star example as another branch with a city-2023 review score."""
    doc = copy.deepcopy(_example("five-star-branch"))
    doc["branch"] = {**doc["branch"], "id": branch_id}
    doc["review_score"] = review_score
    return doc


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def json_line(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, default=_default)


def write_jsonl(path: Path, lines: Iterable[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


__all__ = ["EXAMPLES", "ROOT", "five_star", "generate", "json_line", "write_jsonl"]
