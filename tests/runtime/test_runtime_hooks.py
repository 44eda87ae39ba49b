"""Hooks against the real 127.0.0.1 server: every attempt seen, numbered, named, and printed redacted."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from generator.runtime import (
    APIConnectionError,
    Hooks,
    InternalServerError,
    Operation,
    RequestEvent,
    ResponseEvent,
)

from .runtime_client import API_KEY, ORG_ID, Acme, AsyncAcme

FLAKY = Operation(method="GET", path="/flaky/{key}", path_params=("key",), name="client.flaky.get")
REGION = "eu-SECRETREGION-7"


class Recorder:
    """Both hooks, keeping what they saw."""

    def __init__(self) -> None:
        self.events: list[RequestEvent | ResponseEvent] = []

    def before(self, event: RequestEvent) -> None:
        self.events.append(event)

    def after(self, event: ResponseEvent) -> None:
        self.events.append(event)

    @property
    def hooks(self) -> Hooks:
        return Hooks(before_request=self.before, after_response=self.after)

    def trail(self) -> list[tuple[str, int, object]]:
        """(kind, attempt, status or error class) per event, in order."""
        return [
            ("request", e.attempt, e.request.method)
            if isinstance(e, RequestEvent)
            else ("response", e.attempt, e.response.status_code if e.response else type(e.error).__name__)
            for e in self.events
        ]


@pytest.mark.parametrize("status", [429, 503])
def test_hooks_see_every_attempt_of_a_retried_call(base_url: str, key: str, status: int) -> None:
    seen = Recorder()
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=seen.hooks) as client:
        client.request(
            FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 2, "status": status}
        )
    assert seen.trail() == [
        ("request", 1, "GET"),
        ("response", 1, status),
        ("request", 2, "GET"),
        ("response", 2, status),
        ("request", 3, "GET"),
        ("response", 3, 200),
    ]
    responses = [e for e in seen.events if isinstance(e, ResponseEvent)]
    assert [e.will_retry for e in responses] == [True, True, False]
    assert {e.operation for e in seen.events} == {"client.flaky.get"}
    assert all(e.elapsed.total_seconds() > 0 for e in responses)
    assert responses[-1].response is not None and responses[-1].response.json()["attempts"] == 3


def test_the_last_failed_attempt_is_seen_before_the_error_is_raised(base_url: str, key: str) -> None:
    seen = Recorder()
    client = Acme(api_key=API_KEY, base_url=base_url, tenant="t", max_retries=1, hooks=seen.hooks)
    with pytest.raises(InternalServerError):
        client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 5})
    assert seen.trail()[-1] == ("response", 2, 503)
    assert [e.will_retry for e in seen.events if isinstance(e, ResponseEvent)] == [True, False]


def test_a_connection_error_reaches_after_response_without_a_response() -> None:
    seen = Recorder()
    client = Acme(api_key=API_KEY, base_url="http://127.0.0.1:9", tenant="t", max_retries=1, hooks=seen.hooks)
    with pytest.raises(APIConnectionError):
        client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": "k"})
    assert seen.trail() == [
        ("request", 1, "GET"),
        ("response", 1, "APIConnectionError"),
        ("request", 2, "GET"),
        ("response", 2, "APIConnectionError"),
    ]
    last = seen.events[-1]
    assert isinstance(last, ResponseEvent) and last.response is None and not last.will_retry
    assert "error='APIConnectionError: Connection error" in repr(last)


def test_events_print_with_the_secrets_redacted(base_url: str, key: str) -> None:
    seen = Recorder()
    with Acme(
        api_key=API_KEY,
        base_url=base_url,
        tenant="t",
        organization_id=ORG_ID,
        region=REGION,
        hooks=seen.hooks,
    ) as client:
        client.workflows.run("th_1", workflow_id="wf")
    request, response = seen.events
    assert isinstance(request, RequestEvent) and isinstance(response, ResponseEvent)
    assert request.operation == response.operation == "client.workflows.run"
    # the request itself is real: the secrets were sent
    assert request.request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.request.headers["x-organization-id"] == ORG_ID
    for text in (repr(request), str(request), repr(response), str(response), str(request.redacted_headers())):
        assert API_KEY not in text and ORG_ID not in text, text
    assert request.redacted_headers()["authorization"] == "***"
    assert request.redacted_headers()["x-organization-id"] == "***"
    assert "POST " in repr(request) and "/echo/workflows/run/th_1" in repr(request)


def test_query_secrets_are_redacted_in_the_url_an_event_prints(base_url: str, key: str) -> None:
    seen = Recorder()
    op = Operation(method="GET", path="/echo/q", settings=("region",), name="client.echo")
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", region=REGION, hooks=seen.hooks) as client:
        client.request(op, cast_to=dict[str, Any])
    request = seen.events[0]
    assert isinstance(request, RequestEvent) and request.request.url.params["region"] == REGION
    assert REGION not in repr(request) and "region=***" in repr(request)


def test_with_options_replaces_the_hooks_of_its_copy_only(base_url: str, key: str) -> None:
    first, second = Recorder(), Recorder()
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=first.hooks) as client:
        copy = client.with_options(hooks=second.hooks)
        same = client.with_options(max_retries=0)
        none = client.with_options(hooks=Hooks())
        copy.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 0})
        assert len(second.events) == 2 and not first.events
        same.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 0})
        assert len(first.events) == 2, "a copy keeps the hooks it was not given new ones for"
        none.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 0})
        assert len(first.events) == len(second.events) == 2
    assert client.hooks is not None and copy.hooks is not None and copy.hooks.after_response == second.after


def test_a_hook_that_raises_stops_the_call_without_a_retry(base_url: str, key: str) -> None:
    from .runtime_server import STATE

    refusals = [RuntimeError("not now")]

    def refuse(event: RequestEvent) -> None:
        if refusals:
            raise refusals.pop()

    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=Hooks(before_request=refuse)) as client:
        with pytest.raises(RuntimeError, match="not now"):
            client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 0})
        assert STATE.count(key) == 0
        client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 0})
    assert STATE.count(key) == 1


def test_the_sync_client_rejects_async_hooks(base_url: str) -> None:
    async def before(event: RequestEvent) -> None:
        return None

    class Later:
        async def __call__(self, event: ResponseEvent) -> None:
            return None

    with pytest.raises(TypeError, match="before_request"):
        Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=Hooks(before_request=before))
    client = Acme(api_key=API_KEY, base_url=base_url, tenant="t")
    with pytest.raises(TypeError, match="after_response"):
        client.with_options(hooks=Hooks(after_response=Later()))
    AsyncAcme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=Hooks(before_request=before))


@pytest.mark.anyio
async def test_the_async_client_awaits_async_hooks_and_calls_plain_ones(base_url: str, key: str) -> None:
    seen: list[tuple[str, int]] = []

    async def before(event: RequestEvent) -> None:
        await asyncio.sleep(0)
        seen.append(("before", event.attempt))

    def after(event: ResponseEvent) -> None:
        seen.append(("after", event.attempt))

    hooks = Hooks(before_request=before, after_response=after)
    async with AsyncAcme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=hooks) as client:
        await client.request(FLAKY, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": 1})
        assert seen == [("before", 1), ("after", 1), ("before", 2), ("after", 2)]
        later: list[str] = []

        async def note(event: ResponseEvent) -> None:
            later.append(event.operation)

        copy = client.with_options(hooks=Hooks(after_response=note))
        await copy.workflows.run("th", workflow_id="wf")
    assert later == ["client.workflows.run"]


def test_a_hook_may_change_the_request_it_is_shown(base_url: str, key: str) -> None:
    def stamp(event: RequestEvent) -> None:
        event.request.headers["X-Attempt"] = str(event.attempt)

    echo = Operation(method="GET", path="/echo/stamp", name="client.echo")
    with Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=Hooks(before_request=stamp)) as client:
        body = client.request(echo, cast_to=dict[str, Any])
    assert body["headers"]["x-attempt"] == "1"


def test_a_streamed_response_is_released_when_after_response_raises(base_url: str, key: str) -> None:
    opened: list[httpx.Response] = []

    def fail(event: ResponseEvent) -> None:
        assert event.response is not None
        opened.append(event.response)
        raise ValueError("no")

    op = Operation(method="GET", path="/sse/plain/{key}", path_params=("key",), name="client.events")
    hooks = Hooks(after_response=fail)
    with (
        Acme(api_key=API_KEY, base_url=base_url, tenant="t", hooks=hooks) as client,
        pytest.raises(ValueError),
    ):
        client.stream(op, event_type=dict[str, Any], path_params={"key": key})
    assert opened and opened[0].is_closed
