"""When a failed attempt is tried again, and how long to wait first."""

from __future__ import annotations

import random

import httpx

from ._headers import parse_retry_after
from ._spec import DEFAULT_RETRY_STATUSES
from ._types import RetryPolicy

__all__ = [
    "DEFAULT_RETRY_STATUSES",
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "backoff_delay",
    "is_retryable_status",
    "may_retry_exception",
    "may_retry_status",
    "never_reached_server",
]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})


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


def is_retryable_status(status: int, statuses: frozenset[int] = DEFAULT_RETRY_STATUSES) -> bool:
    """Whether a response with ``status`` is worth trying again (``statuses``: the API's)."""
    return status in statuses


def may_retry_status(status: int, *, statuses: frozenset[int], retry_safe: bool, replayable: bool) -> bool:
    """Whether an attempt answered with ``status`` may be repeated (``statuses``: the API's)."""
    return retry_safe and replayable and is_retryable_status(status, statuses)


def backoff_delay(retries_taken: int, headers: httpx.Headers | None, policy: RetryPolicy) -> float | None:
    """Seconds to sleep before the next attempt, or ``None`` when the server asks for too long.

    A positive ``retry-after-ms`` / ``Retry-After`` up to ``policy.max_retry_after`` is obeyed as
    is, and a longer one gives ``None`` (do not retry); otherwise the wait is
    ``initial_delay * 2**retries_taken`` capped at ``max_delay``, shortened by up to ``jitter``.
    ``policy`` must have every field set.
    """
    if headers is not None:
        advised = parse_retry_after(headers)
        if advised is not None and advised > 0:
            return advised if advised <= (policy.max_retry_after or 0.0) else None
    base = min((policy.initial_delay or 0.0) * (2.0**retries_taken), policy.max_delay or 0.0)
    return base * (1.0 - (policy.jitter or 0.0) * random.random())
