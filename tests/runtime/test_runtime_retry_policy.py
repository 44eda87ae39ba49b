"""Which statuses are retried, how long a server may make the client wait, and RetryPolicy layers.

The server (tests/runtime/runtime_server.py) fails the first attempts of a key with the status and
Retry-After it is told to; the clients record their sleeps instead of sleeping, so the tests assert
the waits the client chose, not wall time.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest

from generator.runtime import (
    APIStatusError,
    ClientSpec,
    ConflictError,
    InternalServerError,
    Operation,
    RateLimitError,
    RequestOptions,
    RetryPolicy,
)

from .runtime_client import API_KEY, SPEC, Acme, AsyncAcme
from .runtime_server import STATE

GET = Operation(method="GET", path="/flaky/{key}", path_params=("key",))
POST_KEYED = Operation(
    method="POST", path="/flaky/{key}", path_params=("key",), idempotency_header="Idempotency-Key"
)


class Recording(Acme):
    """Records each wait instead of sleeping."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sleeps: list[float] = []

    def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


class AsyncRecording(AsyncAcme):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sleeps: list[float] = []

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def _get(client: Acme, key: str, retry: RetryPolicy | None = None, **query: str) -> dict[str, Any]:
    return client.request(
        GET,
        cast_to=dict[str, Any],
        path_params={"key": key},
        query=query,
        options=RequestOptions(retry=retry),
    )


@pytest.fixture
def rec(base_url: str) -> Recording:
    return Recording(api_key=API_KEY, base_url=base_url, max_retries=3)


@pytest.fixture
def arec(base_url: str) -> AsyncRecording:
    return AsyncRecording(api_key=API_KEY, base_url=base_url, max_retries=3)


@pytest.mark.parametrize("status", [409, 501, 505])
def test_terminal_statuses_are_raised_at_once(rec: Recording, key: str, status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        _get(rec, key, fail="1", status=str(status))
    assert info.value.status_code == status
    assert STATE.count(key) == 1 and rec.sleeps == []
    if status == 409:
        assert isinstance(info.value, ConflictError)


def test_a_terminal_conflict_on_a_keyed_post_is_not_retried(rec: Recording, key: str) -> None:
    with pytest.raises(ConflictError):
        rec.request(POST_KEYED, cast_to=dict, path_params={"key": key}, query={"fail": "1", "status": "409"})
    assert STATE.count(key) == 1 and rec.sleeps == []


def test_the_api_declares_its_retried_statuses(base_url: str, key: str) -> None:
    class Declaring(Recording):
        pass

    spec = dataclasses.replace(SPEC, retry_statuses=frozenset({409}))
    client = Declaring(api_key=API_KEY, base_url=base_url, max_retries=3)
    client._spec = spec  # as a package generated with retry_statuses = [409] has it
    assert _get(client, key, fail="1", status="409")["attempts"] == 2
    other = uuid.uuid4().hex
    with pytest.raises(InternalServerError):
        _get(client, other, fail="1", status="503")
    assert STATE.count(other) == 1


def test_default_spec_retries_the_documented_statuses() -> None:
    assert ClientSpec(
        name="x", package="x", version="1", user_agent="x", default_base_url="http://x"
    ).retry_statuses == {
        408,
        429,
        500,
        502,
        503,
        504,
    }


def test_retry_after_within_the_cap_is_waited_exactly(rec: Recording, key: str) -> None:
    assert _get(rec, key, fail="1", status="429", retry_after="45")["attempts"] == 2
    assert rec.sleeps == [45.0]


def test_retry_after_beyond_the_cap_raises_at_once(rec: Recording, key: str) -> None:
    with pytest.raises(RateLimitError) as info:
        _get(rec, key, fail="1", status="429", retry_after="3600")
    assert STATE.count(key) == 1 and rec.sleeps == []
    assert info.value.retry_after == 3600.0
    notes = getattr(info.value, "__notes__", [])
    assert any("3600 s" in note and "max_retry_after (60 s)" in note for note in notes)


def test_the_cap_is_settable_per_client_and_per_call(rec: Recording, key: str) -> None:
    patient = rec.with_options(retry=RetryPolicy(max_retry_after=7200.0))
    assert isinstance(patient, Recording)
    patient.sleeps = rec.sleeps
    assert _get(patient, key, fail="1", status="429", retry_after="3600")["attempts"] == 2
    assert rec.sleeps == [3600.0]
    rec.sleeps.clear()
    other = uuid.uuid4().hex
    with pytest.raises(RateLimitError):
        _get(rec, other, RetryPolicy(max_retry_after=5.0), fail="1", status="429", retry_after="6")
    assert rec.sleeps == []
    assert _get(rec, uuid.uuid4().hex, RetryPolicy(max_retry_after=5.0), fail="1", retry_after="5") == {
        "attempts": 2,
        "idempotency_keys": [None, None],
        "at": pytest.approx(0, abs=1e12),
    }
    assert rec.sleeps == [5.0]


def test_backoff_is_settable_per_client(base_url: str, key: str) -> None:
    steady = RetryPolicy(initial_delay=0.25, max_delay=1.0, jitter=0.0)
    client = Recording(api_key=API_KEY, base_url=base_url, max_retries=4, retry=steady)
    assert _get(client, key, fail="4")["attempts"] == 5
    assert client.sleeps == [0.25, 0.5, 1.0, 1.0]
    assert client.retry.initial_delay == 0.25 and client.retry.max_retries == 4


def test_a_call_policy_lays_over_the_client_policy(base_url: str, key: str) -> None:
    client = Recording(
        api_key=API_KEY, base_url=base_url, retry=RetryPolicy(initial_delay=0.5, max_delay=4.0, jitter=0.0)
    )
    # only max_retries and initial_delay change for this call: max_delay and jitter stay the client's
    assert _get(client, key, RetryPolicy(max_retries=5, initial_delay=1.0), fail="5")["attempts"] == 6
    assert client.sleeps == [1.0, 2.0, 4.0, 4.0, 4.0]
    client.sleeps.clear()
    with pytest.raises(InternalServerError):
        _get(client, uuid.uuid4().hex, RetryPolicy(max_retries=0), fail="1")
    assert client.sleeps == []


def test_max_retries_argument_wins_over_the_policy(base_url: str) -> None:
    client = Acme(api_key=API_KEY, base_url=base_url, max_retries=1, retry=RetryPolicy(max_retries=6))
    assert client.max_retries == 1
    assert Acme(api_key=API_KEY, base_url=base_url, retry=RetryPolicy(max_retries=6)).max_retries == 6
    copy = client.with_options(retry=RetryPolicy(max_retries=4, jitter=0.5))
    assert (copy.max_retries, copy.retry.jitter) == (4, 0.5)
    assert copy.with_options(retry=RetryPolicy(initial_delay=2.0)).retry.jitter == 0.5


@pytest.mark.parametrize(
    "fields",
    [{"max_retries": -1}, {"initial_delay": -0.1}, {"jitter": 1.5}, {"max_retry_after": -5.0}],
)
def test_a_nonsense_policy_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="RetryPolicy"):
        RetryPolicy(**fields)


@pytest.mark.anyio
async def test_async_terminal_conflict_and_long_retry_after(arec: AsyncRecording, key: str) -> None:
    async def get(key: str, retry: RetryPolicy | None = None, **query: str) -> Any:
        return await arec.request(
            GET,
            cast_to=dict[str, Any],
            path_params={"key": key},
            query=query,
            options=RequestOptions(retry=retry),
        )

    with pytest.raises(ConflictError):
        await get(key, fail="1", status="409")
    assert STATE.count(key) == 1
    with pytest.raises(RateLimitError):
        await get(uuid.uuid4().hex, fail="1", status="429", retry_after="120")
    assert arec.sleeps == []
    assert (
        await get(
            uuid.uuid4().hex, RetryPolicy(max_retry_after=120.0), fail="1", status="429", retry_after="120"
        )
    )["attempts"] == 2
    assert arec.sleeps == [120.0]
    arec.sleeps.clear()
    steady = AsyncRecording(
        api_key=API_KEY,
        base_url=str(arec.base_url),
        retry=RetryPolicy(initial_delay=0.1, max_delay=0.2, jitter=0.0),
    )
    assert (
        await steady.request(GET, cast_to=dict, path_params={"key": uuid.uuid4().hex}, query={"fail": "2"})
    )["attempts"] == 3
    assert steady.sleeps == [0.1, 0.2]
    await steady.aclose()
    await arec.aclose()
