"""Every error envelope of every vendor arrives as the exception class of its status, with the vendor's
envelope parsed into `exc.error` (and the request id, Retry-After and message lifted out of it)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import autx_typed
import mobius_typed
import modulex_typed
import modus_typed
import pytest
import sim_autx
import sim_mobius
import sim_modulex
import sim_modus
from autx_typed._runtime import Omit  # not re-exported by the package (reported)
from conftest import SIMULATORS


@dataclass(frozen=True)
class Case:
    vendor: str
    call: Callable[[Any], Any]
    raises: type[Exception]
    check: Callable[[Any], bool]
    setup: Callable[[], None] = lambda: None
    client: dict[str, Any] = field(default_factory=dict)
    declared: bool = True  # `exc.error` holds the parsed envelope (declared, or the operation's one envelope)
    envelope: str = ""  # the model `exc.error` must be (default: the vendor's one error model)

    @property
    def model(self) -> str:
        return (
            self.envelope
            or {"modus": "ErrorEnvelope", "mobius": "ErrorEnvelope", "autx": "ErrorDetail"}[self.vendor]
        )


def _deny(layer: str) -> Callable[[], None]:
    def plan() -> None:
        status, body, headers = sim_modulex.denial(layer)
        SIMULATORS["modulex"].fail("POST", "/workflows/run", status, body=body, headers=headers)

    return plan


def _fail(vendor: str, method: str, path: str, status: int, body: Any, **headers: str) -> Callable[[], None]:
    return lambda: SIMULATORS[vendor].fail(method, path, status, body=body, headers=headers)


def _modus(status: int, message: str) -> Any:
    return sim_modus.envelope(status, message)[0]


def _end_run() -> None:
    sim_mobius.sim.state["external_ids"] = {"ext-1": {**sim_mobius._run(1, "completed")}}


RUN = lambda c: c.workflows.run(workflow_id="wf_1")  # noqa: E731
SCHEMA = {"nodes": [], "edges": []}
MX, MU, MB, AX = modulex_typed, modus_typed, mobius_typed, autx_typed

CASES: dict[str, Case] = {
    # ModuleX, shape A: a string detail (and the 422 list of {loc, msg, type})
    "modulex 401 bad token": Case(
        "modulex",
        lambda c: c.auth.get_me(),
        MX.AuthenticationError,
        lambda e: e.error.detail == "Invalid or missing API key",
        client={"api_key": "mx_live_wrong"},
        envelope="HttpErrorDetail",
    ),
    "modulex 400 missing X-Organization-ID": Case(
        "modulex",
        lambda c: c.workflows.list(),
        MX.BadRequestError,
        lambda e: e.error.detail == "X-Organization-ID header is required",
        client={"organization_id": None},
        envelope="HttpErrorDetail",
    ),
    "modulex 403 not a member": Case(
        "modulex",
        lambda c: c.workflows.get(workflow_id="wf_1", organization_id="11111111-2222-4333-8444-555555555555"),
        MX.PermissionDeniedError,
        lambda e: "not a member" in e.error.detail,
        envelope="HttpErrorDetail",
    ),
    "modulex 404": Case(
        "modulex",
        lambda c: c.workflows.get(workflow_id="wf_404"),
        MX.NotFoundError,
        lambda e: e.error.detail == "Workflow not found" and "Workflow not found" in str(e),
        envelope="HttpErrorDetail",
    ),
    "modulex 422 validation list": Case(
        "modulex",
        lambda c: c.workflows.create(workflow_schema=SCHEMA, visibility="secret"),
        MX.UnprocessableEntityError,
        lambda e: e.error.detail[0].loc == ["body", "visibility"] and e.error.detail[0].type_ == "enum",
        envelope="ValidationErrorDetail",
    ),
    # ModuleX, shape B: an object detail
    "modulex 429 object detail": Case(
        "modulex",
        RUN,
        MX.RateLimitError,
        lambda e: e.error.detail.code == "rate_limited",
        setup=_fail("modulex", "POST", "/workflows/run", 429, sim_modulex.object_detail("rate_limited")),
        envelope="ObjectErrorDetail",
    ),
    "modulex 402 wallet paid gate (object detail)": Case(
        "modulex",
        RUN,
        MX.PaymentRequiredError,
        lambda e: e.error.detail.code == "wallet_paid_gate",
        setup=_fail("modulex", "POST", "/workflows/run", 402, sim_modulex.object_detail("wallet_paid_gate")),
        envelope="ObjectErrorDetail",
    ),
    # ModuleX, shape C: the flat DenialEnvelope, status by layer
    "modulex 402 credit denial": Case(
        "modulex",
        RUN,
        MX.PaymentRequiredError,
        lambda e: (
            (e.error.layer, e.error.current, e.error.limit, e.error.key) == ("credit", 0.0, 1.0, "credits")
        ),
        setup=_deny("credit"),
        envelope="DenialEnvelope",
    ),
    "modulex 402 wallet denial": Case(
        "modulex",
        RUN,
        MX.PaymentRequiredError,
        lambda e: e.error.layer == "wallet",
        setup=_deny("wallet"),
        envelope="DenialEnvelope",
    ),
    "modulex 403 quota denial": Case(
        "modulex",
        RUN,
        MX.PermissionDeniedError,
        lambda e: e.error.layer == "quota" and e.error.code == "quota_limit_exceeded",
        setup=_deny("quota"),
        envelope="DenialEnvelope",
    ),
    "modulex 429 rate denial": Case(
        "modulex",
        RUN,
        MX.RateLimitError,
        lambda e: e.error.layer == "rate" and e.error.current == 120.0 and e.retry_after == 30.0,
        setup=_deny("rate"),
        envelope="DenialEnvelope",
    ),
    # Modus: {"error": {code, status, message, requestId, info}}
    "modus 401": Case(
        "modus",
        lambda c: c.skills.get(id=1),
        MU.AuthenticationError,
        lambda e: (
            (e.error.error.code, e.error.error.status) == ("UNAUTHORIZED", "UNAUTHENTICATED")
            and e.request_id == e.error.error.request_id == e.response.headers["x-request-id"]
        ),
        client={"api_key": "modus_wrong"},
    ),
    "modus 403 missing scope": Case(
        "modus",
        lambda c: c.agents.create(name="Ops", type_="task"),
        MU.PermissionDeniedError,
        lambda e: e.error.error.code == "FORBIDDEN" and e.error.error.info == {"missing": ["agents:write"]},
        client={"api_key": sim_modus.READ_ONLY_KEY},
    ),
    "modus 404": Case(
        "modus",
        lambda c: c.skills.get(id=999),
        MU.NotFoundError,
        lambda e: e.error.error.status == "NOT_FOUND" and e.error.error.message == "Skill not found",
    ),
    "modus 422": Case(
        "modus",
        lambda c: c.agents.create(name="", type_="task"),
        MU.UnprocessableEntityError,
        lambda e: e.error.error.code == "VALIDATION" and e.error.error.info == {"field": "name"},
    ),
    "modus 409": Case(
        "modus",
        lambda c: [c.agents.create(name="Ops", type_="task") for _ in range(2)],
        MU.ConflictError,
        lambda e: (e.error.error.code, e.error.error.status) == ("CONFLICT", "ALREADY_EXISTS"),
    ),
    "modus 400": Case(
        "modus",
        lambda c: c.skills.list(page_size=0),
        MU.BadRequestError,
        lambda e: e.error.error.status == "INVALID_ARGUMENT",
        setup=_fail("modus", "GET", "/api/v1/skills", 400, _modus(400, "pageSize must be positive")),
    ),
    "modus 429": Case(
        "modus",
        lambda c: c.skills.get(id=1),
        MU.RateLimitError,
        lambda e: e.error.error.code == "RATE_LIMITED" and e.retry_after == 7.0,
        setup=_fail(
            "modus", "GET", "/api/v1/skills/1", 429, _modus(429, "slow down"), **{"Retry-After": "7"}
        ),
    ),
    "modus 500": Case(
        "modus",
        lambda c: c.skills.get(id=1),
        MU.InternalServerError,
        lambda e: e.error.error.status == "INTERNAL",
        setup=_fail("modus", "GET", "/api/v1/skills/1", 500, _modus(500, "boom")),
    ),
    # Mobius: {"error": {code, message, details}}
    "mobius 401": Case(
        "mobius",
        lambda c: c.automations.runs.list(),
        MB.AuthenticationError,
        lambda e: e.error.error.code == "unauthorized",
        client={"api_key": "mbx_wrong"},
    ),
    "mobius 404 unknown project": Case(
        "mobius",
        lambda c: c.automations.runs.get(id="run_1", project="elsewhere"),
        MB.NotFoundError,
        lambda e: e.error.error.message == "project 'elsewhere' not found",
    ),
    "mobius 404": Case(
        "mobius",
        lambda c: c.automations.get(handle="nope"),
        MB.NotFoundError,
        lambda e: e.error.error.code == "not_found",
    ),
    "mobius 409 external_id_conflict": Case(
        "mobius",
        lambda c: c.automations.runs.start(handle="nightly", external_id="ext-1"),
        MB.ConflictError,
        lambda e: (
            e.error.error.code == "external_id_conflict"
            and e.error.error.details
            == {"existing_run_id": "run_1", "status": "completed", "external_id": "ext-1"}
        ),
        setup=_end_run,
    ),
    "mobius 403": Case(
        "mobius",
        lambda c: c.artifacts.upload(x_mobius_lease_token="l", file=b"x", name="a"),
        MB.PermissionDeniedError,
        lambda e: e.error.error.details == {"permission": "artifacts:write"},
        setup=_fail(
            "mobius",
            "POST",
            "/v1/projects/demo/artifacts",
            403,
            {
                "error": {
                    "code": "permission_denied",
                    "message": "no",
                    "details": {"permission": "artifacts:write"},
                }
            },
        ),
    ),
    "mobius 400": Case(
        "mobius",
        lambda c: c.automations.runs.list(limit=500),
        MB.BadRequestError,
        lambda e: e.error.error.message == "limit must be between 1 and 200",
        setup=_fail(
            "mobius",
            "GET",
            "/v1/projects/demo/runs",
            400,
            {"error": {"code": "bad_request", "message": "limit must be between 1 and 200"}},
        ),
    ),
    "mobius 429": Case(
        "mobius",
        lambda c: c.automations.runs.list(),
        MB.RateLimitError,
        lambda e: e.error.error.code == "rate_limit_exceeded" and e.retry_after == 12.0,
        setup=_fail(
            "mobius",
            "GET",
            "/v1/projects/demo/runs",
            429,
            {"error": {"code": "rate_limit_exceeded", "message": "slow down"}},
            **{"Retry-After": "12", "X-RateLimit-Scope": "key"},
        ),
    ),
    "mobius 503 (declared by no operation, parsed with its one envelope)": Case(
        "mobius",
        lambda c: c.automations.runs.list(),
        MB.InternalServerError,
        lambda e: (
            e.error.error.code == "service_unavailable" and "try later (code: service_unavailable)" in str(e)
        ),
        setup=_fail(
            "mobius",
            "GET",
            "/v1/projects/demo/runs",
            503,
            {"error": {"code": "service_unavailable", "message": "try later"}},
        ),
    ),
    # AUTX: {"detail": "..."}, and the x402 challenge
    "autx 401": Case(
        "autx",
        lambda c: c.agents.get(id="agent-1"),
        AX.AuthenticationError,
        lambda e: e.error.detail == "Could not validate credentials",
        client={"api_key": "autx_live_wrong"},
    ),
    "autx 403 scope": Case(
        "autx",
        lambda c: c.orders.create(agent_id="agent-1", prompt="hi"),
        AX.PermissionDeniedError,
        lambda e: e.error.detail == "API key lacks the required scope: orders",
        client={"api_key": sim_autx.PROXY_ONLY_KEY},
    ),
    "autx 402 insufficient credits": Case(
        "autx",
        lambda c: c.orders.create(agent_id="agent-1", prompt="hi"),
        AX.PaymentRequiredError,
        lambda e: e.error.detail == "Insufficient credits",
        setup=lambda: sim_autx.sim.state.update(balance=0.1),
    ),
    "autx 402 x402 challenge": Case(
        "autx",
        lambda c: c.proxy.call(ticker_or_id="SUMM", prompt="hi", extra_headers={"Authorization": Omit()}),
        AX.PaymentRequiredError,
        lambda e: (
            e.error.x402_version == 2
            and e.error.accepts[0].network == "eip155:8453"
            and json.loads(base64.b64decode(e.response.headers["payment-required"]))["error"]
            == "payment_required"
        ),
        envelope="X402Challenge",
    ),
    "autx 404": Case(
        "autx",
        lambda c: c.orders.get(id="ord-404"),
        AX.NotFoundError,
        lambda e: e.error.detail == "Order not found",
    ),
    "autx 422": Case(
        "autx",
        lambda c: c.orders.create(agent_id="agent-1", prompt=""),
        AX.UnprocessableEntityError,
        lambda e: e.error.detail == "prompt must not be empty",
    ),
    "autx 400 on a binary download": Case(
        "autx",
        lambda c: c.sessions.download_receipt(id="ses_active"),
        AX.BadRequestError,
        lambda e: e.error.detail == "Session is still active" and e.request_id is not None,
    ),
    "autx 413": Case(
        "autx",
        lambda c: c.orders.create(agent_id="agent-1", prompt="big"),
        AX.APIStatusError,
        lambda e: e.status_code == 413 and e.error.detail == "Payload too large",
        setup=_fail("autx", "POST", "/orders/", 413, {"detail": "Payload too large"}),
    ),
    "autx 429": Case(
        "autx",
        lambda c: c.agents.get(id="agent-1"),
        AX.RateLimitError,
        lambda e: e.error.detail == "Rate limit exceeded" and e.retry_after == 5.0,
        setup=_fail(
            "autx", "GET", "/agents/agent-1", 429, {"detail": "Rate limit exceeded"}, **{"Retry-After": "5"}
        ),
    ),
    "autx 500": Case(
        "autx",
        lambda c: c.agents.get(id="agent-1"),
        AX.InternalServerError,
        lambda e: e.error.detail == "Internal error",
        setup=_fail("autx", "GET", "/agents/agent-1", 500, {"detail": "Internal error"}),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_error_envelope_is_typed(client: Callable[..., Any], name: str) -> None:
    case = CASES[name]
    case.setup()
    with pytest.raises(case.raises) as caught:
        case.call(client(case.vendor, **{"max_retries": 0, **case.client}))
    exc = caught.value
    assert type(exc) is case.raises or case.raises is AX.APIStatusError
    if case.declared:
        assert type(exc.error).__name__ == case.model, f"the {exc.status_code} body became {exc.error!r}"
    assert case.check(exc), (exc.error, exc.body)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "name",
    [
        "modulex 402 credit denial",
        "modus 403 missing scope",
        "mobius 409 external_id_conflict",
        "autx 402 x402 challenge",
    ],
)
async def test_error_envelope_is_typed_async(client: Callable[..., Any], name: str) -> None:
    case = CASES[name]
    case.setup()
    async with client(case.vendor, aio=True, **{"max_retries": 0, **case.client}) as aclient:
        with pytest.raises(case.raises) as caught:
            await case.call(aclient)
    assert case.check(caught.value), caught.value.error
