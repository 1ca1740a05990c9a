"""Generated batches with broken rows, duplicate ids and unknown facts, and the batch's own lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from starrules._batch.run import BatchRun
from starrules._batch.sources import iter_documents, iter_input

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import generate  # noqa: E402

sys.path.pop(0)


def documents(n: int, seed: int = 0, year: int = 2023) -> list[Any]:
    """``n`` branches, every other one exemplary (so that the five-star quota demotes some),
    and broken ones: every 37th a wrong type, every 23rd a repeated id."""
    import random

    rng = random.Random(seed)
    docs: list[Any] = []
    for k in range(n):
        doc = generate.generate_branch(rng, year, profile="exemplary" if k % 2 else None, branch_id=f"B{seed}-{k:05d}")
        if k % 37 == 5:
            doc["year"] = str(doc["year"])  # facts-type
        if k % 23 == 7:
            doc["branch"]["id"] = "REPEATED"
        docs.append(doc)
    return docs


def write_jsonl(path: Path, docs: list[Any], *, garbage_every: int = 41) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for k, doc in enumerate(docs):
            if k % garbage_every == 3:
                f.write('{"branch": {"id": \n')  # a malformed line
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def batch_lines(standard: Any, source: Any, **kw: Any) -> list[str]:
    """What ``starrules batch`` writes for ``source`` (a path, or an iterable of documents)."""
    items = iter_input(source) if isinstance(source, (str, Path)) else iter_documents(source)
    with BatchRun(standard, items, mode="json", workers=1, **kw) as run:
        return [row.payload.decode("utf-8") for row in run]
