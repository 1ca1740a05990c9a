"""Load test of ``POST /api/evaluate``: requests per second with concurrent clients, against
the in-process ``starrules.evaluate`` of the same documents, and no error allowed.

    python bench/web_load.py [--n 400] [--clients 8] [--standard prov-2023] [--seed 1] [--max-seconds 90]

Starts ``starrules serve`` on 127.0.0.1 at a free port (a separate process, so that the
clients do not share its interpreter), sends ``--n`` generated branches (JSON) from
``--clients`` threads with one httpx client each, and checks every response: status 200
and the very bytes of ``Result.model_dump_json()`` computed in process.  Bounded: at most
``--n`` requests and ``--max-seconds`` seconds in all (the clients stop at the deadline).
Exit status 1 when any request failed or differed.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _server import serving  # noqa: E402
from generate import generate  # noqa: E402

import starrules  # noqa: E402
from starrules._facts.read import parse_json  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400, help="requests in all")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--standard", default="prov-2023")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=90.0, help="stop the clients after this long")
    args = ap.parse_args()

    bodies = [json.dumps(d, ensure_ascii=False).encode("utf-8") for d in generate(args.n, seed=args.seed)]
    std = starrules.load_standard(args.standard)
    starrules.evaluate(std, parse_json(bodies[0].decode()))  # warm up
    t0 = time.perf_counter()
    expected = [starrules.evaluate(std, parse_json(b.decode("utf-8"))).model_dump_json().encode() for b in bodies]
    t_lib = time.perf_counter() - t0

    with serving() as base:
        url = f"{base}/api/evaluate?standard={args.standard}"
        httpx.post(url, content=bodies[0], headers={"content-type": "application/json"}, timeout=60)  # warm up
        errors: list[str] = []
        done = [0]
        lock = threading.Lock()
        deadline = time.monotonic() + args.max_seconds

        def client(k: int) -> None:
            with httpx.Client(timeout=60, headers={"content-type": "application/json"}) as c:
                for i in range(k, len(bodies), args.clients):
                    if time.monotonic() > deadline:
                        return
                    try:
                        r = c.post(url, content=bodies[i])
                        problem = None if r.status_code == 200 and r.content == expected[i] else (
                            f"#{i}: HTTP {r.status_code}" + ("" if r.status_code != 200 else " (different bytes)"))
                    except httpx.HTTPError as exc:
                        problem = f"#{i}: {type(exc).__name__}: {exc}"
                    with lock:
                        done[0] += 1
                        if problem:
                            errors.append(problem)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        t_web = time.perf_counter() - t0
    lib_rate = len(bodies) / t_lib
    web_rate = done[0] / t_web if t_web else 0.0
    print(f"standard {args.standard}, {len(bodies)} generated branches (seed {args.seed}), JSON bodies")
    print(f"  in-process starrules.evaluate   {lib_rate:8.1f} /s  (parse + evaluate, one thread)")
    print(f"  POST /api/evaluate, {args.clients} clients {web_rate:8.1f} /s  ratio {web_rate / lib_rate:5.2f}x"
          f"  ({done[0]} requests in {t_web:.1f} s, server on 127.0.0.1)")
    print(f"  errors: {len(errors)}" + ("" if done[0] == len(bodies) else f" (stopped at the deadline after {done[0]})"))
    for e in errors[:10]:
        print("   ", e)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
