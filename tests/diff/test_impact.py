"""``starrules.impact``: a population rated under both standards."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import starrules
from starrules._diff.impact import ImpactRun, open_population
from starrules._diff.model import state

from ._support import five_star, generate, json_line, write_jsonl


def _separately(std: str, docs: list) -> dict[str, starrules.Result]:
    return {item.result.branch.id: item.result for item in starrules.evaluate_many(std, docs, workers=1)
            if item.result is not None}


def _check_against_separate_runs(im: starrules.Impact, a: str, b: str, docs: list) -> None:
    ra, rb = _separately(a, docs), _separately(b, docs)
    assert im.rated == len(ra) == len(rb) == len(docs)
    matrix: Counter = Counter()
    flips: Counter = Counter()
    affected = set()
    for bid, x in ra.items():
        y = rb[bid]
        matrix[(state(x.outcome, x.stars), state(y.outcome, y.stars))] += 1
        sx = {i.id: i.status for i in x.indicators}
        sy = {i.id: i.status for i in y.indicators}
        for ind in sx.keys() | sy.keys():
            if sx.get(ind, "—") != sy.get(ind, "—"):
                flips[(ind, f"{sx.get(ind, '—')}→{sy.get(ind, '—')}")] += 1
        if (x.outcome, x.stars, x.score) != (y.outcome, y.stars, y.score) or any(
                sx[i] != sy[i] for i in sx.keys() & sy.keys()):
            affected.add(bid)
    assert {(t.before, t.after): t.count for t in im.matrix} == dict(matrix)
    assert {(f.id, k): n for f in im.flips for k, n in f.counts.items()} == dict(flips)
    assert im.changed == len(affected)
    assert {br.branch_id for br in im.affected} == affected
    # each affected branch, before and after, with its flips and their explanations
    for br in im.affected:
        x, y = ra[br.branch_id], rb[br.branch_id]
        assert (br.before.outcome, br.before.stars, br.before.score) == (x.outcome, x.stars, x.score)
        assert (br.after.outcome, br.after.stars, br.after.score) == (y.outcome, y.stars, y.score)
        for f in br.flips:
            if f.before == f.after:  # same status: its points changed, or its new kind decides
                xi, yi = x.indicator(f.id), y.indicator(f.id)
                assert xi.points != yi.points or (xi.kind != yi.kind and yi.status in ("FAIL", "UNKNOWN"))
                assert (f.kind_before, f.kind_after, f.points_before, f.points_after) == (
                    xi.kind, yi.kind, xi.points, yi.points)
            if f.before != "—":
                assert f.explanation_before == x.indicator(f.id).explanation and f.before == x.indicator(f.id).status
            if f.after != "—":
                assert f.explanation_after == y.indicator(f.id).explanation and f.after == y.indicator(f.id).status
    scores = Counter((None if ra[k].score is None or rb[k].score is None else rb[k].score - ra[k].score) for k in ra)
    assert {d.delta: d.count for d in im.score_changes} == dict(scores)


def test_impact_matches_evaluating_each_side_separately() -> None:
    docs = list(generate.generate(120, seed=7, year=2023))
    im = starrules.impact("prov-2023", "port-group-2023", docs, workers=1, affected_limit=1000)
    _check_against_separate_runs(im, "prov-2023", "port-group-2023", docs)
    assert im.branches == 120 and im.broken == ()
    assert any(t.before != t.after for t in im.matrix)
    assert {f.id for f in im.flips} >= {"ROLE-11", "INST-09"}


def test_impact_of_the_2024_revision_matches_too() -> None:
    docs = list(generate.generate(80, seed=3, year=2024))
    im = starrules.impact("prov-2023", "prov-2024", docs, workers=1, affected_limit=1000)
    _check_against_separate_runs(im, "prov-2023", "prov-2024", docs)
    assert sum(n for f in im.flips if f.id == "ACT-12" for k, n in f.counts.items() if k.startswith("—→")) == 80
    # TEAM-04 star → required: its FAIL now makes a branch not met, without a status flip
    team04 = next(f for f in im.flips if f.id == "TEAM-04")
    assert team04.total == 0 and team04.kind_changed > 0
    act11 = next(f for f in im.flips if f.id == "ACT-11")
    assert act11.points_changed > 0
    not_met_now = [br for br in im.affected if br.after.outcome == "not_met" and br.before.outcome == "met"]
    assert not_met_now and all(any(f.id in ("TEAM-04", "ROLE-05") for f in br.flips) for br in not_met_now)


def test_in_parallel_gives_the_same_impact(tmp_path: Path) -> None:
    docs = list(generate.generate(90, seed=11, year=2023))
    path = write_jsonl(tmp_path / "in.jsonl", (json.dumps(d, ensure_ascii=False) for d in docs))
    a, b = starrules.load_standard("prov-2023"), starrules.load_standard("port-group-2023")
    serial = ImpactRun(a, b, open_population(path), workers=1).run()
    parallel = ImpactRun(a, b, open_population(path), workers=2, parallel_min=10).run()
    assert parallel == serial
    assert serial.affected[0].source.startswith(str(path) + ":")


def test_broken_rows_are_reported_and_the_rest_is_diffed(tmp_path: Path) -> None:
    docs = list(generate.generate(30, seed=5, year=2023))
    lines = [json.dumps(d, ensure_ascii=False) for d in docs]
    bad_type = dict(docs[3], disclosures="two")  # rejected by both
    only_b = dict(docs[4], branch={**docs[4]["branch"], "id": "ONLY-B"}, integration_projects=-1)  # B's fact
    dup = json.dumps(docs[0], ensure_ascii=False)  # branch.id seen before
    lines[3:5] = [json.dumps(bad_type, ensure_ascii=False), json.dumps(only_b, ensure_ascii=False)]
    lines += ["{not json", dup]
    path = write_jsonl(tmp_path / "pop.jsonl", lines)
    im = starrules.impact("prov-2023", "port-group-2023", path, workers=1, affected_limit=1000)
    assert im.branches == 32 and im.rated == 28
    sides = {b.source.rsplit(":", 1)[1]: (b.side, {p["code"] for p in b.problems}) for b in im.broken}
    assert sides["4"][0] == "both" and sides["5"][0] == "b"
    assert sides["31"][0] == "both" and sides["32"] == ("both", {"batch-duplicate-branch"})
    good = [d for i, d in enumerate(docs) if i not in (3, 4)]
    _check_against_separate_runs(im, "prov-2023", "port-group-2023", good)


def test_the_quota_applies_on_both_sides(tmp_path: Path) -> None:
    """city-2023 keeps five stars for 30 % of the branches rated together: a revision that
    does not change the rating must show no branch moved, though single evaluations would
    give many five-star branches."""
    rev = tmp_path / "city-rev.yaml"
    rev.write_text("starrules: 1\nid: city-rev\nfamily: city-test\nversion: '1'\ntitle: t\nissuer: i\n"
                   "revises: city-2023\n", encoding="utf-8")
    docs = [five_star(f"B{i:02d}", 60 + i) for i in range(10)]
    im = starrules.impact("city-2023", rev, docs, workers=1)
    assert im.quota_applied == {"a": True, "b": True}
    assert im.changed == 0 and all(t.before == t.after for t in im.matrix)
    kept = sum(t.count for t in im.matrix if t.before == "met:5")
    batch = [item.result.stars for item in starrules.evaluate_many("city-2023", docs, workers=1)]
    assert kept == batch.count(5) == 3
    # the quota on one side only (a tighter share) demotes more there, with the quota's note
    rev.write_text(rev.read_text(encoding="utf-8") + "parameters:\n  five_star_quota: 0.1\n", encoding="utf-8")
    im = starrules.impact("city-2023", rev, docs, workers=1)
    assert im.cell("met:5", "met:4") == 2
    moved = [br for br in im.affected if br.before.stars == 5]
    assert len(moved) == 2 and all(br.after.quota is not None and "名额" in br.after.quota.zh for br in moved)
    assert starrules.impact("city-2023", rev, docs, workers=1, apply_quota=False).changed == 0


def test_affected_list_is_bounded_but_counts_cover_all() -> None:
    docs = list(generate.generate(60, seed=2, year=2023))
    full = starrules.impact("prov-2023", "port-group-2023", docs, workers=1, affected_limit=1000)
    short = starrules.impact("prov-2023", "port-group-2023", docs, workers=1, affected_limit=3)
    assert len(short.affected) == 3 and short.affected_truncated == full.changed - 3
    assert short.matrix == full.matrix and short.flips == full.flips


def test_json_of_an_impact_round_trips_as_json() -> None:
    docs = [json.loads(json_line(five_star("X1", 80)))]
    im = starrules.impact("prov-2023", "prov-2024", docs, workers=1)
    data = json.loads(im.model_dump_json())
    assert data["rated"] == 1 and data["states"][0] == "met:5"


def test_a_standard_given_by_path_is_rated_in_parallel_too(tmp_path: Path) -> None:
    rev = tmp_path / "rev.yaml"
    rev.write_text("starrules: 1\nid: path-rev\nfamily: path-test\nversion: '1'\ntitle: t\nissuer: i\n"
                   "revises: prov-2023\nparameters:\n  satisfaction_excellent: 0.9\n", encoding="utf-8")
    docs = list(generate.generate(40, seed=13, year=2023))
    run = ImpactRun("prov-2023", str(rev), open_population(docs), workers=2, parallel_min=10)
    assert run.ref_b.ref == str(rev) and not run.ref_b.from_object  # workers load the file itself
    parallel = run.run()
    serial = starrules.impact("prov-2023", rev, docs, workers=1)
    assert parallel == serial and any(f.id == "ROLE-06" for f in serial.flips)
