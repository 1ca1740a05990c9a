"""Parsing: every construct, precedence, chained comparisons, spans, syntax errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from starrules._lang import LangError, parse
from starrules._lang import ast as A
from starrules._lang.ast import dump
from starrules._lang.parse import MAX_DEPTH


def d(text: str) -> str:
    return dump(parse(text))


# ------------------------------------------------------------------ literals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("0.8", Decimal("0.8")),
        ("12.50", Decimal("12.50")),
        ('"formal"', "formal"),
        ("'formal'", "formal"),
        ('"say \\"hi\\""', 'say "hi"'),
        ('"a\\\\b"', "a\\b"),
        ('"正式党员"', "正式党员"),
        ("true", True),
        ("false", False),
        ("none", None),
    ],
)
def test_literals(text: str, value: object) -> None:
    node = parse(text)
    assert isinstance(node, A.Literal)
    assert node.value == value
    assert type(node.value) is type(value)
    assert node.span == (0, len(text))


def test_decimal_is_never_float() -> None:
    node = parse("0.1")
    assert isinstance(node, A.Literal) and isinstance(node.value, Decimal)


def test_list_range_and_dates() -> None:
    assert d('["flag", "oath_wall"]') == '["flag" "oath_wall"]'
    assert d("[]") == "[]"
    assert d("[1, 2, 3,]") == "[1 2 3]"
    assert d("1..12") == "(.. 1 12)"
    assert d('date("2023-12-31")') == 'date("2023-12-31")'
    assert d("date(year + 1, 1, 15)") == "date((+ year 1), 1, 15)"


def test_names_paths_params_index() -> None:
    assert d("committee.established") == "committee.established"
    assert d("branch.id") == "branch.id"
    assert d("$brand_points[brand_level]") == "$brand_points[brand_level]"
    assert d("$m[honours.branch]") == "$m[honours.branch]"
    node = parse("$min_formal_members")
    assert isinstance(node, A.Param) and node.name == "min_formal_members"


def test_calls_and_binder() -> None:
    node = parse("all(party_groups as g, months(group_meetings where group == g) ⊇ 1..12)")
    assert isinstance(node, A.Call)
    assert node.func == "all" and node.binder == "g" and node.binder_arg == 0
    assert node.binder_span == (20, 21)
    assert dump(node) == "all(party_groups as g, (⊇ months((where group_meetings (== group g))) (.. 1 12)))"
    assert d("f()") == "f()"
    assert d("count(F, status == \"formal\")") == 'count(F, (== status "formal"))'


# ------------------------------------------------------------------ precedence


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a or b and c", "(or a (and b c))"),
        ("a and b or c", "(or (and a b) c)"),
        ("not a and b", "(and (not a) b)"),
        ("not a == b", "(not (== a b))"),
        ("not not a", "(not (not a))"),
        ("a + b * c", "(+ a (* b c))"),
        ("a * b + c", "(+ (* a b) c)"),
        ("a - b - c", "(- (- a b) c)"),
        ("a / b / c", "(/ (/ a b) c)"),
        ("-a * b", "(* (- a) b)"),
        ("- - a", "(- (- a))"),
        ("(a + b) * c", "(* (+ a b) c)"),
        ("1..12 - months(x)", "(- (.. 1 12) months(x))"),
        ("x in a + b", "(in x (+ a b))"),
        ("x not in s", "(not in x s)"),
        ("a == b in c", "(== a (in b c))"),
        ("s ⊇ t and u ⊆ v", "(and (⊇ s t) (⊆ u v))"),
        ("2 * present >= expected", "(>= (* 2 present) expected)"),
        ("a < b == c", "(chain a < b == c)"),
        ("3 <= count(committee.members) <= 7", "(chain 3 <= count(committee.members) <= 7)"),
        ("C where P and Q", "(where C (and P Q))"),
        ("C where P or Q", "(where C (or P Q))"),
        ("C where P where Q", "(where (where C P) Q)"),
        ("C where if a then b else c", "(where C (if a b c))"),
        ("if c then a else b or d", "(if c a (or b d))"),
        ("if c then a where p else b", "(if c (where a p) b)"),
        ("if a then b else if c then d else e", "(if a b (if c d e))"),
        ("a.b.c[d].e", "a.b.c[d].e"),
        ("-x.y", "(- x.y)"),
        ("$m[k] + 1", "(+ $m[k] 1)"),
        ("count(x where y) >= 0.5 * count(x)", "(>= count((where x y)) (* 0.5 count(x)))"),
    ],
)
def test_precedence(text: str, tree: str) -> None:
    assert d(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a ≥ b", "(>= a b)"),
        ("a ≤ b", "(<= a b)"),
        ("a ≠ b", "(!= a b)"),
        ("s includes t", "(⊇ s t)"),
        ("s subset_of t", "(⊆ s t)"),
        ("x ∈ s", "(in x s)"),
        ("x ∉ s", "(not in x s)"),
        ("a × b ÷ c", "(/ (* a b) c)"),
    ],
)
def test_alternative_spellings(text: str, tree: str) -> None:
    assert d(text) == tree


def test_comments_and_whitespace() -> None:
    assert d("count(F)  # formal members\n  >= 3") == "(>= count(F) 3)"
    assert d("a\u3000and b") == "(and a b)"


def test_names_may_start_with_keywords() -> None:
    assert d("index + android + notes + iffy") == "(+ (+ (+ index android) notes) iffy)"


# ------------------------------------------------------------------ spans


def test_spans() -> None:
    text = "count(F) >= $min_formal_members"
    node = parse(text)
    assert isinstance(node, A.Compare)
    assert node.span == (0, len(text))
    call, param = node.operands
    assert call.span == (0, 8) and call.text == "count(F)"
    assert isinstance(call, A.Call) and call.func_span == (0, 5)
    assert call.args[0].span == (6, 7)
    assert param.span == (12, len(text))
    assert node.op_spans == ((9, 11),)


def test_field_name_span_and_text() -> None:
    node = parse("secretary.appointed")
    assert isinstance(node, A.Field)
    assert node.name_span == (10, 19)
    assert node.obj.span == (0, 9)
    assert node.text == "secretary.appointed"


def test_parenthesised_span_is_the_inner_expression() -> None:
    node = parse("(a + b) * c")
    assert isinstance(node, A.Binary) and node.span == (0, 11)
    assert node.left.span == (1, 6)


def test_source_name_is_kept() -> None:
    node = parse("a + b", "ORG-01")
    assert node.source is not None and node.source.name == "ORG-01"
    for n in A.walk(node):
        assert n.source is node.source


def test_structural_equality() -> None:
    assert parse("a + b") == parse("a + b")
    assert parse("a + b") != parse("a + c")


# ------------------------------------------------------------------ syntax errors


def syntax(text: str) -> LangError:
    with pytest.raises(LangError) as ei:
        parse(text)
    assert ei.value.code == "rule-syntax"
    return ei.value


@pytest.mark.parametrize(
    ("text", "span", "hint"),
    [
        ("count(F) = 3", (9, 10), "=="),
        ("a => b", (2, 4), ">="),
        ("a && b", (2, 4), "and"),
        ("a || b", (2, 4), "or"),
        ("if a than b else c", (5, 9), "then"),
        ("if a then b els c", (12, 15), "else"),
        ("count（F)", (5, 6), "("),
        ("x in [1，2]", (7, 8), ","),
        ("status == “formal”", (10, 11), '"'),
    ],
)
def test_syntax_error_hints(text: str, span: tuple[int, int], hint: str) -> None:
    e = syntax(text)
    assert e.span == span
    assert e.params["hint"] == hint
    assert f"`{hint}`" in e.render("en")
    assert "是不是" in e.render("zh")


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("count(F", (7, 7)),
        ("a +", (3, 3)),
        ("a + ", (3, 3)),
        ("a b", (2, 3)),
        ("(a + b", (6, 6)),
        ("f(a,,b)", (4, 5)),
        ('"abc', (0, 4)),
        ("3 <", (3, 3)),
        ("where x", (0, 5)),
    ],
)
def test_syntax_error_spans(text: str, span: tuple[int, int]) -> None:
    assert syntax(text).span == span


def test_expected_tokens_are_reported() -> None:
    e = syntax("count(F")
    assert "`)`" in e.params["expected"]
    assert "expected" in e.render("en")


def test_empty_expression() -> None:
    assert syntax("").params["reason"] == "empty"
    assert syntax("   # only a comment").params["reason"] == "empty"


def test_too_deep() -> None:
    e = syntax("not " * (MAX_DEPTH + 5) + "a")
    assert e.params["reason"] == "depth"
    # parentheses alone do not nest the tree
    assert d("(" * 300 + "a" + ")" * 300) == "a"


def test_one_binder_per_call() -> None:
    e = syntax("all(a as x, b as y)")
    assert e.span == (17, 18)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse(3)  # type: ignore[arg-type]


# ------------------------------------------------------------------ round trip property

_names = st.sampled_from(["a", "b", "members", "x1", "committee"])


def _exprs() -> st.SearchStrategy[str]:
    leaf = st.one_of(
        _names,
        st.integers(0, 999).map(str),
        st.sampled_from(["0.5", "true", "false", "none", '"formal"', "$p"]),
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binop = st.sampled_from(["+", "-", "*", "/", "and", "or", "==", "<=", "in", "⊇", "where"])
        return st.one_of(
            st.tuples(inner, binop, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda x: f"(not {x})"),
            inner.map(lambda x: f"(-{x})"),
            st.tuples(inner, inner, inner).map(lambda t: f"(if {t[0]} then {t[1]} else {t[2]})"),
            st.tuples(st.sampled_from(["count", "all", "f"]), st.lists(inner, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
            st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
            inner.map(lambda x: f"({x}).name"),
        )

    return st.recursive(leaf, extend, max_leaves=12)


_EXPRS = _exprs()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
@settings(max_examples=200, deadline=None)
@given(_EXPRS)
def test_fully_parenthesised_text_round_trips(text: str) -> None:
    node = parse(text)
    # every span lies inside the text and children lie inside their parent
    for n in A.walk(node):
        assert 0 <= n.span[0] <= n.span[1] <= len(text)
        for c in n.children():
            assert n.span[0] <= c.span[0] and c.span[1] <= n.span[1]
    # re-parsing a node's own text gives the same tree
    assert dump(parse(node.text)) == dump(node)
    for n in A.walk(node):
        assert dump(parse(n.text)) == dump(n)
