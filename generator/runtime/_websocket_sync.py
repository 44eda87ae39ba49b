"""The synchronous WebSocket session (``websockets.sync.client``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Self, TypeVar, cast

import pydantic

from ._base_client import BaseAPIClient
from ._exceptions import APIError, APITimeoutError
from ._types import NOT_GIVEN, Headers, Query, TimeoutInput
from ._websocket import Frame, SyncConnection, WebSocketClosedError, WebSocketSpec, closed_error, library
from ._websocket_base import NORMAL_CLOSURE, SessionBase

__all__ = ["WebSocketSession"]

F = TypeVar("F")


class WebSocketSession(SessionBase[F]):
    """A WebSocket session: ``with client.<resource>.connect(...) as session:``.

    Iterate over it for the server's frames (parsed, heartbeats left out; an iteration ends after a
    terminal frame or when the server closes the connection normally), ``recv()`` one frame,
    ``send(...)`` any frame (generated subclasses add typed ``send_<frame>()`` methods), ``close()``.
    It opens on ``with`` (or ``open()``, or first use). One thread may receive while others send.
    """

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
        self._conn: SyncConnection | None = None
        self._lock = threading.RLock()

    # -- lifecycle

    def open(self) -> Self:
        """Connect and authenticate (done by ``with`` and on first use)."""
        with self._lock:
            if self._state == "new":
                self._connect(replay=False)
                self._state = "open"
            elif self._state != "open":
                raise WebSocketClosedError("The WebSocket session is closed.", code=self.close_code)
        return self

    def close(self) -> None:
        """Send the protocol's closing frame (if it has one) and close the connection."""
        with self._lock:
            if self._state in ("closing", "closed"):
                return
            was_open, self._state = self._state == "open", "closing"
        conn = self._conn
        try:
            if conn is not None and was_open:
                text = self._frames.close_text()
                if text is not None:
                    try:
                        conn.send(text)
                    except (library().closed, OSError):
                        pass
                conn.close()
        finally:
            self._state = "closed"
            self._client._logger.info("WebSocket %s closed", self._spec.operation.path)

    def __enter__(self) -> Self:
        return self.open()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _connect(self, *, replay: bool) -> None:
        attempt = 0
        while True:
            try:
                self._open_once(replay=replay)
                return
            except APIError as error:
                if self._give_up(error, attempt):
                    raise
                time.sleep(self._delay(attempt, error))
                attempt += 1

    def _open_once(self, *, replay: bool) -> None:
        lib = library()
        target = self._target()
        try:
            # __enter__ returns the connection itself (websockets 17 warns when it is not entered)
            opened = lib.connect_sync(target.url, **self._connect_kwargs(target))
            conn = cast(SyncConnection, opened.__enter__())
        except (lib.handshake, lib.invalid_uri, OSError, TimeoutError) as exc:
            raise self._open_error(exc, target) from exc
        self._client._logger.info("WebSocket %s opened", target.shown_url)
        self._frames.new_connection()
        try:
            if self._spec.auth == "first_frame":
                conn.send(self._frames.auth_text(target.api_key))
                self._await_first(conn, target.open_timeout)
            if replay:
                text = self._frames.replay_text()
                if text is not None:
                    conn.send(text)
        except lib.closed as exc:
            conn.close()
            code, reason = self._ended(exc)
            raise closed_error(code, reason, target.prepared.secrets) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _await_first(self, conn: SyncConnection, timeout: float | None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                message = conn.recv(left)
            except TimeoutError:
                raise APITimeoutError("The server did not answer the authentication frame in time.") from None
            outcome = self._frames.handle(message)
            if isinstance(outcome, Frame):
                self._frames.first_frame = outcome.value
                return
            if outcome.answer is not None:
                conn.send(outcome.answer)

    def _live(self) -> SyncConnection:
        if self._state == "new":
            self.open()
        conn = self._conn
        if self._state != "open" or conn is None:
            raise WebSocketClosedError(
                "The WebSocket session is closed.", code=self.close_code, reason=self.close_reason
            )
        return conn

    def _recover(self, conn: SyncConnection, exc: BaseException) -> bool:
        """After ``conn`` closed: True once a new connection is open, False when the session ended."""
        with self._lock:
            if self._conn is not conn and self._state == "open":
                return True  # another thread reconnected already
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
            time.sleep(self._delay(self._drops - 1, None))
            try:
                self._connect(replay=True)
            except BaseException:
                self._state = "closed"
                raise
            self.reconnects += 1
            return True

    # -- frames

    def send(self, frame: Mapping[str, object] | pydantic.BaseModel) -> None:
        """Send one frame: a mapping (``NOT_GIVEN`` values are left out) or a frame model."""
        text, opening = self._frames.encode(frame)
        conn = self._live()
        try:
            conn.send(text)
        except library().closed as exc:
            if not self._recover(conn, exc):
                raise WebSocketClosedError(
                    "The WebSocket session is closed.", code=self.close_code, reason=self.close_reason
                ) from exc
            if not opening:
                self._live().send(text)

    def _receive(self, timeout: float | None) -> Frame | None:
        while True:
            conn = self._live()
            try:
                message = conn.recv(timeout)
            except TimeoutError:
                raise APITimeoutError(f"No WebSocket frame within {timeout} seconds.") from None
            except library().closed as exc:
                if self._recover(conn, exc):
                    continue
                return None
            outcome = self._frames.handle(message)
            if isinstance(outcome, Frame):
                self._drops = 0
                return outcome
            if outcome.answer is not None:
                try:
                    conn.send(outcome.answer)
                except library().closed:
                    pass  # the next receive sees the close

    def recv(self, timeout: float | None = None) -> F:
        """The next server frame (heartbeats left out); ``timeout`` in seconds (default: wait)."""
        frame = self._receive(timeout)
        if frame is None:
            raise WebSocketClosedError(
                "The server closed the WebSocket session.", code=self.close_code, reason=self.close_reason
            )
        return cast(F, frame.value)

    def __iter__(self) -> Iterator[F]:
        while True:
            frame = self._receive(None)
            if frame is None:
                return
            yield cast(F, frame.value)
            if frame.terminal:
                return
