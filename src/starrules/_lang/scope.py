"""What a rule may refer to: the Scope (facts, parameters, definitions, host values and
host functions).

A Scope belongs to one compiled standard.  It memoises the types of its definitions and
their compiled closures, so every rule that uses ``F`` shares one closure and (through the
Env's cache) one value per evaluation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import ast as A
from . import types as T

__all__ = ["Scope", "HostFunction", "NOT_CONST", "BUILTINS"]

#: The built-in function names (host functions may not reuse them).
BUILTINS = frozenset(
    """count sum share all any min max months quarters halves longest_run add_years add_months
    year_of month_of quarter_of known floor abs date""".split()
)


class _NotConst:
    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_CONST"


#: Passed to a host checker (``const_args=True``) for an argument that is not a constant.
NOT_CONST: Any = _NotConst()


@dataclass(frozen=True)
class HostFunction:
    """A function provided by the caller (e.g. the evaluator's ``points("bonus")``).

    * ``check(arg_types, arg_spans)`` returns the result type, or raises
      ``LangError(code, params, span)`` (use one of ``arg_spans``).  With
      ``const_args=True`` it is called as ``check(arg_types, arg_spans, arg_consts)`` where
      ``arg_consts[i]`` is the argument's constant value (literals, parameters, literal
      lists) or ``NOT_CONST``.
    * ``impl(env, *values)`` computes the result.  Arguments are evaluated first (eager);
      unless ``unknown_propagates`` is False, an UNKNOWN argument makes the result UNKNOWN
      without calling ``impl``.  With ``lazy=True``, ``impl(env, *thunks)`` receives the
      compiled arguments (call ``thunk(env)`` to evaluate one) and handles UNKNOWN itself.
    """

    name: str
    check: Callable[..., T.Type]
    impl: Callable[..., Any]
    lazy: bool = False
    unknown_propagates: bool = True
    const_args: bool = False


class Scope:
    """Names a rule may use, with their types.

    * ``facts``: top-level fact name -> type (objects give dotted paths: ``committee.members``).
    * ``params``: parameter name (without ``$``) -> (type, value); values are constants.
    * ``defs``: definition name -> expression (an Expr, or text to parse).  Definitions may
      use each other (a cycle is a ``rule-cycle`` error) and are evaluated at most once
      per Env.
    * ``extras``: name -> type of values the host puts in ``Env.values`` (e.g. ``L``).
    * ``functions``: name -> HostFunction.

    Bare names resolve, innermost first: per-item names (``it``, the item's fields,
    binders), then ``year``, definitions, extras, facts.
    """

    def __init__(
        self,
        facts: Mapping[str, T.Type] | None = None,
        params: Mapping[str, tuple[T.Type, Any]] | None = None,
        defs: Mapping[str, A.Expr | str] | None = None,
        extras: Mapping[str, T.Type] | None = None,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> None:
        self.facts: dict[str, T.Type] = dict(facts or {})
        self.params: dict[str, tuple[T.Type, Any]] = dict(params or {})
        self.extras: dict[str, T.Type] = dict(extras or {})
        self.functions: dict[str, HostFunction] = dict(functions or {})
        for name in self.functions:
            if name in BUILTINS:
                raise ValueError(f"host function {name!r} would hide the built-in {name}()")
        from .parse import parse  # local import: parse imports nothing from here

        self.defs: dict[str, A.Expr] = {
            name: (parse(e, name) if isinstance(e, str) else e) for name, e in (defs or {}).items()
        }
        # memo tables (definitions are typed and compiled by their owner scope)
        self._owner: Scope = self
        self._def_types: dict[str, T.Type] = {}
        self._def_analyses: dict[str, Any] = {}
        self._def_fns: dict[str, Any] = {}
        self._def_failed: dict[str, Any] = {}  # definitions whose check raised: the error, raised again
        self._checking: list[str] = []
        self._lock = threading.RLock()

    def extend(
        self,
        *,
        extras: Mapping[str, T.Type] | None = None,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> Scope:
        """A scope with more host values/functions.  Definitions keep the meaning (and the
        cached closures and values) they have in this scope."""
        child = Scope(
            self.facts,
            self.params,
            {},
            {**self.extras, **(extras or {})},
            {**self.functions, **(functions or {})},
        )
        child.defs = self.defs
        child._owner = self._owner
        return child

    def def_type(self, name: str) -> T.Type:
        """The static type of a definition (checked on first use)."""
        from .check import analyze_definition

        return analyze_definition(self._owner, name).type

    def __repr__(self) -> str:
        return (
            f"Scope(facts={sorted(self.facts)}, params={sorted(self.params)}, defs={sorted(self.defs)}, "
            f"extras={sorted(self.extras)}, functions={sorted(self.functions)})"
        )
