"""Outputs never destroy an input, appear only when complete, and fail with a located error
(issue 20: "input destroyed")."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from starrules._errors import OutputError
from starrules._files import AtomicFile, check_outputs, write_atomic

from ._support import FACTS, example, read_out, write_jsonl
from ._support import no_traceback as _no_traceback


def _jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "x.jsonl", [example(n) for n in ("pending-branch", "veto-branch")])


def test_batch_output_equal_to_its_input_is_refused(tmp_path: Path, run_cli: Any) -> None:
    inp = _jsonl(tmp_path)
    before = inp.read_bytes()
    res = run_cli("batch", inp, "-s", "prov-2023", "-o", inp, "--lang", "en")
    _no_traceback(res)
    assert res.exit_code == 1
    assert "output-over-input" in res.stderr and "would overwrite the input" in res.stderr
    assert inp.read_bytes() == before


def test_batch_output_through_another_spelling_or_a_hard_link_is_refused(tmp_path: Path, run_cli: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    inp = _jsonl(tmp_path)
    before = inp.read_bytes()
    os.link(inp, tmp_path / "link.jsonl")
    monkeypatch.chdir(tmp_path)
    for out in ("./x.jsonl", str(tmp_path / "." / "x.jsonl"), "link.jsonl"):
        res = run_cli("batch", "x.jsonl", "-s", "prov-2023", "-o", out)
        assert res.exit_code == 1 and "output-over-input" in res.stderr, (out, res.output)
    assert inp.read_bytes() == before


def test_summary_csv_equal_to_the_output_or_the_input_is_refused(tmp_path: Path, run_cli: Any) -> None:
    inp = _jsonl(tmp_path)
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", inp, "-s", "prov-2023", "-o", out, "--summary-csv", out, "--lang", "en")
    assert res.exit_code == 1 and "output-over-input" in res.stderr and "--summary-csv" in res.stderr
    assert not out.exists()
    before = inp.read_bytes()
    res = run_cli("batch", inp, "-s", "prov-2023", "-o", out, "--summary-csv", inp, "--lang", "en")
    assert res.exit_code == 1 and "output-over-input" in res.stderr
    assert inp.read_bytes() == before and not out.exists()


def test_an_output_inside_an_input_folder_is_refused(tmp_path: Path, run_cli: Any) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.yaml").write_bytes(FACTS.read_bytes())
    for out in (folder / "out.json", folder / "sub" / "out.json"):
        res = run_cli("batch", folder, "-s", "prov-2023", "-o", out)
        _no_traceback(res)
        assert res.exit_code == 1 and "output-over-input" in res.stderr
        assert not out.exists()


def test_an_output_inside_a_standards_folder_is_refused(tmp_path: Path, run_cli: Any) -> None:
    inp = _jsonl(tmp_path)
    stds = tmp_path / "stds"
    stds.mkdir()
    res = run_cli("batch", inp, "-s", "prov-2023", "-o", stds / "x.yaml", "--standards-dir", stds)
    assert res.exit_code == 1 and "output-over-input" in res.stderr


def test_report_over_its_facts_is_refused(tmp_path: Path, run_cli: Any) -> None:
    facts = tmp_path / "FACTS.yaml"
    facts.write_bytes(FACTS.read_bytes())
    res = run_cli("report", facts, "-s", "prov-2023", "-o", facts, "--lang", "en")
    _no_traceback(res)
    assert res.exit_code == 1 and "output-over-input" in res.stderr
    assert facts.read_bytes() == FACTS.read_bytes()


def test_schema_over_its_standard_file_is_refused(tmp_path: Path, run_cli: Any, repo_root: Path) -> None:
    std = tmp_path / "s.yaml"
    std.write_bytes((repo_root / "tests" / "fixtures" / "valid" / "mini.yaml").read_bytes())
    before = std.read_bytes()
    res = run_cli("schema", "facts", "-s", std, "-o", std)
    assert res.exit_code == 1 and "output-over-input" in res.stderr
    assert std.read_bytes() == before


def test_report_and_schema_are_written_whole(tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "r.html"
    res = run_cli("report", FACTS, "-s", "prov-2023", "-o", out)
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    schema = tmp_path / "s.json"
    assert run_cli("schema", "-o", schema).exit_code == 0
    assert json.loads(schema.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "s.json"]  # no temporary file left


@pytest.mark.parametrize("command", ["batch", "report", "schema"])
def test_a_missing_output_folder_is_a_located_error(tmp_path: Path, run_cli: Any, command: str) -> None:
    out = tmp_path / "no" / "such" / "out.txt"
    args = {"batch": ("batch", _jsonl(tmp_path), "-s", "prov-2023", "-o", out),
            "report": ("report", FACTS, "-s", "prov-2023", "-o", out),
            "schema": ("schema", "-o", out)}[command]
    res = run_cli(*args, "--lang", "en")
    _no_traceback(res)
    assert res.exit_code == 1
    assert f"{out} output-unwritable cannot write {out}" in " ".join(res.stderr.split())


def test_an_output_that_is_a_folder_or_a_device(tmp_path: Path, run_cli: Any) -> None:
    res = run_cli("schema", "-o", tmp_path, "--lang", "en")
    assert res.exit_code in (1, 2) and "Traceback" not in res.output  # click refuses a folder itself
    res = run_cli("batch", _jsonl(tmp_path), "-s", "prov-2023", "-o", "/dev/zero", "--lang", "en")
    _no_traceback(res)
    assert res.exit_code == 1 and "not-a-regular-file" in res.stderr


class _FullDisk:
    """A file object whose writes fail as on a full disk."""

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self) -> None:
        pass


def test_a_full_disk_keeps_the_previous_file_and_leaves_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_bytes(b"previous\n")
    f = AtomicFile(target)
    f.write(b"half")
    f._file.close()
    f._file = _FullDisk()  # type: ignore[assignment]
    with pytest.raises(OutputError) as info:
        f.write(b"more")
    (p,) = info.value.problems
    assert p.code == "output-unwritable" and p.file == str(target) and "no space left" in p.message("en")
    assert target.read_bytes() == b"previous\n"
    assert sorted(q.name for q in tmp_path.iterdir()) == ["out.jsonl"]


def test_a_failed_batch_keeps_the_previous_out(tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"previous": true}\n')

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    res = run_cli("batch", _jsonl(tmp_path), "-s", "prov-2023", "-o", out, "--lang", "en")
    _no_traceback(res)
    assert res.exit_code == 1 and "output-unwritable" in res.stderr and "no space left" in res.stderr
    assert out.read_bytes() == b'{"previous": true}\n'
    assert sorted(q.name for q in tmp_path.iterdir()) == ["out.jsonl", "x.jsonl"]


def test_two_writers_to_one_file_leave_one_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    a, b = AtomicFile(target), AtomicFile(target)
    for i in range(100):  # interleaved, as two concurrent runs would
        a.write(b"a%d\n" % i)
        b.write(b"b%d\n" % i)
    a.commit()
    assert target.read_bytes() == b"".join(b"a%d\n" % i for i in range(100))
    b.commit()
    assert target.read_bytes() == b"".join(b"b%d\n" % i for i in range(100))
    assert sorted(q.name for q in tmp_path.iterdir()) == ["out.jsonl"]


def test_an_output_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and (target.stat().st_mode & 0o777) == 0o640
    fresh = tmp_path / "fresh.txt"
    write_atomic(fresh, "x")
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_check_outputs_names_every_clash(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        check_outputs([("-o", inp), ("--summary-csv", tmp_path / "s.csv"), ("--x", tmp_path / "s.csv")], [inp])
    assert sorted((p.code, p.path) for p in info.value.problems) == [("output-over-input", "--x"),
                                                                     ("output-over-input", "-o")]
    check_outputs([("-o", tmp_path / "out.jsonl")], [inp, tmp_path / "missing-folder"])  # no clash


def test_a_complete_batch_then_an_interrupted_one_each_leave_a_whole_out(tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", _jsonl(tmp_path), "-s", "prov-2023", "-o", out)
    assert res.exit_code == 0, res.output
    assert len(read_out(out)) == 2
