"""Reading response metadata: request ids, ``Retry-After`` and rate-limit headers."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from ._utils import as_mapping

__all__ = ["RateLimitInfo", "find_request_id", "parse_rate_limit", "parse_retry_after"]

_BODY_REQUEST_ID_KEYS = ("requestId", "request_id")


def parse_retry_after(headers: httpx.Headers) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` (seconds or an HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(moment.timestamp() - time.time(), 0.0)


def find_request_id(headers: httpx.Headers, body: object, names: Iterable[str]) -> str | None:
    """The request id from the first header of ``names`` present, else from the body.

    The body is searched for ``requestId``/``request_id`` at top level and one level down
    (``{"error": {"requestId": ...}}``).
    """
    for name in names:
        value: str | None = headers.get(name)
        if value:
            return value
    top = as_mapping(body)
    if top is None:
        return None
    levels = [top, *(m for m in map(as_mapping, top.values()) if m is not None)]
    for level in levels:
        for key in _BODY_REQUEST_ID_KEYS:
            found = level.get(key)
            if isinstance(found, str | int) and not isinstance(found, bool):
                return str(found)
    return None


@dataclass(frozen=True)
class RateLimitInfo:
    """Rate-limit state reported by the server; every field is ``None`` when not sent.

    ``reset`` is the number as the server sent it (seconds until reset, or a Unix time,
    depending on the vendor); ``retry_after`` is in seconds.
    """

    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    retry_after: float | None = None


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip().split(",")[0].split(";")[0])
    except ValueError:
        return None


def _integer(value: float | None) -> int | None:
    return None if value is None else int(value)


def parse_rate_limit(headers: httpx.Headers) -> RateLimitInfo:
    """Parse ``X-RateLimit-*``, ``RateLimit-*``, the combined ``RateLimit`` and ``Retry-After``."""
    fields: dict[str, float | None] = {}
    for name in ("limit", "remaining", "reset"):
        fields[name] = _number(headers.get(f"x-ratelimit-{name}"))
        if fields[name] is None:
            fields[name] = _number(headers.get(f"ratelimit-{name}"))
    combined = headers.get("ratelimit")
    if combined:
        for part in combined.replace(";", ",").split(","):
            key, _, raw = part.strip().partition("=")
            key = key.strip().lower()
            if key in ("limit", "remaining", "reset") and fields.get(key) is None:
                fields[key] = _number(raw)
            elif key in ("r", "t") and raw:
                target = "remaining" if key == "r" else "reset"
                if fields.get(target) is None:
                    fields[target] = _number(raw)
    return RateLimitInfo(
        limit=_integer(fields["limit"]),
        remaining=_integer(fields["remaining"]),
        reset=fields["reset"],
        retry_after=parse_retry_after(headers),
    )
