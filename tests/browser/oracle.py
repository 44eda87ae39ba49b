"""The oracle: the generated client itself, called with a trial's values against the simulator, and the
parts of a recorded request that the client and the console must agree on."""

from __future__ import annotations

import importlib
import json
import sys
from contextlib import suppress
from email.parser import BytesParser
from email.policy import HTTP
from functools import reduce
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from generator.ir import model as m
from tests.browser.trials import Trial
from tests.docs.blocks import source_dir
from tests.docs.server import Recorded

KEY = "sk-browser-test-key"


def setting_values(api: m.Api) -> dict[str, str]:
    """A value for every client setting (by its python name), the same in the console and the client."""
    return {s.name: f"{s.name.replace('_', '-')}-42" for s in api.settings}


def server_path(api: m.Api, op: m.Operation | None = None) -> str:
    """The path of the server URL the operation is sent to (the main one, or its own host's)."""
    url = next((s.url for s in api.alt_servers if op is not None and s.name == op.server), api.base_url)
    return urlsplit(url).path.rstrip("/")


def client_call(api: m.Api, vendor: str, trial: Trial, url: str, upload: Path) -> None:
    """Call the trial's method of the sync generated client on `url`, reading what it returns."""
    if str(source_dir(vendor)) not in sys.path:
        sys.path.insert(0, str(source_dir(vendor)))
    package = importlib.import_module(api.package.import_name)
    client_class = getattr(package, api.package.client_class)
    hosts = {f"{s.name}_base_url": url + urlsplit(s.url).path.rstrip("/") for s in api.alt_servers}
    client = client_class(
        api_key=KEY, base_url=url + server_path(api), max_retries=0, **hosts, **setting_values(api)
    )
    method = reduce(getattr, trial.method.split("."), client)
    kwargs: dict[str, Any] = {a.name.python: v for a, v in trial.values}
    kwargs |= {a.name.python: upload for a in trial.files}
    with client:
        if trial.status is not None:
            with suppress(package.APIStatusError):
                method(**kwargs)
            return
        result = method(**kwargs)
        if trial.op.pagination is not None:
            next(iter(result.iter_pages()), None)
        elif trial.op.stream is not None:
            with suppress(package.APIConnectionError):
                for _ in result:
                    pass


def _media_type(value: str) -> str:
    return value.split(";")[0].strip().lower()


def _body(request: Recorded) -> Any:
    content_type = _media_type(request.headers.get("content-type", ""))
    if content_type == "application/json" and request.body:
        return json.loads(request.body)
    if content_type == "multipart/form-data":
        head = f"content-type: {request.headers['content-type']}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.body)
        return [
            (part.get_param("name", header="content-disposition"), part.get_filename(), part.get_content())
            for part in message.iter_parts()
        ]
    if content_type == "application/x-www-form-urlencoded":
        return parse_qs(request.body.decode())
    return request.body


def api_headers(api: m.Api, op: m.Operation) -> set[str]:
    """The headers the API defines for the operation (lower case): credentials, settings, parameters, the
    body's type and, for a stream, Accept. Transport headers (User-Agent, Accept-Encoding...) are not."""
    names = {"authorization", "content-type"} | {
        s.wire.lower() for s in api.settings if s.location == "header"
    }
    names |= {a.param.lower() for a in api.auth if a.location == "header" and a.param}
    names |= {p.name.wire.lower() for p in op.params if p.location == "header"}
    return names | ({"accept"} if op.stream is not None else set())


def essentials(api: m.Api, op: m.Operation, request: Recorded) -> dict[str, Any]:
    """What the console must send as the client does: method, raw path, query, API headers and body; the
    idempotency key only as present (each call makes a fresh one)."""
    idempotency = (op.idempotency_header or "").lower()
    headers = {
        name: _media_type(value) if name == "content-type" else value
        for name, value in request.headers.items()
        if name in api_headers(api, op) and name != idempotency
    }
    return {
        "method": request.method,
        "path": request.path,
        "query": request.query,
        "headers": headers,
        "idempotency key": bool(request.headers.get(idempotency)) if idempotency else None,
        "body": _body(request),
    }
