"""The rule diff: two resolved standards -> :class:`StandardDiff`.

Indicators are matched by id; their fields are compared one by one.  An expression (rule,
applicability, points, a definition, a rating step) that was rewritten is classified:

- ``syntax``: both texts parse to the same tree once spans are forgotten — whitespace,
  comments, redundant parentheses and operator spellings (``includes`` / ``⊇``) do not
  count, nor do number spellings (``0.8`` / ``0.80``);
- ``parameters``: the trees are the same once every ``$parameter`` is replaced by its value
  in its own standard (``x >= $min`` with ``min: 3`` and ``x >= 3``);
- otherwise the rewrite may change ratings (``equivalent`` is ``None``).

Nothing else is decided (two different trees that happen to agree on every input are
reported as different).  A changed parameter or definition is listed once, with the
indicators whose rules read it (directly or through definitions).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .._lang import ast as A
from .._lang.errors import LangError
from .._lang.parse import parse
from .._standard.layer import _TIGHTER_KINDS, loosens
from .._standard.load import canonical_json
from .._standard.model import Band, FactSpec, Indicator, Rating, Source, StarStep
from .._standard.resolved import ResolvedStandard
from .model import (
    DefinitionChange,
    DimensionChanges,
    Direction,
    Equivalence,
    FactChange,
    FieldChange,
    IndicatorChange,
    ParameterChange,
    StandardDiff,
    StandardRef,
)

#: indicator fields in display order; the first group can move a rating
RATING_FIELDS = ("dimension", "kind", "applies", "rule", "points", "max_points", "cap")
TEXT_FIELDS = ("title", "citation", "explain", "note")
EXPRESSION_FIELDS = frozenset({"applies", "rule", "points"})


# -- values ------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A standard's value as plain data (texts for expressions, dicts for models)."""
    if isinstance(value, Source):
        return value.text
    if isinstance(value, Band):
        return {"min": value.min, "stars": value.stars}
    if isinstance(value, BaseModel):
        return {k: plain(v) for k, v in value.model_dump(mode="python", by_alias=True, exclude_defaults=True).items()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    """Equal by value (``0.8`` and ``0.80`` alike; ``1`` and ``true`` not)."""
    return canonical_json(plain(a)) == canonical_json(plain(b))


# -- expressions -------------------------------------------------------------------------------


def _tree(text: str) -> A.Expr | None:
    try:
        return parse(text)
    except LangError:
        return None


def _normal(node: Any, params: dict[str, Any] | None = None) -> Any:
    """A node without spans and sources (numbers by value); with ``params``, every
    ``$name`` replaced by its value."""
    if isinstance(node, A.Param) and params is not None and node.name in params:
        return ("value", canonical_json(plain(params[node.name])))
    if isinstance(node, A.Literal) and isinstance(node.value, (int, Decimal)) and not isinstance(node.value, bool):
        return ("value", canonical_json(node.value))
    if isinstance(node, A.Expr):
        parts: list[Any] = [type(node).__name__]
        for f in dataclasses.fields(node):
            if f.name in ("span", "source") or f.name.endswith("_span") or f.name == "op_spans":
                continue
            parts.append(_normal(getattr(node, f.name), params))
        return tuple(parts)
    if isinstance(node, tuple):
        return tuple(_normal(n, params) for n in node)
    return node


def equivalence(old: str, new: str, old_params: dict[str, Any], new_params: dict[str, Any]) -> Equivalence | None:
    """How a rewritten expression relates to the old one (see the module docstring)."""
    a, b = _tree(old), _tree(new)
    if a is None or b is None:
        return None
    if _normal(a) == _normal(b):
        return "syntax"
    if _normal(a, old_params) == _normal(b, new_params):
        return "parameters"
    return None


def _names(text: str | None) -> tuple[set[str], set[str]]:
    """``$parameters`` and bare names read by an expression."""
    if text is None:
        return set(), set()
    tree = _tree(text)
    if tree is None:
        return set(), set()
    params, names = set(), set()
    for n in A.walk(tree):
        if isinstance(n, A.Param):
            params.add(n.name)
        elif isinstance(n, A.Name):
            names.add(n.name)
    return params, names


class _Uses:
    """Which parameters and definitions each indicator (and the rating) reads, through
    definitions too."""

    def __init__(self, std: ResolvedStandard) -> None:
        self.defs = {name: _names(src.text) for name, src in std.definitions.items()}
        self.by_id: dict[str, tuple[set[str], set[str]]] = {}
        for ind in std.indicators:
            self.by_id[ind.id] = self._closure(t.text for t in (ind.applies, ind.rule, ind.points) if t is not None)
        self.by_id["rating"] = self._closure(_rating_texts(std.rating))

    def _closure(self, texts: Iterable[str]) -> tuple[set[str], set[str]]:
        params: set[str] = set()
        defs: set[str] = set()
        todo: list[str] = []
        for text in texts:
            p, n = _names(text)
            params |= p
            todo += [x for x in n if x in self.defs]
        while todo:
            d = todo.pop()
            if d in defs:
                continue
            defs.add(d)
            p, n = self.defs[d]
            params |= p
            todo += [x for x in n if x in self.defs and x not in defs]
        return params, defs

    def users(self, param: str | None = None, definition: str | None = None) -> list[str]:
        return [k for k, (p, d) in self.by_id.items() if (param in p) or (definition in d)]


def _rating_texts(r: Rating) -> list[str]:
    texts = [r.not_met.text, r.pending.text] + [v.text for v in r.values.values()]
    texts += [(s.value if isinstance(s, StarStep) else s).text for s in r.stars]
    if r.score is not None:
        texts.append(r.score.text)
    if r.quota is not None:
        texts += [r.quota.share.text] + [k.text for k in r.quota.rank_by]
    return texts


# -- the diff ----------------------------------------------------------------------------------


def ref_of(std: ResolvedStandard, sha256: str | None = None) -> StandardRef:
    return StandardRef(id=std.id, family=std.family, version=std.version, title=std.title,
                       sha256=sha256 or std.content_hash(), effective_from=std.effective.from_,
                       effective_to=std.effective.to, layers=tuple(layer.id for layer in std.layers),
                       labels={str(k): v for k, v in std.rating.labels.items()})


def _param_layer(std: ResolvedStandard, name: str) -> str | None:
    history = std.parameter_layers.get(name)
    return history[-1].layer if history else None


def _ind_layer(std: ResolvedStandard, ind_id: str, fld: str) -> str | None:
    layers = std.indicator_layers.get(ind_id)
    if not layers:
        return None
    return layers.get(fld, layers.get("*"))


def _direction(old: Any, new: Any, tighter: str) -> Direction:
    if tighter == "none":
        return "unordered"
    looser = loosens(old, new, tighter)
    stricter = loosens(new, old, tighter)
    if looser is None or stricter is None:
        return "unordered"
    if looser and stricter:
        return "mixed"
    return "looser" if looser else "tighter"


def _kind_direction(old: str, new: str) -> Direction:
    if (old, new) in _TIGHTER_KINDS:
        return "tighter"
    if (new, old) in _TIGHTER_KINDS:
        return "looser"
    return "unordered"


def diff_standards(a: ResolvedStandard, b: ResolvedStandard, *, sha_a: str | None = None,
                   sha_b: str | None = None) -> StandardDiff:
    """Every change from A to B (pure; see the module docstring)."""
    ra, rb = ref_of(a, sha_a), ref_of(b, sha_b)
    pa = {k: p.value for k, p in a.parameters.items()}
    pb = {k: p.value for k, p in b.parameters.items()}
    uses_a, uses_b = _Uses(a), _Uses(b)

    parameters = _parameters(a, b, uses_a, uses_b)
    definitions = _definitions(a, b, pa, pb, uses_a, uses_b)
    changed_params = {p.name for p in parameters}
    changed_defs = {d.name for d in definitions if d.equivalent is None}

    # indicators, in B's order, removed ones after those of their (A) dimension
    by_a = {i.id: i for i in a.indicators}
    by_b = {i.id: i for i in b.indicators}
    changes: list[IndicatorChange] = []
    for ind in b.indicators:
        old = by_a.get(ind.id)
        params_b, defs_b = uses_b.by_id.get(ind.id, (set(), set()))
        params_a, defs_a = uses_a.by_id.get(ind.id, (set(), set())) if old is not None else (set(), set())
        read_params = tuple(sorted((params_a | params_b) & changed_params))
        read_defs = tuple(sorted((defs_a | defs_b) & changed_defs))
        if old is None:
            changes.append(IndicatorChange(id=ind.id, change="added", dimension=ind.dimension, kind=ind.kind,
                                           title=ind.title, affects_rating=True, text_only=False,
                                           layer=_ind_layer(b, ind.id, "*")))
            continue
        fields = _indicator_fields(a, b, old, ind, pa, pb)
        if not fields and not read_params and not read_defs:
            continue
        affects = any(f.affects_rating for f in fields) or bool(read_params) or bool(read_defs)
        changes.append(IndicatorChange(id=ind.id, change="changed", dimension=ind.dimension, kind=ind.kind,
                                       title=ind.title, fields=tuple(fields), parameters=read_params,
                                       definitions=read_defs, affects_rating=affects,
                                       text_only=not affects))
    for ind in a.indicators:
        if ind.id not in by_b:
            changes.append(IndicatorChange(id=ind.id, change="removed", dimension=ind.dimension, kind=ind.kind,
                                           title=ind.title, affects_rating=True, text_only=False,
                                           layer=b.layers[-1].id if b.layers else None))
    titles = {d.id: d.title for d in a.dimensions} | {d.id: d.title for d in b.dimensions}
    order = list(dict.fromkeys([d.id for d in b.dimensions] + [d.id for d in a.dimensions]))
    groups = tuple(DimensionChanges(id=d, title=titles[d], indicators=tuple(c for c in changes if c.dimension == d))
                   for d in order if any(c.dimension == d for c in changes))

    rating = _rating(a.rating, b.rating, pa, pb)
    facts = tuple(_facts(a.facts, b.facts))
    header = tuple(_header(a, b))
    same_rules = not (any(c.affects_rating for c in changes) or parameters or changed_defs
                      or any(r.affects_rating for r in rating) or facts
                      or any(h.affects_rating for h in header))
    return StandardDiff(a=ra, b=rb, equal=ra.sha256 == rb.sha256, same_rules=same_rules, header=header,
                        dimensions=groups, parameters=parameters, definitions=definitions, rating=rating,
                        facts=facts)


def _indicator_fields(a: ResolvedStandard, b: ResolvedStandard, old: Indicator, new: Indicator,
                      pa: dict[str, Any], pb: dict[str, Any]) -> list[FieldChange]:
    out: list[FieldChange] = []
    for fld in RATING_FIELDS + TEXT_FIELDS:
        va, vb = getattr(old, fld), getattr(new, fld)
        if same(va, vb):
            continue
        old_layer, layer = _ind_layer(a, old.id, fld), _ind_layer(b, new.id, fld)
        if fld == "explain" and va is not None and vb is not None:
            for lang in ("zh", "en"):
                ta, tb = getattr(va, lang).text, getattr(vb, lang).text
                if ta != tb:
                    out.append(FieldChange(field=f"explain.{lang}", old=ta, new=tb, affects_rating=False,
                                           old_layer=old_layer, layer=layer))
            continue
        eq: Equivalence | None = None
        if fld in EXPRESSION_FIELDS and va is not None and vb is not None:
            eq = equivalence(va.text, vb.text, pa, pb)
        direction = _kind_direction(va, vb) if fld == "kind" else None
        out.append(FieldChange(field=fld, old=plain(va), new=plain(vb), equivalent=eq,
                               affects_rating=fld in RATING_FIELDS and eq is None, direction=direction,
                               old_layer=old_layer, layer=layer))
    return out


def _parameters(a: ResolvedStandard, b: ResolvedStandard, uses_a: _Uses, uses_b: _Uses) -> tuple[ParameterChange, ...]:
    out = []
    for name in list(b.parameters) + [n for n in a.parameters if n not in b.parameters]:
        old, new = a.parameters.get(name), b.parameters.get(name)
        users = list(dict.fromkeys(uses_b.users(param=name) + uses_a.users(param=name)))
        spec = new or old
        assert spec is not None
        common: dict[str, Any] = {"name": name, "tighter": spec.tighter, "used_by": tuple(users),
                                  "unit": spec.unit, "description": spec.description}
        if old is None:
            out.append(ParameterChange(change="added", new=plain(spec.value), layer=_param_layer(b, name), **common))
        elif new is None:
            out.append(ParameterChange(change="removed", old=plain(old.value), old_layer=_param_layer(a, name),
                                       **common))
        elif not same(old.value, new.value):
            out.append(ParameterChange(change="changed", old=plain(old.value), new=plain(new.value),
                                       direction=_direction(old.value, new.value, old.tighter),
                                       old_layer=_param_layer(a, name), layer=_param_layer(b, name), **common))
    return tuple(out)


def _definitions(a: ResolvedStandard, b: ResolvedStandard, pa: dict[str, Any], pb: dict[str, Any],
                 uses_a: _Uses, uses_b: _Uses) -> tuple[DefinitionChange, ...]:
    out = []
    for name in list(b.definitions) + [n for n in a.definitions if n not in b.definitions]:
        old, new = a.definitions.get(name), b.definitions.get(name)
        users = tuple(dict.fromkeys(uses_b.users(definition=name) + uses_a.users(definition=name)))
        if old is None:
            out.append(DefinitionChange(name=name, change="added", new=new.text, used_by=users))  # type: ignore[union-attr]
        elif new is None:
            out.append(DefinitionChange(name=name, change="removed", old=old.text, used_by=users))
        elif old.text != new.text:
            out.append(DefinitionChange(name=name, change="changed", old=old.text, new=new.text,
                                        equivalent=equivalence(old.text, new.text, pa, pb), used_by=users))
    return tuple(out)


def _rating_items(r: Rating) -> dict[str, Any]:
    items: dict[str, Any] = {f"labels.{k}": v for k, v in r.labels.items()}
    items["not_met"] = r.not_met
    items["pending"] = r.pending
    items.update({f"values.{k}": v for k, v in r.values.items()})
    for i, step in enumerate(r.stars):
        items[f"stars[{i}]"] = step.value if isinstance(step, StarStep) else step
        if isinstance(step, StarStep) and step.note is not None:
            items[f"stars[{i}].note"] = step.note
    items["score"] = r.score
    items["quota"] = r.quota
    return items


def _rating(ra: Rating, rb: Rating, pa: dict[str, Any], pb: dict[str, Any]) -> tuple[FieldChange, ...]:
    ia, ib = _rating_items(ra), _rating_items(rb)
    out = []
    if list(ra.values) != list(rb.values) and set(ra.values) == set(rb.values):
        out.append(FieldChange(field="values(order)", old=list(ra.values), new=list(rb.values), affects_rating=True))
    for key in list(ib) + [k for k in ia if k not in ib]:
        va, vb = ia.get(key), ib.get(key)
        if same(va, vb):
            continue
        eq = None
        if isinstance(va, Source) and isinstance(vb, Source):
            eq = equivalence(va.text, vb.text, pa, pb)
        texts_only = key.startswith("labels.") or key.endswith(".note")
        out.append(FieldChange(field=key, old=plain(va), new=plain(vb), equivalent=eq,
                               affects_rating=not texts_only and eq is None))
    return tuple(out)


_SPEC_ATTRS = tuple(f for f in FactSpec.model_fields if f != "fields")


def _spec_summary(spec: FactSpec) -> dict[str, Any]:
    data = plain(spec)
    data.pop("fields", None)
    return data


def _facts(fa: dict[str, FactSpec], fb: dict[str, FactSpec], prefix: str = "") -> Iterable[FactChange]:
    for name in list(fb) + [n for n in fa if n not in fb]:
        path = f"{prefix}{name}"
        old, new = fa.get(name), fb.get(name)
        if old is None:
            assert new is not None
            yield FactChange(path=path, change="added", new=_spec_summary(new))
            continue
        if new is None:
            yield FactChange(path=path, change="removed", old=_spec_summary(old))
            continue
        changed = tuple(f for f in _SPEC_ATTRS if not same(getattr(old, f), getattr(new, f)))
        if changed:
            yield FactChange(path=path, change="changed", old=_spec_summary(old), new=_spec_summary(new),
                             fields=changed)
        inner = "[]." if new.type == "records" else "."
        yield from _facts(old.fields or {}, new.fields or {}, path + inner)


def _header(a: ResolvedStandard, b: ResolvedStandard) -> Iterable[FieldChange]:
    for fld in ("id", "family", "version", "title", "issuer"):
        if getattr(a, fld) != getattr(b, fld):
            yield FieldChange(field=fld, old=getattr(a, fld), new=getattr(b, fld), affects_rating=False)
    for fld, va, vb in (("effective.from", a.effective.from_, b.effective.from_),
                        ("effective.to", a.effective.to, b.effective.to)):
        if va != vb:
            yield FieldChange(field=fld, old=va, new=vb, affects_rating=False)
    da, db = {d.id: d.title for d in a.dimensions}, {d.id: d.title for d in b.dimensions}
    for d in list(db) + [x for x in da if x not in db]:
        if da.get(d) != db.get(d):
            # a dimension added or removed changes lit counts; a new title does not
            yield FieldChange(field=f"dimensions.{d}", old=da.get(d), new=db.get(d),
                              affects_rating=(d in da) != (d in db))
    if [d for d in da if d in db] != [d for d in db if d in da]:
        yield FieldChange(field="dimensions(order)", old=list(da), new=list(db), affects_rating=False)


__all__ = ["diff_standards", "equivalence", "plain", "ref_of", "same"]
