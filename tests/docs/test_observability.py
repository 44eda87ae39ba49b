"""The README's Observability examples of each vendor run, unchanged, against a local server: the hooks see
the call by its dotted name and print no key, and the spans are named after the call and its path template."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tests.conftest import VENDORS
from tests.docs.blocks import GENERATED, blocks, section, source_dir
from tests.docs.conftest import vendor_api
from tests.docs.server import serving

FAKE_KEY = "sk-test-observability-key"


def examples(vendor: str) -> list[str]:
    text = (GENERATED / vendor / "README.md").read_text(encoding="utf-8")
    found = [
        b.text for b in blocks(vendor, "README.md", section(text, "Observability")) if b.lang == "python"
    ]
    assert len(found) == 3, "sync hooks, async hooks, OpenTelemetry"
    return found


def run(vendor: str, program: str) -> tuple[str, int]:
    api = vendor_api(vendor)
    pkg = api.package
    assert pkg.base_url_env and pkg.api_key_env
    with serving(api) as (url, recorder):
        env = {k: v for k, v in os.environ.items() if not k.startswith(pkg.api_key_env.split("_")[0] + "_")}
        env |= {
            "PYTHONPATH": str(source_dir(vendor)),
            pkg.api_key_env: FAKE_KEY,
            pkg.base_url_env: url + urlsplit(api.base_url).path,
        }
        result = subprocess.run(
            [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60, check=False
        )
        requests = recorder.take()
    assert result.returncode == 0, result.stderr[-3000:]
    assert FAKE_KEY not in result.stdout + result.stderr
    return result.stdout, len(requests)


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_hooks_examples_see_each_attempt_by_the_calls_name(vendor: str) -> None:
    sync, async_, _ = examples(vendor)
    out, sent = run(vendor, sync)
    assert sent >= 1  # a paginated call sends one request per page, each a call of its own
    request_line, response_line = out.splitlines()[:2]
    assert request_line.startswith("RequestEvent(operation='client.") and "attempt=1" in request_line
    assert "***" in request_line, "the key is printed redacted"
    assert response_line.startswith("client.") and " attempt 1 200 " in response_line
    out, sent = run(vendor, async_)
    assert sent >= 1 and out.startswith("ResponseEvent(operation='client.") and "response=200" in out


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_opentelemetry_example_prints_the_call_and_attempt_spans(vendor: str) -> None:
    out, sent = run(vendor, examples(vendor)[2])
    spans = [line for line in out.splitlines() if "{'http.request.method'" in line]
    calls = [line for line in spans if line.startswith("client.")]
    attempts = [line for line in spans if not line.startswith("client.")]
    assert len(calls) == len(attempts) == sent >= 1, out  # one attempt per call: no retries here
    assert all("'url.template': '/" in line for line in spans)
    assert all("'http.response.status_code': 200" in line for line in attempts)
    assert all("'server.address': '127.0.0.1'" in line for line in attempts)
