"""Declarative descriptions a generated package hands to the runtime.

A generated client describes itself once with a :class:`ClientSpec` and each operation once with an
:class:`Operation`; paginated and streaming operations add a :class:`PageSpec` or
:class:`StreamSpec`. The runtime reads these and never needs vendor-specific code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

__all__ = [
    "DEFAULT_RETRY_STATUSES",
    "DEFAULT_STREAM_READ_TIMEOUT",
    "AuthKind",
    "AuthSpec",
    "ClientSpec",
    "Operation",
    "PageSpec",
    "PageStyle",
    "ResumeSpec",
    "ServerSpec",
    "SettingLocation",
    "SettingSpec",
    "StreamSpec",
]

AuthKind: TypeAlias = Literal["bearer", "header", "query", "basic", "none"]
SettingLocation: TypeAlias = Literal["header", "query", "path"]
DEFAULT_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
PageStyle: TypeAlias = Literal["page", "offset", "cursor", "page_token", "body_cursor", "sequence"]

DEFAULT_STREAM_READ_TIMEOUT = 300.0
"""Seconds a stream waits for its next bytes unless ``gen.toml`` or the caller says otherwise.

Far above the ~30 s between the keepalives servers send on quiet streams, and short enough
that a connection that died without a word is noticed (and resumed, where the stream can be).
"""


@dataclass(frozen=True, kw_only=True)
class AuthSpec:
    """How the API key travels.

    ``bearer``: ``Authorization: Bearer <key>``; ``header``: header ``name`` carries
    ``prefix + key``; ``query``: query parameter ``name``; ``basic``: the key is
    ``"user:password"`` (or a user name alone) sent as HTTP Basic; ``none``: nothing is sent.
    """

    kind: AuthKind = "bearer"
    name: str | None = None
    prefix: str = ""


@dataclass(frozen=True, kw_only=True)
class SettingSpec:
    """A client-level value sent with the operations that declare it (``x-client-setting``)."""

    env: str | None = None
    location: SettingLocation = "header"
    wire_name: str = ""
    required: bool = False
    default: str | None = None


@dataclass(frozen=True, kw_only=True)
class ServerSpec:
    """A second host some operations are sent to (``x-server-name``)."""

    default_url: str
    env: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClientSpec:
    """Everything the runtime needs to know about one generated client.

    ``timeout`` and ``max_retries`` are the defaults of every request; ``retry_statuses`` are the
    response statuses worth another attempt (connection errors always are);
    ``stream_read_timeout`` replaces the read part of ``timeout`` on the requests of a stream
    (``None``: a stream waits for its next event as long as it takes).
    """

    name: str
    package: str
    version: str
    user_agent: str
    default_base_url: str
    base_url_env: str | None = None
    api_key_env: str | None = None
    api_key_required: bool = True
    log_env: str | None = None
    auth: AuthSpec = field(default_factory=AuthSpec)
    settings: Mapping[str, SettingSpec] = field(default_factory=dict[str, SettingSpec])
    servers: Mapping[str, ServerSpec] = field(default_factory=dict[str, ServerSpec])
    timeout: float = 60.0
    max_retries: int = 2
    retry_statuses: frozenset[int] = DEFAULT_RETRY_STATUSES
    stream_read_timeout: float | None = DEFAULT_STREAM_READ_TIMEOUT
    request_id_headers: tuple[str, ...] = ("x-request-id", "request-id")


@dataclass(frozen=True, kw_only=True)
class Operation:
    """One HTTP operation.

    ``path`` holds ``{name}`` placeholders named in ``path_params`` (wire names). ``settings``
    lists the client settings this operation sends. ``errors`` maps a status (``400``), a range
    (``"4XX"``) or ``"default"`` to the type its error body is parsed with. ``server`` names a
    :class:`ServerSpec` host; ``auth=False`` sends no credentials; ``accept`` overrides the
    ``Accept`` header. ``name`` is the method's call path as a user writes it
    (``client.workflows.run``): what hooks and spans call the operation.
    """

    method: str
    path: str
    path_params: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    idempotency_header: str | None = None
    server: str | None = None
    errors: Mapping[int | str, object] = field(default_factory=dict[int | str, object])
    auth: bool = True
    accept: str | None = None
    name: str = ""


@dataclass(frozen=True, kw_only=True)
class PageSpec:
    """How one paginated operation moves from page to page; the generator names every field.

    ``items`` is the response field holding the items (dotted paths allowed; ``None`` when the
    body is the list itself). ``request_param`` asks for the next page, one style at a time:

    ===============  ==============================================================================
    style            the next page's ``request_param`` (a query parameter unless said otherwise)
    ===============  ==============================================================================
    ``page``         this page's number (``start`` when it was not sent) plus one
    ``offset``       the offset sent plus this page's item count
    ``cursor``       the response's ``next_field``
    ``page_token``   the response's ``next_field``
    ``body_cursor``  the response's ``next_field``, sent as a field of the JSON body
    ``sequence``     the response's ``next_field``, else the last item's ``sequence_field``
    ===============  ==============================================================================

    ``size_param`` is the query parameter of the page size. ``has_more_field``, ``total_pages_field``
    and ``total_field`` (the number of items in all pages) are the response fields that say whether
    more follows; when the response carries one, it decides, and a short page ends an ``offset``
    iteration only when the response says nothing. A name left ``None`` is not looked for. An empty
    page with a fresh token is followed, up to ``max_empty_pages`` consecutive empty pages; a next
    call equal to the one just sent (a token that repeats the one sent) ends the iteration.
    """

    style: PageStyle
    items: str | None
    request_param: str
    size_param: str | None = None
    next_field: str | None = None
    has_more_field: str | None = None
    total_pages_field: str | None = None
    total_field: str | None = None
    sequence_field: str | None = None
    start: int = 1
    max_empty_pages: int = 10


@dataclass(frozen=True, kw_only=True)
class ResumeSpec:
    """How a dropped SSE stream is resumed.

    ``header="Last-Event-ID"`` resends the last SSE ``id``. ``query="since_sequence"`` sends the
    last event's ``field`` value (or the last SSE ``id`` when ``field`` is ``None``).
    """

    header: str | None = None
    query: str | None = None
    field: str | None = None


@dataclass(frozen=True, kw_only=True)
class StreamSpec:
    """How the events of one SSE operation are named, filtered and resumed (``x-stream``).

    ``event_type`` is ``"event"`` (the SSE ``event:`` line) or ``"data.<field>"`` (a field of the
    JSON data). Events named in ``heartbeat`` are skipped; an event named in ``terminal`` is
    yielded and ends the stream.
    """

    event_type: str = "data.type"
    terminal: tuple[str, ...] = ()
    heartbeat: tuple[str, ...] = ()
    resume: ResumeSpec | None = None
    done_sentinel: str = "[DONE]"
