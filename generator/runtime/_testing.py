"""The test kit's mock API: real clients wired to an ``httpx.MockTransport``, one handle per operation.

Only the package's test kit imports this module (``import <package>`` never does). A handle
queues answers (``respond``, ``respond_pages``, ``respond_events``, ``respond_error``); each
request takes the next one, and the last one answers every request after it. Every request is
recorded on its handle's ``calls`` and checked against the operation first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast

import httpx

from ._testing_replies import BodyReply, EventsReply, PagesReply, Reply, build_value, error_reply, json_reply
from ._testing_routes import MockAPIError, RecordedCall, Route, Router, check_request

__all__ = ["MockAPI", "ModelMock", "OperationMock", "PageMock", "StreamMock"]

R = TypeVar("R")
H = TypeVar("H", bound="OperationMock")
C = TypeVar("C")

MOCK_API_KEY = "test-api-key"


class OperationMock:
    """The mock of one operation: what it answers, and the requests it was sent (``calls``)."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.calls: list[RecordedCall] = []
        self._replies: deque[Reply] = deque()

    def respond_error(
        self,
        status: int,
        /,
        *,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: object,
    ) -> None:
        """Answer with an error: the body is the operation's error model for ``status`` built from
        ``fields`` (missing required fields filled), so the client raises its typed error;
        ``retry_after`` (seconds) sends a ``Retry-After`` header."""
        self._replies.append(error_reply(self.route, status, retry_after, headers or {}, fields))

    def _queue(self, reply: Reply) -> None:
        self._replies.append(reply)

    def answer(self, call: RecordedCall) -> httpx.Response:
        """The next queued answer (the last one stays for every later request)."""
        if not self._replies:
            route = self.route
            raise MockAPIError(
                f"{route.name} ({route.operation.method} {route.operation.path}) was called but no response "
                f"was set: call api.{route.name}.respond...() before the code under test runs."
            )
        reply = self._replies[0] if len(self._replies) == 1 else self._replies.popleft()
        return reply.answer(call)


class ModelMock(OperationMock, Generic[R]):
    """The mock of an operation answering one body (a model, a list, text, bytes or nothing)."""

    def respond(
        self,
        value: R | None = None,
        /,
        *,
        headers: Mapping[str, str] | None = None,
        **fields: object,
    ) -> None:
        """Answer with ``value``, or with the success model built from ``fields`` (missing required
        fields filled, ``fake``'s way); an operation without a body answers its empty status."""
        route = self.route
        if route.result == "empty":
            self._queue(BodyReply(route.status, content=b"", headers=headers or {}))
        elif route.result in ("binary", "text"):
            raw = value if value is not None else ""
            content = raw if isinstance(raw, bytes) else str(raw).encode()
            kind = "application/octet-stream" if route.result == "binary" else "text/plain"
            self._queue(
                BodyReply(route.status, content=content, headers={"content-type": kind, **(headers or {})})
            )
        else:
            self._queue(json_reply(route.status, build_value(route, route.returns, value, fields), headers))


class PageMock(OperationMock, Generic[R]):
    """The mock of a paginated operation."""

    def respond_pages(self, *pages: Sequence[R]) -> None:
        """Answer with these pages of items: every request gets the page it asks for, in an envelope
        whose markers lead the client to the next page (past the last: an empty page)."""
        self._queue(PagesReply(self.route, pages))


class StreamMock(OperationMock, Generic[R]):
    """The mock of a server-sent-events operation."""

    def respond_events(self, *events: R, drop_after: int | None = None) -> None:
        """Answer with these events; ``drop_after=n`` drops the connection after ``n`` of them, and the
        client's resuming request is served the rest (from the position it sends)."""
        self._queue(EventsReply(self.route, events, drop_after))


def _recording_class(cls: type[C], sleeps: list[float], *, is_async: bool) -> type[C]:
    """``cls`` whose retries and reconnects record their waits in ``sleeps`` instead of sleeping."""

    def sleep(self: object, seconds: float) -> None:
        sleeps.append(seconds)

    async def async_sleep(self: object, seconds: float) -> None:
        sleeps.append(seconds)

    namespace: dict[str, object] = {
        "_sleep": async_sleep if is_async else sleep,
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__doc__": cls.__doc__,
    }
    return cast("type[C]", type(cls.__name__, (cls,), namespace))


class MockAPI:
    """A mock of the whole API. ``client()`` / ``async_client()`` hand out real clients whose requests
    it answers; ``requests`` lists every request, ``sleeps`` the waits retries would have slept."""

    def __init__(self, routes: Sequence[Route], *, base_url: str) -> None:
        self._router = Router(routes)
        self._mocks: dict[str, OperationMock] = {}
        self._routes = {route.name: route for route in routes}
        self.base_url = base_url
        self.requests: list[RecordedCall] = []
        self.sleeps: list[float] = []
        self._classes: dict[tuple[type, bool], type] = {}

    def _mock(self, name: str, kind: type[H]) -> H:
        mock = kind(self._routes[name])
        self._mocks[name] = mock
        return mock

    def _handle(self, request: httpx.Request) -> httpx.Response:
        route, path_params = self._router.match(request)
        call = RecordedCall(request, path_params)
        self.requests.append(call)
        mock = self._mocks[route.name]
        mock.calls.append(call)
        check_request(route, call)
        return mock.answer(call)

    def _client(self, cls: type[C], *, is_async: bool, options: Mapping[str, Any]) -> C:
        key = (cls, is_async)
        if key not in self._classes:
            self._classes[key] = _recording_class(cls, self.sleeps, is_async=is_async)
        transport = httpx.MockTransport(self._handle)
        http: httpx.Client | httpx.AsyncClient = (
            httpx.AsyncClient(transport=transport) if is_async else httpx.Client(transport=transport)
        )
        kwargs: dict[str, Any] = {"api_key": MOCK_API_KEY, "base_url": self.base_url, "http_client": http}
        return cast("C", self._classes[key](**{**kwargs, **options}))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None
