"""Layering: apply an overlay (``extends``, tighten-only) or a revision (``revises``) to its base.

``apply_layer(base, loaded) -> ResolvedStandard`` is pure; it records which layer set each
parameter and each indicator field.  An overlay may raise thresholds, turn a ``star`` into a
``required``, add indicators and change rating gates (parameters); it may not loosen, drop or
rewrite.  A revision is a new version of a family and may change anything.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from .._errors import Problem, StandardError
from .._yaml import format_path
from .load import LoadedFile, check_indicator_fields
from .model import BaseFile, Band, Indicator, LayerFile, Parameter, Rating
from .resolved import LayerRef, ParameterHistory, ResolvedStandard

# kind changes an overlay may make (from -> to): each makes the standard stricter
_TIGHTER_KINDS = {("star", "required"), ("star", "veto"), ("required", "veto")}
# new indicators of these kinds only tighten; a new bonus or score item could only add points
_TIGHTENING_NEW_KINDS = {"required", "veto", "star", "cap", "deduction"}
_REWRITE_FIELDS = ("dimension", "applies", "rule", "points", "max_points")
_REQUIRED_FIELDS = ("dimension", "kind", "title", "citation")  # an Indicator cannot do without them


def from_base(loaded: LoadedFile) -> ResolvedStandard:
    model = loaded.model
    assert isinstance(model, BaseFile)
    layer = model.id
    return ResolvedStandard(
        id=model.id,
        family=model.family,
        version=model.version,
        title=model.title,
        issuer=model.issuer,
        effective=model.effective,
        dimensions=model.dimensions,
        facts=model.facts,
        parameters=model.parameters,
        definitions=model.definitions,
        terms=model.terms,
        indicators=model.indicators,
        rating=model.rating,
        layers=(LayerRef(id=model.id, version=model.version, role="base", file=loaded.path.name, sha256=loaded.sha256),),
        parameter_layers={k: (ParameterHistory(layer=layer, value=p.value),) for k, p in model.parameters.items()},
        indicator_layers={i.id: {"*": layer} for i in model.indicators},
    )


def _describe(value: Any) -> str:
    if isinstance(value, tuple) and value and isinstance(value[0], Band):
        return ", ".join(f"≥{b.min}→{b.stars}★" for b in value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def loosens(base: Any, new: Any, tighter: str) -> bool | None:
    """True if ``new`` is looser than ``base`` in direction ``tighter``; None if not comparable."""
    if tighter == "none" or base == new:
        return False
    sign = 1 if tighter == "higher" else -1
    if isinstance(base, bool) or isinstance(new, bool):
        if isinstance(base, bool) and isinstance(new, bool):
            return (int(new) - int(base)) * sign < 0
        return None
    if isinstance(base, (int, Decimal)) and isinstance(new, (int, Decimal)):
        return (new - base) * sign < 0
    if isinstance(base, date) and isinstance(new, date):
        return (new - base).days * sign < 0
    if isinstance(base, dict) and isinstance(new, dict):
        if set(base) != set(new):
            return None
        return any(loosens(base[k], new[k], tighter) for k in base)
    if isinstance(base, tuple) and isinstance(new, tuple):
        if base and isinstance(base[0], Band):
            if len(base) != len(new) or any(not isinstance(b, Band) for b in new):
                return None
            if [b.stars for b in base] != [b.stars for b in new]:
                return None
            return any(loosens(b.min, n.min, tighter) for b, n in zip(base, new))
        if all(isinstance(v, str) for v in base + new):
            # a set of required items: "higher" means more items are required
            more, fewer = set(new) - set(base), set(base) - set(new)
            return bool(fewer) if sign > 0 else bool(more)
        if len(base) != len(new):
            return None
        return any(loosens(b, n, tighter) for b, n in zip(base, new))
    return None


def _users(std: ResolvedStandard, param: str) -> list[str]:
    """Indicators whose texts mention ``$param`` (for messages)."""
    pattern = re.compile(r"\$" + re.escape(param) + r"\b")
    out = []
    for ind in std.indicators:
        texts = [t.text for t in (ind.applies, ind.rule, ind.points) if t is not None]
        if any(pattern.search(t) for t in texts):
            out.append(ind.id)
    if not out and any(pattern.search(t.text) for t in std.definitions.values()):
        out.append("definitions")
    return out


class _Collector:
    def __init__(self, loaded: LoadedFile) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []

    def add(self, path: tuple[Any, ...], code: str, *, key: bool = False, **params: Any) -> None:
        line, col = self.loaded.positions.of(path, key=key)
        self.problems.append(Problem(code, params, file=self.loaded.positions.file, line=line, col=col,
                                     path=format_path(path) or None))


def apply_layer(base: ResolvedStandard, loaded: LoadedFile, problems: list[Problem] | None = None) -> ResolvedStandard:
    """Apply one overlay or revision file to its resolved base.

    Problems (loosening, rewriting, …) are raised as one StandardError, or, when a
    ``problems`` list is given, appended to it so that later stages (compiling the rules)
    can report theirs in the same run."""
    layer = loaded.model
    assert isinstance(layer, LayerFile)
    overlay = layer.extends is not None
    out = _Collector(loaded)
    base_layer = base.id

    # facts: new ones are added; an overlay may not redefine an existing fact
    facts = dict(base.facts)
    for name, spec in layer.facts.items():
        if name in facts and facts[name] != spec and overlay:
            out.add(("facts", name), "overlay-rewrites", what_zh=f"事实 {name}", what_en=f"fact {name}", field="type")
        facts[name] = spec

    # parameters
    params = dict(base.parameters)
    history = {k: tuple(v) for k, v in base.parameter_layers.items()}
    for name, param in layer.parameters.items():
        if name in params:
            old = params[name]
            merged = Parameter(value=param.value, tighter=old.tighter,
                               description=param.description or old.description, unit=param.unit or old.unit,
                               format=param.format or old.format)
            if overlay:
                if "tighter" in param.model_fields_set and param.tighter != old.tighter:
                    out.add(("parameters", name, "tighter"), "overlay-rewrites", what_zh=f"参数 ${name}",
                            what_en=f"parameter ${name}", field="tighter")
                verdict = loosens(old.value, param.value, old.tighter)
                if verdict is None:
                    out.add(("parameters", name), "bad-parameter", name=name,
                            detail_zh=f"新值 {_describe(param.value)} 无法与上级值 {_describe(old.value)} 比较松紧",
                            detail_en=f"new value {_describe(param.value)} cannot be compared with {_describe(old.value)}")
                elif verdict:
                    users = _users(base, name)
                    setter = history.get(name, (ParameterHistory(layer=base_layer, value=None),))[-1].layer
                    out.add(("parameters", name), "overlay-loosens",
                            what_zh=f"参数 ${name}（越{'高' if old.tighter == 'higher' else '低'}越严"
                                    + (f"；用于 {'、'.join(users)}" if users else "") + "）",
                            what_en=f"parameter ${name} (stricter when {old.tighter}"
                                    + (f"; used by {', '.join(users)}" if users else "") + ")",
                            base_layer=base_layer if setter == base_layer else f"{base_layer} ← {setter}",
                            base=_describe(old.value), overlay=_describe(param.value))
            params[name] = merged
            history[name] = history.get(name, ()) + (ParameterHistory(layer=layer.id, value=param.value),)
        else:
            params[name] = param
            history[name] = (ParameterHistory(layer=layer.id, value=param.value),)

    # definitions
    definitions = dict(base.definitions)
    for name, text in layer.definitions.items():
        if name in definitions and overlay and definitions[name].text != text.text:
            out.add(("definitions", name), "overlay-rewrites", what_zh=f"定义 {name}", what_en=f"definition {name}",
                    field="definition")
        definitions[name] = text

    # indicators
    indicators = list(base.indicators)
    index = {ind.id: i for i, ind in enumerate(indicators)}
    ind_layers = {k: dict(v) for k, v in base.indicator_layers.items()}
    dims = {d.id for d in base.dimensions}
    for pos, patch in enumerate(layer.indicators):
        path = ("indicators", pos)
        given = patch.model_fields_set - {"id"}
        for f in _REQUIRED_FIELDS:  # written as null: neither a value nor a removal
            if f in given and getattr(patch, f) is None:
                out.add(path + (f,), "wrong-type", expected="a value", expected_zh="一个值", got="null")
                given = given - {f}
        if patch.id in index:
            old = indicators[index[patch.id]]
            if overlay:
                for fld in _REWRITE_FIELDS:
                    if fld in given and getattr(patch, fld) != getattr(old, fld):
                        out.add(path + (fld,), "overlay-rewrites", what_zh=f"指标 {patch.id}", what_en=f"indicator {patch.id}",
                                indicator=patch.id, field=fld)
                if "kind" in given and patch.kind != old.kind and (old.kind, patch.kind) not in _TIGHTER_KINDS:
                    out.add(path + ("kind",), "overlay-loosens",
                            what_zh=f"指标 {patch.id} 的类型", what_en=f"the kind of {patch.id}",
                            base_layer=ind_layers[patch.id].get("kind", ind_layers[patch.id]["*"]),
                            base=old.kind, overlay=patch.kind)
                if "cap" in given and patch.cap != old.cap:
                    direction = {"bonus": "lower", "deduction": "higher", "cap": "lower"}.get(old.kind, "none")
                    if patch.cap is None or loosens(old.cap, patch.cap, direction):
                        out.add(path + ("cap",), "overlay-loosens",
                                what_zh=f"指标 {patch.id} 的 cap", what_en=f"the cap of {patch.id}",
                                base_layer=ind_layers[patch.id].get("cap", ind_layers[patch.id]["*"]),
                                base=old.cap, overlay=patch.cap)
            updated = old.model_copy(update={f: getattr(patch, f) for f in given})
            out.problems.extend(check_indicator_fields(updated, loaded.positions, path))
            indicators[index[patch.id]] = updated
            for f in given:
                ind_layers[patch.id][f] = layer.id
        else:
            missing = [f for f in _REQUIRED_FIELDS if f not in given]
            if missing:
                for f in missing:
                    out.add(path, "overlay-new-incomplete", key=True, indicator=patch.id, field=f)
                continue
            if patch.dimension not in dims:
                out.add(path + ("dimension",), "unknown-dimension", dimension=patch.dimension, allowed=sorted(dims))
                continue
            new = Indicator.model_validate({f: getattr(patch, f) for f in given | {"id"}})
            out.problems.extend(check_indicator_fields(new, loaded.positions, path))
            if overlay and new.kind not in _TIGHTENING_NEW_KINDS:
                out.add(path + ("kind",), "overlay-loosens",
                        what_zh=f"新增 {new.kind} 类指标 {new.id}（只会增加分数）",
                        what_en=f"a new {new.kind} indicator {new.id} (it can only add points)",
                        base_layer=base_layer, base="—", overlay=new.kind)
            # after the last indicator of its dimension
            last = max((i for i, ind in enumerate(indicators) if ind.dimension == new.dimension), default=len(indicators) - 1)
            indicators.insert(last + 1, new)
            index = {ind.id: i for i, ind in enumerate(indicators)}
            ind_layers[new.id] = {"*": layer.id}

    # rating
    rating = base.rating
    if layer.rating is not None:
        given = set(layer.rating.model_fields_set)
        for f in sorted(given):
            if getattr(layer.rating, f) is None and Rating.model_fields[f].is_required():
                out.add(("rating", f), "wrong-type", expected="a value", expected_zh="一个值", got="null")
                given.discard(f)
        if overlay:
            for fld in given - {"labels"}:
                out.add(("rating", fld), "overlay-rewrites", what_zh="定星规则", what_en="the rating", field=fld)
        rating = rating.model_copy(update={f: getattr(layer.rating, f) for f in given})

    if out.problems:
        if problems is None:
            raise StandardError(out.problems)
        problems.extend(out.problems)
    role = "overlay" if overlay else "revision"
    return ResolvedStandard(
        id=layer.id,
        family=layer.family,
        version=layer.version,
        title=layer.title,
        issuer=layer.issuer,
        effective=layer.effective or base.effective,
        dimensions=base.dimensions,
        facts=facts,
        parameters=params,
        definitions=definitions,
        terms={**base.terms, **layer.terms},
        indicators=tuple(indicators),
        rating=rating,
        layers=base.layers + (LayerRef(id=layer.id, version=layer.version, role=role, file=loaded.path.name,
                                       sha256=loaded.sha256),),
        parameter_layers=history,
        indicator_layers=ind_layers,
    )
