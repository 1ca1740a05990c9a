"""The branches and standards pinned by the golden results (shared by the test and regenerate.py)."""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "results"

#: shipped standard id -> evaluation year of its generated branches
STANDARDS = {"prov-2023": 2023, "port-group-2023": 2023, "prov-2024": 2024, "city-2023": 2023}
GENERATED = 20


def _generator() -> Any:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    return generate


def branches(standard: str) -> Iterator[tuple[str, Any]]:
    """(name, facts) pairs: every shipped example and case facts file, then generated branches."""
    files = sorted(REPO.glob("examples/*.yaml")) + sorted(REPO.glob("cases/**/facts/*.yaml"))
    for path in files:
        yield path.relative_to(REPO).as_posix(), path
    gen = _generator()
    rng = random.Random(f"golden-{standard}")
    for k in range(GENERATED):
        doc = gen.generate_branch(rng, STANDARDS[standard], branch_id=f"G{k:03d}")
        # exact decimals, as a JSON facts file would be read
        yield f"generated/{k:03d}", json.loads(json.dumps(doc), parse_float=Decimal)


def results(standard: str) -> list[dict[str, Any]]:
    """One golden row per branch: its result JSON, or the error it raised."""
    import starrules

    std = starrules.load_standard(standard)
    rows: list[dict[str, Any]] = []
    for name, facts in branches(standard):
        try:
            row: dict[str, Any] = {"branch": name, "result": starrules.evaluate(std, facts).model_dump(mode="json")}
        except starrules.StarrulesError as exc:
            row = {"branch": name, "error": [p.code for p in exc.problems]}
        rows.append(row)
    return rows


def dump(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)


def path_of(standard: str) -> Path:
    return HERE / f"{standard}.jsonl"
