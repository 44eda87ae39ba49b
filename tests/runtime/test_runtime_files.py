"""Multipart uploads, raw octet-stream bodies and streamed binary downloads."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.runtime import (
    AsyncBinaryResponse,
    BaseModel,
    BinaryResponse,
    Operation,
    RequestOptions,
)

from .runtime_client import Acme, AsyncAcme
from .runtime_server import STATE, download_bytes

UPLOAD = Operation(method="POST", path="/upload/{key}", path_params=("key",))
RAW = Operation(method="PUT", path="/raw-upload/{key}", path_params=("key",))
DOWNLOAD = Operation(
    method="GET", path="/download/{key}/{size}", path_params=("key", "size"), accept="application/pdf"
)


class Meta(BaseModel):
    source: str | None = None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _upload(client: Acme, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    body = client.request(UPLOAD, cast_to=dict[str, Any], path_params={"key": key}, **kwargs)
    assert body["content_type"].startswith("multipart/form-data; boundary=")
    parts: list[dict[str, Any]] = body["parts"]
    return parts


def test_upload_from_path_is_opened_and_closed(
    client: Acme, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"%PDF-1.4 fake" * 1000
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    opened: list[io.BufferedReader] = []
    real_open = open

    def spy(*args: Any, **kwargs: Any) -> Any:
        handle = real_open(*args, **kwargs)
        opened.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", spy)
    parts = _upload(
        client,
        key,
        files={"file": path},
        form={"metadata": {"source": "test"}, "title": "Q1", "skip": None},
    )
    monkeypatch.undo()
    assert opened and all(h.closed for h in opened)
    by_name = {p["name"]: p for p in parts}
    assert by_name["file"]["filename"] == "report.pdf"
    assert by_name["file"]["content_type"] == "application/pdf"
    assert by_name["file"]["sha256"] == _sha(data)
    assert by_name["metadata"]["text"] == '{"source": "test"}'
    assert by_name["metadata"]["content_type"] == "application/json"  # OpenAPI's default for object parts
    assert by_name["title"]["text"] == "Q1"
    assert by_name["title"]["content_type"] is None
    assert "skip" not in by_name


def test_upload_from_str_path_bytes_file_object_and_tuples(client: Acme, key: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"from a path")
    handle = io.BytesIO(b"from a file object")
    with open(tmp_path / "notes.txt", "rb") as named:
        parts = _upload(
            client,
            key,
            files=[
                ("a", str(path)),
                ("b", b"raw bytes"),
                ("c", handle),
                ("d", ("custom.csv", b"x,y\n1,2\n")),
                ("e", ("blob.bin", io.BytesIO(b"\x00\x01"), "application/x-custom")),
                ("f", named),
            ],
            form={"meta": Meta(source="m")},
        )
    assert [(p["name"], p["filename"], p["content_type"]) for p in parts] == [
        ("meta", None, "application/json"),
        ("a", "notes.txt", "text/plain"),
        ("b", "b", "application/octet-stream"),
        ("c", "c", "application/octet-stream"),
        ("d", "custom.csv", "text/csv"),
        ("e", "blob.bin", "application/x-custom"),
        ("f", "notes.txt", "text/plain"),
    ]
    assert [p["text"] for p in parts] == [
        '{"source": "m"}',
        "from a path",
        "raw bytes",
        "from a file object",
        "x,y\n1,2\n",
        "\x00\x01",
        "from a path",
    ]


def test_list_of_files_makes_repeated_parts(client: Acme, key: str) -> None:
    parts = _upload(client, key, files={"files": [b"one", b"two", b"three"], "none": None})
    assert [(p["name"], p["text"]) for p in parts] == [
        ("files", "one"),
        ("files", "two"),
        ("files", "three"),
    ]


def test_multipart_with_extra_body_and_retries(client: Acme, key: str) -> None:
    op = Operation(
        method="POST", path="/upload/{key}", path_params=("key",), idempotency_header="Idempotency-Key"
    )
    data = b"payload" * 100
    body = client.request(
        op,
        cast_to=dict[str, Any],
        path_params={"key": key},
        query={"fail": "1"},
        files={"file": io.BytesIO(data)},
        options=RequestOptions(extra_body={"extra": "yes"}),
    )
    assert STATE.count(key) == 2  # the retry sent the whole file again
    names = {p["name"]: p for p in body["parts"]}
    assert names["extra"]["text"] == "yes"
    assert names["file"]["sha256"] == _sha(data)


def test_raw_file_body_is_rewound_on_retry(client: Acme, key: str, tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"x" * 200_000)
    body = client.request(
        RAW, cast_to=dict[str, Any], path_params={"key": key}, query={"fail": "1"}, content=path
    )
    assert STATE.count(key) == 2
    assert body["sha256"] == _sha(b"x" * 200_000)


def test_one_shot_iterator_body_is_not_retried(client: Acme, key: str) -> None:
    from generator.runtime import InternalServerError

    with pytest.raises(InternalServerError):
        client.request(
            RAW,
            cast_to=dict[str, Any],
            path_params={"key": key},
            query={"fail": "1"},
            content=iter([b"a", b"b"]),
        )
    assert STATE.count(key) == 1


def test_raw_content_bodies(client: Acme, key: str, tmp_path: Path) -> None:
    data = bytes(range(256)) * 1000
    path = tmp_path / "blob.bin"
    path.write_bytes(data)

    def chunks() -> Iterator[bytes]:
        yield data[:1000]
        yield data[1000:]

    for content in (data, io.BytesIO(data), path, chunks()):
        body = client.request(RAW, cast_to=dict[str, Any], path_params={"key": key}, content=content)
        assert body == {
            "sha256": _sha(data),
            "size": len(data),
            "content_type": "application/octet-stream",
        }
    body = client.request(
        RAW,
        cast_to=dict[str, Any],
        path_params={"key": key},
        content=b"{}",
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert body["content_type"] == "application/x-ndjson"


def test_binary_download_streams_to_file(client: Acme, key: str, tmp_path: Path) -> None:
    size = 3 * 1024 * 1024 + 17
    target = tmp_path / "out.pdf"
    with client.request(DOWNLOAD, cast_to=BinaryResponse, path_params={"key": key, "size": size}) as binary:
        assert binary.content_type == "application/pdf"
        assert binary.status_code == 200
        assert not binary.http_response.is_stream_consumed  # nothing read yet
        written = binary.write_to_file(target)
    assert written == size
    assert _sha(target.read_bytes()) == _sha(download_bytes(size))
    assert STATE.seen(key)[0].headers["accept"] == "application/pdf"


def test_binary_read_and_iter(client: Acme, key: str) -> None:
    binary = client.request(DOWNLOAD, cast_to=BinaryResponse, path_params={"key": key, "size": 1000})
    assert binary.read() == download_bytes(1000)
    binary = client.request(DOWNLOAD, cast_to=BinaryResponse, path_params={"key": key, "size": 200_000})
    chunks = list(binary.iter_bytes(50_000))
    assert all(len(c) <= 50_000 for c in chunks)
    assert b"".join(chunks) == download_bytes(200_000)
    assert binary.http_response.is_closed


@pytest.mark.anyio
async def test_async_download_and_upload(aclient: AsyncAcme, key: str, tmp_path: Path) -> None:
    size = 1024 * 1024
    binary = await aclient.request(
        DOWNLOAD, cast_to=AsyncBinaryResponse, path_params={"key": key, "size": size}
    )
    async with binary:
        written = await binary.write_to_file(tmp_path / "a.pdf")
    assert written == size
    assert _sha((tmp_path / "a.pdf").read_bytes()) == _sha(download_bytes(size))
    path = tmp_path / "up.txt"
    path.write_bytes(b"async upload")
    body = await aclient.request(
        UPLOAD, cast_to=dict[str, Any], path_params={"key": key}, files={"file": path}
    )
    assert body["parts"][0]["sha256"] == _sha(b"async upload")
    body = await aclient.request(RAW, cast_to=dict[str, Any], path_params={"key": key}, content=path)
    assert body["sha256"] == _sha(b"async upload")
    binary = await aclient.request(
        DOWNLOAD, cast_to=AsyncBinaryResponse, path_params={"key": key, "size": 10}
    )
    assert await binary.read() == download_bytes(10)
