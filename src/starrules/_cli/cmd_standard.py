"""Commands about standard files: validate, schema, list."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from .. import _api
from .._errors import Lang, Problem, StarrulesError
from .._files import check_outputs, write_atomic
from .._standard.registry import Registry, read_header
from .console import echo_data, guarded, make_console, print_problems
from .group import cli
from .options import input_paths, lang_option, standards_dir_option


# -- validate ------------------------------------------------------------------------------


def _standard_files(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(q for q in path.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
        else:
            files.append(path)
    return files


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@standards_dir_option
@lang_option
@click.option("--facts", "facts_mode", is_flag=True, help="PATHS are facts documents, checked against --standard.")
@click.option("--standard", "-s", "standard", default=None, help="With --facts: the standard to check them against.")
def validate(paths: tuple[str, ...], standards_dirs: tuple[str, ...], lang: Lang, facts_mode: bool,
             standard: str | None) -> None:
    """Check standard files (or, with --facts, facts documents) and report every problem.

    Exit 0 when clean, 1 when problems were found."""
    out = make_console()
    problems: list[Problem] = []
    zh = lang == "zh"
    if facts_mode:
        if not standard:
            raise click.UsageError("--facts needs --standard")
        std = guarded(_api.load_standard, lang, standard, standards_dirs=standards_dirs)
        for path in paths:
            try:
                vf = _api.validate_facts(std, path)
            except StarrulesError as exc:
                problems.extend(exc.problems)
                continue
            print_problems(vf.warnings, lang, out)
            out.print(f"[green]✓[/] {path}: " + (f"符合 {std.id} 的事实格式" if zh else f"valid facts for {std.id}"))
    else:
        files = _standard_files(paths)
        headers = []
        for path in files:
            registry = Registry(standards_dirs)
            try:
                std = _api.Standard(*_api._compile(registry, str(path), None))
            except StarrulesError as exc:
                problems.extend(exc.problems)
                continue
            header = read_header(path)
            if header is not None:
                headers.append(header)
            n = len(std.compiled.indicators)
            print_problems(missing_explanations(std.compiled, str(path)), lang, out)
            out.print(f"[green]✓[/] {path}: {std.id} v{std.version} — "
                      + (f"{n} 项指标" if zh else f"{n} indicators") + f", sha256 {std.sha256[:12]}")
        known = {h.path.resolve() for h in headers}
        others = [h for h in Registry(standards_dirs).headers().values() if h.path.resolve() not in known]
        overlap = [p for p in Registry(standards_dirs).overlap_problems(headers + others)
                   if p.file and Path(p.file).resolve() in known]
        problems.extend(overlap)
    if problems:
        err = make_console(stderr=True)
        print_problems(sorted(problems, key=Problem.sort_key), lang, err)
        n = len(problems)
        err.print(f"[red]{'共发现' if zh else 'found'} {n} {'个问题' if zh else 'problem' + ('s' if n > 1 else '')}[/]")
        sys.exit(1)


def missing_explanations(cs: Any, file: str) -> list[Problem]:
    """A warning per indicator without an explanation template (in either language)."""
    return [Problem("explain-missing", {"indicator": ci.id}, file=file, path=f"indicators.{ci.id}.explain")
            for ci in cs.indicators if ci.spec.explain is None]


# -- schema --------------------------------------------------------------------------------


@cli.command()
@click.argument("what", type=click.Choice(["standard", "facts"]), default="standard")
@click.option("--standard", "-s", "standard", default=None, help="For facts: the standard whose facts to describe.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None)
@standards_dir_option
@lang_option
def schema(what: str, standard: str | None, output: str | None, standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """Print the JSON Schema of standard files, or of the facts of one standard (for editors)."""
    from .._standard.jsonschema import facts_schema, standard_file_schema

    if what == "standard":
        doc = standard_file_schema()
    else:
        if not standard:
            raise click.UsageError("schema facts needs --standard")
        std = guarded(_api.load_standard, lang, standard, standards_dirs=standards_dirs)
        doc = facts_schema(std.resolved.facts, f"facts for {std.id}")
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if output:
        guarded(check_outputs, lang, [("-o", output)], input_paths(standard, standards_dirs))
        guarded(write_atomic, lang, output, text)
    else:
        echo_data(text, nl=False)


# -- list ----------------------------------------------------------------------------------


@cli.command(name="list")
@standards_dir_option
@lang_option
def list_standards(standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """List the standards found (shipped ones and --standards-dir): each one's file and
    sha256 (as results record it), and which local files reuse an id (an error when that id
    is used)."""
    from collections import Counter

    from rich.table import Table

    zh = lang == "zh"
    registry = Registry(standards_dirs)
    headers = registry.all_headers()
    count = Counter(h.id for h in headers)
    shipped_ids = {h.id for h in headers if registry.shipped(h)}
    table = Table()
    for col in (("编号", "id"), ("系列", "family"), ("版本", "version"), ("有效期", "effective"),
                ("基于", "based on"), ("文件", "file"), ("sha256", "sha256"), ("说明", "note")):
        table.add_column(col[0] if zh else col[1], overflow="fold",
                         no_wrap=col[1] in ("id", "version", "effective", "sha256"))
    by_id = registry.headers()
    for h in sorted(headers, key=lambda h: (h.family, by_id[h.id].start or 0, h.id, not registry.shipped(h))):
        period = by_id[h.id].period if by_id[h.id].path == h.path else h.period
        problem = ""
        try:
            sha = registry.resolve_file(h.path).content_hash()[:12]
        except StarrulesError as exc:
            sha, problem = "—", (exc.problems[0].code if exc.problems else "")
        note = ("内置" if zh else "shipped") if registry.shipped(h) else ""
        if count[h.id] > 1:
            if h.id not in shipped_ids:
                note = "编号重复（使用时报错）" if zh else "duplicate id (an error when used)"
            elif registry.shipped(h):
                note = "被本地文件遮蔽（使用时报错）" if zh else "shadowed by a local file (an error when used)"
            else:
                note = "遮蔽内置标准（使用时报错）" if zh else "shadows a shipped id (an error when used)"
        if problem:
            note = f"{note}; {problem}" if note else problem
        table.add_row(escape(h.id), escape(h.family), escape(h.version), period, escape(h.parent or ""),
                      escape(_shown_path(h.path)), sha, note, style=None if registry.shipped(h) else "bold")
    out = make_console()
    out.print(table)
    for root, bound in registry.truncated.items():
        out.print(escape(f"注意：{root} 中的文件太多或层级太深，只列出了部分（上限：{bound}）" if zh else
                         f"note: {root} was only partly indexed (limit reached: {bound})"), style="yellow")


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
