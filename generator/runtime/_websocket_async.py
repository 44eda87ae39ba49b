"""The asyncio WebSocket session (``websockets.asyncio.client``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Self, TypeVar, cast

import pydantic

from ._base_client import BaseAPIClient
from ._exceptions import APIError, APITimeoutError
from ._types import NOT_GIVEN, Headers, Query, TimeoutInput
from ._websocket import AsyncConnection, Frame, WebSocketClosedError, WebSocketSpec, closed_error, library
from ._websocket_base import NORMAL_CLOSURE, SessionBase

__all__ = ["AsyncWebSocketSession"]

F = TypeVar("F")


class AsyncWebSocketSession(SessionBase[F]):
    """The asyncio twin of :class:`WebSocketSession`: ``async with client.<resource>.connect(...) as s:``,
    ``async for frame in s``, ``await s.recv()``, ``await s.send(...)``, ``await s.close()``."""

    def __init__(
        self,
        client: BaseAPIClient,
        spec: WebSocketSpec,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        settings: Mapping[str, object] | None = None,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
        timeout: TimeoutInput = NOT_GIVEN,
    ) -> None:
        super().__init__(
            client,
            spec,
            path_params=path_params,
            query=query,
            headers=headers,
            settings=settings,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
        )
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()

    # -- lifecycle

    async def open(self) -> Self:
        """Connect and authenticate (done by ``async with`` and on first use)."""
        async with self._lock:
            if self._state == "new":
                await self._connect(replay=False)
                self._state = "open"
            elif self._state != "open":
                raise WebSocketClosedError("The WebSocket session is closed.", code=self.close_code)
        return self

    async def close(self) -> None:
        """Send the protocol's closing frame (if it has one) and close the connection."""
        if self._state in ("closing", "closed"):
            return
        was_open, self._state = self._state == "open", "closing"
        conn = self._conn
        try:
            if conn is not None and was_open:
                text = self._frames.close_text()
                if text is not None:
                    try:
                        await conn.send(text)
                    except (library().closed, OSError):
                        pass
                await conn.close()
        finally:
            self._state = "closed"
            self._client._logger.info("WebSocket %s closed", self._spec.operation.path)

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _connect(self, *, replay: bool) -> None:
        attempt = 0
        while True:
            try:
                await self._open_once(replay=replay)
                return
            except APIError as error:
                if self._give_up(error, attempt):
                    raise
                await asyncio.sleep(self._delay(attempt, error))
                attempt += 1

    async def _open_once(self, *, replay: bool) -> None:
        lib = library()
        target = self._target()
        try:
            conn = cast(AsyncConnection, await lib.connect_async(target.url, **self._connect_kwargs(target)))
        except (lib.handshake, lib.invalid_uri, OSError, TimeoutError) as exc:
            raise self._open_error(exc, target) from exc
        self._client._logger.info("WebSocket %s opened", target.shown_url)
        self._frames.new_connection()
        try:
            if self._spec.auth == "first_frame":
                await conn.send(self._frames.auth_text(target.api_key))
                await self._await_first(conn, target.open_timeout)
            if replay:
                text = self._frames.replay_text()
                if text is not None:
                    await conn.send(text)
        except lib.closed as exc:
            await conn.close()
            code, reason = self._ended(exc)
            raise closed_error(code, reason, target.prepared.secrets) from exc
        except BaseException:
            await conn.close()
            raise
        self._conn = conn

    async def _await_first(self, conn: AsyncConnection, timeout: float | None) -> None:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    outcome = self._frames.handle(await conn.recv())
                    if isinstance(outcome, Frame):
                        self._frames.first_frame = outcome.value
                        return
                    if outcome.answer is not None:
                        await conn.send(outcome.answer)
        except TimeoutError:
            raise APITimeoutError("The server did not answer the authentication frame in time.") from None

    async def _live(self) -> AsyncConnection:
        if self._state == "new":
            await self.open()
        conn = self._conn
        if self._state != "open" or conn is None:
            raise WebSocketClosedError(
                "The WebSocket session is closed.", code=self.close_code, reason=self.close_reason
            )
        return conn

    async def _recover(self, conn: AsyncConnection, exc: BaseException) -> bool:
        """After ``conn`` closed: True once a new connection is open, False when the session ended."""
        async with self._lock:
            if self._conn is not conn and self._state == "open":
                return True  # another task reconnected already
            code, reason = self._ended(exc)
            if self._state != "open":
                return False
            if code == NORMAL_CLOSURE:
                self._state = "closed"
                return False
            if not self._may_reconnect(code):
                self._state = "closed"
                raise closed_error(code, reason, self._frames.secrets) from exc
            self._client._logger.info(
                "WebSocket %s dropped (code %s); reconnecting", self._spec.operation.path, code
            )
            await asyncio.sleep(self._delay(self._drops - 1, None))
            try:
                await self._connect(replay=True)
            except BaseException:
                self._state = "closed"
                raise
            self.reconnects += 1
            return True

    # -- frames

    async def send(self, frame: Mapping[str, object] | pydantic.BaseModel) -> None:
        """Send one frame: a mapping (``NOT_GIVEN`` values are left out) or a frame model."""
        text, opening = self._frames.encode(frame)
        conn = await self._live()
        try:
            await conn.send(text)
        except library().closed as exc:
            if not await self._recover(conn, exc):
                raise WebSocketClosedError(
                    "The WebSocket session is closed.", code=self.close_code, reason=self.close_reason
                ) from exc
            if not opening:
                await (await self._live()).send(text)

    async def _receive(self, timeout: float | None) -> Frame | None:
        while True:
            conn = await self._live()
            try:
                async with asyncio.timeout(timeout):
                    message = await conn.recv()
            except TimeoutError:
                raise APITimeoutError(f"No WebSocket frame within {timeout} seconds.") from None
            except library().closed as exc:
                if await self._recover(conn, exc):
                    continue
                return None
            outcome = self._frames.handle(message)
            if isinstance(outcome, Frame):
                self._drops = 0
                return outcome
            if outcome.answer is not None:
                try:
                    await conn.send(outcome.answer)
                except library().closed:
                    pass  # the next receive sees the close

    async def recv(self, timeout: float | None = None) -> F:
        """The next server frame (heartbeats left out); ``timeout`` in seconds (default: wait)."""
        frame = await self._receive(timeout)
        if frame is None:
            raise WebSocketClosedError(
                "The server closed the WebSocket session.", code=self.close_code, reason=self.close_reason
            )
        return cast(F, frame.value)

    async def __aiter__(self) -> AsyncIterator[F]:
        while True:
            frame = await self._receive(None)
            if frame is None:
                return
            yield cast(F, frame.value)
            if frame.terminal:
                return
