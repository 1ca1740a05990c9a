"""The type-check pass: resolves every name against a Scope and gives every node a type.

``check(expr, scope)`` returns the expression's type or raises the first ``LangError``;
``problems(expr, scope)`` returns every error (a node that fails gets the type ERROR, which
fits anywhere, so one mistake is reported once).  The compiler reuses the pass's results
(an :class:`Analysis`): node types and what each name resolved to.

Optional values (``T.Optional``, a field that may be ``none``) may be compared with ``==``/
``!=``, tested with ``known()``, put in lists and returned from ``if``; every other use
needs a guard that the checker can see: in ``x != none and A``, ``x == none or A`` and
``if x != none then A else B`` the value is known not to be none inside ``A``.  So no
operation meets ``none`` at run time.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, NamedTuple

from . import ast as A
from . import types as T
from .errors import LangError
from .scope import BUILTINS, NOT_CONST, Scope
from .values import MAX_RANGE, parse_date

__all__ = ["check", "problems", "analyze", "analyze_definition", "Analysis", "const_value", "MAX_ITEM_DEPTH"]

#: Most per-item scopes (where/all/any/...) that may be nested.
MAX_ITEM_DEPTH = 16
#: how many definitions may use each other in a chain (D3 uses D2 uses D1 ...); each link is
#: a nested call when checking, compiling and evaluating, so a chain of 400 would exhaust
#: Python's stack
MAX_DEFINITION_CHAIN = 32

AGGREGATES = frozenset("count sum share all any min max months quarters halves".split())

Res = tuple  # ("it", d) | ("field", d, name) | ("binder", d) | ("year",) | ("def"|"extra"|"fact", name)


class Analysis:
    """Result of checking one expression."""

    __slots__ = ("root", "type", "types", "res", "scope", "errors", "_keep", "chain")

    def __init__(self, root: A.Expr, scope: Scope) -> None:
        self.root = root
        self.scope = scope
        self.type: T.Type = T.ERROR
        self.types: dict[int, T.Type] = {}
        self.res: dict[int, Res] = {}
        self.errors: list[LangError] = []
        self._keep = root  # ids stay valid while the tree lives
        self.chain: tuple[str, ...] = ()  # a definition's longest chain of definitions it builds on

    def type_of(self, node: A.Expr) -> T.Type:
        return self.types[id(node)]


class _Frame(NamedTuple):
    elem: T.Type
    binder: str | None


def check(expr: A.Expr, scope: Scope) -> T.Type:
    """The static type of ``expr``; raises the first LangError."""
    return analyze(expr, scope).type


def problems(expr: A.Expr, scope: Scope) -> list[LangError]:
    """Every error in ``expr`` (empty when it checks), in source order."""
    return analyze(expr, scope, collect=True).errors


def analyze(expr: A.Expr, scope: Scope, collect: bool = False) -> Analysis:
    an = Analysis(expr, scope)
    c = _Checker(scope, an, collect)
    an.type = c.check(expr, (), frozenset())
    an.errors.sort(key=lambda e: (e.origin or "", e.span))
    return an


def analyze_definition(owner: Scope, name: str) -> Analysis:
    """Check definition ``name`` of ``owner`` once (memoised); cycles are rule-cycle errors
    raised by the referencing name."""
    with owner._lock:
        an = owner._def_analyses.get(name)
        if an is None:
            failed = owner._def_failed.get(name)
            if failed is not None:  # once per definition: a chain of 400 must not be re-walked per link
                raise failed
            owner._checking.append(name)
            try:
                an = analyze(owner.defs[name], owner)
                an.chain = max((owner._def_analyses[r[1]].chain for r in an.res.values() if r and r[0] == "def"),
                               key=len, default=()) + (name,)
                if len(an.chain) > MAX_DEFINITION_CHAIN:
                    chain = [*an.chain[::-1][:3], "…", *an.chain[::-1][-2:]]
                    raise LangError("rule-too-deep", {"name": name, "chain": chain, "limit": MAX_DEFINITION_CHAIN},
                                    an.root.span, an.root.source)
            except LangError as err:
                if err.code == "rule-too-deep":
                    owner._def_failed[name] = err
                raise
            finally:
                owner._checking.pop()
            owner._def_analyses[name] = an
            owner._def_types[name] = an.type
        return an


def const_value(node: A.Expr, scope: Scope) -> Any:
    """The value of a constant expression (literal, parameter, literal list or range,
    negated number), or NOT_CONST."""
    match node:
        case A.Literal(value=v):
            return v
        case A.Param(name=n):
            p = scope.params.get(n)
            return p[1] if p is not None else NOT_CONST
        case A.ListLit(items=items):
            vals = [const_value(i, scope) for i in items]
            if any(v is NOT_CONST for v in vals):
                return NOT_CONST
            try:
                return frozenset(vals)
            except TypeError:
                return NOT_CONST
        case A.Range(lo=lo, hi=hi):
            a, b = const_value(lo, scope), const_value(hi, scope)
            if type(a) is int and type(b) is int:
                return frozenset(range(a, b + 1))
            return NOT_CONST
        case A.Unary(op="-", operand=x):
            v = const_value(x, scope)
            if v is not NOT_CONST and not isinstance(v, (bool, str)) and v is not None and not isinstance(v, frozenset):
                return -v
            return NOT_CONST
    return NOT_CONST


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    m = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return m[0] if m else None


# --------------------------------------------------------------------- expectations

_KINDS: dict[str, tuple[Any, str, str]] = {
    "bool": (lambda t: t == T.BOOL, "true/false", "真假值"),
    "number": (T.is_numeric, "a number", "数值"),
    "int": (lambda t: t == T.INT, "an integer", "整数"),
    "date": (lambda t: t == T.DATE, "a date", "日期"),
    "collection": (T.is_collection, "a collection (records, a list or a set)", "记录集、列表或集合"),
    "set": (lambda t: isinstance(t, (T.Set, T.List)), "a set or a list", "集合或列表"),
    "string": (lambda t: t == T.STRING or isinstance(t, T.Enum), "text", "文字"),
}


def _arg_ctx(func: str, i: int) -> tuple[str, str]:
    return f"argument {i} of {func}()", f"{func}() 的第 {i} 个参数"


def _side_ctx(op: str, left: bool) -> tuple[str, str]:
    return (
        f"the {'left' if left else 'right'} side of `{op}`",
        f"`{op}` 的{'左' if left else '右'}边",
    )


class _Checker:
    def __init__(self, scope: Scope, an: Analysis, collect: bool) -> None:
        self.scope = scope
        self.an = an
        self.collect = collect

    # ------------------------------------------------------------------ plumbing

    def err(self, code: str, params: dict[str, Any], span: A.Span, node: A.Expr) -> LangError:
        return LangError(code, params, span, node.source)

    def type_error(self, node: A.Expr, ctx: tuple[str, str], expected: tuple[str, str], got: T.Type,
                   span: A.Span | None = None, **extra: Any) -> LangError:
        params = {
            "context": ctx[0],
            "context_zh": ctx[1],
            "expected": expected[0],
            "expected_zh": expected[1],
            "got": T.describe(got, "en"),
            "got_zh": T.describe(got, "zh"),
            **extra,
        }
        return self.err("rule-type", params, span or node.span, node)

    def optional_error(self, node: A.Expr, ctx: tuple[str, str], t: T.Type) -> LangError:
        return self.type_error(
            node, ctx, (T.describe(T.strip_optional(t), "en"), T.describe(T.strip_optional(t), "zh")), t,
            optional=True, text=node.text or A.dump(node),
        )

    def check(self, node: A.Expr, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        try:
            t = self._dispatch(node, frames, nn)
        except LangError as e:
            if not self.collect:
                raise
            self.an.errors.append(e)
            t = T.ERROR
        self.an.types[id(node)] = t
        return t

    def expect(self, node: A.Expr, frames: tuple[_Frame, ...], nn: frozenset, kind: str,
               ctx: tuple[str, str]) -> T.Type:
        t = self.check(node, frames, nn)
        if t == T.ERROR:
            return t
        ok, en, zh = _KINDS[kind]
        if isinstance(t, T.Optional):
            if ok(t.inner):
                raise self.optional_error(node, ctx, t)
        elif ok(t) or (t == T.NOTHING):
            return t
        raise self.type_error(node, ctx, (en, zh), t)

    def key(self, node: A.Expr) -> Any:
        """A hashable identity for a path (name or dotted field chain), or None."""
        if isinstance(node, A.Name):
            return self.an.res.get(id(node))
        if isinstance(node, A.Field):
            k = self.key(node.obj)
            return (k, node.name) if k is not None else None
        return None

    def nonnone_when(self, node: A.Expr, truth: bool) -> frozenset:
        """Paths known not to be none when ``node`` evaluates to ``truth``."""
        match node:
            case A.Compare(operands=(a, b), ops=(op,)) if op in ("==", "!="):
                other = b if isinstance(a, A.Literal) and a.value is None else (
                    a if isinstance(b, A.Literal) and b.value is None else None)
                if other is None:
                    return frozenset()
                k = self.key(other)
                if k is not None and ((op == "!=") == truth):
                    return frozenset([k])
            case A.Binary(op="and", left=l, right=r) if truth:
                return self.nonnone_when(l, True) | self.nonnone_when(r, True)
            case A.Binary(op="or", left=l, right=r) if not truth:
                return self.nonnone_when(l, False) | self.nonnone_when(r, False)
            case A.Unary(op="not", operand=x):
                return self.nonnone_when(x, not truth)
        return frozenset()

    def enum_check(self, enum_t: T.Type, node: A.Expr) -> None:
        """A literal compared with (or listed against) an enum must be one of its values."""
        if not isinstance(enum_t, T.Enum):
            return
        targets = node.items if isinstance(node, A.ListLit) else (node,)
        for n in targets:
            c = const_value(n, self.scope)
            if isinstance(c, str) and c not in enum_t.values:
                raise self.err(
                    "rule-unknown-value",
                    {"value": c, "allowed": sorted(enum_t.values), "suggestion": _suggest(c, enum_t.values)},
                    n.span,
                    n,
                )

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self, node: A.Expr, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        match node:
            case A.Literal():
                return self.literal(node)
            case A.Name():
                return self.name(node, frames, nn)
            case A.Param():
                return self.param(node)
            case A.Field():
                return self.field(node, frames, nn)
            case A.Compare():
                return self.compare(node, frames, nn)
            case A.Binary():
                return self.binary(node, frames, nn)
            case A.Call():
                return self.call(node, frames, nn)
            case A.Where():
                return self.where(node, frames, nn)
            case A.If():
                return self.if_(node, frames, nn)
            case A.Unary():
                return self.unary(node, frames, nn)
            case A.ListLit():
                return self.list_lit(node, frames, nn)
            case A.Range():
                self.expect(node.lo, frames, nn, "int", ("the start of `..`", "`..` 的起点"))
                self.expect(node.hi, frames, nn, "int", ("the end of `..`", "`..` 的终点"))
                lo, hi = const_value(node.lo, self.scope), const_value(node.hi, self.scope)
                if type(lo) is int and type(hi) is int and hi - lo + 1 > MAX_RANGE:
                    raise self.type_error(node, ("`..`", "`..`"), (f"at most {MAX_RANGE} numbers",
                                                                    f"不超过 {MAX_RANGE} 个数"), T.Set(T.INT))
                return T.Set(T.INT)
            case A.Index():
                return self.index(node, frames, nn)
        raise TypeError(f"not a node: {node!r}")  # pragma: no cover

    # ------------------------------------------------------------------ leaves

    def literal(self, node: A.Literal) -> T.Type:
        v = node.value
        if v is None:
            return T.NONE
        if v is True or v is False:
            return T.BOOL
        if isinstance(v, int):
            return T.INT
        if isinstance(v, str):
            return T.STRING
        return T.NUMBER

    def param(self, node: A.Param) -> T.Type:
        p = self.scope.params.get(node.name)
        if p is None:
            raise self.err(
                "rule-unknown-name",
                {"name": node.name, "kind": "parameter", "suggestion": _sug_param(node.name, self.scope.params)},
                node.span,
                node,
            )
        return p[0]

    def name(self, node: A.Name, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        n = node.name
        res: Res | None = None
        t: T.Type = T.ERROR
        if n == "it":
            for d in range(len(frames) - 1, -1, -1):
                if frames[d].binder is None:
                    res, t = ("it", d), frames[d].elem
                    break
            else:
                raise self.err("rule-unknown-name", {"name": "it", "kind": "it"}, node.span, node)
        else:
            for d in range(len(frames) - 1, -1, -1):
                f = frames[d]
                if f.binder is None:
                    if isinstance(f.elem, (T.Record, T.Object)):
                        ft = f.elem.field(n)
                        if ft is not None:
                            res, t = ("field", d, n), ft
                            break
                elif f.binder == n:
                    res, t = ("binder", d), f.elem
                    break
            else:
                scope = self.scope
                if n == "year":
                    res, t = ("year",), T.INT
                elif n in scope.defs:
                    owner = scope._owner
                    if n in owner._checking:
                        chain = owner._checking[owner._checking.index(n):] + [n]
                        raise self.err("rule-cycle", {"name": n, "chain": chain}, node.span, node)
                    res, t = ("def", n), analyze_definition(owner, n).type
                elif n in scope.extras:
                    res, t = ("extra", n), scope.extras[n]
                elif n in scope.facts:
                    res, t = ("fact", n), scope.facts[n]
                else:
                    raise self.unknown_name(node, frames)
        self.an.res[id(node)] = res
        if isinstance(t, T.Optional) and res in nn:
            t = t.inner
        return t

    def unknown_name(self, node: A.Name, frames: tuple[_Frame, ...]) -> LangError:
        n = node.name
        cands: list[str] = ["year"]
        hint = None
        for f in frames:
            if f.binder is None:
                cands.append("it")
                if isinstance(f.elem, (T.Record, T.Object)):
                    cands.extend(f.elem.field_names())
            else:
                cands.append(f.binder)
                if isinstance(f.elem, (T.Record, T.Object)) and f.elem.field(n) is not None:
                    hint = f"{f.binder}.{n}"
        cands += list(self.scope.defs) + list(self.scope.extras) + list(self.scope.facts)
        if hint is None and (n in BUILTINS or n in self.scope.functions):
            hint = f"{n}(…)"
        sug = hint or _suggest(n, cands)
        return self.err("rule-unknown-name", {"name": n, "kind": "name", "suggestion": sug}, node.span, node)

    def field(self, node: A.Field, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        ot = self.check(node.obj, frames, nn)
        if ot == T.ERROR:
            return T.ERROR
        ctx = (f"`.{node.name}`", f"`.{node.name}`")
        if isinstance(ot, T.Optional):
            raise self.optional_error(node.obj, ctx, ot)
        if not isinstance(ot, (T.Object, T.Record)):
            raise self.type_error(node.obj, ctx, ("an object or a record", "对象或记录"), ot)
        ft = ot.field(node.name)
        if ft is None:
            of = node.obj.text or A.dump(node.obj)
            raise self.err(
                "rule-unknown-name",
                {"name": node.name, "kind": "field", "of": f"`{of}`", "of_zh": f"`{of}`",
                 "suggestion": _suggest(node.name, ot.field_names())},
                node.name_span,
                node,
            )
        if isinstance(ft, T.Optional) and self.key(node) in nn:
            ft = ft.inner
        return ft

    def index(self, node: A.Index, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        ot = self.check(node.obj, frames, nn)
        it = self.expect(node.index, frames, nn, "string", ("the key in `[...]`", "`[...]` 中的键"))
        if ot == T.ERROR:
            return T.ERROR
        if not isinstance(ot, T.Map):
            raise self.type_error(node.obj, ("`[...]`", "`[...]`"), ("a map parameter", "映射参数"), ot)
        if isinstance(node.obj, A.Param):
            value = self.scope.params[node.obj.name][1]
            keys = set(value)
            c = const_value(node.index, self.scope)
            if isinstance(c, str) and c not in keys:
                raise self.err(
                    "rule-unknown-value",
                    {"value": c, "allowed": sorted(keys), "suggestion": _suggest(c, keys)},
                    node.index.span,
                    node,
                )
            if isinstance(it, T.Enum):
                missing = sorted(it.values - keys)
                if missing:
                    raise self.err(
                        "rule-unknown-value",
                        {"map": "$" + node.obj.name, "missing": missing, "value": missing[0]},
                        node.span,
                        node,
                    )
        return ot.value

    # ------------------------------------------------------------------ operators

    def compare(self, node: A.Compare, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        ts = [self.check(o, frames, nn) for o in node.operands]
        for i, op in enumerate(node.ops):
            a, b = node.operands[i], node.operands[i + 1]
            ta, tb = ts[i], ts[i + 1]
            if ta == T.ERROR or tb == T.ERROR:
                continue
            ordering = op in ("<", "<=", ">", ">=")
            if ordering:
                for x, tx in ((a, ta), (b, tb)):
                    if isinstance(tx, T.Optional) and T.comparable(tx.inner, tx.inner, True):
                        raise self.optional_error(x, (f"comparison `{op}`", f"比较 `{op}`"), tx)
            if not ordering and (ta == T.NONE or tb == T.NONE):
                other, to = (b, tb) if ta == T.NONE else (a, ta)
                if not isinstance(to, T.Optional) and to != T.NONE:
                    sug = '"none"' if isinstance(to, T.Enum) and "none" in to.values else None
                    raise self.type_error(
                        other, (f"comparison `{op} none`", f"与 none 的比较 `{op}`"),
                        ("a value that may be none", "可能为 none 的值"), to, suggestion=sug,
                    )
                continue
            if not T.comparable(ta, tb, ordering):
                sa = T.strip_optional(ta)
                if ordering and not T.comparable(sa, sa, True):
                    raise self.type_error(a, _side_ctx(op, True), ("a number or a date", "数值或日期"), ta)
                raise self.type_error(
                    b, _side_ctx(op, False),
                    (T.describe(sa, "en") + " like the left side", "与左边相同的" + T.describe(sa, "zh")),
                    tb,
                )
            self.enum_check(T.strip_optional(ta), b)
            self.enum_check(T.strip_optional(tb), a)
        return T.BOOL

    def binary(self, node: A.Binary, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        op = node.op
        if op in ("and", "or"):
            self.expect(node.left, frames, nn, "bool", _side_ctx(op, True))
            extra = self.nonnone_when(node.left, op == "and")
            self.expect(node.right, frames, nn | extra, "bool", _side_ctx(op, False))
            return T.BOOL
        ta = self.check(node.left, frames, nn)
        tb = self.check(node.right, frames, nn)
        if op in ("+", "-", "*", "/"):
            if ta == T.ERROR or tb == T.ERROR:
                return T.ERROR
            setlike = (T.Set, T.List)
            if op in ("+", "-") and isinstance(ta, setlike) and isinstance(tb, setlike):
                if not T.comparable(ta.elem, tb.elem, False) and T.NOTHING not in (ta.elem, tb.elem):
                    raise self.type_error(node.right, _side_ctx(op, False),
                                          (T.describe(T.Set(ta.elem), "en"), T.describe(T.Set(ta.elem), "zh")), tb)
                e = T.join(ta.elem, tb.elem) if op == "+" else ta.elem
                return T.Set(e if e is not None else ta.elem)
            want = ("a number", "数值") if op in ("*", "/") else ("a number (or two sets)", "数值（或两个集合）")
            for x, tx, left in ((node.left, ta, True), (node.right, tb, False)):
                if isinstance(tx, T.Optional) and T.is_numeric(tx.inner):
                    raise self.optional_error(x, _side_ctx(op, left), tx)
                if not T.is_numeric(tx):
                    raise self.type_error(x, _side_ctx(op, left), want, tx)
            if op != "/" and ta == T.INT and tb == T.INT:
                return T.INT
            return T.NUMBER
        if op in ("in", "not in"):
            if ta == T.ERROR or tb == T.ERROR:
                return T.BOOL
            if not isinstance(tb, (T.Set, T.List)):
                if isinstance(tb, T.Optional) and isinstance(tb.inner, (T.Set, T.List)):
                    raise self.optional_error(node.right, _side_ctx(op, False), tb)
                raise self.type_error(node.right, _side_ctx(op, False), _KINDS["set"][1:], tb)
            if tb.elem != T.NOTHING and not T.comparable(ta, tb.elem, False) and ta != T.NONE:
                raise self.type_error(node.left, _side_ctx(op, True),
                                      (T.describe(tb.elem, "en"), T.describe(tb.elem, "zh")), ta)
            self.enum_check(tb.elem, node.left)
            self.enum_check(T.strip_optional(ta), node.right)
            return T.BOOL
        if op in ("⊇", "⊆"):
            for x, tx, left in ((node.left, ta, True), (node.right, tb, False)):
                if tx == T.ERROR:
                    return T.BOOL
                if isinstance(tx, T.Optional) and isinstance(tx.inner, (T.Set, T.List)):
                    raise self.optional_error(x, _side_ctx(op, left), tx)
                if not isinstance(tx, (T.Set, T.List)):
                    raise self.type_error(x, _side_ctx(op, left), _KINDS["set"][1:], tx)
            if T.NOTHING not in (ta.elem, tb.elem) and not T.comparable(ta.elem, tb.elem, False):
                raise self.type_error(node.right, _side_ctx(op, False),
                                      (T.describe(T.Set(ta.elem), "en"), T.describe(T.Set(ta.elem), "zh")), tb)
            self.enum_check(ta.elem, node.right)
            self.enum_check(tb.elem, node.left)
            return T.BOOL
        raise AssertionError(op)  # pragma: no cover

    def unary(self, node: A.Unary, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        if node.op == "not":
            self.expect(node.operand, frames, nn, "bool", ("`not`", "`not`"))
            return T.BOOL
        t = self.expect(node.operand, frames, nn, "number", ("`-`", "`-`"))
        return t if t != T.NOTHING else T.NUMBER

    def if_(self, node: A.If, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.expect(node.cond, frames, nn, "bool", ("the condition after `if`", "`if` 后的条件"))
        tt = self.check(node.then, frames, nn | self.nonnone_when(node.cond, True))
        te = self.check(node.else_, frames, nn | self.nonnone_when(node.cond, False))
        j = T.join(tt, te)
        if j is None:
            raise self.type_error(
                node.else_, ("the `else` branch", "`else` 分支"),
                (T.describe(tt, "en") + " like the `then` branch", "与 `then` 分支相同的" + T.describe(tt, "zh")),
                te,
            )
        return j

    def where(self, node: A.Where, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        ct = self.expect(node.collection, frames, nn, "collection", ("the left side of `where`", "`where` 的左边"))
        elem = T.element(ct) if T.is_collection(ct) else T.ERROR
        inner = self.push(frames, elem, None, node)
        self.expect(node.predicate, inner, nn, "bool", ("the condition after `where`", "`where` 后的条件"))
        return ct

    def push(self, frames: tuple[_Frame, ...], elem: T.Type, binder: str | None, node: A.Expr) -> tuple[_Frame, ...]:
        if len(frames) >= MAX_ITEM_DEPTH:
            raise self.err("rule-syntax", {"reason": "depth"}, node.span, node)
        return frames + (_Frame(elem, binder),)

    def list_lit(self, node: A.ListLit, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        elem: T.Type = T.NOTHING
        for item in node.items:
            t = self.check(item, frames, nn)
            j = T.join(elem, t)
            if j is None or isinstance(t, (T.Records, T.Map)):
                raise self.type_error(item, ("an item of the list", "列表中的一项"),
                                      (T.describe(elem, "en"), T.describe(elem, "zh")), t)
            elem = j
        return T.Set(elem)

    # ------------------------------------------------------------------ calls

    def arity(self, node: A.Call, lo: int, hi: int | None) -> None:
        n = len(node.args)
        if n < lo or (hi is not None and n > hi):
            if hi is None:
                exp = f"{lo}+"
            elif lo == hi:
                exp = str(lo)
            elif hi == lo + 1:
                exp = f"{lo}-{hi}"
            else:
                exp = f"{lo}-{hi}"
            raise self.err("rule-arity", {"func": node.func, "expected": exp, "got": n}, node.span, node)

    def call(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        f = node.func
        if node.binder is not None and (f not in AGGREGATES or node.binder_arg != 0):
            raise self.err("rule-syntax", {"found": "as", "expected": [], "reason": "binder"},
                           node.binder_span or node.span, node)
        host = self.scope.functions.get(f)
        if host is not None:
            types = tuple(self.check(a, frames, nn) for a in node.args)
            spans = tuple(a.span for a in node.args)
            try:
                if host.const_args:
                    consts = tuple(const_value(a, self.scope) for a in node.args)
                    t = host.check(types, spans, consts)
                else:
                    t = host.check(types, spans)
            except LangError as e:
                e.with_source(node.source)
                raise
            if not isinstance(t, T.Type):
                raise TypeError(f"host function {f}'s checker returned {t!r}, not a type")
            return t
        if f not in BUILTINS:
            raise self.err(
                "rule-unknown-function",
                {"name": f, "suggestion": _suggest(f, list(BUILTINS) + list(self.scope.functions))},
                node.func_span,
                node,
            )
        return getattr(self, "fn_" + f)(node, frames, nn)

    def coll(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> tuple[T.Type, T.Type, tuple[_Frame, ...]]:
        ct = self.expect(node.args[0], frames, nn, "collection", _arg_ctx(node.func, 1))
        elem = T.element(ct) if T.is_collection(ct) else T.ERROR
        return ct, elem, self.push(frames, elem, node.binder, node)

    def fn_count(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 2)
        _, _, inner = self.coll(node, frames, nn)
        if len(node.args) == 2:
            self.expect(node.args[1], inner, nn, "bool", _arg_ctx("count", 2))
        return T.INT

    def fn_share(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 2, 2)
        _, _, inner = self.coll(node, frames, nn)
        self.expect(node.args[1], inner, nn, "bool", _arg_ctx("share", 2))
        return T.NUMBER

    def fn_all(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 2, 2)
        _, _, inner = self.coll(node, frames, nn)
        self.expect(node.args[1], inner, nn, "bool", _arg_ctx(node.func, 2))
        return T.BOOL

    fn_any = fn_all

    def fn_sum(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 2)
        ct, elem, inner = self.coll(node, frames, nn)
        if len(node.args) == 2:
            t = self.expect(node.args[1], inner, nn, "number", _arg_ctx("sum", 2))
        else:
            t = elem
            if t != T.ERROR and not T.is_numeric(t) and t != T.NOTHING:
                raise self.type_error(node.args[0], _arg_ctx("sum", 1), ("a collection of numbers", "数值的集合"), ct)
        return T.INT if t == T.INT or t == T.NOTHING else (T.ERROR if t == T.ERROR else T.NUMBER)

    def fn_min(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        f = node.func
        if not node.args:
            self.arity(node, 1, None)
        t0 = self.check(node.args[0], frames, nn)
        if T.is_collection(t0):
            self.arity(node, 1, 2)
            elem = T.element(t0)
            inner = self.push(frames, elem, node.binder, node)
            if len(node.args) == 2:
                t = self.check(node.args[1], inner, nn)
                where = node.args[1]
            else:
                t, where = elem, node.args[0]
            if t == T.ERROR:
                return t
            if isinstance(t, T.Optional) and (T.is_numeric(t.inner) or t.inner == T.DATE):
                raise self.optional_error(where, _arg_ctx(f, len(node.args)), t)
            if not (T.is_numeric(t) or t == T.DATE):
                raise self.type_error(where, _arg_ctx(f, len(node.args)), ("numbers or dates", "数值或日期"), t)
            return t
        self.arity(node, 2, None)
        if node.binder is not None:
            raise self.err("rule-syntax", {"found": "as", "expected": [], "reason": "binder"},
                           node.binder_span or node.span, node)
        result = t0
        for i, a in enumerate(node.args):
            t = t0 if i == 0 else self.check(a, frames, nn)
            if t == T.ERROR:
                result = T.ERROR
                continue
            if isinstance(t, T.Optional) and (T.is_numeric(t.inner) or t.inner == T.DATE):
                raise self.optional_error(a, _arg_ctx(f, i + 1), t)
            want_date = T.strip_optional(t0) == T.DATE
            ok = t == T.DATE if want_date else T.is_numeric(t)
            if not ok:
                exp = ("a date", "日期") if want_date else ("a number", "数值")
                if i == 0:
                    exp = ("a number, a date or a collection", "数值、日期或集合")
                raise self.type_error(a, _arg_ctx(f, i + 1), exp, t)
            if result != T.ERROR:
                result = T.join(result, t) or T.ERROR
        return result

    fn_max = fn_min

    def fn_months(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        f = node.func
        self.arity(node, 1, 2)
        ct, elem, inner = self.coll(node, frames, nn)
        if len(node.args) == 2:
            t = self.check(node.args[1], inner, nn)
            if t != T.ERROR and T.strip_optional(t) != T.DATE:
                raise self.type_error(node.args[1], _arg_ctx(f, 2), ("a date", "日期"), t)
        elif elem != T.ERROR and elem != T.NOTHING:
            d = elem
            if isinstance(elem, (T.Record, T.Object)):
                d = elem.field("date") or T.ERROR
            if T.strip_optional(d) != T.DATE:
                raise self.type_error(
                    node.args[0], _arg_ctx(f, 1),
                    ("records with a `date` field, or dates (else say which field: "
                     f"`{f}(C, field)`)", f"带 `date` 字段的记录或日期（否则写明字段：`{f}(C, 字段)`）"),
                    ct,
                )
        return T.Set(T.INT)

    fn_quarters = fn_months
    fn_halves = fn_months

    def fn_longest_run(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 1)
        t = self.expect(node.args[0], frames, nn, "set", _arg_ctx("longest_run", 1))
        if isinstance(t, (T.Set, T.List)) and t.elem not in (T.INT, T.NOTHING, T.ERROR):
            raise self.type_error(node.args[0], _arg_ctx("longest_run", 1), ("a set of integers", "整数集合"), t)
        return T.INT

    def fn_add_years(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 2, 2)
        self.expect(node.args[0], frames, nn, "date", _arg_ctx(node.func, 1))
        self.expect(node.args[1], frames, nn, "int", _arg_ctx(node.func, 2))
        return T.DATE

    fn_add_months = fn_add_years

    def fn_year_of(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 1)
        self.expect(node.args[0], frames, nn, "date", _arg_ctx(node.func, 1))
        return T.INT

    fn_month_of = fn_quarter_of = fn_year_of

    def fn_known(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 1)
        self.check(node.args[0], frames, nn)
        return T.BOOL

    def fn_floor(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 1)
        self.expect(node.args[0], frames, nn, "number", _arg_ctx(node.func, 1))
        return T.INT

    def fn_abs(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        self.arity(node, 1, 1)
        t = self.expect(node.args[0], frames, nn, "number", _arg_ctx(node.func, 1))
        return t if t != T.NOTHING else T.NUMBER

    def fn_date(self, node: A.Call, frames: tuple[_Frame, ...], nn: frozenset) -> T.Type:
        n = len(node.args)
        if n not in (1, 3):
            raise self.err("rule-arity", {"func": "date", "expected": "1 or 3", "got": n}, node.span, node)
        if n == 1:
            a = node.args[0]
            t = self.check(a, frames, nn)
            c = const_value(a, self.scope)
            if not isinstance(c, str):
                if t == T.ERROR:
                    return T.DATE
                raise self.type_error(a, _arg_ctx("date", 1), ('a date written "YYYY-MM-DD"', '形如 "YYYY-MM-DD" 的日期'), t)
            try:
                parse_date(c)
            except ValueError:
                raise self.err("rule-bad-date", {"value": c}, a.span, node) from None
            return T.DATE
        for i, a in enumerate(node.args):
            self.expect(a, frames, nn, "int", _arg_ctx("date", i + 1))
        consts = [const_value(a, self.scope) for a in node.args]
        if all(type(c) is int for c in consts):
            try:
                parse_date(f"{consts[0]:04d}-{consts[1]:02d}-{consts[2]:02d}")
            except ValueError:
                raise self.err("rule-bad-date", {"value": "{}-{}-{}".format(*consts)}, node.span, node) from None
        return T.DATE


def _sug_param(name: str, params: Iterable[str]) -> str | None:
    s = _suggest(name, params)
    return "$" + s if s else None
