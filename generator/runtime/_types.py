"""Sentinels, argument aliases and per-call options shared by every runtime module."""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Final, Literal, TypeAlias

import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "ContentInput",
    "FileInput",
    "FilesInput",
    "Headers",
    "NotGiven",
    "Omit",
    "Query",
    "RequestOptions",
    "TimeoutInput",
]


class NotGiven:
    """Marks an argument the caller did not pass, as opposed to an explicit ``None``.

    ``NOT_GIVEN`` values are dropped from query strings, headers, JSON and form bodies, so a
    generated method can tell "leave the server default" from "send null".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class Omit:
    """Removes a header (or query parameter) the client would otherwise send.

    ``extra_headers={"User-Agent": Omit()}`` sends the request without a User-Agent header.
    """

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "Omit()"


FileContent: TypeAlias = bytes | IO[bytes]
FileInput: TypeAlias = (
    str
    | os.PathLike[str]
    | bytes
    | IO[bytes]
    | tuple[str, bytes | IO[bytes]]
    | tuple[str, bytes | IO[bytes], str]
)
"""One file part: a path (opened and closed by the runtime), raw bytes, an open binary file, or
``(filename, content)`` / ``(filename, content, content_type)``."""

FilesInput: TypeAlias = (
    Mapping[str, FileInput | list[FileInput] | NotGiven | None] | Sequence[tuple[str, FileInput]]
)
"""Files of a multipart body: ``{"file": f}``, ``{"files": [f1, f2]}`` or ``[("file", f1), ...]``."""

ContentInput: TypeAlias = (
    bytes
    | bytearray
    | memoryview
    | str
    | os.PathLike[str]
    | IO[bytes]
    | Iterable[bytes]
    | AsyncIterable[bytes]
)
"""A raw (``application/octet-stream``) request body."""

TimeoutInput: TypeAlias = float | httpx.Timeout | NotGiven | None
Headers: TypeAlias = Mapping[str, str | Omit]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = Mapping[str, object]


@dataclass(frozen=True, kw_only=True)
class RequestOptions:
    """Per-call options every generated method accepts.

    ``extra_headers`` / ``extra_query`` / ``extra_body`` are merged last, over everything the
    method built; ``timeout`` and ``max_retries`` override the client's values for this call;
    ``idempotency_key`` replaces the generated key of an operation that declares one.
    """

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: TimeoutInput = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    idempotency_key: str | None = None
