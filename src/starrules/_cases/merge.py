"""Deep merge of a case's facts onto its base, remembering where every value was written.

Mappings merge key by key, a list replaces the base's list whole, and ``null`` removes the
key (an absent top-level fact is unknown; an absent record field takes its default or is
unknown).  :class:`Origins` maps a path of the merged document back to the file, line and
column it came from, so that a facts problem points at the case file or at the base file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._yaml import Path, Positions


def merge(base: Mapping[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """A new document: ``overlay`` merged onto a copy of ``base`` (neither is modified)."""
    out = _copy(base)
    _merge_into(out, overlay)
    return out


def _copy(value: Any) -> Any:
    """A copy of plain YAML data (mappings and lists copied, scalars shared): much cheaper
    than ``copy.deepcopy`` for the few hundred records of a branch."""
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _merge_into(target: dict[str, Any], overlay: Mapping[str, Any]) -> None:
    for key, value in overlay.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = _strip_nulls(_copy(value))


def _strip_nulls(value: Any) -> Any:
    """A mapping written whole where the base had none: its null keys are absent keys too."""
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    return value


@dataclass(frozen=True)
class Layer:
    """One source of facts: its data, where it was read from, and the path of the facts in it."""

    data: Any
    file: str | None
    positions: Positions | None = None
    prefix: Path = ()


@dataclass(frozen=True)
class Origins:
    """Layers from the bottom (base) to the top (the case's own facts)."""

    layers: tuple[Layer, ...] = field(default_factory=tuple)

    def locate(self, path: Path) -> tuple[str | None, int | None, int | None]:
        """File, line and column of the value at ``path`` of the merged document, following
        the merge: the topmost layer that wrote a value owns it, unless it merged a mapping
        onto lower ones (then the key decides one level down)."""
        contrib: list[tuple[Layer, Any]] = [(layer, layer.data) for layer in self.layers]
        if not contrib:
            return (None, None, None)
        owner, depth = contrib[-1][0], 0
        for part in path:
            nxt: list[tuple[Layer, Any]] = []
            for layer, node in contrib:
                if isinstance(node, Mapping) and isinstance(part, str) and part in node:
                    value = node[part]
                    if value is None:
                        nxt = []
                    elif isinstance(value, Mapping) and nxt and isinstance(nxt[-1][1], Mapping):
                        nxt.append((layer, value))
                    else:
                        nxt = [(layer, value)]
                elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                    nxt = [(layer, node[part])]
            if not nxt:
                break
            contrib = nxt
            owner, depth = contrib[-1][0], depth + 1
        if owner.positions is None:
            return (owner.file, None, None)
        line, col = owner.positions.of(owner.prefix + tuple(path[:depth]))
        return (owner.file, line, col)


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_path(text: str | None) -> Path:
    """``members[3].training_hours`` -> ``("members", 3, "training_hours")``."""
    if not text:
        return ()
    parts: list[str | int] = []
    for index, key in _PART.findall(text):
        parts.append(int(index) if index else key)
    return tuple(parts)


__all__ = ["Layer", "Origins", "merge", "parse_path"]
