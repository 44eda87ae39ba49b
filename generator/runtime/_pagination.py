"""Auto-pagination: pages that know how to fetch the next one, for every pagination style."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from types import GenericAlias
from typing import Any, Generic, TypeAlias, TypeVar

import httpx
import pydantic

from ._exceptions import APIResponseValidationError
from ._models import validate_as
from ._request import CallArgs
from ._spec import PageSpec, PageStyle
from ._types import NotGiven
from ._utils import as_list, as_mapping, lookup

__all__ = [
    "PAGE_STRATEGIES",
    "AsyncPage",
    "AsyncPaginator",
    "PageStrategy",
    "SyncPage",
    "next_page_call",
    "parse_page",
    "read_page",
]

T = TypeVar("T")

_logger = logging.getLogger(__name__)


def _raw_items(data: object, spec: PageSpec) -> list[object]:
    found = data if spec.items is None else lookup(data, spec.items)
    return as_list(found) or []


def _int(value: object) -> int | None:
    if isinstance(value, bool) or value is None or isinstance(value, NotGiven):
        return None
    try:
        return int(str(value))
    except ValueError:
        return None


def _model_items(page: object, spec: PageSpec) -> list[Any] | None:
    if spec.items is None:
        return as_list(page)
    if not isinstance(page, pydantic.BaseModel) or "." in spec.items:
        return None
    for name, info in type(page).model_fields.items():
        if spec.items in (name, info.alias, info.validation_alias, info.serialization_alias):
            value: object = getattr(page, name)
            return [] if value is None else as_list(value)
    return None


def parse_page(
    data: object, *, spec: PageSpec, item_type: object, page_type: object
) -> tuple[Any, list[Any]]:
    """Validate one page body as ``page_type`` and return it with its items (as ``item_type``)."""
    page: Any = data if page_type is None else validate_as(page_type, data)
    items = _model_items(page, spec)
    if items is None:
        items = validate_as(GenericAlias(list, (item_type,)), _raw_items(data, spec))
    return page, items


def read_page(
    response: httpx.Response, *, spec: PageSpec, item_type: object, page_type: object
) -> tuple[object, Any, list[Any]]:
    """A page response's JSON body, its parsed page and its items; a validation error names a mismatch."""
    try:
        data: object = json.loads(response.text)
    except ValueError as exc:
        raise APIResponseValidationError("Expected a JSON page body", response=response) from exc
    try:
        page, items = parse_page(data, spec=spec, item_type=item_type, page_type=page_type)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            f"Page body does not match: {exc.error_count()} error(s)", response=response
        ) from exc
    return data, page, items


def next_page_call(call: CallArgs, spec: PageSpec, data: object) -> CallArgs | None:
    """The call fetching the page after the one whose body is ``data``; ``None`` at the end.

    What the response says (``has_more``, ``total``, a next token) decides; a short ``offset``
    page ends the iteration only when the response says nothing. An empty page with a fresh
    token is followed, but ``spec.max_empty_pages`` consecutive empty pages end the iteration,
    and so does a next call equal to the one just sent (a sticky token): a server that never
    stops handing out tokens cannot make the loop endless.
    """
    items = _raw_items(data, spec)
    nxt = _next_call(call, spec, data, items)
    if nxt is None:
        return None
    if items:
        nxt = nxt.replace(empty_pages=0)
    else:
        empty = call.empty_pages + 1
        if empty >= spec.max_empty_pages:
            _logger.warning(
                "Pagination stopped after %d consecutive empty pages, although the server "
                "handed out another page token.",
                empty,
            )
            return None
        nxt = nxt.replace(empty_pages=empty)
    if nxt.replace(empty_pages=call.empty_pages) == call:  # the server repeated itself: stop
        return None
    return nxt


def _next_call(call: CallArgs, spec: PageSpec, data: object, items: list[object]) -> CallArgs | None:
    has_more = lookup(data, spec.has_more_field) if spec.has_more_field else None
    if has_more is False:
        return None
    return PAGE_STRATEGIES[spec.style](
        call, spec, data, items, has_more if isinstance(has_more, bool) else None
    )


def _next_number(
    call: CallArgs, spec: PageSpec, data: object, items: list[object], has_more: bool | None
) -> CallArgs | None:
    """``page``: the page number plus one, unless this page is empty or the last of ``total_pages``."""
    if not items:
        return None
    query = dict(call.query)
    current = _int(query.get(spec.request_param))
    current = spec.start if current is None else current
    total_pages = _int(lookup(data, spec.total_pages_field)) if spec.total_pages_field else None
    if has_more is None and total_pages is not None and current - spec.start + 1 >= total_pages:
        return None
    return call.replace(query={**query, spec.request_param: current + 1})


def _next_offset(
    call: CallArgs, spec: PageSpec, data: object, items: list[object], has_more: bool | None
) -> CallArgs | None:
    """``offset``: past this page's items, unless it is empty, ``total`` is reached, or (when the
    response says nothing) it is shorter than the page size."""
    if not items:
        return None
    query = dict(call.query)
    sent_size = _int(query.get(spec.size_param)) if spec.size_param else None
    size = sent_size or call.page_size_hint or len(items)
    offset = (_int(query.get(spec.request_param)) or 0) + len(items)
    total = _int(lookup(data, spec.total_field)) if spec.total_field else None
    if has_more is None:
        if total is not None:  # the response says how many there are: a short page is no end
            if offset >= total:
                return None
        elif len(items) < size:
            return None
    return call.replace(query={**query, spec.request_param: offset}, page_size_hint=size)


def _token(spec: PageSpec, data: object) -> object:
    """The response's next token; ``None`` when it has none (an empty string is none either)."""
    token = lookup(data, spec.next_field) if spec.next_field else None
    return None if token == "" else token


def _next_token(
    call: CallArgs, spec: PageSpec, data: object, items: list[object], has_more: bool | None
) -> CallArgs | None:
    """``cursor`` and ``page_token``: the response's next token as a query parameter."""
    token = _token(spec, data)
    if token is None:
        return None
    return call.replace(query={**call.query, spec.request_param: token})


def _next_body_token(
    call: CallArgs, spec: PageSpec, data: object, items: list[object], has_more: bool | None
) -> CallArgs | None:
    """``body_cursor``: the response's next token as a field of the JSON body."""
    token = _token(spec, data)
    if token is None:
        return None
    return call.replace(json={**(as_mapping(call.json) or {}), spec.request_param: token})


def _next_sequence(
    call: CallArgs, spec: PageSpec, data: object, items: list[object], has_more: bool | None
) -> CallArgs | None:
    """``sequence``: the response's next sequence, else the last item's, unless this page is empty."""
    if not items:
        return None
    token = lookup(data, spec.next_field) if spec.next_field else None
    if token is None and spec.sequence_field:
        token = lookup(items[-1], spec.sequence_field)
    if token is None or token == "":
        return None
    return call.replace(query={**call.query, spec.request_param: token})


PageStrategy: TypeAlias = Callable[[CallArgs, PageSpec, object, list[object], bool | None], CallArgs | None]
PAGE_STRATEGIES: Mapping[PageStyle, PageStrategy] = {
    "page": _next_number,
    "offset": _next_offset,
    "cursor": _next_token,
    "page_token": _next_token,
    "body_cursor": _next_body_token,
    "sequence": _next_sequence,
}
"""One strategy per pagination style: the call of the next page, or ``None`` at the end.

Its keys are ``PageStyle``'s values and the generator's list of styles (a test checks both)."""


class SyncPage(Generic[T]):
    """One page of a list operation; iterating it walks every item of every page lazily.

    ``items`` are this page's items, ``response`` the parsed page body; ``iter_pages()``
    yields the parsed body of this and each following page (``pages()`` the page objects).
    """

    def __init__(
        self,
        *,
        items: list[T],
        response: Any,
        http_response: httpx.Response,
        next_call: CallArgs | None,
        fetch: Callable[[CallArgs], SyncPage[T]],
    ) -> None:
        self.items = items
        self.response = response
        self.http_response = http_response
        self._next_call = next_call
        self._fetch = fetch

    def has_next_page(self) -> bool:
        """Whether another page exists (decided from this page; nothing is fetched)."""
        return self._next_call is not None

    def get_next_page(self) -> SyncPage[T]:
        """Fetch the following page; raises ``RuntimeError`` when there is none."""
        if self._next_call is None:
            raise RuntimeError("There is no next page; check has_next_page() first.")
        return self._fetch(self._next_call)

    def pages(self) -> Iterator[SyncPage[T]]:
        """This page and each following one, fetched only when reached."""
        page: SyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = page.get_next_page()

    def iter_pages(self) -> Iterator[Any]:
        """The parsed body (``page_type`` instance) of this page and each following one."""
        for page in self.pages():
            yield page.response

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} has_next={self.has_next_page()}>"


class AsyncPage(Generic[T]):
    """The async twin of :class:`SyncPage`."""

    def __init__(
        self,
        *,
        items: list[T],
        response: Any,
        http_response: httpx.Response,
        next_call: CallArgs | None,
        fetch: Callable[[CallArgs], Awaitable[AsyncPage[T]]],
    ) -> None:
        self.items = items
        self.response = response
        self.http_response = http_response
        self._next_call = next_call
        self._fetch = fetch

    def has_next_page(self) -> bool:
        """Whether another page exists (decided from this page; nothing is fetched)."""
        return self._next_call is not None

    async def get_next_page(self) -> AsyncPage[T]:
        """Fetch the following page; raises ``RuntimeError`` when there is none."""
        if self._next_call is None:
            raise RuntimeError("There is no next page; check has_next_page() first.")
        return await self._fetch(self._next_call)

    async def pages(self) -> AsyncIterator[AsyncPage[T]]:
        """This page and each following one, fetched only when reached."""
        page: AsyncPage[T] = self
        while True:
            yield page
            if not page.has_next_page():
                return
            page = await page.get_next_page()

    async def iter_pages(self) -> AsyncIterator[Any]:
        """The parsed body (``page_type`` instance) of this page and each following one."""
        async for page in self.pages():
            yield page.response

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        return f"<{type(self).__name__} items={len(self.items)} has_next={self.has_next_page()}>"


class AsyncPaginator(Generic[T]):
    """What an async list method returns: ``await`` it for the first :class:`AsyncPage`, or
    ``async for`` over it for every item of every page."""

    def __init__(self, first_page: Callable[[], Awaitable[Any]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page: AsyncPage[T] = await self._first_page()
        async for item in page:
            yield item
