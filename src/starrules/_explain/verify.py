"""``starrules.verify``: re-run a recorded result and say whether it is reproduced exactly.

The standard is found by the id the result records and must be the very standard recorded:
its resolved sha256 must match (else ``verify-standard-changed``).  The facts come from
``facts`` (their canonical sha256 must match the recorded one, else
``verify-facts-changed``) or from the result itself when it embeds them (``evaluate
--embed-facts``); with neither, ``verify-no-facts``.  The fresh result is compared with the
recorded one field by field; every difference is listed with its path, the recorded value
and the value now.  A different starrules version alone is a note, not a difference.
"""

from __future__ import annotations

import json
from decimal import Decimal
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field

from .._errors import Problem, VerifyError
from .._evaluate.evaluate import facts_hash
from .._evaluate.result import AnyValue, Result, _Model
from .._facts.read import MAX_FACTS_BYTES, DuplicateKey, parse_json
from .._files import decode_text, read_bytes
from .._standard.registry import Registry, looks_like_path

#: fields that may differ without the result being different (who computed it, not what)
NOTE_ONLY = ("provenance.starrules_version",)


class Difference(_Model):
    path: str = Field(description="e.g. indicators[ACT-06].status")
    recorded: AnyValue = Field(description="the recorded value (null when absent: see recorded_absent)")
    now: AnyValue = Field(description="the value now (null when absent: see now_absent)")
    recorded_absent: bool = Field(default=False, description="the recorded result has no such field")
    now_absent: bool = Field(default=False, description="the fresh result has no such field")


class VerifyReport(_Model):
    identical: bool
    standard_id: str
    standard_sha256: str
    facts_sha256: str
    facts_source: str = Field(description="embedded (in the result) or file (--facts)")
    differences: tuple[Difference, ...] = ()
    notes: tuple[Difference, ...] = Field(default=(), description="differences that do not count (versions)")


def _read(result: Any) -> tuple[dict[str, Any], str]:
    if isinstance(result, Result):
        return parse_json(result.to_json()), "<result>"
    if isinstance(result, Mapping):
        return parse_json(json.dumps(dict(result), default=_plain)), "<result>"
    path = Path(result)
    display = str(path)
    text = decode_text(read_bytes(path, MAX_FACTS_BYTES * 2, display, VerifyError), display, VerifyError)
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise VerifyError(
            Problem("json-syntax", {"problem": exc.msg}, file=display, line=exc.lineno, col=exc.colno)
        ) from None
    except (DuplicateKey, ValueError) as exc:
        raise VerifyError(Problem("json-syntax", {"problem": str(exc)}, file=display)) from None
    if not isinstance(data, dict):
        raise VerifyError(Problem("not-a-mapping", {}, file=display))
    return data, display


def _plain(value: Any) -> Any:
    """JSON for what ``json`` cannot write: an exact decimal (as ``parse_json`` reads numbers)
    as the float that prints the same digits, anything else as text."""
    if isinstance(value, Decimal) and value.is_finite():
        as_float = float(value)
        if Decimal(repr(as_float)) == value:
            return as_float
    return str(value)


def _get(data: Mapping[str, Any], path: str, display: str) -> Any:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise VerifyError(Problem("missing-key", {"key": path}, file=display, path=path))
        value = value[part]
    return value


def verify(result: Any, *, facts: Any = None, standards_dirs: Sequence[str | Path] = (),
           shipped: bool = True) -> VerifyReport:
    """Re-run a recorded result (a path to its JSON, the parsed JSON, or a :class:`Result`).

    The standard is looked up by the recorded id in ``standards_dirs`` and the shipped
    standards; with ``shipped=False`` in ``standards_dirs`` only (to verify against the
    standard files as they were, which may carry a shipped id: a local file shadowing a
    shipped id is otherwise ``standard-ambiguous``)."""
    from .. import _api

    rec, display = _read(result)
    std_id = _get(rec, "standard.id", display)
    recorded_sha = _get(rec, "standard.sha256", display)
    recorded_facts_sha = _get(rec, "provenance.facts_sha256", display)
    if not isinstance(std_id, str) or looks_like_path(std_id):  # a recorded id names no file
        raise VerifyError(Problem("standard-not-found", {"name": str(std_id), "available": Registry(standards_dirs).ids()},
                                  file=display, path="standard.id"))
    registry = Registry(standards_dirs, include_shipped=shipped)
    std = _api.Standard(*_api._compile(registry, std_id, None))
    if std.sha256 != recorded_sha:
        raise VerifyError(
            [Problem(
                "verify-standard-changed",
                {"standard": std_id, "recorded": str(recorded_sha), "current": std.sha256},
                file=display,
                path="standard.sha256",
            )]
            + standard_changes(rec, std, display)
        )
    if facts is not None:
        doc, positions, file = _api.read_document(facts)
        source = "file"
    elif rec.get("facts") is not None:
        doc, positions, file = rec["facts"], None, f"{display}#facts"
        source = "embedded"
    else:
        raise VerifyError(Problem("verify-no-facts", {}, file=display))
    sha = facts_hash(doc)
    if sha != recorded_facts_sha:
        raise VerifyError(
            Problem(
                "verify-facts-changed",
                {"recorded": str(recorded_facts_sha), "current": sha},
                file=display,
                path="provenance.facts_sha256",
            )
        )
    engine = rec.get("provenance", {}).get("engine", "native")
    fresh = _api.evaluate_document(
        std, doc, positions=positions, file=file, engine=str(engine), embed_facts=rec.get("facts") is not None
    )
    now = parse_json(fresh.to_json())
    diffs: list[Difference] = []
    _diff(rec, now, "", diffs)
    notes = tuple(d for d in diffs if _note_only(d))
    real = tuple(d for d in diffs if not _note_only(d))
    return VerifyReport(
        identical=not real,
        standard_id=str(std_id),
        standard_sha256=std.sha256,
        facts_sha256=sha,
        facts_source=source,
        differences=real,
        notes=notes,
    )


class _Absent:
    """A field one side does not have (an object of its own: no JSON value can equal it)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<absent>"


_MISSING = _Absent()


def _difference(path: str, a: Any, b: Any) -> Difference:
    return Difference(path=path, recorded=None if a is _MISSING else a, now=None if b is _MISSING else b,
                      recorded_absent=a is _MISSING, now_absent=b is _MISSING)


def _note_only(d: Difference) -> bool:
    # a result made before results recorded their standard's fingerprint (docs/diff.md)
    return d.path in NOTE_ONLY or (d.path == "standard.fingerprint" and d.recorded_absent)


def standard_changes(rec: Mapping[str, Any], std: Any, display: str) -> list[Problem]:
    """``verify-what-changed`` problems: what changed in the standard since the result was
    recorded (indicator, parameter, old → new, layer), from the result's fingerprint."""
    from .._diff.fingerprint import describe, what_changed

    return [Problem("verify-what-changed", {"what_zh": describe(c, "zh"), "what_en": describe(c, "en"), "change": c},
                    file=display, path="standard")
            for c in what_changed(rec, std.resolved)]


def _keyed(items: list[Any]) -> dict[str, Any] | None:
    if not items or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        return None
    keyed = {i["id"]: i for i in items}
    return keyed if len(keyed) == len(items) else None


def _diff(a: Any, b: Any, path: str, out: list[Difference]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            _diff(a.get(k, _MISSING), b.get(k, _MISSING), f"{path}.{k}" if path else k, out)
        return
    if isinstance(a, list) and isinstance(b, list):
        ka, kb = _keyed(a), _keyed(b)
        if ka is not None and kb is not None:
            for k in list(ka) + [k for k in kb if k not in ka]:
                _diff(ka.get(k, _MISSING), kb.get(k, _MISSING), f"{path}[{k}]", out)
            if [k for k in ka if k in kb] != [k for k in kb if k in ka]:
                out.append(Difference(path=f"{path}(order)", recorded=list(ka), now=list(kb)))
            return
        for i in range(max(len(a), len(b))):
            _diff(a[i] if i < len(a) else _MISSING, b[i] if i < len(b) else _MISSING, f"{path}[{i}]", out)
        return
    if (a is _MISSING) != (b is _MISSING):
        out.append(_difference(path, a, b))
        return
    if a == b and (type(a) is type(b) or not (isinstance(a, bool) or isinstance(b, bool))):
        return
    out.append(_difference(path, a, b))


__all__ = ["Difference", "VerifyReport", "verify"]
