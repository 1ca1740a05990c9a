"""OUT is written in whole lines; a Ctrl-C during a write waits for the write to end."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from starrules._batch.output import OutWriter, deferred_sigint


def test_a_sigint_inside_the_block_is_raised_after_it() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), deferred_sigint():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("block finished")
    assert done == ["block finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_writer_blocks_and_interrupted_trailer(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    w = OutWriter(out)
    for i in range(3):
        w.write(json.dumps({"source": i, "result": {"x": "支部" * 10}}, ensure_ascii=False).encode())
    assert out.read_bytes() == b""  # buffered
    w.flush()
    assert w.lines == 3
    w.write(b'{"source": 3, "error": []}')
    info = w.interrupted(standard="city-2023", quota_declared=True, quota_applied=False)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and info["rows"] == 4
    assert json.loads(lines[-1]) == {"summary": info}
    assert info["complete"] is False and info["quota_applied"] is False
