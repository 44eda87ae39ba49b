"""The README quick start of each vendor runs, unchanged, against a local server: only the environment points
the client at 127.0.0.1 and gives it a fake API key."""

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

FAKE_KEY = "sk-test-quickstart-key"


def quick_start(vendor: str) -> tuple[str, str]:
    text = (GENERATED / vendor / "README.md").read_text(encoding="utf-8")
    found = [b.text for b in blocks(vendor, "README.md", section(text, "Quick start")) if b.lang == "python"]
    assert len(found) == 2, "the quick start has a sync and an async example"
    return found[0], found[1]


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDORS)
def test_quick_start_runs_against_a_local_server(vendor: str, flavour: str) -> None:
    api = vendor_api(vendor)
    pkg = api.package
    assert pkg.base_url_env and pkg.api_key_env
    program = quick_start(vendor)[flavour == "async"]
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
    assert requests, "the quick start sent a request"
    first = requests[0]
    assert first.operation is not None, f"{first.method} {first.path} is not an operation of the API"
    assert first.headers.get("authorization") == f"Bearer {FAKE_KEY}"
    assert FAKE_KEY not in result.stdout + result.stderr
