"""Structural mutations of parsed documents, shared by the fuzz tests of standards and facts."""

from __future__ import annotations

from typing import Any, Sequence


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path inside ``value`` (mappings and lists), parents before children."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(paths(v, prefix + (k,)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(paths(v, prefix + (i,)))
    return out


def mutate(data: Any, picks: Sequence[int], ops: Sequence[str], values: Sequence[int],
           replacements: Sequence[Any]) -> Any:
    """Delete the picked nodes (``op == "delete"``) or replace them with ``replacements[value]``."""
    for pick, op, v in zip(picks, ops, values):
        found = paths(data)
        if not found:
            break
        path = found[pick % len(found)]
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if op == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacements[v]
    return data
