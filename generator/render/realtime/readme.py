"""The README view of an API's WebSocket sessions and webhook verification (`readme_realtime.md.j2`)."""

from __future__ import annotations

from dataclasses import dataclass

from ...ir import model as m
from ...ir import types as t
from ..annotations import python_string
from ..views import SocketView
from .common import (
    WEBSOCKETS_REQUIREMENT,
    auth_sentence,
    has_webhooks,
    webhook_secret_env,
    websocket_operations,
)
from .sessions import Sessions
from .webhooks import Webhooks


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
    """What the README says about `unwrap`, `verify`, `release` and `sign`."""

    call: str
    checks: tuple[str, ...]
    secret: str
    events: tuple[tuple[str, ...], ...]  # (event type, model)
    example: str
    verify: str  # paragraphs: deliveries that are not events, leaving an id unclaimed, signing
    release: str
    sign: str
    test_example: str


@dataclass(frozen=True)
class RealtimeDoc:
    """The view `templates/package/readme_realtime.md.j2` prints (None from `readme_view`: nothing to say)."""

    client_class: str
    import_name: str
    requirement: str
    sessions: tuple[SessionDoc, ...]
    webhooks: WebhookDoc | None


def readme_view(api: m.Api, sessions: Sessions, webhooks: Webhooks) -> RealtimeDoc | None:
    """The README section about WebSocket sessions and webhook verification (None: the API has neither),
    from the session and webhook views the package's code is rendered with."""
    if not any(True for _ in websocket_operations(api)) and not has_webhooks(api):
        return None
    where = _locations(api)
    docs = tuple(
        _session_doc(api, op, sessions.sockets[op.id], where.get(op.id, ()))
        for op in websocket_operations(api)
    )
    return RealtimeDoc(
        client_class=api.package.client_class,
        import_name=api.package.import_name,
        requirement=WEBSOCKETS_REQUIREMENT,
        sessions=docs,
        webhooks=_webhook_doc(api, webhooks, where),
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


def _placeholder(name: str) -> str:
    return python_string(name.upper().rstrip("_"))


def _call_lines(prefix: str, call: str, args: list[str], suffix: str = "") -> list[str]:
    one = f"{prefix}{call}({', '.join(args)}){suffix}"
    if len(one) <= 100:
        return [one]
    indent = " " * (len(prefix) - len(prefix.lstrip()))
    return [f"{prefix}{call}(", *(f"{indent}    {a}," for a in args), f"{indent}){suffix}"]


def _session_doc(api: m.Api, op: m.Operation, socket: SocketView, path: tuple[str, ...]) -> SessionDoc:
    ws = op.websocket
    assert ws is not None
    call = ".".join(("client", *path, op.name.python))
    args = [f"{a.name.python}={_placeholder(a.name.python)}" for a in op.call.arguments if a.required]
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


def _webhook_doc(api: m.Api, webhooks: Webhooks, where: dict[str, tuple[str, ...]]) -> WebhookDoc | None:
    sig = api.webhook_signature
    if sig is None or not has_webhooks(api):
        return None
    del where
    env = webhook_secret_env(api)
    checks = []
    if sig.signature_version_header:
        accepted = " or ".join(f"`{v}`" for v in sig.signature_versions)
        checks.append(
            f"the `{sig.signature_version_header}` header names a signature version this package "
            f"verifies ({accepted})"
        )
    checks.append(
        f"the `{sig.signature_header}` header holds `{sig.signature_prefix}<hex>`, the HMAC-SHA256 of "
        f"`{sig.signed_payload}` (`{{body}}` is the raw body) keyed with the signing secret, "
        "compared in constant time",
    )
    if sig.timestamp_header:
        checks.append(
            f"the `{sig.timestamp_header}` timestamp is within {sig.tolerance_seconds} seconds of now"
        )
    if sig.id_header:
        checks.append(
            f"the `{sig.id_header}` delivery id was not handed over before (a process-wide, bounded "
            "in-memory `WebhookReplayCache` by default; pass `replay_cache=` to share one, or `None` to "
            "skip the check)"
        )
    events: list[tuple[str, ...]] = []
    tag_field: str | None = None
    for hook in api.webhooks:
        if isinstance(hook.event, t.Ref):
            model = webhooks.annotator.models.get(hook.event.name)
            if isinstance(model, m.ObjectModel):
                tag = webhooks.tag(model, sig.event_type_field) or hook.name
                tag_field = tag_field or webhooks.tag_field(hook.event, sig.event_type_field)
                events.append((tag, model.name))
    length = " or ".join(str(n) for n in sig.secret_lengths)
    form = f"{sig.secret_encoding} text" + (f" that decodes to {length} bytes" if length else "")
    secret = (
        f"A secret is given as the API issues it ({form}) or as the raw key (`bytes`). Text that is not "
        f"valid {sig.secret_encoding}"
        + (f", or that decodes to a key of another length than {length} bytes," if length else "")
        + " raises `ConfigurationError` before any signature is checked (a raw key given as text, say), "
        "rather than failing every delivery as a bad signature."
    )
    selectors = [h for h in (sig.secret_ref_header, sig.secret_version_header) if h]
    if selectors:
        by = " and ".join(f"`{h}`" for h in selectors)
        if sig.secret_ref_header and sig.secret_version_header:
            keys = "`(ref, version)` pairs (or by version, or by ref alone)"
        elif sig.secret_ref_header:
            keys = "secret ref"
        else:
            keys = "secret version"
        secret += (
            f" During a rotation, pass a list of secrets (any of them may have signed a delivery), or a dict "
            f"keyed by {keys}: the delivery's {by} header{'s' if len(selectors) > 1 else ''} then pick the "
            "one key it is checked with, and a delivery naming a key you did not pass raises "
            "`WebhookSignatureError`."
        )
    else:
        secret += " During a rotation, pass a list of secrets: any of them may have signed a delivery."
    secret += (
        f" The secret defaults to the `{env}` environment variable; pass `secret=` to choose it per call."
        if env
        else " Pass it as `secret=`."
    )
    verify = (
        "Signed deliveries that are not events (the API may sign other requests it sends with the same "
        "scheme) go through `client.webhooks.verify(body, headers)`: the same checks, including the "
        "replay guard, and it returns the verified body bytes without parsing them."
    )
    release = (
        "The delivery id is remembered only when `unwrap` hands an event over (or `verify` returns): an "
        "authentic delivery whose event type this package does not know raises `WebhookPayloadError` "
        "and stays unclaimed. When your handling of an event fails, call "
        "`client.webhooks.release(headers)` before answering with an error, so that the sender's "
        "redelivery is accepted instead of refused as a replay. A `WebhookReplayError` is a delivery "
        "handed over before: answer a redelivery of a handled event with a 2xx, or the sender keeps "
        "retrying it."
    )
    sign_args = ["secret=..."]
    if sig.secret_ref_header:
        sign_args.append("secret_ref=...")
    if sig.secret_version_header:
        sign_args.append("secret_version=...")
    sign = (
        f"`client.webhooks.sign(body, {', '.join(sign_args)}, timestamp=..., delivery_id=...)` returns the "
        "headers of a correctly signed delivery, to test your own endpoint with (the timestamp defaults to "
        "now and the id to a random one)."
    )
    pkg = api.package
    lines = [
        f"from {pkg.import_name} import (",
        f"    {pkg.client_class},",
        "    WebhookPayloadError,",
        "    WebhookReplayError,",
        "    WebhookVerificationError,",
        ")",
        "",
        f"client = {pkg.client_class}()",
        "",
        "",
        "def handle(body: bytes, headers: dict[str, str]) -> int:",
        '    """Your web framework\'s handler gets the raw request body and its headers."""',
        "    try:",
        "        event = client.webhooks.unwrap(body, headers)",
        "    except WebhookReplayError:",
        "        return 200  # handed over before: acknowledge the redelivery",
        "    except WebhookVerificationError:",
        "        return 400  # not signed by the API (or stale): do not act on it",
        "    except WebhookPayloadError:",
        "        return 200  # authentic, but not an event this package knows: acknowledge it",
        "    try:",
        f"        print(event.{tag_field}, event)  # your handling of the event"
        if tag_field
        else "        print(event)  # your handling of the event",
        "    except Exception:",
        "        client.webhooks.release(headers)  # leave the id unclaimed: the redelivery is accepted",
        "        return 500",
        "    return 200",
    ]
    secret_form = {
        "base64": "base64.b64encode(os.urandom({n})).decode()",
        "hex": "os.urandom({n}).hex()",
        "utf-8": "os.urandom({n}).hex()",
    }[sig.secret_encoding].format(n=sig.secret_lengths[0] if sig.secret_lengths else 32)
    imports = ["import base64", "import os"] if sig.secret_encoding == "base64" else ["import os"]
    if sig.secret_ref_header and sig.secret_version_header:
        named, ring = 'secret_ref="REF", secret_version=2', '{("REF", 1): old, ("REF", 2): new}'
    elif sig.secret_ref_header:
        named, ring = 'secret_ref="NEW"', '{"OLD": old, "NEW": new}'
    elif sig.secret_version_header:
        named, ring = "secret_version=2", "{1: old, 2: new}"
    else:
        named, ring = "", "[old, new]"
    test = [
        *imports,
        "",
        f"from {pkg.import_name} import {pkg.client_class}",
        "",
        f"client = {pkg.client_class}()",
        f"old = {secret_form}  # two secrets as the API issues them",
        f"new = {secret_form}",
        'body = b\'{"hello": "world"}\'',
        *_call_lines(
            "headers = ", "client.webhooks.sign", ["body", "secret=new", *([named] if named else [])]
        ),
        *_call_lines("assert ", "client.webhooks.verify", ["body", "headers", f"secret={ring}"], " == body"),
    ]
    return WebhookDoc(
        call="client.webhooks.unwrap",
        checks=tuple(checks),
        secret=secret,
        events=tuple(events),
        example="\n".join(lines),
        verify=verify,
        release=release,
        sign=sign,
        test_example="\n".join(test),
    )
