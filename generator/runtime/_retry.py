"""When a failed attempt is tried again, and how long to wait first."""

from __future__ import annotations

import random

import httpx

from ._headers import parse_retry_after

__all__ = [
    "IDEMPOTENT_METHODS",
    "backoff_delay",
    "is_retryable_status",
    "may_retry_exception",
    "may_retry_status",
    "never_reached_server",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_RETRYABLE_STATUSES = frozenset({408, 409, 429})
_MAX_RETRY_AFTER = 60.0


def is_retryable_status(status: int) -> bool:
    """408, 409, 429 and every 5xx."""
    return status in _RETRYABLE_STATUSES or status >= 500


def never_reached_server(exc: BaseException) -> bool:
    """True when the request provably was not sent: no connection, or no pooled connection."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError)


def may_retry_exception(exc: BaseException, *, retry_safe: bool, replayable: bool) -> bool:
    """Whether an attempt that raised ``exc`` may be repeated.

    ``retry_safe`` is true for idempotent methods and requests carrying an idempotency key;
    anything else is repeated only when the server never saw it.
    """
    if never_reached_server(exc):
        return True
    return retry_safe and replayable and _transient(exc)


def may_retry_status(status: int, *, retry_safe: bool, replayable: bool) -> bool:
    """Whether an attempt answered with ``status`` may be repeated."""
    return retry_safe and replayable and is_retryable_status(status)


def backoff_delay(
    retries_taken: int,
    headers: httpx.Headers | None,
    *,
    initial: float,
    maximum: float,
) -> float:
    """Seconds to sleep before the next attempt.

    A server ``retry-after-ms`` / ``Retry-After`` between 0 and 60 s is obeyed as is; otherwise
    ``initial * 2**retries_taken`` capped at ``maximum``, reduced by up to 25 % of jitter.
    """
    if headers is not None:
        advised = parse_retry_after(headers)
        if advised is not None and 0 < advised <= _MAX_RETRY_AFTER:
            return advised
    base = min(initial * (2.0**retries_taken), maximum)
    return base * (1.0 - 0.25 * random.random())
