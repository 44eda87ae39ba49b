"""Every pagination style, lazily: one request per page consumed; sync and async."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.runtime import BaseModel, Operation, PageSpec, SyncPage
from generator.runtime._pagination import PAGE_STRATEGIES, next_page_call
from generator.runtime._request import CallArgs

from .runtime_client import Acme, AsyncAcme, Item, ListWorkflowsResponse
from .runtime_server import STATE, TOTAL_ITEMS

ALL_IDS = [f"it_{n}" for n in range(TOTAL_ITEMS)]


def _op(path: str, method: str = "GET") -> Operation:
    return Operation(method=method, path=path, path_params=("key",))


class RunsPage(BaseModel):
    runs: list[Item] | None = None
    next_page_token: str | None = None


class ItemsPage(BaseModel):
    items: list[Item] | None = None
    next_cursor: str | None = None
    has_more: bool | None = None


# What the generator states for the test server's pages: every name the runtime reads.
PAGES = PageSpec(
    style="page",
    items="workflows",
    request_param="page",
    size_param="page_size",
    has_more_field="has_more",
    total_pages_field="total_pages",
)
OFFSETS = PageSpec(style="offset", items="runs", request_param="offset", size_param="limit")
CURSORS = PageSpec(
    style="cursor",
    items="items",
    request_param="cursor",
    size_param="limit",
    next_field="next_cursor",
    has_more_field="has_more",
)
SEQUENCES = PageSpec(
    style="sequence",
    items="items",
    request_param="since_sequence",
    size_param="limit",
    next_field="next_sequence",
    has_more_field="has_more",
    sequence_field="sequence",
)


CASES: dict[str, tuple[Operation, PageSpec, object, dict[str, object], int]] = {
    # name: (operation, page spec, page type, query, expected page requests)
    "page_total_pages": (
        _op("/pages/page/total/{key}"),
        PAGES,
        ListWorkflowsResponse,
        {},
        4,
    ),
    "page_has_more": (
        _op("/pages/page/has_more/{key}"),
        PAGES,
        ListWorkflowsResponse,
        {},
        4,
    ),
    "page_until_empty": (
        _op("/pages/page/empty/{key}"),
        PAGES,
        ListWorkflowsResponse,
        {},
        5,
    ),
    "page_zero_based": (
        _op("/pages/page/zero/{key}"),
        replace(PAGES, start=0),
        ListWorkflowsResponse,
        {},
        4,
    ),
    "offset_with_limit": (
        _op("/pages/offset/obj/{key}"),
        OFFSETS,
        None,
        {"limit": 3},
        4,
    ),
    "offset_bare_list_server_default": (
        _op("/pages/offset/bare/{key}"),
        replace(OFFSETS, items=None),
        list[Item],
        {},
        3,
    ),
    "cursor": (
        _op("/pages/cursor/plain/{key}"),
        CURSORS,
        ItemsPage,
        {},
        4,
    ),
    "cursor_has_more": (
        _op("/pages/cursor/has_more/{key}"),
        CURSORS,
        ItemsPage,
        {},
        4,
    ),
    "page_token": (
        _op("/pages/page_token/{key}"),
        PageSpec(
            style="page_token",
            items="runs",
            request_param="pageToken",
            size_param="pageSize",
            next_field="nextPageToken",
        ),
        RunsPage,
        {},
        4,
    ),
    "sequence_next_field": (
        _op("/pages/sequence/next/{key}"),
        SEQUENCES,
        ItemsPage,
        {},
        4,
    ),
    "sequence_last_item": (
        _op("/pages/sequence/last/{key}"),
        SEQUENCES,
        ItemsPage,
        {},
        5,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_styles_iterate_every_item_lazily(client: Acme, key: str, case: str) -> None:
    op, spec, page_type, query, pages = CASES[case]
    page: SyncPage[Item] = client.get_page(
        op, item_type=Item, page_type=page_type, page_spec=spec, path_params={"key": key}, query=query
    )
    assert STATE.count(key) == 1
    iterator = iter(page)
    first = list(itertools.islice(iterator, len(page.items)))
    assert STATE.count(key) == 1  # the first page is consumed without another request
    assert all(isinstance(i, Item) for i in first)
    next(iterator)
    assert STATE.count(key) == 2  # the second page is fetched only when reached
    rest = list(iterator)
    ids = [i.id for i in first] + [ALL_IDS[len(first)]] + [i.id for i in rest]
    assert ids == ALL_IDS
    assert STATE.count(key) == pages


def test_body_cursor(client: Acme, key: str) -> None:
    page = client.get_page(
        _op("/pages/body_cursor/{key}", "POST"),
        item_type=Item,
        page_type=ItemsPage,
        page_spec=PageSpec(
            style="body_cursor",
            items="items",
            request_param="cursor",
            next_field="next_cursor",
            has_more_field="has_more",
        ),
        path_params={"key": key},
        json={"limit": 4, "filter": {"status": "ok"}},
    )
    assert [i.id for i in page] == ALL_IDS
    bodies = [s.body for s in STATE.seen(key)]
    assert len(bodies) == 3
    assert b'"cursor":"c4"' in bodies[1].replace(b" ", b"")
    assert all(b'"filter"' in b for b in bodies)


def test_page_object_api(client: Acme, key: str) -> None:
    page = client.workflows.list(key, page_size=4)
    assert [i.id for i in page.items] == ALL_IDS[:4]
    assert isinstance(page.response, ListWorkflowsResponse)
    assert page.response.total_pages == 3
    assert page.items[0].extra_field == 0
    assert page.has_next_page()
    second = page.get_next_page()
    assert [i.id for i in second.items] == ALL_IDS[4:8]
    third = second.get_next_page()
    assert not third.has_next_page()
    with pytest.raises(RuntimeError):
        third.get_next_page()
    bodies = list(page.iter_pages())
    assert [type(b) for b in bodies] == [ListWorkflowsResponse] * 3
    assert [b.page for b in bodies] == [1, 2, 3]
    assert STATE.seen(key)[-1].query == [("page_size", "4"), ("page", "3")]


def test_unknown_fields_are_kept(client: Acme, key: str) -> None:
    class Bare(BaseModel):
        id: str | None = None

    page = client.get_page(
        _op("/pages/cursor/plain/{key}"),
        item_type=Bare,
        page_type=None,
        page_spec=CURSORS,
        path_params={"key": key},
    )
    assert page.items[0].model_extra == {"name": "item 0", "sequence": 0, "extraField": 0}


@pytest.mark.anyio
async def test_async_iteration_directly_on_the_call(aclient: AsyncAcme, key: str) -> None:
    ids = [item.id async for item in aclient.workflows.list(key)]
    assert ids == ALL_IDS
    assert STATE.count(key) == 4


@pytest.mark.anyio
@pytest.mark.parametrize("case", ["cursor", "page_token", "offset_with_limit", "sequence_next_field"])
async def test_async_styles_are_lazy(aclient: AsyncAcme, key: str, case: str) -> None:
    op, spec, page_type, query, pages = CASES[case]
    page = await aclient.get_page(
        op, item_type=Item, page_type=page_type, page_spec=spec, path_params={"key": key}, query=query
    )
    assert STATE.count(key) == 1
    assert page.has_next_page()
    seen: list[str | None] = []
    async for item in page:
        seen.append(item.id)
        if len(seen) == len(page.items):
            assert STATE.count(key) == 1
    assert seen == ALL_IDS
    assert STATE.count(key) == pages
    bodies = [b async for b in page.iter_pages()]
    assert len(bodies) == pages


@pytest.mark.anyio
async def test_async_page_navigation(aclient: AsyncAcme, key: str) -> None:
    page = await aclient.workflows.list(key)
    assert [i.id for i in page.items] == ALL_IDS[:3]
    second = await page.get_next_page()
    assert [i.id for i in second.items] == ALL_IDS[3:6]
    assert isinstance(second.response, ListWorkflowsResponse)


# -- faults: empty pages, sticky and endless tokens, capped limits ---------------------------------

MAX_EMPTY = CURSORS.max_empty_pages


def _faults(variant: str) -> Operation:
    return _op(f"/pages/token_faults/{variant}/{{key}}")


@pytest.mark.parametrize("gap", [1, MAX_EMPTY - 1])
def test_empty_pages_with_fresh_tokens_are_followed(client: Acme, key: str, gap: int) -> None:
    page = client.get_page(
        _faults("gap"),
        item_type=Item,
        page_type=ItemsPage,
        page_spec=CURSORS,
        path_params={"key": key},
        query={"gap": gap},
    )
    assert [i.id for i in page] == ALL_IDS
    assert STATE.count(key) == 1 + gap + 3  # the first page, the empty ones, three more


def test_empty_pages_end_at_the_documented_limit(client: Acme, key: str) -> None:
    page = client.get_page(
        _faults("endless"),
        item_type=Item,
        page_type=ItemsPage,
        page_spec=CURSORS,
        path_params={"key": key},
    )
    assert [i.id for i in page] == ALL_IDS[:3]
    assert STATE.count(key) == 1 + MAX_EMPTY
    tuned = client.get_page(
        _faults("endless"),
        item_type=Item,
        page_type=ItemsPage,
        page_spec=replace(CURSORS, max_empty_pages=2),
        path_params={"key": key + "-2"},
    )
    assert len(list(tuned.pages())) == 3
    assert STATE.count(key + "-2") == 3


@pytest.mark.parametrize("variant", ["sticky", "sticky_items"])
def test_a_sticky_token_ends_iteration(client: Acme, key: str, variant: str) -> None:
    page = client.get_page(
        _faults(variant),
        item_type=Item,
        page_type=ItemsPage,
        page_spec=CURSORS,
        path_params={"key": key},
    )
    # `sticky`: 3 items, then an empty page whose token repeats the one sent; `sticky_items`: 3
    # more items with the token just sent. Following it would ask for the same page forever.
    assert [i.id for i in page] == ALL_IDS[: 3 if variant == "sticky" else 6]
    assert STATE.count(key) == 2


@pytest.mark.parametrize(
    ("variant", "requests"),
    [("capped_total", 5), ("capped_has_more", 5), ("capped", 1)],
)
def test_offset_capped_limit_follows_what_the_response_says(
    client: Acme, key: str, variant: str, requests: int
) -> None:
    spec = {
        "capped_total": replace(OFFSETS, total_field="total"),
        "capped_has_more": replace(OFFSETS, has_more_field="has_more"),
        "capped": OFFSETS,  # says nothing: the short page ends it
    }[variant]
    page = client.get_page(
        _op(f"/pages/offset/{variant}/{{key}}"),
        item_type=Item,
        page_type=None,
        page_spec=spec,
        path_params={"key": key},
        query={"limit": 5},
    )
    ids = [i.id for i in page]
    assert ids == (ALL_IDS if requests > 1 else ALL_IDS[:2])
    assert STATE.count(key) == requests
    assert [dict(s.query)["offset"] for s in STATE.seen(key)[1:]] == ["2", "4", "6", "8"][: requests - 1]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("variant", "query", "spec", "ids", "requests"),
    [
        ("gap", {"gap": 2}, CURSORS, ALL_IDS, 6),
        ("endless", {}, CURSORS, ALL_IDS[:3], 1 + MAX_EMPTY),
        ("sticky", {}, CURSORS, ALL_IDS[:3], 2),
        ("sticky_items", {}, CURSORS, ALL_IDS[:6], 2),
    ],
)
async def test_async_token_faults(
    aclient: AsyncAcme,
    key: str,
    variant: str,
    query: dict[str, object],
    spec: PageSpec,
    ids: list[str],
    requests: int,
) -> None:
    page = await aclient.get_page(
        _faults(variant),
        item_type=Item,
        page_type=ItemsPage,
        page_spec=spec,
        path_params={"key": key},
        query=query,
    )
    assert [i.id async for i in page] == ids
    assert STATE.count(key) == requests


@pytest.mark.anyio
@pytest.mark.parametrize("variant", ["capped_total", "capped_has_more"])
async def test_async_offset_capped_limit(aclient: AsyncAcme, key: str, variant: str) -> None:
    spec = {
        "capped_total": replace(OFFSETS, total_field="total"),
        "capped_has_more": replace(OFFSETS, has_more_field="has_more"),
    }[variant]
    page = await aclient.get_page(
        _op(f"/pages/offset/{variant}/{{key}}"),
        item_type=Item,
        page_type=None,
        page_spec=spec,
        path_params={"key": key},
        query={"limit": 5},
    )
    assert [i.id async for i in page] == ALL_IDS
    assert STATE.count(key) == 5


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)
_bodies = st.fixed_dictionaries(
    {},
    optional={
        "items": st.lists(st.fixed_dictionaries({"sequence": st.integers()}), max_size=3) | _json,
        "next_cursor": st.sampled_from(["a", "b", "", None]) | _json,
        "has_more": _json,
        "total": _json,
    },
)


@given(
    st.sampled_from(sorted(PAGE_STRATEGIES)),
    st.lists(_bodies, min_size=1, max_size=40),
    st.integers(min_value=1, max_value=5),
)
def test_hostile_pages_never_loop_on_a_repeated_or_empty_answer(
    style: str, bodies: list[dict[str, object]], max_empty: int
) -> None:
    """Whatever the server answers, a next call is never the call just sent, and no more than
    ``max_empty_pages`` empty pages follow each other."""
    spec = PageSpec(
        style=style,  # type: ignore[arg-type]
        items="items",
        request_param="after",
        size_param="limit",
        next_field="next_cursor",
        has_more_field="has_more",
        total_field="total",
        sequence_field="sequence",
        max_empty_pages=max_empty,
    )
    call = CallArgs(operation=_op("/x"), query={"limit": 2})
    empty_run = 0
    for body in bodies:
        nxt = next_page_call(call, spec, body)
        if nxt is None:
            return
        assert nxt.replace(empty_pages=call.empty_pages) != call
        items = body.get("items")
        empty_run = 0 if isinstance(items, list) and items else empty_run + 1
        assert empty_run < max_empty
        call = nxt
