"""What the generated runtime does, as the docs state it (tests compare these with the runtime itself)."""

from __future__ import annotations

from ...ir import model as m

STATUS_ERRORS = {
    "400": "BadRequestError",
    "401": "AuthenticationError",
    "402": "PaymentRequiredError",
    "403": "PermissionDeniedError",
    "404": "NotFoundError",
    "409": "ConflictError",
    "422": "UnprocessableEntityError",
    "429": "RateLimitError",
}
# the defaults of the runtime's RetryPolicy (BaseAPIClient's class attributes)
RETRY_INITIAL, RETRY_MAXIMUM, RETRY_JITTER, RETRY_AFTER_CAP = 0.5, 8.0, 0.25, 60.0
# the methods retried whatever they carry (others only with an idempotency key): the runtime's _retry
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})


def exception_for(status: str) -> str:
    """The exception class raised for a documented error status ("404", "5XX", "default")."""
    if status.isdigit():
        return (
            "InternalServerError"
            if int(status) >= 500
            else STATUS_ERRORS.get(str(int(status)), "APIStatusError")
        )
    return "InternalServerError" if status.upper() == "5XX" else "APIStatusError"


# how the runtime asks for the next page, one row per pagination style (`{token}`: where the token is read)
NEXT_PAGE: dict[m.PageStyle, str] = {
    "page": "the next page number as `{request}`",
    "offset": "the offset past this page's items as `{request}`",
    "cursor": "{token} as `{request}`",
    "page_token": "{token} as `{request}`",
    "body_cursor": "{token} as `{request}` in the JSON body",
    "sequence": "{token} as `{request}`",
}


def next_page(page: m.Pagination) -> str:
    """How an operation's next page is asked for, in the words of its style's `NEXT_PAGE` row."""
    sources = [f"the response's `{page.next_field}`"] if page.next_field else []
    sources += [f"the last item's `{page.sequence_field}`"] if page.sequence_field else []
    return NEXT_PAGE[page.style].format(request=page.request_param, token=" or ".join(sources) or "no token")
