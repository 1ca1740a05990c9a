"""Properties of the rule diff over random parameter revisions of prov-2023."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import starrules

BASE = starrules.load_standard("prov-2023")
NUMERIC = sorted(n for n, p in BASE.resolved.parameters.items()
                 if type(p.value) in (int, Decimal) and p.tighter != "none")

edits = st.dictionaries(st.sampled_from(NUMERIC), st.integers(min_value=-2, max_value=2).filter(bool),
                        min_size=1, max_size=4)


def _revision(folder: Path, changes: dict[str, int]) -> Path:
    lines = []
    for name, step in changes.items():
        old = BASE.resolved.parameters[name].value
        lines.append(f"  {name}: {old + step}")
    path = folder / "rev.yaml"
    path.write_text("starrules: 1\nid: prop-rev\nfamily: prop\nversion: '1'\ntitle: t\nissuer: i\n"
                    "revises: prov-2023\nparameters:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_parameter_changes_are_listed_with_their_direction_and_reverse(changes: dict[str, int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = _revision(Path(tmp), changes)
        try:
            rev = starrules.load_standard(path)
        except starrules.StandardError:
            return  # e.g. a value out of its declared range
        forward, backward = starrules.diff(BASE, rev), starrules.diff(rev, BASE)
    assert {p.name for p in forward.parameters} == set(changes)
    for p in forward.parameters:
        up = changes[p.name] > 0
        expected = "tighter" if up == (p.tighter == "higher") else "looser"
        assert p.direction == expected, p
        assert (p.old_layer, p.layer) == ("prov-2023", "prop-rev")
        back = backward.parameter(p.name)
        assert back.direction == ("looser" if expected == "tighter" else "tighter")
        assert (back.old, back.new) == (p.new, p.old)
    # every indicator listed reads a changed parameter, and nothing else changed in it
    for ind in forward.indicators:
        assert ind.parameters and set(ind.parameters) <= set(changes) and ind.fields == ()
    assert not forward.same_rules and starrules.diff(rev, rev).equal
