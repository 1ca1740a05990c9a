"""The durable_rules backend's behaviour: sessions, several standards, threads, failures."""

from __future__ import annotations

import json
import random
import sys
import threading
from pathlib import Path

import pytest

import starrules
from starrules._engines import durable as D
from starrules._engines.plan import build_plan

from ._support import (
    ODD,
    ROOT,
    SHIPPED,
    assert_same,
    branch,
    generate,
    run,
    standard,
)

needs_durable = pytest.mark.skipif(not D.available(), reason="durable-rules is not installed")
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def minimal(i: int) -> dict:
    return {"branch": {"id": f"S{i:06d}"}, "year": 2023}


def odd_doc(i: int) -> dict:
    """Facts for the odd standard that rate without a rule error, repeating every 84 branches."""
    x = (0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13)[i % 12]
    return {"branch": {"id": f"S{i:06d}"}, "year": 2023, "x": x, "z": i % 7, "flag": bool(i % 2)}


# -- not installed ----------------------------------------------------------------------------


@pytest.fixture
def without_durable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(D, "_engine_module", None)
    monkeypatch.setattr(D, "_host", None)
    monkeypatch.setattr(D, "_plans", {})
    for name in [m for m in sys.modules if m == "durable" or m.startswith("durable.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "durable", None)  # import durable -> ImportError


def test_not_installed_is_an_engine_error(without_durable: None) -> None:
    with pytest.raises(starrules.EngineError) as info:
        starrules.evaluate(standard("prov-2023"), minimal(1), engine="durable")
    problem = info.value.problems[0]
    assert problem.code == "engine-missing"
    assert "pip install" in str(info.value) and "durable" in str(info.value)
    assert not D.available()
    # the native engine is unaffected
    assert starrules.evaluate(standard("prov-2023"), minimal(1)).outcome == "pending"


def test_not_installed_cli(without_durable: None, run_cli, tmp_path: Path) -> None:
    facts = tmp_path / "f.json"
    facts.write_text(json.dumps(minimal(1)), encoding="utf-8")
    res = run_cli("evaluate", facts, "--standard", "prov-2023", "--engine", "durable", "--lang", "en")
    assert res.exit_code == 1
    out = res.output + (res.stderr if hasattr(res, "stderr") else "")
    assert "engine-missing" in out and "not installed" in out
    assert "pip install" in out
    assert "Traceback" not in out


# -- same results ------------------------------------------------------------------------------


@needs_durable
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("sid", SHIPPED)
def test_examples_agree(sid: str, path: Path) -> None:
    assert_same(standard(sid), str(path))


@needs_durable
def test_cli_engine_durable_json(run_cli, tmp_path: Path) -> None:
    facts = tmp_path / "f.json"
    facts.write_text(json.dumps(generate.generate_branch(random.Random(5), 2023, profile="standard")),
                     encoding="utf-8")
    out = {}
    for engine in ("native", "durable"):
        res = run_cli("evaluate", facts, "--standard", "prov-2023", "--engine", engine, "--format", "json")
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        assert doc["provenance"].pop("engine") == engine
        out[engine] = doc
    assert out["native"] == out["durable"]


@needs_durable
def test_provenance_says_durable() -> None:
    res = starrules.evaluate(standard("prov-2023"), branch("prov-2023", 1, None, []), engine="durable")
    assert res.provenance.engine == "durable"


# -- sessions -----------------------------------------------------------------------------------


def _old_state_gone(plan_name: str, sid: str) -> bool:
    try:
        D._get_host().get_state(plan_name, sid)
    except Exception:  # noqa: BLE001 - durable: "Could not get state" for a deleted session
        return True
    return False


@needs_durable
def test_thousands_of_sessions_in_one_process() -> None:
    """durable_rules holds at most 1024 live sessions per ruleset: each branch's state is
    deleted once it is rated, so any number of branches can be rated in one process."""
    odd = standard(str(ODD))
    first_sid = None
    for i in range(3000):
        res = starrules.evaluate(odd, odd_doc(i), engine="durable")
        assert res.branch.id == f"S{i:06d}"
        if first_sid is None:
            first_sid = str(next(D._sids) - 1)
    assert D.live_sessions() == 0
    assert _old_state_gone(D.plan_for(odd.compiled).name, first_sid)
    prov = standard("prov-2023")
    for i in range(1030):  # beyond 1024 on a shipped standard too
        assert starrules.evaluate(prov, minimal(i), engine="durable").outcome == "pending"
    assert D.live_sessions() == 0


@needs_durable
@pytest.mark.slow
def test_hundred_thousand_branches() -> None:
    odd = standard(str(ODD))

    def key(res: starrules.Result) -> tuple:
        return res.outcome, res.stars, res.score, tuple((i.status, i.points) for i in res.indicators)

    # odd_doc's facts repeat every 84 branches
    native = [key(starrules.evaluate(odd, odd_doc(i))) for i in range(84)]
    for i in range(100_000):
        assert key(starrules.evaluate(odd, odd_doc(i), engine="durable")) == native[i % 84], i
    assert D.live_sessions() == 0


# -- several standards side by side ---------------------------------------------------------------


@needs_durable
def test_two_versions_of_one_id_do_not_collide(tmp_path: Path) -> None:
    """Same id, different content: two rulesets (named by id + content hash), each rating
    exactly as its own native evaluator."""
    text = (ROOT / "standards" / "prov-2023.yaml").read_text(encoding="utf-8")
    changed = text.replace("lit_star_max: {value: 4", "lit_star_max: {value: 3", 1)
    assert changed != text
    path = tmp_path / "prov-2023.yaml"
    path.write_text(changed, encoding="utf-8")
    other = starrules.load_standard(str(path))
    shipped = standard("prov-2023")
    assert other.id == shipped.id and other.sha256 != shipped.sha256
    assert D.plan_for(other.compiled).name != D.plan_for(shipped.compiled).name
    differ = 0
    for seed in range(80):
        doc = branch("prov-2023", seed, None, [])
        a = assert_same(shipped, doc)
        b = assert_same(other, doc)
        differ += a != b
    assert differ > 0  # the two versions really rate differently


@needs_durable
def test_all_standards_interleaved() -> None:
    for seed in range(25):
        for sid in SHIPPED:
            assert_same(standard(sid), branch(sid, seed, None, []))


@needs_durable
def test_threads_share_the_host() -> None:
    """Evaluations from many threads at once (access to the host is serialised by a lock)."""
    jobs = [(sid, seed) for seed in range(30) for sid in SHIPPED]
    docs = {(sid, seed): branch(sid, seed, None, []) for sid, seed in jobs}
    expected = {job: run(standard(job[0]), docs[job], "native") for job in jobs}
    errors: list[str] = []

    def worker(part: list) -> None:
        for job in part:
            got = run(standard(job[0]), docs[job], "durable")
            if got != expected[job]:
                errors.append(f"{job}: differs")

    threads = [threading.Thread(target=worker, args=(jobs[k::8],)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert D.live_sessions() == 0


@needs_durable
def test_no_background_threads() -> None:
    """durable_rules' Host starts timer threads dispatching actions behind the caller's back;
    this backend's host does not."""
    before = threading.active_count()
    host = D._get_host()
    starrules.evaluate(standard("prov-2023"), minimal(1), engine="durable")
    assert not hasattr(host, "_d_timer") and not hasattr(host, "_t_timer")
    assert threading.active_count() <= before


@needs_durable
def test_ctrl_c_inside_an_action_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fact: dict) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(D, "_session_of", interrupted)
    with pytest.raises(KeyboardInterrupt):
        starrules.evaluate(standard("prov-2023"), minimal(1), engine="durable")
    monkeypatch.undo()
    assert D.live_sessions() == 0
    assert_same(standard("prov-2023"), branch("prov-2023", 4, None, []))


# -- failures inside the engine become EngineError ----------------------------------------------


@needs_durable
def test_a_failing_action_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fact: dict) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(D, "_session_of", broken)  # durable_rules would swallow this
    with pytest.raises(starrules.EngineError) as info:
        starrules.evaluate(standard("prov-2023"), minimal(7), engine="durable")
    text = str(info.value)
    assert "boom" in text and "prov-2023" in text and "S000007" in text
    monkeypatch.undo()
    assert D.live_sessions() == 0
    assert_same(standard("prov-2023"), branch("prov-2023", 3, None, []))


@needs_durable
def test_a_failing_host_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    host = D._get_host()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("native failure")

    monkeypatch.setattr(host, "assert_facts", boom)
    with pytest.raises(starrules.EngineError, match="native failure"):
        starrules.evaluate(standard("city-2023"), minimal(1), engine="durable")

    def full(*args: object, **kwargs: object) -> None:
        raise MemoryError()

    monkeypatch.setattr(host, "assert_facts", full)
    with pytest.raises(starrules.EngineError, match="sessions"):
        starrules.evaluate(standard("city-2023"), minimal(1), engine="durable")
    monkeypatch.undo()
    assert D.live_sessions() == 0
    assert starrules.evaluate(standard("city-2023"), minimal(1), engine="durable").outcome == "pending"


@needs_durable
def test_an_undecided_indicator_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = D.indicator_fact

    def odd_fact(ci, env, run):  # a value no status rule matches (the sink still handles it)
        fact, points = real(ci, env, run)
        if ci.id == "ORG-01":
            fact["applies"] = "maybe"
        return fact, points

    monkeypatch.setattr(D, "indicator_fact", odd_fact)
    with pytest.raises(starrules.EngineError, match="ORG-01"):
        starrules.evaluate(standard("prov-2023"), minimal(1), engine="durable")
    monkeypatch.undo()
    assert D.live_sessions() == 0


@needs_durable
def test_a_division_by_zero_is_the_same_unknown_indicator() -> None:
    odd = standard(str(ODD))
    doc = {"branch": {"id": "e"}, "year": 2023, "x": 7}  # B-5: 10 / (x - 7)
    native, durable = run(odd, doc, "native"), run(odd, doc, "durable")
    assert native[0] == "ok" and native == durable
    b5 = next(i for i in native[1]["indicators"] if i["id"] == "B-5")
    assert b5["status"] == "UNKNOWN" and "除数为零" in b5["explanation"]["zh"]
    assert D.live_sessions() == 0


# -- the plan -------------------------------------------------------------------------------------


def test_plan_terms() -> None:
    """The rating conditions: failed()/unknown() calls are matched by Rete; anything else is a
    term the compiler computes."""
    prov = build_plan(standard("prov-2023").compiled)
    assert [(t.condition, t.func, t.kinds) for t in prov.terms] == [
        ("not_met", "failed", ("veto", "required")), ("pending", "unknown", ("veto", "required", "deduction"))]
    city = build_plan(standard("city-2023").compiled)
    assert [(t.condition, t.func) for t in city.terms] == [
        ("not_met", "failed"), ("pending", "unknown"), ("pending", None)]
    assert city.opaque_terms[0].text == "not known(review_score)"
    assert prov.name.startswith("starrules-prov-2023-") and prov.name != build_plan(
        standard("port-group-2023").compiled).name


def test_plan_definition_is_fresh() -> None:
    """durable_rules' set_rulesets mutates its argument: every call builds a new one."""
    plan = build_plan(standard("prov-2023").compiled)

    class Stub(D._Actions):
        pass

    a, b = plan.definition(Stub()), plan.definition(Stub())
    assert a is not b and a[plan.name] is not b[plan.name]
    assert set(a[plan.name]) == set(b[plan.name])

