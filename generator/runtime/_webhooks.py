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

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
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

WebhookHeaders: TypeAlias = Mapping[str, str]
"""The headers of a delivery: any mapping (a framework's request headers); names in any case."""

WebhookKeyId: TypeAlias = str | int | tuple[str, str | int]
"""Which key signed a delivery: a secret version, a secret ref, or a ``(secret ref, secret version)`` pair."""

WebhookSecret: TypeAlias = str | bytes | Sequence[str | bytes] | Mapping[WebhookKeyId, str | bytes]
"""One signing secret; several (any of them may have signed the delivery, e.g. during a rotation); or
secrets keyed by the secret ref and/or version the delivery names in its headers."""

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PAYLOAD_NAMES = frozenset({"body", "timestamp", "delivery_id", "id"})
_NO_EXPIRY_TTL = 24 * 3600.0
_ENCODINGS = ("base64", "hex", "utf-8")


@dataclass(frozen=True, kw_only=True)
class WebhookSpec:
    """How an API signs its webhook deliveries.

    ``signed_payload`` is a template over ``{body}`` (the raw body bytes), ``{timestamp}`` (the
    timestamp header as sent) and ``{delivery_id}`` (or ``{id}``: the id header). The signature
    header holds ``signature_prefix`` + the hex HMAC-SHA256 digest (several may be listed, separated
    by commas or spaces). ``secret_encoding`` (``base64``, ``hex`` or ``utf-8``) says how a secret
    given as text becomes the key (bytes are the key itself); ``secret_lengths`` lists the key
    lengths in bytes the API issues (empty: any); ``secret_env`` names the environment variable read
    when no secret is passed. ``signature_version_header`` names the header carrying the signature
    scheme version, which must be one of ``signature_versions``; ``secret_ref_header`` and
    ``secret_version_header`` name the headers saying which secret signed the delivery.
    """

    signed_payload: str = "{body}"
    signature_header: str
    signature_prefix: str = ""
    timestamp_header: str | None = None
    id_header: str | None = None
    secret_encoding: str = "utf-8"
    secret_lengths: tuple[int, ...] = ()
    tolerance_seconds: float = 300.0
    event_type_field: str = "type"
    secret_env: str | None = None
    signature_version_header: str | None = None
    signature_versions: tuple[str, ...] = ()
    secret_ref_header: str | None = None
    secret_version_header: str | None = None


# ---- errors -------------------------------------------------------------------------------------------


class WebhookVerificationError(APIError):
    """The delivery cannot be trusted: answer it with a 4xx and do not act on it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class WebhookHeaderError(WebhookVerificationError):
    """A signature, signature version, timestamp, delivery id or secret header is missing or malformed."""


class WebhookSignatureError(WebhookVerificationError):
    """No signature in the header matches the body for the secret(s), or no secret is the one named."""


class WebhookTimestampError(WebhookVerificationError):
    """The delivery's timestamp is further from now than the tolerance (a stale or future delivery)."""


class WebhookReplayError(WebhookVerificationError):
    """This delivery id was handed over before: a replay, or a redelivery of a handled event.

    A sender that redelivers until it gets a 2xx answer expects one for a redelivery of an event
    you handled already.
    """

    delivery_id: str

    def __init__(self, message: str, *, delivery_id: str) -> None:
        super().__init__(message)
        self.delivery_id = delivery_id


class WebhookPayloadError(APIError):
    """The delivery is authentic but its body is not an event this package knows.

    ``event_type`` is the body's event type (when it has one) and ``payload`` its parsed JSON
    (``None`` when it is not JSON). A newer event type than the package knows is reported this way:
    acknowledge it (2xx) if you do not handle it. Its delivery id is not remembered, so a
    redelivery is verified and parsed again.
    """

    event_type: str | None
    payload: object

    def __init__(self, message: str, *, event_type: str | None = None, payload: object = None) -> None:
        super().__init__(message)
        self.event_type = event_type
        self.payload = payload


# ---- replay cache -----------------------------------------------------------------------------------


class ReplayCache(Protocol):
    """What guards against replays: ``claim`` and ``release`` (e.g. Redis ``SET NX EX`` and ``DEL``)."""

    def claim(self, key: str, *, now: float, ttl: float) -> bool:
        """Remember ``key`` for ``ttl`` seconds from ``now``; False when it is already remembered."""
        ...

    def release(self, key: str) -> None:
        """Forget ``key``, so that a redelivery with it is accepted again."""
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
        """Remember ``key`` for ``ttl`` seconds from ``now``; False when it is already remembered."""
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

    def release(self, key: str) -> None:
        """Forget ``key`` (handling the delivery failed: its redelivery should be accepted)."""
        with self._lock:
            self._expiry.pop(key, None)

    discard = release
    """The same as :meth:`release`."""

    def _purge(self, now: float) -> None:
        expired = [key for key, expires in self._expiry.items() if expires <= now]
        for key in expired:
            del self._expiry[key]

    def __len__(self) -> int:
        return len(self._expiry)

    def __contains__(self, key: object) -> bool:
        return key in self._expiry


DEFAULT_REPLAY_CACHE = WebhookReplayCache()
"""The cache ``unwrap`` and ``verify`` use when none is passed: one per process (and package)."""


# ---- secrets ------------------------------------------------------------------------------------------


def _lengths(spec: WebhookSpec) -> str:
    return " or ".join(str(n) for n in spec.secret_lengths)


def _key(secret: object, spec: WebhookSpec) -> bytes:
    """The HMAC key of one secret: bytes as they are, text decoded in the API's ``secret_encoding``."""
    if isinstance(secret, bytes):
        key, given = secret, "raw key"
    elif isinstance(secret, str):
        key, given = _decode(secret, spec.secret_encoding), f"{spec.secret_encoding} secret"
    else:
        raise ConfigurationError(f"A webhook secret is text or bytes, not {type(secret).__name__}.")
    if not key:
        raise ConfigurationError("The webhook signing secret is empty.")
    if spec.secret_lengths and len(key) not in spec.secret_lengths:
        hint = (
            " (a raw key given as text? pass it as bytes)"
            if isinstance(secret, str) and spec.secret_encoding != "utf-8"
            else ""
        )
        raise ConfigurationError(
            f"The webhook {given} is {len(key)} bytes long, but the API's signing secrets are "
            f"{_lengths(spec)} bytes{hint}."
        )
    return key


def _decode(text: str, encoding: str) -> bytes:
    text = text.strip()
    try:
        if encoding == "base64":
            standard = text.replace("-", "+").replace("_", "/")
            return base64.b64decode(standard + "=" * (-len(standard) % 4), validate=True)
        if encoding == "hex":
            return bytes.fromhex(text)
        if encoding == "utf-8":
            return text.encode("utf-8")
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            f"The webhook secret is not valid {encoding}, the form the API issues it in "
            "(pass a raw key as bytes)."
        ) from None
    raise ConfigurationError(
        f"Unknown webhook secret encoding {encoding!r} (known: {', '.join(_ENCODINGS)})."
    )


def _secret_or_env(spec: WebhookSpec, secret: WebhookSecret | None) -> WebhookSecret:
    if secret is not None:
        return secret
    found = os.environ.get(spec.secret_env) if spec.secret_env else None
    if not found:
        where = f" or set the {spec.secret_env} environment variable" if spec.secret_env else ""
        raise ConfigurationError(f"Verifying a webhook needs its signing secret: pass secret=...{where}.")
    return found


_Keyring: TypeAlias = list[bytes] | dict[WebhookKeyId, bytes]


def _keyring(spec: WebhookSpec, secret: WebhookSecret | None) -> _Keyring:
    """Every key decoded up front, so a bad secret is a configuration error whatever the delivery."""
    given = _secret_or_env(spec, secret)
    if isinstance(given, str | bytes):
        return [_key(given, spec)]
    if isinstance(given, Mapping):
        if not (spec.secret_ref_header or spec.secret_version_header):
            raise ConfigurationError(
                "This API's deliveries do not say which secret signed them: pass one secret or a list."
            )
        keyed = {_key_id(k): _key(v, spec) for k, v in given.items()}
        if not keyed:
            raise ConfigurationError("Verifying a webhook needs at least one signing secret.")
        return keyed
    keys = [_key(s, spec) for s in given]
    if not keys:
        raise ConfigurationError("Verifying a webhook needs at least one signing secret.")
    return keys


def _key_id(key: object) -> WebhookKeyId:
    if isinstance(key, tuple) and len(key) == 2:  # pyright: ignore[reportUnknownArgumentType]
        ref, version = key  # pyright: ignore[reportUnknownVariableType]
        if isinstance(ref, str) and isinstance(version, str | int):
            return (ref, str(version))
    elif isinstance(key, str | int) and not isinstance(key, bool):
        return str(key)
    raise ConfigurationError(
        f"A webhook secret is keyed by a secret version, a secret ref or a (ref, version) pair, not {key!r}."
    )


def _select(spec: WebhookSpec, ring: _Keyring, headers: Mapping[str, str]) -> list[bytes]:
    """The keys that may have signed this delivery: the one its secret ref and version name."""
    if isinstance(ring, list):
        return ring
    ref = _required(headers, spec.secret_ref_header) if spec.secret_ref_header else None
    version = _required(headers, spec.secret_version_header) if spec.secret_version_header else None
    wanted: list[WebhookKeyId] = []
    if ref is not None and version is not None:
        wanted.append((ref, version))
    wanted += [name for name in (version, ref) if name is not None]
    for name in wanted:
        key = ring.get(name)
        if key is not None:
            return [key]
    named = " ".join(
        f"{what} {value!r}" for what, value in (("ref", ref), ("version", version)) if value is not None
    )
    raise WebhookSignatureError(f"No signing secret was given for the delivery's secret {named}.")


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
    return _required(headers, spec.id_header or spec.signature_header)


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
    ring = _keyring(spec, secret)
    raw = _raw(body)
    signature_header = _required(headers, spec.signature_header)
    if spec.signature_version_header:
        version = _required(headers, spec.signature_version_header)
        if spec.signature_versions and version not in spec.signature_versions:
            raise WebhookHeaderError(
                f"The {spec.signature_version_header} header is {version!r}; this package verifies "
                f"{' or '.join(spec.signature_versions)} signatures."
            )
    timestamp = _required(headers, spec.timestamp_header) if spec.timestamp_header else None
    delivery_id = _required(headers, spec.id_header) if spec.id_header else None
    keys = _select(spec, ring, headers)
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
    given = _secret_or_env(spec, secret)
    if not isinstance(given, str | bytes):
        raise ConfigurationError("Signing a webhook takes one secret (text or bytes).")
    key = _key(given, spec)
    stamp = str(int(_now(timestamp)))
    delivery = delivery_id if delivery_id is not None else "wh_" + secrets.token_hex(12)
    message = signed_payload(
        spec.signed_payload,
        body=_raw(body),
        timestamp=stamp if spec.timestamp_header else None,
        delivery_id=delivery if spec.id_header else None,
    )
    headers = {
        spec.signature_header: spec.signature_prefix + hmac.new(key, message, hashlib.sha256).hexdigest()
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
