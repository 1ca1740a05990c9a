"""Fuzz the whole pipeline: mutated facts, mutated standards and random rule expressions go
through evaluate, evaluate_many, explain, next_star, report_html and verify, and only the
library's own errors (StarrulesError subclasses, with a catalogue code and messages) may come
out: never a KeyError, RecursionError, UnicodeEncodeError or hang.

Bounded for the default run (a few tens of seconds in all); ``--slow`` runs ten times more.
Mutations reuse tests/_mutations.py, as do tests/facts/test_fuzz_facts.py and
tests/standard/test_fuzz_standard.py (which fuzz loading alone).
"""

from __future__ import annotations

import copy
import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from _mutations import mutate
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import starrules
from starrules import StarrulesError
from starrules._messages import CATALOGUE
from starrules._yaml import load as load_yaml

REPO = Path(__file__).resolve().parents[2]
SLOW = "--slow" in sys.argv
FUZZ = settings(max_examples=120 if SLOW else 12, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if SLOW else []),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
STD = starrules.load_standard("prov-2023")
EXAMPLES = {p.name: load_yaml(p.read_text(encoding="utf-8"), p.name)[0] for p in sorted((REPO / "examples").glob("*.yaml"))}
MINI = (REPO / "tests" / "fixtures" / "valid" / "mini.yaml").read_text(encoding="utf-8")

HOSTILE: list[Any] = [
    None, True, 0, -1, 10 ** 120, Decimal("1e999999"), Decimal("-0.5"), 1.5, float("nan"), "", "a\ud800b",
    "\x1b]52;c;aGk=\x07", "2023-02-30", "2023-01-01", date(2023, 1, 1), datetime(2023, 1, 1, 8), [], [None],
    [1, "a"], {}, {"id": None}, {"id": "X", "status": "formal"}, "x" * 5000, [[[[[[1]]]]]], "formal", "M01",
]


def check(exc: StarrulesError) -> None:
    assert exc.problems, "an error with no problem"
    for p in exc.problems:
        assert p.code in CATALOGUE, p.code
        for lang in ("zh", "en"):
            assert p.message(lang).strip() and p.render(lang)


def lib_only(fn: Any, *args: Any, **kw: Any) -> Any:
    """``fn(*args)``; a library error is fine (and checked), anything else fails the test."""
    try:
        return fn(*args, **kw)
    except StarrulesError as exc:
        check(exc)
        return None


def pipeline(std: Any, doc: Any, tmp: Path) -> None:
    """Every entry point on one document."""
    result = lib_only(starrules.evaluate, std, doc)
    items = list(starrules.evaluate_many(std, [doc, doc], workers=1))  # the second is a duplicate branch
    assert len(items) == 2
    for item in items:
        if item.error is not None:
            assert all(e["code"] in CATALOGUE for e in item.error), item.error
    indicator = std.indicator_ids[len(std.indicator_ids) // 2]
    for lang in ("zh", "en"):
        lib_only(starrules.explain, std, doc, lang=lang)
        lib_only(starrules.explain, std, doc, indicator, lang=lang)
        lib_only(starrules.next_star, std, doc, lang=lang)
    html = lib_only(starrules.report_html, std, [doc])
    assert html is None or "<html" in html.lower()
    if result is not None:
        assert result.model_dump_json()
        path = tmp / "result.json"
        path.write_text(starrules.evaluate(std, doc, embed_facts=True).model_dump_json(), encoding="utf-8")
        report = lib_only(starrules.verify, path)
        assert report is None or report.identical, report.differences


@given(seed=st.sampled_from(sorted(EXAMPLES)),
       picks=st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=3),
       ops=st.lists(st.sampled_from(["delete", "replace"]), min_size=3, max_size=3),
       values=st.lists(st.integers(0, len(HOSTILE) - 1), min_size=3, max_size=3))
@FUZZ
def test_mutated_facts_through_every_entry_point(seed: str, picks: list[int], ops: list[str], values: list[int],
                                                 tmp_path_factory: Any) -> None:
    doc = mutate(copy.deepcopy(EXAMPLES[seed]), picks, ops, values, HOSTILE)
    pipeline(STD, doc, tmp_path_factory.mktemp("fuzz"))


@given(seed=st.sampled_from(sorted(EXAMPLES)), junk=st.sampled_from(HOSTILE), where=st.integers(0, 10 ** 6))
@FUZZ
def test_mutated_facts_files_as_json_and_jsonl(seed: str, junk: Any, where: int, tmp_path_factory: Any) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    doc = mutate(copy.deepcopy(EXAMPLES[seed]), [where], ["replace"], [0], [junk])
    text = json.dumps(doc, ensure_ascii=False, default=str, allow_nan=True)
    (tmp / "facts.json").write_bytes(text.encode("utf-8", "surrogatepass"))
    lib_only(starrules.evaluate, STD, tmp / "facts.json")
    (tmp / "in.jsonl").write_bytes((text + "\n" + text[: where % max(len(text), 1)] + "\n").encode("utf-8",
                                                                                               "surrogatepass"))
    items = list(starrules.evaluate_many(STD, tmp / "in.jsonl", workers=1))
    assert len(items) in (1, 2)  # a blank second line is skipped


class _Dumper(yaml.SafeDumper):
    """A private dumper (never the shared one) that writes Decimals as plain numbers."""


_Dumper.add_representer(Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", str(v)))
STD_SEEDS = {"mini": MINI, "prov-2023": (REPO / "standards" / "prov-2023.yaml").read_text(encoding="utf-8")}
STD_VALUES: list[Any] = [None, True, 0, -1, 7, Decimal("0.5"), "text", "", [], {}, "count(F) >=", "$nope",
                         "all(1..100000 as a, all(1..100000 as b, a > b))", "1 / 0 > 1", "9" * 200,
                         [{"min": 1, "stars": 9}], {"value": [None]}, "members where status == 'formal'"]


@given(seed=st.sampled_from(sorted(STD_SEEDS)), picks=st.lists(st.integers(0, 10 ** 6), min_size=1, max_size=2),
       ops=st.lists(st.sampled_from(["delete", "replace"]), min_size=2, max_size=2),
       values=st.lists(st.integers(0, len(STD_VALUES) - 1), min_size=2, max_size=2))
@FUZZ
def test_mutated_standards_then_evaluate(seed: str, picks: list[int], ops: list[str], values: list[int],
                                         tmp_path_factory: Any) -> None:
    data, _ = load_yaml(STD_SEEDS[seed], seed)
    mutate(data, picks, ops, values, STD_VALUES)
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "standard.yaml"
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    std = lib_only(starrules.load_standard, path)
    if std is None:
        return
    doc = copy.deepcopy(EXAMPLES["three-star-branch.yaml"]) if seed != "mini" else {
        "branch": {"id": "B"}, "year": 2023, "members": [{"id": "a", "status": "formal"}], "meetings_held": 5}
    lib_only(starrules.evaluate, std, doc)
    lib_only(starrules.next_star, std, doc, lang="en")
    lib_only(starrules.explain, std, doc, lang="en")


# -- random rule expressions ---------------------------------------------------------------------

ATOMS = ["members", "F", "meetings_held", "level", "year", "0", "1", "-1", "3", "0.5", "100000", "1e5",
         '"formal"', '"national"', "true", "false", "none", "$min_members", "$level_points[level]", "it",
         "training_hours", "status", "id", "date(2023, 2, 30)", "date(year, 12, 31)", "1..12", "1..100000"]
FUNCS = ["count", "sum", "share", "all", "any", "min", "max", "months", "quarters", "known", "longest_run",
         "add_months", "year_of", "nope"]
OPS = ["+", "-", "*", "/", "==", "!=", "<", ">=", "and", "or", "in", "⊇", "⊆", "where", ".."]


def expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(OPS), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(FUNCS), st.lists(inner, min_size=1, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"),
            st.tuples(st.sampled_from(["all", "any", "count", "sum"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]} as x, {t[2]})"),
            inner.map(lambda s: f"not {s}"),
            st.tuples(inner, inner, inner).map(lambda t: f"if {t[0]} then {t[1]} else {t[2]}"),
        )

    return st.recursive(st.sampled_from(ATOMS), extend, max_leaves=8) | st.text(
        alphabet=st.sampled_from(list("()[],.$\"' +-*/<>=!0123456789abx中…⊇")), max_size=30)


@given(rule=expressions())
@settings(FUZZ, max_examples=200 if SLOW else 25)
def test_random_rule_expressions(rule: str, tmp_path_factory: Any) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    path = tmp / "standard.yaml"
    path.write_text(MINI.replace("rule: meetings_held >= $meetings_min", "rule: " + json.dumps(rule)),
                    encoding="utf-8")
    std = lib_only(starrules.load_standard, path)
    if std is None:
        return
    for doc in ({"branch": {"id": "B"}, "year": 2023, "members": [{"id": "a", "status": "formal", "training_hours": 3}],
                 "meetings_held": 5, "level": "national"},
                {"branch": {"id": "B"}, "year": 2023}):
        lib_only(starrules.evaluate, std, doc)
        lib_only(starrules.explain, std, doc, "ACT-01", lang="en")
        lib_only(starrules.next_star, std, doc, lang="zh")
