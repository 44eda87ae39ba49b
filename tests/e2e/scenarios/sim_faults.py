"""Routes that misbehave the way servers do in the field, added to the vendor simulators on import.

Pages: empty pages with fresh tokens, a sticky token, tokens that never stop, a server that caps the
requested limit (saying how many there are with `total`, or that more follow with `has_next`).
Unions: a variant the client does not know, nested in a field, inside a stream event, and sent back.
A test picks the behaviour with `sim.state["mode"]` (cleared between tests).
"""

from __future__ import annotations

from typing import Any

import sim_modulex
import sim_modus
from sim_base import int_param, json_response, sse_frame, sse_response
from starlette.requests import Request
from starlette.responses import Response

AGENTS = [{"id": n, "name": f"Agent {n}"} for n in range(1, 8)]
SCHEDULES = [{"id": f"sch_{n}", "name": f"Schedule {n}"} for n in range(1, 12)]
MESSAGES = [{"id": f"msg_{n}", "content": f"message {n}"} for n in range(1, 12)]
CAP = 3  # the most items the capped routes return, whatever `limit` asks for
GAP = 4  # empty pages (fresh tokens) the `gap` mode serves after the first page
PARROT = {"kind": "parrot", "request_id": "req_9", "message": "Pick a feather", "feathers": ["red", "blue"]}


@sim_modus.management.route("/api/v1/agents")
async def list_agents(request: Request, body: bytes) -> Response:
    """`pageToken` pages of 3. Modes: `gap` (GAP empty pages after the first), `endless` (empty pages with
    fresh tokens forever), `sticky` (an empty page whose token is the one sent)."""
    mode = sim_modus.management.state.get("mode", "gap")
    token = request.query_params.get("pageToken")
    served = sim_modus.management.state["served"] = sim_modus.management.state.get("served", 0) + 1
    if token is None:
        return json_response({"agents": AGENTS[:3], "nextPageToken": "p1"})
    if mode == "sticky":
        return json_response({"agents": [], "nextPageToken": token})
    if mode == "endless" or served <= GAP + 1:
        return json_response({"agents": [], "nextPageToken": f"p{served}"})
    start = 3 * (served - GAP - 1)
    chunk = AGENTS[start : start + 3]
    more = start + 3 < len(AGENTS)
    return json_response({"agents": chunk, "nextPageToken": f"p{served}" if more else ""})


@sim_modulex.sim.route("/schedules")
async def list_schedules(request: Request, body: bytes) -> Response:
    """Caps `limit` at CAP and says how many there are in `total`."""
    limit, offset = int_param(request, "limit", 50), int_param(request, "offset", 0)
    chunk = SCHEDULES[offset : offset + min(limit, CAP)]
    return json_response({"schedules": chunk, "total": len(SCHEDULES), "limit": limit, "offset": offset})


@sim_modulex.sim.route("/chats/{chat_id}/messages")
async def list_messages(request: Request, body: bytes) -> Response:
    """Caps `limit` at CAP and says whether more follow in `has_next`."""
    limit, offset = int_param(request, "limit", 50), int_param(request, "offset", 0)
    chunk = MESSAGES[offset : offset + min(limit, CAP)]
    more = offset + len(chunk) < len(MESSAGES)
    return json_response({"messages": chunk, "limit": limit, "offset": offset, "has_next": more})


@sim_modulex.sim.route("/assistant/chat/{chat_id}")
async def get_chat(request: Request, body: bytes) -> Response:
    """A chat waiting on a question of a kind the client does not know (`parrot`), or a known one."""
    known = {"kind": "yes_no", "request_id": "req_1", "message": "Deploy?"}
    pending = known if sim_modulex.sim.state.get("mode") == "known" else PARROT
    return json_response({"id": request.path_params["chat_id"], "pending_user_input_request": pending})


@sim_modulex.sim.route("/assistant/chat/{chat_id}/resume", "POST")
async def resume_chat(request: Request, body: bytes) -> Response:
    """Records the answer (see `sim_modulex.sim.requests`) and starts a run."""
    return json_response({"status": "running", "run_id": "run_7", "chat_id": request.path_params["chat_id"]})


@sim_modulex.sim.route("/assistant/chat/{chat_id}/listen/{run_id}")
async def listen_chat(request: Request, body: bytes) -> Response:
    """A known event with an unknown question kind, an event type the client does not know, `done`."""
    frames: list[Any] = [
        {"type": "user_input_request", "run_id": "run_7", "data": PARROT},
        {"type": "brand_new_event", "run_id": "run_7", "payload": {"x": 1}},
        {"type": "done", "run_id": "run_7"},
    ]
    return sse_response([sse_frame(f) for f in frames])
