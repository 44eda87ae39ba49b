"""Example values of IR types, and the documented operations located with their arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...ir import model as m
from ...ir import types as t
from ..annotations import Annotator, Needs
from ..views import MethodView
from .text import Imports, default_cell, python_value

FILE_PATH = "path/to/file"
IDEMPOTENCY_EXAMPLE = "4b3a7c52-7f0e-4a43-9a51-6c0d2f1e8b90"
_FORMATS = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "byte": "aGVsbG8=",
}
# How the docs name where an argument goes (a setting is named by where it is sent).
_WHERE = {"body_field": "body", "form_field": "form"}


def documented(op: m.Operation) -> bool:
    """Operations these docs describe: the HTTP ones (WebSocket sessions are documented with their code)."""
    return op.websocket is None


# ---- example values ----------------------------------------------------------------------------------------


class Values:
    """Example values of IR types: a Python expression (recording its imports) and the same value as JSON."""

    def __init__(self, api: m.Api) -> None:
        self.models = {x.name: x for x in api.models}
        self.package = api.package.import_name

    def of(
        self, type_: t.TypeRef, hint: str, imports: Imports, file: bool = False, stack: tuple[str, ...] = ()
    ) -> tuple[str, Any]:
        if isinstance(type_, t.Primitive):
            return self._primitive(type_, hint, imports, file)
        if isinstance(type_, t.Literal):
            return python_value(type_.values[0]), type_.values[0]
        if isinstance(type_, t.Array | t.Nullable) and _inner_ref(type_) in stack:
            return ("[]", []) if isinstance(type_, t.Array) else ("None", None)
        if isinstance(type_, t.Array):
            py, js = self.of(type_.items, hint, imports, file, stack)
            return f"[{py}]", [js]
        if isinstance(type_, t.Map):
            py, js = self.of(type_.values, hint, imports, file, stack)
            return f'{{"key": {py}}}', {"key": js}
        if isinstance(type_, t.Nullable):
            return self.of(type_.inner, hint, imports, file, stack)
        if isinstance(type_, t.Union):
            usable = [v for v in type_.variants if v != t.Primitive("null")] or [t.Primitive("null")]
            return self.of(usable[0], hint, imports, file, stack)
        target = self.models[type_.name]
        if isinstance(target, m.EnumModel):
            return python_value(target.members[0].value), target.members[0].value
        if isinstance(target, m.UnionModel):
            return self.of(t.Union(target.variants), hint, imports, file, stack)
        if isinstance(target, m.AliasModel):
            return self.of(target.type, hint, imports, file, (*stack, target.name))
        imports.add((f"{self.package}.models", target.name))
        args, body = [], {}
        for f in target.fields:
            if f.required:
                py, js = self.default(f.type, f.has_default, f.default) or self.of(
                    f.type, f.name.python, imports, False, (*stack, target.name)
                )
                args.append(f"{f.name.python}={py}")
                body[f.name.wire] = js
        return f"{target.name}({', '.join(args)})", body

    def default(self, type_: t.TypeRef, has: bool, value: m.JsonValue) -> tuple[str, Any] | None:
        """The spec's default as the example, when it is a scalar the annotation accepts as it is."""
        return (python_value(value), value) if has and self._plain(type_, value) else None

    def _plain(self, type_: t.TypeRef, value: m.JsonValue) -> bool:
        if not isinstance(value, str | int | float | bool):
            return False
        if isinstance(type_, t.Nullable):
            return self._plain(type_.inner, value)
        if isinstance(type_, t.Primitive):
            return type_.format not in ("date-time", "date") and type_.kind not in ("binary", "any")
        if isinstance(type_, t.Ref):
            return isinstance(self.models[type_.name], m.EnumModel)
        return isinstance(type_, t.Literal) and value in type_.values

    def _primitive(self, type_: t.Primitive, hint: str, imports: Imports, file: bool) -> tuple[str, Any]:
        if type_.kind == "string" and type_.format == "date-time":
            imports.add(("datetime", "datetime"))
            return 'datetime.fromisoformat("2024-01-01T00:00:00+00:00")', "2024-01-01T00:00:00Z"
        if type_.kind == "string" and type_.format == "date":
            imports.add(("datetime", "date"))
            return "date(2024, 1, 1)", "2024-01-01"
        if type_.kind == "binary" and file:
            imports.add(("pathlib", "Path"))
            return f'Path("{FILE_PATH}")', FILE_PATH
        scalar: dict[str, Any] = {"integer": 1, "number": 1.5, "boolean": True, "null": None, "any": {}}
        value = scalar[type_.kind] if type_.kind in scalar else _FORMATS.get(type_.format or "", hint)
        return python_value(value), value


def _inner_ref(type_: t.Array | t.Nullable) -> str | None:
    inner = type_.items if isinstance(type_, t.Array) else type_.inner
    return inner.name if isinstance(inner, t.Ref) else None


# ---- arguments ---------------------------------------------------------------------------------------------


@dataclass
class Arg:
    python: str
    wire: str
    location: str  # path, query, header, body, form, file, content
    type: t.TypeRef
    required: bool
    description: str
    default: str = "—"
    setting: str | None = None
    spec_default: tuple[bool, m.JsonValue] = (False, None)
    annotation: str = ""


@dataclass
class Located:
    """A documented operation: where it lives (`client.<path>.<name>`), its method view, its arguments and the
    example values of those an example passes."""

    op: m.Operation
    path: tuple[str, ...]
    view: MethodView
    args: list[Arg] = field(default_factory=list[Arg])
    examples: list[tuple[Arg, str, Any]] = field(default_factory=list[tuple[Arg, str, Any]])
    imports: Imports = field(default_factory=set[tuple[str, str]])

    @property
    def attribute(self) -> str:
        return ".".join((*self.path, self.view.name))

    @property
    def kind(self) -> str:
        """The call's result, a JSON model and text alike being `json` here."""
        result = self.op.call.result
        return "json" if result in ("model", "text") else result

    def call_args(self, skip: set[str] | None = None) -> list[tuple[str, str]]:
        return [(a.python, py) for a, py, _ in self.examples if a.python not in (skip or set())]


def arguments(op: m.Operation, annotator: Annotator) -> list[Arg]:
    """The method's keyword arguments, in its signature's order, from the operation's call surface."""
    args: list[Arg] = []
    for a in op.call.signature():
        where = a.setting.location if a.setting is not None else _WHERE.get(a.location, a.location)
        whole = a.location in ("body", "content")
        arg = Arg(
            a.name.python,
            "(body)" if whole else a.name.wire,
            where,
            a.type,
            a.required,
            a.description or "The request body." if whole else a.description,
        )
        arg.default = f"client `{a.setting.name}`" if a.setting else default_cell(a.has_default, a.default)
        arg.setting = a.setting.name if a.setting else None
        arg.spec_default = (a.has_default, a.default)
        arg.annotation = annotator.argument(a, Needs())
        args.append(arg)
    return args
