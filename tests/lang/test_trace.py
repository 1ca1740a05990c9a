"""Tracing: decisive entries with evidence, full traces, and no trace by default."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from lang_scope import RULES, SCOPE, D, good_facts, meeting, member, with_facts

from starrules._lang import UNKNOWN, Env, TraceEntry, compile_expr, parse
from starrules._lang import ast as A


def run(text: str, facts: dict[str, Any] | None = None, trace: str | None = "decisive") -> tuple[Any, list[TraceEntry]]:
    env = Env(good_facts() if facts is None else facts, 2023)
    value = compile_expr(parse(text, "R"), SCOPE, trace=trace)(env)
    return value, env.trace


def entry(trace: list[TraceEntry], text: str) -> TraceEntry:
    found = [e for e in trace if e.source_text == text]
    assert len(found) == 1, (text, [e.source_text for e in trace])
    return found[0]


MEMBERS = with_facts(
    members=(member("a", hours=10), member("b", hours=40), member("c", exempt=True, hours=0),
             member("d", "probationary", hours=UNKNOWN))
)


def test_no_trace_by_default() -> None:
    value, trace = run(RULES["TEAM-04"], MEMBERS, trace=None)
    assert value is False and trace == []


def test_count_records_the_members_counted() -> None:
    value, trace = run(RULES["ORG-01"], MEMBERS)
    assert value is True
    e = entry(trace, "count(F)")
    assert e.value == 3 and e.evidence == ("a", "b", "c")
    assert e.span == (0, 8) and e.origin == "R" and e.item == ()
    assert isinstance(e.node, A.Call)
    # the threshold operand is recorded too (a parameter is not a literal)
    assert entry(trace, "$min_formal_members").value == 3


def test_all_records_failing_and_unknown_items() -> None:
    value, trace = run(RULES["TEAM-04"], MEMBERS)
    assert value is False
    assert entry(trace, RULES["TEAM-04"]).evidence == ("a", "d")


def test_any_records_passing_items() -> None:
    value, trace = run("any(NE, training_hours >= 32)", MEMBERS)
    assert value is True
    assert entry(trace, "any(NE, training_hours >= 32)").evidence == ("b",)


def test_share_and_count_with_condition() -> None:
    value, trace = run("share(F, training_hours >= 32)", MEMBERS)
    assert value == Fraction(1, 3)
    assert entry(trace, "share(F, training_hours >= 32)").evidence == ("b",)
    value, trace = run("count(NE, training_hours < 32) <= 1", MEMBERS)
    assert value is UNKNOWN  # d's hours are unknown
    assert entry(trace, "count(NE, training_hours < 32)").value is UNKNOWN


def test_sum_min_max_evidence() -> None:
    _, trace = run("sum(F, training_hours) > 0 and max(F, training_hours) > 0", MEMBERS)
    assert entry(trace, "sum(F, training_hours)").evidence == ("a", "b", "c")
    assert entry(trace, "max(F, training_hours)").evidence == ("b",)


def test_coverage_comparison_records_missing_months() -> None:
    ms = tuple(meeting(f"t{m}", "theme_day", D(2023, m, 1)) for m in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11))
    value, trace = run(RULES["ACT-05"], with_facts(meetings=ms))
    assert value is False
    e = entry(trace, RULES["ACT-05"])
    assert e.value is False and e.evidence == (4, 12)
    assert entry(trace, "months(theme_days)").value == frozenset({1, 2, 3, 5, 6, 7, 8, 9, 10, 11})


def test_quarters_equality_records_missing_quarters() -> None:
    ms = (meeting("c1", "congress", D(2023, 2, 1)), meeting("c3", "congress", D(2023, 8, 1)))
    value, trace = run(RULES["ACT-01"], with_facts(meetings=ms))
    assert value is False
    assert entry(trace, RULES["ACT-01"]).evidence == (2, 4)


def test_set_inclusion_records_missing_elements() -> None:
    value, trace = run(RULES["INST-01"], with_facts(rules_adopted=("dues", "study")))
    assert value is False
    assert entry(trace, RULES["INST-01"]).evidence == (
        "democratic_review", "disclosure", "org_life_meeting", "recruitment", "theme_day",
        "three_meetings_one_lecture",
    )
    value, trace = run(RULES["SUP-05"], with_facts(care={"targets": ("m1", "m2"), "visited": ("m2",)}))
    assert value is False
    assert entry(trace, RULES["SUP-05"]).evidence == ("m1",)


def test_longest_run_records_the_run() -> None:
    ms = tuple(meeting(f"m{m}", "lecture", D(2023, m, 1)) for m in (1, 8, 9))
    value, trace = run(RULES["ACT-10"], with_facts(meetings=ms))
    assert value is False
    e = entry(trace, "longest_run(1..12 - months(meetings_in_year))")
    assert e.value == 6 and e.evidence == (2, 3, 4, 5, 6, 7)


def test_entries_inside_a_binder_scope_carry_the_item() -> None:
    ms = tuple(meeting(f"a{m}", "group", D(2023, m, 1), group="一组") for m in range(1, 13))
    ms += tuple(meeting(f"b{m}", "group", D(2023, m, 1), group="二组") for m in range(1, 12))
    value, trace = run(RULES["ACT-03"], with_facts(meetings=ms))
    assert value is False
    top = entry(trace, RULES["ACT-03"])
    assert top.evidence == ("二组",) and top.item == ()
    cover = [e for e in trace if e.source_text == "months(group_meetings where group == g) ⊇ 1..12"]
    assert [(e.item, e.value, e.evidence) for e in cover] == [(("一组",), True, ()), (("二组",), False, (12,))]


def test_comparison_operands_are_recorded_at_top_level_only() -> None:
    value, trace = run("satisfaction >= 0.6 and any(NE, training_hours >= 32)", MEMBERS)
    assert value is True
    assert entry(trace, "satisfaction").value == good_facts()["satisfaction"]
    assert not [e for e in trace if e.source_text in ("training_hours", "0.6", "1", "32")]


def test_definitions_are_not_traced_inside() -> None:
    _, trace = run("count(F) >= 1", MEMBERS)
    assert [e.source_text for e in trace] == ["count(F)"]


def test_full_trace_records_every_node() -> None:
    text = "count(F) >= 3 and not weak_lax_designated"
    value, trace = run(text, MEMBERS, trace="full")
    assert value is True
    texts = [e.source_text for e in trace]
    node = parse(text)
    assert sorted(texts) == sorted(n.text for n in A.walk(node))
    assert texts[-1] == text  # post-order: the root last
    assert all(isinstance(e.node, A.Expr) for e in trace)


def test_full_trace_inside_items() -> None:
    _, trace = run("count(F, training_hours >= 32)", MEMBERS, trace="full")
    per_item = [e for e in trace if e.source_text == "training_hours >= 32"]
    assert [(e.item, e.value) for e in per_item] == [(("a",), False), (("b",), True), (("c",), False)]


def test_traced_and_untraced_agree() -> None:
    for rid, text in RULES.items():
        for facts in (good_facts(), MEMBERS):
            plain, _ = run(text, facts, trace=None)
            decisive, _ = run(text, facts, trace="decisive")
            full, _ = run(text, facts, trace="full")
            assert plain == decisive == full or plain is decisive is full, rid


def test_bad_trace_mode() -> None:
    with pytest.raises(ValueError):
        compile_expr(parse("1"), SCOPE, trace="everything")
