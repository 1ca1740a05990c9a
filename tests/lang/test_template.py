"""Templates and value formatting (zh/en), independent of the locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from lang_scope import SCOPE, good_facts, member, with_facts

from starrules._lang import UNKNOWN, Env, LangError, check_template, compile_template, format_value, parse_template
from starrules._lang import ast as A
from starrules._lang import types as T
from starrules._lang.fmt import format_number

# ------------------------------------------------------------------ format_value


@pytest.mark.parametrize(
    ("value", "zh", "en"),
    [
        (8, "8", "8"),
        (-3, "-3", "-3"),
        (Decimal("8.0"), "8", "8"),
        (Decimal("1.50"), "1.5", "1.5"),
        (Decimal("100"), "100", "100"),
        (Decimal("1E+2"), "100", "100"),
        (Decimal("0.0001"), "0.0001", "0.0001"),
        (Decimal("-0"), "0", "0"),
        (Fraction(1, 3), "0.3333", "0.3333"),
        (Fraction(2, 3), "0.6667", "0.6667"),
        (Fraction(3, 4), "0.75", "0.75"),
        (Fraction(6, 3), "2", "2"),
        (Fraction(-2, 3), "-0.6667", "-0.6667"),
        (True, "是", "yes"),
        (False, "否", "no"),
        (UNKNOWN, "未知", "unknown"),
        (None, "无", "none"),
        ("正式", "正式", "正式"),
        (dt.date(2023, 12, 31), "2023-12-31", "2023-12-31"),
        (frozenset({12, 3, 1}), "1、3、12", "1, 3, 12"),
        (frozenset({"b", "a"}), "a、b", "a, b"),
        (frozenset(), "无", "none"),
        (("m2", "m1"), "m2、m1", "m2, m1"),
        ({"id": "m01", "status": "formal"}, "m01", "m01"),
    ],
)
def test_format_value(value: object, zh: str, en: str) -> None:
    assert format_value(value, "zh") == zh
    assert format_value(value, "en") == en


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(3, 4), "75%"),
        (Fraction(2, 3), "66.67%"),
        (Decimal("0.8"), "80%"),
        (1, "100%"),
        (Fraction(1, 8), "12.5%"),
    ],
)
def test_percentages(value: object, text: str) -> None:
    assert format_value(value, "zh", percent=True) == text
    assert format_value(value, "en", percent=True) == text


def test_places_round_half_up() -> None:
    assert format_number(Fraction(1, 8), places=2) == "0.13"
    assert format_number(Decimal("2.345"), places=2) == "2.35"
    assert format_number(Decimal("2.5"), places=0) == "3"
    assert format_number(Fraction(-1, 8), places=2) == "-0.13"
    assert format_number(Fraction(2, 3), percent=True, places=1) == "66.7%"


# ------------------------------------------------------------------ templates


def test_parse_template_parts_and_spans() -> None:
    text = "{count(F)} 名正式党员，需 ≥ {$min_formal_members}"
    tpl = parse_template(text, "ORG-01.message")
    assert [type(p).__name__ for p in tpl.parts] == ["Call", "str", "Param"]
    call, words, param = tpl.parts
    assert isinstance(call, A.Expr) and call.span == (1, 9) and text[1:9] == "count(F)"
    assert words == " 名正式党员，需 ≥ "
    assert isinstance(param, A.Expr) and text[param.span[0] : param.span[1]] == "$min_formal_members"
    assert call.source is not None and call.source.name == "ORG-01.message"


def test_escaped_braces() -> None:
    tpl = parse_template("{{literal}} {1 + 1} }}")
    assert tpl.parts[0] == "{literal} "
    assert tpl.parts[-1] == " }"
    fn = compile_template(tpl, SCOPE)
    assert fn(Env({}, 2023)) == "{literal} 2 }"


def test_braces_inside_strings_do_not_close() -> None:
    tpl = parse_template('{"}" in ["}"]} ok')
    assert compile_template(tpl, SCOPE)(Env({}, 2023), "en") == "yes ok"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("{count(F) ", (0, 1)),
        ("a } b", (2, 3)),
        ("{}", (1, 1)),
        ("{count(F}", (8, 8)),
        ("{x:?}", (3, 4)),
    ],
)
def test_template_syntax_errors(text: str, span: tuple[int, int]) -> None:
    with pytest.raises(LangError) as ei:
        parse_template(text)
    assert ei.value.code == "rule-syntax"
    assert ei.value.span == span


def test_template_errors_are_checked_like_expressions() -> None:
    tpl = parse_template("共 {count(membres)} 人")
    with pytest.raises(LangError) as ei:
        check_template(tpl, SCOPE)
    assert ei.value.code == "rule-unknown-name"
    assert ei.value.span == (9, 16) and ei.value.snippet == "membres"
    assert check_template(parse_template("{count(F)}/{share(NE, training_hours >= 32)}"), SCOPE) == [T.INT, T.NUMBER]


def test_render_zh_and_en() -> None:
    facts = with_facts(members=(member("a", hours=10), member("b"), member("c", "probationary")))
    tpl = parse_template(
        "{count(F)} 名正式党员（需 ≥ {$min_formal_members}），学时达标 {share(NE, training_hours >= 32):%}，"
        "委员会已建立：{committee.established}，满意度 {satisfaction:.1}，计划 {plan_date}，"
        "角色 {committee.roles where it != \"deputy_secretary\"}，未知 {recruitment.applicants}"
    )
    fn = compile_template(tpl, SCOPE)
    facts["recruitment"] = {"applicants": UNKNOWN, "activists": 1, "candidates": 0}
    env = Env(facts, 2023)
    assert fn(env, "zh") == (
        "2 名正式党员（需 ≥ 3），学时达标 66.67%，委员会已建立：是，满意度 0.9，计划 2022-12-20，"
        "角色 secretary、organization、propaganda、discipline，未知 未知"
    )
    assert fn(env, "en").startswith("2 名正式党员（需 ≥ 3），学时达标 66.67%，委员会已建立：yes")
    assert fn.values(env)[0] == 2


def test_template_without_placeholders() -> None:
    tpl = parse_template("纯文字")
    assert tpl.parts == ("纯文字",)
    assert compile_template(tpl, SCOPE)(Env(good_facts(), 2023)) == "纯文字"
