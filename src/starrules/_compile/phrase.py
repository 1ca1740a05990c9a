"""Rule parts in words, for indicators without an explanation template and for next-star.

``Phrase(wording, analysis, value_of).part(node, lang)`` says a rule part as policy text built
from the facts' labels (descriptions), the parameters' values with their units or as
percentages, and the comparison in words: ``书记年度参加轮训次数 2，要求不少于 1 次``.  A part
it cannot say returns None (the caller then lists the facts read with their values):
expression text never reaches a person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._lang import UNKNOWN, format_value
from .._lang import ast as A
from .._lang.check import Analysis
from .wording import Wording

__all__ = ["KIND_WORDS", "NEGATED", "OPS", "RELATION", "Phrase", "split_and", "words"]

#: "a OP b" read from a's side: "a, 要求 … b"
RELATION = {
    "zh": {">=": "要求不少于", ">": "要求多于", "<=": "要求不超过", "<": "要求少于", "==": "要求为", "!=": "要求不为"},
    "en": {">=": "at least", ">": "more than", "<=": "at most", "<": "less than", "==": "required", "!=": "not"},
}
_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}
_BOOL = {"zh": {True: "是", False: "否"}, "en": {True: "yes", False: "no"}}


def split_and(node: A.Expr) -> list[A.Expr]:
    if isinstance(node, A.Binary) and node.op == "and":
        return split_and(node.left) + split_and(node.right)
    return [node]


class Phrase:
    def __init__(self, wording: Wording, an: Analysis, value_of: Callable[[A.Expr], Any]) -> None:
        self.w = wording
        self.an = an
        self.value_of = value_of  # a node's value (UNKNOWN when not known)

    # -- names ------------------------------------------------------------------------------
    def name(self, node: A.Expr, lang: str) -> str | None:
        """What a sub-expression is, in words (None when it has no name for people)."""
        if isinstance(node, A.Param):
            p = self.w.std.parameters.get(node.name)
            return p.description if p is not None and p.description and lang == "zh" else None
        path = self.w.fact_path(node, self.an)
        if path is not None:
            return self.w.name(path, lang)
        if isinstance(node, A.Name):
            res = self.an.res.get(id(node))
            if res and res[0] == "def":
                return self.w.term(node.name, lang)
            return None
        if isinstance(node, A.Call) and node.func == "count" and len(node.args) == 1:
            inner = self.name(node.args[0], lang)
            if inner is None:
                return None
            return f"{inner}数量" if lang == "zh" else f"number of {inner}"
        if isinstance(node, A.Call) and node.func == "sum" and len(node.args) == 2:
            coll, fld = self.name(node.args[0], lang), self.name(node.args[1], lang)
            if coll is None or fld is None:
                return None
            return f"{coll}{fld}合计" if lang == "zh" else f"total {fld} of {coll}"
        return None

    def value(self, node: A.Expr, lang: str) -> str | None:
        """A sub-expression's value as a person reads it (units, percentages, labels)."""
        if isinstance(node, A.Literal):
            v: Any = node.value
        else:
            v = self.value_of(node)
        if isinstance(node, A.Param):
            p = self.w.std.parameters.get(node.name)
            if p is not None:
                return self.w.show_param(node.name, p.value, lang)
        if v is UNKNOWN:
            return "未知" if lang == "zh" else "unknown"
        if isinstance(v, bool):
            return _BOOL[lang][v]
        if self.w.is_share(node, self.an):
            return format_value(v, lang, percent=True)
        if isinstance(v, dict) or (isinstance(v, tuple) and any(isinstance(i, dict) for i in v)):
            return None
        path = self.w.fact_path(node, self.an)
        if path is not None:
            return self.w.field_value(v, self.w.spec(path), lang)
        if isinstance(v, (tuple, frozenset)) and all(isinstance(i, str) for i in v):
            return self.w.codes(v, self.w.code_labels(self.w_reads(node)), lang)
        if isinstance(v, (tuple, frozenset, dict)):
            return None
        return format_value(v, lang)

    def w_reads(self, node: A.Expr) -> list[str]:
        out = []
        for n in A.walk(node):
            p = self.w.fact_path(n, self.an)
            if p is not None:
                out.append(p)
        return out

    # -- parts ------------------------------------------------------------------------------
    def part(self, node: A.Expr, lang: str) -> str | None:
        """One rule part in words, with its values; None when it cannot be said."""
        zh = lang == "zh"
        if isinstance(node, A.Unary) and node.op == "not":
            name = self.name(node.operand, lang)
            if name is None:
                return None
            return f"{name}：{self.value(node.operand, lang)}" if zh else f"{name}: {self.value(node.operand, lang)}"
        if isinstance(node, (A.Name, A.Field)) and self.w.fact_path(node, self.an) is not None:
            name = self.name(node, lang)
            if name is None:
                return None
            return f"{name}：{self.value(node, lang)}" if zh else f"{name}: {self.value(node, lang)}"
        if isinstance(node, A.Compare) and len(node.ops) == 1:
            a, b = node.operands
            op = node.ops[0]
            if self._constant(a) and not self._constant(b):
                a, b, op = b, a, _FLIP[op]
            name, va, vb = self.name(a, lang) or words(self, a, lang), self.value(a, lang), self.value(b, lang)
            if name is None or va is None or vb is None:
                return None
            rel = RELATION[lang][op]
            if zh:
                return f"{name} {va}，{rel} {vb}"
            return f"{name} {va} ({rel} {vb})"
        return None

    def _constant(self, node: A.Expr) -> bool:
        if isinstance(node, (A.Literal, A.Param)):
            return True
        return not any(isinstance(n, (A.Name, A.Field)) for n in A.walk(node))

    def facts(self, node: A.Expr, lang: str, limit: int = 4) -> list[str]:
        """The facts a part reads, with their values (for what :meth:`part` cannot say)."""
        out: list[str] = []
        seen: set[str] = set()
        for n in A.walk(node):
            path = self.w.fact_path(n, self.an)
            if path is None or path in seen or path.startswith("*."):
                continue
            seen.add(path)
            name = self.w.name(path, lang)
            v = self.value(n, lang)
            if name is None or v is None:
                continue
            out.append(f"{name}：{v}" if lang == "zh" else f"{name}: {v}")
            if len(out) >= limit:
                break
        return out

    def say(self, node: A.Expr, lang: str, limit: int = 4) -> list[str]:
        """Every part of ``node`` (its ``and``-ed conditions) in words."""
        out: list[str] = []
        for p in split_and(node):
            text = self.part(p, lang)
            if text is None:
                out.extend(t for t in self.facts(p, lang) if t not in out)
            elif text not in out:
                out.append(text)
        return out[:limit]


#: how a failed comparison reads ("a >= b" is false: a is "below" b)
NEGATED = {
    "zh": {">=": "低于", ">": "不超过", "<=": "超过", "<": "不低于", "==": "不为", "!=": "为"},
    "en": {">=": "below", ">": "not above", "<=": "above", "<": "not below", "==": "not", "!=": ""},
}
#: "a op b" in words, as a requirement
OPS = {
    "zh": {">=": "不低于", ">": "高于", "<=": "不超过", "<": "低于", "==": "为", "!=": "不为"},
    "en": {">=": "at least", ">": "above", "<=": "at most", "<": "below", "==": "is", "!=": "is not"},
}
_ARITH = {"+": "+", "-": "−", "*": "×", "/": "÷"}
#: indicator kinds in words (shared with explain, next-star and the report)
KIND_WORDS = {
    "zh": {"required": "达标", "veto": "否决", "star": "创星", "bonus": "加分", "deduction": "扣分", "score": "计分",
           "cap": "限星"},
    "en": {k: k for k in ("required", "veto", "star", "bonus", "deduction", "score", "cap")},
}


def _rating_words(ph: Phrase, node: A.Call, lang: str) -> str | None:
    """The rating functions of a standard's ``rating:`` in words."""
    zh = lang == "zh"
    f = node.func
    consts = [a.value for a in node.args if isinstance(a, A.Literal)]
    kinds = "/".join(KIND_WORDS[lang].get(str(k), str(k)) for k in consts)
    if f == "failed":
        return f"有未通过的{kinds}指标" if zh else f"a {kinds} indicator failed"
    if f == "unknown":
        return f"有待核实的{kinds}指标" if zh else f"a {kinds} indicator is unknown"
    if f == "points":
        return f"{kinds}合计" if zh else f"{kinds} points"
    if f == "lit_count":
        return "点亮维度数" if zh else "lit dimensions"
    if f == "lit":
        dims = {d.id: d.title for d in ph.w.std.dimensions}
        title = dims.get(str(consts[0]), str(consts[0])) if consts else ""
        return f"{title}维度点亮" if zh else f"dimension {title} lit"
    if f == "cap_limit":
        return "限星指标规定的星级上限" if zh else "the star limit of failed cap indicators"
    if f == "band":
        inner = words(ph, node.args[0], lang) if node.args else ""
        return f"按{inner}分档所得星级" if zh else f"stars by band of {inner}"
    if f == "known":
        inner = words(ph, node.args[0], lang) if node.args else ""
        return f"{inner}已知" if zh else f"{inner} known"
    if f == "status":
        return (f"指标 {consts[0]} 的状态" if zh else f"status of {consts[0]}") if consts else None
    return None


def words(ph: Phrase, node: A.Expr, lang: str) -> str:
    """Any rule part in words: labels for facts and definitions, values for parameters and
    literals, relations in words; never the rule's own text."""
    zh = lang == "zh"
    name = ph.name(node, lang)
    if name is not None and not isinstance(node, A.Param):
        return name
    if isinstance(node, (A.Literal, A.Param)):
        v = ph.value(node, lang)
        return v if v is not None else ("该值" if zh else "the value")
    if isinstance(node, A.Range):
        return f"{words(ph, node.lo, lang)}–{words(ph, node.hi, lang)}"
    if isinstance(node, A.Compare):
        if len(node.ops) == 1 and node.ops[0] in ("==", "!=") and isinstance(node.operands[1], A.Literal) \
                and node.operands[1].value is None:
            given = node.ops[0] == "!="
            what = words(ph, node.operands[0], lang)
            if zh:
                return f"{what}{'已填写' if given else '未填写'}"
            return f"{what} {'given' if given else 'not given'}"
        labels = ph.w.code_labels(ph.w_reads(node))

        def operand(n: A.Expr) -> str:
            if isinstance(n, A.Literal) and isinstance(n.value, str):
                return ph.w.code(n.value, labels, lang)
            return words(ph, n, lang)

        out = operand(node.operands[0])
        for op, right in zip(node.ops, node.operands[1:]):
            said = operand(right)
            if zh:
                out += OPS[lang][op] + (" " if said[:1].isascii() else "") + said
            else:
                out += f" {OPS[lang][op]} {said}"
        return out
    if isinstance(node, A.Binary):
        lhs, rhs = words(ph, node.left, lang), words(ph, node.right, lang)
        if node.op == "and":
            return f"{lhs}，且{rhs}" if zh else f"{lhs} and {rhs}"
        if node.op == "or":
            return f"{lhs}，或{rhs}" if zh else f"{lhs} or {rhs}"
        if node.op in _ARITH:
            return f"{lhs} {_ARITH[node.op]} {rhs}"
        if node.op == "⊇":
            return f"{lhs}包含{rhs}" if zh else f"{lhs} include {rhs}"
        if node.op == "⊆":
            return f"{lhs}均在{rhs}中" if zh else f"{lhs} all in {rhs}"
        if node.op == "in":
            return f"{lhs}属于{rhs}" if zh else f"{lhs} among {rhs}"
        if node.op == "not in":
            return f"{lhs}不属于{rhs}" if zh else f"{lhs} not among {rhs}"
        return f"{lhs}、{rhs}" if zh else f"{lhs}, {rhs}"
    if isinstance(node, A.Unary) and node.op == "not" and isinstance(node.operand, A.Call) \
            and node.operand.func == "known" and node.operand.args:
        inner = words(ph, node.operand.args[0], lang)
        return f"{inner}未知" if zh else f"{inner} unknown"
    if isinstance(node, A.Unary):
        inner = words(ph, node.operand, lang)
        if node.op == "not":
            if isinstance(node.operand, (A.Binary, A.Compare, A.Call)):
                return f"并非（{inner}）" if zh else f"not ({inner})"
            return f"{inner}为否" if zh else f"not {inner}"
        return f"−{inner}"
    if isinstance(node, A.Where):
        return (f"{words(ph, node.collection, lang)}中{words(ph, node.predicate, lang)}的"
                if zh else f"{words(ph, node.collection, lang)} where {words(ph, node.predicate, lang)}")
    if isinstance(node, A.If):
        return (f"视{words(ph, node.cond, lang)}而定" if zh else f"depending on {words(ph, node.cond, lang)}")
    if isinstance(node, A.Call) and node.func in ph.an.scope.functions:
        host = _rating_words(ph, node, lang)
        if host is not None:
            return host
    if isinstance(node, A.Call):
        args = [words(ph, a, lang) for a in node.args]
        f = node.func
        one = args[0] if args else ""
        if f == "count":
            return (f"{one}中{args[1]}的数量" if zh else f"number of {one} with {args[1]}") if len(args) == 2 else (
                f"{one}数量" if zh else f"number of {one}")
        if f == "share" and len(args) == 2:
            return f"{one}中{args[1]}的比例" if zh else f"share of {one} with {args[1]}"
        if f == "sum" and len(args) == 2:
            return f"{one}的{args[1]}合计" if zh else f"total {args[1]} of {one}"
        if f in ("all", "any") and len(args) == 2:
            if zh:
                return f"{one}均{args[1]}" if f == "all" else f"{one}中有{args[1]}"
            return f"every {one} with {args[1]}" if f == "all" else f"some {one} with {args[1]}"
        if f == "months":
            return f"{one}的月份" if zh else f"months of {one}"
        if f == "quarters":
            return f"{one}的季度" if zh else f"quarters of {one}"
        if f == "known":
            return f"{one}已知" if zh else f"{one} known"
        if f == "longest_run":
            return f"{one}最长连续月数" if zh else f"longest run of {one}"
        if f in ("min", "max") and len(args) == 2:
            return (f"{args[0]}与{args[1]}中较{'小' if f == 'min' else '大'}者" if zh
                    else f"the {'smaller' if f == 'min' else 'larger'} of {args[0]} and {args[1]}")
        return "、".join(args) if zh else ", ".join(args)
    if isinstance(node, A.Name):
        res = ph.an.res.get(id(node))
        if res and res[0] in ("it", "binder"):
            return "该项" if zh else "the item"
        if res and res[0] == "extra":
            extra = {"year": ("评价年度", "the year"), "stars": ("星级", "the stars"), "points": ("得分", "points")}
            got = extra.get(node.name)
            return (got[0] if zh else got[1]) if got else node.name
        if node.name == "year":
            return "评价年度" if zh else "the year"
    return "该条件" if zh else "the condition"
