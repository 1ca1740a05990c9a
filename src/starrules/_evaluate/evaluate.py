"""The native evaluator: compiled closures over validated facts -> :class:`Result`.

Per indicator: applicability (false -> NA, unknown -> UNKNOWN), then the rule (boolean
kinds) or the points (bonus, deduction, score) with the kind's status rule
(reference-standard.md §2, score-standard.md "Kinds").  Then the standard's declared rating
expressions turn the statuses into outcome, stars and score (§4).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from typing import Any, Mapping

from .._compile.standard import CompiledIndicator, CompiledStandard
from .._errors import EvaluationError, FactsError, Problem
from .._facts.unfit import unfit_problem
from .._facts.validate import ValidatedFacts
from .._compile.phrase import Phrase
from .._lang import Env, UNKNOWN, format_value
from .._lang import ast as A
from .._lang.errors import EvaluationError as RuleEvaluationError
from .._lang.values import sort_key
from .._version import __version__
from .._yaml import MAX_EXPONENT, NumberTooLarge
from .rating import rate_board, run
from .rating_builtins import Board, Row
from .result import (
    BranchInfo,
    DimensionResult,
    EvidenceRecord,
    FactToVerify,
    IndicatorResult,
    Provenance,
    QuotaInfo,
    RectificationItem,
    Result,
    ScoreResult,
    StarStepResult,
    Texts,
    Warning,
)
from .unknowns import unknown_paths

from .marks import STATUS_WORDS, status_word

MAX_TRACED = 8
#: evidence ids kept per sub-expression in a result; more end in one "… and N more" item (above
#: the largest real branches, so ordinary results list every id)
MAX_EVIDENCE = 200


def _truncated(ids: tuple[Any, ...]) -> tuple[Any, ...]:
    return ids[:MAX_EVIDENCE] + (f"… and {len(ids) - MAX_EVIDENCE} more",)


def _canonical_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value.is_finite() and value.adjusted() > MAX_EXPONENT:  # int() of 1e999999 takes half a minute
            raise NumberTooLarge(str(value))
        # one form per value, so that facts embedded in a JSON result (where 1.0 prints as 1
        # and 0.90 as 0.9) hash as the document they came from
        if value == value.to_integral_value():
            return int(value)
        return {"$num": str(value.normalize())}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def facts_hash(doc: Any, file: str | None = None) -> str:
    """sha256 of a facts document's canonical JSON (key order and layout do not matter; a YAML
    date and its ISO string hash alike; a number hashes by its value: 1, 1.0 and 1.00 alike)."""
    try:
        text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_canonical_default)
        data = text.encode("utf-8")
    except (ValueError, RecursionError) as exc:  # a lone surrogate, a 5000-digit number, a recursion
        raise FactsError(unfit_problem(doc, exc, file)) from None
    return hashlib.sha256(data).hexdigest()


def _num(value: Any) -> Any:
    return value if isinstance(value, (int, Decimal, Fraction)) and not isinstance(value, bool) else 0


class _Indicator:
    """The outcome of one indicator before it becomes a pydantic model: status, points, the
    first traced values and evidence (result ``values``/``evidence``) and the decisive trace
    itself (explain templates reuse the values it recorded)."""

    __slots__ = ("ci", "status", "points", "values", "evidence", "trace", "note", "evidence_nodes")

    def __init__(self, ci: CompiledIndicator, status: str, points: Any, trace: list[Any],
                 note: tuple[str, str] | None = None) -> None:
        self.ci = ci
        self.status = status
        self.points = points
        self.trace = trace
        self.note = note  # (zh, en) appended to the explanation: clamping, division by zero
        values: dict[str, Any] = {}
        evidence: dict[str, tuple[Any, ...]] = {}
        nodes: dict[str, int] = {}
        sort_ids = ci.sorted_evidence
        for entry in trace:
            text = entry[1]  # TraceEntry: (span, source_text, value, evidence, node, item, origin)
            if text == "year":
                continue
            ev = entry[3]
            if ev and text not in evidence:
                ids = (tuple(sorted(ev, key=sort_key)) if sort_ids and id(entry[4]) in sort_ids
                       else tuple(ev))
                evidence[text] = ids if len(ids) <= MAX_EVIDENCE else _truncated(ids)
                nodes[text] = id(entry[4])
            if text not in values and len(values) < MAX_TRACED:
                values[text] = entry[2]
        self.values = values
        self.evidence = evidence
        self.evidence_nodes = nodes


def _evidence_detail(ind: _Indicator, facts: Mapping[str, Any], record_keys: Mapping[str, str | None],
                     index: dict[str, dict[Any, Any]]) -> dict[str, tuple[Any, ...]]:
    """Per evidence list over records: each record's id with the fields its condition read."""
    fields_of = ind.ci.evidence_fields
    if not fields_of or not ind.evidence:
        return {}
    out: dict[str, tuple[Any, ...]] = {}
    for text, ids in ind.evidence.items():
        got = fields_of.get(ind.evidence_nodes.get(text, 0))
        if got is None:
            continue
        name, fields = got
        key = record_keys.get(name)
        records = facts.get(name)
        if not key or not isinstance(records, tuple):
            continue
        by_key = index.get(name)
        if by_key is None:  # once per branch and records fact
            by_key = index[name] = {r.get(key): r for r in records if isinstance(r, dict)}
        rows = []
        for i in ids:
            rec = by_key.get(i)
            if rec is not None:
                rows.append(_evidence_record({"id": i, "values": {f: rec.get(f) for f in fields if f in rec}}))
        out[text] = tuple(rows)
    return out


def _fallback_values(ci: CompiledIndicator, facts: Mapping[str, Any], ce: Any) -> dict[str, Any]:
    """The facts (not records) and parameters an indicator's rule reads, with their values:
    ``values`` for a rule whose trace recorded nothing (``secretary.is_unit_leader``)."""
    out: dict[str, Any] = {}
    params = ci.wording.std.parameters if ci.wording is not None else {}
    for path in ci.fact_reads:
        if path.startswith("*.") or path == "year":
            continue
        v = _lookup(facts, path)
        if isinstance(v, (dict, tuple)) and not (isinstance(v, tuple) and all(not isinstance(i, dict) for i in v)):
            continue
        out[path] = v
    if ce is not None:
        for name in ci.param_reads:
            value = params[name].value if name in params else None
            if value is not None and not isinstance(value, (dict, tuple)):
                out[f"${name}"] = value
    return dict(islice(out.items(), MAX_TRACED))


def _ordered_evidence(ci: CompiledIndicator, entry: Any) -> tuple[Any, ...]:
    """The evidence of an aggregate over a set (e.g. a set parameter) lists set elements in an
    order that depends on PYTHONHASHSEED: sort it, so that results are byte-identical (the
    aggregates over a set are found when the standard is compiled: ``ci.sorted_evidence``)."""
    if id(entry.node) in ci.sorted_evidence:
        return tuple(sorted(entry.evidence, key=sort_key))
    return tuple(entry.evidence)


_run = run  # the evaluator's name for it


def _cap(points: Any, cap: Any) -> Any:
    if points is UNKNOWN or cap is None:
        return points
    return points if points <= cap else cap


def evaluate_indicator(ci: CompiledIndicator, env: Env) -> _Indicator:
    spec = ci.spec
    env.trace = trace = []
    if env.marks:
        env.marks.clear()
    try:
        if ci.applies is not None:
            applies = ci.applies.decisive(env)
            if applies is False:
                return _Indicator(ci, "NA", 0, trace)
            if applies is UNKNOWN:
                return _Indicator(ci, "UNKNOWN", 0, trace)
        if ci.rule is not None:
            value = ci.rule.decisive(env)
            status = "PASS" if value is True else "FAIL" if value is False else "UNKNOWN"
            return _Indicator(ci, status, 0, trace)
        assert ci.points is not None
        points = ci.points.decisive(env)
    except RuleEvaluationError as err:
        if err.code == "rule-division-by-zero":
            # the facts cannot decide it (e.g. a share of an empty set): UNKNOWN, never an abort
            return _Indicator(ci, "UNKNOWN", 0, trace, DIVISION_NOTE)
        raise EvaluationError(Problem("eval-error", {"indicator": spec.id, "detail": err.render("en")})) from None
    if points is UNKNOWN:
        return _Indicator(ci, "UNKNOWN", 0, trace)
    kind = spec.kind
    if kind == "score":
        maximum = spec.max_points
        raw = points
        if points < 0:
            points = 0
        if maximum is not None and points > maximum:
            points = maximum
        note = None if raw is points else _clamp_note(raw, points)
        return _Indicator(ci, "PASS" if points == maximum else "FAIL", points, trace, note)
    points = _cap(points, spec.cap)
    if points < 0:
        points = 0
    if kind == "bonus":
        return _Indicator(ci, "PASS" if points > 0 else "NA", points, trace)
    return _Indicator(ci, "FAIL" if points > 0 else "PASS", points, trace)  # deduction


DIVISION_NOTE = ("计算中出现除数为零，本项无法判定，按待核实处理，请核实相关事实",
                 "a division by zero: this item cannot be decided and is unknown; check the facts it reads")


def _clamp_note(raw: Any, points: Any) -> tuple[str, str]:
    """Score items earn between 0 and their maximum: say so when the points were clamped."""
    r_zh, p_zh = format_value(raw, "zh"), format_value(points, "zh")
    r_en, p_en = format_value(raw, "en"), format_value(points, "en")
    if points == 0:
        return (f"计算得 {r_zh} 分，扣分到该项为止，按 {p_zh} 分计",
                f"computed {r_en}; deductions stop at this item's points, so it earns {p_en}")
    return (f"计算得 {r_zh} 分，超过满分，按满分 {p_zh} 分计", f"computed {r_en}, above the maximum; it earns {p_en}")


# -- explanations ---------------------------------------------------------------------------


_MISS: Any = object()
#: value types that read the same in both languages (format_value ignores the language)
_SAME_TEXT = frozenset({int, str, Decimal, Fraction, date})
_POINT_KINDS = frozenset(("bonus", "deduction", "score"))
_WORDS_ZH = STATUS_WORDS["zh"]
_WORDS_EN = STATUS_WORDS["en"]
_WORDS_EN_CAP = {k: v.capitalize() for k, v in _WORDS_EN.items()}


def _shown(value: Any) -> tuple[str, str]:
    """``format_value(value, "zh")``, ``format_value(value, "en")``."""
    t = type(value)
    if t is str:
        return value, value
    if t in _SAME_TEXT:
        text = format_value(value, "zh")
        return text, text
    return format_value(value, "zh"), format_value(value, "en")


def _points_phrases(ind: _Indicator) -> tuple[str, str]:
    spec = ind.ci.spec
    kind = spec.kind
    pts_zh, pts_en = _shown(ind.points)
    if kind == "score" and spec.max_points is not None:
        top_zh, top_en = _shown(spec.max_points)
        return f"得 {pts_zh}/{top_zh} 分", f"{pts_en} of {top_en} points"
    if kind == "bonus":
        return f"加 {pts_zh} 分", f"+{pts_en} points"
    if kind == "deduction":
        return f"扣 {pts_zh} 分", f"-{pts_en} points"
    return "", ""


def _points_phrase(ind: _Indicator, lang: str) -> str:
    return _points_phrases(ind)[0 if lang == "zh" else 1]


def _lookup(facts: Mapping[str, Any], path: str) -> Any:
    value: Any = facts
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return UNKNOWN
        value = value[part]
    return value


def _auto_sentences(ind: _Indicator, facts: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The automatic explanation (no template, or not applicable), in Chinese and English:
    the status, the points and the deciding rule parts in words, built from the facts'
    labels and descriptions and the parameters' values (never from expression text)."""
    ci = ind.ci
    spec = ci.spec
    status = ind.status
    zh: list[str] = []
    en: list[str] = []
    if status != "UNKNOWN" and spec.kind in _POINT_KINDS:
        z, e = _points_phrases(ind)
        zh.append(z)
        en.append(e)
    ce = ci.applies if status == "NA" and ci.applies is not None else ci.main
    if ce is not None and ci.wording is not None:
        by_node = {id(e[4]): e[2] for e in ind.trace if e[5] == ()}
        params = ci.wording.std.parameters
        an = ce.analysis
        wording = ci.wording

        def value_of(node: Any) -> Any:
            got = by_node.get(id(node), _MISS)
            if got is not _MISS:
                return got
            if isinstance(node, A.Param) and node.name in params:
                return params[node.name].value
            path = wording.fact_path(node, an)
            if path is not None and facts is not None and not path.startswith("*."):
                return _lookup(facts, path)
            return UNKNOWN

        phrase = Phrase(wording, an, value_of)
        zh.extend(phrase.say(an.root, "zh"))
        en.extend(phrase.say(an.root, "en"))
    head_zh = f"{spec.title}：{status_word(spec.kind, status, ind.points, 'zh')}"
    head_en = f"{spec.id} {status_word(spec.kind, status, ind.points, 'en')}"
    zh_text = head_zh + ("（" + "；".join(zh) + "）。" if zh else "。")
    en_text = head_en + (" (" + "; ".join(en) + ")." if en else ".")
    return zh_text, en_text


def _auto_sentence(ind: _Indicator, lang: str, facts: Mapping[str, Any] | None = None) -> str:
    return _auto_sentences(ind, facts)[0 if lang == "zh" else 1]


_FAILED: Any = object()


def _template_vars(ind: _Indicator, env: Env) -> None:
    spec = ind.ci.spec
    values = env.values
    values["points"] = ind.points
    values["max_points"] = spec.max_points if spec.max_points is not None else 0
    values["status"] = ind.status
    values["cap"] = spec.cap if spec.cap is not None else 0


def _sentences(ind: _Indicator, env: Env) -> tuple[str, str]:
    """The explanation in Chinese and in English: the indicator's templates, or the automatic
    sentence (also for a language whose template has a placeholder that cannot be evaluated).
    Each placeholder is evaluated once for both (or taken from the decisive trace), and shown
    once when its text is the same in both."""
    plan = ind.ci.explain
    status = ind.status
    if plan is None or status == "NA":
        return _auto_sentences(ind, env.facts)
    _template_vars(ind, env)
    trace = ind.trace
    vals = []
    failed = False
    for key, fn in plan.slots:
        v = _MISS
        if key is not None:
            for entry in trace:  # the value the rule recorded for the same expression
                if entry[1] == key and entry[5] == ():
                    v = entry[2]
                    break
        if v is _MISS:
            try:
                v = fn(env)
            except RuleEvaluationError:
                v = _FAILED
                failed = True
        vals.append(v)
    zh_texts: list[str] = []
    en_texts: list[str] = []
    for i, percent, places, in_zh, in_en, show in plan.formats:
        v = vals[i]
        t = type(v)
        if v is _FAILED:
            zh_texts.append("")
            en_texts.append("")
        elif show is not None and v is not UNKNOWN:
            zh_texts.append(show(v, "zh") if in_zh else "")
            en_texts.append(show(v, "en") if in_en else "")
        elif t is str:
            zh_texts.append(v)
            en_texts.append(v)
        elif t is int and not percent and places is None:
            text = str(v)
            zh_texts.append(text)
            en_texts.append(text)
        elif t in _SAME_TEXT:
            text = format_value(v, "zh", percent=percent, places=places)
            zh_texts.append(text)
            en_texts.append(text)
        else:
            zh_texts.append(format_value(v, "zh", percent=percent, places=places) if in_zh else "")
            en_texts.append(format_value(v, "en", percent=percent, places=places) if in_en else "")
    zh_ok = not failed or not any(vals[i] is _FAILED for i in plan.zh_slots)
    en_ok = not failed or not any(vals[i] is _FAILED for i in plan.en_slots)
    if not (zh_ok and en_ok):
        auto_zh, auto_en = _auto_sentences(ind, env.facts)
    if status != "UNKNOWN":
        pts_zh, pts_en = _points_phrases(ind)
    else:
        pts_zh = pts_en = ""
    if zh_ok:
        zh_texts.extend(plan.zh_literals)
        text = "".join(plan.zh_pick(zh_texts))
        word = status_word(ind.ci.spec.kind, status, ind.points, "zh")
        zh = f"{word}（{pts_zh}）：{text}" if pts_zh else f"{word}：{text}"
    else:
        zh = auto_zh
    if en_ok:
        en_texts.extend(plan.en_literals)
        text = "".join(plan.en_pick(en_texts))
        word = status_word(ind.ci.spec.kind, status, ind.points, "en").capitalize()
        en = f"{word} ({pts_en}): {text}" if pts_en else f"{word}: {text}"
    else:
        en = auto_en
    return zh, en


def _sentence(ind: _Indicator, env: Env, lang: str) -> str:
    """One language of :func:`_sentences`."""
    return _sentences(ind, env)[0 if lang == "zh" else 1]


# -- results ---------------------------------------------------------------------------------

_new = object.__new__


def _slot_setter(cls: type, name: str) -> Any:
    """The setter of ``cls``'s slot ``name`` (``object.__setattr__`` without the name lookup)."""
    for klass in cls.__mro__:
        d = vars(klass).get(name)
        if d is not None and hasattr(d, "__set__"):
            return d.__set__
    return lambda obj, value: object.__setattr__(obj, name, value)  # pragma: no cover


def _maker(cls: type) -> Any:
    """A builder of ``cls`` from a dict of every field, skipping validation: what
    :func:`.result.construct` does, minus its per-call bookkeeping (the evaluator's hot path)."""
    fields = cls.model_fields
    names = frozenset(fields)
    n = len(names)
    set_dict = _slot_setter(cls, "__dict__")
    set_fields = _slot_setter(cls, "__pydantic_fields_set__")
    set_extra = _slot_setter(cls, "__pydantic_extra__")
    set_private = _slot_setter(cls, "__pydantic_private__")

    def make(data: dict[str, Any]) -> Any:
        obj = _new(cls)
        if len(data) == n:
            given = set(names)
        else:  # a field added to the model since: its default, as construct() does
            given = set(data)
            data = {**{k: f.get_default(call_default_factory=True) for k, f in fields.items()
                       if k not in data and not f.is_required()}, **data}
        set_dict(obj, data)
        set_fields(obj, given)
        set_extra(obj, None)
        set_private(obj, None)
        return obj

    return make


_indicator_result = _maker(IndicatorResult)
_evidence_record = _maker(EvidenceRecord)
_texts = _maker(Texts)
_dimension_result = _maker(DimensionResult)
_step_result = _maker(StarStepResult)
_rectification_item = _maker(RectificationItem)
_result = _maker(Result)
_score_result = _maker(ScoreResult)
_branch_info = _maker(BranchInfo)
_provenance = _maker(Provenance)
_tuple_new = tuple.__new__


def evaluate_facts(
    cs: CompiledStandard,
    vf: ValidatedFacts,
    *,
    facts_sha256: str,
    engine: str = "native",
    embed: Mapping[str, Any] | None = None,
    statuses: Mapping[str, tuple[str, Any]] | None = None,
    decisions: Any = None,
) -> Result:
    """Rate validated facts. ``statuses`` lets another engine supply the indicator decisions
    (id -> (status, points)); explanations are still drawn from the same compiled rules.
    ``decisions`` lets it make the rating decisions too: an object with
    ``decide(board, env) -> outcome`` (it may preset ``board._lit``, the lit dimensions) and
    ``after_stars(stars) -> "met" | "pending"`` (called for ``met`` once the declared star
    steps are computed); see starrules._engines.durable."""
    env = Env(vf.values, vf.year, {}, [])
    done: list[_Indicator] = []
    rows: list[Row] = []
    for ci in cs.indicators:
        ind = evaluate_indicator(ci, env)
        if statuses is not None:
            ind.status, ind.points = statuses[ci.id]
        done.append(ind)
        spec = ci.spec
        rows.append(_tuple_new(Row, (spec.id, spec.kind, spec.dimension, ind.status, ind.points, spec.cap)))
    board = Board(rows, cs.dimension_ids, cs.board_index)
    return _rate(cs, vf, env, done, board, facts_sha256=facts_sha256, engine=engine, embed=embed,
                 decisions=decisions)


def _rate(cs: CompiledStandard, vf: ValidatedFacts, env: Env, done: list[_Indicator], board: Board, *,
          facts_sha256: str, engine: str, embed: Mapping[str, Any] | None, decisions: Any = None) -> Result:
    rated = rate_board(cs, env, board, runner=lambda ce, name: _run(ce.fn, env, name), decisions=decisions)
    outcome, stars, score, values = rated.outcome, rated.stars, rated.score, rated.values
    steps = [
        _step_result({"expr": ce.text, "stars": None if after is UNKNOWN else int(after),
                      "note": _texts({"zh": step.note.zh, "en": step.note.en}) if step and step.note else None})
        for ce, step, _before, after in rated.steps
    ]
    rating = cs.rating

    rows = board.rows
    indicators = []
    by_key: dict[str, dict[Any, Any]] = {}
    for d in done:
        ci = d.ci
        spec = ci.spec
        status = d.status
        unknown_facts: tuple[str, ...] = ()
        if status == "UNKNOWN":
            unknown_facts = (ci.fact_reads if d.note is DIVISION_NOTE
                             else tuple(unknown_paths(ci.fact_reads, vf.values, cs.record_keys)))
        zh, en = _sentences(d, env)
        if d.note is not None:
            zh, en = _with_note(zh, d.note[0], "。"), _with_note(en, d.note[1], ".")
        main = ci.rule or ci.points
        if not d.values and status != "NA" and main is not None:
            d.values = _fallback_values(ci, vf.values, main)
        indicators.append(_indicator_result({
            "id": spec.id, "dimension": spec.dimension, "kind": spec.kind, "title": spec.title, "status": status,
            "points": d.points, "max_points": spec.max_points, "citation": ci.citation,
            "rule": main.source.text if main is not None else None,
            "values": d.values, "evidence": d.evidence,
            "evidence_detail": _evidence_detail(d, vf.values, cs.record_keys, by_key),
            "unknown_facts": unknown_facts,
            "explanation": _texts({"zh": zh, "en": en}),
        }))

    lit = board.lit_map()
    stars_by_dim = board.index.stars_by_dim
    titles = cs.dimension_titles
    dimensions = []
    for dim in cs.dimension_ids:
        stars_here = [rows[i] for i in stars_by_dim[dim]]
        dimensions.append(_dimension_result({
            "id": dim, "title": titles[dim], "lit": lit[dim],
            "passed": tuple([r.id for r in stars_here if r.status == "PASS"]),
            "failed": tuple([r.id for r in stars_here if r.status == "FAIL"]),
            "unknown": tuple([r.id for r in stars_here if r.status == "UNKNOWN"]),
        }))

    # 整改清单: not met -> the failures the not_met condition names; below the pass line ->
    # every item that lost points or failed; otherwise -> every failed cap (it limits the stars)
    rectification: list[RectificationItem] = []
    below = rated.below_pass_line
    for res, row in zip(indicators, rows):
        if res.status != "FAIL":
            continue
        if below or (rated.outcome == "not_met" and rating.blocks(row)) or (
                outcome != "not_met" and res.kind == "cap"):
            rectification.append(_rectification_item({"id": res.id, "title": res.title, "kind": res.kind,
                                                       "explanation": res.explanation}))
    to_verify: list[str] = []
    if outcome == "pending":
        for res, row in zip(indicators, rows):
            if res.status == "UNKNOWN" and rating.waits_for(row):
                to_verify.extend(res.unknown_facts)
        to_verify.extend(unknown_paths(rating.pending_fact_reads, vf.values, cs.record_keys))
        if not to_verify:  # pending from status(), a star step, a score or the pass line
            for res in indicators:
                if res.status == "UNKNOWN":
                    to_verify.extend(res.unknown_facts)
            to_verify.extend(unknown_paths(rating.read_fact_paths, vf.values, cs.record_keys))
        if not to_verify:
            to_verify.extend(res.id for res in indicators if res.status == "UNKNOWN")
        to_verify = list(dict.fromkeys(to_verify))
    labelled = tuple(FactToVerify(fact=f, label=_texts({"zh": _fact_name(cs, f, "zh"), "en": _fact_name(cs, f, "en")}))
                     for f in to_verify)

    # by fact path, not by position in the file: the result depends on the facts, not their layout
    warnings = [_warning(w) for w in sorted(vf.warnings, key=lambda w: (w.path or "", w.code))]
    eff = cs.resolved.effective
    if not eff.covers_year(vf.year):
        period = f"{eff.from_}..{eff.to or ''}"
        p = Problem("facts-year-outside", {"year": vf.year, "standard": cs.id, "period": period})
        warnings.append(Warning(code=p.code, path="year", message=Texts(zh=p.message("zh"), en=p.message("en"))))

    quota = None
    q = cs.resolved.rating.quota
    if q is not None and stars == q.stars:
        quota = QuotaInfo(applied=False, note=Texts(
            zh=f"单独评价不适用名额限制；与其他支部一起评价时，{q.stars} 星受名额比例限制，可能降为 {q.demote_to} 星。",
            en=f"A single evaluation does not apply the quota; rated together with other branches, "
               f"{q.stars} stars are limited by the quota and may become {q.demote_to}."))

    branch = vf.values.get("branch")
    branch = branch if isinstance(branch, dict) else {}
    label = cs.resolved.rating.labels.get(outcome, outcome)  # type: ignore[call-overload]
    return _result({
        "standard": cs.info,
        "branch": _branch_info({"id": vf.branch_id or "", "name": _str(branch.get("name")),
                                "unit": _str(branch.get("unit"))}),
        "year": vf.year,
        "outcome": outcome,
        "outcome_label": label,
        "stars": stars,
        "score": score,
        "indicators": tuple(indicators),
        "dimensions": tuple(dimensions),
        "rating_values": {k: (None if v is UNKNOWN else v) for k, v in values.items()},
        "scores": _scores(rating, rated.scores),
        "has_stars": rating.has_stars,
        "star_steps": tuple(steps),
        "rectification_list": tuple(rectification),
        "facts_to_verify": tuple(to_verify),
        "facts_to_verify_labels": labelled,
        "warnings": tuple(warnings),
        "quota": quota,
        "provenance": _provenance({"facts_sha256": facts_sha256, "starrules_version": __version__,
                                   "engine": engine}),
        "facts": dict(embed) if embed is not None else None,
    })


def _with_note(text: str, note: str, stop: str) -> str:
    return (text[:-1] if text.endswith(stop) else text) + ("；" if stop == "。" else "; ") + note + stop


def _scores(rating: Any, values: Mapping[str, Any]) -> tuple[ScoreResult, ...]:
    out = []
    for sc in rating.scores:
        v = values.get(sc.name)
        v = None if v is UNKNOWN else v
        passed = None if v is None or sc.pass_line is None else v >= sc.pass_line
        label = _texts({"zh": sc.label.zh, "en": sc.label.en}) if sc.label is not None else None
        out.append(_score_result({"id": sc.name, "label": label, "value": v, "max": sc.max,
                                  "pass_line": sc.pass_line, "passed": passed}))
    return tuple(out)


_WARNINGS: dict[Any, Warning] = {}


def _warning(w: Problem) -> Warning:
    """A facts warning as a result model; the same warning (code, path, parameters) is built
    once (many documents of a batch carry the same undeclared facts)."""
    try:
        key = (w.code, w.path, tuple(sorted(w.params.items())))
        got = _WARNINGS.get(key)
    except TypeError:  # a parameter that cannot be a key
        key, got = None, None
    if got is None:
        got = Warning(code=w.code, path=w.path, message=Texts(zh=w.message("zh"), en=w.message("en")))
        if key is not None:
            if len(_WARNINGS) >= 4096:
                _WARNINGS.clear()
            _WARNINGS[key] = got
    return got


def _fact_name(cs: CompiledStandard, path: str, lang: str) -> str:
    """A fact to verify by its label (群众满意度测评结果); the record field's label for
    ``*.present``; the key only when the standard gives neither label nor description."""
    w = cs.wording
    name = w.name(path, lang) if w is not None else None
    if name is None and w is not None and lang == "en":
        name = w.name(path, "zh")
    return name or path


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
