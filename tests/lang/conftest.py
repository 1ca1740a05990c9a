"""Shared set-up for the rule-language tests.

Makes ``starrules`` importable from ``src/`` when it is not installed, and puts this
folder on ``sys.path`` so tests can ``import lang_scope`` (the example Scope and facts).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"

try:  # pragma: no cover - depends on how the suite is run
    import starrules._lang  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(SRC))

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
