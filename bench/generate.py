"""Generator of realistic branch facts documents for benchmarks and differential tests.

Public API::

    generate_branch(rng, year=2023, *, profile=None, branch_id=None) -> dict
    generate(n, seed=0, year=2023) -> Iterator[dict]

CLI::

    python bench/generate.py N --seed S --year Y -o out.jsonl

Documents are JSON-serialisable: dates are ISO strings, numbers are ints or floats with
at most two decimals (``json.dumps`` writes their shortest repr, so a reader using
``parse_float=Decimal`` gets the exact decimal).  Only the standard library is used.

A branch is drawn from a *profile* (``exemplary``, ``standard``, ``lapsed``, ``weak``,
``veto``) that decides which requirements it breaks ("defects"), plus a star quality that
decides, per dimension, whether its star indicators hold.  About 10 % of branches also get
one or two unknown facts (an omitted top-level key, a meeting's ``present``, a group
meeting's ``group``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Iterator

__all__ = ["generate_branch", "generate", "PROFILES"]

PROFILES = ("exemplary", "standard", "lapsed", "weak", "veto")
_PROFILE_WEIGHTS = (12, 45, 28, 7, 8)

UNITS = (
    "集团本部机关", "第一港务分公司", "第二港务分公司", "集装箱码头公司", "散货码头公司",
    "港口物流公司", "船舶代理公司", "港口建设公司", "引航站", "港务工程公司",
    "信息技术公司", "港口装备公司", "拖轮公司", "理货公司", "港口保安公司",
    "港务医院", "港口职业技术学校", "财务共享中心", "物业管理公司", "港口投资公司",
)
_DEPTS = ("综合办公室", "生产业务部", "安全监督部", "技术设备部", "财务部", "市场营销部",
          "装卸一队", "装卸二队", "机修车间", "调度中心", "客户服务中心", "工程管理部")
_GROUP_NAMES = ("第一党小组", "第二党小组", "第三党小组")
_RULES8 = ("three_meetings_one_lecture", "theme_day", "org_life_meeting", "democratic_review",
           "dues", "recruitment", "disclosure", "study")
_RULES_EXTRA = ("secretary_report", "talk", "party_member_contact", "file_management")
_ROLES4 = ("secretary", "organization", "propaganda", "discipline")
_ITEMS4 = ("flag", "oath_wall", "bookshelf", "bulletin")
_TOPICS = ("study", "recruitment", "discipline", "safety", "reform", "welfare", "dues")
_DIMS = ("ORG", "TEAM", "ACT", "ROLE", "INST", "SUP")

# defects: (name, kind).  "req" break a prov-2023 required indicator, "veto" a veto.
_REQ_DEFECTS = (
    "few_formal", "no_committee", "committee_bad", "no_secretary", "term_overdue",
    "secretary_young", "no_rotation", "induction_late", "training_low", "dues6",
    "congress_gap", "committee_gap", "lecture_gap", "theme_gap", "no_org_life",
    "review_bad", "business_gap", "satisfaction_low", "rules_missing", "plan_late",
    "congress_quorum", "committee_quorum", "no_venue", "no_funds", "no_worker",
)
_VETO_DEFECTS = ("weak_lax", "serious_case", "major_incident", "mass_incident",
                 "recruitment_violation", "dormant")
_UNKNOWN_KEYS = (
    "satisfaction", "unit_kpi_completion", "funds_cny", "disclosures", "brand_level",
    "honours", "missing_records", "party_groups", "rectifications", "discipline",
    "incidents", "plan_date", "summary_date", "rules_adopted", "care", "venue",
    "recruitment", "weak_lax_designated", "democratic_review", "secretary", "term",
    "committee", "party_affairs_worker", "recruitment_violation", "meetings", "members",
)


# --------------------------------------------------------------------------- helpers


def _mdays(y: int, m: int) -> int:
    if m == 12:
        return 31
    return (date(y, m + 1, 1) - date(y, m, 1)).days


def _add_years(d: date, n: int) -> date:
    y = d.year + n
    return date(y, d.month, min(d.day, _mdays(y, d.month)))


def _add_months(d: date, n: int) -> date:
    t = d.year * 12 + d.month - 1 + n
    y, m0 = divmod(t, 12)
    return date(y, m0 + 1, min(d.day, _mdays(y, m0 + 1)))


def _day_in(rng: random.Random, y: int, m: int, lo: int = 1, hi: int | None = None) -> date:
    hi = _mdays(y, m) if hi is None else min(hi, _mdays(y, m))
    return date(y, m, rng.randint(lo, hi))


def _between(rng: random.Random, a: date, b: date) -> date:
    return a + timedelta(days=rng.randint(0, max(0, (b - a).days)))


def _money(rng: random.Random, lo: int, hi: int):
    v = rng.randint(lo, hi)
    if rng.random() < 0.4:
        return round(v + rng.randint(0, 99) / 100, 2)
    return v


def _share(rng: random.Random, lo: float, hi: float) -> float:
    return round(rng.uniform(lo, hi), 2)


def _spread(total: int, k: int) -> list[int]:
    """Split total into k near-equal non-negative ints."""
    base, extra = divmod(total, k)
    return [base + (1 if i < extra else 0) for i in range(k)]


# --------------------------------------------------------------------------- branch


def generate_branch(rng: random.Random, year: int = 2023, *, profile: str | None = None,
                    branch_id: str | None = None) -> dict:
    """One branch's facts for evaluation year ``year``.

    ``profile`` is one of PROFILES (random when None).  ``branch_id`` defaults to a random
    "B" + 6 digits id (``generate`` passes unique sequential ids).
    """
    Y = year
    if profile is None:
        profile = rng.choices(PROFILES, _PROFILE_WEIGHTS)[0]
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    if branch_id is None:
        branch_id = f"B{rng.randint(0, 999999):06d}"

    # ---- what this branch gets wrong
    defects: set[str] = set()
    if profile == "exemplary":
        sq = rng.uniform(0.8, 1.0)
    elif profile == "standard":
        sq = rng.uniform(0.05, 0.95)
    elif profile == "lapsed":
        sq = rng.uniform(0.05, 0.9)
        defects.update(rng.sample(_REQ_DEFECTS, rng.choice((1, 1, 1, 2, 2, 3))))
    elif profile == "weak":
        sq = rng.uniform(0.0, 0.5)
        defects.update(rng.sample(_REQ_DEFECTS, rng.randint(4, 9)))
    else:  # veto
        sq = rng.uniform(0.0, 0.9)
        defects.add(rng.choice(_VETO_DEFECTS))
        if rng.random() < 0.4:
            defects.update(rng.sample(_REQ_DEFECTS, rng.randint(1, 2)))
    # per dimension: do its star indicators hold?
    dim_ok = {d: rng.random() < sq for d in _DIMS}

    def star(dim: str, p_fail_if_bad: float = 0.55) -> bool:
        """Should one star fact of `dim` hold?  A bad dimension fails some of its stars."""
        if dim_ok[dim]:
            return rng.random() < 0.985
        return rng.random() >= p_fail_if_bad

    unit = rng.choice(UNITS)
    facts: dict = {
        "branch": {"id": branch_id, "name": f"{unit}{rng.choice(_DEPTS)}党支部", "unit": unit},
        "year": Y,
    }

    # ---- members
    r = rng.random()
    if "few_formal" in defects:
        n = rng.randint(3, 5)
    elif r < 0.06:
        n = rng.randint(3, 4)
    elif r < 0.84:
        n = rng.randint(5, 30)
    elif r < 0.96:
        n = rng.randint(31, 50)
    else:
        n = rng.randint(51, 60)
    if n > 50 and dim_ok["ORG"]:
        n = rng.randint(35, 50)   # ORG-02 is a star of ORG
    p_prob = 0.08 if rng.random() < 0.7 else 0.0
    statuses = ["probationary" if rng.random() < p_prob else "formal" for _ in range(n)]
    if "few_formal" in defects:
        k_formal = rng.randint(1, 2)
        statuses = ["formal"] * k_formal + ["probationary"] * (n - k_formal)
    elif statuses.count("formal") < 3:
        statuses = ["formal"] * 3 + statuses[3:]
    rng.shuffle(statuses)
    ids = [f"M{j + 1:03d}" for j in range(n)]
    members = []
    for mid, status in zip(ids, statuses):
        m = {"id": mid, "status": status}
        if status == "formal" and rng.random() < 0.05:
            m["exempt"] = True
        elif rng.random() < 0.15:
            m["exempt"] = False
        members.append(m)
    formal = [m for m in members if m["status"] == "formal"]
    ne = [m for m in members if not m.get("exempt")]
    nF = len(formal)

    # training hours (TEAM-03 required share, TEAM-04 star "all")
    if "training_low" in defects:
        n_below = max(1, -(-len(ne) * 3 // 10) + rng.randint(0, 2))   # > 20 % below
    elif star("TEAM", 0.35):
        n_below = 0
    else:
        # at most 20 % below: passes prov (0.8), sometimes fails port-group (0.9)
        n_below = rng.randint(1, max(1, len(ne) // 5)) if len(ne) >= 5 else 0
    n_below = min(n_below, len(ne))
    below = set(id(m) for m in rng.sample(ne, n_below))
    for m in ne:
        if id(m) in below:
            h = rng.choice((round(rng.uniform(4, 31.9), 1), rng.randint(8, 31), 31.5, 31.9))
        else:
            h = rng.choice((32, 32, rng.randint(32, 64), round(rng.uniform(32, 60), 1), 40, 48))
        if h == 0 or (id(m) in below and rng.random() < 0.05):
            continue  # absent = default 0
        m["training_hours"] = h
    for m in members:
        if m.get("exempt") and rng.random() < 0.5:
            m["training_hours"] = rng.randint(0, 20)

    # volunteering (ROLE-02 star)
    role_vol_ok = star("ROLE", 0.4)
    for m in members:
        m["volunteer_services"] = rng.randint(1, 8) if rng.random() < 0.8 else 0
    if role_vol_ok:
        need = -(-8 * len(ne) // 10)     # ceil(0.8 |NE|): exactly the threshold
        have = [m for m in ne if m["volunteer_services"] >= 1]
        for m in ne:
            if len(have) >= need:
                break
            if m["volunteer_services"] == 0:
                m["volunteer_services"] = rng.randint(1, 3)
                have.append(m)
    else:
        k0 = rng.randint(len(ne) // 5 + 1, max(len(ne) // 5 + 1, len(ne) // 2)) if ne else 0
        for m in rng.sample(ne, min(k0, len(ne))):
            m["volunteer_services"] = 0
    for m in members:
        if m["volunteer_services"] == 0 and rng.random() < 0.3:
            del m["volunteer_services"]    # absent = default 0

    # pioneer posts (ROLE-01 star: >= half of F)
    if star("ROLE", 0.4):
        k = rng.randint(-(-nF // 2), nF)
    else:
        k = rng.randint(0, max(0, (nF - 1) // 2))
    for m in rng.sample(formal, k):
        m["pioneer_post"] = True
    for m in formal:
        if "pioneer_post" not in m and rng.random() < 0.1:
            m["pioneer_post"] = False

    # dues (TEAM-05 required: no 6 consecutive unpaid; TEAM-06 star: none unpaid)
    if "dues6" in defects:
        m = rng.choice(members)
        a = rng.randint(1, 7)
        m["dues_unpaid_months"] = list(range(a, a + rng.randint(6, 13 - a)))
    elif not star("TEAM", 0.45):
        for m in rng.sample(members, rng.randint(1, min(3, n))):
            if rng.random() < 0.2:
                m["dues_unpaid_months"] = [1, 2, 3, 4, 5, 7]   # five in a row only
            else:
                m["dues_unpaid_months"] = sorted(rng.sample(range(1, 13), rng.randint(1, 3)))
    elif rng.random() < 0.05:
        rng.choice(members)["dues_unpaid_months"] = []
    facts["members"] = members

    # ---- committee (ORG-03/04, ACT-02, INST-04)
    if "no_committee" in defects and nF < 7:
        # make the branch big enough to need a committee
        while nF < 7:
            mid = f"M{len(members) + 1:03d}"
            m = {"id": mid, "status": "formal", "training_hours": 40, "volunteer_services": 2}
            members.append(m)
            formal.append(m)
            ne.append(m)
            nF += 1
        n = len(members)
    if "no_committee" in defects:
        established = False
    elif nF >= 7:
        established = True
    else:
        established = nF >= 3 and rng.random() < 0.25
    committee: dict = {"established": established}
    if established:
        size = rng.choice((3, 5, 5, 5, 7)) if nF >= 7 else 3
        roles = list(_ROLES4)
        if size >= 5 and rng.random() < 0.6:
            roles.append("deputy_secretary")
        if rng.random() < 0.2:
            roles.append(rng.choice(("youth", "worker_union", "women")))
        if "committee_bad" in defects:
            if rng.random() < 0.5:
                roles.remove(rng.choice(("organization", "propaganda", "discipline")))
            else:
                size = rng.choice((2, 8, 9)) if nF >= 9 else 2
        pool = formal if len(formal) >= size else members
        cm = [m["id"] for m in rng.sample(pool, min(size, len(pool)))]
        committee["members"] = cm
        committee["roles"] = roles
    elif rng.random() < 0.5:
        committee["members"] = []
        committee["roles"] = []
    facts["committee"] = committee
    committee_size = len(committee.get("members", []))

    # ---- term (ORG-06)
    years = 3 if rng.random() < 0.85 else 5
    if "term_overdue" in defects:
        start = rng.choice((date(Y - years, 12, 30), _day_in(rng, Y - years, rng.randint(1, 12)),
                            date(2020, 2, 29) if years == 3 and Y == 2023 else
                            date(Y - years - 1, rng.randint(1, 12), 15)))
        if _add_years(start, years) >= date(Y, 12, 31):
            start = date(Y - years, 6, 1)
    else:
        r = rng.random()
        if r < 0.12:
            start = date(Y - years, 12, 31)   # ends exactly on 31 Dec Y
        else:
            start = _between(rng, date(Y - years + 1, 1, 1), date(Y, 11, 30))
    term = {"start": start.isoformat()}
    if years != 3 or rng.random() < 0.5:
        term["years"] = years
    facts["term"] = term

    # ---- secretary (ORG-05/07/08, TEAM-01/02)
    r = rng.random()
    if "induction_late" in defects or r < 0.28:
        # recently appointed: TEAM-02's six-month deadline may fall in Y
        appointed = rng.choice((
            date(Y, 6, 30), date(Y, 7, 1), date(Y - 1, 8, 31), date(Y - 1, 7, 1),
            date(Y - 1, 6, 30), _day_in(rng, Y - 1, rng.randint(7, 12)),
            _day_in(rng, Y, rng.randint(1, 6)), _day_in(rng, Y, rng.randint(7, 11)),
        ))
        if "induction_late" in defects and _add_months(appointed, 6).year != Y:
            appointed = rng.choice((date(Y - 1, 8, 31), date(Y, 6, 30),
                                    _day_in(rng, Y, rng.randint(1, 6))))
    else:
        appointed = _between(rng, date(Y - 9, 1, 1), date(Y - 1, 6, 1))
    deadline = _add_months(appointed, 6)
    if "secretary_young" in defects:
        party_since = _add_months(appointed, -rng.randint(1, 11))
    elif rng.random() < 0.1:
        party_since = _add_years(appointed, -1)      # exactly one year: passes
    else:
        party_since = _between(rng, date(appointed.year - 30, 1, 1), _add_years(appointed, -2))
    secretary: dict = {
        "in_post": "no_secretary" not in defects,
        "party_since": party_since.isoformat(),
        "appointed": appointed.isoformat(),
        "rotation_trainings": 0 if "no_rotation" in defects else rng.choice((1, 1, 1, 2, 2, 3)),
        "is_unit_leader": star("ORG", 0.6),
    }
    if deadline.year == Y:
        if "induction_late" in defects:
            if rng.random() < 0.5:
                secretary["induction_training"] = (deadline + timedelta(
                    days=rng.randint(1, 60))).isoformat()
        elif rng.random() < 0.15:
            secretary["induction_training"] = deadline.isoformat()   # on the deadline
        else:
            secretary["induction_training"] = _between(
                rng, appointed + timedelta(days=7), deadline).isoformat()
    elif deadline.year < Y and rng.random() < 0.7:
        secretary["induction_training"] = _between(
            rng, appointed + timedelta(days=7), deadline).isoformat()
    facts["secretary"] = secretary

    # ---- party groups
    if n <= 6 and rng.random() < 0.4:
        groups: list[str] = []
    else:
        groups = list(_GROUP_NAMES[:max(1, min(3, n // 8 + rng.randint(0, 1)))])
    facts["party_groups"] = groups

    # ---- meetings
    meetings: list[dict] = []

    def add(t: str, d: date, present: int | None = None, expected: int | None = None,
            topics: list[str] | None = None, group: str | None = None) -> dict:
        mt: dict = {"type": t, "date": d.isoformat()}
        if present is not None:
            mt["present"] = present
        if expected is not None:
            mt["expected"] = expected
        if group is not None:
            mt["group"] = group
        if topics:
            mt["topics"] = topics
        elif rng.random() < 0.1:
            mt["topics"] = []
        meetings.append(mt)
        return mt

    dormant = "dormant" in defects
    dormant_months = set()
    if dormant:
        a = rng.randint(1, 7)
        dormant_months = set(range(a, a + rng.randint(6, 8)))

    def active(m: int) -> bool:
        return m not in dormant_months

    def attend(expected: int, rate: float) -> int:
        if expected == 0:
            return 0
        p = sum(1 for _ in range(expected) if rng.random() < rate)
        if rng.random() < 0.03:
            p += 1      # 列席 guest: present above expected is possible
        return p

    # theme days: monthly (ACT-05), attendance (ACT-06 star, 0.8 / 0.9 port-group)
    theme_months = set(range(1, 13))
    if "theme_gap" in defects:
        theme_months -= set(rng.sample(range(1, 13), rng.randint(1, 6 if profile == "weak" else 3)))
    theme_months = {m for m in theme_months if active(m)}
    extra = [m for m in theme_months if rng.random() < 0.08]
    t_dates = sorted([_day_in(rng, Y, m) for m in theme_months] +
                     [_day_in(rng, Y, m) for m in extra])
    E = len(ne) if rng.random() < 0.7 else n
    if t_dates:
        k = len(t_dates)
        total_e = E * k
        mode = rng.random()
        act_ok = star("ACT", 0.5)
        if act_ok:
            if mode < 0.25:
                P = -(-8 * total_e // 10)          # exactly at / just above 80 %
            elif mode < 0.45:
                P = -(-9 * total_e // 10)          # exactly at / just above 90 %
            else:
                P = rng.randint(-(-8 * total_e // 10), total_e)
        else:
            if mode < 0.3:
                P = max(0, -(-8 * total_e // 10) - 1)   # just below 80 %
            else:
                P = rng.randint(total_e // 2, max(total_e // 2, -(-8 * total_e // 10) - 1))
        for d, p in zip(t_dates, _spread(P, k)):
            add("theme_day", d, p, E, topics=rng.sample(_TOPICS, rng.randint(0, 2)))

    # congress: quarterly (ACT-01), half present (INST-03)
    cq = {1, 2, 3, 4}
    if "congress_gap" in defects:
        cq.discard(rng.randint(1, 4))
    ev = nF
    quorum_bad_done = False
    for q in sorted(cq):
        for _ in range(2 if rng.random() < 0.1 else 1):
            mo = rng.randint(3 * q - 2, 3 * q)
            if not active(mo):
                continue
            if "congress_quorum" in defects and not quorum_bad_done:
                p = (ev - 1) // 2                     # below half
                quorum_bad_done = True
            elif ev % 2 == 0 and rng.random() < 0.08:
                p = ev // 2                           # exactly half: passes
            else:
                p = max(-(-ev // 2), attend(ev, 0.88))
            add("congress", _day_in(rng, Y, mo), p, ev,
                topics=rng.sample(_TOPICS, rng.randint(0, 2)))

    # committee: monthly (ACT-02), half present (INST-04); carries "business" (ROLE-03)
    business_q = {1, 2, 3, 4}
    if "business_gap" in defects:
        business_q.discard(rng.randint(1, 4))
    if established:
        cm_months = set(range(1, 13))
        if "committee_gap" in defects:
            cm_months -= set(rng.sample(range(1, 13), rng.randint(1, 2)))
        quorum_bad_done = False
        for mo in sorted(cm_months):
            if not active(mo):
                continue
            ev = committee_size
            if "committee_quorum" in defects and not quorum_bad_done:
                p = (ev - 1) // 2
                quorum_bad_done = True
            elif ev % 2 == 0 and rng.random() < 0.1:
                p = ev // 2
            else:
                p = max(-(-ev // 2), attend(ev, 0.93))
            q = (mo + 2) // 3
            tp = rng.sample(_TOPICS, rng.randint(0, 2))
            if q in business_q and rng.random() < 0.6:
                tp.append("business")
            add("committee", _day_in(rng, Y, mo), p, ev, topics=tp)
    # make sure each quarter in business_q has a meeting whose topics include "business"
    # (attached to an existing meeting of that quarter, so no other defect is undone)
    have_bq = {(int(mt["date"][5:7]) + 2) // 3
               for mt in meetings if "business" in mt.get("topics", ())}
    for q in sorted(business_q - have_bq):
        cands = [mt for mt in meetings if (int(mt["date"][5:7]) + 2) // 3 == q]
        if cands:
            mt = rng.choice(cands)
            mt["topics"] = list(mt.get("topics", [])) + ["business"]

    # group meetings: each group monthly (ACT-03 star)
    group_ok = star("ACT", 0.5)
    gsize = max(1, n // max(1, len(groups))) if groups else 0
    for gi, gname in enumerate(groups):
        gm = set(range(1, 13))
        if not group_ok and (gi == 0 or rng.random() < 0.5):
            gm -= set(rng.sample(range(1, 13), rng.randint(1, 2)))
        for mo in sorted(gm):
            if active(mo):
                add("group", _day_in(rng, Y, mo), attend(gsize, 0.9), gsize, group=gname,
                    topics=rng.sample(_TOPICS, rng.randint(0, 1)))

    # lectures: quarterly (ACT-04)
    lq = {1, 2, 3, 4}
    if "lecture_gap" in defects:
        lq.discard(rng.randint(1, 4))
    for q in sorted(lq):
        mo = rng.randint(3 * q - 2, 3 * q)
        if active(mo):
            add("lecture", _day_in(rng, Y, mo), attend(len(ne), 0.9), len(ne),
                topics=["study"] if rng.random() < 0.5 else None)

    # org_life: yearly (ACT-07)
    if "no_org_life" in defects:
        if rng.random() < 0.6:   # held for Y, but dated in December of Y-1: does not count
            add("org_life", _day_in(rng, Y - 1, 12, 15), attend(n, 0.95), n)
    else:
        mo = rng.choice((1, 1, 2, 2, 3, 6, 12, 12))
        if not active(mo):
            mo = next(m for m in (1, 2, 3, 12, 11, 10) if active(m))
        add("org_life", _day_in(rng, Y, mo), attend(n, 0.95), n)

    # meetings of the previous (and next) year: must not count
    if rng.random() < 0.35:
        for _ in range(rng.randint(1, 3)):
            t = rng.choice(("theme_day", "congress", "lecture", "committee", "group"))
            if t == "committee" and not established:
                t = "theme_day"
            if t == "group" and not groups:
                t = "lecture"
            d = _day_in(rng, Y - 1, rng.choice((11, 12)))
            if t == "group":
                add(t, d, attend(gsize, 0.9), gsize, group=groups[0])
            else:
                add(t, d, rng.randint(0, 2), max(n, 3), topics=["business"])
    if rng.random() < 0.1:
        add("theme_day", _day_in(rng, Y + 1, 1, 1, 10), n, n)

    meetings.sort(key=lambda mt: mt["date"])
    for i, mt in enumerate(meetings):
        mt_id = {"id": f"MT{i + 1:04d}"}
        mt_id.update(mt)
        meetings[i] = mt_id
    facts["meetings"] = meetings

    # ---- democratic review (ACT-08 required, ACT-09 star)
    rated = nF if rng.random() < 0.6 else n
    dr: dict = {"held": True, "rated": rated}
    if "review_bad" in defects:
        if rng.random() < 0.5:
            dr["held"] = False
            dr["excellent"] = 0
        else:
            dr["excellent"] = rated // 3 + 1
    else:
        dr["excellent"] = rated // 3 if rng.random() < 0.3 else rng.randint(0, rated // 3)
    elig = len(ne)
    dr["eligible"] = elig
    if star("ACT", 0.5):
        dr["participants"] = rng.choice((-(-95 * elig // 100), elig, elig))
    else:
        dr["participants"] = max(0, -(-95 * elig // 100) - rng.randint(1, 2))
    if not dr["held"]:
        dr["participants"] = 0
    facts["democratic_review"] = dr

    # ---- recruitment (TEAM-07 star)
    n_prob = n - nF
    if star("TEAM", 0.45):
        acts = rng.randint(1, 4)
        cands = rng.randint(0 if n_prob else 1, 2)
    else:
        acts = 0 if rng.random() < 0.6 else rng.randint(1, 2)
        cands = 0 if acts else rng.randint(0, 1)
        if acts and n_prob:
            acts = 0
    facts["recruitment"] = {"applicants": rng.randint(acts, acts + 6), "activists": acts,
                            "candidates": cands}

    # ---- rules, plan, summary, disclosures (INST)
    rules = list(_RULES8)
    if "rules_missing" in defects:
        for x in rng.sample(_RULES8, rng.randint(1, 3)):
            rules.remove(x)
    rules += rng.sample(_RULES_EXTRA, rng.randint(0, 2))
    rng.shuffle(rules)
    facts["rules_adopted"] = rules
    if "plan_late" in defects and rng.random() < 0.6:
        plan = rng.choice((date(Y, 4, 1), _day_in(rng, Y, rng.randint(4, 6)),
                           _day_in(rng, Y, rng.randint(7, 9))))
    else:
        plan = rng.choice((date(Y, 3, 31), _day_in(rng, Y - 1, 12, 10),
                           _day_in(rng, Y, rng.randint(1, 3)), _day_in(rng, Y, rng.randint(1, 3))))
    if "plan_late" in defects and plan <= date(Y, 3, 31):
        summ = rng.choice((date(Y + 1, 1, 16), _day_in(rng, Y + 1, 1, 16),
                           _day_in(rng, Y + 1, 2)))
    else:
        summ = rng.choice((date(Y + 1, 1, 15), _day_in(rng, Y, 12, 15),
                           _day_in(rng, Y + 1, 1, 1, 15)))
    facts["plan_date"] = plan.isoformat()
    facts["summary_date"] = summ.isoformat()
    inst_ok = star("INST", 0.5)
    facts["disclosures"] = rng.randint(2, 6) if inst_ok else rng.randint(0, 1)

    # ---- rectifications (INST-06 star, INST-07 deduction)
    rects = []
    nr = rng.choice((0, 0, 1, 1, 2, 3, 4)) if rng.random() < 0.75 else 0
    rect_ok = star("INST", 0.5)
    for i in range(nr):
        due = rng.choice((_day_in(rng, Y, rng.randint(1, 12)), _day_in(rng, Y, rng.randint(1, 12)),
                          date(Y, 12, 31), _day_in(rng, Y - 1, rng.randint(6, 12)),
                          _day_in(rng, Y + 1, rng.randint(1, 3))))
        rec: dict = {"id": f"R{i + 1:02d}", "due": due.isoformat()}
        r = rng.random()
        if rect_ok or r < 0.5:      # closed on time (sometimes on the due date itself)
            closed = due - timedelta(days=rng.choice((0, 0, 3, 10, 30)))
            rec["closed"] = closed.isoformat()
        elif r < 0.75:
            rec["closed"] = (due + timedelta(days=rng.randint(1, 20))).isoformat()   # late
        elif r < 0.9:
            rec["closed"] = _day_in(rng, Y + 1, 1, 1, 20).isoformat()   # after 31 Dec Y
        # else: still open
        rects.append(rec)
    facts["rectifications"] = rects

    # ---- venue, funds, worker (SUP)
    items = list(_ITEMS4)
    if not star("SUP", 0.55):
        for x in rng.sample(_ITEMS4, rng.randint(1, 2)):
            items.remove(x)
    items += rng.sample(("screen", "honor_wall", "reading_corner"), rng.randint(0, 2))
    rng.shuffle(items)
    facts["venue"] = {"has_venue": "no_venue" not in defects, "items": items}
    facts["funds_cny"] = 0 if "no_funds" in defects else _money(rng, 1500, 80000)
    facts["party_affairs_worker"] = "no_worker" not in defects
    n_targets = rng.choice((0, 1, 1, 2, 2, 3))
    targets = [m["id"] for m in rng.sample(members, min(n_targets, n))]
    visited = list(targets)
    if targets and not star("SUP", 0.55):
        visited.remove(rng.choice(targets))
    visited += [m["id"] for m in rng.sample(members, min(n, rng.randint(0, 2)))
                if m["id"] not in visited]
    facts["care"] = {"targets": targets, "visited": visited}

    # ---- role: satisfaction, KPI, brand, honours
    if "satisfaction_low" in defects:
        sat = rng.choice((0.59, _share(rng, 0.4, 0.59)))
    elif star("ROLE", 0.5):
        sat = rng.choice((0.85, _share(rng, 0.85, 1.0), _share(rng, 0.86, 0.98)))
    else:
        sat = rng.choice((0.6, 0.7, 0.69, 0.84, _share(rng, 0.6, 0.84), _share(rng, 0.7, 0.84)))
    facts["satisfaction"] = sat
    if star("ROLE", 0.5):
        facts["unit_kpi_completion"] = rng.choice((1, 1.0, _share(rng, 1.0, 1.3)))
    else:
        facts["unit_kpi_completion"] = rng.choice((0.99, _share(rng, 0.7, 0.99)))
    bw = {"exemplary": (15, 20, 35, 20, 10), "standard": (45, 30, 18, 6, 1)}.get(
        profile, (65, 25, 8, 2, 0))
    facts["brand_level"] = rng.choices(("none", "company", "group", "province", "national"),
                                       bw)[0]
    hw = (50, 30, 15, 5) if profile == "exemplary" else (88, 9, 3, 0.5)
    facts["honours"] = {"branch": rng.choices(("none", "group", "province", "national"), hw)[0],
                        "members": rng.choice((0, 0, 0, 1, 1, 2, 3, 4))}

    # ---- discipline, incidents, designations (vetoes and deductions)
    minor = 0 if rng.random() < {"exemplary": 0.93, "standard": 0.8}.get(profile, 0.6) else \
        rng.choice((1, 1, 2, 3) if profile != "weak" else (2, 3, 4))
    facts["discipline"] = {"serious_cases": 1 if "serious_case" in defects else 0,
                           "minor_cases": minor}
    facts["incidents"] = {"major_safety_or_quality": "major_incident" in defects,
                          "mass_incident": "mass_incident" in defects}
    facts["weak_lax_designated"] = "weak_lax" in defects
    facts["recruitment_violation"] = "recruitment_violation" in defects
    facts["missing_records"] = 0 if rng.random() < {"exemplary": 0.92, "standard": 0.78}.get(
        profile, 0.6) else rng.choice((1, 1, 2, 3, 5, 7) if profile != "weak" else (4, 6, 9))

    # ---- port group, prov-2024 and city facts (present most of the time)
    if rng.random() < 0.95:
        facts["integration_projects"] = rng.randint(1, 4) if dim_ok["ROLE"] and \
            rng.random() < 0.9 else rng.choice((0, 0, 1))
    if rng.random() < 0.95:
        facts["responsibility_review_done"] = rng.random() < (0.97 if profile in (
            "exemplary", "standard") else 0.75)
    if rng.random() < 0.95:
        facts["online_study_share"] = rng.choice((0.9, _share(rng, 0.9, 1.0), 0.89,
                                                  _share(rng, 0.5, 1.0)))
    if rng.random() < 0.95:
        lo = {"exemplary": 78, "standard": 60, "lapsed": 50}.get(profile, 35)
        rs = rng.choice((rng.randint(lo, 100), round(rng.uniform(lo, 100), 1), 76, 80))
        if profile in ("lapsed", "weak") and rng.random() < 0.15:
            rs = rng.randint(15, 50)     # a poor democratic appraisal
        facts["review_score"] = rs

    # ---- unknown facts in ~10 % of branches
    if rng.random() < 0.10:
        for _ in range(rng.choice((1, 1, 2))):
            _make_unknown(rng, facts)
    return facts


def _make_unknown(rng: random.Random, facts: dict) -> None:
    r = rng.random()
    meetings = facts.get("meetings")
    if r < 0.45 or not meetings:
        key = rng.choice(_UNKNOWN_KEYS)
        if key in ("meetings", "members") and rng.random() < 0.7:
            key = "satisfaction"
        if rng.random() < 0.85:
            facts.pop(key, None)
        else:
            facts[key] = None          # explicit null = absent
        return
    if r < 0.75:
        cands = [mt for mt in meetings if mt["type"] in ("theme_day", "congress", "committee")
                 and "present" in mt]
        if cands:
            del rng.choice(cands)["present"]
            return
    cands = [mt for mt in meetings if mt["type"] == "group" and "group" in mt]
    if cands:
        del rng.choice(cands)["group"]
    else:
        facts.pop(rng.choice(_UNKNOWN_KEYS[:10]), None)


def generate(n: int, seed: int = 0, year: int = 2023) -> Iterator[dict]:
    """``n`` branches, reproducible from ``seed``, with ids B000001, B000002, ..."""
    rng = random.Random(seed)
    for i in range(n):
        yield generate_branch(rng, year, branch_id=f"B{i + 1:06d}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate branch facts documents (JSON lines).")
    ap.add_argument("n", type=int, help="number of branches")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    args = ap.parse_args(argv)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        for doc in generate(args.n, args.seed, args.year):
            out.write(json.dumps(doc, ensure_ascii=False))
            out.write("\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
