"""OUT is written in whole lines, under its name only when the run is over; a Ctrl-C (or a
SIGTERM) during a write waits for the write to end."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from starrules._batch.output import OutWriter, deferred_signals, ignored_signals


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_signal_inside_the_block_is_raised_after_it(signum: int) -> None:
    before = signal.getsignal(signal.SIGTERM)
    done = []
    with pytest.raises(KeyboardInterrupt), deferred_signals():
        os.kill(os.getpid(), signum)
        done.append("block finished")
    assert done == ["block finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) == before


def test_stop_signals_are_ignored_inside_the_closing_block() -> None:
    done = []
    with ignored_signals():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        done.append("block finished")
    assert done == ["block finished"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_writer_blocks_and_interrupted_trailer(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    w = OutWriter(out)
    for i in range(3):
        w.write(json.dumps({"source": i, "result": {"x": "支部" * 10}}, ensure_ascii=False).encode())
    w.flush()
    assert w.lines == 3
    assert not out.exists()  # only once the run is over
    w.write(b'{"source": 3, "error": []}')
    info = w.interrupted(standard="city-2023", quota_declared=True, quota_applied=False)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and info["rows"] == 4
    assert json.loads(lines[-1]) == {"summary": info}
    assert info["complete"] is False and info["quota_applied"] is False
    assert w.interrupted(standard="city-2023", quota_declared=True, quota_applied=False) is info  # once only
    assert out.read_text(encoding="utf-8").splitlines() == lines


@pytest.mark.parametrize("commit", [True, False])
def test_out_replaces_the_previous_one_only_when_committed(tmp_path: Path, commit: bool) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"old": 1}\n')
    w = OutWriter(out)
    w.write(b'{"new": 1}')
    w.flush()
    assert out.read_bytes() == b'{"old": 1}\n'
    w.commit() if commit else w.abort()  # a complete run, or a failed one
    assert out.read_bytes() == (b'{"new": 1}\n' if commit else b'{"old": 1}\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
