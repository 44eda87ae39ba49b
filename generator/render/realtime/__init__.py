"""WebSocket sessions (`x-websocket`) and webhook verification (`x-webhook-signature`) -> finished views."""

# - Every WebSocket operation becomes a `connect(...)` method on its resource (arguments from its parameters,
#   as for HTTP methods) returning a session class of the package's `sockets` module: one class per
#   operation, sync and async, parsing the server frame union and with a typed `send_<frame>()` per client
#   frame (`sessions`).
# - An API with webhooks and `x-webhook-signature` gets `unwrap(...)` on its `webhooks` resource (a resource
#   of its own when the API has none): verify the delivery and return the typed event (`webhooks`).
# - `readme_view(api)` is what `templates/package/readme_realtime.md.j2` prints about both (`readme`).
#
# Conventions read from the IR, not from a vendor: a server frame whose type is `error` is an error frame; a
# name in `x-websocket.terminal` that is a client frame type is the frame `close()` sends, one that is a
# server frame type ends an iteration; on reconnect the first frame the user sent is replayed, carrying the
# latest value of each of its optional fields that some server frame requires (a token the server hands out).

from __future__ import annotations

from .common import (
    ERROR_FRAME,
    SESSION_OPTIONS,
    SOCKETS_MODULE,
    WEBHOOK_EXPORTS,
    WEBSOCKET_EXPORTS,
    WEBSOCKETS_REQUIREMENT,
    auth_sentence,
    extra_dependencies,
    has_webhooks,
    runtime_exports,
    webhook_secret_env,
    websocket_operations,
)
from .readme import RealtimeDoc, SessionDoc, WebhookDoc, readme_view
from .sessions import Sessions, Variant, frame_tag
from .webhooks import Webhooks

__all__ = [
    "ERROR_FRAME",
    "SESSION_OPTIONS",
    "SOCKETS_MODULE",
    "WEBHOOK_EXPORTS",
    "WEBSOCKETS_REQUIREMENT",
    "WEBSOCKET_EXPORTS",
    "RealtimeDoc",
    "SessionDoc",
    "Sessions",
    "Variant",
    "WebhookDoc",
    "Webhooks",
    "auth_sentence",
    "extra_dependencies",
    "frame_tag",
    "has_webhooks",
    "readme_view",
    "runtime_exports",
    "webhook_secret_env",
    "websocket_operations",
]
