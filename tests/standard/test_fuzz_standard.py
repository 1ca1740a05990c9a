"""Property: whatever is done to a valid standard file, loading it either works or raises one of
the library's own errors, whose every problem has a catalogue code and a message and a fix in
Chinese and English.  Never another exception (no KeyError, RecursionError, TypeError, ...).

Seeds: the shipped standards and tests/fixtures/valid/mini.yaml.  Mutations: delete lines,
replace a value with another scalar (YAML 1.1 traps included), insert random YAML text,
re-indent a line, truncate the text; and, on the parsed data, delete a key or replace a value
with one of another type.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from _mutations import mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import starrules
from starrules import StarrulesError
from starrules._messages import CATALOGUE
from starrules._yaml import load as load_yaml

REPO = Path(__file__).resolve().parents[2]
SEEDS = {
    p.name: p.read_text(encoding="utf-8")
    for p in [*sorted((REPO / "standards").glob("*.yaml")), REPO / "tests" / "fixtures" / "valid" / "mini.yaml"]
}

SCALARS = [
    "true", "false", "yes", "no", "on", "off", "null", "~", "", '"3"', "3", "2.0", "-1", "0", "1e400",
    ".nan", ".inf", "1:30", "0x1F", "0o17", "2023-02-30", "2023-01-01", "2023-01-01 10:00:00", "[]", "{}",
    "[1, a, {b: c}]", "{value: 1, tighter: sideways}", "&a x", "*a", "*undefined", "!!binary aGk=",
    "!!python/object:os.system {}", "!!set {a, b}", "'quoted: colon'", '"\\x00"', "count(", "$", "a: b: c",
    "|\n  block\n  text", "ORG-01", "star", "required", "bonus", "score", "- item", "中文", "'", '"',
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(exc: StarrulesError) -> None:
    assert exc.problems, "an error with no problem"
    for p in exc.problems:
        assert p.code in CATALOGUE, p.code
        for lang in ("zh", "en"):
            assert p.message(lang).strip(), (p.code, lang)
            assert (p.fix(lang) or "").strip(), (p.code, lang)
            assert p.render(lang)


def load(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    try:
        starrules.load_standard(path)
    except StarrulesError as exc:
        check(exc)


@st.composite
def text_mutation(draw: st.DrawFn) -> str:
    text = SEEDS[draw(st.sampled_from(sorted(SEEDS)))]
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "scalar", "insert", "indent", "truncate"]))
        if op == "delete":
            n = draw(st.integers(1, 5))
            del lines[i:i + n]
        elif op == "scalar":
            line = lines[i]
            cut = line.find(": ") + 2 if ": " in line else line.find("- ") + 2 if "- " in line else 0
            value = draw(st.sampled_from(SCALARS) | st.text(max_size=12))
            lines[i] = line[:cut] + value + "\n"
        elif op == "insert":
            junk = draw(st.sampled_from(SCALARS) | st.text(
                alphabet=st.sampled_from(list(" :-[]{},#&*!|>'\"\t\nabc19中")), max_size=30))
            lines.insert(i, junk + "\n")
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        else:
            return "".join(lines)[: draw(st.integers(0, len(text)))]
    return "".join(lines)


@given(text=text_mutation())
@SETTINGS
def test_mutated_text_only_raises_library_errors(text: str, tmp_path_factory: Any) -> None:
    load(tmp_path_factory.mktemp("fuzz") / "standard.yaml", text)


# -- structural mutations ------------------------------------------------------------------------

OTHER_VALUES: list[Any] = [None, True, False, 0, -1, 7, Decimal("0.5"), "text", "", [], {}, [1, "a"],
                           {"x": 1}, date(2023, 2, 1), datetime(2023, 2, 1, 10, 0), "count(F) >=", "$nope",
                           [{"min": 1, "stars": 9}], {"value": [None]}]


class _Dumper(yaml.SafeDumper):
    """A private dumper (never the shared one) that writes Decimals as plain numbers."""


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))


@given(seed=st.sampled_from(sorted(SEEDS)), picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=3),
       ops=st.lists(st.sampled_from(["delete", "replace"]), min_size=3, max_size=3),
       values=st.lists(st.sampled_from(range(len(OTHER_VALUES))), min_size=3, max_size=3))
@SETTINGS
def test_mutated_data_only_raises_library_errors(seed: str, picks: list[int], ops: list[str],
                                                 values: list[int], tmp_path_factory: Any) -> None:
    data, _ = load_yaml(SEEDS[seed], seed)
    mutate(data, picks, ops, values, OTHER_VALUES)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    load(tmp_path_factory.mktemp("fuzz") / "standard.yaml", text)


def test_the_seeds_load() -> None:
    for name in SEEDS:
        folder = "tests/fixtures/valid" if name == "mini.yaml" else "standards"
        starrules.load_standard(REPO / folder / name)
