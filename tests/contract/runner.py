"""Run a contract plan through an installed generated client (executed by the fresh venv's python).

Usage: python runner.py PLAN.json RESULT.json. The plan names the package, the client class, its
constructor arguments and one call per operation. Each call is made twice, with the sync client and with
the async one, and passes when both send a request the mock server accepts and parse its answer: a JSON
model, a page (and the page after it, when there is one), every event of a stream, or a binary body read to
the end. The result is JSON: `{id: {"ok": what came back} | {"error": why, "violations": Prism's list}}`.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
from typing import Any

MAX_EVENTS = 1000


def decode(value: Any) -> Any:
    """JSON plan values back into python ones: files become (name, bytes, type) tuples."""
    if isinstance(value, dict):
        if "__file__" in value:
            return (value["__file__"], value["content"].encode(), value["type"])
        if "__bytes__" in value:
            return value["__bytes__"].encode()
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _events(events: list[Any]) -> str:
    if not events:
        raise AssertionError("the stream ended without a single event")
    return f"stream ({len(events)} events, the last a {type(events[-1]).__name__})"


def consume(result: Any, runtime: Any) -> str:
    """Read the whole answer of a sync call; return what it was."""
    if isinstance(result, runtime.SyncPage):
        pages = 1
        if result.has_next_page():
            result.get_next_page()
            pages += 1
        return f"page ({len(result.items)} items, {pages} page(s) fetched)"
    if isinstance(result, runtime.Stream):
        events: list[Any] = []
        with result:
            for event in result:
                events.append(event)
                if len(events) >= MAX_EVENTS:
                    raise AssertionError(f"the stream did not end after {MAX_EVENTS} events")
        return _events(events)
    if isinstance(result, runtime.BinaryResponse):
        return f"binary ({len(result.read())} bytes, {result.content_type})"
    return type(result).__name__


async def aconsume(result: Any, runtime: Any) -> str:
    """Read the whole answer of an async call (``result`` is the coroutine or paginator)."""
    if isinstance(result, runtime.AsyncPaginator):
        page = await result
        pages = 1
        if page.has_next_page():
            await page.get_next_page()
            pages += 1
        return f"page ({len(page.items)} items, {pages} page(s) fetched)"
    value = await result
    if isinstance(value, runtime.AsyncStream):
        events: list[Any] = []
        async with value:
            async for event in value:
                events.append(event)
                if len(events) >= MAX_EVENTS:
                    raise AssertionError(f"the stream did not end after {MAX_EVENTS} events")
        return _events(events)
    if isinstance(value, runtime.AsyncBinaryResponse):
        return f"binary ({len(await value.read())} bytes, {value.content_type})"
    return type(value).__name__


def failure(exc: BaseException, runtime: Any) -> str:
    if isinstance(exc, runtime.APIStatusError):
        body = exc.body if isinstance(exc.body, str) else json.dumps(exc.body)
        return f"{type(exc).__name__} {exc.status_code}: {body[:1500]}"
    text = f"{type(exc).__name__}: {exc}"
    cause = exc.__cause__
    if cause is not None:
        text += f" (caused by {type(cause).__name__}: {str(cause)[:1500]})"
    return text


def violations(exc: BaseException, runtime: Any) -> list[Any] | None:
    """What Prism found wrong with a rejected request (its `sl-violations` header or problem body)."""
    if not isinstance(exc, runtime.APIStatusError):
        return None
    header = exc.response.headers.get("sl-violations")
    if header:  # Prism answered with the spec's own error response and says why in this header
        try:
            return list(json.loads(header))
        except ValueError:
            return None
    body = exc.body  # no error response in the spec: Prism's problem+json lists them itself
    return body.get("validation") if isinstance(body, dict) else None


def method_of(client: Any, call: dict[str, Any]) -> Any:
    target = client
    for attr in call["attrs"]:
        target = getattr(target, attr)
    return getattr(target, call["method"])


async def run_async(plan: dict[str, Any], package: Any, runtime: Any, results: dict[str, Any]) -> None:
    client = getattr(package, "Async" + plan["client"])(**plan["client_kwargs"])
    async with client:
        for call in plan["calls"]:
            if "error" in results[call["id"]]:
                continue
            try:
                await aconsume(method_of(client, call)(**decode(call["kwargs"])), runtime)
            except Exception as exc:
                results[call["id"]] = {
                    "error": "async client: " + failure(exc, runtime),
                    "violations": violations(exc, runtime),
                }


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    package = importlib.import_module(plan["package"])
    runtime = importlib.import_module(plan["package"] + "._runtime")
    results: dict[str, dict[str, Any]] = {}
    with getattr(package, plan["client"])(**plan["client_kwargs"]) as client:
        for call in plan["calls"]:
            method = method_of(client, call)
            kwargs = decode(call["kwargs"])
            try:
                inspect.signature(method).bind(**kwargs)
            except TypeError as exc:
                results[call["id"]] = {"error": f"arguments do not fit the method: {exc}"}
                continue
            try:
                results[call["id"]] = {"ok": consume(method(**kwargs), runtime)}
            except Exception as exc:
                results[call["id"]] = {"error": failure(exc, runtime), "violations": violations(exc, runtime)}
    asyncio.run(run_async(plan, package, runtime, results))
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
