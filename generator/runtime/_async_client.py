"""The asynchronous client base class generated clients inherit from.

Each call imports the modules it needs (request building, responses, pages, streams) when it runs,
so that importing a generated package and constructing its client stay cheap.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack, overload

import httpx

from ._base_client import BaseAPIClient
from ._pydantic import load_pydantic
from ._types import NOT_GIVEN, NotGiven, TimeoutInput

if TYPE_CHECKING:
    from ._pagination import AsyncPage, AsyncPaginator
    from ._request import CallArgs, CallKwargs, Sent
    from ._spec import ClientSpec, Operation, PageSpec, StreamSpec
    from ._streaming import AsyncStream
    from ._types import RetryPolicy

__all__ = ["AsyncAPIClient"]

T = TypeVar("T")


class AsyncAPIClient(BaseAPIClient):
    """Base of a generated async client; the async twin of :class:`SyncAPIClient`.

    ``await client.request(...)``, ``await client.stream(...)``; ``get_page`` returns an
    :class:`AsyncPaginator` (await it for the first page or ``async for`` over every item).
    """

    _http: httpx.AsyncClient

    def __init__(
        self,
        *,
        spec: ClientSpec,
        api_key: str | None = None,
        base_url: str | None = None,
        settings: Mapping[str, object] | None = None,
        server_urls: Mapping[str, str | None] | None = None,
        timeout: TimeoutInput = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
    ) -> None:
        self._init_config(
            spec=spec,
            api_key=api_key,
            base_url=base_url,
            settings=settings,
            server_urls=server_urls,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            retry=retry,
            stream_read_timeout=stream_read_timeout,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._config.timeout, follow_redirects=True)

    # -- lifecycle ------------------------------------------------------------------------

    def with_options(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutInput = NOT_GIVEN,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **settings: str | None,
    ) -> Self:
        """A copy with some options changed, sharing this client's connection pool.

        The API's client settings and server URLs (``<server>_base_url=...``) are accepted by
        name. ``retry`` is laid over this client's policy: fields it leaves ``None`` are kept.
        Passing ``http_client`` uses that pool instead.
        """
        given: dict[str, Any] = {k: v for k, v in settings.items() if v is not None}
        for key, value in (
            ("api_key", api_key),
            ("base_url", base_url),
            ("max_retries", max_retries),
            ("default_headers", default_headers),
            ("default_query", default_query),
            ("retry", retry),
        ):
            if value is not None:
                given[key] = value
        if timeout is not NOT_GIVEN:
            given["timeout"] = timeout
        if not isinstance(stream_read_timeout, NotGiven):
            given["stream_read_timeout"] = stream_read_timeout
        config = self._merged_config(given)
        return self._construct_copy(config, http_client or self._http)

    copy = with_options

    async def aclose(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            await self._http.aclose()

    close = aclose

    def is_closed(self) -> bool:
        """Whether the underlying connection pool is closed."""
        return self._http.is_closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- sending --------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        import anyio

        await anyio.sleep(seconds)

    async def _send(
        self, call: CallArgs, *, stream: bool, accept: str, max_retries: int | None = None
    ) -> Sent:
        from ._request import Sent, prepare
        from ._retry import may_retry_exception, may_retry_status

        prepared = prepare(call, spec=self._spec, config=self._config, accept=accept)
        limit = prepared.max_retries if max_retries is None else max_retries
        try:
            retries = 0
            while True:
                request = prepared.build(self._http, is_async=True)
                started = time.monotonic()
                response: httpx.Response | None = None
                try:
                    response = await self._http.send(request, stream=True)
                    if not stream or response.status_code >= 400:
                        await response.aread()
                except httpx.TransportError as exc:
                    if response is not None:
                        await response.aclose()
                    self._log_attempt(prepared, request, exc, time.monotonic() - started, retries)
                    if retries < limit and may_retry_exception(
                        exc, retry_safe=prepared.retry_safe, replayable=prepared.replayable
                    ):
                        delay = self._retry_delay(retries, None, prepared.retry) or 0.0
                        self._log_retry(delay, retries, limit)
                        await self._sleep(delay)
                        retries += 1
                        continue
                    raise self._connection_error(prepared, exc, request) from exc
                elapsed = time.monotonic() - started
                self._log_attempt(prepared, request, response, elapsed, retries)
                if response.status_code >= 400:
                    await response.aclose()
                    wait: float | None = None
                    retryable = retries < limit and may_retry_status(
                        response.status_code,
                        statuses=self._spec.retry_statuses,
                        retry_safe=prepared.retry_safe,
                        replayable=prepared.replayable,
                    )
                    if retryable:
                        wait = self._retry_delay(retries, response.headers, prepared.retry)
                    if wait is not None:
                        self._log_retry(wait, retries, limit)
                        await self._sleep(wait)
                        retries += 1
                        continue
                    error = self._status_error(call.operation, prepared, response)
                    if retryable:  # not retried: the server asked for a longer wait than the cap
                        self._note_long_wait(error, prepared.retry)
                    raise error
                return Sent(response, retries, dt.timedelta(seconds=elapsed), limit)
        finally:
            prepared.close()

    # -- what generated resources call ----------------------------------------------------

    @overload
    async def request(self, operation: Operation, *, cast_to: type[T], **kwargs: Unpack[CallKwargs]) -> T: ...
    @overload
    async def request(
        self, operation: Operation, *, cast_to: object, **kwargs: Unpack[CallKwargs]
    ) -> Any: ...
    async def request(self, operation: Operation, *, cast_to: object, **kwargs: Unpack[CallKwargs]) -> Any:
        """Send one operation and return its body parsed as ``cast_to``."""
        load_pydantic()
        from ._raw import raw_mode_active
        from ._request import make_call
        from ._response import is_binary, parse_body

        call = make_call(operation, kwargs)
        binary = is_binary(cast_to)
        sent = await self._send(call, stream=binary, accept="*/*" if binary else "application/json")

        def parse() -> Any:
            return parse_body(sent.response, cast_to)

        return self._raw(sent, parse) if raw_mode_active() else parse()

    @overload
    def get_page(
        self,
        operation: Operation,
        *,
        item_type: type[T],
        page_spec: PageSpec,
        page_type: object = None,
        **kwargs: Unpack[CallKwargs],
    ) -> AsyncPaginator[T]: ...
    @overload
    def get_page(
        self,
        operation: Operation,
        *,
        item_type: object,
        page_spec: PageSpec,
        page_type: object = None,
        **kwargs: Unpack[CallKwargs],
    ) -> AsyncPaginator[Any]: ...
    def get_page(
        self,
        operation: Operation,
        *,
        item_type: object,
        page_spec: PageSpec,
        page_type: object = None,
        **kwargs: Unpack[CallKwargs],
    ) -> AsyncPaginator[Any]:
        """A paginator over a list operation; nothing is sent until it is awaited or iterated."""
        load_pydantic()
        from ._pagination import AsyncPaginator
        from ._raw import raw_mode_active
        from ._request import make_call

        call = make_call(operation, kwargs)

        async def first_page() -> Any:
            raw = raw_mode_active()
            sent, page = await self._fetch_page(call, page_spec, item_type, page_type)
            return self._raw(sent, lambda: page) if raw else page

        return AsyncPaginator[Any](first_page)

    async def _fetch_page(
        self, call: CallArgs, spec: PageSpec, item_type: object, page_type: object
    ) -> tuple[Sent, AsyncPage[Any]]:
        from ._pagination import AsyncPage, next_page_call, read_page

        sent = await self._send(call, stream=False, accept="application/json")
        data, parsed, items = read_page(sent.response, spec=spec, item_type=item_type, page_type=page_type)

        async def fetch_next(next_call: CallArgs) -> AsyncPage[Any]:
            return (await self._fetch_page(next_call, spec, item_type, page_type))[1]

        page = AsyncPage[Any](
            items=items,
            response=parsed,
            http_response=sent.response,
            next_call=next_page_call(call, spec, data),
            fetch=fetch_next,
        )
        return sent, page

    @overload
    async def stream(
        self,
        operation: Operation,
        *,
        event_type: type[T],
        stream_spec: StreamSpec | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **kwargs: Unpack[CallKwargs],
    ) -> AsyncStream[T]: ...
    @overload
    async def stream(
        self,
        operation: Operation,
        *,
        event_type: object,
        stream_spec: StreamSpec | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **kwargs: Unpack[CallKwargs],
    ) -> AsyncStream[Any]: ...
    async def stream(
        self,
        operation: Operation,
        *,
        event_type: object,
        stream_spec: StreamSpec | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **kwargs: Unpack[CallKwargs],
    ) -> AsyncStream[Any]:
        """Open an SSE operation; ``async for`` over the result for typed events."""
        load_pydantic()
        from ._raw import raw_mode_active
        from ._request import make_call
        from ._stream_policy import acheck_event_stream, with_stream_read_timeout
        from ._streaming import AsyncStream, EventProcessor

        read = stream_read_timeout
        if isinstance(read, NotGiven):
            read = self._config.stream_read_timeout
        call = with_stream_read_timeout(make_call(operation, kwargs), self._config.timeout, read)
        processor = EventProcessor[Any](event_type, stream_spec, self._logger)
        accept = "text/event-stream"
        sent = await self._send(call, stream=True, accept=accept)
        await acheck_event_stream(sent.response)

        async def reconnect() -> httpx.Response:
            resent = await self._send(processor.resumed(call), stream=True, accept=accept, max_retries=0)
            return await acheck_event_stream(resent.response)

        result = AsyncStream[Any](
            response=sent.response,
            processor=processor,
            reconnect=reconnect,
            max_retries=sent.max_retries,
            delay=self._stream_delay,
            sleep=self._sleep,
            retryable=self._retryable_status,
        )
        return self._raw(sent, lambda: result) if raw_mode_active() else result
