"""Three-valued filter membership and partial sets (a group meeting whose group is unknown)."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lang_scope import RULES, D, ev, meeting, with_facts

from starrules._lang import UNKNOWN, Env, PartialItems, PartialSet, Scope, compile_expr, parse
from starrules._lang import types as T
from starrules._lang import values as V
from starrules._lang.fmt import format_value

U = UNKNOWN


def group_facts(months_by_group: dict[str, list[int]], unknown_months: list[int], **kw: Any) -> dict:
    ms = []
    for g, months in months_by_group.items():
        ms += [meeting(f"{g}-{m}", "group", D(2023, m, 10), group=g, **kw) for m in months]
    ms += [meeting(f"u-{m}", "group", D(2023, m, 20), group=U, present=3) for m in unknown_months]
    return with_facts(meetings=tuple(ms), party_groups=tuple(months_by_group))


ALL = list(range(1, 13))
BUT5 = [m for m in ALL if m != 5]


def test_act_03_unknown_group_may_cover_the_missing_month() -> None:
    assert ev(RULES["ACT-03"], group_facts({"一组": BUT5}, [5])) is U


def test_act_03_unknown_group_cannot_cover_another_month() -> None:
    assert ev(RULES["ACT-03"], group_facts({"一组": BUT5}, [6])) is False


def test_act_03_sure_months_already_cover() -> None:
    assert ev(RULES["ACT-03"], group_facts({"一组": ALL}, [5])) is True


def test_act_03_two_groups() -> None:
    assert ev(RULES["ACT-03"], group_facts({"一组": ALL, "二组": BUT5}, [5])) is U
    but57 = [m for m in ALL if m not in (5, 7)]
    assert ev(RULES["ACT-03"], group_facts({"一组": ALL, "二组": but57}, [5])) is False
    assert ev(RULES["ACT-03"], group_facts({"一组": BUT5, "二组": ALL}, [])) is False


def test_months_of_a_collection_with_maybe_members_is_partial() -> None:
    v = ev('months(group_meetings where group == "一组")', group_facts({"一组": [1, 2]}, [2, 3]))
    assert v == PartialSet(frozenset({1, 2}), frozenset({1, 2, 3}))
    f = group_facts({"一组": [1, 2]}, [2, 3])
    assert ev('2 in months(group_meetings where group == "一组")', f) is True
    assert ev('3 in months(group_meetings where group == "一组")', f) is U
    assert ev('4 in months(group_meetings where group == "一组")', f) is False
    assert ev('months(group_meetings where group == "一组") ⊆ 1..3', f) is True
    assert ev('months(group_meetings where group == "一组") ⊆ 1..2', f) is U
    assert ev('months(group_meetings where group == "一组") == [1, 2]', f) is U
    assert ev('months(group_meetings where group == "一组") == [1]', f) is False
    assert ev('known(months(group_meetings where group == "一组"))', f) is False
    assert ev('count(months(group_meetings where group == "一组"))', f) is U


def test_partial_set_difference_and_longest_run() -> None:
    f = group_facts({"一组": [1, 2, 3]}, [9])
    # missing months are 4..12 surely except 9, which may be covered: runs 6 (4..9) or 9 (4..12)
    assert ev('longest_run(1..12 - months(group_meetings where group == "一组"))', f) is U
    assert ev('longest_run(1..12 - months(group_meetings where group == "一组")) >= 6', f) is U
    f = group_facts({"一组": [1, 2, 3, 10, 11, 12]}, [1])
    # the maybe month is already surely there: the difference is known
    assert ev('longest_run(1..12 - months(group_meetings where group == "一组"))', f) == 6


def test_aggregates_over_maybe_members() -> None:
    f = group_facts({"一组": [1, 2]}, [5])
    c = 'group_meetings where group == "一组"'
    assert ev(f"count({c})", f) is U
    assert ev(f"sum({c}, present)", f) is U
    assert ev(f"max({c}, present)", f) is U
    assert ev(f"share({c}, present > 5)", f) is U
    # a maybe member that fails the condition cannot change the count
    assert ev(f"count({c}, month_of(date) == 1)", f) == 1
    assert ev(f"count({c}, month_of(date) == 5)", f) is U
    # all = AND over items of (not member or P); any = OR of (member and P)
    assert ev(f"all({c}, present >= 5)", f) is U  # the maybe member has present 3
    assert ev(f"all({c}, present >= 1)", f) is True
    assert ev(f"all({c}, present >= 10)", f) is False  # a sure member fails
    assert ev(f"any({c}, present < 5)", f) is U
    assert ev(f"any({c}, present > 5)", f) is True
    assert ev(f"any({c}, present > 100)", f) is False
    assert ev(f"known({c})", f) is False
    assert ev("known(group_meetings)", f) is True


def test_nested_filters_keep_membership() -> None:
    f = group_facts({"一组": [1, 2]}, [5])
    v = ev('(group_meetings where group == "一组") where month_of(date) >= 2', f)
    assert isinstance(v, PartialItems)
    assert [m["id"] for m in v.items] == ["一组-2", "u-5"] and v.sure == (True, False)
    assert ev('(group_meetings where group == "一组") where month_of(date) == 1', f) == (
        meeting("一组-1", "group", D(2023, 1, 10), group="一组"),
    )


def test_filtering_a_set_on_an_unknown_condition() -> None:
    scope = Scope(extras={"s": T.Set(T.INT), "n": T.INT, "l": T.List(T.INT)})

    def run(text: str, **values: Any) -> Any:
        return compile_expr(parse(text), scope)(Env({}, 2023, values))

    assert run("s where it > n", s=frozenset({1, 2}), n=U) == PartialSet(frozenset(), frozenset({1, 2}))
    assert run("(s where it > n) ⊆ s", s=frozenset({1, 2}), n=U) is True
    assert run("count(s where it > n)", s=frozenset({1, 2}), n=U) is U
    assert run("count(l where it > n)", l=(1, 2), n=U) is U
    assert run("(l where it > n) ⊆ [1, 2]", l=(1, 2), n=U) is True
    assert run("1 in (l where it > n)", l=(1, 2), n=U) is U


def test_partial_values_format() -> None:
    p = PartialSet(frozenset({1, 2}), frozenset({1, 2, 3}))
    assert format_value(p, "zh") == "1、2（可能还有 3）"
    assert format_value(p, "en") == "1, 2 (possibly also 3)"
    assert format_value(PartialSet(frozenset(), frozenset({3})), "en") == "possibly 3"


# ------------------------------------------------------------------ possible worlds

_small = st.frozensets(st.integers(1, 6), max_size=6)


def worlds(lo: frozenset, hi: frozenset) -> list[frozenset]:
    extra = sorted(hi - lo)
    return [lo | frozenset(c) for r in range(len(extra) + 1) for c in itertools.combinations(extra, r)]


def kleene(values: list[Any]) -> Any:
    if all(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    if len(set(map(repr, values))) == 1:
        return values[0]
    return U


@settings(max_examples=300, deadline=None)
@given(_small, _small, _small, st.integers(1, 6))
def test_partial_set_operations_agree_with_every_possible_world(lo: frozenset, extra: frozenset, k: frozenset,
                                                                x: int) -> None:
    hi = lo | extra
    p = PartialSet.make(lo, hi)
    ws = worlds(lo, hi)
    assert V.set_includes(p, k) is kleene([w >= k for w in ws])
    assert V.set_includes(k, p) is kleene([k >= w for w in ws])
    assert V.set_equal(p, k) is kleene([w == k for w in ws])
    assert V.set_member(x, p) is kleene([x in w for w in ws])
    diff = V.set_difference(k, p)
    dlo, dhi = V.set_bounds(diff)
    assert dlo == frozenset.intersection(*[k - w for w in ws]) and dhi == frozenset.union(*[k - w for w in ws])
    # longest_run of a partial set is known exactly when every world agrees
    runs = {V.longest_run(k - w) for w in ws}
    assert (V.longest_run(dlo) == V.longest_run(dhi)) == (len(runs) == 1)


ITEMS = Scope(facts={"items": T.Records(T.Record({"id": T.STRING, "p": T.BOOL, "q": T.BOOL}, key="id"))})
TV = st.sampled_from([True, False, U])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TV, TV), max_size=5))
def test_filtered_quantifiers_agree_with_every_possible_world(pq: list[tuple[Any, Any]]) -> None:
    items = tuple({"id": f"i{n}", "p": p, "q": q} for n, (p, q) in enumerate(pq))
    slots = [(n, f) for n, (p, q) in enumerate(pq) for f, v in (("p", p), ("q", q)) if v is U]
    for text in ["all(items where p, q)", "any(items where p, q)", "count(items where p, q)",
                 "count(items where p)", "count(items, p and q)"]:
        fn = compile_expr(parse(text), ITEMS)
        got = fn(Env({"items": items}, 2023))
        outcomes = []
        for choice in itertools.product([True, False], repeat=len(slots)):
            world = [dict(i) for i in items]
            for (n, f), v in zip(slots, choice):
                world[n][f] = v
            outcomes.append(fn(Env({"items": tuple(world)}, 2023)))
        assert got == kleene(outcomes) or (got is U and kleene(outcomes) is U), (text, pq, got, outcomes)
