"""Audit commands: ``explain``, ``report``, ``verify``, ``next-star``."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .._errors import Lang
from .._files import check_outputs, write_atomic
from .._explain.explain import explain as explain_facts
from .._explain.next_star import NextStar, next_star
from .._explain.report import report_html
from .._explain.tree import ExplainNode
from .._explain.verify import VerifyReport
from .._explain.verify import verify as verify_result
from .console import echo_data, EXIT_PROBLEMS, guarded, make_console
from .group import cli
from .options import format_option, input_paths, lang_option, standard_option, standards_dir_option

STYLE = {
    "outcome": "bold",
    "indicator": "bold",
    "section": "bold magenta",
    "parameter": "cyan",
    "evidence": "dim",
    "items": "dim",
    "item": "dim",
    "note": "italic",
    "dimension": "",
    "step": "",
    "fact": "",
    "definition": "",
    "expr": "",
}


def _tree(n: ExplainNode, parent: Tree | None = None) -> Tree:
    label = Text(n.text, style=STYLE.get(n.kind, ""))
    branch = Tree(label, guide_style="dim") if parent is None else parent.add(label)
    for child in n.children:
        _tree(child, branch)
    return branch


def print_tree(node: ExplainNode, console: Console) -> None:
    console.print(_tree(node))


# -- explain -------------------------------------------------------------------------------------


@cli.command()
@click.argument("facts", type=click.Path())
@standard_option
@click.option("--indicator", "-i", default=None, help="One indicator's derivation (e.g. ACT-06).")
@format_option
@standards_dir_option
@lang_option
def explain(
    facts: str, standard: str, indicator: str | None, fmt: str, standards_dirs: tuple[str, ...], lang: Lang
) -> None:
    """How FACTS were rated: the outcome and stars step by step, or one indicator's derivation
    (its rule, citation, the value of every sub-expression, evidence, parameters and the
    layers that set them, and how it fed the outcome)."""
    as_json = fmt == "json"
    exp = guarded(
        lambda: explain_facts(standard, facts, indicator, lang=lang, standards_dirs=standards_dirs),
        lang,
        as_json=as_json,
    )
    if as_json:
        echo_data(exp.model_dump_json(indent=2))
        return
    print_tree(exp.tree, make_console())


# -- next-star -----------------------------------------------------------------------------------


def print_next_star(ns: NextStar, lang: Lang, console: Console) -> None:
    zh = lang == "zh"
    console.print(Text(ns.summary, style="bold"))
    if ns.facts_to_supply:
        t = Tree(Text("需补充的事实" if zh else "facts to supply", style="bold yellow"), guide_style="dim")
        for f in ns.facts_to_supply:
            t.add(Text(f))
        console.print(t)
    for i, opt in enumerate(ns.options, start=1):
        stars = (
            f" {opt.stars} 星"
            if zh and opt.stars is not None
            else (f", {opt.stars} stars" if opt.stars is not None else "")
        )
        head = f"方案 {i}（→ {opt.outcome_label}{stars}）" if zh else f"option {i} (→ {opt.outcome_label}{stars})"
        t = Tree(Text(head, style="bold magenta"), guide_style="dim")
        for c in opt.changes:
            node = t.add(Text(c.text))
            for g in c.gaps:
                node.add(Text(g.text, style="cyan"))
        console.print(t)
    if ns.more_options:
        console.print(
            Text(
                f"另有 {ns.more_options} 种同样最少的组合未列出"
                if zh
                else f"{ns.more_options} more equally small sets not listed",
                style="dim",
            )
        )
    if ns.limits:
        t = Tree(Text("原因" if zh else "why", style="bold red"), guide_style="dim")
        for lim in ns.limits:
            t.add(Text(lim))
        console.print(t)
    if not ns.exhaustive:
        console.print(
            Text(
                "搜索达到上限，所列方案未必最少"
                if zh
                else "search budget reached: the set shown may not be the smallest",
                style="yellow",
            )
        )


@cli.command(name="next-star")
@click.argument("facts", type=click.Path())
@standard_option
@format_option
@standards_dir_option
@lang_option
def next_star_cmd(facts: str, standard: str, fmt: str, standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """What it takes to reach the next level: the fewest indicators that must change
    (not met → met, or one more star; pending → the facts to supply), each in the facts'
    own terms."""
    as_json = fmt == "json"
    ns = guarded(lambda: next_star(standard, facts, lang=lang, standards_dirs=standards_dirs), lang, as_json=as_json)
    if as_json:
        echo_data(ns.model_dump_json(indent=2))
        return
    print_next_star(ns, lang, make_console())


# -- report --------------------------------------------------------------------------------------


@cli.command()
@click.argument("facts", nargs=-1, required=True, type=click.Path())
@standard_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="The HTML file to write (default: standard output).",
)
@standards_dir_option
@lang_option
def report(
    facts: tuple[str, ...], standard: str, output: str | None, standards_dirs: tuple[str, ...], lang: Lang
) -> None:
    """One self-contained HTML report for one or more branches' FACTS (opens offline, prints)."""
    if output is not None:
        guarded(check_outputs, lang, [("-o", output)], input_paths(standard, standards_dirs, *facts))
    html = guarded(lambda: report_html(standard, list(facts), lang=lang, standards_dirs=standards_dirs), lang)
    if output is None:
        echo_data(html, nl=False, html=True)
        return
    guarded(write_atomic, lang, output, html)
    zh = lang == "zh"
    make_console(stderr=True).print(
        Text(f"已写入 {output}（{len(facts)} 个支部）" if zh else f"wrote {output} ({len(facts)} branch(es))")
    )


# -- verify --------------------------------------------------------------------------------------


def print_verify(rep: VerifyReport, lang: Lang, console: Console) -> None:
    zh = lang == "zh"
    src = {
        "embedded": "结果中嵌入的事实" if zh else "embedded in the result",
        "file": "--facts 指定的文件" if zh else "from --facts",
    }[rep.facts_source]
    if zh:
        console.print(Text(f"标准：{rep.standard_id}（sha256 与记录一致）\n  {rep.standard_sha256}"))
        console.print(Text(f"事实：{src}（sha256 与记录一致）\n  {rep.facts_sha256}"))
    else:
        console.print(Text(f"standard: {rep.standard_id} (sha256 as recorded)\n  {rep.standard_sha256}"))
        console.print(Text(f"facts: {src} (sha256 as recorded)\n  {rep.facts_sha256}"))
    for n in rep.notes:
        console.print(
            Text(
                (
                    f"注：{n.path} 记录为 {n.recorded}，现为 {n.now}（不影响结果）"
                    if zh
                    else f"note: {n.path} was {n.recorded}, now {n.now} (does not change the result)"
                ),
                style="dim",
            )
        )
    if rep.identical:
        console.print(
            Text(
                "一致：重新评价的结果与记录完全相同" if zh else "identical: re-evaluating gives the recorded result",
                style="bold green",
            )
        )
        return
    n = len(rep.differences)
    console.print(
        Text(f"不一致：{n} 处不同" if zh else f"mismatch: {n} difference{'s' if n != 1 else ''}", style="bold red")
    )
    table = Table()
    table.add_column("字段" if zh else "field")
    table.add_column("记录值" if zh else "recorded")
    table.add_column("现值" if zh else "now")
    from .._evaluate.result import json_value

    absent = "（无此项）" if zh else "(absent)"
    for d in rep.differences:
        table.add_row(Text(d.path), Text(absent if d.recorded_absent else _short(json_value(d.recorded))),
                      Text(absent if d.now_absent else _short(json_value(d.now))))
    console.print(table)


def _short(value: object, limit: int = 200) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@cli.command()
@click.argument("result", type=click.Path())
@click.option(
    "--facts",
    default=None,
    type=click.Path(),
    help="The facts the result was made from (not needed when the result embeds them: evaluate --embed-facts).",
)
@click.option("--no-shipped", "no_shipped", is_flag=True,
              help="Find the standard in --standards-dir only, not among the shipped ones (to verify against "
                   "the standard files as recorded, which may reuse a shipped id).")
@format_option
@standards_dir_option
@lang_option
def verify(result: str, facts: str | None, no_shipped: bool, fmt: str, standards_dirs: tuple[str, ...],
           lang: Lang) -> None:
    """Re-run a recorded RESULT (JSON of evaluate --format json) and report whether it is
    reproduced exactly, or what differs.  Exit 0 identical, 1 mismatch or error."""
    as_json = fmt == "json"
    rep = guarded(verify_result, lang, result, facts=facts, standards_dirs=standards_dirs, shipped=not no_shipped,
                  as_json=as_json)
    if as_json:
        echo_data(rep.model_dump_json(indent=2))
    else:
        print_verify(rep, lang, make_console())
    if not rep.identical:
        sys.exit(EXIT_PROBLEMS)
