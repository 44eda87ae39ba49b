"""A ModuleX user's application code, tested with nothing but `modulex_typed.testing`, sync and async."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import ROOT

SRC = ROOT / "generated" / "modulex" / "src"
sys.path.insert(0, str(SRC))

from modulex_typed import APIConnectionError, AsyncModuleX, ModuleX, PaymentRequiredError  # noqa: E402
from modulex_typed.models.workflow_list import Workflow  # noqa: E402
from modulex_typed.models.workflow_run_event import (  # noqa: E402
    WorkflowDoneEvent,
    WorkflowHeartbeatEvent,
    WorkflowNodeStartedEvent,
    WorkflowRunEvent,
)
from modulex_typed.testing import MockAPIError, MockModuleX, fake  # noqa: E402


def workflow_names(client: ModuleX) -> list[str]:
    """Application code: every workflow's name, across pages."""
    return [workflow.name for workflow in client.workflows.list(page_size=2)]


async def async_workflow_names(client: AsyncModuleX) -> list[str]:
    return [workflow.name async for workflow in client.workflows.list(page_size=2)]


def start(client: ModuleX, workflow_id: str) -> str:
    """Application code: start a run; 'no credit' when the account must pay first."""
    try:
        return client.workflows.run(workflow_id=workflow_id, input={"q": 1}).status or ""
    except PaymentRequiredError:
        return "no credit"


async def async_start(client: AsyncModuleX, workflow_id: str) -> str:
    try:
        return (await client.workflows.run(workflow_id=workflow_id)).status or ""
    except PaymentRequiredError:
        return "no credit"


def run_and_follow(client: ModuleX, workflow_id: str) -> tuple[list[str], int | None]:
    """Application code: start a run, then follow its stream: the nodes it ran, and the steps the
    finished run reports (``None`` when the stream broke off: ModuleX streams cannot be resumed)."""
    run_id = client.workflows.run(workflow_id=workflow_id).run_id or ""
    nodes: list[str] = []
    try:
        for event in client.workflows.listen(run_id=run_id):
            if isinstance(event, WorkflowNodeStartedEvent):
                nodes.append(event.node or "")
            elif isinstance(event, WorkflowDoneEvent):
                return nodes, event.data.steps_executed if event.data else None
    except APIConnectionError:
        pass
    return nodes, None


async def async_run_and_follow(client: AsyncModuleX, workflow_id: str) -> tuple[list[str], int | None]:
    run_id = (await client.workflows.run(workflow_id=workflow_id)).run_id or ""
    nodes: list[str] = []
    try:
        async for event in await client.workflows.listen(run_id=run_id):
            if isinstance(event, WorkflowNodeStartedEvent):
                nodes.append(event.node or "")
            elif isinstance(event, WorkflowDoneEvent):
                return nodes, event.data.steps_executed if event.data else None
    except APIConnectionError:
        pass
    return nodes, None


def _run_events() -> list[WorkflowRunEvent]:
    return [
        fake(WorkflowNodeStartedEvent, node="fetch"),
        fake(WorkflowHeartbeatEvent),
        fake(WorkflowNodeStartedEvent, node="summarize"),
        fake(WorkflowDoneEvent, data={"steps_executed": 2}),
        fake(WorkflowNodeStartedEvent, node="after the end"),
    ]


def _pages() -> tuple[list[Workflow], list[Workflow]]:
    return [fake(Workflow, name="a"), fake(Workflow, name="b")], [fake(Workflow, name="c")]


def test_pagination_follows_every_page() -> None:
    with MockModuleX() as api:
        api.workflows.list.respond_pages(*_pages())
        assert workflow_names(api.client()) == ["a", "b", "c"]
        assert [call.params.get("page") for call in api.workflows.list.calls] == [None, "2"]


def test_async_pagination_follows_every_page() -> None:
    with MockModuleX() as api:
        api.workflows.list.respond_pages(*_pages())
        assert asyncio.run(async_workflow_names(api.async_client())) == ["a", "b", "c"]


def test_402_and_429_then_200() -> None:
    with MockModuleX() as api:
        api.workflows.run.respond_error(402, code="credit_exhausted", layer="credit")
        assert start(api.client(), "w1") == "no credit"
    with MockModuleX() as api:
        api.workflows.run.respond_error(429, retry_after=3)
        api.workflows.run.respond(status="running")
        assert start(api.client(), "w1") == "running"
        assert len(api.workflows.run.calls) == 2
        assert api.sleeps == [3.0]
        assert api.workflows.run.calls[0].json == {"workflow_id": "w1", "input": {"q": 1}}


def test_async_402() -> None:
    with MockModuleX() as api:
        api.workflows.run.respond_error(402, code="credit_exhausted", layer="credit")
        assert asyncio.run(async_start(api.async_client(), "w1")) == "no credit"


def test_a_run_is_started_and_its_stream_followed_to_the_terminal_event() -> None:
    with MockModuleX() as api:
        api.workflows.run.respond(status="running", run_id="run-7")
        api.workflows.listen.respond_events(*_run_events())
        assert run_and_follow(api.client(), "w1") == (["fetch", "summarize"], 2)
        assert [call.path_params for call in api.workflows.listen.calls] == [{"run_id": "run-7"}]


def test_async_run_stream_followed_to_the_terminal_event() -> None:
    with MockModuleX() as api:
        api.workflows.run.respond(status="running", run_id="run-7")
        api.workflows.listen.respond_events(*_run_events())
        assert asyncio.run(async_run_and_follow(api.async_client(), "w1")) == (["fetch", "summarize"], 2)


def test_a_dropped_run_stream_is_not_resumed_and_the_caller_keeps_what_came() -> None:
    with MockModuleX() as api:
        api.workflows.run.respond(run_id="run-7")
        api.workflows.listen.respond_events(*_run_events(), drop_after=2)
        assert run_and_follow(api.client(), "w1") == (["fetch"], None)
        assert len(api.workflows.listen.calls) == 1  # the document declares no way to resume


def test_async_dropped_run_stream() -> None:
    with MockModuleX() as api:
        api.workflows.run.respond(run_id="run-7")
        api.workflows.listen.respond_events(*_run_events(), drop_after=3)
        assert asyncio.run(async_run_and_follow(api.async_client(), "w1")) == (["fetch", "summarize"], None)
        assert len(api.workflows.listen.calls) == 1


def test_async_429_then_200() -> None:
    async def run(client: AsyncModuleX) -> str | None:
        return (await client.workflows.run(workflow_id="w1")).status

    with MockModuleX() as api:
        api.workflows.run.respond_error(429, retry_after=1)
        api.workflows.run.respond(status="queued")
        assert asyncio.run(run(api.async_client())) == "queued"
        assert api.sleeps == [1.0]


def test_kit_messages_name_the_operation_and_field() -> None:
    with MockModuleX() as api:
        client = api.client()
        missing = r"workflows\.get \(GET /workflows/\{workflow_id\}\) was called but no response"
        with pytest.raises(MockAPIError, match=missing):
            client.workflows.get(workflow_id="x")
        api.workflows.run.respond()
        bad: Any = 123
        with pytest.raises(MockAPIError, match=r"workflows\.run .*field 'workflow_id'"):
            client.workflows.run(workflow_id=bad)
        with pytest.raises(MockAPIError, match=r"No operation .* GET .*/nowhere; the nearest is"):
            client.with_options(max_retries=0)._http.get(api.base_url + "/nowhere")


def test_importing_the_package_does_not_load_the_kit() -> None:
    code = "import sys, modulex_typed; print(any('testing' in m for m in sys.modules if 'modulex' in m))"
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(SRC)}, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
