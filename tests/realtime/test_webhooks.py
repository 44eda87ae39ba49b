"""`client.webhooks.unwrap` of the generated Mobius package: properties of the signature check (hypothesis),
the timestamp tolerance, the replay guard, typed events, the secret from the environment, and hostile input
(arbitrary headers, bodies, timestamps and secrets never pass without a valid signature, and raise only the
documented errors).

The deliveries are signed here independently of the runtime, as the vendor documents it: HMAC-SHA256 keyed
with the base64-decoded secret over `v1.<delivery id>.<timestamp>.<raw body>`, sent as `sha256=<hex>`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from mobius_typed import (
    AsyncMobius,
    ConfigurationError,
    Mobius,
    WebhookHeaderError,
    WebhookPayloadError,
    WebhookReplayCache,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookTimestampError,
    WebhookVerificationError,
)
from mobius_typed.models import PingWebhookEvent, RunCompletedWebhookEvent, RunFailedWebhookEvent

KEY = bytes(range(32))
SECRET = base64.b64encode(KEY).decode()
NOW = 1_790_000_000
TOLERANCE = 300
CLIENT = Mobius(api_key="mbx_test_key", base_url="http://127.0.0.1:9", project="p")


def sign(body: bytes, delivery_id: str, timestamp: str, key: bytes = KEY) -> str:
    message = b"v1." + delivery_id.encode() + b"." + timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(key, message, hashlib.sha256).hexdigest()


def headers_for(body: bytes, delivery_id: str, timestamp: int | str, key: bytes = KEY) -> dict[str, str]:
    stamp = str(timestamp)
    return {
        "x-mobius-signature": sign(body, delivery_id, stamp, key),  # any case: headers are case-insensitive
        "X-Mobius-Signature-Version": "v1",
        "X-Mobius-Timestamp": stamp,
        "X-Mobius-Delivery-Id": delivery_id,
        "X-Mobius-Event-Type": "ignored",
    }


def unwrap(body: bytes, headers: dict[str, str], **kwargs: Any) -> Any:
    kwargs.setdefault("secret", SECRET)
    kwargs.setdefault("now", NOW)
    kwargs.setdefault("replay_cache", WebhookReplayCache())
    return CLIENT.webhooks.unwrap(body=body, headers=headers, **kwargs)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
events = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["run.completed", "run.failed"]),
            "data": st.dictionaries(st.text(max_size=8), json_values),
        }
    ),
    st.fixed_dictionaries(
        {"type": st.just("ping")}, optional={"data": st.none() | st.just({"hello": "world"})}
    ),
)
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=40).map(
    lambda s: "whd_" + s
)
indents = st.sampled_from([None, 0, 2])
skews = st.integers(min_value=-TOLERANCE, max_value=TOLERANCE)


def encode(event: dict[str, Any], indent: int | None) -> bytes:
    return json.dumps(event, indent=indent).encode()


@given(event=events, delivery_id=ids, skew=skews, indent=indents)
def test_a_valid_delivery_passes_and_is_typed(
    event: dict[str, Any], delivery_id: str, skew: int, indent: int | None
) -> None:
    body = encode(event, indent)
    parsed = unwrap(body, headers_for(body, delivery_id, NOW + skew))
    expected = {
        "run.completed": RunCompletedWebhookEvent,
        "run.failed": RunFailedWebhookEvent,
        "ping": PingWebhookEvent,
    }
    assert isinstance(parsed, expected[event["type"]])
    assert parsed.type_ == event["type"]


@given(event=events, delivery_id=ids, position=st.integers(min_value=0), byte=st.integers(0, 255))
def test_any_change_to_the_body_is_rejected(
    event: dict[str, Any], delivery_id: str, position: int, byte: int
) -> None:
    body = encode(event, None)
    headers = headers_for(body, delivery_id, NOW)
    index = position % (len(body) + 1)
    changed = body[:index] + bytes([byte]) + body[index + 1 :] if index < len(body) else body + bytes([byte])
    assume(changed != body)
    with pytest.raises(WebhookSignatureError):
        unwrap(changed, headers)


@given(event=events, delivery_id=ids, other=skews)
def test_any_change_to_the_timestamp_is_rejected(event: dict[str, Any], delivery_id: str, other: int) -> None:
    assume(other != 0)
    body = encode(event, None)
    headers = headers_for(body, delivery_id, NOW)
    headers["X-Mobius-Timestamp"] = str(NOW + other)
    with pytest.raises(WebhookSignatureError):
        unwrap(body, headers)


@given(event=events, delivery_id=ids, other=ids)
def test_any_change_to_the_delivery_id_is_rejected(
    event: dict[str, Any], delivery_id: str, other: str
) -> None:
    assume(other != delivery_id)
    body = encode(event, None)
    headers = headers_for(body, delivery_id, NOW)
    headers["X-Mobius-Delivery-Id"] = other
    with pytest.raises(WebhookSignatureError):
        unwrap(body, headers)


@given(
    event=events, delivery_id=ids, position=st.integers(min_value=0), char=st.sampled_from("0123456789abcdef")
)
def test_any_change_to_the_signature_is_rejected(
    event: dict[str, Any], delivery_id: str, position: int, char: str
) -> None:
    body = encode(event, None)
    headers = headers_for(body, delivery_id, NOW)
    digest = headers["x-mobius-signature"].removeprefix("sha256=")
    index = position % len(digest)
    assume(digest[index] != char)
    headers["x-mobius-signature"] = "sha256=" + digest[:index] + char + digest[index + 1 :]
    with pytest.raises(WebhookSignatureError):
        unwrap(body, headers)


@given(event=events, delivery_id=ids, key=st.binary(min_size=1, max_size=64))
def test_another_secret_is_rejected(event: dict[str, Any], delivery_id: str, key: bytes) -> None:
    assume(key != KEY)
    body = encode(event, None)
    with pytest.raises(WebhookSignatureError):
        unwrap(body, headers_for(body, delivery_id, NOW, key))


@given(event=events, delivery_id=ids, later=st.integers(min_value=0, max_value=TOLERANCE))
def test_a_replay_is_rejected(event: dict[str, Any], delivery_id: str, later: int) -> None:
    body = encode(event, None)
    headers = headers_for(body, delivery_id, NOW)
    cache = WebhookReplayCache()
    unwrap(body, headers, replay_cache=cache)
    with pytest.raises(WebhookReplayError) as caught:
        unwrap(body, headers, replay_cache=cache, now=NOW + later)
    assert caught.value.delivery_id == delivery_id


@given(event=events, delivery_id=ids, beyond=st.integers(min_value=1, max_value=10**6), future=st.booleans())
def test_an_old_or_future_timestamp_is_rejected(
    event: dict[str, Any], delivery_id: str, beyond: int, future: bool
) -> None:
    body = encode(event, None)
    stamp = NOW + (TOLERANCE + beyond) * (1 if future else -1)
    with pytest.raises(WebhookTimestampError):
        unwrap(body, headers_for(body, delivery_id, stamp))


def test_the_tolerance_can_be_chosen_per_call() -> None:
    body = b'{"type": "ping"}'
    headers = headers_for(body, "whd_1", NOW - 1000)
    with pytest.raises(WebhookTimestampError):
        unwrap(body, headers)
    assert isinstance(unwrap(body, headers, tolerance=1000), PingWebhookEvent)


@pytest.mark.parametrize("missing", ["x-mobius-signature", "X-Mobius-Timestamp", "X-Mobius-Delivery-Id"])
def test_a_missing_header_is_rejected(missing: str) -> None:
    body = b'{"type": "ping"}'
    headers = headers_for(body, "whd_1", NOW)
    del headers[missing]
    with pytest.raises(WebhookHeaderError, match=f"(?i){missing}"):
        unwrap(body, headers)


def test_malformed_headers_are_rejected() -> None:
    body = b'{"type": "ping"}'
    headers = headers_for(body, "whd_1", NOW)
    with pytest.raises(WebhookHeaderError):
        unwrap(body, {**headers, "x-mobius-signature": "md5=abc"})
    stamp = "yesterday"
    with pytest.raises(WebhookHeaderError, match="Unix time"):
        unwrap(
            body, {**headers, "X-Mobius-Timestamp": stamp, "x-mobius-signature": sign(body, "whd_1", stamp)}
        )


def test_every_failure_is_a_verification_error() -> None:
    for cls in (WebhookHeaderError, WebhookSignatureError, WebhookTimestampError, WebhookReplayError):
        assert issubclass(cls, WebhookVerificationError)
    assert not issubclass(WebhookPayloadError, WebhookVerificationError)


def test_the_default_replay_cache_is_shared_by_the_clients() -> None:
    body = b'{"type": "ping"}'
    headers = headers_for(body, f"whd_shared_{time.time_ns()}", int(time.time()))
    assert isinstance(CLIENT.webhooks.unwrap(body=body, headers=headers, secret=SECRET), PingWebhookEvent)
    other = Mobius(api_key="mbx_other", base_url="http://127.0.0.1:9")
    with pytest.raises(WebhookReplayError):
        other.webhooks.unwrap(body=body, headers=headers, secret=SECRET)
    assert isinstance(
        other.webhooks.unwrap(body=body, headers=headers, secret=SECRET, replay_cache=None), PingWebhookEvent
    )


def test_secret_rotation_and_text_bodies() -> None:
    body = '{"type": "run.failed", "data": {"id": "run_1", "error_message": "boom"}}'
    headers = headers_for(body.encode(), "whd_rot", NOW)
    old = base64.b64encode(b"x" * 32).decode()
    event = unwrap(body.encode().decode(), headers, secret=[old, SECRET])
    assert isinstance(event, RunFailedWebhookEvent) and event.data.model_extra == {
        "id": "run_1",
        "error_message": "boom",
    }


def test_the_secret_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    body = b'{"type": "ping", "data": null}'
    headers = headers_for(body, "whd_env", NOW)
    with pytest.raises(ConfigurationError, match="MOBIUS_WEBHOOK_SECRET"):
        CLIENT.webhooks.unwrap(body=body, headers=headers, now=NOW, replay_cache=None)
    monkeypatch.setenv("MOBIUS_WEBHOOK_SECRET", SECRET)
    assert isinstance(
        CLIENT.webhooks.unwrap(body=body, headers=headers, now=NOW, replay_cache=None), PingWebhookEvent
    )
    with pytest.raises(ConfigurationError, match="base64"):
        unwrap(body, headers, secret="not base64 !!")


def test_an_unknown_event_type_is_a_payload_error() -> None:
    body = b'{"type": "run.paused", "data": {"id": "run_1"}}'
    with pytest.raises(WebhookPayloadError) as caught:
        unwrap(body, headers_for(body, "whd_new", NOW))
    assert caught.value.event_type == "run.paused"
    assert caught.value.payload == {"type": "run.paused", "data": {"id": "run_1"}}
    body = b"not json"
    with pytest.raises(WebhookPayloadError):
        unwrap(body, headers_for(body, "whd_bad", NOW))


def test_the_async_client_unwraps_too() -> None:
    client = AsyncMobius(api_key="mbx_test_key", base_url="http://127.0.0.1:9")
    body = b'{"type": "run.completed", "data": {"id": "run_9"}}'
    event = client.webhooks.unwrap(
        body=body, headers=headers_for(body, "whd_async", NOW), secret=SECRET, now=NOW, replay_cache=None
    )
    assert isinstance(event, RunCompletedWebhookEvent)


# ---- hostile input ---------------------------------------------------------------------------------------

HEADER_NAMES = [
    "X-Mobius-Signature",
    "X-Mobius-Signature-Version",
    "X-Mobius-Timestamp",
    "X-Mobius-Delivery-Id",
    "X-Mobius-Secret-Ref",
    "X-Mobius-Secret-Version",
]
header_values = st.one_of(
    st.text(max_size=80),
    st.just("v1"),
    st.builds(lambda h: "sha256=" + h, st.text(alphabet="0123456789abcdefABCDEF", min_size=0, max_size=70)),
    st.integers(min_value=NOW - 400, max_value=NOW + 400).map(str),
)
hostile_headers = st.dictionaries(
    st.one_of(
        st.sampled_from(HEADER_NAMES),
        st.sampled_from([n.lower() for n in HEADER_NAMES]),
        st.text(max_size=20),
    ),
    header_values,
    max_size=10,
)
secrets_given = st.sampled_from(
    [SECRET, KEY, [SECRET, base64.b64encode(b"y" * 32).decode()], {1: SECRET}, {("r", 1): KEY}]
)


@given(body=st.binary(max_size=200) | st.text(max_size=200), headers=hostile_headers, secret=secrets_given)
def test_arbitrary_headers_and_bodies_are_never_accepted(
    body: bytes | str, headers: dict[str, str], secret: Any
) -> None:
    for check in (CLIENT.webhooks.unwrap, CLIENT.webhooks.verify):
        with pytest.raises(WebhookVerificationError):
            check(body, headers, secret=secret, now=NOW, replay_cache=WebhookReplayCache())


@given(event=events, delivery_id=ids, stamp=st.text(max_size=30) | st.floats().map(str))
def test_a_signed_delivery_with_a_hostile_timestamp_is_refused_or_within_tolerance(
    event: dict[str, Any], delivery_id: str, stamp: str
) -> None:
    body = encode(event, None)
    headers = {**headers_for(body, delivery_id, NOW), "X-Mobius-Timestamp": stamp}
    headers["x-mobius-signature"] = sign(body, delivery_id, stamp.strip())
    try:
        unwrap(body, headers)
    except WebhookVerificationError:
        return
    assert abs(float(stamp) - NOW) <= TOLERANCE  # accepted only when it is a time within the tolerance


@given(secret=st.text(max_size=60) | st.binary(max_size=60))
def test_any_secret_verifies_or_is_a_configuration_error(secret: str | bytes) -> None:
    body = b'{"type": "ping"}'
    headers = headers_for(body, "whd_secret", NOW)
    try:
        event = unwrap(body, headers, secret=secret)
    except ConfigurationError:
        return  # not base64, or not a 32-byte key
    except WebhookSignatureError:
        assert secret not in (SECRET, KEY)
        return
    assert isinstance(event, PingWebhookEvent)


def test_body_and_headers_are_positional_or_keywords() -> None:
    body = b'{"type": "ping"}'
    headers = headers_for(body, "whd_positional", NOW)
    positional = CLIENT.webhooks.unwrap(body, headers, secret=SECRET, now=NOW, replay_cache=None)
    keywords = CLIENT.webhooks.unwrap(body=body, headers=headers, secret=SECRET, now=NOW, replay_cache=None)
    assert positional == keywords
    client = AsyncMobius(api_key="mbx_test_key", base_url="http://127.0.0.1:9")
    assert client.webhooks.verify(body, headers, secret=SECRET, now=NOW, replay_cache=None) == body
