"""Impact throughput: ``starrules diff A B --population`` against two ``starrules batch`` runs.

    python bench/impact.py [--n 10000] [--a prov-2023] [--b port-group-2023] [--seed 1] [--workers N]

Generates N branches (bench/generate.py) as JSONL in a temporary folder, then, in this one
process, runs the click commands themselves (no progress bar, stdout captured):

1. ``starrules batch IN -s A -o OUT_A`` and ``starrules batch IN -s B -o OUT_B``: what a
   person would do without ``diff`` (rate twice, then compare the two files by hand);
2. ``starrules diff A B --population IN --format json -o IMPACT``: both ratings, the
   transition matrix, flip counts and affected branches in one pass;

and prints each time, the ratio of the impact time to the two batch runs together, and
the peak RSS of this process (the impact keeps only aggregates and a bounded list).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import run_cli as run
from generate import generate


def write_jsonl(path: Path, n: int, seed: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(doc, ensure_ascii=False) + "\n" for doc in generate(n, seed=seed))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--a", default="prov-2023")
    ap.add_argument("--b", default="port-group-2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="default: the CPUs available")
    args = ap.parse_args()
    workers = ["--workers", str(args.workers)] if args.workers else []

    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        inp = where / "in.jsonl"
        write_jsonl(inp, args.n, args.seed)
        t_a, code_a = run(["batch", str(inp), "-s", args.a, "-o", str(where / "a.jsonl"), *workers])
        t_b, code_b = run(["batch", str(inp), "-s", args.b, "-o", str(where / "b.jsonl"), *workers])
        t_i, code_i = run(["diff", args.a, args.b, "--population", str(inp), "--format", "json",
                           "-o", str(where / "impact.json"), *workers])
        impact = json.loads((where / "impact.json").read_text(encoding="utf-8"))["impact"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = args.n
    print(f"{n} branches, {args.a} → {args.b} (seed {args.seed}); {os.cpu_count()} CPUs, "
          f"--workers {args.workers or len(os.sched_getaffinity(0))}; exits {code_a} {code_b} {code_i}")
    print(f"batch {args.a:<16}: {t_a:7.1f} s  ({1e3 * t_a / n:.2f} ms each)")
    print(f"batch {args.b:<16}: {t_b:7.1f} s  ({1e3 * t_b / n:.2f} ms each)")
    print(f"diff --population     : {t_i:7.1f} s  ({1e3 * t_i / n:.2f} ms each); {impact['changed']} of "
          f"{impact['rated']} moved")
    print(f"ratio                 : {t_i / (t_a + t_b):7.2f} × the two batch runs' time")
    print(f"peak RSS              : this process {rss:.0f} MiB")


if __name__ == "__main__":
    main()
