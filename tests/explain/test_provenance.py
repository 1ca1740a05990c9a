"""Provenance: every result says which standard (and each layer file) and which facts made it,
by canonical hashes; nothing time-dependent is hashed; the same inputs give the same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import starrules
from starrules._api import read_document
from starrules._evaluate.evaluate import facts_hash
from starrules._evaluate.result import json_value
from starrules._standard.registry import shipped_root

from ._support import EXAMPLES, REPO, example

STANDARDS = ("prov-2023", "port-group-2023", "prov-2024", "city-2023")
HEX64 = set("0123456789abcdef")


def _is_sha(text: str) -> bool:
    return len(text) == 64 and set(text) <= HEX64


@pytest.mark.parametrize("std_id", STANDARDS)
def test_every_result_carries_its_provenance(std_id: str) -> None:
    std = starrules.load_standard(std_id)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        res = starrules.evaluate(std, path)
        info = res.standard
        assert info.id == std_id and info.version and info.family
        assert isinstance(info.effective_from, date)
        assert info.effective_to is None or info.effective_to >= info.effective_from
        assert _is_sha(info.sha256) and info.sha256 == std.sha256
        assert info.layers and info.layers[-1].id == std_id
        assert all(_is_sha(layer.sha256) and layer.file.endswith(".yaml") for layer in info.layers)
        assert _is_sha(res.provenance.facts_sha256)
        assert res.provenance.starrules_version == starrules.__version__
        assert res.provenance.engine == "native"


def test_layers_name_each_file_of_an_overlay() -> None:
    layers = starrules.load_standard("port-group-2023").compiled.info.layers
    assert [(la.id, la.role, la.file) for la in layers] == [
        ("prov-2023", "base", "prov-2023.yaml"),
        ("port-group-2023", "overlay", "port-group-2023.yaml"),
    ]
    base = starrules.load_standard("prov-2023").compiled.info.layers[0]
    assert layers[0].sha256 == base.sha256


def _nothing_about_time(value: object, path: str = "") -> None:
    """No field name suggests a clock (generated_at, timestamp, ...)."""
    if isinstance(value, dict):
        for k, v in value.items():
            words = set(k.lower().replace("-", "_").split("_"))
            assert not words & {"time", "timestamp", "datetime", "generated", "created", "now", "clock", "at"}, path + k
            _nothing_about_time(v, f"{path}{k}.")
    elif isinstance(value, list):
        for v in value:
            _nothing_about_time(v, path)


def test_no_clock_in_results() -> None:
    res = starrules.evaluate("city-2023", example("three-star-branch"), embed_facts=True)
    _nothing_about_time(json.loads(res.to_json()))


# -- the standard's hash is canonical ------------------------------------------------------------


def _copy(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "standards"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _reordered(text: str) -> str:
    """The same standard with every mapping's keys in another order, other layout, no comments
    (except ``rating.values``, whose order is the evaluation order and so part of the meaning)."""
    data = yaml.safe_load(text)
    values = data["rating"]["values"]

    def rev(x: object) -> object:
        if isinstance(x, dict):
            return {k: rev(x[k]) for k in reversed(list(x))}
        if isinstance(x, list):
            return [rev(v) for v in x]
        return x

    out = rev(data)
    out["rating"]["values"] = {k: values[k] for k in values}  # type: ignore[index]
    return yaml.safe_dump(out, allow_unicode=True, sort_keys=False, indent=4, width=200)


def test_reordered_keys_and_layout_keep_the_hash(tmp_path: Path) -> None:
    shipped = shipped_root() / "prov-2023.yaml"
    original = starrules.load_standard("prov-2023")
    copy = _copy(tmp_path, "prov-2023", _reordered(shipped.read_text(encoding="utf-8")))
    assert copy.read_text(encoding="utf-8") != shipped.read_text(encoding="utf-8")
    again = starrules.load_standard(copy)
    assert again.sha256 == original.sha256
    assert again.compiled.info.layers[0].sha256 == original.compiled.info.layers[0].sha256
    # and the results are the same (as data: reversing `rating.values` reorders rating_values)
    a = starrules.evaluate(original, example("three-star-branch")).to_json()
    b = starrules.evaluate(again, example("three-star-branch")).to_json()
    assert json.loads(a) == json.loads(b)


def test_reordered_base_keeps_the_overlay_hashes(tmp_path: Path) -> None:
    root = shipped_root()
    _copy(tmp_path, "prov-2023", _reordered((root / "prov-2023.yaml").read_text(encoding="utf-8")))
    overlay = _copy(tmp_path, "port-group-2023", (root / "port-group-2023.yaml").read_text(encoding="utf-8"))
    assert starrules.load_standard(overlay).sha256 == starrules.load_standard("port-group-2023").sha256


def test_a_changed_threshold_changes_the_hash(tmp_path: Path) -> None:
    text = (shipped_root() / "prov-2023.yaml").read_text(encoding="utf-8")
    old = "theme_day_attendance: {value: 0.8,"
    assert old in text
    copy = _copy(tmp_path, "prov-2023", text.replace(old, "theme_day_attendance: {value: 0.85,"))
    changed = starrules.load_standard(copy)
    original = starrules.load_standard("prov-2023")
    assert changed.sha256 != original.sha256
    assert changed.compiled.info.layers[0].sha256 != original.compiled.info.layers[0].sha256


def test_a_comment_does_not_change_the_hash(tmp_path: Path) -> None:
    text = (shipped_root() / "prov-2023.yaml").read_text(encoding="utf-8")
    copy = _copy(tmp_path, "prov-2023", "# a note for auditors\n\n" + text.replace("\n\n", "\n\n\n"))
    assert starrules.load_standard(copy).sha256 == starrules.load_standard("prov-2023").sha256


# -- the facts' hash is canonical --------------------------------------------------------------------


def test_facts_hash_ignores_key_order_and_layout() -> None:
    doc, _, _ = read_document(example("pharma-young-branch"))
    shuffled = {k: doc[k] for k in reversed(list(doc))}
    assert facts_hash(shuffled) == facts_hash(doc)
    as_json = json.loads(json.dumps(json_value(doc)), parse_float=Decimal)  # dates as ISO text, 1.0 as 1
    assert facts_hash(as_json) == facts_hash(doc)


def test_facts_hash_is_by_value_for_numbers() -> None:
    assert facts_hash({"x": Decimal("1.0")}) == facts_hash({"x": 1}) == facts_hash({"x": Decimal("1.00")})
    assert facts_hash({"x": Decimal("0.90")}) == facts_hash({"x": Decimal("0.9")})
    assert facts_hash({"x": Decimal("0.9")}) != facts_hash({"x": "0.9"})
    assert facts_hash({"x": 1}) != facts_hash({"x": 2})


def test_changed_facts_change_the_hash() -> None:
    doc, _, _ = read_document(example("pharma-young-branch"))
    other = dict(doc, satisfaction=Decimal("0.79"))
    a = starrules.evaluate("prov-2023", doc).provenance.facts_sha256
    b = starrules.evaluate("prov-2023", other).provenance.facts_sha256
    assert a != b


# -- byte-identical output ----------------------------------------------------------------------------


def test_two_runs_give_identical_json() -> None:
    for std_id in STANDARDS:
        std = starrules.load_standard(std_id)
        for path in sorted(EXAMPLES.glob("*.yaml")):
            first = starrules.evaluate(std, path, embed_facts=True).to_json()
            again = starrules.evaluate(starrules.load_standard(std_id), path, embed_facts=True).to_json()
            assert first == again, (std_id, path.name)


_DIGEST = """
import hashlib, sys
from pathlib import Path
import starrules
from starrules._explain.next_star import next_star
h = hashlib.sha256()
for std_id in %r:
    std = starrules.load_standard(std_id)
    for path in sorted(Path(%r).glob("*.yaml")):
        h.update(starrules.evaluate(std, path, embed_facts=True).to_json().encode())
        h.update(starrules.explain(std, path, lang="zh").model_dump_json().encode())
        h.update(next_star(std, path, lang="zh").model_dump_json().encode())
h.update(starrules.report_html("city-2023", sorted(Path(%r).glob("*.yaml"))).encode())
print(h.hexdigest())
""" % (STANDARDS, str(EXAMPLES), str(EXAMPLES))


def test_identical_across_hash_seeds() -> None:
    """Sets iterate in an order that depends on PYTHONHASHSEED; no output may."""
    digests = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _DIGEST], env=env, cwd=REPO, capture_output=True, text=True, check=True
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_report_is_deterministic() -> None:
    paths = [example("pharma-young-branch"), example("pending-branch")]
    a = starrules.report_html("port-group-2023", paths)
    b = starrules.report_html("port-group-2023", paths)
    assert hashlib.sha256(a.encode()).hexdigest() == hashlib.sha256(b.encode()).hexdigest()
