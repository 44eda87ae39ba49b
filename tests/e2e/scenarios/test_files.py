"""Uploads arrive byte-identical (the simulators hash what they received); binary downloads stream to a
file without the client ever holding the body (tracemalloc peak far below the size)."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sim_autx
import sim_mobius
import sim_modulex

DOWNLOAD_SIZE = 12 * 1024 * 1024
PEAK_LIMIT = DOWNLOAD_SIZE // 4  # measured: about 1.1 MB, simulator thread included


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_modulex_document_upload_from_a_path(client: Callable[..., Any], tmp_path: Path) -> None:
    data = os.urandom(1_500_000)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    document = client("modulex").knowledge_bases.documents.upload(
        knowledge_id="kb_1", file=path, metadata='{"source": "e2e", "tags": ["q3"]}'
    )
    (upload,) = sim_modulex.sim.state["uploads"]
    assert upload.sha256 == _sha(data) and len(upload.data) == len(data)
    assert (upload.filename, upload.content_type) == ("report.pdf", "application/pdf")
    assert sim_modulex.sim.state["metadata"] == {"source": "e2e", "tags": ["q3"]}
    assert document.file_size_bytes == len(data) and document.filename == "report.pdf"


def test_modulex_document_upload_from_bytes_with_a_name(client: Callable[..., Any]) -> None:
    data = "# Notes\n\nnon-ASCII: é ü 漢字\n".encode()
    client("modulex").knowledge_bases.documents.upload(
        knowledge_id="kb_1", file=("notes.md", data, "text/markdown")
    )
    (upload,) = sim_modulex.sim.state["uploads"]
    assert (upload.filename, upload.content_type, upload.data) == ("notes.md", "text/markdown", data)


@pytest.mark.anyio
async def test_modulex_document_upload_from_a_file_object_async(
    client: Callable[..., Any], tmp_path: Path
) -> None:
    data = os.urandom(300_000)
    path = tmp_path / "table.csv"
    path.write_bytes(data)
    async with client("modulex", aio=True) as aclient:
        with path.open("rb") as handle:
            await aclient.knowledge_bases.documents.upload(knowledge_id="kb_1", file=handle)
    (upload,) = sim_modulex.sim.state["uploads"]
    assert upload.sha256 == _sha(data) and upload.filename == "table.csv"


def test_mobius_artifact_upload_is_hashed_by_the_server(client: Callable[..., Any]) -> None:
    data = os.urandom(700_000)
    artifact = client("mobius").artifacts.upload(
        x_mobius_lease_token="lease_1",
        file=("data.bin", io.BytesIO(data), "application/octet-stream"),
        name="data.bin",
        tags={"team": "data"},
    )
    assert artifact.sha256 == _sha(data) and artifact.size_bytes == len(data)
    (request,) = sim_mobius.sim.requests("POST", "/v1/projects/demo/artifacts")
    assert request.header("x-mobius-lease-token") == "lease_1"


def test_autx_multipart_order_with_several_files(client: Callable[..., Any], tmp_path: Path) -> None:
    first, second = os.urandom(200_000), os.urandom(50_000)
    (tmp_path / "a.json").write_bytes(first)
    order = client("autx").orders.create_multipart(
        agent_id=sim_autx.AGENT_ID, prompt="Analyze", files=[tmp_path / "a.json", ("b.bin", second)]
    )
    assert order.agent_id == sim_autx.AGENT_ID
    received = sim_autx.sim.state["order_files"]
    assert [(p.filename, p.sha256) for p in received] == [("a.json", _sha(first)), ("b.bin", _sha(second))]


def test_binary_download_streams_to_a_file_in_bounded_memory(
    client: Callable[..., Any], tmp_path: Path
) -> None:
    sim_mobius.sim.state["artifact_size"] = DOWNLOAD_SIZE
    mobius = client("mobius")
    target = tmp_path / "artifact.bin"
    tracemalloc.start()
    try:
        with mobius.artifacts.download(id="art_1") as download:
            assert download.content_type == "application/octet-stream"
            written = download.write_to_file(target)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == DOWNLOAD_SIZE == target.stat().st_size
    assert peak < PEAK_LIMIT, f"peak {peak} bytes for a {DOWNLOAD_SIZE}-byte download"
    assert _sha(target.read_bytes()) == sim_mobius.expected_artifact_sha256(DOWNLOAD_SIZE)


@pytest.mark.anyio
async def test_binary_download_streams_async_in_bounded_memory(
    client: Callable[..., Any], tmp_path: Path
) -> None:
    sim_mobius.sim.state["artifact_size"] = DOWNLOAD_SIZE
    digest = hashlib.sha256()
    async with client("mobius", aio=True) as aclient:
        tracemalloc.start()
        try:
            download = await aclient.artifacts.download(id="art_1")
            async for chunk in download.iter_bytes():
                digest.update(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < PEAK_LIMIT, f"peak {peak} bytes for a {DOWNLOAD_SIZE}-byte download"
    assert digest.hexdigest() == sim_mobius.expected_artifact_sha256(DOWNLOAD_SIZE)


def test_pdf_receipt(client: Callable[..., Any], tmp_path: Path) -> None:
    raw = client("autx").sessions.with_raw_response.download_receipt(id="ses_abc123")
    assert raw.headers["content-type"] == "application/pdf" and raw.rate_limit.limit == sim_autx.RATE_LIMIT
    receipt = raw.parse()
    assert receipt.content_type == "application/pdf"
    assert receipt.write_to_file(tmp_path / "receipt.pdf") == len(sim_autx.RECEIPT)
    assert (tmp_path / "receipt.pdf").read_bytes() == sim_autx.RECEIPT
