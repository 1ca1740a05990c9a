"""``starrules serve``: the web pages and the JSON API (the optional extra ``starrules[web]``)."""

from __future__ import annotations

import click

from .._errors import Lang
from .console import EXIT_PROBLEMS, make_console
from .group import cli
from .options import lang_option, standards_dir_option

INSTALL_HINT = {
    "zh": "网页服务需要可选依赖：pip install 'starrules[web]'（缺少 {name}）",
    "en": "the web service needs the optional extra: pip install 'starrules[web]' (missing {name})",
}


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@standards_dir_option
@click.option("--max-upload", "max_upload", type=click.IntRange(min=1), default=8 * 1024 * 1024, show_default=True,
              help="Largest upload (a facts file, a JSONL or zip batch), in bytes.")
@click.option("--max-unzipped", "max_unzipped", type=click.IntRange(min=1), default=64 * 1024 * 1024,
              show_default=True, help="Most bytes a zip batch may unpack to.")
@click.option("--max-rows", "max_rows", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Most documents in one batch.")
@click.option("--max-seconds", "max_seconds", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Longest time one request may take.")
@lang_option
def serve(host: str, port: int, standards_dirs: tuple[str, ...], max_upload: int, max_unzipped: int, max_rows: int,
          max_seconds: float, lang: Lang) -> None:
    """Serve the web pages (upload facts, see the rating and the report, explain each
    indicator) and the JSON API (/api/evaluate, /api/batch, /api/standards, /api/verify;
    schema at /api/openapi.json).  Uploads are never stored."""
    try:
        import uvicorn

        from .._web import WebSettings, create_app
    except ImportError as exc:
        make_console(stderr=True).print(INSTALL_HINT[lang].format(name=exc.name or exc), soft_wrap=True, markup=False)
        raise SystemExit(EXIT_PROBLEMS) from None
    settings = WebSettings(standards_dirs=tuple(standards_dirs), max_upload_bytes=max_upload,
                           max_unzipped_bytes=max_unzipped, max_rows=max_rows, max_seconds=max_seconds, lang=lang)
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
