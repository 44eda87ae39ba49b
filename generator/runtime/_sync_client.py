"""The synchronous client base class generated clients inherit from.

Each call imports the modules it needs (request building, responses, pages, streams) when it runs,
so that importing a generated package and constructing its client stay cheap.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack, cast, overload

import httpx

from ._base_client import BaseAPIClient
from ._pydantic import load_pydantic
from ._types import NOT_GIVEN, NotGiven, TimeoutInput

if TYPE_CHECKING:
    from ._hooks import Hooks
    from ._pagination import SyncPage
    from ._request import CallArgs, CallKwargs, Sent
    from ._spec import ClientSpec, Operation, PageSpec, StreamSpec
    from ._streaming import Stream
    from ._types import RetryPolicy
    from ._watch import CallWatch

__all__ = ["SyncAPIClient"]

T = TypeVar("T")


class SyncAPIClient(BaseAPIClient):
    """Base of a generated synchronous client: config, retries, pages, streams, raw responses."""

    _http: httpx.Client

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
        http_client: httpx.Client | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        hooks: Hooks | None = None,
        tracing: bool = True,
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
        self._observe(hooks, tracing)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=self._config.timeout, follow_redirects=True)

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
        http_client: httpx.Client | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        hooks: Hooks | None = None,
        tracing: bool | None = None,
        **settings: str | None,
    ) -> Self:
        """A copy with some options changed, sharing this client's connection pool.

        The API's client settings and server URLs (``<server>_base_url=...``) are accepted by
        name. ``retry`` is laid over this client's policy: fields it leaves ``None`` are kept.
        Passing ``http_client`` uses that pool instead; ``hooks`` replace this client's
        (``Hooks()``: none); ``tracing=False`` turns spans off.
        """
        from ._config import given_options

        given = given_options(
            settings,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            default_query=default_query,
            retry=retry,
            stream_read_timeout=stream_read_timeout,
        )
        copy = self._construct_copy(self._merged_config(given), http_client or self._http)
        copy._observe(hooks or self._hooks, self._tracing if tracing is None else tracing)
        return copy

    copy = with_options

    def close(self) -> None:
        """Close the connection pool (only when this client created it)."""
        if self._owns_http:
            self._http.close()

    def is_closed(self) -> bool:
        """Whether the underlying connection pool is closed."""
        return self._http.is_closed

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sending --------------------------------------------------------------------------

    def _sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _emit(self, hook: Callable[[Any], object] | None, event: object) -> None:
        if hook is not None:
            hook(event)

    def _send(
        self,
        call: CallArgs,
        *,
        stream: bool,
        accept: str,
        max_retries: int | None = None,
        watch: CallWatch | None = None,
    ) -> Sent:
        from ._request import Sent, prepare

        prepared = prepare(call, spec=self._spec, config=self._config, accept=accept)
        limit = prepared.max_retries if max_retries is None else max_retries
        owned = watch is None  # a stream's reconnect reports to the stream's watch
        watch = self._watch(call.operation, prepared) if watch is None else watch
        response: httpx.Response | None = None
        try:
            retries = 0
            while True:
                request = prepared.build(self._http, is_async=False)
                if watch is not None:
                    self._emit(watch.hooks.before_request, watch.requested(request))
                started = time.monotonic()
                response = None
                try:
                    response = self._http.send(request, stream=True)
                    if not stream or response.status_code >= 400:
                        response.read()
                except httpx.TransportError as exc:
                    if response is not None:
                        response.close()
                    elapsed = time.monotonic() - started
                    self._log_attempt(prepared, request, exc, elapsed, retries)
                    failure = self._connection_error(prepared, exc, request)
                    again = self._retries_error(prepared, exc, retries, limit)
                    if watch is not None:
                        answer = watch.answered(request, None, elapsed, again, failure)
                        self._emit(watch.hooks.after_response, answer)
                    if not again:
                        raise failure from exc
                    delay = self._retry_delay(retries, None, prepared.retry) or 0.0
                    self._log_retry(delay, retries, limit)
                    self._sleep(delay)
                    retries += 1
                    continue
                elapsed = time.monotonic() - started
                self._log_attempt(prepared, request, response, elapsed, retries)
                if response.status_code >= 400:
                    response.close()
                    retryable, wait = self._retry_wait(prepared, response, retries, limit)
                    if watch is not None:
                        answer = watch.answered(request, response, elapsed, wait is not None)
                        self._emit(watch.hooks.after_response, answer)
                    if wait is not None:
                        self._log_retry(wait, retries, limit)
                        self._sleep(wait)
                        retries += 1
                        continue
                    error = self._status_error(call.operation, prepared, response)
                    if retryable:  # not retried: the server asked for a longer wait than the cap
                        self._note_long_wait(error, prepared.retry)
                    raise error
                if watch is not None:
                    self._emit(watch.hooks.after_response, watch.answered(request, response, elapsed, False))
                    if owned and not stream:
                        watch.end()
                return Sent(response, retries, dt.timedelta(seconds=elapsed), limit, watch)
        except BaseException as exc:
            if response is not None:  # a hook failed on a streamed response: release it
                response.close()
            if owned and watch is not None:
                watch.end(exc)
            raise
        finally:
            prepared.close()

    # -- what generated resources call ----------------------------------------------------

    @overload
    def request(self, operation: Operation, *, cast_to: type[T], **kwargs: Unpack[CallKwargs]) -> T: ...
    @overload
    def request(self, operation: Operation, *, cast_to: object, **kwargs: Unpack[CallKwargs]) -> Any: ...
    def request(self, operation: Operation, *, cast_to: object, **kwargs: Unpack[CallKwargs]) -> Any:
        """Send one operation and return its body parsed as ``cast_to``."""
        load_pydantic()
        from ._raw import raw_mode_active
        from ._request import make_call
        from ._response import is_binary, parse_body

        call = make_call(operation, kwargs)
        binary = is_binary(cast_to)
        sent = self._send(call, stream=binary, accept="*/*" if binary else "application/json")

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
    ) -> SyncPage[T]: ...
    @overload
    def get_page(
        self,
        operation: Operation,
        *,
        item_type: object,
        page_spec: PageSpec,
        page_type: object = None,
        **kwargs: Unpack[CallKwargs],
    ) -> SyncPage[Any]: ...
    def get_page(
        self,
        operation: Operation,
        *,
        item_type: object,
        page_spec: PageSpec,
        page_type: object = None,
        **kwargs: Unpack[CallKwargs],
    ) -> SyncPage[Any]:
        """Fetch the first page of a list operation; iterate the result for every item."""
        load_pydantic()
        from ._raw import raw_mode_active
        from ._request import make_call

        call = make_call(operation, kwargs)
        sent, page = self._fetch_page(call, page_spec, item_type, page_type)
        if raw_mode_active():
            return cast("SyncPage[Any]", self._raw(sent, lambda: page))
        return page

    def _fetch_page(
        self,
        call: CallArgs,
        spec: PageSpec,
        item_type: object,
        page_type: object,
    ) -> tuple[Sent, SyncPage[Any]]:
        from ._pagination import SyncPage, next_page_call, read_page

        sent = self._send(call, stream=False, accept="application/json")
        data, parsed, items = read_page(sent.response, spec=spec, item_type=item_type, page_type=page_type)

        def fetch_next(next_call: CallArgs) -> SyncPage[Any]:
            return self._fetch_page(next_call, spec, item_type, page_type)[1]

        page = SyncPage[Any](
            items=items,
            response=parsed,
            http_response=sent.response,
            next_call=next_page_call(call, spec, data),
            fetch=fetch_next,
        )
        return sent, page

    @overload
    def stream(
        self,
        operation: Operation,
        *,
        event_type: type[T],
        stream_spec: StreamSpec | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **kwargs: Unpack[CallKwargs],
    ) -> Stream[T]: ...
    @overload
    def stream(
        self,
        operation: Operation,
        *,
        event_type: object,
        stream_spec: StreamSpec | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **kwargs: Unpack[CallKwargs],
    ) -> Stream[Any]: ...
    def stream(
        self,
        operation: Operation,
        *,
        event_type: object,
        stream_spec: StreamSpec | None = None,
        stream_read_timeout: float | NotGiven | None = NOT_GIVEN,
        **kwargs: Unpack[CallKwargs],
    ) -> Stream[Any]:
        """Open an SSE operation; iterate the result for typed events."""
        load_pydantic()
        from ._raw import raw_mode_active
        from ._request import make_call
        from ._stream_policy import check_event_stream, with_stream_read_timeout
        from ._streaming import EventProcessor, Stream
        from ._watch import ends_on_error

        read = stream_read_timeout
        if isinstance(read, NotGiven):
            read = self._config.stream_read_timeout
        call = with_stream_read_timeout(make_call(operation, kwargs), self._config.timeout, read)
        processor = EventProcessor[Any](event_type, stream_spec, self._logger)
        accept = "text/event-stream"
        sent = self._send(call, stream=True, accept=accept)
        with ends_on_error(sent.watch):
            check_event_stream(sent.response)

        def reconnect() -> httpx.Response:
            resent = self._send(
                processor.resumed(call), stream=True, accept=accept, max_retries=0, watch=sent.watch
            )
            return check_event_stream(resent.response)

        result = Stream[Any](
            response=sent.response,
            processor=processor,
            reconnect=reconnect,
            max_retries=sent.max_retries,
            delay=self._stream_delay,
            sleep=self._sleep,
            retryable=self._retryable_status,
            watch=sent.watch,
        )
        return self._raw(sent, lambda: result) if raw_mode_active() else result
