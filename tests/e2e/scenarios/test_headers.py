"""What goes on the wire besides the body: auth, organization/project settings and hosts, idempotency
keys, the user agent; and what never comes out: the API key in debug logs, exceptions or reprs."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import mobius_typed
import modulex_typed
import modus_typed
import pytest
import sim_autx
import sim_mobius
import sim_modulex
import sim_modus
from conftest import SIMULATORS


def test_the_clients_under_test_are_the_installed_wheels() -> None:
    for package in (modulex_typed, modus_typed, mobius_typed):
        assert "site-packages" in str(package.__file__), package.__file__


def _user_agent(distribution: str) -> str:
    return f"{distribution}/{importlib.metadata.version(distribution)}"


def test_modulex_auth_organization_and_user_agent(client: Callable[..., Any]) -> None:
    modulex = client("modulex")
    modulex.workflows.get(workflow_id="wf_1")
    modulex.workflows.get(workflow_id="wf_2", organization_id=sim_modulex.OTHER_ORG)
    first, second = SIMULATORS["modulex"].requests("GET")
    assert first.header("authorization") == f"Bearer {sim_modulex.API_KEY}"
    assert first.header("x-organization-id") == sim_modulex.ORG
    assert second.header("x-organization-id") == sim_modulex.OTHER_ORG, "a per-call setting wins"
    assert first.header("user-agent") == _user_agent("modulex-typed")
    assert first.header("accept") == "application/json"
    assert first.header("x-api-key") is None, "the SDK authenticates with the bearer header only"


def test_modulex_configuration_from_the_environment(
    urls: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODULEX_API_KEY", sim_modulex.API_KEY)
    monkeypatch.setenv("MODULEX_ORGANIZATION_ID", sim_modulex.ORG)
    monkeypatch.setenv("MODULEX_BASE_URL", urls["modulex"])
    with modulex_typed.ModuleX() as modulex:
        assert modulex.workflows.get(workflow_id="wf_1").id == "wf_1"
    (seen,) = SIMULATORS["modulex"].requests("GET", "/workflows/wf_1")
    assert seen.header("x-organization-id") == sim_modulex.ORG


def test_idempotency_keys(client: Callable[..., Any]) -> None:
    modulex = client("modulex")
    modulex.workflows.run(workflow_id="wf_1")
    modulex.workflows.run(workflow_id="wf_1")
    modulex.workflows.run(workflow_id="wf_1", idempotency_key="mine-1")
    modulex.workflows.create(workflow_schema={"nodes": []})
    keys = [r.header("idempotency-key") for r in SIMULATORS["modulex"].requests("POST", "/workflows/run")]
    assert keys[2] == "mine-1" and keys[0] != keys[1], "a fresh key per call, the caller's when given"
    assert all(uuid.UUID(key) for key in keys[:2])
    assert SIMULATORS["modulex"].requests("POST", "/workflows")[0].header("idempotency-key") is None


def test_mobius_project_is_a_path_setting(
    client: Callable[..., Any], urls: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    client("mobius").automations.runs.get(id="run_1")
    with pytest.raises(mobius_typed.NotFoundError):
        client("mobius", max_retries=0).automations.runs.get(id="run_1", project="other")
    monkeypatch.setenv("MOBIUS_PROJECT", sim_mobius.PROJECT)
    with mobius_typed.Mobius(api_key=sim_mobius.API_KEY, base_url=urls["mobius"]) as from_env:
        from_env.automations.runs.get(id="run_2")
    paths = [r.path for r in SIMULATORS["mobius"].requests("GET")]
    assert paths == [
        "/v1/projects/demo/runs/run_1",
        "/v1/projects/other/runs/run_1",
        "/v1/projects/demo/runs/run_2",
    ]
    with pytest.raises(mobius_typed.ConfigurationError, match="MOBIUS_PROJECT"):
        monkeypatch.delenv("MOBIUS_PROJECT")
        mobius_typed.Mobius(api_key=sim_mobius.API_KEY, base_url=urls["mobius"]).automations.runs.get(
            id="run_1"
        )


def test_modus_agent_operations_go_to_the_agent_host(
    urls: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODUS_AGENT_HOST", urls["modus_agent"])
    with modus_typed.Modus(api_key=sim_modus.API_KEY, base_url=urls["modus"]) as modus:
        modus.skills.get(id=1)
        with modus.runs.stream(run_id=sim_modus.RUN_ID) as stream:
            assert list(stream)[-1].type_ == "done"
    assert [r.path for r in sim_modus.management.requests()] == ["/api/v1/skills/1"]
    assert [r.path for r in sim_modus.agent.requests()] == [f"/agent/runs/{sim_modus.RUN_ID}/stream"]
    for seen in [*sim_modus.management.requests(), *sim_modus.agent.requests()]:
        assert seen.header("authorization") == f"Bearer {sim_modus.API_KEY}"
        assert seen.header("user-agent") == _user_agent("modus-typed")


def test_autx_rate_limit_headers_and_request_id(client: Callable[..., Any]) -> None:
    raw = client("autx").agents.with_raw_response.get(id="agent-1")
    assert raw.parse().ticker == "AG1"
    assert (raw.rate_limit.limit, raw.rate_limit.remaining, raw.rate_limit.reset) == (60, 59, 42.0)
    assert raw.request_id == "req_1"
    (seen,) = SIMULATORS["autx"].requests()
    assert seen.header("authorization") == f"Bearer {sim_autx.API_KEY}"


def test_secrets_stay_out_of_exceptions_and_reprs(client: Callable[..., Any]) -> None:
    leaked = {"detail": f"API key {sim_modulex.API_KEY} was revoked"}
    SIMULATORS["modulex"].fail("GET", "/workflows/wf_1", 401, body=leaked)
    modulex = client("modulex", max_retries=0)
    with pytest.raises(modulex_typed.AuthenticationError) as caught:
        modulex.workflows.get(workflow_id="wf_1")
    for text in (str(caught.value), repr(caught.value), caught.value.message, repr(modulex)):
        assert sim_modulex.API_KEY not in text
    assert "***" in str(caught.value)


LOGGED_CALLS = """
import importlib, os, sys
vendor, client_class, key, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
package = importlib.import_module(vendor + "_typed")
settings = dict(item.split("=", 1) for item in extra)
client = getattr(package, client_class)(max_retries=1, **settings)
client.INITIAL_RETRY_DELAY = 0.01
if vendor == "modulex":
    client.workflows.get(workflow_id="wf_1")
    client.workflows.run(workflow_id="wf_1")
    try:
        client.with_options(api_key=key + "-bad").workflows.get(workflow_id="wf_1")
    except package.AuthenticationError as exc:
        print("raised", exc, file=sys.stderr)
else:
    list(client.automations.runs.list(limit=3))
    with client.artifacts.download(id="art_1") as download:
        download.read()
"""


@pytest.mark.parametrize(
    ("vendor", "client_class", "key", "log_env", "settings"),
    [
        ("modulex", "ModuleX", sim_modulex.API_KEY, "MODULEX_LOG", [f"organization_id={sim_modulex.ORG}"]),
        ("mobius", "Mobius", sim_mobius.API_KEY, "MOBIUS_LOG_LEVEL", [f"project={sim_mobius.PROJECT}"]),
    ],
)
def test_debug_logs_show_requests_but_no_secret(
    urls: dict[str, str], vendor: str, client_class: str, key: str, log_env: str, settings: list[str]
) -> None:
    SIMULATORS[vendor].fail(
        "POST" if vendor == "modulex" else "GET",
        "/workflows/run" if vendor == "modulex" else "/v1/projects/demo/runs",
        503,
    )
    env = {**os.environ, log_env: "debug", f"{vendor.upper()}_API_KEY": key}
    env["MOBIUS_API_URL" if vendor == "mobius" else "MODULEX_BASE_URL"] = urls[vendor]
    result = subprocess.run(
        [sys.executable, "-c", LOGGED_CALLS, vendor, client_class, key, *settings],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert "request headers:" in log and "retrying in" in log and "503 Service Unavailable" in log, log
    assert urls[vendor] in log
    assert key not in log, "the API key leaked into the debug log"
    assert "'authorization': '***'" in log
    if vendor == "modulex":
        assert "401 Unauthorized" in log and sim_modulex.ORG not in log
