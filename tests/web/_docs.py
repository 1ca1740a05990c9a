"""Documents for the web tests: the shipped examples as YAML bytes, JSON and JSONL."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from starrules._facts.read import read_facts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


def example_bytes(name: str) -> bytes:
    return (EXAMPLES / f"{name}.yaml").read_bytes()


def example_doc(name: str) -> dict[str, Any]:
    doc, _, _ = read_facts(EXAMPLES / f"{name}.yaml")
    return doc  # type: ignore[no-any-return]


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


def as_json(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, default=_default)


def jsonl(docs: list[Any]) -> bytes:
    return "".join(as_json(d) + "\n" for d in docs).encode("utf-8")
