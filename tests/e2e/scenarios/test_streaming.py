"""SSE in each vendor's framing: typed events, heartbeats never surfaced, terminal events end the iteration,
and streams cut mid-way (twice) resume from the last event without losing or repeating one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import mobius_typed
import pytest
import sim_mobius
import sim_modus
from conftest import SIMULATORS

# Modus: the agent host replays after Last-Event-ID.
MODUS_EVENTS = sim_modus.run_events(sim_modus.RUN_ID)
MODUS_SURFACED = [(eid, data) for eid, data in MODUS_EVENTS if data["type"] != "heartbeat"]
MODUS_CUTS = [4, 3]  # frames the first and second connections get before they are cut
RUN_BODY = {"message": "Summarize", "session_id": "ses_1", "organization_id": sim_modus.ORG}


def _last_surfaced_before(offset: int) -> str:
    """The id of the last non-heartbeat event among the first `offset` frames of the run."""
    return next(eid for eid, data in reversed(MODUS_EVENTS[:offset]) if data["type"] != "heartbeat")


def _modus_expected_resume_ids() -> list[str | None]:
    ids: list[str | None] = [None]
    offset = 0
    for cut in MODUS_CUTS:
        offset = [e for e, _ in MODUS_EVENTS].index(ids[-1]) + 1 + cut if ids[-1] else cut
        ids.append(_last_surfaced_before(offset))
    return ids


def _check_modus(events: list[Any], elapsed: float) -> None:
    assert [(e.type_, getattr(e, "content", None)) for e in events] == [
        (data["type"], data.get("content")) for _, data in MODUS_SURFACED
    ]
    assert events[-1].type_ == "done" and events[-1].run_id == sim_modus.RUN_ID
    assert elapsed < 3, "the iteration must end at the terminal event, not when the server closes"


def test_modus_stream_resumes_with_last_event_id_after_two_cuts(client: Callable[..., Any]) -> None:
    sim_modus.agent.drops[sim_modus.RUN_ID] = list(MODUS_CUTS)
    started = time.monotonic()
    with client("modus").runs.stream(run_id=sim_modus.RUN_ID) as stream:
        events = list(stream)
    _check_modus(events, time.monotonic() - started)
    seen = sim_modus.agent.requests("GET", f"/agent/runs/{sim_modus.RUN_ID}/stream")
    assert [r.header("last-event-id") for r in seen] == _modus_expected_resume_ids()
    assert SIMULATORS["modus"].count() == 0, "agent operations go to the agent host"


@pytest.mark.anyio
async def test_modus_stream_resumes_async(client: Callable[..., Any]) -> None:
    sim_modus.agent.drops[sim_modus.RUN_ID] = list(MODUS_CUTS)
    started = time.monotonic()
    async with (
        client("modus", aio=True) as aclient,
        await aclient.runs.stream(run_id=sim_modus.RUN_ID) as stream,
    ):
        events = [event async for event in stream]
    _check_modus(events, time.monotonic() - started)
    seen = sim_modus.agent.requests("GET", f"/agent/runs/{sim_modus.RUN_ID}/stream")
    assert [r.header("last-event-id") for r in seen] == _modus_expected_resume_ids()


def test_modus_run_started_by_post_resumes_by_reposting_with_the_same_idempotency_key(
    client: Callable[..., Any],
) -> None:
    sim_modus.agent.drops[sim_modus.RUN_ID] = list(MODUS_CUTS)
    with client("modus").runs.create(**RUN_BODY) as stream:
        events = list(stream)
    _check_modus(events, 0)
    posts = sim_modus.agent.requests("POST", "/agent/runs")
    assert len(posts) == 3
    keys = {p.header("idempotency-key") for p in posts}
    assert len(keys) == 1 and None not in keys, "one generated key, reused by every reconnection"
    assert len({p.body for p in posts}) == 1
    assert [p.header("last-event-id") for p in posts] == _modus_expected_resume_ids()


# Mobius: resume with since_sequence = the last event's `sequence`.
MOBIUS_STREAM = "/v1/projects/demo/runs/run_1/events.stream"


def _check_mobius(events: list[Any], first: int = 1) -> None:
    assert [e.sequence for e in events] == list(range(first, 9))
    assert [e.event_type for e in events[:1]] == (["run.started"] if first == 1 else ["step.completed"])


def test_mobius_stream_resumes_with_since_sequence_after_two_cuts(client: Callable[..., Any]) -> None:
    sim_mobius.sim.drops["run_1"] = [3, 2]
    with client("mobius").automations.runs.events.stream(id="run_1") as stream:
        events = list(stream)
    _check_mobius(events)
    assert [r.param("since_sequence") for r in sim_mobius.sim.requests("GET", MOBIUS_STREAM)] == [
        None,
        "3",
        "5",
    ]


@pytest.mark.anyio
async def test_mobius_stream_resumes_async_from_a_given_sequence(client: Callable[..., Any]) -> None:
    sim_mobius.sim.drops["run_1"] = [2, 2]
    async with client("mobius", aio=True) as aclient:
        stream = await aclient.automations.runs.events.stream(id="run_1", since_sequence=2)
        async with stream:
            events = [event async for event in stream]
    _check_mobius(events, first=3)
    assert [r.param("since_sequence") for r in sim_mobius.sim.requests("GET", MOBIUS_STREAM)] == [
        "2",
        "4",
        "6",
    ]


# ModuleX: data-only frames named by data.type, named `event:` frames; no resume contract.
WORKFLOW_TYPES = ["metadata", "node_started", "node_update", "node_update", "done"]


def test_modulex_data_only_stream_skips_heartbeats_and_ends_at_done(client: Callable[..., Any]) -> None:
    started = time.monotonic()
    with client("modulex").workflows.listen(run_id="run_7") as stream:
        events = list(stream)
    assert time.monotonic() - started < 3, "done ends the iteration although the server keeps the stream open"
    assert [e.type_ for e in events] == WORKFLOW_TYPES
    assert events[0].data.workflow_name == "Daily" and events[0].run_id == "run_7"
    assert events[2].node_id == "fetch" and events[2].status == "completed"
    assert events[-1].data.steps_executed == 2


@pytest.mark.anyio
async def test_modulex_data_only_stream_async(client: Callable[..., Any]) -> None:
    async with (
        client("modulex", aio=True) as aclient,
        await aclient.workflows.listen(run_id="run_7") as stream,
    ):
        events = [event async for event in stream]
    assert [e.type_ for e in events] == WORKFLOW_TYPES


def test_modulex_cut_stream_raises_instead_of_ending_quietly(client: Callable[..., Any]) -> None:
    errors = __import__("modulex_typed").APIConnectionError
    SIMULATORS["modulex"].drops["run_7"] = [2]
    received = []
    with pytest.raises(errors), client("modulex").workflows.listen(run_id="run_7") as stream:
        received.extend(event.type_ for event in stream)
    assert received == ["metadata", "node_started"]
    assert SIMULATORS["modulex"].count("GET", "/workflows/listen/run_7") == 1, (
        "no resume contract: no reconnect"
    )


def test_modulex_named_event_stream(client: Callable[..., Any]) -> None:
    with client("modulex").chats.stream() as stream:
        events = list(stream)
    assert [e.event for e in events] == ["connected", "chat_list_updated", "chat_list_updated"]
    assert [e.data.type_ for e in events[1:]] == ["public", "private"]
    assert SIMULATORS["modulex"].requests("GET", "/chats/stream")[0].header("accept") == "text/event-stream"


# Faults on the installed package: one position per reconnect, Retry-After on a refused reconnect,
# a JSON answer instead of a stream, and the stream's own read timeout.


def test_mobius_reconnect_sends_one_position_not_the_callers_last_event_id(
    client: Callable[..., Any],
) -> None:
    sim_mobius.sim.drops["run_1"] = [2, 2]
    with client("mobius").automations.runs.events.stream(id="run_1", last_event_id="2") as stream:
        events = list(stream)
    _check_mobius(events, first=3)
    seen = sim_mobius.sim.requests("GET", MOBIUS_STREAM)
    assert [(r.param("since_sequence"), r.header("last-event-id")) for r in seen] == [
        (None, "2"),
        ("4", None),
        ("6", None),
    ]


@pytest.mark.anyio
async def test_mobius_refused_reconnect_waits_as_retry_after_says(
    client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sim_mobius.sim.drops["run_1"] = [3]
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    async with client("mobius", aio=True) as aclient:
        monkeypatch.setattr(aclient, "_sleep", record)
        stream = await aclient.automations.runs.events.stream(id="run_1")
        events = []
        async with stream:
            async for event in stream:
                if not events:  # the first connection is open: refuse the reconnect that follows its cut
                    sim_mobius.sim.fail("GET", MOBIUS_STREAM, 503, headers={"Retry-After": "2"})
                events.append(event)
    _check_mobius(events)
    assert len(sleeps) == 2 and sleeps[1] == 2.0, sleeps
    assert [r.param("since_sequence") for r in sim_mobius.sim.requests("GET", MOBIUS_STREAM)] == [
        None,
        "3",
        "3",
    ]


def test_json_answer_to_a_stream_raises_a_typed_error_at_once(client: Callable[..., Any]) -> None:
    sim_mobius.sim.fail("GET", MOBIUS_STREAM, 200, body={"detail": "cached by the proxy"})
    with pytest.raises(mobius_typed.UnexpectedContentTypeError) as caught:
        client("mobius").automations.runs.events.stream(id="run_1")
    assert isinstance(caught.value, mobius_typed.APIResponseValidationError)
    assert caught.value.content_type == "application/json"
    assert "cached by the proxy" in caught.value.body and "application/json" in str(caught.value)
    assert sim_mobius.sim.count("GET", MOBIUS_STREAM) == 1


def test_stream_read_timeout_is_settable_per_client_and_per_call(client: Callable[..., Any]) -> None:
    mobius = client("mobius", stream_read_timeout=None)
    assert mobius.stream_read_timeout is None
    assert mobius.with_options(stream_read_timeout=12.5).stream_read_timeout == 12.5
    assert client("mobius").stream_read_timeout == 300.0
    with mobius.automations.runs.events.stream(id="run_1", stream_read_timeout=30.0) as stream:
        _check_mobius(list(stream))
