"""The exceptions a generated client raises, and how an error response becomes one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ._headers import find_request_id, parse_retry_after
from ._utils import as_list, as_mapping

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnexpectedContentTypeError",
    "UnprocessableEntityError",
    "make_status_error",
    "redact_text",
]

_MAX_MESSAGE = 300


class APIError(Exception):
    """Base class of every error raised by the client."""

    message: str
    request: httpx.Request | None

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class ConfigurationError(APIError):
    """The client is missing a value it needs (API key, required setting); nothing was sent."""


class APIConnectionError(APIError):
    """The request did not get a response: connection refused, reset, dropped stream, ..."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "Request timed out.", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """A successful response whose body does not match the documented type."""

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code


class UnexpectedContentTypeError(APIResponseValidationError):
    """A successful response of another media type than the operation answers with.

    A stream operation answered with, say, a JSON body (from a proxy, or a server too old to
    stream) raises this at once instead of retrying. ``content_type`` is the header as received
    (``None`` when there was none); ``body`` is the start of the body, decoded as text.
    """

    content_type: str | None
    body: str

    def __init__(
        self, message: str, *, response: httpx.Response, content_type: str | None, body: str
    ) -> None:
        super().__init__(message, response=response)
        self.content_type = content_type
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    ``body`` is the parsed JSON (or the text); ``error`` is the body parsed with the operation's
    documented error type for this status (``None`` when there is none or it does not match).
    """

    response: httpx.Response
    status_code: int
    body: object
    error: Any
    request_id: str | None
    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object = None,
        error: Any = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.error = error
        self.request_id = request_id
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """400 Bad Request."""


class AuthenticationError(APIStatusError):
    """401 Unauthorized."""


class PaymentRequiredError(APIStatusError):
    """402 Payment Required."""


class PermissionDeniedError(APIStatusError):
    """403 Forbidden."""


class NotFoundError(APIStatusError):
    """404 Not Found."""


class ConflictError(APIStatusError):
    """409 Conflict."""


class UnprocessableEntityError(APIStatusError):
    """422 Unprocessable Entity."""


class RateLimitError(APIStatusError):
    """429 Too Many Requests."""


class InternalServerError(APIStatusError):
    """A 5xx status."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _status_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret (of 4+ characters) with ``***``."""
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def read_body(response: httpx.Response) -> object:
    """The already-read body as parsed JSON, else text, else ``None`` when empty."""
    try:
        text = response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return None
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _error_type(errors: Mapping[int | str, object], status: int) -> object:
    """The error type declared for `status` (exact, range, default); else the operation's one error type."""
    for key in (status, str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
        if key in errors:
            return errors[key]
    declared = {id(value): value for value in errors.values()}
    return next(iter(declared.values())) if len(declared) == 1 else None


def _vendor_message(body: object, depth: int = 0) -> str | None:
    """Find a human message in common envelopes: detail, error.message, message, reason."""
    if isinstance(body, str):
        return body.strip() or None
    items = as_list(body)
    if items is not None and depth < 3:
        parts = [m for m in (_vendor_message(item, depth + 1) for item in items) if m]
        return "; ".join(parts) or None
    mapping = as_mapping(body)
    if mapping is None or depth >= 3:
        return None
    if "msg" in mapping and isinstance(mapping["msg"], str):  # a validation item
        loc = as_list(mapping.get("loc"))
        where = ".".join(str(p) for p in loc) if loc is not None else None
        return f"{where}: {mapping['msg']}" if where else mapping["msg"]
    for key in ("detail", "error", "message", "reason", "error_description", "title"):
        if key in mapping:
            found = _vendor_message(mapping[key], depth + 1)
            if found:
                return found
    return None


def _error_code(body: object) -> str | None:
    mapping = as_mapping(body)
    for _ in range(3):
        if mapping is None:
            return None
        code = mapping.get("code")
        if isinstance(code, str | int) and not isinstance(code, bool):
            return str(code)
        mapping = as_mapping(mapping.get("error")) or as_mapping(mapping.get("detail"))
    return None


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def make_status_error(
    response: httpx.Response,
    *,
    errors: Mapping[int | str, object],
    request_id_headers: Iterable[str],
    secrets: Iterable[str] = (),
) -> APIStatusError:
    """Build the typed exception for an error response whose body has been read."""
    from ._models import validate_as  # pydantic's model machinery: loaded only when an error needs it

    body = read_body(response)
    error: Any = None
    error_type = _error_type(errors, response.status_code)
    if error_type is not None and body is not None:
        try:
            error = validate_as(error_type, body)
        except ValueError:  # pydantic.ValidationError is a ValueError
            error = None
    request_id = find_request_id(response.headers, body, request_id_headers)
    parts = [f"{response.status_code} {response.reason_phrase}".strip()]
    vendor = _vendor_message(body)
    if vendor:
        parts[0] += f": {vendor}"
    extras: list[str] = []
    code = _error_code(body)
    if code and (not vendor or code not in vendor):
        extras.append(f"code: {code}")
    if request_id:
        extras.append(f"request id: {request_id}")
    message = parts[0] + (f" ({', '.join(extras)})" if extras else "")
    message = redact_text(_one_line(message), secrets)
    return _status_class(response.status_code)(
        message,
        response=response,
        body=body,
        error=error,
        request_id=request_id,
        retry_after=parse_retry_after(response.headers),
    )
