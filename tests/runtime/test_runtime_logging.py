"""Request logging through the package logger, with every secret redacted."""

from __future__ import annotations

import logging

import pytest

from generator.runtime import (
    APIStatusError,
    AuthSpec,
    ClientSpec,
    Operation,
    SettingSpec,
    SyncAPIClient,
)
from generator.runtime._logging import configure_logger

from .runtime_client import API_KEY, ORG_ID, SPEC, Acme
from .runtime_server import STATE

OP = Operation(method="GET", path="/flaky/{key}", path_params=("key",), settings=("organization_id",))


def test_requests_are_logged_without_secrets(
    caplog: pytest.LogCaptureFixture, base_url: str, key: str
) -> None:
    caplog.set_level(logging.DEBUG, logger=SPEC.package)
    with Acme(api_key=API_KEY, base_url=base_url, organization_id=ORG_ID) as client:
        client.request(OP, cast_to=dict, path_params={"key": key}, query={"fail": "1"})
    messages = [r.getMessage() for r in caplog.records if r.name == SPEC.package]
    attempts = [m for m in messages if m.startswith("GET ")]
    assert len(attempts) == 2
    assert "503 Service Unavailable" in attempts[0] and "(retries: 0)" in attempts[0]
    assert "200 OK" in attempts[1] and "(retries: 1)" in attempts[1]
    assert any("retrying in" in m for m in messages)
    headers_logged = [m for m in messages if m.startswith("request headers")]
    assert headers_logged and "'authorization': '***'" in headers_logged[0]
    assert "'x-organization-id': '***'" in headers_logged[0]
    text = "\n".join(messages)
    assert API_KEY not in text
    assert ORG_ID not in text
    assert STATE.seen(key)[0].headers["x-organization-id"] == ORG_ID


def test_query_auth_and_query_settings_are_redacted(
    caplog: pytest.LogCaptureFixture, base_url: str, key: str
) -> None:
    spec = ClientSpec(
        name="Q",
        package="q_typed",
        version="1",
        user_agent="q/1",
        default_base_url=base_url,
        auth=AuthSpec(kind="query", name="api_key"),
        settings={"token": SettingSpec(location="query", wire_name="token")},
        max_retries=0,
    )
    op = Operation(
        method="GET",
        path="/errors/{key}/{status}",
        path_params=("key", "status"),
        settings=("token",),
    )
    caplog.set_level(logging.INFO, logger="q_typed")
    client = SyncAPIClient(spec=spec, api_key=API_KEY, settings={"token": "tok_SECRET_1"})
    with client, pytest.raises(APIStatusError) as info:
        client.request(op, cast_to=dict, path_params={"key": key, "status": 401})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "api_key=***" in text and "token=***" in text
    assert API_KEY not in text and "tok_SECRET_1" not in text
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)
    assert dict(STATE.seen(key)[0].query)["api_key"] == API_KEY


def test_env_var_enables_a_stderr_handler_once(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "env_logged_pkg"
    monkeypatch.setenv("ENVLOG_LOG", "info")
    logger = configure_logger(name, "ENVLOG_LOG")
    configure_logger(name, "ENVLOG_LOG")
    handlers = [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
    assert len(handlers) == 1
    assert logger.level == logging.INFO
    logger.info("hello from the runtime")
    for handler in handlers:
        handler.flush()
    monkeypatch.delenv("ENVLOG_LOG")
    quiet = configure_logger("env_quiet_pkg", "ENVLOG_LOG")
    assert quiet.handlers == []
