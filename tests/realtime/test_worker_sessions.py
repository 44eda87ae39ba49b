"""The generated Mobius worker session (`client.workers.connect`) against a real worker WebSocket server.

Bearer auth on the upgrade request, the project setting in the path, every client frame type sent and every
server frame type received, keepalives answered and never surfaced, the terminal `worker.drain`, the error
frames, refused upgrades as typed status errors, and the lease reconnect policy (re-register with the same
`worker_instance_id` and the last `worker_session_token`), sync and async.
"""

from __future__ import annotations

from typing import Any

import pytest
from mobius_typed import (
    AsyncMobius,
    AuthenticationError,
    ConfigurationError,
    Mobius,
    RateLimitError,
    WebSocketAuthenticationError,
    WebSocketClosedError,
)
from mobius_typed.models import (
    ClaimedJob,
    ErrorEnvelope,
    GenerationDeltaAckFrame,
    JobCancellation,
    JobHeartbeatAckFrame,
    JobReportAckFrame,
    JobsClaimedFrame,
    WorkAvailableFrame,
    WorkerDrainFrame,
    WorkerDrainingAckFrame,
    WorkerErrorFrame,
    WorkerModel,
    WorkerRegisteredFrame,
)
from mobius_typed.sockets import AsyncWorkersSocket, WorkersSocket

from .ws_server import API_KEY, PROJECT, WebSocketServers, eventually


class FastMobius(Mobius):
    INITIAL_RETRY_DELAY = 0.01
    MAX_RETRY_DELAY = 0.02


class FastAsyncMobius(AsyncMobius):
    INITIAL_RETRY_DELAY = 0.01
    MAX_RETRY_DELAY = 0.02


def _client(servers: WebSocketServers, **kwargs: Any) -> FastMobius:
    return FastMobius(api_key=API_KEY, base_url=servers.http_url, project=PROJECT, **kwargs)


def _registrations(servers: WebSocketServers, instance: str) -> list[dict[str, Any]]:
    with servers.record.lock:
        return list(servers.record.registrations.get(instance, []))


def test_every_frame_type_both_ways(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        assert isinstance(worker, WorkersSocket)
        worker.send_worker_register(
            worker_instance_id="wi-all",
            message_id="m1",
            concurrency_limit=4,
            available_slots=4,
            name="builder",
            version="1.2.3",
            capabilities=["python"],
            queues=["default"],
            action_names=["send_email"],
            models=[WorkerModel(provider="anthropic", model="claude")],
        )
        registered = worker.recv(timeout=5)
        assert isinstance(registered, WorkerRegisteredFrame)
        assert registered.lease.heartbeat_cadence_seconds == 10
        worker.send_worker_ready(available_slots=4)
        assert isinstance(worker.recv(timeout=5), WorkAvailableFrame)
        worker.send_jobs_claim(available_slots=1, queues=["default"], message_id="m2")
        claimed = worker.recv(timeout=5)
        assert isinstance(claimed, JobsClaimedFrame) and claimed.message_id == "m2"
        job = claimed.jobs[0]
        assert isinstance(job, ClaimedJob) and job.lease_token == "lease_tok_1"
        worker.send_job_heartbeat(job_id=job.id, lease_token=job.lease_token)
        ack = worker.recv(timeout=5)
        assert isinstance(ack, JobHeartbeatAckFrame) and ack.cancel is None
        worker.send_job_heartbeat(job_id="job_cancel", lease_token="lease_tok_2")
        cancelled = worker.recv(timeout=5)
        assert isinstance(cancelled, JobHeartbeatAckFrame) and isinstance(cancelled.cancel, JobCancellation)
        worker.send_generation_delta(
            job_id=job.id, lease_token=job.lease_token, sequence=7, delta={"text": "hi"}
        )
        delta_ack = worker.recv(timeout=5)
        assert isinstance(delta_ack, GenerationDeltaAckFrame) and delta_ack.received_sequence == 7
        for duplicate in (False, True):
            worker.send_job_report(
                job_id="job_report_1", lease_token="t", status="completed", result={"ok": True}
            )
            report_ack = worker.recv(timeout=5)
            assert isinstance(report_ack, JobReportAckFrame) and report_ack.duplicate is duplicate
        worker.send_worker_draining()
        assert isinstance(worker.recv(timeout=5), WorkerDrainingAckFrame)
        worker.send_keepalive()
    seen = next(
        c
        for c in servers.record.by_path("/workers/socket")
        if c.received[0].get("worker_instance_id") == "wi-all"
    )
    assert eventually(lambda: seen.close_code is not None)
    assert seen.headers["Authorization"] == f"Bearer {API_KEY}"
    register = seen.received[0]
    assert register["models"] == [{"provider": "anthropic", "model": "claude"}]
    assert "worker_session_token" not in register  # not given: left out, not sent as null
    kinds = [frame["type"] for frame in seen.received]
    assert kinds.count("keepalive") == 3  # both server keepalives answered, plus send_keepalive()
    assert seen.close_code == 1000


def test_keepalives_are_never_yielded_and_drain_ends_the_iteration(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="wi-drain", queues=["drain"])
        worker.send_jobs_claim(queues=["drain"])
        frames = list(worker)
        assert [type(f) for f in frames] == [WorkerRegisteredFrame, WorkerDrainFrame]
        assert worker.is_open  # a terminal frame ends the iteration, not the session
        worker.send_job_report(job_id="job_last", lease_token="t", status="completed")
        assert isinstance(worker.recv(timeout=5), JobReportAckFrame)


def test_project_setting_per_call_is_percent_encoded(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect(project="team a/b") as worker:
        worker.send_worker_register(worker_instance_id="wi-proj")
        assert isinstance(worker.recv(timeout=5), WorkerRegisteredFrame)
    assert servers.record.by_path("/v1/projects/team%20a%2Fb/workers/socket")


def test_project_from_the_environment(servers: WebSocketServers, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOBIUS_API_KEY", API_KEY)
    monkeypatch.setenv("MOBIUS_API_URL", servers.http_url)
    monkeypatch.setenv("MOBIUS_PROJECT", "from-env")
    with Mobius().workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="wi-env")
        assert isinstance(worker.recv(timeout=5), WorkerRegisteredFrame)
    assert servers.record.by_path("/v1/projects/from-env/workers/socket")


def test_a_missing_project_is_a_configuration_error(servers: WebSocketServers) -> None:
    client = Mobius(api_key=API_KEY, base_url=servers.http_url)
    with pytest.raises(ConfigurationError, match="project"):
        client.workers.connect().open()


def test_a_refused_upgrade_is_a_typed_status_error(servers: WebSocketServers) -> None:
    client = Mobius(api_key="mbx_not_valid_0123456789", base_url=servers.http_url, project=PROJECT)
    with pytest.raises(AuthenticationError) as caught:
        client.workers.connect().open()
    assert caught.value.status_code == 401
    assert isinstance(caught.value.error, ErrorEnvelope) and caught.value.error.error.code == "unauthorized"
    assert "mbx_not_valid_0123456789" not in str(caught.value)
    with pytest.raises(RateLimitError):
        _client(servers, max_retries=1).workers.connect(project="limited").open()


def test_an_error_frame_in_place_of_registered_is_terminal(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="held-elsewhere")
        with pytest.raises(WebSocketAuthenticationError) as caught:
            list(worker)
    assert caught.value.code == "worker_instance_conflict"
    assert isinstance(caught.value.frame, WorkerErrorFrame)
    assert len(_registrations(servers, "held-elsewhere")) == 1  # never reconnects after an error frame


def test_reconnect_after_a_drop_re_registers_with_the_last_session_token(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="wi-drop", queues=["drop"], available_slots=2)
        worker.send_jobs_claim(available_slots=1, queues=["drop"])
        frames = []
        for frame in worker:
            frames.append(frame)
            if len(frames) == 3:
                break
        assert worker.reconnects == 1
        # the job's lease token is still usable on the new connection
        worker.send_job_heartbeat(job_id="job_01", lease_token="lease_tok_1")
        assert isinstance(worker.recv(timeout=5), JobHeartbeatAckFrame)
    assert [type(f) for f in frames] == [WorkerRegisteredFrame, JobsClaimedFrame, WorkerRegisteredFrame]
    first, second = _registrations(servers, "wi-drop")
    assert first.get("worker_session_token") is None
    assert second["worker_instance_id"] == "wi-drop"
    assert second["worker_session_token"] == "wst_wi-drop_1"  # the token the first connection got
    assert second["queues"] == ["drop"] and second["available_slots"] == 2
    assert frames[2].worker_session_token == "wst_wi-drop_2"  # type: ignore[union-attr]


def test_reconnect_after_a_going_away_close(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="wi-away")
        worker.send_jobs_claim(queues=["going-away"])
        kinds = [worker.recv(timeout=5).type_ for _ in range(3)]
    assert kinds == ["worker.registered", "jobs.claimed", "worker.registered"]
    assert _registrations(servers, "wi-away")[1]["worker_session_token"] == "wst_wi-away_1"


def test_reconnect_gives_up_after_max_retries_drops_in_a_row(servers: WebSocketServers) -> None:
    with _client(servers, max_retries=2).workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="flaky-1")
        with pytest.raises(WebSocketClosedError) as caught:
            worker.recv(timeout=5)
    assert caught.value.code == 1006
    assert len(_registrations(servers, "flaky-1")) == 3  # the first connection and 2 reconnects


def test_a_normal_close_is_not_a_drop(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        worker.send_worker_register(worker_instance_id="wi-bye")
        worker.send_jobs_claim(queues=["bye"])
        assert [type(f) for f in worker] == [WorkerRegisteredFrame, JobsClaimedFrame]
        assert worker.reconnects == 0 and worker.close_code == 1000
    assert len(_registrations(servers, "wi-bye")) == 1


def test_send_any_frame_as_a_mapping(servers: WebSocketServers) -> None:
    with _client(servers).workers.connect() as worker:
        worker.send({"type": "worker.register", "worker_instance_id": "wi-raw", "x-extra": 1})
        assert isinstance(worker.recv(timeout=5), WorkerRegisteredFrame)
    assert _registrations(servers, "wi-raw")[0]["x-extra"] == 1


# ---- async ----------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_worker_session(servers: WebSocketServers) -> None:
    client = FastAsyncMobius(api_key=API_KEY, base_url=servers.http_url, project=PROJECT)
    async with client.workers.connect() as worker:
        assert isinstance(worker, AsyncWorkersSocket)
        await worker.send_worker_register(worker_instance_id="wi-async", queues=["drop"])
        await worker.send_jobs_claim(queues=["drop"])
        frames = []
        async for frame in worker:
            frames.append(frame)
            if len(frames) == 3:
                break
        assert worker.reconnects == 1
        await worker.send_jobs_claim(queues=["drain"])
        assert [type(f) async for f in worker] == [WorkerDrainFrame]
    assert [type(f) for f in frames] == [WorkerRegisteredFrame, JobsClaimedFrame, WorkerRegisteredFrame]
    assert _registrations(servers, "wi-async")[1]["worker_session_token"] == "wst_wi-async_1"
    seen = servers.record.by_path(f"/v1/projects/{PROJECT}/workers/socket")
    assert any(frame["type"] == "keepalive" for conn in seen for frame in conn.received)


@pytest.mark.anyio
async def test_async_errors(servers: WebSocketServers) -> None:
    bad = AsyncMobius(api_key="mbx_not_valid_0123456789", base_url=servers.http_url, project=PROJECT)
    with pytest.raises(AuthenticationError):
        await bad.workers.connect().open()
    client = FastAsyncMobius(api_key=API_KEY, base_url=servers.http_url, project=PROJECT, max_retries=1)
    async with client.workers.connect() as worker:
        await worker.send_worker_register(worker_instance_id="held-elsewhere")
        with pytest.raises(WebSocketAuthenticationError, match=r"worker_instance_conflict|holds"):
            await worker.recv(timeout=5)
    async with client.workers.connect() as worker:
        await worker.send_worker_register(worker_instance_id="flaky-async")
        with pytest.raises(WebSocketClosedError):
            await worker.recv(timeout=5)
    assert len(_registrations(servers, "flaky-async")) == 2
