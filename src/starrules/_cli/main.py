"""``starrules`` command line entry point.

Exit codes everywhere: 0 ran (whatever the outcome), 1 bad input / failed case / verify
mismatch / an error row in a batch, 2 usage, 130 interrupted.  Library errors are rendered
once, here or in the command that caught them; never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import click

from .._batch.output import ignore_stop_signals
from .._errors import StarrulesError
from .console import EXIT_INTERRUPTED, fail, safe_streams
from .group import cli

#: modules that add their subcommands to ``cli`` when imported
COMMAND_MODULES = (
    "cmd_standard",
    "cmd_evaluate",
    "cmd_batch",
    "cmd_test",
    "cmd_audit",
    "cmd_serve",
    "cmd_diff",
    "cmd_facts",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}")


def main() -> None:
    safe_streams()
    try:
        cli.main(standalone_mode=False)
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED:  # a repeated Ctrl-C must not turn the exit into a traceback
            ignore_stop_signals()
        raise
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        ignore_stop_signals()
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except StarrulesError as exc:  # anything not rendered closer to its command
        fail(exc, "zh")
    sys.exit(0)


__all__ = ["cli", "main"]
