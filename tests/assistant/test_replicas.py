"""Two API processes (`shopassist serve` on two ports) over one PostgreSQL database, one Redis
and one shared data directory, as two replicas behind a load balancer would run: a conversation
started on one continues on the other, the rate limit counts both, and an index version
published through one is the version the other serves."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
import redis

from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import dispose_engine, session_scope
from assistant.services import search as search_service
from tests.assistant.conftest import _missing_server, _server_database
from tests.assistant.known_store import build_store

REDIS_URL = os.environ.get("SHOPASSIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
START_TIMEOUT_S = 120
ROOT = Path(__file__).resolve().parents[2]
PER_CALLER = 8  # requests a minute per caller, over both replicas


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _replica(env: dict[str, str], log: Path) -> Iterator[str]:
    """`shopassist serve` in its own process on a free port; stopped (SIGTERM, then SIGKILL)."""
    port = _free_port()
    cmd = [str(Path(sys.executable).parent / "shopassist"), "serve", "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*cmd, "--workers", "1"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"replica exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"replica did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def replicas(tmp_path_factory) -> Iterator[tuple[list[str], dict[str, str], Settings]]:
    """Two replicas' base URLs, the known store's keys and the settings they share."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        _missing_server(f"redis unreachable at {REDIS_URL}: {exc}")
    prefix = f"sa-test-{uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        db_url = stack.enter_context(contextmanager(_server_database)("postgresql"))
        data = tmp_path_factory.mktemp("replicas") / "var"
        settings = Settings(
            data_dir=data, database_url=db_url, redis_url=REDIS_URL, redis_prefix=prefix,
            agent_use_llm=False, embedder_backend="torch", adapter_training="off",
            rate_limit=f"{PER_CALLER}/minute",
        )  # fmt: skip
        keys = build_store(settings)
        with session_scope(db_url) as db:
            first = search_service.build_index(settings, db)
        dispose_engine(db_url)
        env = {
            **os.environ,
            "SHOPASSIST_DATA_DIR": str(data),
            "SHOPASSIST_DATABASE_URL": db_url,
            "SHOPASSIST_REDIS_URL": REDIS_URL,
            "SHOPASSIST_REDIS_PREFIX": prefix,
            "SHOPASSIST_AGENT_USE_LLM": "false",
            "SHOPASSIST_EMBEDDER_BACKEND": "torch",
            "SHOPASSIST_ADAPTER_TRAINING": "off",
            "SHOPASSIST_RATE_LIMIT": f"{PER_CALLER}/minute",
            "SHOPASSIST_ADMIN_API_KEY": "",
            "PYTHONPATH": str(ROOT),  # this checkout, whichever one the venv was installed from
        }
        urls = [stack.enter_context(_replica(env, data.parent / f"replica{i}.log")) for i in (1, 2)]
        keys["first_version"] = Path(first["path"]).name
        yield urls, keys, settings
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def _h(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_a_conversation_started_on_one_replica_continues_on_the_other(replicas):
    (a, b), keys, _ = replicas
    first = httpx.post(
        f"{a}/v1/chat",
        json={"message": "show me water bottles"},
        headers=_h(keys["u1"]),
        timeout=60,
    )
    assert first.status_code == 200, first.text
    conv = first.json()["conversation_id"]
    second = httpx.post(
        f"{b}/v1/chat",
        json={"message": "add the second one to my cart", "conversation_id": conv},
        headers=_h(keys["u1"]),
        timeout=60,
    )
    assert second.status_code == 200, second.text
    assert second.json()["conversation_id"] == conv
    # "the second one" was resolved from the products replica a showed
    shown = first.json()["cited_product_ids"]
    assert [c["name"] for c in second.json()["tool_calls"]] == ["add_to_cart"]
    assert second.json()["tool_calls"][0]["arguments"]["product_id"] == shown[1]
    view = httpx.get(f"{a}/v1/conversations/{conv}", headers=_h(keys["u1"]), timeout=30).json()
    assert [m["role"] for m in view["messages"]] == ["user", "assistant", "user", "assistant"]


def test_the_rate_limit_counts_both_replicas(replicas):
    (a, b), keys, _ = replicas
    codes = [
        httpx.get(f"{url}/v1/cart", headers=_h(keys["u2"]), timeout=30).status_code
        for url in [a, b] * PER_CALLER
    ]
    assert codes[:PER_CALLER] == [200] * PER_CALLER
    assert set(codes[PER_CALLER:]) == {429}  # each replica alone saw only half of them


def test_an_index_published_through_one_replica_is_served_by_the_other(replicas):
    (a, b), keys, settings = replicas
    admin = _h(keys["admin"])
    before = [httpx.get(f"{u}/v1/admin/index", headers=admin, timeout=30).json() for u in (a, b)]
    assert before == [{"version": keys["first_version"]}] * 2
    query = {"query": "bamboo toothbrush", "k": 3}
    assert "901" not in [
        p["product_id"]
        for p in httpx.post(f"{b}/v1/search", json=query, headers=admin, timeout=30).json()["hits"]
    ]
    with session_scope(settings.effective_database_url) as db:
        db.add(Product(id="901", title="Bamboo Toothbrush Soft", brand="Ecoy", category="Bath",
                       price=60.0, rating=4.0, rating_count=3, description="a bamboo toothbrush"))  # fmt: skip
    dispose_engine(settings.effective_database_url)
    published = httpx.post(f"{a}/v1/admin/index", headers=admin, timeout=120)
    assert published.status_code == 200, published.text
    assert published.json()["added"] == 1
    version = Path(published.json()["path"]).name
    assert httpx.get(f"{b}/v1/admin/index", headers=admin, timeout=30).json() == {
        "version": version
    }
    time.sleep(search_service.VERSION_TTL_S)  # b reads the pointer again at most this late
    hits = httpx.post(f"{b}/v1/search", json=query, headers=admin, timeout=30).json()["hits"]
    assert hits[0]["product_id"] == "901"
