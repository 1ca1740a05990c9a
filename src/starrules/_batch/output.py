"""The OUT file: JSONL, one line per input document in input order, complete lines only.

Lines are buffered and written in blocks, with SIGINT and SIGTERM deferred around each
write, to a temporary file beside OUT (:class:`starrules._files.AtomicFile`); OUT appears
under its name only when the run is over: :meth:`OutWriter.commit` after a complete run, or
:meth:`OutWriter.interrupted`, which first appends the closing ``{"summary": {...}}`` line
that marks the file as incomplete (see docs/batch.md).  A crash or a full disk leaves the
previous OUT as it was, and two runs to one OUT each write a whole file (the last one wins).
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .._files import AtomicFile

BLOCK = 1 << 20


#: the signals that stop a batch: Ctrl-C and ``kill`` (both end it as interrupted, exit 130)
STOP_SIGNALS = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold a Ctrl-C (or SIGTERM) until the block is done (main thread only), then raise
    KeyboardInterrupt."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = [s for s in STOP_SIGNALS if signal.getsignal(s) is not signal.SIG_IGN]  # ignored ones stay ignored
    previous = [(s, signal.signal(s, lambda signum, frame: caught.append(signum))) for s in held]
    try:
        yield
    finally:
        for s, handler in previous:
            signal.signal(s, handler)
    if caught:
        raise KeyboardInterrupt



def ignore_stop_signals() -> None:
    """Ignore Ctrl-C and SIGTERM from now on (main thread only): for the closing writes of an
    interrupted run and its exit, which a repeated Ctrl-C must not cut short."""
    if threading.current_thread() is threading.main_thread():
        for s in STOP_SIGNALS:
            signal.signal(s, signal.SIG_IGN)


@contextmanager
def ignored_signals() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM in the block (main thread only): for the closing writes of
    an interrupted run, which a second Ctrl-C must not cut short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = [(s, signal.signal(s, signal.SIG_IGN)) for s in STOP_SIGNALS]
    try:
        yield
    finally:
        for s, handler in previous:
            signal.signal(s, handler)


class OutWriter:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = AtomicFile(self.path)
        self._buf: list[bytes] = []
        self._size = 0
        self.lines = 0  # lines on disk
        self._summary: dict[str, Any] | None = None

    def write(self, line: bytes) -> None:
        """One line (UTF-8, without its newline)."""
        data = line + b"\n"
        self._buf.append(data)
        self._size += len(data)
        if self._size >= BLOCK:
            self.flush()

    def flush(self) -> None:
        with deferred_signals():
            self._write_buffer()

    def _write_buffer(self) -> None:
        if self._buf:
            self._file.write(b"".join(self._buf))
            self.lines += len(self._buf)
            self._buf = []
            self._size = 0

    @property
    def closed(self) -> bool:
        return self._file.done

    def commit(self) -> None:
        """The run is complete: OUT takes its place (over any previous file of that name)."""
        if not self._file.done:
            with deferred_signals():
                self._write_buffer()
                self._file.commit()

    def abort(self) -> None:
        """The run failed: the temporary file goes, a previous OUT is left as it was."""
        self._file.abort()

    def interrupted(self, *, standard: str, quota_declared: bool, quota_applied: bool) -> dict[str, Any]:
        """Write what is buffered, then the closing summary line of an incomplete OUT.
        Call with the stop signals ignored (:func:`ignored_signals`). Returns that summary;
        called again (after a repeated interruption), returns it without writing."""
        if self._summary is not None:
            return self._summary
        self._write_buffer()
        rows = self.lines
        if quota_declared and not quota_applied:
            zh = (f"运行被中断：本文件只有前 {rows} 个输入的结果，不完整；未应用名额限制"
                  f"（其中的五星结果尚未按名额排名，不能作为最终星级）。")
            en = (f"The run was interrupted: this file holds the first {rows} inputs only and is incomplete; "
                  f"the quota was not applied (its five-star results are not final).")
        else:
            zh = f"运行被中断：本文件只有前 {rows} 个输入的结果，不完整。"
            en = f"The run was interrupted: this file holds the first {rows} inputs only and is incomplete."
        summary = {"complete": False, "interrupted": True, "rows": rows, "standard": standard,
                   "quota_declared": quota_declared, "quota_applied": quota_applied,
                   "message": {"zh": zh, "en": en}}
        self._file.write(json.dumps({"summary": summary}, ensure_ascii=False).encode("utf-8") + b"\n")
        self._file.commit()
        self._summary = summary
        return summary
