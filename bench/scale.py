"""Dask against ``starrules batch`` on the same data, and a simulation of the population rules
at national scale (docs/scale.md).

    python bench/scale.py [--n 4000] [--standard city-2023] [--workers 2] [--simulate 1000000]

1. Generates N branches (bench/generate.py) as one JSONL file and rates it twice in this
   run: with the batch's process pool (``BatchRun``, ``--workers`` processes) and with
   ``starrules.dask.rate`` on a LocalCluster of as many single-threaded worker processes
   (cluster start-up timed apart).  Checks that the lines are equal and prints both
   throughputs and the Dask overhead as a ratio.
2. Simulates the population rules for ``--simulate`` branches without rating them: rows
   with a branch id, a unit (the quota's scope) and, for 30 %, a rank key, in partitions of
   2 000, reduced by the same tally/merge/decide code the Dask path runs, in this process.
   Prints its time and peak memory (tracemalloc), and the extrapolation to 5 million
   organisations with the per-branch cost measured in step 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from starrules._batch.items import Meta, Row  # noqa: E402
from starrules._batch.run import BatchRun  # noqa: E402
from starrules._batch.sources import iter_input  # noqa: E402
from starrules._batch.workers import StandardRef  # noqa: E402
from starrules._dask.rate import decide  # noqa: E402
from starrules._dask.tally import merge_all, tally  # noqa: E402

NATIONAL = 5_000_000


def rate_both(n: int, standard: str, workers: int, seed: int) -> dict[str, float]:
    import starrules.dask as sd
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "branches.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for doc in generate(n, seed=seed):
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
        t0 = time.perf_counter()
        with BatchRun(standard, iter_input(path), mode="json", workers=workers, parallel_min=1) as run:
            batch = [row.payload for row in run]
        t_batch = time.perf_counter() - t0
        out_bytes = sum(len(line) + 1 for line in batch)

        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
        t_start = time.perf_counter() - t0
        try:
            t0 = time.perf_counter()
            lines = sd.rate(str(path), standard).compute()
            t_dask = time.perf_counter() - t0
        finally:
            client.close()
            cluster.close()
        if lines != [b.decode("utf-8") for b in batch]:
            raise SystemExit("the Dask lines differ from the batch's")
    return {"batch": t_batch, "dask": t_dask, "start": t_start, "bytes_per_branch": out_bytes / n}


def simulate(n: int, partition: int = 2000, units: int = 500, seed: int = 0) -> tuple[float, int]:
    """Seconds and peak bytes of the population rules (tally, tree merge, decide) over n rows
    (the standard is loaded once before timing; generating the synthetic rows is timed too)."""
    reduce_population(n, partition, units, seed)  # once untraced, for the time
    t0 = time.perf_counter()
    reduce_population(n, partition, units, seed)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    reduce_population(n, partition, units, seed)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak


def reduce_population(n: int, partition: int, units: int, seed: int) -> None:
    rng = random.Random(seed)
    tallies = []
    for k in range(0, n, partition):
        rows = []
        for i in range(k, min(n, k + partition)):
            five = rng.random() < 0.3
            meta = Meta("city-2023", f"B{i:08d}", "met", 5 if five else 4, None, (),
                        (rng.randrange(60, 100), rng.randrange(100), f"B{i:08d}") if five else None,
                        f"U{rng.randrange(units):04d}")
            rows.append(Row(i - k, i + 1, b"", None, meta))
        tallies.append(tally(k // partition, rows))
    while len(tallies) > 1:
        tallies = [merge_all(tallies[j:j + 8]) for j in range(0, len(tallies), 8)]
    decide(tallies[0], StandardRef("city-2023"), None, True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--standard", default="city-2023")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--simulate", type=int, default=1_000_000)
    args = ap.parse_args(argv)

    t = rate_both(args.n, args.standard, args.workers, args.seed)
    per_core_batch = t["batch"] * args.workers / args.n
    per_core_dask = t["dask"] * args.workers / args.n
    print(f"{args.n} branches, {args.standard}, {args.workers} workers (equal lines: yes)")
    print(f"  batch (process pool)   {t['batch']:7.2f} s  {args.n / t['batch']:8.0f} branches/s")
    print(f"  dask (LocalCluster)    {t['dask']:7.2f} s  {args.n / t['dask']:8.0f} branches/s"
          f"   (+ cluster start {t['start']:.1f} s)")
    print(f"  dask / batch           {t['dask'] / t['batch']:7.2f}x")
    print(f"  per branch and core    {1e3 * per_core_dask:7.2f} ms (dask), {1e3 * per_core_batch:.2f} ms (batch)")
    print(f"  OUT per branch         {t['bytes_per_branch'] / 1024:7.1f} KiB")

    if args.simulate:
        seconds, peak = simulate(args.simulate)
        print(f"population rules for {args.simulate:,} branches (tally, tree merge, decide; in one process):")
        print(f"  {seconds:.1f} s, peak {peak / 2**20:.0f} MiB  ({peak / args.simulate:.0f} B per branch)")
        scale = NATIONAL / args.simulate
        print(f"5,000,000 organisations, extrapolated:")
        print(f"  rating          {NATIONAL * per_core_dask / 3600:7.1f} core-hours "
              f"({NATIONAL * per_core_dask / 3600 / 64:.2f} h on 64 cores)")
        print(f"  OUT (JSONL)     {NATIONAL * t['bytes_per_branch'] / 2**30:7.1f} GiB")
        print(f"  population rule {seconds * scale:7.1f} s, peak {peak * scale / 2**30:.1f} GiB in the reducing task")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
