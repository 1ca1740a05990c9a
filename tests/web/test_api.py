"""The JSON API gives the library's results byte for byte, and the same problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import starrules
from starrules._batch.items import render_problem
from starrules._cli.main import cli

from ._docs import EXAMPLE_NAMES, as_json, example_bytes, example_doc, jsonl

STANDARDS = ["prov-2023", "prov-2024", "city-2023", "port-group-2023"]
YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}
NDJSON = {"content-type": "application/x-ndjson"}


@pytest.mark.parametrize("sid", STANDARDS)
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_evaluate_is_the_library_json_byte_for_byte(client, sid: str, name: str) -> None:
    lib = starrules.evaluate(sid, example_doc(name))
    r = client.post(f"/api/evaluate?standard={sid}", content=example_bytes(name), headers=YAML)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.content == lib.model_dump_json().encode("utf-8")
    assert r.json() == lib.model_dump(mode="json")


def test_evaluate_json_body_and_embedded_facts(client) -> None:
    doc = example_doc("three-star-branch")
    body = as_json(doc).encode("utf-8")
    lib = starrules.evaluate("prov-2023", json.loads(body, parse_float=__import__("decimal").Decimal), embed_facts=True)
    r = client.post("/api/evaluate?standard=prov-2023&embed_facts=true", content=body, headers=JSON)
    assert r.status_code == 200, r.text
    assert r.content == lib.model_dump_json().encode("utf-8")
    assert r.json()["facts"] is not None


def test_a_family_picks_the_version_by_year(client) -> None:
    r = client.post("/api/evaluate?standard=prov", content=example_bytes("five-star-branch"), headers=YAML)
    assert r.status_code == 200, r.text
    assert r.json()["standard"]["id"] == "prov-2023"
    assert r.content == starrules.evaluate("prov", example_doc("five-star-branch")).model_dump_json().encode()


def test_standards_lists_the_registry(client) -> None:
    r = client.get("/api/standards")
    assert r.status_code == 200
    data = r.json()
    by_id = {s["id"]: s for s in data["standards"]}
    assert set(STANDARDS) <= set(by_id)
    for sid in STANDARDS:
        std = starrules.load_standard(sid)
        assert by_id[sid]["sha256"] == std.sha256
        assert by_id[sid]["version"] == std.version
        assert by_id[sid]["indicators"] == len(std.indicator_ids)
    assert by_id["prov-2024"]["based_on"] == "prov-2023"
    assert data["families"]["prov"] == ["prov-2023", "prov-2024"]


def test_openapi_schema_lists_every_endpoint(client) -> None:
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert {"/api/evaluate", "/api/batch", "/api/standards", "/api/verify"} <= set(paths)
    assert "application/yaml" in paths["/api/evaluate"]["post"]["requestBody"]["content"]
    assert not any(p.startswith("/evaluate") or p == "/" for p in paths)  # pages are not API
    assert client.get("/docs").status_code == 404  # Swagger UI would need a CDN


def _cli_batch_lines(tmp_path: Path, run_cli, body: bytes, sid: str) -> list[bytes]:
    src = tmp_path / "request.jsonl"
    src.write_bytes(body)
    out = tmp_path / "out.jsonl"
    res = run_cli("batch", str(src), "-s", sid, "-o", str(out), "--workers", "1")
    assert res.exit_code in (0, 1), res.output
    return out.read_bytes().splitlines()


@pytest.mark.parametrize("sid", ["prov-2023", "city-2023", "prov"])
def test_batch_streams_the_cli_batch_lines(client, run_cli, tmp_path: Path, sid: str) -> None:
    docs = [example_doc(n) for n in EXAMPLE_NAMES]
    for i, d in enumerate(docs):  # distinct ids (one example repeats another's)
        d["branch"] = {**d["branch"], "id": f"B-{i}"}
    body = jsonl(docs) + b"this is not json\n" + jsonl([docs[0]])
    r = client.post(f"/api/batch?standard={sid}", content=body, headers=NDJSON)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/x-ndjson")
    got = r.content.splitlines()
    want = _cli_batch_lines(tmp_path, run_cli, body, sid)
    assert len(got) == len(docs) + 2
    # the same lines, except that errors name the request instead of the CLI's file path
    norm = [line.replace(str(tmp_path / "request.jsonl").encode(), b"request.jsonl") for line in want]
    assert got == norm
    rows = [json.loads(line) for line in got]
    assert [r.get("source") for r in rows] == list(range(1, len(docs) + 3))
    assert rows[-2]["error"][0]["code"] == "json-syntax"
    assert rows[-1]["error"][0]["code"] == "batch-duplicate-branch"


def test_batch_quota_can_be_turned_off(client) -> None:
    from tests.batch._support import five_star

    docs = [five_star(f"Q-{i}", 90 + i) for i in range(4)]
    with_quota = [json.loads(x) for x in client.post("/api/batch?standard=city-2023", content=jsonl(docs),
                                                     headers=NDJSON).content.splitlines()]
    without = [json.loads(x) for x in client.post("/api/batch?standard=city-2023&quota=false", content=jsonl(docs),
                                                  headers=NDJSON).content.splitlines()]
    lib = list(starrules.evaluate_many("city-2023", docs))
    assert [r["result"]["stars"] for r in with_quota] == [i.result.stars for i in lib]
    assert all(r["result"]["quota"]["applied"] for r in with_quota)
    assert not any(r["result"]["quota"]["applied"] for r in without)
    assert [r["result"] for r in without] == [starrules.evaluate("city-2023", d).model_dump(mode="json") for d in docs]


def test_batch_of_a_zip(client) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("b/three.yaml", example_bytes("three-star-branch"))
        zf.writestr("a/five.json", as_json(example_doc("five-star-branch")))
        zf.writestr("notes.txt", "skipped")
        zf.writestr("__MACOSX/._five.json", "skipped")
    r = client.post("/api/batch?standard=prov-2023", content=buf.getvalue(), headers={"content-type": "application/zip"})
    assert r.status_code == 200, r.text
    rows = [json.loads(x) for x in r.content.splitlines()]
    assert [row["source"] for row in rows] == ["request.zip/a/five.json", "request.zip/b/three.yaml"]
    assert rows[0]["result"] == starrules.evaluate("prov-2023", example_doc("five-star-branch")).model_dump(mode="json")
    assert rows[1]["result"]["stars"] == 3


def test_verify_identical_and_changed(client) -> None:
    body = example_bytes("five-star-branch")
    recorded = client.post("/api/evaluate?standard=city-2023", content=body, headers=YAML).json()
    facts = json.loads(as_json(example_doc("five-star-branch")))
    r = client.post("/api/verify", content=json.dumps({"result": recorded, "facts": facts}), headers=JSON)
    assert r.status_code == 200, r.text
    lib = starrules.verify(recorded, facts=example_doc("five-star-branch"))
    assert r.content == lib.model_dump_json().encode("utf-8")
    assert r.json()["identical"] is True
    recorded["stars"] = 1
    r = client.post("/api/verify", content=json.dumps({"result": recorded, "facts": facts}), headers=JSON)
    assert r.status_code == 200 and r.json()["identical"] is False
    assert [d["path"] for d in r.json()["differences"]] == ["stars"]
    facts["year"] = 2024
    r = client.post("/api/verify", content=json.dumps({"result": recorded, "facts": facts}), headers=JSON)
    assert r.status_code == 400 and r.json()["error"][0]["code"] == "verify-facts-changed"


def test_verify_with_embedded_facts(client) -> None:
    recorded = client.post("/api/evaluate?standard=prov-2024&embed_facts=true", content=example_bytes("veto-branch"),
                           headers=YAML).json()
    r = client.post("/api/verify", content=json.dumps({"result": recorded}), headers=JSON)
    assert r.status_code == 200, r.text
    assert r.json()["identical"] is True and r.json()["facts_source"] == "embedded"


def test_facts_problems_are_the_cli_problems(client, tmp_path: Path) -> None:
    """Wrong types: every problem with its code, line, column, fact path and zh/en texts."""
    text = example_bytes("five-star-branch").decode("utf-8")
    text = text.replace("year: 2023", "year: 二〇二三", 1)
    assert "year: 二〇二三" in text
    path = tmp_path / "request.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(starrules.FactsError) as info:
        starrules.evaluate("prov-2023", path)
    want = [{**render_problem(p), "file": "request.yaml"} for p in info.value.problems]
    r = client.post("/api/evaluate?standard=prov-2023", content=text.encode("utf-8"), headers=YAML)
    assert r.status_code == 400
    assert r.json() == {"error": want}
    assert want and all(p["message"]["zh"] and p["message"]["en"] for p in want)
    assert any(p["path"] == "year" for p in want)


def test_cli_serve_is_listed(run_cli) -> None:
    res = run_cli("serve", "--help")
    assert res.exit_code == 0
    for opt in ("--host", "--port", "--standards-dir", "--max-upload", "--max-rows", "--max-seconds"):
        assert opt in res.output
    assert "serve" in cli.commands
