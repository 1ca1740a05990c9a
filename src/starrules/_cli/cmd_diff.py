"""``starrules diff A B``: what changed between two standards; with ``--population``, for whom."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .._diff import diff as diff_standards
from .._diff import side_ref
from .._diff import words as W
from .._diff.impact import ImpactRun, population_sources
from .._diff.model import Impact, StandardDiff
from .._diff.render import diff_html
from .._errors import Lang
from .console import EXIT_PROBLEMS, EXIT_USAGE, guarded, make_console
from .group import cli
from .options import lang_option, standards_dir_option

AFFECTED_SHOWN = 20


@cli.command()
@click.argument("a")
@click.argument("b")
@click.argument("facts", nargs=-1, type=click.Path(exists=True))
@click.option("--population", "-p", is_flag=True,
              help="Rate the branches of FACTS... (folders, JSONL or facts files) under A and under B.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "html"]), default="table", show_default=True,
              help="table for people, json for programs, html for a page to print.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for --population (default: the CPUs available).")
@click.option("--affected", "affected_limit", type=click.IntRange(min=0), default=200, show_default=True,
              help="How many affected branches to list (the counts cover them all).")
@click.option("--no-quota", "no_quota", is_flag=True, help="Do not apply the standards' quotas.")
@click.option("--texts", "show_texts", is_flag=True,
              help="Table: list text-only changes (citations, titles…) in full, not as one line per dimension.")
@standards_dir_option
@lang_option
def diff(a: str, b: str, facts: tuple[str, ...], population: bool, fmt: str, output: str | None,
         workers: int | None, affected_limit: int, no_quota: bool, show_texts: bool,
         standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """What changed from standard A to standard B (ids, FAMILY@YEAR such as prov@2024, or
    paths): indicators, parameters (old → new, tighter/looser, layer), rating rules and
    facts, per dimension.

    \b
    starrules diff prov-2023 prov-2024
    starrules diff prov-2023 prov-2024 --population branches.jsonl --format html -o impact.html

    With --population, every branch of FACTS is rated under both: the outcome × stars
    matrix, indicator flips, score changes and the affected branches.  Exit 0, or 1 when
    a standard cannot be loaded or a row was broken (the rest is still diffed)."""
    if facts and not population:
        raise click.UsageError("FACTS are given only with --population" if lang == "en"
                               else "只有加 --population 时才给出事实文件（FACTS）")
    if population and not facts:
        raise click.UsageError("--population needs FACTS..." if lang == "en"
                               else "--population 需要事实文件（FACTS...）")
    as_json = fmt == "json"
    d = guarded(diff_standards, lang, a, b, standards_dirs=standards_dirs, as_json=as_json)
    im: Impact | None = None
    if population:
        def run() -> Impact:
            sa, sb = side_ref(a, standards_dirs), side_ref(b, standards_dirs)
            return ImpactRun(sa, sb, population_sources(facts), standards_dirs=standards_dirs, workers=workers,
                             apply_quota=not no_quota, affected_limit=affected_limit).run()
        im = guarded(run, lang, as_json=as_json)
    if fmt == "json":
        body = d.model_dump_json(indent=2) if im is None else (
            '{"diff": ' + d.model_dump_json(indent=2) + ',\n"impact": ' + im.model_dump_json(indent=2) + "}")
        _emit(body + "\n", output, lang)
    elif fmt == "html":
        _emit(diff_html(d, im, lang=lang), output, lang)
    else:
        if output is not None:
            with open(output, "w", encoding="utf-8") as f:
                console = Console(file=f, width=120, highlight=False, soft_wrap=False, color_system=None)
                print_diff(d, lang, console, texts=show_texts)
                if im is not None:
                    print_impact(im, lang, console)
        else:
            console = make_console()
            print_diff(d, lang, console, texts=show_texts)
            if im is not None:
                print_impact(im, lang, console)
    if im is not None and (im.broken or im.broken_truncated):
        sys.exit(EXIT_PROBLEMS)


def _emit(text: str, output: str | None, lang: Lang) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    Path(output).write_text(text, encoding="utf-8")
    make_console(stderr=True).print(Text(f"已写入 {output}" if lang == "zh" else f"wrote {output}"))


# -- the diff, drawn ---------------------------------------------------------------------------


def print_diff(d: StandardDiff, lang: Lang, console: Console, *, texts: bool = False) -> None:
    """The diff as tables; text-only indicator changes are one line per dimension unless ``texts``."""
    zh = lang == "zh"
    console.print(Text(f"{d.a.id} v{d.a.version}（{d.a.sha256[:12]}）→ {d.b.id} v{d.b.version}（{d.b.sha256[:12]}）"
                       if zh else f"{d.a.id} v{d.a.version} ({d.a.sha256[:12]}) → {d.b.id} v{d.b.version} "
                       f"({d.b.sha256[:12]})", style="bold"))
    sentence = W.equal_sentence(d, lang)
    if sentence:
        console.print(Text(sentence, style="bold green"))
    if d.header:
        for f in d.header:
            console.print(Text("  " + W.field_line(f, lang)))
    for dim in d.dimensions:
        shown = [ic for ic in dim.indicators if texts or not ic.text_only]
        quiet = [ic.id for ic in dim.indicators if ic not in shown]
        if not shown:
            console.print(Text(f"{dim.title}（{dim.id}）：仅文字修改（不影响评定）：{'、'.join(quiet)}" if zh else
                               f"{dim.title} ({dim.id}): text-only changes (no rating can move): {', '.join(quiet)}",
                               style="dim"), soft_wrap=True)
            continue
        t = Table(title=f"{dim.title}（{dim.id}）" if zh else f"{dim.title} ({dim.id})", title_justify="left",
                  title_style="bold")
        t.add_column("指标" if zh else "indicator", no_wrap=True)
        t.add_column("名称" if zh else "title")
        t.add_column("变更" if zh else "change", no_wrap=True)
        t.add_column("内容" if zh else "what", ratio=1)
        t.add_column("设定层" if zh else "layer")
        if quiet:
            t.caption = (f"另有仅文字修改（不影响评定）：{'、'.join(quiet)}（--texts 列出）" if zh else
                         f"also text-only changes (no rating can move): {', '.join(quiet)} (--texts lists them)")
            t.caption_justify = "left"
        for ic in shown:
            change = W.CHANGE[lang][ic.change] + (("（仅文字）" if zh else " (text only)") if ic.text_only else "")
            t.add_row(ic.id, escape(ic.title), change, escape("\n".join(W.indicator_lines(ic, lang, d.parameters))),
                      escape(W.indicator_layer(ic, d.parameters)), style="dim" if ic.text_only else None)
        console.print(t)
    if d.parameters:
        t = Table(title="参数" if zh else "Parameters", title_justify="left", title_style="bold")
        t.add_column("参数" if zh else "parameter", no_wrap=True)
        t.add_column("原值 → 新值" if zh else "old → new")
        t.add_column("设定层" if zh else "layer")
        t.add_column("用于" if zh else "used by")
        for p in d.parameters:
            t.add_row("$" + p.name, escape(W.parameter_line(p, lang)), escape(W.layers(p.old_layer, p.layer)),
                      ", ".join(p.used_by))
        console.print(t)
    for title, rows in ((("定义" if zh else "Definitions"),
                         [f"{x.name}: {W.CHANGE[lang][x.change]} {x.old or '—'} → {x.new or '—'}"
                          + (f"（{W.EQUIVALENT[lang][x.equivalent]}）" if x.equivalent else "")
                          + (f" [{', '.join(x.used_by)}]" if x.used_by else "") for x in d.definitions]),
                        (("定星规则" if zh else "Rating rules"), [W.field_line(f, lang) for f in d.rating]),
                        (("事实" if zh else "Facts"),
                         [f"{f.path}: {W.CHANGE[lang][f.change]}" + (f" ({', '.join(f.fields)})" if f.fields else "")
                          + f" {W.text(f.new or f.old)}" for f in d.facts])):
        if rows:
            console.print(Text(title, style="bold"))
            for r in rows:
                console.print(Text("  " + r), soft_wrap=True)


# -- the impact, drawn -------------------------------------------------------------------------


def print_impact(im: Impact, lang: Lang, console: Console) -> None:
    zh = lang == "zh"
    broken = len(im.broken) + im.broken_truncated
    console.print(Text(
        f"影响测算：{im.branches} 个支部，两版均可评价 {im.rated} 个，结果有变化 {im.changed} 个，无法评价 {broken} 个"
        if zh else f"Impact: {im.branches} branches, {im.rated} rated under both, {im.changed} moved, {broken} broken",
        style="bold"))
    used = [s for s in im.states if any(t.before == s or t.after == s for t in im.matrix)]
    cells = {(t.before, t.after): t.count for t in im.matrix}
    m = Table(title="结论与星级变化（行：原标准，列：新标准）" if zh else "Outcome and stars (rows: before, columns: after)",
              title_justify="left", title_style="bold")
    m.add_column("")
    for s in used:
        m.add_column(W.state_label(s, im.b, lang), justify="right")
    for s in used:
        m.add_row(W.state_label(s, im.a, lang),
                  *[(f"[bold]{cells.get((s, t), '')}[/]" if s == t else str(cells.get((s, t), ""))) for t in used])
    console.print(m)
    if im.flips:
        f = Table(title="指标状态变化" if zh else "Indicator flips", title_justify="left", title_style="bold")
        f.add_column("指标" if zh else "indicator", no_wrap=True)
        f.add_column("名称" if zh else "title")
        f.add_column("变化" if zh else "flips", ratio=1)
        f.add_column("合计" if zh else "total", justify="right")
        for fc in im.flips:
            f.add_row(fc.id, escape(fc.title), escape(W.flip_counts(fc, lang)), str(fc.total))
        console.print(f)
    sc = Table(title="得分变化" if zh else "Score change", title_justify="left", title_style="bold")
    sc.add_column("变化" if zh else "change", justify="right")
    sc.add_column("支部数" if zh else "branches", justify="right")
    for x in im.score_changes:
        sc.add_row("—" if x.delta is None else f"{float(x.delta):+g}", str(x.count))
    console.print(sc)
    for br in im.affected[:AFFECTED_SHOWN]:
        head = (f"{br.name or br.branch_id}（{br.branch_id}）" if zh else f"{br.name or br.branch_id} ({br.branch_id}) ")
        head += f"{W.rating_label(br.before, im.a, lang)} → {W.rating_label(br.after, im.b, lang)}  {br.source}"
        console.print(Text(head, style="bold"), soft_wrap=True)
        if br.after.quota is not None:
            console.print(Text("  " + (br.after.quota.zh if zh else br.after.quota.en), style="dim"), soft_wrap=True)
        for fl in br.flips:
            before = fl.explanation_before.zh if zh and fl.explanation_before else (
                fl.explanation_before.en if fl.explanation_before else "—")
            after = fl.explanation_after.zh if zh and fl.explanation_after else (
                fl.explanation_after.en if fl.explanation_after else "—")
            console.print(Text(f"  {fl.id} {W.flip_status(fl, lang)}{'：' if zh else ': '}{before} ⇒ {after}"),
                          soft_wrap=True)
    more = len(im.affected) - AFFECTED_SHOWN + im.affected_truncated
    if more > 0:
        console.print(Text(f"……另有 {more} 个受影响的支部（--format json/html 列出 --affected 个）" if zh
                           else f"... {more} more affected branches (--format json/html list --affected of them)",
                           style="dim"))
    if im.broken:
        e = Table(title=f"无法评价（{broken} 个）" if zh else f"Broken rows ({broken})", title_justify="left",
                  title_style="bold red")
        e.add_column("来源" if zh else "source", no_wrap=True)
        e.add_column("标准" if zh else "rejected by", no_wrap=True)
        e.add_column("问题" if zh else "problem", ratio=1)
        side = {"a": im.a.id, "b": im.b.id, "both": "两版" if zh else "both"}
        for row in im.broken[:AFFECTED_SHOWN]:
            e.add_row(escape(row.source), side[row.side],
                      escape("\n".join(f"{p['code']} {p['message']['zh' if zh else 'en']}" for p in row.problems)))
        console.print(e)


__all__ = ["EXIT_USAGE", "diff", "print_diff", "print_impact"]
