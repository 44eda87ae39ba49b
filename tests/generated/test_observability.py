"""Hooks and spans through each generated package, sync and async, against a local server that fails the
first attempts: every attempt seen under the method's dotted name, every attempt a span."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from generator.ir import model as m
from tests.conftest import VENDORS
from tests.docs.blocks import source_dir
from tests.docs.conftest import vendor_api
from tests.docs.server import serving

KEY = "sk-test-observability-0123456789"

PROGRAM = """
import asyncio, importlib, json, sys
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

package, client_class, path, flavour = sys.argv[1:5]
pkg = importlib.import_module(package)
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)
seen = []

def before(event):
    seen.append(["request", event.operation, event.attempt, repr(event)])

async def after(event):
    seen.append(["response", event.operation, event.attempt, event.response.status_code, repr(event)])

def target(client):
    for attribute in path.split("."):
        client = getattr(client, attribute)
    return client

if flavour == "sync":
    hooks = pkg.Hooks(before_request=before, after_response=lambda event: asyncio.run(after(event)))
    target(getattr(pkg, client_class)(hooks=hooks))()
else:
    async def main():
        client = getattr(pkg, "Async" + client_class)()
        await target(client.with_options(hooks=pkg.Hooks(before_request=before, after_response=after)))()
    asyncio.run(main())
spans = [
    {"name": s.name, "parent": bool(s.parent), "kind": s.kind.name, "attributes": dict(s.attributes or {})}
    for s in exporter.get_finished_spans()
]
print(json.dumps([s.to_json() for s in exporter.get_finished_spans()]), file=sys.stderr)
print(json.dumps({"seen": seen, "spans": spans}))
"""


def simple_call(api: m.Api) -> tuple[str, m.Operation]:
    """The dotted attribute path of a GET that returns a model (else a page) and needs no argument, and its
    operation."""

    def walk(resources: tuple[m.Resource, ...], prefix: str) -> Iterator[tuple[str, m.Operation]]:
        for resource in resources:
            here = f"{prefix}{resource.name.python}."
            for op in resource.operations:
                yield here + op.name.python, op
            yield from walk(resource.resources, here)

    candidates = [(op.name.python, op) for op in api.operations]
    candidates += list(walk(api.resources, ""))
    return min(
        (
            (path, op)
            for path, op in candidates
            if op.method == "GET"
            and op.call.result in ("model", "page")  # a page: the first one, fetched on the call
            and op.server is None
            and not any(a.required for a in op.call.arguments)
        ),
        key=lambda pair: (pair[1].call.result != "model", len(pair[0]), pair[0]),
    )


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_hooks_and_spans_see_each_attempt_of_a_retried_call(vendor: str, flavour: str) -> None:
    api = vendor_api(vendor)
    pkg = api.package
    assert pkg.base_url_env and pkg.api_key_env
    path, op = simple_call(api)
    with serving(api) as (url, recorder):
        recorder.failures = [429, 503]
        env = {k: v for k, v in os.environ.items() if not k.startswith(pkg.api_key_env.split("_")[0] + "_")}
        env |= {
            "PYTHONPATH": str(source_dir(vendor)),
            pkg.api_key_env: KEY,
            pkg.base_url_env: url + urlsplit(api.base_url).path,
            **{s.env: f"my-{s.name}" for s in api.settings if s.env},
        }
        result = subprocess.run(
            [sys.executable, "-c", PROGRAM, pkg.import_name, pkg.client_class, path, flavour],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        requests = recorder.take()
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(requests) == 3
    out = json.loads(result.stdout)
    name = f"client.{path}"
    assert [row[:3] for row in out["seen"]] == [
        [kind, name, attempt] for attempt in (1, 2, 3) for kind in ("request", "response")
    ]
    assert [row[3] for row in out["seen"] if row[0] == "response"] == [429, 503, 200]
    spans = out["spans"]
    calls = [s for s in spans if not s["parent"]]
    attempts = [s for s in spans if s["parent"]]
    assert [s["name"] for s in calls] == [name]
    assert [s["name"] for s in attempts] == [f"{op.method} {op.path}"] * 3
    assert [s["kind"] for s in attempts] == ["CLIENT"] * 3
    assert [s["attributes"].get("http.request.resend_count") for s in attempts] == [None, 1, 2]
    assert [s["attributes"]["http.response.status_code"] for s in attempts] == [429, 503, 200]
    assert all(s["attributes"]["url.template"] == op.path for s in spans)
    assert KEY not in result.stdout + result.stderr, "neither an event's repr nor a span shows the key"


NOTHING_OF_OTEL = """
import importlib, sys
package, client_class = sys.argv[1:3]
pkg = importlib.import_module(package)
client = getattr(pkg, client_class)(api_key="k", hooks=pkg.Hooks())
copy = client.with_options(tracing=False)
aclient = getattr(pkg, "Async" + client_class)(api_key="k")
print(sorted(m for m in sys.modules if m.startswith("opentelemetry")))
"""


@pytest.mark.parametrize("vendor", VENDORS)
def test_importing_a_package_and_making_clients_imports_nothing_of_opentelemetry(vendor: str) -> None:
    api = vendor_api(vendor)
    env = {**os.environ, "PYTHONPATH": str(source_dir(vendor))}
    env |= {s.env: f"my-{s.name}" for s in api.settings if s.env}
    result = subprocess.run(
        [sys.executable, "-c", NOTHING_OF_OTEL, api.package.import_name, api.package.client_class],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "[]"
