"""Runtime of a generated API client: HTTP, retries, errors, pagination, streaming, uploads, hooks, tracing.

This package is copied verbatim into every generated client as ``<package>/_runtime/``; it
depends only on the standard library, httpx (and anyio, which httpx requires, for async sleeps)
and pydantic v2 (with its pydantic_core), uses relative imports only, and knows no vendor.

Importing it loads only what a generated package needs at import time (the client base classes,
the specs, the sentinels); models, errors, pages, streams and the rest load on first use.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from ._async_client import AsyncAPIClient
from ._pydantic import load_pydantic
from ._spec import (
    AuthSpec,
    ClientSpec,
    Operation,
    PageSpec,
    ResumeSpec,
    ServerSpec,
    SettingSpec,
    StreamSpec,
)
from ._sync_client import SyncAPIClient
from ._types import (
    NOT_GIVEN,
    Body,
    ContentInput,
    FileInput,
    FilesInput,
    Headers,
    NotGiven,
    Omit,
    Query,
    RequestOptions,
    RetryPolicy,
    TimeoutInput,
)

if TYPE_CHECKING:  # everything else loads on first use: importing a package stays cheap
    from ._exceptions import (
        APIConnectionError,
        APIError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        ConflictError,
        InternalServerError,
        NotFoundError,
        PaymentRequiredError,
        PermissionDeniedError,
        RateLimitError,
        UnexpectedContentTypeError,
        UnprocessableEntityError,
    )
    from ._headers import RateLimitInfo
    from ._hooks import Hooks, RequestEvent, ResponseEvent
    from ._models import BaseModel
    from ._pagination import AsyncPage, AsyncPaginator, SyncPage
    from ._raw import async_to_raw_response_wrapper, to_raw_response_wrapper
    from ._request import CallKwargs
    from ._response import APIResponse, AsyncBinaryResponse, BinaryResponse
    from ._sse import ServerSentEvent, SSEDecoder
    from ._streaming import AsyncStream, Stream
    from ._unions import OpenUnion, UnknownVariant, closed_union
    from ._webhooks import (
        ReplayCache,
        WebhookHeaderError,
        WebhookHeaders,
        WebhookPayloadError,
        WebhookReplayCache,
        WebhookReplayError,
        WebhookSecret,
        WebhookSignatureError,
        WebhookSpec,
        WebhookTimestampError,
        WebhookVerificationError,
        release_webhook,
        sign_webhook,
        unwrap_webhook,
        verify_webhook,
    )
    from ._websocket import (
        WebSocketAuthenticationError,
        WebSocketClosedError,
        WebSocketError,
        WebSocketSpec,
    )
    from ._websocket_async import AsyncWebSocketSession
    from ._websocket_sync import WebSocketSession

_LAZY: dict[str, str] = {
    "APIConnectionError": "._exceptions",
    "APIError": "._exceptions",
    "APIResponseValidationError": "._exceptions",
    "APIStatusError": "._exceptions",
    "APITimeoutError": "._exceptions",
    "AuthenticationError": "._exceptions",
    "BadRequestError": "._exceptions",
    "ConfigurationError": "._exceptions",
    "ConflictError": "._exceptions",
    "InternalServerError": "._exceptions",
    "NotFoundError": "._exceptions",
    "PaymentRequiredError": "._exceptions",
    "PermissionDeniedError": "._exceptions",
    "RateLimitError": "._exceptions",
    "UnexpectedContentTypeError": "._exceptions",
    "UnprocessableEntityError": "._exceptions",
    "RateLimitInfo": "._headers",
    "Hooks": "._hooks",
    "RequestEvent": "._hooks",
    "ResponseEvent": "._hooks",
    "BaseModel": "._models",
    "OpenUnion": "._unions",
    "UnknownVariant": "._unions",
    "closed_union": "._unions",
    "AsyncPage": "._pagination",
    "AsyncPaginator": "._pagination",
    "SyncPage": "._pagination",
    "async_to_raw_response_wrapper": "._raw",
    "to_raw_response_wrapper": "._raw",
    "CallKwargs": "._request",
    "APIResponse": "._response",
    "AsyncBinaryResponse": "._response",
    "BinaryResponse": "._response",
    "SSEDecoder": "._sse",
    "ServerSentEvent": "._sse",
    "AsyncStream": "._streaming",
    "Stream": "._streaming",
    "ReplayCache": "._webhooks",
    "WebhookHeaderError": "._webhooks",
    "WebhookHeaders": "._webhooks",
    "WebhookPayloadError": "._webhooks",
    "WebhookReplayCache": "._webhooks",
    "WebhookReplayError": "._webhooks",
    "WebhookSecret": "._webhooks",
    "WebhookSignatureError": "._webhooks",
    "WebhookSpec": "._webhooks",
    "WebhookTimestampError": "._webhooks",
    "WebhookVerificationError": "._webhooks",
    "release_webhook": "._webhooks",
    "sign_webhook": "._webhooks",
    "unwrap_webhook": "._webhooks",
    "verify_webhook": "._webhooks",
    "WebSocketAuthenticationError": "._websocket",
    "WebSocketClosedError": "._websocket",
    "WebSocketError": "._websocket",
    "WebSocketSpec": "._websocket",
    "AsyncWebSocketSession": "._websocket_async",
    "WebSocketSession": "._websocket_sync",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    load_pydantic()  # most of what loads here needs pydantic: import it safely first
    value: object = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


# The runtime's exported names: the one list of them. The generator reads it from this file (without
# importing the runtime) in the four parts below, in this order; generated code may import any of them.
# 1. Used by generated code only: a package does not re-export them.
__all__ = [
    "AsyncAPIClient",
    "AsyncWebSocketSession",
    "AuthSpec",
    "Body",
    "CallKwargs",
    "ClientSpec",
    "ContentInput",
    "FilesInput",
    "Headers",
    "OpenUnion",
    "Operation",
    "PageSpec",
    "Query",
    "ReplayCache",
    "RequestOptions",
    "ResumeSpec",
    "SSEDecoder",
    "ServerSentEvent",
    "ServerSpec",
    "SettingSpec",
    "StreamSpec",
    "SyncAPIClient",
    "TimeoutInput",
    "WebSocketSession",
    "WebSocketSpec",
    "WebhookHeaders",
    "WebhookSecret",
    "WebhookSpec",
    "async_to_raw_response_wrapper",
    "closed_union",
    "load_pydantic",
    "release_webhook",
    "sign_webhook",
    "to_raw_response_wrapper",
    "unwrap_webhook",
    "verify_webhook",
]
# 2. Re-exported at the root of every generated package, for its users.
__all__ += [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncBinaryResponse",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BaseModel",
    "BinaryResponse",
    "ConfigurationError",
    "ConflictError",
    "FileInput",
    "Hooks",
    "InternalServerError",
    "NotFoundError",
    "NotGiven",
    "Omit",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "RequestEvent",
    "ResponseEvent",
    "RetryPolicy",
    "Stream",
    "SyncPage",
    "UnexpectedContentTypeError",
    "UnknownVariant",
    "UnprocessableEntityError",
]
# 3. Re-exported at the root of a package with WebSocket sessions.
__all__ += [
    "WebSocketAuthenticationError",
    "WebSocketClosedError",
    "WebSocketError",
]
# 4. Re-exported at the root of a package that verifies webhooks.
__all__ += [
    "WebhookHeaderError",
    "WebhookPayloadError",
    "WebhookReplayCache",
    "WebhookReplayError",
    "WebhookSignatureError",
    "WebhookTimestampError",
    "WebhookVerificationError",
]
