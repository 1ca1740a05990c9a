"""Prove that a regeneration of the golden results moved no rating: for every golden branch
of every shipped standard, outcome, stars, score and each indicator's status and points are
the same in the golden files of a git revision (default ``main``) and in the working tree.

    PYTHONPATH=src python tests/golden/compare_core.py [REV]

Prints one line per standard and the fields that moved (other than the core ones); exits 1
when a core field differs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _golden import REPO, STANDARDS, path_of


def core(row: dict) -> object:
    if "error" in row:
        return ("error", row["error"])
    r = row["result"]
    return (r["outcome"], r["stars"], r["score"],
            tuple((i["id"], i["status"], i["points"]) for i in r["indicators"]))


def moved(old: dict, new: dict) -> set[str]:
    if "result" not in old or "result" not in new:
        return set()
    a, b = old["result"], new["result"]
    out = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
    if "indicators" in out:
        out.discard("indicators")
        for x, y in zip(a["indicators"], b["indicators"]):
            out |= {f"indicators.{k}" for k in set(x) | set(y) if x.get(k) != y.get(k)}
    return out


def main(rev: str = "main") -> int:
    bad = 0
    for standard in STANDARDS:
        rel = path_of(standard).relative_to(REPO).as_posix()
        old_text = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=REPO, capture_output=True, text=True,
                                  check=True).stdout
        old = [json.loads(line) for line in old_text.splitlines()]
        new = [json.loads(line) for line in path_of(standard).read_text(encoding="utf-8").splitlines()]
        fields: Counter[str] = Counter()
        if [r["branch"] for r in old] != [r["branch"] for r in new]:
            print(f"{standard}: the branches differ")
            bad += 1
            continue
        for o, n in zip(old, new):
            if core(o) != core(n):
                print(f"{standard} {o['branch']}: outcome/stars/score/statuses differ")
                bad += 1
            fields.update(moved(o, n))
        print(f"{standard}: {len(old)} branches, core unchanged; other fields moved: "
              + (", ".join(f"{k} ({v})" for k, v in sorted(fields.items())) or "none"))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
