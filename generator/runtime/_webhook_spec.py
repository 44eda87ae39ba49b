"""What ``x-webhook-signature`` declares (:class:`WebhookSpec`), the errors of a delivery's verification, and
reading its headers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from ._exceptions import APIError

__all__ = [
    "WebhookHeaderError",
    "WebhookHeaders",
    "WebhookPayloadError",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookSpec",
    "WebhookTimestampError",
    "WebhookVerificationError",
    "header",
    "required_header",
]

WebhookHeaders: TypeAlias = Mapping[str, str]
"""The headers of a delivery: any mapping (a framework's request headers); names in any case."""


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


# ---- headers ------------------------------------------------------------------------------------------


def header(headers: Mapping[str, str], name: str) -> str | None:
    """The value of header ``name`` (any case), stripped; None when it is missing."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value.strip() if isinstance(value, str) else None


def required_header(headers: Mapping[str, str], name: str) -> str:
    """The value of header ``name``; a :class:`WebhookHeaderError` when it is missing or empty."""
    value = header(headers, name)
    if not value:
        raise WebhookHeaderError(f"The {name} header is missing.")
    return value
