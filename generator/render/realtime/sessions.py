"""WebSocket session views: a session class per operation, its `send_...` methods and its `connect(...)`."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from ...ir import model as m
from ...ir import types as t
from ...parse.names import RESERVED_ARGUMENTS, NameScope, pascal, snake
from ..annotations import Annotator, Needs, python_string, python_tuple
from ..methods import MethodBuilder, argument_groups
from ..text import clean, docstring
from ..views import MethodView, ParamView, SendView, SocketsModule, SocketView
from .common import ERROR_FRAME, SESSION_OPTIONS, SOCKETS_MODULE, auth_sentence, websocket_operations

_SESSION_BASES = frozenset({"WebSocketSession", "AsyncWebSocketSession", "ClassVar", "NotGiven", "NOT_GIVEN"})


def frame_tag(models: dict[str, m.Model], model: m.ObjectModel, discriminator: str) -> str | None:
    """The one value `model` declares for its `discriminator` field (a frame's or an event's type)."""
    for f in model.fields:
        if f.name.wire != discriminator:
            continue
        if isinstance(f.type, t.Literal) and len(f.type.values) == 1:
            return str(f.type.values[0])
        if isinstance(f.type, t.Ref):
            enum = models.get(f.type.name)
            if isinstance(enum, m.EnumModel) and len(enum.members) == 1:
                return str(enum.members[0].value)
    return None


@dataclass(frozen=True)
class Variant:
    tag: str
    model: m.ObjectModel


class Sessions:
    """Session classes and `connect` methods for one API (names allocated once, up front)."""

    def __init__(self, api: m.Api, annotator: Annotator, methods: MethodBuilder) -> None:
        self.api = api
        self.annotator = annotator
        self.methods = methods
        self.module = SocketsModule()
        self.sockets: dict[str, SocketView] = {}
        scope = NameScope(set(annotator.models) | _SESSION_BASES)
        for op in websocket_operations(api):
            stem = pascal("_".join(op.resource) or api.package.client_class)
            if op.name.python != "connect":
                stem += pascal(op.name.python)
            name = scope.claim(stem + "Socket")
            while "Async" + name in scope:
                name = scope.claim(stem + "Socket")
            scope.claim("Async" + name)
            view = self._socket(op, name)
            self.sockets[op.id] = view
            self.module.sockets.append(view)

    # ---- frames

    def variants(self, type_: t.TypeRef, discriminator: str) -> list[Variant]:
        """The object models a frame type is made of, each with its discriminator value."""
        if isinstance(type_, t.Ref):
            target = self.annotator.models.get(type_.name)
            if isinstance(target, m.ObjectModel):
                tag = frame_tag(self.annotator.models, target, discriminator)
                return [Variant(tag, target)] if tag is not None else []
            if isinstance(target, m.UnionModel):
                return self._union(target.variants, target.discriminator, discriminator)
            if isinstance(target, m.AliasModel):
                return self.variants(target.type, discriminator)
            return []
        if isinstance(type_, t.Union):
            return self._union(type_.variants, type_.discriminator, discriminator)
        return []

    def _union(
        self, variants: tuple[t.TypeRef, ...], disc: t.Discriminator | None, discriminator: str
    ) -> list[Variant]:
        mapped = {ref: tag for tag, ref in disc.mapping} if disc is not None else {}
        found: list[Variant] = []
        for variant in variants:
            if isinstance(variant, t.Ref) and variant.name in mapped:
                target = self.annotator.models.get(variant.name)
                if isinstance(target, m.ObjectModel):
                    found.append(Variant(mapped[variant.name], target))
                    continue
            found += self.variants(variant, discriminator)
        return found

    def _socket(self, op: m.Operation, name: str) -> SocketView:
        ws = op.websocket
        assert ws is not None
        needs = self.module.needs
        clients = self.variants(ws.client_frames, ws.discriminator)
        servers = self.variants(ws.server_frames, ws.discriminator)
        client_tags = {v.tag for v in clients}
        server_tags = [v.tag for v in servers]
        close_frame = next((n for n in ws.terminal if n in client_tags), None)
        skipped = {close_frame}
        if ws.auth == "first_frame":
            skipped.add(ws.auth_frame_type)
        scope = NameScope({"send", "recv", "open", "close"})
        sends = tuple(self._send(v, ws.discriminator, scope, needs) for v in clients if v.tag not in skipped)
        server_disc = next(
            (f.name.python for v in servers for f in v.model.fields if f.name.wire == ws.discriminator),
            snake(ws.discriminator),
        )
        frames = self.annotator.known_variants(ws.server_frames, needs)  # unknown frames are skipped
        summary = op.summary or f"{op.method} {op.path}"
        doc = [f"{clean(summary).rstrip('.')}: a session of `{op.method} {op.path}`.", ""]
        doc.append("Iterate over it for the server's frames; send frames with the `send_...` methods.")
        return SocketView(
            op_id=op.id,
            class_name=name,
            frames=frames,
            frames_value=self.annotator.closed(ws.server_frames, needs),
            doc=docstring("\n".join(doc), "    "),
            sends=sends,
            server_frames=tuple((v.tag, v.model.name) for v in servers),
            discriminator=server_disc,
            close_frame=close_frame,
            server_terminal=tuple(n for n in ws.terminal if n not in client_tags),
            error_frames=tuple(tag for tag in server_tags if tag == ERROR_FRAME),
            resume_fields=self._resume_fields(ws, clients, servers),
        )

    def _send(self, variant: Variant, discriminator: str, scope: NameScope, needs: Needs) -> SendView:
        names = NameScope(RESERVED_ARGUMENTS | {"self", "frame"})
        arguments: list[ParamView] = []
        pairs = [f"{python_string(discriminator)}: {python_string(variant.tag)}"]
        for f in variant.model.fields:
            if f.name.wire == discriminator or f.read_only:
                continue
            python = names.claim(f.name.python)
            annotation = self.annotator.render(f.type, needs)
            arguments.append(ParamView(python, annotation, f.required, clean(f.description)))
            pairs.append(f"{python_string(f.name.wire)}: {python}")
        arguments.sort(key=lambda a: not a.required)
        if any(not a.required for a in arguments):
            needs.runtime |= {"NotGiven", "NOT_GIVEN"}
        lines = [f"Send a `{variant.tag}` frame (`{variant.model.name}`)."]
        if variant.model.description:
            lines += ["", clean(variant.model.description)]
        documented = [a for a in arguments if a.description]
        if documented:
            lines += ["", "Args:"]
            for a in documented:
                first, *rest = a.description.splitlines()
                lines.append(f"    {a.python}: {first}")
                lines += [f"        {line}" if line else "" for line in rest]
        return SendView(
            name=scope.claim("send_" + snake(variant.tag).rstrip("_")),
            frame=variant.tag,
            model=variant.model.name,
            params=tuple(a.signature() for a in arguments),
            required=tuple(a.python for a in arguments if a.required),
            doc=docstring("\n".join(lines), "        "),
            payload="{" + ", ".join(pairs) + "}",
        )

    def _resume_fields(
        self, ws: m.WebSocket, clients: list[Variant], servers: list[Variant]
    ) -> dict[str, tuple[str, ...]]:
        if ws.reconnect == "none":
            return {}
        handed_out = {f.name.wire for v in servers for f in v.model.fields if f.required}
        handed_out.discard(ws.discriminator)
        found: dict[str, tuple[str, ...]] = {}
        for v in clients:
            names = tuple(f.name.wire for f in v.model.fields if not f.required and f.name.wire in handed_out)
            if names:
                found[v.tag] = names
        return found

    # ---- connect methods

    def connect_view(
        self, op: m.Operation, constant: str, needs: Needs, imports: list[str], level: str, name: str
    ) -> MethodView:
        """The `connect(...)` method of one WebSocket operation, on its resource (or the client), called
        `name` (`client.realtime.connect`)."""
        socket = self.sockets[op.id]
        ws = op.websocket
        assert ws is not None
        arguments = [
            ParamView(arg.name.python, self.annotator.argument(arg, needs), arg.required, _connect_doc(arg))
            for arg in op.call.signature()
        ]
        groups = argument_groups(op.call)
        operation = self.methods.operation(op, groups, needs, name)
        needs.runtime |= {"WebSocketSpec", "Headers", "Query", "TimeoutInput", "NOT_GIVEN"}
        if any(not a.required for a in arguments):
            needs.runtime.add("NotGiven")
        line = f"from {level}{SOCKETS_MODULE} import {socket.class_name}, {socket.async_class_name}"
        if line not in imports:
            imports.append(line)
        call_args = ["self" if level == "." else "self._client", constant]  # the client itself at the root
        for group in ("path_params", "query", "headers", "settings"):
            if pairs := groups[group]:
                call_args.append(
                    f"{group}={{" + ", ".join(f"{python_string(w)}: {p}" for w, p in pairs) + "}"
                )
        call_args += ["extra_headers=extra_headers", "extra_query=extra_query", "timeout=timeout"]
        return MethodView(
            name=op.name.python,
            constant=constant,
            operation=self._spec(ws, socket, operation),
            params=tuple(a.signature() for a in arguments) + SESSION_OPTIONS,
            returns=socket.class_name,
            async_returns=socket.async_class_name,
            doc=docstring(self._connect_doc(op, socket, arguments), "        "),
            call=f"{socket.class_name}({', '.join(call_args)})",
            async_call=f"{socket.async_class_name}({', '.join(call_args)})",
            async_def=False,
            raw=False,
            operation_id=op.id,
        )

    def _spec(self, ws: m.WebSocket, socket: SocketView, operation: str) -> str:
        args = [f"operation={operation}", f"auth={python_string(ws.auth)}"]
        if ws.auth == "first_frame":
            args.append(f"auth_frame_type={python_string(ws.auth_frame_type or 'auth')}")
            args.append(f"auth_frame_field={python_string(ws.auth_frame_field or 'token')}")
        if ws.discriminator != "type":
            args.append(f"discriminator={python_string(ws.discriminator)}")
        for key, names in (
            ("client_heartbeat", ws.client_heartbeat),
            ("server_heartbeat", ws.server_heartbeat),
            ("server_terminal", socket.server_terminal),
            ("error_frames", socket.error_frames),
        ):
            if names:
                args.append(f"{key}={python_tuple(names)}")
        if socket.close_frame is not None:
            args.append(f"close_frame={python_string(socket.close_frame)}")
        if ws.reconnect != "none":
            args.append(f"reconnect={python_string(ws.reconnect)}")
        if socket.resume_fields:
            inner = ", ".join(
                f"{python_string(k)}: {python_tuple(v)}" for k, v in socket.resume_fields.items()
            )
            args.append(f"resume_fields={{{inner}}}")
        return f"WebSocketSpec({', '.join(args)})"

    def _connect_doc(self, op: m.Operation, socket: SocketView, arguments: list[ParamView]) -> str:
        ws = op.websocket
        assert ws is not None
        lines = [op.summary or f"Open the `{op.method} {op.path}` WebSocket."]
        if op.description and op.description != op.summary:
            lines += ["", clean(op.description)]
        lines += ["", f"`{op.method} {op.path}` (WebSocket)", ""]
        returns = (
            f"Returns a `{socket.class_name}` (`{socket.async_class_name}` on the async client) that "
            f"connects on `with` (`async with`) and closes when the block ends. {auth_sentence(ws)}"
        )
        lines.append(textwrap.fill(returns, width=100))
        documented = [a for a in arguments if a.description]
        if documented:
            lines += ["", "Args:"]
            for a in documented:
                first, *rest = a.description.splitlines()
                lines.append(f"    {a.python}: {first}")
                lines += [f"        {line}" if line else "" for line in rest]
        return "\n".join(lines)


def _connect_doc(arg: m.Argument) -> str:
    """An argument's line in the docstring of `connect(...)`."""
    text = clean(arg.description)
    if arg.setting is not None:
        text = f"{text} Defaults to the client's `{arg.setting.name}`.".strip()
    return text
