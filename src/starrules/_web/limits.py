"""The limits of a request: the size of its body (a pure ASGI middleware that refuses a
declared Content-Length over the limit at once, and counts what arrives otherwise) and the
time it may take (the work runs in a worker thread; past the limit the client gets a
``request-timeout`` problem, and batches stop between documents)."""

from __future__ import annotations

import functools
import json
from html import escape
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from .._batch.items import render_problem
from .._errors import Problem, StarrulesError
from .service import timeout_problem
from .settings import WebSettings

T = TypeVar("T")


class BodyTooLarge(StarrulesError):
    """A request body over the limit (413)."""


def too_large(size: int, limit: int) -> Problem:
    return Problem("file-too-large", {"size": size, "limit": limit})


class BodyLimit:
    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_413(send, int(declared), self.limit, html=not scope.get("path", "").startswith("/api/"))
            return
        received = 0

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(too_large(received, self.limit))
            return message

        await self.app(scope, limited, send)


async def _send_413(send: Callable[..., Any], size: int, limit: int, *, html: bool = False) -> None:
    """Refuse a body before reading it: the problem as JSON, or for a page a short HTML page."""
    p = too_large(size, limit)
    if html:
        body = (f'<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>413</title>'
                f'<p data-code="{p.code}">{escape(p.message("zh"))}<br>{escape(p.message("en"))}</p>'
                f'<p><a href="/">返回 / back</a></p></html>').encode("utf-8")
        ctype = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"error": [render_problem(p)]}, ensure_ascii=False).encode("utf-8")
        ctype = b"application/json"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


async def run_limited(settings: WebSettings, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread, given up after ``settings.max_seconds``."""
    try:
        with anyio.fail_after(settings.max_seconds):
            return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), abandon_on_cancel=True)
    except TimeoutError:
        raise StarrulesError(timeout_problem(settings)) from None
