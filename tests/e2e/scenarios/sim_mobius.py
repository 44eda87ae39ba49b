"""Mobius as its fact sheet describes it: `/v1/projects/{project}/...`, cursor pages with `has_more`, body
cursors for table queries, sequence pages and an SSE run-event stream resumable by `since_sequence`.

Bearer `mbx_...` keys; an unknown project is a 404. Errors are `{"error": {code, message, details}}`.
Starting a run dedupes on `external_id`: the same id while the run is active returns it, after it ended
the answer is 409 `external_id_conflict`. Artifact uploads need `X-Mobius-Lease-Token`; artifact content is
streamed as `application/octet-stream`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

from sim_base import RouteInfo, Simulator, int_param, json_response, multipart_parts, sse_frame, sse_response
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

API_KEY = "mbx_e2e_9c1d7f0a2b3e4d5f"
PROJECT = "demo"
AT = "2026-06-15T14:30:10Z"
CHUNK = 64 * 1024


def error(
    status: int, message: str, code: str | None = None, details: dict[str, Any] | None = None
) -> Response:
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "permission_denied",
        404: "not_found",
        409: "conflict",
        429: "rate_limit_exceeded",
        503: "service_unavailable",
    }
    body: dict[str, Any] = {"code": code or codes.get(status, "internal"), "message": message}
    if details is not None:
        body["details"] = details
    return json_response({"error": body}, status)


def check_auth(request: Request, info: RouteInfo) -> Response | None:
    if request.headers.get("authorization") != f"Bearer {API_KEY}":
        return error(401, "missing or invalid credential")
    if info.scoped and request.path_params.get("project") != PROJECT:
        return error(404, f"project {request.path_params.get('project')!r} not found")
    return None


sim = Simulator("mobius", check_auth, error)
BASE = "/v1/projects/{project}"


def _run(n: int, status: str = "completed") -> dict[str, Any]:
    return {
        "id": f"run_{n}",
        "org_id": "org_1",
        "project_id": "prj_1",
        "automation_id": "aut_1",
        "automation_version_id": "autv_1",
        "automation_version": 1,
        "status": status,
        "created_at": AT,
        "updated_at": AT,
    }


def _event(n: int) -> dict[str, Any]:
    kind = "run.started" if n == 1 else "step.completed"
    return {
        "id": f"evt_{n}",
        "org_id": "org_1",
        "project_id": "prj_1",
        "run_id": "run_1",
        "sequence": n,
        "event_type": kind,
        "payload": {"step": n},
        "created_at": AT,
    }


def _message(n: int) -> dict[str, Any]:
    return {
        "id": f"msg_{n}",
        "session_id": "ses_1",
        "agent_id": "agent_1",
        "role": "user",
        "content": f"m{n}",
        "entry_type": "message",
        "sequence": n,
        "created_at": AT,
    }


RUNS = [_run(n) for n in range(1, 8)]
EVENTS = [_event(n) for n in range(1, 9)]
MESSAGES = [_message(n) for n in range(1, 8)]
ROWS = [
    {
        "id": f"row_{n}",
        "table_id": "table_1",
        "data": {"n": n},
        "version": 1,
        "created_at": AT,
        "updated_at": AT,
    }
    for n in range(1, 8)
]


@sim.route(BASE + "/runs")
async def list_runs(request: Request, body: bytes) -> Response:
    limit = int_param(request, "limit", 50)
    start = int(request.query_params.get("cursor", "0"))
    chunk = RUNS[start : start + limit]
    more = start + limit < len(RUNS)
    return json_response(
        {"items": chunk, "next_cursor": str(start + limit) if more else None, "has_more": more}
    )


@sim.route(BASE + "/runs/{id}")
async def get_run(request: Request, body: bytes) -> Response:
    found = next((r for r in RUNS if r["id"] == request.path_params["id"]), None)
    return json_response(found) if found else error(404, f"run {request.path_params['id']!r} not found")


@sim.route(BASE + "/runs/{id}/events")
async def list_events(request: Request, body: bytes) -> Response:
    limit, since = int_param(request, "limit", 50), int_param(request, "since_sequence", 0)
    chunk = [e for e in EVENTS if e["sequence"] > since][:limit]
    more = bool(chunk) and chunk[-1]["sequence"] < EVENTS[-1]["sequence"]
    return json_response(
        {"items": chunk, "next_sequence": chunk[-1]["sequence"] if more else None, "has_more": more}
    )


@sim.route(BASE + "/agents/{id}/sessions/{session_id}/messages")
async def list_messages(request: Request, body: bytes) -> Response:
    limit, after = int_param(request, "limit", 50), int_param(request, "after_sequence", 0)
    return json_response({"items": [m for m in MESSAGES if m["sequence"] > after][:limit]})


@sim.route(BASE + "/tables/{table_name}/rows/query", "POST")
async def query_rows(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    limit, start = int(data.get("limit", 100)), int(data.get("cursor") or 0)
    chunk = ROWS[start : start + limit]
    more = start + limit < len(ROWS)
    return json_response(
        {
            "items": chunk,
            "has_more": more,
            "limit": limit,
            "next_cursor": str(start + limit) if more else None,
        }
    )


@sim.route(BASE + "/runs/{id}/events.stream")
async def stream_events(request: Request, body: bytes) -> Response:
    since = int_param(request, "since_sequence", 0)
    last_id = request.headers.get("last-event-id")
    if last_id:
        since = max(since, int(last_id))
    frames = [sse_frame(e, event_id=str(e["sequence"])) for e in EVENTS if e["sequence"] > since]
    return sse_response(frames, cut_after=sim.next_drop(request.path_params["id"]))


@sim.route(BASE + "/automations/{handle}")
async def get_automation(request: Request, body: bytes) -> Response:
    return error(404, f"automation {request.path_params['handle']!r} not found")


@sim.route(BASE + "/automations/{handle}/runs", "POST")
async def start_run(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    runs: dict[str, dict[str, Any]] = sim.state.setdefault("external_ids", {})
    external_id = data.get("external_id")
    if external_id in runs:
        run = runs[external_id]
        if run["status"] in ("completed", "failed", "cancelled"):
            details = {"existing_run_id": run["id"], "status": run["status"], "external_id": external_id}
            return error(409, "a run with this external_id already ended", "external_id_conflict", details)
        return json_response(run, 202)
    run = {**_run(100 + len(runs), "queued"), "inputs": data.get("inputs")}
    if external_id:
        runs[external_id] = run
    return json_response(run, 202)


@sim.route(BASE + "/artifacts", "POST")
async def upload_artifact(request: Request, body: bytes) -> Response:
    if not request.headers.get("x-mobius-lease-token"):
        return error(403, "an active job lease is required to create artifacts")
    parts = {p.name: p for p in multipart_parts(request, body)}
    file = parts["file"]
    sim.state["artifact_upload"] = file
    return json_response(
        {
            "id": "art_1",
            "org_id": "org_1",
            "project_id": "prj_1",
            "owner_id": "agent_1",
            "visibility": "private",
            "name": parts["name"].data.decode(),
            "mime_type": file.content_type or "application/octet-stream",
            "size_bytes": len(file.data),
            "sha256": file.sha256,
            "storage": "mobius",
            "state": "available",
            "created_at": AT,
        },
        201,
    )


def artifact_bytes(size: int) -> AsyncIterator[bytes]:
    """`size` deterministic bytes in CHUNK-sized pieces (generated, never held whole)."""

    async def chunks() -> AsyncIterator[bytes]:
        sent = 0
        block = 0
        while sent < size:
            piece = hashlib.sha256(str(block).encode()).digest() * (CHUNK // 32)
            piece = piece[: size - sent]
            sent += len(piece)
            block += 1
            yield piece

    return chunks()


def expected_artifact_sha256(size: int) -> str:
    digest = hashlib.sha256()
    sent = block = 0
    while sent < size:
        piece = (hashlib.sha256(str(block).encode()).digest() * (CHUNK // 32))[: size - sent]
        digest.update(piece)
        sent += len(piece)
        block += 1
    return digest.hexdigest()


@sim.route(BASE + "/artifacts/{id}/content")
async def artifact_content(request: Request, body: bytes) -> Response:
    size = int(sim.state.get("artifact_size", 1024))
    headers = {"Content-Length": str(size), "Content-Disposition": 'attachment; filename="data.bin"'}
    return StreamingResponse(artifact_bytes(size), media_type="application/octet-stream", headers=headers)
