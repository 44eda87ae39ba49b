"""IR -> the package's docs: `README.md` (what, install, configuration, a section per capability the API has)
and `docs/api.md` (every operation and model). Every example is built here from the IR and the finished method
views (argument names are checked against the signatures), so the docs say what the generated code does.
"""

from __future__ import annotations

import builtins
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from ..ir import model as m
from ..ir import types as t
from ..parse.names import NameScope, snake
from .annotations import Annotator, Needs, python_string
from .methods import _RESERVED, OPTION_PARAMS, MethodView
from .models import model_references, references
from .realtime import extra_dependencies, readme_view
from .resources import ResourceModule, has_methods, renderable
from .text import clean

# What the runtime does, as the docs state it (tests compare these with the runtime itself).
STATUS_ERRORS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "402": "PaymentRequiredError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}
RETRY_STATUSES, RETRY_INITIAL, RETRY_MAXIMUM, RETRY_AFTER_CAP = (408, 409, 429), 0.5, 8.0, 60.0

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
_OPTIONS = tuple(p.split(":")[0] for p in OPTION_PARAMS)
_STDLIB = frozenset({"asyncio", "datetime", "logging", "os", "pathlib", "uuid"})
_TAKEN = (
    frozenset(dir(builtins)) | _STDLIB | {"client", "stream", "response", "event", "main", "httpx", "body"}
)
_BODY = ("body", "form", "file", "content")
Imports = set[tuple[str, str]]  # (module, name); name "" means `import module`


def documented(op: m.Operation) -> bool:
    """Operations these docs describe: the HTTP ones (WebSocket sessions are documented with their code)."""
    return renderable(op) and op.websocket is None


def exception_for(status: str) -> str:
    """The exception class raised for a documented error status ("404", "5XX", "default")."""
    if status.isdigit():
        return (
            "InternalServerError"
            if int(status) >= 500
            else STATUS_ERRORS.get(str(int(status)), "APIStatusError")
        )
    return "InternalServerError" if status.upper() == "5XX" else "APIStatusError"


# ---- markdown and shell text -------------------------------------------------------------------------------


def inline(text: str) -> str:
    """Spec prose as markdown: `<` and `>` outside code spans escaped so they are not read as HTML, and code
    fences written with tildes so the docs' own fenced examples are the only backtick fences."""
    parts = clean(text).replace("```", "~~~").split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def prose(text: str) -> str:
    """Spec prose on one line of a markdown table (pipes escaped)."""
    return " ".join(inline(text).split()).replace("|", "\\|")


def cell(text: str) -> str:
    return prose(text) or "—"


def code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def op_anchor(op_id: str) -> str:
    return "op-" + re.sub(r"[^A-Za-z0-9_-]+", "-", op_id)


def link(name: str, base: str = "") -> str:
    return f"[`{name}`]({base}#model-{name})"


def _default(has: bool, value: m.JsonValue) -> str:
    return code(json.dumps(value, ensure_ascii=False)) if has else "—"


def _dq(text: str) -> str:
    """Text safe inside a double-quoted shell string."""
    return re.sub(r'([\\"$`])', r"\\\1", text)


def _text(value: Any) -> str:
    """A JSON value as it travels in a query string, header or form field."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _python(value: Any) -> str:
    """A JSON value as a Python literal."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{python_string(k)}: {_python(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_python(v) for v in value) + "]"
    return python_string(value) if isinstance(value, str) else repr(value)


def _call(prefix: str, call: str, args: list[tuple[str, str]], suffix: str = "") -> list[str]:
    if not args:
        return [f"{prefix}{call}(){suffix}"]
    return [f"{prefix}{call}(", *(f"    {k}={v}," for k, v in args), f"){suffix}"]


def render_imports(imports: Imports, package: str) -> str:
    """Import lines grouped (standard library, third party, the package) and sorted as ruff's isort does."""
    groups: list[list[str]] = [[], [], []]
    for module in sorted({mod for mod, _ in imports}):
        group = groups[0 if module in _STDLIB else 2 if module.split(".")[0] == package else 1]
        if (module, "") in imports:
            group.insert(sum(1 for line in group if line.startswith("import ")), f"import {module}")
        names = sorted(name for mod, name in imports if mod == module and name)
        if names:
            group.append(f"from {module} import {', '.join(names)}")
    return "\n\n".join("\n".join(group) for group in groups if group)


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
            return _python(type_.values[0]), type_.values[0]
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
            return _python(target.members[0].value), target.members[0].value
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
        return (_python(value), value) if has and self._plain(type_, value) else None

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
        return _python(value), value


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
    """A renderable operation: where it lives (`client.<path>.<name>`), its method view, its arguments and the
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
        if self.op.stream is not None:
            return "stream"
        if self.op.pagination is not None:
            return "page"
        return {"None": "empty", "BinaryResponse": "binary"}.get(self.view.returns, "json")

    def call_args(self, skip: set[str] | None = None) -> list[tuple[str, str]]:
        return [(a.python, py) for a, py, _ in self.examples if a.python not in (skip or set())]


def arguments(op: m.Operation, view: MethodView, models: dict[str, m.Model]) -> list[Arg]:
    """The method's keyword arguments as `MethodBuilder` names them, checked against its signature."""
    scope = NameScope(_RESERVED | {p.name.python for p in op.params})
    args: list[Arg] = []
    for p in op.params:
        if p.location != "cookie":
            python = p.name.python if p.name.python not in _RESERVED else p.name.python + "_"
            arg = Arg(python, p.name.wire, p.location, p.type, p.required and not p.setting, p.description)
            arg.default = f"client `{p.setting}`" if p.setting else _default(p.has_default, p.default)
            arg.setting, arg.spec_default = p.setting, (p.has_default, p.default)
            args.append(arg)
    body = op.body
    target = models.get(body.type.name) if body is not None and isinstance(body.type, t.Ref) else None
    if body is not None and body.kind in ("multipart", "form"):
        for part in body.parts:
            where, required = ("file" if part.is_file else "form"), part.required and body.required
            args.append(
                Arg(
                    scope.claim(part.name.python),
                    part.name.wire,
                    where,
                    part.type,
                    required,
                    part.description,
                )
            )
    elif body is not None and body.kind in ("binary", "text"):
        text = body.description or "The request body."
        args.append(
            Arg(scope.claim("content"), "(body)", "content", t.Primitive("binary"), body.required, text)
        )
    elif body is not None and isinstance(target, m.ObjectModel):
        for f in target.fields:
            if not f.read_only:
                required = f.required and body.required
                arg = Arg(scope.claim(f.name.python), f.name.wire, "body", f.type, required, f.description)
                arg.default, arg.spec_default = _default(f.has_default, f.default), (f.has_default, f.default)
                args.append(arg)
    elif body is not None:
        text = body.description or "The request body."
        args.append(Arg(scope.claim("body"), "(body)", "body", body.type, body.required, text))
    args.sort(key=lambda a: not a.required)
    signature = [p for p in view.params if p.split(":")[0] not in _OPTIONS]
    if [p.split(":")[0] for p in signature] != [a.python for a in args]:
        raise RuntimeError(f"docs: the arguments of {op.id} differ from its method's signature")
    for arg, param in zip(args, signature, strict=True):
        arg.annotation = (
            param.split(": ", 1)[1].removesuffix(" | NotGiven = NOT_GIVEN").replace("builtins.", "")
        )
    return args


# ---- views -------------------------------------------------------------------------------------------------

Rows = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class OperationDoc:
    anchor: str
    call: str
    summary: str
    description: str
    http: str
    notes: tuple[str, ...]
    signature: str
    params: Rows
    returns: str
    errors: Rows
    curl: str
    python: str
    async_python: str


@dataclass(frozen=True)
class ResourceDoc:
    anchor: str
    indent: str
    heading: str
    op_heading: str
    attribute: str
    description: str
    operations: tuple[OperationDoc, ...]


@dataclass(frozen=True)
class ModelDoc:
    anchor: str
    name: str
    kind: str
    description: str
    fields: Rows
    details: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A README section about one capability: a table, code examples and a few finished phrases."""

    rows: Rows = ()
    examples: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


class Docs:
    """Builds the doc views of one API from its IR and the finished method views."""

    def __init__(self, api: m.Api, modules: list[ResourceModule], root_methods: list[MethodView]) -> None:
        self.api, self.pkg = api, api.package
        self.values = Values(api)
        self.annotator = Annotator(self.values.models)
        self.views = {v.operation_id: v for module in modules for v in module.methods}
        self.views |= {v.operation_id: v for v in root_methods}
        self.groups: list[tuple[m.Resource | None, tuple[str, ...], int, list[Located]]] = []
        root = [Located(op, (), self.views[op.id]) for op in api.operations if documented(op)]
        if root:
            self.groups.append((None, (), 0, root))
        self._walk(api.resources, (), 0)
        self.located = [loc for *_, ops in self.groups for loc in ops]
        for loc in self.located:
            self._prepare(loc)
        schemes = {scheme.name: scheme for scheme in api.auth}
        chosen = next((schemes[name] for name in api.security if name in schemes), None)
        # How the client sends the key, as `client._auth_spec` decides: (kind, header or query name).
        self.auth = ("none", "") if not api.auth else ("bearer", "Authorization")
        if chosen is not None and chosen.kind == "api_key":
            self.auth = ("query" if chosen.location == "query" else "header"), chosen.param or "X-API-Key"
        elif chosen is not None and chosen.kind == "basic":
            self.auth = ("basic", "Authorization")

    def _walk(self, resources: tuple[m.Resource, ...], prefix: tuple[str, ...], level: int) -> None:
        for resource in resources:
            if has_methods(resource):
                path = (*prefix, resource.name.python)
                ops = [Located(op, path, self.views[op.id]) for op in resource.operations if documented(op)]
                if ops or any(map(has_methods, resource.resources)):
                    self.groups.append((resource, path, level, ops))
                self._walk(resource.resources, path, level + 1)

    def _prepare(self, loc: Located) -> None:
        """Example arguments: the required ones, and one body argument when none of those is in the body."""
        loc.args = arguments(loc.op, loc.view, self.values.models)
        chosen = [a for a in loc.args if a.required]
        cursor = loc.op.pagination.request_param if loc.op.pagination else None
        if loc.op.body is not None and not any(a.location in _BODY for a in chosen):
            chosen += [a for a in loc.args if a.location in _BODY and a.wire != cursor][:1]
        for arg in chosen:
            py, js = self.values.default(arg.type, *arg.spec_default) or self.values.of(
                arg.type, arg.python, loc.imports, arg.location in ("file", "content")
            )
            loc.examples.append((arg, py, js))

    def sends_auth(self, op: m.Operation) -> bool:
        return self.auth[0] != "none" and not (
            op.security == () or (op.security is None and not self.api.security)
        )

    def setting_value(self, name: str) -> str:
        """A setting in a cURL command: its environment variable, or an example value."""
        env = next(s.env for s in self.api.settings if s.name == name)
        return "${" + env + "}" if env else _dq("my-" + name.replace("_", "-"))

    def param_row(self, a: Arg) -> tuple[str, ...]:
        where = a.location + " (client setting)" * bool(a.setting)
        required = "yes" if a.required else "no"
        return (
            code(a.python),
            code(a.wire),
            where,
            code(a.annotation),
            required,
            a.default,
            cell(a.description),
        )

    def error_cell(self, type_: t.TypeRef | None) -> str:
        return "—" if type_ is None else self.links(type_) or code(self.annotation(type_))

    def annotation(self, type_: t.TypeRef, optional: bool = False) -> str:
        text = self.annotator.render(type_, Needs())
        return text + " | None" if optional and not text.endswith("| None") and text != "Any" else text

    def links(self, *types: t.TypeRef | None, base: str = "") -> str:
        return ", ".join(link(name, base) for name in sorted(set().union(*map(references, types))))

    # ---- Python examples

    def var(self, type_: t.TypeRef | None, fallback: str) -> str:
        name = snake(type_.name) if isinstance(type_, t.Ref) else fallback
        return fallback if name in _TAKEN or name in self.values.models else name

    def usage(
        self, loc: Located, *, is_async: bool, extra: tuple[tuple[str, str], ...] = (), client: str = "client"
    ) -> list[str]:
        """Lines that call the operation and use its result."""
        args = loc.call_args({k for k, _ in extra}) + list(extra)
        call, wait, kind = f"{client}.{loc.attribute}", "await " if is_async else "", loc.kind
        if loc.op.pagination is not None:
            item = self.var(loc.op.pagination.item_type, "item")
            return [*_call(f"{'async ' * is_async}for {item} in ", call, args, ":"), f"    print({item})"]
        if kind == "stream" and is_async:
            body = ["async with stream:", "    async for event in stream:", "        print(event)"]
            return [*_call("stream = await ", call, args), *body]
        if kind == "stream":
            return [
                *_call("with ", call, args, " as stream:"),
                "    for event in stream:",
                "        print(event)",
            ]
        if kind == "binary":
            return [*_call(f"response = {wait}", call, args), f'{wait}response.write_to_file("output")']
        if kind == "empty":
            return _call(wait, call, args)
        result = self.var(
            next((r.type for r in loc.op.responses if r.status.startswith("2")), None), "result"
        )
        return [*_call(f"{result} = {wait}", call, args), f"print({result})"]

    def program(
        self,
        body: list[str],
        imports: Imports,
        *,
        is_async: bool,
        ctor: tuple[str, ...] = (),
        client: bool = True,
    ) -> str:
        """A complete module: imports, the client, then `body` (inside `async def main()` when async)."""
        cls = ("Async" if is_async else "") + self.pkg.client_class
        imports = (
            imports
            | ({(self.pkg.import_name, cls)} if client else set())
            | ({("asyncio", "")} if is_async else set())
        )
        made = [f"client = {cls}()"] if not ctor else [f"client = {cls}(", *(f"    {c}" for c in ctor), ")"]
        lines = [render_imports(imports, self.pkg.import_name), "", *([*made, ""] if client else [])]
        if not is_async:
            return "\n".join([*lines, *body])
        inner = [f"    {line}" if line else "" for line in body]
        return "\n".join([*lines, "", "async def main() -> None:", *inner, "", "", "asyncio.run(main())"])

    def both(
        self, loc: Located, ctor: tuple[str, ...] = (), imports: Imports | None = None, **kw: Any
    ) -> tuple[str, str]:
        imports = loc.imports | (imports or set())
        return (
            self.program(self.usage(loc, is_async=False, **kw), imports, is_async=False, ctor=ctor),
            self.program(self.usage(loc, is_async=True, **kw), imports, is_async=True, ctor=ctor),
        )

    # ---- cURL

    def curl(self, loc: Located) -> str:
        op, pkg = loc.op, self.pkg
        given = {(a.location, a.wire): js for a, _, js in loc.examples}
        url = _dq(
            next((s.url for s in self.api.alt_servers if s.name == op.server), self.api.base_url).rstrip("/")
        )
        for piece in re.split(r"(\{[^{}]+\})", op.path):
            param = next(
                (p for p in op.params if p.location == "path" and "{" + p.name.wire + "}" == piece), None
            )
            if param is not None and param.setting:
                url += self.setting_value(param.setting)
            elif param is not None:
                url += _dq(quote(_text(given.get(("path", param.name.wire), param.name.python)), safe=""))
            else:
                url += _dq(piece)
        pairs = [
            (wire, _text(v))
            for (where, wire), value in given.items()
            if where == "query"
            for v in (value if isinstance(value, list) else [value])
        ]
        query = _dq(urlencode(pairs))
        key = "${" + pkg.api_key_env + "}" if pkg.api_key_env else "YOUR_API_KEY"
        (kind, name), auth = self.auth, self.sends_auth(op)
        if auth and kind == "query":
            query += ("&" if query else "") + f"{_dq(quote(name))}={key}"
        headers, flags, data = [], [], []
        if auth and kind in ("bearer", "header"):
            headers.append(f"Authorization: Bearer {key}" if kind == "bearer" else f"{_dq(name)}: {key}")
        flags += [f'-u "{key}"'] if auth and kind == "basic" else []
        for p in op.params:
            if p.location == "header" and p.setting:
                headers.append(f"{_dq(p.name.wire)}: {self.setting_value(p.setting)}")
            elif p.location == "header" and ("header", p.name.wire) in given:
                headers.append(f"{_dq(p.name.wire)}: {_dq(_text(given['header', p.name.wire]))}")
        idem = op.idempotency_header
        if idem and not any(h.lower().startswith(idem.lower() + ":") for h in headers):
            headers.append(f"{_dq(idem)}: {IDEMPOTENCY_EXAMPLE}")
        if op.stream is not None:
            flags.insert(0, "-N")
            headers.append("Accept: text/event-stream")
        flags += ["-o output"] if loc.kind == "binary" else []
        body = op.body
        if body is not None and body.kind == "json":
            fields = {w: v for (k, w), v in given.items() if k == "body" and w != "(body)"}
            payload = given.get(("body", "(body)"), fields)
            text = (
                json.dumps(payload, ensure_ascii=False, indent=2).replace("\n", "\n  ").replace("'", "'\\''")
            )
            headers.append(f"Content-Type: {_dq(body.content_type)}")
            data.append(f"-d '{text}'")
        elif body is not None and body.kind in ("multipart", "form"):
            option = "-F" if body.kind == "multipart" else "--data-urlencode"
            for (where, wire), value in given.items():
                for item in value if isinstance(value, list) else [value]:
                    at = "@" if where == "file" else ""
                    data += (
                        [f'{option} "{_dq(wire)}={at}{_dq(_text(item))}"']
                        if where in ("form", "file")
                        else []
                    )
        elif body is not None:
            headers.append(f"Content-Type: {_dq(body.content_type)}")
            data.append(f"--data-binary @{FILE_PATH}")
        method = "" if op.method == "GET" else f" -X {op.method}"
        first = f'curl{method} "{url}{"?" + query if query else ""}"'
        return " \\\n  ".join([first, *(f'-H "{h}"' for h in headers), *flags, *data])

    # ---- docs/api.md

    def operation(self, loc: Located) -> OperationDoc:
        op, view = loc.op, loc.view
        notes = ["**Deprecated.**"] if op.deprecated else []
        if op.server:
            url = next(s.url for s in self.api.alt_servers if s.name == op.server)
            notes.append(f"Sent to the `{op.server}` host: `{op.server}_base_url=` (default `{url}`).")
        if op.pagination is not None:
            page = op.pagination
            notes.append(
                f"Paginated (`{page.style}`): iterating the result walks every item of every page, and "
                f"`iter_pages()` yields each page's body. Items: `{page.items or '(the body)'}`; next page "
                f"is asked for with `{page.request_param}`."
            )
        if op.stream is not None:
            notes.append(self.stream_note(op.stream))
        if op.idempotency_header:
            notes.append(
                f"Sends `{op.idempotency_header}`: a key generated once per call and reused on retries."
            )
        rows = tuple(self.param_row(a) for a in loc.args)
        params = "".join(f"    {p.replace('builtins.', '')},\n" for p in view.params)
        returns, async_returns = (
            view.returns.replace("builtins.", ""),
            view.async_returns.replace("builtins.", ""),
        )
        success = next((r.type for r in op.responses if r.status.startswith("2")), None)
        item = op.pagination.item_type if op.pagination else op.stream.event if op.stream else None
        names = sorted(references(success) | references(item))
        shown = link(returns) if returns in names else code(returns)
        shown += f" (async: {code(async_returns)})" if async_returns != returns else ""
        others = [link(name) for name in names if name != returns]
        errors = tuple(
            (code(e.status), code(exception_for(e.status)), self.error_cell(e.type)) for e in op.errors
        )
        python, async_python = self.both(loc)
        return OperationDoc(
            anchor=op_anchor(op.id),
            call=f"client.{loc.attribute}",
            summary=inline(op.summary),
            description=inline(op.description) if op.description != op.summary else "",
            http=f"{op.method} {op.path}",
            notes=tuple(notes),
            signature=f"client.{loc.attribute}(\n    *,\n{params}) -> {returns}",
            params=rows,
            returns=shown + (f"; see {', '.join(others)}" if others else ""),
            errors=errors,
            curl=self.curl(loc),
            python=python,
            async_python=async_python,
        )

    def stream_note(self, stream: m.Stream) -> str:
        event = self.annotation(stream.event)
        text = f"Streams server-sent events as `{event}` (typed by `{stream.event_type}`)"
        text += "; ends after " + ", ".join(f"`{x}`" for x in stream.terminal) if stream.terminal else ""
        text += "; skips " + ", ".join(f"`{x}`" for x in stream.heartbeat) if stream.heartbeat else ""
        return f"{text}; after a dropped connection it {self.resume_note(stream.resume)}."

    def resume_note(self, resume: m.Resume | None) -> str:
        if resume is not None and resume.header:
            return f"reconnects with `{resume.header}: <last event id>`"
        if resume is not None and resume.query:
            last = f"the last event's {resume.field}" if resume.field else "the last event id"
            return f"reconnects with `{resume.query}=<{last}>`"
        return "raises `APIConnectionError`"

    def model(self, x: m.Model, base: str = "") -> ModelDoc:
        details, rows = [], []
        if isinstance(x, m.ObjectModel):
            for f in x.fields:
                notes = [inline(f.description), "Read-only." * f.read_only, "Deprecated." * f.deprecated]
                notes.append(
                    f"Default: `{json.dumps(f.default, ensure_ascii=False)}`." if f.has_default else ""
                )
                annotation = code(self.annotation(f.type, not f.required))
                text = cell(" ".join(n for n in notes if n))
                rows.append(
                    (code(f.name.python), code(f.name.wire), annotation, "yes" * f.required or "no", text)
                )
        elif isinstance(x, m.EnumModel):
            details.append(
                "Values: " + ", ".join(code(json.dumps(v.value, ensure_ascii=False)) for v in x.members)
            )
        elif isinstance(x, m.UnionModel):
            variants = (self.links(v, base=base) or code(self.annotation(v)) for v in x.variants)
            details.append("One of: " + ", ".join(variants) + ".")
            if x.discriminator is not None:
                pairs = ", ".join(f"`{tag}` → {link(name, base)}" for tag, name in x.discriminator.mapping)
                details.append(f"Tagged by `{x.discriminator.wire}`" + (f": {pairs}." if pairs else "."))
        else:
            details.append(f"Type: {code(self.annotation(x.type))}.")
        kind = {"object": "Object", "enum": "Enum", "union": "Union", "alias": "Alias"}[x.kind]
        return ModelDoc(f"model-{x.name}", x.name, kind, inline(x.description), tuple(rows), tuple(details))

    def resources(self) -> list[ResourceDoc]:
        docs = []
        for resource, path, level, ops in self.groups:
            description = inline(resource.description) if resource is not None else ""
            anchor = "resource-" + ("-".join(path) or "client")
            heading, op_heading = "#" * (level + 2), "#" * (level + 3)
            attribute, operations = ".".join(("client", *path)), tuple(self.operation(loc) for loc in ops)
            docs.append(
                ResourceDoc(anchor, "  " * level, heading, op_heading, attribute, description, operations)
            )
        return docs

    # ---- README.md

    def pick(self, candidates: list[Located]) -> Located | None:
        """The simplest operation: a GET, few required arguments, plain JSON, the main host, a short path."""
        rank = {"json": 0, "page": 1, "empty": 2, "binary": 3, "stream": 4}
        return min(
            candidates,
            key=lambda x: (
                x.op.method != "GET",
                len(x.examples),
                rank[x.kind],
                x.op.server is not None,
                x.op.path.count("/"),
                len(x.op.path),
                x.op.id,
            ),
            default=None,
        )

    def row(self, loc: Located, *cells: str) -> tuple[str, ...]:
        method = f"[`client.{loc.attribute}`](docs/api.md#{op_anchor(loc.op.id)})"
        return (method, code(f"{loc.op.method} {loc.op.path}"), *cells)

    def config(self) -> list[tuple[str, ...]]:
        pkg, (kind, name) = self.pkg, self.auth
        sent = {
            "bearer": "`Authorization: Bearer <api_key>`",
            "header": f"the `{name}` header",
            "query": f"the `{name}` query parameter",
            "basic": "HTTP Basic credentials (`user:password`)",
        }
        env = code(pkg.api_key_env) if pkg.api_key_env else "—"
        rows = [("`api_key`", env, "—", f"The API key, sent as {sent[kind]}.")] if kind != "none" else []
        for s in self.api.settings:
            where = f"Sent as the `{s.wire}` {s.location} parameter by the operations that declare it"
            text = f"{prose(s.description)} {where}{' (they require it)' if s.required else ''}."
            rows.append((code(s.name), code(s.env) if s.env else "—", "—", text.lstrip()))
        url_env = code(pkg.base_url_env) if pkg.base_url_env else "—"
        rows.append(("`base_url`", url_env, code(self.api.base_url), "Where requests are sent."))
        for server in self.api.alt_servers:
            text = f"Where the operations of the `{server.name}` host are sent. {prose(server.description)}"
            env = code(server.env) if server.env else "—"
            rows.append((code(f"{server.name}_base_url"), env, code(server.url), text.strip()))
        return [
            *rows,
            ("`timeout`", "—", f"`{pkg.timeout:g}`", "Seconds per request, or an `httpx.Timeout`."),
            ("`max_retries`", "—", f"`{pkg.max_retries}`", "Retries of a failed request."),
            ("`default_headers`", "—", "—", "Headers sent with every request."),
            ("`default_query`", "—", "—", "Query parameters sent with every request."),
            (
                "`http_client`",
                "—",
                "—",
                "Your own `httpx.Client` (`httpx.AsyncClient`); the client will not close it.",
            ),
        ]

    def ctor(self, imports: Imports, *, explicit: bool) -> tuple[str, ...]:
        """Constructor arguments: the API key from its variable and the required settings, or all of them."""
        pkg, lines = self.pkg, []
        if self.auth[0] != "none" and pkg.api_key_env:
            imports.add(("os", ""))
            lines.append(f"api_key=os.environ.get({python_string(pkg.api_key_env)}),")
            lines[-1] += "" if explicit else "  # the default; can be omitted"
        for s in self.api.settings:
            if s.required or explicit:
                value = python_string("my-" + s.name.replace("_", "-"))
                lines.append(f"{s.name}={value}," + (f"  # or set {s.env}" if s.env else ""))
        if explicit:
            imports.add(("httpx", ""))
            lines.append(f"base_url={python_string(self.api.base_url)},")
            lines += [f"{s.name}_base_url={python_string(s.url)}," for s in self.api.alt_servers]
            lines += [
                f"timeout=httpx.Timeout({pkg.timeout!r}, connect=5.0),",
                f"max_retries={pkg.max_retries},",
            ]
        return tuple(lines)

    def readme(self) -> dict[str, Any]:
        quick = self.pick([x for x in self.located if x.kind in ("json", "page", "empty")]) or self.pick(
            self.located
        )
        imports: Imports = set()
        quick_imports: Imports = set()
        quick_ctor = self.ctor(quick_imports, explicit=False)
        ctor = self.ctor(imports, explicit=True)
        config = [
            "# a copy with other options, sharing the connection pool",
            "patient = client.with_options(max_retries=5)",
        ]
        servers = [
            f"`{s.url}`" + (f": {cell(s.description)}" if s.description else "") for s in self.api.servers[1:]
        ]
        return {
            "config_example": self.program(config, imports, is_async=False, ctor=ctor),
            "servers": servers,
            "setting_names": ", ".join(f"`{s.name}=`" for s in self.api.settings),
            "quick": quick and Section(examples=self.both(quick, quick_ctor, quick_imports)),
            "pagination": self.pagination(),
            "streaming": self.streaming(),
            "errors": self.errors(),
            "idempotency": self.idempotency(),
            "raw": quick and self.raw(quick),
            "retries": quick
            and Section(
                examples=self.both(
                    quick, client="client.with_options(max_retries=0)", extra=(("timeout", "10.0"),)
                )[:1]
            ),
            "files": self.files(),
            "logging": self.logging(),
        }

    def pagination(self) -> Section | None:
        pages = [x for x in self.located if x.op.pagination is not None]
        loc = self.pick(pages)
        if loc is None:
            return None
        rows = []
        for x in pages:
            page = x.op.pagination
            assert page is not None
            rows.append(
                self.row(x, f"`{page.style}`", code(page.request_param), code(page.items or "(the body)"))
            )
        first = [*_call("first_page = ", f"client.{loc.attribute}", loc.call_args())]
        more = ["print(first_page.items, first_page.has_next_page())"]
        walk = ["for body in first_page.iter_pages():", "    print(body)"]
        sync = self.program([*first, *more, *walk], loc.imports, is_async=False)
        awaited = [first[0].replace("= ", "= await ", 1), *first[1:], *more, "async " + walk[0], walk[1]]
        return Section(
            tuple(rows), (*self.both(loc), sync, self.program(awaited, loc.imports, is_async=True))
        )

    def streaming(self) -> Section | None:
        streams = [x for x in self.located if x.op.stream is not None]
        loc = self.pick(streams)
        if loc is None:
            return None
        rows = []
        for x in streams:
            s = x.op.stream
            assert s is not None
            terminal = ", ".join(f"`{e}`" for e in s.terminal) or "— (the server closes the stream)"
            rows.append(self.row(x, code(self.annotation(s.event)), terminal, self.resume_note(s.resume)))
        return Section(tuple(rows), self.both(loc))

    def errors(self) -> Section:
        """Documented statuses with their exception and models; the error models; an example."""
        by_status: dict[str, set[str]] = {}
        for x in self.located:
            for e in x.op.errors:
                by_status.setdefault(e.status, set()).update(references(e.type))
        statuses = sorted(by_status, key=lambda s: (not s.isdigit(), s))
        base = "docs/api.md"
        rows = tuple(
            (code(s), code(exception_for(s)), ", ".join(link(n, base) for n in sorted(by_status[s])) or "—")
            for s in statuses
        )
        models = sorted(set().union(*by_status.values()))
        for name in models:  # and every model they are made of
            models += sorted(model_references(self.values.models[name]) - set(models))
        return Section(rows, (self.error_example(),), tuple(models))

    def error_model(self, type_: t.TypeRef | None) -> m.ObjectModel | None:
        target = self.values.models.get(type_.name) if isinstance(type_, t.Ref) else None
        if isinstance(target, m.UnionModel):
            return next(filter(None, map(self.error_model, target.variants)), None)
        return target if isinstance(target, m.ObjectModel) else None

    def error_example(self) -> str:
        """A call of an operation documenting an error model (a 404 if any), catching what it can raise."""
        found = [
            ((e.status != "404", len(x.examples), x.op.method != "GET", x.op.id), x, e.status, model)
            for x in self.located
            if x.kind in ("json", "empty")
            for e in x.op.errors
            if exception_for(e.status) != "APIStatusError" and (model := self.error_model(e.type))
        ]
        quick = self.pick(self.located)
        if not found and quick is None:
            return ""
        _, loc, status, model = min(found, key=lambda f: f[0]) if found else ((), quick, "", None)
        assert loc is not None
        pkg, cls = self.pkg.import_name, exception_for(status)
        imports = loc.imports | {
            (pkg, "APIConnectionError"),
            (pkg, "APIStatusError"),
            (pkg, "RateLimitError"),
        }
        body = ["try:", *(f"    {line}" for line in self.usage(loc, is_async=False))]
        if model is not None:
            imports |= {(pkg, cls), (f"{pkg}.models", model.name)}
            detail = f"exc.error.{model.fields[0].name.python}" if model.fields else "exc.error"
            body += [
                f"except {cls} as exc:",
                "    print(exc.status_code, exc.request_id, exc.message)",
                f"    if isinstance(exc.error, {model.name}):",
                f"        print({detail})",
            ]
        if cls != "RateLimitError":
            body += ["except RateLimitError as exc:", "    print(exc.retry_after)"]
        body += ["except APIStatusError as exc:", "    print(exc.status_code, exc.body)"]
        body += ["except APIConnectionError as exc:", "    print(exc.message)"]
        return self.program(body, imports, is_async=False)

    def idempotency(self) -> Section | None:
        ops = [x for x in self.located if x.op.idempotency_header]
        loc = self.pick(ops)
        if loc is None or loc.op.idempotency_header is None:
            return None
        header = loc.op.idempotency_header
        rows = tuple(self.row(x, code(x.op.idempotency_header or "")) for x in ops)
        arg = next((a for a in loc.args if a.location == "header" and a.wire.lower() == header.lower()), None)
        value = "str(uuid.uuid4())"
        extra = (arg.python, value) if arg else ("extra_headers", f"{{{python_string(header)}: {value}}}")
        example = self.both(loc, imports={("uuid", "")}, extra=(extra,))[0]
        return Section(rows, (example,), (f"as `{arg.python}=`" if arg else "in `extra_headers`",))

    def raw(self, loc: Located) -> Section:
        body = [
            *_call("response = ", f"client.with_raw_response.{loc.attribute}", loc.call_args()),
            'print(response.status_code, response.headers.get("content-type"), response.request_id)',
            "print(response.rate_limit.remaining, response.retries_taken, response.elapsed)",
            "print(response.parse())",
        ]
        declared = {h.name for x in self.located for r in x.op.responses for h in r.headers}
        headers = sorted(h for h in declared if re.search(r"(?i)ratelimit|retry-after|request-id", h))
        return Section(
            (), (self.program(body, loc.imports, is_async=False),), tuple(f"`{h}`" for h in headers)
        )

    def files(self) -> Section | None:
        uploads = [x for x in self.located if any(a.location in ("file", "content") for a in x.args)]
        downloads = [x for x in self.located if x.kind == "binary"]
        if not uploads and not downloads:
            return None
        rows = [
            self.row(
                x, "upload", ", ".join(code(a.python) for a in x.args if a.location in ("file", "content"))
            )
            for x in uploads
        ]
        rows += [self.row(x, "download", code(x.view.returns)) for x in downloads]
        examples = tuple(self.both(x)[0] for x in (self.pick(uploads), self.pick(downloads)) if x is not None)
        return Section(tuple(rows), examples)

    def logging(self) -> Section:
        kind, name = self.auth
        settings = self.api.settings
        headers = {"Authorization", "Cookie", *(s.wire for s in settings if s.location == "header")}
        headers |= {name} if kind == "header" else set()
        params = sorted(
            {*([name] if kind == "query" else []), *(s.wire for s in settings if s.location == "query")}
        )
        logger = python_string(self.pkg.import_name)
        body = ["logging.basicConfig()", f"logging.getLogger({logger}).setLevel(logging.DEBUG)"]
        example = self.program(body, {("logging", "")}, is_async=False, client=False)
        return Section(
            (),
            (example,),
            (", ".join(f"`{h}`" for h in sorted(headers)), ", ".join(f"`{p}`" for p in params)),
        )


def render_docs(
    env: jinja2.Environment,
    api: m.Api,
    header: str,
    modules: list[ResourceModule],
    root_methods: list[MethodView],
) -> dict[str, str]:
    """The `README.md` and `docs/api.md` entries of a package's file map."""
    docs = Docs(api, modules, root_methods)
    pkg = api.package
    common = {"header": header, "api": api, "package": pkg, "config": docs.config()}
    envs = [pkg.api_key_env if docs.auth[0] != "none" else None, pkg.base_url_env]
    envs += [s.env for s in api.settings] + [s.env for s in api.alt_servers]
    named = [f"`{e}`" for e in envs if e]
    models = sorted(api.models, key=lambda x: x.name)
    readme = env.get_template("package/README.md.j2").render(
        **common,
        **docs.readme(),
        description=inline(api.description.split("\n\n")[0]) if api.description else "",
        models={x.name: docs.model(x, base="docs/api.md") for x in models},
        retry={
            "statuses": ", ".join(map(str, RETRY_STATUSES)),
            "initial": f"{RETRY_INITIAL:g}",
            "maximum": f"{RETRY_MAXIMUM:g}",
            "cap": f"{RETRY_AFTER_CAP:g}",
        },
        timeout=f"{pkg.timeout:g}",
        realtime=readme_view(api),
        dependencies=", ".join(
            f"`{d.split('>')[0].split('=')[0]}`" for d in ["httpx", "pydantic", *extra_dependencies(api)]
        ),
    )
    reference = env.get_template("package/docs/api.md.j2").render(
        **common,
        resources=docs.resources(),
        models=[docs.model(x) for x in models],
        env_text=", ".join(named[:-1]) + " and " * (len(named) > 1) + "".join(named[-1:]) or "nothing",
    )
    return {"README.md": readme, "docs/api.md": reference}
