"""The error family: every refusal a service makes is a ShopAssistError with an HTTP status, a
stable code and a message. The API maps them to one JSON error body (assistant/api/errors.py);
anything else that escapes a route is a bug and answers 500."""

from __future__ import annotations


class ShopAssistError(Exception):
    """A refusal with its HTTP status, a stable machine-readable code and a human message."""

    status_code: int = 500
    code: str = "internal_error"

    def __init__(
        self, message: str, *, code: str | None = None, retry_after_s: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s  # answered as Retry-After (429, 503)
        if code:
            self.code = code


class BadRequest(ShopAssistError):
    """The request cannot be served as asked (wrong endpoint for this caller, missing input)."""

    status_code = 400
    code = "bad_request"


class Unauthorized(ShopAssistError):
    """No API key, or one that is unknown or revoked."""

    status_code = 401
    code = "unauthorized"


class Forbidden(ShopAssistError):
    """The caller is known but may not do this."""

    status_code = 403
    code = "forbidden"


class NotFound(ShopAssistError, LookupError):
    """The thing does not exist, or the caller may not know that it does."""

    status_code = 404
    code = "not_found"


class Conflict(ShopAssistError):
    """The request does not fit the current state (one-time actions, taken ids, claims)."""

    status_code = 409
    code = "conflict"


class TooLarge(ShopAssistError):
    """The request or one of its fields is larger than the service accepts."""

    status_code = 413
    code = "too_large"


class Invalid(ShopAssistError, ValueError):
    """The request's arguments break a rule (unknown item, empty query, bad range, ...).

    Also a ValueError, so command-line callers that report bad input keep catching it."""

    status_code = 422
    code = "invalid"


class Unfit(Conflict, Invalid):
    """Well-formed arguments that do not fit what is stored: an item that is not in the order,
    a payment method the customer does not have. A Conflict (409: the request is valid, the
    state refuses it) and still an Invalid for callers that report it as bad input."""

    status_code = 409
    code = "unfit"


class RateLimited(ShopAssistError):
    """The caller exceeded its request rate; retry_after_s: when it may try again."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int = 1) -> None:
        super().__init__(message, retry_after_s=retry_after_s)


class Unavailable(ShopAssistError):
    """A dependency is not ready (index not built, model not trained, policy not installed)."""

    status_code = 503
    code = "unavailable"


# The family by status: the code a bare HTTP status gets (FastAPI's own errors, middleware).
BY_STATUS: dict[int, type[ShopAssistError]] = {
    cls.status_code: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        TooLarge,
        Invalid,
        RateLimited,
        Unavailable,
    )
}
