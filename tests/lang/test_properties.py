"""Hypothesis properties: Kleene laws, independence from unread facts, repeatability, exact
arithmetic agreeing with fractions.Fraction."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lang_scope import FACTS, RULES, SCOPE, good_facts, member

from starrules._lang import UNKNOWN, Env, EvaluationError, Scope, compile_expr, parse
from starrules._lang import ast as A
from starrules._lang import types as T

U = UNKNOWN

# ------------------------------------------------------------------ Kleene laws

BOOLS = Scope(extras={"p": T.BOOL, "q": T.BOOL, "r": T.BOOL})


def k_not(a: Any) -> Any:
    return U if a is U else not a


def k_and(a: Any, b: Any) -> Any:
    if a is False or b is False:
        return False
    return U if a is U or b is U else True


def k_or(a: Any, b: Any) -> Any:
    if a is True or b is True:
        return True
    return U if a is U or b is U else False


def bool_trees() -> st.SearchStrategy[tuple[str, Any]]:
    """(text, reference evaluator over an assignment dict)."""
    leaf = st.sampled_from(
        [("p", lambda v: v["p"]), ("q", lambda v: v["q"]), ("r", lambda v: v["r"]),
         ("true", lambda v: True), ("false", lambda v: False)]
    )

    def extend(inner: st.SearchStrategy) -> st.SearchStrategy:
        def and_(t: tuple) -> tuple:
            (a, fa), (b, fb) = t
            return f"({a} and {b})", lambda v: k_and(fa(v), fb(v))

        def or_(t: tuple) -> tuple:
            (a, fa), (b, fb) = t
            return f"({a} or {b})", lambda v: k_or(fa(v), fb(v))

        def not_(t: tuple) -> tuple:
            a, fa = t
            return f"(not {a})", lambda v: k_not(fa(v))

        def if_(t: tuple) -> tuple:
            (c, fc), (a, fa), (b, fb) = t

            def f(v: dict) -> Any:
                cv = fc(v)
                return fa(v) if cv is True else fb(v) if cv is False else U

            return f"(if {c} then {a} else {b})", f

        def eq(t: tuple) -> tuple:
            (a, fa), (b, fb) = t

            def f(v: dict) -> Any:
                x, y = fa(v), fb(v)
                return U if x is U or y is U else x == y

            return f"({a} == {b})", f

        return st.one_of(
            st.tuples(inner, inner).map(and_),
            st.tuples(inner, inner).map(or_),
            inner.map(not_),
            st.tuples(inner, inner, inner).map(if_),
            st.tuples(inner, inner).map(eq),
        )

    return st.recursive(leaf, extend, max_leaves=10)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=300, deadline=None)
@given(bool_trees())
def test_kleene_laws(tree: tuple[str, Any]) -> None:
    text, ref = tree
    fn = compile_expr(parse(text), BOOLS)
    for p, q, r in itertools.product([True, False, U], repeat=3):
        v = {"p": p, "q": q, "r": r}
        assert fn(Env({}, 2023, v)) is ref(v), (text, v)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([True, False, U]), st.sampled_from([True, False, U]))
def test_de_morgan_and_double_negation(p: Any, q: Any) -> None:
    env = Env({}, 2023, {"p": p, "q": q})
    ev = lambda t: compile_expr(parse(t), BOOLS)(env)  # noqa: E731
    assert ev("not (p and q)") is ev("not p or not q")
    assert ev("not (p or q)") is ev("not p and not q")
    assert ev("not not p") is ev("p")
    assert ev("p and q") is ev("q and p")


# ------------------------------------------------------------------ unread facts


def facts_read(node: A.Expr, scope: Scope, seen: set[str] | None = None) -> set[str]:
    """Top-level facts an expression may read (through definitions too)."""
    seen = set() if seen is None else seen
    out: set[str] = set()
    for n in A.walk(node):
        if isinstance(n, A.Name):
            if n.name in scope.defs and n.name not in seen:
                seen.add(n.name)
                out |= facts_read(scope.defs[n.name], scope, seen)
            elif n.name in scope.facts:
                out.add(n.name)
    return out


_member_lists = st.lists(
    st.builds(
        member,
        st.text("abcdef", min_size=1, max_size=4),
        st.sampled_from(["formal", "probationary"]),
        exempt=st.booleans(),
        hours=st.one_of(st.integers(0, 60), st.just(U), st.sampled_from([Decimal("31.5"), Decimal("32.0")])),
        volunteer=st.integers(0, 3),
        pioneer=st.booleans(),
        unpaid=st.lists(st.integers(1, 12), max_size=8, unique=True).map(tuple),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(RULES)), st.sampled_from(sorted(FACTS)), _member_lists)
def test_unread_facts_do_not_matter(rid: str, fact: str, members: list[dict]) -> None:
    node = parse(RULES[rid])
    assume(fact not in facts_read(node, SCOPE))
    fn = compile_expr(node, SCOPE)
    facts = {**good_facts(), "members": tuple(members)}
    before = fn(Env(facts, 2023))
    after = fn(Env({**facts, fact: U}, 2023))
    gone = fn(Env({k: v for k, v in facts.items() if k != fact}, 2023))
    assert before == after == gone or before is after is gone


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(RULES)), _member_lists, st.sampled_from([None, "decisive"]))
def test_repeated_evaluation_is_identical(rid: str, members: list[dict], trace: str | None) -> None:
    fn = compile_expr(parse(RULES[rid]), SCOPE, trace=trace)
    facts = {**good_facts(), "members": tuple(members)}
    env = Env(facts, 2023)
    first = fn(env)
    again = fn(env)
    fresh = fn(Env(facts, 2023))
    for v in (again, fresh):
        assert v == first or v is first
    if trace:
        n = len(env.trace) // 2
        assert env.trace[:n] == env.trace[n:]


# ------------------------------------------------------------------ exact arithmetic

_decimals = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("1000"), places=3, allow_nan=False,
                        allow_infinity=False)
_numbers = st.one_of(st.integers(-1000, 1000), _decimals)


def arith_trees() -> st.SearchStrategy[tuple[str, Any]]:
    def lit(x: int | Decimal) -> tuple[str, Fraction]:
        text = str(x) if isinstance(x, int) else format(x, "f")
        if text.startswith("-"):
            text = f"(-{text[1:]})"
        return text, Fraction(x)

    leaf = _numbers.map(lit)

    def extend(inner: st.SearchStrategy) -> st.SearchStrategy:
        def op(t: tuple) -> tuple:
            (a, fa), o, (b, fb) = t
            if fa is None or fb is None:
                return f"({a} {o} {b})", None
            if o == "/":
                if fb == 0:
                    return f"({a} {o} {b})", None  # division by zero
                return f"({a} / {b})", fa / fb
            return f"({a} {o} {b})", {"+": fa + fb, "-": fa - fb, "*": fa * fb}[o]

        return st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(op),
            inner.map(lambda t: (f"(-{t[0]})", None if t[1] is None else -t[1])),
        )

    return st.recursive(leaf, extend, max_leaves=8)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=300, deadline=None)
@given(arith_trees())
def test_exact_arithmetic_agrees_with_fractions(tree: tuple[str, Fraction | None]) -> None:
    text, expected = tree
    fn = compile_expr(parse(text), SCOPE)
    if expected is None:
        with pytest.raises(EvaluationError) as ei:
            fn(Env({}, 2023))
        assert ei.value.code == "rule-division-by-zero"
        return
    got = fn(Env({}, 2023))
    assert type(got) is not float
    assert Fraction(got) == expected
    # comparisons are exact too
    assert compile_expr(parse(f"{text} == {text}"), SCOPE)(Env({}, 2023)) is True


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.integers(0, 200), st.sampled_from(["0.8", "0.9", "0.95", "0.5", "0.6"]))
def test_threshold_comparisons_match_integer_cross_multiplication(expected: int, present: int, t: str) -> None:
    scope = Scope(extras={"present": T.INT, "expected": T.INT})
    fn = compile_expr(parse(f"present >= {t} * expected"), scope)
    num, den = Fraction(t).numerator, Fraction(t).denominator
    assert fn(Env({}, 2023, {"present": present, "expected": expected})) is (present * den >= num * expected)
