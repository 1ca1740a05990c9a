"""Rich consoles and the one place where library errors become output and exit codes."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any, Callable, Iterable, NoReturn, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.segment import Segment

from .._errors import Lang, Problem, StarrulesError

T = TypeVar("T")

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


#: control characters that must not reach a terminal from facts or standards: C0 but newline
#: and tab (ESC starts ANSI and OSC 52 clipboard sequences), DEL, and C1 (U+0080..U+009F:
#: 8-bit CSI/OSC)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile("[\x7f-\x9f]")


def _shown(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group()):02x}"


def clean_text(text: str) -> str:
    """Text for the terminal: each control character shown as ``\\xNN``, never sent as is."""
    return _CONTROL.sub(_shown, text)


def clean_json(text: str) -> str:
    """JSON text for the terminal: the C1 characters and DEL that a JSON encoder leaves raw,
    escaped (``\\u009b``); the same JSON value."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class SafeConsole(Console):
    """A rich console whose text never carries control characters from the data: facts and
    standards are hostile input (an ANSI escape in a branch name could rewrite the screen,
    OSC 52 set the clipboard).  rich's own styling and cursor control are kept."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control else Segment(clean_text(seg.text), seg.style) for seg in buffer)


def echo_data(text: str, nl: bool = True, *, html: bool = False) -> None:
    """JSON (or, with ``html``, an HTML page) for standard output, control characters made
    harmless: escaped in JSON, replaced by U+FFFD in HTML (where they are not allowed anyway)."""
    click.echo(_CONTROL.sub("\ufffd", text) if html else clean_json(text), nl=nl)
def safe_streams() -> None:
    """Let stdout/stderr replace what their encoding cannot show (✓, ⊇, ★ on a GBK or latin-1
    console) instead of raising UnicodeEncodeError in the middle of a report."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding in ("utf8", "utf8sig"):
            continue
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # not a TextIOWrapper (e.g. a test's capture)
            pass


def make_console(stderr: bool = False) -> Console:
    """A rich console; ``$STARRULES_WIDTH`` pins the width (tests), and output that is not a
    terminal gets 120 columns rather than rich's 80."""
    width = os.environ.get("STARRULES_WIDTH")
    stream = sys.stderr if stderr else sys.stdout
    if not width and not stream.isatty():
        width = "120"
    return SafeConsole(
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
        echo_data(json.dumps({"error": [p.to_json(lang) for p in exc.problems]}, ensure_ascii=False, indent=2))
    else:
        print_problems(exc.problems, lang, make_console(stderr=True))
    sys.exit(exc.exit_code)


def guarded(fn: Callable[..., T], lang: Lang, *args: Any, as_json: bool = False, **kwargs: Any) -> T:
    """Run library code; a StarrulesError is rendered once here and becomes exit code 1."""
    try:
        return fn(*args, **kwargs)
    except StarrulesError as exc:
        fail(exc, lang, as_json=as_json)
