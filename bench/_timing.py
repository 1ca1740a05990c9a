"""Timing helper shared by the benchmark scripts."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run_cli(args: list[str]) -> tuple[float, int]:
    """Run a ``starrules`` command in this process (the click command itself, its output
    discarded): its wall time in seconds and its exit code."""
    from starrules._cli.main import cli

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            cli.main(args, standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return time.perf_counter() - t0, code
