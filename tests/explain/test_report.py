"""The HTML report's structure, parsed with html.parser (the browser check is
scripts/screenshot_report.sh, kept out of the test suite)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import starrules
from starrules._api import read_document

from ._support import cli, example

VOID = {"meta", "br", "col", "link", "img", "input", "hr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        out = []
        for c in self.children:
            cls = set(c.attrs.get("class", "").split())
            ok = (tag is None or c.tag == tag) and all(
                (v in cls) if k == "class_" else c.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()
            )
            if ok:
                out.append(c)
            out.extend(c.all(tag, **attrs))
        return out

    def with_attr(self, name: str) -> list[Element]:
        out = [c for c in self.children if name in c.attrs]
        for c in self.children:
            out.extend(c.with_attr(name))
        return out

    def full_text(self) -> str:
        return self.text + "".join(c.full_text() for c in self.children)


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Element("#text", {}, text=data))


def parse(html: str) -> Element:
    p = Tree()
    p.feed(html)
    p.close()
    assert p.stack == [p.root], "unclosed elements"
    assert p.doctype.lower() == "doctype html"
    return p.root


def results(std: str, *names: str) -> list[starrules.Result]:
    return [starrules.evaluate(std, example(n)) for n in names]


def test_one_branch_report_structure() -> None:
    html = starrules.report_html("port-group-2023", [example("pharma-young-branch")])
    root = parse(html)
    (page,) = root.all("html")
    assert page.attrs["lang"] == "zh-CN"
    assert [m.attrs for m in root.all("meta") if "charset" in m.attrs] == [{"charset": "utf-8"}]
    # self-contained: one inline stylesheet, no scripts, no external resources
    assert len(root.all("style")) == 1 and not root.all("script") and not root.all("link") and not root.all("img")
    assert all(el.attrs["href"].startswith("#") for el in root.all("a"))
    assert not [el for el in root.with_attr("src")]
    css = root.all("style")[0].full_text()
    assert "@media print" in css and "@page" in css
    res = starrules.evaluate("port-group-2023", example("pharma-young-branch"))
    (branch,) = root.all("section", class_="branch")
    assert branch.attrs["data-branch"] == "BHPG-PHARMA-01"
    head = branch.all("header", class_="branch-head")[0]
    assert res.branch.name in head.full_text()
    assert head.all("dd", class_="outcome")[0].full_text() == "不达标"
    assert "outcome-not_met" in head.all("dd", class_="outcome")[0].attrs["class"]
    assert head.all("dd", class_="stars")[0].full_text().startswith("☆☆☆☆☆")
    assert "2023" in head.full_text()
    # six dimensions, every indicator once with its status, explanation and citation
    dims = branch.all("section", class_="dimension")
    assert [d.attrs["data-dimension"] for d in dims] == ["ORG", "TEAM", "ACT", "ROLE", "INST", "SUP"]
    rows = [r for r in branch.all("tr") if "data-indicator" in r.attrs]
    assert [r.attrs["data-indicator"] for r in rows] == [i.id for i in res.indicators]
    by_id = {r.attrs["data-indicator"]: r for r in rows}
    for ind in res.indicators:
        row = by_id[ind.id]
        assert row.attrs["data-status"] == ind.status
        assert row.all("td", class_="explanation")[0].full_text().startswith(ind.explanation.zh)
        assert row.all("td", class_="citation")[0].full_text() == ind.citation.document + (ind.citation.article or "")
    act06 = by_id["ACT-06"]
    evidence = act06.all("td", class_="evidence")[0].full_text()
    assert "主题党日实到合计" in evidence and "M2023-03-TD：3 人" in evidence  # in words, with each record's value
    # 整改清单 and 待核实事项
    rect = branch.all("section", class_="rectification")[0]
    assert rect.all("h3")[0].full_text() == "整改清单"
    assert [li.attrs["data-indicator"] for li in rect.all("li")] == [r.id for r in res.rectification_list]
    verify = branch.all("section", class_="to-verify")[0]
    assert verify.all("h3")[0].full_text() == "待核实事项" and "无" in verify.full_text()
    nxt = branch.all("section", class_="next-star")[0]
    assert [li.attrs["data-indicator"] for li in nxt.all("li") if "data-indicator" in li.attrs] == ["ORG-08", "TEAM-03"]
    # provenance footer
    foot = branch.all("footer", class_="provenance")[0]
    hashes = {td.attrs["data-hash"]: td.full_text() for td in foot.with_attr("data-hash")}
    assert hashes["standard"] == res.standard.sha256
    assert hashes["facts"] == res.provenance.facts_sha256
    layers = [el.full_text() for el in foot.with_attr("data-hash") if el.attrs["data-hash"] == "layer"]
    assert layers == [la.sha256 for la in res.standard.layers]
    assert res.provenance.starrules_version in foot.full_text()


def test_several_branches_one_section_each() -> None:
    names = ("pharma-young-branch", "pending-branch", "three-star-branch")
    html = starrules.report_html("prov-2023", [example(n) for n in names])
    root = parse(html)
    branches = root.all("section", class_="branch")
    expected = [r.branch.id for r in results("prov-2023", *names)]
    assert [b.attrs["data-branch"] for b in branches] == expected
    assert [b.attrs["id"] for b in branches] == [f"branch-{i}" for i in expected]
    summary = root.all("section", class_="summary")[0]
    links = [a.attrs["href"] for a in summary.all("a")]
    assert links == [f"#branch-{i}" for i in expected]
    pending = branches[1]
    assert [li.full_text() for li in pending.all("section", class_="to-verify")[0].all("li")] == ["群众满意度测评结果"]


def test_english_report() -> None:
    root = parse(starrules.report_html("prov-2023", [example("five-star-branch")], lang="en"))
    assert root.all("html")[0].attrs["lang"] == "en"
    branch = root.all("section", class_="branch")[0]
    assert branch.all("dd", class_="outcome")[0].full_text() == "met"
    assert branch.all("section", class_="rectification")[0].all("h3")[0].full_text() == "Rectification list"


def test_text_from_the_facts_is_escaped(tmp_path: Path) -> None:
    doc, _, _ = read_document(example("three-star-branch"))
    doc = {**doc, "branch": {**doc["branch"], "name": '<script>alert("x")</script>支部 & <b>'}}
    html = starrules.report_html("prov-2023", [doc])
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; &lt;b&gt;" in html
    root = parse(html)
    assert not root.all("script") and not root.all("b")


def test_report_command_writes_one_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    res = cli("report", example("pharma-young-branch"), example("veto-branch"), "-s", "port-group-2023", "-o", out)
    assert res.exit_code == 0, res.output
    root = parse(out.read_text(encoding="utf-8"))
    assert len(root.all("section", class_="branch")) == 2
    assert "已写入" in res.stderr


def test_report_command_to_stdout_and_errors(tmp_path: Path) -> None:
    res = cli("report", example("veto-branch"), "-s", "prov-2023", "--lang", "en")
    assert res.exit_code == 0 and res.stdout.startswith("<!DOCTYPE html>")
    res = cli("report", tmp_path / "missing.yaml", "-s", "prov-2023")
    assert res.exit_code == 1 and "file-not-found" in res.stderr
