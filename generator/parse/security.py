"""API-level facts: auth schemes, servers (base URL, prefix, named hosts) and webhook signing."""

from __future__ import annotations

import re
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


class ServerNames:
    """Names of the operation-level servers, each a client setting `<name>_base_url`: one name per URL.

    A server's `x-server-name` is its name, and one such name may mean one URL only. A server without one
    takes the name of an explicitly named server of the same URL, else its host's first label (`api` for
    `https://api.eu.example.com`), with a counter when another URL has that name already (`api2`), so
    two hosts that read alike never make a valid document fail. Names are given in document order.
    """

    def __init__(self, used: dict[str, m.Server]) -> None:
        self.used = used  # name -> server, of the servers an operation is sent to
        self._explicit: dict[str, m.Server] = {}

    def declare(self, servers: tuple[m.Server, ...], at: str) -> None:
        """Note an explicitly named server list before any name is given (refuses a name for two URLs)."""
        first = servers[0]
        if first.name is None:
            return
        known = self._explicit.setdefault(
            first.name, m.Server(first.url, first.description, first.name, first.env)
        )
        if known.url != first.url:
            raise SpecError(f"server name {first.name!r} already means {known.url!r}", at=at)

    def name(self, servers: tuple[m.Server, ...]) -> str:
        first = servers[0]
        if first.name is not None:
            return self._use(self._explicit[first.name])
        same_url = next((s for s in self._explicit.values() if s.url == first.url), None)
        if same_url is not None:
            return self._use(same_url)
        host = urlsplit(first.url).hostname or "alternate"
        stem = snake(host.split(".")[0])
        candidate, counter = stem, 2
        while True:
            known = self.used.get(candidate) or self._explicit.get(candidate)
            if known is None or known.url == first.url:
                return self._use(known or m.Server(first.url, first.description, candidate, first.env))
            candidate, counter = f"{stem}{counter}", counter + 1

    def _use(self, server: m.Server) -> str:
        assert server.name is not None
        self.used.setdefault(server.name, server)
        return server.name


_SIGNATURE_KEYS = frozenset(
    {
        "algorithm",
        "secret_encoding",
        "secret_length",
        "signed_payload",
        "signature_header",
        "signature_prefix",
        "signature_version_header",
        "signature_versions",
        "timestamp_header",
        "id_header",
        "secret_ref_header",
        "secret_version_header",
        "tolerance_seconds",
        "event_type_field",
    }
)
_SECRET_ENCODINGS = ("base64", "hex", "utf-8")


def _text_key(raw: dict[str, Any], key: str, at: str, default: str | None = None) -> str | None:
    value = raw.get(key, default)
    if value is not None and (not isinstance(value, str) or not value):
        raise SpecError(f"x-webhook-signature `{key}` must be a non-empty string", at=f"{at}/{key}")
    return value


def _lengths(raw: Any, at: str) -> tuple[int, ...]:
    if raw is None:
        return ()
    values = raw if isinstance(raw, list) else [raw]
    if not values or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
        raise SpecError(
            "x-webhook-signature `secret_length` must be a positive number of bytes or a list of them",
            at=f"{at}/secret_length",
        )
    return tuple(values)


def parse_webhook_signature(raw: Any) -> m.WebhookSignature | None:
    """`x-webhook-signature`: how the API signs its webhook deliveries (see docs/spec-conventions.md)."""
    if raw is None:
        return None
    at = pointer("x-webhook-signature")
    if not isinstance(raw, dict):
        raise SpecError("x-webhook-signature must be an object", at=at)
    for key in ("signed_payload", "signature_header"):
        if not isinstance(raw.get(key), str):
            raise SpecError(f"x-webhook-signature needs `{key}`", at=at)
    unknown = sorted(str(k) for k in raw if k not in _SIGNATURE_KEYS)
    if unknown:
        raise SpecError(
            f"x-webhook-signature has an unknown key `{unknown[0]}` "
            f"(known: {', '.join(sorted(_SIGNATURE_KEYS))})",
            at=f"{at}/{unknown[0]}",
        )
    if raw.get("algorithm", "hmac-sha256") != "hmac-sha256":
        raise SpecError("only hmac-sha256 webhook signatures are supported", at=at + "/algorithm")
    encoding = raw.get("secret_encoding", "utf-8")
    if encoding not in _SECRET_ENCODINGS:
        raise SpecError(
            f"x-webhook-signature `secret_encoding` must be one of {', '.join(_SECRET_ENCODINGS)}",
            at=at + "/secret_encoding",
        )
    tolerance = raw.get("tolerance_seconds", 300)
    if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance <= 0:
        raise SpecError(
            "x-webhook-signature `tolerance_seconds` must be a positive whole number",
            at=at + "/tolerance_seconds",
        )
    version_header = _text_key(raw, "signature_version_header", at)
    versions = raw.get("signature_versions")
    if versions is not None and (
        not isinstance(versions, list) or not versions or not all(isinstance(v, str) and v for v in versions)
    ):
        raise SpecError(
            "x-webhook-signature `signature_versions` must be a non-empty list of strings",
            at=at + "/signature_versions",
        )
    if (version_header is None) != (versions is None):
        missing = "signature_versions" if versions is None else "signature_version_header"
        raise SpecError(
            "x-webhook-signature declares `signature_version_header` and `signature_versions` together",
            at=f"{at}/{missing}",
        )
    timestamp_header = _text_key(raw, "timestamp_header", at)
    id_header = _text_key(raw, "id_header", at)
    for name in re.findall(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", raw["signed_payload"]):
        known = {"body": True, "timestamp": timestamp_header, "delivery_id": id_header, "id": id_header}
        if name not in known:
            raise SpecError(
                f"x-webhook-signature `signed_payload` has an unknown placeholder {{{name}}} "
                "(known: {body}, {timestamp}, {delivery_id})",
                at=at + "/signed_payload",
            )
        if not known[name]:
            needed = "timestamp_header" if name == "timestamp" else "id_header"
            raise SpecError(
                f"x-webhook-signature `signed_payload` uses {{{name}}} but declares no `{needed}`",
                at=at + "/signed_payload",
            )
    return m.WebhookSignature(
        algorithm="hmac-sha256",
        secret_encoding=str(encoding),
        signed_payload=raw["signed_payload"],
        signature_header=raw["signature_header"],
        signature_prefix=str(raw.get("signature_prefix", "")),
        timestamp_header=timestamp_header,
        id_header=id_header,
        tolerance_seconds=tolerance,
        event_type_field=_text_key(raw, "event_type_field", at, "type") or "type",
        secret_lengths=_lengths(raw.get("secret_length"), at),
        signature_version_header=version_header,
        signature_versions=tuple(versions or ()),
        secret_ref_header=_text_key(raw, "secret_ref_header", at),
        secret_version_header=_text_key(raw, "secret_version_header", at),
    )
