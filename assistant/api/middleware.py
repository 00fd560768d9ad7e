"""Cross-cutting HTTP concerns: request size limit, per-key rate limits, Prometheus metrics.

Pure ASGI middleware (streamed SSE replies pass through untouched). Rate limits use the
`limits` library: Redis storage when settings.redis_url is set (shared by replicas), memory
otherwise.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, Response
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import error_bytes, status_code_name
from assistant.config import Settings

log = logging.getLogger(__name__)

REQUESTS = Counter("shopassist_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "shopassist_http_request_seconds", "HTTP request latency (to the response start)",
    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8),
)  # fmt: skip
RATE_LIMITED = Counter("shopassist_rate_limited_total", "Requests refused by the rate limit")
LIMITED_PREFIXES = ("/v1/", "/mcp", "/ucp/")  # the API, and the agents' routes into it


async def _send_json(
    send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    body = error_bytes(status_code_name(status), message)
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """413 for request bodies over max_bytes (declared by Content-Length or counted while read)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = f"request body is larger than {self.max_bytes} bytes"
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await _send_json(send, 413, too_big)
        seen = 0
        exceeded = replied = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                exceeded = True  # the app sees a disconnect: it never runs the endpoint
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal replied
            if not exceeded:
                await send(message)
            elif not replied:  # whatever the app says about a cut-off body, the answer is 413
                replied = True
                await _send_json(send, 413, too_big)

        await self.app(scope, counted, guarded)


class RateLimit:
    """429 once a caller (its API key, else its address) exceeds the configured rate on the API."""

    def __init__(self, app: ASGIApp, rate: str, storage_url: str = "") -> None:
        self.app = app
        self.item = parse(rate)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_url or "memory://"))

    def _identity(self, scope: Scope) -> str:
        headers = dict(scope.get("headers") or [])
        bearer = headers.get(b"authorization", b"")
        key = headers.get(b"x-api-key") or (bearer[7:] if bearer[:7].lower() == b"bearer " else b"")
        if key:
            return "key:" + hashlib.sha256(key).hexdigest()[:32]
        client = scope.get("client") or ("?", 0)
        return f"ip:{client[0]}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(LIMITED_PREFIXES):
            return await self.app(scope, receive, send)
        who = self._identity(scope)
        try:
            allowed = self.limiter.hit(self.item, who)
        except Exception as exc:  # noqa: BLE001 - a storage outage must not take the API down
            log.warning("rate-limit storage unavailable, allowing request: %s", exc)
            allowed = True
        if not allowed:
            RATE_LIMITED.inc()
            reset = self.limiter.get_window_stats(self.item, who).reset_time
            retry = max(1, int(reset - time.time()) + 1)
            return await _send_json(
                send,
                429,
                f"rate limit {self.item} exceeded; retry in {retry} s",
                {"Retry-After": str(retry)},
            )
        await self.app(scope, receive, send)


class Metrics:
    """Counts requests and times them to the start of the response, per route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = [500]

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                route = scope.get("route")
                path = getattr(route, "path", None) or "unmatched"
                LATENCY.labels(scope["method"], path).observe(time.perf_counter() - start)
                REQUESTS.labels(scope["method"], path, str(status[0])).inc()
            await send(message)

        await self.app(scope, receive, timed)


def metrics_endpoint() -> Response:
    """Prometheus metrics of this process."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the size limit, rate limit and metrics middleware, and the /metrics route."""
    app.add_middleware(RateLimit, rate=settings.rate_limit, storage_url=settings.redis_url)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(Metrics)
    app.add_api_route(
        "/metrics",
        metrics_endpoint,
        methods=["GET"],
        tags=["health"],
        response_class=PlainTextResponse,  # Prometheus text exposition format
        include_in_schema=True,
    )


def describe(settings: Settings) -> dict[str, Any]:
    """The limits in force (for `shopassist config`-style reports)."""
    return {
        "max_request_bytes": settings.max_request_bytes,
        "max_message_chars": settings.max_message_chars,
        "rate_limit": settings.rate_limit,
        "rate_limit_storage": "redis" if settings.redis_url else "memory",
    }
