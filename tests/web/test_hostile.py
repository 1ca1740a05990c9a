"""Hostile and broken input: always a 4xx with located problems, never a 500 or a traceback,
and no path from a request is ever opened."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import starrules

from ._docs import as_json, example_bytes, example_doc, jsonl

YAML = {"content-type": "application/yaml"}
JSON = {"content-type": "application/json"}
NDJSON = {"content-type": "application/x-ndjson"}
ZIP = {"content-type": "application/zip"}


def codes(r) -> list[str]:  # type: ignore[no-untyped-def]
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    assert "Traceback" not in r.text
    return [p["code"] for p in r.json()["error"]]


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("body", "headers", "code"),
    [
        (b"branch: {id: X\nyear: 2023\n", YAML, "yaml-syntax"),
        (b'{"branch": {"id": "X"}, "year": 2023,}', JSON, "json-syntax"),
        (b'{"a": 1, "a": 2}', JSON, "duplicate-key"),
        (b'{"year": NaN}', JSON, "json-syntax"),
        (b"[" * 100_000 + b"]" * 100_000, JSON, "too-deep"),
        (b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
            b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((98 + i,) * 2 + (97 + i,) * 9)
            for i in range(8)), YAML, "too-many-nodes"),
        ("branch: {id: 支部}\n".encode("gbk"), YAML, "encoding"),
        (b"\xff\xfe\x00b\x00r", JSON, "encoding"),
        (b"- just\n- a list\n", YAML, "facts-not-mapping"),
        (b"", YAML, "facts-not-mapping"),
        (b"branch: {id: X}\nyear: 2023\n", {"content-type": "text/plain"}, "upload-type"),
        (b"branch: {id: X}\nyear: 2023\n", {}, "upload-type"),
    ],
)
def test_broken_documents(client, body: bytes, headers: dict[str, str], code: str) -> None:
    r = client.post("/api/evaluate?standard=prov-2023", content=body, headers=headers)
    assert code in codes(r)


def test_wrong_types_are_located(client) -> None:
    doc = example_doc("five-star-branch")
    doc["members"][0]["training_hours"] = "many"
    doc["branch"] = "not a mapping"
    r = client.post("/api/evaluate?standard=prov-2023", content=as_json(doc).encode(), headers=JSON)
    problems = r.json()["error"]
    assert r.status_code == 400
    assert {p["path"] for p in problems} >= {"branch"}
    assert all(p["message"]["zh"] and p["message"]["en"] and p["code"].startswith("facts-") for p in problems)


def test_body_over_the_limit(make_client) -> None:
    c = make_client(max_upload_bytes=1000)
    limit = c.app.state.settings.max_body_bytes
    r = c.post("/api/evaluate?standard=prov-2023", content=b"a: 1\n" * (limit // 4), headers=YAML)
    assert r.status_code == 413 and codes(r) == ["file-too-large"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(limit // 1000 + 2):
            yield b"#" * 1000 + b"\n"

    r = c.post("/api/evaluate?standard=prov-2023", content=chunks(), headers=YAML)
    assert r.status_code == 413 and codes(r) == ["file-too-large"]
    r = c.post("/api/evaluate?standard=prov-2023", content=b"#" * 1500, headers=YAML)  # within the body, over the upload
    assert r.status_code == 413 and codes(r) == ["file-too-large"]
    r = c.post("/evaluate", files={"facts": ("big.yaml", b"#" * limit)}, data={"standard": "prov-2023"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert 'data-code="file-too-large"' in r.text
    r = c.post("/evaluate", files={"facts": ("big.yaml", b"#" * 1500)}, data={"standard": "prov-2023"})
    assert r.status_code == 413 and 'data-code="file-too-large"' in r.text and 'id="rate-form"' in r.text


def test_too_many_rows(make_client) -> None:
    c = make_client(max_rows=3)
    docs = [example_doc("three-star-branch") for _ in range(4)]
    r = c.post("/api/batch?standard=prov-2023", content=jsonl(docs), headers=NDJSON)
    assert r.status_code == 413 and codes(r) == ["batch-too-many-rows"]
    r = c.post("/api/batch?standard=prov-2023", content=_zip({f"{i}.yaml": b"x: 1" for i in range(4)}), headers=ZIP)
    assert r.status_code == 413 and codes(r) == ["batch-too-many-rows"]


def test_zip_bomb_stops_at_the_limit(make_client) -> None:
    c = make_client(max_unzipped_bytes=1_000_000)
    bomb = _zip({"a.yaml": b"#" * 600_000, "b.yaml": b"#" * 600_000})
    assert len(bomb) < 10_000
    r = c.post("/api/batch?standard=prov-2023", content=bomb, headers=ZIP)
    assert codes(r) == ["zip-refused"]
    assert "1000000" in r.json()["error"][0]["message"]["en"]


@pytest.mark.parametrize("name", ["../evil.yaml", "/etc/passwd.yaml", "a/../../b.yaml", "C:/x.yaml", "..\\x.yaml",
                                  "a\x01b.yaml"])
def test_zip_with_unsafe_names_is_refused(client, name: str) -> None:
    body = _zip({"ok.yaml": example_bytes("five-star-branch"), name: b"branch: {id: X}"})
    r = client.post("/api/batch?standard=prov-2023", content=body, headers=ZIP)
    assert codes(r) == ["zip-refused"]


def test_not_a_zip_and_an_encrypted_member(client) -> None:
    r = client.post("/api/batch?standard=prov-2023", content=b"PK\x03\x04 not really", headers=ZIP)
    assert codes(r) == ["zip-refused"]
    body = bytearray(_zip({"a.yaml": b"branch: {id: X}"}, zipfile.ZIP_STORED))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the 'encrypted' flag bit in both headers
        at = body.index(sig) + off
        body[at] |= 1
    r = client.post("/api/batch?standard=prov-2023", content=bytes(body), headers=ZIP)
    assert codes(r) == ["zip-refused"]
    assert "encrypted" in r.json()["error"][0]["message"]["en"]


@pytest.mark.parametrize("name", ["/etc/passwd", "../standards/prov-2023.yaml", "standards/prov-2023.yaml",
                                  "prov-2023.yaml", "./prov-2023", "prov-2023 ", "", "PROV-2023"])
def test_a_standard_is_only_ever_a_registry_id(client, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = starrules._standard.load.read_text  # type: ignore[attr-defined]

    def spy(path, limit, display):  # type: ignore[no-untyped-def]
        opened.append(str(path))
        return real(path, limit, display)

    monkeypatch.setattr("starrules._standard.load.read_text", spy)
    r = client.post("/api/evaluate", params={"standard": name}, content=example_bytes("five-star-branch"),
                    headers=YAML)
    assert r.status_code in (400, 404)
    assert codes(r) in (["standard-not-found"], ["missing-key"])
    assert opened == []
    r = client.post("/api/batch", params={"standard": name}, content=jsonl([example_doc("five-star-branch")]),
                    headers=NDJSON)
    assert codes(r) in (["standard-not-found"], ["missing-key"])
    assert opened == []
    if name and "/" not in name and not name.startswith("."):  # (the client itself normalises ./ and ../)
        assert client.get(f"/standards/{name}").status_code == 404
    assert opened == []


@pytest.mark.parametrize("text", [b'"examples/five-star-branch.yaml"\n', b"examples/five-star-branch.yaml\n"])
def test_a_document_that_is_a_string_is_not_a_path(client, text: bytes) -> None:
    """A YAML document that is a bare string (here: the path of a real facts file) is rejected."""
    r = client.post("/evaluate", files={"facts": ("a.yaml", text)}, data={"standard": "prov-2023"})
    assert r.status_code == 400 and 'data-code="facts-not-mapping"' in r.text and "data-outcome" not in r.text
    for what in ("report", "json", "roster"):
        r = client.post("/download", data={"doc": base64.b64encode(text).decode(), "filename": "a.yaml",
                                           "standard": "prov-2023", "what": what})
        assert r.status_code == 400 and 'data-code="facts-not-mapping"' in r.text
    r = client.post("/api/evaluate?standard=prov-2023", content=text, headers=YAML)
    assert codes(r) == ["facts-not-mapping"]
    r = client.post("/api/batch?standard=prov-2023", content=text, headers=NDJSON)
    rows = [json.loads(x) for x in r.content.splitlines()]
    assert len(rows) == 1 and "result" not in rows[0] and rows[0]["error"]


def test_verify_opens_no_path_from_the_result(client) -> None:
    recorded = starrules.evaluate("prov-2023", example_doc("five-star-branch")).model_dump(mode="json")
    recorded["standard"]["id"] = "/etc/passwd"
    r = client.post("/api/verify", content=json.dumps({"result": recorded}), headers=JSON)
    assert codes(r) == ["standard-not-found"]
    r = client.post("/api/verify", content=json.dumps({"result": "examples/five-star-branch.yaml"}), headers=JSON)
    assert codes(r) == ["not-a-mapping"]
    r = client.post("/api/verify", content=json.dumps({"result": recorded, "facts": "examples/x.yaml"}), headers=JSON)
    assert codes(r) in (["standard-not-found"], ["facts-not-mapping"])
    r = client.post("/api/verify", content=b"[]", headers=JSON)
    assert codes(r) == ["not-a-mapping"]
    r = client.post("/api/verify", content=b"{}", headers=JSON)
    assert codes(r) == ["missing-key"]


def test_missing_parameters_are_problems(client) -> None:
    r = client.post("/api/evaluate", content=example_bytes("five-star-branch"), headers=YAML)
    assert codes(r) == ["missing-key"] and r.json()["error"][0]["path"] == "standard"
    r = client.post("/api/evaluate?standard=prov-2023&embed_facts=maybe", content=b"x: 1", headers=YAML)
    assert codes(r) == ["invalid-format"]


class _Clock:
    """A clock for the batch deadline that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def test_time_limit_of_a_batch(make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    c = make_client(max_seconds=10)
    monkeypatch.setattr("starrules._web.service.time", _Clock())
    docs = [example_doc("five-star-branch") for _ in range(30)]
    for i, d in enumerate(docs):
        d["branch"] = {**d["branch"], "id": f"T-{i}"}
    r = c.post("/api/batch?standard=prov-2023", content=jsonl(docs), headers=NDJSON)
    assert r.status_code == 200
    lines = [json.loads(x) for x in r.content.splitlines()]
    assert 1 < len(lines) < len(docs) + 1
    last = lines[-1]["summary"]
    assert last["complete"] is False and last["timed_out"] is True and last["rows"] == len(lines) - 1
    assert last["error"][0]["code"] == "request-timeout"
    assert all("result" in x for x in lines[:-1])
    # with a quota the rows wait for the whole batch: the rows rated so far, quota not applied
    r = c.post("/api/batch?standard=city-2023", content=jsonl(docs), headers=NDJSON)
    lines = [json.loads(x) for x in r.content.splitlines()]
    assert lines[-1]["summary"]["quota_applied"] is False and lines[-1]["summary"]["quota_declared"] is True
    assert 1 < len(lines) < len(docs) + 1
    r = c.post("/batch", files={"batch": ("b.jsonl", jsonl(docs))}, data={"standard": "prov-2023"})
    assert r.status_code == 422 and 'data-code="request-timeout"' in r.text


def test_time_limit_of_one_request(make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    gate = threading.Event()
    c = make_client(max_seconds=0.2)
    real = c.app.state.service.evaluate

    def stuck(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(5)  # a request that takes too long (released below)
        return real(*args, **kwargs)

    monkeypatch.setattr(c.app.state.service, "evaluate", stuck)
    r = c.post("/api/evaluate?standard=prov-2023", content=example_bytes("five-star-branch"), headers=YAML)
    gate.set()
    assert r.status_code == 422 and codes(r) == ["request-timeout"]
    assert "0.2" in r.json()["error"][0]["message"]["en"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=400) | st.text(max_size=300).map(lambda s: s.encode("utf-8")),
       kind=st.sampled_from([YAML, JSON, NDJSON, ZIP]))
def test_fuzz_never_a_server_error(client, body: bytes, kind: dict[str, str]) -> None:
    url = "/api/batch?standard=prov-2023" if kind in (NDJSON, ZIP) else "/api/evaluate?standard=prov-2023"
    r = client.post(url, content=body, headers=kind)
    assert r.status_code < 500, r.text
    assert "Traceback" not in r.text


def test_pages_show_problems_not_tracebacks(client) -> None:
    r = client.post("/evaluate", files={"facts": ("bad.yaml", b"branch: [\n")}, data={"standard": "prov-2023"})
    assert r.status_code == 400
    assert 'data-code="yaml-syntax"' in r.text and "bad.yaml:" in r.text
    r = client.post("/evaluate", files={"facts": ("facts.exe", b"MZ")}, data={"standard": "prov-2023"})
    assert r.status_code == 415 and 'data-code="upload-type"' in r.text
    r = client.post("/evaluate", data={"standard": "prov-2023"})
    assert r.status_code == 400 and 'data-code="missing-key"' in r.text
    r = client.post("/evaluate", files={"facts": ("a.yaml", example_bytes("five-star-branch"))},
                    data={"standard": "../../etc/passwd"})
    assert r.status_code == 404 and 'data-code="standard-not-found"' in r.text
    r = client.post("/download", data={"doc": "%%%", "filename": "a.yaml", "standard": "prov-2023"})
    assert r.status_code == 400 and 'data-code="invalid-format"' in r.text
    r = client.post("/evaluate", content=b"--xx\r\nbroken", headers={"content-type": "multipart/form-data; boundary=xx"})
    assert 400 <= r.status_code < 500
    r = client.get("/standards/no-such")
    assert r.status_code == 404 and 'data-code="standard-not-found"' in r.text
