"""Client configuration: API key, base URL, settings, servers, auth kinds, copies, closing."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from generator.runtime import (
    NOT_GIVEN,
    AuthSpec,
    ClientSpec,
    ConfigurationError,
    Omit,
    Operation,
    RequestOptions,
    SyncAPIClient,
)

from .runtime_client import API_KEY, ORG_ID, SPEC, Acme, Echo
from .runtime_server import STATE

ECHO = Operation(method="GET", path="/echo/{key}", path_params=("key",))
ECHO_ORG = Operation(method="GET", path="/echo/{key}", path_params=("key",), settings=("organization_id",))


def _echo(client: SyncAPIClient, key: str, op: Operation = ECHO, **kwargs: Any) -> Echo:
    echo: Echo = client.request(op, cast_to=Echo, path_params={"key": key}, **kwargs)
    return echo


def test_api_key_from_argument_is_sent_as_bearer(client: Acme, key: str) -> None:
    echo = _echo(client, key)
    assert echo.header("authorization") == f"Bearer {API_KEY}"
    assert echo.header("user-agent") == "acme-typed/0.1.0"
    assert echo.header("accept") == "application/json"


def test_api_key_from_env(monkeypatch: pytest.MonkeyPatch, base_url: str, key: str) -> None:
    monkeypatch.setenv("ACME_API_KEY", "env_key_123")
    with Acme(base_url=base_url) as client:
        assert _echo(client, key).header("authorization") == "Bearer env_key_123"


def test_missing_api_key_names_the_env_var() -> None:
    with pytest.raises(ConfigurationError, match="ACME_API_KEY"):
        Acme()


def test_base_url_from_argument_env_and_default(monkeypatch: pytest.MonkeyPatch, base_url: str) -> None:
    assert Acme(api_key="k").base_url == "http://127.0.0.1:9"
    monkeypatch.setenv("ACME_BASE_URL", base_url + "/")
    assert Acme(api_key="k").base_url == base_url
    assert Acme(api_key="k", base_url="https://x.example/v1/").base_url == "https://x.example/v1"


def test_header_setting_from_argument_env_and_per_call(
    monkeypatch: pytest.MonkeyPatch, base_url: str, key: str
) -> None:
    with Acme(api_key="k", base_url=base_url, organization_id=ORG_ID) as client:
        assert _echo(client, key, ECHO_ORG).header("x-organization-id") == ORG_ID
        # an operation that does not list the setting does not send it
        assert _echo(client, key, ECHO).header("x-organization-id") is None
        # per-call override, NOT_GIVEN keeps the client's value, None drops it
        assert (
            _echo(client, key, ECHO_ORG, settings={"organization_id": "org_call"}).header("x-organization-id")
            == "org_call"
        )
        kept = _echo(client, key, ECHO_ORG, settings={"organization_id": NOT_GIVEN})
        assert kept.header("x-organization-id") == ORG_ID
        dropped = _echo(client, key, ECHO_ORG, settings={"organization_id": None})
        assert dropped.header("x-organization-id") is None
    monkeypatch.setenv("ACME_ORGANIZATION_ID", "org_from_env")
    with Acme(api_key="k", base_url=base_url) as client:
        assert _echo(client, key, ECHO_ORG).header("x-organization-id") == "org_from_env"


def test_query_and_path_settings(client: Acme, base_url: str, key: str) -> None:
    op = Operation(
        method="GET",
        path="/echo/projects/{project}/{key}",
        path_params=("project", "key"),
        settings=("project", "region"),
    )
    with Acme(api_key="k", base_url=base_url, project="prj_1", region="eu") as c:
        echo = _echo(c, key, op)
        assert echo.raw_path == f"/echo/projects/prj_1/{key}"
        assert echo.params("region") == ["eu"]
        # a path parameter given by the call wins over the setting
        echo = c.request(op, cast_to=Echo, path_params={"key": key, "project": "prj_call"})
        assert echo.raw_path == f"/echo/projects/prj_call/{key}"
    with Acme(api_key="k", base_url=base_url) as c, pytest.raises(ValueError, match="project"):
        _echo(c, key, op)


def test_required_setting_missing_raises_before_sending(client: Acme, key: str) -> None:
    op = Operation(method="GET", path="/echo/{key}", path_params=("key",), settings=("tenant",))
    with pytest.raises(ConfigurationError, match=r"tenant.*ACME_TENANT"):
        _echo(client, key, op)
    assert STATE.count(key) == 0
    assert _echo(client, key, op, settings={"tenant": "t1"}).header("x-tenant") == "t1"


def test_named_server_urls(monkeypatch: pytest.MonkeyPatch, base_url: str, key: str) -> None:
    op = Operation(method="GET", path="/{key}", path_params=("key",), server="agent")
    with Acme(api_key="k", base_url=base_url, agent_base_url=base_url + "/echo/agent") as c:
        assert _echo(c, key, op).raw_path == f"/echo/agent/{key}"
        assert c.server_url("agent") == base_url + "/echo/agent"
    monkeypatch.setenv("ACME_AGENT_HOST", base_url + "/echo/from-env")
    with Acme(api_key="k", base_url=base_url) as c:
        assert _echo(c, key, op).raw_path == f"/echo/from-env/{key}"
    monkeypatch.delenv("ACME_AGENT_HOST")
    assert Acme(api_key="k").server_url("agent") == "http://127.0.0.1:9/agent"


@pytest.mark.parametrize(
    ("auth", "check"),
    [
        (AuthSpec(kind="header", name="X-API-KEY"), lambda e: e.header("x-api-key") == "k1"),
        (AuthSpec(kind="query", name="api_key"), lambda e: e.params("api_key") == ["k1"]),
        (
            AuthSpec(kind="basic"),
            lambda e: e.header("authorization") == "Basic " + base64.b64encode(b"k1:").decode(),
        ),
        (AuthSpec(kind="none"), lambda e: e.header("authorization") is None),
    ],
)
def test_auth_kinds(auth: AuthSpec, check: object, base_url: str, key: str) -> None:
    spec = ClientSpec(
        name="Other",
        package="other",
        version="1",
        user_agent="other/1",
        default_base_url=base_url,
        auth=auth,
    )
    with SyncAPIClient(spec=spec, api_key="k1") as client:
        echo = _echo(client, key)
        assert callable(check) and check(echo)


def test_operation_without_auth_sends_no_credentials(client: Acme, key: str) -> None:
    op = Operation(method="GET", path="/echo/{key}", path_params=("key",), auth=False)
    assert _echo(client, key, op).header("authorization") is None


def test_default_and_extra_headers_and_query(base_url: str, key: str) -> None:
    with Acme(
        api_key="k",
        base_url=base_url,
        default_headers={"X-Default": "d", "X-Override": "default"},
        default_query={"dq": "1", "dq2": "2", "dq3": "3"},
    ) as client:
        echo = _echo(
            client,
            key,
            query={"q": "call", "dq2": NOT_GIVEN, "dq3": Omit()},
            headers={"X-Call": "c"},
            options=RequestOptions(
                extra_headers={"X-Override": "extra", "User-Agent": Omit()},
                extra_query={"q": "extra", "eq": "2"},
            ),
        )
    assert echo.header("x-default") == "d"
    assert echo.header("x-call") == "c"
    assert echo.header("x-override") == "extra"
    assert echo.header("user-agent") != "acme-typed/0.1.0"  # removed; httpx adds its own
    assert echo.params("q") == ["extra"]
    assert echo.params("dq") == ["1"]
    assert echo.params("dq2") == ["2"]  # NOT_GIVEN keeps the default
    assert echo.params("dq3") == []  # Omit removes it
    assert echo.params("eq") == ["2"]


def test_repr_shows_base_url_only(client: Acme) -> None:
    text = repr(client)
    assert text == f"Acme(base_url={client.base_url!r})"
    assert API_KEY not in text
    assert API_KEY not in repr(client._config)  # pyright: ignore[reportPrivateUsage]


def test_with_options_copies_and_shares_the_pool(client: Acme, key: str) -> None:
    copy = client.with_options(timeout=1.5, max_retries=0, organization_id="org_copy")
    assert isinstance(copy, Acme)
    assert copy.max_retries == 0
    assert copy.timeout == httpx.Timeout(1.5)
    assert copy.setting("organization_id") == "org_copy"
    assert client.setting("organization_id") is None
    assert copy._http is client._http  # pyright: ignore[reportPrivateUsage]
    assert _echo(copy, key, ECHO_ORG).header("x-organization-id") == "org_copy"
    # the resource of the copy talks through the copy
    assert copy.workflows.run("t1", workflow_id="w").header("x-organization-id") == "org_copy"
    other = copy.with_options(api_key="other_key", base_url=client.base_url + "/echo/prefix")
    echo = other.request(ECHO, cast_to=Echo, path_params={"key": key})
    assert echo.header("authorization") == "Bearer other_key"
    assert echo.raw_path == f"/echo/prefix/echo/{key}"
    assert other.max_retries == 0
    copy.close()  # not the owner: the shared pool stays open
    assert not client.is_closed()
    with pytest.raises(TypeError, match="nonsense"):
        client.with_options(nonsense="x")


def test_with_options_on_the_base_class(base_url: str) -> None:
    client = SyncAPIClient(spec=SPEC, api_key="k", base_url=base_url, settings={"project": "p"})
    copy = client.with_options(max_retries=1, region="us")
    assert type(copy) is SyncAPIClient
    assert copy.setting("project") == "p"
    assert copy.setting("region") == "us"
    assert copy.max_retries == 1


def test_context_manager_closes_only_its_own_pool(base_url: str) -> None:
    with Acme(api_key="k", base_url=base_url) as client:
        pass
    assert client.is_closed()
    own = httpx.Client()
    with Acme(api_key="k", base_url=base_url, http_client=own) as client:
        pass
    assert not own.is_closed
    own.close()


def test_per_call_timeout_overrides_client(client: Acme, key: str) -> None:
    from generator.runtime import APITimeoutError

    op = Operation(method="GET", path="/flaky/{key}", path_params=("key",))
    with pytest.raises(APITimeoutError):
        client.request(
            op,
            cast_to=dict,
            path_params={"key": key},
            query={"mode": "sleep", "sleep": "0.5", "fail": "5"},
            options=RequestOptions(timeout=0.1, max_retries=0),
        )
    assert STATE.count(key) == 1
