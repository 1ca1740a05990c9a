"""Facts documents against prov-2023 (reference-standard.md §1): strict types, ranges, unknowns.

An error is a FactsError naming the fact path; an unknown is starrules._lang.values.UNKNOWN.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import starrules
from starrules import FactsError, Problem
from starrules._lang.values import UNKNOWN

BASE: dict[str, Any] = {"branch": {"id": "BR-1"}, "year": 2023}


@pytest.fixture(scope="module")
def std() -> starrules.Standard:
    return starrules.load_standard("prov-2023")


def ok(std: starrules.Standard, **facts: Any) -> dict[str, Any]:
    return starrules.validate_facts(std, {**BASE, **facts}).values


def problems(std: starrules.Standard, doc: Any) -> list[Problem]:
    with pytest.raises(FactsError) as info:
        starrules.validate_facts(std, doc)
    return list(info.value.problems)


def codes(std: starrules.Standard, **facts: Any) -> list[tuple[str, str | None]]:
    return [(p.code, p.path) for p in problems(std, {**BASE, **facts})]


def yaml_file(tmp_path: Path, text: str, name: str = "facts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- strict types ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fact, value", [
    ("disclosures", "3"),            # text is not an integer
    ("disclosures", Decimal("2.0")),  # 2.0 is not an integer
    ("disclosures", 2.0),
    ("disclosures", True),           # bool is an int in Python, not here
    ("funds_cny", True),             # true is not a number
    ("funds_cny", "15000"),
    ("party_affairs_worker", "yes"),  # yes/no stay text: not a bool
    ("party_affairs_worker", 1),
    ("plan_date", "2023-3-1"),       # dates are YYYY-MM-DD
    ("plan_date", 20230301),
    ("brand_level", 3),
    ("rules_adopted", "dues"),       # a list, not one text
    ("members", {"id": "M01"}),
])
def test_wrong_types_are_errors(std: starrules.Standard, fact: str, value: Any) -> None:
    assert codes(std, **{fact: value}) == [("facts-type", fact)]


def test_yes_and_no_stay_text_in_yaml(std: starrules.Standard, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "branch: {id: BR-1}\nyear: 2023\nparty_groups: [yes, no, on, off]\n")
    assert starrules.validate_facts(std, path).values["party_groups"] == ("yes", "no", "on", "off")
    path = yaml_file(tmp_path, "branch: {id: BR-1}\nyear: 2023\nparty_affairs_worker: yes\n", "b.yaml")
    (p,) = problems(std, path)
    assert (p.code, p.path, p.line, p.col) == ("facts-type", "party_affairs_worker", 3, 23)
    assert p.params["got"] == '"yes"'


def test_a_datetime_where_a_date_is_expected(std: starrules.Standard, tmp_path: Path) -> None:
    assert codes(std, plan_date=datetime(2023, 3, 1, 10, 30)) == [("facts-timestamp", "plan_date")]
    assert codes(std, plan_date="2023-03-01T10:30:00") == [("facts-timestamp", "plan_date")]
    path = yaml_file(tmp_path, "branch: {id: BR-1}\nyear: 2023\nplan_date: 2023-03-01 10:30:00\n")
    (p,) = problems(std, path)
    assert (p.code, p.line, p.col) == ("facts-timestamp", 3, 12)


def test_dates_as_yaml_dates_or_iso_text(std: starrules.Standard) -> None:
    values = ok(std, plan_date=date(2023, 3, 1), summary_date="2024-01-09")
    assert values["plan_date"] == date(2023, 3, 1) and values["summary_date"] == date(2024, 1, 9)
    assert type(values["summary_date"]) is date


def test_an_impossible_date_in_yaml_is_a_wrong_type_of_a_date_fact(std: starrules.Standard, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "branch: {id: BR-1}\nyear: 2023\nplan_date: 2023-02-30\n")
    (p,) = problems(std, path)
    assert (p.code, p.path, p.line) == ("facts-type", "plan_date", 3)
    assert codes(std, plan_date="2023-02-30") == [("facts-type", "plan_date")]


def test_a_float_from_python_becomes_its_shortest_decimal(std: starrules.Standard) -> None:
    assert ok(std, satisfaction=0.85)["satisfaction"] == Decimal("0.85")
    assert codes(std, satisfaction=float("nan")) == [("facts-type", "satisfaction")]


# -- ranges ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("facts, path", [
    ({"year": 1999}, "year"),
    ({"year": 2100}, "year"),
    ({"satisfaction": Decimal("1.01")}, "satisfaction"),
    ({"funds_cny": -1}, "funds_cny"),
    ({"disclosures": -1}, "disclosures"),
    ({"term": {"years": 11}}, "term.years"),
    ({"term": {"years": 0}}, "term.years"),
    ({"plan_date": date(1899, 12, 31)}, "plan_date"),
    ({"plan_date": "2100-01-01"}, "plan_date"),
    ({"members": [{"id": "a", "status": "formal", "dues_unpaid_months": [12, 13]}]},
     "members[0].dues_unpaid_months[1]"),
])
def test_out_of_range_is_an_error(std: starrules.Standard, facts: dict[str, Any], path: str) -> None:
    assert codes(std, **facts) == [("facts-range", path)]


def test_range_edges_are_allowed(std: starrules.Standard) -> None:
    values = ok(std, year=2099, satisfaction=1, funds_cny=0, term={"years": 10},
                plan_date=date(1900, 1, 1), summary_date="2099-12-31")
    assert values["satisfaction"] == 1 and values["term"]["years"] == 10


def test_odd_but_possible_counts_are_not_errors(std: starrules.Standard) -> None:
    meeting = {"id": "m1", "type": "congress", "date": "2023-02-01", "present": 12, "expected": 10}
    assert ok(std, meetings=[meeting])["meetings"][0]["present"] == 12


# -- null = absent = unknown; defaults; absent: none -------------------------------------------------


def test_absent_and_null_are_unknown(std: starrules.Standard) -> None:
    values = ok(std, satisfaction=None, committee={"established": True, "members": None})
    assert values["satisfaction"] is UNKNOWN
    assert values["funds_cny"] is UNKNOWN  # absent
    assert values["committee"]["members"] is UNKNOWN
    assert values["committee"]["roles"] is UNKNOWN
    assert values["members"] is UNKNOWN


def test_null_is_the_same_as_absent(std: starrules.Standard) -> None:
    member = {"id": "a", "status": "formal"}
    assert ok(std, members=[{**member, "training_hours": None}]) == ok(std, members=[member])


def test_defaults_are_applied(std: starrules.Standard) -> None:
    values = ok(std, members=[{"id": "a", "status": "formal"}], term={"start": "2022-03-10"},
                meetings=[{"id": "m", "type": "lecture", "date": "2023-03-01"}])
    (member,) = values["members"]
    assert member == {"id": "a", "status": "formal", "exempt": False, "training_hours": 0,
                      "volunteer_services": 0, "pioneer_post": False, "dues_unpaid_months": ()}
    assert values["term"]["years"] == 3
    (meeting,) = values["meetings"]
    assert meeting["topics"] == ()
    assert meeting["present"] is UNKNOWN and meeting["expected"] is UNKNOWN and meeting["group"] is UNKNOWN


def test_absent_none_fields_give_none(std: starrules.Standard) -> None:
    values = ok(std, secretary={"in_post": True}, rectifications=[{"id": "r1", "due": "2023-06-30"}])
    assert values["secretary"]["induction_training"] is None
    assert values["secretary"]["appointed"] is UNKNOWN
    assert values["rectifications"][0]["closed"] is None


def test_a_group_meeting_without_its_group_is_not_an_error(std: starrules.Standard) -> None:
    values = ok(std, meetings=[{"id": "g", "type": "group", "date": "2023-05-05"}])
    assert values["meetings"][0]["group"] is UNKNOWN


def test_lists_are_tuples_and_records_dicts(std: starrules.Standard) -> None:
    values = ok(std, rules_adopted=["dues", "study"], members=[{"id": "a", "status": "formal"}])
    assert values["rules_adopted"] == ("dues", "study")
    assert isinstance(values["members"], tuple) and isinstance(values["members"][0], dict)


# -- required facts ------------------------------------------------------------------------------


def test_branch_id_and_year_are_required(std: starrules.Standard) -> None:
    assert [(p.code, p.path) for p in problems(std, {"branch": {"name": "x"}})] == [
        ("facts-missing", "branch.id"), ("facts-missing", "year")]
    assert [(p.code, p.path) for p in problems(std, {"year": 2023})] == [("facts-missing", "branch")]
    assert [(p.code, p.path) for p in problems(std, {"branch": {"id": "B"}, "year": None})] == [
        ("facts-missing", "year")]


@pytest.mark.parametrize("fact, record, missing", [
    ("members", {"status": "formal"}, "id"),
    ("members", {"id": "a"}, "status"),
    ("meetings", {"type": "congress", "date": "2023-01-05"}, "id"),
    ("meetings", {"id": "m", "date": "2023-01-05"}, "type"),
    ("meetings", {"id": "m", "type": "congress"}, "date"),
    ("rectifications", {"due": "2023-01-05"}, "id"),
    ("rectifications", {"id": "r"}, "due"),
])
def test_a_record_missing_a_field_it_cannot_do_without(std: starrules.Standard, fact: str,
                                                       record: dict[str, Any], missing: str) -> None:
    assert codes(std, **{fact: [record]}) == [("facts-missing", f"{fact}[0].{missing}")]


# -- ids and references --------------------------------------------------------------------------


@pytest.mark.parametrize("fact, records", [
    ("members", [{"id": "a", "status": "formal"}, {"id": "a", "status": "probationary"}]),
    ("meetings", [{"id": "m", "type": "congress", "date": "2023-01-05"},
                  {"id": "m", "type": "lecture", "date": "2023-01-06"}]),
    ("rectifications", [{"id": "r", "due": "2023-01-05"}, {"id": "r", "due": "2023-02-05"}]),
])
def test_duplicate_ids(std: starrules.Standard, fact: str, records: list[dict[str, Any]]) -> None:
    (p,) = problems(std, {**BASE, fact: records})
    assert (p.code, p.path, p.params["id"]) == ("facts-duplicate-id", f"{fact}[1].id", records[0]["id"])


MEMBERS = [{"id": "a", "status": "formal"}, {"id": "b", "status": "formal"}]


def test_a_committee_member_listed_twice(std: starrules.Standard) -> None:
    assert codes(std, members=MEMBERS, committee={"members": ["a", "b", "a"]}) == [
        ("facts-duplicate-item", "committee.members[2]")]


def test_a_committee_member_who_is_not_a_member(std: starrules.Standard) -> None:
    (p,) = problems(std, {**BASE, "members": MEMBERS, "committee": {"members": ["a", "z"]}})
    assert (p.code, p.path, p.params["value"], p.params["target"]) == (
        "facts-dangling-ref", "committee.members[1]", "z", "members")


def test_committee_references_are_checked_only_when_members_are_known(std: starrules.Standard) -> None:
    assert ok(std, committee={"members": ["x", "y"]})["committee"]["members"] == ("x", "y")
    assert ok(std, members=None, committee={"members": ["x"]})["members"] is UNKNOWN


def test_null_inside_a_list(std: starrules.Standard) -> None:
    assert codes(std, rules_adopted=["dues", None]) == [("facts-null-in-list", "rules_adopted[1]")]
    assert codes(std, members=[None]) == [("facts-null-in-list", "members[0]")]


# -- paths, positions, all problems at once --------------------------------------------------------


def test_paths_name_the_record_and_field(std: starrules.Standard, tmp_path: Path) -> None:
    members = "".join(f"  - {{id: M{i}, status: formal, training_hours: {h}}}\n"
                      for i, h in enumerate([40, 36, 32, -2]))
    path = yaml_file(tmp_path, "branch: {id: BR-1}\nyear: 2023\nmembers:\n" + members)
    (p,) = problems(std, path)
    assert (p.code, p.path, p.line, p.col) == ("facts-range", "members[3].training_hours", 7, 46)
    assert "members[3].training_hours" in p.message("en") and "members[3].training_hours" in p.message("zh")
    assert p.file == str(path)


def test_every_problem_of_a_document_at_once(std: starrules.Standard) -> None:
    doc = {"branch": {}, "year": "2023", "satisfaction": 2, "brand_level": "gold",
           "members": [{"id": "a", "status": "formal", "exempt": "no"}]}
    assert [(p.code, p.path) for p in problems(std, doc)] == [
        ("facts-invalid-value", "brand_level"),
        ("facts-missing", "branch.id"),
        ("facts-range", "satisfaction"),
        ("facts-type", "year"),
        ("facts-type", "members[0].exempt"),
    ]  # no positions for a Python mapping: sorted by code, then as found


def test_not_a_mapping(std: starrules.Standard) -> None:
    assert [p.code for p in problems(std, ["branch"])] == ["facts-not-mapping"]


# -- undeclared facts ------------------------------------------------------------------------------


def test_undeclared_facts_are_warnings_never_type_checked(std: starrules.Standard, tmp_path: Path) -> None:
    path = yaml_file(tmp_path, "branch: {id: BR-1}\nyear: 2023\ndisclosure: lots\n"
                               "members:\n  - {id: a, status: formal, traning_hours: many}\n")
    vf = starrules.validate_facts(std, path)
    got = [(w.code, w.path, w.line, w.col) for w in vf.warnings]
    assert got == [("facts-undeclared", "disclosure", 3, 1), ("facts-undeclared", "members[0].traning_hours", 5, 29)]
    assert "did you mean 'disclosures'" in vf.warnings[0].message("en")
    assert "training_hours" in vf.warnings[1].message("zh")
    assert "disclosure" not in vf.values and "traning_hours" not in vf.values["members"][0]


def test_validated_facts_identity(std: starrules.Standard) -> None:
    vf = starrules.validate_facts(std, BASE)
    assert (vf.branch_id, vf.year, vf.warnings) == ("BR-1", 2023, ())


# -- JSON ------------------------------------------------------------------------------------------


def test_json_numbers_are_exact_decimals(std: starrules.Standard, tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text('{"branch": {"id": "BR-1"}, "year": 2023, "satisfaction": 0.1,'
                    ' "funds_cny": 12345.678901234567890123,'
                    ' "members": [{"id": "a", "status": "formal", "training_hours": 31.99999999999999999}]}',
                    encoding="utf-8")
    values = starrules.validate_facts(std, path).values
    assert values["satisfaction"] == Decimal("0.1") and type(values["satisfaction"]) is Decimal
    assert values["funds_cny"] == Decimal("12345.678901234567890123")
    assert values["members"][0]["training_hours"] == Decimal("31.99999999999999999")
    assert values["members"][0]["training_hours"] < 32


def test_json_strictness(std: starrules.Standard, tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text('{"branch": {"id": "BR-1"}, "year": 2023.0}', encoding="utf-8")
    assert [(p.code, p.path) for p in problems(std, path)] == [("facts-type", "year")]
    path.write_text('{"branch": {"id": "BR-1"}, "year": 2023, "satisfaction": NaN}', encoding="utf-8")
    assert [p.code for p in problems(std, path)] == ["json-syntax"]


def test_json_duplicate_keys_are_refused(std: starrules.Standard, tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text('{"branch": {"id": "BR-1"},\n "year": 2023,\n "year": 2024}', encoding="utf-8")
    (p,) = problems(std, path)
    assert (p.code, p.path, p.line, p.params["first_line"]) == ("duplicate-key", "year", 3, 2)


def test_json_syntax_error_is_located(std: starrules.Standard, tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text('{"branch": {"id": "BR-1"},\n "year": 2023,\n}', encoding="utf-8")
    (p,) = problems(std, path)
    assert (p.code, p.line, p.col) == ("json-syntax", 3, 1)


def test_a_missing_facts_file(std: starrules.Standard, tmp_path: Path) -> None:
    assert [p.code for p in problems(std, tmp_path / "nope.yaml")] == ["file-not-found"]


def test_an_undeclared_record_field_is_noted_once() -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "five-star-branch.yaml"
    doc = starrules._api.read_document(example)[0]
    for member in doc["members"]:
        member["name"] = "某某"
    res = starrules.evaluate("prov-2023", doc)
    notes = [w for w in res.warnings if "name" in (w.path or "")]
    assert len(notes) == 1 and "members[].name" in notes[0].message.en
