"""A local HTTP server that records every request and answers each operation of an API with a valid body.

The body is the IR's example of the operation's success response (the values the docs use), so a generated
client parses it; a list operation answers its second and later pages with no items, so iteration ends; a
stream sends one example event.
It answers CORS preflights (not recorded: a client never sends them) and allows any origin, so a page in a
browser (the HTML reference's try-it console, from a server or from file://) can call it as a client does.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from generator.ir import model as m
from generator.ir.model import all_operations
from generator.render.docs import Values

# the body of the answers `Recorder.failures` asks for
FAILURE_BODY = b'{"detail": "try again"}'


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    operation: str | None  # the id of the operation the request matched


def path_pattern(base_path: str, template: str, fixed: dict[str, str] | None = None) -> re.Pattern[str]:
    """A regex of the paths an operation's template (under the base URL's path) stands for."""
    pattern = ""
    for piece in re.split(r"(\{[^{}]+\})", base_path.rstrip("/") + template):
        name = piece[1:-1] if piece.startswith("{") else None
        pattern += (
            ("[^/]+" if name not in (fixed or {}) else re.escape(fixed[name])) if name else re.escape(piece)
        )
    return re.compile(pattern + "$")


class Api:
    """The operations of one API, matched by method and path, with their example answers."""

    def __init__(self, api: m.Api) -> None:
        self.api = api
        self.values = Values(api)
        self.routes = []
        for op in all_operations(api):
            if op.websocket is None:
                base = next((s.url for s in api.alt_servers if s.name == op.server), api.base_url)
                self.routes.append((op, path_pattern(urlsplit(base).path, op.path)))
        # the most specific template first: fewer parameters, then longer
        self.routes.sort(key=lambda route: (route[0].path.count("{"), -len(route[0].path)))

    def match(self, method: str, path: str) -> m.Operation | None:
        return next((op for op, rx in self.routes if op.method == method and rx.match(path)), None)

    def answer(self, op: m.Operation, later_page: bool) -> tuple[int, str, bytes]:
        success = next((r for r in op.responses if r.status.startswith("2")), None)
        if success is None or success.type is None or success.kind == "empty":
            return 204 if success is None or success.status == "204" else int(success.status), "", b""
        if success.kind == "binary":
            return (
                int(success.status),
                success.content_type or "application/octet-stream",
                b"%PDF-1.7 example",
            )
        if success.kind == "sse" and op.stream is not None:
            event = self.values.of(op.stream.event, "value", set())[1]
            return 200, "text/event-stream", f"data: {json.dumps(event)}\n\n".encode()
        if success.kind == "sse":
            return 200, "text/event-stream", b""
        body: Any = self.values.of(success.type, "value", set())[1]
        if op.pagination is not None and later_page:
            body = _without_items(body, op.pagination.items)
        return int(success.status), "application/json", json.dumps(body).encode()


def _without_items(body: Any, items: str | None) -> Any:
    if not items:
        return []
    head, _, rest = items.partition(".")
    if isinstance(body, dict):
        return {**body, head: _without_items(body.get(head), rest) if rest else []}
    return body


class Recorder:
    def __init__(self, api: m.Api) -> None:
        self.api = Api(api)
        self.requests: list[Recorded] = []
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.failures: list[int] = []  # statuses to answer the next requests with, before the real answers

    def handle(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, bytes]:
        url = urlsplit(target)
        op = self.api.match(method, url.path)
        with self.lock:
            self.requests.append(Recorded(method, url.path, parse_qs(url.query), headers, body, op and op.id))
            if op is not None:
                self.seen[op.id] += 1
            later = op is not None and self.seen[op.id] > 1
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            return failure, "application/json", FAILURE_BODY
        if op is None:
            return 404, "application/json", b'{"detail": "no such operation"}'
        return self.api.answer(op, later)

    def take(self) -> list[Recorded]:
        with self.lock:
            taken, self.requests = self.requests, []
            self.seen.clear()
        return taken


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, content_type, payload = recorder.handle(self.command, self.path, headers, body)
            self.send_response(status)
            self._cors()
            if status in (429, 503):
                self.send_header("retry-after-ms", "1")
            if content_type:
                self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any

        def _cors(self) -> None:
            self.send_header("access-control-allow-origin", "*")
            self.send_header("access-control-expose-headers", "*")

        def do_OPTIONS(self) -> None:
            """A CORS preflight: allow the method and headers asked for."""
            self.send_response(204)
            self._cors()
            self.send_header(
                "access-control-allow-methods", self.headers.get("access-control-request-method") or "*"
            )
            self.send_header(
                "access-control-allow-headers", self.headers.get("access-control-request-headers") or "*"
            )
            if self.headers.get("access-control-request-private-network"):
                self.send_header("access-control-allow-private-network", "true")
            self.send_header("access-control-max-age", "600")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving(api: m.Api) -> Iterator[tuple[str, Recorder]]:
    """`(http://127.0.0.1:<port>, recorder)` while a server answers in a background thread."""
    recorder = Recorder(api)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
