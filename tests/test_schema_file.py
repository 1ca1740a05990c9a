"""The editor schema shipped in schemas/ is the one the models generate."""

import json
from pathlib import Path

from starrules._standard.jsonschema import standard_file_schema

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_schema_is_current() -> None:
    shipped = json.loads((ROOT / "schemas" / "standard.schema.json").read_text(encoding="utf-8"))
    assert shipped == standard_file_schema(), "regenerate: starrules schema standard -o schemas/standard.schema.json"
