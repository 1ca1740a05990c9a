"""A hand-written parser for well-formed rule texts: the same trees as ``grammar.lark``.

lark's LALR parser costs tens of microseconds per token in pure Python, most of the time
to load a standard.  This recursive-descent parser implements the same grammar (one
function per precedence level of ``grammar.lark``) and builds the same nodes with the same
spans as :class:`.parse._Builder`; it tokenises with a regular expression made from lark's
own terminal definitions (same order, same keywords: ``lexer_agrees`` checks the copy).  It only handles texts that parse:
on anything unexpected it gives up (:class:`Fallback`) and :func:`.parse.parse_fragment`
asks lark, which produces the syntax error with its hints.  ``tests/lang`` and the
differential test (every rule of the shipped standards, generated and mutated texts)
check that both parsers agree.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Any

from . import ast as A

__all__ = ["Fallback", "FastParser", "make_fast_parser", "lexer_agrees", "GRAMMAR_SHA256"]


class Fallback(Exception):
    """Not something this parser builds: let lark parse it (and report the error)."""


_ESCAPE = re.compile(r"\\(.)")
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
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


#: sha256 of the ``grammar.lark`` this parser implements: another grammar turns it off
#: (parse.py then uses lark alone) until this module is brought up to date.
GRAMMAR_SHA256 = "162ea654a36ab273d2127e867389fc02b492ac1e246204b954dfb47f7deb5454"

#: lark's basic lexer for ``grammar.lark``: its terminals in its order of preference (one
#: regular expression, first alternative that matches; as ``TerminalDef.pattern.to_regexp()``
#: gives them), ...
TERMINALS = (
    ("DECIMAL", "[0-9]+\\.[0-9]+"),
    ("STRING", "(?:\"(?:[^\"\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\n]|\\\\.)*')"),
    ("PARAM", "\\$[A-Za-z_][A-Za-z0-9_]*"),
    ("NAME", "[A-Za-z_][A-Za-z0-9_]*"),
    ("WS", "[ \t\r\n\u3000]+"),
    ("COMMENT", "#[^\n]*"),
    ("INT", "[0-9]+"),
    ("CMPOP", "(?:==|!=|<=|>=|<|>|\u2265|\u2264|\u2260)"),
    ("DOTDOT", "\\.\\."),
    ("STAR", "(?:\\*|\u00d7)"),
    ("SLASH", "(?:/|\u00f7)"),
    ("COMMA", ","),
    ("DOT", "\\."),
    ("ELEM", "\u2208"),
    ("LPAR", "\\("),
    ("LSQB", "\\["),
    ("MINUS", "\\-"),
    ("NOTELEM", "\u2209"),
    ("PLUS", "\\+"),
    ("RPAR", "\\)"),
    ("RSQB", "\\]"),
    ("SUBSET", "\u2286"),
    ("SUPSET", "\u2287"),
)
TOKEN_PATTERN = "|".join(f"(?P<{name}>{regexp})" for name, regexp in TERMINALS)
IGNORE = frozenset({"WS", "COMMENT"})
#: ... and the keywords, lexed as NAME and then retyped (lark's "unless" callback).
KEYWORDS = {
    "where": "WHERE", "if": "IF", "then": "THEN", "else": "ELSE", "or": "OR", "and": "AND", "not": "NOT",
    "in": "IN", "as": "AS", "true": "TRUE", "false": "FALSE", "none": "NONE", "includes": "INCLUDES",
    "subset_of": "SUBSET_OF",
}


def make_fast_parser(grammar: bytes) -> FastParser | None:
    """The fast parser, or None when ``grammar`` (grammar.lark's bytes) is not the grammar
    it implements."""
    if hashlib.sha256(grammar).hexdigest() != GRAMMAR_SHA256:
        return None
    return FastParser(re.compile(TOKEN_PATTERN), IGNORE, KEYWORDS)


def lexer_agrees(lark_parser: Any) -> bool:
    """Whether ``lark_parser``'s lexer (a basic-lexer Lark of ``grammar.lark``) is the one
    TERMINALS / IGNORE / KEYWORDS copy (the differential test checks it)."""
    lexer = lark_parser.parser.lexer
    ignore = set(lexer.ignore_types)
    ws = [t.name for t in lexer.scanner.terminals if t.name in ignore and t.name != "COMMENT"]
    got = tuple(("WS" if t.name in ws else t.name, t.pattern.to_regexp()) for t in lexer.scanner.terminals)
    keywords = {t.pattern.value: t.name for t in lexer.callback["NAME"].scanner.terminals}
    return got == TERMINALS and keywords == KEYWORDS and len(ws) == 1 and ignore == {"COMMENT", *ws}


class FastParser:
    def __init__(self, token_re: re.Pattern[str], ignore: frozenset[str], keywords: dict[str, str]) -> None:
        self.match = token_re.match
        self.ignore = ignore
        self.keywords = keywords

    def tokens(self, frag: str, offset: int) -> tuple[list[str], list[str], list[int], list[int]]:
        types: list[str] = []
        values: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        match, ignore, keywords = self.match, self.ignore, self.keywords
        pos, n = 0, len(frag)
        while pos < n:
            m = match(frag, pos)
            if m is None:
                raise Fallback
            kind = m.lastgroup
            end = m.end()
            if kind not in ignore:
                value = m.group()
                if kind == "NAME":
                    kind = keywords.get(value, "NAME")
                types.append(kind)  # type: ignore[arg-type]
                values.append(value)
                starts.append(offset + pos)
                ends.append(offset + end)
            pos = end
        types.append("$END")
        return types, values, starts, ends

    def parse(self, source: A.Source, start: int, end: int) -> A.Expr:
        """The tree of ``source.text[start:end]`` (spans into the whole text); raises
        Fallback for anything but a well-formed expression."""
        return _Parse(self, source, start, end).run()


class _Parse:
    """One parse: ``self.i`` indexes the tokens.  Each level returns ``(node, span)``;
    ``span`` is the node's span, or the parenthesised one when the node was written in
    parentheses (a parent's span starts or ends there, as lark's tree gives it)."""

    def __init__(self, fp: FastParser, source: A.Source, start: int, end: int) -> None:
        self.types, self.values, self.starts, self.ends = fp.tokens(source.text[start:end], start)
        self.source = source
        self.i = 0

    def run(self) -> A.Expr:
        node, _ = self.expr()
        if self.types[self.i] != "$END":
            raise Fallback
        return node

    # -- tokens
    def peek(self) -> str:
        return self.types[self.i]

    def take(self, kind: str) -> int:
        i = self.i
        if self.types[i] != kind:
            raise Fallback
        self.i = i + 1
        return i

    def tspan(self, i: int) -> A.Span:
        return (self.starts[i], self.ends[i])

    # -- levels (loosest first), as in grammar.lark
    def expr(self) -> tuple[A.Expr, A.Span]:
        return self.where_e()

    def where_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.if_e()
        while self.types[self.i] == "WHERE":
            self.i += 1
            pred, pspan = self.if_e()
            span = (span[0], pspan[1])
            node = A.Where(span, node, pred, source=self.source)
        return node, span

    def if_e(self) -> tuple[A.Expr, A.Span]:
        if self.types[self.i] != "IF":
            return self.or_e()
        i = self.i
        self.i += 1
        cond, _ = self.expr()
        self.take("THEN")
        then, _ = self.expr()
        self.take("ELSE")
        else_, espan = self.if_e()
        span = (self.starts[i], espan[1])
        return A.If(span, cond, then, else_, source=self.source), span

    def or_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.and_e()
        while self.types[self.i] == "OR":
            i = self.i
            self.i += 1
            right, rspan = self.and_e()
            span = (span[0], rspan[1])
            node = A.Binary(span, "or", node, right, self.tspan(i), source=self.source)
        return node, span

    def and_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.not_e()
        while self.types[self.i] == "AND":
            i = self.i
            self.i += 1
            right, rspan = self.not_e()
            span = (span[0], rspan[1])
            node = A.Binary(span, "and", node, right, self.tspan(i), source=self.source)
        return node, span

    def not_e(self) -> tuple[A.Expr, A.Span]:
        if self.types[self.i] != "NOT":
            return self.cmp_e()
        i = self.i
        self.i += 1
        operand, ospan = self.not_e()
        span = (self.starts[i], ospan[1])
        return A.Unary(span, "not", operand, source=self.source), span

    def cmp_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.set_e()
        if self.types[self.i] != "CMPOP":
            return node, span
        operands = [node]
        ops = []
        op_spans = []
        end = span[1]
        while self.types[self.i] == "CMPOP":
            i = self.i
            self.i += 1
            tok = self.values[i]
            ops.append(_CMP_NORMAL.get(tok, tok))
            op_spans.append(self.tspan(i))
            right, rspan = self.set_e()
            operands.append(right)
            end = rspan[1]
        span = (span[0], end)
        return A.Compare(span, tuple(operands), tuple(ops), tuple(op_spans), source=self.source), span

    def set_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.sum_e()
        kind = self.types[self.i]
        if kind in _SET_OPS:
            i = self.i
            self.i += 1
            right, rspan = self.sum_e()
            span = (span[0], rspan[1])
            return A.Binary(span, _SET_OPS[kind], node, right, self.tspan(i), source=self.source), span
        if kind == "NOT":
            i = self.i
            self.i += 1
            j = self.take("IN")
            right, rspan = self.sum_e()
            span = (span[0], rspan[1])
            op_span = (self.starts[i], self.ends[j])
            return A.Binary(span, "not in", node, right, op_span, source=self.source), span
        return node, span

    def sum_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.range_e()
        while self.types[self.i] in ("PLUS", "MINUS"):
            i = self.i
            self.i += 1
            right, rspan = self.range_e()
            span = (span[0], rspan[1])
            node = A.Binary(span, self.values[i], node, right, self.tspan(i), source=self.source)
        return node, span

    def range_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.prod_e()
        if self.types[self.i] == "DOTDOT":
            self.i += 1
            hi, hspan = self.prod_e()
            span = (span[0], hspan[1])
            return A.Range(span, node, hi, source=self.source), span
        return node, span

    def prod_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.unary_e()
        while self.types[self.i] in ("STAR", "SLASH"):
            i = self.i
            self.i += 1
            right, rspan = self.unary_e()
            span = (span[0], rspan[1])
            tok = self.values[i]
            node = A.Binary(span, _ARITH_NORMAL.get(tok, tok), node, right, self.tspan(i), source=self.source)
        return node, span

    def unary_e(self) -> tuple[A.Expr, A.Span]:
        if self.types[self.i] != "MINUS":
            return self.postfix_e()
        i = self.i
        self.i += 1
        operand, ospan = self.unary_e()
        span = (self.starts[i], ospan[1])
        return A.Unary(span, "-", operand, source=self.source), span

    def postfix_e(self) -> tuple[A.Expr, A.Span]:
        node, span = self.atom()
        while True:
            kind = self.types[self.i]
            if kind == "DOT":
                self.i += 1
                j = self.take("NAME")
                span = (span[0], self.ends[j])
                node = A.Field(span, node, self.values[j], self.tspan(j), source=self.source)
            elif kind == "LSQB":
                self.i += 1
                index, _ = self.expr()
                j = self.take("RSQB")
                span = (span[0], self.ends[j])
                node = A.Index(span, node, index, source=self.source)
            else:
                return node, span

    def atom(self) -> tuple[A.Expr, A.Span]:
        i = self.i
        kind = self.types[i]
        if kind == "$END":
            raise Fallback
        value = self.values[i]
        src = self.source
        if kind == "NAME":
            if self.types[i + 1] == "LPAR":
                return self.call()
            self.i += 1
            span = self.tspan(i)
            return A.Name(span, value, source=src), span
        if kind == "LPAR":
            self.i += 1
            node, _ = self.expr()
            j = self.take("RPAR")
            return node, (self.starts[i], self.ends[j])
        if kind == "LSQB":
            self.i += 1
            items = self.items("RSQB")
            j = self.take("RSQB")
            span = (self.starts[i], self.ends[j])
            return A.ListLit(span, tuple(items), source=src), span
        self.i += 1
        span = self.tspan(i)
        if kind == "INT":
            return A.Literal(span, int(value), source=src), span
        if kind == "DECIMAL":
            return A.Literal(span, Decimal(value), source=src), span
        if kind == "STRING":
            return A.Literal(span, _unescape(value[1:-1]), source=src), span
        if kind == "TRUE" or kind == "FALSE":
            return A.Literal(span, kind == "TRUE", source=src), span
        if kind == "NONE":
            return A.Literal(span, None, source=src), span
        if kind == "PARAM":
            return A.Param(span, value[1:], source=src), span
        raise Fallback

    def items(self, closer: str) -> list[A.Expr]:
        """``items: expr (COMMA expr)* [COMMA]``, possibly empty (``[items]``)."""
        out: list[A.Expr] = []
        if self.types[self.i] == closer:
            return out
        while True:
            node, _ = self.expr()
            out.append(node)
            if self.types[self.i] != "COMMA":
                return out
            self.i += 1
            if self.types[self.i] == closer:
                return out

    def call(self) -> tuple[A.Expr, A.Span]:
        i = self.i
        self.i += 2  # NAME LPAR
        args: list[A.Expr] = []
        binder = binder_span = None
        binder_arg = 0
        if self.types[self.i] != "RPAR":
            while True:
                node, _ = self.expr()
                if self.types[self.i] == "AS":
                    self.i += 1
                    j = self.take("NAME")
                    if binder is not None:
                        raise Fallback  # two binders: lark's path reports it
                    binder, binder_span, binder_arg = self.values[j], self.tspan(j), len(args)
                args.append(node)
                if self.types[self.i] != "COMMA":
                    break
                self.i += 1
                if self.types[self.i] == "RPAR":
                    break
        j = self.take("RPAR")
        span = (self.starts[i], self.ends[j])
        node = A.Call(span, self.values[i], self.tspan(i), tuple(args), binder, binder_span, binder_arg,
                      source=self.source)
        return node, span
