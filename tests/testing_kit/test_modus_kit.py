"""A Modus user's application code, tested with nothing but `modus_typed.testing`, sync and async.

Modus documents no payment error; its typed error here is the 403 whose envelope lists the missing scopes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from typing import Any

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "generated" / "modus" / "src"))

from modus_typed import AsyncModus, Modus, PermissionDeniedError
from modus_typed.models.agent import Agent
from modus_typed.models.run_event import RunEventDone, RunEventToken
from modus_typed.testing import MockAPIError, MockModus, fake


def reply_text(client: Modus, run_id: str) -> str:
    """Application code: the assistant's reply, token by token, until the run is done."""
    return "".join(
        event.content for event in client.runs.stream(run_id=run_id) if isinstance(event, RunEventToken)
    )


async def async_reply_text(client: AsyncModus, run_id: str) -> str:
    parts = []
    async for event in await client.runs.stream(run_id=run_id):
        if isinstance(event, RunEventToken):
            parts.append(event.content)
    return "".join(parts)


def _events() -> list[RunEventToken | RunEventDone]:
    tokens: list[RunEventToken | RunEventDone] = [fake(RunEventToken, content=c) for c in "abc"]
    return [*tokens, fake(RunEventDone, run_id="r1")]


def test_stream_resumes_after_a_drop_from_the_last_event_id() -> None:
    with MockModus() as api:
        api.runs.stream.respond_events(*_events(), drop_after=2)
        assert reply_text(api.client(), "r1") == "abc"
        calls = api.runs.stream.calls
        assert len(calls) == 2
        assert calls[1].headers["last-event-id"] == "2"
        assert calls[0].path_params == {"runId": "r1"}  # wire names, as sent


def test_async_stream_resumes_after_a_drop() -> None:
    with MockModus() as api:
        api.runs.stream.respond_events(*_events(), drop_after=1)
        assert asyncio.run(async_reply_text(api.async_client(), "r1")) == "abc"
        assert api.runs.stream.calls[1].headers["last-event-id"] == "1"


def agent_names(client: Modus) -> list[str]:
    """Application code: every agent's name, across pages; a token without the scope says which it lacks."""
    try:
        return [agent.name or "" for agent in client.agents.list(page_size=2)]
    except PermissionDeniedError as exc:
        return [f"missing {scope}" for scope in exc.error.error.info["missing"]]


async def async_agent_names(client: AsyncModus) -> list[str]:
    try:
        return [agent.name or "" async for agent in client.agents.list(page_size=2)]
    except PermissionDeniedError as exc:
        return [f"missing {scope}" for scope in exc.error.error.info["missing"]]


def _agent_pages() -> tuple[list[Agent], list[Agent]]:
    return [fake(Agent, name="a"), fake(Agent, name="b")], [fake(Agent, name="c")]


def _forbidden(api: MockModus) -> None:
    api.agents.list.respond_error(
        403,
        error={
            "code": "FORBIDDEN",
            "status": "PERMISSION_DENIED",
            "message": "no",
            "info": {"missing": ["agents:read"]},
        },
    )


def test_page_tokens_are_followed_across_pages() -> None:
    with MockModus() as api:
        api.agents.list.respond_pages(*_agent_pages())
        assert agent_names(api.client()) == ["a", "b", "c"]
        calls = api.agents.list.calls
        assert [call.params.get("pageToken") for call in calls] == [None, "page-1"]
        assert [call.params["pageSize"] for call in calls] == ["2", "2"]


def test_async_page_tokens_are_followed() -> None:
    with MockModus() as api:
        api.agents.list.respond_pages(*_agent_pages())
        assert asyncio.run(async_agent_names(api.async_client())) == ["a", "b", "c"]
        assert [call.params.get("pageToken") for call in api.agents.list.calls] == [None, "page-1"]


def test_typed_403_with_the_vendor_envelope() -> None:
    with MockModus() as api:
        _forbidden(api)
        assert agent_names(api.client()) == ["missing agents:read"]


def test_async_typed_403() -> None:
    with MockModus() as api:
        _forbidden(api)
        assert asyncio.run(async_agent_names(api.async_client())) == ["missing agents:read"]


def test_429_with_retry_after_then_the_pages() -> None:
    with MockModus() as api:
        api.agents.list.respond_error(429, retry_after=2)
        api.agents.list.respond_pages(*_agent_pages())
        assert agent_names(api.client()) == ["a", "b", "c"]
        assert api.sleeps == [2.0]
        assert [call.params.get("pageToken") for call in api.agents.list.calls] == [None, None, "page-1"]


def test_async_429_then_200() -> None:
    async def name(client: AsyncModus) -> str | None:
        return (await client.agents.get(id=42)).name

    with MockModus() as api:
        api.agents.get.respond_error(429, retry_after=5)
        api.agents.get.respond(name="triage")
        assert asyncio.run(name(api.async_client())) == "triage"
        assert api.sleeps == [5.0]
        assert api.agents.get.calls[0].path_params == {"id": "42"}


def test_kit_messages_name_the_operation_and_field() -> None:
    with MockModus() as api:
        client = api.client()
        with pytest.raises(
            MockAPIError, match=r"agents\.get \(GET /api/v1/agents/\{id\}\) was called but no"
        ):
            client.agents.get(id=1)
        api.agents.create.respond()
        bad: Any = 3
        with pytest.raises(MockAPIError, match=r"agents\.create .*field 'name': .*\(sent 3\)"):
            client.agents.create(name=bad, type_="chat")
        api.usage.list.respond()
        no_rollup: Any = None
        week = dt.datetime(2026, 5, 1, tzinfo=dt.UTC), dt.datetime(2026, 5, 8, tzinfo=dt.UTC)
        with pytest.raises(
            MockAPIError, match=r"usage\.list .*required query parameter 'rollup' was not sent"
        ):
            client.usage.list(since=week[0], until=week[1], rollup=no_rollup)
        with pytest.raises(MockAPIError, match=r"answers GET .*/api/v1/agentz; the nearest is agents\.list"):
            client.with_options(max_retries=0)._http.get(api.base_url + "/api/v1/agentz")
