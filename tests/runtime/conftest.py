"""Fixtures for the runtime tests: one real HTTP server per session, clients pointed at it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from .runtime_client import API_KEY, Acme, AsyncAcme
from .runtime_server import ServerThread

ENV_VARS = (
    "ACME_API_KEY",
    "ACME_BASE_URL",
    "ACME_ORGANIZATION_ID",
    "ACME_PROJECT",
    "ACME_REGION",
    "ACME_TENANT",
    "ACME_AGENT_HOST",
    "ACME_LOG",
)


@pytest.fixture(scope="session")
def server() -> Iterator[ServerThread]:
    thread = ServerThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def key() -> str:
    """A unique path segment so each test reads only its own requests from the server."""
    return uuid.uuid4().hex


@pytest.fixture
def base_url(server: ServerThread) -> str:
    return server.url


@pytest.fixture
def client(base_url: str) -> Iterator[Acme]:
    with Acme(api_key=API_KEY, base_url=base_url, max_retries=3) as c:
        yield c


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def aclient(base_url: str) -> AsyncIterator[AsyncAcme]:
    async with AsyncAcme(api_key=API_KEY, base_url=base_url, max_retries=3) as c:
        yield c
