"""The starrules rule language: parse -> check -> compile to closures.

::

    from starrules._lang import parse, check, compile_expr, Scope, Env, UNKNOWN, types as T

    scope = Scope(facts={"members": T.Records(T.Record({"id": T.STRING, ...}, key="id"))},
                  params={"min_formal_members": (T.INT, 3)},
                  defs={"F": 'members where status == "formal"'})
    expr = parse("count(F) >= $min_formal_members")
    check(expr, scope)                      # -> T.BOOL, or LangError
    fn = compile_expr(expr, scope)          # -> fn(env)
    fn(Env(facts=facts, year=2023))         # -> True / False / UNKNOWN

See docs/rule-language.md.
"""

from . import ast, types
from .check import Analysis, analyze, check, problems
from .compile import Env, TraceEntry, compile_analysis, compile_expr
from .errors import EvaluationError, LangError, RuleError
from .fmt import format_value
from .parse import parse
from .scope import BUILTINS, NOT_CONST, HostFunction, Scope
from .template import CompiledTemplate, Template, check_template, compile_template, parse_template
from .values import UNKNOWN, PartialItems, PartialSet

__all__ = [
    "ast",
    "types",
    "parse",
    "parse_template",
    "check",
    "check_template",
    "problems",
    "analyze",
    "Analysis",
    "compile_expr",
    "compile_analysis",
    "compile_template",
    "Template",
    "CompiledTemplate",
    "Scope",
    "HostFunction",
    "NOT_CONST",
    "BUILTINS",
    "Env",
    "TraceEntry",
    "UNKNOWN",
    "PartialSet",
    "PartialItems",
    "RuleError",
    "LangError",
    "EvaluationError",
    "format_value",
]
