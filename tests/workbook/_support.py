"""Shared helpers of the workbook tests: filled workbooks written through the library."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules._facts.read import read_facts
from starrules._workbook.write import write_workbook

pytest.importorskip("xlsxwriter")
pytest.importorskip("python_calamine")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHIPPED = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")


@cache
def standard(sid: str) -> starrules.Standard:
    return starrules.load_standard(sid)


def example_doc(name: str) -> dict[str, Any]:
    doc, _, _ = read_facts(EXAMPLES / f"{name}.yaml")
    return doc  # type: ignore[no-any-return]


def filled(tmp_path: Path, sid: str, doc: dict[str, Any], name: str = "台账.xlsx") -> Path:
    out = tmp_path / name
    write_workbook(out, standard(sid), doc)
    return out


def declared_only(std: starrules.Standard, doc: Any) -> Any:
    """The document as a workbook holds it: undeclared facts and explicit nulls left out."""
    def walk(value: Any, specs: Any) -> Any:
        if isinstance(value, dict) and specs is not None:
            return {k: walk(v, specs[k].fields if specs[k].type in ("object", "records") else None)
                    for k, v in value.items() if k in specs and v is not None}
        if isinstance(value, list):
            return [walk(v, specs) for v in value]
        return value

    return walk(doc, std.resolved.facts)


def comparable(result: starrules.Result) -> dict[str, Any]:
    """A result's JSON without what depends on the facts' encoding (their hash, undeclared notes)."""
    data = result.model_dump(mode="json")
    data["provenance"].pop("facts_sha256")
    data["warnings"] = [w for w in data["warnings"] if w["code"] != "facts-undeclared"]
    return data
