"""Scopes: host functions and values, definitions cached per Env, thread safety."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from lang_scope import FACTS, RULES, good_facts, make_scope, member, toy_host_functions, with_facts

from starrules._lang import UNKNOWN, Env, HostFunction, LangError, Scope, check, compile_expr, parse
from starrules._lang import types as T


def test_eager_host_function() -> None:
    scope = make_scope(functions=toy_host_functions())
    fn = compile_expr(parse("double(count(F)) >= 10"), scope)
    assert fn(Env(good_facts(), 2023)) is True  # 8 formal members
    assert fn(Env(with_facts(members=UNKNOWN), 2023)) is UNKNOWN  # UNKNOWN argument: not called


def test_lazy_host_function_receives_thunks() -> None:
    scope = make_scope(functions=toy_host_functions())
    fn = compile_expr(parse("first_known(satisfaction, 0.5)"), scope)
    assert fn(Env(with_facts(satisfaction=UNKNOWN), 2023)) == Decimal("0.5")
    assert fn(Env(good_facts(), 2023)) == good_facts()["satisfaction"]


def test_host_function_reads_env_values() -> None:
    scope = make_scope(functions=toy_host_functions())
    fn = compile_expr(parse('kind_points("bonus") - kind_points("deduction")'), scope)
    assert fn(Env({}, 2023, values={"points": {"bonus": 7, "deduction": 2}})) == 5


def test_host_function_that_handles_unknown_itself() -> None:
    calls: list[Any] = []

    def impl(env: Env, x: Any) -> Any:
        calls.append(x)
        return x is UNKNOWN

    hf = HostFunction("is_unknown", lambda types, spans: T.BOOL, impl, unknown_propagates=False)
    scope = make_scope(functions={"is_unknown": hf})
    fn = compile_expr(parse("is_unknown(satisfaction)"), scope)
    assert fn(Env(with_facts(satisfaction=UNKNOWN), 2023)) is True
    assert calls == [UNKNOWN]


def test_rating_style_host_functions() -> None:
    """What the evaluator does: rating expressions over host values and functions."""

    def check_failed(types: tuple, spans: tuple, consts: tuple) -> T.Type:
        for c, s in zip(consts, spans):
            if c not in ("veto", "required", "star", "bonus", "deduction"):
                raise LangError("rule-unknown-value", {"value": c, "allowed": ["veto", "required"]}, s)
        return T.BOOL

    failed = HostFunction("failed", check_failed,
                          lambda env, *kinds: any(env.values["failed"].get(k) for k in kinds), const_args=True)
    scope = make_scope(extras={"L": T.INT, "B": T.NUMBER, "D": T.NUMBER}, functions={"failed": failed})
    stars = compile_expr(
        parse('if failed("veto", "required") then 0 else if L >= 5 and B >= 2 and D == 0 then 5 else min(L, 4)'),
        scope,
    )
    env = Env({}, 2023, values={"failed": {"veto": False, "required": False}, "L": 6, "B": 3, "D": 0})
    assert stars(env) == 5
    env.values["failed"]["required"] = True
    assert stars(env) == 0
    with pytest.raises(LangError) as ei:
        check(parse('failed("vetoo")'), scope)
    assert ei.value.snippet == '"vetoo"'


def test_definitions_are_evaluated_once_per_env() -> None:
    counter = {"n": 0}

    def tick(env: Env, x: Any) -> Any:
        counter["n"] += 1
        return x

    hf = HostFunction("tick", lambda types, spans: types[0], tick)
    scope = Scope(facts=FACTS, defs={"F": 'tick(members) where status == "formal"'}, functions={"tick": hf})
    r1 = compile_expr(parse("count(F) >= 3"), scope)
    r2 = compile_expr(parse("all(F, training_hours >= 32)"), scope)
    r3 = compile_expr(parse("count(members, count(F) > 0)"), scope)  # used per item: still once
    env = Env(good_facts(), 2023)
    assert (r1(env), r2(env), r3(env)) == (True, True, 9)
    assert counter["n"] == 1
    env2 = Env(good_facts(), 2023)
    r1(env2)
    assert counter["n"] == 2
    assert scope._def_fns["F"] is not None  # one closure per scope


def test_definitions_using_definitions_and_year() -> None:
    scope = make_scope()
    fn = compile_expr(parse("count(theme_days)"), scope)
    assert fn(Env(good_facts(2023), 2023)) == 12
    assert fn(Env(good_facts(2023), 2024)) == 0


def test_constant_definitions_fold() -> None:
    scope = Scope(facts=FACTS, defs={"all_months": "1..12", "six": "2 * 3"})
    fn = compile_expr(parse("count(all_months) == 12 and six == 6"), scope)
    assert fn(Env({}, 2023)) is True


def test_year_dependent_constants_follow_the_year() -> None:
    fn = compile_expr(parse("date(year, 12, 31)"), make_scope())
    import datetime as dt

    assert fn(Env({}, 2023)) == dt.date(2023, 12, 31)
    assert fn(Env({}, 2024)) == dt.date(2024, 12, 31)
    assert fn(Env({}, 2023)) == dt.date(2023, 12, 31)


def test_extend_shares_definition_values() -> None:
    base = make_scope()
    child = base.extend(extras={"L": T.INT})
    a = compile_expr(parse("count(F)"), base)
    b = compile_expr(parse("count(F) + L"), child)
    env = Env(good_facts(), 2023, values={"L": 1})
    assert a(env) == 8 and b(env) == 9
    assert len(env.cache) == 1


def test_scope_accepts_parsed_definitions() -> None:
    scope = Scope(facts=FACTS, defs={"F": parse('members where status == "formal"', "F")})
    assert compile_expr(parse("count(F)"), scope)(Env(good_facts(), 2023)) == 8
    assert "F" in repr(scope)


def test_float_parameters_are_refused() -> None:
    scope = Scope(params={"x": (T.NUMBER, 0.8)})
    with pytest.raises(TypeError):
        compile_expr(parse("$x > 0"), scope)


def test_one_compiled_standard_shared_by_threads() -> None:
    scope = make_scope()
    fns = {rid: compile_expr(parse(t), scope) for rid, t in RULES.items()}
    branches = [
        good_facts(),
        with_facts(members=tuple(member(f"m{i}", hours=10) for i in range(5))),
        with_facts(members=()),
    ]
    expected = [{rid: f(Env(b, 2023)) for rid, f in fns.items()} for b in branches]
    errors: list[Any] = []

    def work(k: int) -> None:
        try:
            for _ in range(30):
                i = k % len(branches)
                env = Env(branches[i], 2023)
                got = {rid: f(env) for rid, f in fns.items()}
                if got != expected[i]:
                    errors.append((i, got))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
