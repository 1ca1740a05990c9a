"""Reading facts workbooks (.xlsx) against reading the same facts from YAML files.

    python bench/xlsx.py [--n 1000] [--standard prov-2023] [--seed 1] [--repeat 3]

Generates ``--n`` branches (bench/generate.py), writes each one as a facts workbook through
the library's writer (``starrules._workbook.write.write_workbook``, what ``facts convert``
uses) and as a YAML file (``starrules._facts.write.to_yaml``) into a temporary folder, then
times reading every file with ``read_facts`` (the path evaluate and batch take), best of
``--repeat``, and prints both times and their ratio.  Also checks that both readings give
the same validated facts.  Writing time is printed for information.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_of
from generate import generate

import starrules
from starrules._facts.read import read_facts
from starrules._facts.write import to_yaml
from starrules._workbook.write import write_workbook


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--standard", default="prov-2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    std = starrules.load_standard(args.standard)
    year = int(std.resolved.effective.from_.year)
    docs = [json.loads(json.dumps(d), parse_float=Decimal) for d in generate(args.n, args.seed, year)]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        books, yamls = [], []
        t0 = time.perf_counter()
        for i, doc in enumerate(docs):
            book = root / f"{i:06d}.xlsx"
            write_workbook(book, std, doc)
            books.append(book)
        t_write_xlsx = time.perf_counter() - t0
        t0 = time.perf_counter()
        for i, doc in enumerate(docs):
            y = root / f"{i:06d}.yaml"
            y.write_text(to_yaml(doc), encoding="utf-8")
            yamls.append(y)
        t_write_yaml = time.perf_counter() - t0

        check = std.compiled.validator.validate
        for book, y in zip(books[:50], yamls[:50]):
            assert check(read_facts(book)[0]).values == check(read_facts(y)[0]).values, book

        t_xlsx = best_of(lambda: [read_facts(b) for b in books], args.repeat)
        t_yaml = best_of(lambda: [read_facts(y) for y in yamls], args.repeat)
        size_x = sum(b.stat().st_size for b in books) / len(books)
        size_y = sum(y.stat().st_size for y in yamls) / len(yamls)

    n = args.n
    print(f"{n} branches of {std.id} (seed {args.seed}), best of {args.repeat}")
    print(f"  read xlsx (python-calamine): {t_xlsx:8.3f} s  {1000 * t_xlsx / n:7.2f} ms/branch  "
          f"({size_x / 1024:.0f} KiB a file)")
    print(f"  read YAML (PyYAML, located): {t_yaml:8.3f} s  {1000 * t_yaml / n:7.2f} ms/branch  "
          f"({size_y / 1024:.0f} KiB a file)")
    print(f"  ratio xlsx / YAML: {t_xlsx / t_yaml:.2f}")
    print(f"  (writing: xlsx {t_write_xlsx:.1f} s, YAML {t_write_yaml:.1f} s)")


if __name__ == "__main__":
    main()
