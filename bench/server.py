"""A loopback HTTP server for the per-call overhead benchmarks: two 100-item JSON lists and an SSE stream."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEMS = json.dumps(
    [{"id": f"item_{i}", "name": f"Item {i}", "price": i * 1.5, "tags": ["a", "b"]} for i in range(100)]
).encode()
ORDERS = json.dumps(
    [
        {
            "id": f"ord_{i}",
            "status": ["pending", "paid", "shipped", "cancelled"][i % 4],
            "created_at": f"2026-11-{1 + i % 28:02d}T10:{i % 60:02d}:00Z",
            "updated_at": f"2026-11-{1 + i % 28:02d}T12:{i % 60:02d}:30.250000+01:00",
            "shipped_at": None if i % 3 else "2026-11-30T08:00:00Z",
            "customer": {"id": f"cus_{i % 17}", "name": f"Customer {i % 17}", "email": f"c{i}@example.com"},
            "amount": round(i * 12.75, 2),
            "currency": "EUR",
            "lines": [
                {"sku": f"sku_{i}_{n}", "quantity": n + 1, "unit_price": 4.25 * (n + 1)} for n in range(2)
            ],
            "metadata": {"channel": "web", "campaign": f"c{i % 5}"},
            "notes": None if i % 2 else f"note {i}",
            "tags": ["priority", "eu"],
            "priority": i % 5,
            "is_gift": i % 7 == 0,
        }
        for i in range(100)
    ]
).encode()
EVENTS = 10_000


def _sse_body() -> bytes:
    lines = [f'data: {{"type": "tick", "n": {i}}}\n\n' for i in range(EVENTS)]
    lines.append('data: {"type": "done", "n": -1}\n\n')
    return "".join(lines).encode()


SSE = _sse_body()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body go out as two writes: without this, Nagle + delayed ACK add ~40 ms a call
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        if self.path.startswith("/items"):
            body, kind = ITEMS, "application/json"
        elif self.path.startswith("/orders"):
            body, kind = ORDERS, "application/json"
        else:
            body, kind = SSE, "text/event-stream"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def start() -> tuple[ThreadingHTTPServer, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{port}"
