"""Unit tests of the runtime's WebSocket and webhook modules, without a generated package.

The upgrade URL and headers (schemes, prefixes, settings, auth kinds, redaction), the frame logic (encoding,
heartbeats, error frames, unknown types, what a reconnect replays), the lazy `websockets` import, and the
webhook primitives (signed payload templates, keys, the replay cache).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import subprocess
import sys
import threading
from typing import Annotated, Literal

import pytest
from pydantic import Field

from generator.runtime import (
    NOT_GIVEN,
    AsyncWebSocketSession,
    AuthSpec,
    BaseModel,
    ClientSpec,
    ConfigurationError,
    Operation,
    SettingSpec,
    SyncAPIClient,
    WebhookPayloadError,
    WebhookReplayCache,
    WebhookReplayError,
    WebhookSignatureError,
    WebhookSpec,
    WebSocketAuthenticationError,
    WebSocketError,
    WebSocketSession,
    WebSocketSpec,
    unwrap_webhook,
)
from generator.runtime import _websocket as websocket_module
from generator.runtime._webhooks import release_webhook, sign_webhook, signed_payload, verify_webhook
from generator.runtime._websocket import Frame, Frames, Skip
from tests.conftest import ROOT


class Hello(BaseModel):
    type_: Literal["hello"] = Field(alias="type")
    token: str | None = None


class Oops(BaseModel):
    type_: Literal["error"] = Field(alias="type")
    message: str


class Ping(BaseModel):
    type_: Literal["ping"] = Field(alias="type")


class Bye(BaseModel):
    type_: Literal["bye"] = Field(alias="type")


ServerFrame = Annotated[Hello | Oops | Ping | Bye, Field(discriminator="type_")]
KEY = "sk_test_RUNTIME_SECRET_123"

SPEC = WebSocketSpec(
    operation=Operation(
        method="GET", path="/rooms/{room}/socket", path_params=("room",), settings=("tenant",)
    ),
    auth="header",
    client_heartbeat=("pong",),
    server_heartbeat=("ping",),
    server_terminal=("bye",),
    close_frame="leave",
    error_frames=("error",),
    reconnect="resume",
    resume_fields={"join": ("token",)},
)


def client_spec(auth: AuthSpec) -> ClientSpec:
    return ClientSpec(
        name="Demo",
        package="demo_typed",
        version="0.1.0",
        user_agent="demo-typed/0.1.0",
        default_base_url="https://api.example.com/v2",
        auth=auth,
        settings={"tenant": SettingSpec(location="header", wire_name="X-Tenant")},
    )


class Room(WebSocketSession[ServerFrame]):
    server_frames = ServerFrame


def target(base_url: str, auth: AuthSpec, spec: WebSocketSpec = SPEC, **kwargs: object) -> object:
    client = SyncAPIClient(spec=client_spec(auth), api_key=KEY, base_url=base_url, settings={"tenant": "t1"})
    session = Room(client, spec, path_params={"room": "a b/c"}, **kwargs)  # type: ignore[arg-type]
    return session._target()


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.example.com/v2", "wss://api.example.com/v2/rooms/a%20b%2Fc/socket"),
        ("http://127.0.0.1:8080", "ws://127.0.0.1:8080/rooms/a%20b%2Fc/socket"),
        ("wss://stream.example.com", "wss://stream.example.com/rooms/a%20b%2Fc/socket"),
    ],
)
def test_the_url_is_the_base_url_with_a_websocket_scheme(base: str, expected: str) -> None:
    assert target(base, AuthSpec(kind="bearer")).url == expected  # type: ignore[attr-defined]


def test_upgrade_headers_carry_auth_settings_and_extras() -> None:
    found = target(
        "https://api.example.com", AuthSpec(kind="bearer"), extra_headers={"Origin": "https://app"}
    )
    headers = dict(found.headers)  # type: ignore[attr-defined]
    assert headers == {"Authorization": f"Bearer {KEY}", "X-Tenant": "t1", "Origin": "https://app"}
    assert found.user_agent == "demo-typed/0.1.0"  # type: ignore[attr-defined]


def test_query_auth_is_redacted_from_the_shown_url() -> None:
    found = target("https://api.example.com", AuthSpec(kind="query", name="key"), extra_query={"v": 2})
    assert found.url.endswith(f"/socket?key={KEY}&v=2")  # type: ignore[attr-defined]
    assert KEY not in found.shown_url  # type: ignore[attr-defined]


def test_first_frame_auth_sends_nothing_on_the_upgrade_request() -> None:
    spec = WebSocketSpec(
        operation=SPEC.operation, auth="first_frame", auth_frame_type="auth", auth_frame_field="key"
    )
    found = target("https://api.example.com", AuthSpec(kind="bearer"), spec)
    assert "Authorization" not in dict(found.headers)  # type: ignore[attr-defined]
    assert KEY in found.prepared.secrets  # type: ignore[attr-defined]
    assert Frames(spec, ServerFrame).auth_text(KEY) == f'{{"type":"auth","key":"{KEY}"}}'


def test_frames_encode_drop_not_given_and_remember_the_opening_frame() -> None:
    frames = Frames(SPEC, ServerFrame)
    assert frames.encode({"type": "pong"}) == ('{"type":"pong"}', False)  # a heartbeat never opens
    text, opening = frames.encode({"type": "join", "room": "r1", "token": NOT_GIVEN, "n": [1, NOT_GIVEN]})
    assert (text, opening) == ('{"type":"join","room":"r1","n":[1]}', True)
    assert frames.encode(Hello.model_validate({"type": "hello"}))[1] is False
    with pytest.raises(TypeError):
        frames.encode([1, 2])  # type: ignore[arg-type]
    assert frames.close_text() == '{"type":"leave"}'


def test_frames_handle_heartbeats_errors_unknown_types_and_carry_tokens() -> None:
    frames = Frames(SPEC, ServerFrame, secrets=(KEY,))
    frames.encode({"type": "join", "room": "r1"})
    ping = frames.handle('{"type": "ping"}')
    assert isinstance(ping, Skip) and ping.answer == '{"type":"pong"}'
    assert isinstance(frames.handle(b'{"type": "from-the-future"}'), Skip)
    with pytest.raises(WebSocketAuthenticationError) as refused:  # first real frame of the connection
        frames.handle(f'{{"type": "error", "message": "bad key {KEY}"}}')
    assert KEY not in str(refused.value) and isinstance(refused.value.frame, Oops)
    frames.new_connection()
    hello = frames.handle('{"type": "hello", "token": "tok-1"}')
    assert isinstance(hello, Frame) and isinstance(hello.value, Hello) and not hello.terminal
    with pytest.raises(WebSocketError) as later:
        frames.handle('{"type": "error", "message": "later"}')
    assert not isinstance(later.value, WebSocketAuthenticationError)
    assert frames.replay_text() == '{"type":"join","room":"r1","token":"tok-1"}'
    bye = frames.handle('{"type": "bye"}')
    assert isinstance(bye, Frame) and bye.terminal
    with pytest.raises(WebSocketError, match="not JSON"):
        frames.handle("{")
    with pytest.raises(WebSocketError, match="documented type"):
        frames.handle('{"type": "hello", "token": 5}')


def test_without_the_websockets_package_opening_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str) -> object:
        raise ImportError(name)

    websocket_module.library.cache_clear()
    monkeypatch.setattr(websocket_module.importlib, "import_module", missing)
    try:
        client = SyncAPIClient(spec=client_spec(AuthSpec()), api_key=KEY, base_url="http://127.0.0.1:9")
        with pytest.raises(ConfigurationError, match="pip install"):
            Room(client, SPEC, path_params={"room": "r"}, settings={"tenant": "t"}).open()
    finally:
        websocket_module.library.cache_clear()


def test_importing_the_runtime_does_not_import_websockets() -> None:
    code = "import sys; sys.modules['websockets'] = None; import generator.runtime; print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr
    assert issubclass(AsyncWebSocketSession, object)


# ---- webhooks ---------------------------------------------------------------------------------------------


def test_signed_payload_templates() -> None:
    assert signed_payload("{body}", body=b"\x00raw", timestamp=None, delivery_id=None) == b"\x00raw"
    filled = signed_payload("v1.{id}.{timestamp}.{body}", body=b"{}", timestamp="17", delivery_id="d")
    assert filled == b"v1.d.17.{}"
    with pytest.raises(ValueError, match="unknown placeholder"):
        signed_payload("{nonce}.{body}", body=b"", timestamp=None, delivery_id=None)
    with pytest.raises(ValueError, match="timestamp"):
        signed_payload("{timestamp}.{body}", body=b"", timestamp=None, delivery_id=None)


PLAIN = WebhookSpec(signature_header="X-Sig", secret_encoding="utf-8", tolerance_seconds=60)


def test_utf8_and_hex_secrets_several_signatures_and_the_signature_as_replay_key() -> None:
    body = b'{"kind": "x"}'
    good = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    headers = {"x-sig": f"deadbeef, {good.upper()}"}
    cache = WebhookReplayCache()
    assert verify_webhook(PLAIN, body, headers, secret="s3cret", replay_cache=cache) == body
    hex_spec = WebhookSpec(signature_header="X-Sig", secret_encoding="hex")
    assert verify_webhook(hex_spec, body, headers, secret=b"s3cret".hex(), replay_cache=None) == body
    with pytest.raises(Exception, match="received before"):
        verify_webhook(
            PLAIN, body, headers, secret="s3cret", replay_cache=cache
        )  # no id header: keyed by signature
    with pytest.raises(WebhookSignatureError):
        verify_webhook(PLAIN, body, headers, secret=b"other", replay_cache=None)
    with pytest.raises(ConfigurationError):
        verify_webhook(PLAIN, body, headers, secret=[], replay_cache=None)


def test_base64_secrets_without_padding_or_url_safe() -> None:
    key = bytes([251, 255, 190, 1, 2])
    spec = WebhookSpec(signature_header="X-Sig", secret_encoding="base64")
    body = b"{}"
    headers = {"X-Sig": hmac.new(key, body, hashlib.sha256).hexdigest()}
    for text in (base64.b64encode(key).decode(), base64.urlsafe_b64encode(key).decode().rstrip("=")):
        assert verify_webhook(spec, body, headers, secret=text, replay_cache=None) == body


def test_unwrap_with_a_plain_model() -> None:
    body = b'{"type": "hello", "token": "t"}'
    headers = {"X-Sig": hmac.new(b"k", body, hashlib.sha256).hexdigest()}
    event = unwrap_webhook(PLAIN, body, headers, event_type=ServerFrame, secret="k", replay_cache=None)
    assert isinstance(event, Hello)


def test_the_replay_cache_is_bounded_and_forgets_expired_ids() -> None:
    cache = WebhookReplayCache(max_entries=3)
    for i in range(5):
        assert cache.claim(f"id{i}", now=100, ttl=10)
    assert len(cache) == 3 and "id0" not in cache and "id4" in cache
    assert not cache.claim("id4", now=105, ttl=10)
    assert cache.claim("id4", now=111, ttl=10)  # expired: accepted again
    cache.discard("id4")
    assert cache.claim("id4", now=111, ttl=10)
    with pytest.raises(ValueError):
        WebhookReplayCache(max_entries=0)


def test_the_replay_cache_admits_one_of_many_concurrent_claims() -> None:
    cache = WebhookReplayCache()
    wins: list[bool] = []
    lock = threading.Lock()

    def claim() -> None:
        won = cache.claim("same", now=1, ttl=60)
        with lock:
            wins.append(won)

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 1


class SharedCache:
    """A user's own replay cache (a database, say): only `claim` and `release`."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.calls: list[str] = []

    def claim(self, key: str, *, now: float, ttl: float) -> bool:
        self.calls.append(f"claim {key}")
        if key in self.ids:
            return False
        self.ids.add(key)
        return True

    def release(self, key: str) -> None:
        self.calls.append(f"release {key}")
        self.ids.discard(key)


def test_an_id_is_claimed_only_once_the_body_parsed_and_released_on_request() -> None:
    spec = WebhookSpec(signature_header="X-Sig", id_header="X-Id", signed_payload="{id}.{body}")
    cache = SharedCache()

    def delivery(body: bytes) -> dict[str, str]:
        return sign_webhook(spec, body, secret="k", delivery_id="d1")

    bad = b'{"type": "nope"}'
    for _ in range(2):  # an unknown event: never claimed, so never a replay
        with pytest.raises(WebhookPayloadError):
            unwrap_webhook(spec, bad, delivery(bad), event_type=ServerFrame, secret="k", replay_cache=cache)
    assert cache.calls == []
    good = b'{"type": "hello", "token": "t"}'
    assert isinstance(
        unwrap_webhook(spec, good, delivery(good), event_type=ServerFrame, secret="k", replay_cache=cache),
        Hello,
    )
    release_webhook(spec, delivery(good), replay_cache=cache)
    assert verify_webhook(spec, good, delivery(good), secret="k", replay_cache=cache) == good
    with pytest.raises(WebhookReplayError):
        verify_webhook(spec, good, delivery(good), secret="k", replay_cache=cache)
    assert cache.calls == ["claim d1", "release d1", "claim d1", "claim d1"]
    release_webhook(spec, delivery(good), replay_cache=None)  # nothing to release
