"""A static bound on how often a rule repeats its per-item parts, checked once at load.

``all(1..100000 as a, all(1..100000 as b, a + b > x))`` would evaluate its inner condition
10^10 times on any facts; such a rule is refused at load (``rule-too-costly``, located at
the loop that passes the bound) instead of running for hours on every branch.

The estimate multiplies the sizes of the collections that nested per-item parts iterate
over: a range with constant ends (``1..12``, ``1..$months``) counts its numbers, a list
literal its items, a set sum or difference its parts, a definition what it stands for.
Collections from the facts count as 1: their size is bounded by the facts document, and a
range whose ends depend on the facts is charged when it is built, against the branch's
budget of range elements (``MAX_BRANCH_RANGE``, a run-time ``rule-too-costly``).
"""

from __future__ import annotations

from typing import Any

from . import ast as A
from .check import AGGREGATES, Analysis, const_value
from .errors import LangError

#: how many times a rule may evaluate its innermost per-item part (estimated at load)
MAX_COST = 1_000_000
_SIZE_DEPTH = 200  # the size estimate follows at most this many nested nodes


def too_costly(an: Analysis) -> LangError | None:
    """A ``rule-too-costly`` error when ``an``'s nested loops exceed :data:`MAX_COST`, else None."""
    est = _Estimate(an)
    stack: list[tuple[A.Expr, int, Analysis]] = [(an.root, 1, an)]
    seen_defs: set[str] = set()
    while stack:
        node, mult, owner_an = stack.pop()
        loop = _loop_parts(node)
        if loop is not None:
            coll, body = loop
            stack.append((coll, mult, owner_an))
            inner = mult * est.size(coll, owner_an, 0)
            if inner > MAX_COST:
                return LangError("rule-too-costly", {"limit": MAX_COST, "cost": inner}, node.span, node.source)
            stack.extend((b, inner, owner_an) for b in body)
            continue
        if isinstance(node, A.Name):
            d = est.definition(node, owner_an)
            if d is not None and d.root is not None and node.name not in seen_defs:
                seen_defs.add(node.name)  # a definition is computed once per branch, not per item
                stack.append((d.root, 1, d))
        stack.extend((c, mult, owner_an) for c in node.children())
    return None


def _loop_parts(node: A.Expr) -> tuple[A.Expr, tuple[A.Expr, ...]] | None:
    """(collection, per-item parts) of a node that evaluates parts once per item."""
    if isinstance(node, A.Where):
        return node.collection, (node.predicate,)
    if isinstance(node, A.Call) and node.func in AGGREGATES and node.args:
        i = node.binder_arg if node.binder is not None else 0
        coll = node.args[i]
        return coll, tuple(a for j, a in enumerate(node.args) if j != i)
    return None


class _Estimate:
    def __init__(self, an: Analysis) -> None:
        self.scope = an.scope
        self.memo: dict[int, int] = {}

    def definition(self, node: A.Name, an: Analysis) -> Analysis | None:
        res = an.res.get(id(node))
        if not res or res[0] != "def":
            return None
        owner = self.scope._owner
        got: Any = owner._def_analyses.get(res[1])
        return got

    def size(self, node: A.Expr, an: Analysis, depth: int) -> int:
        """An upper estimate of how many items ``node`` holds (1 when it comes from the facts)."""
        if depth > _SIZE_DEPTH:
            return 1
        key = id(node)
        if key in self.memo:
            return self.memo[key]
        n = 1
        if isinstance(node, A.Range):
            lo, hi = const_value(node.lo, self.scope), const_value(node.hi, self.scope)
            if type(lo) is int and type(hi) is int:
                n = max(hi - lo + 1, 0)
        elif isinstance(node, A.ListLit):
            n = len(node.items)
        elif isinstance(node, A.Binary) and node.op in ("+", "-"):
            a = self.size(node.left, an, depth + 1)
            n = a + self.size(node.right, an, depth + 1) if node.op == "+" else a
        elif isinstance(node, A.Where):
            n = self.size(node.collection, an, depth + 1)
        elif isinstance(node, A.If):
            n = max(self.size(node.then, an, depth + 1), self.size(node.else_, an, depth + 1))
        elif isinstance(node, A.Name):
            d = self.definition(node, an)
            if d is not None and d.root is not None:
                n = self.size(d.root, d, depth + 1)
        self.memo[key] = n
        return n
