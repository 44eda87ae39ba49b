"""Fixtures for the realtime tests: the generated AUTX and Mobius packages, and real WebSocket servers."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT

for _vendor in ("autx", "mobius"):
    _src = str(ROOT / "generated" / _vendor / "src")
    if _src not in sys.path:
        sys.path.insert(0, _src)

from .ws_server import API_KEY, PROJECT, WebSocketServers  # noqa: E402

ENV_VARS = (
    "AUTX_API_KEY",
    "AUTX_BASE_URL",
    "AUTX_LOG",
    "MOBIUS_API_KEY",
    "MOBIUS_API_URL",
    "MOBIUS_PROJECT",
    "MOBIUS_LOG_LEVEL",
    "MOBIUS_WEBHOOK_SECRET",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def servers() -> Iterator[WebSocketServers]:
    running = WebSocketServers()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the sessions use websockets' asyncio client


__all__ = ["API_KEY", "PROJECT"]
