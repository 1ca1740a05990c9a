"""lark's parser comes from the shipped tables: no cache file, nothing unpickled (issue 20)."""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import lark
import pytest
from lark.grammar import Rule
from lark.lexer import TerminalDef

from starrules._lang import tables

SRC = Path(__file__).resolve().parents[2] / "src"


def _normal(x: object) -> object:
    if isinstance(x, dict):
        return {k: _normal(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_normal(v) for v in x]
    return x


def _serialized(parser: lark.Lark) -> object:
    return _normal(parser.memo_serialize([TerminalDef, Rule]))


class _Planted:
    """Unpickling this creates the marker file: what a planted cache would do."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.marker, "w"))


def test_a_planted_lark_cache_in_the_temp_dir_is_never_unpickled(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    grammar = tables.grammar_bytes().decode("utf-8")
    # lark's predictable cache name: its options and the grammar hashed, the user, the Python
    options = dict(tables.OPTIONS, cache=True)
    options_str = "".join(k + str(v) for k, v in options.items() if k not in ("_plugins",))
    from lark import __version__ as lark_version

    sha = hashlib.sha256((grammar + options_str + lark_version + str(sys.version_info[:2])).encode()).hexdigest()
    for user in {getpass.getuser(), "unknown"}:
        planted = tmp_path / f".lark_cache_{user}_{sha}_{sys.version_info[0]}_{sys.version_info[1]}.tmp"
        with open(planted, "wb") as f:
            f.write(b"junk\n")
            pickle.dump(_Planted(str(marker)), f)
    before = sorted(p.name for p in tmp_path.iterdir())
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=str(SRC))
    code = "import starrules; print(starrules.load_standard('prov-2023').id)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "prov-2023"
    assert not marker.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written to the temp dir


def _shipped_strings() -> list[str]:
    import yaml

    found: list[str] = []

    def walk(x: object) -> None:
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            found.append(x)

    for path in sorted((SRC.parent / "standards").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _outcome(parser: lark.Lark, text: str) -> object:
    try:
        return parser.parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        return type(exc).__name__


def test_the_shipped_tables_are_those_of_the_grammar() -> None:
    doc = json.loads(Path(tables.__file__).with_name(tables.TABLES).read_text(encoding="utf-8"))
    assert doc["grammar_sha256"] == tables.grammar_sha256(), "run: PYTHONPATH=src python -m starrules._lang.tables"
    if doc["lark_version"] != lark.__version__:
        pytest.skip("tables made with another lark (the parser is built from the grammar then)")
    shipped, built = tables.load(), tables.build()
    texts = _shipped_strings()
    assert len(texts) > 500
    parsed = 0
    for text in texts:  # every string of every shipped standard: same tree, or the same refusal
        got = _outcome(shipped, text)
        assert got == _outcome(built, text), text
        parsed += not isinstance(got, str)
    assert parsed > 100


@pytest.mark.parametrize("expr", [
    "count(members where age > 30 and role in [\"a\", \"b\"]) >= $min or not x.y",
    "if a then 1 else share(m where m.ok) * 2 / 3",
    "all(1..3 as i, i <= n) and tags ⊇ [\"x\"]",
])
def test_parser_from_tables_parses_as_the_built_one(expr: str) -> None:
    assert tables.load().parse(expr) == tables.build().parse(expr)


def test_tables_of_another_grammar_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    monkeypatch.setattr(tables, "grammar_sha256", lambda: "0" * 64)
    monkeypatch.setattr(tables, "build", lambda: built.append(1) or "built")
    assert tables.load() == "built" and built == [1]


def test_tables_written_and_read_back_round_trip() -> None:
    parser = tables.build()
    doc = json.loads(tables.tables_json(parser), object_pairs_hook=tables._int_keys)
    assert _normal([doc["data"], doc["memo"]]) == _serialized(parser)
