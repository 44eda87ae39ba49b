"""Typed WebSocket sessions, sync and asyncio, over the ``websockets`` library (13 or later).

A generated package describes each WebSocket operation once with a :class:`WebSocketSpec` and
subclasses :class:`WebSocketSession` / :class:`AsyncWebSocketSession` with one typed
``send_<frame>()`` method per client frame and the server frame type in ``server_frames``. A session:

- opens the operation's path on the client's base URL with ``http`` -> ``ws`` and ``https`` ->
  ``wss``, path parameters percent-encoded and client settings filled in exactly as for HTTP calls;
- authenticates as the spec says: the client's credentials on the upgrade request (``header``) or
  a first frame ``{<discriminator>: <auth_frame_type>, <auth_frame_field>: <api key>}``
  (``first_frame``), after which it waits for the server's first frame (:attr:`first_frame`);
- parses every server frame with ``server_frames`` (pydantic); heartbeat frames are never
  surfaced (they are answered with the client heartbeat frame when the protocol has one), and frame
  types the package does not know yet are skipped;
- raises :class:`WebSocketAuthenticationError` for an error frame in place of a connection's first
  frame, :class:`WebSocketError` for later error frames, :class:`WebSocketClosedError` (an
  :class:`APIConnectionError`) when the connection ends unexpectedly, and the usual status errors
  (``AuthenticationError``, ``RateLimitError``, ...) when the upgrade request is refused;
- with a reconnect policy, reopens a dropped connection with backoff (up to the client's
  ``max_retries`` times), authenticates again and replays the first frame the user sent, updated with
  the values the server handed out since (``resume_fields``);
- closes cleanly: sends the protocol's closing client frame, then the WebSocket close handshake.

``websockets`` is imported on first use only, so a package without a WebSocket operation never
needs it. This module holds the spec, the errors and the frame logic; ``_websocket_base``,
``_websocket_sync`` and ``_websocket_async`` the sessions.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import pydantic

from ._encode import to_jsonable
from ._exceptions import (
    APIConnectionError,
    APIError,
    ConfigurationError,
    _error_code,
    _vendor_message,
    redact_text,
)
from ._models import validate_as
from ._request import Prepared
from ._spec import Operation
from ._utils import as_mapping, lookup

__all__ = [
    "WebSocketAuthenticationError",
    "WebSocketClosedError",
    "WebSocketError",
    "WebSocketSpec",
]

NORMAL_CLOSURE = 1000
# Close codes after which a session with a reconnect policy opens a new connection (no close frame
# at all counts as 1006): going away, abnormal closure, server error, restart, try again later.
RECONNECT_CODES = frozenset({1001, 1006, 1011, 1012, 1013, 1014})


@dataclass(frozen=True, kw_only=True)
class WebSocketSpec:
    """One WebSocket operation (``x-websocket``), as a generated package describes it.

    ``operation`` is the upgrade request (path, path parameters, settings, server, documented error
    bodies). ``auth``: ``header`` sends the client's credentials on the upgrade request,
    ``first_frame`` sends ``{discriminator: auth_frame_type, auth_frame_field: <api key>}`` first,
    ``none`` sends neither. Frame types are the values of the ``discriminator`` property:
    ``server_heartbeat`` frames are never surfaced and are answered with the first
    ``client_heartbeat`` type when there is one; ``server_terminal`` frames end an iteration
    (after being yielded); ``close_frame`` is the client frame :meth:`WebSocketSession.close` sends;
    ``error_frames`` are raised. ``reconnect`` is the spec's policy name (``none``: never);
    ``resume_fields`` maps a client frame type to the fields whose latest server-sent value it
    carries when it is replayed on a new connection.
    """

    operation: Operation
    auth: Literal["header", "first_frame", "none"] = "header"
    auth_frame_type: str = "auth"
    auth_frame_field: str = "token"
    discriminator: str = "type"
    client_heartbeat: tuple[str, ...] = ()
    server_heartbeat: tuple[str, ...] = ()
    server_terminal: tuple[str, ...] = ()
    close_frame: str | None = None
    error_frames: tuple[str, ...] = ()
    reconnect: str = "none"
    resume_fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict[str, tuple[str, ...]])

    @property
    def reconnects(self) -> bool:
        """Whether a dropped connection is reopened."""
        return self.reconnect != "none"


# ---- errors -------------------------------------------------------------------------------------------


class WebSocketError(APIError):
    """The server reported an error in a frame, or sent a frame that could not be read.

    ``frame`` is the error frame parsed with the server frame type (``None`` when it could not be),
    ``data`` the frame's JSON (or text), ``code`` the error code it carries, if any.
    """

    frame: Any
    data: object
    code: str | None

    def __init__(
        self, message: str, *, frame: Any = None, data: object = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.frame = frame
        self.data = data
        self.code = code


class WebSocketAuthenticationError(WebSocketError):
    """An error frame came in place of a connection's first frame: the session was refused."""


class WebSocketClosedError(APIConnectionError):
    """The connection ended when the session did not expect it, or the session is used after it ended.

    ``code`` and ``reason`` are those of the close frame (``code`` 1006 when there was none).
    """

    code: int | None
    reason: str

    def __init__(self, message: str, *, code: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason

    @property
    def retryable(self) -> bool:
        """Whether a new connection may succeed (the close code says the server went away)."""
        return self.code is None or self.code in RECONNECT_CODES


# ---- the websockets library, loaded on first use ----------------------------------------------------------


class SyncConnection(Protocol):
    def send(self, message: str) -> None: ...
    def recv(self, timeout: float | None = None) -> str | bytes: ...
    def close(self, code: int = 1000, reason: str = "") -> None: ...


class AsyncConnection(Protocol):
    async def send(self, message: str) -> None: ...
    async def recv(self) -> str | bytes: ...
    async def close(self, code: int = 1000, reason: str = "") -> None: ...


@dataclass(frozen=True)
class Library:
    connect_sync: Any
    connect_async: Any
    closed: type[Exception]
    invalid_status: type[Exception]
    handshake: type[Exception]
    invalid_uri: type[Exception]


@functools.cache
def library() -> Library:
    try:
        sync_client = importlib.import_module("websockets.sync.client")
        async_client = importlib.import_module("websockets.asyncio.client")
        errors = importlib.import_module("websockets.exceptions")
    except ImportError as exc:
        raise ConfigurationError(
            "WebSocket sessions need the `websockets` package (13 or later): pip install 'websockets>=13'."
        ) from exc
    return Library(
        connect_sync=sync_client.connect,
        connect_async=async_client.connect,
        closed=errors.ConnectionClosed,
        invalid_status=errors.InvalidStatus,
        handshake=errors.InvalidHandshake,
        invalid_uri=errors.InvalidURI,
    )


def close_info(exc: BaseException) -> tuple[int | None, str]:
    """The close code and reason the server sent (``None``: the connection dropped without one)."""
    received = getattr(exc, "rcvd", None)
    if received is None:
        return None, ""
    code = getattr(received, "code", None)
    reason = getattr(received, "reason", "")
    return (code if isinstance(code, int) else None), (reason if isinstance(reason, str) else "")


def closed_error(code: int | None, reason: str, secrets: tuple[str, ...]) -> WebSocketClosedError:
    shown = "no close frame" if code is None else f"code {code}" + (f": {reason}" if reason else "")
    return WebSocketClosedError(
        redact_text(f"The WebSocket connection closed unexpectedly ({shown}).", secrets),
        code=1006 if code is None else code,
        reason=reason,
    )


# ---- what sync and async sessions share ------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where and how to open one connection."""

    url: str
    shown_url: str
    headers: list[tuple[str, str]]
    user_agent: str | None
    open_timeout: float | None
    prepared: Prepared
    api_key: str | None


class Skip:
    """A frame the user never sees (heartbeat, unknown type); ``answer`` is sent back, if any."""

    def __init__(self, answer: str | None = None) -> None:
        self.answer = answer


@dataclass(frozen=True)
class Frame:
    value: Any
    terminal: bool


class Frames:
    """Encoding, decoding and bookkeeping of frames: no I/O."""

    def __init__(self, spec: WebSocketSpec, frame_type: object, secrets: tuple[str, ...] = ()) -> None:
        self.spec = spec
        self.frame_type = frame_type
        self.secrets = secrets
        self.first_frame: Any = None
        self.received = False  # a frame came on the current connection
        self.fatal = False  # an error frame came: never reconnect
        self.opening: dict[str, object] | None = None
        self.carried: dict[str, object] = {}

    # -- client frames

    def _text(self, data: Mapping[str, object]) -> str:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    def encode(self, frame: Mapping[str, object] | pydantic.BaseModel) -> tuple[str, bool]:
        """The frame's JSON text, and whether it is the session's opening frame (replayed on reconnect)."""
        data = as_mapping(to_jsonable(frame))
        if data is None:
            raise TypeError("A WebSocket frame is a JSON object (a mapping or a model).")
        kind = data.get(self.spec.discriminator)
        ignored = {*self.spec.client_heartbeat, self.spec.close_frame}
        if self.spec.auth == "first_frame":
            ignored.add(self.spec.auth_frame_type)
        opening = self.opening is None and kind not in ignored
        if opening:
            self.opening = dict(data)
        return self._text(data), opening

    def auth_text(self, api_key: str | None) -> str:
        if not api_key:
            raise ConfigurationError(
                "This WebSocket authenticates with the API key: pass api_key=... to the client."
            )
        spec = self.spec
        return self._text({spec.discriminator: spec.auth_frame_type, spec.auth_frame_field: api_key})

    def close_text(self) -> str | None:
        close = self.spec.close_frame
        return None if close is None else self._text({self.spec.discriminator: close})

    def replay_text(self) -> str | None:
        if self.opening is None:
            return None
        return self._text({**self.opening, **self.carried})

    # -- server frames

    def new_connection(self) -> None:
        self.received = False

    def handle(self, message: str | bytes) -> Skip | Frame:
        """What one server message means; raises for error frames and unreadable frames."""
        spec = self.spec
        try:
            text = message.decode("utf-8") if isinstance(message, bytes) else message
            data: object = json.loads(text)
        except ValueError:
            raise WebSocketError("The server sent a frame that is not JSON.", data=message) from None
        name = lookup(data, spec.discriminator)
        kind = None if name is None else str(name)
        if kind is not None and kind in spec.server_heartbeat:
            answer = spec.client_heartbeat[0] if spec.client_heartbeat else None
            return Skip(None if answer is None else self._text({spec.discriminator: answer}))
        first = not self.received
        self.received = True
        if kind is not None and kind in spec.error_frames:
            raise self._error(data, first=first)
        try:
            value = validate_as(self.frame_type, data)
        except pydantic.ValidationError as exc:
            if any(e["type"] == "union_tag_invalid" for e in exc.errors()):
                self.received = not first
                return Skip()
            raise WebSocketError(
                f"The server sent a {kind or 'untyped'!r} frame that does not match its documented type.",
                data=data,
            ) from exc
        self._carry(data)
        return Frame(value, kind is not None and kind in spec.server_terminal)

    def _carry(self, data: object) -> None:
        mapping = as_mapping(data)
        if mapping is None or self.opening is None:
            return
        kind = self.opening.get(self.spec.discriminator)
        for name in self.spec.resume_fields.get(str(kind), ()):
            value = mapping.get(name)
            if value is not None:
                self.carried[name] = value

    def _error(self, data: object, *, first: bool) -> WebSocketError:
        self.fatal = True
        try:
            frame: Any = validate_as(self.frame_type, data)
        except pydantic.ValidationError:
            frame = None
        message = _vendor_message(data) or "The server sent an error frame."
        code = _error_code(data)
        text = message if not code or code in message else f"{message} (code: {code})"
        text = redact_text(text, self.secrets)
        if first:
            return WebSocketAuthenticationError(
                f"The session was refused: {text}", frame=frame, data=data, code=code
            )
        return WebSocketError(text, frame=frame, data=data, code=code)
