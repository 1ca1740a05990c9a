"""Rich rendering of results for the terminal."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .._errors import Lang
from .._evaluate.marks import status_word
from .._evaluate.result import Result
from .._explain.words import score_line

STATUS_STYLE = {"PASS": "green", "FAIL": "red", "NA": "dim", "UNKNOWN": "yellow"}
STATUS_LABEL = {
    "zh": {"PASS": "通过", "FAIL": "未通过", "NA": "不适用", "UNKNOWN": "待核实"},
    "en": {"PASS": "PASS", "FAIL": "FAIL", "NA": "NA", "UNKNOWN": "UNKNOWN"},
}
KIND_LABEL = {
    "zh": {"required": "达标", "veto": "否决", "star": "创星", "bonus": "加分", "deduction": "扣分",
           "score": "计分", "cap": "限星"},
    "en": {k: k for k in ("required", "veto", "star", "bonus", "deduction", "score", "cap")},
}
OUTCOME_STYLE = {"met": "bold green", "not_met": "bold red", "pending": "bold yellow"}
OUTCOME_EN = {"met": "met", "not_met": "not met", "pending": "pending"}


def _num(value: object) -> str:
    from .._lang import format_value

    return format_value(value, "en")


def stars_text(stars: int | None) -> str:
    if stars is None:
        return "—"
    return "★" * stars + "☆" * (5 - stars)


def result_table(result: Result, lang: Lang) -> Group:
    zh = lang == "zh"
    head = Text.assemble(
        (result.branch.name or result.branch.id, "bold"),
        f"  {result.branch.id}  {result.year}  ",
        (f"{result.standard.id} v{result.standard.version}", "cyan"),
        f"  sha256:{result.standard.sha256[:12]}",
    )
    tables = []
    for dim in result.dimensions:
        lit = ("（点亮）" if zh else " (lit)") if dim.lit else ""
        table = Table(title=f"{dim.id} {dim.title}{lit}", title_justify="left", title_style="bold magenta",
                      show_lines=False, expand=True, pad_edge=False)
        table.add_column("指标" if zh else "Indicator", no_wrap=True, min_width=8)
        table.add_column("类型" if zh else "Kind", no_wrap=True)
        table.add_column("标题" if zh else "Title", no_wrap=True, max_width=18)
        table.add_column("状态" if zh else "Status", no_wrap=True)
        table.add_column("分" if zh else "Pts", justify="right", no_wrap=True)
        table.add_column("说明" if zh else "Why", ratio=1)
        for ind in result.indicators:
            if ind.dimension != dim.id:
                continue
            word = status_word(ind.kind, ind.status, ind.points, lang) if zh else STATUS_LABEL[lang][ind.status]
            status = Text(word, style=STATUS_STYLE[ind.status])
            points = _num(ind.points) if ind.kind in ("bonus", "deduction", "score") else ""
            why = ind.explanation.zh if zh else ind.explanation.en
            table.add_row(ind.id, KIND_LABEL[lang].get(ind.kind, ind.kind), ind.title, status, points, escape(why))
        tables.append(table)
    label = result.outcome_label if zh else OUTCOME_EN[result.outcome]
    stars: tuple[object, ...] = ()
    if result.has_stars:  # a standard without stars shows none (no ☆☆☆☆☆)
        stars = (("    星级：" if zh else "    Stars: "), (stars_text(result.stars), "bold yellow"),
                 (f" ({result.stars})" if result.stars is not None else ""))
    foot = Text.assemble(
        ("结论：" if zh else "Outcome: "), (label, OUTCOME_STYLE[result.outcome]), *stars,  # type: ignore[arg-type]
        ("    得分：" if zh else "    Score: "), (_num(result.score) if result.score is not None else "—"),
    )
    parts: list[object] = [head, *tables, foot]
    for sc in result.scores:
        parts.append(Text(score_line(sc, lang)))
    if result.rectification_list:
        parts.append(Text("整改清单：" if zh else "Rectification list:", style="bold red"))
        for item in result.rectification_list:
            parts.append(Text(f"  · {item.id} {item.title}: {item.explanation.zh if zh else item.explanation.en}"))
    if result.facts_to_verify:
        parts.append(Text("待核实事项：" if zh else "Facts to verify:", style="bold yellow"))
        for fact in result.facts_to_verify:
            parts.append(Text(f"  · {fact}"))
    if result.quota is not None:
        parts.append(Text(result.quota.note.zh if zh else result.quota.note.en, style="dim"))
    for w in result.warnings:
        parts.append(Text(("提示：" if zh else "note: ") + (w.message.zh if zh else w.message.en), style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def print_result(result: Result, lang: Lang, console: Console) -> None:
    console.print(result_table(result, lang))
