"""The test kit's view of the API: which operation a request calls, what it sent, and whether it may.

Only the package's test kit imports this module (``import <package>`` never does).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal, TypeAlias
from urllib.parse import unquote

import httpx
import pydantic

from ._models import type_adapter
from ._spec import Operation, PageSpec, StreamSpec

__all__ = ["MockAPIError", "RecordedCall", "ResultKind", "Route", "Router", "check_request"]

ResultKind: TypeAlias = Literal["model", "page", "stream", "binary", "text", "empty", "socket"]


class MockAPIError(AssertionError):
    """A request the API document does not allow, or one no response was set for.

    An ``AssertionError``, so pytest reports it as a failed check; it is raised out of the client
    call that sent the request (the client retries transport errors only, never this).
    """


@dataclass(frozen=True, kw_only=True)
class Route:
    """One operation as the test kit sees it.

    ``name`` is the dotted path of its method on the client (``workflows.run``); ``result`` what
    the method returns; ``status`` the success status; ``returns`` the type of the success body
    (the page body of a ``page`` operation, the event of a ``stream``); ``body`` the type the
    JSON request body must validate as (``None``: not checked); ``query`` and ``headers`` the
    wire names of the required query and header parameters.
    """

    name: str
    operation: Operation
    result: ResultKind
    status: int = 200
    returns: object = None
    page: PageSpec | None = None
    stream: StreamSpec | None = None
    body: object = None
    query: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``workflows.run (POST /workflows/run)``: how messages name the operation."""
        return f"{self.name} ({self.operation.method} {self.operation.path})"


@dataclass(frozen=True)
class RecordedCall:
    """One request the code under test sent: ``json``, ``params``, ``headers``, ``path_params``."""

    request: httpx.Request
    path_params: Mapping[str, str]

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self.request.method

    @property
    def url(self) -> httpx.URL:
        """The full URL, query included."""
        return self.request.url

    @property
    def params(self) -> dict[str, str]:
        """The query parameters (the last value of a repeated one; ``url.params`` has them all)."""
        return dict(self.request.url.params.items())

    @property
    def headers(self) -> httpx.Headers:
        """The request headers (case-insensitive)."""
        return self.request.headers

    @property
    def content(self) -> bytes:
        """The raw request body."""
        return self.request.content

    @cached_property
    def json(self) -> Any:
        """The JSON request body, parsed; ``None`` when the body is empty or not JSON."""
        if not self.request.content:
            return None
        try:
            return json.loads(self.request.content)
        except ValueError:
            return None


def _pattern(template: str) -> str:
    parts = re.split(r"(\{[^}]+\})", template)
    out: list[str] = []
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            out.append(f"(?P<p{len(out)}>[^/]+)")
        else:
            out.append(re.escape(part))
    return "".join(out)


@dataclass(frozen=True)
class _Compiled:
    route: Route
    exact: re.Pattern[str]
    suffix: re.Pattern[str]
    names: tuple[str, ...]
    literal: int


class Router:
    """Finds the operation a request calls: its method and path template (the longest literal wins)."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self._routes: list[_Compiled] = []
        for route in routes:
            path = route.operation.path
            pattern = _pattern(path)
            names = tuple(re.findall(r"\{([^}]+)\}", path))
            literal = len(re.sub(r"\{[^}]+\}", "", path))
            self._routes.append(
                _Compiled(
                    route, re.compile(f"^{pattern}$"), re.compile(f"^(?:/.*)?{pattern}$"), names, literal
                )
            )

    def match(self, request: httpx.Request) -> tuple[Route, dict[str, str]]:
        """The route ``request`` calls and its path parameters; ``MockAPIError`` when none does."""
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        for attempt in ("exact", "suffix"):
            found = [
                (c, m)
                for c in self._routes
                if c.route.operation.method == request.method
                and (m := getattr(c, attempt).match(path)) is not None
            ]
            if found:
                compiled, hit = max(found, key=lambda pair: pair[0].literal)
                values = [unquote(value) for value in hit.groups()]
                return compiled.route, dict(zip(compiled.names, values, strict=True))
        raise MockAPIError(self._unknown(request, path))

    def _unknown(self, request: httpx.Request, path: str) -> str:
        message = f"No operation of the API document answers {request.method} {request.url}"
        labels = {f"{c.route.operation.method} {c.route.operation.path}": c.route for c in self._routes}
        near = difflib.get_close_matches(f"{request.method} {path}", list(labels), n=1, cutoff=0.0)
        if near:
            message += f"; the nearest is {labels[near[0]].label}"
        return message + "."


def check_request(route: Route, call: RecordedCall) -> None:
    """Raise ``MockAPIError`` when ``call`` lacks a required parameter or its JSON body does not
    validate as the operation's request body (the message names the operation and the field)."""
    for name in route.query:
        if name not in call.request.url.params:
            raise MockAPIError(f"{route.label}: the required query parameter {name!r} was not sent.")
    for name in route.headers:
        if name not in call.request.headers:
            raise MockAPIError(f"{route.label}: the required header {name!r} was not sent.")
    if route.body is None or not call.content:
        return
    try:
        data: object = json.loads(call.content)
    except ValueError as exc:
        raise MockAPIError(f"{route.label}: the request body is not JSON.") from exc
    try:
        type_adapter(route.body).validate_python(data)
    except pydantic.ValidationError as exc:
        problems = "; ".join(
            f"field {'.'.join(str(part) for part in error['loc']) or '(body)'!r}: {error['msg']}"
            f" (sent {error['input']!r})"
            for error in exc.errors()[:5]
        )
        raise MockAPIError(
            f"{route.label}: the request body does not match the document: {problems}."
        ) from None
