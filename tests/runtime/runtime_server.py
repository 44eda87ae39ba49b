"""A small Starlette app that behaves like the vendors the runtime must handle.

It runs under uvicorn in a background thread (see ``conftest.py``). Every handler records what
it received in ``STATE`` so tests can assert on what the server saw; tests isolate themselves
with a unique ``key`` path segment.
"""

from __future__ import annotations

import asyncio
import email.policy
import email.utils
import hashlib
import json
import socket
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    raw_path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class State:
    """What the server has seen, per test key."""

    requests: dict[str, list[Seen]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, key: str, seen: Seen) -> int:
        """Store ``seen`` under ``key``; return how many requests ``key`` has had."""
        with self.lock:
            self.requests[key].append(seen)
            return len(self.requests[key])

    def count(self, key: str) -> int:
        with self.lock:
            return len(self.requests[key])

    def seen(self, key: str) -> list[Seen]:
        with self.lock:
            return list(self.requests[key])


STATE = State()


class Abort(Exception):
    """Raised inside a streaming body to cut the connection without finishing the response."""


async def _record(request: Request, key: str | None = None) -> tuple[Seen, int]:
    body = await request.body()
    seen = Seen(
        method=request.method,
        raw_path=request.scope["raw_path"].decode("latin-1"),
        query=list(request.query_params.multi_items()),
        headers={k.decode("latin-1"): v.decode("latin-1") for k, v in request.scope["headers"]},
        body=body,
    )
    name = key or request.path_params.get("key") or "-"
    return seen, STATE.record(name, seen)


# -- echo -----------------------------------------------------------------------------------


async def echo(request: Request) -> Response:
    seen, _ = await _record(request)
    for segment in set(request.path_params["rest"].split("/")):  # findable by any segment
        STATE.record(segment, seen)
    try:
        parsed: Any = json.loads(seen.body) if seen.body else None
    except ValueError:
        parsed = seen.body.decode("latin-1")
    return JSONResponse(
        {
            "method": seen.method,
            "raw_path": seen.raw_path,
            "query": seen.query,
            "headers": seen.headers,
            "json": parsed,
            "content_type": seen.headers.get("content-type"),
        },
        headers={"x-request-id": "req_echo"},
    )


# -- errors ---------------------------------------------------------------------------------

ERROR_BODIES: dict[str, Any] = {
    "detail": {"detail": "Workflow not found"},
    "detail_list": {"detail": [{"loc": ["body", "name"], "msg": "field required", "type": "x"}]},
    "detail_obj": {"detail": {"code": "rate_limited", "reason": "org limit reached"}},
    "denial": {
        "code": "quota_exceeded",
        "layer": "quota",
        "key": "runs",
        "current": 101,
        "limit": 100,
        "reason": "Monthly run quota exhausted",
    },
    "nested": {
        "error": {
            "code": "NOT_FOUND",
            "status": "NOT_FOUND",
            "message": "Skill 42 does not exist",
            "requestId": "req_body_01",
        }
    },
    "text": "upstream exploded",
    "empty": None,
}


async def errors(request: Request) -> Response:
    await _record(request)
    status = int(request.path_params["status"])
    shape = request.query_params.get("shape", "detail")
    headers: dict[str, str] = {}
    if "rid" in request.query_params:
        headers["x-request-id"] = request.query_params["rid"]
    if "retry_after" in request.query_params:
        headers["Retry-After"] = request.query_params["retry_after"]
    body = ERROR_BODIES[shape]
    if body is None:
        return Response(status_code=status, headers=headers)
    if isinstance(body, str):
        return Response(body, status_code=status, headers=headers, media_type="text/plain")
    return JSONResponse(body, status_code=status, headers=headers)


# -- retries --------------------------------------------------------------------------------


async def flaky(request: Request) -> Response:
    """Fail the first ``fail`` attempts of a key with ``status`` (or a dropped connection)."""
    _seen, attempt = await _record(request)
    q = request.query_params
    fail = int(q.get("fail", "1"))
    if attempt <= fail:
        mode = q.get("mode", "status")
        if mode == "sleep":
            await asyncio.sleep(float(q.get("sleep", "1")))
        elif mode == "drop":
            return StreamingResponse(_drop_body(), media_type="application/json")
        headers: dict[str, str] = {}
        if "retry_after" in q:
            headers["Retry-After"] = q["retry_after"]
        if "retry_after_ms" in q:
            headers["retry-after-ms"] = q["retry_after_ms"]
        if "retry_after_date" in q:
            when = time.time() + float(q["retry_after_date"])
            headers["Retry-After"] = email.utils.formatdate(when, usegmt=True)
        status = int(q.get("status", "503"))
        return JSONResponse({"detail": f"attempt {attempt} failed"}, status, headers=headers)
    keys = [s.headers.get("idempotency-key") for s in STATE.seen(request.path_params["key"])]
    return JSONResponse({"attempts": attempt, "idempotency_keys": keys, "at": time.time()})


async def _drop_body() -> AsyncIterator[bytes]:
    yield b'{"partial": '
    raise Abort("cut the connection")


# -- pagination -----------------------------------------------------------------------------

TOTAL_ITEMS = 10


def _item(n: int) -> dict[str, Any]:
    return {"id": f"it_{n}", "name": f"item {n}", "sequence": n, "extraField": n * 10}


async def page_style(request: Request) -> Response:
    await _record(request)
    q = request.query_params
    size = int(q.get("page_size", "3"))
    variant = request.path_params["variant"]
    page = int(q.get("page", "0" if variant == "zero" else "1"))
    start = (page - 1) * size if variant != "zero" else page * size
    items = [_item(n) for n in range(start, min(start + size, TOTAL_ITEMS))]
    total_pages = -(-TOTAL_ITEMS // size)
    body: dict[str, Any] = {"workflows": items, "page": page, "page_size": size}
    if variant in ("total", "zero"):
        body["total_pages"] = total_pages
    elif variant == "has_more":
        body["has_more"] = start + size < TOTAL_ITEMS
    # variant "empty": nothing but the items; the client stops on an empty page
    return JSONResponse(body)


async def offset_style(request: Request) -> Response:
    await _record(request)
    q = request.query_params
    limit = int(q.get("limit", "4"))
    offset = int(q.get("offset", "0"))
    variant = request.path_params["variant"]
    served = min(limit, OFFSET_CAP) if variant.startswith("capped") else limit  # the server's own cap
    items = [_item(n) for n in range(offset, min(offset + served, TOTAL_ITEMS))]
    if variant == "bare":
        return JSONResponse(items)
    body: dict[str, Any] = {"runs": items, "limit": limit, "offset": offset}
    if variant == "capped_total":
        body["total"] = TOTAL_ITEMS
    elif variant == "capped_has_more":
        body["has_more"] = offset + len(items) < TOTAL_ITEMS
    return JSONResponse(body)


OFFSET_CAP = 2  # what the ``capped_*`` offset variants serve at most, whatever the limit asked


async def token_faults(request: Request) -> Response:
    """Cursor pages that misbehave: empty pages with fresh tokens, sticky tokens, no end at all.

    ``gap``: the items in pages of 3, with ``?gap=N`` empty pages (fresh tokens) after the first;
    ``endless``: 3 items, then empty pages with a fresh token each, forever; ``sticky``: 3 items,
    then an empty page whose token repeats the one sent; ``sticky_items``: 3 items, then 3 more
    with the token just sent, again and again.
    """
    _, count = await _record(request)
    variant = request.path_params["variant"]
    cursor = request.query_params.get("cursor")
    if cursor is None:
        return JSONResponse({"items": [_item(n) for n in range(3)], "next_cursor": "t1"})
    if variant == "sticky":
        return JSONResponse({"items": [], "next_cursor": cursor})
    if variant == "sticky_items":
        return JSONResponse({"items": [_item(n) for n in range(3, 6)], "next_cursor": cursor})
    if variant == "endless":
        return JSONResponse({"items": [], "next_cursor": f"t{count}"})
    gap = int(request.query_params.get("gap", "3"))
    if count <= gap + 1:
        return JSONResponse({"items": [], "next_cursor": f"t{count}"})
    start = 3 * (count - gap - 1)
    end = min(start + 3, TOTAL_ITEMS)
    nxt = f"t{count}" if end < TOTAL_ITEMS else None
    return JSONResponse({"items": [_item(n) for n in range(start, end)], "next_cursor": nxt})


def _encode_cursor(n: int) -> str:
    return f"c{n}"


async def cursor_style(request: Request) -> Response:
    await _record(request)
    q = request.query_params
    limit = int(q.get("limit", "3"))
    start = int(q["cursor"][1:]) if q.get("cursor") else 0
    end = min(start + limit, TOTAL_ITEMS)
    more = end < TOTAL_ITEMS
    body: dict[str, Any] = {
        "items": [_item(n) for n in range(start, end)],
        "next_cursor": _encode_cursor(end) if more else None,
    }
    if request.path_params["variant"] == "has_more":
        body["has_more"] = more
        body["next_cursor"] = _encode_cursor(end)  # has_more is what decides
    return JSONResponse(body)


async def page_token_style(request: Request) -> Response:
    await _record(request)
    q = request.query_params
    size = int(q.get("pageSize", "3"))
    start = int(q["pageToken"].removeprefix("tok")) if q.get("pageToken") else 0
    end = min(start + size, TOTAL_ITEMS)
    return JSONResponse(
        {
            "runs": [_item(n) for n in range(start, end)],
            "nextPageToken": f"tok{end}" if end < TOTAL_ITEMS else "",
        }
    )


async def body_cursor_style(request: Request) -> Response:
    seen, _ = await _record(request)
    body = json.loads(seen.body)
    limit = int(body.get("limit", 3))
    start = int(body["cursor"][1:]) if body.get("cursor") else 0
    end = min(start + limit, TOTAL_ITEMS)
    return JSONResponse(
        {
            "items": [_item(n) for n in range(start, end)],
            "has_more": end < TOTAL_ITEMS,
            "next_cursor": _encode_cursor(end) if end < TOTAL_ITEMS else None,
            "filter_echo": body.get("filter"),
        }
    )


async def sequence_style(request: Request) -> Response:
    await _record(request)
    q = request.query_params
    limit = int(q.get("limit", "3"))
    since = int(q.get("since_sequence", "-1"))
    items = [_item(n) for n in range(since + 1, min(since + 1 + limit, TOTAL_ITEMS))]
    body: dict[str, Any] = {"items": items}
    if request.path_params["variant"] == "next":
        more = bool(items) and items[-1]["sequence"] < TOTAL_ITEMS - 1
        body["has_more"] = more
        body["next_sequence"] = items[-1]["sequence"] if items else None
    return JSONResponse(body)


# -- unions ---------------------------------------------------------------------------------

PARROT = {"kind": "parrot", "name": "Polly", "wings": {"span_cm": 30}}
UNION_BODIES: dict[str, Any] = {
    "top": PARROT,
    "list": [{"kind": "cat", "name": "Tom"}, PARROT, {"kind": "dog", "name": "Rex", "good": True}],
    "nested": {"favourite": PARROT, "pets": [{"kind": "emu"}, {"kind": "cat", "name": "Tom"}]},
    "bad_cat": {"kind": "cat", "name": 42},  # a known tag whose object does not match its variant
    "no_tag": {"name": "nobody"},
}


async def unions(request: Request) -> Response:
    """A response whose union members include a variant the client does not know (``parrot``)."""
    await _record(request)
    return JSONResponse(UNION_BODIES[request.path_params["shape"]])


# -- server-sent events ---------------------------------------------------------------------


def _sse(data: Any, *, event: str | None = None, id: str | None = None, raw: bool = False) -> bytes:
    lines = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    text = data if raw else json.dumps(data)
    lines.extend(f"data: {line}" for line in text.split("\n"))
    return ("\n".join(lines) + "\n\n").encode()


async def sse_data(request: Request) -> Response:
    await _record(request)

    async def body() -> AsyncIterator[bytes]:
        yield b": a comment line\n\n"
        yield b"retry: 5\n\n"
        yield _sse({"type": "metadata", "run_id": "r1"})
        yield _sse({"type": "heartbeat"})
        yield _sse({"type": "brand_new_kind", "x": 1})  # unknown to the client: skipped
        # one event split over several data lines and several network chunks, CRLF endings
        yield b'data: {"type": "node_update",\r\ndata:  "node_id": "n1",'
        yield b'\r\ndata: "status": "completed"}\r\n\r\n'
        yield b"data: [DONE]\n\n"
        yield _sse({"type": "done", "final_state": {"ok": True}})
        yield _sse({"type": "node_update", "node_id": "after-terminal"})

    return StreamingResponse(body(), media_type="text/event-stream")


async def sse_named(request: Request) -> Response:
    await _record(request)

    async def body() -> AsyncIterator[bytes]:
        yield _sse({"user": "u1"}, event="connected")
        yield _sse({}, event="keepalive")
        yield _sse({"type": "public", "timestamp": 1}, event="chat_list_updated")
        yield _sse("plain text, not json", event="notice", raw=True)
        yield _sse({"message": "bye"}, event="error")
        yield _sse({"type": "private", "timestamp": 2}, event="chat_list_updated")

    return StreamingResponse(body(), media_type="text/event-stream")


SSE_TOTAL = 9


async def sse_resume_header(request: Request) -> Response:
    """Events 1..SSE_TOTAL with ids; every connection sends 3 new events then is cut.

    On resume it replays the last event the client saw (inclusive), which the client must
    drop as a duplicate.
    """
    _, _attempt = await _record(request)
    last = request.headers.get("last-event-id")
    start = int(last) if last else 1  # inclusive replay
    drop_mode = request.query_params.get("drop", "abort")

    async def body() -> AsyncIterator[bytes]:
        sent_new = 0
        for n in range(start, SSE_TOTAL + 1):
            yield _sse({"type": "token", "n": n}, id=str(n))
            yield _sse({"type": "heartbeat"})
            if last is None or n > int(last):
                sent_new += 1
            if sent_new == 3 and n < SSE_TOTAL:
                if drop_mode == "abort":
                    raise Abort("drop")
                return
            await asyncio.sleep(0)
        yield _sse({"type": "done", "n": SSE_TOTAL + 1}, id=str(SSE_TOTAL + 1))

    return StreamingResponse(body(), media_type="text/event-stream")


async def sse_resume_query(request: Request) -> Response:
    """Events carry ``sequence``; resume with ``since_sequence`` or ``Last-Event-ID`` (inclusive replay).

    A request giving both positions is refused with 400: the server cannot tell which one is meant.
    """
    await _record(request)
    since = request.query_params.get("since_sequence")
    header = request.headers.get("last-event-id")
    if since is not None and header is not None:
        return JSONResponse({"detail": f"two positions: since_sequence={since}, Last-Event-ID={header}"}, 400)
    position = since if since is not None else header
    start = int(position) if position is not None else 1
    drop_mode = request.query_params.get("drop", "close")

    async def body() -> AsyncIterator[bytes]:
        sent_new = 0
        for n in range(start, SSE_TOTAL + 1):
            yield _sse({"event_type": "step.completed", "sequence": n}, event="step.completed")
            if position is None or n > int(position):
                sent_new += 1
            if sent_new == 2 and n < SSE_TOTAL:
                if drop_mode == "abort":
                    raise Abort("drop")
                return  # clean close before the terminal event
        yield _sse({"event_type": "run.completed", "sequence": SSE_TOTAL + 1}, event="run.completed")

    return StreamingResponse(body(), media_type="text/event-stream")


async def sse_plain(request: Request) -> Response:
    """No terminal events: the stream ends when the server closes it."""
    await _record(request)

    async def body() -> AsyncIterator[bytes]:
        for n in range(3):
            yield _sse({"type": "tick", "n": n})

    return StreamingResponse(body(), media_type="text/event-stream")


async def sse_always_drop(request: Request) -> Response:
    await _record(request)

    async def body() -> AsyncIterator[bytes]:
        yield b": hello\n\n"
        raise Abort("drop")

    return StreamingResponse(body(), media_type="text/event-stream")


CUT_EVENTS = 5


def cut_body() -> bytes:
    """The whole body of ``/sse/cut``: ids 1..CUT_EVENTS, multi-byte text, then ``done``."""
    frames = [
        _sse(
            json.dumps({"type": "token", "n": n, "text": f"é{n}✓ ünï"}, ensure_ascii=False),
            id=str(n),
            raw=True,
        )
        for n in range(1, CUT_EVENTS + 1)
    ]
    frames.append(_sse({"type": "done", "n": CUT_EVENTS + 1}, id=str(CUT_EVENTS + 1)))
    return b"".join(frames)


async def sse_cut(request: Request) -> Response:
    """The first connection gets the first ``at`` bytes of :func:`cut_body`, then is cut (``mode=abort``)
    or closed cleanly (``mode=close``); a reconnect gets every event after its ``Last-Event-ID``."""
    _, attempt = await _record(request)
    q = request.query_params
    whole = cut_body()
    if attempt == 1:
        at, mode = int(q["at"]), q.get("mode", "abort")

        async def first() -> AsyncIterator[bytes]:
            # in two writes, so the cut also falls inside what one read returns
            yield whole[: at // 2]
            await asyncio.sleep(0)
            yield whole[at // 2 : at]
            if mode == "abort":
                raise Abort("cut")

        return StreamingResponse(first(), media_type="text/event-stream")
    last = int(request.headers.get("last-event-id") or 0)
    frames = whole.split(b"\n\n")[:-1]
    rest = b"".join(f + b"\n\n" for f in frames if int(f.split(b"\n")[0].removeprefix(b"id: ")) > last)
    return Response(rest, media_type="text/event-stream")


async def sse_reconnect_refused(request: Request) -> Response:
    """Two events (ids 1, 2) then a cut; the reconnect is answered ``status`` with the retry headers
    given in the query; the next one resumes after ``Last-Event-ID``."""
    _, attempt = await _record(request)
    q = request.query_params
    if attempt == 2:
        headers = {}
        if "retry_after" in q:
            headers["Retry-After"] = q["retry_after"]
        if "retry_after_ms" in q:
            headers["retry-after-ms"] = q["retry_after_ms"]
        return JSONResponse({"detail": "busy"}, int(q.get("status", "503")), headers=headers)
    last = int(request.headers.get("last-event-id") or 0)

    async def body() -> AsyncIterator[bytes]:
        yield f"retry: {q.get('sse_retry', '50')}\n\n".encode()
        for n in range(last + 1, 5):
            yield _sse({"type": "token", "n": n}, id=str(n))
            if attempt == 1 and n == 2:
                raise Abort("drop")
        yield _sse({"type": "done", "n": 5}, id="5")

    return StreamingResponse(body(), media_type="text/event-stream")


async def sse_not_a_stream(request: Request) -> Response:
    """A JSON 200 (as from a proxy) instead of an event stream, on attempt ``json_at`` (1: the first)."""
    _, attempt = await _record(request)
    if attempt >= int(request.query_params.get("json_at", "1")):
        return JSONResponse({"detail": "Served by the edge proxy", "code": "edge_cache"}, 200)

    async def body() -> AsyncIterator[bytes]:
        yield _sse({"type": "token", "n": 1}, id="1")
        raise Abort("drop")

    return StreamingResponse(body(), media_type="text/event-stream")


async def sse_quiet(request: Request) -> Response:
    """An event, ``pause`` seconds of silence, then the rest; a reconnect resumes after ``Last-Event-ID``
    without the pause."""
    await _record(request)
    pause = float(request.query_params.get("pause", "0.5"))
    last = int(request.headers.get("last-event-id") or 0)

    async def body() -> AsyncIterator[bytes]:
        if last < 1:
            yield _sse({"type": "token", "n": 1}, id="1")
            await asyncio.sleep(pause)
        yield _sse({"type": "token", "n": 2}, id="2")
        yield _sse({"type": "done", "n": 3}, id="3")

    return StreamingResponse(body(), media_type="text/event-stream")


# -- uploads and downloads ------------------------------------------------------------------


async def upload(request: Request) -> Response:
    seen, attempt = await _record(request)
    if request.query_params.get("fail") == "1" and attempt == 1:
        return JSONResponse({"detail": "try again"}, 503)
    content_type = seen.headers.get("content-type", "")
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + seen.body
    )
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True) or b""
        assert isinstance(payload, bytes)
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "content_type": part.get("content-type"),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "size": len(payload),
                "text": payload.decode("utf-8", "replace") if len(payload) < 200 else None,
            }
        )
    return JSONResponse({"content_type": content_type, "parts": parts})


async def raw_upload(request: Request) -> Response:
    seen, attempt = await _record(request)
    if request.query_params.get("fail") == "1" and attempt == 1:
        return JSONResponse({"detail": "try again"}, 503)
    return JSONResponse(
        {
            "sha256": hashlib.sha256(seen.body).hexdigest(),
            "size": len(seen.body),
            "content_type": seen.headers.get("content-type"),
        }
    )


def download_bytes(size: int) -> bytes:
    """The deterministic payload of ``/download/{size}``."""
    pattern = bytes(range(256))
    return (pattern * (size // 256 + 1))[:size]


async def download(request: Request) -> Response:
    await _record(request)
    size = int(request.path_params["size"])
    payload = download_bytes(size)

    async def body() -> AsyncIterator[bytes]:
        for offset in range(0, size, 64 * 1024):
            yield payload[offset : offset + 64 * 1024]

    return StreamingResponse(body(), media_type="application/pdf", headers={"content-length": str(size)})


async def ratelimited(request: Request) -> Response:
    await _record(request)
    return JSONResponse(
        {"ok": True, "requestId": "req_in_body"},
        headers={
            "X-RateLimit-Limit": "60",
            "X-RateLimit-Remaining": "59",
            "X-RateLimit-Reset": "30",
            "x-request-id": "req_rl_1",
        },
    )


async def empty(request: Request) -> Response:
    await _record(request)
    return Response(status_code=204)


app = Starlette(
    routes=[
        Route("/echo/{rest:path}", echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/errors/{key}/{status:int}", errors, methods=["GET", "POST"]),
        Route("/flaky/{key}", flaky, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        Route("/pages/page/{variant}/{key}", page_style),
        Route("/pages/offset/{variant}/{key}", offset_style),
        Route("/pages/cursor/{variant}/{key}", cursor_style),
        Route("/pages/token_faults/{variant}/{key}", token_faults),
        Route("/pages/page_token/{key}", page_token_style),
        Route("/pages/body_cursor/{key}", body_cursor_style, methods=["POST"]),
        Route("/pages/sequence/{variant}/{key}", sequence_style),
        Route("/unions/{shape}/{key}", unions),
        Route("/sse/data/{key}", sse_data),
        Route("/sse/named/{key}", sse_named),
        Route("/sse/resume-header/{key}", sse_resume_header, methods=["GET", "POST"]),
        Route("/sse/resume-query/{key}", sse_resume_query),
        Route("/sse/plain/{key}", sse_plain),
        Route("/sse/always-drop/{key}", sse_always_drop),
        Route("/sse/cut/{key}", sse_cut),
        Route("/sse/reconnect-refused/{key}", sse_reconnect_refused),
        Route("/sse/not-a-stream/{key}", sse_not_a_stream),
        Route("/sse/quiet/{key}", sse_quiet),
        Route("/upload/{key}", upload, methods=["POST"]),
        Route("/raw-upload/{key}", raw_upload, methods=["PUT", "POST"]),
        Route("/download/{key}/{size:int}", download),
        Route("/ratelimited/{key}", ratelimited),
        Route("/empty/{key}", empty, methods=["DELETE", "GET"]),
    ]
)


class ServerThread:
    """uvicorn serving ``app`` on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="critical", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
