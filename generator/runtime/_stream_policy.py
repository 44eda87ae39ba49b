"""How a stream's connections are opened and reopened: the media type check, the read timeout,
and the waits between reconnects (shared by :class:`Stream` and :class:`AsyncStream`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

import httpx

from ._exceptions import APIConnectionError, APIError, APIStatusError, UnexpectedContentTypeError

if TYPE_CHECKING:
    from ._request import CallArgs

__all__ = [
    "ReconnectDelay",
    "Reconnects",
    "acheck_event_stream",
    "check_event_stream",
    "with_stream_read_timeout",
]

_PREVIEW_BYTES = 512
_PREVIEW_CHARS = 200

ReconnectDelay: TypeAlias = Callable[[int, int | None, httpx.Headers | None], float | None]
"""``(failures so far, the SSE ``retry:`` in ms, the failed reconnect's response headers)`` to the
seconds to wait before the next reconnect, or ``None``: do not wait that long, give up."""


def _ended_early(dropped: Exception | None, failures: int) -> str:
    if dropped is None and failures == 0:
        return "Stream ended before a terminal event (and retries are off)."
    return f"Stream dropped and could not be resumed after {failures} attempt(s)."


class Reconnects:
    """The reconnect policy both stream twins share: how long to wait, when to give up.

    ``failures`` counts reconnects since an event last came through; the delay comes from the
    client's one backoff path, given the failed reconnect's response headers (``Retry-After``).
    """

    def __init__(self, max_retries: int, delay: ReconnectDelay, retryable: Callable[[int], bool]) -> None:
        self.failures = 0
        self._max_retries = max_retries
        self._delay = delay
        self._retryable = retryable
        self._dropped: Exception | None = None
        self._headers: httpx.Headers | None = None

    def dropped(self, exc: Exception | None) -> None:
        """The body ended (``exc`` when it broke off); the next wait starts from scratch."""
        self._dropped, self._headers = exc, None

    def next_wait(self, retry_ms: int | None) -> float:
        """Seconds to sleep before the next reconnect; raises when there is to be none."""
        if self.failures >= self._max_retries:
            raise APIConnectionError(_ended_early(self._dropped, self.failures)) from self._dropped
        wait = self._delay(self.failures, retry_ms, self._headers)
        if wait is None:  # the server asks for a longer wait than the client will make
            if isinstance(self._dropped, APIStatusError):
                raise self._dropped
            raise APIConnectionError(_ended_early(self._dropped, self.failures)) from self._dropped
        self.failures += 1
        return wait

    def failed(self, exc: APIError) -> None:
        """A reconnect raised ``exc``: remember it for the next wait, or re-raise it when final."""
        if isinstance(exc, APIStatusError):
            if not self._retryable(exc.status_code):
                raise exc
            self._dropped, self._headers = exc, exc.response.headers
        elif isinstance(exc, APIConnectionError):
            self._dropped, self._headers = exc, None
        else:
            raise exc


def _media_type(response: httpx.Response) -> str | None:
    value = response.headers.get("content-type")
    return None if value is None else value.split(";", 1)[0].strip().lower()


def _content_type_error(response: httpx.Response, head: bytes) -> UnexpectedContentTypeError:
    content_type = response.headers.get("content-type")
    preview = head.decode("utf-8", "replace")
    shown = " ".join(preview.split())
    if len(shown) > _PREVIEW_CHARS:
        shown = shown[: _PREVIEW_CHARS - 3] + "..."
    return UnexpectedContentTypeError(
        f"Expected text/event-stream from a stream operation, got {content_type or 'no content type'} "
        f"({response.status_code}): {shown or '(empty body)'}",
        response=response,
        content_type=content_type,
        body=preview,
    )


def check_event_stream(response: httpx.Response) -> httpx.Response:
    """``response`` when it is ``text/event-stream``; else it is closed and raised as an error.

    A success answered with another media type (a proxy's JSON, an old server) is never an event
    stream, and retrying would not make it one: :class:`UnexpectedContentTypeError` names the
    content type and shows the start of the body.
    """
    if _media_type(response) == "text/event-stream":
        return response
    head = b""
    try:
        for chunk in response.iter_bytes():
            head += chunk
            if len(head) >= _PREVIEW_BYTES:
                break
    except httpx.TransportError:
        pass  # the start read so far is enough to show
    finally:
        response.close()
    raise _content_type_error(response, head[:_PREVIEW_BYTES])


async def acheck_event_stream(response: httpx.Response) -> httpx.Response:
    """The async twin of :func:`check_event_stream`."""
    if _media_type(response) == "text/event-stream":
        return response
    head = b""
    try:
        async for chunk in response.aiter_bytes():
            head += chunk
            if len(head) >= _PREVIEW_BYTES:
                break
    except httpx.TransportError:
        pass  # the start read so far is enough to show
    finally:
        await response.aclose()
    raise _content_type_error(response, head[:_PREVIEW_BYTES])


def with_stream_read_timeout(call: CallArgs, client_timeout: httpx.Timeout, read: float | None) -> CallArgs:
    """``call`` with ``read`` as its read timeout; connect, write and pool stay the call's (or client's).

    Servers keep a quiet stream open with keepalives far apart, so a stream waits for its next
    bytes longer than a request waits for its answer.
    """
    from ._config import resolve_timeout

    base = resolve_timeout(call.options.timeout, client_timeout)
    timeout = httpx.Timeout(connect=base.connect, read=read, write=base.write, pool=base.pool)
    return call.replace(options=dataclasses.replace(call.options, timeout=timeout))
