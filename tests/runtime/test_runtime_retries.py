"""Retry rules: which failures, which methods, how long to wait, idempotency keys."""

from __future__ import annotations

import socket
import time
import uuid
from typing import Any

import httpx
import pytest

from generator.runtime import (
    APIConnectionError,
    APITimeoutError,
    ConflictError,
    InternalServerError,
    Operation,
    RateLimitError,
    RequestOptions,
    RetryPolicy,
)
from generator.runtime._retry import backoff_delay

from .runtime_client import Acme
from .runtime_server import STATE

GET = Operation(method="GET", path="/flaky/{key}", path_params=("key",))
POST = Operation(method="POST", path="/flaky/{key}", path_params=("key",))
POST_IDEMPOTENT = Operation(
    method="POST", path="/flaky/{key}", path_params=("key",), idempotency_header="Idempotency-Key"
)


def _call(client: Acme, op: Operation, key: str, **query: str) -> dict[str, Any]:
    return client.request(op, cast_to=dict[str, Any], path_params={"key": key}, query=query)


def test_503_then_success(client: Acme, key: str) -> None:
    body = _call(client, GET, key, fail="2", status="503")
    assert body["attempts"] == 3
    assert STATE.count(key) == 3


@pytest.mark.parametrize("status", ["408", "429", "500", "502", "504"])
def test_retryable_statuses(client: Acme, key: str, status: str) -> None:
    assert _call(client, GET, key, fail="1", status=status)["attempts"] == 2


@pytest.mark.parametrize("status", ["400", "401", "403", "404", "422"])
def test_client_errors_are_not_retried(client: Acme, key: str, status: str) -> None:
    with pytest.raises(Exception) as info:
        _call(client, GET, key, fail="1", status=status)
    assert getattr(info.value, "status_code", None) == int(status)
    assert STATE.count(key) == 1


def test_429_retry_after_seconds_is_honoured(client: Acme, key: str) -> None:
    started = time.monotonic()
    _call(client, GET, key, fail="1", status="429", retry_after="1")
    assert time.monotonic() - started >= 0.95
    assert STATE.count(key) == 2


def test_429_retry_after_http_date_is_honoured(client: Acme, key: str) -> None:
    started = time.monotonic()
    _call(client, GET, key, fail="1", status="429", retry_after_date="2")
    # HTTP dates have 1 s resolution: the wait is between ~1 and 2 s
    assert 0.9 <= time.monotonic() - started < 3.5


def test_retry_after_ms_is_honoured(client: Acme, key: str) -> None:
    started = time.monotonic()
    _call(client, GET, key, fail="2", status="503", retry_after_ms="150")
    assert time.monotonic() - started >= 0.29


def test_backoff_is_exponential_capped_and_jittered() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0.25, max_retry_after=60.0)
    delays = [backoff_delay(n, None, policy) for n in range(8)]
    for n, delay in enumerate(delays):
        base = min(0.5 * 2**n, 8.0)
        assert delay is not None and 0.75 * base <= delay <= base
    headers = httpx.Headers({"retry-after": "0"})
    zero = backoff_delay(0, headers, policy)
    assert zero is not None and zero <= 0.5
    assert backoff_delay(0, httpx.Headers({"retry-after": "60"}), policy) == 60.0
    assert backoff_delay(0, httpx.Headers({"retry-after": "61"}), policy) is None
    steady = RetryPolicy(initial_delay=0.5, max_delay=8.0, jitter=0.0, max_retry_after=60.0)
    assert [backoff_delay(n, None, steady) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_idempotency_key_is_generated_once_and_reused(client: Acme, key: str) -> None:
    body = _call(client, POST_IDEMPOTENT, key, fail="2", status="500")
    keys = body["idempotency_keys"]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    uuid.UUID(keys[0])


def test_caller_idempotency_key_is_used(client: Acme, key: str) -> None:
    body = client.request(
        POST_IDEMPOTENT,
        cast_to=dict[str, Any],
        path_params={"key": key},
        query={"fail": "1"},
        headers={"Idempotency-Key": "my-key-1"},
    )
    assert body["idempotency_keys"] == ["my-key-1", "my-key-1"]
    other = uuid.uuid4().hex
    body = client.request(
        POST_IDEMPOTENT,
        cast_to=dict[str, Any],
        path_params={"key": other},
        query={"fail": "1"},
        options=RequestOptions(idempotency_key="opt-key"),
    )
    assert body["idempotency_keys"] == ["opt-key", "opt-key"]


def test_each_call_gets_its_own_key(client: Acme, key: str) -> None:
    first = _call(client, POST_IDEMPOTENT, key, fail="0")
    second = _call(client, POST_IDEMPOTENT, key, fail="0")
    assert first["idempotency_keys"][0] != second["idempotency_keys"][1]


def test_post_without_key_is_not_retried_once_the_server_got_it(client: Acme, key: str) -> None:
    with pytest.raises(InternalServerError):
        _call(client, POST, key, fail="1", status="503")
    assert STATE.count(key) == 1


def test_post_without_key_is_not_retried_after_a_dropped_response(client: Acme, key: str) -> None:
    with pytest.raises(APIConnectionError):
        _call(client, POST, key, fail="1", mode="drop")
    assert STATE.count(key) == 1


def test_get_is_retried_after_a_dropped_response(client: Acme, key: str) -> None:
    assert _call(client, GET, key, fail="2", mode="drop")["attempts"] == 3


def test_timeouts_are_retried_then_raise_typed_error(client: Acme, key: str) -> None:
    with pytest.raises(APITimeoutError):
        client.request(
            GET,
            cast_to=dict[str, Any],
            path_params={"key": key},
            query={"fail": "9", "mode": "sleep", "sleep": "0.5"},
            options=RequestOptions(timeout=0.1, max_retries=2),
        )
    assert STATE.count(key) == 3
    other = uuid.uuid4().hex
    body = client.request(
        GET,
        cast_to=dict[str, Any],
        path_params={"key": other},
        query={"fail": "1", "mode": "sleep", "sleep": "0.5"},
        options=RequestOptions(timeout=0.1),
    )
    assert body["attempts"] == 2


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connect_errors_are_retried_even_for_post(key: str) -> None:
    sleeps: list[float] = []

    class Counting(Acme):
        def _sleep(self, seconds: float) -> None:
            sleeps.append(seconds)

    client = Counting(api_key="k", base_url=f"http://127.0.0.1:{_closed_port()}")
    with client, pytest.raises(APIConnectionError) as info:
        _call(client, POST, key)
    assert len(sleeps) == 3
    assert not isinstance(info.value, APITimeoutError)
    assert str(info.value).startswith("Connection error (ConnectError")


def test_exhausted_retries_raise_the_typed_error(client: Acme, key: str) -> None:
    with pytest.raises(RateLimitError) as info:
        _call(client, GET, key, fail="99", status="429", retry_after_ms="5")
    assert STATE.count(key) == 4  # 1 + max_retries
    assert info.value.retry_after == pytest.approx(0.005)
    with pytest.raises(ConflictError):
        client.with_options(max_retries=0).request(
            GET, cast_to=dict, path_params={"key": uuid.uuid4().hex}, query={"status": "409"}
        )


def test_per_call_max_retries(client: Acme, key: str) -> None:
    with pytest.raises(InternalServerError):
        client.request(
            GET,
            cast_to=dict,
            path_params={"key": key},
            query={"fail": "5"},
            options=RequestOptions(max_retries=1),
        )
    assert STATE.count(key) == 2


def test_put_and_delete_are_retried(client: Acme, key: str) -> None:
    for method in ("PUT", "DELETE"):
        op = Operation(method=method, path="/flaky/{key}", path_params=("key",))
        k = f"{key}-{method}"
        assert _call(client, op, k, fail="1")["attempts"] == 2


def test_patch_with_key_header_is_retried(client: Acme, key: str) -> None:
    op = Operation(method="PATCH", path="/flaky/{key}", path_params=("key",))
    body = client.request(
        op,
        cast_to=dict[str, Any],
        path_params={"key": key},
        query={"fail": "1"},
        options=RequestOptions(extra_headers={"Idempotency-Key": "patch-key"}),
    )
    assert body["idempotency_keys"] == ["patch-key", "patch-key"]
