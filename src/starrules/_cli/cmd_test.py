"""``starrules test``: run the case files that policy staff write (docs/test-cases.md)."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .._cases import CaseOutcome, CaseReport, collect, failure_lines, run_cases
from .._errors import Lang, Problem
from .console import EXIT_OK, EXIT_PROBLEMS, make_console, print_problems
from .group import cli
from .options import lang_option, standards_dir_option

DEFAULT_PATH = "cases"


@cli.command(name="test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--coverage", "show_coverage", is_flag=True,
              help="Report, per standard, indicators the cases never saw PASS / FAIL (bonus: PASS / NA).")
@click.option("-k", "select", default=None, metavar="TEXT", help="Run only the cases whose 'file::name' contains TEXT.")
@click.option("-v", "--verbose", is_flag=True, help="List every case, passed ones too.")
@standards_dir_option
@lang_option
def test_command(paths: tuple[str, ...], show_coverage: bool, select: str | None, verbose: bool,
                 standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """Run test cases: every case in PATHS (files or folders; default: cases/).

    \b
    Prints each failing case: file, case name, expected vs actual, and the
    explanation of each indicator that differs; then "N passed, M failed".
    Exit 0 when every case passes, 1 when one fails or a case file is invalid, 2 usage.
    """
    if not paths:
        if not Path(DEFAULT_PATH).is_dir():
            raise click.UsageError(f"no PATH given and no {DEFAULT_PATH}/ folder here")
        paths = (DEFAULT_PATH,)
    out = make_console()
    out.soft_wrap = True  # long explanations stay on one line (easier to read and to grep)
    found = collect(list(paths))
    if not found.files:
        raise click.UsageError("no case files (*.yaml) found in " + ", ".join(paths))
    report = run_cases(paths, standards_dirs=standards_dirs, select=select, collection=found)
    _print_outcomes(report, lang, out, verbose)
    if report.problems:
        print_problems(sorted(report.problems, key=Problem.sort_key), lang, out)
    if show_coverage:
        _print_coverage(report, lang, out)
    _print_summary(report, lang, out)
    sys.exit(EXIT_OK if report.ok else EXIT_PROBLEMS)


def _print_outcomes(report: CaseReport, lang: Lang, out: Console, verbose: bool) -> None:
    zh = lang == "zh"
    by_file: dict[str, list[CaseOutcome]] = defaultdict(list)
    for o in report.outcomes:
        by_file[o.case.file].append(o)
    for file, outcomes in by_file.items():
        failed = [o for o in outcomes if not o.passed]
        n = len(outcomes)
        if not failed:
            mark = "[green]✓[/]"
            text = f"{n} 个用例全部通过" if zh else f"{n} passed"
        else:
            mark = "[red]✗[/]"
            text = (f"{n} 个用例，{len(failed)} 个未通过" if zh else f"{n - len(failed)} passed, {len(failed)} failed")
        out.print(f"{mark} {escape(file)}  {text}")
        for o in outcomes:
            if o.passed:
                if verbose:
                    out.print(f"    [green]✓[/] {escape(o.case.name)}")
                continue
            out.print(f"    [red]✗[/] [bold]{escape(o.case.file)}:{o.case.line}[/] {escape(o.case.name)}")
            for line in failure_lines(o, lang):
                out.print("        " + escape(line))


def _print_coverage(report: CaseReport, lang: Lang, out: Console) -> None:
    zh = lang == "zh"
    out.print()
    out.print("[bold]覆盖情况[/]（每项指标须既见过通过也见过不通过；加分项：加分与未加分）" if zh else
              "[bold]Coverage[/] (each indicator seen both ways; bonus: points earned and none)")
    table = Table()
    for zh_col, en_col in (("标准", "standard"), ("用例", "cases"), ("指标", "indicators"),
                           ("已覆盖", "covered"), ("未覆盖", "gaps")):
        table.add_column(zh_col if zh else en_col)
    for sc in report.coverage.standards.values():
        gaps = sc.gaps()
        table.add_row(sc.standard, str(sc.cases), str(len(sc.kinds)), f"{sc.covered}/{len(sc.kinds)}",
                      "[green]0[/]" if not gaps else f"[red]{len(gaps)}[/]")
    out.print(table)
    never = {"PASS": ("从未通过", "never PASS"), "FAIL": ("从未不通过", "never FAIL"),
             "NA": ("从未不加分（NA）", "never NA")}
    for sc in report.coverage.standards.values():
        groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for gap in sc.gaps():
            groups[gap.missing].append(gap.indicator)
        for missing, ids in groups.items():
            if zh:
                words = "、".join(never[s][0] for s in missing)
                out.print(f"  [yellow]{escape(sc.standard)}[/] {words}（{len(ids)} 项）：{escape('、'.join(ids))}")
            else:
                words = ", ".join(never[s][1] for s in missing)
                out.print(f"  [yellow]{escape(sc.standard)}[/] {words} ({len(ids)}): {escape(', '.join(ids))}")


def _print_summary(report: CaseReport, lang: Lang, out: Console) -> None:
    bad = report.failed + (1 if report.problems else 0)
    line = f"{report.passed} passed, {report.failed} failed"
    if report.problems:
        n = len(report.problems)
        line += f", {n} " + ("个用例文件问题" if lang == "zh" else "case-file problem" + ("s" if n > 1 else ""))
    out.print(f"[{'red' if bad else 'green'}]{line}[/]")


__all__ = ["test_command"]
