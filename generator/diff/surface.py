"""The surface of an API: what a user of the generated package touches, as plain JSON data.

`surface(api)` reduces the IR to every method (`client.workflows.run`) with its keyword arguments and its
return type, every model with its fields, enum values or variants, and the client's settings. It is
deterministic (descriptions kept as short hashes) and stored in each generated package
(`surface_json`), so the next generation is compared with what users have now. The fields of a JSON body
that the client flattens into keyword arguments are listed as arguments of the method.

This is the only part of the differ that reads the IR: a change in how the IR describes a method is local
to this module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, Literal

from ..ir import model as m
from ..ir import types as t

SURFACE_FORMAT = 1

Role = Literal["input", "output", "both"]
Surface = dict[str, Any]


def surface(api: m.Api) -> Surface:
    """The user-visible surface of the client generated from `api`, as plain JSON data."""
    roots: list[tuple[t.TypeRef, str]] = []
    flattened: set[str] = set()
    operations: dict[str, Any] = {}
    for path, op in _operations(api):
        body_model = _flattened_body(op)
        if body_model is not None:
            flattened.add(body_model)
        entry: dict[str, Any] = {"http": f"{op.method} {op.path}", "args": _arguments(op)}
        entry["returns"] = _returns(op)
        _put_doc(entry, "\n".join(x for x in (op.summary, op.description) if x))
        if op.deprecated:
            entry["deprecated"] = True
        operations[path] = entry
        roots += [(a, "input") for a in _argument_types(op)]
        roots += [(r, "output") for r in _result_types(op)]
    roots += [(hook.event, "output") for hook in api.webhooks if hook.event is not None]
    roles = _roles(api, roots)
    models: dict[str, Any] = {}
    for model in api.models:
        if model.name not in roles and model.name in flattened:
            continue  # its fields are the keyword arguments of the methods that send it
        models[model.name] = _model(model, roles.get(model.name, {"input", "output"}))
    settings = {
        s.name: {"in": f"{s.location} {s.wire}", "env": s.env or "", "required": s.required}
        for s in api.settings
    }
    pkg = api.package
    return {
        "surface": SURFACE_FORMAT,
        "package": {
            "name": pkg.name,
            "import_name": pkg.import_name,
            "client_class": pkg.client_class,
            "version": pkg.version,
        },
        "api": {"title": api.title, "version": api.version},
        "settings": settings,
        "operations": operations,
        "models": models,
    }


def surface_json(api: m.Api) -> str:
    """The surface as stored in a package: sorted JSON with one method, model or setting per line, so that
    a diff of the file reads as a diff of the client."""

    def dump(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    data = surface(api)
    lines = []
    for key in sorted(data):
        value = data[key]
        if key in ("settings", "operations", "models") and value:
            entries = [f"  {dump(name)}:{dump(value[name])}" for name in sorted(value)]
            lines.append(f" {dump(key)}:{{\n" + ",\n".join(entries) + "\n }")
        else:
            lines.append(f" {dump(key)}:{dump(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _operations(api: m.Api) -> Iterator[tuple[str, m.Operation]]:
    for op in api.operations:
        yield f"client.{op.name.python}", op

    def walk(resources: tuple[m.Resource, ...], prefix: str) -> Iterator[tuple[str, m.Operation]]:
        for resource in resources:
            here = f"{prefix}.{resource.name.python}"
            for op in resource.operations:
                yield f"{here}.{op.name.python}", op
            yield from walk(resource.resources, here)

    yield from walk(api.resources, "client")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _put_doc(entry: dict[str, Any], text: str) -> None:
    if text.strip():
        entry["doc"] = _digest(text.strip())


def _arguments(op: m.Operation) -> dict[str, Any]:
    """The keyword arguments of the generated method, as the IR's call surface names them."""
    args: dict[str, Any] = {}
    for arg in op.call.arguments:
        entry: dict[str, Any] = {"type": _argument_type(op, arg), "in": _where(arg)}
        if arg.required:
            entry["required"] = True
        _put_doc(entry, arg.description)
        if arg.deprecated:
            entry["deprecated"] = True
        args[arg.name.python] = entry
    return args


def _argument_type(op: m.Operation, arg: m.Argument) -> Any:
    if arg.location == "content":
        return f"content/{op.body.kind if op.body is not None else 'binary'}"
    return encode(arg.type)


def _where(arg: m.Argument) -> str:
    """Where an argument goes, as the surface spells it (`query limit`, `body name`, `file upload`)."""
    if arg.setting is not None:
        return f"{arg.setting.location} {arg.name.wire} (client setting {arg.setting.name})"
    if arg.location in ("body", "content"):
        return "body"
    prefix = {"body_field": "body", "form_field": "form"}.get(arg.location, arg.location)
    return f"{prefix} {arg.name.wire}"


def _flattened_body(op: m.Operation) -> str | None:
    """The model whose fields the method takes as keyword arguments, if it flattens one."""
    if op.body is None or not isinstance(op.body.type, t.Ref):
        return None
    whole = ("body", "content", "form_field", "file")
    return None if any(arg.location in whole for arg in op.call.arguments) else op.body.type.name


def _argument_types(op: m.Operation) -> Iterator[t.TypeRef]:
    yield from (arg.type for arg in op.call.arguments)
    if op.websocket is not None:
        yield op.websocket.client_frames


def _result_types(op: m.Operation) -> Iterator[t.TypeRef]:
    yield from (r.type for r in op.responses if r.type is not None)
    yield from (e.type for e in op.errors if e.type is not None)
    if op.call.returns is not None:
        yield op.call.returns


_RESULT_KINDS = {"socket": "websocket", "empty": "none", "model": "json"}


def _returns(op: m.Operation) -> dict[str, Any]:
    call = op.call
    kind = _RESULT_KINDS.get(call.result, call.result)
    entry: dict[str, Any] = {"kind": kind}
    if call.returns is not None:
        entry["type"] = encode(call.returns)
    if op.websocket is not None:
        entry["sends"] = encode(op.websocket.client_frames)
    return entry


def _roles(api: m.Api, roots: list[tuple[t.TypeRef, str]]) -> dict[str, set[str]]:
    """Which way each named model travels: sent (`input`), received (`output`), or both."""
    models = {x.name: x for x in api.models}
    roles: dict[str, set[str]] = {}
    stack = list(roots)
    while stack:
        type_, role = stack.pop()
        for name in _refs(type_):
            if role in roles.setdefault(name, set()) or name not in models:
                continue
            roles[name].add(role)
            model = models[name]
            if isinstance(model, m.ObjectModel):
                stack += [(f.type, role) for f in model.fields]
                if model.extra is not None:
                    stack.append((model.extra, role))
            elif isinstance(model, m.UnionModel):
                stack += [(v, role) for v in model.variants]
            elif isinstance(model, m.AliasModel):
                stack.append((model.type, role))
    return roles


def _refs(type_: t.TypeRef) -> Iterator[str]:
    if isinstance(type_, t.Ref):
        yield type_.name
    elif isinstance(type_, t.Array):
        yield from _refs(type_.items)
    elif isinstance(type_, t.Map):
        yield from _refs(type_.values)
    elif isinstance(type_, t.Nullable):
        yield from _refs(type_.inner)
    elif isinstance(type_, t.Union):
        for variant in type_.variants:
            yield from _refs(variant)


def _model(model: m.Model, roles: set[str]) -> dict[str, Any]:
    role: Role = "both" if len(roles) != 1 else ("input" if "input" in roles else "output")
    entry: dict[str, Any] = {"kind": model.kind, "role": role}
    _put_doc(entry, model.description)
    if isinstance(model, m.ObjectModel):
        fields: dict[str, Any] = {}
        for f in model.fields:
            item: dict[str, Any] = {"type": encode(f.type)}
            if f.required:
                item["required"] = True
            if f.name.wire != f.name.python:
                item["wire"] = f.name.wire
            _put_doc(item, f.description)
            if f.deprecated:
                item["deprecated"] = True
            fields[f.name.python] = item
        entry["fields"] = fields
    elif isinstance(model, m.EnumModel):
        entry["values"] = [member.value for member in model.members]
    elif isinstance(model, m.UnionModel):
        entry["variants"] = [encode(v) for v in model.variants]
    else:
        entry["type"] = encode(model.type)
    return entry


def encode(type_: t.TypeRef) -> Any:
    """A compact JSON form of a type: `"string"`, `"string/date-time"`, `"#Model"`, `{"list": ...}`, ..."""
    if isinstance(type_, t.Primitive):
        return type_.kind if type_.format is None else f"{type_.kind}/{type_.format}"
    if isinstance(type_, t.Ref):
        return "#" + type_.name
    if isinstance(type_, t.Literal):
        return {"enum": list(type_.values)}
    if isinstance(type_, t.Array):
        return {"list": encode(type_.items)}
    if isinstance(type_, t.Map):
        return {"map": encode(type_.values)}
    if isinstance(type_, t.Nullable):
        return {"nullable": encode(type_.inner)}
    return {"union": [encode(v) for v in type_.variants]}
