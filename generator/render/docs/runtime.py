"""What the generated runtime does, as the docs state it (tests compare these with the runtime itself)."""

from __future__ import annotations

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


def exception_for(status: str) -> str:
    """The exception class raised for a documented error status ("404", "5XX", "default")."""
    if status.isdigit():
        return (
            "InternalServerError"
            if int(status) >= 500
            else STATUS_ERRORS.get(str(int(status)), "APIStatusError")
        )
    return "InternalServerError" if status.upper() == "5XX" else "APIStatusError"
