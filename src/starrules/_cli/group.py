"""The ``starrules`` click group; each subcommand lives in its own ``cmd_*`` module."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="starrules")
def cli() -> None:
    """starrules: 达标创星 standards as versioned YAML rules — validate, evaluate, explain.

    \b
    starrules validate standards/prov-2023.yaml
    starrules evaluate examples/five-star-branch.yaml --standard prov-2023
    """
