"""A console whose encoding cannot show ✓, ⊇ or ★ (GBK on Chinese Windows, latin-1) gets
replacement characters, never a UnicodeEncodeError traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1",
           "STARRULES_WIDTH": "120"}
    code = "import sys; from starrules._cli.main import main; sys.argv = ['starrules'] + sys.argv[1:]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("encoding", ["gbk", "latin-1", "ascii"])
@pytest.mark.parametrize("args", [
    ("validate", "standards/prov-2023.yaml"),
    ("evaluate", "examples/five-star-branch.yaml", "--standard", "prov-2023"),
    ("explain", "examples/three-star-branch.yaml", "--standard", "prov-2023", "--indicator", "ACT-03"),
], ids=["validate", "evaluate", "explain"])
def test_no_unicode_error_on_a_narrow_console(encoding: str, args: tuple[str, ...]) -> None:
    got = run(encoding, *args)
    err = got.stderr.decode(encoding, "replace")
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    assert got.returncode == 0, err
    assert got.stdout.strip()
