"""A Modus user's stream-following code, tested with `modus_typed.testing` through a drop and a resume."""

from __future__ import annotations

import asyncio
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "generated" / "modus" / "src"))

from modus_typed import AsyncModus, Modus
from modus_typed.models.run_event import RunEventDone, RunEventToken
from modus_typed.testing import MockModus, fake


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
