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
    "RetryPolicy",
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
class RetryPolicy:
    """How failed attempts are retried; every field left ``None`` keeps the value beneath it.

    A policy given to one call is laid over the client's (``retry=`` of the client or of
    ``with_options``), which is laid over the package's defaults.

    Attributes:
        max_retries: Retries after the first attempt (``0`` turns retrying off).
        initial_delay: Seconds before the first retry; each later retry waits twice as long.
        max_delay: The longest computed wait, in seconds.
        jitter: The share (``0`` to ``1``) by which a computed wait is shortened at random, so
            that many clients do not retry in step.
        max_retry_after: The longest wait, in seconds, that a server may ask for with
            ``Retry-After`` or ``retry-after-ms``; a longer one is not waited for: the error is
            raised at once, its ``retry_after`` telling how long the server asked for.
    """

    max_retries: int | None = None
    initial_delay: float | None = None
    max_delay: float | None = None
    jitter: float | None = None
    max_retry_after: float | None = None

    def __post_init__(self) -> None:
        for name in ("max_retries", "initial_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"RetryPolicy.{name} must not be negative, not {value!r}")
        if self.jitter is not None and not 0 <= self.jitter <= 1:
            raise ValueError(f"RetryPolicy.jitter must be between 0 and 1, not {self.jitter!r}")

    def over(self, base: RetryPolicy) -> RetryPolicy:
        """This policy with every field it leaves ``None`` taken from ``base``."""
        return RetryPolicy(
            max_retries=base.max_retries if self.max_retries is None else self.max_retries,
            initial_delay=base.initial_delay if self.initial_delay is None else self.initial_delay,
            max_delay=base.max_delay if self.max_delay is None else self.max_delay,
            jitter=base.jitter if self.jitter is None else self.jitter,
            max_retry_after=base.max_retry_after if self.max_retry_after is None else self.max_retry_after,
        )


@dataclass(frozen=True, kw_only=True)
class RequestOptions:
    """Per-call options every generated method accepts.

    ``extra_headers`` / ``extra_query`` / ``extra_body`` are merged last, over everything the
    method built; ``timeout`` and ``max_retries`` override the client's values for this call,
    and ``retry`` is laid over the client's retry policy; ``idempotency_key`` replaces the
    generated key of an operation that declares one.
    """

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: TimeoutInput = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN
    retry: RetryPolicy | None = None
    idempotency_key: str | None = None
