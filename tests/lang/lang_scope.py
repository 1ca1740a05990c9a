"""A Scope resembling the reference standard's facts (reference-standard.md §1), its
definitions and parameters, and a facts builder - used by the tests and a worked example
of how the standard compiler can describe facts to the rule language."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from starrules._lang import UNKNOWN, Env, HostFunction, Scope, compile_expr, parse
from starrules._lang import types as T

D = dt.date

MEETING_TYPES = ("congress", "committee", "group", "lecture", "theme_day", "org_life")

MEMBER = T.Record(
    {
        "id": T.STRING,
        "status": T.Enum({"formal", "probationary"}),
        "exempt": T.BOOL,
        "training_hours": T.NUMBER,
        "volunteer_services": T.INT,
        "pioneer_post": T.BOOL,
        "dues_unpaid_months": T.List(T.INT),
    },
    key="id",
    name="member",
)
MEETING = T.Record(
    {
        "id": T.STRING,
        "type": T.Enum(MEETING_TYPES),
        "date": T.DATE,
        "present": T.INT,
        "expected": T.INT,
        "group": T.STRING,
        "topics": T.List(T.STRING),
    },
    key="id",
    name="meeting",
)
RECTIFICATION = T.Record({"id": T.STRING, "due": T.DATE, "closed": T.Optional(T.DATE)}, key="id", name="rectification")


def obj(_name: str, **fields: T.Type) -> T.Object:
    return T.Object(fields, name=_name)


FACTS: dict[str, T.Type] = {
    "branch": obj("branch", id=T.STRING, name=T.STRING, unit=T.STRING),
    "members": T.Records(MEMBER),
    "committee": obj("committee", established=T.BOOL, members=T.List(T.STRING), roles=T.List(T.STRING)),
    "term": obj("term", start=T.DATE, years=T.INT),
    "secretary": obj(
        "secretary",
        in_post=T.BOOL,
        party_since=T.DATE,
        appointed=T.DATE,
        rotation_trainings=T.INT,
        induction_training=T.Optional(T.DATE),
        is_unit_leader=T.BOOL,
    ),
    "party_groups": T.List(T.STRING),
    "meetings": T.Records(MEETING),
    "democratic_review": obj(
        "democratic_review", held=T.BOOL, rated=T.INT, excellent=T.INT, participants=T.INT, eligible=T.INT
    ),
    "recruitment": obj("recruitment", applicants=T.INT, activists=T.INT, candidates=T.INT),
    "rules_adopted": T.List(T.STRING),
    "plan_date": T.DATE,
    "summary_date": T.DATE,
    "disclosures": T.INT,
    "rectifications": T.Records(RECTIFICATION),
    "venue": obj("venue", has_venue=T.BOOL, items=T.List(T.STRING)),
    "funds_cny": T.NUMBER,
    "party_affairs_worker": T.BOOL,
    "care": obj("care", targets=T.List(T.STRING), visited=T.List(T.STRING)),
    "satisfaction": T.NUMBER,
    "unit_kpi_completion": T.NUMBER,
    "brand_level": T.Enum({"none", "company", "group", "province", "national"}),
    "honours": obj("honours", branch=T.Enum({"none", "group", "province", "national"}), members=T.INT),
    "discipline": obj("discipline", serious_cases=T.INT, minor_cases=T.INT),
    "incidents": obj("incidents", major_safety_or_quality=T.BOOL, mass_incident=T.BOOL),
    "weak_lax_designated": T.BOOL,
    "recruitment_violation": T.BOOL,
    "missing_records": T.INT,
    "review_score": T.NUMBER,
}

REQUIRED_RULES = frozenset(
    {"three_meetings_one_lecture", "theme_day", "org_life_meeting", "democratic_review", "dues",
     "recruitment", "disclosure", "study"}
)

PARAMS: dict[str, tuple[T.Type, Any]] = {
    "min_formal_members": (T.INT, 3),
    "max_members": (T.INT, 50),
    "training_hours": (T.INT, 32),
    "training_share": (T.NUMBER, Decimal("0.8")),
    "attendance": (T.NUMBER, Decimal("0.8")),
    "required_rules": (T.Set(T.STRING), REQUIRED_RULES),
    "venue_items": (T.Set(T.STRING), frozenset({"flag", "oath_wall", "bookshelf", "bulletin"})),
    "committee_roles": (T.Set(T.STRING), frozenset({"secretary", "organization", "propaganda", "discipline"})),
    "brand_points": (T.Map(T.INT), {"none": 0, "company": 1, "group": 2, "province": 3, "national": 5}),
    "branch_points": (T.Map(T.INT), {"none": 0, "group": 2, "province": 3, "national": 5}),
    "plan_deadline": (T.DATE, D(2023, 3, 31)),
}

DEFS: dict[str, str] = {
    "F": 'members where status == "formal"',
    "NE": "members where not exempt",
    "meetings_in_year": "meetings where year_of(date) == year",
    "theme_days": 'meetings_in_year where type == "theme_day"',
    "group_meetings": 'meetings_in_year where type == "group"',
    "congresses": 'meetings_in_year where type == "congress"',
}

#: Indicator rules of prov-2023 written in the rule language (a subset, one per construct).
RULES: dict[str, str] = {
    "ORG-01": "count(F) >= $min_formal_members",
    "ORG-02": "count(members) <= $max_members",
    "ORG-03": "committee.established",
    "ORG-04": '3 <= count(committee.members) <= 7 and committee.roles ⊇ $committee_roles',
    "ORG-06": "add_years(term.start, term.years) >= date(year, 12, 31)",
    "ORG-07": "add_years(secretary.party_since, 1) <= secretary.appointed",
    "TEAM-02": "secretary.induction_training != none and secretary.induction_training <= add_months(secretary.appointed, 6)",
    "TEAM-03": "share(NE, training_hours >= $training_hours) >= $training_share",
    "TEAM-04": "all(NE, training_hours >= $training_hours)",
    "TEAM-05": "all(members, longest_run(dues_unpaid_months) < 6)",
    "TEAM-06": "all(members, count(dues_unpaid_months) == 0)",
    "TEAM-07": 'recruitment.activists >= 1 and recruitment.candidates + count(members where status == "probationary") >= 1',
    "TEAM-09": "min(2 * discipline.minor_cases, 6)",
    "ACT-01": 'quarters(meetings where type == "congress") == 1..4',
    "ACT-02": 'months(meetings where type == "committee") ⊇ 1..12',
    "ACT-03": "all(party_groups as g, months(group_meetings where group == g) ⊇ 1..12)",
    "ACT-05": "months(theme_days) ⊇ 1..12",
    "ACT-06": "sum(theme_days, expected) > 0 and sum(theme_days, present) >= $attendance * sum(theme_days, expected)",
    "ACT-07": 'count(meetings_in_year, type == "org_life") >= 1',
    "ACT-08": "democratic_review.held and 3 * democratic_review.excellent <= democratic_review.rated",
    "ACT-10": "longest_run(1..12 - months(meetings_in_year)) < 6",
    "ACT-11": "min(0.5 * missing_records, 3)",
    "ROLE-01": "count(F where pioneer_post) >= 0.5 * count(F)",
    "ROLE-02": "count(NE, volunteer_services >= 1) >= 0.8 * count(NE)",
    "ROLE-03": 'quarters(meetings_in_year where "business" in topics) == 1..4',
    "ROLE-05": "satisfaction >= 0.6",
    "ROLE-09": "$brand_points[brand_level]",
    "ROLE-10": "$branch_points[honours.branch] + min(honours.members, 3)",
    "INST-01": "rules_adopted ⊇ $required_rules",
    "INST-02": "plan_date <= date(year, 3, 31) and summary_date <= date(year + 1, 1, 15)",
    "INST-03": "all(congresses, 2 * present >= expected)",
    "INST-06": "all(rectifications where year_of(due) == year, closed != none and closed <= due)",
    "INST-07": "count(rectifications where due <= date(year, 12, 31) and (closed == none or closed > date(year, 12, 31)))",
    "SUP-02": "venue.items ⊇ $venue_items",
    "SUP-05": "care.targets ⊆ care.visited",
    # city-2023 items (score-standard.md)
    "ORG-C2": (
        "if count(F) < 7 then (if secretary.in_post then 5 else 0) "
        "else if not committee.established or not (3 <= count(committee.members) <= 7) then 0 "
        "else max(0, 5 - count($committee_roles - committee.roles))"
    ),
    "TEAM-C1": "max(0, 8 - count(NE, training_hours < 32))",
    "ACT-C1": "2 * count(quarters(congresses))",
    "SUP-C1": "(if venue.has_venue then 2 else 0) + 0.5 * count($venue_items where it in venue.items)",
    "INST-C2": (
        "(if plan_date <= date(year, 3, 31) then 2 else if plan_date <= date(year, 6, 30) then 1 else 0)"
        " + (if summary_date <= date(year + 1, 1, 15) then 2 else if summary_date <= date(year + 1, 1, 31) then 1 else 0)"
    ),
    "ROLE-C2": "if count(NE) == 0 then 0 else if share(NE, volunteer_services >= 1) >= 0.8 then 6 else if share(NE, volunteer_services >= 1) >= 0.5 then 3 else 0",
}


def make_scope(**extra: Any) -> Scope:
    """The example scope; keyword arguments (extras=, functions=) are passed on."""
    return Scope(facts=FACTS, params=PARAMS, defs=DEFS, **extra)


def member(id: str, status: str = "formal", *, exempt: bool = False, hours: Any = 40, volunteer: int = 1,
           pioneer: bool = False, unpaid: tuple[int, ...] = ()) -> dict[str, Any]:
    return {
        "id": id,
        "status": status,
        "exempt": exempt,
        "training_hours": hours,
        "volunteer_services": volunteer,
        "pioneer_post": pioneer,
        "dues_unpaid_months": tuple(unpaid),
    }


def meeting(id: str, type: str, date: dt.date, *, present: Any = 9, expected: Any = 10,
            group: Any = UNKNOWN, topics: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"id": id, "type": type, "date": date, "present": present, "expected": expected,
            "group": group, "topics": tuple(topics)}


def good_facts(year: int = 2023) -> dict[str, Any]:
    """A branch that meets every rule above."""
    members = [member(f"m{i:02d}", pioneer=i % 2 == 0) for i in range(1, 9)]
    members.append(member("m09", "probationary"))
    meetings = []
    for m in range(1, 13):
        meetings.append(meeting(f"td{m:02d}", "theme_day", D(year, m, 10)))
        meetings.append(meeting(f"cm{m:02d}", "committee", D(year, m, 5)))
        meetings.append(meeting(f"g1-{m:02d}", "group", D(year, m, 12), group="一组"))
        meetings.append(meeting(f"g2-{m:02d}", "group", D(year, m, 13), group="二组"))
    for q in range(1, 5):
        meetings.append(meeting(f"cg{q}", "congress", D(year, 3 * q, 20), topics=("business",)))
        meetings.append(meeting(f"lc{q}", "lecture", D(year, 3 * q, 21)))
    meetings.append(meeting("ol1", "org_life", D(year, 12, 28)))
    return {
        "branch": {"id": "B1", "name": "一支部", "unit": "港务"},
        "members": tuple(members),
        "committee": {"established": True, "members": ("m01", "m02", "m03", "m04", "m05"),
                      "roles": ("secretary", "deputy_secretary", "organization", "propaganda", "discipline")},
        "term": {"start": D(year - 1, 5, 1), "years": 3},
        "secretary": {"in_post": True, "party_since": D(2010, 1, 1), "appointed": D(year, 3, 1),
                      "rotation_trainings": 1, "induction_training": D(year, 6, 1), "is_unit_leader": True},
        "party_groups": ("一组", "二组"),
        "meetings": tuple(meetings),
        "democratic_review": {"held": True, "rated": 9, "excellent": 2, "participants": 9, "eligible": 9},
        "recruitment": {"applicants": 2, "activists": 1, "candidates": 1},
        "rules_adopted": tuple(sorted(REQUIRED_RULES)),
        "plan_date": D(year - 1, 12, 20),
        "summary_date": D(year + 1, 1, 10),
        "disclosures": 3,
        "rectifications": ({"id": "r1", "due": D(year, 6, 30), "closed": D(year, 6, 1)},),
        "venue": {"has_venue": True, "items": ("flag", "oath_wall", "bookshelf", "bulletin")},
        "funds_cny": Decimal("5000"),
        "party_affairs_worker": True,
        "care": {"targets": ("m01",), "visited": ("m01", "m02")},
        "satisfaction": Decimal("0.9"),
        "unit_kpi_completion": Decimal("1.05"),
        "brand_level": "group",
        "honours": {"branch": "province", "members": 4},
        "discipline": {"serious_cases": 0, "minor_cases": 1},
        "incidents": {"major_safety_or_quality": False, "mass_incident": False},
        "weak_lax_designated": False,
        "recruitment_violation": False,
        "missing_records": 3,
        "review_score": 80,
    }


def ev(text: str, facts: dict[str, Any] | None = None, *, year: int = 2023, scope: Scope | None = None,
       values: dict[str, Any] | None = None, trace: str | None = None, env: Env | None = None) -> Any:
    """Parse, check, compile and evaluate ``text`` in one go."""
    scope = scope or SCOPE
    fn = compile_expr(parse(text), scope, trace=trace)
    if env is None:
        env = Env(facts=good_facts(year) if facts is None else facts, year=year, values=values or {})
    return fn(env)


def with_facts(**changes: Any) -> dict[str, Any]:
    f = copy.deepcopy(good_facts())
    f.update(changes)
    return f


def toy_host_functions() -> dict[str, HostFunction]:
    """``double(n)`` (eager), ``first_known(a, b)`` (lazy), ``kind_points("bonus")`` (checks
    its literal argument) - stand-ins for the evaluator's rating builtins."""
    from starrules._lang import LangError

    def check_double(types: tuple, spans: tuple) -> T.Type:
        if len(types) != 1:
            raise LangError("rule-arity", {"func": "double", "expected": "1", "got": len(types)}, spans[0] if spans else (0, 0))
        if not T.is_numeric(types[0]):
            raise LangError("rule-type", {"context": "argument 1 of double()", "expected": "a number",
                                          "got": str(types[0])}, spans[0])
        return types[0]

    def check_first_known(types: tuple, spans: tuple) -> T.Type:
        return T.join(types[0], types[1]) or T.ERROR

    def first_known(env: Env, a: Any, b: Any) -> Any:
        v = a(env)
        return v if v is not UNKNOWN else b(env)

    def check_kind_points(types: tuple, spans: tuple, consts: tuple) -> T.Type:
        if consts[0] not in ("bonus", "deduction"):
            raise LangError("rule-unknown-value", {"value": consts[0], "allowed": ["bonus", "deduction"],
                                                   "suggestion": "bonus"}, spans[0])
        return T.INT

    return {
        "double": HostFunction("double", check_double, lambda env, x: 2 * x),
        "first_known": HostFunction("first_known", check_first_known, first_known, lazy=True),
        "kind_points": HostFunction("kind_points", check_kind_points,
                                    lambda env, k: env.values["points"][k], const_args=True),
    }


SCOPE = make_scope()
