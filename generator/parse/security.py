"""API-level facts: auth schemes, servers (base URL, prefix, named hosts) and webhook signing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ..errors import SpecError, pointer
from ..ir import model as m
from .names import snake

_HTTP_SCHEMES: dict[str, m.AuthKind] = {"bearer": "bearer", "basic": "basic"}


def parse_auth(data: dict[str, Any], resolve: Any) -> tuple[m.AuthScheme, ...]:
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    result = []
    for name, raw in schemes.items():
        at = pointer("components", "securitySchemes", name)
        if isinstance(raw, dict) and "$ref" in raw:
            raw = resolve(raw["$ref"], at)
        if not isinstance(raw, dict):
            raise SpecError("a security scheme must be an object", at=at)
        kind = raw.get("type")
        description = (raw.get("description") or "").strip()
        if kind == "http":
            scheme = str(raw.get("scheme", "")).lower()
            result.append(
                m.AuthScheme(
                    name,
                    _HTTP_SCHEMES.get(scheme, "bearer"),
                    "header",
                    "Authorization",
                    description,
                )
            )
        elif kind == "apiKey":
            result.append(m.AuthScheme(name, "api_key", raw.get("in"), raw.get("name"), description))
        elif kind == "oauth2":
            result.append(m.AuthScheme(name, "oauth2", "header", "Authorization", description))
        elif kind == "openIdConnect":
            result.append(m.AuthScheme(name, "openid", "header", "Authorization", description))
        elif kind == "mutualTLS":
            continue
        else:
            raise SpecError(f"unknown security scheme type {kind!r}", at=at + "/type")
    return tuple(result)


def security_names(raw: Any, at: str, known: set[str]) -> tuple[str, ...] | None:
    """The scheme names a `security` list allows, in order; () means no auth; None means not given."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise SpecError("security must be a list", at=at)
    names: list[str] = []
    for index, requirement in enumerate(raw):
        if not isinstance(requirement, dict):
            raise SpecError("a security requirement must be an object", at=f"{at}/{index}")
        for name in requirement:
            if name not in known:
                raise SpecError(f"security scheme {name!r} is not defined", at=f"{at}/{index}")
            if name not in names:
                names.append(name)
    if raw and any(req == {} for req in raw):
        names.append("")  # an empty requirement: auth is optional
    return tuple(names)


def parse_servers(raw: Any, at: str) -> tuple[m.Server, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SpecError("servers must be a list", at=at)
    servers = []
    for index, server in enumerate(raw):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            raise SpecError("a server needs a `url`", at=f"{at}/{index}")
        url = _expand_variables(server)
        name = server.get("x-server-name")
        servers.append(
            m.Server(
                url=url,
                description=(server.get("description") or "").strip(),
                name=snake(name) if isinstance(name, str) else None,
                env=server.get("x-env") if isinstance(server.get("x-env"), str) else None,
            )
        )
    return tuple(servers)


def _expand_variables(server: dict[str, Any]) -> str:
    url: str = server["url"]
    for var, spec in (server.get("variables") or {}).items():
        if isinstance(spec, dict) and "default" in spec:
            url = url.replace("{" + var + "}", str(spec["default"]))
    return url


def base_and_prefix(servers: tuple[m.Server, ...]) -> tuple[str, str]:
    if not servers:
        return "", ""
    url = servers[0].url.rstrip("/")
    return url, urlsplit(url).path


def server_name_for(servers: tuple[m.Server, ...]) -> str:
    """The client setting name of an operation-level server list."""
    first = servers[0]
    if first.name:
        return first.name
    host = urlsplit(first.url).hostname or "alternate"
    return snake(host.split(".")[0])


def parse_webhook_signature(raw: Any) -> m.WebhookSignature | None:
    if raw is None:
        return None
    at = pointer("x-webhook-signature")
    if not isinstance(raw, dict):
        raise SpecError("x-webhook-signature must be an object", at=at)
    for key in ("signed_payload", "signature_header"):
        if not isinstance(raw.get(key), str):
            raise SpecError(f"x-webhook-signature needs `{key}`", at=at)
    if raw.get("algorithm", "hmac-sha256") != "hmac-sha256":
        raise SpecError("only hmac-sha256 webhook signatures are supported", at=at + "/algorithm")
    return m.WebhookSignature(
        algorithm="hmac-sha256",
        secret_encoding=str(raw.get("secret_encoding", "utf-8")),
        signed_payload=raw["signed_payload"],
        signature_header=raw["signature_header"],
        signature_prefix=str(raw.get("signature_prefix", "")),
        timestamp_header=raw.get("timestamp_header"),
        id_header=raw.get("id_header"),
        tolerance_seconds=int(raw.get("tolerance_seconds", 300)),
        event_type_field=str(raw.get("event_type_field", "type")),
    )
