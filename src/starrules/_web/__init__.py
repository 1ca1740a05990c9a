"""``starrules serve``: the web pages for staff and the JSON API for other systems.

An optional extra (``pip install 'starrules[web]'``: FastAPI, uvicorn, python-multipart);
the core never imports this package.  One idea per module:

==============  =============================================================================
``settings``    :class:`WebSettings`: limits and standards folders, passed explicitly
``uploads``     uploaded bytes -> facts documents or batch sources (zip checked, nothing opened)
``service``     the library behind both faces: standards by registry id only, limits, batches
``roster``      the roster CSV (Excel-safe cells)
``limits``      the request-body limit (ASGI middleware) and the time limit per request
``api``         ``/api/*`` (JSON; results byte-identical to the library's)
``pages``       the server-rendered pages (jinja2 templates, htmx, forms work without JS)
``app``         :func:`create_app`, error handlers
==============  =============================================================================
"""

from .settings import WebSettings

__all__ = ["WebSettings", "create_app"]


def create_app(settings: WebSettings | None = None):  # type: ignore[no-untyped-def]
    """The ASGI application (imports FastAPI only when called)."""
    from .app import create_app as _create

    return _create(settings or WebSettings())
