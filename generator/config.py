"""`specs/<vendor>/gen.toml`: what a generated package is called and how its client is configured."""

from __future__ import annotations

import keyword
import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import SpecError, pointer
from .ir.model import Package
from .parse.names import IMPORTED_NAMES, client_class_name, snake

_DISTRIBUTION = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
# A public version in PEP 440's normalized form (what an index accepts, `gen release` bumps): 1.2.0, 2.0rc1
_NUMBER = r"(0|[1-9][0-9]*)"
_VERSION = re.compile(
    rf"^([1-9][0-9]*!)?{_NUMBER}(\.{_NUMBER})*((a|b|rc){_NUMBER})?(\.post{_NUMBER})?(\.dev{_NUMBER})?$"
)


def default_package(title: str, package: str | None = None) -> Package:
    """A package for a document without gen.toml, named after `package` or the document's title."""
    base = package or snake(title) or "api_client"
    import_name = snake(base).rstrip("_")
    env = snake(title).upper().rstrip("_") or "API"
    return Package(
        name=base.replace("_", "-"),
        import_name=import_name,
        client_class=client_class_name(title),
        version="0.1.0",
        description=f"Typed Python client for {title or 'the API'}",
        api_key_env=f"{env}_API_KEY",
        base_url_env=f"{env}_BASE_URL",
        log_env=f"{env}_LOG",
        timeout=60.0,
        max_retries=2,
    )


def load_config(path: Path, title: str) -> Package:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default_package(title)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"invalid TOML: {exc}", file=str(path)) from None
    try:
        return package_from(raw, title)
    except SpecError as exc:
        raise exc.located(str(path)) from None


def package_from(raw: dict[str, Any], title: str) -> Package:
    base = default_package(title)
    package = _table(raw, "package")
    env = _table(raw, "env")
    client = _table(raw, "client")
    source = _table(raw, "source")
    import_name = _str(package, "import_name", base.import_name, "package")
    if not import_name.isidentifier() or keyword.iskeyword(import_name):
        raise SpecError(
            f"import name {import_name!r} is not a usable Python module name",
            at=pointer("package", "import_name"),
        )
    client_class = _str(package, "client_class", base.client_class, "package")
    if not client_class.isidentifier() or keyword.iskeyword(client_class):
        raise SpecError(
            f"client class {client_class!r} is not a usable Python class name",
            at=pointer("package", "client_class"),
        )
    if client_class in IMPORTED_NAMES:
        raise SpecError(
            f"client class {client_class!r} would shadow a class the package imports or exports",
            at=pointer("package", "client_class"),
        )
    name = _str(package, "name", base.name, "package")
    if not _DISTRIBUTION.match(name):
        raise SpecError(f"{name!r} is not a valid distribution name", at=pointer("package", "name"))
    version = _str(package, "version", base.version, "package")
    if not _VERSION.match(version):
        raise SpecError(
            f"{version!r} is not a version in PEP 440's normalized form (like 1.2.0 or 2.0.0rc1)",
            at=pointer("package", "version"),
        )
    return Package(
        name=name,
        import_name=import_name,
        client_class=client_class,
        version=version,
        description=_str(package, "description", base.description, "package"),
        api_key_env=_str(env, "api_key", base.api_key_env or "", "env") or None,
        base_url_env=_str(env, "base_url", base.base_url_env or "", "env") or None,
        log_env=_str(env, "log", base.log_env or "", "env") or None,
        timeout=_number(client, "timeout", base.timeout, minimum=0.0),
        max_retries=int(_number(client, "max_retries", base.max_retries, minimum=0, integer=True)),
        source_url=_str(source, "url", "", "source"),
        retry_statuses=_statuses(client, "retry_statuses", base.retry_statuses),
        stream_read_timeout=_stream_read_timeout(client, base.stream_read_timeout),
    )


def _number(
    table: dict[str, Any], key: str, default: float, *, minimum: float, integer: bool = False
) -> float:
    value = table.get(key, default)
    kinds = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or value < minimum:
        kind = "an integer" if integer else "a number"
        raise SpecError(f"client.{key} must be {kind} of at least {minimum:g}", at=pointer("client", key))
    return value


def _statuses(table: dict[str, Any], key: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value = table.get(key, list(default))
    if not isinstance(value, list):
        raise SpecError(f"client.{key} must be a list of HTTP status codes", at=pointer("client", key))
    for index, status in enumerate(value):
        if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
            raise SpecError(
                f"client.{key} holds {status!r}: only HTTP error statuses (400-599) can be retried",
                at=pointer("client", key, str(index)),
            )
    return tuple(sorted(set(value)))


def _stream_read_timeout(client: dict[str, Any], default: float | None) -> float | None:
    """`[client] stream_read_timeout`: seconds (a number), 0 for no limit."""
    value = client.get("stream_read_timeout", default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise SpecError(
            "client.stream_read_timeout must be a number of seconds (0: no limit)",
            at=pointer("client", "stream_read_timeout"),
        )
    return float(value) or None


def _table(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise SpecError(f"[{key}] must be a table", at=pointer(key))
    return value


def _str(table: dict[str, Any], key: str, default: str, section: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise SpecError(f"{section}.{key} must be a string", at=pointer(section, key))
    return value
