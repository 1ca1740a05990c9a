"""lark's LALR tables for ``grammar.lark``, shipped as a generated Python module.

Building the parser from the grammar takes tens of milliseconds in every fresh process;
lark's own ``cache=True`` would save that, but it pickles to a predictable name in the
shared temporary directory and unpickles whatever it finds there (another local user could
plant code).  Instead the analysed tables are generated once, at build time, into
``grammar_tables.json`` (package data beside the grammar, plain JSON) and loaded with
lark's own deserialiser.  Nothing is ever read from a cache directory and
nothing is unpickled.

The file records the sha256 of the grammar and the lark version it was made with; when
either differs (the grammar was edited, another lark is installed) the parser is built from
the grammar instead: slower, never wrong.  Regenerate with::

    PYTHONPATH=src python -m starrules._lang.tables
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

#: the options the parser is built with (the tables depend on them)
OPTIONS: dict[str, Any] = dict(parser="lalr", lexer="basic", keep_all_tokens=True, maybe_placeholders=True)
TABLES = "grammar_tables.json"


def grammar_bytes() -> bytes:
    return resources.files(__package__).joinpath("grammar.lark").read_bytes()


def grammar_sha256() -> str:
    return hashlib.sha256(grammar_bytes()).hexdigest()


def build() -> Any:
    """The parser, analysed from the grammar (the slow path)."""
    import lark

    return lark.Lark(grammar_bytes().decode("utf-8"), **OPTIONS)


def _int_keys(pairs: list[tuple[str, Any]]) -> dict[Any, Any]:
    """JSON keys are text; lark's state and token numbers are ints (no lark name is all digits)."""
    return {int(k) if k.isdigit() else k: v for k, v in pairs}


def load() -> Any:
    """The parser from the shipped tables when they fit this grammar and this lark, else built."""
    import lark

    try:
        raw = resources.files(__package__).joinpath(TABLES).read_bytes()
        tables = json.loads(raw, object_pairs_hook=_int_keys)
    except (OSError, ValueError):
        return build()
    if tables.get("grammar_sha256") != grammar_sha256() or tables.get("lark_version") != lark.__version__:
        return build()
    return lark.Lark._load_from_dict(tables["data"], tables["memo"])


def tables_json(parser: Any = None) -> str:
    """The text of ``grammar_tables.json`` for the current grammar and lark."""
    import lark
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    parser = parser if parser is not None else build()
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    doc = {"generated_by": "python -m starrules._lang.tables (do not edit)", "grammar_sha256": grammar_sha256(),
           "lark_version": lark.__version__, "data": data, "memo": memo}
    return json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n"


def write(path: Path | None = None) -> Path:
    from .._files import write_atomic

    target = path or Path(__file__).with_name(TABLES)
    write_atomic(target, tables_json())
    return target


if __name__ == "__main__":  # pragma: no cover - build step
    print(f"wrote {write()}")
