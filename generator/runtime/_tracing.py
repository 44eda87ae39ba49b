"""OpenTelemetry spans of calls and their attempts, when ``opentelemetry-api`` is installed.

Nothing here is imported with the package or when a client is made: the first call looks for
``opentelemetry.trace`` (once; the answer is kept) and traces only when a real tracer provider is set
(the API's default proxy and no-op providers record nothing). Each call is a span named after the
operation (``client.workflows.run``) and each attempt a ``CLIENT`` child span with the HTTP semantic
conventions' attributes. A span never holds a secret, a body, a query value or the filled-in path:
the path template (``/workflows/{id}/run``) stands for the URL.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

    from ._spec import ClientSpec, Operation

__all__ = ["CallSpan", "find_tracer", "safe_message"]

# "trace": opentelemetry.trace (None when it is not installed); "idle": its providers that record nothing
_FOUND: dict[str, Any] = {}
_TRACERS: dict[str, tuple[object, Any]] = {}  # package -> (its provider, the tracer it gave)
_DEFAULT_PORTS = {"https": 443, "http": 80}


def _trace_api() -> Any:
    if "trace" not in _FOUND:
        trace: Any = None
        try:
            trace = import_module("opentelemetry.trace")
        except ImportError:
            pass
        else:
            _FOUND["idle"] = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
        _FOUND["trace"] = trace
    return _FOUND["trace"]


def find_tracer(spec: ClientSpec) -> Any:
    """The package's tracer, or ``None``: OpenTelemetry absent or no tracer provider set."""
    trace = _trace_api()
    if trace is None:
        return None
    provider = trace.get_tracer_provider()
    if isinstance(provider, _FOUND["idle"]):
        return None
    known = _TRACERS.get(spec.package)
    if known is None or known[0] is not provider:
        known = _TRACERS[spec.package] = (provider, provider.get_tracer(spec.package, spec.version))
    return known[1]


def safe_message(error: BaseException, secrets: tuple[str, ...]) -> str:
    """What a span may say of ``error``: a status error's code (its message quotes the body),
    else the message with the call's secrets redacted."""
    from ._exceptions import APIStatusError, redact_text

    if isinstance(error, APIStatusError):
        return f"HTTP {error.status_code}"
    return redact_text(f"{error}", secrets)


class CallSpan:
    """The span of one call and, one at a time, the span of its current attempt."""

    def __init__(self, tracer: Any, operation: Operation, method: str, secrets: tuple[str, ...]) -> None:
        self._trace = trace = _trace_api()
        self._tracer = tracer
        self._secrets = secrets
        self._name = f"{method} {operation.path}"
        self._attributes: dict[str, str | int] = {
            "http.request.method": method,
            "url.template": operation.path,
        }
        self._span: Any = tracer.start_span(
            operation.name or self._name, kind=trace.SpanKind.INTERNAL, attributes=self._attributes
        )
        self._context = trace.set_span_in_context(self._span)
        self._attempt: Any = None
        self._ended = False

    def attempt(self, request: httpx.Request, number: int) -> None:
        """Open the span of attempt ``number`` (1 for the first) sending ``request``."""
        url = request.url
        attributes = {**self._attributes, "server.address": url.host}
        port = url.port or _DEFAULT_PORTS.get(url.scheme)
        if port is not None:
            attributes["server.port"] = port
        if number > 1:
            attributes["http.request.resend_count"] = number - 1
        self._attempt = self._tracer.start_span(
            self._name, context=self._context, kind=self._trace.SpanKind.CLIENT, attributes=attributes
        )

    def answered(self, response: httpx.Response | None, error: Exception | None) -> None:
        """Close the current attempt's span with its status code, or the error that ended it."""
        span = self._attempt
        if span is None:
            return
        self._attempt = None
        if response is not None:
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_attribute("error.type", str(response.status_code))
                span.set_status(
                    self._trace.Status(self._trace.StatusCode.ERROR, f"HTTP {response.status_code}")
                )
        elif error is not None:
            self._fail(span, error)
        span.end()

    def end(self, error: BaseException | None = None) -> None:
        """End the call's span (once), as failed when ``error`` is given."""
        if self._ended:
            return
        self._ended = True
        attempt, self._attempt = self._attempt, None
        if attempt is not None:  # what ended the call came between an attempt and its answer
            if error is not None:
                self._fail(attempt, error)
            attempt.end()
        if error is not None:
            self._fail(self._span, error)
        self._span.end()

    def _fail(self, span: Any, error: BaseException) -> None:
        from ._exceptions import APIStatusError

        kind = type(error)
        status = str(error.status_code) if isinstance(error, APIStatusError) else None
        message = safe_message(error, self._secrets)
        span.set_attribute("error.type", status or f"{kind.__module__}.{kind.__qualname__}")
        span.add_event(
            "exception",
            {"exception.type": f"{kind.__module__}.{kind.__qualname__}", "exception.message": message},
        )
        span.set_status(self._trace.Status(self._trace.StatusCode.ERROR, message))
