"""evaluate_many: input order, sources, error rows that never stop the others."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import starrules
from starrules._batch.items import BatchItem

from ._support import EXAMPLES, example, json_line, standard, write_jsonl

EXAMPLE_FILES = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))


def test_exported() -> None:
    assert "evaluate_many" in starrules.__all__ and "BatchItem" in starrules.__all__
    assert starrules.BatchItem is BatchItem


def test_files_in_input_order_same_results_as_evaluate() -> None:
    std = standard("prov-2023")
    items = list(starrules.evaluate_many(std, EXAMPLE_FILES, workers=1))
    assert [i.index for i in items] == list(range(len(EXAMPLE_FILES)))
    assert [i.source for i in items] == EXAMPLE_FILES
    for item, path in zip(items, EXAMPLE_FILES):
        assert item.ok and item.error is None
        assert item.result.model_dump_json() == starrules.evaluate(std, path).model_dump_json()


def test_directory_source_is_sorted_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("z.yaml", "a.yaml", "b/m.json", ".hidden/x.yaml", "notes.txt"):
        doc = example("three-star-branch")
        doc["branch"]["id"] = name
        (tmp_path / name).write_text(json_line(doc), encoding="utf-8")
    items = list(starrules.evaluate_many("prov-2023", tmp_path))
    assert [Path(i.source).relative_to(tmp_path).as_posix() for i in items] == ["a.yaml", "z.yaml", "b/m.json"]
    assert [i.result.branch.id for i in items] == ["a.yaml", "z.yaml", "b/m.json"]


def test_error_rows_do_not_stop_the_others(tmp_path: Path) -> None:
    good = example("three-star-branch")
    wrong_type = example("pending-branch")
    wrong_type["year"] = "2023"
    no_id = example("veto-branch")
    del no_id["branch"]["id"]
    dup = example("three-star-branch")
    lines = [
        json_line(good),
        '{"branch": {"id": "X"}, "year": 2023,',  # malformed
        json_line(wrong_type),
        "",  # blank lines are skipped
        json_line(no_id),
        json_line(dup),  # same branch.id as line 1
        "[1, 2]",
        json_line(example("five-star-branch")),
    ]
    path = write_jsonl(tmp_path / "in.jsonl", lines)
    items = list(starrules.evaluate_many("prov-2023", path))
    assert [i.source for i in items] == [1, 2, 3, 5, 6, 7, 8]
    assert [i.index for i in items] == list(range(7))
    assert [i.ok for i in items] == [True, False, False, False, False, False, True]
    codes = [i.error[0]["code"] if i.error else None for i in items]
    assert codes == [None, "json-syntax", "facts-type", "facts-missing", "batch-duplicate-branch",
                     "facts-not-mapping", None]
    malformed = items[1].error[0]
    assert (malformed["file"], malformed["line"]) == (str(path), 2)
    assert malformed["message"]["zh"].startswith("JSON 语法错误") and malformed["message"]["en"].startswith("JSON")
    assert malformed["fix"]["zh"] and malformed["fix"]["en"]
    assert items[2].error[0]["path"] == "year" and items[2].error[0]["line"] == 3
    assert items[3].error[0]["path"] == "branch.id"
    dup_problem = items[4].error[0]
    assert dup_problem["line"] == 6 and f"{path}:1" in dup_problem["message"]["en"]
    assert good["branch"]["id"] in dup_problem["message"]["zh"]
    assert items[6].result.outcome == "met"


def test_rejected_first_occurrence_does_not_make_the_next_a_duplicate() -> None:
    bad = example("three-star-branch")
    bad["year"] = "x"
    items = list(starrules.evaluate_many("prov-2023", [bad, example("three-star-branch")]))
    assert [i.ok for i in items] == [False, True]


def test_documents_and_labelled_pairs() -> None:
    items = list(starrules.evaluate_many("prov-2023", [example("three-star-branch"), ("mine", example("veto-branch")),
                                                       42]))
    assert [i.source for i in items] == [None, "mine", None]
    assert items[1].result.outcome == "not_met"
    assert items[2].error[0]["code"] == "facts-not-mapping"


def test_bad_standard_fails_at_once() -> None:
    with pytest.raises(starrules.NotFoundError):
        starrules.evaluate_many("no-such-standard", [])


def test_missing_input_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(starrules.FactsError):
        starrules.evaluate_many("prov-2023", tmp_path / "absent.jsonl")


def test_family_picks_the_version_per_document() -> None:
    d23 = example("three-star-branch")
    d24 = example("pharma-young-branch")
    d24["year"] = 2024
    d19 = example("veto-branch")
    d19["year"] = 1999
    items = list(starrules.evaluate_many("prov", [d23, d24, d19]))
    assert items[0].result.standard.id == "prov-2023"
    assert items[1].result.standard.id == "prov-2024"
    assert items[2].error[0]["code"] == "no-version-for-year"


def test_jsonl_line_details(tmp_path: Path) -> None:
    doc = example("three-star-branch")
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json_line(doc).encode() + b"\n" + b'{"a": NaN}\n' + b"\xff\xfe\n")
    items = list(starrules.evaluate_many("prov-2023", path))
    assert items[0].ok  # a BOM on the first line is fine
    assert items[1].error[0]["code"] == "json-syntax"
    assert items[2].error[0]["code"] == "encoding"
    assert json.dumps([i.error for i in items[1:]], ensure_ascii=False)  # JSON-ready


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_an_error_row(tmp_path: Path) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text(json_line(example("three-star-branch")), encoding="utf-8")
    locked.chmod(0)
    items = list(starrules.evaluate_many("prov-2023", [locked, EXAMPLE_FILES[0]]))
    assert items[0].error[0]["code"] == "file-unreadable" and items[1].ok


def test_unreadable_file_problem_renders_both_languages() -> None:
    from starrules._batch.sources import unreadable

    p = unreadable("x.json", PermissionError(13, "Permission denied"))
    assert p.message("zh") == "无法读取文件 x.json：Permission denied" and "cannot read" in p.message("en")
