"""What sync and async WebSocket sessions share: the upgrade request, opening errors, reconnect rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar, Generic, Literal, TypeVar, cast
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import httpx

from ._base_client import BaseAPIClient
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    redact_text,
)
from ._logging import redact_url
from ._request import CallArgs, prepare
from ._types import NOT_GIVEN, Headers, Query, RequestOptions, TimeoutInput
from ._websocket import (
    NORMAL_CLOSURE,
    RECONNECT_CODES,
    Frames,
    Target,
    WebSocketClosedError,
    WebSocketSpec,
    close_info,
    library,
)

__all__ = ["NORMAL_CLOSURE", "SessionBase"]

F = TypeVar("F")


class SessionBase(Generic[F]):
    """Configuration shared by :class:`WebSocketSession` and :class:`AsyncWebSocketSession`."""

    server_frames: ClassVar[object] = object
    """The type server frames are parsed with (a generated package sets its frame union)."""
    MAX_FRAME_BYTES: ClassVar[int] = 16 * 1024 * 1024

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
        self._client = client
        self._spec = spec
        operation = replace(spec.operation, auth=spec.operation.auth and spec.auth == "header")
        self._call = CallArgs(
            operation=operation,
            path_params=path_params or {},
            query=query or {},
            headers=headers or {},
            settings=settings or {},
            options=RequestOptions(extra_headers=extra_headers, extra_query=extra_query, timeout=timeout),
        )
        self._frames = Frames(spec, type(self).server_frames)
        self._cached_target: Target | None = None
        self._state: Literal["new", "open", "closing", "closed"] = "new"
        self.reconnects = 0
        self._drops = 0  # drops since the last frame received: a reconnect loop gives up after max_retries
        """How many times the session reopened a dropped connection."""
        self.close_code: int | None = None
        """The code of the close frame that ended the connection, once it ended."""
        self.close_reason = ""

    @property
    def first_frame(self) -> F | None:
        """The server's answer to the authentication frame (``first_frame`` auth), once open."""
        return cast("F | None", self._frames.first_frame)

    @property
    def is_open(self) -> bool:
        return self._state == "open"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self._spec.operation.path!r}, state={self._state!r})"

    def _target(self) -> Target:
        if self._cached_target is not None:
            return self._cached_target
        client = self._client
        prepared = prepare(self._call, spec=client._spec, config=client._config, accept="application/json")
        parts = urlsplit(prepared.url)
        scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
        url = urlunsplit((scheme, parts.netloc, parts.path, urlencode(prepared.params, quote_via=quote), ""))
        headers = [(k, v) for k, v in prepared.headers.items() if k.lower() not in ("accept", "user-agent")]
        agent = next((v for k, v in prepared.headers.items() if k.lower() == "user-agent"), None)
        api_key = client.api_key
        secrets = prepared.secrets
        if self._spec.auth == "first_frame" and api_key:
            secrets = (*secrets, api_key)
        self._frames.secrets = secrets
        prepared.secrets = secrets
        self._cached_target = Target(
            url=url,
            shown_url=redact_url(httpx.URL(url), prepared.sensitive_params),
            headers=headers,
            user_agent=agent,
            open_timeout=prepared.timeout.connect,
            prepared=prepared,
            api_key=api_key,
        )
        return self._cached_target

    def _connect_kwargs(self, target: Target) -> dict[str, Any]:
        return {
            "additional_headers": target.headers,
            "user_agent_header": target.user_agent,
            "open_timeout": target.open_timeout,
            "max_size": self.MAX_FRAME_BYTES,
        }

    def _open_error(self, exc: BaseException, target: Target) -> APIError:
        """The typed error for a failed opening handshake."""
        lib = library()
        secrets = target.prepared.secrets
        if isinstance(exc, lib.invalid_status):
            raw: Any = getattr(exc, "response", None)
            headers: Any = getattr(raw, "headers", None)
            items = list(headers.raw_items()) if headers is not None else []
            body = getattr(raw, "body", None)
            response = httpx.Response(
                int(getattr(raw, "status_code", 500)),
                headers=items,
                content=bytes(body) if isinstance(body, bytes | bytearray) else b"",
                request=httpx.Request("GET", target.prepared.url),
            )
            return self._client._status_error(self._call.operation, target.prepared, response)
        detail = redact_text(f"{type(exc).__name__}: {exc}", secrets)
        if isinstance(exc, TimeoutError):
            return APITimeoutError(f"Opening the WebSocket timed out ({detail}).")
        if isinstance(exc, lib.invalid_uri):
            return ConfigurationError(f"Not a WebSocket URL: {target.shown_url} ({detail}).")
        return APIConnectionError(f"Could not open the WebSocket ({detail}).")

    def _give_up(self, error: APIError, attempt: int) -> bool:
        """Whether an opening failure is final (``attempt`` retries were already made)."""
        if attempt >= self._client.max_retries:
            return True
        if isinstance(error, WebSocketClosedError):
            return not error.retryable
        if isinstance(error, APIStatusError):
            client = self._client
            if not client._retryable_status(error.status_code):
                return True
            # a server asking for a longer wait than the client's cap gets its error at once
            return client._retry_delay(attempt, error.response.headers) is None
        return not isinstance(error, APIConnectionError)

    def _delay(self, attempt: int, error: APIError | None) -> float:
        headers = error.response.headers if isinstance(error, APIStatusError) else None
        return self._client._retry_delay(attempt, headers) or 0.0

    def _ended(self, exc: BaseException) -> tuple[int | None, str]:
        code, reason = close_info(exc)
        self.close_code, self.close_reason = (1006 if code is None else code), reason
        return code, reason

    def _may_reconnect(self, code: int | None) -> bool:
        """Whether to reopen after a drop (counting it): the policy allows it and retries are left."""
        if not (self._spec.reconnects and not self._frames.fatal and self._state == "open"):
            return False
        if code is not None and code not in RECONNECT_CODES:
            return False
        self._drops += 1
        return self._drops <= self._client.max_retries
