"""Text -> syntax tree, with lark's LALR(1) parser and ``grammar.lark``.

``parse(text)`` returns an :class:`~starrules._lang.ast.Expr` whose spans are offsets into
``text``; bad syntax raises ``LangError("rule-syntax", ...)`` pointing at the offending
token, with a "did you mean" for common slips (``=`` for ``==``, ``&&``, Chinese
punctuation, a misspelt keyword).
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import ast as A
from .errors import LangError

if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput

__all__ = ["parse", "parse_fragment", "MAX_DEPTH", "KEYWORDS"]

#: Deepest nesting accepted (keeps every later pass far from Python's recursion limit).
MAX_DEPTH = 100
MAX_DIGITS = 100  # digits of a number literal (the same bound as numbers in files)

KEYWORDS = frozenset(
    "where if then else or and not in as true false none includes subset_of".split()
)

_parser: Lark | None = None
_lark: Any = None  # the lark module and its exceptions module, imported with the parser
_lx: Any = None


def _get_parser() -> Lark:
    """lark's parser, made once on first use from the shipped tables (it is immutable and
    shared; see :mod:`.tables`: no cache file, no pickle)."""
    global _parser, _lark, _lx
    if _parser is None:
        import lark
        import lark.exceptions

        from . import tables

        _lark, _lx = lark, lark.exceptions
        _parser = tables.load()
    return _parser


def parse(text: str, name: str | None = None) -> A.Expr:
    """Parse a rule expression.  ``name`` (e.g. ``"ORG-01"``) is recorded in the tree's
    :class:`~starrules._lang.ast.Source` and in errors raised for it."""
    if not isinstance(text, str):
        raise TypeError("parse() expects a str")
    source = A.Source(text, name)
    return parse_fragment(source, 0, len(text))


def parse_fragment(source: A.Source, start: int, end: int) -> A.Expr:
    """Parse ``source.text[start:end]``; spans stay offsets into the whole ``source.text``
    (templates parse their ``{...}`` parts this way)."""
    frag = source.text[start:end]
    if not frag.strip() or not _strip_comments(frag).strip():
        raise LangError("rule-syntax", {"reason": "empty"}, (start, end), source)
    parser = _get_parser()
    try:
        tree = parser.parse(frag)
    except _lx.UnexpectedInput as e:
        raise _syntax_error(e, frag, start, source) from None
    node = _Builder(source, start).build(tree)
    if A.depth(node) > MAX_DEPTH:
        raise LangError("rule-syntax", {"reason": "depth"}, node.span, source)
    return node


def _strip_comments(s: str) -> str:
    return re.sub(r"#[^\n]*", "", s)


# ---------------------------------------------------------------------------- errors

_TERMINAL_WORDS = {
    "NAME": "a name",
    "PARAM": "a $parameter",
    "INT": "a number",
    "DECIMAL": "a number",
    "STRING": 'text in "quotes"',
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COMMA": "`,`",
    "CMPOP": "a comparison (== != < <= > >=)",
    "PLUS": "`+`",
    "MINUS": "`-`",
    "STAR": "`*`",
    "SLASH": "`/`",
    "DOT": "`.`",
    "DOTDOT": "`..`",
    "SUPSET": "`⊇`",
    "SUBSET": "`⊆`",
    "$END": "the end",
}
_KEYWORD_TERMINALS = {
    "WHERE": "where",
    "IF": "if",
    "THEN": "then",
    "ELSE": "else",
    "OR": "or",
    "AND": "and",
    "NOT": "not",
    "IN": "in",
    "AS": "as",
    "TRUE": "true",
    "FALSE": "false",
    "NONE": "none",
    "INCLUDES": "includes",
    "SUBSET_OF": "subset_of",
}
_ORDER = [
    "NAME", "INT", "STRING", "PARAM", "LPAR", "RPAR", "RSQB", "COMMA", "THEN", "ELSE",
    "CMPOP", "AND", "OR", "WHERE", "$END",
]
#: characters people type by mistake -> what they meant
_CHAR_HINTS = {
    "=": "==",
    "&": "and",
    "|": "or",
    "!": "not",
    "（": "(",
    "）": ")",
    "【": "[",
    "】": "]",
    "，": ",",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "：": ":",
    "≧": ">=",
    "≦": "<=",
    "＞": ">",
    "＜": "<",
    "＝": "==",
    "．": ".",
    "{": "(",
    "}": ")",
}


_OPERATOR_TERMINALS = {"CMPOP", "AND", "OR", "WHERE", "PLUS", "STAR", "IN", "SUPSET"}


def _expected_words(expected: set[str]) -> list[str]:
    if expected & _OPERATOR_TERMINALS:
        # after a complete operand: LALR look-aheads list every operator (and closers
        # that may not fit here), so say it in one word
        return ["an operator"]
    names = sorted(expected, key=lambda t: (_ORDER.index(t) if t in _ORDER else len(_ORDER), t))
    out: list[str] = []
    for t in names:
        w = _KEYWORD_TERMINALS.get(t)
        w = f"`{w}`" if w else _TERMINAL_WORDS.get(t)
        if w and w not in out:
            out.append(w)
    return out[:6]


def _syntax_error(e: UnexpectedInput, frag: str, offset: int, source: A.Source) -> LangError:
    params: dict[str, Any] = {"found": "", "expected": [], "hint": None}
    if isinstance(e, _lx.UnexpectedCharacters):
        pos = e.pos_in_stream
        ch = frag[pos]
        two = frag[pos : pos + 2]
        length = 1
        hint = None
        if two in ("=>", "=<"):
            hint, length = (">=" if two == "=>" else "<="), 2
        elif two in ("&&", "||"):
            hint, length = ("and" if two == "&&" else "or"), 2
        elif ch in ('"', "'"):
            params["reason"] = "quote"
            hint = None
            length = len(frag) - pos
        else:
            hint = _CHAR_HINTS.get(ch)
        params["found"] = frag[pos : pos + length] if ch not in ('"', "'") else ch
        params["hint"] = hint
        allowed = getattr(e, "allowed", None) or set()
        params["expected"] = [] if hint else _expected_words(set(allowed))
        if params.get("reason") == "quote":
            params["expected"] = ['a closing `"`']
        return LangError("rule-syntax", params, (offset + pos, offset + pos + length), source)
    if isinstance(e, _lx.UnexpectedToken):
        tok = e.token
        expected = set(e.expected or ())
        params["expected"] = _expected_words(expected)
        if tok.type == "$END":
            end = offset + len(frag.rstrip())
            return LangError("rule-syntax", params, (end, end), source)
        params["found"] = str(tok)
        start = offset + tok.start_pos
        # a misspelt keyword: "than" for "then"
        if tok.type == "NAME":
            words = [_KEYWORD_TERMINALS[t] for t in expected if t in _KEYWORD_TERMINALS]
            m = difflib.get_close_matches(str(tok).lower(), words, n=1, cutoff=0.6)
            if m:
                params["hint"] = m[0]
        return LangError("rule-syntax", params, (start, start + len(str(tok))), source)
    if isinstance(e, _lx.UnexpectedEOF):
        end = offset + len(frag.rstrip())
        params["expected"] = _expected_words(set(e.expected or ()))
        return LangError("rule-syntax", params, (end, end), source)
    return LangError("rule-syntax", params, (offset, offset + len(frag)), source)  # pragma: no cover


# --------------------------------------------------------------------------- builder

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}
_SET_OPS = {
    "IN": "in",
    "ELEM": "in",
    "NOTELEM": "not in",
    "INCLUDES": "⊇",
    "SUPSET": "⊇",
    "SUBSET_OF": "⊆",
    "SUBSET": "⊆",
}
_CMP_NORMAL = {"≥": ">=", "≤": "<=", "≠": "!="}
_ARITH_NORMAL = {"×": "*", "÷": "/"}


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


class _Arg:
    __slots__ = ("expr", "binder", "binder_span", "span")

    def __init__(self, expr: A.Expr, binder: str | None, binder_span: A.Span | None, span: A.Span):
        self.expr = expr
        self.binder = binder
        self.binder_span = binder_span
        self.span = span


class _Seq(list):
    """Converted children of an ``args``/``items`` helper rule."""

    span: A.Span = (0, 0)


class _Paren:
    """A parenthesised expression: its parent's span includes the parentheses."""

    __slots__ = ("expr", "span")

    def __init__(self, expr: A.Expr, span: A.Span) -> None:
        self.expr = expr
        self.span = span


class _Builder:
    """Iterative post-order conversion of lark's tree to AST nodes."""

    def __init__(self, source: A.Source, offset: int) -> None:
        self.source = source
        self.offset = offset

    def tspan(self, tok: Token) -> A.Span:
        return (self.offset + tok.start_pos, self.offset + tok.end_pos)

    def span_of(self, x: Any) -> A.Span:
        if isinstance(x, _lark.Token):
            return self.tspan(x)
        return x.span

    def build(self, tree: Any) -> A.Expr:
        if isinstance(tree, _lark.Token):  # a lone terminal can only be an inlined atom
            raise AssertionError("unexpected bare token")  # pragma: no cover
        # post-order without recursion
        stack: list[tuple[Tree, bool]] = [(tree, False)]
        done: dict[int, Any] = {}
        while stack:
            node, expanded = stack.pop()
            if not expanded:
                stack.append((node, True))
                for c in node.children:
                    if isinstance(c, _lark.Tree):
                        stack.append((c, False))
                continue
            kids = [done.pop(id(c)) if isinstance(c, _lark.Tree) else c for c in node.children]
            done[id(node)] = self.convert(node.data, kids)
        root = done[id(tree)]
        return root.expr if isinstance(root, _Paren) else root

    def mk(self, cls: type, span: A.Span, *args: Any, **kw: Any) -> Any:
        return cls(span, *args, source=self.source, **kw)

    def convert(self, data: Any, kids: list[Any]) -> Any:
        present = [k for k in kids if k is not None]
        span = (self.span_of(present[0])[0], self.span_of(present[-1])[1]) if present else (0, 0)
        kids = [k.expr if isinstance(k, _Paren) else k for k in kids]
        present = [k for k in kids if k is not None]
        data = str(data)
        match data:
            case "int_lit" | "dec_lit":
                text = str(kids[0])
                if len(text) > MAX_DIGITS + 1:  # int() refuses 4300 digits; no rule needs 100
                    raise LangError("rule-syntax", {"reason": "number", "limit": MAX_DIGITS}, span, self.source)
                return self.mk(A.Literal, span, int(text) if data == "int_lit" else Decimal(text))
            case "str_lit":
                return self.mk(A.Literal, span, _unescape(str(kids[0])[1:-1]))
            case "bool_lit":
                return self.mk(A.Literal, span, kids[0].type == "TRUE")
            case "none_lit":
                return self.mk(A.Literal, span, None)
            case "name":
                return self.mk(A.Name, span, str(kids[0]))
            case "param":
                return self.mk(A.Param, span, str(kids[0])[1:])
            case "paren":
                return _Paren(kids[1], span)
            case "list_lit":
                items = tuple(kids[1]) if kids[1] is not None else ()
                return self.mk(A.ListLit, span, items)
            case "items":
                seq = _Seq(k for k in present if not isinstance(k, _lark.Token))
                return seq
            case "arg":
                expr = kids[0]
                if len(kids) == 3:
                    return _Arg(expr, str(kids[2]), self.tspan(kids[2]), span)
                return _Arg(expr, None, None, span)
            case "args":
                return _Seq(k for k in present if isinstance(k, _Arg))
            case "call":
                fname = kids[0]
                args: list[_Arg] = list(kids[2]) if kids[2] is not None else []
                binder = binder_span = None
                binder_arg = 0
                for i, a in enumerate(args):
                    if a.binder is not None:
                        if binder is not None:
                            raise LangError(
                                "rule-syntax",
                                {"found": "as", "expected": [], "hint": None},
                                a.binder_span or a.span,
                                self.source,
                            )
                        binder, binder_span, binder_arg = a.binder, a.binder_span, i
                return self.mk(
                    A.Call,
                    span,
                    str(fname),
                    self.tspan(fname),
                    tuple(a.expr for a in args),
                    binder,
                    binder_span,
                    binder_arg,
                )
            case "field":
                return self.mk(A.Field, span, kids[0], str(kids[2]), self.tspan(kids[2]))
            case "index":
                return self.mk(A.Index, span, kids[0], kids[2])
            case "unary":
                op = "not" if kids[0].type == "NOT" else "-"
                return self.mk(A.Unary, span, op, kids[1])
            case "binop":
                op = _ARITH_NORMAL.get(str(kids[1]), str(kids[1]))
                return self.mk(A.Binary, span, op, kids[0], kids[2], self.tspan(kids[1]))
            case "bool_op":
                return self.mk(A.Binary, span, str(kids[1].type).lower(), kids[0], kids[2], self.tspan(kids[1]))
            case "set_op":
                return self.mk(A.Binary, span, _SET_OPS[kids[1].type], kids[0], kids[2], self.tspan(kids[1]))
            case "not_in":
                op_span = (self.tspan(kids[1])[0], self.tspan(kids[2])[1])
                return self.mk(A.Binary, span, "not in", kids[0], kids[3], op_span)
            case "range":
                return self.mk(A.Range, span, kids[0], kids[2])
            case "compare":
                operands = tuple(kids[0::2])
                toks = kids[1::2]
                ops = tuple(_CMP_NORMAL.get(str(t), str(t)) for t in toks)
                return self.mk(A.Compare, span, operands, ops, tuple(self.tspan(t) for t in toks))
            case "if_":
                return self.mk(A.If, span, kids[1], kids[3], kids[5])
            case "where":
                return self.mk(A.Where, span, kids[0], kids[2])
        raise AssertionError(f"unhandled grammar rule {data}")  # pragma: no cover
