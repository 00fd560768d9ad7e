"""One JSON error body for every 4xx/5xx: `{"error": {"code": ..., "message": ..., "details": [...]}}`.

Services raise the family in assistant/errors.py; the handlers installed here map it, FastAPI's
own HTTP errors (unknown route, wrong method) and request validation errors to that body. Any
other exception is a bug: it answers 500 `internal_error` and is logged with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Send

from assistant.errors import BY_STATUS, ShopAssistError, Unavailable
from assistant.jsontypes import JsonObject

log = logging.getLogger(__name__)

VALIDATION_CODE = "validation_error"
INTERNAL_CODE = "internal_error"
# Status text for the few statuses nothing in the family names (405, 406, 415, ...).
_HTTP_CODES = {405: "method_not_allowed", 406: "not_acceptable", 415: "unsupported_media_type"}


class FieldError(BaseModel):
    """One request field that failed validation."""

    loc: list[str | int] = Field(description="where: body/query/path/header, then the field path")
    msg: str
    type: str = Field(description="pydantic's error type, e.g. missing, string_type")


class ErrorBody(BaseModel):
    """What went wrong: a stable code for programs and a message for people."""

    code: str = Field(description="stable machine-readable code, e.g. not_found, invalid")
    message: str
    details: list[FieldError] = Field(
        default_factory=list, description="validation errors: one per offending field"
    )


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


def error_json(
    status_code: int,
    code: str,
    message: str,
    details: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error response in the one error schema."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, details=details or []))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def error_bytes(code: str, message: str) -> bytes:
    """The error body as JSON bytes (for ASGI middleware that answers before the app)."""
    return ErrorResponse(error=ErrorBody(code=code, message=message)).model_dump_json().encode()


def status_code_name(status_code: int) -> str:
    """The stable code for a bare HTTP status (FastAPI's own errors, middleware refusals)."""
    cls = BY_STATUS.get(status_code)
    if cls is not None:
        return cls.code
    return _HTTP_CODES.get(status_code, INTERNAL_CODE if status_code >= 500 else "http_error")


def _field_errors(errors: Any) -> list[FieldError]:
    return [
        FieldError(
            loc=[p if isinstance(p, int) else str(p) for p in e.get("loc", ())],
            msg=str(e.get("msg", "")),
            type=str(e.get("type", "")),
        )
        for e in errors
    ]


def _summary(details: list[FieldError]) -> str:
    return "; ".join(f"{'.'.join(map(str, d.loc))}: {d.msg}" for d in details) or "invalid request"


def error_headers(exc: ShopAssistError) -> dict[str, str]:
    """The headers an error answers with: Retry-After for a rate limit or an outage."""
    return {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s else {}


# The database cannot be reached (down, restarting, refusing, pool exhausted): not a bug, an
# outage the client can wait out. SQLAlchemy's pool pings before use, so the same process
# serves again once the database is back.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
DATABASE_RETRY_AFTER_S = 5


def database_unavailable(exc: Exception) -> Unavailable:
    """The 503 for a database outage (the driver's message is logged, not sent)."""
    log.warning("database unavailable: %s", str(exc).splitlines()[0][:300] if str(exc) else exc)
    return Unavailable(
        "the database cannot be reached; retry shortly",
        code="database_unavailable",
        retry_after_s=DATABASE_RETRY_AFTER_S,
    )


async def send_error(
    send: Send, exc: ShopAssistError, headers: Mapping[str, str] | None = None
) -> None:
    """Answer an ASGI request with exc in the error schema (for middleware that answers before
    the app)."""
    body = error_bytes(exc.code, exc.message)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    extra = error_headers(exc) | dict(headers or {})
    raw += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": exc.status_code, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ShopAssistError)
    if exc.status_code >= 500 and exc.status_code != 503:
        log.error("%s %s failed: %s", request.method, request.url.path, exc.message)
    return error_json(exc.status_code, exc.code, exc.message, headers=error_headers(exc))


def _allowed_methods(request: Request) -> str:
    """Every method some route serves on this path (a path can have one route per method, and
    the router's own 405 names only the first route's)."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return error_json(exc.status_code, status_code_name(exc.status_code), message, headers=headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = _field_errors(exc.errors())
    return error_json(422, VALIDATION_CODE, _summary(details), details)


async def _on_database_down(request: Request, exc: Exception) -> JSONResponse:
    return await _on_domain_error(request, database_unavailable(exc))


async def _on_bug(request: Request, exc: Exception) -> JSONResponse:
    log.exception("%s %s raised", request.method, request.url.path, exc_info=exc)
    return error_json(500, INTERNAL_CODE, "internal server error")


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one error schema."""
    app.add_exception_handler(ShopAssistError, _on_domain_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    for outage in DATABASE_DOWN:
        app.add_exception_handler(outage, _on_database_down)
    app.add_exception_handler(Exception, _on_bug)


def responses(*statuses: int) -> dict[int | str, JsonObject]:
    """OpenAPI `responses=` for a router or route: each status documented with the error
    schema."""
    described = {
        400: "Bad request (or a body that is not UTF-8 JSON)",
        401: "Missing, unknown or revoked API key",
        403: "Not allowed for this caller",
        404: "Not found",
        409: "Conflict with the current state",
        413: "Request too large",
        422: "Invalid request",
        429: "Rate limit exceeded",
        500: "Internal error (a bug)",
        503: "A dependency is not ready",
    }
    return {
        s: {"model": ErrorResponse, "description": described.get(s, "Error")}
        for s in sorted(set(statuses))
    }


# Every route behind an API key can answer these (the key is looked up in the database).
AUTH_ERRORS = responses(401, 403, 422, 429, 503)  # 503: the database is down


def document_body_errors(app: FastAPI) -> None:
    """Every operation that reads a JSON body can also answer 400 (a body that is not UTF-8
    JSON) and 413 (a body over max_request_bytes): add both to its documented responses."""
    generate = app.openapi
    error_schema = {"$ref": "#/components/schemas/ErrorResponse"}

    def openapi() -> JsonObject:
        spec = generate()  # FastAPI keeps it: this runs over the cached dict, idempotently
        for operations in spec.get("paths", {}).values():
            for op in operations.values():
                if isinstance(op, dict) and "requestBody" in op:
                    for status, described in responses(400, 413).items():
                        op["responses"].setdefault(
                            str(status),
                            {
                                "description": described["description"],
                                "content": {"application/json": {"schema": error_schema}},
                            },
                        )
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
