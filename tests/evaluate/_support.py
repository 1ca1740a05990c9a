"""Shared helpers for the evaluation tests: generated branches and the independent baseline."""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import starrules
from starrules._facts.read import parse_json

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import baseline  # noqa: E402
import generate  # noqa: E402

SHIPPED = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")


@lru_cache(maxsize=None)
def standard(sid: str) -> starrules.Standard:
    return starrules.load_standard(sid)


def as_json_doc(doc: dict[str, Any]) -> dict[str, Any]:
    """A document as a JSON reader sees it (exact decimals)."""
    return parse_json(json.dumps(doc))


def branches(n: int, seed: int, year: int = 2023) -> Iterator[dict[str, Any]]:
    for doc in generate.generate(n, seed=seed, year=year):
        yield as_json_doc(doc)


def differences(sid: str, doc: dict[str, Any]) -> list[str]:
    """Where starrules and the hand-written baseline disagree on one branch (empty: agree)."""
    res = starrules.evaluate(standard(sid), doc)
    ref = baseline.rate(sid, doc)
    out = []
    if (res.outcome, res.stars, res.score) != (ref["outcome"], ref["stars"], ref["score"]):
        out.append(f"rating {res.outcome}/{res.stars}/{res.score} != {ref['outcome']}/{ref['stars']}/{ref['score']}")
    ids = [i.id for i in res.indicators]
    if ids != list(ref["indicators"]):
        out.append(f"indicator order {ids} != {list(ref['indicators'])}")
    for ind in res.indicators:
        r = ref["indicators"].get(ind.id)
        if r is None or (ind.status, ind.points) != (r["status"], r["points"]):
            out.append(f"{ind.id}: {ind.status}/{ind.points} != {r}")
    return out
