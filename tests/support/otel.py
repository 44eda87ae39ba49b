"""The OpenTelemetry SDK's in-memory exporter behind the process's one global tracer provider.

OpenTelemetry lets a process set its tracer provider once, so every test that reads spans shares this one;
each test clears the exporter first and reads only the spans it made.
"""

from __future__ import annotations

import json
from functools import cache

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@cache
def memory_exporter() -> InMemorySpanExporter:
    """The exporter every finished span goes to (the global provider is set on the first call)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    assert trace.get_tracer_provider() is provider, "another tracer provider was set first"
    return exporter


def dump(spans: tuple[ReadableSpan, ...] | list[ReadableSpan]) -> str:
    """Everything the spans would export (names, attributes, events, status, resource) as one text."""
    return "\n".join(json.dumps(json.loads(span.to_json())) for span in spans)
