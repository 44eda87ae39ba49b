"""OpenAPI document -> IR. The only code that knows OpenAPI versions and quirks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import pointer
from ..ir import model as m
from .calls import client_auth, with_calls
from .operations import ParseContext, locate_operations, parse_operations
from .parameters import SettingRegistry
from .resources import build_resources, name_resources
from .schemas import SchemaParser

if TYPE_CHECKING:
    from ..load import Document
from .security import (
    base_and_prefix,
    parse_auth,
    parse_servers,
    parse_webhook_signature,
    security_names,
)


def parse_api(doc: Document, package: m.Package) -> m.Api:
    """Build the IR of a loaded document. Raises SpecError (located) on what cannot be expressed."""
    try:
        return _parse(doc, package)
    except Exception as exc:
        from ..errors import SpecError

        if isinstance(exc, SpecError):
            raise exc.located(doc.path) from None
        raise


def _parse(doc: Document, package: m.Package) -> m.Api:
    data = doc.data
    warnings: list[str] = []
    info = data.get("info") or {}
    from ..load import resolve_pointer

    located = locate_operations(data, lambda ref, at: resolve_pointer(data, ref, at), warnings)
    methods: dict[tuple[str, ...], set[str]] = {}
    for op in located:
        methods.setdefault(op.resource, set()).add(op.name)
    names = name_resources(methods, package.client_class)
    schemas = SchemaParser(data, warnings, names.classes)

    auth = parse_auth(data, lambda ref, at: resolve_pointer(data, ref, at))
    servers = parse_servers(data.get("servers"), pointer("servers"))
    ctx = ParseContext(
        data=data,
        schemas=schemas,
        settings=SettingRegistry(),
        auth_names={a.name for a in auth},
        top_servers=servers,
        alt_servers={},
        warnings=warnings,
    )
    schemas.build_components()
    operations = parse_operations(ctx, located)
    webhooks = _webhooks(ctx)
    base_url, prefix = base_and_prefix(servers)
    declared = security_names(data.get("security"), pointer("security"), ctx.auth_names)
    security = declared if declared is not None else tuple(a.name for a in auth)
    models, settings, sends = schemas.models(), ctx.settings.settings(), client_auth(auth, security)
    resources, root_operations = build_resources(
        with_calls(operations, models, settings, security, sends), names
    )
    return m.Api(
        title=str(info.get("title") or ""),
        version=str(info.get("version") or ""),
        description=str(info.get("description") or "").strip(),
        package=package,
        servers=servers,
        base_url=base_url,
        prefix=prefix,
        auth=auth,
        security=security,
        settings=settings,
        alt_servers=tuple(ctx.alt_servers[k] for k in sorted(ctx.alt_servers)),
        resources=resources,
        operations=root_operations,
        models=models,
        webhooks=webhooks,
        webhook_signature=parse_webhook_signature(data.get("x-webhook-signature")),
        client_auth=sends,
        warnings=tuple(warnings),
    )


def _webhooks(ctx: ParseContext) -> tuple[m.Webhook, ...]:
    raw = ctx.data.get("webhooks") or {}
    result = []
    for name, item in raw.items():
        at = pointer("webhooks", name)
        if isinstance(item, dict) and "$ref" in item:
            item = ctx.resolve(item["$ref"], at)
        for method in ("post", "put"):
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            event = None
            body = op.get("requestBody")
            if body is not None:
                from .payloads import parse_body

                parsed = parse_body(
                    ctx.resolve, body, f"{at}/{method}/requestBody", ctx.schemas, "Webhook" + name
                )
                event = parsed.type if parsed else None
            description = str(op.get("description") or op.get("summary") or "").strip()
            result.append(m.Webhook(name, method.upper(), event, description))
    return tuple(result)
