"""Options shared by the subcommands."""

from __future__ import annotations

from typing import Any, Callable

import click

F = Callable[..., Any]


def input_paths(standard: str | None, standards_dirs: tuple[str, ...], *paths: str) -> list[str]:
    """What a command reads, for the check that no output overwrites it: the input files and
    folders, the standards folders, and the standard when it is named by its path."""
    from .._standard.registry import looks_like_path

    return [*paths, *standards_dirs, *([standard] if standard and looks_like_path(standard) else [])]


def lang_option(fn: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default="zh",
        show_default=True,
        envvar="STARRULES_LANG",
        help="Language of messages: zh (中文) or en.",
    )(fn)


def standards_dir_option(fn: F) -> F:
    return click.option(
        "--standards-dir",
        "standards_dirs",
        multiple=True,
        type=click.Path(file_okay=False, exists=True),
        help="Another folder of standard files (repeatable); also $STARRULES_STANDARDS.",
    )(fn)


def standard_option(fn: F) -> F:
    return click.option(
        "--standard",
        "-s",
        "standard",
        required=True,
        help="A standard id (prov-2023), a family (prov: picks the version for the facts' year) or a YAML path.",
    )(fn)


def format_option(fn: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="table for people, json for programs.",
    )(fn)


def engine_option(fn: F) -> F:
    return click.option(
        "--engine",
        type=click.Choice(["native", "durable"]),
        default="native",
        show_default=True,
        help="native closures, or the durable_rules (Rete) backend.",
    )(fn)
