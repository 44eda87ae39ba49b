"""Operations: names, resources, and everything an operation carries, from one path item method."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import SpecError, pointer
from ..ir import model as m
from . import pagination
from .calls import success_response
from .names import CLIENT_ATTRIBUTES, RESOURCE_ATTRIBUTES, NameScope, pascal, snake
from .parameters import SettingRegistry, parse_parameters
from .payloads import parse_body, parse_responses
from .schemas import SchemaParser
from .security import ServerNames, parse_servers, security_names
from .streaming import parse_stream, parse_websocket

METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
_SEPARATOR = re.compile(r"[./]")


@dataclass
class ParseContext:
    data: dict[str, Any]
    schemas: SchemaParser
    settings: SettingRegistry
    auth_names: set[str]
    top_servers: tuple[m.Server, ...]
    alt_servers: dict[str, m.Server]
    warnings: list[str]
    server_names: ServerNames = field(init=False)

    def __post_init__(self) -> None:
        self.server_names = ServerNames(self.alt_servers)

    def resolve(self, ref: str, at: str) -> Any:
        from ..load import resolve_pointer

        return resolve_pointer(self.data, ref, at)


def split_operation_id(
    operation_id: str | None, tags: list[str], method: str, path: str
) -> tuple[tuple[str, ...], str]:
    """(resource path, method name) for an operation."""
    if operation_id:
        segments = [s for s in _SEPARATOR.split(operation_id) if s]
        if len(segments) > 1:
            return tuple(snake(s) for s in segments[:-1]), snake(segments[-1])
        resource = (snake(tags[0]),) if tags else ()
        return resource, snake(operation_id)
    resource = (snake(tags[0]),) if tags else ()
    return resource, snake(f"{method} {path}")


@dataclass(frozen=True)
class Located:
    """One operation of the document, found and named, not yet parsed."""

    path: str
    path_item: dict[str, Any]
    path_at: str
    method: str
    raw: dict[str, Any]
    at: str
    resource: tuple[str, ...]
    name: str


def locate_operations(data: dict[str, Any], resolve: Any, warnings: list[str]) -> list[Located]:
    """Every operation in document order, with its resource path and its method name.

    Method names are allocated per resource in document order: a name another operation of the resource
    took gets a counter (`list2`, with a warning), and on the client itself a name the runtime client
    uses (`request`, `stream`, ...) gets a trailing `_`.
    """
    paths = data.get("paths") or {}
    if not isinstance(paths, dict):
        raise SpecError("paths must be an object", at=pointer("paths"))
    seen_ids: dict[str, str] = {}
    method_scopes: dict[tuple[str, ...], NameScope] = {}
    located = []
    for path, path_item in paths.items():
        path_at = pointer("paths", path)
        if isinstance(path_item, dict) and "$ref" in path_item:
            path_item = resolve(path_item["$ref"], path_at)
        if not isinstance(path_item, dict):
            raise SpecError("a path item must be an object", at=path_at)
        for method in METHODS:
            if method not in path_item:
                continue
            op_at = f"{path_at}/{method}"
            raw = path_item[method]
            if not isinstance(raw, dict):
                raise SpecError("an operation must be an object", at=op_at)
            operation_id = raw.get("operationId")
            if operation_id is not None:
                if not isinstance(operation_id, str) or not operation_id.strip():
                    raise SpecError("operationId must be a non-empty string", at=op_at + "/operationId")
                if operation_id in seen_ids:
                    raise SpecError(
                        f"duplicate operationId {operation_id!r} (first at {seen_ids[operation_id]})",
                        at=op_at + "/operationId",
                    )
                seen_ids[operation_id] = op_at
            tags = [tag for tag in raw.get("tags") or [] if isinstance(tag, str)]
            resource, method_name = split_operation_id(operation_id, tags, method, path)
            reserved = RESOURCE_ATTRIBUTES if resource else CLIENT_ATTRIBUTES
            scope = method_scopes.setdefault(resource, NameScope(reserved=reserved))
            python_name = scope.claim(method_name)
            if python_name.rstrip("_") != method_name.rstrip("_"):
                warnings.append(f"{op_at}: method name {method_name!r} taken, using {python_name!r}")
            located.append(Located(path, path_item, path_at, method, raw, op_at, resource, python_name))
    return located


def parse_operations(ctx: ParseContext, located: list[Located]) -> list[m.Operation]:
    for x in located:
        found = operation_servers(x.raw, x.at, x.path_item, x.path_at, ctx.top_servers)
        if found is not None:
            ctx.server_names.declare(*found)
    return [
        _operation(ctx, x.path, x.path_item, x.path_at, x.method, x.raw, x.at, x.resource, x.name)
        for x in located
    ]


def _operation(
    ctx: ParseContext,
    path: str,
    path_item: dict[str, Any],
    path_at: str,
    method: str,
    raw: dict[str, Any],
    op_at: str,
    resource: tuple[str, ...],
    name: str,
) -> m.Operation:
    hint = pascal(" ".join((*resource, name)))
    scope = NameScope()
    params = parse_parameters(
        ctx.resolve, path, path_item, raw, op_at, path_at, ctx.schemas, ctx.settings, scope, hint
    )
    body = parse_body(ctx.resolve, raw.get("requestBody"), op_at + "/requestBody", ctx.schemas, hint)
    responses, errors, sse_media = parse_responses(
        ctx.resolve, raw.get("responses"), op_at + "/responses", ctx.schemas, hint
    )
    success = success_response(responses)
    stream = None
    sse = next((r for r in responses if r.kind == "sse"), None)
    if sse is not None and sse.type is not None:
        stream = parse_stream(sse_media[sse.status], sse.type, params)
    websocket = None
    if "x-websocket" in path_item and method == "get":
        websocket = parse_websocket(path_item["x-websocket"], path_at + "/x-websocket", ctx.schemas, hint)
    server = _server(ctx, raw, op_at, path_item, path_at)
    idempotency = next(
        (
            p.name.wire
            for p in params
            if p.location == "header"
            and (p.name.wire.lower() == "idempotency-key" or _is_flagged(ctx, raw, p.name.wire))
        ),
        None,
    )
    return m.Operation(
        id=raw.get("operationId") or f"{method} {path}",
        name=m.Name(name, raw.get("operationId") or ""),
        resource=resource,
        method=method.upper(),
        path=path,
        summary=(raw.get("summary") or "").strip(),
        description=(raw.get("description") or "").strip(),
        deprecated=raw.get("deprecated") is True,
        params=params,
        body=body,
        responses=responses,
        errors=errors,
        pagination=pagination.detect(
            raw,
            op_at,
            params,
            body,
            success,
            ctx.schemas.by_name,
        ),
        stream=stream,
        websocket=websocket,
        idempotency_header=idempotency,
        server=server,
        security=security_names(raw.get("security"), op_at + "/security", ctx.auth_names),
        pointer=op_at,
    )


def _is_flagged(ctx: ParseContext, raw: dict[str, Any], wire: str) -> bool:
    for param in raw.get("parameters") or []:
        if isinstance(param, dict) and "$ref" in param:
            param = ctx.resolve(param["$ref"], "")
        if isinstance(param, dict) and param.get("name") == wire and param.get("x-idempotency-key") is True:
            return True
    return False


def operation_servers(
    raw: dict[str, Any], op_at: str, path_item: dict[str, Any], path_at: str, top: tuple[m.Server, ...]
) -> tuple[tuple[m.Server, ...], str] | None:
    """The server list an operation is sent to when it is not the document's own (with its pointer)."""
    if "servers" in raw:
        at = op_at + "/servers"
        servers = parse_servers(raw["servers"], at)
    elif "servers" in path_item:
        at = path_at + "/servers"
        servers = parse_servers(path_item["servers"], at)
    else:
        return None
    if not servers or (top and servers[0].url == top[0].url):
        return None
    return servers, at


def _server(
    ctx: ParseContext, raw: dict[str, Any], op_at: str, path_item: dict[str, Any], path_at: str
) -> str | None:
    found = operation_servers(raw, op_at, path_item, path_at, ctx.top_servers)
    return ctx.server_names.name(found[0]) if found is not None else None
