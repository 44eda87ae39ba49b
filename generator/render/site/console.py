"""What the try-it console needs to send an operation as the client would, as JSON for `reference.js`.

Everything comes from the call surface (`Operation.call`) and the docs' located arguments and examples
(`render/docs/values.py`), the same the cURL and Python samples of `docs/api.md` are made of.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ...ir import model as m
from ...ir import types as t
from ...parse.calls import client_scheme
from ..docs import DocsBase, Located

JsonObject = dict[str, Any]


def script_json(value: object) -> Markup:
    """JSON that can sit inside a `<script>` element: `<`, `>` and `&` written as `\\u` escapes, so no spec
    text can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def enum_values(type_: t.TypeRef, models: dict[str, m.Model]) -> list[Any]:
    """The values a parameter or field takes, when its type is an enum or a literal (else none)."""
    if isinstance(type_, t.Nullable):
        return enum_values(type_.inner, models)
    if isinstance(type_, t.Literal):
        return list(type_.values)
    target = models.get(type_.name) if isinstance(type_, t.Ref) else None
    if isinstance(target, m.EnumModel):
        return [x.value for x in target.members]
    if isinstance(target, m.AliasModel):
        return enum_values(target.type, models)
    return []


def _is_list(type_: t.TypeRef) -> bool:
    return isinstance(type_.inner if isinstance(type_, t.Nullable) else type_, t.Array)


def accept(loc: Located) -> str:
    """The `Accept` header the runtime sends for the call's result."""
    return {"stream": "text/event-stream", "binary": "*/*"}.get(loc.kind, "application/json")


def operation_data(docs: DocsBase, loc: Located) -> JsonObject:
    """One operation: where it is sent, its inputs and how the client sends each, and its example body."""
    op, models = loc.op, docs.values.models
    order = {a.name.python: i for i, a in enumerate(op.call.arguments)}
    args = sorted(loc.args, key=lambda a: order.get(a.python, len(order)))
    given = {(a.location, a.wire): js for a, _, js in loc.examples}
    params = [
        {
            "wire": a.wire,
            "python": a.python,
            "in": a.location,
            "required": a.required,
            "type": a.annotation,
            "setting": a.setting,
            "list": _is_list(a.type),
            "enum": enum_values(a.type, models),
        }
        for a in args
        if a.location in ("path", "query", "header", "form")
    ]
    files = [
        {"wire": a.wire, "python": a.python, "required": a.required, "many": _is_list(a.type)}
        for a in args
        if a.location == "file"
    ]
    body: JsonObject | None = None
    if op.body is not None:
        fields = {a.wire: a.python for a in args if a.location == "body" and a.wire != "(body)"}
        whole = next(
            (a.python for a in args if a.location in ("body", "content") and a.wire == "(body)"), None
        )
        example = given.get(("body", "(body)"), {w: v for (k, w), v in given.items() if k == "body"})
        body = {
            "kind": op.body.kind,
            "contentType": op.body.content_type,
            "fields": fields,
            "whole": whole,
            "example": json.dumps(example, ensure_ascii=False, indent=2) if op.body.kind == "json" else "",
        }
    server = next((s.url for s in docs.api.alt_servers if s.name == op.server), None)
    return {
        "id": op.id,
        "method": op.method,
        "path": op.path,
        "call": f"client.{loc.attribute}",
        "kind": loc.kind,
        "accept": accept(loc),
        "auth": op.call.auth,
        "idempotency": op.idempotency_header,
        "server": server,
        "serverName": op.server,
        "params": params,
        "files": files,
        "body": body,
    }


def own_scheme(api: m.Api) -> str | None:
    """The scheme the console fills with the client's key: the client's own, else the first declared."""
    chosen = client_scheme(api.auth, api.security) or (api.auth[0] if api.auth else None)
    return chosen.name if chosen else None


def page_data(docs: DocsBase) -> JsonObject:
    """What every operation of the API shares: servers, credentials and client settings."""
    api = docs.api
    kind, name = docs.auth
    return {
        "servers": [{"url": s.url, "description": s.description} for s in api.servers],
        "schemes": [
            {"key": s.name, "kind": s.kind, "in": s.location, "param": s.param, "description": s.description}
            for s in api.auth
        ],
        "clientScheme": own_scheme(api),
        "clientAuth": {"kind": kind, "name": name},
        "settings": [{"name": s.name, "in": s.location, "wire": s.wire, "env": s.env} for s in api.settings],
        "package": api.package.import_name,
        "clientClass": api.package.client_class,
        "apiKeyEnv": api.package.api_key_env,
    }
