"""``starrules evaluate``: rate one branch."""

from __future__ import annotations

from typing import Any

import click

from .. import _api
from .._errors import Lang
from .console import echo_data, guarded, make_console
from .group import cli
from .options import engine_option, format_option, lang_option, standard_option, standards_dir_option


# -- evaluate ------------------------------------------------------------------------------


def _load_for(standard: str, doc: Any, standards_dirs: tuple[str, ...], lang: Lang, as_json: bool,
              file: str | None = None) -> _api.Standard:
    return guarded(_api.load_for_year, lang, standard, doc, file, standards_dirs, as_json=as_json)


@cli.command()
@click.argument("facts", type=click.Path())
@standard_option
@format_option
@engine_option
@click.option("--embed-facts", is_flag=True, help="Embed the facts in the JSON result (for verify).")
@standards_dir_option
@lang_option
def evaluate(facts: str, standard: str, fmt: str, engine: str, embed_facts: bool,
             standards_dirs: tuple[str, ...], lang: Lang) -> None:
    """Rate one branch's FACTS (YAML, JSON or an .xlsx facts workbook) against a standard."""
    as_json = fmt == "json"
    doc, positions, file = guarded(_api.read_document, lang, facts, as_json=as_json)
    std = _load_for(standard, doc, standards_dirs, lang, as_json, file)
    result = guarded(_api.evaluate_document, lang, std, doc, positions=positions, file=file, engine=engine,
                     embed_facts=embed_facts, as_json=as_json)
    if as_json:
        echo_data(result.model_dump_json(indent=2))
        return
    from .render import print_result

    console = make_console()
    if std.note:
        console.print(("已选用版本：" if lang == "zh" else "picked version: ") + std.note, style="cyan")
    print_result(result, lang, console)
