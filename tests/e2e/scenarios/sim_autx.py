"""AUTX as its fact sheet describes it: `/v1`-less paths with trailing slashes on collections, API keys
with scopes, `{"detail": ...}` errors, rate-limit headers on every response, bare-array lists, multipart
orders, a PDF receipt and the x402 payment challenge on unauthenticated proxy calls.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from sim_base import RouteInfo, Simulator, int_param, json_response, multipart_parts
from starlette.requests import Request
from starlette.responses import Response

API_KEY = "autx_live_e2e_full_7d1e9c"
PROXY_ONLY_KEY = "autx_live_e2e_proxy_2b4a"
KEYS = {API_KEY: {"*"}, PROXY_ONLY_KEY: {"proxy"}}
AGENT_ID = "8c0a6f2e-1d3b-4c5a-9e7f-2a4b6c8d0e1f"
AT = "2026-04-17T10:00:00Z"
RATE_LIMIT = 60
RECEIPT = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CHALLENGE = {
    "x402Version": 2,
    "error": "payment_required",
    "accepts": [
        {
            "scheme": "exact",
            "network": "eip155:8453",
            "asset": "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
            "amount": "1000000",
            "payTo": "0x0000000000000000000000000000000000000001",
            "maxTimeoutSeconds": 300,
            "extra": {"bazaar": {"name": "Summarizer", "ticker": "SUMM"}},
        },
    ],
}


def _rate_headers() -> dict[str, str]:
    used = sim.state.get("calls", 0) + 1
    sim.state["calls"] = used
    return {
        "X-RateLimit-Limit": str(RATE_LIMIT),
        "X-RateLimit-Remaining": str(max(RATE_LIMIT - used, 0)),
        "X-RateLimit-Reset": "42",
        "x-autx-request-id": f"req_{used}",
    }


def respond(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_response(data, status, {**_rate_headers(), **(headers or {})})


def error(status: int, message: str) -> Response:
    return respond({"detail": message}, status)


def check_auth(request: Request, info: RouteInfo) -> Response | None:
    header = request.headers.get("authorization", "")
    if not header and info.path.startswith("/proxy/"):
        challenge = base64.b64encode(json.dumps(CHALLENGE).encode()).decode()
        return respond(CHALLENGE, 402, {"PAYMENT-REQUIRED": challenge})
    scopes = KEYS.get(header.removeprefix("Bearer "))
    if not header.startswith("Bearer ") or scopes is None:
        return error(401, "Could not validate credentials")
    if info.scope and "*" not in scopes and info.scope not in scopes:
        return error(403, f"API key lacks the required scope: {info.scope}")
    return None


sim = Simulator("autx", check_auth, error)


def _agent(n: int) -> dict[str, Any]:
    return {
        "id": f"agent-{n}",
        "name": f"Agent {n}",
        "ticker": f"AG{n}",
        "description": "An agent",
        "category": "Productivity",
        "service_price": 0.5,
        "status": "active",
        "auth_tier": "jwt_default",
        "total_requests": 10 * n,
        "total_revenue": 5.0 * n,
    }


AGENTS = [_agent(n) for n in range(1, 6)]


@sim.route("/agents/")
async def list_agents(request: Request, body: bytes) -> Response:
    limit, offset = int_param(request, "limit", 100), int_param(request, "offset", 0)
    return respond(AGENTS[offset : offset + limit])


@sim.route("/agents/{id}")
async def get_agent(request: Request, body: bytes) -> Response:
    found = next((a for a in AGENTS if a["id"] == request.path_params["id"]), None)
    return respond(found) if found else error(404, "Agent not found")


def _order(agent_id: str) -> dict[str, Any]:
    return {
        "id": "ord-1",
        "agent_id": agent_id,
        "status": "completed",
        "amount_paid": 0.5,
        "platform_fee": 0.05,
        "created_at": AT,
    }


@sim.route("/orders/", "POST", scope="orders")
async def create_order(request: Request, body: bytes) -> Response:
    data = json.loads(body or b"{}")
    if not data.get("prompt"):
        return error(422, "prompt must not be empty")
    if sim.state.get("balance", 10.0) < 0.5:
        return error(402, "Insufficient credits")
    return respond(_order(data["agent_id"]))


@sim.route("/orders/multipart", "POST", scope="orders")
async def create_order_multipart(request: Request, body: bytes) -> Response:
    parts = multipart_parts(request, body)
    sim.state["order_files"] = [p for p in parts if p.name == "files"]
    fields = {p.name: p.data.decode() for p in parts if p.filename is None}
    return respond(_order(fields["agent_id"]))


@sim.route("/orders/{id}", scope="orders")
async def get_order(request: Request, body: bytes) -> Response:
    return error(404, "Order not found")


@sim.route("/sessions/{id}/receipt", scope="orders")
async def receipt(request: Request, body: bytes) -> Response:
    if request.path_params["id"] == "ses_active":
        return error(400, "Session is still active")
    return Response(RECEIPT, media_type="application/pdf", headers=_rate_headers())


@sim.route("/proxy/{ticker_or_id}", "POST", scope="proxy")
async def proxy(request: Request, body: bytes) -> Response:
    return respond({"output": "summary", "echo": json.loads(body or b"{}")}, headers={"x-autx-agent": "SUMM"})
