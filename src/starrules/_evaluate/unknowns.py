"""Name the unknown facts behind an UNKNOWN indicator (the 待核实事项 of a pending result)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .._lang.values import UNKNOWN


def unknown_paths(reads: Iterable[str], facts: Mapping[str, Any], record_keys: Mapping[str, str | None]) -> list[str]:
    """Which of the fact paths an expression reads are unknown in ``facts``.

    ``committee.members`` -> itself when it (or ``committee``) is unknown;
    ``*.present`` (a record field) -> ``meetings[M03].present`` for each record where it is unknown.
    """
    out: list[str] = []
    for path in reads:
        if path.startswith("*."):
            fld = path[2:]
            for name, key in record_keys.items():
                records = facts.get(name)
                if records is UNKNOWN or records is None or not isinstance(records, tuple):
                    continue
                for i, rec in enumerate(records):
                    if fld in rec and rec[fld] is UNKNOWN:
                        ident = rec.get(key) if key else None
                        out.append(f"{name}[{ident if ident not in (None, UNKNOWN) else i}].{fld}")
            continue
        value: Any = facts
        for part in path.split("."):
            value = value.get(part, UNKNOWN) if isinstance(value, dict) else UNKNOWN
            if value is UNKNOWN:
                break
        if value is UNKNOWN:
            out.append(path)
    return list(dict.fromkeys(out))
