"""An AUTX user's application code, tested with nothing but `autx_typed.testing`, sync and async.

AUTX streams nothing over server-sent events (its chat is a WebSocket, which the kit does not mock),
so there is no stream to follow here; its payment errors are the interesting part: the x402
challenge of a proxy call and the 402 of an order the credits cannot pay.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "generated" / "autx" / "src"))

from autx_typed import AsyncAutx, Autx, PaymentRequiredError, RateLimitError
from autx_typed.models.agent import Agent
from autx_typed.testing import MockAPIError, MockAutx, fake

AGENT_ID = "0b7c5f0e-2a4f-4d56-9a43-7f3c1d2e8a10"


def cheap_agents(client: Autx, budget: float) -> list[str]:
    """Application code: the tickers of the agents within budget, across pages."""
    return [agent.ticker for agent in client.agents.list(limit=2) if agent.service_price <= budget]


async def async_cheap_agents(client: AsyncAutx, budget: float) -> list[str]:
    return [agent.ticker async for agent in client.agents.list(limit=2) if agent.service_price <= budget]


def sign(challenge_error: str) -> str:
    """Stands for the wallet signing the challenge (the part a real application does elsewhere)."""
    return f"signed:{challenge_error}"


def ask(client: Autx, ticker: str, prompt: str) -> str:
    """Application code: call an agent; when it asks for an x402 payment, pay and call again."""
    try:
        answer = client.proxy.call(ticker_or_id=ticker, prompt=prompt)
    except PaymentRequiredError as exc:
        answer = client.proxy.call(
            ticker_or_id=ticker, prompt=prompt, payment_signature=sign(exc.error.error)
        )
    return str((answer.model_extra or {}).get("text"))


async def async_ask(client: AsyncAutx, ticker: str, prompt: str) -> str:
    try:
        answer = await client.proxy.call(ticker_or_id=ticker, prompt=prompt)
    except PaymentRequiredError as exc:
        signature = sign(exc.error.error)
        answer = await client.proxy.call(ticker_or_id=ticker, prompt=prompt, payment_signature=signature)
    return str((answer.model_extra or {}).get("text"))


def order(client: Autx, prompt: str) -> str:
    """Application code: place an order; tell the user to top up when the credits cannot pay it."""
    try:
        return client.orders.create(agent_id=AGENT_ID, prompt=prompt).status
    except PaymentRequiredError as exc:
        return f"top up: {exc.error.detail}"
    except RateLimitError as exc:
        return f"busy, try again in {exc.retry_after:g}s"


async def async_order(client: AsyncAutx, prompt: str) -> str:
    try:
        return (await client.orders.create(agent_id=AGENT_ID, prompt=prompt)).status
    except PaymentRequiredError as exc:
        return f"top up: {exc.error.detail}"


def _pages() -> tuple[list[Agent], list[Agent]]:
    first = [fake(Agent, ticker="SUMM", service_price=0.5), fake(Agent, ticker="GOLD", service_price=9.0)]
    return first, [fake(Agent, ticker="TINY", service_price=0.1)]


def _x402(api: MockAutx) -> None:
    api.proxy.call.respond_error(
        402, headers={"PAYMENT-REQUIRED": "eyJ4NDAyIjoyfQ"}, x402_version=2, error="payment_required"
    )
    api.proxy.call.respond(text="a summary")  # the agent's free-form JSON answer


def test_offset_pages_are_followed_with_the_offset_the_kit_saw() -> None:
    with MockAutx() as api:
        api.agents.list.respond_pages(*_pages())
        assert cheap_agents(api.client(), budget=1.0) == ["SUMM", "TINY"]
        calls = api.agents.list.calls
        assert [call.params.get("offset") for call in calls] == [None, "2"]
        assert [call.params["limit"] for call in calls] == ["2", "2"]


def test_async_offset_pages() -> None:
    with MockAutx() as api:
        api.agents.list.respond_pages(*_pages())
        assert asyncio.run(async_cheap_agents(api.async_client(), budget=1.0)) == ["SUMM", "TINY"]
        assert [call.params.get("offset") for call in api.agents.list.calls] == [None, "2"]


def test_x402_challenge_then_paid_call() -> None:
    with MockAutx() as api:
        _x402(api)
        assert ask(api.client(), "SUMM", "summarize this") == "a summary"
        calls = api.proxy.call.calls
        assert [call.headers.get("payment-signature") for call in calls] == [None, "signed:payment_required"]
        assert [call.json for call in calls] == [{"prompt": "summarize this"}] * 2
        assert calls[0].path_params == {"ticker_or_id": "SUMM"}


def test_async_x402_challenge_then_paid_call() -> None:
    with MockAutx() as api:
        _x402(api)
        assert asyncio.run(async_ask(api.async_client(), "SUMM", "hi")) == "a summary"
        assert api.proxy.call.calls[1].headers["payment-signature"] == "signed:payment_required"


def test_a_wire_name_given_for_a_field_is_refused_with_its_python_name() -> None:
    with MockAutx() as api:
        with pytest.raises(TypeError, match=r"X402Challenge has no field 'x402Version' \(its python name is"):
            api.proxy.call.respond_error(402, x402Version=2)
        with pytest.raises(TypeError, match=r"Balance has no field 'balance'; its fields: balance_usd, "):
            api.credits.get_balance.respond(balance="1")


def test_402_insufficient_credits_in_the_vendor_envelope() -> None:
    with MockAutx() as api:
        api.orders.create.respond_error(402, detail="Insufficient credits")
        assert order(api.client(), "p") == "top up: Insufficient credits"
        assert api.orders.create.calls[0].json == {"agent_id": AGENT_ID, "prompt": "p"}


def test_async_402_insufficient_credits() -> None:
    with MockAutx() as api:
        api.orders.create.respond_error(402, detail="Insufficient credits")
        assert asyncio.run(async_order(api.async_client(), "p")) == "top up: Insufficient credits"


def test_429_with_retry_after_then_200() -> None:
    with MockAutx() as api:
        api.credits.get_balance.respond_error(429, retry_after=3, detail="slow down")
        api.credits.get_balance.respond(balance_usd="9.95")
        assert api.client().credits.get_balance().balance_usd == "9.95"
        assert api.sleeps == [3.0]
        assert len(api.credits.get_balance.calls) == 2


def test_async_429_then_200() -> None:
    async def balance(client: AsyncAutx) -> object:
        return (await client.credits.get_balance()).balance_usd

    with MockAutx() as api:
        api.credits.get_balance.respond_error(429, retry_after=1)
        api.credits.get_balance.respond(balance_usd="1.00")
        assert asyncio.run(balance(api.async_client())) == "1.00"
        assert api.sleeps == [1.0]


def test_429_of_an_order_is_not_retried() -> None:
    """An order is a POST without an idempotency key: repeating it could pay twice."""
    with MockAutx() as api:
        api.orders.create.respond_error(429, retry_after=5, detail="slow down")
        api.orders.create.respond(status="completed")
        assert order(api.client(), "p") == "busy, try again in 5s"
        assert len(api.orders.create.calls) == 1
        assert api.sleeps == []


def test_kit_messages_name_the_operation_and_field() -> None:
    with MockAutx() as api:
        client = api.client()
        with pytest.raises(MockAPIError, match=r"orders\.get \(GET /orders/\{id\}\) was called but no"):
            client.orders.get(id="o1")
        api.orders.create.respond()
        bad: Any = 5
        with pytest.raises(MockAPIError, match=r"orders\.create .*field 'prompt': .*valid string \(sent 5\)"):
            client.orders.create(agent_id=AGENT_ID, prompt=bad)
        raw = client.with_options(max_retries=0)._http
        with pytest.raises(MockAPIError, match=r"orders\.create .*field 'prompt': Field required"):
            raw.post(api.base_url + "/orders/", json={"agent_id": AGENT_ID})
        with pytest.raises(MockAPIError, match=r"answers POST .*/orders; the nearest is orders\.create"):
            raw.post(api.base_url + "/orders", json={"agent_id": AGENT_ID, "prompt": "p"})


def test_a_websocket_only_resource_has_no_empty_namespace_on_the_mock() -> None:
    """`client.chat` has only a WebSocket, which the kit does not mock: no `api.chat` to misuse."""
    with MockAutx() as api:
        assert not hasattr(api, "chat")
        assert hasattr(api.client(), "chat")
