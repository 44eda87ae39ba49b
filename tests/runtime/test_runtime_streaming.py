"""SSE: the decoder, typed events in both naming modes, heartbeats, terminals, resume."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import pytest
from pydantic import Field

from generator.runtime import (
    APIConnectionError,
    BaseModel,
    Operation,
    ResumeSpec,
    SSEDecoder,
    Stream,
    StreamSpec,
)

from .runtime_client import API_KEY, Acme, AsyncAcme
from .runtime_server import SSE_TOTAL, STATE

# -- the decoder ----------------------------------------------------------------------------


def _decode(*chunks: bytes) -> list[tuple[str, str, str | None]]:
    decoder = SSEDecoder()
    events = [e for chunk in chunks for e in decoder.feed(chunk)]
    return [(e.event, e.data, e.id) for e in events]


def test_decoder_multiline_data_and_comments() -> None:
    assert _decode(b": comment\n\ndata: YHOO\ndata: +2\ndata: 10\n\n") == [("message", "YHOO\n+2\n10", None)]


def test_decoder_ids_and_leading_space() -> None:
    stream = b"data: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"
    assert _decode(stream) == [
        ("message", "first event", "1"),
        ("message", "second event", ""),
        ("message", " third event", None),
    ]


def test_decoder_empty_data_and_unterminated_event() -> None:
    assert _decode(b"data\n\ndata\ndata\n\ndata:") == [("message", "", None), ("message", "\n", None)]


def test_decoder_line_endings_split_across_chunks() -> None:
    chunks = (b"\xef\xbb\xbfevent: a\r", b"\ndata: 1\r", b"\r", b"event: b\rdata: 2\r\r")
    assert _decode(*chunks) == [("a", "1", None), ("b", "2", None)]


def test_decoder_retry_persistent_id_and_nul() -> None:
    decoder = SSEDecoder()
    events = decoder.feed(b"retry: 1500\nid: 7\ndata: a\n\nid: bad\x00id\ndata: b\n\nretry: x\n\n")
    assert [e.retry for e in events] == [1500, 1500]
    assert [e.last_event_id for e in events] == ["7", "7"]
    assert decoder.last_event_id == "7"


def test_decoder_utf8_split_across_chunks() -> None:
    utf8 = "data: é\n\n".encode()
    decoder = SSEDecoder()
    assert decoder.feed(utf8[:7]) == []
    assert [e.data for e in decoder.feed(utf8[7:])] == ["é"]


# -- typed events ---------------------------------------------------------------------------


class Metadata(BaseModel):
    type: Literal["metadata"]
    run_id: str | None = None


class NodeUpdate(BaseModel):
    type: Literal["node_update"]
    node_id: str | None = None
    status: str | None = None


class Done(BaseModel):
    type: Literal["done"]
    final_state: dict[str, Any] | None = None
    n: int | None = None


class Token(BaseModel):
    type: Literal["token"]
    n: int


RunEvent = Annotated[Metadata | NodeUpdate | Done | Token, Field(discriminator="type")]


class Connected(BaseModel):
    event: Literal["connected"]
    data: dict[str, Any]


class ChatData(BaseModel):
    type: str | None = None
    timestamp: int | None = None


class ChatListUpdated(BaseModel):
    event: Literal["chat_list_updated"]
    data: ChatData


class Notice(BaseModel):
    event: Literal["notice"]
    data: str


class ErrorEvent(BaseModel):
    event: Literal["error"]
    data: dict[str, Any]


ChatEvent = Annotated[Connected | ChatListUpdated | Notice | ErrorEvent, Field(discriminator="event")]


class StepData(BaseModel):
    event_type: str
    sequence: int


class StepCompleted(BaseModel):
    event: Literal["step.completed"]
    data: StepData


class RunCompleted(BaseModel):
    event: Literal["run.completed"]
    data: StepData


SequencedEvent = Annotated[StepCompleted | RunCompleted, Field(discriminator="event")]

DATA_SPEC = StreamSpec(event_type="data.type", terminal=("done", "error"), heartbeat=("heartbeat",))
HEADER_RESUME = StreamSpec(
    event_type="data.type",
    terminal=("done",),
    heartbeat=("heartbeat",),
    resume=ResumeSpec(header="Last-Event-ID"),
)
QUERY_RESUME = StreamSpec(
    event_type="event",
    terminal=("run.completed",),
    resume=ResumeSpec(query="since_sequence", field="sequence"),
)


def _op(path: str, method: str = "GET") -> Operation:
    return Operation(method=method, path=path, path_params=("key",))


def test_data_type_mode(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/data/{key}"), event_type=RunEvent, stream_spec=DATA_SPEC, path_params={"key": key}
    )
    events = list(stream)
    assert [type(e) for e in events] == [Metadata, NodeUpdate, Done]
    update = events[1]
    assert isinstance(update, NodeUpdate)
    assert (update.node_id, update.status) == ("n1", "completed")
    assert STATE.seen(key)[0].headers["accept"] == "text/event-stream"
    assert stream.response.is_closed


def test_terminal_event_missing_from_the_schema_still_ends(client: Acme, key: str) -> None:
    events = list(
        client.stream(
            _op("/sse/data/{key}"),
            event_type=Annotated[Metadata | NodeUpdate, Field(discriminator="type")],
            stream_spec=DATA_SPEC,
            path_params={"key": key},
        )
    )
    assert [type(e) for e in events] == [Metadata, NodeUpdate]


def test_event_mode(client: Acme, key: str) -> None:
    spec = StreamSpec(event_type="event", terminal=("error",), heartbeat=("keepalive",))
    with client.stream(
        _op("/sse/named/{key}"), event_type=ChatEvent, stream_spec=spec, path_params={"key": key}
    ) as stream:
        events = list(stream)
    assert [type(e) for e in events] == [Connected, ChatListUpdated, Notice, ErrorEvent]
    assert isinstance(events[2], Notice) and events[2].data == "plain text, not json"


def test_without_spec_every_event_is_yielded_until_close(client: Acme, key: str) -> None:
    stream = client.stream(_op("/sse/plain/{key}"), event_type=dict[str, Any], path_params={"key": key})
    assert [e["n"] for e in stream] == [0, 1, 2]


@pytest.mark.parametrize("drop", ["abort", "close"])
def test_resume_by_last_event_id(client: Acme, key: str, drop: str) -> None:
    stream = client.stream(
        _op("/sse/resume-header/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        query={"drop": drop},
    )
    events = list(stream)
    assert [e.n for e in events if isinstance(e, Token)] == list(range(1, SSE_TOTAL + 1))
    assert isinstance(events[-1], Done)
    seen = STATE.seen(key)
    assert [s.headers.get("last-event-id") for s in seen] == [None, "3", "6"]


def test_resume_post_stream_keeps_its_idempotency_key(client: Acme, key: str) -> None:
    op = Operation(
        method="POST",
        path="/sse/resume-header/{key}",
        path_params=("key",),
        idempotency_header="Idempotency-Key",
    )
    stream = client.stream(
        op,
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
        json={"message": "hi"},
    )
    assert len(list(stream)) == SSE_TOTAL + 1
    keys = {s.headers["idempotency-key"] for s in STATE.seen(key)}
    assert len(keys) == 1
    assert all(s.body == b'{"message":"hi"}' for s in STATE.seen(key))


@pytest.mark.parametrize("drop", ["close", "abort"])
def test_resume_by_sequence_query(client: Acme, key: str, drop: str) -> None:
    stream = client.stream(
        _op("/sse/resume-query/{key}"),
        event_type=SequencedEvent,
        stream_spec=QUERY_RESUME,
        path_params={"key": key},
        query={"drop": drop},
    )
    events = list(stream)
    assert [e.data.sequence for e in events] == list(range(1, SSE_TOTAL + 2))
    assert isinstance(events[-1], RunCompleted)
    since = [dict(s.query).get("since_sequence") for s in STATE.seen(key)]
    assert since == [None, "2", "4", "6", "8"]


def test_reconnects_are_bounded(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/always-drop/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
    )
    with pytest.raises(APIConnectionError, match="could not be resumed after 3"):
        list(stream)
    assert STATE.count(key) == 4


def test_drop_without_resume_raises(client: Acme, key: str) -> None:
    stream = client.stream(
        _op("/sse/always-drop/{key}"), event_type=RunEvent, stream_spec=DATA_SPEC, path_params={"key": key}
    )
    with pytest.raises(APIConnectionError):
        list(stream)
    assert STATE.count(key) == 1


def test_closing_early_releases_the_connection(client: Acme, key: str) -> None:
    with client.stream(
        _op("/sse/resume-header/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
    ) as stream:
        first = next(iter(stream))
        assert isinstance(first, Token)
    assert stream.response.is_closed
    assert STATE.count(key) == 1


def test_stream_static_type(client: Acme, key: str) -> None:
    stream: Stream[Token] = client.stream(_op("/sse/plain/{key}"), event_type=Token, path_params={"key": key})
    stream.close()


def test_api_key_sent_on_reconnects(base_url: str, key: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url) as client:
        list(
            client.stream(
                _op("/sse/resume-header/{key}"),
                event_type=RunEvent,
                stream_spec=HEADER_RESUME,
                path_params={"key": key},
            )
        )
    assert {s.headers["authorization"] for s in STATE.seen(key)} == {f"Bearer {API_KEY}"}


# -- async ----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_data_mode(aclient: AsyncAcme, key: str) -> None:
    stream = await aclient.stream(
        _op("/sse/data/{key}"), event_type=RunEvent, stream_spec=DATA_SPEC, path_params={"key": key}
    )
    events = [e async for e in stream]
    assert [type(e) for e in events] == [Metadata, NodeUpdate, Done]


@pytest.mark.anyio
async def test_async_resume_by_header(aclient: AsyncAcme, key: str) -> None:
    async with await aclient.stream(
        _op("/sse/resume-header/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
    ) as stream:
        events = [e async for e in stream]
    assert [e.n for e in events if isinstance(e, Token)] == list(range(1, SSE_TOTAL + 1))
    assert len(STATE.seen(key)) == 3


@pytest.mark.anyio
async def test_async_resume_by_query(aclient: AsyncAcme, key: str) -> None:
    stream = await aclient.stream(
        _op("/sse/resume-query/{key}"),
        event_type=SequencedEvent,
        stream_spec=QUERY_RESUME,
        path_params={"key": key},
        query={"drop": "abort"},
    )
    events = [e async for e in stream]
    assert [e.data.sequence for e in events] == list(range(1, SSE_TOTAL + 2))


@pytest.mark.anyio
async def test_async_reconnects_are_bounded(aclient: AsyncAcme, key: str) -> None:
    stream = await aclient.stream(
        _op("/sse/always-drop/{key}"),
        event_type=RunEvent,
        stream_spec=HEADER_RESUME,
        path_params={"key": key},
    )
    with pytest.raises(APIConnectionError):
        _ = [e async for e in stream]
    assert STATE.count(key) == 4
