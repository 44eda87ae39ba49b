"""The keys of webhook verification: signing secrets (text in the API's encoding, or raw bytes), the key a
delivery names by its secret ref and version, and the replay cache of delivery ids."""

from __future__ import annotations

import base64
import binascii
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeAlias

from ._exceptions import ConfigurationError
from ._webhook_spec import WebhookSignatureError, WebhookSpec, required_header

__all__ = [
    "DEFAULT_REPLAY_CACHE",
    "Keyring",
    "ReplayCache",
    "WebhookKeyId",
    "WebhookReplayCache",
    "WebhookSecret",
    "decode_key",
    "keyring",
    "secret_or_env",
    "select_keys",
]

WebhookKeyId: TypeAlias = str | int | tuple[str, str | int]
"""Which key signed a delivery: a secret version, a secret ref, or a ``(secret ref, secret version)`` pair."""

WebhookSecret: TypeAlias = str | bytes | Sequence[str | bytes] | Mapping[WebhookKeyId, str | bytes]
"""One signing secret; several (any of them may have signed the delivery, e.g. during a rotation); or
secrets keyed by the secret ref and/or version the delivery names in its headers."""

_ENCODINGS = ("base64", "hex", "utf-8")

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


def decode_key(secret: object, spec: WebhookSpec) -> bytes:
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


def secret_or_env(spec: WebhookSpec, secret: WebhookSecret | None) -> WebhookSecret:
    if secret is not None:
        return secret
    found = os.environ.get(spec.secret_env) if spec.secret_env else None
    if not found:
        where = f" or set the {spec.secret_env} environment variable" if spec.secret_env else ""
        raise ConfigurationError(f"Verifying a webhook needs its signing secret: pass secret=...{where}.")
    return found


Keyring: TypeAlias = list[bytes] | dict[WebhookKeyId, bytes]


def keyring(spec: WebhookSpec, secret: WebhookSecret | None) -> Keyring:
    """Every key decoded up front, so a bad secret is a configuration error whatever the delivery."""
    given = secret_or_env(spec, secret)
    if isinstance(given, str | bytes):
        return [decode_key(given, spec)]
    if isinstance(given, Mapping):
        if not (spec.secret_ref_header or spec.secret_version_header):
            raise ConfigurationError(
                "This API's deliveries do not say which secret signed them: pass one secret or a list."
            )
        keyed = {_key_id(k): decode_key(v, spec) for k, v in given.items()}
        if not keyed:
            raise ConfigurationError("Verifying a webhook needs at least one signing secret.")
        return keyed
    keys = [decode_key(s, spec) for s in given]
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


def select_keys(spec: WebhookSpec, ring: Keyring, headers: Mapping[str, str]) -> list[bytes]:
    """The keys that may have signed this delivery: the one its secret ref and version name."""
    if isinstance(ring, list):
        return ring
    ref = required_header(headers, spec.secret_ref_header) if spec.secret_ref_header else None
    version = required_header(headers, spec.secret_version_header) if spec.secret_version_header else None
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
