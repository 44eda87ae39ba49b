"""WebSocket sessions (`x-websocket`) and webhook verification (`x-webhook-signature`) -> finished views.

- Every WebSocket operation becomes a `connect(...)` method on its resource (arguments from its parameters,
  as for HTTP methods) returning a session class of the package's `sockets` module: one class per operation,
  sync and async, parsing the server frame union and with a typed `send_<frame>()` per client frame.
- An API with webhooks and `x-webhook-signature` gets `unwrap(...)` on its `webhooks` resource (a resource of
  its own when the API has none): verify the delivery and return the typed event.
- `readme_view(api)` is what `templates/package/readme_realtime.md.j2` prints about both.

Conventions read from the IR, not from a vendor: a server frame whose type is `error` is an error frame; a
name in `x-websocket.terminal` that is a client frame type is the frame `close()` sends, one that is a server
frame type ends an iteration; on reconnect the first frame the user sent is replayed, carrying the latest
value of each of its optional fields that some server frame requires (a token the server hands out).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..ir import model as m
from ..ir import types as t
from ..parse.names import NameScope, pascal, snake, upper_snake
from .annotations import Annotator, Needs, python_string
from .methods import _RESERVED, Argument, MethodBuilder, MethodView
from .text import clean, docstring

if TYPE_CHECKING:
    from .resources import ResourceModule

SOCKETS_MODULE = "sockets"
WEBSOCKETS_REQUIREMENT = "websockets>=13"
ERROR_FRAME = "error"
SESSION_OPTIONS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "timeout: TimeoutInput = NOT_GIVEN",
)
WEBSOCKET_EXPORTS = ("WebSocketAuthenticationError", "WebSocketClosedError", "WebSocketError")
WEBHOOK_EXPORTS = (
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookReplayCache",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookVerificationError",
)
_SESSION_BASES = frozenset({"WebSocketSession", "AsyncWebSocketSession", "ClassVar", "NotGiven", "NOT_GIVEN"})


def websocket_operations(api: m.Api) -> Iterator[m.Operation]:
    """The API's WebSocket operations, in document order (root operations first)."""

    def walk(resources: tuple[m.Resource, ...]) -> Iterator[m.Operation]:
        for resource in resources:
            yield from (op for op in resource.operations if op.websocket is not None)
            yield from walk(resource.resources)

    yield from (op for op in api.operations if op.websocket is not None)
    yield from walk(api.resources)


def has_webhooks(api: m.Api) -> bool:
    return api.webhook_signature is not None and any(hook.event is not None for hook in api.webhooks)


def extra_dependencies(api: m.Api) -> list[str]:
    """Requirements of the generated package beyond httpx and pydantic."""
    return [WEBSOCKETS_REQUIREMENT] if any(True for _ in websocket_operations(api)) else []


def runtime_exports(api: m.Api) -> tuple[str, ...]:
    """Runtime names the package exports at its root when it has sessions or webhooks."""
    names: tuple[str, ...] = ()
    if any(True for _ in websocket_operations(api)):
        names += WEBSOCKET_EXPORTS
    if has_webhooks(api):
        names += WEBHOOK_EXPORTS
    return names


def webhook_secret_env(api: m.Api) -> str | None:
    """`<VENDOR>_WEBHOOK_SECRET`, next to the API key's `<VENDOR>_API_KEY`."""
    env = api.package.api_key_env
    if not env:
        return None
    stem = env.removesuffix("_API_KEY") if env.endswith("_API_KEY") else env
    return f"{stem}_WEBHOOK_SECRET"


# ---- views -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendView:
    """One `send_<frame>()` method of a session class."""

    name: str
    frame: str
    model: str
    params: tuple[str, ...]
    required: tuple[str, ...]
    doc: str
    payload: str


@dataclass(frozen=True)
class SocketView:
    """The session classes of one WebSocket operation."""

    op_id: str
    class_name: str
    frames: str
    doc: str
    sends: tuple[SendView, ...]
    server_frames: tuple[tuple[str, str], ...]  # (type, model)
    discriminator: str  # python name of the discriminator field of the server frames
    close_frame: str | None
    server_terminal: tuple[str, ...]
    error_frames: tuple[str, ...]
    resume_fields: dict[str, tuple[str, ...]]

    @property
    def async_class_name(self) -> str:
        return "Async" + self.class_name


@dataclass
class SocketsModule:
    sockets: list[SocketView] = field(default_factory=list)
    needs: Needs = field(default_factory=Needs)


@dataclass(frozen=True)
class Variant:
    tag: str
    model: m.ObjectModel


class Realtime:
    """Session classes, `connect` methods and `unwrap` for one API (names allocated once, up front)."""

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
                tag = self._tag(target, discriminator)
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

    def _tag(self, model: m.ObjectModel, discriminator: str) -> str | None:
        for f in model.fields:
            if f.name.wire != discriminator:
                continue
            if isinstance(f.type, t.Literal) and len(f.type.values) == 1:
                return str(f.type.values[0])
            if isinstance(f.type, t.Ref):
                enum = self.annotator.models.get(f.type.name)
                if isinstance(enum, m.EnumModel) and len(enum.members) == 1:
                    return str(enum.members[0].value)
        return None

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
        frames = self.annotator.render(ws.server_frames, needs)
        summary = op.summary or f"{op.method} {op.path}"
        doc = [f"{clean(summary).rstrip('.')}: a session of `{op.method} {op.path}`.", ""]
        doc.append("Iterate over it for the server's frames; send frames with the `send_...` methods.")
        return SocketView(
            op_id=op.id,
            class_name=name,
            frames=frames,
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
        names = NameScope(_RESERVED | {"self", "frame"})
        arguments: list[Argument] = []
        pairs = [f"{python_string(discriminator)}: {python_string(variant.tag)}"]
        for f in variant.model.fields:
            if f.name.wire == discriminator or f.read_only:
                continue
            python = names.claim(f.name.python)
            annotation = self.annotator.render(f.type, needs)
            arguments.append(Argument(python, annotation, f.required, clean(f.description)))
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
        self, op: m.Operation, constant: str, needs: Needs, imports: list[str], level: str
    ) -> MethodView:
        """The `connect(...)` method of one WebSocket operation, on its resource (or the client)."""
        socket = self.sockets[op.id]
        ws = op.websocket
        assert ws is not None
        arguments: list[Argument] = []
        groups: dict[str, list[tuple[str, str]]] = {
            "path_params": [],
            "query": [],
            "headers": [],
            "settings": [],
        }
        for param in op.params:
            if param.location == "cookie":
                continue
            python = _argument(param.name.python)
            annotation = self.annotator.render(param.type, needs)
            if param.setting is not None:
                annotation = "str"
                groups["settings"].append((param.setting, python))
            else:
                group = {"path": "path_params", "query": "query", "header": "headers"}[param.location]
                groups[group].append((param.name.wire, python))
            description = clean(param.description)
            if param.setting is not None:
                description = f"{description} Defaults to the client's `{param.setting}`.".strip()
            arguments.append(
                Argument(python, annotation, param.required and param.setting is None, description)
            )
        arguments.sort(key=lambda a: not a.required)
        operation = self.methods._operation(op, groups, needs)
        needs.runtime |= {"WebSocketSpec", "Headers", "Query", "TimeoutInput", "NOT_GIVEN"}
        if any(not a.required for a in arguments):
            needs.runtime.add("NotGiven")
        line = f"from {level}{SOCKETS_MODULE} import {socket.class_name}, {socket.async_class_name}"
        if line not in imports:
            imports.append(line)
        call_args = ["self" if level == "." else "self._client", constant]  # the client itself at the root
        for group, pairs in groups.items():
            if pairs:
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
                args.append(f"{key}={_tuple(names)}")
        if socket.close_frame is not None:
            args.append(f"close_frame={python_string(socket.close_frame)}")
        if ws.reconnect != "none":
            args.append(f"reconnect={python_string(ws.reconnect)}")
        if socket.resume_fields:
            inner = ", ".join(f"{python_string(k)}: {_tuple(v)}" for k, v in socket.resume_fields.items())
            args.append(f"resume_fields={{{inner}}}")
        return f"WebSocketSpec({', '.join(args)})"

    def _connect_doc(self, op: m.Operation, socket: SocketView, arguments: list[Argument]) -> str:
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

    # ---- webhooks

    def event_type(self, needs: Needs) -> tuple[str, str] | None:
        """(annotation, runtime value) of the webhook bodies' union, or None without signed webhooks."""
        sig = self.api.webhook_signature
        if sig is None or not has_webhooks(self.api):
            return None
        refs: list[t.TypeRef] = []
        for hook in self.api.webhooks:
            if hook.event is not None and hook.event not in refs:
                refs.append(hook.event)
        names = {r.name for r in refs if isinstance(r, t.Ref)}
        if len(refs) > 1 and len(names) == len(refs):
            for model in self.api.models:
                if (
                    isinstance(model, m.UnionModel)
                    and {getattr(v, "name", None) for v in model.variants} == names
                ):
                    rendered = self.annotator.render(t.Ref(model.name), needs)
                    return rendered, rendered
        if len(refs) == 1:
            rendered = self.annotator.render(refs[0], needs)
            return rendered, rendered
        union = self.annotator.render(t.Union(tuple(refs)), needs)
        tagged = [self._tag_field(r, sig.event_type_field) for r in refs]
        if all(tagged) and len(set(tagged)) == 1:
            needs.typing.add("Annotated")
            needs.pydantic.add("Field")
            annotated = f"Annotated[{union}, Field(discriminator={python_string(str(tagged[0]))})]"
            return annotated, annotated
        return union, union

    def _tag_field(self, ref: t.TypeRef, wire: str) -> str | None:
        model = self.annotator.models.get(ref.name) if isinstance(ref, t.Ref) else None
        if not isinstance(model, m.ObjectModel) or self._tag(model, wire) is None:
            return None
        return next(f.name.python for f in model.fields if f.name.wire == wire)

    def unwrap_view(self, needs: Needs, taken: set[str], constants: set[str]) -> MethodView | None:
        sig = self.api.webhook_signature
        event = self.event_type(needs)
        if sig is None or event is None:
            return None
        annotation, value = event
        name = NameScope(taken).claim("unwrap")
        constant = NameScope(constants).claim("_" + upper_snake(name) + "_WEBHOOK")
        needs.runtime |= {
            "WebhookSpec",
            "WebhookHeaders",
            "WebhookSecret",
            "ReplayCache",
            "NotGiven",
            "NOT_GIVEN",
        }
        needs.runtime.add("unwrap_webhook")
        needs.typing.add("cast")
        needs.datetime.add("datetime")
        text, number = needs.builtin("str"), needs.builtin("float")
        params = (
            f"body: bytes | {text}",
            "headers: WebhookHeaders",
            "secret: WebhookSecret | None = None",
            f"tolerance: {number} | None = None",
            f"now: {number} | datetime | None = None",
            "replay_cache: ReplayCache | NotGiven | None = NOT_GIVEN",
        )
        call = (
            f"cast({python_string(annotation)}, unwrap_webhook({constant}, body, headers, "
            f"event_type={value}, secret=secret, tolerance=tolerance, now=now, replay_cache=replay_cache))"
        )
        return MethodView(
            name=name,
            constant=constant,
            operation=self.webhook_spec(sig),
            params=params,
            returns=annotation,
            async_returns=annotation,
            doc=docstring(self._unwrap_doc(sig, annotation), "        "),
            call=call,
            async_call=call,
            async_def=False,
            raw=False,
            operation_id="",
        )

    def webhook_spec(self, sig: m.WebhookSignature) -> str:
        args = [
            f"signed_payload={python_string(sig.signed_payload)}",
            f"signature_header={python_string(sig.signature_header)}",
        ]
        if sig.signature_prefix:
            args.append(f"signature_prefix={python_string(sig.signature_prefix)}")
        if sig.timestamp_header:
            args.append(f"timestamp_header={python_string(sig.timestamp_header)}")
        if sig.id_header:
            args.append(f"id_header={python_string(sig.id_header)}")
        args.append(f"secret_encoding={python_string(sig.secret_encoding)}")
        args.append(f"tolerance_seconds={sig.tolerance_seconds!r}")
        args.append(f"event_type_field={python_string(sig.event_type_field)}")
        env = webhook_secret_env(self.api)
        if env:
            args.append(f"secret_env={python_string(env)}")
        return f"WebhookSpec({', '.join(args)})"

    def _unwrap_doc(self, sig: m.WebhookSignature, annotation: str) -> str:
        env = webhook_secret_env(self.api)
        checks = [f"the `{sig.signature_header}` HMAC-SHA256 signature over `{sig.signed_payload}`"]
        if sig.timestamp_header:
            checks.append(f"the `{sig.timestamp_header}` timestamp (within `tolerance` seconds of now)")
        if sig.id_header:
            checks.append(f"that the `{sig.id_header}` delivery was not seen before")
        lines = [
            "Verify a webhook delivery and return its event.",
            "",
            "Checks " + ", ".join(checks) + ", then parses the body.",
            "",
            "Args:",
            "    body: The raw request body, exactly as received (bytes).",
            "    headers: The request headers (any mapping; names in any case).",
            f"    secret: The signing secret ({sig.secret_encoding}), or several during a rotation."
            + (f" Defaults to the `{env}` environment variable." if env else ""),
            f"    tolerance: Seconds a timestamp may be from now; default {sig.tolerance_seconds}.",
            "    now: The current time (Unix seconds or a datetime), for tests.",
            "    replay_cache: Where delivery ids are remembered: by default a process-wide",
            "        `WebhookReplayCache`; pass your own (shared, or backed by a database), or None to skip",
            "        the replay check.",
            "",
            "Raises:",
            "    WebhookVerificationError: A missing header, a bad signature, a stale timestamp or a replay.",
            "    WebhookPayloadError: An authentic body that is not a known event.",
        ]
        return "\n".join(lines)

    def add_webhooks(self, modules: list[ResourceModule]) -> None:
        """Put `unwrap` on the `webhooks` resource (making one when the API has none)."""
        from .resources import ResourceModule, ResourceView  # the resource renderer imports this module

        if not has_webhooks(self.api):
            return
        module = next((x for x in modules if x.attribute == "webhooks"), None)
        if module is None:
            class_name = NameScope(set(self.annotator.models)).claim("WebhooksResource")
            doc = docstring("Verifying the API's signed webhook deliveries.", "    ")
            module = ResourceModule(
                "webhooks", "webhooks", class_name, [ResourceView(class_name, doc, (), ())]
            )
            modules.append(module)
        top = module.resources[0]
        taken = {v.name for v in top.methods} | {c.attribute for c in top.children} | {"with_raw_response"}
        constants = {v.constant for x in module.resources for v in x.methods}
        view = self.unwrap_view(module.needs, taken, constants)
        if view is not None:
            module.resources[0] = replace(top, methods=(*top.methods, view))


# ---- README -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDoc:
    """What the README says about one WebSocket operation."""

    call: str
    http: str
    class_name: str
    async_class_name: str
    auth: str
    heartbeats: str
    ending: str
    errors: str
    reconnect: str
    sends: tuple[tuple[str, ...], ...]  # (method, frame type, model)
    receives: tuple[tuple[str, ...], ...]  # (frame type, model)
    example: str
    async_example: str


@dataclass(frozen=True)
class WebhookDoc:
    """What the README says about `unwrap`."""

    call: str
    checks: tuple[str, ...]
    secret: str
    events: tuple[tuple[str, ...], ...]  # (event type, model)
    example: str


@dataclass(frozen=True)
class RealtimeDoc:
    """The view `templates/package/readme_realtime.md.j2` prints (None from `readme_view`: nothing to say)."""

    client_class: str
    import_name: str
    requirement: str
    sessions: tuple[SessionDoc, ...]
    webhooks: WebhookDoc | None


def readme_view(api: m.Api) -> RealtimeDoc | None:
    """The README section about WebSocket sessions and webhook verification (None: the API has neither)."""
    if not any(True for _ in websocket_operations(api)) and not has_webhooks(api):
        return None
    annotator = Annotator({x.name: x for x in api.models})
    objects = {x.name: x for x in api.models if isinstance(x, m.ObjectModel)}
    realtime = Realtime(api, annotator, MethodBuilder(api, annotator, objects))
    where = _locations(api)
    sessions = tuple(
        _session_doc(api, realtime, op, realtime.sockets[op.id], where.get(op.id, ()))
        for op in websocket_operations(api)
    )
    return RealtimeDoc(
        client_class=api.package.client_class,
        import_name=api.package.import_name,
        requirement=WEBSOCKETS_REQUIREMENT,
        sessions=sessions,
        webhooks=_webhook_doc(api, realtime, where),
    )


def _locations(api: m.Api) -> dict[str, tuple[str, ...]]:
    """Operation id -> the attribute path of its resource (`("knowledge_bases", "documents")`)."""
    found: dict[str, tuple[str, ...]] = {op.id: () for op in api.operations}

    def walk(resources: tuple[m.Resource, ...], prefix: tuple[str, ...]) -> None:
        for resource in resources:
            path = (*prefix, resource.name.python)
            found.update({op.id: path for op in resource.operations})
            walk(resource.resources, path)

    walk(api.resources, ())
    return found


def _argument(name: str) -> str:
    """A parameter's keyword, as `connect_view` names it."""
    return name if name not in _RESERVED else name + "_"


def _placeholder(name: str) -> str:
    return python_string(name.upper().rstrip("_"))


def _call_lines(prefix: str, call: str, args: list[str], suffix: str = "") -> list[str]:
    one = f"{prefix}{call}({', '.join(args)}){suffix}"
    if len(one) <= 100:
        return [one]
    indent = " " * (len(prefix) - len(prefix.lstrip()))
    return [f"{prefix}{call}(", *(f"{indent}    {a}," for a in args), f"{indent}){suffix}"]


def _session_doc(
    api: m.Api, realtime: Realtime, op: m.Operation, socket: SocketView, path: tuple[str, ...]
) -> SessionDoc:
    ws = op.websocket
    assert ws is not None
    call = ".".join(("client", *path, op.name.python))
    args = [
        f"{_argument(p.name.python)}={_placeholder(p.name.python)}"
        for p in op.params
        if p.required and p.setting is None and p.location != "cookie"
    ]
    opening = socket.sends[0] if socket.sends else None
    server_tags = [tag for tag, _ in socket.server_frames]
    surfaced = [
        tag for tag in server_tags if tag not in ws.server_heartbeat and tag not in socket.error_frames
    ]
    stop = None if socket.server_terminal or not surfaced else surfaced[-1]
    disc = socket.discriminator
    pkg = api.package

    def example(asynchronous: bool) -> str:
        a, w = ("async ", "await ") if asynchronous else ("", "")
        client = f"Async{pkg.client_class}" if asynchronous else pkg.client_class
        body = _call_lines(f"{a}with ", call, args, " as session:")
        if ws.auth == "first_frame":
            body.append(
                f"    print(session.first_frame)  # the server's answer to the `{ws.auth_frame_type}` frame"
            )
        if opening is not None:
            body += _call_lines(
                f"    {w}session.", opening.name, [f"{n}={_placeholder(n)}" for n in opening.required]
            )
        ending = (
            f"ends after a `{socket.server_terminal[0]}` frame"
            if socket.server_terminal
            else "heartbeats left out"
        )
        body.append(f"    {a}for frame in session:  # {ending}")
        body.append(f"        print(frame.{disc}, frame)")
        if stop is not None:
            body += [f"        if frame.{disc} == {python_string(stop)}:", "            break"]
        lines = []
        if asynchronous:
            lines.append("import asyncio")
            lines.append("")
        lines += [f"from {pkg.import_name} import {client}", "", f"client = {client}()", ""]
        if asynchronous:
            lines.append("")
            lines.append("async def main() -> None:")
            lines += [f"    {line}" if line else "" for line in body]
            lines += ["", "", "asyncio.run(main())"]
        else:
            lines += body
        return "\n".join(lines)

    heartbeat = ", ".join(f"`{n}`" for n in ws.server_heartbeat)
    if not ws.server_heartbeat:
        heartbeats = "The protocol has no heartbeat frames."
    elif ws.client_heartbeat:
        heartbeats = (
            f"Heartbeat frames ({heartbeat}) are never yielded: the session answers each with a "
            f"`{ws.client_heartbeat[0]}` frame."
        )
    else:
        heartbeats = f"Heartbeat frames ({heartbeat}) are never yielded."
    ending = "An iteration ends when the server closes the connection normally"
    if socket.server_terminal:
        ending += " or after yielding a " + " or ".join(f"`{n}`" for n in socket.server_terminal) + " frame"
    ending += "; `close()` (and leaving the `with` block)"
    if socket.close_frame:
        ending += f" sends a `{socket.close_frame}` frame, then"
    ending += " closes the connection."
    errors = (
        "An `error` frame in place of a connection's first frame raises `WebSocketAuthenticationError`; "
        "a later "
        "one raises `WebSocketError` (both carry the parsed frame as `.frame`)."
        if socket.error_frames
        else "A frame that cannot be read raises `WebSocketError`."
    )
    errors += (
        " A connection that ends unexpectedly raises `WebSocketClosedError` (an `APIConnectionError`); "
        "a refused "
        "upgrade request raises the status error (`AuthenticationError`, `RateLimitError`, ...)."
    )
    if ws.reconnect == "none":
        reconnect = "The protocol has no reconnect policy: a dropped connection ends the session."
    else:
        carried = [f"`{f}`" for fields in socket.resume_fields.values() for f in fields]
        reconnect = (
            f"Reconnect policy `{ws.reconnect}`: after a dropped connection (no close frame, or a "
            "going-away, "
            "restart or server-error close code) the session reconnects with backoff, up to the client's "
            "`max_retries` times in a row, authenticates again and re-sends the first frame you sent"
        )
        reconnect += f", with the latest {' and '.join(carried)} the server handed out." if carried else "."
        reconnect += (
            " The new connection's frames follow in the same iteration; `session.reconnects` counts them."
        )
    return SessionDoc(
        call=call,
        http=f"{op.method} {op.path}",
        class_name=socket.class_name,
        async_class_name=socket.async_class_name,
        auth=auth_sentence(ws),
        heartbeats=heartbeats,
        ending=ending,
        errors=errors,
        reconnect=reconnect,
        sends=tuple((s.name, s.frame, s.model) for s in socket.sends),
        receives=tuple((tag, model) for tag, model in socket.server_frames if tag not in ws.server_heartbeat),
        example=example(False),
        async_example=example(True),
    )


def _webhook_doc(api: m.Api, realtime: Realtime, where: dict[str, tuple[str, ...]]) -> WebhookDoc | None:
    sig = api.webhook_signature
    if sig is None or not has_webhooks(api):
        return None
    del where
    env = webhook_secret_env(api)
    checks = [
        f"the `{sig.signature_header}` header holds `{sig.signature_prefix}<hex>`, the HMAC-SHA256 of "
        f"`{sig.signed_payload}` (`{{body}}` is the raw body) keyed with the signing secret "
        f"({sig.secret_encoding}), "
        "compared in constant time",
    ]
    if sig.timestamp_header:
        checks.append(
            f"the `{sig.timestamp_header}` timestamp is within {sig.tolerance_seconds} seconds of now"
        )
    if sig.id_header:
        checks.append(
            f"the `{sig.id_header}` delivery id was not accepted before (a process-wide, bounded in-memory "
            "`WebhookReplayCache` by default; pass `replay_cache=` to share one, or `None` to skip the check)"
        )
    events: list[tuple[str, ...]] = []
    tag_field: str | None = None
    for hook in api.webhooks:
        if isinstance(hook.event, t.Ref):
            model = realtime.annotator.models.get(hook.event.name)
            if isinstance(model, m.ObjectModel):
                tag = realtime._tag(model, sig.event_type_field) or hook.name
                tag_field = tag_field or realtime._tag_field(hook.event, sig.event_type_field)
                events.append((tag, model.name))
    secret = (
        f"The secret defaults to the `{env}` environment variable; pass `secret=` (or a list of secrets "
        "during a "
        "rotation) to choose it per call."
        if env
        else "Pass the signing secret as `secret=` (or a list of secrets during a rotation)."
    )
    pkg = api.package
    lines = [
        f"from {pkg.import_name} import {pkg.client_class}, WebhookVerificationError",
        "",
        f"client = {pkg.client_class}()",
        "",
        "",
        "def handle(body: bytes, headers: dict[str, str]) -> int:",
        '    """Your web framework\'s handler gets the raw request body and its headers."""',
        "    try:",
        "        event = client.webhooks.unwrap(body=body, headers=headers)",
        "    except WebhookVerificationError:",
        "        return 400",
        f"    print(event.{tag_field}, event)" if tag_field else "    print(event)",
        "    return 200",
    ]
    return WebhookDoc(
        call="client.webhooks.unwrap",
        checks=tuple(checks),
        secret=secret,
        events=tuple(events),
        example="\n".join(lines),
    )


def auth_sentence(ws: m.WebSocket) -> str:
    if ws.auth == "first_frame":
        return (
            f"It authenticates with a first `{ws.auth_frame_type}` frame carrying the API key as "
            f"`{ws.auth_frame_field}`, then waits for the server's first frame (`first_frame`)."
        )
    if ws.auth == "header":
        return "The upgrade request carries the client's credentials, as HTTP calls do."
    return "It sends no credentials."


def _tuple(values: tuple[str, ...]) -> str:
    inner = ", ".join(python_string(v) for v in values)
    return f"({inner},)" if len(values) == 1 else f"({inner})"


__all__ = [
    "Realtime",
    "RealtimeDoc",
    "SocketsModule",
    "extra_dependencies",
    "readme_view",
    "runtime_exports",
    "websocket_operations",
]
