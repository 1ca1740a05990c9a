"""``starrules batch``: rate a whole group at once (a folder of facts files or a JSONL file)."""

from __future__ import annotations

import signal
import sys
import threading
from fractions import Fraction
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .._batch.items import Row
from .._batch.output import STOP_SIGNALS, OutWriter, ignore_stop_signals
from .._batch.roster import Entry, entry_of_row, percent, write_publish, write_roster
from .._batch.run import BatchRun
from .._batch.sources import count_input, iter_input
from .._batch.summary import COLUMNS, Summary
from .._errors import Lang, StarrulesError
from .._files import check_outputs
from .console import EXIT_INTERRUPTED, EXIT_PROBLEMS, fail, guarded, make_console, print_problems
from .group import cli
from .._batch.units import read_unit_facts
from .options import input_paths, lang_option, standard_option, standards_dir_option

TOP_FAILED = 10
ERRORS_SHOWN = 20


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "—/s", style="progress.data.speed")


def _progress(console: Console) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TaskProgressColumn(), RateColumn(), TimeElapsedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False)


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True))
@standard_option
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The JSONL file to write: one line per input, in input order.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the CPUs available; parallel from a few hundred documents).")
@click.option("--summary-csv", "summary_csv", type=click.Path(dir_okay=False), default=None,
              help="Also write the counts (outcome × stars, per unit) as CSV (UTF-8 with BOM, for Excel).")
@click.option("--no-quota", "no_quota", is_flag=True,
              help="Do not apply the standard's quota (each result as a single evaluation would give it).")
@click.option("--engine", type=click.Choice(["native", "dask"]), default="native", show_default=True,
              help="native: a process pool on this machine; dask: a Dask cluster (the `dask` extra), "
                   "a LocalCluster unless --scheduler is given.  INPUT may then also be compressed JSONL or Parquet.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --engine dask: the address of a running Dask scheduler (tcp://host:8786).")
@click.option("--roster", "roster", type=click.Path(dir_okay=False), default=None,
              help="Also write the roster, one row per branch (.csv, UTF-8 with BOM, or .xlsx).")
@click.option("--publish", "publish", type=click.Path(dir_okay=False), default=None,
              help="Also write the 公示 list (.xlsx): ranked per unit, 达标率 and average score per unit, "
                   "the 不达标/待核实 branches with reasons.")
@click.option("--unit-order", "unit_order", type=click.Path(dir_okay=False, exists=True), default=None,
              help="A text file, one unit a line: the order of units in the tables (others follow as they appear).")
@click.option("--unit-facts", "unit_facts", type=click.Path(dir_okay=False, exists=True), default=None,
              help="YAML/JSON facts per branch.unit, merged into each branch of that unit (docs/batch.md).")
@standards_dir_option
@lang_option
def batch(input_path: str, standard: str, out: str, workers: int | None, summary_csv: str | None, no_quota: bool,
          engine: str, scheduler: str | None, roster: str | None, publish: str | None, unit_order: str | None,
          unit_facts: str | None, standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """Rate every branch of INPUT (a folder of YAML/JSON/xlsx facts files, or a JSONL file).

    \b
    Writes OUT (JSONL): {"source": ..., "result": {...}} or {"source": ..., "error": [...]}
    per input, in input order; the standard's quota (e.g. city-2023's five stars) applies
    to the whole batch.  Exit 0, or 1 if any input was an error row (OUT is complete
    anyway), 130 when interrupted (OUT then ends with a {"summary": ...} line).
    """
    previous = _stop_handlers()
    _sigterm_as_interrupt()
    try:
        _batch(input_path, standard, out, workers, summary_csv, no_quota, engine, scheduler, roster, publish,
               unit_order, unit_facts, standards_dirs, lang)
    finally:
        _restore(previous)  # (main() keeps them ignored when a run ends interrupted)


def _batch(input_path: str, standard: str, out: str, workers: int | None, summary_csv: str | None, no_quota: bool,
           engine: str, scheduler: str | None, roster: str | None, publish: str | None, unit_order: str | None,
           unit_facts: str | None, standards_dirs: tuple[str, ...], lang: Lang) -> None:
    zh = lang == "zh"
    err = make_console(stderr=True)
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    outputs = [("-o", out)] + [(flag, path) for flag, path in (("--summary-csv", summary_csv), ("--roster", roster),
                                                              ("--publish", publish)) if path]
    guarded(check_outputs, lang, outputs, input_paths(standard, standards_dirs, input_path))
    if engine == "dask":
        sources: Any = input_path
    else:
        sources = guarded(iter_input, lang, input_path)
    show_progress = err.is_terminal and engine == "native"
    progress = _progress(err) if show_progress else None
    rating_task: list[Any] = []
    total = count_input(input_path) if progress is not None else None

    def on_rated(row: Row) -> None:
        if progress is None:
            return
        if not rating_task:  # started with the first row: after the worker processes were forked
            progress.start()
            rating_task.append(progress.add_task("评价" if zh else "rating", total=total))
        progress.advance(rating_task[0])

    for path, suffixes in ((roster, (".csv", ".xlsx")), (publish, (".xlsx",))):
        if path is not None and not path.lower().endswith(suffixes):
            raise click.UsageError(f"{path}: the file must end in {' or '.join(suffixes)}")
    run: Any
    units = guarded(read_unit_facts, lang, unit_facts) if unit_facts is not None else None
    if engine == "dask" and units is not None:
        fail_usage = "--unit-facts 暂不支持 --engine dask" if lang == "zh" else "--unit-facts is not supported with --engine dask yet"
        raise click.UsageError(fail_usage)
    if engine == "dask":
        from .._dask.run import DaskRun  # the dask extra, only when asked for

        run = guarded(DaskRun, lang, standard, sources, standards_dirs=standards_dirs, workers=workers,
                      apply_quota=not no_quota, scheduler=scheduler)
    else:
        run = guarded(BatchRun, lang, standard, sources, mode="json", standards_dirs=standards_dirs, workers=workers,
                      apply_quota=not no_quota, on_rated=on_rated, unit_facts=units)
    declared = _declared_units(unit_order)
    summary = Summary(declared=declared)
    entries: list[Entry] | None = [] if (roster or publish) else None
    writer = guarded(OutWriter, lang, out)
    try:
        with run:
            writing_task = None
            try:
                for row in run:
                    writer.write(row.payload)
                    summary.add(row, run.where(row))
                    if entries is not None:
                        entries.append(entry_of_row(row, run.where(row)))
                    if progress is not None and rating_task and run.phase == "writing":
                        if writing_task is None:
                            progress.update(rating_task[0], total=run.count, completed=run.count)
                            writing_task = progress.add_task("写出" if zh else "writing", total=run.count)
                        progress.advance(writing_task)
                writer.commit()
            except KeyboardInterrupt:
                _finish_interrupted(err, out, run, writer, progress, standard, lang)
                sys.exit(EXIT_INTERRUPTED)
            except StarrulesError as exc:  # OUT could not be written (disk full ...)
                writer.abort()
                fail(exc, lang)
            finally:
                if progress is not None:
                    _quietly(progress.stop)
    finally:
        writer.abort()  # nothing when committed: a failed run leaves any previous OUT as it was

    labels = _labels(run)
    if summary_csv:
        guarded(summary.write_csv, lang, summary_csv, lang, labels)
    console = make_console()
    print_summary(summary, run, lang, console, labels)
    console.print(f"{'结果已写入' if zh else 'results written to'} {escape(out)}"
                  + (f"（{writer.lines} 行）" if zh else f" ({writer.lines} lines)"))
    if summary_csv:
        console.print(f"{'统计表已写入' if zh else 'counts written to'} {escape(summary_csv)}")
    if entries is not None and roster:
        guarded(write_roster, lang, roster, entries, lang, labels)
        console.print(f"{'名册已写入' if zh else 'roster written to'} {escape(roster)}")
    if entries is not None and publish:
        guarded(write_publish, lang, publish, entries, lang, labels, declared)
        console.print(f"{'公示名单已写入' if zh else 'publication list written to'} {escape(publish)}")
    if summary.errors:
        sys.exit(EXIT_PROBLEMS)


def _stop_handlers() -> list[tuple[int, Any]]:
    if threading.current_thread() is not threading.main_thread():
        return []
    return [(s, signal.getsignal(s)) for s in STOP_SIGNALS]


def _sigterm_as_interrupt() -> None:
    """``kill`` (SIGTERM) ends a batch as Ctrl-C does: partial OUT with its summary, exit 130."""
    if hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _restore(handlers: list[tuple[int, Any]]) -> None:
    for s, handler in handlers:
        signal.signal(s, handler)


def _quietly(fn: Any) -> None:
    """For the closing steps of an interrupted run: a broken pipe or another Ctrl-C there must
    not hide the lines that follow."""
    try:
        fn()
    except (OSError, KeyboardInterrupt, ValueError):
        pass


def _finish_interrupted(err: Console, out: str, run: BatchRun, writer: OutWriter, progress: Progress | None,
                        standard: str, lang: Lang) -> None:
    """OUT completed with the rows rated so far and its closing summary line, then the message.
    Ctrl-C and SIGTERM are ignored from here to the exit (the pool's shutdown included); one
    arriving before they are is absorbed by trying again (every step can be repeated)."""
    for _ in range(10):
        try:
            ignore_stop_signals()  # for good: the process is on its way out
            if progress is not None:
                _quietly(progress.stop)
            if not writer.closed:
                for row in run.partial_rows():
                    writer.write(row.payload)
            info = writer.interrupted(standard=run.ref.ref, quota_declared=run.quota_in_play,
                                      quota_applied=run.quota_applied)
            _quietly(lambda: _interrupted_message(err, out, info, lang))
            return
        except KeyboardInterrupt:
            continue
        except StarrulesError as exc:  # OUT could not be written
            writer.abort()
            problems = exc.problems
            _quietly(lambda: print_problems(problems, lang, err))
            return


def _interrupted_message(err: Console, out: str, info: dict[str, Any], lang: Lang) -> None:
    zh = lang == "zh"
    head = "已中断。" if zh else "Interrupted. "
    err.print(f"[bold red]{head}[/]" + escape(f"{out}: " + info["message"]["zh" if zh else "en"]))
    err.print(escape("文件末行 {\"summary\": …} 标明其不完整。" if zh else
                      "Its last line, {\"summary\": ...}, marks it incomplete."))


def _declared_units(path: str | None) -> tuple[str, ...]:
    if path is None:
        return ()
    with open(path, encoding="utf-8-sig") as f:
        return tuple(line.strip() for line in f if line.strip())


def _labels(run: Any) -> dict[str, str]:
    stds = run.standards
    return dict(stds[0].resolved.rating.labels) if len(stds) == 1 else {}


# -- the summary, drawn ------------------------------------------------------------------------


def print_summary(summary: Summary, run: Any, lang: Lang, console: Console, labels: dict[str, str]) -> None:
    zh = lang == "zh"
    headers = Summary.headers(lang, labels)
    rated = summary.rated

    t = Table(title=("结论与星级" if zh else "Outcome and stars"), title_justify="left", title_style="bold")
    t.add_column("结论 / 星级" if zh else "outcome / stars")
    t.add_column("支部数" if zh else "branches", justify="right")
    t.add_column("占已评价" if zh else "of rated", justify="right")
    for col, head in zip(COLUMNS, headers):
        n = summary.counts[col]
        if n:
            share = "—" if col[0] == "error" or not rated else percent(Fraction(n, rated))
            t.add_row(head, str(n), share)
    t.add_row(Text("已评价" if zh else "rated", style="bold"), str(rated), "100.0%" if rated else "—")
    if summary.errors:
        t.add_row(Text("合计（含出错）" if zh else "total (with errors)", style="bold"), str(summary.total), "")
    console.print(t)
    if summary.errors:
        console.print(f"占比按已评价的 {rated} 个支部计算，出错的 {summary.errors} 个不计入。" if zh else
                      f"Shares are of the {rated} rated branches; the {summary.errors} error rows are not counted.")

    rows = summary.table(lang)
    used = [i for i, c in enumerate(COLUMNS) if summary.counts[c]]
    u = Table(title=("各单位" if zh else "Per unit"), title_justify="left", title_style="bold")
    u.add_column("单位" if zh else "unit")
    u.add_column("合计" if zh else "total", justify="right")
    for i in used:
        u.add_column(headers[i], justify="right")
    u.add_column("达标率（占已评价）" if zh else "met rate (of rated)", justify="right")
    for unit, (label, n, counts) in zip(summary.unit_order(), rows[1:]):
        u.add_row(escape(label), str(n), *[str(counts[i]) if counts[i] else "" for i in used],
                  percent(summary.met_rate(unit)))
    console.print(u)

    if summary.failed:
        titles: dict[str, str] = {}
        for std in run.standards:
            for ci in std.compiled.indicators:
                titles.setdefault(ci.id, ci.spec.title)
        f = Table(title=("未通过最多的指标" if zh else "Most failed indicators"), title_justify="left",
                  title_style="bold")
        f.add_column("指标" if zh else "indicator")
        f.add_column("标题" if zh else "title")
        f.add_column("未通过" if zh else "failed", justify="right")
        f.add_column("占已评价" if zh else "of rated", justify="right")
        for ind, n in summary.failed.most_common(TOP_FAILED):
            f.add_row(ind, escape(titles.get(ind, "")), str(n), f"{100 * n / (summary.rated or 1):.1f}%")
        console.print(f)

    if summary.scores:
        labels_of: dict[str, str] = {}
        for std in run.standards:
            for sc in std.compiled.rating.scores:
                if sc.label is not None:
                    labels_of.setdefault(sc.name, sc.label.zh if zh else sc.label.en)
        sc_t = Table(title=("各项得分" if zh else "Named scores"), title_justify="left", title_style="bold")
        sc_t.add_column("得分" if zh else "score")
        sc_t.add_column("已评分" if zh else "scored", justify="right")
        sc_t.add_column("达到及格线" if zh else "passed", justify="right")
        sc_t.add_column("平均分" if zh else "mean", justify="right")
        for sid, n, passed, mean in summary.score_rows():
            sc_t.add_row(escape(f"{sid} {labels_of.get(sid, '')}".strip()), str(n), str(passed),
                         f"{float(mean):.1f}" if mean is not None else "—")
        console.print(sc_t)

    for (sid, scope), ranking in run.rankings.items():
        rule = ranking.rule
        if scope is not None:
            sid = f"{sid}, {scope}"
        kept = min(ranking.limit, len(ranking.candidates))
        if zh:
            line = (f"名额限制（{sid}）：同批评定 {ranking.rated} 个，{rule.stars} 星名额 {ranking.limit} 个；"
                    f"{len(ranking.candidates)} 个达到 {rule.stars} 星，保留 {kept} 个，"
                    f"{ranking.demoted} 个降为 {rule.demote_to} 星。")
        else:
            line = (f"Quota ({sid}): {ranking.rated} rated together, at most {ranking.limit} keep {rule.stars} stars; "
                    f"{len(ranking.candidates)} reached {rule.stars}, {kept} kept, {ranking.demoted} demoted to "
                    f"{rule.demote_to}.")
        console.print(escape(line))
    if run.quota_in_play and not run.apply_quota:
        console.print("未应用名额限制（--no-quota）。" if zh else "Quota not applied (--no-quota).")

    if summary.errors:
        e = Table(title=(f"出错（{summary.errors} 个）" if zh else f"Errors ({summary.errors})"), title_justify="left",
                  title_style="bold red")
        e.add_column("来源" if zh else "source", no_wrap=True)
        e.add_column("代码" if zh else "code", no_wrap=True)
        e.add_column("问题" if zh else "problem", ratio=1)
        for where, problem in summary.error_samples[:ERRORS_SHOWN]:
            e.add_row(escape(where), problem["code"], escape(problem["message"]["zh" if zh else "en"]))
        console.print(e)
        more = summary.errors - min(len(summary.error_samples), ERRORS_SHOWN)
        if more > 0:
            console.print(f"……另有 {more} 个出错，见输出文件。" if zh else f"... and {more} more errors; see OUT.")
