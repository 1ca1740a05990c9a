"""The pages: forms without JavaScript, the same report and JSON as the CLI, the roster."""

from __future__ import annotations

import base64
import csv
import html as htmllib
import io
import re

import markupsafe
import pytest

import starrules

from ._docs import EXAMPLE_NAMES, example_bytes, example_doc, jsonl


def _rate(client, name: str = "five-star-branch", standard: str = "prov-2023", lang: str = ""):  # type: ignore[no-untyped-def]
    q = "?lang=en" if lang == "en" else ""
    return client.post(f"/evaluate{q}", files={"facts": (f"{name}.yaml", example_bytes(name))},
                       data={"standard": standard})


def _hidden(html: str) -> dict[str, str]:
    form = html.split('id="downloads"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


def test_index_has_the_forms_and_loads_nothing_from_elsewhere(client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert '<form class="card" id="rate-form" method="post" action="/evaluate"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="facts"' in page
    for sid in ("prov-2023", "prov-2024", "city-2023", "port-group-2023", "prov"):
        assert f'<option value="{sid}"' in page
    assert '<script src="/static/htmx.min.js" defer></script>' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # offline: nothing from a CDN
    assert client.get("/batch").status_code == 200


def test_vendored_htmx(client) -> None:
    r = client.get("/static/htmx.min.js")
    assert r.status_code == 200
    first = r.text.split("\n", 1)[0]
    assert "htmx 2.0.11" in first and "0BSD" in first
    assert "var htmx=function()" in r.text
    assert client.get("/static/HTMX-LICENSE.txt").status_code == 200


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_result_page_shows_the_library_result(client, name: str) -> None:
    res = starrules.evaluate("prov-2023", example_doc(name))
    r = _rate(client, name)
    assert r.status_code == 200, r.text[:500]
    html = r.text
    assert f'data-outcome="{res.outcome}"' in html
    assert f'data-stars="{res.stars if res.stars is not None else ""}"' in html
    assert f'<span class="big outcome-{res.outcome}" id="outcome">{res.outcome_label}</span>' in html
    for ind in res.indicators:
        assert f'<tr data-indicator="{ind.id}" data-status="{ind.status}">' in html
        assert f'<details class="explain" id="explain-{ind.id}">' in html
    assert '<iframe class="report" id="report"' in html and "srcdoc=" in html


def test_five_star_page(client) -> None:
    html = _rate(client).text
    assert ">达标</span>" in html and "★★★★★" in html
    en = _rate(client, lang="en").text
    assert '<html lang="en">' in en and ">met</span>" in en


def test_family_by_year_says_which_version(client) -> None:
    html = _rate(client, standard="prov").text
    assert "prov → prov-2023" in html


def test_downloads_are_the_cli_outputs(client, run_cli) -> None:
    r = _rate(client, "three-star-branch")
    hidden = _hidden(r.text)
    assert hidden["standard"] == "prov-2023" and hidden["filename"] == "three-star-branch.yaml"
    assert base64.b64decode(hidden["doc"]) == example_bytes("three-star-branch")
    path = "examples/three-star-branch.yaml"

    j = client.post("/download", data={**hidden, "what": "json"})
    assert j.status_code == 200 and j.headers["content-disposition"].startswith("attachment;")
    cli_json = run_cli("evaluate", path, "-s", "prov-2023", "--format", "json")
    assert j.text == cli_json.stdout

    rep = client.post("/download", data={**hidden, "what": "report"})
    assert rep.status_code == 200 and rep.headers["content-type"].startswith("text/html")
    assert rep.text == starrules.report_html("prov-2023", [example_doc("three-star-branch")])
    assert rep.text == run_cli("report", path, "-s", "prov-2023").stdout
    assert rep.text in _unescape_srcdoc(r.text)

    ros = client.post("/download", data={**hidden, "what": "roster"})
    assert ros.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(ros.content.decode("utf-8-sig"))))
    res = starrules.evaluate("prov-2023", example_doc("three-star-branch"))
    assert rows[0] == ["id", "name", "unit", "outcome", "stars", "score", "failed_items"]
    assert rows[1][:5] == [res.branch.id, res.branch.name, res.branch.unit, "达标", "3"]
    assert rows[1][6].split() == [i.id for i in res.indicators if i.status == "FAIL"]


def _unescape_srcdoc(page: str) -> str:
    return htmllib.unescape(page.split('srcdoc="', 1)[1].split('"></iframe>', 1)[0])


def test_roster_cells_cannot_be_formulas(client) -> None:
    doc = example_doc("five-star-branch")
    doc["branch"] = {"id": "=HYPERLINK(\"http://x\")", "name": "+cmd", "unit": "@SUM(A1)"}
    from ._docs import as_json

    r = client.post("/download", data={"doc": base64.b64encode(as_json(doc).encode()).decode(), "filename": "x.json",
                                       "standard": "prov-2023", "what": "roster"})
    row = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))[1]
    assert row[:3] == ["'=HYPERLINK(\"http://x\")", "'+cmd", "'@SUM(A1)"]


def test_batch_page_and_its_downloads(client) -> None:
    docs = [example_doc(n) for n in EXAMPLE_NAMES]
    for i, d in enumerate(docs):
        d["branch"] = {**d["branch"], "id": f"B-{i}"}
    body = jsonl(docs) + b"{broken\n"
    r = client.post("/batch", files={"batch": ("group.jsonl", body)}, data={"standard": "prov-2023", "quota": "on"})
    assert r.status_code == 200, r.text[:400]
    assert r.text.count("<tr class=\"error\">") == 1 and "json-syntax" in r.text
    hidden = _hidden(r.text)
    assert base64.b64decode(hidden["doc"]) == body
    ros = client.post("/batch", data={**hidden, "output": "roster"})
    rows = list(csv.reader(io.StringIO(ros.content.decode("utf-8-sig"))))
    assert len(rows) == len(docs) + 2
    assert [r[0] for r in rows[1:-1]] == [f"B-{i}" for i in range(len(docs))]
    assert rows[-1][0] == "group.jsonl:7" and rows[-1][3] == "出错" and rows[-1][6] == "json-syntax"
    out = client.post("/batch", data={**hidden, "output": "jsonl"})
    api = client.post("/api/batch?standard=prov-2023", content=body, headers={"content-type": "application/x-ndjson"})
    assert out.content == api.content.replace(b"request.jsonl", b"group.jsonl")
    rep = client.post("/batch", data={**hidden, "output": "report"})
    assert rep.status_code == 200 and rep.text.count('class="branch"') >= 0 and "B-0" in rep.text


def test_standards_pages(client) -> None:
    r = client.get("/standards")
    assert r.status_code == 200
    for sid in ("prov-2023", "prov-2024", "city-2023", "port-group-2023"):
        std = starrules.load_standard(sid)
        assert f'data-standard="{sid}"' in r.text and std.sha256 in r.text
    std = starrules.load_standard("prov-2024")
    page = client.get("/standards/prov-2024").text
    assert std.sha256 in page and 'id="rating-rules"' in page
    for ind in std.resolved.indicators:
        assert f'<tr data-indicator="{ind.id}">' in page
        assert str(markupsafe.escape(ind.citation.document + (ind.citation.article or ""))) in page
    for step in std.resolved.rating.stars:
        note = getattr(step, "note", None)
        if note is not None:
            assert note.zh in page
    for la in std.resolved.layers:
        assert la.sha256 in page
    city = client.get("/standards/city-2023?lang=en").text
    assert "Quota" in city and "S desc" in city
