"""Authentication holes closed: per-IP limits whatever key is sent, failed authentications
limited per IP, constant-time admin key check, credentials out of the access log, limits shared
through Redis and kept per process while Redis is down."""

from __future__ import annotations

import logging
import secrets
import shutil
import socket
import subprocess
import time
import uuid

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.api import deps
from assistant.api.app import create_app
from assistant.api.redact import mask
from tests.assistant.live_server import serving

REDIS = "redis://127.0.0.1:6379/0"


def random_key() -> str:
    return "sa_" + secrets.token_urlsafe(32)


def from_ip(app, ip: str) -> TestClient:
    """A client at ip (a second one of the same app is used without `with`: an app's lifespan
    runs once)."""
    return TestClient(app, client=(ip, 40000))


def test_200_random_keys_from_one_ip_are_limited(store_settings, store):
    """The default failed-authentication limit stops key guessing: of 200 random keys only the
    first few are even checked, the rest answer 429 with Retry-After."""
    app = create_app(store_settings)  # default limits
    limit = int(store_settings.auth_failure_limit.split("/")[0])
    with from_ip(app, "203.0.113.7") as c:
        codes = [
            c.get("/v1/products/101", headers={"X-API-Key": random_key()}).status_code
            for _ in range(200)
        ]
        assert codes.count(401) == limit and codes[:limit] == [401] * limit
        assert codes[limit:] == [429] * (200 - limit)
        r = c.get("/v1/products/101", headers={"X-API-Key": random_key()})
        assert r.json()["error"]["code"] == "rate_limited" and int(r.headers["retry-after"]) >= 1
        # the IP is refused even with a valid key while it is over the limit ...
        assert c.get("/v1/products/101", headers={"X-API-Key": store["u1"]}).status_code == 429
    other = from_ip(app, "198.51.100.9")  # ... and another IP is not
    assert other.get("/v1/products/101", headers={"X-API-Key": store["u1"]}).status_code == 200


def test_random_bearer_tokens_are_limited_like_keys(store_settings, store):
    app = create_app(store_settings.model_copy(update={"auth_failure_limit": "5/minute"}))
    with from_ip(app, "203.0.113.8") as c:
        codes = [
            c.post("/mcp", json={}, headers={"Authorization": f"Bearer {random_key()}"}).status_code
            for _ in range(8)
        ]
    assert codes == [401] * 5 + [429] * 3


def test_a_fresh_key_per_request_does_not_escape_the_per_ip_limit(store_settings, store):
    settings = store_settings.model_copy(
        update={"ip_rate_limit": "30/minute", "auth_failure_limit": "1000/minute"}
    )
    app = create_app(settings)
    with from_ip(app, "203.0.113.9") as c:
        codes = [
            c.get("/v1/products/101", headers={"X-API-Key": random_key()}).status_code
            for _ in range(40)
        ]
        assert codes == [401] * 30 + [429] * 10
        assert c.get("/healthz").status_code == 200  # outside the API: not limited
    other = from_ip(app, "203.0.113.10")
    assert other.get("/v1/products/101", headers={"X-API-Key": store["u1"]}).status_code == 200


def test_admin_key_is_compared_in_constant_time(store_settings, store, monkeypatch):
    admin = "admin-" + secrets.token_hex(16)
    app = create_app(store_settings.model_copy(update={"admin_api_key": SecretStr(admin)}))
    seen: list[tuple[bytes, bytes]] = []
    real = deps.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(deps.hmac, "compare_digest", spy)
    with TestClient(app) as c:
        assert c.get("/v1/agent/queue", headers={"X-API-Key": admin}).status_code == 200
        wrong = admin[:-1] + ("0" if admin[-1] != "0" else "1")
        assert c.get("/v1/agent/queue", headers={"X-API-Key": wrong}).status_code == 401
    assert (admin.encode(), admin.encode()) in seen and (wrong.encode(), admin.encode()) in seen


def test_credentials_never_reach_the_access_log(store_settings, store):
    assert mask("GET /widget?key=sa_abc&lang=en") == "GET /widget?key=***&lang=en"
    assert mask("/x?shopper_token=eyJ.a.b&session_id=ss_1") == "/x?shopper_token=***&session_id=***"
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    access = logging.getLogger("uvicorn.access")
    handler = Keep()
    with serving(create_app(store_settings), log_level="info") as base:
        access.addHandler(handler)
        try:
            httpx.get(f"{base}/widget?key={store['u1']}")
            httpx.get(f"{base}/v1/products/101?api_key={store['u1']}&x=1")
        finally:
            access.removeHandler(handler)
    lines = [r.getMessage() for r in records]
    assert any("/widget?key=***" in line for line in lines), lines
    assert all(store["u1"] not in line for line in lines)


# --- Redis: limits shared by workers, per process while it is down -------------------------------


def _redis_up(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def test_limits_are_shared_through_redis(store_settings, store):
    if not _redis_up(REDIS):
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings = store_settings.model_copy(
        update={
            "redis_url": REDIS,
            "redis_prefix": f"t-{uuid.uuid4().hex}",
            "rate_limit": "4/minute",
        }
    )
    one, two = create_app(settings), create_app(settings)  # two workers
    with TestClient(one) as a, TestClient(two) as b:
        codes = []
        for client in (a, b, a, b, a, b):
            codes.append(
                client.get("/v1/products/101", headers={"X-API-Key": store["u1"]}).status_code
            )
        assert one.state.limits.storage == "redis"
    assert codes == [200, 200, 200, 200, 429, 429]


def test_redis_down_limits_per_process_then_shared_again(store_settings, store):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    cmd = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not _redis_up(url):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        return proc

    settings = store_settings.model_copy(update={"redis_url": url, "rate_limit": "2/minute"})
    app = create_app(settings)
    proc = start()
    try:
        with TestClient(app) as c:
            app.state.limits.retry_shared_s = 0.3
            get = lambda who: c.get("/v1/products/101", headers={"X-API-Key": store[who]})  # noqa: E731
            assert [get("u1").status_code for _ in range(3)] == [200, 200, 429]
            proc.kill()
            proc.wait()
            # Redis is gone: the API keeps serving, and keeps limiting in this process
            started = time.monotonic()
            assert [get("u2").status_code for _ in range(3)] == [200, 200, 429]
            assert time.monotonic() - started < 3 and app.state.limits.storage == "memory"
            proc = start()  # Redis is back (empty): the shared counters are used again
            time.sleep(0.4)
            assert get("agent").status_code == 200
            assert app.state.limits.storage == "redis"
            assert redis.Redis.from_url(url).keys(f"{settings.redis_prefix}*")
    finally:
        proc.kill()
        proc.wait()
