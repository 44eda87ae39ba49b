"""Retries: 429 with Retry-After and 503 are retried and then succeed, every attempt carrying the same
idempotency key; a POST without an idempotency key is never repeated once the server has received it; a
spent retry budget ends in the typed error."""

from __future__ import annotations

import email.utils
import time
import uuid
from collections.abc import Callable
from typing import Any

import autx_typed
import mobius_typed
import modulex_typed
import pytest
import sim_modulex
from conftest import SIMULATORS

RUN = ("POST", "/workflows/run")


def _plan_429_then_503() -> None:
    status, body, headers = sim_modulex.denial("rate")
    SIMULATORS["modulex"].fail(*RUN, status, body=body, headers={**headers, "Retry-After": "1"})
    SIMULATORS["modulex"].fail(*RUN, 503)


def _check_same_key_and_pacing() -> None:
    attempts = SIMULATORS["modulex"].requests(*RUN)
    assert len(attempts) == 3
    keys = [a.header("idempotency-key") for a in attempts]
    assert len(set(keys)) == 1 and uuid.UUID(str(keys[0])), keys
    assert len({a.body for a in attempts}) == 1
    assert attempts[1].at - attempts[0].at >= 0.95, "Retry-After: 1 must be honoured"
    assert attempts[2].at - attempts[1].at < 0.9, "without Retry-After the (shortened) backoff applies"


def test_429_with_retry_after_and_503_are_retried_with_one_idempotency_key(
    client: Callable[..., Any],
) -> None:
    _plan_429_then_503()
    raw = client("modulex").workflows.with_raw_response.run(workflow_id="wf_1", input={"day": "monday"})
    assert raw.retries_taken == 2 and raw.status_code == 200
    assert raw.parse().status == "running"
    _check_same_key_and_pacing()


@pytest.mark.anyio
async def test_429_and_503_retried_async(client: Callable[..., Any]) -> None:
    _plan_429_then_503()
    async with client("modulex", aio=True) as aclient:
        result = await aclient.workflows.run(workflow_id="wf_1")
    assert result.status == "running"
    _check_same_key_and_pacing()


def test_a_callers_idempotency_key_is_sent_on_every_attempt(client: Callable[..., Any]) -> None:
    path = "/v1/projects/demo/automations/nightly/runs"
    SIMULATORS["mobius"].fail("POST", path, 503, times=2)
    run = client("mobius").automations.runs.start(
        handle="nightly", idempotency_key="key-123", inputs={"a": 1}
    )
    assert run.status == "queued"
    assert [a.header("idempotency-key") for a in SIMULATORS["mobius"].requests("POST", path)] == [
        "key-123"
    ] * 3


def test_retry_after_as_an_http_date(client: Callable[..., Any]) -> None:
    # an HTTP date has whole seconds: 3 s ahead, truncated, is still 2 s or more ahead of the first attempt
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    SIMULATORS["modus"].fail("GET", "/api/v1/skills/1", 429, headers={"Retry-After": when})
    assert client("modus").skills.get(id=1).name == "Skill 1"
    first, second = SIMULATORS["modus"].requests("GET", "/api/v1/skills/1")
    assert second.at - first.at >= 1.5


def test_get_is_retried_after_a_cut_connection(client: Callable[..., Any]) -> None:
    SIMULATORS["modulex"].fail("GET", "/workflows/wf_1", drop=True)
    assert client("modulex").workflows.get(workflow_id="wf_1").id == "wf_1"
    assert SIMULATORS["modulex"].count("GET", "/workflows/wf_1") == 2


def test_post_without_idempotency_key_is_not_retried_once_received(client: Callable[..., Any]) -> None:
    modulex = client("modulex")
    schema = {"nodes": [], "edges": []}
    SIMULATORS["modulex"].fail("POST", "/workflows", 503)
    with pytest.raises(modulex_typed.InternalServerError):
        modulex.workflows.create(workflow_schema=schema, name="Report")
    assert SIMULATORS["modulex"].count("POST", "/workflows") == 1
    SIMULATORS["modulex"].fail("POST", "/workflows", drop=True)
    with pytest.raises(modulex_typed.APIConnectionError):
        modulex.workflows.create(workflow_schema=schema, name="Report")
    assert SIMULATORS["modulex"].count("POST", "/workflows") == 2
    SIMULATORS["autx"].fail("POST", "/orders/", 503)
    with pytest.raises(autx_typed.InternalServerError):
        client("autx").orders.create(agent_id="agent-1", prompt="hi")
    assert SIMULATORS["autx"].count("POST", "/orders/") == 1


@pytest.mark.anyio
async def test_post_without_idempotency_key_is_not_retried_async(client: Callable[..., Any]) -> None:
    SIMULATORS["modulex"].fail("POST", "/workflows", drop=True)
    async with client("modulex", aio=True) as aclient:
        with pytest.raises(modulex_typed.APIConnectionError):
            await aclient.workflows.create(workflow_schema={"nodes": []})
    assert SIMULATORS["modulex"].count("POST", "/workflows") == 1


def test_spent_retry_budget_ends_in_the_typed_error(client: Callable[..., Any]) -> None:
    SIMULATORS["modulex"].fail("GET", "/workflows/wf_1", 503, times=10)
    with pytest.raises(modulex_typed.InternalServerError) as caught:
        client("modulex", max_retries=2).workflows.get(workflow_id="wf_1")
    assert caught.value.status_code == 503 and caught.value.error.detail == "simulated failure"
    assert SIMULATORS["modulex"].count("GET", "/workflows/wf_1") == 3
    path = "/v1/projects/demo/runs"
    SIMULATORS["mobius"].fail("GET", path, 429, times=10, headers={"Retry-After": "0.05"})
    with pytest.raises(mobius_typed.RateLimitError) as limited:
        client("mobius", max_retries=1).automations.runs.list()
    assert limited.value.retry_after == 0.05 and limited.value.error.error.code == "rate_limit_exceeded"
    assert SIMULATORS["mobius"].count("GET", path) == 2


@pytest.mark.anyio
async def test_spent_retry_budget_async(client: Callable[..., Any]) -> None:
    SIMULATORS["modulex"].fail("GET", "/workflows/wf_1", 502, times=10)
    async with client("modulex", aio=True, max_retries=3) as aclient:
        with pytest.raises(modulex_typed.InternalServerError) as caught:
            await aclient.workflows.get(workflow_id="wf_1")
    assert caught.value.status_code == 502
    assert SIMULATORS["modulex"].count("GET", "/workflows/wf_1") == 4
