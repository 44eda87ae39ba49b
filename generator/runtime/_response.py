"""What a call returns: parsed bodies, binary bodies, and the raw-response view."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

import httpx
import pydantic

from ._exceptions import APIResponseValidationError
from ._headers import RateLimitInfo, find_request_id, parse_rate_limit
from ._models import json_validator, validate_as

__all__ = ["APIResponse", "AsyncBinaryResponse", "BinaryResponse", "is_binary", "parse_body"]

T = TypeVar("T")
_CHUNK = 64 * 1024


class BinaryResponse:
    """A binary body that is streamed, not loaded: read it, iterate it or write it to a file.

    Use it as a context manager (or call :meth:`close`) when the body is not consumed.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, if any."""
        return _content_type(self.http_response)

    def read(self) -> bytes:
        """The whole body (loaded into memory), then the connection is released."""
        try:
            return self.http_response.read()
        finally:
            self.http_response.close()

    def iter_bytes(self, chunk_size: int | None = _CHUNK) -> Iterator[bytes]:
        """The body in chunks; the connection is released at the end."""
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        finally:
            self.http_response.close()

    def write_to_file(self, path: str | os.PathLike[str], chunk_size: int = _CHUNK) -> int:
        """Stream the body into ``path`` chunk by chunk; return the number of bytes written."""
        written = 0
        with open(path, "wb") as handle:
            for chunk in self.iter_bytes(chunk_size):
                handle.write(chunk)
                written += len(chunk)
        return written

    def close(self) -> None:
        """Release the connection without reading the rest of the body."""
        self.http_response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.content_type or ''}>"


class AsyncBinaryResponse:
    """The async twin of :class:`BinaryResponse`."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, if any."""
        return _content_type(self.http_response)

    async def read(self) -> bytes:
        """The whole body (loaded into memory), then the connection is released."""
        try:
            return await self.http_response.aread()
        finally:
            await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int | None = _CHUNK) -> AsyncIterator[bytes]:
        """The body in chunks; the connection is released at the end."""
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        finally:
            await self.http_response.aclose()

    async def write_to_file(self, path: str | os.PathLike[str], chunk_size: int = _CHUNK) -> int:
        """Stream the body into ``path`` chunk by chunk; return the number of bytes written."""
        written = 0
        with open(path, "wb") as handle:
            async for chunk in self.iter_bytes(chunk_size):
                handle.write(chunk)
                written += len(chunk)
        return written

    async def aclose(self) -> None:
        """Release the connection without reading the rest of the body."""
        await self.http_response.aclose()

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.content_type or ''}>"


def _content_type(response: httpx.Response) -> str | None:
    value: str | None = response.headers.get("content-type")
    return value


def _is_json(response: httpx.Response) -> bool:
    content_type = (_content_type(response) or "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def is_binary(cast_to: object) -> bool:
    """Whether ``cast_to`` asks for the body unread (a streamed :class:`BinaryResponse` or its twin)."""
    return cast_to is BinaryResponse or cast_to is AsyncBinaryResponse


def parse_body(response: httpx.Response, cast_to: object) -> Any:
    """Turn a response into ``cast_to``.

    ``None``/``type(None)`` ignore the body; :class:`BinaryResponse` and
    :class:`AsyncBinaryResponse` wrap the unread stream; ``bytes``/``str``/``httpx.Response``
    return the body as is; anything else is validated from the JSON body.
    """
    if cast_to is None or cast_to is type(None):
        return None
    if cast_to is BinaryResponse:
        return BinaryResponse(response)
    if cast_to is AsyncBinaryResponse:
        return AsyncBinaryResponse(response)
    if cast_to is httpx.Response:
        return response
    if cast_to is bytes:
        return response.content
    if cast_to is str and not _is_json(response):
        return response.text
    text = response.text
    data: object = None
    if text.strip():
        try:  # parse and validate in one step, in pydantic-core
            return json_validator(cast_to)(text)
        except pydantic.ValidationError:
            pass  # the standard library's parser and a validation of its result decide, and explain
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise APIResponseValidationError(
                f"Expected a JSON body, got {response.headers.get('content-type', 'no content type')}",
                response=response,
            ) from exc
    try:
        return validate_as(cast_to, data)
    except pydantic.ValidationError as exc:
        name = getattr(cast_to, "__name__", None) or repr(cast_to)
        first = exc.errors()[0] if exc.error_count() else None
        where = ".".join(str(p) for p in first["loc"]) if first else ""
        detail = f" ({where}: {first['msg']})" if first else ""
        raise APIResponseValidationError(
            f"Response body does not match {name}: {exc.error_count()} error(s){detail}",
            response=response,
        ) from exc


class APIResponse(Generic[T]):
    """The raw view of one call: status, headers, request id, rate limits, and :meth:`parse`."""

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[], T],
        retries_taken: int = 0,
        elapsed: dt.timedelta | None = None,
        request_id_headers: Iterable[str] = ("x-request-id", "request-id"),
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self.elapsed = elapsed if elapsed is not None else dt.timedelta(0)
        self._parse = parse
        self._parsed: tuple[T] | None = None
        self._request_id_headers = tuple(request_id_headers)

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's request id (from headers, else a read JSON body)."""
        body: object = None
        if self.http_response.is_stream_consumed and _is_json(self.http_response):
            try:
                body = self.http_response.json()
            except ValueError:
                body = None
        return find_request_id(self.headers, body, self._request_id_headers)

    @property
    def rate_limit(self) -> RateLimitInfo:
        """Rate-limit headers, parsed."""
        return parse_rate_limit(self.headers)

    def parse(self) -> T:
        """The parsed value the non-raw call would have returned (computed once)."""
        if self._parsed is None:
            self._parsed = (self._parse(),)
        return self._parsed[0]

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code} {self.http_response.reason_phrase}]>"
