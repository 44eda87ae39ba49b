"""Auto-pagination in every style the four vendors use, sync and async, lazily: a page is requested only
when the consumer reaches its first item, so the simulator's request count tracks the items consumed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sim_autx
import sim_faults
import sim_mobius
import sim_modulex
import sim_modus
from conftest import SIMULATORS
from sim_base import Simulator


@dataclass(frozen=True)
class Case:
    """One list operation: how to call it, where its pages are requested, what comes back."""

    vendor: str
    call: Callable[[Any], Any]
    method: str
    path: str
    ids: list[Any]
    page_sizes: list[int]
    trailing_empty_page: bool = False  # the API's only end marker is an empty page

    @property
    def sim(self) -> Simulator:
        return SIMULATORS[self.vendor]

    def counts(self) -> list[int]:
        """The request count the simulator must show when each item is handed to the consumer."""
        return [page for page, size in enumerate(self.page_sizes, start=1) for _ in range(size)]


CASES = {
    "modulex page (total_pages)": Case(
        "modulex",
        lambda c: c.workflows.list(page_size=3),
        "GET",
        "/workflows",
        [w["id"] for w in sim_modulex.WORKFLOWS],
        [3, 3, 1],
    ),
    "modulex page+limit (has_next)": Case(
        "modulex",
        lambda c: c.dashboard.list_users(limit=2),
        "GET",
        "/dashboard/users",
        [u["id"] for u in sim_modulex.USERS],
        [2, 2, 1],
    ),
    "modulex page (has_more)": Case(
        "modulex",
        lambda c: c.integrations.browse(page_size=3),
        "GET",
        "/integrations/browse",
        [i["name"] for i in sim_modulex.INTEGRATIONS],
        [3, 3, 1],
    ),
    "modulex limit/offset (has_more)": Case(
        "modulex",
        lambda c: c.workflow_runs.list(limit=2),
        "GET",
        "/workflow-runs",
        [r["id"] for r in sim_modulex.RUNS],
        [2, 2, 1],
    ),
    "modulex limit/offset (bare array)": Case(
        "modulex",
        lambda c: c.knowledge_bases.list(limit=2),
        "GET",
        "/knowledge-bases",
        [k["id"] for k in sim_modulex.KNOWLEDGE],
        [2, 2, 1],
    ),
    "modulex cursor (next_cursor null)": Case(
        "modulex",
        lambda c: c.assistant.chats.list(limit=2),
        "GET",
        "/assistant/chats",
        [ch["id"] for ch in sim_modulex.CHATS],
        [2, 2, 1],
    ),
    "modus page token (AIP-158)": Case(
        "modus",
        lambda c: c.skills.list(page_size=3),
        "GET",
        "/api/v1/skills",
        [s["id"] for s in sim_modus.SKILLS],
        [3, 3, 1],
    ),
    "mobius cursor + has_more": Case(
        "mobius",
        lambda c: c.automations.runs.list(limit=3),
        "GET",
        "/v1/projects/demo/runs",
        [r["id"] for r in sim_mobius.RUNS],
        [3, 3, 1],
    ),
    "mobius body cursor": Case(
        "mobius",
        lambda c: c.tables.rows.query(table_name="orders", limit=3),
        "POST",
        "/v1/projects/demo/tables/orders/rows/query",
        [r["id"] for r in sim_mobius.ROWS],
        [3, 3, 1],
    ),
    "mobius sequence (next_sequence)": Case(
        "mobius",
        lambda c: c.automations.runs.events.list(id="run_1", limit=3),
        "GET",
        "/v1/projects/demo/runs/run_1/events",
        [e["id"] for e in sim_mobius.EVENTS],
        [3, 3, 2],
    ),
    "mobius sequence (last item)": Case(
        "mobius",
        lambda c: c.agents.sessions.messages.list(id="agent_1", session_id="ses_1", limit=3),
        "GET",
        "/v1/projects/demo/agents/agent_1/sessions/ses_1/messages",
        [m["id"] for m in sim_mobius.MESSAGES],
        [3, 3, 1],
        trailing_empty_page=True,
    ),
    "autx limit/offset (bare array)": Case(
        "autx",
        lambda c: c.agents.list(limit=2),
        "GET",
        "/agents/",
        [a["id"] for a in sim_autx.AGENTS],
        [2, 2, 1],
    ),
}


def _id(item: Any) -> Any:
    return getattr(item, "id", None) or getattr(item, "name", None)


def _check(case: Case, seen: list[tuple[Any, int]]) -> None:
    assert [item for item, _ in seen] == case.ids
    assert [count for _, count in seen] == case.counts(), "a page was fetched before it was needed"
    assert case.sim.count(case.method, case.path) == len(case.page_sizes) + case.trailing_empty_page


@pytest.mark.parametrize("name", list(CASES))
def test_sync_iteration_fetches_one_page_at_a_time(client: Callable[..., Any], name: str) -> None:
    case = CASES[name]
    pages = case.call(client(case.vendor))
    seen = [(_id(item), case.sim.count(case.method, case.path)) for item in pages]
    _check(case, seen)


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(CASES))
async def test_async_iteration_fetches_one_page_at_a_time(client: Callable[..., Any], name: str) -> None:
    case = CASES[name]
    async with client(case.vendor, aio=True) as aclient:
        paginator = case.call(aclient)
        assert case.sim.count(case.method, case.path) == 0, "the async paginator is lazy until iterated"
        seen = [(_id(item), case.sim.count(case.method, case.path)) async for item in paginator]
    _check(case, seen)


def test_page_requests_carry_the_vendor_parameters(client: Callable[..., Any]) -> None:
    list(client("modulex").workflows.list(page_size=3))
    pages = [r.param("page") for r in SIMULATORS["modulex"].requests("GET", "/workflows")]
    assert pages == [None, "2", "3"]
    list(client("modus").skills.list(page_size=3))
    tokens = [r.param("pageToken") for r in SIMULATORS["modus"].requests("GET", "/api/v1/skills")]
    assert tokens == [None, "3", "6"]
    list(client("mobius").tables.rows.query(table_name="orders", limit=3, filter={"n": {"$gt": 0}}))
    bodies = [
        r.json() for r in SIMULATORS["mobius"].requests("POST", "/v1/projects/demo/tables/orders/rows/query")
    ]
    assert [b.get("cursor") for b in bodies] == [None, "3", "6"]
    assert all(b["filter"] == {"n": {"$gt": 0}} and b["limit"] == 3 for b in bodies)
    list(client("mobius").automations.runs.events.list(id="run_1", limit=3))
    since = [
        r.param("since_sequence")
        for r in SIMULATORS["mobius"].requests("GET", "/v1/projects/demo/runs/run_1/events")
    ]
    assert since == [None, "3", "6"]


def test_pages_api_walks_page_objects(client: Callable[..., Any]) -> None:
    first = client("modulex").workflows.list(page_size=3)
    assert [w.id for w in first.items] == ["wf_1", "wf_2", "wf_3"]
    assert first.has_next_page() and first.response.total_pages == 3
    assert [len(page.items) for page in first.pages()] == [3, 3, 1]
    assert [body.page for body in first.iter_pages()] == [1, 2, 3]


# -- servers that misbehave (sim_faults): empty pages, sticky and endless tokens, capped limits ----------

MAX_EMPTY_PAGES = 10  # the documented default: consecutive empty pages followed before iteration ends


def _agents(pages: Any) -> list[str]:
    return [a.id for a in pages]


@pytest.mark.parametrize("aio", [False, True])
@pytest.mark.anyio
async def test_empty_pages_with_fresh_tokens(client: Callable[..., Any], aio: bool) -> None:
    if aio:
        async with client("modus", aio=True) as aclient:
            ids = [a.id async for a in aclient.agents.list()]
    else:
        ids = _agents(client("modus").agents.list())
    assert ids == [a["id"] for a in sim_faults.AGENTS]
    assert SIMULATORS["modus"].count("GET", "/api/v1/agents") == 1 + sim_faults.GAP + 2


@pytest.mark.parametrize("aio", [False, True])
@pytest.mark.parametrize("mode", ["endless", "sticky"])
@pytest.mark.anyio
async def test_tokens_that_never_end_or_repeat_end_iteration(
    client: Callable[..., Any], aio: bool, mode: str
) -> None:
    SIMULATORS["modus"].state["mode"] = mode
    if aio:
        async with client("modus", aio=True) as aclient:
            ids = [a.id async for a in aclient.agents.list()]
    else:
        ids = _agents(client("modus").agents.list())
    assert ids == [a["id"] for a in sim_faults.AGENTS[:3]]
    requests = SIMULATORS["modus"].requests("GET", "/api/v1/agents")
    assert len(requests) == (1 + MAX_EMPTY_PAGES if mode == "endless" else 2)


@pytest.mark.parametrize("aio", [False, True])
@pytest.mark.parametrize(
    ("call", "path", "expected"),
    [
        (lambda c: c.schedules.list(limit=10), "/schedules", sim_faults.SCHEDULES),  # says `total`
        (lambda c: c.chats.messages.list(chat_id="c1", limit=10), "/chats/c1/messages", sim_faults.MESSAGES),
    ],
    ids=["total", "has_next"],
)
@pytest.mark.anyio
async def test_a_capped_limit_does_not_end_iteration_when_the_response_says_more(
    client: Callable[..., Any], aio: bool, call: Callable[[Any], Any], path: str, expected: list[Any]
) -> None:
    if aio:
        async with client("modulex", aio=True) as aclient:
            ids = [x.id async for x in call(aclient)]
    else:
        ids = [x.id for x in call(client("modulex"))]
    assert ids == [x["id"] for x in expected]
    offsets = [r.param("offset") for r in SIMULATORS["modulex"].requests("GET", path)]
    assert offsets == [None, "3", "6", "9"]  # the server served 3 of the 10 asked, each time
