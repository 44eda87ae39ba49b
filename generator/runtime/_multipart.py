"""Request bodies that are not JSON: multipart parts and raw octet streams."""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, TypeAlias, cast

from ._types import ContentInput, FileInput, FilesInput, NotGiven

__all__ = ["FileParts", "OpenedFiles", "RawContent", "file_parts"]

HttpxFile: TypeAlias = tuple[str | None, bytes | IO[bytes], str | None]
FileParts: TypeAlias = list[tuple[str, HttpxFile]]


class OpenedFiles:
    """Files the runtime opened from paths; closed when the call is over."""

    def __init__(self) -> None:
        self._files: list[IO[bytes]] = []

    def open(self, path: str | os.PathLike[str]) -> IO[bytes]:
        """Open ``path`` for reading and remember to close it."""
        handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._files.append(handle)
        return handle

    def close(self) -> None:
        """Close every file opened so far."""
        while self._files:
            self._files.pop().close()


def _guess_type(filename: str | None) -> str:
    if filename:
        guessed, _ = mimetypes.guess_type(filename)
        if guessed:
            return guessed
    return "application/octet-stream"


def _name_of(handle: object, fallback: str) -> str:
    name = getattr(handle, "name", None)
    if isinstance(name, str) and name and not name.startswith("<"):
        return os.path.basename(name)
    return fallback


def _one_file(field: str, value: FileInput, opened: OpenedFiles) -> HttpxFile:
    if isinstance(value, tuple):
        filename = value[0]
        content = value[1]
        content_type = value[2] if len(value) == 3 else _guess_type(filename)
        return (filename, content, content_type)
    if isinstance(value, str | os.PathLike):
        name: str = os.path.basename(os.fspath(value))
        return (name, opened.open(value), _guess_type(name))
    if isinstance(value, bytes | bytearray | memoryview):
        return (field, bytes(value), "application/octet-stream")
    name = _name_of(value, field)
    return (name, value, _guess_type(name))


def file_parts(files: FilesInput, opened: OpenedFiles) -> FileParts:
    """Normalise the ``files=`` argument into httpx's ``(name, (filename, content, type))``."""
    entries: list[tuple[str, Any]]
    if isinstance(files, Mapping):
        entries = list(cast("Mapping[str, Any]", files).items())
    else:
        entries = list(cast("Sequence[tuple[str, Any]]", files))
    parts: FileParts = []
    for field, value in entries:
        if value is None or isinstance(value, NotGiven):
            continue
        values: list[FileInput] = cast("list[FileInput]", value) if isinstance(value, list) else [value]
        parts.extend((field, _one_file(field, v, opened)) for v in values)
    return parts


class RawContent:
    """An octet-stream body and whether it can be sent again on a retry."""

    def __init__(self, content: ContentInput, opened: OpenedFiles) -> None:
        self._start: int | None = None
        self.value: Any
        if isinstance(content, str):
            self.value = content.encode("utf-8")
        elif isinstance(content, bytes | bytearray | memoryview):
            self.value = bytes(content)
        elif isinstance(content, os.PathLike):
            self.value = opened.open(content)
            self._start = 0
        elif isinstance(content, io.IOBase) and content.seekable():
            self.value = content
            self._start = content.tell()
        else:
            self.value = content
        self.replayable = isinstance(self.value, bytes) or self._start is not None

    def for_attempt(self, *, is_async: bool = False) -> bytes | Iterable[bytes] | AsyncIterable[bytes]:
        """The body for one attempt, rewound when it is a seekable file."""
        if self._start is not None:
            handle = cast("IO[bytes]", self.value)
            handle.seek(self._start)
            return _async_chunks(handle) if is_async else _read_chunks(handle)
        return cast("bytes | Iterable[bytes] | AsyncIterable[bytes]", self.value)


_CHUNK = 64 * 1024


def _read_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


async def _async_chunks(handle: IO[bytes]) -> AsyncIterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk
