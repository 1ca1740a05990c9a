"""The city-2023 five-star quota over a batch (score-standard.md, rating step 5)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import starrules
from starrules._batch.quota import QuotaRule, Ranking, rule_of

from ._support import (
    baseline,
    example,
    five_star,
    generated_lines,
    json_line,
    standard,
    write_jsonl,
)

# S = 0.7 × base + 0.3 × review_score
CANDIDATES = [
    five_star("Z1", 96),                # S 98.8               rank 1
    five_star("B2", 80),                # S 94, review 80, B2  rank 4 (demoted: loses the tie on branch.id)
    five_star("A3", 87, activists=0),   # S 94 (base 97), review 87: rank 2
    five_star("A4", 80),                # S 94, review 80, A4  rank 3 (kept)
    five_star("C5", 70),                # S 91                 rank 6
    five_star("C6", 76),                # S 92.8               rank 5
]
OTHERS = ["pending-branch", "veto-branch", "three-star-branch", "pharma-young-branch"]


def quota_batch() -> list[object]:
    docs: list[object] = [*CANDIDATES[:3], example("pending-branch"), *CANDIDATES[3:],
                          example("veto-branch"), example("three-star-branch"), example("pharma-young-branch")]
    bad = example("three-star-branch")
    bad["year"] = "2023"
    docs.insert(2, bad)  # rejected: not rated, not counted in N
    docs.append(five_star("Z1", 99))  # duplicate of Z1: an error row, not counted
    return docs


def test_scores_are_as_designed() -> None:
    std = standard("city-2023")
    scores = {d["branch"]["id"]: starrules.evaluate(std, d).score for d in CANDIDATES}
    assert scores == {"Z1": Fraction("98.8"), "B2": 94, "A3": 94, "A4": 94, "C5": 91, "C6": Fraction("92.8")}


def test_the_right_ones_are_demoted() -> None:
    items = list(starrules.evaluate_many("city-2023", quota_batch(), workers=1))
    assert len(items) == 12
    assert [i.ok for i in items].count(False) == 2
    by_id = {i.result.branch.id: i.result for i in items if i.ok}
    rated = len(by_id)
    assert rated == 10  # 6 candidates + pending + not_met + two four-star; floor(0.3 × 10) = 3 kept
    expect = {"Z1": (1, False), "A3": (2, False), "A4": (3, False), "B2": (4, True), "C6": (5, True), "C5": (6, True)}
    for bid, (rank, demoted) in expect.items():
        res = by_id[bid]
        q = res.quota
        assert (q.applied, q.demoted, q.rank, q.kept, q.rated) == (True, demoted, rank, 3, 10), bid
        assert res.stars == (4 if demoted else 5)
        assert res.outcome == "met" and res.score is not None  # the score is untouched
        if demoted:
            assert "降为 4 星" in q.note.zh and f"排第 {rank} 名" in q.note.zh
            assert "Demoted by the quota" in q.note.en and f"ranks {rank} of 6" in q.note.en and "3 kept" in q.note.en
    for res in by_id.values():
        if res.branch.id not in expect:
            assert res.quota is None


def test_a_single_evaluation_never_demotes_but_says_it_would_be_subject() -> None:
    res = starrules.evaluate(standard("city-2023"), CANDIDATES[4])
    assert res.stars == 5
    assert res.quota is not None and not res.quota.applied and not res.quota.demoted
    assert "名额" in res.quota.note.zh and "quota" in res.quota.note.en


def test_apply_quota_false_gives_single_evaluations() -> None:
    items = list(starrules.evaluate_many("city-2023", quota_batch(), apply_quota=False))
    five = [i.result for i in items if i.ok and i.result.stars == 5]
    assert len(five) == 6 and all(not r.quota.applied for r in five)


def test_a_standard_without_quota_is_untouched() -> None:
    items = list(starrules.evaluate_many("prov-2023", [example("five-star-branch")]))
    assert items[0].result.quota is None


def test_a_small_batch_keeps_at_least_one() -> None:
    items = list(starrules.evaluate_many("city-2023", [five_star("P", 90), five_star("Q", 95)]))
    got = {i.result.branch.id: (i.result.stars, i.result.quota.rank, i.result.quota.kept, i.result.quota.rated)
           for i in items}
    assert got == {"Q": (5, 1, 1, 2), "P": (4, 2, 1, 2)}  # max(1, floor(0.6)) = 1


def test_all_kept_when_under_the_quota() -> None:
    docs = [five_star("K", 90), *(example(n) for n in OTHERS)]
    for d, n in zip(docs[1:], range(4)):
        d["branch"]["id"] = f"O{n}"
    items = list(starrules.evaluate_many("city-2023", docs))
    q = items[0].result.quota
    assert (items[0].result.stars, q.applied, q.demoted, q.rank, q.kept, q.rated) == (5, True, False, 1, 1, 5)


def test_rule_of_city() -> None:
    rule = rule_of(standard("city-2023"))
    assert rule is not None
    assert (rule.stars, rule.demote_to, rule.minimum, rule.descending) == (5, 4, 1, (True, True, False))
    assert [rule.limit(n) for n in (0, 1, 3, 4, 10, 13, 100000)] == [1, 1, 1, 1, 3, 3, 30000]
    assert rule_of(standard("prov-2023")) is None


def test_ranking_unknown_keys_rank_last_and_input_order_breaks_full_ties() -> None:
    rule = QuotaRule("x", 5, 4, 1, Fraction(1, 2), ("a desc", "b asc"), (True, False))
    r = Ranking(rule)
    for index, key in enumerate([(None, "a"), (3, "b"), (3, "a"), (5, None), (3, "a")]):
        r.add(index, key)
    ranks = r.decide()
    assert ranks == {3: 1, 2: 2, 4: 3, 1: 4, 0: 5}
    decided = {i: r.outcome(rank) for i, rank in ranks.items()}
    assert {i for i in decided if decided[i][1].demoted} == {4, 1, 0}  # floor(5 / 2) = 2 kept
    assert {decided[i][0] for i in (4, 1, 0)} == {4} and decided[3][0] == 5
    assert all(q.kept == 2 and q.rated == 5 and q.rank == ranks[i] for i, (_, q) in decided.items())


def test_agrees_with_the_baseline_on_generated_branches(tmp_path: Path) -> None:
    """A generated batch where over 30 % reach five stars: same stars, ranks, kept and rated
    as bench/baseline.py's apply_quota."""
    std = standard("city-2023")
    from starrules._facts.read import parse_json

    lines = generated_lines(240, seed=11)
    docs = [parse_json(line) for line in lines]
    five = [d for d in docs if starrules.evaluate(std, d).stars == 5]
    chosen = five + [d for d in docs if d not in five][: len(five)]  # about half qualify
    path = write_jsonl(tmp_path / "in.jsonl", (json_line(d) for d in chosen))
    items = list(starrules.evaluate_many("city-2023", path, workers=1))
    ref = baseline.apply_quota([baseline.rate("city-2023", d) for d in chosen], chosen)
    demoted = 0
    for item, r in zip(items, ref):
        assert item.result.stars == r["stars"]
        if "demoted" in r:
            demoted += 1
            q = item.result.quota
            assert (q.rank, q.kept, q.rated) == (r["demoted"]["rank"], r["demoted"]["kept"], r["demoted"]["rated"])
            assert q.demoted
    assert demoted > 0
