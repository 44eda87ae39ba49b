"""The vendor simulators for the whole session, and the installed clients pointed at them.

This folder runs inside the fresh virtual environment that holds the four wheels (see ../test_e2e.py):
`modulex_typed` and the others are imported from site-packages, never from the source tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import autx_typed
import mobius_typed
import modulex_typed
import modus_typed
import pytest
import sim_autx
import sim_mobius
import sim_modulex
import sim_modus
from sim_base import ServerThread, Simulator

SIMULATORS: dict[str, Simulator] = {
    "modulex": sim_modulex.sim,
    "modus": sim_modus.management,
    "modus_agent": sim_modus.agent,
    "mobius": sim_mobius.sim,
    "autx": sim_autx.sim,
}
ENV_VARS = (
    "MODULEX_API_KEY",
    "MODULEX_BASE_URL",
    "MODULEX_ORGANIZATION_ID",
    "MODULEX_LOG",
    "MODUS_API_KEY",
    "MODUS_BASE_URL",
    "MODUS_AGENT_HOST",
    "MODUS_LOG",
    "MOBIUS_API_KEY",
    "MOBIUS_API_URL",
    "MOBIUS_PROJECT",
    "MOBIUS_LOG_LEVEL",
    "AUTX_API_KEY",
    "AUTX_BASE_URL",
    "AUTX_LOG",
)
FAST_RETRY = 0.01  # seconds of backoff when the server gives no Retry-After


@pytest.fixture(scope="session")
def urls() -> Iterator[dict[str, str]]:
    threads = {name: ServerThread(sim.app()) for name, sim in SIMULATORS.items()}
    for thread in threads.values():
        thread.start()
    yield {name: thread.url for name, thread in threads.items()}
    for thread in threads.values():
        thread.stop()


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    for sim in SIMULATORS.values():
        sim.reset()
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def settings(vendor: str, urls: dict[str, str]) -> dict[str, Any]:
    """Constructor arguments of `vendor`'s client against its simulator(s)."""
    return {
        "modulex": {
            "api_key": sim_modulex.API_KEY,
            "organization_id": sim_modulex.ORG,
            "base_url": urls["modulex"],
        },
        "modus": {
            "api_key": sim_modus.API_KEY,
            "base_url": urls["modus"],
            "agent_base_url": urls["modus_agent"],
        },
        "mobius": {"api_key": sim_mobius.API_KEY, "project": sim_mobius.PROJECT, "base_url": urls["mobius"]},
        "autx": {"api_key": sim_autx.API_KEY, "base_url": urls["autx"]},
    }[vendor]


CLASSES: dict[str, tuple[type[Any], type[Any]]] = {
    "modulex": (modulex_typed.ModuleX, modulex_typed.AsyncModuleX),
    "modus": (modus_typed.Modus, modus_typed.AsyncModus),
    "mobius": (mobius_typed.Mobius, mobius_typed.AsyncMobius),
    "autx": (autx_typed.Autx, autx_typed.AsyncAutx),
}


def make_client(vendor: str, urls: dict[str, str], *, aio: bool = False, **overrides: Any) -> Any:
    client = CLASSES[vendor][aio](**{**settings(vendor, urls), **overrides})
    client.INITIAL_RETRY_DELAY = FAST_RETRY
    return client


@pytest.fixture
def client(urls: dict[str, str]) -> Iterator[Callable[..., Any]]:
    """`client("modulex", aio=False, **overrides)`: a configured client.

    Sync clients are closed after the test; async ones are opened with `async with` by the test itself.
    """
    made: list[Any] = []

    def factory(vendor: str, *, aio: bool = False, **overrides: Any) -> Any:
        instance = make_client(vendor, urls, aio=aio, **overrides)
        if not aio:
            made.append(instance)
        return instance

    yield factory
    for instance in made:
        instance.close()
