"""What a result records of its standard, and what ``verify`` says changed since.

A result stores its standard's id, version and hash; a hash only says *that* the standard
changed.  :func:`fingerprint_of` adds a compact :class:`StandardFingerprint` to every
result's ``standard`` (computed once per compiled standard): a 12-hex-digit hash of each
indicator, definition, top-level fact declaration and of the rating rules, and the value of
every parameter (with the layer that set it when that is not the base file).  Together with
what the result already records per indicator (dimension, kind, title, citation, rule
text), :func:`what_changed` can then name, without the old file, the indicators added,
removed or changed (field, old → new, layer), the parameters changed (old → new,
tighter/looser, layer), and the definitions, facts and rating rules that changed.  Texts
that the fingerprint only hashes (an applicability, points, a definition) are named as
changed, not shown; ``starrules diff`` with both files shows them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from .._evaluate.result import StandardFingerprint
from .._standard.load import canonical_json
from .._standard.resolved import ResolvedStandard
from .standards import _direction, _ind_layer, _param_layer, plain, same

SHORT = 12
#: indicator fields a result records (IndicatorResult) and verify can show old → new
RECORDED = ("dimension", "kind", "title", "citation", "rule")


def _short(value: Any) -> str:
    return hashlib.sha256(canonical_json(plain(value)).encode("utf-8")).hexdigest()[:SHORT]


def fingerprint_of(std: ResolvedStandard) -> StandardFingerprint:
    base = std.layers[0].id if std.layers else std.id
    layers = {name: layer for name in std.parameters if (layer := _param_layer(std, name)) not in (None, base)}
    return StandardFingerprint(
        indicators={i.id: _short(i) for i in std.indicators},
        parameters={name: plain(p.value) for name, p in std.parameters.items()},
        parameter_layers=layers,
        definitions={name: _short(src) for name, src in std.definitions.items()},
        facts={name: _short(spec) for name, spec in std.facts.items()},
        rating=_short(std.rating),
    )


def _recorded_value(rec_ind: Mapping[str, Any], fld: str) -> Any:
    value = rec_ind.get(fld)
    if fld == "citation" and isinstance(value, Mapping):
        return {k: v for k, v in value.items() if v is not None}
    return value


def _current_value(ind: Any, fld: str) -> Any:
    if fld == "rule":
        main = ind.rule if ind.rule is not None else ind.points
        return main.text if main is not None else None
    return plain(getattr(ind, fld))


def what_changed(recorded: Mapping[str, Any], std: ResolvedStandard) -> list[dict[str, Any]]:
    """The changes from the standard a result (its JSON, parsed) was made with to ``std``:
    dicts with ``what`` (indicator, parameter, definition, fact, rating, standard), ``id``,
    ``change``, ``field``, ``old``, ``new``, ``old_layer``, ``layer`` and ``direction``."""
    info: Mapping[str, Any] = recorded["standard"] if isinstance(recorded.get("standard"), Mapping) else {}
    fp: Mapping[str, Any] | None = info["fingerprint"] if isinstance(info.get("fingerprint"), Mapping) else None
    out: list[dict[str, Any]] = []

    def add(what: str, ident: str, change: str, **extra: Any) -> None:
        out.append({"what": what, "id": ident, "change": change, **extra})

    for fld, now in (("version", std.version), ("title", std.title)):
        if fld in info and info[fld] != now:
            add("standard", std.id, "changed", field=fld, old=info[fld], new=now)

    rec_inds = [i for i in recorded.get("indicators", ()) if isinstance(i, Mapping) and isinstance(i.get("id"), str)]
    by_rec = {i["id"]: i for i in rec_inds}
    current = {i.id: i for i in std.indicators}
    fp_inds = fp.get("indicators", {}) if fp else {}
    for ind in std.indicators:
        rec = by_rec.get(ind.id)
        if rec is None:
            add("indicator", ind.id, "added", kind=ind.kind, dimension=ind.dimension, layer=_ind_layer(std, ind.id, "*"))
            continue
        shown = False
        for fld in RECORDED:
            old, new = _recorded_value(rec, fld), _current_value(ind, fld)
            if not same(old, new):
                extra = {"direction": _kind_direction(old, new)} if fld == "kind" else {}
                add("indicator", ind.id, "changed", field=fld, old=old, new=new,
                    layer=_ind_layer(std, ind.id, fld if fld != "rule" else "rule"), **extra)
                shown = True
        if not shown and ind.id in fp_inds and fp_inds[ind.id] != _short(ind):
            add("indicator", ind.id, "changed", field="other", layer=_ind_layer(std, ind.id, "*"))
    for ident, rec in by_rec.items():
        if ident not in current:
            add("indicator", ident, "removed", kind=rec.get("kind"))

    if fp is None:
        return out
    old_params: Mapping[str, Any] = fp.get("parameters", {})
    old_layers: Mapping[str, Any] = fp.get("parameter_layers", {})
    base = std.layers[0].id if std.layers else std.id
    rec_base = (info.get("layers") or [{}])[0].get("id", base) if info.get("layers") else base
    for name, p in std.parameters.items():
        new = plain(p.value)
        if name not in old_params:
            add("parameter", name, "added", new=new, layer=_param_layer(std, name))
        elif not same(_exact(old_params[name]), new):
            add("parameter", name, "changed", old=_exact(old_params[name]), new=new,
                direction=_direction(_exact(old_params[name]), p.value, p.tighter),
                old_layer=old_layers.get(name, rec_base), layer=_param_layer(std, name))
    for name in old_params:
        if name not in std.parameters:
            add("parameter", name, "removed", old=old_params[name], old_layer=old_layers.get(name, rec_base))
    for what, old_map, new_map in (("definition", fp.get("definitions", {}),
                                    {n: _short(s) for n, s in std.definitions.items()}),
                                   ("fact", fp.get("facts", {}), {n: _short(s) for n, s in std.facts.items()})):
        for name in list(new_map) + [n for n in old_map if n not in new_map]:
            if name not in old_map:
                add(what, name, "added")
            elif name not in new_map:
                add(what, name, "removed")
            elif old_map[name] != new_map[name]:
                add(what, name, "changed")
    if fp.get("rating") and fp["rating"] != _short(std.rating):
        add("rating", "rating", "changed")
    return out


def _exact(value: Any) -> Any:
    """A parameter value read back from JSON, as the standard holds it (exact numbers)."""
    from decimal import Decimal

    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, list):
        return tuple(_exact(v) for v in value)
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    return value


def _kind_direction(old: Any, new: Any) -> str:
    from .standards import _kind_direction as kd

    return kd(str(old), str(new))


def describe(change: Mapping[str, Any], lang: str) -> str:
    """One change as a sentence: ``参数 $satisfaction_pass：0.6 → 0.7（收紧；prov-2023 → prov-2024）``."""
    from .words import CHANGE, DIRECTION, field_name, layers, text

    zh = lang == "zh"
    what = {"indicator": ("指标", "indicator"), "parameter": ("参数", "parameter"), "definition": ("定义", "definition"),
            "fact": ("事实", "fact"), "rating": ("定星规则", "rating rules"), "standard": ("标准", "standard")}
    label = what[change["what"]][0 if zh else 1]
    ident = ("$" if change["what"] == "parameter" else "") + change["id"]
    head = label if change["what"] == "rating" else f"{label} {ident}"
    if change["change"] != "changed":
        body = CHANGE[lang][change["change"]]
        if "new" in change or "old" in change:
            body += f" {text(change.get('new', change.get('old')))}"
    elif "field" in change and change["field"] == "other":
        body = "适用条件、分值或说明已改" if zh else "applicability, points or explanation changed"
    elif "old" in change or "new" in change:
        body = (f"{field_name(change['field'], lang)}{'：' if zh else ': '}" if "field" in change else "")
        body += f"{text(change.get('old'))} → {text(change.get('new'))}"
    else:
        body = CHANGE[lang]["changed"]
    notes = []
    if change.get("direction"):
        notes.append(DIRECTION[lang][change["direction"]])
    if change.get("layer") or change.get("old_layer"):
        notes.append(("设定层 " if zh else "layer ") + layers(change.get("old_layer"), change.get("layer")))
    if notes:
        body += ("（" + "；".join(notes) + "）") if zh else (" (" + "; ".join(notes) + ")")
    return f"{head}{'：' if zh else ': '}{body}"


__all__ = ["describe", "fingerprint_of", "what_changed"]
