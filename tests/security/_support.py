"""Helpers of the hostile-input tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
FACTS = EXAMPLES / "three-star-branch.yaml"
MINI = REPO / "tests" / "fixtures" / "valid" / "mini.yaml"


def example(name: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def json_line(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, default=str)


def write_jsonl(path: Path, docs: list[Any]) -> Path:
    path.write_text("".join(json_line(d) + "\n" for d in docs), encoding="utf-8")
    return path


def read_out(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def no_traceback(res: Any) -> None:
    assert "Traceback" not in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
