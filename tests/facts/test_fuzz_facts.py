"""Property: whatever is done to a valid facts document, validating it against prov-2023 either
works or raises one of the library's own errors, whose every problem (and every warning) has a
catalogue code and a message and a fix in Chinese and English.  When it works, the values hold
no float and no datetime (numbers are int/Decimal, dates are dates).

Seeds: examples/*.yaml.  Mutations on the text (YAML, and the same data as JSON) and on the
parsed data given directly, as a Python caller would.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from _mutations import mutate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import starrules
from starrules import Problem, StarrulesError
from starrules._messages import CATALOGUE
from starrules._yaml import load as load_yaml

REPO = Path(__file__).resolve().parents[2]
SEEDS = {p.name: p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.yaml"))}
STD = starrules.load_standard("prov-2023")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = ["true", "yes", "no", "null", "~", "", '"3"', "3", "2.0", "-1", "1e400", ".nan", "1:30", "0x1F",
           "2023-02-30", "2023-01-01", "2023-01-01 10:00:00", "[]", "{}", "[null]", "[1, a]", "{id: x}",
           "&a [x]", "*a", "!!binary aGk=", "'", "中文", "formal", "congress", "members", "M01"]
PY_VALUES: list[Any] = [None, True, 0, -1, 2**70, 1.5, float("nan"), float("inf"), Decimal("NaN"), Decimal("0.5"),
                        "", "x", "2023-01-01", "2023-01-01T00:00", date(2023, 1, 1), datetime(2023, 1, 1),
                        [], [None], [1, "a"], {}, {"id": None}, (1, 2), b"bytes", {1, 2}, object()]


def check(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for p in problems:
        assert p.code in CATALOGUE, p.code
        for lang in ("zh", "en"):
            assert p.message(lang).strip() and (p.fix(lang) or "").strip(), (p.code, lang)


def no_floats(value: Any) -> None:
    assert not isinstance(value, (float, datetime)), value
    if isinstance(value, dict):
        for v in value.values():
            no_floats(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            no_floats(v)


def validate(facts: Any) -> None:
    try:
        vf = starrules.validate_facts(STD, facts)
    except StarrulesError as exc:
        assert exc.problems
        check(exc.problems)
    else:
        check(vf.warnings)
        no_floats(vf.values)


@st.composite
def text_mutation(draw: st.DrawFn) -> str:
    lines = SEEDS[draw(st.sampled_from(sorted(SEEDS)))].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "scalar", "insert", "truncate"]))
        if op == "delete":
            del lines[i:i + draw(st.integers(1, 4))]
        elif op == "scalar":
            line = lines[i]
            cut = line.rfind(": ") + 2 if ": " in line else line.find("- ") + 2
            lines[i] = line[:max(cut, 0)] + draw(st.sampled_from(SCALARS) | st.text(max_size=10)) + "\n"
        elif op == "insert":
            lines.insert(i, draw(st.text(alphabet=st.sampled_from(list(" :-[]{},#&*!|'\"\nab1中")),
                                         max_size=25)) + "\n")
        else:
            text = "".join(lines)
            return text[: draw(st.integers(0, len(text)))]
        if not lines:
            break
    return "".join(lines)


@given(text=text_mutation())
@SETTINGS
def test_mutated_yaml_only_raises_library_errors(text: str, tmp_path_factory: Any) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    validate(path)


def _mutate(data: Any, picks: list[int], ops: list[str], values: list[int]) -> Any:
    return mutate(data, picks, ops, values, PY_VALUES)


MUTATIONS = dict(
    seed=st.sampled_from(sorted(SEEDS)),
    picks=st.lists(st.integers(0, 10**6), min_size=1, max_size=4),
    ops=st.lists(st.sampled_from(["delete", "replace"]), min_size=4, max_size=4),
    values=st.lists(st.integers(0, len(PY_VALUES) - 1), min_size=4, max_size=4),
)


@given(**MUTATIONS)
@SETTINGS
def test_mutated_python_data_only_raises_library_errors(seed: str, picks: list[int], ops: list[str],
                                                        values: list[int]) -> None:
    data, _ = load_yaml(SEEDS[seed], seed)
    validate(_mutate(data, picks, ops, values))


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (date, bytes, set, Decimal)) or type(value) is object:
        return str(value)
    return value


@given(**MUTATIONS)
@SETTINGS
def test_mutated_json_only_raises_library_errors(seed: str, picks: list[int], ops: list[str],
                                                 values: list[int], tmp_path_factory: Any) -> None:
    data, _ = load_yaml(SEEDS[seed], seed)
    text = json.dumps(_json_safe(_mutate(data, picks, ops, values)), ensure_ascii=False, allow_nan=True)
    path = tmp_path_factory.mktemp("fuzz") / "facts.json"
    path.write_text(text, encoding="utf-8")
    validate(path)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_seeds_are_valid(name: str) -> None:
    vf = starrules.validate_facts(STD, REPO / "examples" / name)
    no_floats(vf.values)
    check(vf.warnings)
