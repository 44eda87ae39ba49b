"""Webhook deliveries to a receiver built on the installed package, over 127.0.0.1.

The receiver is the README's handler on a plain `http.server`; deliveries are signed with the
package's own `sign` and posted with httpx, and redelivered as a sender does until it gets a 2xx.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import mobius_typed
import pytest
from mobius_typed import WebhookPayloadError, WebhookReplayError, WebhookVerificationError

SECRET = base64.b64encode(os.urandom(32)).decode()


class Receiver:
    """Hands verified events to `handler`, as the package README shows."""

    def __init__(self) -> None:
        self.client = mobius_typed.Mobius(api_key="mbx_test")
        self.replay_cache = mobius_typed.WebhookReplayCache()
        self.handled: list[str] = []
        self.fail_next = 0

    def answer(self, body: bytes, headers: dict[str, str]) -> int:
        webhooks = self.client.webhooks
        try:
            event = webhooks.unwrap(body, headers, secret=SECRET, replay_cache=self.replay_cache)
        except WebhookReplayError:
            return 200
        except WebhookVerificationError:
            return 400
        except WebhookPayloadError:
            return 200
        if self.fail_next:
            self.fail_next -= 1
            webhooks.release(headers, replay_cache=self.replay_cache)
            return 500
        self.handled.append(event.type_)
        return 200


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = state.answer(body, {k: v for k, v in self.headers.items()})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        state.client.close()


def deliver(url: str, body: bytes, headers: dict[str, str], attempts: int = 3) -> list[int]:
    """Post as a sender does: the same delivery again until a 2xx (bounded)."""
    statuses = []
    with httpx.Client() as http:
        for _ in range(attempts):
            statuses.append(http.post(url, content=body, headers=headers).status_code)
            if statuses[-1] < 300:
                break
    return statuses


def _event(kind: str) -> bytes:
    return json.dumps({"type": kind, "data": {}}).encode()


def test_a_failed_handler_gets_its_redelivery(receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    state.fail_next = 1
    body = _event("ping")
    headers = state.client.webhooks.sign(body, secret=SECRET)
    assert deliver(url, body, headers) == [500, 200]
    assert state.handled == ["ping"]
    assert deliver(url, body, headers) == [200]  # a redelivery of a handled event: acknowledged
    assert state.handled == ["ping"]


def test_unknown_events_and_forgeries(receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    unknown = _event("run.paused")
    assert deliver(url, unknown, state.client.webhooks.sign(unknown, secret=SECRET)) == [200]
    assert state.handled == []
    other = base64.b64encode(os.urandom(32)).decode()
    forged = state.client.webhooks.sign(_event("ping"), secret=other)
    assert deliver(url, _event("ping"), forged, attempts=1) == [400]
    tampered = state.client.webhooks.sign(_event("ping"), secret=SECRET)
    assert deliver(url, _event("run.failed"), tampered, attempts=1) == [400]
    assert state.handled == []


def test_a_delivery_that_is_not_an_event_and_a_wrong_length_key() -> None:
    client = mobius_typed.Mobius(api_key="mbx_test")
    body = b"action invocation"
    headers = client.webhooks.sign(body, secret=SECRET)
    assert client.webhooks.verify(body, headers, secret=SECRET, replay_cache=None) == body
    short = base64.b64encode(os.urandom(24)).decode()
    with pytest.raises(mobius_typed.ConfigurationError):
        client.webhooks.verify(body, headers, secret=short, replay_cache=None)
    client.close()


@pytest.mark.anyio
async def test_async_unwrap_and_release() -> None:
    async with mobius_typed.AsyncMobius(api_key="mbx_test") as client:
        cache = mobius_typed.WebhookReplayCache()
        body = _event("ping")
        headers = client.webhooks.sign(body, secret=SECRET)
        event = client.webhooks.unwrap(body, headers, secret=SECRET, replay_cache=cache)
        assert event.type_ == "ping"
        with pytest.raises(WebhookReplayError):
            client.webhooks.unwrap(body, headers, secret=SECRET, replay_cache=cache)
        client.webhooks.release(headers, replay_cache=cache)
        assert client.webhooks.unwrap(body, headers, secret=SECRET, replay_cache=cache).type_ == "ping"
