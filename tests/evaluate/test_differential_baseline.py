"""starrules' YAML standards rate exactly as an independent plain-Python implementation of
the spec (bench/baseline.py) on generated branches: statuses, points, outcome, stars, score."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ._support import SHIPPED, baseline, branches, differences, generate, as_json_doc


@pytest.mark.parametrize("sid", SHIPPED)
def test_generated_population_agrees(sid: str) -> None:
    bad = {}
    for doc in branches(150, seed=11):
        diff = differences(sid, doc)
        if diff:
            bad[doc["branch"]["id"]] = diff
    assert not bad, bad


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), profile=st.sampled_from([None, *generate.PROFILES]),
       year=st.sampled_from([2023, 2024]))
def test_any_generated_branch_agrees(seed: int, profile: str | None, year: int) -> None:
    import random

    doc = as_json_doc(generate.generate_branch(random.Random(seed), year, profile=profile, branch_id="B1"))
    for sid in SHIPPED:
        assert differences(sid, doc) == [], (sid, seed, profile)


def test_quota_agrees_with_baseline() -> None:
    docs = list(branches(40, seed=5))
    from ._support import standard
    import starrules

    std = standard("city-2023")
    results = [starrules.evaluate(std, d) for d in docs]
    ref = [baseline.rate("city-2023", d) for d in docs]
    assert [(r.outcome, r.stars, r.score) for r in results] == [(b["outcome"], b["stars"], b["score"]) for b in ref]
