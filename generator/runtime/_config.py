"""Resolving a client's configuration from arguments, environment variables and the spec."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from ._encode import query_scalar
from ._exceptions import ConfigurationError
from ._spec import DEFAULT_STREAM_READ_TIMEOUT, ClientSpec
from ._types import NOT_GIVEN, NotGiven, RetryPolicy, TimeoutInput

__all__ = ["ClientConfig", "Secret", "given_options", "resolve_config", "resolve_timeout"]

# with_options() arguments for which None is a value (no limit), not "keep this client's"
_NONE_IS_A_VALUE = frozenset({"timeout", "stream_read_timeout"})


class Secret:
    """Holds a credential; its ``repr``/``str`` never show the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The secret value."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class ClientConfig:
    """The resolved, immutable configuration of one client instance.

    ``stream_read_timeout`` is the read timeout of a stream's requests (``None``: none).
    """

    api_key: Secret | None
    base_url: str
    settings: Mapping[str, str | None]
    server_urls: Mapping[str, str]
    timeout: httpx.Timeout
    max_retries: int
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    default_headers: Mapping[str, str] = field(default_factory=dict[str, str])
    default_query: Mapping[str, object] = field(default_factory=dict[str, object])
    stream_read_timeout: float | None = DEFAULT_STREAM_READ_TIMEOUT


def _env(name: str | None) -> str | None:
    if not name:
        return None
    value = os.environ.get(name)
    return value if value else None


def _absent(value: object) -> bool:
    return value is None or isinstance(value, NotGiven)


def resolve_timeout(value: TimeoutInput, default: httpx.Timeout) -> httpx.Timeout:
    """``NOT_GIVEN`` keeps ``default``; ``None`` disables timeouts; numbers apply to all phases."""
    if isinstance(value, NotGiven):
        return default
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(value)


def resolve_config(
    spec: ClientSpec,
    *,
    api_key: str | None,
    base_url: str | None,
    settings: Mapping[str, object] | None,
    server_urls: Mapping[str, str | None] | None,
    timeout: TimeoutInput,
    max_retries: int | None,
    default_headers: Mapping[str, str] | None,
    default_query: Mapping[str, object] | None,
    retry: RetryPolicy | None = None,
    stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
) -> ClientConfig:
    """Arguments win over environment variables, which win over the spec's defaults.

    ``max_retries`` wins over ``retry.max_retries``; the resolved policy carries the result.
    """
    key = api_key if api_key else _env(spec.api_key_env)
    if key is None and spec.api_key_required and spec.auth.kind != "none":
        where = f" or set the {spec.api_key_env} environment variable" if spec.api_key_env else ""
        raise ConfigurationError(
            f"{spec.name} needs an API key: pass api_key=...{where}.",
        )
    unknown = set(settings or {}) - set(spec.settings)
    if unknown:
        raise ConfigurationError(f"Unknown client setting(s): {', '.join(sorted(unknown))}")
    resolved_settings: dict[str, str | None] = {}
    for name, setting in spec.settings.items():
        value = (settings or {}).get(name)
        resolved_settings[name] = (
            query_scalar(value) if not _absent(value) else _env(setting.env) or setting.default
        )
    unknown = set(server_urls or {}) - set(spec.servers)
    if unknown:
        raise ConfigurationError(f"Unknown server name(s): {', '.join(sorted(unknown))}")
    resolved_servers: dict[str, str] = {}
    for name, server in spec.servers.items():
        given = (server_urls or {}).get(name)
        resolved_servers[name] = (given or _env(server.env) or server.default_url).rstrip("/")
    if max_retries is None:
        max_retries = spec.max_retries if retry is None or retry.max_retries is None else retry.max_retries
    max_retries = max(0, max_retries)
    policy = RetryPolicy(max_retries=max_retries).over(retry or RetryPolicy())
    return ClientConfig(
        api_key=Secret(key) if key else None,
        base_url=(base_url or _env(spec.base_url_env) or spec.default_base_url).rstrip("/"),
        settings=resolved_settings,
        server_urls=resolved_servers,
        timeout=resolve_timeout(timeout, httpx.Timeout(spec.timeout)),
        max_retries=max_retries,
        retry=policy,
        default_headers=dict(default_headers or {}),
        default_query=dict(default_query or {}),
        stream_read_timeout=(
            spec.stream_read_timeout if isinstance(stream_read_timeout, NotGiven) else stream_read_timeout
        ),
    )


def given_options(settings: Mapping[str, str | None], **options: object) -> dict[str, object]:
    """What a ``with_options()`` call changes: the arguments it gave. ``None`` or ``NOT_GIVEN`` keeps
    the client's value; for the timeouts only ``NOT_GIVEN`` does, ``None`` being no limit."""
    given: dict[str, object] = {k: v for k, v in settings.items() if v is not None}
    for key, value in options.items():
        if not (isinstance(value, NotGiven) or (value is None and key not in _NONE_IS_A_VALUE)):
            given[key] = value
    return given
