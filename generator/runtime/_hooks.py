"""Hooks: callables a client runs before each attempt of a request and after each answer.

A hook gets an event naming the operation as it is called (``client.workflows.run``), the attempt
(``1`` for the first; a retry or a stream's reconnect counts up), and the ``httpx`` request or
response. An event prints with its secrets redacted (credential headers, API-key query parameters,
secret client settings); the request and response inside it are the real ones, unredacted.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from ._logging import Redaction

__all__ = ["Hooks", "RequestEvent", "ResponseEvent", "check_sync_hooks"]


@dataclass(frozen=True, kw_only=True)
class RequestEvent:
    """One attempt about to be sent: passed to :attr:`Hooks.before_request`.

    ``operation`` is the method's dotted call path, ``attempt`` counts from 1. ``request`` is
    the request as it will be sent; a hook may change its headers (``event.request.headers[...]``).
    ``repr()`` and ``str()`` redact its secrets; :meth:`redacted_headers` gives the headers so.
    """

    operation: str
    attempt: int
    request: httpx.Request
    redaction: Redaction = field(default_factory=Redaction, repr=False)

    def redacted_headers(self) -> dict[str, str]:
        """The request's headers with credentials and secret settings replaced by ``***``."""
        return self.redaction.headers_of(self.request.headers)

    def __repr__(self) -> str:
        return (
            f"RequestEvent(operation={self.operation!r}, attempt={self.attempt}, "
            f"request={self.redaction.request(self.request)!r}, headers={self.redacted_headers()!r})"
        )

    __str__ = __repr__


@dataclass(frozen=True, kw_only=True)
class ResponseEvent:
    """One attempt answered, or failed: passed to :attr:`Hooks.after_response`.

    ``response`` is the response (its body already read unless the call streams); it is ``None``
    when the attempt failed without one, and then ``error`` is the connection or timeout error
    (an ``APIConnectionError``, its message redacted). ``elapsed`` is the attempt's time until its
    headers came. ``will_retry`` says whether another attempt follows. ``repr()`` redacts secrets.
    """

    operation: str
    attempt: int
    request: httpx.Request
    response: httpx.Response | None
    elapsed: dt.timedelta
    will_retry: bool = False
    error: Exception | None = None
    redaction: Redaction = field(default_factory=Redaction, repr=False)

    def __repr__(self) -> str:
        from ._exceptions import redact_text

        if self.response is not None:
            outcome = f"response={self.response.status_code}"
        else:
            error = redact_text(f"{type(self.error).__name__}: {self.error}", self.redaction.secrets)
            outcome = f"error={error!r}"
        return (
            f"ResponseEvent(operation={self.operation!r}, attempt={self.attempt}, "
            f"request={self.redaction.request(self.request)!r}, {outcome}, "
            f"elapsed={self.elapsed.total_seconds():.3f}s, will_retry={self.will_retry})"
        )

    __str__ = __repr__


@dataclass(frozen=True, kw_only=True)
class Hooks:
    """Callables a client runs around each attempt of each request: ``Hooks(before_request=...)``.

    ``before_request`` gets a :class:`RequestEvent` before each attempt is sent; ``after_response``
    a :class:`ResponseEvent` after each attempt's answer, a failed connection included. On the async
    client a hook may be ``async`` (it is awaited); the sync client rejects ``async`` hooks. What a
    hook raises propagates out of the call, and the call is not retried.
    """

    before_request: Callable[[RequestEvent], object] | Callable[[RequestEvent], Awaitable[object]] | None = (
        None
    )
    after_response: (
        Callable[[ResponseEvent], object] | Callable[[ResponseEvent], Awaitable[object]] | None
    ) = None


def check_sync_hooks(hooks: Hooks) -> Hooks:
    """``hooks`` when none is ``async``; a ``TypeError`` naming the hook otherwise."""
    for name in ("before_request", "after_response"):
        hook: object = getattr(hooks, name)
        call = type(hook).__call__ if hook is not None else None  # an object with an async __call__
        if hook is not None and (inspect.iscoroutinefunction(hook) or inspect.iscoroutinefunction(call)):
            raise TypeError(
                f"Hooks({name}=...) is an async function, which the sync client cannot await: "
                "pass a plain function, or use the async client."
            )
    return hooks
