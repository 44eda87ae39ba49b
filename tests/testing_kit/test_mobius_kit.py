"""A Mobius user's application code, tested with nothing but `mobius_typed.testing`, sync and async."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "generated" / "mobius" / "src"))

from mobius_typed import AsyncMobius, ConflictError, Mobius, RateLimitError
from mobius_typed.models.automation_run_list import AutomationRun
from mobius_typed.models.run_event_list import RunEvent
from mobius_typed.testing import MockAPIError, MockMobius, fake


def failed_runs(client: Mobius) -> list[str]:
    """Application code: the ids of the project's failed runs, across pages."""
    return [run.id for run in client.automations.runs.list(status="failed", limit=2)]


async def async_failed_runs(client: AsyncMobius) -> list[str]:
    return [run.id async for run in client.automations.runs.list(status="failed", limit=2)]


def run_timeline(client: Mobius, run_id: str) -> list[str]:
    """Application code: the event types of a run, followed until the server ends the stream."""
    return [event.event_type for event in client.automations.runs.events.stream(id=run_id)]


async def async_run_timeline(client: AsyncMobius, run_id: str) -> list[str]:
    return [event.event_type async for event in await client.automations.runs.events.stream(id=run_id)]


def start_once(client: Mobius, external_id: str) -> str:
    """Application code: start the nightly run once per key; an ended run with that key is reused."""
    try:
        return client.automations.runs.start(handle="nightly", external_id=external_id).id
    except ConflictError as exc:
        return str(exc.error.error.details["existing_run_id"])


async def async_start_once(client: AsyncMobius, external_id: str) -> str:
    try:
        return (await client.automations.runs.start(handle="nightly", external_id=external_id)).id
    except ConflictError as exc:
        return str(exc.error.error.details["existing_run_id"])


def _pages() -> tuple[list[AutomationRun], list[AutomationRun]]:
    first = [fake(AutomationRun, id="run_a"), fake(AutomationRun, id="run_b")]
    return first, [fake(AutomationRun, id="run_c")]


def _events() -> list[RunEvent]:
    kinds = ("run.started", "step.completed", "step.completed", "run.completed")
    return [fake(RunEvent, sequence=10 + n, event_type=kind) for n, kind in enumerate(kinds)]


def _conflict(api: MockMobius) -> None:
    details = {"existing_run_id": "run_old", "status": "succeeded", "external_id": "k1"}
    api.automations.runs.start.respond_error(
        409, error={"code": "external_id_conflict", "message": "ended", "details": details}
    )


def test_pagination_sends_each_pages_cursor_with_the_filters() -> None:
    with MockMobius() as api:
        api.automations.runs.list.respond_pages(*_pages())
        assert failed_runs(api.client(project="ops")) == ["run_a", "run_b", "run_c"]
        calls = api.automations.runs.list.calls
        assert [call.params.get("cursor") for call in calls] == [None, "page-1"]
        assert all(call.params["status"] == "failed" and call.params["limit"] == "2" for call in calls)
        assert calls[0].path_params == {"project": "ops"}


def test_async_pagination_follows_every_page() -> None:
    with MockMobius() as api:
        api.automations.runs.list.respond_pages(*_pages())
        assert asyncio.run(async_failed_runs(api.async_client(project="ops"))) == ["run_a", "run_b", "run_c"]
        assert [call.params.get("cursor") for call in api.automations.runs.list.calls] == [None, "page-1"]


def test_stream_is_followed_to_its_end() -> None:
    with MockMobius() as api:
        api.automations.runs.events.stream.respond_events(*_events())
        timeline = run_timeline(api.client(project="ops"), "run_1")
        assert timeline == ["run.started", "step.completed", "step.completed", "run.completed"]
        assert len(api.automations.runs.events.stream.calls) == 1
        assert api.automations.runs.events.stream.calls[0].path_params == {"project": "ops", "id": "run_1"}


def test_stream_resumes_after_a_drop_from_the_last_sequence() -> None:
    with MockMobius() as api:
        api.automations.runs.events.stream.respond_events(*_events(), drop_after=2)
        timeline = run_timeline(api.client(project="ops"), "run_1")
        assert timeline == ["run.started", "step.completed", "step.completed", "run.completed"]
        calls = api.automations.runs.events.stream.calls
        assert [call.params.get("since_sequence") for call in calls] == [None, "11"]
        assert len(api.sleeps) == 1  # the reconnect's wait, recorded instead of slept


def test_async_stream_resumes_after_a_drop() -> None:
    with MockMobius() as api:
        api.automations.runs.events.stream.respond_events(*_events(), drop_after=3)
        timeline = asyncio.run(async_run_timeline(api.async_client(project="ops"), "run_1"))
        assert timeline == ["run.started", "step.completed", "step.completed", "run.completed"]
        assert api.automations.runs.events.stream.calls[1].params["since_sequence"] == "12"


def test_events_whose_sequence_does_not_grow_are_refused_when_queued() -> None:
    """The client would drop them as replays: the kit says so instead of a stream missing events."""
    with MockMobius() as api:
        same = [fake(RunEvent, event_type=kind) for kind in ("run.started", "run.completed")]
        refused = r"automations\.runs\.events\.stream: .* events' 'sequence'.* event 2 has (\d+) after \1 "
        with pytest.raises(ValueError, match=refused):
            api.automations.runs.events.stream.respond_events(*same)
        backwards = [fake(RunEvent, sequence=5), fake(RunEvent, sequence=4)]
        with pytest.raises(ValueError, match="event 2 has 4 after 5"):
            api.automations.runs.events.stream.respond_events(*backwards)


def test_typed_409_with_the_vendor_envelope() -> None:
    with MockMobius() as api:
        _conflict(api)
        assert start_once(api.client(project="ops"), "k1") == "run_old"
        assert api.automations.runs.start.calls[0].json == {"external_id": "k1"}


def test_async_typed_409() -> None:
    with MockMobius() as api:
        _conflict(api)
        assert asyncio.run(async_start_once(api.async_client(project="ops"), "k1")) == "run_old"


def test_429_with_retry_after_then_200() -> None:
    with MockMobius() as api:
        api.automations.runs.start.respond_error(
            429, retry_after=4, error={"code": "rate_limit_exceeded", "message": "slow down"}
        )
        api.automations.runs.start.respond(id="run_new")
        assert start_once(api.client(project="ops"), "k2") == "run_new"
        assert api.sleeps == [4.0]
        keys = [call.headers["idempotency-key"] for call in api.automations.runs.start.calls]
        assert len(keys) == 2 and keys[0] == keys[1]  # the retry repeats the key the client made


def test_429_past_the_retries_reaches_the_caller_typed() -> None:
    with MockMobius() as api:
        api.automations.runs.start.respond_error(
            429, retry_after=4, error={"code": "rate_limit_exceeded", "message": "slow down"}
        )
        with pytest.raises(RateLimitError) as raised:
            api.client(project="ops", max_retries=2).automations.runs.start(handle="nightly")
        assert raised.value.retry_after == 4.0
        assert raised.value.error.error.code == "rate_limit_exceeded"
        assert api.sleeps == [4.0, 4.0]
        assert len(api.automations.runs.start.calls) == 3


def test_async_429_then_200() -> None:
    async def get(client: AsyncMobius) -> str:
        return (await client.automations.runs.get(id="run_1")).status

    with MockMobius() as api:
        api.automations.runs.get.respond_error(429, retry_after=2)
        api.automations.runs.get.respond(status="running")
        assert asyncio.run(get(api.async_client(project="ops"))) == "running"
        assert api.sleeps == [2.0]


def test_kit_messages_name_the_operation_and_field() -> None:
    with MockMobius() as api:
        client = api.client(project="ops")
        missing = r"automations\.runs\.get \(GET /v1/projects/\{project\}/runs/\{id\}\) was called but no"
        with pytest.raises(MockAPIError, match=missing):
            client.automations.runs.get(id="run_1")
        api.automations.runs.start.respond()
        bad: Any = 7
        with pytest.raises(MockAPIError, match=r"automations\.runs\.start .*field 'external_id'.*\(sent 7\)"):
            client.automations.runs.start(handle="nightly", external_id=bad)
        api.artifacts.upload.respond()
        no_token: Any = None
        with pytest.raises(MockAPIError, match=r"artifacts\.upload .*required header 'X-Mobius-Lease-Token'"):
            client.artifacts.upload(x_mobius_lease_token=no_token, file=b"log", name="run.log")
        with pytest.raises(MockAPIError, match=r"No operation .* GET .*/v1/nowhere; the nearest is"):
            client.with_options(max_retries=0)._http.get(api.base_url + "/v1/nowhere")
