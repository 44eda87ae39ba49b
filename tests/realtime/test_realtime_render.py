"""What the generator makes of `x-websocket` and `x-webhook-signature`: the packages that get sessions, their
dependency on `websockets`, a client-level `connect`, a `webhooks` resource of its own, and a README section
whose examples run as written.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import importlib
import inspect
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import build_ir
from generator.render import PackageRenderer, environment
from generator.render.realtime import readme_view
from tests.conftest import ROOT, VENDORS, run_gen

from .ws_server import API_KEY, PROJECT, WebSocketServers, eventually

GENERATED = ROOT / "generated"
REALTIME_SOURCES = [
    *sorted((ROOT / "generator" / "render" / "realtime").glob("*.py")),
    ROOT / "templates" / "package" / "readme_realtime.md.j2",
    *sorted((ROOT / "templates" / "package" / "realtime").glob("*.j2")),
    *sorted((ROOT / "generator" / "runtime").glob("_websocket*.py")),
    *sorted((ROOT / "generator" / "runtime").glob("_webhook*.py")),
]


@pytest.mark.parametrize("vendor", VENDORS)
def test_only_packages_with_a_websocket_depend_on_websockets(vendor: str) -> None:
    has_socket = vendor in ("autx", "mobius")
    pyproject = (GENERATED / vendor / "pyproject.toml").read_text()
    assert ('"websockets>=13"' in pyproject) is has_socket
    assert (GENERATED / vendor / "src" / f"{vendor}_typed" / "sockets.py").exists() is has_socket


def test_the_generator_names_no_vendor() -> None:
    for path in REALTIME_SOURCES:
        text = path.read_text().lower()
        for vendor in VENDORS:
            assert not re.search(rf"\b{vendor}\b", text), (path, vendor)


def _docstrings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [
        tree,
        *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)),
    ]
    return [doc for node in nodes if (doc := ast.get_docstring(node, clean=False))]


def test_no_docstring_of_the_generator_names_a_vendor_or_its_settings() -> None:
    """The runtime ships in every package and the generator serves any API: their docstrings name no
    vendor, no vendor's client class or environment variable, and none of a vendor's own settings."""
    names: set[str] = set()  # spelled anywhere in a docstring
    settings: set[str] = set()  # quoted as code (`name`, ``name``): a setting's name may be a plain word
    for vendor in VENDORS:
        api = build_ir(ROOT / "specs" / vendor / "openapi.yaml", ROOT / "specs" / vendor / "gen.toml")
        names |= {vendor, api.package.client_class, *(s.env for s in api.settings if s.env)}
        settings |= {s.name for s in api.settings} | {f"{s.name}_base_url" for s in api.alt_servers}
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for doc in _docstrings(path):
            found += [(path.name, n) for n in names if re.search(rf"\b{re.escape(n)}\b", doc, re.IGNORECASE)]
            found += [(path.name, n) for n in settings if re.search(rf"`{re.escape(n)}`", doc)]
    assert not found


def test_connect_signatures() -> None:
    from autx_typed.resources.chat import AsyncChatResource, ChatResource
    from mobius_typed.resources.workers import WorkersResource

    chat = inspect.signature(ChatResource.connect)
    assert list(chat.parameters) == ["self", "ticker", "extra_headers", "extra_query", "timeout"]
    assert chat.return_annotation == "ChatSocket"
    assert inspect.signature(AsyncChatResource.connect).return_annotation == "AsyncChatSocket"
    workers = inspect.signature(WorkersResource.connect)
    assert list(workers.parameters) == ["self", "project", "extra_headers", "extra_query", "timeout"]


DEMO_SPEC = """
openapi: 3.1.0
info: {title: Demo, version: "1.0"}
servers: [{url: "https://demo.example.com"}]
security: [{bearer: []}]
paths:
  /ws/agent/{ticker}:
    x-websocket:
      auth: {first_frame: {type: auth, field: token}}
      client_frames: {$ref: "#/components/schemas/ClientFrame"}
      server_frames: {$ref: "#/components/schemas/ServerFrame"}
      heartbeat: {server: [heartbeat]}
      terminal: [close]
    get:
      operationId: listen
      parameters:
        - {name: ticker, in: path, required: true, schema: {type: string}}
      responses: {"101": {description: Switching Protocols}}
webhooks:
  hello:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [kind]
              properties:
                kind: {type: string, enum: [hello]}
                name: {type: string}
      responses: {"200": {description: ok}}
x-webhook-signature:
  signed_payload: "{body}"
  signature_header: X-Signature
  secret_encoding: utf-8
  event_type_field: kind
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    ClientFrame:
      oneOf:
        - {type: object, required: [type, token], properties: {type: {const: auth}, token: {type: string}}}
        - type: object
          required: [type, prompt]
          properties: {type: {const: message}, prompt: {type: string}}
        - {type: object, required: [type], properties: {type: {const: close}}}
      discriminator: {propertyName: type}
    ServerFrame:
      oneOf:
        - type: object
          required: [type, session_id]
          properties: {type: {const: session}, session_id: {type: string}}
        - {type: object, required: [type, data], properties: {type: {const: chunk}, data: {type: string}}}
        - {type: object, required: [type], properties: {type: {const: done}}}
        - {type: object, required: [type], properties: {type: {const: billing}}}
        - {type: object, required: [type], properties: {type: {const: heartbeat}}}
        - type: object
          required: [type, message]
          properties: {type: {const: error}, message: {type: string}}
      discriminator: {propertyName: type}
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("demo")
    (folder / "openapi.yaml").write_text(DEMO_SPEC)
    result = run_gen(
        "generate",
        "--spec",
        str(folder / "openapi.yaml"),
        "--out",
        str(folder / "out"),
        "--package",
        "rtdemo_typed",
    )
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(folder / "out" / "src"))
    try:
        yield importlib.import_module("rtdemo_typed")
    finally:
        sys.path.remove(str(folder / "out" / "src"))


def test_a_root_websocket_operation_and_a_webhooks_resource_of_its_own(
    demo: Any, servers: WebSocketServers
) -> None:
    client = demo.Demo(api_key=API_KEY, base_url=servers.http_url)
    with client.listen(ticker="ROOT") as session:
        assert session.first_frame.session_id == "ses_abc123"
        session.send_message(prompt="from the root")
        kinds = []
        for frame in session:
            kinds.append(frame.type_)
            if frame.type_ == "billing":
                break
    assert kinds[-2:] == ["done", "billing"] and "heartbeat" not in kinds
    seen = servers.record.by_path("/ws/agent/ROOT")[-1]
    assert eventually(lambda: seen.close_code is not None) and seen.received[-1] == {"type": "close"}
    body = b'{"kind": "hello", "name": "n"}'
    headers = {"X-Signature": hmac.new(b"k", body, hashlib.sha256).hexdigest()}
    event = client.webhooks.unwrap(body=body, headers=headers, secret="k")
    assert event.name == "n"
    assert "websockets>=13" in (Path(demo.__file__).parents[2] / "pyproject.toml").read_text()


# ---- the README section -----------------------------------------------------------------------------------


def _readme(vendor: str) -> str:
    api = build_ir(ROOT / "specs" / vendor / "openapi.yaml", ROOT / "specs" / vendor / "gen.toml")
    package = PackageRenderer(api)
    view = readme_view(api, package.realtime.sessions, package.realtime.webhooks)
    return environment().get_template("package/readme_realtime.md.j2").render(realtime=view)


def _examples(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


def test_the_readme_section_is_empty_without_sessions_or_webhooks() -> None:
    assert _readme("modulex").strip() == ""


def _recorder(sink: list[object]) -> Any:
    """A `print` stand-in for the README's handler: it records what the handler was given."""

    def record(*args: object) -> None:
        sink.append(args)

    return record


def test_the_readme_examples_run(servers: WebSocketServers, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTX_API_KEY", API_KEY)
    monkeypatch.setenv("AUTX_BASE_URL", servers.http_url)
    monkeypatch.setenv("MOBIUS_API_KEY", API_KEY)
    monkeypatch.setenv("MOBIUS_API_URL", servers.http_url)
    monkeypatch.setenv("MOBIUS_PROJECT", PROJECT)
    secret = base64.b64encode(b"k" * 32).decode()
    monkeypatch.setenv("MOBIUS_WEBHOOK_SECRET", secret)
    autx = _readme("autx")
    mobius = _readme("mobius")
    assert "client.chat.connect(ticker=" in autx and "## Webhooks" not in autx
    assert "client.workers.connect()" in mobius and "client.webhooks.unwrap(" in mobius
    for example in [*_examples(autx), *_examples(mobius)]:
        namespace: dict[str, Any] = {"__name__": "readme_example"}
        exec(compile(example, "README.md", "exec"), namespace)  # our own generated docs
        if "handle" in namespace:
            handle = namespace["handle"]

            def delivery(body: bytes) -> dict[str, str]:
                stamp, delivery = str(int(time.time())), f"whd_readme_{time.time_ns()}"
                signed = b"v1." + delivery.encode() + b"." + stamp.encode() + b"." + body
                return {
                    "X-Mobius-Signature": "sha256=" + hmac.new(b"k" * 32, signed, hashlib.sha256).hexdigest(),
                    "X-Mobius-Signature-Version": "v1",
                    "X-Mobius-Timestamp": stamp,
                    "X-Mobius-Delivery-Id": delivery,
                }

            body = b'{"type": "ping"}'
            headers = delivery(body)
            assert handle(body + b" ", headers) == 400
            assert handle(body, {**headers, "X-Mobius-Signature-Version": "v2"}) == 400
            assert handle(body, headers) == 200
            assert handle(body, headers) == 200  # a redelivery of a handled event: acknowledged

            def failing(*args: object) -> None:
                raise RuntimeError("the handler failed")

            headers = delivery(body)
            namespace["print"] = failing
            assert handle(body, headers) == 500
            del namespace["print"]
            handled: list[object] = []
            namespace["print"] = _recorder(handled)
            assert handle(body, headers) == 200 and len(handled) == 1  # the redelivery is handed over
            unknown = b'{"type": "run.paused"}'
            headers = delivery(unknown)
            assert handle(unknown, headers) == 200 and len(handled) == 1  # acknowledged, not handled
