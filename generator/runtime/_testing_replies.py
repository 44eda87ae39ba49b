"""The answers the test kit gives: a body, pages that link to each other, events that may drop.

Only the package's test kit imports this module (``import <package>`` never does).
"""

from __future__ import annotations

import itertools
import json
import types
import typing
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Annotated, Any, Protocol, TypeGuard, Union, cast

import httpx
import pydantic
import pydantic_core

from ._fake import fake, fake_value
from ._models import type_adapter
from ._spec import PageSpec, StreamSpec
from ._streaming import is_replayed
from ._testing_routes import MockAPIError, RecordedCall, Route
from ._utils import as_mapping, lookup

__all__ = ["BodyReply", "EventsReply", "PagesReply", "Reply", "build_value", "error_reply", "to_json"]

_TOKEN = "page-"


class Reply(Protocol):
    """One queued answer of an operation."""

    def answer(self, call: RecordedCall) -> httpx.Response:
        """The response to ``call``."""
        ...


def to_json(value: object) -> object:
    """``value`` (models, lists of them, scalars) as the JSON the API sends: wire names."""
    return pydantic_core.to_jsonable_python(value, by_alias=True)


def build_value(route: Route, type_: object, value: object, fields: Mapping[str, object]) -> object:
    """``value`` itself, or a valid ``type_`` built from ``fields`` (missing required fields filled)."""
    if value is not None:
        if fields:
            raise TypeError(f"{route.name}: give a value or keyword fields, not both")
        return value
    if not fields:
        return fake(type_) if _is_model(type_) else fake_value(type_)
    models = _models(type_)
    if len(models) == 1:  # fake() names a field the model lacks (and the python name of a wire name)
        return fake(models[0], **cast("dict[str, Any]", fields))
    # a union of models: the first variant declaring every field given, else the first free-form one
    for model in sorted(models, key=lambda model: not model.model_fields):
        if set(fields) <= set(model.model_fields) or not model.model_fields:
            return fake(model, **cast("dict[str, Any]", fields))
    raise TypeError(f"{route.name}: no model of its body has the fields {sorted(fields)}")


def _is_model(type_: object) -> TypeGuard[type[pydantic.BaseModel]]:
    return isinstance(type_, type) and issubclass(type_, pydantic.BaseModel)


def _models(type_: object) -> list[type[pydantic.BaseModel]]:
    """The model classes ``type_`` is made of: itself, or the variants of a union."""
    if _is_model(type_):
        return [type_]
    origin = typing.get_origin(type_)
    if origin is Annotated:
        return _models(typing.get_args(type_)[0])
    if origin is Union or origin is types.UnionType:
        return [model for variant in typing.get_args(type_) for model in _models(variant)]
    return []


class BodyReply:
    """A fixed response: a status, headers and a body."""

    def __init__(self, status: int, *, content: bytes, headers: Mapping[str, str]) -> None:
        self._status = status
        self._content = content
        self._headers = dict(headers)

    def answer(self, call: RecordedCall) -> httpx.Response:
        """The same response whatever was asked."""
        return httpx.Response(self._status, content=self._content, headers=self._headers)


def json_reply(status: int, body: object, headers: Mapping[str, str] | None = None) -> BodyReply:
    """A JSON response."""
    content = json.dumps(to_json(body)).encode()
    return BodyReply(status, content=content, headers={"content-type": "application/json", **(headers or {})})


def error_reply(
    route: Route,
    status: int,
    retry_after: float | None,
    headers: Mapping[str, str],
    fields: Mapping[str, object],
) -> BodyReply:
    """An error response whose body is the operation's error model for ``status`` (built from ``fields``)."""
    errors = route.operation.errors
    type_ = errors.get(status, errors.get(f"{status // 100}XX", errors.get("default")))
    body: object = dict(fields) if type_ is None else build_value(route, type_, None, fields)
    extra = dict(headers)
    if retry_after is not None:
        extra["retry-after"] = f"{retry_after:g}"
    return json_reply(status, body, extra)


def _set(data: object, path: str, value: object) -> None:
    keys = path.split(".")
    for key in keys[:-1]:
        if not isinstance(data, dict):
            return
        data = cast("dict[str, object]", data).setdefault(key, {})
    if isinstance(data, dict):
        cast("dict[str, object]", data)[keys[-1]] = value


class PagesReply:
    """Every page of a paginated operation: each request is answered with the page it asks for, whose
    envelope carries the marker (number, offset, token, sequence) the client sends for the next one."""

    def __init__(self, route: Route, pages: Sequence[Sequence[object]]) -> None:
        assert route.page is not None
        self._route = route
        self._spec: PageSpec = route.page
        self._pages = [[to_json(item) for item in page] for page in pages]

    def _index(self, call: RecordedCall) -> int:
        spec = self._spec
        if spec.style == "body_cursor":
            sent: object = (as_mapping(call.json) or {}).get(spec.request_param)
        else:
            sent = call.request.url.params.get(spec.request_param)
        if sent is None:
            return 0
        text = str(sent)
        if spec.style == "page":
            return int(text) - spec.start
        if spec.style == "offset":
            offset, total = int(text), 0
            for index, page in enumerate(self._pages):
                if total >= offset:
                    return index
                total += len(page)
            return len(self._pages)
        if spec.style == "sequence" and not spec.next_field and spec.sequence_field:
            lasts = [str(lookup(page[-1], spec.sequence_field)) for page in self._pages if page]
            return lasts.index(text) + 1 if text in lasts else len(self._pages)
        return int(text.removeprefix(_TOKEN)) if text.removeprefix(_TOKEN).isdigit() else len(self._pages)

    def _envelope(self, index: int) -> object:
        spec, route = self._spec, self._route
        items = self._pages[index] if 0 <= index < len(self._pages) else []
        if spec.items is None:
            return items
        more = index + 1 < len(self._pages)
        base: object = {}
        if _is_model(route.returns):
            base = to_json(fake(route.returns))
        _set(base, spec.items, items)
        if spec.has_more_field:
            _set(base, spec.has_more_field, more)
        if spec.total_pages_field:
            _set(base, spec.total_pages_field, len(self._pages))
        if spec.total_field:
            _set(base, spec.total_field, sum(len(page) for page in self._pages))
        if spec.next_field:
            token: object = index + 1 if spec.style == "sequence" else f"{_TOKEN}{index + 1}"
            for candidate in (token,) if more else (None, ""):
                _set(base, spec.next_field, candidate)
                if self._valid(base):
                    break
        return base

    def _valid(self, body: object) -> bool:
        try:
            type_adapter(self._route.returns).validate_python(body)
        except pydantic.ValidationError:
            return False
        return True

    def answer(self, call: RecordedCall) -> httpx.Response:
        """The page ``call`` asks for (an empty last page past the end)."""
        return json_reply(self._route.status, self._envelope(self._index(call))).answer(call)


class _EventBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """SSE bytes that end, or drop the connection after the last chunk (``drop``)."""

    def __init__(self, chunks: list[bytes], *, drop: bool, request: httpx.Request) -> None:
        self._chunks = chunks
        self._drop = drop
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks
        if self._drop:
            raise httpx.ReadError("the mock API dropped the connection", request=self._request)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk
        if self._drop:
            raise httpx.ReadError("the mock API dropped the connection", request=self._request)


class EventsReply:
    """The events of a stream, each with an SSE ``id`` (1, 2, ...). With ``drop_after`` the first
    connection drops after that many events; a later request (the client resuming) is served the
    events after the position it sends (the resume header or query parameter, else ``Last-Event-ID``),
    or after the drop when it sends none."""

    def __init__(self, route: Route, events: Sequence[object], drop_after: int | None) -> None:
        self._route = route
        self._spec = route.stream or StreamSpec(event_type="data")
        self._events = [to_json(event) for event in events]
        self._drop_after = drop_after
        self._answered = 0
        resume = self._spec.resume
        if resume is not None and resume.field:
            self._check_positions(resume.field)

    def _check_positions(self, field: str) -> None:
        """A stream resumed from a field of its events needs that field to grow from event to event:
        the client drops an event whose value is not past the last one as a replay."""
        values = [lookup(event, field) for event in self._events]
        for number, (last, value) in enumerate(itertools.pairwise(values), start=2):
            if is_replayed(value, last):
                raise ValueError(
                    f"{self._route.name}: the client resumes this stream from the events' {field!r}, "
                    f"so each event needs a larger one than the event before it; event {number} has "
                    f"{value!r} after {last!r} (the client would drop it as a replay)."
                )

    def _encode(self, number: int, payload: object) -> bytes:
        lines = [f"id: {number}"]
        fields = as_mapping(payload)
        if self._spec.event_type == "event" and fields is not None and "event" in fields:
            lines.append(f"event: {fields['event']}")
            payload = fields.get("data")
        lines.append(f"data: {json.dumps(payload)}")
        return ("\n".join(lines) + "\n\n").encode()

    def _start(self, call: RecordedCall) -> int:
        resume = self._spec.resume
        if resume is not None and resume.query and resume.query in call.request.url.params:
            sent = call.request.url.params[resume.query]
            if resume.field:
                values = [str(lookup(event, resume.field)) for event in self._events]
                return values.index(sent) + 1 if sent in values else len(self._events)
            return int(sent) if sent.isdigit() else len(self._events)
        for header in (resume.header if resume is not None else None, "last-event-id"):
            if header and header in call.request.headers:
                sent = call.request.headers[header]
                return int(sent) if sent.isdigit() else len(self._events)
        return (self._drop_after or 0) if self._answered else 0

    def answer(self, call: RecordedCall) -> httpx.Response:
        """The events from the position ``call`` asks for; the first answer drops after ``drop_after``."""
        first = self._answered == 0
        start = self._start(call)
        self._answered += 1
        end = len(self._events)
        drop = first and self._drop_after is not None and self._drop_after < end
        if drop and self._drop_after is not None:
            end = self._drop_after
        if start > len(self._events):
            raise MockAPIError(f"{self._route.label}: resumed at event {start} of {len(self._events)}.")
        chunks = [self._encode(n + 1, self._events[n]) for n in range(start, end)]
        return httpx.Response(
            self._route.status,
            headers={"content-type": "text/event-stream"},
            stream=_EventBody(chunks, drop=drop, request=call.request),
        )
