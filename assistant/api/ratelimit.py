"""Rate limits: per client IP (before anything else), per caller and per site key (once the
caller is known), and failed authentications per IP.

The `limits` library keeps the counters: in Redis when settings.redis_url is set, so every
worker process and replica shares them; in this process's memory otherwise. While Redis cannot
be reached the limits fall back to this process's memory (each worker then limits on its own)
and Redis is tried again after RETRY_SHARED_S: the API keeps serving, and keeps limiting.
"""

from __future__ import annotations

import logging
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from prometheus_client import Counter
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.errors import send_error
from assistant.config import Settings
from assistant.errors import RateLimited

log = logging.getLogger(__name__)

RATE_LIMITED = Counter(
    "shopassist_rate_limited_total", "Requests refused by a rate limit", ["limit"]
)
LIMITED_PREFIXES = ("/v1/", "/mcp", "/ucp/")  # the API, and the agents' routes into it
RETRY_SHARED_S = 5.0  # how long Redis is left alone after it failed
REDIS_TIMEOUT_S = 0.25  # a Redis that does not answer must not hold a request up


class Limits:
    """The service's rate limits over one counter storage (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        self.per_ip = parse(settings.ip_rate_limit)
        self.per_caller = parse(settings.rate_limit)
        self.per_site = parse(settings.site_rate_limit)
        self.auth_failures = parse(settings.auth_failure_limit)
        self.local = MovingWindowRateLimiter(MemoryStorage())
        self.shared: MovingWindowRateLimiter | None = None
        if settings.redis_url:
            storage = storage_from_string(
                settings.redis_url,
                key_prefix=settings.redis_prefix,
                socket_timeout=REDIS_TIMEOUT_S,
                socket_connect_timeout=REDIS_TIMEOUT_S,
            )
            self.shared = MovingWindowRateLimiter(storage)
        self._shared_down_until = 0.0
        self.retry_shared_s = RETRY_SHARED_S

    @property
    def storage(self) -> str:
        """Where the counters are now: redis, or memory (no Redis, or Redis down)."""
        return "redis" if self.shared and time.monotonic() >= self._shared_down_until else "memory"

    def _run(self, test_only: bool, item: RateLimitItem, who: str) -> int | None:
        for limiter in (self.shared, self.local):
            if limiter is None or (
                limiter is self.shared and time.monotonic() < self._shared_down_until
            ):
                continue
            try:
                ok = limiter.test(item, who) if test_only else limiter.hit(item, who)
                if ok:
                    return None
                reset = limiter.get_window_stats(item, who).reset_time
                return max(1, int(reset - time.time()) + 1)
            except Exception as exc:  # noqa: BLE001 - only Redis can fail; memory takes over
                if limiter is self.local:
                    raise
                log.warning("rate-limit storage unavailable, limiting per process: %s", exc)
                self._shared_down_until = time.monotonic() + self.retry_shared_s
        return None

    def hit(self, item: RateLimitItem, who: str) -> int | None:
        """Count one request of who against item: None when allowed, else the seconds to wait."""
        return self._run(False, item, who)

    def over(self, item: RateLimitItem, who: str) -> int | None:
        """Whether who is already over item (counts nothing): None, or the seconds to wait."""
        return self._run(True, item, who)

    def refuse(self, name: str, item: RateLimitItem, retry_s: int) -> RateLimited:
        """The 429 for a request over one of the limits (and count it)."""
        RATE_LIMITED.labels(name).inc()
        return RateLimited(
            f"rate limit {item} ({name}) exceeded; retry in {retry_s} s", retry_after_s=retry_s
        )

    def check_caller(self, caller: str, site: str | None) -> None:
        """Count a request of a known caller (and of its site key); RateLimited when over."""
        retry = self.hit(self.per_caller, caller)
        if retry:
            raise self.refuse("caller", self.per_caller, retry)
        if site:
            retry = self.hit(self.per_site, f"site:{site}")
            if retry:
                raise self.refuse("site", self.per_site, retry)

    def check_auth_failures(self, ip: str) -> None:
        """RateLimited when this IP has failed to authenticate too often (counts nothing)."""
        retry = self.over(self.auth_failures, f"authfail:{ip}")
        if retry:
            raise self.refuse("auth_failures", self.auth_failures, retry)

    def auth_failed(self, ip: str) -> None:
        """Count one failed authentication from this IP."""
        self.hit(self.auth_failures, f"authfail:{ip}")


def client_ip(scope: Scope) -> str:
    """The client's address (uvicorn sets it from X-Forwarded-For only for trusted proxies:
    `--proxy-headers --forwarded-allow-ips`)."""
    client = scope.get("client") or ("?", 0)
    return str(client[0])


class PerIpLimit:
    """429 once a client IP exceeds the per-IP rate on the API, whatever credentials it sends
    (a fresh random key per request is still the same IP)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(LIMITED_PREFIXES):
            return await self.app(scope, receive, send)
        retry = self.limits.hit(self.limits.per_ip, f"ip:{client_ip(scope)}")
        if retry:
            return await send_error(send, self.limits.refuse("ip", self.limits.per_ip, retry))
        await self.app(scope, receive, send)
