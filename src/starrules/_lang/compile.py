"""The compile pass: a checked expression -> a Python closure ``fn(env) -> value``.

No ``eval``/``exec`` and no attribute access into Python objects: facts are read with
``dict.get``.  The closures are specialised at compile time: constants (literals,
parameters, ``date("...")``) are folded, each operator picks its implementation once from
the static types, and UNKNOWN is tested with ``is``.  Per-item names (``it``, fields,
binders) read ``env.frames[depth]``; the depth of every per-item scope is known statically.

Definitions are compiled once per Scope (without tracing) and their values cached per Env.

Tracing (``trace=``):

* ``None`` - nothing recorded, no overhead.
* ``"decisive"`` - ``env.trace`` receives a :class:`TraceEntry` for every aggregate or
  quantifier result (with evidence: the key values of the items that decided it), every set
  comparison (evidence: the missing elements) and, outside per-item scopes, every
  comparison operand that is not a literal.
* ``"shown"`` - as ``"decisive"``, except that inside per-item scopes each sub-expression
  records only its first entry and its first entry with evidence since ``env.marks`` was
  last cleared: the same first value and first evidence per source text, which is all the
  evaluator shows, without an entry per item (the evaluator clears the marks per indicator).
* ``"full"`` - an entry for every node evaluation (``entry.node`` says which; ``entry.item``
  gives the keys of the items being iterated), for an explain tree.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any, NamedTuple

from . import ast as A
from . import types as T
from . import values as V
from .check import MAX_ITEM_DEPTH, Analysis, analyze, analyze_definition
from .errors import EvaluationError
from .scope import Scope
from .values import MAX_BRANCH_RANGE, MAX_RANGE, UNKNOWN, PartialItems, PartialSet

__all__ = ["Env", "TraceEntry", "compile_expr", "compile_analysis", "decisive_records", "MAX_RANGE"]

Fn = Callable[["Env"], Any]

_MISS = object()
#: Collection values that are exactly known (no maybe-members).
_PLAIN = frozenset({tuple, frozenset, list, set})
_ALL_MONTHS = frozenset(range(1, 13))
_ALL_QUARTERS = frozenset(range(1, 5))
_ALL_HALVES = frozenset(range(1, 3))


class Env:
    """One evaluation: the facts, the year, host values, the definition cache, the trace.

    An Env belongs to one evaluation of one branch against one Scope (definitions are
    computed at most once per Env).  It is not shared between threads.
    """

    __slots__ = ("facts", "year", "values", "cache", "trace", "frames", "groups", "marks", "budget")

    def __init__(
        self,
        facts: dict[str, Any],
        year: int,
        values: dict[str, Any] | None = None,
        trace: list[TraceEntry] | None = None,
    ) -> None:
        self.facts = facts
        self.year = year
        self.values = values if values is not None else {}
        self.cache: dict[Any, Any] = {}
        self.trace: list[TraceEntry] = trace if trace is not None else []
        self.frames: list[Any] = [None] * MAX_ITEM_DEPTH
        self.groups: dict[Any, Any] = {}  # per collection: records by a field (``where f == k``), evidence keys
        self.marks: dict[Any, int] = {}  # trace="shown": per-item sub-expressions already recorded
        self.budget = MAX_BRANCH_RANGE  # range elements this evaluation may still build


class TraceEntry(NamedTuple):
    """A recorded value: ``span``/``source_text`` locate the sub-expression, ``evidence``
    holds item keys (member ids, meeting ids, group names) or missing elements (months),
    ``item`` the keys of the items being iterated when it was recorded (``()`` at top
    level), ``node`` the syntax node, ``origin`` the source's name.

    (A named tuple: the tracing closures build one with a single ``tuple.__new__``.)"""

    span: tuple[int, int]
    source_text: str
    value: Any
    evidence: tuple = ()
    node: A.Expr | None = None
    item: tuple = ()
    origin: str | None = None


_tuple_new = tuple.__new__


class K:
    """A compile-time constant."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v


def _fn(x: K | Fn) -> Fn:
    if type(x) is K:
        v = x.v
        return lambda env: v
    return x  # type: ignore[return-value]


def compile_expr(expr: A.Expr, scope: Scope, trace: str | None = None) -> Fn:
    """Check and compile ``expr``; raises LangError when it does not check."""
    return compile_analysis(analyze(expr, scope), trace)


def compile_analysis(an: Analysis, trace: str | None = None) -> Fn:
    if trace not in (None, "decisive", "shown", "full"):
        raise ValueError(f"trace must be None, 'decisive', 'shown' or 'full', not {trace!r}")
    return _fn(_Compiler(an, trace).c(an.root))


def decisive_records(an: Analysis) -> bool:
    """Whether the decisive closure of ``an`` can record anything (comparisons, set
    operators, aggregates); when not, it is the same as the untraced one."""
    functions = an.scope.functions
    for node in A.walk(an.root):
        if isinstance(node, A.Compare):
            return True
        if isinstance(node, A.Binary) and node.op in ("in", "not in", "⊇", "⊆"):
            return True
        if isinstance(node, A.Call) and node.func not in functions and (
                node.func in _AGG_FUNCS or node.func in ("min", "max")):
            return True
    return False


def _definition(owner: Scope, name: str) -> K | Fn:
    """The compiled (untraced) body of a definition, memoised on its scope."""
    with owner._lock:
        got = owner._def_fns.get(name)
        if got is None:
            got = _Compiler(analyze_definition(owner, name), None).c(owner.defs[name])
            owner._def_fns[name] = got
        return got


# ----------------------------------------------------------------- static helpers


def _setlike(t: T.Type) -> bool:
    return isinstance(T.strip_optional(t), (T.Set, T.List))


def _key_fn(elem: T.Type) -> Callable[[Any], Any]:
    if isinstance(elem, T.Record) and elem.key:
        k = elem.key
        return lambda item: item.get(k) if type(item) is dict else item
    if isinstance(elem, (T.Record, T.Object)):
        return lambda item: item.get("id") if type(item) is dict else item
    return lambda item: item


def _keys_fn(elem: T.Type) -> Callable[[Any], tuple]:
    """The keys (as :func:`_key_fn` gives them) of every item of a collection, in order (one
    function per key field: :func:`_keys_of` remembers results by function)."""
    if isinstance(elem, (T.Record, T.Object)):
        k = elem.key if isinstance(elem, T.Record) and elem.key else "id"
        fn = _KEYS_FNS.get(k)
        if fn is None:
            fn = _KEYS_FNS.setdefault(k, lambda c: tuple([x.get(k) if type(x) is dict else x for x in c]))
        return fn
    return tuple


_KEYS_FNS: dict[str, Callable[[Any], tuple]] = {}


def _traced_plain(kind: str, d: int, fe: Fn | None, keyf: Callable, keys: Callable) -> Callable | None:
    """``(env, c) -> (value, evidence)`` for an exactly known collection ``c``: the same
    results as :func:`_agg_slow` (every item a sure member), without its generality."""
    if kind == "count" and fe is None:

        def count(env: Env, c: Any) -> tuple[Any, tuple]:
            ev = _keys_of(env, keys, c)
            return len(ev), ev

        return count
    if fe is None:
        return None
    if kind == "count":

        def count_p(env: Env, c: Any) -> tuple[Any, tuple]:
            frames = env.frames
            saved = frames[d]
            n = 0
            unknown = False
            ev = []
            for item in c:
                frames[d] = item
                p = fe(env)
                if p is True:
                    n += 1
                    ev.append(item)
                elif p is not False:
                    unknown = True
            frames[d] = saved
            return (UNKNOWN if unknown else n), keys(ev)

        return count_p
    if kind == "all":

        def all_(env: Env, c: Any) -> tuple[Any, tuple]:
            frames = env.frames
            saved = frames[d]
            seen_false = seen_unknown = False
            ev = []
            for item in c:
                frames[d] = item
                p = fe(env)
                if p is True:
                    continue
                ev.append(item)
                if p is False:
                    seen_false = True
                else:
                    seen_unknown = True
            frames[d] = saved
            return (False if seen_false else (UNKNOWN if seen_unknown else True)), keys(ev)

        return all_
    if kind == "any":

        def any_(env: Env, c: Any) -> tuple[Any, tuple]:
            frames = env.frames
            saved = frames[d]
            seen_true = seen_unknown = False
            ev = []
            for item in c:
                frames[d] = item
                p = fe(env)
                if p is True:
                    seen_true = True
                    ev.append(item)
                elif p is not False:
                    seen_unknown = True
            frames[d] = saved
            return (True if seen_true else (UNKNOWN if seen_unknown else False)), keys(ev)

        return any_
    if kind == "sum":

        def sum_(env: Env, c: Any) -> tuple[Any, tuple]:
            frames = env.frames
            saved = frames[d]
            vals = []
            for item in c:
                frames[d] = item
                v = fe(env)
                if v is UNKNOWN:
                    frames[d] = saved
                    return UNKNOWN, ()
                vals.append(v)
            frames[d] = saved
            total: Any = 0
            for v in vals:
                total = _add(total, v)
            return total, _keys_of(env, keys, c)

        return sum_
    return None


_add = V.add


def _keys_of(env: Env, keys: Callable[[Any], tuple], c: Any) -> tuple:
    """``keys(c)``, remembered per Env for a larger collection (``count(F)`` and its evidence
    appear in many rules; a definition's value is one object per Env)."""
    if len(c) < 8:
        return keys(c)
    cache = env.groups
    k = (keys, id(c))
    got = cache.get(k)
    if got is None or got[0] is not c:
        got = cache[k] = (c, keys(c))  # keeps c alive: its id stays its own
    return got[1]


_year_attr = operator.attrgetter("year")
_month_attr = operator.attrgetter("month")


_AGG_FUNCS = frozenset("count sum share all any months quarters halves longest_run".split())


def _normalize_param(t: T.Type, v: Any) -> Any:
    if isinstance(t, T.Set) and not isinstance(v, frozenset):
        return frozenset(v)
    if isinstance(t, T.List) and not isinstance(v, tuple):
        return tuple(v)
    if type(v) is float:
        raise TypeError("parameter values must be exact numbers (int or Decimal), not float")
    return v


_CMP = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _set_ne(a: Any, b: Any) -> Any:
    r = V.set_equal(a, b)
    return r if r is UNKNOWN else not r


class _Compiler:
    def __init__(self, an: Analysis, trace: str | None) -> None:
        self.an = an
        self.scope = an.scope
        self.trace = trace
        self.full = trace == "full"
        self.decisive = trace is not None
        self.shown = trace == "shown"
        self.keyfns: list[Callable[[Any], Any]] = []  # per item depth, for trace tags
        self.ypure: dict[int, Fn] = {}  # closures whose value depends only on env.year
        self.year_fns: set[int] = set()  # ids of the closures reading ``year`` (kept alive by ypure)

    # ------------------------------------------------------------------ basics

    def t(self, node: A.Expr) -> T.Type:
        return self.an.types[id(node)]

    def err(self, code: str, params: dict[str, Any], node: A.Expr) -> EvaluationError:
        return EvaluationError(code, params, node.span, node.source)

    def c(self, node: A.Expr) -> K | Fn:
        r = self._c(node)
        if self.full and not self._self_recording(node):
            r = self.record(node, r)
        return r

    def _self_recording(self, node: A.Expr) -> bool:
        return self.decisive and (self._is_agg(node) or self._is_set_cmp(node))

    def _is_agg(self, node: A.Expr) -> bool:
        if not isinstance(node, A.Call) or node.func in self.scope.functions:
            return False
        if node.func in _AGG_FUNCS:
            return True
        return node.func in ("min", "max") and T.is_collection(self.t(node.args[0]))

    def _is_set_cmp(self, node: A.Expr) -> bool:
        if isinstance(node, A.Binary):
            return node.op in ("⊇", "⊆")
        if isinstance(node, A.Compare) and len(node.ops) == 1 and node.ops[0] in ("==", "!="):
            return _setlike(self.t(node.operands[0])) and _setlike(self.t(node.operands[1]))
        return False

    def items_tag(self) -> Callable[[Env], tuple] | None:
        """The keys of the items being iterated (None at top level: the tag is ``()``)."""
        keyfns = list(self.keyfns)
        if not keyfns:
            return None
        n = len(keyfns)
        if n == 1:
            k0 = keyfns[0]
            return lambda env: (k0(env.frames[0]),)
        if n == 2:
            k0, k1 = keyfns
            return lambda env: (k0(env.frames[0]), k1(env.frames[1]))
        return lambda env: tuple([keyfns[i](env.frames[i]) for i in range(n)])

    def record(self, node: A.Expr, f: K | Fn) -> Fn:
        span, text = node.span, node.text or A.dump(node)
        origin = node.source.name if node.source is not None else None
        tag = self.items_tag()
        if tag is None and type(f) is K:
            v = f.v
            done = _tuple_new(TraceEntry, (span, text, v, (), node, (), origin))

            def rec_k(env: Env) -> Any:
                env.trace.append(done)
                return v

            return rec_k
        f = _fn(f)
        if tag is None:

            def rec_top(env: Env) -> Any:
                v = f(env)
                env.trace.append(_tuple_new(TraceEntry, (span, text, v, (), node, (), origin)))
                return v

            return rec_top

        def rec(env: Env) -> Any:
            v = f(env)
            env.trace.append(_tuple_new(TraceEntry, (span, text, v, (), node, tag(env), origin)))
            return v

        return rec

    def entry(self, node: A.Expr) -> Callable[[Env, Any, tuple], None]:
        """A function appending an entry for ``node`` (value and evidence given)."""
        span, text = node.span, node.text or A.dump(node)
        origin = node.source.name if node.source is not None else None
        tag = self.items_tag()
        if tag is None:

            def add_top(env: Env, value: Any, evidence: tuple) -> None:
                env.trace.append(_tuple_new(TraceEntry, (span, text, value, evidence, node, (), origin)))

            return add_top

        if self.shown:
            token = object()

            def add_first(env: Env, value: Any, evidence: tuple) -> None:
                marks = env.marks
                state = marks.get(token)  # None: nothing yet; 1: an entry; 2: an entry with evidence
                if state is None:
                    marks[token] = 2 if evidence else 1
                elif state == 2 or not evidence:
                    return
                else:
                    marks[token] = 2
                env.trace.append(_tuple_new(TraceEntry, (span, text, value, evidence, node, tag(env), origin)))

            return add_first

        def add(env: Env, value: Any, evidence: tuple) -> None:
            env.trace.append(_tuple_new(TraceEntry, (span, text, value, evidence, node, tag(env), origin)))

        return add

    def fold(self, node: A.Expr, f: Fn, *parts: K | Fn) -> K | Fn:
        """Evaluate ``f`` now when all its parts are constants (errors are left to run time).
        When its parts depend on nothing but constants and ``year`` (``date(year, 12, 31)``),
        remember its value for the last year seen (untraced closures only)."""
        if self.full:
            return f
        if all(type(p) is K for p in parts):
            try:
                return K(f(_FOLD_ENV))
            except (EvaluationError, _NeedsEnv):
                return f
        if self.trace is None and all(type(p) is K or id(p) in self.ypure for p in parts):
            return self.year_pure(_year_memo(f))
        return f

    def year_pure(self, f: Fn) -> Fn:
        self.ypure[id(f)] = f  # the reference keeps the id from being reused
        return f

    # ------------------------------------------------------------------ dispatch

    def _c(self, node: A.Expr) -> K | Fn:
        match node:
            case A.Literal(value=v):
                return K(v)
            case A.Param(name=n):
                t, v = self.scope.params[n]
                return K(_normalize_param(t, v))
            case A.Name():
                return self.name(node)
            case A.Field():
                return self.field(node)
            case A.Compare():
                return self.compare(node)
            case A.Binary(op="and" | "or"):
                return self.bool_op(node)
            case A.Binary():
                return self.binary(node)
            case A.Unary():
                return self.unary(node)
            case A.If():
                return self.if_(node)
            case A.Where():
                return self.where(node)
            case A.Call():
                return self.call(node)
            case A.ListLit():
                return self.list_lit(node)
            case A.Range():
                return self.range(node)
            case A.Index():
                return self.index(node)
        raise TypeError(f"not a node: {node!r}")  # pragma: no cover

    # ------------------------------------------------------------------ names

    def name(self, node: A.Name) -> K | Fn:
        res = self.an.res[id(node)]
        kind = res[0]
        if kind == "it" or kind == "binder":
            d = res[1]
            return lambda env: env.frames[d]
        if kind == "field":
            d, fname = res[1], res[2]
            return lambda env: env.frames[d].get(fname, UNKNOWN)
        if kind == "year":
            f = self.year_pure(lambda env: env.year)
            self.year_fns.add(id(f))
            return f
        if kind == "def":
            return self.definition(res[1])
        if kind == "extra":
            n = res[1]
            return lambda env: env.values.get(n, UNKNOWN)
        n = res[1]
        declared = self.scope.facts[n]
        if isinstance(declared, T.Optional):
            return lambda env: env.facts.get(n, UNKNOWN)

        def fact(env: Env) -> Any:
            v = env.facts.get(n, UNKNOWN)
            return UNKNOWN if v is None else v

        return fact

    def definition(self, name: str) -> K | Fn:
        body = _definition(self.scope._owner, name)
        if type(body) is K and not self.full:
            return body
        body = _fn(body)

        def get(env: Env) -> Any:
            cache = env.cache
            try:
                return cache[body]
            except KeyError:
                v = cache[body] = body(env)
                return v

        return get

    def field(self, node: A.Field) -> K | Fn:
        fo = _fn(self.c(node.obj))
        name = node.name
        ot = T.strip_optional(self.t(node.obj))
        declared = ot.field(name) if isinstance(ot, (T.Object, T.Record)) else None
        if isinstance(declared, T.Optional):

            def get_opt(env: Env) -> Any:
                o = fo(env)
                if o is UNKNOWN or o is None:
                    return UNKNOWN
                return o.get(name, UNKNOWN)

            return get_opt

        def get(env: Env) -> Any:
            o = fo(env)
            if o is UNKNOWN or o is None:
                return UNKNOWN
            v = o.get(name, UNKNOWN)
            return UNKNOWN if v is None else v

        return get

    def index(self, node: A.Index) -> K | Fn:
        co, ck = self.c(node.obj), self.c(node.index)
        err = self.err
        label = node.obj.text or A.dump(node.obj)

        def look(m: Any, k: Any) -> Any:
            try:
                return m[k]
            except KeyError:
                raise err("rule-missing-key", {"map": label, "value": k}, node) from None

        if type(co) is K:
            m = co.v
            if type(ck) is K:
                return self.fold(node, lambda env: look(m, ck.v), co, ck)
            fk = ck

            def idx(env: Env) -> Any:
                k = fk(env)
                if k is UNKNOWN:
                    return UNKNOWN
                return look(m, k)

            return idx
        fo, fk = _fn(co), _fn(ck)

        def idx2(env: Env) -> Any:
            o = fo(env)
            if o is UNKNOWN:
                return UNKNOWN
            k = fk(env)
            if k is UNKNOWN:
                return UNKNOWN
            return look(o, k)

        return idx2

    # ------------------------------------------------------------------ literals

    def list_lit(self, node: A.ListLit) -> K | Fn:
        parts = [self.c(i) for i in node.items]
        if all(type(p) is K for p in parts) and not self.full:
            return K(frozenset(p.v for p in parts))  # type: ignore[union-attr]
        fns = [_fn(p) for p in parts]

        def mk(env: Env) -> Any:
            out = []
            for f in fns:
                v = f(env)
                if v is UNKNOWN:
                    return UNKNOWN
                out.append(v)
            return frozenset(out)

        return mk

    def range(self, node: A.Range) -> K | Fn:
        lo, hi = self.c(node.lo), self.c(node.hi)
        err = self.err

        def build(a: Any, b: Any) -> Any:
            if b - a + 1 > MAX_RANGE:
                raise err("rule-range-too-large", {"size": b - a + 1, "max": MAX_RANGE}, node)
            return frozenset(range(a, b + 1))

        values = _lift2(_fn(lo), _fn(hi), build)

        def mk(env: Env) -> Any:
            r = values(env)
            if r is not UNKNOWN and r:
                try:  # the branch's budget of range elements (a range built per item adds up)
                    env.budget -= len(r)
                    if env.budget < 0:
                        raise err("rule-too-costly", {"limit": MAX_BRANCH_RANGE}, node)
                except _NeedsEnv:  # folding a constant range: built once, at load
                    pass
            return r

        return self.fold(node, mk, lo, hi)

    # ------------------------------------------------------------------ operators

    def unary(self, node: A.Unary) -> K | Fn:
        x = self.c(node.operand)
        fx = _fn(x)
        if node.op == "not":

            def not_(env: Env) -> Any:
                v = fx(env)
                if v is UNKNOWN:
                    return UNKNOWN
                return not v

            return self.fold(node, not_, x)

        def neg(env: Env) -> Any:
            v = fx(env)
            return UNKNOWN if v is UNKNOWN else -v

        return self.fold(node, neg, x)

    def bool_op(self, node: A.Binary) -> K | Fn:
        a, b = self.c(node.left), self.c(node.right)
        fa, fb = _fn(a), _fn(b)
        if node.op == "and":
            if type(a) is K and not self.full:
                if a.v is False:
                    return K(False)
                if a.v is True:
                    return b

            def and_(env: Env) -> Any:
                x = fa(env)
                if x is False:
                    return False
                y = fb(env)
                if y is False:
                    return False
                if x is UNKNOWN or y is UNKNOWN:
                    return UNKNOWN
                return True

            return self.fold(node, and_, a, b)
        if type(a) is K and not self.full:
            if a.v is True:
                return K(True)
            if a.v is False:
                return b

        def or_(env: Env) -> Any:
            x = fa(env)
            if x is True:
                return True
            y = fb(env)
            if y is True:
                return True
            if x is UNKNOWN or y is UNKNOWN:
                return UNKNOWN
            return False

        return self.fold(node, or_, a, b)

    def operand(self, node: A.Expr) -> K | Fn:
        """An operand of a comparison; in decisive mode (outside per-item scopes) its value
        is recorded unless it is a literal or records itself."""
        r = self.c(node)
        if (
            self.decisive
            and not self.full
            and not self.keyfns
            and not A.is_literal(node)
            and not self._self_recording(node)
        ):
            r = self.record(node, r)
        return r

    def compare(self, node: A.Compare) -> K | Fn:
        parts = [self.operand(o) for o in node.operands]
        ops = []
        for i, op in enumerate(node.ops):
            ta, tb = self.t(node.operands[i]), self.t(node.operands[i + 1])
            if _setlike(ta) and _setlike(tb):
                ops.append(V.set_equal if op == "==" else _set_ne)
            else:
                ops.append(_CMP[op])
        if len(ops) == 1:
            a, b = parts
            fused = self.fused_field_cmp(node, a, b, ops[0])
            if fused is not None:
                return fused
            f = self.cmp_year(a, b, ops[0]) or _lift2_any(a, b, ops[0])
            if self.decisive and self._is_set_cmp(node):
                f = self.set_cmp_traced(node, _fn(a), _fn(b), ops[0], node.ops[0])
            return self.fold(node, f, a, b)
        fns = [_fn(p) for p in parts]
        pairs = list(zip(range(len(ops)), ops))

        def chain(env: Env) -> Any:
            unknown = False
            x = fns[0](env)
            for i, op in pairs:
                y = fns[i + 1](env)
                if x is UNKNOWN or y is UNKNOWN:
                    unknown = True
                else:
                    r = op(x, y)
                    if r is False:
                        return False
                    if r is UNKNOWN:
                        unknown = True
                x = y
            return UNKNOWN if unknown else True

        return self.fold(node, chain, *parts)

    def cmp_year(self, a: K | Fn, b: K | Fn, op: Callable) -> Fn | None:
        """``x OP year`` (either way round) reading ``env.year`` in place (``year_of(date) ==
        year`` filters every meeting)."""
        if type(a) is K or type(b) is K:
            return None
        if id(b) in self.year_fns:
            fa = a

            def x_year(env: Env) -> Any:
                x = fa(env)
                if x is UNKNOWN:
                    return UNKNOWN
                y = env.year
                return UNKNOWN if y is UNKNOWN else op(x, y)

            return x_year
        if id(a) in self.year_fns:
            fb = b

            def year_x(env: Env) -> Any:
                y = env.year
                if y is UNKNOWN:
                    return UNKNOWN
                x = fb(env)
                return UNKNOWN if x is UNKNOWN else op(y, x)

            return year_x
        return None

    def fused_field_item_cmp(self, x: A.Expr, y: A.Expr, op: Callable) -> Fn | None:
        """``field OP g``: a field of the items against an outer item or binder (``group ==
        g`` in ``all(party_groups as g, ...)``) as one closure."""
        if not isinstance(x, A.Name) or not isinstance(y, A.Name) or _setlike(self.t(x)) or _setlike(self.t(y)):
            return None
        rx, ry = self.an.res.get(id(x)), self.an.res.get(id(y))
        if rx is None or ry is None:
            return None
        if rx[0] == "field" and ry[0] in ("binder", "it"):
            d, fname, e = rx[1], rx[2], ry[1]

            def field_item(env: Env) -> Any:
                frames = env.frames
                v = frames[d].get(fname, UNKNOWN)
                if v is UNKNOWN:
                    return UNKNOWN
                w = frames[e]
                return UNKNOWN if w is UNKNOWN else op(v, w)

            return field_item
        if ry[0] == "field" and rx[0] in ("binder", "it"):
            d, fname, e = ry[1], ry[2], rx[1]

            def item_field(env: Env) -> Any:
                frames = env.frames
                w = frames[e]
                if w is UNKNOWN:
                    return UNKNOWN
                v = frames[d].get(fname, UNKNOWN)
                return UNKNOWN if v is UNKNOWN else op(w, v)

            return item_field
        return None

    def fused_field_cmp(self, node: A.Compare, a: K | Fn, b: K | Fn, op: Callable) -> Fn | None:
        """``field OP constant`` inside a per-item scope as one closure (the hot loop of
        every filter).  Not when fully traced: then each operand is recorded (in decisive
        mode a per-item comparison records nothing)."""
        if self.full:
            return None
        x, y = node.operands
        if type(a) is not K and type(b) is not K:
            return self.fused_field_item_cmp(x, y, op)
        if type(b) is K and isinstance(x, A.Name):
            res, k, flip = self.an.res.get(id(x)), b.v, False
        elif type(a) is K and isinstance(y, A.Name):
            res, k, flip = self.an.res.get(id(y)), a.v, True
        else:
            return None
        if res is None or res[0] != "field" or _setlike(self.t(x)) or _setlike(self.t(y)):
            return None
        d, fname = res[1], res[2]
        if op is operator.eq and not flip:

            def eq(env: Env) -> Any:
                v = env.frames[d].get(fname, UNKNOWN)
                return UNKNOWN if v is UNKNOWN else v == k

            return eq
        if flip:

            def cmp_flip(env: Env) -> Any:
                v = env.frames[d].get(fname, UNKNOWN)
                return UNKNOWN if v is UNKNOWN else op(k, v)

            return cmp_flip

        def cmp(env: Env) -> Any:
            v = env.frames[d].get(fname, UNKNOWN)
            return UNKNOWN if v is UNKNOWN else op(v, k)

        return cmp

    def set_cmp_traced(self, node: A.Expr, fa: Fn, fb: Fn, op: Callable, opname: str) -> Fn:
        add = self.entry(node)

        def cmp(env: Env) -> Any:
            a = fa(env)
            b = fb(env) if a is not UNKNOWN else UNKNOWN
            if a is UNKNOWN or b is UNKNOWN:
                add(env, UNKNOWN, ())
                return UNKNOWN
            r = op(a, b)
            add(env, r, V.set_missing(a, b, opname))
            return r

        return cmp

    def binary(self, node: A.Binary) -> K | Fn:
        op = node.op
        ta, tb = self.t(node.left), self.t(node.right)
        if op in ("in", "not in", "⊇", "⊆"):
            a, b = self.operand(node.left), self.operand(node.right)
        else:
            a, b = self.c(node.left), self.c(node.right)
        fa, fb = _fn(a), _fn(b)
        if op in ("+", "-", "*", "/"):
            if _setlike(ta):
                setop = V.set_union if op == "+" else V.set_difference
                pyop = operator.or_ if op == "+" else operator.sub

                def sop(x: Any, y: Any) -> Any:
                    if type(x) is frozenset and type(y) is frozenset:
                        return pyop(x, y)
                    return setop(x, y)

                return self.fold(node, _lift2_any(a, b, sop), a, b)
            if op == "/":
                err = self.err

                def div(x: Any, y: Any) -> Any:
                    try:
                        return V.div(x, y)
                    except ZeroDivisionError:
                        raise err("rule-division-by-zero", {}, node) from None

                return self.fold(node, _lift2_any(a, b, div), a, b)
            if ta == T.INT and tb == T.INT:
                pyop = {"+": operator.add, "-": operator.sub, "*": operator.mul}[op]
            else:
                pyop = {"+": V.add, "-": V.sub, "*": V.mul}[op]
            return self.fold(node, _lift2_any(a, b, pyop), a, b)
        if op in ("in", "not in"):
            neg = op == "not in"

            def member(x: Any, s: Any) -> Any:
                ts = type(s)
                if ts in _PLAIN:
                    return (x not in s) if neg else (x in s)
                r = V.set_member(x, s)
                return r if r is UNKNOWN or not neg else not r

            if type(b) is K and type(b.v) is frozenset and not self.full:
                s = b.v
                if neg:
                    return self.fold(node, lambda env: _notin_k(fa(env), s), a)
                return self.fold(node, lambda env: _in_k(fa(env), s), a)
            return self.fold(node, _lift2_any(a, b, member), a, b)
        # ⊇ ⊆
        if op == "⊆":
            incl = lambda x, y: V.set_includes(y, x)  # noqa: E731
        else:
            incl = V.set_includes

        def includes(x: Any, y: Any) -> Any:
            tx, ty = type(x), type(y)
            if (tx is frozenset or tx is tuple) and (ty is frozenset or ty is tuple):
                if op == "⊇":
                    return frozenset(x).issuperset(y)
                return frozenset(x).issubset(y)
            return incl(x, y)

        if self.decisive:
            return self.set_cmp_traced(node, fa, fb, includes, op)
        if type(b) is K and not self.full and type(b.v) in (frozenset, tuple):
            kb = frozenset(b.v)
            if op == "⊇":

                def sup_k(env: Env) -> Any:
                    x = fa(env)
                    tx = type(x)
                    if tx is frozenset:
                        return x >= kb
                    if x is UNKNOWN:
                        return UNKNOWN
                    if tx is tuple:
                        return kb.issubset(x)
                    return V.set_includes(x, kb)

                return self.fold(node, sup_k, a)
        return self.fold(node, _lift2_any(a, b, includes), a, b)

    def if_(self, node: A.If) -> K | Fn:
        c = self.c(node.cond)
        th, el = self.c(node.then), self.c(node.else_)
        if type(c) is K and not self.full:
            if c.v is True:
                return th
            if c.v is False:
                return el
        fc, ft, fe = _fn(c), _fn(th), _fn(el)

        def if_(env: Env) -> Any:
            v = fc(env)
            if v is True:
                return ft(env)
            if v is False:
                return fe(env)
            return UNKNOWN

        return self.fold(node, if_, c, th, el)

    # ------------------------------------------------------------------ per-item scopes

    def push(self, elem: T.Type) -> int:
        self.keyfns.append(_key_fn(elem))
        return len(self.keyfns) - 1

    def pop(self) -> None:
        self.keyfns.pop()

    def where(self, node: A.Where) -> K | Fn:
        fc = _fn(self.c(node.collection))
        ct = self.t(node.collection)
        d = self.push(T.element(ct))
        fp = _fn(self.c(node.predicate))
        eq = self.field_eq_const(node.predicate, d)
        self.pop()

        def where(env: Env) -> Any:
            c = fc(env)
            tc = type(c)
            if tc is tuple or tc is list:
                frames = env.frames
                saved = frames[d]
                out = []
                flags = None
                for item in c:
                    frames[d] = item
                    p = fp(env)
                    if p is True:
                        out.append(item)
                        if flags is not None:
                            flags.append(True)
                    elif p is not False:
                        if flags is None:
                            flags = [True] * len(out)
                        out.append(item)
                        flags.append(False)
                frames[d] = saved
                if flags is None:
                    return tuple(out)
                return PartialItems(tuple(out), tuple(flags))
            if tc is frozenset:
                frames = env.frames
                saved = frames[d]
                sure = []
                maybe = None
                for item in c:
                    frames[d] = item
                    p = fp(env)
                    if p is True:
                        sure.append(item)
                    elif p is not False:
                        if maybe is None:
                            maybe = []
                        maybe.append(item)
                frames[d] = saved
                if maybe is None:
                    return frozenset(sure)
                return PartialSet.make(frozenset(sure), frozenset(maybe))
            if c is UNKNOWN:
                return UNKNOWN
            return _filter_slow(env, c, d, fp)

        if eq is None:
            return where
        fname, k = eq

        def where_eq(env: Env) -> Any:
            """``records where field == constant``: the records grouped by the field once per
            Env and collection (several definitions filter the same records by type)."""
            c = fc(env)
            if type(c) is tuple:
                cache = env.groups
                key = (fname, id(c))
                got = cache.get(key)
                if got is None or got[0] is not c:
                    got = cache[key] = (c, _group_by(c, fname))  # keeps c alive: its id stays its own
                groups = got[1]
                if groups is not None:
                    return groups.get(k, ())
            return where(env)

        return where_eq

    def field_eq_const(self, pred: A.Expr, d: int) -> tuple[str, Any] | None:
        """(field, constant) when ``pred`` is ``field == constant`` (either way round) on the
        items at depth ``d``, with a text, integer or boolean constant; else None."""
        if self.full or not isinstance(pred, A.Compare) or pred.ops != ("==",):
            return None
        x, y = pred.operands
        if not isinstance(x, A.Name):
            x, y = y, x
        if not isinstance(x, A.Name) or _setlike(self.t(x)) or _setlike(self.t(y)):
            return None
        res = self.an.res.get(id(x))
        if res is None or res[0] != "field" or res[1] != d:
            return None
        if not A.is_literal(y) and not isinstance(y, A.Param):
            return None
        k = self.c(y)
        if type(k) is not K or type(k.v) not in (str, int, bool):
            return None
        return res[2], k.v

    def call(self, node: A.Call) -> K | Fn:
        f = node.func
        host = self.scope.functions.get(f)
        if host is not None:
            return self.host_call(node, host)
        m = getattr(self, "fn_" + f)
        return m(node)

    def host_call(self, node: A.Call, host: Any) -> K | Fn:
        fns = [_fn(self.c(a)) for a in node.args]
        impl = host.impl
        if host.lazy:
            return lambda env: impl(env, *fns)
        if host.unknown_propagates:

            def call(env: Env) -> Any:
                vals = []
                for f in fns:
                    v = f(env)
                    if v is UNKNOWN:
                        return UNKNOWN
                    vals.append(v)
                return impl(env, *vals)

            return call
        return lambda env: impl(env, *[f(env) for f in fns])

    # -- aggregates

    def agg_parts(self, node: A.Call) -> tuple[Fn, int, Fn | None, Callable[[Any], Any]]:
        fc = _fn(self.c(node.args[0]))
        elem = T.element(self.t(node.args[0]))
        d = self.push(elem)
        fe = _fn(self.c(node.args[1])) if len(node.args) > 1 else None
        self.pop()
        return fc, d, fe, _key_fn(elem)

    def fn_count(self, node: A.Call) -> K | Fn:
        fc, d, fp, keyf = self.agg_parts(node)
        if self.decisive:
            return self.traced_agg(node, "count", fc, d, fp, keyf)
        if fp is None:

            def count(env: Env) -> Any:
                c = fc(env)
                tc = type(c)
                if tc in _PLAIN:
                    return len(c)
                return UNKNOWN

            return count

        def count_p(env: Env) -> Any:
            c = fc(env)
            tc = type(c)
            if tc in _PLAIN:
                frames = env.frames
                saved = frames[d]
                n = 0
                unknown = False
                for item in c:
                    frames[d] = item
                    p = fp(env)
                    if p is True:
                        n += 1
                    elif p is not False:
                        unknown = True
                frames[d] = saved
                return UNKNOWN if unknown else n
            if c is UNKNOWN:
                return UNKNOWN
            return _agg_slow(env, "count", c, d, fp, None)[0]

        return count_p

    def fn_share(self, node: A.Call) -> K | Fn:
        fc, d, fp, keyf = self.agg_parts(node)
        if self.decisive:
            return self.traced_agg(node, "share", fc, d, fp, keyf)

        def share(env: Env) -> Any:
            c = fc(env)
            tc = type(c)
            if tc in _PLAIN:
                total = len(c)
                if total == 0:
                    return 0
                frames = env.frames
                saved = frames[d]
                n = 0
                unknown = False
                for item in c:
                    frames[d] = item
                    p = fp(env)
                    if p is True:
                        n += 1
                    elif p is not False:
                        unknown = True
                frames[d] = saved
                return UNKNOWN if unknown else V.normalize(Fraction(n, total))
            return UNKNOWN

        return share

    def fn_all(self, node: A.Call) -> K | Fn:
        return self.quantifier(node, "all", False)

    def fn_any(self, node: A.Call) -> K | Fn:
        return self.quantifier(node, "any", True)

    def quantifier(self, node: A.Call, kind: str, absorbing: bool) -> K | Fn:
        """``all`` (absorbing False) and ``any`` (absorbing True), with Kleene's unknowns: one
        absorbing value decides; otherwise an unknown item makes the answer UNKNOWN."""
        fc, d, fp, keyf = self.agg_parts(node)
        if self.decisive:
            return self.traced_agg(node, kind, fc, d, fp, keyf)
        neutral = not absorbing

        def quantify(env: Env) -> Any:
            c = fc(env)
            tc = type(c)
            if tc in _PLAIN:
                frames = env.frames
                saved = frames[d]
                result: Any = neutral
                for item in c:
                    frames[d] = item
                    p = fp(env)
                    if p is absorbing:
                        result = absorbing
                        break
                    if p is not neutral:
                        result = UNKNOWN
                frames[d] = saved
                return result
            if c is UNKNOWN:
                return UNKNOWN
            return _agg_slow(env, kind, c, d, fp, None)[0]

        return quantify

    def fn_sum(self, node: A.Call) -> K | Fn:
        fc, d, fe, keyf = self.agg_parts(node)
        if self.decisive:
            return self.traced_agg(node, "sum", fc, d, fe, keyf)
        if fe is None:
            return lambda env: _agg_slow(env, "sum", fc(env), d, fe, None)[0]
        ints = self.t(node) == T.INT
        add = V.add

        def sum_(env: Env) -> Any:
            c = fc(env)
            if type(c) not in _PLAIN:
                return _agg_slow(env, "sum", c, d, fe, None)[0]
            frames = env.frames
            saved = frames[d]
            total: Any = 0
            for item in c:
                frames[d] = item
                v = fe(env)
                if v is UNKNOWN:
                    total = UNKNOWN
                    break
                total = total + v if ints else add(total, v)
            frames[d] = saved
            return total

        return sum_

    def fn_min(self, node: A.Call) -> K | Fn:
        return self.minmax(node, min)

    def fn_max(self, node: A.Call) -> K | Fn:
        return self.minmax(node, max)

    def minmax(self, node: A.Call, pick: Callable) -> K | Fn:
        kind = node.func
        if T.is_collection(self.t(node.args[0])):
            fc, d, fe, keyf = self.agg_parts(node)
            if self.decisive:
                return self.traced_agg(node, kind, fc, d, fe, keyf)
            return lambda env: _agg_slow(env, kind, fc(env), d, fe, None)[0]
        parts = [self.c(a) for a in node.args]
        fns = [_fn(p) for p in parts]

        def mm(env: Env) -> Any:
            vals = []
            for f in fns:
                v = f(env)
                if v is UNKNOWN:
                    return UNKNOWN
                vals.append(v)
            return pick(vals)

        return self.fold(node, mm, *parts)

    def fn_months(self, node: A.Call) -> K | Fn:
        return self.months(node, 1)

    def fn_quarters(self, node: A.Call) -> K | Fn:
        return self.months(node, 3)

    def fn_halves(self, node: A.Call) -> K | Fn:
        return self.months(node, 6)

    def months(self, node: A.Call, quarters: Any) -> K | Fn:
        fc, d, fe, _keyf = self.agg_parts(node)
        elem = T.element(self.t(node.args[0]))
        by_field = fe is None and isinstance(elem, (T.Record, T.Object))
        add = self.entry(node) if self.decisive else None

        def months(env: Env) -> Any:
            c = fc(env)
            if c is UNKNOWN:
                r = UNKNOWN
            else:
                r = _months(env, c, d, fe, by_field, quarters)
            if add is not None:
                add(env, r, ())
            return r

        return months

    def fn_longest_run(self, node: A.Call) -> K | Fn:
        x = self.c(node.args[0])
        fx = _fn(x)
        add = self.entry(node) if self.decisive else None

        def lr(env: Env) -> Any:
            s = fx(env)
            ts = type(s)
            if ts in _PLAIN:
                run = V.longest_run_months(s)
                r: Any = len(run)
            elif s is UNKNOWN:
                r, run = UNKNOWN, ()
            else:
                lo, hi = V.set_bounds(s)
                a, b = V.longest_run(lo), V.longest_run(hi)
                r, run = (a, V.longest_run_months(lo)) if a == b else (UNKNOWN, ())
            if add is not None:
                add(env, r, run)
            return r

        return self.fold(node, lr, x) if add is None else lr

    def traced_agg(self, node: A.Call, kind: str, fc: Fn, d: int, fe: Fn | None, keyf: Callable) -> Fn:
        """An aggregate recording its value and evidence.  Exactly known collections (the
        usual case) take a direct loop; the others go through :func:`_agg_slow`."""
        add = self.entry(node)
        plain = _traced_plain(kind, d, fe, keyf, _keys_fn(T.element(self.t(node.args[0]))))

        def agg(env: Env) -> Any:
            c = fc(env)
            if type(c) in _PLAIN and plain is not None:
                v, ev = plain(env, c)
            elif c is UNKNOWN:
                add(env, UNKNOWN, ())
                return UNKNOWN
            else:
                v, ev = _agg_slow(env, kind, c, d, fe, keyf)
            add(env, v, ev)
            return v

        return agg

    # -- scalar functions

    def scalar(self, node: A.Call, op: Callable, code: str | None = None) -> K | Fn:
        parts = [self.c(a) for a in node.args]
        fns = [_fn(p) for p in parts]
        err = self.err
        if code is not None:
            raw = op

            def op(*args: Any) -> Any:  # noqa: F811
                try:
                    return raw(*args)
                except (ValueError, OverflowError):
                    raise err(code, {"value": "-".join(str(a) for a in args)}, node) from None

        if len(fns) == 1:
            f0 = fns[0]
            field = self.item_field(node.args[0])
            if field is not None:  # year_of(date) in a filter: read the field here
                d, fname = field

                def one_field(env: Env) -> Any:
                    v = env.frames[d].get(fname, UNKNOWN)
                    return UNKNOWN if v is UNKNOWN else op(v)

                return one_field

            def one(env: Env) -> Any:
                v = f0(env)
                return UNKNOWN if v is UNKNOWN else op(v)

            return self.fold(node, one, *parts)
        if len(fns) == 2:
            return self.fold(node, _lift2_any(parts[0], parts[1], op), *parts)

        def many(env: Env) -> Any:
            vals = []
            for f in fns:
                v = f(env)
                if v is UNKNOWN:
                    return UNKNOWN
                vals.append(v)
            return op(*vals)

        return self.fold(node, many, *parts)

    def fn_add_years(self, node: A.Call) -> K | Fn:
        return self.scalar(node, V.add_years, "rule-bad-date")

    def fn_add_months(self, node: A.Call) -> K | Fn:
        return self.scalar(node, V.add_months, "rule-bad-date")

    def item_field(self, node: A.Expr) -> tuple[int, str] | None:
        """(depth, field) when ``node`` is a bare field name of the current items (and its
        closure may be inlined: not fully traced)."""
        if self.full or not isinstance(node, A.Name):
            return None
        res = self.an.res.get(id(node))
        if res is None or res[0] != "field":
            return None
        return res[1], res[2]

    def fn_year_of(self, node: A.Call) -> K | Fn:
        return self.scalar(node, _year_attr)

    def fn_month_of(self, node: A.Call) -> K | Fn:
        return self.scalar(node, _month_attr)

    def fn_quarter_of(self, node: A.Call) -> K | Fn:
        return self.scalar(node, V.quarter_of)

    def fn_floor(self, node: A.Call) -> K | Fn:
        return self.scalar(node, math.floor)

    def fn_abs(self, node: A.Call) -> K | Fn:
        return self.scalar(node, abs)

    def fn_date(self, node: A.Call) -> K | Fn:
        if len(node.args) == 1:
            return self.scalar(node, V.parse_date, "rule-bad-date")
        return self.scalar(node, V.make_date, "rule-bad-date")

    def fn_known(self, node: A.Call) -> K | Fn:
        x = self.c(node.args[0])
        fx = _fn(x)

        def known(env: Env) -> bool:
            v = fx(env)
            return not (v is UNKNOWN or type(v) is PartialSet or type(v) is PartialItems)

        return self.fold(node, known, x)


# ---------------------------------------------------------------- runtime helpers


class _NeedsEnv(Exception):
    pass


class _FoldEnv:
    """Stands in for an Env while folding constants; any access means "not constant"."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        raise _NeedsEnv(name)


_FOLD_ENV: Any = _FoldEnv()


def _year_memo(f: Fn) -> Fn:
    """``f``'s value remembered for the last ``env.year`` (one atomic tuple: thread-safe)."""
    cell: list[tuple[Any, Any]] = [(_MISS, None)]

    def memo(env: Env) -> Any:
        y = env.year
        c = cell[0]
        if c[0] == y:
            return c[1]
        v = f(env)
        cell[0] = (y, v)
        return v

    return memo


def _lift2(fa: Fn, fb: Fn, op: Callable[[Any, Any], Any]) -> Fn:
    def f(env: Env) -> Any:
        a = fa(env)
        if a is UNKNOWN:
            return UNKNOWN
        b = fb(env)
        if b is UNKNOWN:
            return UNKNOWN
        return op(a, b)

    return f


def _lift2_any(a: K | Fn, b: K | Fn, op: Callable[[Any, Any], Any]) -> Fn:
    """``op(a, b)`` with UNKNOWN propagation, specialised for a constant side."""
    if type(b) is K:
        kb = b.v
        fa = _fn(a)

        def fk(env: Env) -> Any:
            x = fa(env)
            if x is UNKNOWN:
                return UNKNOWN
            return op(x, kb)

        return fk
    if type(a) is K:
        ka = a.v
        fb = b

        def kf(env: Env) -> Any:
            y = fb(env)  # type: ignore[operator]
            if y is UNKNOWN:
                return UNKNOWN
            return op(ka, y)

        return kf
    return _lift2(a, b, op)  # type: ignore[arg-type]


def _in_k(x: Any, s: frozenset) -> Any:
    return UNKNOWN if x is UNKNOWN else x in s


def _notin_k(x: Any, s: frozenset) -> Any:
    return UNKNOWN if x is UNKNOWN else x not in s


_GROUPABLE = frozenset({str, int, bool, type(None)})


def _group_by(c: tuple, fname: str) -> dict[Any, tuple] | None:
    """The records of ``c`` by their ``fname`` value, each group in order; None when a record
    is not a dict or its value is unknown (a maybe member) or not a plain text, integer,
    boolean or none (then ``where`` filters item by item)."""
    groups: dict[Any, list] = {}
    for item in c:
        if type(item) is not dict:
            return None
        v = item.get(fname, UNKNOWN)
        if type(v) not in _GROUPABLE:
            return None
        got = groups.get(v)
        if got is None:
            groups[v] = [item]
        else:
            got.append(item)
    return {v: tuple(items) for v, items in groups.items()}


def _filter_slow(env: Env, c: Any, d: int, fp: Fn) -> Any:
    """``where`` over a set or a collection with maybe-members."""
    frames = env.frames
    saved = frames[d]
    if type(c) is frozenset or type(c) is PartialSet or type(c) is set:
        lo, hi = set(), set()
        for item, sure in V.members(c):
            frames[d] = item
            p = fp(env)
            if p is False:
                continue
            hi.add(item)
            if p is True and sure:
                lo.add(item)
        frames[d] = saved
        return PartialSet.make(frozenset(lo), frozenset(hi))
    items, flags = [], []
    for item, sure in V.members(c):
        frames[d] = item
        p = fp(env)
        if p is False:
            continue
        items.append(item)
        flags.append(p is True and sure)
    frames[d] = saved
    if all(flags):
        return tuple(items)
    return PartialItems(tuple(items), tuple(flags))


def _agg_slow(env: Env, kind: str, c: Any, d: int, fe: Fn | None, keyf: Callable | None) -> tuple[Any, tuple]:
    """Every aggregate over any collection value, with evidence when ``keyf`` is given.

    Membership is three-valued: an item is a sure or a maybe member (a filter's condition
    was unknown for it).  Quantifiers read ``all = AND(not member or P)`` and
    ``any = OR(member and P)``; ``count(C, P)`` is exact when every maybe member fails P;
    count(C)/sum/share/min/max are UNKNOWN as soon as there is a maybe member.
    """
    if c is UNKNOWN:
        return UNKNOWN, ()
    frames = env.frames
    saved = frames[d]
    ev: list[Any] = []
    try:
        if kind == "all" or kind == "any":
            is_all = kind == "all"
            seen_true = seen_false = seen_unknown = False
            for item, sure in V.members(c):
                frames[d] = item
                p = fe(env)  # type: ignore[misc]
                if not sure:
                    if is_all:
                        p = True if p is True else UNKNOWN
                    else:
                        p = False if p is False else UNKNOWN
                if p is True:
                    seen_true = True
                    if not is_all:
                        if keyf is None:
                            break
                        ev.append(keyf(item))
                elif p is False:
                    seen_false = True
                    if is_all:
                        if keyf is None:
                            break
                        ev.append(keyf(item))
                else:
                    seen_unknown = True
                    if is_all and keyf is not None:
                        ev.append(keyf(item))
            if is_all:
                result: Any = False if seen_false else (UNKNOWN if seen_unknown else True)
            else:
                result = True if seen_true else (UNKNOWN if seen_unknown else False)
            return result, tuple(ev)
        if kind == "count" and fe is not None:
            n = 0
            unknown = False
            for item, sure in V.members(c):
                frames[d] = item
                p = fe(env)
                if p is False:
                    continue
                if p is True and sure:
                    n += 1
                    if keyf is not None:
                        ev.append(keyf(item))
                else:
                    unknown = True
            return (UNKNOWN if unknown else n), tuple(ev)
        if kind == "count":
            for item, sure in V.members(c):
                if not sure:
                    return UNKNOWN, ()
                if keyf is not None:
                    ev.append(keyf(item))
            return len(ev) if keyf is not None else len(c), tuple(ev)
        if kind == "share":
            if type(c) is PartialItems or type(c) is PartialSet:
                return UNKNOWN, ()
            total = len(c)
            n = 0
            unknown = False
            for item in c:
                frames[d] = item
                p = fe(env)  # type: ignore[misc]
                if p is True:
                    n += 1
                    if keyf is not None:
                        ev.append(keyf(item))
                elif p is not False:
                    unknown = True
            if unknown:
                return UNKNOWN, tuple(ev)
            return (V.normalize(Fraction(n, total)) if total else 0), tuple(ev)
        # sum / min / max
        vals: list[Any] = []
        keys: list[Any] = []
        for item, sure in V.members(c):
            if not sure:
                return UNKNOWN, ()
            if fe is None:
                v = item
            else:
                frames[d] = item
                v = fe(env)
            if v is UNKNOWN:
                return UNKNOWN, ()
            vals.append(v)
            if keyf is not None:
                keys.append(keyf(item))
        if kind == "sum":
            total_v: Any = 0
            for v in vals:
                total_v = V.add(total_v, v)
            return total_v, tuple(keys)
        if not vals:
            return UNKNOWN, ()
        best = min(vals) if kind == "min" else max(vals)
        return best, tuple(k for k, v in zip(keys, vals) if v == best)
    finally:
        frames[d] = saved


def _months(env: Env, c: Any, d: int, fe: Fn | None, by_field: bool, quarters: int) -> Any:
    """The months (``quarters`` 1), quarters (3) or half-years (6) of ``year`` with an item."""
    year = env.year
    if by_field and (type(c) is tuple or type(c) is list):
        found = set()
        for item in c:
            dt = item.get("date", UNKNOWN)
            if dt is UNKNOWN or dt is None:
                break
            if dt.year == year:
                found.add(dt.month)
        else:
            if quarters > 1:
                return frozenset((m + quarters - 1) // quarters for m in found)
            return frozenset(found)
    everything = _ALL_HALVES if quarters == 6 else _ALL_QUARTERS if quarters == 3 else _ALL_MONTHS
    lo: set[int] = set()
    hi: set[int] = set()
    frames = env.frames
    saved = frames[d]
    for item, sure in V.members(c):
        if fe is not None:
            frames[d] = item
            dt = fe(env)
        elif by_field:
            dt = item.get("date", UNKNOWN)
        else:
            dt = item
        if dt is None:
            continue
        if dt is UNKNOWN:
            hi |= everything
            continue
        if dt.year != year:
            continue
        m = (dt.month + quarters - 1) // quarters if quarters > 1 else dt.month
        if sure:
            lo.add(m)
        else:
            hi.add(m)
    frames[d] = saved
    return PartialSet.make(frozenset(lo), frozenset(hi))

