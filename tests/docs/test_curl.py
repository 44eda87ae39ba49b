"""Every cURL example of docs/api.md, run with `curl` against a local server (the host swapped for 127.0.0.1),
sends the method, path, headers, query and body that its operation defines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.ir import model as m
from generator.ir import types as t
from generator.ir.model import all_operations
from generator.render.docs import FILE_PATH, documented, op_anchor
from tests.conftest import VENDORS
from tests.docs.blocks import GENERATED, blocks, operation_sections
from tests.docs.conftest import vendor_api
from tests.docs.server import Recorded, path_pattern, serving

KEY = "test-key-0123456789"
pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def curl_commands(vendor: str) -> dict[str, str]:
    """Operation anchor -> the cURL command in its section."""
    sections = operation_sections((GENERATED / vendor / "docs" / "api.md").read_text(encoding="utf-8"))
    commands = {}
    for anchor, text in sections.items():
        found = [b.text for b in blocks(vendor, "docs/api.md", text) if b.lang == "sh"]
        assert len(found) == 1, f"{vendor} {anchor}: one cURL example"
        commands[anchor] = found[0]
    return commands


def setting_env(api: m.Api) -> dict[str, str]:
    return {s.env: f"setting-{s.name.replace('_', '-')}" for s in api.settings if s.env}


def expected_auth(api: m.Api, op: m.Operation, request: Recorded) -> None:
    """The credentials the operation requires, as the generated client's spec says it sends them."""
    if op.security == () or (op.security is None and not api.security):
        return
    schemes = {s.name: s for s in api.auth}
    scheme = next((schemes[n] for n in api.security if n in schemes), None)
    if scheme is not None and scheme.kind == "api_key" and scheme.location == "query":
        assert request.query.get(scheme.param or "") == [KEY]
    elif scheme is not None and scheme.kind == "api_key":
        assert request.headers.get((scheme.param or "").lower()) == KEY
    elif scheme is not None and scheme.kind == "basic":
        assert request.headers.get("authorization", "").startswith("Basic ")
    else:
        assert request.headers.get("authorization") == f"Bearer {KEY}"


def check(api: m.Api, op: m.Operation, request: Recorded, settings: dict[str, str]) -> None:
    base = next((s.url for s in api.alt_servers if s.name == op.server), api.base_url)
    fixed = {
        p.name.wire: settings[s.env]
        for p in op.params
        for s in api.settings
        if p.location == "path" and p.setting == s.name and s.env
    }
    assert request.method == op.method
    assert path_pattern(urlsplit(base).path, op.path, fixed).match(request.path), request.path
    expected_auth(api, op, request)
    for p in op.params:
        setting = next((s for s in api.settings if s.name == p.setting), None)
        if p.location == "header" and setting is not None and setting.env:
            assert request.headers.get(p.name.wire.lower()) == settings[setting.env], p.name.wire
        elif p.location == "header" and p.required:
            assert p.name.wire.lower() in request.headers, p.name.wire
        elif p.location == "query" and p.required:
            assert p.name.wire in request.query, p.name.wire
    if op.idempotency_header:
        assert request.headers.get(op.idempotency_header.lower()), op.idempotency_header
    body = op.body
    if body is not None:
        assert request.headers.get("content-type", "").startswith(body.content_type), request.headers
    if body is not None and body.kind == "json":
        sent = json.loads(request.body)
        model = next(
            (x for x in api.models if isinstance(body.type, t.Ref) and x.name == body.type.name), None
        )
        if isinstance(model, m.ObjectModel) and body.required:
            assert {f.name.wire for f in model.fields if f.required and not f.read_only} <= set(sent)
    if body is not None and body.kind == "multipart":
        for part in body.parts:
            if part.required and body.required:
                assert f'name="{part.name.wire}"'.encode() in request.body, part.name.wire


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_curl_example_hits_its_operation(vendor: str, tmp_path: Path) -> None:
    api = vendor_api(vendor)
    commands = curl_commands(vendor)
    operations = {op_anchor(op.id): op for op in all_operations(api) if documented(op)}
    assert set(commands) == set(operations)
    (tmp_path / FILE_PATH).parent.mkdir(parents=True)
    (tmp_path / FILE_PATH).write_bytes(b"example file content")
    settings = setting_env(api)
    origins = {
        f"{u.scheme}://{u.netloc}" for u in map(urlsplit, [api.base_url, *(s.url for s in api.alt_servers)])
    }
    failures = []
    with serving(api) as (url, recorder):
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), **settings}
        if api.package.api_key_env:
            env[api.package.api_key_env] = KEY
        for anchor, command in sorted(commands.items()):
            for origin in origins:
                command = command.replace(f'"{origin}', f'"{url}')
            result = subprocess.run(
                ["bash", "-c", command.strip() + " --silent --show-error --max-time 20 -o /dev/null"],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            requests = recorder.take()
            try:
                assert result.returncode == 0, result.stderr
                assert len(requests) == 1, f"{len(requests)} requests"
                check(api, operations[anchor], requests[0], settings)
            except AssertionError as exc:
                failures.append(f"{anchor}: {exc}\n{command}")
    assert not failures, "\n\n".join(failures[:10])
