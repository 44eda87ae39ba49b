"""Verifying signed webhook deliveries (``x-webhook-signature``) and parsing their typed events.

:func:`unwrap_webhook` checks, in this order: the headers are there; the HMAC-SHA256 signature of
the signed payload (the spec's template, e.g. ``v1.{delivery_id}.{timestamp}.{body}``, over the raw
body bytes) matches one of the signatures in the header for one of the secrets, compared in constant
time; the timestamp is within the tolerance of now; the delivery was not seen before (a replay
cache keyed by delivery id). Then it parses the body with the event type. Each failure is its own
:class:`WebhookVerificationError` subclass. Standard library and pydantic only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

import pydantic

from ._exceptions import APIError, ConfigurationError
from ._models import validate_as
from ._types import NOT_GIVEN, NotGiven
from ._utils import lookup

__all__ = [
    "ReplayCache",
    "WebhookHeaderError",
    "WebhookHeaders",
    "WebhookPayloadError",
    "WebhookReplayCache",
    "WebhookReplayError",
    "WebhookSecret",
    "WebhookSignatureError",
    "WebhookSpec",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "signed_payload",
    "unwrap_webhook",
    "verify_webhook",
]

WebhookHeaders: TypeAlias = Mapping[str, str]
"""The headers of a delivery: any mapping (a framework's request headers); names in any case."""

WebhookSecret: TypeAlias = str | bytes | Sequence[str | bytes]
"""One signing secret, or several (any of them may have signed the delivery, e.g. during a rotation)."""

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PAYLOAD_NAMES = frozenset({"body", "timestamp", "delivery_id", "id"})
_NO_EXPIRY_TTL = 24 * 3600.0


@dataclass(frozen=True, kw_only=True)
class WebhookSpec:
    """How an API signs its webhook deliveries.

    ``signed_payload`` is a template over ``{body}`` (the raw body bytes), ``{timestamp}`` (the
    timestamp header as sent) and ``{delivery_id}`` (or ``{id}``: the id header). The signature
    header holds ``signature_prefix`` + the hex HMAC-SHA256 digest (several may be listed, separated
    by commas or spaces). ``secret_encoding`` (``base64``, ``hex`` or ``utf-8``) says how a secret
    given as text becomes the key; ``secret_env`` names the environment variable read when no secret
    is passed.
    """

    signed_payload: str = "{body}"
    signature_header: str
    signature_prefix: str = ""
    timestamp_header: str | None = None
    id_header: str | None = None
    secret_encoding: str = "utf-8"
    tolerance_seconds: float = 300.0
    event_type_field: str = "type"
    secret_env: str | None = None


# ---- errors -------------------------------------------------------------------------------------------


class WebhookVerificationError(APIError):
    """The delivery cannot be trusted: answer it with a 4xx and do not act on it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class WebhookHeaderError(WebhookVerificationError):
    """A signature, timestamp or delivery id header is missing or malformed."""


class WebhookSignatureError(WebhookVerificationError):
    """No signature in the header matches the body for the secret(s)."""


class WebhookTimestampError(WebhookVerificationError):
    """The delivery's timestamp is further from now than the tolerance (a stale or future delivery)."""


class WebhookReplayError(WebhookVerificationError):
    """This delivery id was accepted before: a replay (or a redelivery of a handled event)."""

    delivery_id: str

    def __init__(self, message: str, *, delivery_id: str) -> None:
        super().__init__(message)
        self.delivery_id = delivery_id


class WebhookPayloadError(APIError):
    """The delivery is authentic but its body is not an event this package knows.

    ``event_type`` is the body's event type (when it has one) and ``payload`` its parsed JSON
    (``None`` when it is not JSON). A newer event type than the package knows is reported this way:
    acknowledge it (2xx) if you do not handle it.
    """

    event_type: str | None
    payload: object

    def __init__(self, message: str, *, event_type: str | None = None, payload: object = None) -> None:
        super().__init__(message)
        self.event_type = event_type
        self.payload = payload


# ---- replay cache -----------------------------------------------------------------------------------


class ReplayCache(Protocol):
    """What guards against replays: anything with ``claim`` (e.g. a Redis ``SET key 1 NX EX ttl``)."""

    def claim(self, key: str, *, now: float, ttl: float) -> bool:
        """Remember ``key`` for ``ttl`` seconds from ``now``; False when it is already remembered."""
        ...


class WebhookReplayCache:
    """An in-memory, thread-safe replay cache holding at most ``max_entries`` delivery ids.

    Ids are forgotten once their time-to-live has passed (the timestamp check rejects those
    deliveries anyway), and the oldest ones first when the cache is full. Share one instance between
    clients, or pass your own :class:`ReplayCache` to share it between processes.
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str, *, now: float, ttl: float) -> bool:
        with self._lock:
            self._purge(now)
            expires = self._expiry.get(key)
            if expires is not None and expires > now:
                return False
            self._expiry[key] = now + ttl
            self._expiry.move_to_end(key)
            while len(self._expiry) > self.max_entries:
                self._expiry.popitem(last=False)
            return True

    def discard(self, key: str) -> None:
        """Forget ``key`` (e.g. when handling the delivery failed and a redelivery should be accepted)."""
        with self._lock:
            self._expiry.pop(key, None)

    def _purge(self, now: float) -> None:
        expired = [key for key, expires in self._expiry.items() if expires <= now]
        for key in expired:
            del self._expiry[key]

    def __len__(self) -> int:
        return len(self._expiry)

    def __contains__(self, key: object) -> bool:
        return key in self._expiry


DEFAULT_REPLAY_CACHE = WebhookReplayCache()
"""The cache ``unwrap`` uses when none is passed: one per process (and package)."""


# ---- verification -----------------------------------------------------------------------------------


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value.strip() if isinstance(value, str) else None


def _required(headers: Mapping[str, str], name: str) -> str:
    value = _header(headers, name)
    if not value:
        raise WebhookHeaderError(f"The {name} header is missing.")
    return value


def signed_payload(template: str, *, body: bytes, timestamp: str | None, delivery_id: str | None) -> bytes:
    """The bytes the signature covers: ``template`` with its placeholders filled (``{body}`` raw)."""
    out = bytearray()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        out += template[position : match.start()].encode("utf-8")
        name = match.group(1)
        if name == "body":
            out += body
        elif name == "timestamp":
            if timestamp is None:
                raise ValueError("the signed payload uses {timestamp} but there is no timestamp header")
            out += timestamp.encode("utf-8")
        elif name in ("delivery_id", "id"):
            if delivery_id is None:
                raise ValueError("the signed payload uses {delivery_id} but there is no id header")
            out += delivery_id.encode("utf-8")
        else:
            raise ValueError(
                f"unknown placeholder {{{name}}} in the signed payload (known: {sorted(_PAYLOAD_NAMES)})"
            )
        position = match.end()
    out += template[position:].encode("utf-8")
    return bytes(out)


def _key(secret: str | bytes, encoding: str) -> bytes:
    if isinstance(secret, bytes):
        return secret
    text = secret.strip()
    try:
        if encoding == "base64":
            text = text.replace("-", "+").replace("_", "/")
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        if encoding == "hex":
            return bytes.fromhex(text)
    except (binascii.Error, ValueError):
        raise ConfigurationError(f"The webhook secret is not valid {encoding}.") from None
    return text.encode("utf-8")


def _keys(spec: WebhookSpec, secret: WebhookSecret | None) -> list[bytes]:
    if secret is None:
        secret = os.environ.get(spec.secret_env) if spec.secret_env else None
        if not secret:
            where = f" or set the {spec.secret_env} environment variable" if spec.secret_env else ""
            raise ConfigurationError(f"Verifying a webhook needs its signing secret: pass secret=...{where}.")
    secrets = [secret] if isinstance(secret, str | bytes) else list(secret)
    if not secrets:
        raise ConfigurationError("Verifying a webhook needs at least one signing secret.")
    return [_key(s, spec.secret_encoding) for s in secrets]


def _signatures(header: str, prefix: str) -> list[str]:
    found: list[str] = []
    for part in re.split(r"[,\s]+", header):
        if not part:
            continue
        if prefix:
            if not part.startswith(prefix):
                continue
            part = part[len(prefix) :]
        found.append(part.lower())
    return found


def _now(now: float | dt.datetime | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, dt.datetime):
        return now.timestamp()
    return float(now)


def verify_webhook(
    spec: WebhookSpec,
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: WebhookSecret | None = None,
    tolerance: float | None = None,
    now: float | dt.datetime | None = None,
    replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN,
) -> bytes:
    """Check a delivery (headers, signature, timestamp, replay) and return its raw body.

    ``replay_cache=None`` skips the replay check; ``NOT_GIVEN`` uses :data:`DEFAULT_REPLAY_CACHE`.
    """
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    signature_header = _required(headers, spec.signature_header)
    timestamp = _required(headers, spec.timestamp_header) if spec.timestamp_header else None
    delivery_id = _required(headers, spec.id_header) if spec.id_header else None
    keys = _keys(spec, secret)
    candidates = _signatures(signature_header, spec.signature_prefix)
    if not candidates:
        raise WebhookHeaderError(
            f"The {spec.signature_header} header holds no {spec.signature_prefix or ''}signature."
        )
    message = signed_payload(spec.signed_payload, body=raw, timestamp=timestamp, delivery_id=delivery_id)
    expected = [hmac.new(key, message, hashlib.sha256).hexdigest() for key in keys]
    matched = False
    for candidate in candidates:
        for digest in expected:
            matched |= hmac.compare_digest(candidate.encode("ascii", "replace"), digest.encode("ascii"))
    if not matched:
        raise WebhookSignatureError("The webhook signature does not match the body for the signing secret.")
    current = _now(now)
    limit = spec.tolerance_seconds if tolerance is None else tolerance
    if timestamp is not None:
        try:
            sent_at = float(timestamp)
        except ValueError:
            raise WebhookHeaderError(f"The {spec.timestamp_header} header is not a Unix time.") from None
        if not abs(current - sent_at) <= limit:
            raise WebhookTimestampError(
                f"The webhook timestamp is {abs(current - sent_at):.0f} s from now (tolerance {limit:g} s)."
            )
    cache = DEFAULT_REPLAY_CACHE if isinstance(replay_cache, NotGiven) else replay_cache
    if cache is not None:
        key = delivery_id if delivery_id is not None else signature_header
        ttl = 2 * limit if timestamp is not None and limit < _NO_EXPIRY_TTL else _NO_EXPIRY_TTL
        if not cache.claim(key, now=current, ttl=ttl):
            shown = f"delivery {delivery_id}" if delivery_id is not None else "delivery"
            raise WebhookReplayError(f"The webhook {shown} was received before.", delivery_id=key)
    return raw


def unwrap_webhook(
    spec: WebhookSpec,
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    event_type: object,
    secret: WebhookSecret | None = None,
    tolerance: float | None = None,
    now: float | dt.datetime | None = None,
    replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN,
) -> Any:
    """Verify a delivery (see :func:`verify_webhook`) and return its body parsed as ``event_type``."""
    raw = verify_webhook(
        spec, body, headers, secret=secret, tolerance=tolerance, now=now, replay_cache=replay_cache
    )
    try:
        payload: object = json.loads(raw)
    except ValueError:
        raise WebhookPayloadError("The webhook body is not JSON.") from None
    name = lookup(payload, spec.event_type_field)
    kind = None if name is None else str(name)
    try:
        return validate_as(event_type, payload)
    except pydantic.ValidationError as exc:
        unknown = any(e["type"] == "union_tag_invalid" for e in exc.errors())
        errors = exc.error_count()
        message = (
            f"Unknown webhook event type {kind!r}."
            if unknown
            else f"The webhook body does not match its {kind or 'event'!r} type ({errors} error(s))."
        )
        raise WebhookPayloadError(message, event_type=kind, payload=payload) from exc
