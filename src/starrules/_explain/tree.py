"""Derivation trees: one fully traced expression -> an :class:`ExplainNode` tree.

The tree is data (a pydantic model); the CLI draws it with ``rich.tree`` and ``--format
json`` prints it.  A node is one sub-expression with the value it took in this evaluation:
its ``text`` says it in words (facts by their labels, parameters by their values and units,
relations in words: :func:`starrules._compile.phrase.words`), its ``expr`` keeps the rule
text for programs.  Literals are left out; parameters name the layer that set them;
aggregates list the records behind their value (evidence) and, for their per-item
condition, the value for each item; a part that was never evaluated (``false and …``, the
rest of an ``or`` that was already true) is left out, so that only the parts that decided
are shown.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Sequence

from pydantic import Field

from .._evaluate.result import AnyValue, _Model
from .._lang import UNKNOWN, TraceEntry
from .._lang import ast as A
from .._lang import types as T
from .._lang.check import Analysis
from .._lang.values import PartialItems, sort_key
from .._standard.resolved import ResolvedStandard
from .._compile.phrase import Phrase, words
from .._compile.wording import Wording
from .._lang import format_value
from .words import listing, show, show_param

MAX_ITEMS = 12
AGGREGATES = frozenset("count sum share all any min max months quarters halves longest_run".split())

HostNote = Callable[[A.Call, Any, list[Any]], list[str]]


class ExplainNode(_Model):
    """One line of a derivation tree."""

    kind: str = Field(
        description="expr, parameter, definition, fact, items, evidence, note, section, step, "
        "indicator, dimension or outcome"
    )
    text: str = Field(description="the line as shown (in the language asked for)")
    expr: str | None = Field(default=None, description="the sub-expression as written")
    value: AnyValue = None
    children: tuple["ExplainNode", ...] = ()


ExplainNode.model_rebuild()


def node(
    kind: str, text: str, children: Sequence[ExplainNode] = (), *, expr: str | None = None, value: Any = None
) -> ExplainNode:
    return ExplainNode(kind=kind, text=text, expr=expr, value=value, children=tuple(children))




def parameter_text(std: ResolvedStandard, name: str, lang: str, wording: Any = None) -> str:
    """``主题党日实到人次占应到人次比例下限（ACT-06）：90%，由 port-group-2023 设定（覆盖 prov-2023
    的 80%）`` (with a wording; else ``$name = 0.9 …``)."""
    history = std.parameter_layers.get(name, ())
    param = std.parameters.get(name)
    value = param.value if param is not None else None

    def shown(v: Any) -> str:
        return wording.show_param(name, v, lang) if wording is not None else show_param(v, lang)

    if wording is not None:
        what = (param.description if param is not None and param.description and lang == "zh" else name)
        head = f"{what}：{shown(value)}" if lang == "zh" else f"{what}: {shown(value)}"
    else:
        head = f"${name} = {show_param(value, lang)}"
    if not history:
        return head
    last = history[-1]
    earlier = list(reversed(history[:-1]))
    if lang == "zh":
        text = f"{head}，由 {last.layer} 设定"
        if earlier:
            text += "（覆盖 " + "、".join(f"{h.layer} 的 {shown(h.value)}" for h in earlier) + "）"
        return text
    text = f"{head} from {last.layer}"
    if earlier:
        text += ", overriding " + ", ".join(f"{shown(h.value)} from {h.layer}" for h in earlier)
    return text


class TreeBuilder:
    """Builds the tree of one traced expression."""

    def __init__(self, std: ResolvedStandard, lang: str, host_note: HostNote | None = None,
                 wording: Wording | None = None) -> None:
        self.std = std
        self.lang = lang
        self.host_note = host_note
        self.wording = wording
        # shown once per builder (one explanation): later occurrences say "as above"
        self.expanded: set[str] = set()
        self.defs_shown: set[str] = set()

    # -- entry points -----------------------------------------------------------------------
    def build(self, an: Analysis, trace: list[TraceEntry], kind: str = "expr", label: str | None = None) -> ExplainNode:
        self.an = an
        self.by_node: dict[int, list[TraceEntry]] = {}
        for e in trace:
            self.by_node.setdefault(id(e.node), []).append(e)
        self.ph = Phrase(self.wording, an, self._arg_value) if self.wording is not None else None
        root = self.visit(an.root) or self.leaf(an.root)
        if label is None:
            return root
        return ExplainNode(
            kind=kind, text=f"{label}{root.text}", expr=root.expr, value=root.value, children=root.children
        )

    def top(self, n: A.Expr) -> TraceEntry | None:
        found = [e for e in self.by_node.get(id(n), ()) if not e.item]
        return found[-1] if found else None

    # -- texts --------------------------------------------------------------------------------
    def said(self, n: A.Expr) -> str:
        """A sub-expression in words (its text when the builder has no wording)."""
        if self.ph is not None:
            return words(self.ph, n, self.lang)
        return n.text or A.dump(n)

    def shown(self, n: A.Expr, value: Any) -> str:
        if self.ph is not None and value is not UNKNOWN:
            w = self.ph.w
            if w.is_share(n, self.an) and isinstance(value, (int, Decimal, Fraction)) and not isinstance(value, bool):
                return format_value(value, self.lang, percent=True)
            path = w.fact_path(n, self.an)
            if path is not None and not isinstance(value, (dict, tuple)):
                return w.field_value(value, w.spec(path), self.lang)
            if isinstance(value, (tuple, frozenset)) and value and all(isinstance(i, str) for i in value):
                return w.codes(value, w.code_labels(self.ph.w_reads(n)), self.lang)
        return show(value, self.lang)

    def line(self, n: A.Expr, entry: TraceEntry | None) -> str:
        text = self.said(n)
        if entry is None:
            return f"{text}（未求值）" if self.lang == "zh" else f"{text} (not evaluated)"
        if self.ph is not None:
            sep = "：" if self.lang == "zh" else ": "
            return f"{text}{sep}{self.shown(n, entry.value)}"
        return f"{text} = {show(entry.value, self.lang)}"

    def leaf(self, n: A.Expr) -> ExplainNode:
        e = self.top(n)
        return node("expr", self.line(n, e), expr=n.text, value=e.value if e else None)

    # -- the walk -----------------------------------------------------------------------------
    def visit(self, n: A.Expr) -> ExplainNode | None:
        if A.is_literal(n):
            return None
        res = self.an.res.get(id(n))
        e = self.top(n)
        lang = self.lang
        if isinstance(n, A.Param):
            value = e.value if e is not None else None
            return node("parameter", parameter_text(self.std, n.name, lang, self.wording), expr=n.text,
                        value=_plain(value))
        if isinstance(n, A.Name):
            if res is None or res[0] in ("it", "field", "binder"):
                return None
            if res[0] == "def":
                body = self.std.definitions.get(n.name)
                text = self.line(n, e)
                if n.name in self.defs_shown:
                    text = f"{self.said(n)}（同上）" if lang == "zh" else f"{self.said(n)} (as above)"
                    body = None
                self.defs_shown.add(n.name)
                if body is not None and self.ph is None:
                    text += f"（定义：{body.text}）" if lang == "zh" else f" (defined as {body.text})"
                return node("definition", text, expr=n.text, value=e.value if e else None)
            return node("fact", self.line(n, e), expr=n.text, value=e.value if e else None)
        if isinstance(n, A.Field) and self._fact_path(n):
            return node("fact", self.line(n, e), expr=n.text, value=e.value if e else None)
        if e is None:
            if self.ph is not None:
                return None  # not evaluated: it did not decide
            return node("expr", self.line(n, None), expr=n.text)
        key = f"{n.text}\0{show(e.value, lang)}"
        if n.text and key in self.expanded:
            return node(
                "expr",
                self.line(n, e) + ("（同上）" if lang == "zh" else " (as above)"),
                expr=n.text,
                value=_plain(e.value),
            )
        self.expanded.add(key)
        children: list[ExplainNode] = []
        if isinstance(n, A.Call) and n.func in self.an.scope.functions:
            args = [self._arg_value(a) for a in n.args]
            for a in n.args:
                c = self.visit(a)
                if c is not None:
                    children.append(c)
            if self.host_note is not None:
                children.extend(node("note", t) for t in self.host_note(n, e.value, args))
        elif isinstance(n, A.Call) and n.func in AGGREGATES and self._is_collection(n.args[0]):
            c = self.visit(n.args[0])
            if c is not None:
                children.append(c)
            if len(n.args) > 1:
                per = self.per_item(n.args[1], n.args[0])
                if per is not None:
                    children.append(per)
            if e.evidence and not self._whole_collection(n, e):
                children.append(self.evidence(n, e))
        elif isinstance(n, A.Where):
            c = self.visit(n.collection)
            if c is not None:
                children.append(c)
            per = self.per_item(n.predicate, n.collection)
            if per is not None:
                children.append(per)
        else:
            for child in n.children():
                c = self.visit(child)
                if c is not None:
                    children.append(c)
            if e.evidence:
                children.append(self.evidence(n, e))
        return node("expr", self.line(n, e), children, expr=n.text, value=_plain(e.value))

    def _whole_collection(self, n: A.Call, e: TraceEntry) -> bool:
        """Evidence that merely repeats every item of the collection (``count(F)``, ``sum``)."""
        if n.func not in ("count", "sum", "share"):
            return False
        c = self.top(n.args[0])
        if c is None or not isinstance(c.value, (tuple, frozenset)):
            return False
        keys = [v.get("id", v.get("name")) if isinstance(v, dict) else v for v in c.value]
        return sorted(map(str, keys)) == sorted(map(str, e.evidence))

    def _arg_value(self, a: A.Expr) -> Any:
        if isinstance(a, A.Literal):
            return a.value
        e = self.top(a)
        return e.value if e is not None else UNKNOWN

    def _fact_path(self, n: A.Field) -> bool:
        base: A.Expr = n
        while isinstance(base, A.Field):
            base = base.obj
        res = self.an.res.get(id(base))
        return isinstance(base, A.Name) and res is not None and res[0] in ("fact", "def", "extra")

    def _is_collection(self, n: A.Expr) -> bool:
        t = self.an.types.get(id(n))
        return t is not None and T.is_collection(T.strip_optional(t))

    def _is_set(self, n: A.Expr) -> bool:
        t = self.an.types.get(id(n))
        return t is not None and isinstance(T.strip_optional(t), T.Set)

    def evidence(self, n: A.Expr, e: TraceEntry) -> ExplainNode:
        lang = self.lang
        func = n.func if isinstance(n, A.Call) else None
        words = {
            "zh": {
                "all": "不满足或未知",
                "any": "满足的",
                "min": "取自",
                "max": "取自",
                "longest_run": "最长连续",
                None: "缺少",
                "count": "计入",
                "sum": "计入",
                "share": "计入",
            },
            "en": {
                "all": "failing or unknown",
                "any": "satisfying",
                "min": "from",
                "max": "from",
                "longest_run": "longest run",
                None: "missing",
                "count": "counted",
                "sum": "counted",
                "share": "counted",
            },
        }[lang]
        label = words.get(func, words["count"])
        items = list(e.evidence)
        if isinstance(n, A.Call) and n.args and self._is_set(n.args[0]):
            items.sort(key=sort_key)
        sep = "：" if lang == "zh" else ": "
        return node("evidence", f"{label}{sep}{listing(items, lang)}", value=tuple(items))

    def per_item(self, pred: A.Expr, coll: A.Expr) -> ExplainNode | None:
        entries = [e for e in self.by_node.get(id(pred), ()) if e.item]
        if not entries:
            return None
        depth = min(len(e.item) for e in entries)
        entries = [e for e in entries if len(e.item) == depth]
        # inside an outer per-item scope the same predicate runs once per outer item: keep the
        # entries of the last outer item only when the outer tags differ (nested scopes are
        # summarised by the outer per-item line)
        if depth > 1:
            last_outer = entries[-1].item[:-1]
            entries = [e for e in entries if e.item[:-1] == last_outer]
        if self._is_set(coll):
            entries.sort(key=lambda e: sort_key(e.item[-1]))
        lang = self.lang
        text = self.said(pred)
        head = f"逐项：{text}" if lang == "zh" else f"per item: {text}"
        lines: list[ExplainNode] = []
        shown = entries
        rest: list[TraceEntry] = []
        if len(entries) > MAX_ITEMS:
            notable = [e for e in entries if e.value is not True]
            shown = notable[:MAX_ITEMS] if notable else entries[:MAX_ITEMS]
            rest = [e for e in entries if e not in shown]
        codes = (self.ph.w.code_labels(self.ph.w_reads(pred) + self.ph.w_reads(coll))
                 if self.ph is not None else {})
        for e in shown:
            sep = "：" if lang == "zh" and self.ph is not None else ": "
            item = e.item[-1]
            name = self.ph.w.code(item, codes, lang) if self.ph is not None and isinstance(item, str) else show(item, lang)
            t = f"{name}{sep}{show(e.value, lang)}"
            if e.evidence:
                miss = "缺少" if lang == "zh" else "missing"
                t += (
                    f"（{miss} {listing(e.evidence, lang)}）"
                    if lang == "zh"
                    else f" ({miss} {listing(e.evidence, lang)})"
                )
            lines.append(node("item", t, value=_plain(e.value)))
        if rest:
            vals = {show(e.value, lang) for e in rest}
            v = next(iter(vals)) if len(vals) == 1 else None
            if lang == "zh":
                t = f"其余 {len(rest)} 项" + (f"：{v}" if v else "")
            else:
                t = f"{len(rest)} more" + (f": {v}" if v else "")
            lines.append(node("item", t))
        return node("items", head, lines, expr=pred.text)


def _plain(value: Any) -> Any:
    """Values kept in the JSON tree: records by their keys (the tree shows, it does not copy)."""
    if isinstance(value, PartialItems):
        value = value.items
    if isinstance(value, tuple) and value and all(isinstance(v, dict) for v in value):
        return tuple(v.get("id", v.get("name")) if isinstance(v, dict) else v for v in value)
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not isinstance(v, (tuple, dict))}
    return value


__all__ = ["ExplainNode", "TreeBuilder", "node", "parameter_text"]
