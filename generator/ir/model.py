"""The intermediate model (IR): one API, whatever its vendor, as frozen values.

Every named thing keeps both names: `python` (what generated code calls it) and `wire` (what the HTTP API
calls it). The parser builds these; the renderer only reads them. Each operation's `call` is the method
a user calls (arguments, result, auth), so no output derives or renames arguments again. The schema
models (`ir/schemas.py`) and webhooks (`ir/webhooks.py`) are re-exported here: the IR is one namespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from .schemas import AliasModel as AliasModel
from .schemas import EnumMember as EnumMember
from .schemas import EnumModel as EnumModel
from .schemas import Field as Field
from .schemas import JsonValue as JsonValue
from .schemas import Model as Model
from .schemas import Name as Name
from .schemas import ObjectModel as ObjectModel
from .schemas import UnionModel as UnionModel
from .types import TypeRef
from .webhooks import Webhook as Webhook
from .webhooks import WebhookSignature as WebhookSignature

# ---- operations --------------------------------------------------------------------------------------------

ParamLocation = TypingLiteral["path", "query", "header", "cookie"]


@dataclass(frozen=True)
class Param:
    name: Name
    location: ParamLocation
    type: TypeRef
    required: bool
    description: str = ""
    default: JsonValue = None
    has_default: bool = False
    setting: str | None = None
    explode: bool = True
    deprecated: bool = False


BodyKind = TypingLiteral["json", "multipart", "form", "binary", "text"]


@dataclass(frozen=True)
class BodyPart:
    """One part of a multipart or form body."""

    name: Name
    type: TypeRef
    required: bool
    is_file: bool
    many: bool = False
    description: str = ""


@dataclass(frozen=True)
class Body:
    kind: BodyKind
    content_type: str
    type: TypeRef
    required: bool
    parts: tuple[BodyPart, ...] = ()
    description: str = ""


ResponseKind = TypingLiteral["json", "binary", "text", "sse", "empty"]


@dataclass(frozen=True)
class Header:
    name: str
    type: TypeRef
    description: str = ""


@dataclass(frozen=True)
class Response:
    status: str
    kind: ResponseKind
    content_type: str | None
    type: TypeRef | None
    description: str = ""
    headers: tuple[Header, ...] = ()


@dataclass(frozen=True)
class ErrorShape:
    """The body of an error response: `status` is "404", "4XX" or "default"."""

    status: str
    type: TypeRef | None
    description: str = ""


PageStyle = TypingLiteral["page", "offset", "cursor", "page_token", "body_cursor", "sequence"]
"""The pagination styles; the runtime's `PageStyle` and its strategies list the same (a test checks)."""


@dataclass(frozen=True)
class Pagination:
    """How a list operation moves from page to page, every name resolved by the parser.

    Field for field what the generated `PageSpec` states (`item_type` aside: it types the items), so the
    runtime reads names and never guesses them. `items` is the response field holding the items (a dotted
    path; None: the body is the list). `request_param` asks for the next page: the page number (`page`), the
    offset (`offset`), or the token read from `next_field` (a query parameter; a JSON body field for
    `body_cursor`); `sequence` falls back to the last item's `sequence_field`. `size_param` is the query
    parameter of the page size; `has_more_field`, `total_pages_field` and `total_field` (the number of items
    in all pages) are the response fields that say where iteration ends. None: the operation has no such
    name. `start` is the number of the first page.
    """

    style: PageStyle
    item_type: TypeRef
    items: str | None
    request_param: str
    size_param: str | None = None
    next_field: str | None = None
    has_more_field: str | None = None
    total_pages_field: str | None = None
    total_field: str | None = None
    sequence_field: str | None = None
    start: int = 1
    max_empty_pages: int | None = None  # from `x-pagination`; None: the runtime's default


@dataclass(frozen=True)
class Resume:
    header: str | None = None
    query: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Stream:
    event_type: str
    event: TypeRef
    terminal: tuple[str, ...] = ()
    heartbeat: tuple[str, ...] = ()
    resume: Resume | None = None


@dataclass(frozen=True)
class WebSocket:
    auth: str
    auth_frame_type: str | None
    auth_frame_field: str | None
    discriminator: str
    client_frames: TypeRef
    server_frames: TypeRef
    client_heartbeat: tuple[str, ...] = ()
    server_heartbeat: tuple[str, ...] = ()
    terminal: tuple[str, ...] = ()
    reconnect: str = "none"


# ---- the call surface: the method a user calls, built once by the parser (`parse/calls.py`) ----------

# Where an argument goes: a parameter, a client setting, one field of a flattened JSON body, a form field or
# file of a multipart or form body, the whole JSON body, or the raw content of a binary or text body.
ArgumentLocation = TypingLiteral[
    "path", "query", "header", "setting", "body_field", "form_field", "file", "body", "content"
]


@dataclass(frozen=True)
class Argument:
    """One keyword argument of the method. `name.python` is final (renamed away from the reserved names of
    `parse/names.py`); `name.wire` is what is sent ("" for a whole body). A `setting` argument defaults to
    the client setting `setting` (whose `location` and `wire` say where it is sent)."""

    name: Name
    location: ArgumentLocation
    type: TypeRef
    required: bool
    description: str = ""
    default: JsonValue = None
    has_default: bool = False
    setting: Setting | None = None
    deprecated: bool = False


# model: the JSON body parsed as `returns`; page: a paginator of `returns` items; stream: server-sent
# `returns` events; socket: a session receiving `returns` frames; binary, text, empty: by the response.
ResultKind = TypingLiteral["model", "page", "stream", "binary", "text", "empty", "socket"]


@dataclass(frozen=True)
class Call:
    """What every output shows of an operation's method: its arguments (declaration order: parameters,
    then the body), its result, the response it is read from, and whether it sends the credentials."""

    arguments: tuple[Argument, ...] = ()
    result: ResultKind = "empty"
    returns: TypeRef | None = None
    success: Response | None = None  # the first 2XX response
    auth: bool = False

    def signature(self) -> tuple[Argument, ...]:
        """The arguments in the order the method takes them: the required ones first."""
        return tuple(sorted(self.arguments, key=lambda a: not a.required))


@dataclass(frozen=True)
class Operation:
    id: str
    name: Name
    resource: tuple[str, ...]
    method: str
    path: str
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    params: tuple[Param, ...] = ()
    body: Body | None = None
    responses: tuple[Response, ...] = ()
    errors: tuple[ErrorShape, ...] = ()
    pagination: Pagination | None = None
    stream: Stream | None = None
    websocket: WebSocket | None = None
    idempotency_header: str | None = None
    server: str | None = None
    security: tuple[str, ...] | None = None
    pointer: str = ""
    call: Call = Call()  # the parser always sets it


@dataclass(frozen=True)
class Resource:
    """A group of operations: `client.<name.python>`; nested resources mirror nested API paths."""

    name: Name
    class_name: str
    path: tuple[str, ...]
    operations: tuple[Operation, ...]
    resources: tuple[Resource, ...] = ()
    description: str = ""


# ---- API-level ---------------------------------------------------------------------------------------------

AuthKind = TypingLiteral["bearer", "basic", "api_key", "oauth2", "openid"]


@dataclass(frozen=True)
class AuthScheme:
    name: str
    kind: AuthKind
    location: str | None = None
    param: str | None = None
    description: str = ""


@dataclass(frozen=True)
class ClientAuth:
    """How the client sends its credentials: the first scheme the default security names (bearer when it
    names none); `name` is the header or query parameter of an API key."""

    kind: TypingLiteral["none", "bearer", "basic", "header", "query"]
    name: str | None = None


@dataclass(frozen=True)
class Setting:
    """A client-level value (constructor argument or environment variable) sent by many operations."""

    name: str
    env: str | None
    location: ParamLocation
    wire: str
    required: bool
    description: str = ""


@dataclass(frozen=True)
class Server:
    url: str
    description: str = ""
    name: str | None = None
    env: str | None = None


# The statuses a client retries when gen.toml does not say (the runtime's ClientSpec has the same default).
DEFAULT_RETRY_STATUSES = (408, 429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Package:
    """What the generated package is called and how its client is configured (gen.toml)."""

    name: str
    import_name: str
    client_class: str
    version: str
    description: str
    api_key_env: str | None
    base_url_env: str | None
    log_env: str | None
    timeout: float
    max_retries: int
    source_url: str = ""
    # response statuses the client retries (connection errors always are); gen.toml [client] retry_statuses
    retry_statuses: tuple[int, ...] = DEFAULT_RETRY_STATUSES
    # seconds a stream waits for its next bytes; None: no limit (gen.toml `[client] stream_read_timeout`)
    stream_read_timeout: float | None = 300.0


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    package: Package
    servers: tuple[Server, ...]
    base_url: str
    prefix: str
    auth: tuple[AuthScheme, ...]
    security: tuple[str, ...]
    settings: tuple[Setting, ...]
    alt_servers: tuple[Server, ...]
    resources: tuple[Resource, ...]
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    webhooks: tuple[Webhook, ...] = ()
    webhook_signature: WebhookSignature | None = None
    client_auth: ClientAuth = ClientAuth("none")
    warnings: tuple[str, ...] = field(default=())


def all_operations(api: Api) -> Iterator[Operation]:
    """Every operation of the API: the client's own first, then each resource's, depth first."""

    def walk(resources: tuple[Resource, ...]) -> Iterator[Operation]:
        for resource in resources:
            yield from resource.operations
            yield from walk(resource.resources)

    yield from api.operations
    yield from walk(api.resources)
