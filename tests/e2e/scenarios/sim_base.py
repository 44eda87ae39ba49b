"""What every vendor simulator shares: request log, planned misbehaviour, SSE framing, uvicorn thread.

A simulator is a Starlette app whose routes are registered with :meth:`Simulator.route`. Each request is
recorded (after its body was read, so "the server received it"), then authenticated the vendor's way, then
answered by a planned fault if one matches, else by the route's handler. Tests read the log and plan faults
through the same object; the server runs in a background thread of the test process.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

Handler = Callable[[Request, bytes], Awaitable[Response]]
AuthCheck = Callable[[Request, "RouteInfo"], Response | None]


class Abort(Exception):
    """Raised inside a streamed body: uvicorn cuts the connection mid-response."""


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.query if k == name), None)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Fault:
    """Answer the next `times` matching requests with `status` (or cut the connection: `drop`)."""

    method: str
    path: str
    status: int
    times: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


@dataclass(frozen=True)
class RouteInfo:
    """How a route authenticates: `scoped` routes need the vendor's scope header/path; `scope` a key scope."""

    path: str
    method: str
    auth: bool = True
    scoped: bool = True
    scope: str | None = None


class Simulator:
    """Routes, request log, faults and per-test state of one vendor's fake server."""

    def __init__(self, name: str, auth: AuthCheck, error: Callable[[int, str], Response]) -> None:
        self.name = name
        self._auth = auth
        self.error = error  # the vendor's error envelope for (status, message)
        self._routes: list[Route] = []
        self._lock = threading.Lock()
        self._requests: list[Seen] = []
        self._faults: list[Fault] = []
        self.drops: dict[str, list[int]] = {}  # stream key -> events sent before each cut
        self.state: dict[str, Any] = {}
        self.reset_hooks: list[Callable[[], None]] = []

    # -- what tests use ------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._faults.clear()
            self.drops.clear()
            self.state.clear()
        for hook in self.reset_hooks:
            hook()

    def fail(
        self,
        method: str,
        path: str,
        status: int = 500,
        *,
        times: int = 1,
        body: Any = None,
        headers: dict[str, str] | None = None,
        drop: bool = False,
    ) -> None:
        """Plan a misbehaviour: the next `times` `method path` requests get `status` and `body`."""
        with self._lock:
            self._faults.append(Fault(method, path, status, times, body, dict(headers or {}), drop))

    def requests(self, method: str | None = None, path: str | None = None) -> list[Seen]:
        with self._lock:
            return [
                r
                for r in self._requests
                if (method is None or r.method == method) and (path is None or r.path == path)
            ]

    def count(self, method: str | None = None, path: str | None = None) -> int:
        return len(self.requests(method, path))

    # -- building the app ----------------------------------------------------------------

    def route(
        self,
        path: str,
        method: str = "GET",
        *,
        auth: bool = True,
        scoped: bool = True,
        scope: str | None = None,
    ) -> Callable[[Handler], Handler]:
        info = RouteInfo(path, method, auth, scoped, scope)

        def register(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                body = await request.body()
                seen = Seen(
                    request.method,
                    request.url.path,
                    list(request.query_params.multi_items()),
                    {k.lower(): v for k, v in request.headers.items()},
                    body,
                    time.monotonic(),
                )
                with self._lock:
                    self._requests.append(seen)
                if info.auth:
                    denied = self._auth(request, info)
                    if denied is not None:
                        return denied
                fault = self._take_fault(request.method, request.url.path)
                if fault is not None:
                    return self._fault_response(fault)
                return await handler(request, body)

            self._routes.append(Route(path, endpoint, methods=[method]))
            return handler

        return register

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method == method and fault.path == path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _fault_response(self, fault: Fault) -> Response:
        if fault.drop:
            return StreamingResponse(_cut(), media_type="application/json")
        if fault.body is None:
            response = self.error(fault.status, "simulated failure")
        else:
            response = JSONResponse(fault.body, status_code=fault.status)
        response.headers.update(fault.headers)
        return response

    def app(self) -> Starlette:
        return Starlette(routes=list(self._routes))

    def next_drop(self, key: str) -> int | None:
        """How many events the next connection of stream `key` gets before it is cut (None: no cut)."""
        with self._lock:
            plan = self.drops.get(key)
            return plan.pop(0) if plan else None


async def _cut() -> AsyncIterator[bytes]:
    yield b""
    raise Abort("connection cut by the simulator")


# -- SSE -----------------------------------------------------------------------------------------


def sse_frame(data: Any, *, event: str | None = None, event_id: str | None = None) -> bytes:
    """One server-sent event: optional `id:` and `event:` lines, one `data:` line, a blank line."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    lines.append("data: " + (data if isinstance(data, str) else json.dumps(data)))
    return ("\n".join(lines) + "\n\n").encode()


def sse_response(
    frames: Iterable[bytes], *, cut_after: int | None = None, linger: float = 0.0, tail: Iterable[bytes] = ()
) -> StreamingResponse:
    """Stream `frames`; cut the connection after `cut_after` of them; after the last one send `tail`
    and keep the connection open `linger` seconds (what a client must not wait for after a terminal event).
    """

    async def body() -> AsyncIterator[bytes]:
        yield b": stream open\n\n"
        for index, frame in enumerate(frames):
            if cut_after is not None and index == cut_after:
                await asyncio.sleep(0.02)
                raise Abort("stream cut by the simulator")
            yield frame
            await asyncio.sleep(0)
        for frame in tail:
            yield frame
        if linger:
            await asyncio.sleep(linger)

    return StreamingResponse(body(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


# -- multipart -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def multipart_parts(request: Request, body: bytes) -> list[Part]:
    """The parts of a multipart/form-data body, in order (parsed with the standard library)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return []
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        parts.append(
            Part(
                name=str(part.get_param("name", header="content-disposition")),
                filename=part.get_filename(),
                content_type=part.get("content-type") if "content-type" in part else None,
                data=payload if isinstance(payload, bytes) else b"",
            )
        )
    return parts


# -- the server thread ---------------------------------------------------------------------------


class ServerThread:
    """uvicorn serving one app on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app: Starlette) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="critical", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


def int_param(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name)
    return default if value is None else int(value)
