"""Hand-written reference implementation of the four shipped standards.

An independent, plain-Python oracle for differential tests against starrules, and the
speed baseline for benchmarks.  It imports nothing from starrules and uses only the
standard library.  It follows /work/shared/spec/reference-standard.md,
score-standard.md and decisions.md to the letter; where the text leaves a choice open the
most literal reading is taken and marked "AMBIGUITY" below.

Public API::

    rate(standard_id, facts) -> dict
    apply_quota(results, facts_list) -> list[dict]

``facts`` is an already-valid facts document (numbers int or Decimal, as from
``json.loads(text, parse_float=Decimal)``; dates ISO strings or ``datetime.date``).
Absent key or ``None`` = unknown.  No validation is done.

Three-valued logic: ``True`` / ``False`` / ``None`` (= unknown), Kleene connectives.
Every threshold is decided exactly (integer cross-multiplication or Decimal).

Readings chosen where the spec leaves room (each also noted at its rule):
- Kleene everywhere: a sum / count / share / comparison / set test with an unknown operand is
  unknown, even when the other operand alone would decide (TEAM-07 "candidates +
  |probationary| >= 1" with candidates unknown is UNKNOWN; ROLE-10 with honours.branch
  unknown is UNKNOWN; city ACT-C4, INST-C2, SUP-C1 are sums, so one unknown summand makes
  the item unknown).  Conjunctions/disjunctions and all/any short-circuit per Kleene
  (INST-03: a known failing congress FAILs even if another congress's present is unknown).
- Applicability is itself three-valued; unknown applicability -> UNKNOWN, false -> NA
  (INST-04: "established and >= 1 committee meeting in Y" with established unknown and no
  committee meeting in Y is NA).
- ACT-03: coverage decided per (group, month) (see the rule).
- A meeting whose `group` (or `present`) is unknown still is a meeting of its type and month
  (counts for months(t), ACT-10, ROLE-03 ...).
- TEAM-05 / ACT-10: "6 consecutive months" are months 1..12 of Y; no wrap-around into
  another year.
- TEAM-02: an induction training dated before the appointment still is "<= deadline": PASS.
- INST-06: a rectification due in Y with no `closed` is not "closed <= due": FAIL.
- city-2023 indicator order is the order of its table (items, deductions, vetoes, cap).
- city-2023 quota: the candidates are the results whose final stars are 5 (after the brand
  rule and caps); "kept" is the quota k = max(1, floor(0.3 N)).
- Warnings (effective period, undeclared facts), evidence, rectification lists and facts to
  verify are not produced: only outcome, stars, score and indicator statuses/points.
"""

from __future__ import annotations

from datetime import date
from decimal import Context, Decimal

__all__ = ["rate", "apply_quota", "STANDARDS", "add_years", "add_months"]

STANDARDS = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")

PASS, FAIL, NA, UNKNOWN = "PASS", "FAIL", "NA", "UNKNOWN"
REQ, STAR, VETO, BONUS, DED, SCORE, CAP = (
    "required", "star", "veto", "bonus", "deduction", "score", "cap")

_HALF = Decimal("0.5")
_D07 = Decimal("0.7")
_D03 = Decimal("0.3")
_D06 = Decimal("0.6")
_D085 = Decimal("0.85")
_D09 = Decimal("0.9")
_D1 = Decimal("1.0")
# S = 0.7*x + 0.3*review_score is a terminating decimal; a wide context keeps it exact.
_EXACT = Context(prec=400)

_RULES8 = frozenset(("three_meetings_one_lecture", "theme_day", "org_life_meeting",
                     "democratic_review", "dues", "recruitment", "disclosure", "study"))
_ROLES4 = frozenset(("secretary", "organization", "propaganda", "discipline"))
_ITEMS4 = frozenset(("flag", "oath_wall", "bookshelf", "bulletin"))
_BRAND_POINTS = {"none": 0, "company": 1, "group": 2, "province": 3, "national": 5}
_HONOUR_POINTS = {"none": 0, "group": 2, "province": 3, "national": 5}
_ALL_MONTHS = frozenset(range(1, 13))
_ALL_QUARTERS = frozenset((1, 2, 3, 4))

# --------------------------------------------------------------------------- dates

_MDAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_days(y: int, m: int) -> int:
    if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0):
        return 29
    return _MDAYS[m - 1]


def add_years(d: date, n: int) -> date:
    """``d`` + ``n`` years, clipped to the month's end (2020-02-29 + 3y = 2023-02-28)."""
    y = d.year + n
    return date(y, d.month, min(d.day, _month_days(y, d.month)))


def add_months(d: date, n: int) -> date:
    """``d`` + ``n`` months, clipped to the month's end (2023-08-31 + 6m = 2024-02-29)."""
    t = d.year * 12 + (d.month - 1) + n
    y, m0 = divmod(t, 12)
    m = m0 + 1
    return date(y, m, min(d.day, _month_days(y, m)))


def _date(x):
    """ISO string or date -> date; None stays None (unknown)."""
    if x is None or isinstance(x, date):
        return x
    return date.fromisoformat(x)


def _norm(x):
    """An integral Decimal becomes an int (3.0 -> 3); anything else is returned as is."""
    if type(x) is Decimal and x == x.to_integral_value():
        return int(x)
    return x


def _num(x):
    """Exact number: floats (not expected, but tolerated) go through their repr."""
    if type(x) is float:
        return Decimal(repr(x))
    return x


# --------------------------------------------------------------------------- Kleene


def _and(*xs):
    r = True
    for x in xs:
        if x is False:
            return False
        if x is None:
            r = None
    return r


def _or(*xs):
    r = False
    for x in xs:
        if x is True:
            return True
        if x is None:
            r = None
    return r


def _not(x):
    return None if x is None else (not x)


def _ge(a, b):
    return None if a is None or b is None else a >= b


def _sub(obj, key):
    """Field of a (possibly unknown) nested object."""
    return None if obj is None else obj.get(key)


def _status(applies, value):
    """Status of a required/star/veto/cap rule. Unknown applicability -> UNKNOWN."""
    if applies is False:
        return NA
    if applies is None or value is None:
        return UNKNOWN
    return PASS if value else FAIL


# --------------------------------------------------------------------------- facts pass


class _S:
    """Aggregates over members and meetings, computed once per branch."""

    __slots__ = (
        "Y", "members_known", "n_members", "nF", "nNE", "nProb", "nNE_h32", "nF_pioneer",
        "nNE_vol", "dues6", "n_dues_nonempty", "meetings_known", "months", "all_months",
        "business_q", "theme_n", "theme_sum_p", "theme_sum_e", "congress_n", "congress_ok",
        "committee_n", "committee_ok", "group_cov", "group_unk_months",
    )


def _scan(facts) -> _S:
    s = _S()
    Y = facts["year"]
    s.Y = Y

    members = facts.get("members")
    if members is None:
        s.members_known = False
        s.n_members = s.nF = s.nNE = s.nProb = s.nNE_h32 = None
        s.nF_pioneer = s.nNE_vol = s.n_dues_nonempty = s.dues6 = None
    else:
        s.members_known = True
        nF = nNE = nProb = h32 = pio = vol = dues_ne = 0
        dues6 = False
        for m in members:
            formal = m["status"] == "formal"
            if formal:
                nF += 1
                if m.get("pioneer_post"):
                    pio += 1
            else:
                nProb += 1
            if not m.get("exempt"):
                nNE += 1
                th = m.get("training_hours")
                if th is not None and _num(th) >= 32:
                    h32 += 1
                vs = m.get("volunteer_services")
                if vs is not None and vs >= 1:
                    vol += 1
            # TEAM-05: 6 consecutive months within 1..12 of Y (no wrap-around).
            du = m.get("dues_unpaid_months")
            if du:
                dues_ne += 1
                if not dues6 and len(du) >= 6:
                    ms = set(du)
                    for a in range(1, 8):
                        if (a in ms and a + 1 in ms and a + 2 in ms and a + 3 in ms
                                and a + 4 in ms and a + 5 in ms):
                            dues6 = True
                            break
        s.n_members = len(members)
        s.nF, s.nNE, s.nProb, s.nNE_h32 = nF, nNE, nProb, h32
        s.nF_pioneer, s.nNE_vol, s.n_dues_nonempty, s.dues6 = pio, vol, dues_ne, dues6

    meetings = facts.get("meetings")
    if meetings is None:
        s.meetings_known = False
        s.months = None
        s.all_months = s.business_q = None
        s.theme_n = s.theme_sum_p = s.theme_sum_e = None
        s.congress_n = s.congress_ok = s.committee_n = s.committee_ok = None
        s.group_cov = s.group_unk_months = None
        return s
    s.meetings_known = True
    months = {"congress": set(), "committee": set(), "group": set(), "lecture": set(),
              "theme_day": set(), "org_life": set()}
    all_months = set()
    business_q = set()
    theme_n = 0
    sp = se = 0            # None once an operand is unknown
    cg_n = cm_n = 0
    cg_ok = cm_ok = True   # Kleene "all"
    group_cov = set()      # (group, month) known covered
    group_unk = set()      # months with a group meeting of unknown group
    for mt in meetings:
        d = mt["date"]
        if type(d) is str:
            if int(d[:4]) != Y:
                continue
            mo = int(d[5:7])
        else:
            if d.year != Y:
                continue
            mo = d.month
        t = mt["type"]
        months[t].add(mo)
        all_months.add(mo)
        topics = mt.get("topics")
        if topics and "business" in topics:
            business_q.add((mo + 2) // 3)
        if t == "theme_day":
            theme_n += 1
            p = mt.get("present")
            e = mt.get("expected")
            sp = None if (sp is None or p is None) else sp + p
            se = None if (se is None or e is None) else se + e
        elif t == "congress" or t == "committee":
            p = mt.get("present")
            e = mt.get("expected")
            ok = None if (p is None or e is None) else 2 * p >= e
            if t == "congress":
                cg_n += 1
                if ok is False:
                    cg_ok = False
                elif ok is None and cg_ok is True:
                    cg_ok = None
            else:
                cm_n += 1
                if ok is False:
                    cm_ok = False
                elif ok is None and cm_ok is True:
                    cm_ok = None
        elif t == "group":
            g = mt.get("group")
            if g is None:
                group_unk.add(mo)
            else:
                group_cov.add((g, mo))
    s.months = months
    s.all_months = all_months
    s.business_q = business_q
    s.theme_n, s.theme_sum_p, s.theme_sum_e = theme_n, sp, se
    s.congress_n, s.congress_ok = cg_n, cg_ok
    s.committee_n, s.committee_ok = cm_n, cm_ok
    s.group_cov, s.group_unk_months = group_cov, group_unk
    return s


def _quarters(ms):
    return {(m + 2) // 3 for m in ms}


def _six_month_gap(ms) -> bool:
    """True iff some 6 consecutive months of 1..12 are all absent from ms."""
    run = 0
    for m in range(1, 13):
        if m in ms:
            run = 0
        else:
            run += 1
            if run >= 6:
                return True
    return False


def _overdue_open(rects, dec31):
    """Rectifications due <= 31 Dec Y still open at 31 Dec Y (no closed / closed later)."""
    n = 0
    for r in rects:
        if _date(r["due"]) <= dec31:
            c = r.get("closed")
            if c is None or _date(c) > dec31:
                n += 1
    return n


# --------------------------------------------------------------------------- prov family

_PROV_ORDER = (
    ("ORG-01", REQ), ("ORG-02", STAR), ("ORG-03", REQ), ("ORG-04", REQ), ("ORG-05", REQ),
    ("ORG-06", REQ), ("ORG-07", REQ), ("ORG-08", STAR), ("ORG-09", VETO),
    ("TEAM-01", REQ), ("TEAM-02", REQ), ("TEAM-03", REQ), ("TEAM-04", STAR),
    ("TEAM-05", REQ), ("TEAM-06", STAR), ("TEAM-07", STAR), ("TEAM-08", VETO),
    ("TEAM-09", DED),
    ("ACT-01", REQ), ("ACT-02", REQ), ("ACT-03", STAR), ("ACT-04", REQ), ("ACT-05", REQ),
    ("ACT-06", STAR), ("ACT-07", REQ), ("ACT-08", REQ), ("ACT-09", STAR), ("ACT-10", VETO),
    ("ACT-11", DED),
    ("ROLE-01", STAR), ("ROLE-02", STAR), ("ROLE-03", REQ), ("ROLE-04", STAR),
    ("ROLE-05", REQ), ("ROLE-06", STAR), ("ROLE-07", VETO), ("ROLE-08", VETO),
    ("ROLE-09", BONUS), ("ROLE-10", BONUS),
    ("INST-01", REQ), ("INST-02", REQ), ("INST-03", REQ), ("INST-04", REQ),
    ("INST-05", STAR), ("INST-06", STAR), ("INST-07", DED), ("INST-08", VETO),
    ("SUP-01", REQ), ("SUP-02", STAR), ("SUP-03", REQ), ("SUP-04", REQ), ("SUP-05", STAR),
)


def _layout(base, changes, additions):
    """Apply kind changes and insert new indicators after the last one of their dimension."""
    order = [(i, changes.get(i, k)) for i, k in base]
    for new_id, kind in additions:
        dim = new_id.split("-")[0]
        last = max(j for j, (i, _) in enumerate(order) if i.split("-")[0] == dim)
        order.insert(last + 1, (new_id, kind))
    return tuple(order)


_ORDERS = {
    "prov-2023": _PROV_ORDER,
    "port-group-2023": _layout(_PROV_ORDER, {"ORG-08": REQ},
                               [("ROLE-11", STAR), ("INST-09", REQ)]),
    "prov-2024": _layout(_PROV_ORDER, {"TEAM-04": REQ}, [("ACT-12", STAR)]),
}

# (TEAM-03 / ACT-06 share as tenths, ROLE-05 threshold, ACT-11 points per record, 5-star B)
_PARAMS = {
    "prov-2023": (8, _D06, _HALF, 2),
    "port-group-2023": (9, _D06, _HALF, 3),
    "prov-2024": (8, _D07, 1, 2),
}


def _rate_prov(sid, facts):
    s = _scan(facts)
    Y = s.Y
    share10, role05_thr, act11_per, five_b = _PARAMS[sid]
    dec31 = date(Y, 12, 31)
    st = {}   # id -> status
    pts = {}  # id -> points (bonus/deduction only)

    nF, nNE = s.nF, s.nNE
    g = facts.get

    # ---- ORG
    st["ORG-01"] = _status(True, _ge(nF, 3))
    st["ORG-02"] = _status(True, None if s.n_members is None else s.n_members <= 50)
    committee = g("committee")
    established = _sub(committee, "established")
    st["ORG-03"] = _status(None if nF is None else nF >= 7, established)
    cmembers = _sub(committee, "members")
    roles = _sub(committee, "roles")
    size_ok = None if cmembers is None else 3 <= len(cmembers) <= 7
    roles_ok = None if roles is None else _ROLES4.issubset(roles)
    st["ORG-04"] = _status(established, _and(size_ok, roles_ok))
    secretary = g("secretary")
    st["ORG-05"] = _status(True, _sub(secretary, "in_post"))
    term = g("term")
    tstart = _date(_sub(term, "start"))
    tyears = 3 if term is None or term.get("years") is None else term["years"]
    st["ORG-06"] = _status(True, None if tstart is None else add_years(tstart, tyears) >= dec31)
    since = _date(_sub(secretary, "party_since"))
    appointed = _date(_sub(secretary, "appointed"))
    st["ORG-07"] = _status(
        True, None if since is None or appointed is None else add_years(since, 1) <= appointed)
    st["ORG-08"] = _status(True, _sub(secretary, "is_unit_leader"))
    st["ORG-09"] = _status(True, _not(g("weak_lax_designated")))

    # ---- TEAM
    st["TEAM-01"] = _status(True, _ge(_sub(secretary, "rotation_trainings"), 1))
    if appointed is None:
        st["TEAM-02"] = UNKNOWN
    else:
        deadline = add_months(appointed, 6)
        if deadline.year != Y:
            st["TEAM-02"] = NA
        else:
            # induction_training absent = none (not unknown), also when `secretary`
            # itself is known; appointed known implies secretary known here.
            # An induction dated before the appointment still is <= deadline (literal).
            ind = _date(secretary.get("induction_training"))
            st["TEAM-02"] = PASS if (ind is not None and ind <= deadline) else FAIL
    ne_app = None if nNE is None else nNE >= 1
    st["TEAM-03"] = _status(ne_app, None if nNE is None else 10 * s.nNE_h32 >= share10 * nNE)
    st["TEAM-04"] = _status(ne_app, None if nNE is None else s.nNE_h32 == nNE)
    st["TEAM-05"] = _status(True, _not(s.dues6))
    st["TEAM-06"] = _status(True, None if s.n_dues_nonempty is None else s.n_dues_nonempty == 0)
    recruitment = g("recruitment")
    act = _sub(recruitment, "activists")
    cand = _sub(recruitment, "candidates")
    # AMBIGUITY: candidates unknown makes the sum unknown even if |probationary| >= 1.
    st["TEAM-07"] = _status(True, _and(
        _ge(act, 1), None if cand is None or s.nProb is None else cand + s.nProb >= 1))
    discipline = g("discipline")
    serious = _sub(discipline, "serious_cases")
    st["TEAM-08"] = _status(True, None if serious is None else serious == 0)
    minor = _sub(discipline, "minor_cases")
    pts["TEAM-09"] = None if minor is None else min(2 * minor, 6)

    # ---- ACT
    mk = s.meetings_known
    months = s.months
    st["ACT-01"] = _status(True, None if not mk else _quarters(months["congress"]) == _ALL_QUARTERS)
    st["ACT-02"] = _status(established, None if not mk else months["committee"] == _ALL_MONTHS)
    pg = g("party_groups")
    if pg is None:
        st["ACT-03"] = UNKNOWN
    elif not pg:
        st["ACT-03"] = NA
    elif not mk:
        st["ACT-03"] = UNKNOWN
    else:
        # AMBIGUITY (brief's choice): coverage is decided element-wise with Kleene any/all:
        # month m of group g is covered if a meeting with group = g falls in m; it is unknown
        # if none does but a group meeting of unknown group falls in m; otherwise uncovered.
        cov, unk = s.group_cov, s.group_unk_months
        res = True
        for gname in pg:
            for m in range(1, 13):
                if (gname, m) in cov:
                    continue
                if m in unk:
                    res = None
                else:
                    res = False
                    break
            if res is False:
                break
        st["ACT-03"] = PASS if res is True else (FAIL if res is False else UNKNOWN)
    st["ACT-04"] = _status(True, None if not mk else _quarters(months["lecture"]) == _ALL_QUARTERS)
    st["ACT-05"] = _status(True, None if not mk else months["theme_day"] == _ALL_MONTHS)
    if not mk:
        st["ACT-06"] = UNKNOWN
    elif s.theme_n == 0:
        st["ACT-06"] = NA
    else:
        sp, se = s.theme_sum_p, s.theme_sum_e
        c1 = None if sp is None or se is None else 10 * sp >= share10 * se
        c2 = None if se is None else se > 0
        st["ACT-06"] = _status(True, _and(c1, c2))
    st["ACT-07"] = _status(True, None if not mk else bool(months["org_life"]))
    dr = g("democratic_review")
    held = _sub(dr, "held")
    exc, rated = _sub(dr, "excellent"), _sub(dr, "rated")
    st["ACT-08"] = _status(True, _and(held, None if exc is None or rated is None
                                      else 3 * exc <= rated))
    part, elig = _sub(dr, "participants"), _sub(dr, "eligible")
    st["ACT-09"] = _status(held, None if part is None or elig is None
                           else 100 * part >= 95 * elig)
    st["ACT-10"] = _status(True, None if not mk else not _six_month_gap(s.all_months))
    mr = g("missing_records")
    pts["ACT-11"] = None if mr is None else _norm(min(act11_per * mr, 3))
    if sid == "prov-2024":
        oss = _num(g("online_study_share"))
        st["ACT-12"] = _status(True, None if oss is None else oss >= _D09)

    # ---- ROLE
    st["ROLE-01"] = _status(None if nF is None else nF >= 1,
                            None if nF is None else 2 * s.nF_pioneer >= nF)
    st["ROLE-02"] = _status(ne_app, None if nNE is None else 10 * s.nNE_vol >= 8 * nNE)
    st["ROLE-03"] = _status(True, None if not mk else s.business_q == _ALL_QUARTERS)
    kpi = _num(g("unit_kpi_completion"))
    st["ROLE-04"] = _status(True, None if kpi is None else kpi >= _D1)
    sat = _num(g("satisfaction"))
    st["ROLE-05"] = _status(True, None if sat is None else sat >= role05_thr)
    st["ROLE-06"] = _status(True, None if sat is None else sat >= _D085)
    incidents = g("incidents")
    st["ROLE-07"] = _status(True, _not(_sub(incidents, "major_safety_or_quality")))
    st["ROLE-08"] = _status(True, _not(_sub(incidents, "mass_incident")))
    bl = g("brand_level")
    pts["ROLE-09"] = None if bl is None else _BRAND_POINTS[bl]
    honours = g("honours")
    hb, hm = _sub(honours, "branch"), _sub(honours, "members")
    # A sum: either part unknown -> unknown (no "at least" partial credit).
    pts["ROLE-10"] = None if hb is None or hm is None else _HONOUR_POINTS[hb] + min(hm, 3)
    if sid == "port-group-2023":
        ip = g("integration_projects")
        st["ROLE-11"] = _status(True, _ge(ip, 1))

    # ---- INST
    ra = g("rules_adopted")
    st["INST-01"] = _status(True, None if ra is None else _RULES8.issubset(ra))
    pd, sd = _date(g("plan_date")), _date(g("summary_date"))
    st["INST-02"] = _status(True, _and(None if pd is None else pd <= date(Y, 3, 31),
                                       None if sd is None else sd <= date(Y + 1, 1, 15)))
    if not mk:
        st["INST-03"] = UNKNOWN
    else:
        st["INST-03"] = _status(s.congress_n >= 1, s.congress_ok)
    st["INST-04"] = _status(_and(established, None if not mk else s.committee_n >= 1),
                            None if not mk else s.committee_ok)
    st["INST-05"] = _status(True, _ge(g("disclosures"), 2))
    rects = g("rectifications")
    if rects is None:
        st["INST-06"] = UNKNOWN
        pts["INST-07"] = None
    else:
        due_y = 0
        ok = True
        for r in rects:
            due = _date(r["due"])
            if due.year == Y:
                due_y += 1
                c = _date(r.get("closed"))   # absent = still open -> not closed <= due
                if c is None or c > due:
                    ok = False
        st["INST-06"] = NA if due_y == 0 else (PASS if ok else FAIL)
        pts["INST-07"] = min(_overdue_open(rects, dec31), 5)
    st["INST-08"] = _status(True, _not(g("recruitment_violation")))
    if sid == "port-group-2023":
        st["INST-09"] = _status(True, g("responsibility_review_done"))

    # ---- SUP
    venue = g("venue")
    st["SUP-01"] = _status(True, _sub(venue, "has_venue"))
    items = _sub(venue, "items")
    st["SUP-02"] = _status(True, None if items is None else _ITEMS4.issubset(items))
    funds = _num(g("funds_cny"))
    st["SUP-03"] = _status(True, None if funds is None else funds > 0)
    st["SUP-04"] = _status(True, g("party_affairs_worker"))
    care = g("care")
    targets, visited = _sub(care, "targets"), _sub(care, "visited")
    if targets is None:
        st["SUP-05"] = UNKNOWN
    elif not targets:
        st["SUP-05"] = NA
    else:
        st["SUP-05"] = _status(True, None if visited is None else set(targets).issubset(visited))

    # ---- results in standard order, and the rating (§4)
    indicators = {}
    blocked_fail = blocked_unknown = False
    bsum = dsum = 0
    dim_pass = set()
    dim_bad = set()
    for iid, kind in _ORDERS[sid]:
        if kind == BONUS or kind == DED:
            p = pts[iid]
            if p is None:
                status, p = UNKNOWN, 0
                if kind == DED:
                    blocked_unknown = True
            elif kind == BONUS:
                status = PASS if p > 0 else NA
                bsum += p
            else:
                status = PASS if p == 0 else FAIL
                dsum += p
            indicators[iid] = {"status": status, "points": p}
            continue
        status = st[iid]
        indicators[iid] = {"status": status, "points": 0}
        if kind == STAR:
            dim = iid.split("-", 1)[0]
            if status == PASS:
                dim_pass.add(dim)
            elif status == FAIL or status == UNKNOWN:
                dim_bad.add(dim)
        elif status == FAIL:
            blocked_fail = True
        elif status == UNKNOWN:
            blocked_unknown = True

    if blocked_fail:
        return {"outcome": "not_met", "stars": 0, "score": None, "indicators": indicators}
    if blocked_unknown:
        return {"outcome": "pending", "stars": None, "score": None, "indicators": indicators}
    lit = dim_pass - dim_bad
    L = len(lit)
    B = min(bsum, 10)
    D = min(dsum, 10)
    stars = min(L, 4)
    if L >= 5 and "ROLE" in lit and B >= five_b and D == 0:
        stars = 5
    if D >= 3:
        stars = max(stars - 1, 0)
    return {"outcome": "met", "stars": stars, "score": _norm(10 * L + B - D),
            "indicators": indicators}


# --------------------------------------------------------------------------- city-2023

_CITY_ORDER = (
    ("ORG-C1", SCORE, 5), ("ORG-C2", SCORE, 5), ("ORG-C3", SCORE, 5),
    ("TEAM-C1", SCORE, 8), ("TEAM-C2", SCORE, 4), ("TEAM-C3", SCORE, 3),
    ("ACT-C1", SCORE, 8), ("ACT-C2", SCORE, 12), ("ACT-C3", SCORE, 4), ("ACT-C4", SCORE, 6),
    ("ROLE-C1", SCORE, 8), ("ROLE-C2", SCORE, 6), ("ROLE-C3", SCORE, 6),
    ("INST-C1", SCORE, 4), ("INST-C2", SCORE, 4), ("INST-C3", SCORE, 2),
    ("SUP-C1", SCORE, 4), ("SUP-C2", SCORE, 3), ("SUP-C3", SCORE, 3),
    ("TEAM-D1", DED, None), ("ACT-D1", DED, None), ("INST-D1", DED, None),
    ("ORG-V1", VETO, None), ("TEAM-V1", VETO, None), ("ROLE-V1", VETO, None),
    ("ROLE-C4", CAP, 2),
)


def _rate_city(facts):
    s = _scan(facts)
    Y = s.Y
    g = facts.get
    dec31 = date(Y, 12, 31)
    p = {}   # id -> points or None (score/deduction); bool/None for veto/cap
    nF, nNE = s.nF, s.nNE

    p["ORG-C1"] = None if nF is None else (5 if nF >= 3 else 0)

    committee = g("committee")
    secretary = g("secretary")
    if nF is None:
        v = None
    elif nF < 7:
        ip = _sub(secretary, "in_post")
        v = None if ip is None else (5 if ip else 0)
    else:
        # AMBIGUITY: "0 when the committee is not established or |members| outside 3..7"
        # is read as one Kleene condition `not established or outside`; when it is true
        # the branch is 0 whatever else is unknown (e.g. 8 members, established unknown).
        est = _sub(committee, "established")
        cm = _sub(committee, "members")
        zero = _or(_not(est), None if cm is None else not (3 <= len(cm) <= 7))
        if zero is True:
            v = 0
        elif zero is None:
            v = None
        else:
            roles = _sub(committee, "roles")
            v = None if roles is None else max(0, 5 - len(_ROLES4.difference(roles)))
    p["ORG-C2"] = v

    term = g("term")
    tstart = _date(_sub(term, "start"))
    tyears = 3 if term is None or term.get("years") is None else term["years"]
    p["ORG-C3"] = None if tstart is None else (5 if add_years(tstart, tyears) >= dec31 else 0)

    # NE empty -> nobody under 32 hours -> full 8 (spec "Kinds").
    p["TEAM-C1"] = None if nNE is None else max(0, 8 - (nNE - s.nNE_h32))
    p["TEAM-C2"] = None if s.n_dues_nonempty is None else max(0, 4 - 2 * s.n_dues_nonempty)
    act = _sub(g("recruitment"), "activists")
    p["TEAM-C3"] = None if act is None else (3 if act >= 1 else 0)

    mk = s.meetings_known
    months = s.months
    p["ACT-C1"] = None if not mk else 2 * len(_quarters(months["congress"]))
    p["ACT-C2"] = None if not mk else len(months["theme_day"])
    p["ACT-C3"] = None if not mk else len(_quarters(months["lecture"]))
    held = _sub(g("democratic_review"), "held")
    # A sum: any unknown summand makes it unknown.
    p["ACT-C4"] = None if (not mk or held is None) else (
        (3 if months["org_life"] else 0) + (3 if held else 0))

    p["ROLE-C1"] = None if not mk else 2 * len(s.business_q)
    if nNE is None:
        v = None
    elif nNE == 0:
        v = 0
    else:
        c = s.nNE_vol
        v = 6 if 10 * c >= 8 * nNE else (3 if 2 * c >= nNE else 0)
    p["ROLE-C2"] = v
    if nF is None:
        v = None
    elif nF == 0:
        v = 0
    else:
        c = s.nF_pioneer
        v = 6 if 2 * c >= nF else (3 if 10 * c >= 3 * nF else 0)
    p["ROLE-C3"] = v

    ra = g("rules_adopted")
    p["INST-C1"] = None if ra is None else max(0, 4 - len(_RULES8.difference(ra)))
    pd, sd = _date(g("plan_date")), _date(g("summary_date"))
    if pd is None or sd is None:
        v = None
    else:
        v = (2 if pd <= date(Y, 3, 31) else (1 if pd <= date(Y, 6, 30) else 0)) + \
            (2 if sd <= date(Y + 1, 1, 15) else (1 if sd <= date(Y + 1, 1, 31) else 0))
    p["INST-C2"] = v
    dis = g("disclosures")
    p["INST-C3"] = None if dis is None else min(dis, 2)

    venue = g("venue")
    hv, items = _sub(venue, "has_venue"), _sub(venue, "items")
    if hv is None or items is None:
        v = None
    else:
        n_items = len(_ITEMS4.intersection(items))
        v = (2 if hv else 0) + (_HALF * n_items if n_items % 2 else n_items // 2)
    p["SUP-C1"] = v
    funds = _num(g("funds_cny"))
    p["SUP-C2"] = None if funds is None else (3 if funds > 0 else 0)
    paw = g("party_affairs_worker")
    p["SUP-C3"] = None if paw is None else (3 if paw else 0)

    discipline = g("discipline")
    minor = _sub(discipline, "minor_cases")
    p["TEAM-D1"] = None if minor is None else 2 * minor
    p["ACT-D1"] = g("missing_records")
    rects = g("rectifications")
    p["INST-D1"] = None if rects is None else _overdue_open(rects, dec31)

    p["ORG-V1"] = _not(g("weak_lax_designated"))
    serious = _sub(discipline, "serious_cases")
    p["TEAM-V1"] = None if serious is None else serious == 0
    p["ROLE-V1"] = _not(_sub(g("incidents"), "major_safety_or_quality"))
    sat = _num(g("satisfaction"))
    p["ROLE-C4"] = None if sat is None else sat >= _D06

    indicators = {}
    veto_fail = blocked_unknown = False
    base = 0
    dsum = 0
    cap_limit = None
    for iid, kind, mx in _CITY_ORDER:
        v = p[iid]
        if kind == SCORE:
            if v is None:
                indicators[iid] = {"status": UNKNOWN, "points": 0}
                blocked_unknown = True
            else:
                indicators[iid] = {"status": PASS if v == mx else FAIL, "points": v}
                base += v
        elif kind == DED:
            if v is None:
                indicators[iid] = {"status": UNKNOWN, "points": 0}
                blocked_unknown = True
            else:
                indicators[iid] = {"status": PASS if v == 0 else FAIL, "points": v}
                dsum += v
        else:  # veto / cap
            status = _status(True, v)
            indicators[iid] = {"status": status, "points": 0}
            if status == UNKNOWN:
                blocked_unknown = True
            elif status == FAIL:
                if kind == VETO:
                    veto_fail = True
                else:
                    cap_limit = mx if cap_limit is None else min(cap_limit, mx)

    rs = _num(g("review_score"))
    if veto_fail:
        return {"outcome": "not_met", "stars": 0, "score": None, "indicators": indicators}
    if blocked_unknown or rs is None:
        return {"outcome": "pending", "stars": None, "score": None, "indicators": indicators}
    x = base - dsum
    if x < 0:
        x = 0
    S = _norm(_EXACT.add(_EXACT.multiply(_D07, Decimal(x)), _EXACT.multiply(_D03, Decimal(rs))))
    if S >= 90:
        stars = 5
    elif S >= 80:
        stars = 4
    elif S >= 70:
        stars = 3
    elif S >= 60:
        stars = 2
    else:
        stars = 1
    if stars == 5:
        bl = g("brand_level")
        if bl is None or bl == "none":   # unknown brand: 4 stars, not pending
            stars = 4
    if cap_limit is not None and stars > cap_limit:
        stars = cap_limit
    res = {"outcome": "met", "stars": stars, "score": S, "indicators": indicators}
    if stars == 5:
        res["quota_candidate"] = {"S": S, "review_score": rs,
                                  "branch_id": facts["branch"]["id"]}
    return res


# --------------------------------------------------------------------------- public


def rate(standard_id: str, facts: dict) -> dict:
    """Rate one branch's facts under ``standard_id`` (see module docstring)."""
    if standard_id == "city-2023":
        return _rate_city(facts)
    if standard_id in _PARAMS:
        return _rate_prov(standard_id, facts)
    raise ValueError(f"unknown standard {standard_id!r}; expected one of {STANDARDS}")


def apply_quota(results: list[dict], facts_list: list[dict]) -> list[dict]:
    """city-2023 five-star quota (score-standard.md, rating step 5).

    ``results[i]`` is ``rate("city-2023", facts_list[i])``.  N = len(results) (every
    branch rated: met, not_met or pending).  At most max(1, floor(0.3 N)) keep five stars,
    ranked by S desc, review_score desc, branch.id asc; the rest become 4 stars and get
    ``"demoted": {"rank": r, "kept": k, "rated": N}`` (r is the 1-based rank among the
    five-star branches).  Returns a new list; the input dicts are not modified.
    """
    n = len(results)
    k = max(1, (3 * n) // 10)
    cands = []
    for i, r in enumerate(results):
        if r.get("stars") == 5:
            qc = r.get("quota_candidate")
            if qc is None:
                f = facts_list[i]
                qc = {"S": r["score"], "review_score": _num(f["review_score"]),
                      "branch_id": f["branch"]["id"]}
            cands.append((qc["S"], qc["review_score"], qc["branch_id"], i))
    out = list(results)
    if len(cands) <= k:
        return out
    # S and review_score descending, branch.id ascending (string order).
    cands.sort(key=lambda c: c[2])
    cands.sort(key=lambda c: (c[0], c[1]), reverse=True)
    for rank, (_, _, _, i) in enumerate(cands, start=1):
        if rank > k:
            r = dict(results[i])
            r["stars"] = 4
            r["demoted"] = {"rank": rank, "kept": k, "rated": n}
            out[i] = r
    return out
