"""Commands about standard files: validate, schema, list."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .. import _api
from .._errors import Lang, Problem, StarrulesError
from .._standard.registry import Registry, read_header
from .console import guarded, make_console, print_problems
from .group import cli
from .options import lang_option, standards_dir_option


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
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None)
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
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# -- list ----------------------------------------------------------------------------------


@cli.command(name="list")
@standards_dir_option
@lang_option
def list_standards(standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """List the standards found (shipped ones and --standards-dir)."""
    from rich.table import Table

    zh = lang == "zh"
    table = Table()
    for col in (("编号", "id"), ("系列", "family"), ("版本", "version"), ("有效期", "effective"),
                ("基于", "based on"), ("文件", "file")):
        table.add_column(col[0] if zh else col[1])
    for h in sorted(Registry(standards_dirs).headers().values(), key=lambda h: (h.family, h.start or 0, h.id)):
        table.add_row(h.id, h.family, h.version, h.period, h.parent or "", str(h.path.name))
    make_console().print(table)
