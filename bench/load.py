"""Load + compile time of a standard in a fresh process, by how lark's parser is made.

    python bench/load.py [--standard prov-2023] [--runs 7]

Each run is a new Python process that imports starrules, then times
``load_standard(standard)`` (parse, check and compile every expression; the first parse
makes lark's parser).  Three ways of making the parser, measured in the same run:

* ``tables``  – the shipped ``grammar_tables.json`` (what starrules does);
* ``grammar`` – analysed from ``grammar.lark`` every time (the baseline);
* ``lark-cache`` – lark's own ``cache=True`` pickle (what starrules used to do; here in a
  private temporary directory, warmed by a first run).

Bytecode goes to a private ``PYTHONPYCACHEPREFIX`` warmed by a first run, as an installed
package would have it.  Prints the median milliseconds and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, sys, time
mode, standard = sys.argv[1], sys.argv[2]
import starrules
from starrules._lang import tables
if mode == "grammar":
    tables.load = tables.build
elif mode == "lark-cache":
    import lark
    tables.load = lambda: lark.Lark(tables.grammar_bytes().decode("utf-8"), cache=True, **tables.OPTIONS)
t0 = time.perf_counter()
starrules.load_standard(standard)
print(json.dumps({"load": time.perf_counter() - t0}))
"""


def run(mode: str, standard: str, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, mode, standard], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(json.loads(out)["load"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--standard", default="prov-2023")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(SRC), PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"), TMPDIR=tmp)
        modes = ("tables", "grammar", "lark-cache")
        for mode in modes:  # warm the bytecode and lark's cache
            run(mode, args.standard, env)
        times: dict[str, list[float]] = {m: [] for m in modes}
        for _ in range(args.runs):  # interleaved, so that other load hits every mode alike
            for mode in modes:
                times[mode].append(run(mode, args.standard, env))
    base = statistics.median(times["grammar"])
    print(f"load_standard({args.standard!r}) in a fresh process, median of {args.runs}:")
    for mode in modes:
        med = statistics.median(times[mode])
        print(f"  {mode:<11} {med * 1000:7.1f} ms   (min {min(times[mode]) * 1000:6.1f})   "
              f"x{med / base:.2f} of grammar")


if __name__ == "__main__":
    main()
