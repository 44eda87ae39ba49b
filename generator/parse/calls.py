"""The call surface of each operation: the method's arguments, its result, and whether it sends the
client's credentials. Built once, after every model is known; every output reads `Operation.call`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..ir import model as m
from ..ir import types as t
from .names import RESERVED_ARGUMENTS, NameScope, argument_name


def success_response(responses: Iterable[m.Response]) -> m.Response | None:
    """The response a call returns: the first 2XX one."""
    return next((r for r in responses if r.status.startswith("2")), None)


def client_scheme(auth: tuple[m.AuthScheme, ...], security: tuple[str, ...]) -> m.AuthScheme | None:
    """The scheme whose credential the client sends: the first one the default security names."""
    schemes = {scheme.name: scheme for scheme in auth}
    return next((schemes[name] for name in security if name in schemes), None)


def client_auth(auth: tuple[m.AuthScheme, ...], security: tuple[str, ...]) -> m.ClientAuth:
    """How the client sends its key: by its `client_scheme` (bearer when the security names none)."""
    chosen = client_scheme(auth, security)
    if chosen is None:
        return m.ClientAuth("none" if not auth else "bearer")
    if chosen.kind == "basic":
        return m.ClientAuth("basic")
    if chosen.kind == "api_key":
        return m.ClientAuth("query" if chosen.location == "query" else "header", chosen.param or "X-API-Key")
    return m.ClientAuth("bearer")


def with_calls(
    operations: Iterable[m.Operation],
    models: tuple[m.Model, ...],
    settings: tuple[m.Setting, ...],
    security: tuple[str, ...],
    auth: m.ClientAuth,
) -> list[m.Operation]:
    """The operations, each with its call surface (`security`: the document's default)."""
    objects = {x.name: x for x in models if isinstance(x, m.ObjectModel)}
    by_name = {s.name: s for s in settings}
    return [replace(op, call=build_call(op, objects, by_name, security, auth)) for op in operations]


def build_call(
    op: m.Operation,
    objects: dict[str, m.ObjectModel],
    settings: dict[str, m.Setting],
    security: tuple[str, ...],
    auth: m.ClientAuth,
) -> m.Call:
    arguments = _parameters(op, settings)
    if op.websocket is None:  # an upgrade request carries no body
        arguments += _body(op, objects)
    result, returns = _result(op)
    no_auth = op.security == () or (op.security is None and not security)
    return m.Call(
        arguments=tuple(arguments),
        result=result,
        returns=returns,
        success=success_response(op.responses),
        auth=auth.kind != "none" and not no_auth,
    )


def _parameters(op: m.Operation, settings: dict[str, m.Setting]) -> list[m.Argument]:
    """Every parameter but cookies (the client sends none); a client setting is an optional argument."""
    return [
        m.Argument(
            name=m.Name(argument_name(p.name.python), p.name.wire),
            location=p.location if p.setting is None else "setting",
            type=p.type,
            required=p.required and p.setting is None,
            description=p.description,
            default=p.default,
            has_default=p.has_default,
            setting=settings[p.setting] if p.setting is not None else None,
            deprecated=p.deprecated,
        )
        for p in op.params
        if p.location != "cookie"
    ]


def _body(op: m.Operation, objects: dict[str, m.ObjectModel]) -> list[m.Argument]:
    """The body as arguments: its parts, its raw content, its object's fields, or the whole value.

    Their names are claimed after the parameters' own (unrenamed) names and the reserved ones.
    """
    body = op.body
    if body is None:
        return []
    scope = NameScope(RESERVED_ARGUMENTS | {p.name.python for p in op.params})
    if body.kind in ("multipart", "form"):
        return [
            m.Argument(
                m.Name(scope.claim(part.name.python), part.name.wire),
                "file" if part.is_file else "form_field",
                part.type,
                part.required and body.required,
                part.description,
            )
            for part in body.parts
        ]
    if body.kind in ("binary", "text"):
        name = m.Name(scope.claim("content"), "")
        return [m.Argument(name, "content", t.Primitive("binary"), body.required, body.description)]
    model = objects.get(body.type.name) if isinstance(body.type, t.Ref) else None
    if model is None:
        name = m.Name(scope.claim("body"), "")
        return [m.Argument(name, "body", body.type, body.required, body.description)]
    return [
        m.Argument(
            name=m.Name(scope.claim(f.name.python), f.name.wire),
            location="body_field",
            type=f.type,
            required=f.required and body.required,
            description=f.description,
            default=f.default,
            has_default=f.has_default,
            deprecated=f.deprecated,
        )
        for f in model.fields
        if not f.read_only
    ]


def _result(op: m.Operation) -> tuple[m.ResultKind, t.TypeRef | None]:
    if op.websocket is not None:
        return "socket", op.websocket.server_frames
    if op.stream is not None:
        return "stream", op.stream.event
    if op.pagination is not None:
        return "page", op.pagination.item_type
    success = success_response(op.responses)
    if success is None or success.kind == "empty" or success.type is None:
        return "empty", None
    if success.kind in ("binary", "text"):
        return ("binary" if success.kind == "binary" else "text"), None
    return "model", success.type
