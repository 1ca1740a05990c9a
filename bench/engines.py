"""Per-branch evaluation time of the two engines, native closures and durable_rules (Rete).

    python bench/engines.py [--n 1000] [--standard prov-2023 ...] [--seed 1] [--repeat 3]

Both engines rate the same generated branches (parsed from JSON with exact decimals) in this
process, through the public ``starrules.evaluate`` (validation, explanations and result
model included), so the ratio compares like with like on this machine, now.  The best of
``--repeat`` passes is reported.  Every branch's two results are also compared (except
``provenance.engine``); a disagreement is reported and makes the exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of  # noqa: E402
from generate import generate

import starrules
from starrules._facts.read import parse_json

YEARS = {"prov-2024": 2024}


def comparable(res: starrules.Result) -> dict:
    out = res.model_dump(mode="json")
    out["provenance"].pop("engine", None)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--standard", nargs="+", default=["prov-2023", "port-group-2023", "prov-2024", "city-2023"])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    status = 0
    print(f"{'standard':<16} {'branches':>8} {'native µs/branch':>17} {'durable µs/branch':>18} {'ratio':>6}")
    for sid in args.standard:
        std = starrules.load_standard(sid)
        year = YEARS.get(sid, 2023)
        docs = [parse_json(json.dumps(d)) for d in generate(args.n, seed=args.seed, year=year)]

        # warm-up (registers the durable ruleset) and the agreement check
        disagree = 0
        for d in docs:
            if comparable(starrules.evaluate(std, d)) != comparable(starrules.evaluate(std, d, engine="durable")):
                disagree += 1
        if disagree:
            status = 1

        def native(std: starrules.Standard = std, docs: list = docs) -> None:
            for d in docs:
                starrules.evaluate(std, d)

        def durable(std: starrules.Standard = std, docs: list = docs) -> None:
            for d in docs:
                starrules.evaluate(std, d, engine="durable")

        t_native = best_of(native, args.repeat) / len(docs)
        t_durable = best_of(durable, args.repeat) / len(docs)
        note = f"   {disagree} DISAGREE" if disagree else ""
        print(f"{sid:<16} {len(docs):>8} {t_native * 1e6:>17.0f} {t_durable * 1e6:>18.0f} "
              f"{t_durable / t_native:>6.2f}{note}")
    return status


if __name__ == "__main__":
    sys.exit(main())
