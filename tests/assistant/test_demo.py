"""The demo store: deterministic, with known structure (tastes, funnel, dwell, orders)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.db.models import ORDER_STATUSES, Event, Order, Product, User
from assistant.db.session import session_factory
from assistant.demo import DemoConfig, DemoStore, ensure_demo_store, generate
from assistant.ingest.export import catalog_docs, events_frame

SMALL = DemoConfig(seed=3, products=600, users=120, days=30)


@pytest.fixture(scope="module")
def store() -> DemoStore:
    return generate(SMALL)


def test_deterministic_by_seed(store: DemoStore) -> None:
    again = generate(SMALL)
    assert again.products == store.products and again.events == store.events
    assert again.orders == store.orders
    other = generate(DemoConfig(seed=4, products=600, users=120))
    assert other.events != store.events


def test_catalog_shape(store: DemoStore) -> None:
    products = store.products
    assert len(products) == 600 and len({p["product_id"] for p in products}) == 600
    tops = Counter(p["category"].split(" > ")[0] for p in products)
    assert len(tops) >= 8 and "Electronics Accessories" in tops
    assert all(p["price"] > 0 and p["currency"] == "INR" and p["brand"] for p in products)
    assert 0.02 < sum(not p["in_stock"] for p in products) / 600 < 0.2
    groups = Counter(p["group_id"] for p in products)
    assert max(groups.values()) > 1  # pack sizes of one family share a group
    rated = [p["rating"] for p in products if p["rating"] is not None]
    assert all(1.0 <= r <= 5.0 for r in rated) and len(rated) < 600


def test_users_buy_in_their_favourite_categories(store: DemoStore) -> None:
    category = {p["product_id"]: p["category"].split(" > ")[0] for p in store.products}
    purchases = [e for e in store.events if e["type"] == "purchase"]
    assert len(purchases) > 200
    in_taste = sum(category[e["product_id"]] in store.tastes[e["user_id"]] for e in purchases)
    assert in_taste / len(purchases) > 0.85
    views = [e for e in store.events if e["type"] == "view"]
    view_share = sum(category[e["product_id"]] in store.tastes[e["user_id"]] for e in views)
    assert 0.6 < view_share / len(views) < 0.95  # browsing strays more than buying


def test_funnel_and_dwell(store: DemoStore) -> None:
    by_session: dict[str, list[dict]] = defaultdict(list)
    for e in store.events:
        by_session[e["session_id"]].append(e)
    for events in by_session.values():
        seen: dict[str, set[str]] = defaultdict(set)
        for e in sorted(events, key=lambda e: e["ts"]):
            if e["type"] == "cart":
                assert "view" in seen[e["product_id"]]
            if e["type"] == "purchase":
                assert "cart" in seen[e["product_id"]]
            seen[e["product_id"]].add(e["type"])
    carted = {(e["session_id"], e["product_id"]) for e in store.events if e["type"] == "cart"}
    dwell = defaultdict(list)
    for e in store.events:
        if e["type"] == "view":
            dwell[(e["session_id"], e["product_id"]) in carted].append(e["dwell_seconds"])
    assert sum(dwell[True]) / len(dwell[True]) > 1.5 * sum(dwell[False]) / len(dwell[False])
    counts = Counter(e["type"] for e in store.events)
    assert counts["view"] > counts["cart"] > counts["purchase"] > 0


def test_orders_match_purchases(store: DemoStore) -> None:
    bought = Counter(
        (e["user_id"], e["product_id"]) for e in store.events if e["type"] == "purchase"
    )
    items = Counter((o["user_id"], i["product_id"]) for o in store.orders for i in o["items"])
    assert bought == items
    statuses = Counter(o["status"] for o in store.orders)
    assert set(statuses) <= set(ORDER_STATUSES) and statuses["delivered"] > statuses["pending"]
    shipped = [o for o in store.orders if o["status"] in {"processed", "delivered"}]
    assert all(o["fulfillments"][0]["tracking_id"] for o in shipped)


def test_ensure_demo_store_loads_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.demo as demo

    monkeypatch.setattr(demo, "DemoConfig", lambda: SMALL)
    settings = Settings(data_dir=tmp_path / "var")
    assert ensure_demo_store(settings).startswith("demo store loaded")
    url = settings.effective_database_url
    with session_factory(url)() as session:
        counts = [
            session.scalar(select(func.count()).select_from(m))
            for m in (Product, Event, Order, User)
        ]
        assert counts[0] == 600 and counts[1] == len(generate(SMALL).events) and counts[3] == 120
        docs = catalog_docs(session)
        assert len(docs) == 600 and docs[0].group_id and " > " in docs[0].category
        frame = events_frame(session)
        assert list(frame.columns) == [
            "user_id",
            "product_id",
            "type",
            "ts",
            "dwell_seconds",
            "category",
        ]
        assert frame["ts"].is_monotonic_increasing and len(frame) == counts[1]
        assert (frame.loc[frame["type"] == "view", "category"].str.contains(" > ")).all()
    assert ensure_demo_store(settings).startswith("catalog present")
    with session_factory(url)() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == counts[1]


def test_demo_generate_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from assistant.cli import load_commands
    from assistant.cli.app import app
    from assistant.config import get_settings

    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHOPASSIST_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    load_commands()
    try:
        args = ["demo", "generate", "--seed", "5", "--products", "120", "--users", "15"]
        result = CliRunner().invoke(app, [*args, "--no-load", "--out", str(tmp_path / "files")])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "files" / "events.csv").is_file()
        result = CliRunner().invoke(app, [*args, "--no-refresh-index"])
        assert result.exit_code == 0, result.output
        assert "read 120, loaded 120" in result.output and "orders import" in result.output
        result = CliRunner().invoke(app, ["demo", "generate", "--products", "3"])
        assert result.exit_code != 0
    finally:
        get_settings.cache_clear()
