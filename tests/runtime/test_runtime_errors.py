"""Typed exceptions per status, parsed error envelopes, request ids, safe messages."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import Field

from generator.runtime import (
    APIError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    BaseModel,
    ConflictError,
    InternalServerError,
    NotFoundError,
    Operation,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

from .runtime_client import API_KEY, ORG_ID, Acme
from .runtime_server import STATE


class DenialEnvelope(BaseModel):
    code: str | None = None
    layer: str | None = None
    key: str | None = None
    current: float | None = None
    limit: float | None = None
    reason: str | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str | None = Field(default=None, alias="requestId")


class ErrorEnvelope(BaseModel):
    error: ErrorDetail


class DetailEnvelope(BaseModel):
    detail: str


ERRORS: dict[int | str, object] = {
    402: DenialEnvelope,
    403: DenialEnvelope,
    404: ErrorEnvelope,
    "4XX": DetailEnvelope,
    "default": ErrorEnvelope,
}
OP = Operation(method="GET", path="/errors/{key}/{status}", path_params=("key", "status"), errors=ERRORS)


def _fail(client: Acme, status: int, shape: str, **query: str) -> APIStatusError:
    with pytest.raises(APIStatusError) as info:
        client.request(
            OP,
            cast_to=dict[str, Any],
            path_params={"key": "errors", "status": status},
            query={"shape": shape, **query},
        )
    return info.value


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (402, PaymentRequiredError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_classes(base_url: str, status: int, cls: type[APIStatusError]) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
        error = _fail(client, status, "detail")
    assert type(error) is cls
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert error.response.status_code == status


def test_denial_envelope(client: Acme) -> None:
    error = _fail(client, 402, "denial", rid="req_denied_1")
    assert isinstance(error, PaymentRequiredError)
    assert isinstance(error.error, DenialEnvelope)
    assert (error.error.layer, error.error.current, error.error.limit) == ("quota", 101, 100)
    assert error.request_id == "req_denied_1"
    assert str(error) == (
        "402 Payment Required: Monthly run quota exhausted (code: quota_exceeded, request id: req_denied_1)"
    )


def test_nested_error_envelope_and_request_id_in_body(client: Acme) -> None:
    error = _fail(client, 404, "nested")
    assert isinstance(error.error, ErrorEnvelope)
    assert error.error.error.code == "NOT_FOUND"
    assert error.request_id == "req_body_01"
    assert str(error) == ("404 Not Found: Skill 42 does not exist (code: NOT_FOUND, request id: req_body_01)")
    assert error.body == {
        "error": {
            "code": "NOT_FOUND",
            "status": "NOT_FOUND",
            "message": "Skill 42 does not exist",
            "requestId": "req_body_01",
        }
    }


def test_detail_string_through_range_key(client: Acme) -> None:
    error = _fail(client, 400, "detail", rid="req_x")
    assert isinstance(error.error, DetailEnvelope)
    assert error.error.detail == "Workflow not found"
    assert str(error) == "400 Bad Request: Workflow not found (request id: req_x)"


def test_validation_detail_list(client: Acme) -> None:
    error = _fail(client, 422, "detail_list")
    assert str(error) == "422 Unprocessable Entity: body.name: field required"
    assert error.error is None  # DetailEnvelope wants a string detail: does not parse


def test_detail_object_and_retry_after(base_url: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
        error = _fail(client, 429, "detail_obj", retry_after="7")
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    assert str(error) == "429 Too Many Requests: org limit reached (code: rate_limited)"


def test_default_key_and_text_bodies(base_url: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
        error = _fail(client, 500, "nested")
        assert isinstance(error.error, ErrorEnvelope)  # via "default"
        text = _fail(client, 503, "text")
        assert text.body == "upstream exploded"
        assert text.error is None
        assert str(text) == "503 Service Unavailable: upstream exploded"
        empty = _fail(client, 500, "empty")
        assert empty.body is None
        assert str(empty) == "500 Internal Server Error"


def test_no_secrets_in_messages_or_reprs(base_url: str, key: str) -> None:
    op = Operation(
        method="GET",
        path="/errors/{key}/{status}",
        path_params=("key", "status"),
        settings=("organization_id",),
    )
    client = Acme(api_key=API_KEY, base_url=base_url, organization_id=ORG_ID, max_retries=0)
    with client, pytest.raises(APIStatusError) as info:
        client.request(op, cast_to=dict, path_params={"key": key, "status": 401}, query={"shape": "detail"})
    error = info.value
    for text in (str(error), repr(error), repr(error.response), repr(client)):
        assert API_KEY not in text
        assert ORG_ID not in text
    assert STATE.seen(key)[0].headers["authorization"] == f"Bearer {API_KEY}"


def test_secret_echoed_by_server_is_redacted() -> None:
    import httpx

    from generator.runtime._exceptions import make_status_error

    response = httpx.Response(
        401,
        json={"detail": f"invalid key {API_KEY}"},
        request=httpx.Request("GET", "https://x.example"),
    )
    error = make_status_error(response, errors={}, request_id_headers=(), secrets=(API_KEY,))
    assert API_KEY not in str(error)
    assert "invalid key ***" in str(error)


def test_response_not_matching_the_model(client: Acme) -> None:
    class Strict(BaseModel):
        required_field: int

    op = Operation(method="GET", path="/echo/{key}", path_params=("key",))
    with pytest.raises(APIResponseValidationError, match="Strict"):
        client.request(op, cast_to=Strict, path_params={"key": "x"})


def test_an_undeclared_status_is_parsed_with_the_operations_one_envelope() -> None:
    import httpx

    from generator.runtime._exceptions import make_status_error

    response = httpx.Response(
        503,
        json={"error": {"code": "service_unavailable", "message": "try later"}},
        request=httpx.Request("GET", "https://x.example"),
    )
    one = make_status_error(
        response, errors={400: ErrorEnvelope, 404: ErrorEnvelope}, request_id_headers=(), secrets=()
    )
    assert isinstance(one.error, ErrorEnvelope) and one.error.error.code == "service_unavailable"
    two = make_status_error(
        response, errors={400: ErrorEnvelope, 422: DetailEnvelope}, request_id_headers=(), secrets=()
    )
    assert two.error is None  # several envelopes: no guessing
