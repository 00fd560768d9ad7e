"""Fixtures of the assistant tests.

- `db_url`: a fresh, empty database per test on SQLite, PostgreSQL and MariaDB/MySQL;
- `store_settings`, `store`: the tiny known store (tests/assistant/known_store.py) and its keys;
- `indexed_store`: the known store, the cart products and a search index, built once;
- `store_state`, `retail_state`: an AppState over those settings, closed after the test;
- `retail_settings`, `db`, `keys`, `client`: a private copy of retail_orders for the
  customer-service tests (tests/assistant/retail.py);
- `browser`: headless Chromium.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from assistant.config import Settings
from assistant.db.migrate import load_models
from assistant.db.models import ProductVariant
from assistant.db.session import dispose_engine, get_engine, session_factory, session_scope
from assistant.services import search as search_service
from assistant.services.keys import create_key
from assistant.services.state import AppState
from tests.assistant.known_store import build_store
from tests.assistant.retail import POLICY, RETAIL, first_order, other_user

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
        dispose_engine(url)
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
        dispose_engine(url)
        return
    yield from _server_database(request.param)


# --- the tiny known store ------------------------------------------------------------------


@pytest.fixture
def store_settings(settings: Settings) -> Settings:
    """Settings on a fresh data dir, deterministic agent (no model) unless a test injects one."""
    return settings.model_copy(update={"agent_use_llm": False, "agent_time_budget_s": 3.0})


@pytest.fixture
def store(store_settings: Settings) -> dict[str, str]:
    """The known store in store_settings' database; raw keys by name."""
    return build_store(store_settings)


@pytest.fixture
def store_state(store_settings: Settings) -> Iterator[AppState]:
    """The app state over store_settings, as a lifespan would make it; closed afterwards."""
    with AppState(store_settings) as state:
        yield state


@pytest.fixture(scope="session")
def indexed_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    """The known store with the cart products and a real search index (built once): settings
    and raw keys. Read it, never change its catalog (carts, conversations are fine)."""
    from tests.assistant.cart_eval import build_cart_store

    data = tmp_path_factory.mktemp("indexed") / "var"
    settings = Settings(
        data_dir=data, database_url="", agent_use_llm=False, embedder_backend="torch",
        rate_limit="100000/minute",
    )  # fmt: skip
    keys = build_cart_store(settings)
    with session_scope(settings.effective_database_url) as db:
        # two sizes of the steel bottle: variants with their own prices (UCP lookups by id)
        db.add(
            ProductVariant(id="102-750", product_id="102", options={"Size": "750 ml"}, price=450.0)
        )
        db.add(
            ProductVariant(id="102-1000", product_id="102", options={"Size": "1 L"}, price=520.5)
        )
    with session_scope(settings.effective_database_url) as db:
        search_service.build_index(settings, db)
    return settings, keys


# --- retail_orders (customer service) -------------------------------------------------------


@pytest.fixture(scope="session")
def retail_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with retail_orders ingested by the project's loader (built once)."""
    if not RETAIL.is_dir():
        pytest.skip(f"retail_orders data not found at {RETAIL}")
    from assistant.ingest.pipeline import ingest

    path = tmp_path_factory.mktemp("retail") / "shopassist.db"
    url = f"sqlite:///{path}"
    load_models().create_all(get_engine(url))  # every table, the support and cart ones too
    with session_scope(url) as session:
        ingest(session, "catalog", RETAIL, "retail-orders")
        ingest(session, "orders", RETAIL, "retail-orders")
    dispose_engine(url)
    return path


@pytest.fixture
def retail_settings(retail_template: Path, tmp_path: Path) -> Settings:
    """Settings on a private copy of the retail database, with the retail policy."""
    data = tmp_path / "var"
    data.mkdir()
    shutil.copyfile(retail_template, data / "shopassist.db")
    return Settings(data_dir=data, database_url="", policy_path=str(POLICY))


@pytest.fixture
def retail_state(retail_settings: Settings) -> Iterator[AppState]:
    """The app state over retail_settings; closed afterwards."""
    with AppState(retail_settings) as state:
        yield state


@pytest.fixture
def db(retail_settings: Settings) -> Iterator[Session]:
    """A session on the private retail database."""
    session = session_factory(retail_settings.effective_database_url)()
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def keys(db: Session) -> dict[str, str]:
    """Raw API keys: two agents, two shoppers (widget) and an anonymous widget key."""
    first = first_order(db, "pending")
    second = other_user(db, first.user_id)
    return {
        "agent": create_key(db, "agent", name="agent one").raw,
        "agent2": create_key(db, "agent", name="agent two").raw,
        "shopper": create_key(db, "widget", user_id=first.user_id).raw,
        "stranger": create_key(db, "widget", user_id=second).raw,
        "shopper_id": first.user_id,
        "stranger_id": second,
    }


@pytest.fixture
def client(retail_settings: Settings):
    """A TestClient on the app over the private retail database."""
    from fastapi.testclient import TestClient

    from assistant.api.app import create_app

    with TestClient(create_app(retail_settings)) as c:
        yield c


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def browser():
    """Headless Debian Chromium driven by Playwright (skips when either is missing)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()
