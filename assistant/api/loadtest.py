"""`shopassist bench api`: requests per second and latency of the served API under load.

The real app is served by uvicorn in a process of its own (with --workers N), so the load
generator does not share its interpreter; a plain FastAPI "hello" endpoint is served and loaded
the same way in the same run, as the ceiling this machine and server stack allow. The load
comes from `wrk` (Debian's package) when it is installed, else from a Python asyncio client;
both only ever talk to 127.0.0.1, with a fixed number of connections for a fixed time.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import select
from typing_extensions import TypedDict

from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import session_scope
from assistant.services.keys import create_key, revoke_key

HOST = "127.0.0.1"  # loopback only: this generator never loads another machine
UNLIMITED = "1000000/second"  # lifted, and a moving window this short stays small


class Target(TypedDict):
    """One endpoint under load: its method, path and the JSON bodies sent in turn."""

    name: str
    method: str
    path: str
    bodies: list[str]


class LoadResult(TypedDict):
    """What one endpoint sustained: requests per second, latency percentiles, errors."""

    endpoint: str
    requests: int
    errors: int  # non-2xx answers and failed requests
    req_per_s: float
    p50_ms: float
    p99_ms: float


class ApiBench(TypedDict):
    """`bench api` output: the setup and one result per endpoint (hello first)."""

    generator: str
    workers: int
    connections: int
    duration_s: float
    products: int
    results: list[LoadResult]


class Hello(BaseModel):
    """The reference endpoint's answer."""

    hello: str


def hello_app() -> FastAPI:
    """A plain FastAPI app with one JSON endpoint: what the stack costs without any work."""
    app = FastAPI()

    @app.get("/hello")
    def hello() -> Hello:
        """The reference answer."""
        return Hello(hello="world")

    return app


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def served(app: str, workers: int, env: dict[str, str], ready: str) -> Iterator[str]:
    """Serve the uvicorn factory app ("module:function") with workers processes; yields the
    base URL once its `ready` path answers."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "uvicorn", app, "--factory", "--host", HOST, "--port", str(port),
        "--workers", str(workers), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env={**os.environ, **env})
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(base + ready).is_success:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {' '.join(cmd)}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _pct(latencies: list[float], q: float) -> float:
    ordered = sorted(latencies)
    return (
        round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2) if ordered else 0.0
    )


async def _python_load(
    base: str, target: Target, headers: dict[str, str], connections: int, duration_s: float
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + duration_s
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=base, limits=limits, timeout=30, headers=headers
    ) as client:

        async def worker(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                body = target["bodies"][i % len(target["bodies"])] if target["bodies"] else None
                i += connections
                started = time.perf_counter()
                try:
                    r = await client.request(target["method"], target["path"], content=body)
                    ok = r.is_success
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        begun = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(connections)))
        took = time.perf_counter() - begun
    return LoadResult(
        endpoint=f"{target['method']} {target['path']}",
        requests=len(latencies),
        errors=errors,
        req_per_s=round(len(latencies) / took, 1),
        p50_ms=_pct(latencies, 0.5),
        p99_ms=_pct(latencies, 0.99),
    )


_WRK_SCRIPT = """
local bodies = %s
local i = 0
wrk.method = "%s"
wrk.headers["Content-Type"] = "application/json"
%s
request = function()
  i = i + 1
  local body = nil
  if #bodies > 0 then body = bodies[(i %% #bodies) + 1] end
  return wrk.format(nil, nil, nil, body)
end
"""


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def _wrk_load(
    base: str, target: Target, headers: dict[str, str], connections: int, duration_s: float
) -> LoadResult:
    lua_bodies = "{" + ",".join(json.dumps(b) for b in target["bodies"]) + "}"
    lua_headers = "\n".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % (lua_bodies, target["method"], lua_headers))
    threads = max(1, min(2, connections))
    cmd = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration_s))}s", "--latency",
        "-s", script.name, base + target["path"],
    ]  # fmt: skip
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration_s + 60).stdout
    finally:
        Path(script.name).unlink(missing_ok=True)
    found = re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    pct = {p: _ms(v, u) for p, v, u in found}
    total = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if not (total and rate and pct):
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return LoadResult(
        endpoint=f"{target['method']} {target['path']}",
        requests=int(total.group(1)),
        errors=(int(bad.group(1)) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0),
        req_per_s=float(rate.group(1)),
        p50_ms=round(pct["50"], 2),
        p99_ms=round(pct["99"], 2),
    )


async def _warm(base: str, target: Target, headers: dict[str, str], workers: int) -> None:
    """Make every worker load what the endpoint needs (search engine, caches) before timing:
    rounds of concurrent requests, each allowed minutes."""
    async with httpx.AsyncClient(base_url=base, timeout=300, headers=headers) as client:
        for _ in range(3):
            some: list[str | None] = list(target["bodies"]) or [None]
            bodies = (some * (4 * workers))[: 4 * workers]
            calls = [client.request(target["method"], target["path"], content=b) for b in bodies]
            await asyncio.gather(*calls, return_exceptions=True)


def load(
    generator: str,
    base: str,
    target: Target,
    headers: dict[str, str],
    connections: int,
    duration_s: float,
) -> LoadResult:
    """Load one endpoint for duration_s over `connections` kept-alive connections."""
    if generator == "wrk":
        return _wrk_load(base, target, headers, connections, duration_s)
    return asyncio.run(_python_load(base, target, headers, connections, duration_s))


def targets(settings: Settings) -> tuple[list[Target], int]:
    """The API endpoints under load, with bodies from the store's catalog; and its size."""
    with session_scope(settings.effective_database_url) as db:
        rows = list(db.execute(select(Product.id, Product.title, Product.price).limit(3000)))
    if not rows:
        raise RuntimeError("the catalog is empty: ingest one first (shopassist ingest catalog ...)")
    searches = []
    for n, (_, title, price) in enumerate(rows[:200]):
        words = " ".join(title.split(" - ")[0].split()[:2]).lower()
        filters = {"max_price": round((price or 100) * 1.5, 2), "in_stock": True} if n % 2 else {}
        searches.append(json.dumps({"query": words, "filters": filters, "k": 10}))
    return [
        Target(name="search", method="POST", path="/v1/search", bodies=searches),
        Target(name="product", method="GET", path=f"/v1/products/{rows[0][0]}", bodies=[]),
        Target(
            name="chat small talk", method="POST", path="/v1/chat",
            bodies=[json.dumps({"message": m}) for m in ("hi there!", "hello", "thanks!")],
        ),
    ], len(rows)  # fmt: skip


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a server process these settings (every plain field; lists
    and secrets are not passed)."""
    env = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if isinstance(value, bool):
            env[f"SHOPASSIST_{name.upper()}"] = "true" if value else "false"
        elif isinstance(value, str | int | float | Path):
            env[f"SHOPASSIST_{name.upper()}"] = str(value)
    return env


def bench_api(
    settings: Settings,
    workers: int = 1,
    connections: int = 16,
    duration_s: float = 10.0,
    generator: str = "auto",
) -> ApiBench:
    """Serve the app with `workers` processes and load each endpoint in turn (after the hello
    reference); rate limits are lifted for the run, a temporary widget key is the caller."""
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    endpoints, products = targets(settings)
    with session_scope(settings.effective_database_url) as db:
        key = create_key(db, "widget", None, "bench api")
    env = {
        **settings_env(settings),
        "SHOPASSIST_AGENT_USE_LLM": "false",  # small talk and search: the model is not measured
        "SHOPASSIST_RATE_LIMIT": UNLIMITED,
        "SHOPASSIST_IP_RATE_LIMIT": UNLIMITED,
        "SHOPASSIST_ADMIN_API_KEY": secrets.token_urlsafe(16),
    }
    results: list[LoadResult] = []
    hello = Target(name="hello", method="GET", path="/hello", bodies=[])
    try:
        with served("assistant.api.loadtest:hello_app", workers, env, "/hello") as base:
            asyncio.run(_warm(base, hello, {}, workers))
            results.append(load(generator, base, hello, {}, connections, duration_s))
        with served("assistant.api.app:create_app", workers, env, "/readyz") as base:
            headers = {"X-API-Key": key.raw, "Content-Type": "application/json"}
            for target in endpoints:
                asyncio.run(_warm(base, target, headers, workers))
                results.append(load(generator, base, target, headers, connections, duration_s))
    finally:
        with session_scope(settings.effective_database_url) as db:
            revoke_key(db, key.key_id)
    return ApiBench(
        generator=generator,
        workers=workers,
        connections=connections,
        duration_s=duration_s,
        products=products,
        results=results,
    )
