"""The type-check pass: types, every error code with its exact span and "did you mean"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lang_scope import FACTS, PARAMS, RULES, SCOPE, make_scope, toy_host_functions

from starrules._lang import LangError, Scope, check, parse, problems
from starrules._lang import types as T
from starrules._lang.errors import CODES


def typ(text: str, scope: Scope = SCOPE) -> T.Type:
    return check(parse(text), scope)


def error(text: str, scope: Scope = SCOPE) -> LangError:
    with pytest.raises(LangError) as ei:
        check(parse(text), scope)
    e = ei.value
    # every error renders in both languages, with a fix
    for lang in ("en", "zh"):
        assert e.render(lang) and "{" not in e.render(lang)
        assert e.fix(lang)
    return e


def located(text: str, code: str, snippet: str, suggestion: str | None = None, scope: Scope = SCOPE) -> LangError:
    e = error(text, scope)
    assert e.code == code, e
    assert text[e.span[0] : e.span[1]] == snippet, (e.span, e)
    assert e.snippet == snippet
    if suggestion is not None:
        assert e.params.get("suggestion") == suggestion
        assert f"`{suggestion}`" in e.render("en")
    return e


# ------------------------------------------------------------------ types


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", T.INT),
        ("0.8", T.NUMBER),
        ('"x"', T.STRING),
        ("true", T.BOOL),
        ("none", T.NONE),
        ("year", T.INT),
        ("[1, 2]", T.Set(T.INT)),
        ("[1, 2.5]", T.Set(T.NUMBER)),
        ("[]", T.Set(T.NOTHING)),
        ("1..12", T.Set(T.INT)),
        ('date("2023-12-31")', T.DATE),
        ("date(year, 12, 31)", T.DATE),
        ("count(F)", T.INT),
        ("count(F) + 1", T.INT),
        ("count(F) * 0.5", T.NUMBER),
        ("count(F) / 2", T.NUMBER),
        ("share(NE, training_hours >= 32)", T.NUMBER),
        ("sum(theme_days, present)", T.INT),
        ("sum(members, training_hours)", T.NUMBER),
        ("min(members, training_hours)", T.NUMBER),
        ("max(meetings, date)", T.DATE),
        ("min(1, 2)", T.INT),
        ("max(1, 2.5)", T.NUMBER),
        ("months(theme_days)", T.Set(T.INT)),
        ("quarters(rectifications, due)", T.Set(T.INT)),
        ("longest_run(1..12 - months(meetings_in_year))", T.INT),
        ("add_months(secretary.appointed, 6)", T.DATE),
        ("year_of(plan_date)", T.INT),
        ("floor(satisfaction * 10)", T.INT),
        ("abs(-3)", T.INT),
        ("known(satisfaction)", T.BOOL),
        ("committee.members", T.List(T.STRING)),
        ("committee.members - [\"m01\"]", T.Set(T.STRING)),
        ("F", FACTS["members"]),
        ("members where status == \"formal\"", FACTS["members"]),
        ("$brand_points[brand_level]", T.INT),
        ("$training_share", T.NUMBER),
        ("if true then 1 else 2.5", T.NUMBER),
        ("if true then none else plan_date", T.Optional(T.DATE)),
        ("secretary.induction_training", T.Optional(T.DATE)),
        ("dues_unpaid_months", None),  # only inside a member scope
    ],
)
def test_types(text: str, expected: T.Type | None) -> None:
    if expected is None:
        assert error(text).code == "rule-unknown-name"
    else:
        assert typ(text) == expected


def test_every_reference_rule_checks() -> None:
    for rid, text in RULES.items():
        t = typ(text)
        assert t in (T.BOOL, T.INT, T.NUMBER), rid


# ------------------------------------------------------------------ rule-unknown-name


def test_unknown_fact() -> None:
    located("count(membres)", "rule-unknown-name", "membres", "members")


def test_unknown_field_points_at_the_field() -> None:
    e = located("committee.establshed", "rule-unknown-name", "establshed", "established")
    assert e.params["kind"] == "field"


def test_unknown_parameter() -> None:
    located("count(F) >= $min_formal", "rule-unknown-name", "$min_formal", "$min_formal_members")


def test_unknown_item_field() -> None:
    located('count(members where statsu == "formal")', "rule-unknown-name", "statsu", "status")


def test_field_of_a_bound_item_needs_the_binder() -> None:
    located("all(members as m, training_hours > 3)", "rule-unknown-name", "training_hours", "m.training_hours")


def test_it_outside_a_per_item_scope() -> None:
    e = located("it > 3", "rule-unknown-name", "it")
    assert e.params["kind"] == "it"


def test_function_name_used_as_a_value() -> None:
    located("count + 1", "rule-unknown-name", "count", "count(…)")


def test_no_suggestion_when_nothing_is_close() -> None:
    e = located("zzzz", "rule-unknown-name", "zzzz")
    assert e.params["suggestion"] is None
    assert "did you mean" not in e.render("en")


# ------------------------------------------------------------------ rule-unknown-function


def test_unknown_function() -> None:
    located("cnt(F) >= 3", "rule-unknown-function", "cnt", "count")
    located("longest_runs([1])", "rule-unknown-function", "longest_runs", "longest_run")


# ------------------------------------------------------------------ rule-type


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("count(year)", "year"),
        ('"a" + 1', '"a"'),
        ("1 + \"a\"", '"a"'),
        ("plan_date > 3", "3"),
        ("plan_date == 3", "3"),
        ("committee.roles < 3", "committee.roles"),
        ('if true then 1 else "a"', '"a"'),
        ("not 3", "3"),
        ("3 and true", "3"),
        ("sum(members, status)", "status"),
        ("months(rectifications)", "rectifications"),
        ("committee.members ⊇ 3", "3"),
        ("1..12 ⊇ [\"a\"]", '["a"]'),
        ("3 in 4", "4"),
        ("min(1, plan_date)", "plan_date"),
        ("longest_run([\"a\"])", '["a"]'),
        ("members.id", "members"),
        ("[1, \"a\"]", '"a"'),
        ("if satisfaction then 1 else 2", "satisfaction"),
        ("$brand_points[3]", "3"),
        ("members where it", "it"),
        ("add_years(plan_date, 1.5)", "1.5"),
        ("date(year, 1.5, 1)", "1.5"),
        ("1..2.5", "2.5"),
        ("count(F, 3)", "3"),
        ("date(plan_date)", "plan_date"),
        ("count(1..1000000) > 0", "1..1000000"),
    ],
)
def test_type_errors(text: str, snippet: str) -> None:
    e = located(text, "rule-type", snippet)
    assert e.params["got"] and e.params["expected"]


def test_type_error_words() -> None:
    e = located("count(year)", "rule-type", "year")
    assert e.render("en") == (
        "argument 1 of count() must be a collection (records, a list or a set), not an integer"
    )
    assert e.render("zh") == "count() 的第 1 个参数需要记录集、列表或集合，而这里是整数"


def test_comparing_a_non_optional_value_with_none() -> None:
    e = located("brand_level == none", "rule-type", "brand_level", '"none"')
    assert e.params["suggestion"] == '"none"'
    located("satisfaction != none", "rule-type", "satisfaction")


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ("secretary.induction_training <= add_months(secretary.appointed, 6)", "secretary.induction_training"),
        ("year_of(secretary.induction_training) == year", "secretary.induction_training"),
        ("all(rectifications, closed <= due)", "closed"),
        ("secretary.induction_training == none and secretary.induction_training <= plan_date",
         "secretary.induction_training"),
    ],
)
def test_optional_values_need_a_guard(text: str, snippet: str) -> None:
    e = located(text, "rule-type", snippet)
    assert e.params["optional"] is True
    assert "!= none" in e.fix("en")


@pytest.mark.parametrize(
    "text",
    [
        "secretary.induction_training != none and secretary.induction_training <= plan_date",
        "secretary.induction_training == none or secretary.induction_training <= plan_date",
        "not (secretary.induction_training == none) and secretary.induction_training <= plan_date",
        "if secretary.induction_training != none then secretary.induction_training <= plan_date else false",
        "if secretary.induction_training == none then false else secretary.induction_training <= plan_date",
        "all(rectifications, closed != none and closed <= due)",
        "count(rectifications where closed == none or closed > date(year, 12, 31)) >= 0",
        "known(secretary.induction_training)",
        "secretary.induction_training == plan_date",
        "[secretary.induction_training, plan_date] ⊇ [plan_date]",
    ],
)
def test_guarded_optional_values(text: str) -> None:
    assert typ(text) == T.BOOL


# ------------------------------------------------------------------ rule-arity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("count()", "1-2"),
        ("count(F, true, true)", "1-2"),
        ("share(F)", "2"),
        ("all(F)", "2"),
        ("date(1, 2)", "1 or 3"),
        ("add_years(plan_date)", "2"),
        ("min(1)", "2+"),
        ("longest_run()", "1"),
        ("known(1, 2)", "1"),
    ],
)
def test_arity(text: str, expected: str) -> None:
    e = located(text, "rule-arity", text)
    assert e.params["expected"] == expected


# ------------------------------------------------------------------ rule-bad-date


@pytest.mark.parametrize(
    ("text", "snippet"),
    [
        ('date("2023-02-30")', '"2023-02-30"'),
        ('date("2023-2-3")', '"2023-2-3"'),
        ('date("31.12.2023")', '"31.12.2023"'),
        ('plan_date <= date("2023-13-01")', '"2023-13-01"'),
        ("date(2023, 2, 30)", "date(2023, 2, 30)"),
        ("date(2023, 0, 1)", "date(2023, 0, 1)"),
    ],
)
def test_bad_literal_dates(text: str, snippet: str) -> None:
    located(text, "rule-bad-date", snippet)


def test_leap_day_is_a_date() -> None:
    assert typ('date("2024-02-29")') == T.DATE


# ------------------------------------------------------------------ rule-unknown-value


def test_enum_literal_not_among_values() -> None:
    e = located('count(F, status == "formel")', "rule-unknown-value", '"formel"', "formal")
    assert e.params["allowed"] == ["formal", "probationary"]
    located('count(F, "probatonary" != status)', "rule-unknown-value", '"probatonary"', "probationary")
    located('count(meetings, type in ["congress", "comittee"])', "rule-unknown-value", '"comittee"', "committee")
    located('brand_level == "provincial"', "rule-unknown-value", '"provincial"', "province")


def test_map_key_literal() -> None:
    located('$brand_points["gruop"]', "rule-unknown-value", '"gruop"', "group")


def test_map_indexed_by_an_enum_must_cover_it() -> None:
    scope = Scope(facts=FACTS, params={**PARAMS, "pts": (T.Map(T.INT), {"none": 0, "group": 1})})
    e = located("$pts[brand_level]", "rule-unknown-value", "$pts[brand_level]", scope=scope)
    assert e.params["missing"] == ["company", "national", "province"]
    assert "company" in e.render("en")


# ------------------------------------------------------------------ rule-cycle, rule-syntax


def test_definition_cycle() -> None:
    scope = Scope(facts=FACTS, defs={"a": "b + 1", "b": "c + 1", "c": "a + 1", "d": "a"})
    e = error("d > 0", scope)
    assert e.code == "rule-cycle"
    assert e.params["chain"] == ["a", "b", "c", "a"]
    assert e.origin == "c"  # the reference that closes the cycle, in c's text
    assert e.snippet == "a"


def test_binder_only_on_aggregates() -> None:
    e = located("add_years(plan_date as x, 1) > plan_date", "rule-syntax", "x")
    assert e.params["reason"] == "binder"
    located("min(1 as x, 2) > 0", "rule-syntax", "x")
    located("count(F, status as s)", "rule-syntax", "s")


def test_errors_pickle() -> None:
    import pickle

    e = error("count(membres)")
    e2 = pickle.loads(pickle.dumps(e))
    assert (type(e2), e2.code, e2.params, e2.span, e2.snippet) == (type(e), e.code, e.params, e.span, e.snippet)


def test_every_code_is_listed() -> None:
    assert set(CODES) >= {
        "rule-syntax", "rule-unknown-name", "rule-unknown-function", "rule-type", "rule-arity",
        "rule-bad-date", "rule-unknown-value",
    }


# ------------------------------------------------------------------ definitions, collection


def test_errors_inside_a_definition_name_it() -> None:
    scope = Scope(facts=FACTS, defs={"F": 'members where status == "formall"'})
    e = error("count(F) >= 3", scope)
    assert e.code == "rule-unknown-value"
    assert e.origin == "F"
    assert e.snippet == '"formall"'


def test_definitions_are_typed_once() -> None:
    scope = make_scope()
    typ("count(F)", scope)
    an = scope._def_analyses["F"]
    typ("count(F) + count(F)", scope)
    assert scope._def_analyses["F"] is an


def test_problems_reports_every_error_once_in_order() -> None:
    errs = problems(parse('count(membres) + cnt(F) >= "x" and committee.establshed'), SCOPE)
    assert [e.code for e in errs] == ["rule-unknown-name", "rule-unknown-function", "rule-unknown-name"]
    assert [e.snippet for e in errs] == ["membres", "cnt", "establshed"]
    assert problems(parse("count(F) >= 3"), SCOPE) == []


def test_problems_does_not_cascade() -> None:
    # the unknown name makes its node an ERROR, which fits everywhere
    errs = problems(parse("(membres + 1) * 2 >= plan_date"), SCOPE)
    assert [e.code for e in errs] == ["rule-unknown-name"]


# ------------------------------------------------------------------ host functions


def test_host_function_checkers() -> None:
    scope = make_scope(functions=toy_host_functions())
    assert typ("double(count(F))", scope) == T.INT
    assert typ("double(0.5)", scope) == T.NUMBER
    e = located("double(plan_date)", "rule-type", "plan_date", scope=scope)
    assert e.origin is None
    e = located('kind_points("bonsu")', "rule-unknown-value", '"bonsu"', "bonus", scope=scope)
    assert e.source is not None  # attached by the checker
    assert typ('kind_points("bonus") + 1', scope) == T.INT


def test_host_functions_may_not_hide_builtins() -> None:
    fns = toy_host_functions()
    with pytest.raises(ValueError):
        Scope(functions={"count": fns["double"]})


def test_extras_are_names() -> None:
    scope = make_scope(extras={"L": T.INT, "lit": T.Set(T.STRING)})
    assert typ("L >= 5 and \"ROLE\" in lit", scope) == T.BOOL


def test_extend_keeps_definitions() -> None:
    base = make_scope()
    child = base.extend(extras={"L": T.INT})
    assert typ("count(F) + L", child) == T.INT
    assert child._owner is base
    assert "F" in base._def_analyses


def test_params_of_every_kind() -> None:
    scope = Scope(
        facts=FACTS,
        params={"n": (T.INT, 3), "x": (T.NUMBER, Decimal("0.8")), "s": (T.Set(T.STRING), frozenset({"a"})),
                "d": (T.DATE, None), "bands": (T.Opaque("bands"), object())},
    )
    assert typ("$n * $x", scope) == T.NUMBER
    assert typ('"a" in $s', scope) == T.BOOL
    assert typ("$d", scope) == T.DATE
    assert typ("$bands", scope) == T.Opaque("bands")
