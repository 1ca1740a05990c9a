"""``starrules template`` (a facts workbook for a standard) and ``starrules facts convert``."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape

from .. import _api
from .._errors import Lang
from .._facts.convert import format_of, write_facts
from .._workbook.write import write_workbook
from .console import guarded, make_console, print_problems
from .group import cli
from .options import lang_option, standard_option, standards_dir_option


@cli.command()
@standard_option
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The workbook to write (.xlsx).")
@standards_dir_option
@lang_option
def template(standard: str, out: str, standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """Write an empty facts workbook (台账) for STANDARD: one sheet for the branch's facts,
    one per record collection, dropdowns, validation and input messages from the schema."""
    if format_of(out) != "xlsx":
        raise click.UsageError("the template is an Excel workbook: give -o a name ending in .xlsx")
    std = guarded(_api.load_standard, lang, standard, standards_dirs=standards_dirs)
    guarded(lambda: write_workbook(out, std, lang=lang), lang)
    make_console().print(("模板已写入 " if lang == "zh" else "template written to ") + escape(out)
                         + f"（{std.id} v{std.version}）")


@cli.group()
def facts() -> None:
    """Facts documents: convert between YAML, JSON and Excel workbooks."""


@facts.command()
@click.argument("source", metavar="IN", type=click.Path())
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="The file to write: .yaml/.yml, .json or .xlsx (the format follows the suffix).")
@click.option("--standard", "-s", "standard", default=None,
              help="The standard (needed to write .xlsx; when given, IN is validated against it).")
@standards_dir_option
@lang_option
def convert(source: str, out: str, standard: str | None, standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """Convert the facts IN to OUT (YAML, JSON or xlsx), without loss."""
    if format_of(out) is None:
        raise click.UsageError("OUT must end in .yaml, .yml, .json or .xlsx")
    if format_of(out) == "xlsx" and standard is None:
        raise click.UsageError("writing a workbook needs the standard: add -s STANDARD")
    doc, positions, file = guarded(_api.read_document, lang, source)
    std: Any = None
    if standard is not None:
        std = guarded(_api.load_standard, lang, standard, standards_dirs=standards_dirs, year=_api._year_of(doc))
        vf = guarded(std.compiled.validator.validate, lang, doc, file=file, positions=positions)
        if vf.warnings:
            print_problems(vf.warnings, lang, make_console(stderr=True))
    guarded(lambda: write_facts(doc, out, standard=std, lang=lang), lang)
    make_console().print(("已写入 " if lang == "zh" else "written to ") + escape(out))
