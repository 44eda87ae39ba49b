"""What changed between two versions of an API, in the terms of the generated client. Pure: no I/O.

`surface(api)` reduces the IR to what a user of the generated package touches: every method
(`client.workflows.run`) with its keyword arguments and its return type, every model with its fields, enum
values or variants, and the client's settings. It is plain JSON data (deterministic, descriptions kept as
short hashes) and is stored in each generated package, so the next generation is compared with what users
have now. `compare(old, new)` classifies each difference:

- breaking: something users call or import is gone (a method, argument, field, model or enum value), a
  request that used to be valid is not any more (a path or method changed, an argument became required or
  now takes fewer values), or a result has a different shape (a response type changed incompatibly);
- additive: something new (a method, an optional argument, a field, a model, an enum value), or an argument
  that accepts more than before;
- docs: descriptions, summaries and deprecation notes.

Types are compared by the values they admit, in the direction the data flows: an argument (or a field of a
model that is only sent) may widen, a result (or a field of a model that is only received) may narrow; a
model used both ways may do neither. Enum values are the exception: clients accept values they do not
know, so a new value is additive wherever it appears, and a removed one is breaking. The fields of a JSON
body that the client flattens into keyword arguments are reported as arguments of the method.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .ir import model as m
from .ir import types as t
from .parse.names import NameScope
from .render.methods import _RESERVED as RESERVED_ARGUMENTS  # the names a method renames its arguments from

SURFACE_FORMAT = 1

ChangeKind = Literal["breaking", "additive", "docs"]
KINDS: tuple[ChangeKind, ...] = ("breaking", "additive", "docs")
Role = Literal["input", "output", "both"]
Surface = dict[str, Any]


@dataclass(frozen=True)
class Change:
    """One difference: `subject` names what users write (`client.workflows.run`, `Workflow.status`)."""

    kind: ChangeKind
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


# ---- the surface of an API -------------------------------------------------------------------------------


def surface(api: m.Api) -> Surface:
    """The user-visible surface of the client generated from `api`, as plain JSON data."""
    objects = {x.name: x for x in api.models if isinstance(x, m.ObjectModel)}
    roots: list[tuple[t.TypeRef, str]] = []
    flattened: set[str] = set()
    operations: dict[str, Any] = {}
    for path, op in _operations(api):
        arguments, body_model = _arguments(op, objects)
        if body_model is not None:
            flattened.add(body_model)
        entry: dict[str, Any] = {"http": f"{op.method} {op.path}", "args": arguments}
        entry["returns"] = _returns(op)
        _put_doc(entry, "\n".join(x for x in (op.summary, op.description) if x))
        if op.deprecated:
            entry["deprecated"] = True
        operations[path] = entry
        roots += [(a, "input") for a in _argument_types(op, objects)]
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


def _arguments(op: m.Operation, objects: dict[str, m.ObjectModel]) -> tuple[dict[str, Any], str | None]:
    """The keyword arguments of the generated method (as the renderer names them) and a flattened body."""
    args: dict[str, Any] = {}
    scope = NameScope(RESERVED_ARGUMENTS | {p.name.python for p in op.params})

    def add(name: str, type_: Any, required: bool, where: str, doc: str, deprecated: bool = False) -> None:
        entry: dict[str, Any] = {"type": type_, "in": where}
        if required:
            entry["required"] = True
        _put_doc(entry, doc)
        if deprecated:
            entry["deprecated"] = True
        args[name] = entry

    for param in op.params:
        if param.location == "cookie":
            continue
        python = param.name.python if param.name.python not in RESERVED_ARGUMENTS else param.name.python + "_"
        where = f"{param.location} {param.name.wire}"
        if param.setting is not None:
            where += f" (client setting {param.setting})"
        required = param.required and param.setting is None
        add(python, encode(param.type), required, where, param.description, param.deprecated)
    body = op.body
    if body is None:
        return args, None
    if body.kind in ("multipart", "form"):
        for part in body.parts:
            where = f"{'file' if part.is_file else 'form'} {part.name.wire}"
            add(
                scope.claim(part.name.python),
                encode(part.type),
                part.required and body.required,
                where,
                part.description,
            )
        return args, None
    if body.kind in ("binary", "text"):
        add(scope.claim("content"), f"content/{body.kind}", body.required, "body", body.description)
        return args, None
    model = objects.get(body.type.name) if isinstance(body.type, t.Ref) else None
    if model is None:
        add(scope.claim("body"), encode(body.type), body.required, "body", body.description)
        return args, None
    for f in model.fields:
        if not f.read_only:
            add(
                scope.claim(f.name.python),
                encode(f.type),
                f.required and body.required,
                f"body {f.name.wire}",
                f.description,
                f.deprecated,
            )
    return args, model.name


def _argument_types(op: m.Operation, objects: dict[str, m.ObjectModel]) -> Iterator[t.TypeRef]:
    yield from (p.type for p in op.params)
    if op.body is not None:
        yield from (part.type for part in op.body.parts)
        model = objects.get(op.body.type.name) if isinstance(op.body.type, t.Ref) else None
        if model is None:
            yield op.body.type
        else:
            yield from (f.type for f in model.fields if not f.read_only)
    if op.websocket is not None:
        yield op.websocket.client_frames


def _result_types(op: m.Operation) -> Iterator[t.TypeRef]:
    yield from (r.type for r in op.responses if r.type is not None)
    yield from (e.type for e in op.errors if e.type is not None)
    if op.pagination is not None:
        yield op.pagination.item_type
    if op.stream is not None:
        yield op.stream.event
    if op.websocket is not None:
        yield op.websocket.server_frames


def _returns(op: m.Operation) -> dict[str, Any]:
    if op.websocket is not None:
        ws = op.websocket
        return {"kind": "websocket", "type": encode(ws.server_frames), "sends": encode(ws.client_frames)}
    if op.stream is not None:
        return {"kind": "stream", "type": encode(op.stream.event)}
    if op.pagination is not None:
        return {"kind": "page", "type": encode(op.pagination.item_type)}
    success = next((r for r in op.responses if r.status.startswith("2")), None)
    if success is None or success.kind == "empty" or success.type is None:
        return {"kind": "none"}
    if success.kind in ("binary", "text"):
        return {"kind": success.kind}
    return {"kind": "json", "type": encode(success.type)}


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


# ---- types: what they admit, and how they read -------------------------------------------------------------

_PYTHON = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "any": "Any",
    "null": "None",
}
_FORMATS = {"string/date-time": "datetime", "string/date": "date"}

Atom = tuple[str, str]  # ("ref", name) | ("prim", python type) | ("lit", json value) | ("list"|"map", json)


def _python(primitive: str) -> str:
    if primitive in _FORMATS:
        return _FORMATS[primitive]
    kind = primitive.split("/", 1)[0]
    if kind == "binary":
        return "FileInput"
    if kind == "content":
        return "ContentInput"
    return _PYTHON.get(kind, kind)


def _atoms(type_: Any) -> set[Atom]:
    if isinstance(type_, str):
        return {("ref", type_[1:])} if type_.startswith("#") else {("prim", _python(type_))}
    if "enum" in type_:
        return {("lit", json.dumps(v)) for v in type_["enum"]}
    if "list" in type_:
        return {("list", json.dumps(type_["list"], sort_keys=True))}
    if "map" in type_:
        return {("map", json.dumps(type_["map"], sort_keys=True))}
    if "nullable" in type_:
        return _atoms(type_["nullable"]) | {("prim", "None")}
    return {atom for variant in type_["union"] for atom in _atoms(variant)}


def _literal_python(value: str) -> str:
    loaded = json.loads(value)
    return {str: "str", bool: "bool", int: "int", float: "float"}.get(type(loaded), "")


def _covered(atom: Atom, others: set[Atom]) -> bool:
    if atom in others or ("prim", "Any") in others:
        return True
    kind, value = atom
    if kind == "prim":
        return value == "int" and ("prim", "float") in others
    if kind == "lit":
        python = _literal_python(value)
        return ("prim", python) in others or (python == "int" and ("prim", "float") in others)
    if kind in ("list", "map"):
        inner = json.loads(value)
        return any(other_kind == kind and not _lost(inner, json.loads(other)) for other_kind, other in others)
    return False


def _lost(old: Any, new: Any) -> list[Atom]:
    """What `old` admits that `new` does not."""
    new_atoms = _atoms(new)
    return sorted(a for a in _atoms(old) if not _covered(a, new_atoms))


def describe(type_: Any) -> str:
    """A type as the generated code spells it (`list[Workflow]`, `str | None`, `Literal["a", "b"]`)."""
    if isinstance(type_, str):
        return type_[1:] if type_.startswith("#") else _python(type_)
    if "enum" in type_:
        return "Literal[" + ", ".join(json.dumps(v) for v in type_["enum"]) + "]"
    if "list" in type_:
        return f"list[{describe(type_['list'])}]"
    if "map" in type_:
        return f"dict[str, {describe(type_['map'])}]"
    if "nullable" in type_:
        inner = describe(type_["nullable"])
        return inner if inner.endswith("| None") or inner == "Any" else f"{inner} | None"
    return " | ".join(describe(v) for v in type_["union"])


def _type_changes(old: Any, new: Any, role: Role, subject: str, what: str) -> list[Change]:
    """The changes of one typed position: `what` reads as the start of a sentence ("the argument `x`")."""
    lost, gained = _lost(old, new), _lost(new, old)
    if not lost and not gained:
        return []
    if all(kind == "lit" for kind, _ in lost + gained):
        lead = f"{what} " if what else ""
        changes = [Change("breaking", subject, f"{lead}no longer takes the value {v}") for _, v in lost]
        return changes + [Change("additive", subject, f"{lead}takes the new value {v}") for _, v in gained]
    if lost and gained:
        kind: ChangeKind = "breaking"
    elif lost:  # narrower
        kind = "additive" if role == "output" else "breaking"
    else:  # wider
        kind = "additive" if role == "input" else "breaking"
    now = f"{what} is now" if what else "now"
    return [Change(kind, subject, f"{now} `{describe(new)}` (was `{describe(old)}`)")]


# ---- comparing two surfaces ------------------------------------------------------------------------------


def diff(old: m.Api, new: m.Api) -> list[Change]:
    """The classified changes from the client generated from `old` to the one generated from `new`."""
    return compare(surface(old), surface(new))


def compare(old: Surface, new: Surface) -> list[Change]:
    """The classified changes between two stored surfaces, breaking first, then additive, then docs."""
    for which in (old, new):
        if which.get("surface") != SURFACE_FORMAT:
            raise ValueError(f"unsupported surface format {which.get('surface')!r}")
    changes = _package(old["package"], new["package"])
    changes += _settings(old["settings"], new["settings"], new["package"]["client_class"])
    changes += _keyed(old["operations"], new["operations"], _operation_changes, _operation_presence)
    changes += _keyed(old["models"], new["models"], _model_changes, _model_presence)
    order = {kind: rank for rank, kind in enumerate(KINDS)}
    return sorted(
        set(changes), key=lambda c: (order[c.kind], not c.subject.startswith("client"), c.subject, c.message)
    )


def _keyed(
    old: dict[str, Any],
    new: dict[str, Any],
    changed: Any,
    presence: Any,
) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changes.append(presence(key, old[key], removed=True))
        elif key not in old:
            changes.append(presence(key, new[key], removed=False))
        else:
            changes += changed(key, old[key], new[key])
    return changes


def _package(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    labels = {
        "name": "the distribution name",
        "import_name": "the import name",
        "client_class": "the client class",
    }
    return [
        Change("breaking", "package", f"{label} is now `{new[key]}` (was `{old[key]}`)")
        for key, label in labels.items()
        if old.get(key) != new.get(key)
    ]


def _settings(old: dict[str, Any], new: dict[str, Any], client: str) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        env = f" (environment variable `{after['env']}`)" if after and after["env"] else ""
        if after is None:
            changes.append(Change("breaking", client, f"the setting `{name}` was removed"))
        elif before is None:
            kind: ChangeKind = "breaking" if after["required"] else "additive"
            required = "required" if after["required"] else "optional"
            changes.append(Change(kind, client, f"new {required} setting `{name}`{env}"))
        else:
            if after["required"] and not before["required"]:
                changes.append(Change("breaking", client, f"the setting `{name}` is now required"))
            elif before["required"] and not after["required"]:
                changes.append(Change("additive", client, f"the setting `{name}` is now optional"))
            if before["env"] != after["env"]:
                changes.append(Change("breaking", client, f"the setting `{name}` is now read from{env}"))
            if before["in"] != after["in"]:
                changes.append(
                    Change("breaking", client, f"the setting `{name}` is now sent as {after['in']}")
                )
    return changes


def _operation_presence(path: str, entry: dict[str, Any], *, removed: bool) -> Change:
    if removed:
        return Change("breaking", path, f"removed (was `{entry['http']}`)")
    return Change("additive", path, f"new method (`{entry['http']}`)")


def _operation_changes(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if old["http"] != new["http"]:
        changes.append(Change("breaking", path, f"now calls `{new['http']}` (was `{old['http']}`)"))
    if old.get("doc") != new.get("doc"):
        changes.append(Change("docs", path, "description changed"))
    if old.get("deprecated") != new.get("deprecated"):
        changes.append(
            Change("docs", path, "deprecated" if new.get("deprecated") else "no longer deprecated")
        )
    changes += _argument_changes(path, old["args"], new["args"])
    changes += _return_changes(path, old["returns"], new["returns"])
    return changes


def _argument_changes(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if after is None:
            changes.append(Change("breaking", path, f"the argument `{name}` was removed"))
            continue
        annotated = f"`{name}: {describe(after['type'])}`"
        if before is None:
            if after.get("required", False):
                changes.append(Change("breaking", path, f"new required argument {annotated}"))
            else:
                changes.append(Change("additive", path, f"new optional argument {annotated}"))
            continue
        what = f"the argument `{name}`"
        if after.get("required", False) and not before.get("required", False):
            changes.append(Change("breaking", path, f"{what} is now required"))
        elif before.get("required", False) and not after.get("required", False):
            changes.append(Change("additive", path, f"{what} is now optional"))
        if before["in"] != after["in"]:
            changes.append(
                Change("breaking", path, f"{what} is now sent as {after['in']} (was {before['in']})")
            )
        changes += _type_changes(before["type"], after["type"], "input", path, what)
        if before.get("doc") != after.get("doc"):
            changes.append(Change("docs", path, f"{what}: description changed"))
        if before.get("deprecated") != after.get("deprecated"):
            state = "deprecated" if after.get("deprecated") else "no longer deprecated"
            changes.append(Change("docs", path, f"{what} is {state}"))
    return changes


def _returned(returns: dict[str, Any]) -> str:
    kind = str(returns["kind"])
    if kind == "json":
        return describe(returns["type"])
    if kind == "page":
        return f"SyncPage[{describe(returns['type'])}]"
    if kind == "stream":
        return f"Stream[{describe(returns['type'])}]"
    if kind == "websocket":
        return "a WebSocket session"
    return {"binary": "BinaryResponse", "text": "str", "none": "None"}.get(kind, kind)


def _return_changes(path: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if old["kind"] != new["kind"]:
        return [Change("breaking", path, f"now returns `{_returned(new)}` (was `{_returned(old)}`)")]
    changes: list[Change] = []
    if "type" in old and "type" in new:
        label = {"page": "the items it returns", "stream": "the events it streams"}.get(
            old["kind"], "the frames it receives" if old["kind"] == "websocket" else "the result"
        )
        changes += _type_changes(old["type"], new["type"], "output", path, label)
    if "sends" in old and "sends" in new:
        changes += _type_changes(old["sends"], new["sends"], "input", path, "the frames it sends")
    return changes


_KIND_WORDS = {"object": "a model", "enum": "an enum", "union": "a union", "alias": "a type alias"}


def _model_presence(name: str, entry: dict[str, Any], *, removed: bool) -> Change:
    word = _KIND_WORDS.get(entry["kind"], "a type")
    if removed:
        return Change("breaking", name, f"removed (was {word})")
    return Change("additive", name, f"new {word.split(' ', 1)[1]}")


def _model_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if old["kind"] != new["kind"]:
        was, now = _KIND_WORDS.get(old["kind"], "a type"), _KIND_WORDS.get(new["kind"], "a type")
        return [Change("breaking", name, f"is now {now} (was {was})")]
    role: Role = old["role"] if old["role"] == new["role"] else "both"
    changes: list[Change] = []
    if old.get("doc") != new.get("doc"):
        changes.append(Change("docs", name, "description changed"))
    if old["kind"] == "object":
        changes += _field_changes(name, old["fields"], new["fields"], role)
    elif old["kind"] == "enum":
        gone = [v for v in old["values"] if v not in new["values"]]
        added = [v for v in new["values"] if v not in old["values"]]
        changes += [Change("breaking", name, f"the value {json.dumps(v)} was removed") for v in gone]
        changes += [Change("additive", name, f"new value {json.dumps(v)}") for v in added]
    elif old["kind"] == "union":
        changes += _type_changes(
            {"union": old["variants"]}, {"union": new["variants"]}, role, name, "the union"
        )
    else:
        changes += _type_changes(old["type"], new["type"], role, name, "the type")
    return changes


def _field_changes(model: str, old: dict[str, Any], new: dict[str, Any], role: Role) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        subject = f"{model}.{name}"
        before, after = old.get(name), new.get(name)
        if after is None:
            changes.append(Change("breaking", subject, "field removed"))
            continue
        if before is None:
            required = after.get("required", False)
            kind: ChangeKind = "breaking" if required and role != "output" else "additive"
            word = "required" if required else "optional"
            changes.append(Change(kind, subject, f"new {word} field of type `{describe(after['type'])}`"))
            continue
        if after.get("required", False) and not before.get("required", False):
            changes.append(Change("additive" if role == "output" else "breaking", subject, "now required"))
        elif before.get("required", False) and not after.get("required", False):
            kind = "additive" if role == "input" else "breaking"
            changes.append(
                Change(kind, subject, "now optional" if role == "input" else "now optional (may be None)")
            )
        wire_before, wire_after = before.get("wire", name), after.get("wire", name)
        if wire_before != wire_after:
            changes.append(
                Change("breaking", subject, f"now `{wire_after}` on the wire (was `{wire_before}`)")
            )
        changes += _type_changes(before["type"], after["type"], role, subject, "")
        if before.get("doc") != after.get("doc"):
            changes.append(Change("docs", subject, "description changed"))
        if before.get("deprecated") != after.get("deprecated"):
            state = "deprecated" if after.get("deprecated") else "no longer deprecated"
            changes.append(Change("docs", subject, state))
    return changes
