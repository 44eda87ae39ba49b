"""Verifying signed webhook deliveries (``x-webhook-signature``), parsing their events, signing test ones.

:func:`verify_webhook` checks, in this order: the signing secret(s) are usable keys (a
:class:`~._exceptions.ConfigurationError` otherwise); the headers are there; the signature version,
where the API sends one, is one this package verifies; the HMAC-SHA256 signature of the signed
payload (the spec's template, e.g. ``v1.{delivery_id}.{timestamp}.{body}``, over the raw body bytes)
matches one of the signatures in the header for the secret the delivery names (its secret ref and
version headers, when the secrets are given keyed by them) or for any of the secrets, compared in
constant time; the timestamp is within the tolerance of now; the delivery was not handed over before
(a replay cache keyed by delivery id). It returns the verified body bytes. :func:`unwrap_webhook`
runs the same checks, parses the body with the event type, and only then remembers the delivery id,
so a delivery that is not a known event is not refused as a replay when it comes again;
:func:`release_webhook` forgets an id again when handling the delivery failed. :func:`sign_webhook`
makes the headers of a correctly signed delivery, for testing an endpoint. Each failure is its own
:class:`WebhookVerificationError` subclass. Standard library and pydantic only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from ._exceptions import ConfigurationError
from ._models import validate_as
from ._types import NOT_GIVEN, NotGiven
from ._utils import lookup
from ._webhook_keys import (
    DEFAULT_REPLAY_CACHE,
    ReplayCache,
    WebhookKeyId,
    WebhookReplayCache,
    WebhookSecret,
    decode_key,
    keyring,
    secret_or_env,
    select_keys,
)
from ._webhook_spec import (
    WebhookHeaderError,
    WebhookHeaders,
    WebhookPayloadError,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookSpec,
    WebhookTimestampError,
    WebhookVerificationError,
    required_header,
)

__all__ = [
    "ReplayCache",
    "WebhookHeaderError",
    "WebhookHeaders",
    "WebhookKeyId",
    "WebhookPayloadError",
    "WebhookReplayCache",
    "WebhookReplayError",
    "WebhookSecret",
    "WebhookSignatureError",
    "WebhookSpec",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "release_webhook",
    "sign_webhook",
    "signed_payload",
    "unwrap_webhook",
    "verify_webhook",
]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PAYLOAD_NAMES = frozenset({"body", "timestamp", "delivery_id", "id"})
_NO_EXPIRY_TTL = 24 * 3600.0

# ---- verification -----------------------------------------------------------------------------------


def _text(value: str) -> bytes:
    return value.encode("utf-8", "surrogateescape")


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
            out += _text(timestamp)
        elif name in ("delivery_id", "id"):
            if delivery_id is None:
                raise ValueError("the signed payload uses {delivery_id} but there is no id header")
            out += _text(delivery_id)
        else:
            raise ValueError(
                f"unknown placeholder {{{name}}} in the signed payload (known: {sorted(_PAYLOAD_NAMES)})"
            )
        position = match.end()
    out += template[position:].encode("utf-8")
    return bytes(out)


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


def _raw(body: bytes | str) -> bytes:
    return _text(body) if isinstance(body, str) else bytes(body)


def _replay_key(spec: WebhookSpec, headers: Mapping[str, str]) -> str:
    """What the replay cache remembers: the delivery id, or the signature header without an id header."""
    return required_header(headers, spec.id_header or spec.signature_header)


def _cache(replay_cache: ReplayCache | NotGiven | None) -> ReplayCache | None:
    return DEFAULT_REPLAY_CACHE if isinstance(replay_cache, NotGiven) else replay_cache


@dataclass(frozen=True)
class _Verified:
    raw: bytes
    key: str
    now: float
    ttl: float


def _verify(
    spec: WebhookSpec,
    body: bytes | str,
    headers: Mapping[str, str],
    secret: WebhookSecret | None,
    tolerance: float | None,
    now: float | dt.datetime | None,
) -> _Verified:
    """Every check but the replay check: what the replay check then needs."""
    ring = keyring(spec, secret)
    raw = _raw(body)
    signature_header = required_header(headers, spec.signature_header)
    if spec.signature_version_header:
        version = required_header(headers, spec.signature_version_header)
        if spec.signature_versions and version not in spec.signature_versions:
            raise WebhookHeaderError(
                f"The {spec.signature_version_header} header is {version!r}; this package verifies "
                f"{' or '.join(spec.signature_versions)} signatures."
            )
    timestamp = required_header(headers, spec.timestamp_header) if spec.timestamp_header else None
    delivery_id = required_header(headers, spec.id_header) if spec.id_header else None
    keys = select_keys(spec, ring, headers)
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
    ttl = 2 * limit if timestamp is not None and limit < _NO_EXPIRY_TTL else _NO_EXPIRY_TTL
    key = delivery_id if delivery_id is not None else signature_header
    return _Verified(raw, key, current, ttl)


def _claim(verified: _Verified, replay_cache: ReplayCache | NotGiven | None, has_id: bool) -> None:
    cache = _cache(replay_cache)
    if cache is not None and not cache.claim(verified.key, now=verified.now, ttl=verified.ttl):
        shown = f"delivery {verified.key}" if has_id else "delivery"
        raise WebhookReplayError(f"The webhook {shown} was received before.", delivery_id=verified.key)


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
    """Check a delivery (secret, headers, signature, timestamp, replay) and return its raw body.

    The delivery id is remembered when this returns; :func:`release_webhook` forgets it again.
    ``replay_cache=None`` skips the replay check; ``NOT_GIVEN`` uses :data:`DEFAULT_REPLAY_CACHE`.
    """
    verified = _verify(spec, body, headers, secret, tolerance, now)
    _claim(verified, replay_cache, spec.id_header is not None)
    return verified.raw


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
    """Verify a delivery (see :func:`verify_webhook`) and return its body parsed as ``event_type``.

    The delivery id is remembered only once the body parsed: a :class:`WebhookPayloadError` leaves it
    unclaimed.
    """
    verified = _verify(spec, body, headers, secret, tolerance, now)
    try:
        payload: object = json.loads(verified.raw)
    except ValueError:
        raise WebhookPayloadError("The webhook body is not JSON.") from None
    name = lookup(payload, spec.event_type_field)
    kind = None if name is None else str(name)
    try:
        event = validate_as(event_type, payload)
    except pydantic.ValidationError as exc:
        unknown = any(e["type"] == "union_tag_invalid" for e in exc.errors())
        errors = exc.error_count()
        message = (
            f"Unknown webhook event type {kind!r}."
            if unknown
            else f"The webhook body does not match its {kind or 'event'!r} type ({errors} error(s))."
        )
        raise WebhookPayloadError(message, event_type=kind, payload=payload) from exc
    _claim(verified, replay_cache, spec.id_header is not None)
    return event


def release_webhook(
    spec: WebhookSpec,
    headers: Mapping[str, str],
    *,
    replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN,
) -> None:
    """Forget the delivery id of ``headers`` (handling it failed), so the sender's redelivery is accepted.

    Call it only for a delivery that :func:`unwrap_webhook` or :func:`verify_webhook` handed over,
    with the same ``replay_cache``; it does nothing when ``replay_cache`` is None.
    """
    cache = _cache(replay_cache)
    if cache is not None:
        cache.release(_replay_key(spec, headers))


def sign_webhook(
    spec: WebhookSpec,
    body: bytes | str,
    *,
    secret: str | bytes | None = None,
    timestamp: float | dt.datetime | None = None,
    delivery_id: str | None = None,
    secret_ref: str | None = None,
    secret_version: str | int | None = None,
) -> dict[str, str]:
    """The headers of a correctly signed delivery of ``body``, as the API would send them (for tests).

    ``timestamp`` defaults to now and ``delivery_id`` to a random id; ``secret`` takes the same forms
    as for verifying (and the same environment variable). The signature version header, when the API
    has one, carries its first accepted version; ``secret_ref`` and ``secret_version`` are sent in
    their headers when given.
    """
    given = secret_or_env(spec, secret)
    if not isinstance(given, str | bytes):
        raise ConfigurationError("Signing a webhook takes one secret (text or bytes).")
    signing_key = decode_key(given, spec)
    stamp = str(int(_now(timestamp)))
    delivery = delivery_id if delivery_id is not None else "wh_" + secrets.token_hex(12)
    message = signed_payload(
        spec.signed_payload,
        body=_raw(body),
        timestamp=stamp if spec.timestamp_header else None,
        delivery_id=delivery if spec.id_header else None,
    )
    headers = {
        spec.signature_header: spec.signature_prefix
        + hmac.new(signing_key, message, hashlib.sha256).hexdigest()
    }
    if spec.signature_version_header and spec.signature_versions:
        headers[spec.signature_version_header] = spec.signature_versions[0]
    if spec.timestamp_header:
        headers[spec.timestamp_header] = stamp
    if spec.id_header:
        headers[spec.id_header] = delivery
    if spec.secret_ref_header and secret_ref is not None:
        headers[spec.secret_ref_header] = secret_ref
    if spec.secret_version_header and secret_version is not None:
        headers[spec.secret_version_header] = str(secret_version)
    return headers
