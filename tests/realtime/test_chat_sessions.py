"""The generated AUTX chat session (`client.chat.connect`) against a real chat WebSocket server.

First-frame auth, typed frames both ways, ignored heartbeats, errors in place of the first frame and later
ones, the closing `close` frame, server closes and drops (no reconnect policy), sync and async.
"""

from __future__ import annotations

import pytest
from autx_typed import (
    APIConnectionError,
    APITimeoutError,
    AsyncAutx,
    Autx,
    WebSocketAuthenticationError,
    WebSocketClosedError,
    WebSocketError,
)
from autx_typed.models import (
    ChatBillingFrame,
    ChatChunkFrame,
    ChatDoneFrame,
    ChatErrorFrame,
    ChatSessionFrame,
)
from autx_typed.sockets import AsyncChatSocket, ChatSocket

from .ws_server import API_KEY, WebSocketServers, eventually


def _client(servers: WebSocketServers, **kwargs: object) -> Autx:
    return Autx(api_key=API_KEY, base_url=servers.http_url, **kwargs)  # type: ignore[arg-type]


def _turn(session: ChatSocket) -> list[object]:
    frames: list[object] = []
    for frame in session:
        frames.append(frame)
        if isinstance(frame, ChatBillingFrame):
            break
    return frames


def test_a_chat_turn_with_typed_frames(servers: WebSocketServers) -> None:
    client = _client(servers)
    with client.chat.connect(ticker="SUMM") as session:
        assert isinstance(session, ChatSocket)
        first = session.first_frame
        assert isinstance(first, ChatSessionFrame)
        assert first.session_id == "ses_abc123"
        assert first.agent is not None and first.agent.ticker == "SUMM"
        session.send_message(prompt="the quarterly report")
        frames = _turn(session)
    chunks = [f for f in frames if isinstance(f, ChatChunkFrame)]
    assert "".join(c.data for c in chunks) == "Summary of: the quarterly report"
    assert [type(f) for f in frames[len(chunks) :]] == [ChatDoneFrame, ChatBillingFrame]
    assert all(f.type_ != "heartbeat" for f in frames)  # type: ignore[attr-defined]
    done = frames[-2]
    assert isinstance(done, ChatDoneFrame) and done.output_hash.startswith("sha256:")
    seen = servers.record.by_path("/ws/agent/SUMM")[-1]
    assert seen.received[0] == {"type": "auth", "token": API_KEY}  # auth in the first frame ...
    assert "authorization" not in {k.lower() for k in seen.headers}  # ... not on the upgrade request
    assert seen.received[1] == {"type": "message", "prompt": "the quarterly report"}
    assert eventually(lambda: seen.close_code == 1000)
    assert seen.received[-1] == {"type": "close"}  # the closing frame, sent when the block ends
    assert not session.is_open


def test_several_turns_on_one_session_and_recv(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="MULTI") as session:
        for prompt in ("one", "two"):
            session.send_message(prompt=prompt)
            frames = _turn(session)
            assert isinstance(frames[-1], ChatBillingFrame)
        session.send_message(prompt="three")
        assert isinstance(session.recv(timeout=5), ChatChunkFrame)


def test_path_parameters_are_percent_encoded(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="A B/C?") as session:
        assert isinstance(session.first_frame, ChatSessionFrame)
    assert servers.record.by_path("/ws/agent/A%20B%2FC%3F")


def test_a_wrong_token_is_an_authentication_error_without_the_token(servers: WebSocketServers) -> None:
    client = Autx(api_key="sk_wrong_key_0123456789", base_url=servers.http_url)
    with pytest.raises(WebSocketAuthenticationError) as caught, client.chat.connect(ticker="SUMM"):
        pass
    assert isinstance(caught.value.frame, ChatErrorFrame)
    assert "Invalid token" in str(caught.value)
    assert "sk_wrong_key_0123456789" not in str(caught.value)  # the server echoed it; we do not


def test_an_unknown_agent_is_refused_in_place_of_the_session_frame(servers: WebSocketServers) -> None:
    with pytest.raises(WebSocketAuthenticationError, match="Agent not found"):
        _client(servers).chat.connect(ticker="NOPE").open()


def test_an_error_frame_mid_session_raises_and_the_session_goes_on(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="SUMM") as session:
        session.send_message(prompt="boom")
        with pytest.raises(WebSocketError) as caught:
            session.recv(timeout=5)
        assert not isinstance(caught.value, WebSocketAuthenticationError)
        assert str(caught.value) == "Insufficient credits"
        session.send_message(prompt="again")
        assert isinstance(_turn(session)[-1], ChatBillingFrame)


def test_unknown_frame_types_are_skipped(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="SUMM") as session:
        session.send_message(prompt="future")
        frames = _turn(session)
    assert {f.type_ for f in frames} == {"chunk", "done", "billing"}  # type: ignore[attr-defined]


def test_a_frame_that_is_not_json_is_an_error(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="SUMM") as session:
        session.send_message(prompt="not json")
        with pytest.raises(WebSocketError, match="not JSON"):
            session.recv(timeout=5)


def test_a_normal_close_by_the_server_ends_the_iteration(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="BYE") as session:
        session.send_message(prompt="goodbye")
        frames = list(session)
        assert isinstance(frames[-1], ChatBillingFrame)
        assert session.close_code == 1000
        with pytest.raises(WebSocketClosedError):
            session.recv()
        with pytest.raises(WebSocketClosedError):
            session.send_message(prompt="anyone?")


def test_a_dropped_connection_raises_and_is_not_reopened(servers: WebSocketServers) -> None:
    before = len(servers.record.by_path("/ws/agent/DROP"))
    with _client(servers).chat.connect(ticker="DROP") as session:
        session.send_message(prompt="drop")
        with pytest.raises(WebSocketClosedError) as caught:
            list(session)
    assert isinstance(caught.value, APIConnectionError)
    assert caught.value.code == 1006
    assert len(servers.record.by_path("/ws/agent/DROP")) == before + 1  # reconnect policy: none


def test_no_answer_to_the_auth_frame_times_out(servers: WebSocketServers) -> None:
    with pytest.raises(APITimeoutError):
        _client(servers, max_retries=0).chat.connect(ticker="SLOW", timeout=0.3).open()


def test_recv_timeout(servers: WebSocketServers) -> None:
    with _client(servers).chat.connect(ticker="QUIET") as session, pytest.raises(APITimeoutError):
        session.recv(timeout=0.2)


def test_nothing_listening_is_a_connection_error() -> None:
    client = Autx(api_key=API_KEY, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        client.chat.connect(ticker="SUMM").open()
    assert API_KEY not in str(caught.value)


def test_base_url_from_the_environment_and_repr_without_secrets(
    servers: WebSocketServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTX_API_KEY", API_KEY)
    monkeypatch.setenv("AUTX_BASE_URL", servers.http_url)
    session = Autx().chat.connect(ticker="ENV")
    assert API_KEY not in repr(session)
    with session:
        assert isinstance(session.first_frame, ChatSessionFrame)


# ---- async ----------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_chat_turn(servers: WebSocketServers) -> None:
    client = AsyncAutx(api_key=API_KEY, base_url=servers.http_url)
    async with client.chat.connect(ticker="ASYNC") as session:
        assert isinstance(session, AsyncChatSocket)
        assert isinstance(session.first_frame, ChatSessionFrame)
        await session.send_message(prompt="async things")
        frames = []
        async for frame in session:
            frames.append(frame)
            if isinstance(frame, ChatBillingFrame):
                break
        assert "".join(f.data for f in frames if isinstance(f, ChatChunkFrame)) == "Summary of: async things"
    seen = servers.record.by_path("/ws/agent/ASYNC")[-1]
    assert seen.received[0] == {"type": "auth", "token": API_KEY}
    assert eventually(lambda: seen.close_code is not None)
    assert seen.received[-1] == {"type": "close"}


@pytest.mark.anyio
async def test_async_errors(servers: WebSocketServers) -> None:
    client = AsyncAutx(api_key="sk_wrong_key_0123456789", base_url=servers.http_url)
    with pytest.raises(WebSocketAuthenticationError):
        async with client.chat.connect(ticker="SUMM"):
            pass
    good = AsyncAutx(api_key=API_KEY, base_url=servers.http_url)
    async with good.chat.connect(ticker="SUMM") as session:
        await session.send_message(prompt="boom")
        with pytest.raises(WebSocketError, match="Insufficient credits"):
            await session.recv(timeout=5)
        await session.send_message(prompt="drop")
        with pytest.raises(WebSocketClosedError):
            async for _ in session:
                pass
        with pytest.raises(APITimeoutError):
            await AsyncAutx(api_key=API_KEY, base_url=servers.http_url).chat.connect(ticker="QUIET").recv(0.2)


@pytest.mark.anyio
async def test_async_normal_close(servers: WebSocketServers) -> None:
    client = AsyncAutx(api_key=API_KEY, base_url=servers.http_url)
    async with client.chat.connect(ticker="BYE") as session:
        await session.send_message(prompt="goodbye")
        frames = [frame async for frame in session]
        assert isinstance(frames[-1], ChatBillingFrame)
        with pytest.raises(WebSocketClosedError):
            await session.send_message(prompt="anyone?")
