"""Rewrite the golden results after an intended change: ``PYTHONPATH=src python tests/golden/regenerate.py``.

Look at ``git diff tests/golden`` afterwards: only the fields you meant to change may move.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _golden import HERE, STANDARDS, dump, path_of, results  # noqa: E402


def main() -> int:
    HERE.mkdir(exist_ok=True)
    for standard in STANDARDS:
        path_of(standard).write_text(dump(results(standard)), encoding="utf-8")
        print(f"wrote {path_of(standard)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
