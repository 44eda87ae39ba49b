"""Typed SSE streams that skip heartbeats, stop at terminal events and resume after drops."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import httpx
import pydantic
import pydantic_core

from ._exceptions import APIConnectionError, APIError, APIResponseValidationError, APITimeoutError
from ._models import python_validator
from ._retry import is_retryable_status
from ._spec import StreamSpec
from ._sse import EventFields, SSEDecoder
from ._stream_policy import ReconnectDelay, Reconnects
from ._utils import lookup

if TYPE_CHECKING:
    from ._request import CallArgs
    from ._watch import CallWatch

__all__ = ["AsyncStream", "EventProcessor", "Stream"]

T = TypeVar("T")
JSONValue: TypeAlias = "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None"
_SEEN_IDS_LIMIT = 10_000
_DEFAULT_SPEC = StreamSpec(event_type="data")
# the position header of the SSE standard: replaced on a reconnect whatever the spec resumes by
_SSE_POSITION_HEADER = "last-event-id"


class _Skip:
    """Returned by :meth:`EventProcessor.handle` for events the consumer never sees."""


SKIP = _Skip()


class EventProcessor(Generic[T]):
    """Turns SSE events into typed values and remembers where to resume from."""

    def __init__(self, event_type: object, spec: StreamSpec | None, logger: logging.Logger) -> None:
        self._type = event_type
        self.spec = spec = spec or _DEFAULT_SPEC
        self._logger = logger
        self.finished = False
        self.last_id: str | None = None
        self.last_value: object = None
        self.retry_ms: int | None = None
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._validate: Callable[[object], T] | None = None
        mode = spec.event_type
        self._name_path = mode[len("data.") :] if mode.startswith("data.") else None
        resume = spec.resume
        self._resume_field = resume.field if resume is not None else None
        self._can_resume = resume is not None and bool(resume.header or resume.query)

    @property
    def can_resume(self) -> bool:
        """Whether a dropped connection may be reopened."""
        return self._can_resume

    def resume_headers(self) -> dict[str, str]:
        """Headers of a resuming request."""
        resume = self.spec.resume
        if resume is None or not resume.header or not self.last_id:
            return {}
        return {resume.header: self.last_id}

    def resume_query(self) -> dict[str, object]:
        """Query parameters of a resuming request."""
        resume = self.spec.resume
        if resume is None or not resume.query:
            return {}
        value = self.last_value if resume.field else self.last_id
        return {} if value is None else {resume.query: value}

    def resumed(self, call: CallArgs) -> CallArgs:
        """``call`` reopened from the last event seen, carrying that one position only.

        The caller's own positions (the resume header or query parameter, and the SSE
        ``Last-Event-ID`` header, in the arguments or in ``extra_headers``/``extra_query``) are
        replaced; before any event was seen the call is resent as it was.
        """
        headers, query = self.resume_headers(), self.resume_query()
        if not headers and not query:
            return call
        drop_headers = {_SSE_POSITION_HEADER, *(name.lower() for name in headers)}
        options = call.options
        return call.replace(
            headers={**_without(call.headers, drop_headers, fold=True), **headers},
            query={**_without(call.query, set(query), fold=False), **query},
            options=dataclasses.replace(
                options,
                extra_headers=_without(options.extra_headers or {}, drop_headers, fold=True) or None,
                extra_query=_without(options.extra_query or {}, set(query), fold=False) or None,
            ),
        )

    def _is_duplicate(self, event_id: str | None, payload: object) -> bool:
        if event_id is not None and event_id in self._seen:
            return True
        if not self._resume_field:
            return False
        return is_replayed(lookup(payload, self._resume_field), self.last_value)

    def handle(self, sse: EventFields) -> T | _Skip:
        """The typed value of ``sse``, or ``SKIP`` (heartbeat, ``[DONE]``, replayed, unknown)."""
        event, data, event_id, _, retry = sse
        spec = self.spec
        if retry is not None:
            self.retry_ms = retry
        if data == spec.done_sentinel:
            return SKIP
        payload = _parse_json(data)
        document: object = payload
        name: str | None = None
        path = self._name_path
        if path is not None:
            # one key of a JSON object, the usual case, is read without the general walk
            found = payload.get(path) if type(payload) is dict and "." not in path else lookup(payload, path)
            name = None if found is None else str(found)
        elif spec.event_type == "event":
            name, document = event, {"event": event, "data": payload}
        if name in spec.heartbeat:
            if event_id is not None:
                self.last_id = event_id  # every event with an id moves the resume point, heartbeats too
            return SKIP
        if self._can_resume and self._is_duplicate(event_id, payload):
            return SKIP
        if self._validate is None:
            self._validate = python_validator(self._type)
        value: T | _Skip
        try:
            value = self._validate(document)
        except pydantic.ValidationError as exc:
            if not any(e["type"] == "union_tag_invalid" for e in exc.errors()):
                raise
            # an event type the schema does not know: skip it, but honour the spec's names
            self._logger.debug("skipping event of unknown type %r", name)
            value = SKIP
        if event_id is not None or self._resume_field:
            self._remember(event_id, payload)
        self.finished = name in spec.terminal
        return value

    def _remember(self, event_id: str | None, payload: object) -> None:
        if event_id is not None:
            self.last_id = event_id
            self._seen[event_id] = None
            if len(self._seen) > _SEEN_IDS_LIMIT:
                self._seen.popitem(last=False)
        if self._resume_field:
            value = lookup(payload, self._resume_field)
            if value is not None:
                self.last_value = value


V = TypeVar("V")


def _without(values: Mapping[str, V], names: set[str], *, fold: bool) -> dict[str, V]:
    """``values`` less the keys in ``names`` (compared lower-cased when ``fold``: header names)."""
    return {k: v for k, v in values.items() if (k.lower() if fold else k) not in names}


def _parse_json(text: str) -> JSONValue:
    """``text`` parsed as JSON, or ``text`` itself when it is not JSON.

    pydantic-core's parser is the fast one; the standard library's decides what it refuses
    (lone surrogates, very deep nesting), so every event ``json.loads`` reads is read alike.
    """
    parsed: JSONValue
    try:
        parsed = pydantic_core.from_json(text)
    except ValueError:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
    return parsed


def is_replayed(value: object, last: object) -> bool:
    """Whether an event whose resume field is ``value`` repeats one up to ``last``: a number not past it."""
    number, last_number = _number(value), _number(last)
    return number is not None and last_number is not None and number <= last_number


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


_DROPS = (httpx.TransportError,)


class Stream(Generic[T]):
    """An iterator of typed events; use it as a context manager to release the connection."""

    def __init__(
        self,
        *,
        response: httpx.Response,
        processor: EventProcessor[T],
        reconnect: Callable[[], httpx.Response],
        max_retries: int,
        delay: ReconnectDelay,
        sleep: Callable[[float], None],
        retryable: Callable[[int], bool] = is_retryable_status,
        watch: CallWatch | None = None,
    ) -> None:
        self.response = response
        self._processor = processor
        self._reconnect = reconnect
        self._max_retries = max_retries
        self._delay = delay
        self._retryable = retryable
        self._sleep = sleep
        self._watch = watch  # the call's span ends when the events end, fail or are closed
        self._iterator = self._events() if watch is None else watch.follow(self._events())

    def __iter__(self) -> Iterator[T]:
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def _events(self) -> Generator[T, None, None]:
        processor = self._processor
        attempts = Reconnects(self._max_retries, self._delay, self._retryable)
        while True:
            dropped: Exception | None = None
            decoder = SSEDecoder()
            progressed = False
            try:
                for chunk in self.response.iter_bytes():
                    for sse in decoder.decode(chunk):
                        value = processor.handle(sse)
                        if not isinstance(value, _Skip):
                            progressed = True
                            yield value
                        if processor.finished:
                            return
            except _DROPS as exc:
                dropped = exc
            except pydantic.ValidationError as exc:
                raise APIResponseValidationError(
                    f"Stream event does not match the documented type: {exc.error_count()} error(s)",
                    response=self.response,
                ) from exc
            finally:
                self.response.close()
            if not _should_resume(processor, dropped):
                return
            if progressed:
                attempts.failures = 0
            attempts.dropped(dropped)
            while True:
                self._sleep(attempts.next_wait(processor.retry_ms))
                try:
                    self.response = self._reconnect()
                    break
                except APIError as exc:
                    attempts.failed(exc)

    def close(self) -> None:
        """Stop the stream and release the connection."""
        self._iterator.close()
        self.response.close()
        if self._watch is not None:  # closed before the first event: the events never started
            self._watch.end()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _should_resume(processor: EventProcessor[Any], dropped: Exception | None) -> bool:
    """After the body ended: resume, end quietly, or (raised by the caller) fail."""
    if processor.finished:
        return False
    if not processor.can_resume:
        if isinstance(dropped, httpx.TimeoutException):
            raise APITimeoutError("Stream timed out waiting for the next event.") from dropped
        if dropped is not None:
            raise APIConnectionError(f"Stream dropped: {type(dropped).__name__}.") from dropped
        return False
    # a clean close ends a stream that has no terminal events
    return dropped is not None or bool(processor.spec.terminal)


class AsyncStream(Generic[T]):
    """The async twin of :class:`Stream`: ``async for`` / ``async with``."""

    def __init__(
        self,
        *,
        response: httpx.Response,
        processor: EventProcessor[T],
        reconnect: Callable[[], Awaitable[httpx.Response]],
        max_retries: int,
        delay: ReconnectDelay,
        sleep: Callable[[float], Awaitable[None]],
        retryable: Callable[[int], bool] = is_retryable_status,
        watch: CallWatch | None = None,
    ) -> None:
        self.response = response
        self._processor = processor
        self._reconnect = reconnect
        self._max_retries = max_retries
        self._delay = delay
        self._retryable = retryable
        self._sleep = sleep
        self._watch = watch  # the call's span ends when the events end, fail or are closed
        self._iterator = self._events() if watch is None else watch.afollow(self._events())

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await anext(self._iterator)

    async def _events(self) -> AsyncGenerator[T, None]:
        processor = self._processor
        attempts = Reconnects(self._max_retries, self._delay, self._retryable)
        while True:
            dropped: Exception | None = None
            decoder = SSEDecoder()
            progressed = False
            try:
                async for chunk in self.response.aiter_bytes():
                    for sse in decoder.decode(chunk):
                        value = processor.handle(sse)
                        if not isinstance(value, _Skip):
                            progressed = True
                            yield value
                        if processor.finished:
                            return
            except _DROPS as exc:
                dropped = exc
            except pydantic.ValidationError as exc:
                raise APIResponseValidationError(
                    f"Stream event does not match the documented type: {exc.error_count()} error(s)",
                    response=self.response,
                ) from exc
            finally:
                await self.response.aclose()
            if not _should_resume(processor, dropped):
                return
            if progressed:
                attempts.failures = 0
            attempts.dropped(dropped)
            while True:
                await self._sleep(attempts.next_wait(processor.retry_ms))
                try:
                    self.response = await self._reconnect()
                    break
                except APIError as exc:
                    attempts.failed(exc)

    async def aclose(self) -> None:
        """Stop the stream and release the connection."""
        await self._iterator.aclose()
        await self.response.aclose()
        if self._watch is not None:  # closed before the first event: the events never started
            self._watch.end()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
