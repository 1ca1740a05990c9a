"""The HTML report: one self-contained file an auditor opens offline (or prints).

Rendered from jinja2 templates (``templates/report.html.j2``, autoescaped) with the CSS
inlined: no scripts, fonts or images from anywhere.  One section per branch: header
(branch, year, outcome, stars, score), the dimensions with each indicator's status,
explanation, citation and evidence, the 整改清单 (rectification list), the 待核实事项
(facts to verify), what the next level takes, and a provenance footer with every hash.
Output is deterministic (no clock): the same inputs give the same bytes.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Sequence

import jinja2

from .._evaluate.result import Result
from .._lang import format_value
from .._version import __version__
from .next_star import NextStar, next_star_session
from .session import open_session
from .._evaluate.marks import status_word
from .gaps import fact_names
from .words import KIND, STATUS, evidence_parts, outcome_label, score_line, stars_text

LABELS = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "党支部“达标创星”评价报告",
        "summary": "汇总",
        "branch": "党支部",
        "branch_id": "支部编号",
        "unit": "所在单位",
        "year": "评价年度",
        "standard": "评价标准",
        "outcome": "结论",
        "stars": "星级",
        "score": "得分",
        "lit": "点亮",
        "not_lit": "未点亮",
        "indicator": "指标",
        "kind": "类型",
        "ind_title": "名称",
        "status": "状态",
        "points": "分值",
        "explanation": "说明",
        "citation": "依据",
        "evidence": "证据记录",
        "rectification": "整改清单",
        "to_verify": "待核实事项",
        "none": "无",
        "next": "升星路径",
        "warnings": "提示",
        "provenance": "来源与校验",
        "std_sha": "标准（合并后）sha256",
        "layers": "标准文件层",
        "layer_role": {"base": "基础", "overlay": "叠加", "revision": "修订"},
        "file": "文件",
        "facts_sha": "事实 sha256",
        "version": "starrules 版本",
        "engine": "引擎",
        "period": "有效期",
        "branches": "支部数",
        "lit_dims": "点亮维度",
        "blockers": "无法改变的指标",
        "limits": "原因",
        "option": "方案",
        "quota": "名额",
        "verify_hint": "复核：starrules verify RESULT.json --facts FACTS",
        "dims_lit": "点亮维度",
        "colon": "：",
        "lp": "（",
        "rp": "）",
        "lb": "［",
        "rb": "］",
    },
    "en": {
        "html_lang": "en",
        "title": "Party branch rating report",
        "summary": "Summary",
        "branch": "Branch",
        "branch_id": "Branch id",
        "unit": "Unit",
        "year": "Year",
        "standard": "Standard",
        "outcome": "Outcome",
        "stars": "Stars",
        "score": "Score",
        "lit": "lit",
        "not_lit": "not lit",
        "indicator": "Indicator",
        "kind": "Kind",
        "ind_title": "Title",
        "status": "Status",
        "points": "Points",
        "explanation": "Explanation",
        "citation": "Citation",
        "evidence": "Evidence",
        "rectification": "Rectification list",
        "to_verify": "Facts to verify",
        "none": "none",
        "next": "Next level",
        "warnings": "Notes",
        "provenance": "Provenance",
        "std_sha": "Resolved standard sha256",
        "layers": "Standard layers",
        "layer_role": {"base": "base", "overlay": "overlay", "revision": "revision"},
        "file": "file",
        "facts_sha": "Facts sha256",
        "version": "starrules version",
        "engine": "Engine",
        "period": "Effective",
        "branches": "Branches",
        "lit_dims": "Lit dimensions",
        "blockers": "Cannot change",
        "limits": "Why",
        "option": "Option",
        "quota": "Quota",
        "verify_hint": "Re-check: starrules verify RESULT.json --facts FACTS",
        "dims_lit": "lit dimensions",
        "colon": ": ",
        "lp": " (",
        "rp": ")",
        "lb": " [",
        "rb": "]",
    },
}


def template_env(package: str) -> jinja2.Environment:
    """A template environment for the ``templates`` folder of ``package`` (autoescaped,
    strict: an undefined name is an error)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    """The report's template environment (templates are package data)."""
    return template_env("starrules._explain")


def _num(value: Any) -> str:
    return "—" if value is None else format_value(value, "en")


def _evidence(cs: Any, ind: Any, lang: str) -> list[tuple[str, list[str], int]]:
    if cs is None or ind.id not in {c.id for c in cs.indicators}:
        return [(expr, [format_value(i, lang) for i in ids[:20]], max(len(ids) - 20, 0))
                for expr, ids in ind.evidence.items()]
    ci = next(c for c in cs.indicators if c.id == ind.id)
    out = []
    for expr, ids in ind.evidence.items():
        what, items = evidence_parts(cs, ci, expr, ids, ind.evidence_detail.get(expr), lang)
        out.append((what, items, max(len(ids) - 20, 0)))
    return out


def _branch(result: Result, nxt: NextStar | None, labels: dict[str, str], lang: str,
            cs: Any = None) -> dict[str, Any]:
    zh = lang == "zh"
    by_dim: dict[str, list[dict[str, Any]]] = {}
    for ind in result.indicators:
        cit = ind.citation.document + (ind.citation.article or "")
        by_dim.setdefault(ind.dimension, []).append(
            {
                "id": ind.id,
                "kind": KIND[lang].get(ind.kind, ind.kind),
                "kind_code": ind.kind,
                "title": ind.title,
                "status": ind.status,
                "status_label": status_word(ind.kind, ind.status, ind.points, lang) if zh else STATUS[lang][ind.status],
                "points": _num(ind.points) if ind.kind in ("bonus", "deduction", "score") else "",
                "max_points": _num(ind.max_points) if ind.max_points is not None else None,
                "explanation": ind.explanation.zh if zh else ind.explanation.en,
                "citation": cit,
                "evidence": _evidence(cs, ind, lang),
                "unknown_facts": fact_names(cs, ind.unknown_facts, lang) if cs is not None else _named(
                    result, ind.unknown_facts, lang),
            }
        )
    dims = [{"id": d.id, "title": d.title, "lit": d.lit, "indicators": by_dim.get(d.id, [])} for d in result.dimensions]
    std = result.standard
    return {
        "anchor": "branch-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in result.branch.id),
        "id": result.branch.id,
        "name": result.branch.name or result.branch.id,
        "unit": result.branch.unit,
        "year": result.year,
        "outcome": result.outcome,
        "outcome_label": result.outcome_label if zh else outcome_label(result.outcome, {}, lang),
        "stars": result.stars,
        "stars_text": stars_text(result.stars) if result.has_stars else "",
        "has_stars": result.has_stars,
        "score": _num(result.score),
        "scores": [score_line(sc, lang).strip() for sc in result.scores],
        "dimensions": dims,
        "lit": [d.id for d in result.dimensions if d.lit],
        "rectification": [
            {
                "id": r.id,
                "title": r.title,
                "kind": KIND[lang].get(r.kind, r.kind),
                "explanation": r.explanation.zh if zh else r.explanation.en,
            }
            for r in result.rectification_list
        ],
        "to_verify": _named(result, result.facts_to_verify, lang),
        "warnings": [w.message.zh if zh else w.message.en for w in result.warnings],
        "quota": (result.quota.note.zh if zh else result.quota.note.en) if result.quota else None,
        "next": nxt,
        "standard": {
            "id": std.id,
            "version": std.version,
            "title": std.title,
            "sha256": std.sha256,
            "period": f"{std.effective_from}..{std.effective_to or ''}",
            "layers": [
                {
                    "id": la.id,
                    "version": la.version,
                    "role": labels["layer_role"].get(la.role, la.role),
                    "file": la.file,
                    "sha256": la.sha256,
                }
                for la in std.layers
            ],
        },
        "facts_sha256": result.provenance.facts_sha256,
        "version": result.provenance.starrules_version,
        "engine": result.provenance.engine,
    }


def _unique_anchors(branches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One anchor per branch section (and its ``-rectification`` box), even when two
    branches have the same id (two years of one branch) or ids that read alike (``a b``, ``a-b``):
    later ones get ``-2``, ``-3`` …"""
    used: set[str] = set()
    for b in branches:
        base = cand = b["anchor"]
        n = 2
        while cand in used or f"{cand}-rectification" in used:
            cand, n = f"{base}-{n}", n + 1
        used.update((cand, f"{cand}-rectification"))
        b["anchor"] = cand
    return branches


def _named(result: Result, paths: Sequence[str], lang: str) -> list[str]:
    """Facts by the names the result recorded for them (facts_to_verify_labels)."""
    names = {f.fact: (f.label.zh if lang == "zh" else f.label.en) for f in result.facts_to_verify_labels}
    return [names.get(p, p) for p in paths]


def render_report(
    results: Sequence[Result], *, lang: str = "zh", next_stars: Sequence[NextStar | None] | None = None,
    standard: Any = None,
) -> str:
    """Results (one per branch) as one HTML document; ``standard`` (the compiled standard
    they were rated against) lets evidence and facts read in words."""
    labels = LABELS["zh" if lang == "zh" else "en"]
    nexts = list(next_stars) if next_stars is not None else [None] * len(results)
    branches = _unique_anchors([_branch(r, n, labels, lang, standard) for r, n in zip(results, nexts)])
    standards = list(dict.fromkeys(f"{r.standard.id} v{r.standard.version}" for r in results))
    return (
        _env()
        .get_template("report.html.j2")
        .render(t=labels, lang=lang, branches=branches, standards=standards, version=__version__)
    )


def report_html(
    standard: Any, facts: Sequence[Any], *, lang: str = "zh", standards_dirs: Sequence[str | Path] = ()
) -> str:
    """Evaluate each facts document against ``standard`` and render one HTML report (with
    what the next level takes, for each branch)."""
    results: list[Result] = []
    nexts: list[NextStar | None] = []
    cs = None
    for f in facts:
        session = open_session(standard, f, standards_dirs=standards_dirs)
        results.append(session.result)
        nexts.append(next_star_session(session, lang=lang))
        cs = session.cs
    return render_report(results, lang=lang, next_stars=nexts, standard=cs)


__all__ = ["render_report", "report_html", "template_env", "LABELS"]
