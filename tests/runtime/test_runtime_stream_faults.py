"""Streams under faults, against the real server: cuts at any byte, refused reconnects with
``Retry-After``, one resume position, a JSON answer instead of a stream, and quiet streams."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from typing import Annotated, Literal

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import Field

from generator.runtime import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BaseModel,
    InternalServerError,
    RateLimitError,
    UnexpectedContentTypeError,
)
from generator.runtime._exceptions import make_status_error
from generator.runtime._request import CallArgs
from generator.runtime._spec import DEFAULT_STREAM_READ_TIMEOUT
from generator.runtime._stream_policy import with_stream_read_timeout
from generator.runtime._streaming import EventProcessor, Stream

from .runtime_client import API_KEY, Acme, AsyncAcme
from .runtime_server import CUT_EVENTS, SSE_TOTAL, STATE, ServerThread, cut_body
from .test_runtime_streaming import (
    DATA_SPEC,
    HEADER_RESUME,
    QUERY_RESUME,
    Done,
    RunEvent,
    SequencedEvent,
    Token,
    _op,
)

ALL_CUT = [*range(1, CUT_EVENTS + 1), CUT_EVENTS + 1]


class TextToken(BaseModel):
    type: Literal["token"]
    n: int
    text: str


CutEvent = Annotated[TextToken | Done, Field(discriminator="type")]


def _numbers(events: list[object]) -> list[int]:
    return [e.n for e in events if isinstance(e, Token | TextToken | Done)]


def _check_cut(events: list[object]) -> None:
    """Every event of the cut body exactly once, in order, its multi-byte text intact."""
    assert _numbers(events) == ALL_CUT
    assert [e.text for e in events if isinstance(e, TextToken)] == [
        f"é{n}✓ ünï" for n in range(1, CUT_EVENTS + 1)
    ]


def _record_sleeps(client: Acme | AsyncAcme, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Replace the client's sleep with one that records the seconds asked for (and returns at once)."""
    sleeps: list[float] = []
    if isinstance(client, Acme):
        monkeypatch.setattr(client, "_sleep", sleeps.append)
    else:

        async def record(seconds: float) -> None:
            sleeps.append(seconds)

        monkeypatch.setattr(client, "_sleep", record)
    return sleeps


# -- a cut anywhere: every event exactly once --------------------------------------------------


@pytest.fixture(scope="module")
def cut_client(server: ServerThread) -> Iterator[Acme]:
    with Acme(api_key=API_KEY, base_url=server.url, max_retries=3) as c:
        yield c


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.integers(min_value=0, max_value=len(cut_body()) - 1), mode=st.sampled_from(["abort", "close"]))
def test_cut_at_any_byte_yields_every_event_once(cut_client: Acme, at: int, mode: str) -> None:
    key = uuid.uuid4().hex
    stream = cut_client.stream(
        _op("/sse/cut/{key}"),
        event_type=CutEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"at": at, "mode": mode},
    )
    _check_cut(list(stream))
    assert STATE.count(key) == 2


def _utf8_and_mid_line_offsets() -> list[int]:
    whole = cut_body()
    mid_char = whole.index("é".encode()) + 1  # between the two bytes of é
    mid_line = whole.index(b"data: ") + 3
    before_blank = whole.index(b"\n\n") + 1  # the event's lines are all there, its blank line is not
    return [mid_char, mid_line, before_blank]


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["abort", "close"])
@pytest.mark.parametrize("at", _utf8_and_mid_line_offsets())
async def test_async_cut_mid_utf8_and_mid_line(aclient: AsyncAcme, key: str, at: int, mode: str) -> None:
    stream = await aclient.stream(
        _op("/sse/cut/{key}"),
        event_type=CutEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"at": at, "mode": mode},
    )
    _check_cut([e async for e in stream])
    assert STATE.count(key) == 2


# -- a refused reconnect obeys Retry-After ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "query", "advised"),
    [
        (503, {"retry_after": "2"}, 2.0),
        (429, {"retry_after_ms": "1500"}, 1.5),
    ],
)
def test_refused_reconnect_waits_as_the_server_says(
    client: Acme,
    key: str,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    query: dict[str, str],
    advised: float,
) -> None:
    sleeps = _record_sleeps(client, monkeypatch)
    stream = client.stream(
        _op("/sse/reconnect-refused/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"status": status, **query},
    )
    assert _numbers(list(stream)) == [1, 2, 3, 4, 5]
    # the first reconnect follows the stream's `retry: 50` (capped by the client); the refused one, the header
    assert sleeps == [min(0.05, client.MAX_RETRY_DELAY), advised]
    assert [s.headers.get("last-event-id") for s in STATE.seen(key)] == [None, "2", "2"]


@pytest.mark.anyio
async def test_async_refused_reconnect_waits_as_the_server_says(
    aclient: AsyncAcme, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = _record_sleeps(aclient, monkeypatch)
    stream = await aclient.stream(
        _op("/sse/reconnect-refused/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"status": 503, "retry_after": "2"},
    )
    assert _numbers([e async for e in stream]) == [1, 2, 3, 4, 5]
    assert sleeps == [min(0.05, aclient.MAX_RETRY_DELAY), 2.0]


def test_sse_retry_field_without_a_header(client: Acme, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = _record_sleeps(client, monkeypatch)
    monkeypatch.setattr(client, "MAX_RETRY_DELAY", 8.0)
    stream = client.stream(
        _op("/sse/reconnect-refused/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"status": 503, "sse_retry": "1250"},
    )
    assert _numbers(list(stream)) == [1, 2, 3, 4, 5]
    assert sleeps == [1.25, 1.25]  # no Retry-After on the 503: the stream's own retry: still rules


def test_a_wait_the_client_will_not_make_raises_the_status_error(
    client: Acme, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = _record_sleeps(client, monkeypatch)
    # what _retry_delay answers for a server-advised wait above its cap
    monkeypatch.setattr(client, "_retry_delay", lambda retries, headers: None if headers else 0.0)
    stream = client.stream(
        _op("/sse/reconnect-refused/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"status": 429, "retry_after": "3600"},
    )
    received: list[object] = []
    with pytest.raises(RateLimitError):
        received.extend(stream)
    assert _numbers(received) == [1, 2]
    assert STATE.count(key) == 2
    assert len(sleeps) == 1


def test_retryable_decides_on_a_refused_reconnect() -> None:
    request = httpx.Request("GET", "http://127.0.0.1:9/s")
    first = httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=b"id: 1\n", request=request
    )
    first.read()
    attempts: list[int] = []

    def reconnect() -> httpx.Response:
        attempts.append(1)
        refused = httpx.Response(503, json={"detail": "busy"}, request=request)
        raise make_status_error(refused, errors={}, request_id_headers=())

    stream = Stream[object](
        response=first,
        processor=EventProcessor[object](object, HEADER_RESUME, logging.getLogger("test")),
        reconnect=reconnect,
        max_retries=3,
        delay=lambda failures, retry_ms, headers: 0.0,
        sleep=lambda seconds: None,
        retryable=lambda status: False,
    )
    with pytest.raises(InternalServerError):
        list(stream)
    assert attempts == [1]


# -- one position on a reconnect ----------------------------------------------------------------


def test_query_resume_replaces_the_callers_last_event_id(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/resume-query/{key}"),
        event_type=SequencedEvent,
        stream_spec=QUERY_RESUME,
        path_params={"key": key},
        headers={"Last-Event-ID": "3"},
        query={"drop": "abort"},
    )
    assert [e.data.sequence for e in stream] == list(range(3, SSE_TOTAL + 2))
    seen = STATE.seen(key)
    positions = [(dict(s.query).get("since_sequence"), s.headers.get("last-event-id")) for s in seen]
    assert positions == [(None, "3"), ("5", None), ("7", None)]


@pytest.mark.anyio
async def test_async_query_resume_replaces_a_last_event_id_in_extra_headers(
    aclient: AsyncAcme, key: str
) -> None:
    from generator.runtime import RequestOptions

    stream = await aclient.stream(
        _op("/sse/resume-query/{key}"),
        event_type=SequencedEvent,
        stream_spec=QUERY_RESUME,
        path_params={"key": key},
        query={"drop": "close"},
        options=RequestOptions(extra_headers={"last-event-id": "3"}),
    )
    assert [e.data.sequence async for e in stream] == list(range(3, SSE_TOTAL + 2))
    positions = [
        (dict(s.query).get("since_sequence"), s.headers.get("last-event-id")) for s in STATE.seen(key)
    ]
    assert positions == [(None, "3"), ("5", None), ("7", None)]


def test_header_resume_replaces_the_callers_header(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/resume-header/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        headers={"last-event-id": "2"},
    )
    # the server replays from the position given, inclusive; after that the client's own positions only
    assert [e.n for e in stream if isinstance(e, Token)] == list(range(2, SSE_TOTAL + 1))
    assert [s.headers.get("last-event-id") for s in STATE.seen(key)] == ["2", "5", "8"]


# -- a JSON 200 instead of a stream -------------------------------------------------------------


def _check_not_a_stream(error: UnexpectedContentTypeError) -> None:
    assert isinstance(error, APIResponseValidationError)
    assert error.content_type == "application/json"
    assert error.status_code == 200
    assert json.loads(error.body) == {"detail": "Served by the edge proxy", "code": "edge_cache"}
    assert "application/json" in error.message and "Served by the edge proxy" in error.message
    assert error.response.is_closed


def test_json_answer_to_a_stream_raises_at_once(client: Acme, key: str) -> None:
    with pytest.raises(UnexpectedContentTypeError) as caught:
        client.stream(
            _op("/sse/not-a-stream/{key}"),
            event_type=RunEvent,
            stream_spec=HEADER_RESUME,
            path_params={"key": key},
        )
    _check_not_a_stream(caught.value)
    assert STATE.count(key) == 1


def test_json_answer_to_a_reconnect_raises_at_once(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/not-a-stream/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"json_at": 2},
    )
    received: list[object] = []
    with pytest.raises(UnexpectedContentTypeError) as caught:
        received.extend(stream)
    _check_not_a_stream(caught.value)
    assert _numbers(received) == [1]
    assert STATE.count(key) == 2


@pytest.mark.anyio
@pytest.mark.parametrize("json_at", [1, 2])
async def test_async_json_answer_raises_at_once(aclient: AsyncAcme, key: str, json_at: int) -> None:
    with pytest.raises(UnexpectedContentTypeError) as caught:
        stream = await aclient.stream(
            _op("/sse/not-a-stream/{key}"),
            event_type=RunEvent,
            stream_spec=HEADER_RESUME,
            path_params={"key": key},
            query={"json_at": json_at},
        )
        _ = [e async for e in stream]
    _check_not_a_stream(caught.value)
    assert STATE.count(key) == json_at


# -- quiet streams ------------------------------------------------------------------------------

# the request read timeout is far below the pause, the stream's own read timeout far above it
SHORT = httpx.Timeout(0.2, connect=5.0)
QUIET = {"pause": 0.6}


def test_stream_read_timeout_defaults(base_url: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url) as plain:
        assert plain.stream_read_timeout == DEFAULT_STREAM_READ_TIMEOUT
        assert plain.with_options(stream_read_timeout=None).stream_read_timeout is None
        assert plain.with_options(stream_read_timeout=7.0).with_options().stream_read_timeout == 7.0


def test_quiet_stream_outlives_the_request_read_timeout(base_url: str, key: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, timeout=SHORT) as base:
        client = base.with_options(stream_read_timeout=30.0)
        stream = client.stream(
            _op("/sse/quiet/{key}"),
            event_type=RunEvent,
            stream_spec=DATA_SPEC,
            path_params={"key": key},
            query=QUIET,
        )
        assert _numbers(list(stream)) == [1, 2, 3]
    assert STATE.count(key) == 1


@pytest.mark.anyio
async def test_async_quiet_stream_with_a_per_call_read_timeout(base_url: str, key: str) -> None:
    async with AsyncAcme(api_key=API_KEY, base_url=base_url, timeout=SHORT) as client:
        stream = await client.stream(
            _op("/sse/quiet/{key}"),
            event_type=RunEvent,
            stream_spec=DATA_SPEC,
            stream_read_timeout=None,
            path_params={"key": key},
            query=QUIET,
        )
        assert _numbers([e async for e in stream]) == [1, 2, 3]
    assert STATE.count(key) == 1


def test_stream_read_timeout_on_a_stream_that_cannot_resume_raises(base_url: str, key: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, max_retries=3) as client:
        stream = client.stream(
            _op("/sse/quiet/{key}"),
            event_type=RunEvent,
            stream_spec=DATA_SPEC,
            stream_read_timeout=0.2,
            path_params={"key": key},
            query={"pause": 5},
        )
        received: list[object] = []
        with pytest.raises(APITimeoutError):
            received.extend(stream)
    assert _numbers(received) == [1]
    assert STATE.count(key) == 1


@pytest.mark.anyio
async def test_async_stream_read_timeout_on_a_resumable_stream_resumes(base_url: str, key: str) -> None:
    async with AsyncAcme(api_key=API_KEY, base_url=base_url, max_retries=3) as client:
        stream = await client.stream(
            _op("/sse/quiet/{key}"),
            event_type=RunEvent,
            stream_spec=HEADER_RESUME,
            stream_read_timeout=0.2,
            path_params={"key": key},
            query={"pause": 5},
        )
        assert _numbers([e async for e in stream]) == [1, 2, 3]
    assert [s.headers.get("last-event-id") for s in STATE.seen(key)] == [None, "1"]


def test_connect_and_write_timeouts_stay_the_requests() -> None:
    call = CallArgs(operation=_op("/sse/quiet/{key}"))
    timeout = with_stream_read_timeout(call, httpx.Timeout(3.0, connect=1.0), 42.0).options.timeout
    assert timeout == httpx.Timeout(connect=1.0, read=42.0, write=3.0, pool=3.0)


def test_drop_without_resume_still_raises_connection_error(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/not-a-stream/{key}"),
        event_type=RunEvent,
        stream_spec=DATA_SPEC,
        path_params={"key": key},
        query={"json_at": 2},
    )
    with pytest.raises(APIConnectionError, match="Stream dropped"):
        list(stream)
    assert STATE.count(key) == 1
