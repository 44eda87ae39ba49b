"""Webhook deliveries over HTTP on 127.0.0.1: a sender signs and redelivers as the API does, and a user's
endpoint (sync `http.server` + `Mobius`, async Starlette + `AsyncMobius`) verifies them through the
generated package: unknown and failing events are redelivered and handed over, a handled one is not
handed over twice, the key is selected by secret ref + version during a rotation, a wrong signature
version and a 24-byte key are refused as such, non-event deliveries go through `verify`, and `sign`
makes deliveries the endpoint accepts."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator

import pytest
from mobius_typed import ConfigurationError, Mobius, WebhookReplayCache, WebhookSignatureError
from mobius_typed.models import RunCompletedWebhookEvent, RunFailedWebhookEvent

from .webhook_servers import SECRET_REF, AsyncReceiver, Receiver, Sender, SyncReceiver, signature

OLD_KEY = bytes(range(32))
NEW_KEY = bytes(range(100, 132))
OLD = base64.b64encode(OLD_KEY).decode()
NEW = base64.b64encode(NEW_KEY).decode()
CLIENT = Mobius(api_key="mbx_test_key", base_url="http://127.0.0.1:9", project="p")


@pytest.fixture(params=["sync", "async"])
def receiver(request: pytest.FixtureRequest) -> Iterator[Receiver]:
    running: SyncReceiver | AsyncReceiver = (
        SyncReceiver(secret=OLD) if request.param == "sync" else AsyncReceiver(secret=OLD)
    )
    running.start()
    yield running
    running.stop()


def sender(receiver: Receiver) -> Sender:
    return Sender(url=receiver.url, key=OLD_KEY)


def new_id() -> str:
    return f"whd_{uuid.uuid4().hex}"


def event(kind: str = "run.completed", **data: object) -> bytes:
    return json.dumps({"type": kind, "data": {"id": "run_1", **data}}).encode()


def test_a_delivery_is_handed_over_once_and_its_redelivery_acknowledged(receiver: Receiver) -> None:
    delivery = new_id()
    assert sender(receiver).deliver("/events", event(), delivery) == [200]
    assert sender(receiver).deliver("/events", event(), delivery) == [200]  # the API did not see the 200
    assert receiver.for_id(delivery) == ["handled", "replay"]
    [(_, handed)] = receiver.handled
    assert isinstance(handed, RunCompletedWebhookEvent)


def test_a_failed_handler_leaves_the_id_unclaimed_and_the_redelivery_is_handed_over(
    receiver: Receiver,
) -> None:
    delivery = new_id()
    receiver.fail[delivery] = 2
    body = event("run.failed", error_message="boom")
    assert sender(receiver).deliver("/events", body, delivery) == [500, 500, 200]
    assert receiver.for_id(delivery) == ["failed", "failed", "handled"]
    assert [type(e) for _, e in receiver.handled] == [RunFailedWebhookEvent]
    assert sender(receiver).deliver("/events", body, delivery) == [200]
    assert receiver.for_id(delivery)[-1] == "replay"  # handled now: not handed over again


def test_an_unknown_event_type_is_never_claimed(receiver: Receiver) -> None:
    delivery = new_id()
    body = json.dumps({"type": "run.paused", "data": {"id": "run_1"}}).encode()
    assert sender(receiver).deliver("/events", body, delivery) == [503] * 4
    assert receiver.for_id(delivery) == ["unknown: run.paused"] * 4  # never refused as a replay
    assert receiver.handled == []


def test_a_wrong_signature_version_is_refused(receiver: Receiver) -> None:
    delivery = new_id()
    assert sender(receiver).deliver("/events", event(), delivery, version="v2") == [400] * 4
    assert set(receiver.for_id(delivery)) == {"rejected: WebhookHeaderError"}
    missing = new_id()
    s = sender(receiver)
    assert s.deliver("/events", event(), missing, headers={"X-Mobius-Signature-Version": ""}) == [400] * 4
    assert receiver.handled == []


def test_a_rotation_with_two_keys_picks_the_key_by_secret_ref_and_version(receiver: Receiver) -> None:
    receiver.secret = {(SECRET_REF, 1): OLD, (SECRET_REF, 2): NEW}
    s = sender(receiver)
    before, after = new_id(), new_id()
    assert s.deliver("/events", event(), before, key=OLD_KEY, secret_version=1) == [200]
    assert s.deliver("/events", event(), after, key=NEW_KEY, secret_version=2) == [200]
    assert [d for d, _ in receiver.handled] == [before, after]
    # the version names the key: the old key's signature under version 2 is not accepted
    wrong, unknown = new_id(), new_id()
    assert s.deliver("/events", event(), wrong, key=OLD_KEY, secret_version=2) == [400] * 4
    assert set(receiver.for_id(wrong)) == {"rejected: WebhookSignatureError"}
    assert s.deliver("/events", event(), unknown, key=NEW_KEY, secret_version=3) == [400] * 4
    other = {"X-Mobius-Secret-Ref": "mobius/webhook/wbh_other"}
    assert s.deliver("/events", event(), new_id(), key=NEW_KEY, secret_version=2, headers=other) == [400] * 4
    # keyed by version alone, or given as a list, both keys work too
    receiver.secret = {1: OLD, 2: NEW}
    assert s.deliver("/events", event(), new_id(), key=NEW_KEY, secret_version=2) == [200]
    receiver.secret = [OLD, NEW_KEY]
    assert s.deliver("/events", event(), new_id(), key=NEW_KEY, secret_version=2) == [200]
    assert len(receiver.handled) == 4


def test_a_24_byte_key_is_a_configuration_error_not_a_bad_signature(receiver: Receiver) -> None:
    receiver.secret = base64.b64encode(OLD_KEY[:24]).decode()
    delivery = new_id()
    assert sender(receiver).deliver("/events", event(), delivery) == [500] * 4
    assert set(receiver.for_id(delivery)) == {"misconfigured"}


def test_deliveries_that_are_not_events_go_through_verify(receiver: Receiver) -> None:
    delivery = new_id()
    body = b'{"action": "send_invoice", "input": {"amount": 12}}'  # no event type: unwrap would refuse it
    receiver.fail[delivery] = 1
    assert sender(receiver).deliver("/actions", body, delivery) == [500, 200]
    assert receiver.handled == [(delivery, body)]
    assert sender(receiver).deliver("/actions", body, delivery) == [200]
    assert receiver.for_id(delivery) == ["failed", "handled", "replay"]
    forged = {"X-Mobius-Signature": signature(NEW_KEY, delivery, "0", body)}
    assert sender(receiver).deliver("/actions", body, new_id(), headers=forged) == [400] * 4
    assert len(receiver.handled) == 1


def test_sign_makes_deliveries_the_endpoint_accepts(receiver: Receiver) -> None:
    import httpx

    body = event()
    headers = CLIENT.webhooks.sign(body, secret=OLD, secret_ref=SECRET_REF, secret_version=1)
    delivery = headers["X-Mobius-Delivery-Id"]
    # the signature is the documented one, computed independently
    assert headers["X-Mobius-Signature"] == signature(OLD_KEY, delivery, headers["X-Mobius-Timestamp"], body)
    assert headers["X-Mobius-Signature-Version"] == "v1"
    assert (headers["X-Mobius-Secret-Ref"], headers["X-Mobius-Secret-Version"]) == (SECRET_REF, "1")
    response = httpx.post(receiver.url + "/events", content=body, headers=headers, timeout=30)
    assert response.status_code == 200 and receiver.for_id(delivery) == ["handled"]
    forged = CLIENT.webhooks.sign(body, secret=NEW_KEY)
    assert httpx.post(receiver.url + "/events", content=body, headers=forged, timeout=30).status_code == 400


# ---- the secret forms, without a server -------------------------------------------------------------------


def signed(body: bytes, key: bytes = OLD_KEY) -> dict[str, str]:
    return CLIENT.webhooks.sign(body, secret=key, delivery_id=new_id())


@pytest.mark.parametrize("secret", [OLD, OLD_KEY, base64.urlsafe_b64encode(OLD_KEY).decode().rstrip("=")])
def test_a_secret_is_base64_text_or_the_raw_key(secret: str | bytes) -> None:
    body = event()
    assert isinstance(CLIENT.webhooks.unwrap(body, signed(body), secret=secret), RunCompletedWebhookEvent)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (
            base64.b64encode(OLD_KEY[:24]).decode(),
            "is 24 bytes long, but the API's signing secrets are 32 bytes",
        ),
        ("k" * 32, "raw key given as text"),  # a raw 32-character key given as text decodes to 24 bytes
        (OLD_KEY[:24], "raw key is 24 bytes long"),
        ("not base64 !!", "not valid base64"),
        ("", "empty"),
    ],
)
def test_a_secret_the_document_rules_out_is_a_clear_error(secret: str | bytes, message: str) -> None:
    body = event()
    with pytest.raises(ConfigurationError, match=message):
        CLIENT.webhooks.unwrap(body, signed(body), secret=secret, replay_cache=None)
    with pytest.raises(ConfigurationError, match=message):
        CLIENT.webhooks.sign(body, secret=secret)


def test_keyword_arguments_keep_working_and_a_missing_key_is_a_signature_error() -> None:
    body = event()
    headers = CLIENT.webhooks.sign(body, secret=NEW, secret_ref=SECRET_REF, secret_version=2)
    cache = WebhookReplayCache()
    assert CLIENT.webhooks.verify(body=body, headers=headers, secret={2: NEW}, replay_cache=cache) == body
    CLIENT.webhooks.release(headers=headers, replay_cache=cache)
    with pytest.raises(WebhookSignatureError, match="version '2'"):
        CLIENT.webhooks.unwrap(body=body, headers=headers, secret={(SECRET_REF, 1): OLD}, replay_cache=cache)
    assert isinstance(
        CLIENT.webhooks.unwrap(body=body, headers=headers, secret={(SECRET_REF, 2): NEW}, replay_cache=cache),
        RunCompletedWebhookEvent,
    )
