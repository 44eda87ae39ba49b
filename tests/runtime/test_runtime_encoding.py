"""How arguments reach the wire: path encoding, header safety, query, JSON and form bodies."""

from __future__ import annotations

import datetime as dt
import enum

import pytest
from pydantic import Field

from generator.runtime import NOT_GIVEN, BaseModel, Operation, RequestOptions

from .runtime_client import Acme, Echo
from .runtime_server import STATE

ECHO_ID = Operation(method="GET", path="/echo/{key}/items/{item_id}", path_params=("key", "item_id"))
POST = Operation(method="POST", path="/echo/{key}", path_params=("key",))


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("../admin", "..%2Fadmin"),
        ("a/b", "a%2Fb"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a b?c#d&e", "a%20b%3Fc%23d%26e"),
        ("ünï", "%C3%BCn%C3%AF"),
        ("%2F", "%252F"),
        (42, "42"),
    ],
)
def test_path_params_cannot_change_the_path(client: Acme, key: str, value: object, encoded: str) -> None:
    echo = client.request(ECHO_ID, cast_to=Echo, path_params={"key": key, "item_id": value})
    assert echo.raw_path == f"/echo/{key}/items/{encoded}"


def test_empty_or_missing_path_param_is_refused(client: Acme, key: str) -> None:
    with pytest.raises(ValueError, match="item_id"):
        client.request(ECHO_ID, cast_to=Echo, path_params={"key": key, "item_id": ""})
    with pytest.raises(ValueError, match="item_id"):
        client.request(ECHO_ID, cast_to=Echo, path_params={"key": key})
    assert STATE.count(key) == 0


@pytest.mark.parametrize("bad", ["a\r\nX-Injected: 1", "a\nb", "a\rb"])
def test_header_values_with_cr_or_lf_are_refused(client: Acme, key: str, bad: str) -> None:
    with pytest.raises(ValueError, match="CR, LF"):
        client.request(POST, cast_to=Echo, path_params={"key": key}, headers={"X-Note": bad})
    with pytest.raises(ValueError, match="CR, LF"):
        client.request(
            POST,
            cast_to=Echo,
            path_params={"key": key},
            options=RequestOptions(extra_headers={"X-Note": bad}),
        )
    org = Operation(method="GET", path="/echo/{key}", path_params=("key",), settings=("tenant",))
    with pytest.raises(ValueError, match="CR, LF"):
        client.request(org, cast_to=Echo, path_params={"key": key}, settings={"tenant": bad})
    assert STATE.count(key) == 0


class Color(enum.Enum):
    RED = "red"


def test_query_encoding(client: Acme, key: str) -> None:
    echo = client.request(
        POST,
        cast_to=Echo,
        path_params={"key": key},
        query={
            "tag": ["a", "b"],
            "flag": True,
            "off": False,
            "skip": NOT_GIVEN,
            "none": None,
            "n": 3,
            "color": Color.RED,
            "when": dt.date(2026, 1, 2),
        },
    )
    assert echo.query == [
        ("tag", "a"),
        ("tag", "b"),
        ("flag", "true"),
        ("off", "false"),
        ("n", "3"),
        ("color", "red"),
        ("when", "2026-01-02"),
    ]


class Inner(BaseModel):
    workflow_id: str | None = Field(default=None, alias="workflowId")
    note: str | None = None


def test_json_body(client: Acme, key: str) -> None:
    echo = client.request(
        POST,
        cast_to=Echo,
        path_params={"key": key},
        json={
            "a": 1,
            "skip": NOT_GIVEN,
            "null": None,
            "model": Inner(workflowId="w1"),
            "nested": {"keep": True, "drop": NOT_GIVEN, "list": [Inner(note="n"), NOT_GIVEN]},
            "when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        },
        options=RequestOptions(extra_body={"extra": "x", "a": 2}),
    )
    assert echo.content_type == "application/json"
    assert echo.json_ == {
        "a": 2,
        "null": None,
        "model": {"workflowId": "w1"},
        "nested": {"keep": True, "list": [{"note": "n"}]},
        "when": "2026-01-02T03:04:05Z",
        "extra": "x",
    }


def test_extra_body_alone_becomes_the_body(client: Acme, key: str) -> None:
    echo = client.request(
        POST, cast_to=Echo, path_params={"key": key}, options=RequestOptions(extra_body={"x": 1})
    )
    assert echo.json_ == {"x": 1}


def test_no_json_means_no_body(client: Acme, key: str) -> None:
    echo = client.request(POST, cast_to=Echo, path_params={"key": key}, json=None)
    assert echo.json_ is None
    assert STATE.seen(key)[0].body == b""


def test_urlencoded_form(client: Acme, key: str) -> None:
    echo = client.request(
        POST,
        cast_to=Echo,
        path_params={"key": key},
        form={"name": "n", "flag": True, "skip": NOT_GIVEN, "meta": {"a": 1}, "tags": ["x", "y"]},
    )
    assert echo.content_type == "application/x-www-form-urlencoded"
    assert STATE.seen(key)[0].body == b"name=n&flag=true&meta=%7B%22a%22%3A+1%7D&tags=x&tags=y"


def test_generated_style_method(client: Acme, key: str) -> None:
    echo = client.workflows.run(
        "thread/../1",
        workflow_id="wf",
        input={"q": "hi"},
        organization_id="org_9",
        extra_query={"debug": True},
    )
    assert echo.raw_path == "/echo/workflows/run/thread%2F..%2F1"
    assert echo.json_ == {"workflow_id": "wf", "input": {"q": "hi"}}
    assert echo.header("x-organization-id") == "org_9"
    assert echo.params("debug") == ["true"]
    assert echo.header("idempotency-key")


def test_none_and_type_none_results(client: Acme, key: str) -> None:
    op = Operation(method="DELETE", path="/empty/{key}", path_params=("key",))
    assert client.request(op, cast_to=type(None), path_params={"key": key}) is None
    assert client.request(op, cast_to=None, path_params={"key": key}) is None
