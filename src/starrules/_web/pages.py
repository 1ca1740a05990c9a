"""The pages: server-rendered HTML (jinja2, autoescaped) whose forms work without
JavaScript; with it, htmx (vendored, ``/static/htmx.min.js``) sends them in place.

Nothing is stored: a result page carries the uploaded document back (base64, in hidden
fields) so that its download buttons can re-rate it; every download is computed afresh."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from .._batch.items import Row
from .._batch.summary import COLUMNS, Summary
from .._errors import FactsError, Lang, Problem, StarrulesError
from .._evaluate.result import Result
from .._explain.report import render_report
from .._explain.words import KIND, STATUS, stars_text
from .._lang import format_value
from .limits import run_limited
from .roster import batch_row, result_row, roster_csv
from .service import Service, timeout_problem
from .settings import WebSettings
from .texts import texts
from .uploads import batch_sources, display_name, facts_upload

router = APIRouter(include_in_schema=False)


# -- helpers -----------------------------------------------------------------------------------


def _lang(request: Request) -> Lang:
    lang = request.query_params.get("lang") or request.app.state.settings.lang
    return "en" if lang == "en" else "zh"


def _ctx(request: Request) -> tuple[WebSettings, Service]:
    return request.app.state.settings, request.app.state.service


def _size(n: int) -> str:
    return f"{n / 1048576:g} MiB" if n >= 1048576 else f"{n // 1024} KiB"


def render(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    settings, service = _ctx(request)
    lang = _lang(request)
    t = texts(lang)
    limits = t["limits"].format(upload=_size(settings.max_upload_bytes), rows=settings.max_rows,
                                seconds=f"{settings.max_seconds:g}")
    context: dict[str, Any] = {"problems": [], "values": {}, **values}
    page = request.app.state.templates.get_template(template).render(
        t=t, lang=lang, q="?lang=en" if lang == "en" else "", other="?lang=zh" if lang == "en" else "?lang=en",
        path=request.url.path, limits=limits, choices=service.choices(), families=list(service.families()),
        **context)
    return HTMLResponse(page, status_code=status)


def error_page(request: Request, exc: StarrulesError, status: int) -> HTMLResponse:
    """The form again, with every problem listed (as the CLI renders them)."""
    lang = _lang(request)
    problems = [{"where": p.where, "code": p.code, "message": p.message(lang), "path": p.path, "fix": p.fix(lang)}
                for p in exc.problems]
    template = "batch_form.html.j2" if request.url.path.startswith("/batch") else "index.html.j2"
    if request.url.path.startswith("/standards"):
        template = "standards.html.j2"
        return render(request, template, status, problems=problems, standards=[])
    return render(request, template, status, problems=problems)


async def read_form(request: Request, settings: WebSettings) -> FormData:
    try:
        return await request.form(max_files=2, max_fields=16, max_part_size=settings.max_body_bytes)
    except HTTPException as exc:
        raise FactsError(Problem("invalid-format", {"detail": str(exc.detail)})) from None


def _text(form: FormData, key: str) -> str | None:
    value = form.get(key)
    return value if isinstance(value, str) and value else None


def _required(form: FormData, key: str) -> str:
    value = _text(form, key)
    if value is None:
        raise FactsError(Problem("missing-key", {"key": key}, path=key))
    return value


async def upload_of(form: FormData, field: str) -> tuple[str, bytes]:
    """The uploaded file of ``field``, or the document a result page sent back (``doc``)."""
    upload = form.get(field)
    if isinstance(upload, UploadFile) and upload.filename:
        return display_name(upload.filename), await upload.read()
    sent = _text(form, "doc")
    if sent is not None:
        try:
            raw = base64.b64decode(sent, validate=True)
        except (binascii.Error, ValueError):
            raise FactsError(Problem("invalid-format", {"detail": "doc is not base64"}, path="doc")) from None
        return display_name(_text(form, "filename")), raw
    raise FactsError(Problem("missing-key", {"key": field}, path=field))


def _attachment(body: bytes | str, filename: str, media_type: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _safe_file_part(text: str) -> str:
    part = re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:60]
    return part or "branch"


def _num(value: Any) -> str:
    return "—" if value is None else format_value(value, "en")


# -- pages -------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return render(request, "index.html.j2")


@router.get("/batch", response_class=HTMLResponse)
def batch_form(request: Request) -> HTMLResponse:
    return render(request, "batch_form.html.j2")


@router.get("/standards", response_class=HTMLResponse)
def standards(request: Request) -> HTMLResponse:
    _settings, service = _ctx(request)
    rows = []
    for h in service.headers():
        std = service.by_id(h.id)
        rows.append({"h": h, "std": std})
    return render(request, "standards.html.j2", standards=rows)


@router.get("/standards/{sid}", response_class=HTMLResponse)
def standard(request: Request, sid: str) -> HTMLResponse:
    _settings, service = _ctx(request)
    std = service.by_id(sid)
    res = std.resolved
    lang = _lang(request)
    by_dim: dict[str, list[Any]] = {}
    for ind in res.indicators:
        by_dim.setdefault(ind.dimension, []).append(ind)
    params = [{"name": k, "value": _param_text(p.value, lang), "description": p.description or "",
               "unit": p.unit or "", "layer": _layer_of(res, k)} for k, p in res.parameters.items()]
    return render(request, "standard.html.j2", std=std, res=res, by_dim=by_dim, params=params,
                  kinds=KIND[lang], header=service.registry.headers()[sid])


def _param_text(value: Any, lang: str) -> str:
    try:
        return format_value(value, lang)
    except (TypeError, ValueError, AttributeError):
        return str(value)


def _layer_of(res: Any, name: str) -> str:
    hist = res.parameter_layers.get(name) or ()
    return hist[-1].layer if hist else res.id


class _Posted(NamedTuple):
    settings: WebSettings
    service: Service
    form: FormData
    name: str  # the upload's display name
    raw: bytes
    standard: str
    lang: Lang


async def _posted(request: Request, field: str) -> _Posted:
    """A form with an upload in ``field`` (or sent back in ``doc``) and a ``standard``."""
    settings, service = _ctx(request)
    form = await read_form(request, settings)
    name, raw = await upload_of(form, field)
    return _Posted(settings, service, form, name, raw, _required(form, "standard"), _lang(request))


@router.post("/evaluate", response_class=HTMLResponse)
async def evaluate(request: Request) -> HTMLResponse:
    settings, service, _form, name, raw, std_name, lang = await _posted(request, "facts")

    def work() -> Any:
        doc, positions, display = facts_upload(name, raw, settings)
        return service.rate_page(std_name, doc, positions, display, lang)

    rated = await run_limited(settings, work)
    return render(request, "result.html.j2", **_result_view(rated, lang), values={"standard": std_name},
                  hidden={"standard": std_name, "filename": name, "doc": base64.b64encode(raw).decode("ascii")})


def _result_view(rated: Any, lang: str) -> dict[str, Any]:
    res: Result = rated.result
    changes: dict[str, list[Any]] = {}
    for i, opt in enumerate(rated.next_star.options, start=1):
        for c in opt.changes:
            changes.setdefault(c.id, []).append((i, c))
    dims = []
    for d in res.dimensions:
        inds = [i for i in res.indicators if i.dimension == d.id]
        dims.append({"d": d, "indicators": inds})
    return {"res": res, "rated": rated, "dims": dims, "changes": changes, "status_labels": STATUS[lang], "kinds": KIND[lang],
            "stars": stars_text(res.stars), "score": _num(res.score), "num": _num,
            "explanations": rated.explanations, "overall": rated.overall.tree, "nxt": rated.next_star,
            "report": rated.report}


@router.post("/download")
async def download(request: Request) -> Response:
    """A result page's downloads: result JSON (as ``starrules evaluate --format json``), the
    report (as ``starrules report``) or the roster CSV, rated afresh from the document sent back."""
    settings, service, form, name, raw, std_name, lang = await _posted(request, "facts")
    what = _text(form, "what") or "json"

    def work() -> Response:
        doc, positions, display = facts_upload(name, raw, settings)
        result = service.evaluate(std_name, doc, positions, display)
        stem = _safe_file_part(result.branch.id)
        if what == "report":
            return _attachment(service.report(std_name, [doc], lang), f"{stem}-report.html", "text/html; charset=utf-8")
        if what == "roster":
            return _attachment(roster_csv([result_row(result, lang)]), f"{stem}-roster.csv", "text/csv; charset=utf-8")
        return _attachment(result.to_json() + "\n", f"{stem}-result.json", "application/json")

    return await run_limited(settings, work)


@router.post("/batch", response_class=HTMLResponse)
async def batch(request: Request) -> Response:
    settings, service, form, name, raw, std_name, lang = await _posted(request, "batch")
    apply_quota = _text(form, "quota") is not None
    output = _text(form, "output") or "page"
    mode = "json" if output == "jsonl" else "model"

    def work() -> tuple[list[tuple[Row, str]], Any]:
        job = service.batch(std_name, batch_sources(name, raw, settings), mode=mode, apply_quota=apply_quota)
        rows = [(row, job.run.where(row)) for row in job.rows()]
        if job.timed_out:
            raise StarrulesError(timeout_problem(settings))
        return rows, job.run

    rows, run = await run_limited(settings, work)
    stem = _safe_file_part(name.rsplit(".", 1)[0])
    if output == "jsonl":
        return _attachment(b"".join(r.payload + b"\n" for r, _ in rows), f"{stem}-results.jsonl",
                           "application/x-ndjson")
    if output == "roster":
        return _attachment(roster_csv(batch_row(r, w, lang) for r, w in rows), f"{stem}-roster.csv",
                           "text/csv; charset=utf-8")
    results = [r.payload for r, _ in rows if r.payload is not None]
    if output == "report":
        return _attachment(render_report(results, lang=lang), f"{stem}-report.html", "text/html; charset=utf-8")
    summary = Summary()
    for r, w in rows:
        summary.add(r, w)
    labels: Mapping[str, str] = dict(run.standards[0].resolved.rating.labels) if len(run.standards) == 1 else {}
    headers = Summary.headers(lang, labels)
    counts = [(head, summary.counts[col]) for col, head in zip(COLUMNS, headers) if summary.counts[col]]
    table = [{"where": w, "row": batch_row(r, w, lang), "error": r.error} for r, w in rows]
    return render(request, "batch.html.j2", counts=counts, total=summary.total, table=table,
                  values={"standard": std_name},
                  hidden={"standard": std_name, "filename": name, "doc": base64.b64encode(raw).decode("ascii"),
                          **({"quota": "on"} if apply_quota else {})})
