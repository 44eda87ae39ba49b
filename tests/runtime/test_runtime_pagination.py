"""Every pagination style, lazily: one request per page consumed; sync and async."""

from __future__ import annotations

import itertools

import pytest

from generator.runtime import BaseModel, Operation, PageSpec, SyncPage

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


CASES: dict[str, tuple[Operation, PageSpec, object, dict[str, object], int]] = {
    # name: (operation, page spec, page type, query, expected page requests)
    "page_total_pages": (
        _op("/pages/page/total/{key}"),
        PageSpec(style="page", items="workflows", size_param="page_size"),
        ListWorkflowsResponse,
        {},
        4,
    ),
    "page_has_more": (
        _op("/pages/page/has_more/{key}"),
        PageSpec(style="page", items="workflows"),
        ListWorkflowsResponse,
        {},
        4,
    ),
    "page_until_empty": (
        _op("/pages/page/empty/{key}"),
        PageSpec(style="page", items="workflows"),
        ListWorkflowsResponse,
        {},
        5,
    ),
    "page_zero_based": (
        _op("/pages/page/zero/{key}"),
        PageSpec(style="page", items="workflows", start=0),
        ListWorkflowsResponse,
        {},
        4,
    ),
    "offset_with_limit": (
        _op("/pages/offset/obj/{key}"),
        PageSpec(style="offset", items="runs"),
        None,
        {"limit": 3},
        4,
    ),
    "offset_bare_list_server_default": (
        _op("/pages/offset/bare/{key}"),
        PageSpec(style="offset", items=None),
        list[Item],
        {},
        3,
    ),
    "cursor": (
        _op("/pages/cursor/plain/{key}"),
        PageSpec(style="cursor"),
        ItemsPage,
        {},
        4,
    ),
    "cursor_has_more": (
        _op("/pages/cursor/has_more/{key}"),
        PageSpec(style="cursor"),
        ItemsPage,
        {},
        4,
    ),
    "page_token": (
        _op("/pages/page_token/{key}"),
        PageSpec(style="page_token", items="runs"),
        RunsPage,
        {},
        4,
    ),
    "sequence_next_field": (
        _op("/pages/sequence/next/{key}"),
        PageSpec(style="sequence"),
        ItemsPage,
        {},
        4,
    ),
    "sequence_last_item": (
        _op("/pages/sequence/last/{key}"),
        PageSpec(style="sequence"),
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
        page_spec=PageSpec(style="body_cursor"),
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
        page_spec=PageSpec(style="cursor"),
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
