"""``create_app(settings)``: the FastAPI application of ``starrules serve``.

Errors never become a 500 with a traceback: a :class:`StarrulesError` is a 4xx with the
same located problems as the CLI (``{"error": [...]}`` on ``/api``, the form page with the
problems listed elsewhere), a malformed request (a missing parameter) too, and anything
else a plain 500 problem without internals."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from .._errors import NotFoundError, Problem, StarrulesError
from .._explain.report import template_env
from .._version import __version__
from . import api, pages
from .limits import BodyLimit
from .service import Service, problems_of
from .settings import WebSettings

STATUS_BY_CODE = {"file-too-large": 413, "batch-too-many-rows": 413, "upload-type": 415, "request-timeout": 422}


def status_of(exc: StarrulesError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    for p in exc.problems:
        if p.code in STATUS_BY_CODE:
            return STATUS_BY_CODE[p.code]
    return 400


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(settings: WebSettings) -> FastAPI:
    app = FastAPI(
        title="starrules",
        version=__version__,
        description="Ratings of party branches (达标创星) by versioned standards: the same results as the "
        "starrules library and CLI.",
        docs_url=None,  # Swagger UI would load scripts from a CDN: the schema is at /api/openapi.json
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.settings = settings
    app.state.service = Service(settings)
    app.state.templates = template_env("starrules._web")
    app.mount("/static", StaticFiles(packages=[("starrules._web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    async def on_library_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarrulesError)
        status = status_of(exc)
        if _is_api(request):
            return JSONResponse({"error": problems_of(exc)}, status_code=status)
        return pages.error_page(request, exc, status)

    async def on_bad_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for err in exc.errors():
            loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path", "header")]
            path = ".".join(loc) or None
            if err.get("type") == "missing":
                problems.append(Problem("missing-key", {"key": path or "?"}, path=path))
            else:
                problems.append(Problem("invalid-format", {"detail": str(err.get("msg", ""))}, path=path))
        return await on_library_error(request, StarrulesError(problems))

    async def on_anything_else(request: Request, exc: Exception) -> Response:  # a bug: no internals shown
        p = Problem("rule-error", {"detail": "internal error", "_zh": "内部错误", "_en": "internal error"})
        return JSONResponse({"error": problems_of(StarrulesError(p))}, status_code=500)

    app.add_exception_handler(StarrulesError, on_library_error)
    app.add_exception_handler(RequestValidationError, on_bad_request)
    app.add_exception_handler(Exception, on_anything_else)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
