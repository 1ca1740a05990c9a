"""The durable_rules (Rete) backend: ``evaluate(std, facts, engine="durable")``.

One durable_rules ``Host`` per process, one ruleset per compiled standard (named by its id
and content hash, so two standards, or two versions of one, never collide), one session per
branch, deleted as soon as the branch is rated.  The shared compiler computes the values of
the rule-language expressions and asserts them as derived facts; rules firing in the
session decide every status and the rating (see :mod:`.plan` and docs/engines.md).  The
result is then built by the native evaluator's ``evaluate_facts`` with those decisions
(``statuses=``, ``decisions=``), so the result model and the explanations are the same.

Known behaviour of durable_rules 2.0.28 this module designs around:

* a ruleset holds at most 1024 live sessions (the next raises MemoryError): each branch's
  session is deleted in a ``finally`` as soon as it is rated;
* ``Host()`` starts background timer threads that dispatch actions of every ruleset
  concurrently with the caller: this host disables them (every action runs synchronously
  inside the call that triggered it), and every call into durable_rules holds one
  process-wide lock (its C state is a process-global handle table);
* ``Host.set_rulesets`` mutates the definition it is given: a fresh one is built each time;
* a fact no rule matches raises MessageNotHandledException: a sink rule matches every fact
  type; asserting the same fact twice raises MessageObservedException: every asserted fact
  is distinct (indicator id, condition term, ...);
* an exception inside an action is swallowed (stored in the session state): actions record
  their own errors, and after every phase the engine checks that the decisions it expects
  were made exactly once; anything else becomes :class:`starrules.EngineError`.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Mapping
from typing import Any

from .._compile.standard import CompiledStandard
from .._errors import EngineError, Problem
from .._evaluate.evaluate import _run, evaluate_facts
from .._evaluate.rating_builtins import Board
from .._evaluate.result import Result
from .._facts.validate import ValidatedFacts
from .._lang import UNKNOWN, Env
from .plan import Actions, Plan, build_plan, indicator_fact, truth

INSTALL_HINT = "pip install 'starrules[durable]'  (or: pip install durable-rules==2.0.28)"

#: Serialises every call into durable_rules (one host per process; see the module docstring).
LOCK = threading.RLock()

_engine_module: Any = None
_host: Any = None
_plans: dict[tuple[str, str], Plan] = {}
_sessions: dict[str, _Session] = {}
_sids = itertools.count(1)


def _error(detail: str, cs: CompiledStandard | None = None, branch: str | None = None) -> EngineError:
    where = []
    if cs is not None:
        where.append(f"standard {cs.id}")
    if branch:
        where.append(f"branch {branch}")
    text = f"durable_rules: {detail}" + (f" ({', '.join(where)})" if where else "")
    return EngineError(Problem("engine-error", {"detail": text}))


def durable_engine() -> Any:
    """The ``durable.engine`` module, or an EngineError saying how to install it."""
    global _engine_module
    if _engine_module is None:
        try:
            from durable import engine
        except ImportError as exc:  # not installed, or its C extension cannot load
            raise EngineError(Problem("engine-missing", {
                "detail": f"durable-rules 2.0.28 is not installed or cannot load ({exc})"})) from None
        # durable logs the errors it swallows; they become EngineError here, never stderr noise
        logging.getLogger("durable").addHandler(logging.NullHandler())
        _engine_module = engine
    return _engine_module


def available() -> bool:
    try:
        durable_engine()
    except EngineError:
        return False
    return True


def _get_host() -> Any:
    global _host
    if _host is None:
        engine = durable_engine()

        class SyncHost(engine.Host):  # type: ignore[name-defined, misc]
            """A Host without the background dispatch threads: actions run synchronously in
            the call that asserted their facts, under :data:`LOCK`."""

            def _run(self) -> None:
                return None

        _host = SyncHost()
    return _host


# -- sessions and the actions the rules run --------------------------------------------------


class _Session:
    """What the rules of one branch's session concluded (filled by the actions)."""

    __slots__ = ("errors", "finals", "flags", "interrupted", "lit", "outcomes", "points", "sid", "status")

    def __init__(self, sid: str) -> None:
        self.sid = sid
        self.points: dict[str, Any] = {}
        self.status: dict[str, tuple[str, Any]] = {}
        self.flags: list[tuple[str, int, str]] = []
        self.lit: set[str] = set()
        self.outcomes: set[str] = set()
        self.finals: set[str] = set()
        self.errors: list[str] = []
        self.interrupted = False


def _session_of(fact: Mapping[str, Any]) -> _Session:
    return _sessions[fact["sid"]]


def _guard(action: Any) -> Any:
    """durable_rules swallows exceptions raised by actions: record them on the session."""

    def run(c: Any) -> None:
        try:
            action(c)
        except BaseException as exc:  # noqa: BLE001 - reported after the phase
            for fact in (c._m or {}).values():
                sess = _sessions.get(fact.get("sid")) if isinstance(fact, dict) else None
                if sess is not None:
                    if isinstance(exc, KeyboardInterrupt):
                        sess.interrupted = True
                    sess.errors.append(f"{type(exc).__name__}: {exc}")
                    break

    return run


class _Actions(Actions):
    def status(self, status: str, with_points: bool) -> Any:
        def act(c: Any) -> None:
            m = c._m["m"]
            sess = _session_of(m)
            iid = m["iid"]
            if iid in sess.status:
                sess.errors.append(f"indicator {iid} was decided twice")
            sess.status[iid] = (status, sess.points[iid] if with_points else 0)
            c.assert_fact({"t": "status", "iid": iid, "kind": m["kind"], "dim": m["dim"], "status": status})

        return _guard(act)

    def flag(self, condition: str | None, index: int | None, value: str) -> Any:
        def act(c: Any) -> None:
            m = c._m["m"]
            sess = _session_of(m)
            e = condition if condition is not None else m["e"]
            i = index if index is not None else m["i"]
            by = m["iid"] if condition is not None else ""
            sess.flags.append((e, i, value))
            c.assert_fact({"t": "flag", "e": e, "i": i, "v": value, "by": by})

        return _guard(act)

    def lit(self) -> Any:
        def act(c: Any) -> None:
            s = c._m["s"]
            _session_of(s).lit.add(s["dim"])

        return _guard(act)

    def outcome(self, outcome: str) -> Any:
        def act(c: Any) -> None:
            _session_of(c._m["d"]).outcomes.add(outcome)

        return _guard(act)

    def final(self, outcome: str) -> Any:
        def act(c: Any) -> None:
            _session_of(c._m["m"]).finals.add(outcome)

        return _guard(act)

    def never(self) -> Any:
        def act(c: Any) -> None:
            raise RuntimeError("the sink rule fired")

        return _guard(act)


_ACTIONS = _Actions()


def plan_for(cs: CompiledStandard) -> Plan:
    """The plan of a compiled standard, its ruleset registered with the host (once)."""
    key = (cs.id, cs.sha256)
    plan = _plans.get(key)
    if plan is not None:
        return plan
    with LOCK:
        plan = _plans.get(key)
        if plan is None:
            host = _get_host()
            plan = build_plan(cs)
            try:
                host.set_rulesets(plan.definition(_ACTIONS))  # a fresh dict: set_rulesets mutates it
            except Exception as exc:  # noqa: BLE001
                raise _error(f"cannot register the rules ({type(exc).__name__}: {exc})", cs) from None
            _plans[key] = plan
    return plan


class _Run:
    """One branch in one session: the phases, and the rating hook for evaluate_facts."""

    def __init__(self, cs: CompiledStandard, plan: Plan, vf: ValidatedFacts) -> None:
        self.cs = cs
        self.plan = plan
        self.branch = vf.branch_id
        self.sess = _Session(str(next(_sids)))

    def error(self, detail: str) -> EngineError:
        return _error(detail, self.cs, self.branch)

    def phase(self, name: str, facts: list[dict[str, Any]]) -> None:
        sid = self.sess.sid
        for f in facts:
            f["sid"] = sid
        host = _get_host()
        try:
            with LOCK:
                host.assert_facts(self.plan.name, facts)
        except MemoryError:
            raise self.error(f"{name}: out of session memory (too many live sessions)") from None
        except Exception as exc:  # noqa: BLE001 - MessageNotHandled/Observed, C errors, ...
            raise self.error(f"{name}: {type(exc).__name__}: {getattr(exc, 'message', exc)}") from None
        if self.sess.interrupted:  # Ctrl-C inside an action: durable_rules swallowed it
            raise KeyboardInterrupt
        if self.sess.errors:
            raise self.error(f"{name}: an action failed: {self.sess.errors[0]}")

    def delete(self) -> None:
        with LOCK:
            _get_host().delete_state(self.plan.name, self.sess.sid)

    # -- phase 1: indicator statuses ------------------------------------------------------
    def statuses(self, vf: ValidatedFacts) -> dict[str, tuple[str, Any]]:
        env = Env(vf.values, vf.year, {}, [])
        facts = []
        for ci in self.cs.indicators:
            fact, points = indicator_fact(ci, env, _run)
            self.sess.points[ci.id] = points
            facts.append(fact)
        self.phase("indicator statuses", facts)
        got = self.sess.status
        missing = [i for i in self.plan.indicator_ids if i not in got]
        if missing:
            raise self.error(f"no rule decided the status of {', '.join(missing[:5])}")
        return {i: got[i] for i in self.plan.indicator_ids}

    # -- phase 2: lit dimensions and outcome (called by evaluate_facts' _rate) ------------------
    def decide(self, board: Board, env: Env) -> str:
        sess = self.sess
        opaque = self.plan.opaque_terms
        if not opaque:
            self.phase("rating", [{"t": "lit"}, {"t": "decide"}])
            board._lit = {d: d in sess.lit for d in board.dimensions}
        else:
            # a term may read lit dimensions; its flags must all be in before `decide` arrives
            # (Rete negation sees only the facts present when the rule fires)
            self.phase("lit dimensions", [{"t": "lit"}])
            board._lit = {d: d in sess.lit for d in board.dimensions}
            terms = self.term_facts(env)
            if terms:
                self.phase("rating terms", terms)
            self.phase("rating", [{"t": "decide"}])
        if len(sess.outcomes) != 1:
            raise self.error(f"the outcome rules concluded {sorted(sess.outcomes) or 'nothing'}")
        return next(iter(sess.outcomes))

    def term_facts(self, env: Env) -> list[dict[str, Any]]:
        """Values of the condition terms Rete cannot match, each computed only where the
        native evaluator would compute it (``a or b`` does not evaluate b when a is true)."""
        true_terms = {(e, i) for e, i, v in self.sess.flags if v == "true"}
        facts: list[dict[str, Any]] = []
        decided: set[str] = set()
        for term in self.plan.terms:
            if term.condition in decided:
                continue
            if term.func is not None:
                if (term.condition, term.index) in true_terms:
                    decided.add(term.condition)
                continue
            value = _run(term.fn, env, f"rating.{term.condition}")
            facts.append({"t": "term", "e": term.condition, "i": term.index, "v": truth(value)})
            if value is True:
                decided.add(term.condition)
        return facts

    # -- phase 3: star steps known? ---------------------------------------------------------
    def after_stars(self, stars: Any) -> str:
        self.phase("stars", [{"t": "stars", "v": "unknown" if stars is UNKNOWN else "known"}])
        if len(self.sess.finals) != 1:
            raise self.error(f"the star rules concluded {sorted(self.sess.finals) or 'nothing'}")
        return next(iter(self.sess.finals))


def evaluate_durable(
    cs: CompiledStandard,
    vf: ValidatedFacts,
    *,
    facts_sha256: str,
    embed: Mapping[str, Any] | None = None,
) -> Result:
    """Rate validated facts with durable_rules making every decision (same Result as native)."""
    durable_engine()
    plan = plan_for(cs)
    run = _Run(cs, plan, vf)
    sid = run.sess.sid
    _sessions[sid] = run.sess
    failed = True
    try:
        statuses = run.statuses(vf)
        result = evaluate_facts(cs, vf, facts_sha256=facts_sha256, engine="durable", embed=embed,
                                statuses=statuses, decisions=run)
        failed = False
        return result
    finally:
        _sessions.pop(sid, None)
        try:
            run.delete()
        except Exception as exc:  # noqa: BLE001
            # no state when nothing was asserted (e.g. a rule error before phase 1)
            if not failed:
                raise run.error(f"cannot delete the session ({type(exc).__name__}: {exc})") from None


def live_sessions() -> int:
    """Sessions being rated right now (0 when idle): every rated branch's state is deleted."""
    return len(_sessions)


__all__ = [
    "INSTALL_HINT",
    "LOCK",
    "available",
    "durable_engine",
    "evaluate_durable",
    "live_sessions",
    "plan_for",
]
