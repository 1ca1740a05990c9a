"""Helpers for the engine tests: generated branches, mutations, and comparing engines."""

from __future__ import annotations

import copy
import json
import math
import random
import sys
from functools import cache
from pathlib import Path
from typing import Any

import starrules
from starrules._facts.read import parse_json

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import generate

SHIPPED = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")
YEAR = {"prov-2023": 2023, "port-group-2023": 2023, "prov-2024": 2024, "city-2023": 2023}
ODD = HERE / "standards" / "odd-rating.yaml"


@cache
def standard(sid: str) -> starrules.Standard:
    return starrules.load_standard(sid)


def as_json_doc(doc: dict[str, Any]) -> dict[str, Any]:
    """A document as a JSON reader sees it (exact decimals)."""
    return parse_json(json.dumps(doc))


def run(std: starrules.Standard, doc: Any, engine: str) -> tuple[Any, ...]:
    """A comparable outcome of one evaluation: the result as JSON without the engine name, or
    the error it raised."""
    try:
        res = std_evaluate(std, doc, engine)
    except starrules.StarrulesError as exc:
        return ("error", type(exc).__name__, str(exc))
    out = res.model_dump(mode="json")
    assert out["provenance"].pop("engine") == engine
    return ("ok", out)


def std_evaluate(std: starrules.Standard, doc: Any, engine: str) -> starrules.Result:
    return starrules.evaluate(std, copy.deepcopy(doc), engine=engine)


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f"{path}.{k}: only in one"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: length {len(a)} != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def assert_same(std: starrules.Standard, doc: Any) -> tuple[Any, ...]:
    native = run(std, doc, "native")
    durable = run(std, doc, "durable")
    if native != durable:
        raise AssertionError(f"engines disagree on {std.id}: {first_difference(native, durable)}")
    return native


# -- mutations: unknown facts and boundary values ---------------------------------------------

OPS = ("drop", "null", "drop_nested", "drop_field", "boundary", "nested_boundary", "hours",
       "attendance", "date", "year")


def _boundary_values(year: int) -> dict[str, list[Any]]:
    return {
        "satisfaction": [0.6, 0.59, 0.7, 0.69, 0.85, 0.84, 0, 1],
        "unit_kpi_completion": [1, 1.0, 0.99, 0, 1.5],
        "disclosures": [0, 1, 2, 3],
        "missing_records": [0, 1, 2, 3, 6, 7],
        "funds_cny": [0, 0.01, 1],
        "online_study_share": [0.9, 0.89, 0, 1],
        "review_score": [0, 60, 76, 80, 89.9, 90, 100],
        "integration_projects": [0, 1, 2],
        "brand_level": ["none", "company", "group", "province", "national"],
        "weak_lax_designated": [True, False],
        "recruitment_violation": [True, False],
        "party_affairs_worker": [True, False],
        "party_groups": [[], ["第一党小组"], ["第一党小组", "第二党小组"]],
        "rectifications": [[], [{"id": "RX", "due": f"{year}-12-31"}],
                           [{"id": "RX", "due": f"{year}-06-30", "closed": f"{year}-06-30"}]],
        "meetings": [[]],
        "members": [[], [{"id": "M1", "status": "formal"}]],
        "rules_adopted": [[], ["three_meetings_one_lecture", "theme_day", "org_life_meeting",
                               "democratic_review", "dues", "recruitment", "disclosure", "study"]],
        "plan_date": [f"{year}-03-31", f"{year}-04-01", f"{year}-06-30", f"{year}-07-01"],
        "summary_date": [f"{year + 1}-01-15", f"{year + 1}-01-16", f"{year + 1}-01-31", f"{year + 1}-02-01"],
        "responsibility_review_done": [True, False],
    }


def _nested_values(year: int) -> dict[tuple[str, str], list[Any]]:
    return {
        ("discipline", "minor_cases"): [0, 1, 2, 3, 4],
        ("discipline", "serious_cases"): [0, 1],
        ("honours", "members"): [0, 1, 3, 4],
        ("honours", "branch"): ["none", "group", "province", "national"],
        ("democratic_review", "held"): [True, False],
        ("democratic_review", "participants"): [0, 19, 20],
        ("democratic_review", "eligible"): [0, 20],
        ("democratic_review", "excellent"): [0, 3, 4],
        ("democratic_review", "rated"): [9, 12],
        ("recruitment", "activists"): [0, 1],
        ("recruitment", "candidates"): [0, 1],
        ("secretary", "rotation_trainings"): [0, 1],
        ("secretary", "in_post"): [True, False],
        ("secretary", "is_unit_leader"): [True, False],
        ("secretary", "appointed"): [f"{year - 1}-07-01", f"{year - 1}-06-30", f"{year}-06-30", f"{year}-07-01"],
        ("secretary", "induction_training"): [f"{year - 1}-12-31", f"{year}-01-01", f"{year}-12-31"],
        ("secretary", "party_since"): [f"{year - 2}-06-30", f"{year - 1}-07-01"],
        ("committee", "established"): [True, False],
        ("committee", "roles"): [[], ["secretary", "organization", "propaganda", "discipline"]],
        ("term", "start"): [f"{year - 3}-12-31", f"{year - 2}-01-01", f"{year - 3}-01-01"],
        ("term", "years"): [1, 3, 10],
        ("venue", "has_venue"): [True, False],
        ("venue", "items"): [[], ["flag", "oath_wall", "bookshelf", "bulletin"]],
        ("care", "targets"): [[], ["M001"]],
        ("incidents", "major_safety_or_quality"): [True, False],
        ("incidents", "mass_incident"): [True, False],
    }


def mutate(doc: dict[str, Any], ops: list[tuple[str, int, int]]) -> dict[str, Any]:
    """Apply mutations to a generated document (in place; returns it)."""
    year = doc["year"] if isinstance(doc.get("year"), int) else 2023
    boundary = _boundary_values(year)
    nested = _nested_values(year)
    for op, a, b in ops:
        keys = [k for k in doc if k not in ("branch", "year")]
        if op in ("drop", "null") and keys:
            key = keys[a % len(keys)]
            if op == "drop":
                del doc[key]
            else:
                doc[key] = None
        elif op == "drop_nested":
            objs = [k for k in keys if isinstance(doc[k], dict) and doc[k]]
            if objs:
                obj = doc[objs[a % len(objs)]]
                fields = sorted(obj)
                del obj[fields[b % len(fields)]]
        elif op == "drop_field":
            lists = [k for k in ("members", "meetings", "rectifications") if isinstance(doc.get(k), list) and doc[k]]
            if lists:
                items = doc[lists[a % len(lists)]]
                item = items[(a // 7) % len(items)]
                fields = sorted(item) if isinstance(item, dict) else []
                if not fields:
                    continue
                # mostly the optional fields (unknowns), sometimes a required one (an error)
                optional = [f for f in fields if f not in ("id", "status", "type", "date", "due")] or fields
                pool = fields if b % 10 == 0 else optional
                del item[pool[b % len(pool)]]
        elif op == "boundary":
            key = sorted(boundary)[a % len(boundary)]
            values = boundary[key]
            doc[key] = copy.deepcopy(values[b % len(values)])
        elif op == "nested_boundary":
            (obj, field), values = sorted(nested.items())[a % len(nested)]
            if not isinstance(doc.get(obj), dict):
                doc[obj] = {}
            doc[obj][field] = copy.deepcopy(values[b % len(values)])
        elif op == "hours":
            members = doc.get("members")
            if isinstance(members, list) and members:
                m = members[a % len(members)]
                m["training_hours"] = (32, 31.99, 0, 32.0, 48)[b % 5]
                if b % 7 == 0:
                    m["exempt"] = not m.get("exempt", False)
                if b % 11 == 0:
                    m["dues_unpaid_months"] = [1, 2, 3, 4, 5, 6] if b % 2 else [1, 3, 5, 7, 9, 11]
        elif op == "attendance":
            meetings = doc.get("meetings")
            if isinstance(meetings, list) and meetings:
                mt = meetings[a % len(meetings)]
                expected = mt.get("expected") if isinstance(mt.get("expected"), int) else 10
                mt["expected"] = expected
                mt["present"] = max(0, (math.ceil(0.8 * expected), math.ceil(0.8 * expected) - 1,
                                        math.ceil(expected / 2), math.ceil(expected / 2) - 1,
                                        math.ceil(0.9 * expected), expected, 0)[b % 7])
        elif op == "date":
            meetings = doc.get("meetings")
            if isinstance(meetings, list) and meetings:
                mt = meetings[a % len(meetings)]
                mt["date"] = (f"{year - 1}-12-31", f"{year}-01-01", f"{year}-12-31", f"{year + 1}-01-01",
                              f"{year}-06-30", f"{year}-07-01")[b % 6]
        elif op == "year":
            doc["year"] = year + (1 if b % 2 else -1)
    return doc


def branch(std_id: str, seed: int, profile: str | None, ops: list[tuple[str, int, int]]) -> dict[str, Any]:
    doc = generate.generate_branch(random.Random(seed), YEAR[std_id], profile=profile, branch_id=f"H{seed}")
    return as_json_doc(mutate(doc, ops))
