"""A hand-written stand-in for a generated client, built on the runtime like templates would."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import httpx
from pydantic import Field

from generator.runtime import (
    NOT_GIVEN,
    APIResponse,
    AsyncAPIClient,
    AsyncPaginator,
    AuthSpec,
    BaseModel,
    ClientSpec,
    Hooks,
    NotGiven,
    Operation,
    PageSpec,
    RequestOptions,
    RetryPolicy,
    ServerSpec,
    SettingSpec,
    SyncAPIClient,
    SyncPage,
    async_to_raw_response_wrapper,
    to_raw_response_wrapper,
)

API_KEY = "sk_test_SUPERSECRET_0123456789"
ORG_ID = "org_SECRETORG_42"

SPEC = ClientSpec(
    name="Acme",
    package="acme_typed",
    version="0.1.0",
    user_agent="acme-typed/0.1.0",
    default_base_url="http://127.0.0.1:9",
    base_url_env="ACME_BASE_URL",
    api_key_env="ACME_API_KEY",
    api_key_required=True,
    log_env="ACME_LOG",
    auth=AuthSpec(kind="bearer"),
    settings={
        "organization_id": SettingSpec(
            env="ACME_ORGANIZATION_ID", location="header", wire_name="X-Organization-ID"
        ),
        "project": SettingSpec(env="ACME_PROJECT", location="path", wire_name="project"),
        "region": SettingSpec(env="ACME_REGION", location="query", wire_name="region"),
        "tenant": SettingSpec(env="ACME_TENANT", location="header", wire_name="X-Tenant", required=True),
    },
    servers={"agent": ServerSpec(default_url="http://127.0.0.1:9/agent", env="ACME_AGENT_HOST")},
    timeout=5.0,
    max_retries=3,
)


class Echo(BaseModel):
    method: str | None = None
    raw_path: str | None = None
    query: list[tuple[str, str]] | None = None
    headers: dict[str, str] | None = None
    json_: Any = Field(default=None, alias="json")
    content_type: str | None = None

    def header(self, name: str) -> str | None:
        return (self.headers or {}).get(name.lower())

    def params(self, name: str) -> list[str]:
        return [v for k, v in self.query or [] if k == name]


class Item(BaseModel):
    id: str | None = None
    name: str | None = None
    sequence: int | None = None
    extra_field: int | None = Field(default=None, alias="extraField")


class ListWorkflowsResponse(BaseModel):
    workflows: list[Item] | None = None
    page: int | None = None
    total_pages: int | None = None


_ECHO_RUN = Operation(
    method="POST",
    path="/echo/workflows/run/{thread_id}",
    path_params=("thread_id",),
    settings=("organization_id",),
    idempotency_header="Idempotency-Key",
    name="client.workflows.run",
)
_LIST = Operation(
    method="GET", path="/pages/page/total/{key}", path_params=("key",), name="client.workflows.list"
)
_LIST_PAGE_SPEC = PageSpec(
    style="page",
    items="workflows",
    request_param="page",
    size_param="page_size",
    total_pages_field="total_pages",
)


class Workflows:
    """What a generated resource looks like."""

    def __init__(self, client: Acme) -> None:
        self._client = client

    def run(
        self,
        thread_id: str,
        *,
        workflow_id: str,
        input: Mapping[str, object] | NotGiven = NOT_GIVEN,
        idempotency_key: str | NotGiven = NOT_GIVEN,
        organization_id: str | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
    ) -> Echo:
        return self._client.request(
            _ECHO_RUN,
            cast_to=Echo,
            path_params={"thread_id": thread_id},
            headers={"Idempotency-Key": idempotency_key},
            json={"workflow_id": workflow_id, "input": input},
            settings={"organization_id": organization_id},
            options=RequestOptions(
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
                timeout=timeout,
            ),
        )

    def list(self, key: str, *, page_size: int | NotGiven = NOT_GIVEN) -> SyncPage[Item]:
        return self._client.get_page(
            _LIST,
            item_type=Item,
            page_type=ListWorkflowsResponse,
            page_spec=_LIST_PAGE_SPEC,
            path_params={"key": key},
            query={"page_size": page_size},
        )


class WorkflowsWithRawResponse:
    def __init__(self, workflows: Workflows) -> None:
        self.run = to_raw_response_wrapper(workflows.run)
        self.list = to_raw_response_wrapper(workflows.list)


class AsyncWorkflows:
    def __init__(self, client: AsyncAcme) -> None:
        self._client = client

    async def run(self, thread_id: str, *, workflow_id: str) -> Echo:
        return await self._client.request(
            _ECHO_RUN,
            cast_to=Echo,
            path_params={"thread_id": thread_id},
            json={"workflow_id": workflow_id},
        )

    def list(self, key: str) -> AsyncPaginator[Item]:
        return self._client.get_page(
            _LIST,
            item_type=Item,
            page_type=ListWorkflowsResponse,
            page_spec=_LIST_PAGE_SPEC,
            path_params={"key": key},
        )


class AsyncWorkflowsWithRawResponse:
    def __init__(self, workflows: AsyncWorkflows) -> None:
        self.run = async_to_raw_response_wrapper(workflows.run)
        self.list = async_to_raw_response_wrapper(workflows.list)


class Acme(SyncAPIClient):
    """Shaped like a generated client; tiny backoff for tests."""

    INITIAL_RETRY_DELAY = 0.001
    MAX_RETRY_DELAY = 0.005

    def __init__(
        self,
        *,
        api_key: str | None = None,
        organization_id: str | None = None,
        project: str | None = None,
        region: str | None = None,
        tenant: str | None = None,
        base_url: str | None = None,
        agent_base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        default_query: Mapping[str, object] | None = None,
        hooks: Hooks | None = None,
        tracing: bool = True,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            spec=SPEC,
            api_key=api_key,
            base_url=base_url,
            settings={
                "organization_id": organization_id,
                "project": project,
                "region": region,
                "tenant": tenant,
            },
            server_urls={"agent": agent_base_url},
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            default_headers=default_headers,
            default_query=default_query,
            hooks=hooks,
            tracing=tracing,
            http_client=http_client,
        )

    @cached_property
    def workflows(self) -> Workflows:
        return Workflows(self)

    @cached_property
    def with_raw_response(self) -> AcmeWithRawResponse:
        return AcmeWithRawResponse(self)


class AcmeWithRawResponse:
    def __init__(self, client: Acme) -> None:
        self.workflows = WorkflowsWithRawResponse(client.workflows)


class AsyncAcme(AsyncAPIClient):
    INITIAL_RETRY_DELAY = 0.001
    MAX_RETRY_DELAY = 0.005

    def __init__(
        self,
        *,
        api_key: str | None = None,
        organization_id: str | None = None,
        project: str | None = None,
        tenant: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        hooks: Hooks | None = None,
        tracing: bool = True,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            spec=SPEC,
            api_key=api_key,
            base_url=base_url,
            settings={"organization_id": organization_id, "project": project, "tenant": tenant},
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            hooks=hooks,
            tracing=tracing,
            http_client=http_client,
        )

    @cached_property
    def workflows(self) -> AsyncWorkflows:
        return AsyncWorkflows(self)

    @cached_property
    def with_raw_response(self) -> AsyncAcmeWithRawResponse:
        return AsyncAcmeWithRawResponse(self)


class AsyncAcmeWithRawResponse:
    def __init__(self, client: AsyncAcme) -> None:
        self.workflows = AsyncWorkflowsWithRawResponse(client.workflows)


def check_types(page: SyncPage[Item], raw: APIResponse[Echo]) -> tuple[Item, Echo]:
    """Statically checked by mypy/pyright: the wrappers keep precise types."""
    return page.items[0], raw.parse()
