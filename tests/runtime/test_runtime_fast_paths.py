"""The fast paths: nothing heavy loads before its first use, and every shortcut answers as the slow path."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from generator.runtime import APIResponseValidationError, BaseModel, SSEDecoder
from generator.runtime._request import Prepared
from generator.runtime._response import parse_body
from generator.runtime._streaming import _parse_json
from generator.runtime._utils import lookup
from tests.conftest import ROOT

LAZY_CHECK = """
import sys

import generator.runtime as rt

def loaded():
    return {m.removeprefix("generator.runtime.") for m in sys.modules if m.startswith("generator.runtime.")}

spec = rt.ClientSpec(
    name="X", package="x", version="1", user_agent="x/1", default_base_url="http://127.0.0.1:9",
    settings={"org": rt.SettingSpec(location="header", wire_name="X-Org")},
)
after_import = loaded()
rt.SyncAPIClient(spec=spec, api_key="k", settings={"org": "o"}).with_options(org="p")
rt.AsyncAPIClient(spec=spec, api_key="k")
assert "pydantic.main" not in sys.modules, "constructing a client loaded pydantic's model machinery"
assert not {"_models", "_streaming", "_pagination", "_response", "_request"} & loaded(), loaded()
assert issubclass(rt.NotFoundError, rt.APIError) and rt.Stream and rt.SyncPage and rt.BaseModel
assert "pydantic.main" in sys.modules
print(",".join(sorted(after_import)))
"""


def test_import_and_construction_load_only_what_they_need() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LAZY_CHECK], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split(",") == [
        "_async_client",
        "_base_client",
        "_pydantic",  # the thread-safe loader: the standard library only, pydantic itself is not imported
        "_spec",
        "_sync_client",
        "_types",
    ]


# -- JSON bodies: pydantic-core parses and validates in one step, the reference path decides the rest ------


class Item(BaseModel):
    id: str
    price: float


def _response(body: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(
        200, content=body, headers={"content-type": content_type}, request=httpx.Request("GET", "http://x")
    )


def test_a_json_body_parses_as_the_standard_library_reads_it() -> None:
    body = b'[{"id": "a", "price": 1}, {"id": "b", "price": 2.5, "extra": [1, {"x": null}]}]'
    assert parse_body(_response(body), list[Item]) == [Item.model_validate(i) for i in json.loads(body)]
    # a lone surrogate: json.loads reads it, pydantic-core's parser does not
    assert parse_body(_response(b'[{"id": "\\ud800", "price": 1}]'), list[Item]) == [
        Item(id="\ud800", price=1)
    ]
    # deeper than pydantic-core's parser goes: read by json.loads, then refused by validation
    with pytest.raises(APIResponseValidationError, match="does not match"):
        parse_body(_response(b"[" * 300 + b"]" * 300), list[Item])


def test_json_body_errors_are_the_reference_ones() -> None:
    with pytest.raises(APIResponseValidationError, match="Expected a JSON body, got text/html"):
        parse_body(_response(b"<html>", "text/html"), list[Item])
    with pytest.raises(APIResponseValidationError, match=r"does not match Item: 1 error\(s\) \(price: "):
        parse_body(_response(b'{"id": "a", "price": "cheap"}'), Item)
    assert parse_body(_response(b"  "), Item | None) is None


@pytest.mark.parametrize(
    "url", ["http://h/p", "http://h/a%2Fb/%2E%2E", "http://[::1]:8/x", "http://h/p?dropped=1"]
)
def test_a_request_without_params_has_the_url_an_empty_params_list_gives(url: str) -> None:
    with httpx.Client() as http:
        prepared = Prepared(
            method="GET",
            url=url,
            params=[],
            headers={},
            timeout=httpx.Timeout(1),
            max_retries=0,
            retry_safe=True,
        )
        assert prepared.build(http, is_async=False).url == http.build_request("GET", url, params=[]).url


# -- SSE: the decoder and the event parser ------------------------------------------------------------------


def test_decode_gives_the_fields_feed_gives() -> None:
    stream = b"\xef\xbb\xbfretry: 5\nid: 1\nevent: e\ndata: a\ndata:b\n\n: c\ndata: \xff\n\n"
    as_events = [(e.event, e.data, e.id, e.last_event_id, e.retry) for e in SSEDecoder().feed(stream)]
    assert SSEDecoder().decode(stream) == as_events
    assert as_events == [("e", "a\nb", "1", "1", 5), ("message", "\ufffd", None, "1", 5)]


@pytest.mark.parametrize(
    "chunks",
    [
        (b"\xef", b"\xbb", b"\xbfdata: x\n\n"),  # a BOM split across chunks
        (b"data: x\r", b"", b"\n\n"),  # an empty chunk between the CR and LF of a CRLF
        (b"data: x\r", b"\r"),  # CR line endings, the blank line in its own chunk
    ],
)
def test_decoder_chunk_edges(chunks: tuple[bytes, ...]) -> None:
    decoder = SSEDecoder()
    assert [e.data for chunk in chunks for e in decoder.feed(chunk)] == ["x"]


def test_crlf_split_by_an_empty_chunk_is_one_line_ending() -> None:
    decoder = SSEDecoder()
    events = [e.data for chunk in (b"data: a\r", b"", b"\ndata: b\n\n") for e in decoder.feed(chunk)]
    assert events == ["a\nb"]


@pytest.mark.parametrize(
    "text",
    ['{"type": "tick", "n": 1}', '"\\ud83d"', "[" * 300 + "]" * 300, "NaN", "1e400", "not json", "[DONE", ""],
)
def test_event_data_parses_as_the_standard_library_reads_it(text: str) -> None:
    try:
        expected: object = json.loads(text)
    except ValueError:
        expected = text
    assert repr(_parse_json(text)) == repr(expected)


def test_lookup_one_key_and_paths() -> None:
    data = {"type": "a", "data": {"kind": "b"}, "a.b": "dotted"}
    assert lookup(data, "type") == "a"
    assert lookup(data, "data.kind") == "b"
    assert lookup(data, "a.b") is None  # a dotted path is walked, never read as one key
    assert lookup(data, "missing") is None and lookup("text", "type") is None
    assert lookup(httpx.Headers({"type": "h"}), "type") == "h"  # any Mapping, not only dict
