"""Rich consoles and the one place where library errors become output and exit codes."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Callable, Iterable, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from .._errors import Lang, Problem, StarrulesError

T = TypeVar("T")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def make_console(stderr: bool = False) -> Console:
    """A rich console; ``$STARRULES_WIDTH`` pins the width (tests), and output that is not a
    terminal gets 120 columns rather than rich's 80."""
    width = os.environ.get("STARRULES_WIDTH")
    stream = sys.stderr if stderr else sys.stdout
    if not width and not stream.isatty():
        width = "120"
    return Console(
        stderr=stderr,
        width=int(width) if width else None,
        highlight=False,
        soft_wrap=False,
    )


def print_problems(problems: Iterable[Problem], lang: Lang, console: Console) -> None:
    for p in problems:
        head = f"[bold]{escape(p.where)}[/] [red]{escape(p.code)}[/] {escape(p.message(lang))}"
        if p.path and p.path not in p.message(lang):
            head += f" [dim]\\[{escape(p.path)}][/]"
        console.print(head, soft_wrap=True)  # one line per problem, for grep and editors
        fix = p.fix(lang)
        if fix:
            label = "修改建议：" if lang == "zh" else "fix: "
            console.print(f"    [green]{label}[/]{escape(fix)}", soft_wrap=True)


def fail(exc: StarrulesError, lang: Lang, *, as_json: bool = False) -> NoReturn:
    if as_json:
        click.echo(json.dumps({"error": [p.to_json(lang) for p in exc.problems]}, ensure_ascii=False, indent=2))
    else:
        print_problems(exc.problems, lang, make_console(stderr=True))
    sys.exit(exc.exit_code)


def guarded(fn: Callable[..., T], lang: Lang, *args: Any, as_json: bool = False, **kwargs: Any) -> T:
    """Run library code; a StarrulesError is rendered once here and becomes exit code 1."""
    try:
        return fn(*args, **kwargs)
    except StarrulesError as exc:
        fail(exc, lang, as_json=as_json)
