"""``/api``: the JSON API for other systems (OpenAPI schema at ``/api/openapi.json``).

Bodies are the documents themselves (a facts document as JSON or YAML, a batch as JSONL or
zip), told apart by ``Content-Type``.  A result is the library's JSON byte for byte
(``Result.model_dump_json()``); errors are ``{"error": [problem, ...]}`` with a 4xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from .._errors import FactsError, Problem
from .._evaluate.result import Result
from .._explain.verify import VerifyReport
from .._facts.read import facts_from_bytes
from .limits import run_limited
from .service import Service
from .settings import WebSettings
from .uploads import batch_sources, facts_upload

router = APIRouter(prefix="/api", tags=["api"])

FACTS_TYPES = {
    "application/json": "request.json",
    "application/yaml": "request.yaml",
    "application/x-yaml": "request.yaml",
    "text/yaml": "request.yaml",
    "text/x-yaml": "request.yaml",
}
BATCH_TYPES = {
    "application/x-ndjson": "request.jsonl",
    "application/jsonl": "request.jsonl",
    "application/json-lines": "request.jsonl",
    "application/zip": "request.zip",
    "application/x-zip-compressed": "request.zip",
}
PROBLEMS = {"description": "the located problems: {\"error\": [{code, file, line, col, path, message, fix}]}"}


def _ctx(request: Request) -> tuple[WebSettings, Service]:
    return request.app.state.settings, request.app.state.service


def _name_for(request: Request, types: dict[str, str]) -> str:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    name = types.get(ctype)
    if name is None:
        raise FactsError(Problem("upload-type", {"name": ctype or "Content-Type", "allowed": " ".join(types)}))
    return name


async def _document(request: Request, types: dict[str, str]) -> tuple[WebSettings, Service, str, bytes]:
    """The settings, the service, the document's name (by its Content-Type) and its bytes."""
    settings, service = _ctx(request)
    name = _name_for(request, types)
    return settings, service, name, await request.body()


def _body_doc(kinds: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": kinds}}


_FACTS_BODY = _body_doc({
    "application/json": {"schema": {"type": "object", "description": "a facts document (see `starrules schema facts`)"}},
    "application/yaml": {"schema": {"type": "string", "description": "a facts document in YAML"}},
})
_BATCH_BODY = _body_doc({
    "application/x-ndjson": {"schema": {"type": "string", "description": "one facts document (JSON) a line"}},
    "application/zip": {"schema": {"type": "string", "format": "binary", "description": "YAML/JSON facts files"}},
})
_VERIFY_BODY = _body_doc({"application/json": {"schema": {
    "type": "object", "required": ["result"],
    "properties": {"result": {"type": "object", "description": "a recorded result (the JSON of evaluate)"},
                   "facts": {"type": "object", "description": "the facts it was made from (unless embedded)"}}}}})


@router.get("/standards", summary="The standards this service rates by")
def standards(request: Request) -> JSONResponse:
    """Every standard of the registry (id, family, version, effective period, the standard it
    is based on, sha256 of the resolved standard, number of indicators) and the families
    (a family name as ``standard`` picks the version by the facts' year)."""
    _settings, service = _ctx(request)
    items = []
    for h in service.headers():
        std = service.by_id(h.id)
        items.append({"id": h.id, "family": h.family, "version": h.version, "title": std.title,
                      "effective_from": str(h.start) if h.start else None,
                      "effective_to": str(h.end) if h.end else None, "based_on": h.parent,
                      "sha256": std.sha256, "indicators": len(std.indicator_ids)})
    families = {f: [h.id for h in hs] for f, hs in service.families().items()}
    return JSONResponse({"standards": items, "families": families})


@router.post("/evaluate", summary="Rate one branch", response_model=Result, openapi_extra=_FACTS_BODY,
             responses={400: PROBLEMS, 404: PROBLEMS, 413: PROBLEMS, 415: PROBLEMS, 422: PROBLEMS})
async def evaluate(request: Request,
                   standard: str = Query(description="a standard id (prov-2023) or a family (prov: by the facts' year)"),
                   embed_facts: bool = Query(False, description="embed the facts in the result (for verify)")
                   ) -> Response:
    """The result of ``starrules.evaluate`` as JSON, byte for byte ``Result.model_dump_json()``."""
    settings, service, name, raw = await _document(request, FACTS_TYPES)

    def work() -> bytes:
        doc, positions, display = facts_upload(name, raw, settings)
        result = service.evaluate(standard, doc, positions, display, embed_facts=embed_facts)
        return result.model_dump_json().encode("utf-8")

    return Response(await run_limited(settings, work), media_type="application/json")


@router.post("/batch", summary="Rate a batch (streamed JSONL)", openapi_extra=_BATCH_BODY,
             responses={200: {"content": {"application/x-ndjson": {}},
                              "description": "one line per input, in input order: {\"source\": ..., \"result\": "
                              "{...}} or {\"source\": ..., \"error\": [...]} (as `starrules batch` writes OUT); "
                              "past the time limit a last line {\"summary\": {\"complete\": false, ...}}"},
                        400: PROBLEMS, 404: PROBLEMS, 413: PROBLEMS, 415: PROBLEMS})
async def batch(request: Request,
                standard: str = Query(description="a standard id or a family (version per document by year)"),
                quota: bool = Query(True, description="apply the standard's quota to the batch (city-2023)")
                ) -> StreamingResponse:
    """Every document of a JSONL or zip body rated, streamed as JSONL in input order."""
    settings, service, name, raw = await _document(request, BATCH_TYPES)

    def prepare() -> Any:
        return service.batch(standard, batch_sources(name, raw, settings), mode="json", apply_quota=quota)

    job = await run_limited(settings, prepare)

    def lines() -> Iterator[bytes]:
        for row in job.rows():
            yield row.payload + b"\n"
        if job.timed_out:
            import json

            yield json.dumps(job.summary_line(), ensure_ascii=False).encode("utf-8") + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.post("/verify", summary="Re-run a recorded result", response_model=VerifyReport, openapi_extra=_VERIFY_BODY,
             responses={400: PROBLEMS, 404: PROBLEMS, 413: PROBLEMS})
async def verify(request: Request) -> Response:
    """``starrules.verify``: whether re-evaluating gives the recorded result, or what differs.
    The standard is found by the id the result records (in the registry only)."""
    settings, service, _name, raw = await _document(request, {"application/json": "request.json"})

    def work() -> bytes:
        body, _positions, _display = facts_from_bytes(raw, "request.json", limit=settings.max_body_bytes)
        if not isinstance(body, dict):
            raise FactsError(Problem("not-a-mapping", {}, file="request.json"))
        if "result" not in body:
            raise FactsError(Problem("missing-key", {"key": "result"}, file="request.json", path="result"))
        return service.verify(body["result"], body.get("facts")).model_dump_json().encode("utf-8")

    return Response(await run_limited(settings, work), media_type="application/json")
