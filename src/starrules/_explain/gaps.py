"""What must change in the facts for an indicator to pass, in the facts' own terms.

Derived generically from a fully traced re-run of the indicator's rule (no indicator is
special-cased): a failed comparison ``a >= k * b`` says how much ``a`` must grow (whole
numbers for counts), a ``share``/``count`` of records says how many more records must
satisfy the condition, a coverage test ``months(x) ⊇ 1..12`` names the missing months (or
quarters), ``all(C, P)`` names the records that do not satisfy ``P``, a boolean fact says
which way it must turn; anything else gets a plain sentence.  An unknown value asks for the
fact behind it.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from typing import Any

from pydantic import Field

from .._compile.standard import CompiledIndicator
from .._evaluate.result import AnyValue, _Model
from .._evaluate.unknowns import unknown_paths
from .._lang import UNKNOWN, TraceEntry
from .._lang import ast as A
from .._lang import types as T
from .._lang.check import Analysis
from .._lang.compile import compile_analysis
from .._lang.errors import RuleError
from .._lang.values import sort_key
from .._compile.phrase import NEGATED, OPS, Phrase, words
from .._compile.wording import record_key
from .session import Session
from .words import (
    is_number,
    listing,
    month_words,
    percent,
    quarter_words,
    show,
    show_param,
)

MAX_GAPS = 8


class Gap(_Model):
    """One thing to change: ``text`` says it; the other fields hold it as data."""

    text: str
    expr: str | None = Field(default=None, description="the sub-expression of the rule it concerns")
    current: AnyValue = None
    required: AnyValue = Field(default=None, description="the value it must reach")
    change: AnyValue = Field(default=None, description="how much it must change (a number), when it is one")
    missing: tuple[AnyValue, ...] = Field(default=(), description="months, quarters, items or records missing")


def indicator_gaps(session: Session, ci: CompiledIndicator, lang: str) -> list[Gap]:
    """Why ``ci`` does not pass now, as changes to the facts (empty when it passes)."""
    r = session.result.indicator(ci.id)
    zh = lang == "zh"
    cs = session.cs
    if r.status == "UNKNOWN":
        facts = list(r.unknown_facts) or unknown_paths(ci.fact_reads, session.vf.values, cs.record_keys)
        names = fact_names(cs, facts, lang)
        return [
            Gap(text=("需补充事实：" if zh else "supply the facts: ") + listing(names, lang, 20), missing=tuple(facts))
        ]
    if r.status in ("PASS", "NA") and r.kind != "bonus":
        return []
    if ci.rule is not None:
        value, trace = session.traced(ci.rule, f"{ci.id}.rule")
        if value is not False:
            return []
        finder = _Finder(session, ci.rule.analysis, trace, lang)
        gaps = finder.false(ci.rule.analysis.root)
        return gaps[:MAX_GAPS] or [
            Gap(text=("需满足：" if zh else "required: ") + finder.text(ci.rule.analysis.root), expr=ci.rule.text)
        ]
    assert ci.points is not None
    value, trace = session.traced(ci.points, f"{ci.id}.points")
    finder = _Finder(session, ci.points.analysis, trace, lang)
    tiers = finder.tiers(ci.points.analysis.root)
    facts = ("；" if zh else "; ").join(g.text for g in tiers) or finder.leaves(ci.points.analysis.root)
    pts = show(r.points, lang)
    if r.kind == "deduction":
        text = f"扣 {pts} 分，需不扣分" if zh else f"{pts} point{'s' if r.points != 1 else ''} deducted; none may be"
        return [
            Gap(
                text=text + (("：" if zh else ": ") + facts if facts else ""),
                current=r.points,
                required=0,
                change=r.points,
            )
        ]
    if r.kind == "score" and r.max_points is not None:
        short = r.max_points - r.points
        text = (
            f"得 {pts}/{show(r.max_points, lang)} 分，还差 {show(short, lang)} 分"
            if zh
            else f"{pts} of {show(r.max_points, lang)} points, {show(short, lang)} short"
        )
        return [
            Gap(
                text=text + (("：" if zh else ": ") + facts if facts else ""),
                current=r.points,
                required=r.max_points,
                change=short,
            )
        ]
    return []


def fact_names(cs: Any, paths: Any, lang: str) -> list[str]:
    """Facts by their names for people (群众满意度测评结果), the key only when unnamed."""
    w = cs.wording
    out = []
    for p in paths:
        name = w.name(p, lang) if w is not None else None
        if name is None and w is not None:
            name = w.name(p, "zh")
        out.append(name or p)
    return out


def _ceil(x: Any) -> int:
    return math.ceil(Fraction(x))


_SKIPPED = object()


class _Finder:
    def __init__(self, session: Session, an: Analysis, trace: list[TraceEntry], lang: str) -> None:
        self.session = session
        self.cs = session.cs
        self.an = an
        self.lang = lang
        self.zh = lang == "zh"
        self.by_node: dict[int, list[TraceEntry]] = {}
        self.add(trace)
        wording = self.cs.wording
        assert wording is not None
        self.wording = wording
        self.ph = Phrase(wording, an, self.value)

    def add(self, trace: list[TraceEntry]) -> None:
        for e in trace:
            self.by_node.setdefault(id(e.node), []).append(e)

    def run_skipped(self, n: A.Expr) -> None:
        """Evaluate a top-level sub-expression that ``false and …`` skipped, so that every
        failing part of a rule is reported, not only the first."""
        if self.top(n) is not None:
            return
        sub = Analysis(n, self.an.scope)
        sub.types, sub.res, sub.type = self.an.types, self.an.res, self.an.types.get(id(n), T.ERROR)
        trace: list[TraceEntry] = []
        env = self.session.env
        env.trace = trace
        try:
            compile_analysis(sub, "full")(env)
        except RuleError:  # e.g. a division by zero in a part the rule did not need: nothing to add
            return
        finally:
            env.trace = []
        self.add(trace)

    # -- helpers --------------------------------------------------------------------------------------
    def top(self, n: A.Expr) -> TraceEntry | None:
        found = [e for e in self.by_node.get(id(n), ()) if not e.item]
        return found[-1] if found else None

    def value(self, n: A.Expr) -> Any:
        if isinstance(n, A.Literal):
            return n.value
        e = self.top(n)
        return e.value if e is not None else UNKNOWN

    def depends(self, n: A.Expr) -> bool:
        """Does ``n`` read the facts (a fact, a definition, an item field)?"""
        for m in A.walk(n):
            res = self.an.res.get(id(m))
            if res and res[0] in ("fact", "def", "field", "extra"):
                return True
        return False

    def is_int(self, n: A.Expr) -> bool:
        return self.an.types.get(id(n)) == T.INT

    def text(self, n: A.Expr) -> str:
        """A rule part in words (labels, values, relations): never the rule's own text."""
        return words(self.ph, n, self.lang)

    named = text

    def shown(self, n: A.Expr, v: Any) -> str:
        """A value of ``n`` as a person reads it (percentages, units, labels)."""
        if v is UNKNOWN:
            return show(v, self.lang)
        if self.wording.is_share(n, self.an) and is_number(v):
            return percent(v, self.lang)
        path = self.wording.fact_path(n, self.an)
        if path is not None and not isinstance(v, (dict, tuple)):
            return self.wording.field_value(v, self.wording.spec(path), self.lang)
        if isinstance(v, (tuple, frozenset)) and all(isinstance(i, str) for i in v):
            return self.wording.codes(v, self.wording.code_labels(self.ph.w_reads(n)), self.lang)
        return show(v, self.lang)

    def field_desc(self, coll: A.Expr, fld: A.Expr) -> str | None:
        if not isinstance(fld, A.Name):
            return None
        path = self.wording.fact_path(fld, self.an)
        return self.wording.name(path, self.lang) if path is not None else None

    def tiers(self, root: A.Expr) -> list[Gap]:
        """For points written as ``if C then x else …``: what each unmet condition needs
        (the first condition of each chain: the best tier)."""
        out: list[Gap] = []
        for n in A.walk(root):
            if not isinstance(n, A.If) or self.top(n.cond) is None or self.value(n.cond) is not False:
                continue
            now = self.value(n)
            then = self.constant(n.then)
            if not (is_number(then) and is_number(now)) or then <= now:
                continue
            for g in self.false(n.cond):
                label = f"得 {show(then, self.lang)} 分需" if self.zh else f"for {show(then, self.lang)} points"
                out.append(g.model_copy(update={"text": f"{label}：{g.text}" if self.zh else f"{label}: {g.text}"}))
        return out

    def constant(self, n: A.Expr) -> Any:
        if isinstance(n, A.Literal):
            return n.value
        if isinstance(n, A.Param):
            p = self.cs.resolved.parameters.get(n.name)
            return p.value if p is not None else None
        return None

    def set_typed(self, n: A.Expr) -> bool:
        t = self.an.types.get(id(n))
        return t is not None and isinstance(T.strip_optional(t), T.Set)

    def leaves(self, root: A.Expr) -> str:
        """The facts an expression read, with their values (for points gaps)."""
        out: list[str] = []
        for n in A.walk(root):
            if isinstance(n, (A.Name, A.Field)) and self.top(n) is not None:
                res = self.an.res.get(id(n))
                base: A.Expr = n
                while isinstance(base, A.Field):
                    base = base.obj
                bres = self.an.res.get(id(base))
                if (res and res[0] == "fact") or (isinstance(n, A.Field) and bres and bres[0] == "fact"):
                    v = self.value(n)
                    if not isinstance(v, (tuple, dict)):
                        sep = "：" if self.zh else ": "
                        out.append(f"{self.named(n)}{sep}{self.shown(n, v)}")
            elif isinstance(n, A.Call) and n.func in ("count", "sum") and self.top(n) is not None:
                e = self.top(n)
                assert e is not None
                if e.evidence and e.value not in (0, UNKNOWN):
                    ev = sorted(e.evidence, key=sort_key) if self.set_typed(n.args[0]) else list(e.evidence)
                    out.append(
                        f"{self.text(n)}：{show(e.value, self.lang)}（{listing(ev, self.lang)}）"
                        if self.zh
                        else f"{self.text(n)}: {show(e.value, self.lang)} ({listing(ev, self.lang)})"
                    )
        return ("；" if self.zh else "; ").join(dict.fromkeys(out))

    def unknown(self, n: A.Expr) -> list[Gap]:
        paths = [p for p in self.ph.w_reads(n) if not p.startswith("*.")]
        names = listing(list(dict.fromkeys(fact_names(self.cs, paths, self.lang))), self.lang) if paths else None
        return [
            Gap(
                text=(
                    (f"{self.text(n)}未知，需补充：{names}" if names else f"{self.text(n)}未知，需补充相关事实")
                    if self.zh
                    else (f"{self.text(n)} is unknown: supply {names}" if names
                          else f"{self.text(n)} is unknown: supply the facts behind it")
                ),
                expr=n.text,
            )
        ]

    # -- why is this false? ----------------------------------------------------------------------------
    def false(self, n: A.Expr) -> list[Gap]:
        if self.top(n) is None and not isinstance(n, A.Literal):
            return []
        v = self.value(n)
        if v is UNKNOWN:
            return self.unknown(n)
        if v is not False:
            return []
        zh = self.zh
        if isinstance(n, A.Binary) and n.op == "and":
            self.run_skipped(n.right)
            return self.false(n.left) + self.false(n.right)
        if isinstance(n, A.Binary) and n.op == "or":
            alts = [g for side in (n.left, n.right) for g in self.false(side)]
            if len(alts) <= 1:
                return alts
            joined = ("以下任一即可：" if zh else "any one of: ") + ("；或 " if zh else "; or ").join(
                g.text for g in alts
            )
            return [Gap(text=joined, expr=n.text)]
        if isinstance(n, A.Unary) and n.op == "not":
            return [
                Gap(
                    text=(
                        f"{self.named(n.operand)}需为否（当前为是）"
                        if zh
                        else f"{self.text(n.operand)} must be false (it is true)"
                    ),
                    expr=n.operand.text,
                    current=True,
                    required=False,
                )
            ]
        if isinstance(n, A.Binary) and n.op in ("⊇", "⊆"):
            return self.coverage(n, n.left, n.right, n.op)
        if isinstance(n, A.Compare):
            if len(n.ops) == 1 and n.ops[0] in ("==", "!=") and self._setlike(n.operands[0]):
                return self.coverage(n, n.operands[0], n.operands[1], n.ops[0])
            out: list[Gap] = []
            for i, op in enumerate(n.ops):
                a, b = n.operands[i], n.operands[i + 1]
                out.extend(self.compare(n, a, op, b))
            return out or [self.plain(n)]
        if isinstance(n, A.Call) and n.func == "all" and len(n.args) == 2:
            return self.all_(n)
        if isinstance(n, A.Call) and n.func == "any" and len(n.args) == 2:
            return [
                Gap(
                    text=(
                        f"{self.text(n.args[0])}中没有{self.text(n.args[1])}的，需至少 1 项"
                        if zh
                        else f"no {self.text(n.args[0])} satisfies {self.text(n.args[1])}; at least one must"
                    ),
                    expr=n.text,
                    current=0,
                    required=1,
                    change=1,
                )
            ]
        if isinstance(n, (A.Name, A.Field)):
            return [
                Gap(
                    text=(
                        f"{self.named(n)}需为是（当前为否）" if zh else f"{self.text(n)} must be true (it is false)"
                    ),
                    expr=n.text,
                    current=False,
                    required=True,
                )
            ]
        if isinstance(n, A.If):
            c = self.value(n.cond)
            return self.false(n.then if c is True else n.else_) if c in (True, False) else self.unknown(n.cond)
        return [self.plain(n)]

    def plain_compare(self, n: Any, subj: Any, cur: Any, req: Any, sym: str, other: Any = None) -> Gap:
        """"X is now a; it must be at least b" for values that have no numeric gap."""
        lang = self.lang
        rel = OPS[lang].get(sym, sym)
        want = self.shown(other, req) if other is not None else show(req, lang)
        text = (f"{self.named(subj)}当前为 {self.shown(subj, cur)}，要求{rel} {want}" if self.zh
                else f"{self.text(subj)} is {self.shown(subj, cur)}; it must be {rel} {want}")
        return Gap(text=text, expr=n.text, current=cur, required=req)

    def plain(self, n: A.Expr) -> Gap:
        return Gap(
            text=(f"需满足：{self.text(n)}" if self.zh else f"required: {self.text(n)}"),
            expr=n.text,
        )

    def _setlike(self, n: A.Expr) -> bool:
        t = T.strip_optional(self.an.types.get(id(n), T.ERROR))
        return isinstance(t, (T.Set, T.List))

    def coverage(self, n: A.Expr, left: A.Expr, right: A.Expr, op: str) -> list[Gap]:
        e = self.top(n)
        missing = tuple(sorted(e.evidence, key=sort_key)) if e is not None else ()
        zh = self.zh
        lang = self.lang
        if isinstance(left, A.Call) and left.func in ("months", "quarters") and op in ("⊇", "==") and left.args:
            coll = self.text(left.args[0])
            if left.func == "months":
                words = month_words(missing, lang)
                text = f"以下月份没有{coll}：{words}" if zh else f"no {coll} in {words}"
            else:
                words = quarter_words(missing, lang)
                text = f"以下季度没有{coll}：{words}" if zh else f"no {coll} in {words}"
            return [Gap(text=text, expr=n.text, missing=missing)]
        labels = self.wording.code_labels(self.ph.w_reads(n))
        items = self.wording.codes(missing, labels, lang)
        if op == "⊆":
            text = (
                f"{self.named(left)}中不在{self.text(right)}内的：{items}"
                if zh
                else f"in {self.text(left)} but not in {self.text(right)}: {items}"
            )
        else:
            text = (
                f"{self.named(left)}缺少：{items}"
                if zh
                else f"{self.text(left)} lacks: {items}"
            )
        return [Gap(text=text, expr=n.text, missing=missing)]

    def all_(self, n: A.Call) -> list[Gap]:
        e = self.top(n)
        coll, pred = n.args
        failing = tuple(e.evidence) if e is not None else ()
        if self.set_typed(coll):
            failing = tuple(sorted(failing, key=sort_key))
        zh = self.zh
        lang = self.lang
        head = self.failing_records(coll, pred, failing)
        detail = []
        for pe in self.by_node.get(id(pred), ()):
            if len(pe.item) == 1 and pe.value is not True and pe.evidence:
                miss = tuple(sorted(pe.evidence, key=sort_key))
                words = listing(miss, lang)
                if isinstance(pred, (A.Binary, A.Compare)):
                    left = pred.left if isinstance(pred, A.Binary) else pred.operands[0]
                    if isinstance(left, A.Call) and left.func == "months":
                        words = month_words(miss, lang)
                    elif isinstance(left, A.Call) and left.func == "quarters":
                        words = quarter_words(miss, lang)
                detail.append(
                    f"{show(pe.item[0], lang)} 缺少 {words}" if zh else f"{show(pe.item[0], lang)} lacks {words}"
                )
        if detail:
            head += ("（" + "；".join(detail) + "）") if zh else " (" + "; ".join(detail) + ")"
        return [Gap(text=head, expr=n.text, current=len(failing), required=0, missing=failing)]

    def counter(self, coll: A.Expr) -> str:
        """The counting word of a records collection (名 for members), else 项."""
        t = T.strip_optional(self.an.types.get(id(coll), T.ERROR))
        rec = T.element(t) if T.is_collection(t) else None
        name = getattr(rec, "name", None)
        unit = self.wording.unit(name, self.lang) if isinstance(name, str) else None
        return unit or ("项" if self.zh else "")

    def failing_records(self, coll: A.Expr, pred: A.Expr, failing: tuple[Any, ...]) -> str:
        """``1 名应参学党员年度学时低于 32 学时（WH03：28 学时）``: the records that fail a
        condition, with the values that decided it."""
        zh, lang = self.zh, self.lang
        n = len(failing)
        detail = listing(failing, lang)
        fields = [res[2] for m in A.walk(pred) if (res := self.an.res.get(id(m))) and res[0] == "field"]
        records = self.value(coll)
        if fields and isinstance(records, tuple):
            key_of = {record_key(r): r for r in records if isinstance(r, dict)}
            chosen = [key_of[i] for i in failing if i in key_of]
            if chosen:
                t = T.strip_optional(self.an.types.get(id(coll), T.ERROR))
                rec = T.element(t) if T.is_collection(t) else None
                name = getattr(rec, "name", None)
                specs = [(f, self.wording.spec(f"{name}.{f}") if name else self.wording.spec(f"*.{f}"))
                         for f in dict.fromkeys(fields)]
                detail = self.wording.record_list(tuple(chosen), specs, lang)
        unit = self.counter(coll)
        what = self.text(coll)
        if isinstance(pred, A.Compare) and len(pred.ops) == 1:
            a, b = pred.operands
            op = pred.ops[0]
            if not self.depends(a) and self.depends(b):
                a, b, op = b, a, {">=": "<=", ">": "<", "<=": ">=", "<": ">"}.get(op, op)
            cond = f"{self.text(a)}{NEGATED[lang][op]} {self.text(b)}" if zh else \
                f"{self.text(a)} {NEGATED[lang][op]} {self.text(b)}"
            return f"{n} {unit}{what}{cond}（{detail}）" if zh else f"{n} {what} with {cond} ({detail})"
        return (f"{what}中 {n} {unit}不满足：{self.text(pred)}（{detail}）" if zh
                else f"{n} {what} fail: {self.text(pred)} ({detail})")

    def compare(self, n: A.Expr, a: A.Expr, op: str, b: A.Expr) -> list[Gap]:
        va, vb = self.value(a), self.value(b)
        if va is UNKNOWN or vb is UNKNOWN:
            return self.unknown(a if va is UNKNOWN else b)
        import operator as _op

        ops = {"==": _op.eq, "!=": _op.ne, "<": _op.lt, "<=": _op.le, ">": _op.gt, ">=": _op.ge}
        try:
            if ops[op](va, vb):
                return []
        except TypeError:
            return [self.plain(n)]
        flip = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}
        if self.depends(a) or not self.depends(b):
            subj, other, cur, req, rel = a, b, va, vb, op
        else:
            subj, other, cur, req, rel = b, a, vb, va, flip[op]
        zh = self.zh
        lang = self.lang
        sym = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}[rel]
        if isinstance(cur, bool) or isinstance(req, bool) or isinstance(cur, str):
            return [self.plain_compare(n, subj, cur, req, rel, other)]
        if isinstance(cur, date) and isinstance(req, date):
            days = abs((req - cur).days)
            verb = (
                ("晚了" if rel in ("<=", "<") else "早了")
                if zh
                else ("too late by" if rel in ("<=", "<") else "too early by")
            )
            return [
                Gap(
                    text=(
                        f"{self.named(subj)}为 {cur.isoformat()}，要求{'不晚于' if rel == '<=' else '早于' if rel == '<' else '不早于' if rel == '>=' else '晚于' if rel == '>' else OPS['zh'].get(rel, '为')} {req.isoformat()}（{verb} {days} 天）"
                        if zh
                        else f"{self.text(subj)} is {cur.isoformat()}; it must be "
                        f"{ {'<=': 'no later than', '<': 'before', '>=': 'no earlier than', '>': 'after'}.get(rel, OPS['en'].get(rel, ''))} "
                        f"{req.isoformat()} ({verb} {days} days)"
                    ),
                    expr=n.text,
                    current=cur,
                    required=req,
                    change=days,
                )
            ]
        if not (is_number(cur) and is_number(req)):
            return [self.plain(n)]
        if rel in (">=", ">"):
            delta = Fraction(req) - Fraction(cur)
            grow = True
        elif rel in ("<=", "<"):
            delta = Fraction(cur) - Fraction(req)
            grow = False
        else:
            return [self.plain_compare(n, subj, cur, req, rel, other)]
        strict = rel in (">", "<")
        whole = self.is_int(subj)
        if whole:
            need = math.floor(delta) + 1 if strict else _ceil(delta)
        else:
            need = delta
        head = (
            f"{self.named(subj)}为 {self.shown(subj, cur)}，要求{OPS['zh'][rel]} {self.shown(other, req)}"
            if zh
            else f"{self.text(subj)} is {self.shown(subj, cur)}, needs {OPS['en'][rel]} {self.shown(other, req)}"
        )
        ratio = self.ratio(other, cur, subj)
        if ratio:
            head = ratio
        # in the facts' own terms
        if isinstance(subj, A.Call) and subj.func == "share" and len(subj.args) == 2:
            return [self.share_gap(n, subj, cur, req, rel)]
        if isinstance(subj, A.Call) and subj.func == "count" and subj.args:
            coll = self.text(subj.args[0])
            unit = self.counter(subj.args[0])
            if len(subj.args) == 2:
                what = (
                    f"{unit}{coll}{self.text(subj.args[1])}"
                    if zh
                    else f"{coll} with {self.text(subj.args[1])}"
                )
            else:
                what = f"{unit}{coll}" if zh else f"{coll}"
            if grow:
                tail = f"还需 {need} {what}" if zh else f"{need} more {what}"
            else:
                tail = f"需减少 {need} {what}" if zh else f"{need} fewer {what}"
        elif isinstance(subj, A.Call) and subj.func == "sum" and len(subj.args) == 2:
            what = f"{self.text(subj)}"
            amount = show(need, lang)
            if grow:
                reach = show(Fraction(cur) + Fraction(need), lang)
                tail = (
                    f"{what}还需增加 {amount}（{show(cur, lang)} → {reach}）"
                    if zh
                    else f"{amount} more in {what} ({show(cur, lang)} → {reach})"
                )
            else:
                tail = f"{what}需减少 {amount}" if zh else f"{amount} less in {what}"
        else:
            amount = show(need, lang)
            tail = (
                (f"还差 {amount}" if grow else f"需减少 {amount}")
                if zh
                else (f"{amount} short" if grow else f"{amount} too many")
            )
        return [
            Gap(
                text=f"{head}：{tail}" if zh else f"{head}: {tail}", expr=n.text, current=cur, required=req, change=need
            )
        ]

    def ratio(self, other: A.Expr, cur: Any, subj: A.Expr) -> str | None:
        """``a >= k * b`` reads as a rate: ``a / b`` against ``k`` (shown as percentages)."""
        if not (isinstance(other, A.Binary) and other.op == "*"):
            return None
        k_node, x_node = (other.left, other.right) if not self.depends(other.left) else (other.right, other.left)
        if self.depends(k_node) or not self.depends(x_node):
            return None
        k, x = self.value(k_node), self.value(x_node)
        if not (is_number(k) and is_number(x) and is_number(cur)) or x == 0:
            return None
        rate = Fraction(cur) / Fraction(x)
        if self.zh:
            return (f"{self.text(subj)}与{self.text(x_node)}之比为 {percent(rate, 'zh')}（{show(cur, 'zh')}/{show(x, 'zh')}），"
                    f"要求不低于 {percent(k, 'zh')}")
        return (f"{self.text(subj)} to {self.text(x_node)} is {percent(rate, 'en')} ({show(cur, 'en')}/{show(x, 'en')}), "
                f"needs {percent(k, 'en')}")

    def share_gap(self, n: A.Expr, subj: A.Call, cur: Any, req: Any, rel: str) -> Gap:
        e = self.top(subj)
        coll_v = self.value(subj.args[0])
        total = len(coll_v) if isinstance(coll_v, (tuple, frozenset)) else None
        have = len(e.evidence) if e is not None else None
        zh = self.zh
        lang = self.lang
        coll, pred = self.text(subj.args[0]), self.text(subj.args[1])
        if total is None or have is None or rel not in (">=", ">"):
            return Gap(
                text=(
                    f"{self.text(subj)}为 {percent(cur, lang)}，要求不低于 {percent(req, lang)}"
                    if zh
                    else f"{self.text(subj)} is {percent(cur, lang)}, needs {percent(req, lang)}"
                ),
                expr=n.text,
                current=cur,
                required=req,
            )
        target = Fraction(req) * total
        want = math.floor(target) + 1 if rel == ">" else _ceil(target)
        more = max(want - have, 0)
        sym = OPS[lang][rel]
        unit = self.counter(subj.args[0])
        text = (
            f"{coll}中{pred}的比例为 {percent(cur, lang)}（{have}/{total}），要求{sym} {percent(req, lang)}："
            f"还需 {more} {unit}{coll}{pred}"
            if zh
            else f"share of {coll} with {pred} is {percent(cur, lang)} ({have}/{total}), needs {sym} {percent(req, lang)}: "
            f"{more} more {coll} with {pred}"
        )
        return Gap(text=text, expr=n.text, current=cur, required=req, change=more)


__all__ = ["Gap", "indicator_gaps"]
