"""The small findings of issue 20: verify's absent marker, a BOM in a result, report anchors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import starrules

from ._support import FACTS, no_traceback


def _recorded(tmp_path: Path) -> dict[str, Any]:
    return json.loads(starrules.evaluate("prov-2023", FACTS, embed_facts=True).to_json())


def test_a_value_equal_to_the_absent_marker_is_still_a_difference(tmp_path: Path) -> None:
    data = _recorded(tmp_path)
    for marker in ("<absent>", None, ""):
        data["extra"] = marker  # a field the fresh result does not have
        path = tmp_path / "r.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        rep = starrules.verify(path)
        assert not rep.identical, marker
        (d,) = rep.differences
        assert (d.path, d.recorded, d.recorded_absent, d.now, d.now_absent) == ("extra", marker, False, None, True)


def test_a_field_missing_from_the_record_is_a_difference(tmp_path: Path, run_cli: Any) -> None:
    data = _recorded(tmp_path)
    del data["score"]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rep = starrules.verify(path)
    assert [(d.path, d.recorded_absent, d.now_absent) for d in rep.differences] == [("score", True, False)]
    res = run_cli("verify", path, "--lang", "en")
    assert res.exit_code == 1 and "(absent)" in res.stdout


def test_a_result_with_a_bom_verifies(tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_recorded(tmp_path), ensure_ascii=False).encode("utf-8"))
    assert starrules.verify(path).identical
    res = run_cli("verify", path)
    no_traceback(res)
    assert res.exit_code == 0, res.output


def test_a_result_that_is_not_utf8_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(json.dumps(_recorded(tmp_path)).encode("utf-16"))
    try:
        starrules.verify(path)
    except starrules.VerifyError as exc:
        assert [p.code for p in exc.problems] == ["encoding"]
    else:
        raise AssertionError("a UTF-16 result must be refused")


def test_report_anchors_are_unique_per_branch(tmp_path: Path) -> None:
    other = tmp_path / "same-id.yaml"  # the same branch twice (two years, say), and an id reading alike
    other.write_bytes(FACTS.read_bytes())
    text = FACTS.read_text(encoding="utf-8")
    branch_id = starrules.evaluate("prov-2023", FACTS).branch.id
    alike = tmp_path / "alike.yaml"
    alike.write_text(text.replace(f"id: {branch_id}", f"id: {branch_id}-rectification"), encoding="utf-8")
    html = starrules.report_html("prov-2023", [FACTS, other, alike])
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    hrefs = re.findall(r'href="#([^"]+)"', html)
    assert len(hrefs) == 3 and set(hrefs) <= set(ids) and len(set(hrefs)) == 3
