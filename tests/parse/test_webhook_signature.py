"""`x-webhook-signature`: what the parser reads from it, and a one-line SpecError at the key's pointer for
every malformed value (a typo in a key is an error too, so a declared check is never silently dropped)."""

from __future__ import annotations

from typing import Any

import pytest

from generator.errors import SpecError
from generator.parse.security import parse_webhook_signature

BASE: dict[str, Any] = {
    "signed_payload": "v1.{delivery_id}.{timestamp}.{body}",
    "signature_header": "X-Sig",
    "timestamp_header": "X-Time",
    "id_header": "X-Id",
}


def test_the_new_keys_are_read() -> None:
    sig = parse_webhook_signature(
        {
            **BASE,
            "secret_encoding": "base64",
            "secret_length": 32,
            "signature_version_header": "X-Sig-Version",
            "signature_versions": ["v1", "v1a"],
            "secret_ref_header": "X-Secret-Ref",
            "secret_version_header": "X-Secret-Version",
        }
    )
    assert sig is not None
    assert sig.secret_lengths == (32,)
    assert (sig.signature_version_header, sig.signature_versions) == ("X-Sig-Version", ("v1", "v1a"))
    assert (sig.secret_ref_header, sig.secret_version_header) == ("X-Secret-Ref", "X-Secret-Version")
    several = parse_webhook_signature({**BASE, "secret_length": [16, 32]})
    assert several is not None and several.secret_lengths == (16, 32)
    plain = parse_webhook_signature(BASE)
    assert plain is not None and plain.secret_lengths == () and plain.signature_version_header is None


@pytest.mark.parametrize(
    ("extra", "where", "message"),
    [
        ({"secret_lenght": 32}, "/secret_lenght", "unknown key `secret_lenght`"),
        ({"secret_length": 0}, "/secret_length", "positive number of bytes"),
        ({"secret_length": "32"}, "/secret_length", "positive number of bytes"),
        ({"secret_length": []}, "/secret_length", "positive number of bytes"),
        ({"secret_length": True}, "/secret_length", "positive number of bytes"),
        ({"secret_encoding": "base32"}, "/secret_encoding", "must be one of base64, hex, utf-8"),
        ({"tolerance_seconds": "300"}, "/tolerance_seconds", "positive whole number"),
        ({"signature_version_header": "X-V"}, "/signature_versions", "together"),
        ({"signature_versions": ["v1"]}, "/signature_version_header", "together"),
        ({"signature_version_header": "X-V", "signature_versions": "v1"}, "/signature_versions", "list"),
        ({"signature_version_header": "X-V", "signature_versions": []}, "/signature_versions", "list"),
        ({"secret_ref_header": 7}, "/secret_ref_header", "non-empty string"),
        ({"secret_version_header": ""}, "/secret_version_header", "non-empty string"),
        ({"signed_payload": "{nonce}.{body}"}, "/signed_payload", "unknown placeholder {nonce}"),
        ({"timestamp_header": None}, "/signed_payload", "declares no `timestamp_header`"),
        ({"algorithm": "hmac-sha1"}, "/algorithm", "only hmac-sha256"),
    ],
)
def test_a_malformed_value_is_a_spec_error_at_its_pointer(
    extra: dict[str, Any], where: str, message: str
) -> None:
    raw = {k: v for k, v in {**BASE, **extra}.items() if v is not None}
    with pytest.raises(SpecError) as caught:
        parse_webhook_signature(raw)
    assert caught.value.at == "/x-webhook-signature" + where
    assert message in caught.value.message and "\n" not in caught.value.message
