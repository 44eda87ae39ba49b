"""Retries as an installed package does them: declared statuses, long Retry-After, RetryPolicy per call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import autx_typed
import mobius_typed
import pytest
import sim_mobius
from conftest import SIMULATORS

AGENT = ("GET", "/agents/agent-1")


def _recording(instance: Any) -> list[float]:
    """Make a client record its waits instead of sleeping them."""
    sleeps: list[float] = []

    def record(seconds: float) -> None:
        sleeps.append(seconds)

    instance._sleep = record
    return sleeps


def _end_run() -> None:
    sim_mobius.sim.state["external_ids"] = {"ext-1": {**sim_mobius._run(1, "completed")}}


def test_a_terminal_conflict_is_raised_on_the_first_answer(client: Callable[..., Any]) -> None:
    _end_run()
    mobius = client("mobius")
    assert mobius.max_retries == 3
    sleeps = _recording(mobius)
    with pytest.raises(mobius_typed.ConflictError) as info:
        mobius.automations.runs.start(handle="nightly", external_id="ext-1")
    assert info.value.error.error.code == "external_id_conflict"
    assert SIMULATORS["mobius"].count("POST") == 1 and sleeps == []


@pytest.mark.anyio
async def test_a_terminal_conflict_is_raised_on_the_first_answer_async(client: Callable[..., Any]) -> None:
    _end_run()
    async with client("mobius", aio=True) as mobius:
        with pytest.raises(mobius_typed.ConflictError):
            await mobius.automations.runs.start(handle="nightly", external_id="ext-1")
    assert SIMULATORS["mobius"].count("POST") == 1


def test_a_long_retry_after_raises_at_once_unless_the_policy_allows_it(client: Callable[..., Any]) -> None:
    autx = client("autx")
    sleeps = _recording(autx)
    sim = SIMULATORS["autx"]
    sim.fail(*AGENT, 429, body={"detail": "slow down"}, headers={"Retry-After": "600"})
    with pytest.raises(autx_typed.RateLimitError) as info:
        autx.agents.get(id="agent-1")
    assert info.value.retry_after == 600.0 and sleeps == [] and sim.count(*AGENT) == 1
    sim.fail(*AGENT, 429, body={"detail": "slow down"}, headers={"Retry-After": "600"})
    agent = autx.agents.get(id="agent-1", retry=autx_typed.RetryPolicy(max_retry_after=900.0))
    assert agent.id == "agent-1"
    assert sleeps == [600.0] and sim.count(*AGENT) == 3


def test_a_call_policy_turns_retrying_off_and_a_client_policy_shapes_backoff(
    client: Callable[..., Any],
) -> None:
    sim = SIMULATORS["autx"]
    autx = client("autx", retry=autx_typed.RetryPolicy(initial_delay=0.2, max_delay=0.3, jitter=0.0))
    sleeps = _recording(autx)
    sim.fail(*AGENT, 503, body={"detail": "busy"})
    with pytest.raises(autx_typed.InternalServerError):
        autx.agents.get(id="agent-1", retry=autx_typed.RetryPolicy(max_retries=0))
    assert sleeps == [] and sim.count(*AGENT) == 1
    sim.fail(*AGENT, 503, body={"detail": "busy"}, times=2)
    assert autx.agents.get(id="agent-1").id == "agent-1"
    assert sleeps == [0.2, 0.3]


@pytest.mark.anyio
async def test_async_long_retry_after_raises_at_once(client: Callable[..., Any]) -> None:
    sim = SIMULATORS["autx"]
    sim.fail(*AGENT, 429, body={"detail": "slow down"}, headers={"Retry-After": "120"})
    async with client("autx", aio=True) as autx:
        with pytest.raises(autx_typed.RateLimitError):
            await autx.agents.get(id="agent-1")
    assert sim.count(*AGENT) == 1
