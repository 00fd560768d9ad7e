"""Cross-cutting HTTP concerns: request size limit, rate limits (assistant/api/ratelimit.py),
Prometheus metrics, credentials kept out of the access log.

Pure ASGI middleware (streamed SSE replies pass through untouched).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api import redact
from assistant.api.errors import send_error
from assistant.api.ratelimit import Limits, PerIpLimit
from assistant.config import Settings
from assistant.errors import TooLarge

REQUESTS = Counter("shopassist_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "shopassist_http_request_seconds", "HTTP request latency (to the response start)",
    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8),
)  # fmt: skip


class BodySizeLimit:
    """413 for request bodies over max_bytes (declared by Content-Length or counted while read)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = TooLarge(f"request body is larger than {self.max_bytes} bytes")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await send_error(send, too_big)
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
                await send_error(send, too_big)

        await self.app(scope, counted, guarded)


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
    """Add the size limit, per-IP rate limit and metrics middleware, and the /metrics route;
    the app's Limits (app.state.limits) also serve the per-caller limits of the key check."""
    app.state.limits = limits = Limits(settings)
    redact.install()
    app.add_middleware(PerIpLimit, limits=limits)
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
        "ip_rate_limit": settings.ip_rate_limit,
        "site_rate_limit": settings.site_rate_limit,
        "auth_failure_limit": settings.auth_failure_limit,
        "rate_limit_storage": "redis" if settings.redis_url else "memory",
    }
