"""Real WebSocket servers on 127.0.0.1 that speak the two protocols the generated clients implement.

`ChatProtocol` follows the AUTX chat socket (`/ws/agent/{ticker}`): an `auth` frame first (the token in the
frame, nothing on the upgrade request), then `session`, then per `message` the reply as `chunk` frames, `done`
and `billing`, with `heartbeat` frames in between; `close` from the client ends the session. An `error` frame
comes in place of `session` when the token or the agent is wrong.

`WorkerProtocol` follows the Mobius worker socket (`/v1/projects/{project}/workers/socket`): the bearer key on
the upgrade request (a 401 with the JSON error envelope otherwise), `worker.register` answered by
`worker.registered` (a new session token each time, and a `keepalive`), `worker.ready` -> `work.available`,
`jobs.claim` -> `jobs.claimed`, acks for heartbeats, reports (deduplicated), deltas and draining, and an
`error` frame `worker_instance_conflict` for a worker instance that is held elsewhere.

Special values drive the failure cases (prompts, queues, worker ids, tickers); everything each server saw
is recorded per connection for the tests to inspect.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

API_KEY = "sk_live_realtime_SECRET_0123456789"
PROJECT = "acme-prod"


@dataclass
class Connection:
    """One WebSocket connection as the server saw it."""

    path: str
    headers: dict[str, str]
    received: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    close_code: int | None = None


@dataclass
class Record:
    connections: list[Connection] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    registrations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    issued_tokens: dict[str, list[str]] = field(default_factory=dict)
    reports: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)

    def by_path(self, fragment: str) -> list[Connection]:
        with self.lock:
            return [c for c in self.connections if fragment in c.path]


def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Wait until the server thread has recorded what a test expects (it runs concurrently)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


async def _send(conn: ServerConnection, seen: Connection, frame: dict[str, Any]) -> None:
    seen.sent.append(frame)
    await conn.send(json.dumps(frame))


async def _abort(conn: ServerConnection) -> None:
    """Drop the connection without a close frame, after the frames already sent have left.

    The server ends its side with a bare FIN (no close frame: the client sees 1006) and aborts a
    moment later. Aborting at once is a race with what the client still has to read: a frame the
    server "sent" may still sit in the transport's buffer, and closing a socket whose peer's last
    bytes (a heartbeat answer) are unread sends a reset, which makes the client's kernel discard
    frames it received but had not read yet.
    """
    transport: Any = getattr(conn, "transport")  # noqa: B009 - set when the connection is made
    for _ in range(2000):  # at most about 2 s
        if not transport.get_write_buffer_size():
            break
        await asyncio.sleep(0.001)
    if transport.can_write_eof():
        transport.write_eof()
        await asyncio.sleep(0.2)  # the client reads to the end and goes away first
    transport.abort()


class ChatProtocol:
    def __init__(self, record: Record) -> None:
        self.record = record

    async def handle(self, conn: ServerConnection, seen: Connection, ticker: str) -> None:
        first = json.loads(await conn.recv())
        seen.received.append(first)
        if first.get("type") != "auth":
            await _send(conn, seen, {"type": "error", "message": "The first frame must be `auth`."})
            await conn.close(1008, "auth required")
            return
        if first.get("token") != API_KEY:
            await _send(conn, seen, {"type": "error", "message": f"Invalid token {first.get('token')}"})
            await conn.close(1008, "unauthorized")
            return
        if ticker == "NOPE":
            await _send(conn, seen, {"type": "error", "message": "Agent not found"})
            await conn.close(1008, "no such agent")
            return
        if ticker == "SLOW":
            await _send(conn, seen, {"type": "heartbeat"})
            await asyncio.sleep(30)
            return
        await _send(conn, seen, {"type": "heartbeat"})
        await _send(
            conn,
            seen,
            {
                "type": "session",
                "session_id": "ses_abc123",
                "credits_reserved": "0.05",
                "agent": {"ticker": ticker, "name": "Summarizer"},
                "agent_ticker": ticker,
            },
        )
        async for raw in conn:
            frame = json.loads(raw)
            seen.received.append(frame)
            kind = frame.get("type")
            if kind == "close":
                await conn.close(1000, "bye")
                return
            if kind != "message":
                await _send(conn, seen, {"type": "error", "message": f"Unexpected frame {kind!r}"})
                continue
            prompt = str(frame.get("prompt", ""))
            if prompt == "boom":
                await _send(conn, seen, {"type": "error", "message": "Insufficient credits"})
                continue
            if prompt == "drop":
                await _abort(conn)
                return
            if prompt == "not json":
                await conn.send("this is not JSON")
                continue
            if prompt == "future":
                await _send(conn, seen, {"type": "reasoning", "data": "a frame type from a later version"})
            await _send(conn, seen, {"type": "heartbeat"})
            reply = f"Summary of: {prompt}"
            for start in range(0, len(reply), 8):
                await _send(conn, seen, {"type": "chunk", "data": reply[start : start + 8]})
            digest = "sha256:" + hashlib.sha256(reply.encode()).hexdigest()
            await _send(conn, seen, {"type": "done", "order_id": str(uuid.uuid4()), "output_hash": digest})
            await _send(conn, seen, {"type": "billing", "amount_charged": "0.05", "platform_fee": "0.01"})
            if prompt == "goodbye":
                await conn.close(1000, "session over")
                return


class WorkerProtocol:
    def __init__(self, record: Record) -> None:
        self.record = record

    def _token(self, instance: str) -> str:
        with self.record.lock:
            tokens = self.record.issued_tokens.setdefault(instance, [])
            tokens.append(f"wst_{instance}_{len(tokens) + 1}")
            return tokens[-1]

    async def handle(self, conn: ServerConnection, seen: Connection) -> None:
        instance = ""
        async for raw in conn:
            frame = json.loads(raw)
            seen.received.append(frame)
            kind = frame.get("type")
            reply: dict[str, Any] = {"message_id": frame["message_id"]} if "message_id" in frame else {}
            if kind == "worker.register":
                instance = str(frame.get("worker_instance_id"))
                with self.record.lock:
                    self.record.registrations.setdefault(instance, []).append(frame)
                if instance == "held-elsewhere":
                    error = {
                        "code": "worker_instance_conflict",
                        "message": "Another connection holds this worker.",
                    }
                    await _send(conn, seen, {"type": "error", "error": error})
                    await conn.close(1008, "conflict")
                    return
                if instance.startswith("flaky"):
                    await _abort(conn)  # never registers: every reconnect fails the same way
                    return
                await _send(conn, seen, {"type": "keepalive"})
                lease = {"lease_duration_seconds": 30, "heartbeat_cadence_seconds": 10}
                token = self._token(instance)
                await _send(
                    conn, seen, {"type": "worker.registered", "worker_session_token": token, "lease": lease}
                )
                await _send(conn, seen, {"type": "keepalive"})
                if instance == "WORKER_INSTANCE_ID":  # the README example's worker: sent home at once
                    await _send(conn, seen, {"type": "worker.drain"})
            elif kind == "worker.ready":
                await _send(conn, seen, {"type": "work.available"})
            elif kind == "jobs.claim":
                queues = frame.get("queues") or ["default"]
                if "drain" in queues:
                    await _send(conn, seen, {"type": "worker.drain"})
                    continue
                job = {
                    "id": "job_01",
                    "kind": "action_execution",
                    "origin": "automation_action_step",
                    "executor_kind": "customer_worker",
                    "queue": queues[0],
                    "action_name": "send_email",
                    "spec": {"input": {"to": "ops@example.com"}},
                    "lease_token": "lease_tok_1",
                    "claim_attempt": 1,
                    "lease_duration_seconds": 30,
                    "heartbeat_cadence_seconds": 10,
                }
                await _send(conn, seen, {"type": "jobs.claimed", "jobs": [job], **reply})
                if "drop" in queues and instance not in self.record.dropped:
                    self.record.dropped.add(instance)
                    await _abort(conn)
                    return
                if "going-away" in queues and instance not in self.record.dropped:
                    self.record.dropped.add(instance)
                    await conn.close(1001, "server restarting")
                    return
                if "bye" in queues:
                    await conn.close(1000, "done for today")
                    return
            elif kind == "job.heartbeat":
                ack: dict[str, Any] = {"type": "job.heartbeat.ack", "job_id": frame["job_id"], "cancel": None}
                if frame["job_id"] == "job_cancel":
                    ack["cancel"] = {
                        "job_id": frame["job_id"],
                        "reason": "run cancelled",
                        "requested_at": None,
                    }
                await _send(conn, seen, ack)
            elif kind == "job.report":
                duplicate = frame["job_id"] in self.record.reports
                self.record.reports.add(frame["job_id"])
                await _send(
                    conn, seen, {"type": "job.report.ack", "job_id": frame["job_id"], "duplicate": duplicate}
                )
            elif kind == "generation.delta":
                await _send(
                    conn,
                    seen,
                    {
                        "type": "generation.delta.ack",
                        "job_id": frame["job_id"],
                        "received_sequence": frame["sequence"],
                    },
                )
            elif kind == "worker.draining":
                await _send(conn, seen, {"type": "worker.draining.ack"})
            elif kind == "keepalive":
                pass  # recorded above: the answer to the server's keepalive
            else:
                await _send(
                    conn, seen, {"type": "error", "error": {"code": "bad_frame", "message": f"{kind}?"}}
                )


class WebSocketServers:
    """Both protocols on one port, in a background thread with its own event loop."""

    def __init__(self) -> None:
        self.record = Record()
        self.chat = ChatProtocol(self.record)
        self.worker = WorkerProtocol(self.record)
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=self._run, name="ws-servers", daemon=True)

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the WebSocket servers did not start")

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = self._loop.create_future()
        async with serve(self._handler, "127.0.0.1", 0, process_request=self._check) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop

    def _check(self, conn: ServerConnection, request: Request) -> Response | None:
        """Refuse worker upgrades without the bearer key (401) or for the rate-limited project (429)."""
        if "/workers/socket" not in request.path:
            return None
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            body = {"error": {"code": "unauthorized", "message": "The API key is not valid."}}
            return _json_response(conn, HTTPStatus.UNAUTHORIZED, body)
        if request.path.startswith("/v1/projects/limited/"):
            body = {"error": {"code": "rate_limit_exceeded", "message": "Slow down."}}
            return _json_response(conn, HTTPStatus.TOO_MANY_REQUESTS, body, {"Retry-After": "0"})
        return None

    async def _handler(self, conn: ServerConnection) -> None:
        request = conn.request
        assert request is not None
        seen = Connection(path=request.path, headers={k: v for k, v in request.headers.raw_items()})
        with self.record.lock:
            self.record.connections.append(seen)
        try:
            if request.path.startswith("/ws/agent/"):
                await self.chat.handle(conn, seen, unquote(request.path.removeprefix("/ws/agent/")))
            elif request.path.endswith("/workers/socket"):
                await self.worker.handle(conn, seen)
            else:
                await conn.close(1008, "unknown path")
        except ConnectionClosed:
            pass
        finally:
            seen.close_code = conn.close_code


def _json_response(
    conn: ServerConnection, status: HTTPStatus, body: object, headers: dict[str, str] | None = None
) -> Response:
    response = conn.respond(status, json.dumps(body))
    del response.headers["Content-Type"]
    response.headers["Content-Type"] = "application/json"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
