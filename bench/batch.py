"""Batch throughput: ``starrules batch`` against the hand-written baseline, with peak memory.

    python bench/batch.py [--n 100000] [--standard city-2023] [--seed 1] [--workers N]

Generates N realistic branches (bench/generate.py) as JSONL in a temporary folder, then,
in this one process:

1. runs ``starrules batch IN -s STANDARD -o OUT`` in-process (the click command itself:
   native engine, explanations on, quota, summary; no progress bar as stdout is captured);
2. runs the baseline over the same lines: ``parse_json`` + ``baseline.rate`` each (plus
   ``baseline.apply_quota`` for city-2023);

and prints both throughputs, their ratio, and the peak RSS of this process and of the
largest worker (``resource.getrusage``; the batch runs first, so this process's peak is
the batch's, before the baseline holds its results in memory).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import run_cli
from baseline import apply_quota, rate
from generate import generate

from starrules._facts.read import parse_json


def write_jsonl(path: Path, n: int, seed: int) -> int:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(doc, ensure_ascii=False) + "\n" for doc in generate(n, seed=seed))
    return path.stat().st_size


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def run_batch(inp: Path, out: Path, standard: str, workers: int | None) -> tuple[float, int]:
    args = ["batch", str(inp), "-s", standard, "-o", str(out)]
    if workers:
        args += ["--workers", str(workers)]
    return run_cli(args)


def run_baseline(inp: Path, standard: str) -> float:
    t0 = time.perf_counter()
    results, facts = [], []
    with open(inp, encoding="utf-8") as f:
        for line in f:
            doc = parse_json(line)
            results.append(rate(standard, doc))
            facts.append(doc)
    if standard == "city-2023":
        apply_quota(results, facts)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--standard", default="city-2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None, help="default: the CPUs available")
    ap.add_argument("--keep", type=Path, default=None,
                    help="write IN/OUT here instead of a temporary folder (and reuse IN made with the same --n/--seed)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        inp, out = where / "in.jsonl", where / "out.jsonl"
        stamp = where / "in.jsonl.made"
        t0 = time.perf_counter()
        if stamp.exists() and stamp.read_text() == f"{args.n} {args.seed}" and inp.exists():
            size = inp.stat().st_size  # --keep: the same branches as last time
        else:
            size = write_jsonl(inp, args.n, args.seed)
            stamp.write_text(f"{args.n} {args.seed}")
        gen = time.perf_counter() - t0
        rss0 = peak_mb(resource.RUSAGE_SELF)

        t_batch, code = run_batch(inp, out, args.standard, args.workers)
        rss_batch = peak_mb(resource.RUSAGE_SELF)
        rss_workers = peak_mb(resource.RUSAGE_CHILDREN)
        out_size = out.stat().st_size
        t_base = run_baseline(inp, args.standard)

    n = args.n
    workers = args.workers or len(os.sched_getaffinity(0))
    print(f"{n} branches of {args.standard} (seed {args.seed}); IN {size / 2**20:.0f} MiB JSONL "
          f"(generated in {gen:.1f} s), OUT {out_size / 2**20:.0f} MiB; {os.cpu_count()} CPUs, "
          f"--workers {workers}; exit {code}")
    print(f"starrules batch : {t_batch:8.1f} s  {n / t_batch:9,.0f} branches/s  ({1e3 * t_batch / n:.2f} ms each)")
    print(f"baseline        : {t_base:8.1f} s  {n / t_base:9,.0f} branches/s  ({1e3 * t_base / n:.2f} ms each)")
    print(f"ratio           : {t_batch / t_base:8.1f} × the baseline's time")
    print(f"peak RSS        : this process {rss_batch:.0f} MiB during the batch (before it: {rss0:.0f} MiB), "
          f"largest worker {rss_workers:.0f} MiB")


if __name__ == "__main__":
    main()
