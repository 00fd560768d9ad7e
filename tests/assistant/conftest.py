"""`db_url`: a fresh, empty database per test on SQLite, PostgreSQL and MariaDB/MySQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from assistant.db.session import get_engine

# Server URLs (each server's maintenance database); override with env vars in CI.
SERVERS = {
    "postgresql": os.environ.get(
        "SHOPASSIST_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ),
    "mysql": os.environ.get(
        "SHOPASSIST_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test"
    ),
}
_unreachable: dict[str, str] = {}


def _admin_engine(url: str):
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def _missing_server(reason: str) -> None:
    """Skip on a developer's machine without the server; fail in CI, where it must run."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: the database tests must run)", pytrace=False)
    pytest.skip(reason)


def _server_database(kind: str) -> Iterator[str]:
    """Create a uniquely named database on the server, yield its URL, then drop it."""
    if kind in _unreachable:
        _missing_server(_unreachable[kind])
    server = SERVERS[kind]
    admin = _admin_engine(server)
    name = f"sa_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:  # server absent or refusing: skip (fail in CI), with the reason
        reason = f"{kind} server unreachable at {make_url(server).render_as_string()}: {str(exc).splitlines()[0][:160]}"
        _unreachable[kind] = reason
        _missing_server(reason)
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
        with admin.connect() as conn:
            force = " WITH (FORCE)" if kind == "postgresql" else ""
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}{force}"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh empty database (SQLite file, or a new PostgreSQL / MariaDB database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'test.db'}"
        yield url
        get_engine(url).dispose()
        return
    yield from _server_database(request.param)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser():
    """Headless Debian Chromium driven by Playwright (skips when either is missing)."""
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
