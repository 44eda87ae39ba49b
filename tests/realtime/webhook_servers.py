"""A webhook sender and two webhook receivers on 127.0.0.1, for the delivery tests.

`Sender` plays the API: it signs each attempt of a delivery independently of the runtime, as the vendor
documents it (HMAC-SHA256 keyed with the 32-byte secret over `v1.<delivery id>.<timestamp>.<raw body>`,
sent as `sha256=<hex>` with the version, timestamp, delivery id and secret ref/version headers), POSTs it,
and redelivers the same delivery id (freshly signed) until it gets a 2xx, as the API retries.

The receivers are a user's endpoints: `/events` hands `client.webhooks.unwrap(body, headers)` events to a
handler, `/actions` hands `client.webhooks.verify(body, headers)` bytes to it; a failing handler releases
the delivery id and answers 500. `SyncReceiver` is a threaded `http.server` with the sync client,
`AsyncReceiver` a Starlette app under uvicorn with the async client and an async handler.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import uvicorn
from mobius_typed import (
    AsyncMobius,
    ConfigurationError,
    Mobius,
    WebhookPayloadError,
    WebhookReplayError,
    WebhookVerificationError,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SECRET_REF = "mobius/webhook/wbh_test"


def signature(key: bytes, delivery_id: str, timestamp: str, body: bytes) -> str:
    message = b"v1." + delivery_id.encode() + b"." + timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(key, message, hashlib.sha256).hexdigest()


@dataclass
class Sender:
    """The API's side: signed deliveries, redelivered until a 2xx (at most `attempts` times)."""

    url: str
    key: bytes
    attempts: int = 4

    def deliver(
        self,
        path: str,
        body: bytes,
        delivery_id: str,
        *,
        key: bytes | None = None,
        version: str = "v1",
        secret_version: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> list[int]:
        statuses: list[int] = []
        with httpx.Client(base_url=self.url, timeout=30) as http:
            for _ in range(self.attempts):
                stamp = str(int(time.time()))
                sent = {
                    "Content-Type": "application/json",
                    "X-Mobius-Signature": signature(key or self.key, delivery_id, stamp, body),
                    "X-Mobius-Signature-Version": version,
                    "X-Mobius-Timestamp": stamp,
                    "X-Mobius-Delivery-Id": delivery_id,
                    "X-Mobius-Secret-Ref": SECRET_REF,
                    "X-Mobius-Secret-Version": str(secret_version or 1),
                    **(headers or {}),
                }
                statuses.append(http.post(path, content=body, headers=sent).status_code)
                if statuses[-1] < 300:
                    break
        return statuses


@dataclass
class Receiver:
    """What a receiver saw, and how its handler behaves (fail the first `fail[id]` times)."""

    secret: Any = None
    fail: dict[str, int] = field(default_factory=dict)
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (delivery id, outcome)
    handled: list[tuple[str, object]] = field(default_factory=list)  # (delivery id, event or bytes)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def note(self, delivery_id: str, outcome: str) -> None:
        with self.lock:
            self.outcomes.append((delivery_id, outcome))

    def run_handler(self, delivery_id: str, value: object) -> None:
        """The user's handling: raises while `fail[delivery_id]` says so."""
        with self.lock:
            left = self.fail.get(delivery_id, 0)
            if left:
                self.fail[delivery_id] = left - 1
                raise RuntimeError("the handler failed")
            self.handled.append((delivery_id, value))

    def for_id(self, delivery_id: str) -> list[str]:
        with self.lock:
            return [outcome for d, outcome in self.outcomes if d == delivery_id]


def _answer(receiver: Receiver, client: Mobius | AsyncMobius, path: str, body: bytes, headers: Any) -> Any:
    """Verify (the part shared by both receivers): the value to hand over, or the status to answer."""
    delivery_id = str(headers.get("X-Mobius-Delivery-Id", ""))
    try:
        if path == "/actions":
            return client.webhooks.verify(body, headers, secret=receiver.secret)
        return client.webhooks.unwrap(body, headers, secret=receiver.secret)
    except WebhookReplayError:
        receiver.note(delivery_id, "replay")
        return 200
    except WebhookVerificationError as exc:
        receiver.note(delivery_id, f"rejected: {type(exc).__name__}")
        return 400
    except WebhookPayloadError as exc:
        receiver.note(delivery_id, f"unknown: {exc.event_type}")
        return 503  # not an event this version knows: ask for a redelivery after an upgrade
    except ConfigurationError:
        receiver.note(delivery_id, "misconfigured")
        return 500


class SyncReceiver(Receiver):
    """A threaded `http.server` endpoint with the sync client."""

    def start(self) -> None:
        client = Mobius(api_key="mbx_test_key", base_url="http://127.0.0.1:9", project="p")
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = dict(self.headers.items())
                delivery_id = headers.get("X-Mobius-Delivery-Id", "")
                value = _answer(receiver, client, self.path, body, headers)
                status = value if isinstance(value, int) else 200
                if not isinstance(value, int):
                    try:
                        receiver.run_handler(delivery_id, value)
                        receiver.note(delivery_id, "handled")
                    except RuntimeError:
                        client.webhooks.release(headers)
                        receiver.note(delivery_id, "failed")
                        status = 500
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                del format, args

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class AsyncReceiver(Receiver):
    """A Starlette endpoint under uvicorn with the async client and an async handler."""

    def start(self) -> None:
        client = AsyncMobius(api_key="mbx_test_key", base_url="http://127.0.0.1:9", project="p")
        receiver = self

        async def handle(value: object, delivery_id: str) -> None:
            await asyncio.sleep(0)  # the user's handler awaits something
            receiver.run_handler(delivery_id, value)

        async def endpoint(request: Request) -> Response:
            body = await request.body()
            delivery_id = request.headers.get("X-Mobius-Delivery-Id", "")
            value = _answer(receiver, client, request.url.path, body, request.headers)
            if isinstance(value, int):
                return Response(status_code=value)
            try:
                await handle(value, delivery_id)
            except RuntimeError:
                client.webhooks.release(request.headers)
                receiver.note(delivery_id, "failed")
                return Response(status_code=500)
            receiver.note(delivery_id, "handled")
            return Response(status_code=200)

        app = Starlette(
            routes=[
                Route("/events", endpoint, methods=["POST"]),
                Route("/actions", endpoint, methods=["POST"]),
            ]
        )
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:  # startup, not a timed assertion: generous on a busy machine
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
