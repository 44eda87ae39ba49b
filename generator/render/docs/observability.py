"""The README's Observability section: hooks around each attempt, and OpenTelemetry spans.

Its examples call the quick start's operation, so the docs tests run them against a local server as they
run the quick start.
"""

from __future__ import annotations

from dataclasses import dataclass

from .base import DocsBase
from .text import Imports
from .values import Located

_OTEL: Imports = {
    ("opentelemetry", "trace"),
    ("opentelemetry.sdk.trace", "TracerProvider"),
    ("opentelemetry.sdk.trace.export", "SimpleSpanProcessor"),
    ("opentelemetry.sdk.trace.export.in_memory_span_exporter", "InMemorySpanExporter"),
}


@dataclass(frozen=True)
class Observability:
    """The section's three examples (sync hooks, async hooks, spans) and the span names they show."""

    hooks: str
    async_hooks: str
    tracing: str
    call_span: str
    attempt_span: str


def observability(docs: DocsBase, loc: Located, ctor: tuple[str, ...], imports: Imports) -> Observability:
    """The section's examples, calling `loc` (the quick start's operation) on a client made with `ctor`."""
    package = docs.pkg.import_name
    names = {(package, "Hooks"), (package, "RequestEvent"), (package, "ResponseEvent")}
    hooks = [
        "",  # after the client and the blank line the program puts there: two blank lines
        "def before(event: RequestEvent) -> None:",
        "    print(event)  # credentials and secret settings print as ***",
        "",
        "",
        "def after(event: ResponseEvent) -> None:",
        "    outcome = event.response.status_code if event.response is not None else event.error",
        '    print(event.operation, "attempt", event.attempt, outcome, event.elapsed, event.will_retry)',
        "",
        "",
        "watched = client.with_options(hooks=Hooks(before_request=before, after_response=after))",
        *docs.usage(loc, is_async=False, client="watched"),
    ]
    async_hooks = [
        "async def after(event: ResponseEvent) -> None:  # an async hook is awaited",
        "    print(event)",
        "",
        "watched = client.with_options(hooks=Hooks(after_response=after))",
        *docs.usage(loc, is_async=True, client="watched"),
    ]
    tracing = [
        "exporter = InMemorySpanExporter()  # in production: an OTLP exporter to your collector",
        "provider = TracerProvider()",
        "provider.add_span_processor(SimpleSpanProcessor(exporter))",
        "trace.set_tracer_provider(provider)",
        "",
        *docs.usage(loc, is_async=False),
        "for span in exporter.get_finished_spans():",
        "    print(span.name, dict(span.attributes or {}))",
        "",
        "quiet = client.with_options(tracing=False)  # a copy whose calls are not traced",
    ]
    uses = loc.imports | imports
    return Observability(
        hooks=docs.program(hooks, uses | names, is_async=False, ctor=ctor),
        async_hooks=docs.program(
            async_hooks, uses | names - {(package, "RequestEvent")}, is_async=True, ctor=ctor
        ),
        tracing=docs.program(tracing, uses | _OTEL, is_async=False, ctor=ctor),
        call_span=f"client.{loc.attribute}",
        attempt_span=f"{loc.op.method} {loc.op.path}",
    )
