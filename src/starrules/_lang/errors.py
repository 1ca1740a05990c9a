"""Errors of the rule language.

::

    RuleError                      base: code, params, span, source
    ├── LangError                  found before any data arrives (parse, check, compile)
    │     codes: rule-syntax, rule-unknown-name, rule-unknown-function, rule-type,
    │            rule-arity, rule-bad-date, rule-unknown-value, rule-cycle, rule-too-deep
    └── EvaluationError            raised while evaluating against one branch's facts
          codes: rule-division-by-zero, rule-bad-date, rule-missing-key,
                 rule-range-too-large, rule-too-costly, rule-number-too-large

An error carries a stable ``code``, plain ``params`` (str/int/list/None only, so they can be
rendered by a message catalogue in any language) and the ``span`` (start, end) it points at
in its source text.  ``source`` (when known) says which text: ``source.name`` is the name
given to :func:`parse` (e.g. a definition's name).  ``render(lang)`` and ``fix(lang)`` give an
English or Chinese message and a plain-words fix; the lead may move the catalogue into the
project-wide one, keyed by the same codes and params.
"""

from __future__ import annotations

from typing import Any

from .ast import Source, Span

__all__ = ["RuleError", "LangError", "EvaluationError", "CODES", "RUNTIME_CODES"]

CODES = (
    "rule-syntax",
    "rule-unknown-name",
    "rule-unknown-function",
    "rule-type",
    "rule-arity",
    "rule-bad-date",
    "rule-unknown-value",
    "rule-cycle",
    "rule-too-deep",
    "rule-too-costly",
)
RUNTIME_CODES = ("rule-division-by-zero", "rule-bad-date", "rule-missing-key", "rule-range-too-large",
                 "rule-too-costly", "rule-number-too-large")


def _q(x: Any) -> str:
    return f"`{x}`"


def _join(items: Any, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(_q(i) for i in items)


def _pick(params: dict[str, Any], key: str, lang: str) -> Any:
    if lang == "zh" and (key + "_zh") in params:
        return params[key + "_zh"]
    return params.get(key)


_ZH_WORDS = {
    "an operator": "运算符",
    "a name": "名称",
    "a number": "数字",
    'text in "quotes"': "带引号的文字",
    "a $parameter": "$参数",
    "the end": "结尾",
    'a closing `"`': '右引号 `"`',
}


def _message(code: str, p: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    sug = p.get("suggestion")
    dym = ""
    if sug:
        dym = f"；是不是 {_q(sug)}？" if zh else f"; did you mean {_q(sug)}?"
    match code:
        case "rule-syntax":
            reason = p.get("reason")
            if reason == "depth":
                return "表达式嵌套太深" if zh else "the expression is nested too deeply"
            if reason == "empty":
                return "表达式为空" if zh else "the expression is empty"
            if reason == "number":
                n = p.get("limit")
                return f"数字位数过多（最多 {n} 位）" if zh else f"a number with too many digits (at most {n})"
            if reason == "binder":
                return (
                    "`as` 只能给 count/sum/share/all/any/min/max/months/quarters/halves 的第一个参数中的各项命名"
                    if zh
                    else "`as` can only name the items of the first argument of "
                    "count/sum/share/all/any/min/max/months/quarters/halves"
                )
            found = p.get("found") or ""
            if zh:
                where = f"无法理解 {_q(found)}" if found else "表达式不完整"
            else:
                where = f"unexpected {_q(found)}" if found else "unexpected end of the expression"
            exp = p.get("expected") or []
            if zh:
                exp = [_ZH_WORDS.get(x, x) for x in exp]
            if exp:
                where += ("，这里需要 " if zh else "; expected ") + (
                    "、".join(exp) if zh else ", ".join(exp)
                )
            hint = p.get("hint")
            if hint:
                where += f"；是不是 {_q(hint)}？" if zh else f"; did you mean {_q(hint)}?"
            return where
        case "rule-unknown-name":
            kind = p.get("kind", "name")
            name = p.get("name")
            if kind == "field":
                of = _pick(p, "of", lang)
                base = f"{of} 没有字段 {_q(name)}" if zh else f"{of} has no field {_q(name)}"
            elif kind == "parameter":
                base = f"未知的参数 {_q('$' + str(name))}" if zh else f"unknown parameter {_q('$' + str(name))}"
            elif kind == "it":
                base = (
                    "`it` 只能用在 where/all/any/count 等逐项条件里"
                    if zh
                    else "`it` only has a meaning inside a per-item condition (where, all, any, count, ...)"
                )
            else:
                base = f"未知的名称 {_q(name)}" if zh else f"unknown name {_q(name)}"
            hint = p.get("hint")
            if hint and not sug:
                dym = f"；是不是 {_q(hint)}？" if zh else f"; did you mean {_q(hint)}?"
            return base + dym
        case "rule-unknown-function":
            name = p.get("name")
            return (f"未知的函数 {_q(str(name) + '()')}" if zh else f"unknown function {_q(str(name) + '()')}") + dym
        case "rule-type":
            ctx = _pick(p, "context", lang)
            exp = _pick(p, "expected", lang)
            got = _pick(p, "got", lang)
            if p.get("optional"):
                return (
                    f"{ctx}：{_q(p.get('text'))} 可能为 none（未填写），需要先判断"
                    if zh
                    else f"{ctx}: {_q(p.get('text'))} may be none; check it first"
                )
            if zh:
                return f"{ctx}需要{exp}，而这里是{got}" + dym
            return f"{ctx} must be {exp}, not {got}" + dym
        case "rule-arity":
            fn = p.get("func")
            exp = p.get("expected")
            got = p.get("got")
            if zh:
                exp = str(exp).replace(" or ", " 或 ").replace("+", " 个或更多").replace("-", "～")
                return f"{fn}() 需要 {exp} 个参数，给了 {got} 个".replace("更多 个", "更多")
            return f"{fn}() takes {exp} argument(s), got {got}"
        case "rule-bad-date":
            v = p.get("value")
            return f"{_q(v)} 不是有效日期" if zh else f"{_q(v)} is not a valid date"
        case "rule-unknown-value":
            v = p.get("value")
            allowed = p.get("allowed") or []
            missing = p.get("missing")
            if missing:
                if zh:
                    return f"{_q(p.get('map'))} 缺少键 {_join(missing, lang)}"
                return f"{_q(p.get('map'))} has no entry for {_join(missing, lang)}"
            if zh:
                return f"{_q(v)} 不是可能的取值（可能的取值：{_join(allowed, lang)}）" + dym
            return f"{_q(v)} is not a possible value (possible values: {_join(allowed, lang)})" + dym
        case "rule-cycle":
            chain = " → ".join(p.get("chain") or [])
            return f"定义循环引用自身：{chain}" if zh else f"definitions refer to themselves in a cycle: {chain}"
        case "rule-too-deep":
            chain = " → ".join(p.get("chain") or [])
            n = p.get("limit")
            if chain:
                return (f"定义之间层层引用超过 {n} 层：{chain}" if zh
                        else f"definitions use each other more than {n} levels deep: {chain}")
            return "表达式（连同它用到的定义）嵌套太深" if zh else "the expression (with the definitions it uses) is nested too deeply"
        case "rule-too-costly":
            n, cost = p.get("limit"), p.get("cost")
            if cost is not None:
                return (f"规则的内层部分要重复计算约 {cost} 次，超过上限 {n}（大范围的层层嵌套）" if zh
                        else f"the rule would repeat its inner part about {cost} times, more than {n} "
                             "(nested loops over large ranges)")
            return (f"本支部的规则要生成的范围元素超过上限 {n}" if zh
                    else f"the rules build more than {n} range elements for this branch")
        case "rule-number-too-large":
            n = p.get("limit")
            return (f"分数的分子或分母超过 {n} 位（除法层层相连）" if zh
                    else f"a fraction's numerator or denominator has more than {n} digits (chained divisions)")
        case "rule-division-by-zero":
            return "除数为 0" if zh else "division by zero"
        case "rule-range-too-large":
            n, m = p.get("size"), p.get("max")
            return f"范围含 {n} 个数，超过上限 {m}" if zh else f"the range has {n} numbers, more than {m}"
        case "rule-missing-key":
            return (
                f"{_q(p.get('map'))} 中没有 {_q(p.get('value'))}"
                if zh
                else f"{_q(p.get('map'))} has no entry for {_q(p.get('value'))}"
            )
    return code


def _fix(code: str, p: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    sug = p.get("suggestion") or p.get("hint")
    match code:
        case "rule-syntax":
            if sug:
                return f"把它改成 {_q(sug)}。" if zh else f"Write {_q(sug)} instead."
            return (
                "检查括号、引号和运算符是否成对、完整；中文标点请换成英文标点。"
                if zh
                else "Check that brackets and quotes are closed and every operator has two sides."
            )
        case "rule-unknown-name" | "rule-unknown-function" | "rule-unknown-value":
            if p.get("missing"):
                return "在参数中补上缺少的键。" if zh else "Add the missing keys to the parameter."
            if sug:
                return f"改成 {_q(sug)}。" if zh else f"Use {_q(sug)}."
            return "检查拼写，或先在标准中声明它。" if zh else "Check the spelling, or declare it in the standard first."
        case "rule-type":
            if p.get("optional"):
                t = p.get("text")
                return (
                    f"写成 `{t} != none and …`，只在有值时比较。"
                    if zh
                    else f"Write `{t} != none and …` so it is used only when it has a value."
                )
            return "换成类型相符的值或函数。" if zh else "Use a value or function of the expected type."
        case "rule-arity":
            return "按函数说明给出参数。" if zh else "Give the function the arguments it takes."
        case "rule-bad-date":
            return "使用存在的日期，格式 YYYY-MM-DD。" if zh else "Use a real date, written YYYY-MM-DD."
        case "rule-cycle":
            return "让其中一个定义不再引用另一个。" if zh else "Break the cycle: one definition must not use the other."
        case "rule-too-deep":
            return ("直接写出条件，减少定义之间、括号之间的层层嵌套。" if zh
                    else "Write the condition more directly, with fewer definitions built on definitions.")
        case "rule-division-by-zero":
            return (
                "在适用条件中排除除数为 0 的情况。"
                if zh
                else "Guard the rule (e.g. in its applicability) so the divisor is never 0."
            )
        case "rule-missing-key":
            return "在参数中补上该键。" if zh else "Add the key to the parameter."
        case "rule-range-too-large":
            return "缩小范围。" if zh else "Use a smaller range."
        case "rule-too-costly":
            return ("缩小范围，或不要在对大范围的逐项条件里再套大范围。" if zh
                    else "Use smaller ranges, or do not nest a loop over a large range inside another.")
        case "rule-number-too-large":
            return ("先取整或比较，再继续计算；避免一连串的除法。" if zh
                    else "Round or compare before computing further; avoid long chains of divisions.")
    return ""


class RuleError(Exception):
    """Base of the rule language's errors."""

    def __init__(
        self,
        code: str,
        params: dict[str, Any] | None = None,
        span: Span = (0, 0),
        source: Source | None = None,
    ) -> None:
        self.code = code
        self.params = dict(params or {})
        self.span = span
        self.source = source
        super().__init__(code, self.params, span)

    @property
    def origin(self) -> str | None:
        """The name of the source text the span points into (None when unnamed)."""
        return self.source.name if self.source is not None else None

    @property
    def snippet(self) -> str:
        return self.source.snippet(self.span) if self.source is not None else ""

    def render(self, lang: str = "en") -> str:
        return _message(self.code, self.params, lang)

    def fix(self, lang: str = "en") -> str:
        return _fix(self.code, self.params, lang)

    def with_source(self, source: Source | None) -> RuleError:
        if self.source is None:
            self.source = source
        return self

    def __str__(self) -> str:
        where = f"{self.origin}:" if self.origin else ""
        return f"{self.code} at {where}{self.span[0]}..{self.span[1]}: {self.render('en')}"

    def __reduce__(self):  # picklable across processes (batch)
        return (type(self), (self.code, self.params, self.span, self.source))


class LangError(RuleError):
    """A problem found in a rule before any facts are seen."""


class EvaluationError(RuleError):
    """A problem met while evaluating a rule on one branch's facts."""
