"""OpenTelemetry spans against the real 127.0.0.1 server, read back with the SDK's in-memory exporter."""

from __future__ import annotations

import string
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from generator.runtime import APIConnectionError, Hooks, NotFoundError, Operation
from tests.support.otel import dump, memory_exporter

from .runtime_client import API_KEY, ORG_ID, Acme, AsyncAcme

FLAKY = Operation(method="GET", path="/flaky/{key}", path_params=("key",), name="client.flaky.get")
ERRORS = Operation(
    method="GET", path="/errors/{key}/{status}", path_params=("key", "status"), name="client.fail"
)
STREAM = Operation(method="GET", path="/sse/plain/{key}", path_params=("key",), name="client.events.watch")


@pytest.fixture
def spans() -> InMemorySpanExporter:
    exporter = memory_exporter()
    exporter.clear()
    return exporter


def finished(exporter: InMemorySpanExporter) -> tuple[ReadableSpan, list[ReadableSpan]]:
    """The one call span and its attempt spans, in order."""
    spans = exporter.get_finished_spans()
    calls = [s for s in spans if s.parent is None]
    assert len(calls) == 1, [s.name for s in spans]
    call = calls[0]
    attempts = [s for s in spans if s.parent is not None]
    assert call.context is not None
    assert all(s.parent is not None and s.parent.span_id == call.context.span_id for s in attempts)
    assert all(s.context is not None and s.context.trace_id == call.context.trace_id for s in attempts)
    return call, sorted(attempts, key=lambda s: s.start_time or 0)


def test_a_retried_call_is_one_span_with_a_client_span_per_attempt(
    spans: InMemorySpanExporter, base_url: str, key: str, server: Any
) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t") as client:
        client.request(
            FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 2, "status": 429}
        )
    call, attempts = finished(spans)
    assert call.name == "client.flaky.get" and call.kind is SpanKind.INTERNAL
    assert call.status.status_code is StatusCode.UNSET
    assert [a.name for a in attempts] == ["GET /flaky/{key}"] * 3
    assert all(a.kind is SpanKind.CLIENT for a in attempts)
    first = dict(attempts[0].attributes or {})
    assert first == {
        "http.request.method": "GET",
        "url.template": "/flaky/{key}",
        "server.address": "127.0.0.1",
        "server.port": server.port,
        "http.response.status_code": 429,
        "error.type": "429",
    }
    assert [(a.attributes or {}).get("http.request.resend_count") for a in attempts] == [None, 1, 2]
    assert [(a.attributes or {}).get("http.response.status_code") for a in attempts] == [429, 429, 200]
    assert [a.status.status_code for a in attempts] == [StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET]
    assert key not in dump(spans.get_finished_spans()), "the filled-in path is never recorded"


def test_a_4xx_is_recorded_as_an_error_without_its_body(
    spans: InMemorySpanExporter, base_url: str, key: str
) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t") as client, pytest.raises(NotFoundError):
        client.request(ERRORS, cast_to=dict[str, Any], path_params={"key": key, "status": 404})
    call, (attempt,) = finished(spans)
    for span in (call, attempt):
        assert span.status.status_code is StatusCode.ERROR
        assert (span.attributes or {})["error.type"] == "404"
    (event,) = call.events
    assert event.name == "exception"
    assert (event.attributes or {})["exception.type"].endswith("NotFoundError")
    assert (event.attributes or {})["exception.message"] == "HTTP 404"
    assert "Invalid thing" not in dump([call, attempt]) and "detail" not in dump([call, attempt])


def test_a_connection_error_is_recorded_on_each_attempt_and_the_call(spans: InMemorySpanExporter) -> None:
    client = Acme(api_key=API_KEY, base_url="http://127.0.0.1:9", tenant="t", max_retries=1)
    with pytest.raises(APIConnectionError):
        client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": "k"})
    call, attempts = finished(spans)
    assert len(attempts) == 2
    for span in (call, *attempts):
        assert span.status.status_code is StatusCode.ERROR
        assert (span.attributes or {})["error.type"].endswith("APIConnectionError")
        assert [e.name for e in span.events] == ["exception"]
        assert "http.response.status_code" not in (span.attributes or {})
    assert (attempts[1].attributes or {})["http.request.resend_count"] == 1


def test_a_stream_is_one_call_span_until_it_is_consumed(
    spans: InMemorySpanExporter, base_url: str, key: str
) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t") as client:
        stream = client.stream(STREAM, event_type=dict[str, Any], path_params={"key": key})
        names = [s.name for s in spans.get_finished_spans()]
        assert names == ["GET /sse/plain/{key}"], "the attempt is over, the call is not"
        events = list(stream)
    assert events
    call, (attempt,) = finished(spans)
    assert call.name == "client.events.watch" and call.status.status_code is StatusCode.UNSET
    assert (call.end_time or 0) >= (attempt.end_time or 0)


def test_a_stream_closed_early_ends_its_span(spans: InMemorySpanExporter, base_url: str, key: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t") as client:
        with client.stream(STREAM, event_type=dict[str, Any], path_params={"key": key}) as stream:
            next(stream)
            assert len(spans.get_finished_spans()) == 1
        finished(spans)
        spans.clear()
        client.stream(STREAM, event_type=dict[str, Any], path_params={"key": key}).close()  # never read
        call, _ = finished(spans)
        assert call.name == "client.events.watch"


@pytest.mark.anyio
async def test_async_calls_and_streams_are_spans_too(
    spans: InMemorySpanExporter, base_url: str, key: str
) -> None:
    async with AsyncAcme(api_key=API_KEY, base_url=base_url, tenant="t") as client:
        await client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 1})
        call, attempts = finished(spans)
        assert call.name == "client.flaky.get" and len(attempts) == 2
        spans.clear()
        stream = await client.stream(STREAM, event_type=dict[str, Any], path_params={"key": key})
        assert all(s.parent is not None for s in spans.get_finished_spans())
        async with stream:
            async for _ in stream:
                break
        call, _ = finished(spans)
        assert call.name == "client.events.watch"


def test_each_page_is_a_call_of_its_own(spans: InMemorySpanExporter, base_url: str, key: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t") as client:
        items = list(client.workflows.list(key, page_size=2))
    assert items
    calls = [s for s in spans.get_finished_spans() if s.parent is None]
    assert len(calls) > 1 and {s.name for s in calls} == {"client.workflows.list"}


def test_tracing_false_records_nothing(spans: InMemorySpanExporter, base_url: str, key: str) -> None:
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", tracing=False) as client:
        client.workflows.run("th", workflow_id="wf")
        assert not client.tracing
        client.with_options(max_retries=1).workflows.run("th", workflow_id="wf")
        assert not spans.get_finished_spans()
        client.with_options(tracing=True).workflows.run("th", workflow_id="wf")
        assert [s.name for s in spans.get_finished_spans() if s.parent is None] == ["client.workflows.run"]
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t") as traced:
        spans.clear()
        traced.with_options(tracing=False).workflows.run("th", workflow_id="wf")
    assert not spans.get_finished_spans()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # characters JSON does not escape, so a leaked secret shows in the dump as it is
    secret=st.text(
        st.sampled_from(string.ascii_letters + string.digits + "-_.~+/="), min_size=8, max_size=40
    ),
    status=st.sampled_from([200, 400, 401, 503]),
)
def test_no_secret_reaches_a_span(
    spans: InMemorySpanExporter, base_url: str, secret: str, status: int
) -> None:
    secret = "sk_SECRET_" + secret  # never a piece of what a span says of itself (`url.temp...`)
    spans.clear()
    op = Operation(
        method="POST", path="/errors/{key}/{status}", path_params=("key", "status"), settings=("region",)
    )
    with Acme(
        api_key=secret, base_url=base_url, tenant="t", organization_id=ORG_ID, region=secret, max_retries=1
    ) as client:
        try:
            client.request(
                op, cast_to=dict[str, Any], path_params={"key": "k", "status": status}, json={"token": secret}
            )
        except Exception as exc:
            assert status >= 400, exc
    text = dump(spans.get_finished_spans())
    assert spans.get_finished_spans()
    assert secret not in text and ORG_ID not in text


def test_nothing_of_opentelemetry_is_imported_with_the_runtime_or_a_client() -> None:
    program = textwrap.dedent(
        """
        import sys
        from tests.runtime.runtime_client import Acme
        client = Acme(api_key="k", tenant="t")
        copy = client.with_options(max_retries=0)
        print(sorted(m for m in sys.modules if m.startswith("opentelemetry")))
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_without_a_tracer_provider_a_call_records_nothing(base_url: str) -> None:
    program = textwrap.dedent(
        f"""
        from typing import Any
        from generator.runtime import Operation
        from generator.runtime._tracing import find_tracer
        from tests.runtime.runtime_client import SPEC, Acme
        with Acme(api_key="k", tenant="t", base_url={base_url!r}) as client:
            client.request(Operation(method="GET", path="/echo/x"), cast_to=dict[str, Any])
        assert find_tracer(SPEC) is None
        print("ok")
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_without_opentelemetry_installed_calls_work_untraced(base_url: str) -> None:
    program = textwrap.dedent(
        f"""
        import sys
        sys.modules["opentelemetry"] = None  # as if it were not installed: importing it raises ImportError
        from typing import Any
        from generator.runtime import Operation
        from tests.runtime.runtime_client import Acme
        op = Operation(method="GET", path="/echo/x", name="client.x")
        with Acme(api_key="k", tenant="t", base_url={base_url!r}) as client:
            client.request(op, cast_to=dict[str, Any])  # the first call looks for opentelemetry
            body = client.request(op, cast_to=dict[str, Any])  # the next ones know it is absent
        print(body["method"])
        """
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)
    assert result.stdout.strip() == "GET", result.stderr


def test_a_resumed_stream_keeps_one_call_span_and_counts_its_reconnects(
    spans: InMemorySpanExporter, base_url: str, key: str
) -> None:
    from .test_runtime_streaming import HEADER_RESUME, RunEvent

    seen: list[int] = []
    op = Operation(
        method="GET", path="/sse/resume-header/{key}", path_params=("key",), name="client.runs.watch"
    )
    hooks = Hooks(before_request=lambda event: seen.append(event.attempt))
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=hooks) as client:
        stream = client.stream(
            op,
            event_type=RunEvent,
            stream_spec=HEADER_RESUME,
            path_params={"key": key},
            query={"drop": "abort"},
        )
        assert list(stream)
    call, attempts = finished(spans)
    assert call.name == "client.runs.watch" and call.status.status_code is StatusCode.UNSET
    assert seen == [1, 2, 3], "the first request and two reconnects"
    assert [(a.attributes or {}).get("http.request.resend_count") for a in attempts] == [None, 1, 2]
