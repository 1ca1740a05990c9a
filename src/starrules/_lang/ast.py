"""The rule language's syntax tree: frozen dataclass nodes, one per construct.

Every node has a ``span`` (start, end) of character offsets into its source text and a
``children()`` method.  Nodes compare structurally (the ``source`` back-reference is left
out of comparisons), so ``parse("a+b") == parse("a+b")`` holds.  Passes (check, compile,
format) live in their own modules and dispatch on the node class with ``match``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

Span = tuple[int, int]

__all__ = [
    "Span",
    "Source",
    "Expr",
    "Literal",
    "ListLit",
    "Range",
    "Name",
    "Param",
    "Field",
    "Index",
    "Call",
    "Unary",
    "Binary",
    "Compare",
    "If",
    "Where",
    "is_literal",
    "walk",
    "depth",
    "dump",
]


@dataclass(frozen=True, slots=True)
class Source:
    """The text an expression was parsed from, and an optional name for it (e.g.
    ``"ORG-01.rule"`` or ``"def F"``) used to attribute errors and trace entries."""

    text: str
    name: str | None = None

    def snippet(self, span: Span) -> str:
        return self.text[span[0] : span[1]]


@dataclass(frozen=True, slots=True)
class Expr:
    span: Span
    source: Source | None = field(default=None, kw_only=True, compare=False, repr=False)

    def children(self) -> tuple[Expr, ...]:
        return ()

    @property
    def text(self) -> str:
        """The source text of this node ('' when built by hand without a source)."""
        return self.source.snippet(self.span) if self.source is not None else ""


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    """``3``, ``0.8`` (a Decimal), ``"formal"``, ``true``, ``false``, ``none``."""

    value: int | Decimal | str | bool | None


@dataclass(frozen=True, slots=True)
class ListLit(Expr):
    """``["flag", "oath_wall"]`` - a set literal."""

    items: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class Range(Expr):
    """``1..12`` - the set of integers from lo to hi inclusive."""

    lo: Expr
    hi: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.lo, self.hi)


@dataclass(frozen=True, slots=True)
class Name(Expr):
    """A bare name: a fact, a definition, an item field, a binder, ``it``, ``year``, or a
    host-provided value."""

    name: str


@dataclass(frozen=True, slots=True)
class Param(Expr):
    """``$min_formal_members`` (``name`` is stored without the ``$``)."""

    name: str


@dataclass(frozen=True, slots=True)
class Field(Expr):
    """``committee.established``: a field of an object or record."""

    obj: Expr
    name: str
    name_span: Span

    def children(self) -> tuple[Expr, ...]:
        return (self.obj,)


@dataclass(frozen=True, slots=True)
class Index(Expr):
    """``$brand_points[brand_level]``: a map looked up by a string key."""

    obj: Expr
    index: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.obj, self.index)


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """``count(F)``, ``all(party_groups as g, ...)``.  ``binder`` names the items of the
    first argument (``as g``); ``binder_span`` locates it."""

    func: str
    func_span: Span
    args: tuple[Expr, ...]
    binder: str | None = None
    binder_span: Span | None = None
    binder_arg: int = 0

    def children(self) -> tuple[Expr, ...]:
        return self.args


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    """``not x`` (op ``"not"``) or ``-x`` (op ``"-"``)."""

    op: str
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    """``and``, ``or``, ``+ - * /``, ``in``, ``not in``, ``⊇``, ``⊆`` (canonical spellings;
    ``includes``/``subset_of``/``∈``/``∉``/``×``/``÷`` are normalised by the parser)."""

    op: str
    left: Expr
    right: Expr
    op_span: Span | None = None

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """A (possibly chained) comparison: ``3 <= count(committee.members) <= 7`` has
    operands (3, count(...), 7) and ops ("<=", "<=")."""

    operands: tuple[Expr, ...]
    ops: tuple[str, ...]
    op_spans: tuple[Span, ...] = ()

    def children(self) -> tuple[Expr, ...]:
        return self.operands


@dataclass(frozen=True, slots=True)
class If(Expr):
    """``if C then A else B``."""

    cond: Expr
    then: Expr
    else_: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.cond, self.then, self.else_)


@dataclass(frozen=True, slots=True)
class Where(Expr):
    """``C where P``: the items of C for which P holds."""

    collection: Expr
    predicate: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.collection, self.predicate)


def is_literal(node: Expr) -> bool:
    """Written as a constant: a literal, a list or range of literals, ``-3``, ``date("…")``."""
    match node:
        case Literal():
            return True
        case ListLit(items=items):
            return all(is_literal(i) for i in items)
        case Range(lo=lo, hi=hi):
            return is_literal(lo) and is_literal(hi)
        case Unary(op="-", operand=x):
            return is_literal(x)
        case Call(func="date", args=args):
            return all(is_literal(a) for a in args)
    return False


def walk(node: Expr) -> Iterator[Expr]:
    """Every node of the tree, parents before children (iterative)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children()))


def depth(node: Expr) -> int:
    """Nesting depth of the tree (iterative, safe on deep trees)."""
    best = 0
    stack = [(node, 1)]
    while stack:
        n, d = stack.pop()
        if d > best:
            best = d
        for c in n.children():
            stack.append((c, d + 1))
    return best


def dump(node: Expr) -> str:
    """A compact, fully parenthesised rendering used in tests and debugging:
    ``dump(parse("a or b and c")) == "(or a (and b c))"``."""
    match node:
        case Literal(value=v):
            if v is None:
                return "none"
            if v is True:
                return "true"
            if v is False:
                return "false"
            if isinstance(v, str):
                return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return str(v)
        case ListLit(items=items):
            return "[" + " ".join(dump(i) for i in items) + "]"
        case Range(lo=lo, hi=hi):
            return f"(.. {dump(lo)} {dump(hi)})"
        case Name(name=n):
            return n
        case Param(name=n):
            return "$" + n
        case Field(obj=o, name=n):
            return f"{dump(o)}.{n}"
        case Index(obj=o, index=i):
            return f"{dump(o)}[{dump(i)}]"
        case Call(func=f, args=args, binder=b):
            parts = [dump(a) for a in args]
            if b is not None:
                parts[0] = f"{parts[0]} as {b}"
            return f"{f}(" + ", ".join(parts) + ")"
        case Unary(op=op, operand=x):
            return f"({op} {dump(x)})"
        case Binary(op=op, left=a, right=b):
            return f"({op} {dump(a)} {dump(b)})"
        case Compare(operands=ops_, ops=ops):
            out = dump(ops_[0])
            for op, x in zip(ops, ops_[1:]):
                out += f" {op} {dump(x)}"
            if len(ops) == 1:
                return f"({ops[0]} {dump(ops_[0])} {dump(ops_[1])})"
            return f"(chain {out})"
        case If(cond=c, then=t, else_=e):
            return f"(if {dump(c)} {dump(t)} {dump(e)})"
        case Where(collection=c, predicate=p):
            return f"(where {dump(c)} {dump(p)})"
    raise TypeError(f"not a node: {node!r}")
