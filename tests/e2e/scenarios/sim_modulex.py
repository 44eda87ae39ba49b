"""ModuleX as its fact sheet describes it (the subset the scenarios use).

Bearer `mx_live_...` keys; organization-scoped routes need `X-Organization-ID` (400 with the documented
string detail when it is missing, 403 for an organization the key is not a member of); no prefix. Pages by
page number (`total_pages`, `has_next`, `has_more`), by limit/offset (bare arrays or `has_more`) and by cursor
(`next_cursor`, null at the end). Errors in the three shapes: string detail, object detail, DenialEnvelope.
Run streams are data-only SSE named by `data.type`; `/chats/stream` uses named `event:` frames.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sim_base import (
    RouteInfo,
    Simulator,
    int_param,
    json_response,
    multipart_parts,
    sse_frame,
    sse_response,
)
from starlette.requests import Request
from starlette.responses import Response

API_KEY = "mx_live_e2e_secret_4f1c2a"
ORG = "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"
OTHER_ORG = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
CREATED = "2026-06-21T12:00:00Z"
VISIBILITY = ("private", "organization", "public", "system")


def error(status: int, message: str) -> Response:
    """Shape A: `{"detail": "<message>"}`."""
    return json_response({"detail": message}, status)


def denial(layer: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    """Shape C, the usage gate's DenialEnvelope: (status, body, headers) for a denial `layer`."""
    status = {"rate": 429, "quota": 403, "credit": 402, "wallet": 402}[layer]
    body = {
        "code": f"{layer}_limit_exceeded",
        "layer": layer,
        "key": {"rate": "requests_per_minute", "quota": "workflows", "credit": "credits", "wallet": "usd"}[
            layer
        ],
        "current": 120.0 if layer == "rate" else 0.0,
        "limit": 60.0 if layer == "rate" else 1.0,
        "reason": f"The organization's {layer} limit is exhausted.",
    }
    headers = (
        {"Retry-After": "30", "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0"}
        if layer == "rate"
        else {}
    )
    return status, body, headers


def object_detail(code: str) -> dict[str, Any]:
    """Shape B: an object `detail` (organization rate-limit deny, wallet paid-gate)."""
    return {"detail": {"code": code, "layer": "rate", "reason": "Organization request budget exhausted"}}


def check_auth(request: Request, info: RouteInfo) -> Response | None:
    token = request.headers.get("authorization", "")
    if token != f"Bearer {API_KEY}":
        return error(401, "Invalid or missing API key")
    if info.scoped:
        org = request.headers.get("x-organization-id")
        if not org:
            return error(400, "X-Organization-ID header is required")
        if org not in (ORG, OTHER_ORG):
            return error(403, "You are not a member of this organization")
    return None


sim = Simulator("modulex", check_auth, error)


def _workflow(n: int) -> dict[str, Any]:
    return {
        "id": f"wf_{n}",
        "organization_id": ORG,
        "name": f"Workflow {n}",
        "status": "draft",
        "visibility": "organization",
        "created_at": CREATED,
        "workflow_schema": {"nodes": [], "edges": [], "entry_point": "__start__"},
    }


WORKFLOWS = [_workflow(n) for n in range(1, 8)]
RUNS = [
    {"id": f"row_{n}", "run_id": f"run_{n}", "status": "completed", "created_at": CREATED}
    for n in range(1, 6)
]
KNOWLEDGE = [{"id": f"kb_{n}", "name": f"KB {n}", "status": "active"} for n in range(1, 6)]
USERS = [{"id": f"user_{n}", "email": f"user{n}@example.com", "role": "admin"} for n in range(1, 6)]
CHATS = [{"id": f"chat_{n}", "title": f"Chat {n}"} for n in range(1, 6)]
INTEGRATIONS = [{"name": f"tool_{n}", "display_name": f"Tool {n}"} for n in range(1, 8)]


@sim.route("/workflows")
async def list_workflows(request: Request, body: bytes) -> Response:
    page, size = int_param(request, "page", 1), int_param(request, "page_size", 20)
    chunk = WORKFLOWS[(page - 1) * size : page * size]
    pages = -(-len(WORKFLOWS) // size)
    return json_response(
        {"workflows": chunk, "total": len(WORKFLOWS), "page": page, "page_size": size, "total_pages": pages}
    )


@sim.route("/workflows", "POST")
async def create_workflow(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    problems = []
    if "workflow_schema" not in data:
        problems.append({"loc": ["body", "workflow_schema"], "msg": "Field required", "type": "missing"})
    if data.get("visibility", "organization") not in VISIBILITY:
        msg = "Input should be 'private', 'organization', 'public' or 'system'"
        problems.append({"loc": ["body", "visibility"], "msg": msg, "type": "enum"})
    if problems:
        return json_response({"detail": problems}, 422)
    return json_response({**_workflow(99), **data, "id": "wf_new"}, 201)


@sim.route("/workflows/{workflow_id}")
async def get_workflow(request: Request, body: bytes) -> Response:
    found = next((w for w in WORKFLOWS if w["id"] == request.path_params["workflow_id"]), None)
    return json_response(found) if found else error(404, "Workflow not found")


@sim.route("/workflows/run", "POST")
async def run_workflow(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    return json_response(
        {
            "status": "running",
            "run_id": f"run_{uuid.uuid4().hex[:8]}",
            "thread_id": "thr_1",
            "stream": True,
            "workflow_source": "database",
            "message": data.get("workflow_id"),
        }
    )


@sim.route("/dashboard/users")
async def list_users(request: Request, body: bytes) -> Response:
    page, limit = int_param(request, "page", 1), int_param(request, "limit", 10)
    chunk = USERS[(page - 1) * limit : page * limit]
    return json_response(
        {
            "success": True,
            "users": chunk,
            "total": len(USERS),
            "current_page": page,
            "limit": limit,
            "has_next": page * limit < len(USERS),
            "has_previous": page > 1,
        }
    )


@sim.route("/integrations/browse")
async def browse(request: Request, body: bytes) -> Response:
    page, size = int_param(request, "page", 1), int_param(request, "page_size", 50)
    chunk = INTEGRATIONS[(page - 1) * size : page * size]
    more = page * size < len(INTEGRATIONS)
    return json_response({"integrations": chunk, "total": len(INTEGRATIONS), "page": page, "has_more": more})


@sim.route("/workflow-runs")
async def list_runs(request: Request, body: bytes) -> Response:
    limit, offset = int_param(request, "limit", 50), int_param(request, "offset", 0)
    chunk = RUNS[offset : offset + limit]
    more = offset + limit < len(RUNS)
    return json_response({"runs": chunk, "has_more": more, "limit": limit, "offset": offset})


@sim.route("/knowledge-bases")
async def list_knowledge_bases(request: Request, body: bytes) -> Response:
    limit, offset = int_param(request, "limit", 100), int_param(request, "offset", 0)
    return json_response(KNOWLEDGE[offset : offset + limit])


@sim.route("/assistant/chats")
async def list_assistant_chats(request: Request, body: bytes) -> Response:
    limit = int_param(request, "limit", 20)
    start = int(request.query_params.get("cursor", "c0")[1:])
    chunk = CHATS[start : start + limit]
    nxt = f"c{start + limit}" if start + limit < len(CHATS) else None
    return json_response({"items": chunk, "next_cursor": nxt})


@sim.route("/knowledge-bases/{knowledge_id}/documents", "POST")
async def upload_document(request: Request, body: bytes) -> Response:
    parts = {p.name: p for p in multipart_parts(request, body)}
    if "file" not in parts or not parts["file"].filename:
        return json_response(
            {"detail": [{"loc": ["body", "file"], "msg": "Field required", "type": "missing"}]}, 422
        )
    upload = parts["file"]
    sim.state.setdefault("uploads", []).append(upload)
    if "metadata" in parts:
        sim.state["metadata"] = json.loads(parts["metadata"].data)
    return json_response(
        {
            "id": "doc_1",
            "knowledge_base_id": request.path_params["knowledge_id"],
            "filename": upload.filename,
            "file_type": (upload.filename or "").rsplit(".", 1)[-1],
            "file_size_bytes": len(upload.data),
            "status": "pending",
            "created_at": CREATED,
        },
        201,
    )


def run_events(run_id: str) -> list[bytes]:
    """A workflow run as ModuleX streams it: payload under `data` for some types, flat for others."""
    return [
        sse_frame(
            {"type": "metadata", "run_id": run_id, "data": {"run_id": run_id, "workflow_name": "Daily"}}
        ),
        sse_frame({"type": "node_started", "run_id": run_id, "node_id": "fetch", "node_type": "http"}),
        sse_frame({"type": "heartbeat"}),
        sse_frame({"type": "node_update", "run_id": run_id, "node_id": "fetch", "status": "completed"}),
        sse_frame({"type": "keepalive"}),
        sse_frame({"type": "node_update", "run_id": run_id, "node_id": "summarize", "status": "completed"}),
        sse_frame(
            {"type": "done", "run_id": run_id, "data": {"steps_executed": 2, "total_execution_time_ms": 41}}
        ),
    ]


AFTER_DONE = [sse_frame({"type": "node_update", "node_id": "after-done", "status": "completed"})]


@sim.route("/workflows/listen/{run_id}")
async def listen(request: Request, body: bytes) -> Response:
    run_id = request.path_params["run_id"]
    return sse_response(run_events(run_id), cut_after=sim.next_drop(run_id), tail=AFTER_DONE, linger=5.0)


@sim.route("/chats/stream")
async def chats_stream(request: Request, body: bytes) -> Response:
    frames = [
        sse_frame({"organization_id": ORG}, event="connected"),
        sse_frame({}, event="keepalive"),
        sse_frame({"type": "public", "timestamp": CREATED}, event="chat_list_updated"),
        sse_frame({}, event="keepalive"),
        sse_frame({"type": "private", "timestamp": CREATED}, event="chat_list_updated"),
    ]
    return sse_response(frames, cut_after=sim.next_drop("chats"))


@sim.route("/auth/me", scoped=False)
async def me(request: Request, body: bytes) -> Response:
    return json_response({"id": "user_1", "email": "dev@example.com", "organization_ids": [ORG]})
