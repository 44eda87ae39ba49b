"""Modus as its fact sheet describes it: two hosts, AIP-158 page tokens, SSE runs resumable by Last-Event-ID.

The management host (`/api/v1/...`) and the agent host (`/agent/...`) are two apps on two ports, so a test
can see which host a call went to. Tokens are `modus_<org>_<prefix>_<secret>` personal access tokens; errors
use `{"error": {code, status, message, requestId, info}}` with an `x-request-id` header. A run's events carry
Redis-stream ids; reconnecting with `Last-Event-ID` replays the events after it, and re-posting a run with
the same `Idempotency-Key` attaches to the run already going.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from sim_base import RouteInfo, Simulator, int_param, json_response, sse_frame, sse_response
from starlette.requests import Request
from starlette.responses import Response

ORG = "5b1f0c1e-8d2a-4c3b-9e4f-0a1b2c3d4e5f"
API_KEY = f"modus_{ORG}_e2e_s3cr3tvalue"
READ_ONLY_KEY = f"modus_{ORG}_ro_readonlysecret"
RUN_ID = "7f3c2a10-9b8d-4e6f-a1b2-c3d4e5f60718"
STATUS = {
    400: ("BAD_REQUEST", "INVALID_ARGUMENT"),
    401: ("UNAUTHORIZED", "UNAUTHENTICATED"),
    403: ("FORBIDDEN", "PERMISSION_DENIED"),
    404: ("NOT_FOUND", "NOT_FOUND"),
    409: ("CONFLICT", "ALREADY_EXISTS"),
    422: ("VALIDATION", "INVALID_ARGUMENT"),
    429: ("RATE_LIMITED", "RESOURCE_EXHAUSTED"),
    500: ("INTERNAL_ERROR", "INTERNAL"),
}
_request_ids = itertools.count(1)


def envelope(status: int, message: str, info: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
    """The Modus error body for `status`, and its request id."""
    code, grpc = STATUS.get(status, STATUS[500])
    request_id = f"req_01J{next(_request_ids):020d}"
    error: dict[str, Any] = {"code": code, "status": grpc, "message": message, "requestId": request_id}
    if info is not None:
        error["info"] = info
    return {"error": error}, request_id


def error(status: int, message: str, info: dict[str, Any] | None = None) -> Response:
    body, request_id = envelope(status, message, info)
    return json_response(body, status, {"x-request-id": request_id})


def check_auth(request: Request, info: RouteInfo) -> Response | None:
    token = request.headers.get("authorization", "")
    if token not in (f"Bearer {API_KEY}", f"Bearer {READ_ONLY_KEY}"):
        return error(401, "Missing or invalid personal access token")
    if info.scope and token == f"Bearer {READ_ONLY_KEY}":
        return error(403, f"Missing scope {info.scope}", {"missing": [info.scope]})
    return None


management = Simulator("modus", check_auth, error)
agent = Simulator("modus-agent", check_auth, error)

SKILLS = [
    {"id": n, "name": f"Skill {n}", "status": "active", "createdAt": "2026-05-01T10:00:00.000Z"}
    for n in range(1, 8)
]


@management.route("/api/v1/skills")
async def list_skills(request: Request, body: bytes) -> Response:
    size = int_param(request, "pageSize", 25)
    start = int(request.query_params.get("pageToken") or 0)
    chunk = SKILLS[start : start + size]
    token = str(start + size) if start + size < len(SKILLS) else None
    return json_response({"skills": chunk, "nextPageToken": token})


@management.route("/api/v1/skills/{id:int}")
async def get_skill(request: Request, body: bytes) -> Response:
    found = next((s for s in SKILLS if s["id"] == request.path_params["id"]), None)
    return json_response(found) if found else error(404, "Skill not found")


@management.route("/api/v1/agents", "POST", scope="agents:write")
async def create_agent(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    if not data.get("name"):
        return error(422, "name must be 1-200 characters", {"field": "name"})
    if data["name"] in {a["name"] for a in management.state.setdefault("agents", [])}:
        return error(409, f"An agent named {data['name']!r} already exists")
    agent_row = {"id": 100 + len(management.state["agents"]), "name": data["name"], "type": data.get("type")}
    management.state["agents"].append(agent_row)
    return json_response(agent_row)


# -- the agent host ------------------------------------------------------------------------------


def run_events(run_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(id, data) of every event of a run: tokens, heartbeats, a notice, then `done`."""
    events: list[dict[str, Any]] = []
    for n in range(8):
        events.append({"type": "token", "content": f"t{n} "})
        if n % 3 == 1:
            events.append({"type": "heartbeat"})
    events.insert(5, {"type": "notice", "message": "Using the draft version"})
    events.append({"type": "done", "runId": run_id, "threadId": "thr_9"})
    return [(f"1717000000000-{index}", data) for index, data in enumerate(events)]


AFTER_DONE = [sse_frame({"type": "token", "content": "after done"}, event_id="1717000000000-99")]


def _stream(run_id: str, last_event_id: str | None) -> Response:
    events = run_events(run_id)
    if last_event_id and last_event_id != "0":
        ids = [event_id for event_id, _ in events]
        events = events[ids.index(last_event_id) + 1 :]
    frames = [sse_frame(data, event_id=event_id) for event_id, data in events]
    return sse_response(frames, cut_after=agent.next_drop(run_id), tail=AFTER_DONE, linger=5.0)


@agent.route("/agent/runs", "POST")
async def start_run(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    if data.get("organizationId") != ORG:
        return error(403, "organizationId does not match the token's organization")
    runs: dict[str, tuple[str, bytes]] = agent.state.setdefault("runs", {})
    key = request.headers.get("idempotency-key")
    if key and key in runs:
        run_id, first_body = runs[key]
        if first_body != body:
            return sse_response(
                [sse_frame({"type": "error", "error": "Idempotency-Key reused with another body"})]
            )
    else:
        run_id = data.get("runId") or RUN_ID
        if key:
            runs[key] = (run_id, body)
    return _stream(run_id, request.headers.get("last-event-id"))


@agent.route("/agent/runs/{run_id}/stream")
async def watch_run(request: Request, body: bytes) -> Response:
    return _stream(request.path_params["run_id"], request.headers.get("last-event-id"))
