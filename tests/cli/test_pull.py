"""`gen pull`: fetch a vendor's document from its `[source] url`, validate it, replace the spec atomically.

A local HTTP server on 127.0.0.1 plays the vendor.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.cli.test_diff import FIXTURES
from tests.conftest import run_gen

BEFORE = (FIXTURES / "breaking" / "before.yaml").read_text(encoding="utf-8")
AFTER = (FIXTURES / "additive" / "after.yaml").read_text(encoding="utf-8")

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/openapi.yaml": (200, "application/yaml", AFTER.encode()),
    "/openapi.json": (200, "application/json", json.dumps(yaml.safe_load(AFTER)).encode()),
    "/garbage": (200, "text/html", b"<html><body>Service temporarily unavailable</body></html>"),
    "/swagger.json": (200, "application/json", b'{"swagger": "2.0", "info": {}, "paths": {}}'),
    "/broken.yaml": (200, "application/yaml", AFTER.replace("operationId: workflows.get", "{").encode()),
    "/binary": (200, "application/octet-stream", b"\xff\xfe\x00garbage"),
}


class _Vendor(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, content_type, body = ROUTES.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Vendor)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _vendor(tmp_path: Path, url: str | None) -> Path:
    """specs/acme with the `before` document and a gen.toml whose [source] url is `url`."""
    folder = tmp_path / "specs" / "acme"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(BEFORE, encoding="utf-8")
    source = f'\n[source]\nurl = "{url}"\n' if url is not None else ""
    (folder / "gen.toml").write_text('[package]\nname = "acme-typed"\n' + source, encoding="utf-8")
    return folder / "openapi.yaml"


def _pull(tmp_path: Path, code: int) -> tuple[str, str]:
    result = run_gen("pull", "acme", "--specs", "specs", "--timeout", "10", cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout, result.stderr


def test_pull_replaces_the_spec(tmp_path: Path, server: str) -> None:
    spec = _vendor(tmp_path, f"{server}/openapi.yaml")
    stdout, _ = _pull(tmp_path, 0)
    assert stdout == f"specs/acme/openapi.yaml: updated from {server}/openapi.yaml\n"
    assert spec.read_text(encoding="utf-8") == AFTER  # YAML is kept exactly as served
    stdout, _ = _pull(tmp_path, 0)
    assert stdout == f"specs/acme/openapi.yaml: unchanged from {server}/openapi.yaml\n"
    assert sorted(p.name for p in spec.parent.iterdir()) == ["gen.toml", "openapi.yaml"]


def test_pull_writes_a_json_document_as_yaml(tmp_path: Path, server: str) -> None:
    spec = _vendor(tmp_path, f"{server}/openapi.json")
    _pull(tmp_path, 0)
    text = spec.read_text(encoding="utf-8")
    assert not text.lstrip().startswith("{")
    assert yaml.safe_load(text) == yaml.safe_load(AFTER)
    ir = run_gen("ir", "acme", "--specs", "specs", cwd=tmp_path)
    assert ir.returncode == 0, ir.stderr


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("/garbage", "the document root must be an object, not str"),
        ("/swagger.json", "Swagger 2.0 is not supported"),
        ("/broken.yaml", "invalid YAML at line"),
        ("/binary", "the document is not UTF-8 text"),
        ("/missing", "the server answered HTTP 404 Not Found"),
    ],
)
def test_a_bad_document_leaves_the_spec_untouched(
    tmp_path: Path, server: str, route: str, message: str
) -> None:
    spec = _vendor(tmp_path, f"{server}{route}")
    before = spec.stat()
    stdout, stderr = _pull(tmp_path, 2)
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {server}{route}")
    assert message in lines[0]
    assert spec.read_text(encoding="utf-8") == BEFORE
    assert (spec.stat().st_mtime_ns, spec.stat().st_ino) == (before.st_mtime_ns, before.st_ino)
    assert sorted(p.name for p in spec.parent.iterdir()) == ["gen.toml", "openapi.yaml"]


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    spec = _vendor(tmp_path, f"http://127.0.0.1:{port}/openapi.yaml")
    _, stderr = _pull(tmp_path, 2)
    assert stderr.startswith(f"error: http://127.0.0.1:{port}/openapi.yaml: cannot fetch the document: ")
    assert len(stderr.splitlines()) == 1
    assert spec.read_text(encoding="utf-8") == BEFORE


def test_no_source_url(tmp_path: Path) -> None:
    _vendor(tmp_path, None)
    _, stderr = _pull(tmp_path, 2)
    assert stderr == "error: specs/acme/gen.toml#/source/url: no [source] url to pull from\n"


def test_unknown_vendor(tmp_path: Path) -> None:
    _vendor(tmp_path, None)
    result = run_gen("pull", "nosuch", "--specs", "specs", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "error: specs/nosuch: no vendor 'nosuch' (known: acme)\n",
    )
