"""Per-branch evaluation time: starrules (explanations on) against the hand-written baseline.

    python bench/evaluate.py [--n 2000] [--standard prov-2023] [--seed 1] [--profile]

Both run in this process on the same generated branches (parsed from JSON with exact
decimals), so the printed ratio compares like with like on this machine, now.  Also prints
the time to load and compile the standard (median of several loads; the first one also builds
lark's parser).  ``--profile`` prints
where the time of evaluate() goes instead (cProfile, the 30 costliest functions by own time).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of  # noqa: E402
from baseline import rate  # noqa: E402
from generate import generate  # noqa: E402

import starrules  # noqa: E402
from starrules._facts.read import parse_json  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--standard", default="prov-2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="profile evaluate() instead of timing it")
    args = ap.parse_args()

    docs = [parse_json(json.dumps(d)) for d in generate(args.n, seed=args.seed)]
    loads = []
    for _ in range(5):
        gc.collect()  # not the collection of the generated documents' garbage (up to 100 ms)
        t0 = time.perf_counter()
        std = starrules.load_standard(args.standard)
        loads.append(time.perf_counter() - t0)

    def run_starrules() -> None:
        for d in docs:
            starrules.evaluate(std, d)

    def run_evaluate_only() -> None:
        cs = std.compiled
        from starrules._evaluate.evaluate import evaluate_facts

        for vf in validated:
            evaluate_facts(cs, vf, facts_sha256="")

    def run_baseline() -> None:
        for d in docs:
            rate(args.standard, d)

    validated = [std.compiled.validator.validate(d) for d in docs]
    if args.profile:
        import cProfile
        import pstats

        run_starrules()  # warm up
        prof = cProfile.Profile()
        prof.runcall(run_starrules)
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return
    t_base = best_of(run_baseline, args.repeat) / args.n
    t_full = best_of(run_starrules, args.repeat) / args.n
    t_eval = best_of(run_evaluate_only, args.repeat) / args.n
    print(f"standard {args.standard}, {args.n} generated branches (seed {args.seed}), best of {args.repeat}")
    print(f"  load + compile standard      {statistics.median(loads) * 1e3:8.1f} ms (median of 5)")
    print(f"  baseline (hand-written)      {t_base * 1e6:8.0f} µs/branch")
    print(f"  starrules evaluate()         {t_full * 1e6:8.0f} µs/branch  ratio {t_full / t_base:5.1f}x"
          "  (validate + hash + rules + explanations + result model)")
    print(f"  starrules rules+explanations {t_eval * 1e6:8.0f} µs/branch  ratio {t_eval / t_base:5.1f}x"
          "  (facts already validated)")


if __name__ == "__main__":
    main()
