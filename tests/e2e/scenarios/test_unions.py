"""Forward compatibility of tagged unions through the installed package: a variant the vendor added
after the package was generated (`kind: "parrot"`) is kept as `UnknownVariant` wherever it is nested,
sent back unchanged, and an unknown *event type* of a stream is still skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import modulex_typed
import pytest
import sim_faults
import sim_modulex
from modulex_typed import UnknownVariant
from modulex_typed.models import YesNoInputRequest

LLM = {"integration_name": "openai", "provider_id": "openai", "model_id": "gpt"}


def _describe(question: object) -> str:
    """What user code does with the union: match on the variants it knows, and on the unknown one."""
    match question:
        case YesNoInputRequest(message=message):
            return f"yes/no: {message}"
        case UnknownVariant(tag=tag, data=data):
            return f"unknown {tag}: {data['message']}"
        case _:
            return "other"


def test_an_unknown_variant_in_a_field_is_kept(client: Callable[..., Any]) -> None:
    chat = client("modulex").assistant.chats.get(chat_id="chat_1")
    pending = chat.pending_user_input_request
    assert isinstance(pending, UnknownVariant)
    assert (pending.tag, pending.data) == ("parrot", sim_faults.PARROT)
    assert _describe(pending) == "unknown parrot: Pick a feather"
    assert chat.to_dict()["pending_user_input_request"] == sim_faults.PARROT  # serializes as received
    sim_modulex.sim.state["mode"] = "known"
    known = client("modulex").assistant.chats.get(chat_id="chat_1").pending_user_input_request
    assert _describe(known) == "yes/no: Deploy?"


@pytest.mark.anyio
async def test_async_unknown_variant_in_a_field(client: Callable[..., Any]) -> None:
    async with client("modulex", aio=True) as aclient:
        chat = await aclient.assistant.chats.get(chat_id="chat_1")
    assert chat.pending_user_input_request == UnknownVariant(tag="parrot", data=sim_faults.PARROT)


def test_a_variant_the_client_does_not_know_can_be_sent(client: Callable[..., Any]) -> None:
    answer = {"kind": "feather_choice", "feathers": ["red"]}
    started = client("modulex").assistant.chats.resume(
        chat_id="chat_1",
        request_id="req_9",
        response=UnknownVariant(tag="feather_choice", data=answer),
        llm=LLM,
    )
    assert started.run_id == "run_7"
    (sent,) = sim_modulex.sim.requests("POST", "/assistant/chat/chat_1/resume")
    assert sent.json()["response"] == answer


@pytest.mark.anyio
async def test_async_send_an_unknown_variant(client: Callable[..., Any]) -> None:
    async with client("modulex", aio=True) as aclient:
        await aclient.assistant.chats.resume(
            chat_id="chat_1", request_id="r", response=UnknownVariant(tag="x", data={"kind": "x"}), llm=LLM
        )
    (sent,) = sim_modulex.sim.requests("POST", "/assistant/chat/chat_1/resume")
    assert sent.json()["response"] == {"kind": "x"}


def test_streams_skip_unknown_event_types_but_keep_unknown_nested_variants(
    client: Callable[..., Any],
) -> None:
    events = list(client("modulex").assistant.chats.listen(chat_id="chat_1", run_id="run_7"))
    assert [e.type_ for e in events] == ["user_input_request", "done"]  # `brand_new_event` is skipped
    assert events[0].data == UnknownVariant(tag="parrot", data=sim_faults.PARROT)


@pytest.mark.anyio
async def test_async_streams_skip_unknown_event_types(client: Callable[..., Any]) -> None:
    async with client("modulex", aio=True) as aclient:
        stream = await aclient.assistant.chats.listen(chat_id="chat_1", run_id="run_7")
        events = [e async for e in stream]
    assert [e.type_ for e in events] == ["user_input_request", "done"]
    assert isinstance(events[0].data, UnknownVariant) and events[0].data.tag == "parrot"


def test_unknown_variant_is_public() -> None:
    assert "UnknownVariant" in modulex_typed.__all__
