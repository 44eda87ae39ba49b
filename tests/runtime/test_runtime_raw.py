"""Raw responses: status, headers, request id, rate limits, retries taken, parse()."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from generator.runtime import (
    APIResponse,
    BinaryResponse,
    NotFoundError,
    Operation,
    RateLimitInfo,
    StreamSpec,
    SyncPage,
    to_raw_response_wrapper,
)
from generator.runtime._headers import parse_rate_limit

from .runtime_client import Acme, AsyncAcme, Echo, Item
from .runtime_server import STATE


def test_raw_response_of_a_generated_method(client: Acme, key: str) -> None:
    raw = client.with_raw_response.workflows.run(key, workflow_id="w1")
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/json"
    assert raw.request_id == "req_echo"
    assert raw.retries_taken == 0
    assert isinstance(raw.elapsed, dt.timedelta)
    assert isinstance(raw.http_response, httpx.Response)
    echo = raw.parse()
    assert isinstance(echo, Echo)
    assert echo.raw_path == f"/echo/workflows/run/{key}"
    assert raw.parse() is echo
    # the normal view is unaffected
    assert isinstance(client.workflows.run(key, workflow_id="w1"), Echo)


def test_rate_limit_info_and_retries(client: Acme, key: str) -> None:
    op = Operation(method="GET", path="/ratelimited/{key}", path_params=("key",))

    def call() -> dict[str, Any]:
        return client.request(op, cast_to=dict[str, Any], path_params={"key": key})

    raw = to_raw_response_wrapper(call)()
    assert raw.rate_limit == RateLimitInfo(limit=60, remaining=59, reset=30.0, retry_after=None)
    assert raw.request_id == "req_rl_1"
    assert raw.parse() == {"ok": True, "requestId": "req_in_body"}

    flaky = Operation(method="GET", path="/flaky/{key}", path_params=("key",))
    other = key + "-flaky"

    def flaky_call() -> dict[str, Any]:
        return client.request(flaky, cast_to=dict[str, Any], path_params={"key": other}, query={"fail": "2"})

    raw_flaky = to_raw_response_wrapper(flaky_call)()
    assert raw_flaky.retries_taken == 2
    assert STATE.count(other) == 3


def test_rate_limit_header_variants() -> None:
    assert parse_rate_limit(
        httpx.Headers({"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "Retry-After": "5"})
    ) == RateLimitInfo(limit=100, remaining=0, reset=None, retry_after=5.0)
    assert parse_rate_limit(httpx.Headers({"RateLimit": "limit=10, remaining=3, reset=20"})) == RateLimitInfo(
        limit=10, remaining=3, reset=20.0, retry_after=None
    )
    assert parse_rate_limit(httpx.Headers({})) == RateLimitInfo()


def test_raw_errors_still_raise(client: Acme) -> None:
    op = Operation(method="GET", path="/errors/{key}/{status}", path_params=("key", "status"))

    def call() -> None:
        client.request(op, cast_to=None, path_params={"key": "x", "status": 404})

    with pytest.raises(NotFoundError):
        to_raw_response_wrapper(call)()


def test_raw_pages_streams_and_binaries(client: Acme, key: str) -> None:
    raw = client.with_raw_response.workflows.list(key, page_size=5)
    assert raw.status_code == 200
    page = raw.parse()
    assert isinstance(page, SyncPage)
    assert [i.id for i in page] == [f"it_{n}" for n in range(10)]

    stream_op = Operation(method="GET", path="/sse/plain/{key}", path_params=("key",))
    raw_stream = to_raw_response_wrapper(client.stream)(
        stream_op, event_type=dict[str, Any], stream_spec=StreamSpec(), path_params={"key": key}
    )
    assert raw_stream.headers["content-type"].startswith("text/event-stream")
    assert [e["n"] for e in raw_stream.parse()] == [0, 1, 2]

    download = Operation(method="GET", path="/download/{key}/{size}", path_params=("key", "size"))
    raw_binary = to_raw_response_wrapper(client.request)(
        download, cast_to=BinaryResponse, path_params={"key": key, "size": 10}
    )
    assert raw_binary.parse().read() == bytes(range(10))


@pytest.mark.anyio
async def test_async_raw_wrappers(aclient: AsyncAcme, key: str) -> None:
    raw = await aclient.with_raw_response.workflows.run(key, workflow_id="w")
    assert raw.status_code == 200
    assert isinstance(raw.parse(), Echo)
    raw_page = await aclient.with_raw_response.workflows.list(key)
    page = raw_page.parse()
    assert [i.id for i in page.items] == ["it_0", "it_1", "it_2"]
    assert all(isinstance(i, Item) for i in page.items)
    assert [i.id async for i in page][-1] == "it_9"
