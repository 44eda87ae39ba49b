"""The IR of webhooks: the deliveries an API sends, and how it signs them (`x-webhook-signature`)."""

from __future__ import annotations

from dataclasses import dataclass

from .types import TypeRef


@dataclass(frozen=True)
class WebhookSignature:
    algorithm: str
    secret_encoding: str
    signed_payload: str
    signature_header: str
    signature_prefix: str
    timestamp_header: str | None
    id_header: str | None
    tolerance_seconds: int
    event_type_field: str
    secret_lengths: tuple[int, ...] = ()  # the key lengths (bytes) the API issues; empty: any
    signature_version_header: str | None = None
    signature_versions: tuple[str, ...] = ()  # the accepted values of the signature version header
    secret_ref_header: str | None = None  # which secret signed a delivery ...
    secret_version_header: str | None = None  # ... and which version of it


@dataclass(frozen=True)
class Webhook:
    name: str
    method: str
    event: TypeRef | None
    description: str = ""
