"""Results of the shipped standards never change by accident.

Every shipped standard rates every example, every case facts file and 20 generated branches;
the JSON of each result is pinned in ``results/<standard>.jsonl``.  After an intended change,
run ``PYTHONPATH=src python tests/golden/regenerate.py`` and review ``git diff tests/golden``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _golden import STANDARDS, path_of, results  # noqa: E402


@pytest.mark.parametrize("standard", list(STANDARDS))
def test_results_match_golden(standard: str) -> None:
    expected = [json.loads(line) for line in path_of(standard).read_text(encoding="utf-8").splitlines()]
    actual = json.loads(json.dumps(results(standard)))
    assert [r["branch"] for r in actual] == [r["branch"] for r in expected]
    for got, want in zip(actual, expected):
        assert got == want, f"{standard} {got['branch']}: result differs from the golden file"
