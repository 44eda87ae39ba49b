"""What watches one call: the client's hooks and the call's span, fed by the retry loop.

A client makes a :class:`CallWatch` for a call only when it has hooks or a tracer is found, so a call
with neither costs one check. The loop reports each attempt (:meth:`CallWatch.requested`) and its
answer (:meth:`CallWatch.answered`), and the call's end; a stream ends its call when it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from ._hooks import Hooks, RequestEvent, ResponseEvent
from ._tracing import CallSpan, find_tracer

if TYPE_CHECKING:
    import httpx

    from ._logging import Redaction
    from ._spec import ClientSpec, Operation

__all__ = ["NO_HOOKS", "CallWatch", "ends_on_error", "watch_call"]

T = TypeVar("T")
NO_HOOKS = Hooks()


class CallWatch:
    """The hooks and span of one call; counts its attempts from 1 (a stream's reconnects go on counting)."""

    def __init__(self, name: str, hooks: Hooks, span: CallSpan | None, redaction: Redaction) -> None:
        self.name = name
        self.hooks = hooks
        self.span = span
        self.redaction = redaction
        self.attempts = 0

    def requested(self, request: httpx.Request) -> RequestEvent:
        """Count the attempt about to send ``request``, open its span, and say so to the hooks."""
        self.attempts += 1
        if self.span is not None:
            self.span.attempt(request, self.attempts)
        return RequestEvent(
            operation=self.name, attempt=self.attempts, request=request, redaction=self.redaction
        )

    def answered(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        elapsed: float,
        will_retry: bool,
        error: Exception | None = None,
    ) -> ResponseEvent:
        """Close the attempt's span; the event for the hooks."""
        if self.span is not None:
            self.span.answered(response, error)
        return ResponseEvent(
            operation=self.name,
            attempt=self.attempts,
            request=request,
            response=response,
            elapsed=dt.timedelta(seconds=elapsed),
            will_retry=will_retry,
            error=error,
            redaction=self.redaction,
        )

    def end(self, error: BaseException | None = None) -> None:
        """The call is over (failed when ``error`` is given): end its span."""
        if self.span is not None:
            self.span.end(error)

    def follow(self, events: Generator[T, None, None]) -> Generator[T, None, None]:
        """``events``, ending the call when they end, fail or are closed."""
        try:
            yield from events
        except GeneratorExit:
            self.end()
            raise
        except BaseException as exc:
            self.end(exc)
            raise
        self.end()

    async def afollow(self, events: AsyncGenerator[T, None]) -> AsyncGenerator[T, None]:
        """``events``, ending the call when they end, fail or are closed."""
        try:
            async for event in events:
                yield event
        except GeneratorExit:
            self.end()
            raise
        except BaseException as exc:
            self.end(exc)
            raise
        finally:
            await events.aclose()
        self.end()


def watch_call(
    spec: ClientSpec,
    hooks: Hooks | None,
    tracing: bool,
    operation: Operation,
    method: str,
    redaction: Redaction,
) -> CallWatch | None:
    """A watch for one call sent with ``method``: its span when ``tracing`` and a tracer is found, the
    hooks; ``None`` when there is neither."""
    span = None
    if tracing:
        tracer = find_tracer(spec)
        if tracer is not None:
            span = CallSpan(tracer, operation, method, redaction.secrets)
    if span is None and hooks is None:
        return None
    return CallWatch(operation.name, hooks or NO_HOOKS, span, redaction)


@contextmanager
def ends_on_error(watch: CallWatch | None) -> Generator[None, None, None]:
    """End the call watched by ``watch`` as failed when the block raises (a stream that does not start)."""
    try:
        yield
    except BaseException as exc:
        if watch is not None:
            watch.end(exc)
        raise
