"""The state every doc view shares (the located operations, the auth scheme) and the Python examples."""

from __future__ import annotations

import builtins
from typing import Any

from ...ir import model as m
from ...ir import types as t
from ...parse.names import snake
from ..annotations import Annotator, Needs
from ..models import references
from ..resources import has_methods
from ..views import MethodView, ResourceModule
from .text import STDLIB_MODULES, Imports, call_lines, cell, code, link, render_imports, shell_quoted
from .values import Arg, Located, Values, arguments, documented

_TAKEN = (
    frozenset(dir(builtins))
    | STDLIB_MODULES
    | {"client", "stream", "response", "event", "main", "httpx", "body"}
)
_BODY = ("body", "form", "file", "content")


class DocsBase:
    """The located operations of one API, with the helpers every doc view uses."""

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
        # How the client sends the key: (kind, header or query name).
        kind = api.client_auth.kind
        self.auth = (kind, api.client_auth.name or ("" if kind == "none" else "Authorization"))

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
        loc.args = arguments(loc.op, self.annotator)
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
        return op.call.auth

    def setting_value(self, name: str) -> str:
        """A setting in a cURL command: its environment variable, or an example value."""
        env = next(s.env for s in self.api.settings if s.name == name)
        return "${" + env + "}" if env else shell_quoted("my-" + name.replace("_", "-"))

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
            return [
                *call_lines(f"{'async ' * is_async}for {item} in ", call, args, ":"),
                f"    print({item})",
            ]
        if kind == "stream" and is_async:
            body = ["async with stream:", "    async for event in stream:", "        print(event)"]
            return [*call_lines("stream = await ", call, args), *body]
        if kind == "stream":
            return [
                *call_lines("with ", call, args, " as stream:"),
                "    for event in stream:",
                "        print(event)",
            ]
        if kind == "binary":
            return [*call_lines(f"response = {wait}", call, args), f'{wait}response.write_to_file("output")']
        if kind == "empty":
            return call_lines(wait, call, args)
        success = loc.op.call.success
        result = self.var(success.type if success is not None else None, "result")
        return [*call_lines(f"{result} = {wait}", call, args), f"print({result})"]

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
