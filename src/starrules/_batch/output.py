"""The OUT file: JSONL, one line per input document in input order, complete lines only.

Lines are buffered and written in blocks with SIGINT deferred around each write, so an
interrupted run leaves whole lines; :meth:`OutWriter.interrupted` then appends the closing
``{"summary": {...}}`` line that marks the file as incomplete (see docs/batch.md).
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BLOCK = 1 << 20


@contextmanager
def deferred_sigint() -> Iterator[None]:
    """Hold a Ctrl-C until the block is done (main thread only), then raise it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


class OutWriter:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._file = open(self.path, "wb")
        self._buf: list[bytes] = []
        self._size = 0
        self.lines = 0  # lines on disk

    def write(self, line: bytes) -> None:
        """One line (UTF-8, without its newline)."""
        data = line + b"\n"
        self._buf.append(data)
        self._size += len(data)
        if self._size >= BLOCK:
            self.flush()

    def flush(self) -> None:
        with deferred_sigint():
            self._write_buffer()

    def _write_buffer(self) -> None:
        if self._buf:
            self._file.write(b"".join(self._buf))
            self.lines += len(self._buf)
            self._buf = []
            self._size = 0
        self._file.flush()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def close(self) -> None:
        if not self._file.closed:
            self.flush()
            self._file.close()

    def interrupted(self, *, standard: str, quota_declared: bool, quota_applied: bool) -> dict[str, Any]:
        """Write what is buffered, then the closing summary line of an incomplete OUT.
        Call with SIGINT ignored. Returns that summary."""
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
        self._file.flush()
        self._file.close()
        return summary
