"""What the realtime views share: requirements and exports, finding sessions and webhooks, small helpers."""

from __future__ import annotations

from collections.abc import Iterator

from ...ir import model as m
from ...runtime_names import runtime_names

SOCKETS_MODULE = "sockets"
WEBSOCKETS_REQUIREMENT = "websockets>=13"
ERROR_FRAME = "error"
SESSION_OPTIONS = (
    "extra_headers: Headers | None = None",
    "extra_query: Query | None = None",
    "timeout: TimeoutInput = NOT_GIVEN",
)
WEBSOCKET_EXPORTS = runtime_names().sessions  # re-exported by a package with sessions (see the runtime)
WEBHOOK_EXPORTS = runtime_names().webhooks  # re-exported by a package that verifies webhooks


def websocket_operations(api: m.Api) -> Iterator[m.Operation]:
    """The API's WebSocket operations, in document order (root operations first)."""
    return (op for op in m.all_operations(api) if op.websocket is not None)


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


def auth_sentence(ws: m.WebSocket) -> str:
    if ws.auth == "first_frame":
        return (
            f"It authenticates with a first `{ws.auth_frame_type}` frame carrying the API key as "
            f"`{ws.auth_frame_field}`, then waits for the server's first frame (`first_frame`)."
        )
    if ws.auth == "header":
        return "The upgrade request carries the client's credentials, as HTTP calls do."
    return "It sends no credentials."
