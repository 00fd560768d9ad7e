"""The embedded demo store: a deterministic catalog, shoppers with tastes, a month of behaviour.

Known structure (checked by tests, usable as recommender test data): every shopper has one or
two favourite top categories; most of their sessions, carts and purchases fall in them. Events
follow a view -> cart -> purchase funnel with dwell times; each purchasing session is an order.
The generator writes ordinary import files (catalog JSONL, events CSV, orders JSONL) that go
through the same ingest path as any real data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

from assistant.config import Settings
from assistant.db.migrate import upgrade
from assistant.db.models import Product
from assistant.db.session import session_factory
from assistant.demo_catalog import (
    ADJECTIVES,
    CITIES,
    FEATURES,
    FIRST_NAMES,
    LAST_NAMES,
    PAYMENT_METHODS,
    TAXONOMY,
)
from assistant.demo_records import (
    DemoAddress,
    DemoEvent,
    DemoFulfillment,
    DemoOrder,
    DemoOrderLine,
    DemoPayment,
    DemoProduct,
    DemoUser,
)
from assistant.ingest.pipeline import ingest
from assistant.ingest.report import IngestReport
from assistant.services.policy import install_policy, policy_files

SOURCE = "demo"
EVENT_COLUMNS = ["client_event_id", "user_id", "product_id", "type", "ts", "dwell_seconds",
                 "session_id", "query"]  # fmt: skip


@dataclass(frozen=True)
class DemoConfig:
    """Size and shape of the demo store."""

    seed: int = 7
    products: int = 3000
    users: int = 500
    days: int = 30
    start: datetime = datetime(2026, 10, 1)
    taste_share: float = 0.8  # share of sessions spent in a favourite category
    cart_rate: float = 0.22  # P(cart | view) in a favourite category (a third of it elsewhere)
    buy_rate: float = 0.55  # P(purchase | cart)

    def __post_init__(self) -> None:
        if self.products < 50 or self.users < 10 or self.days < 1:
            raise ValueError("demo store needs products >= 50, users >= 10, days >= 1")
        for name in ("taste_share", "cart_rate", "buy_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be within 0..1")


@dataclass
class DemoStore:
    """Generated rows plus the ground truth behind them (tastes are not written to the DB)."""

    products: list[DemoProduct]
    events: list[DemoEvent]
    orders: list[DemoOrder]
    tastes: dict[str, list[str]]  # user id -> favourite top categories
    users: dict[str, DemoUser] = field(default_factory=dict)


def _products(cfg: DemoConfig, rng: np.random.Generator) -> list[DemoProduct]:
    """Product families (brand + noun) in 1-3 pack sizes; each size is a product of one group."""
    subs = [(top, sub, spec) for top, subs in TAXONOMY.items() for sub, spec in subs.items()]
    products: list[DemoProduct] = []
    family = 0
    while len(products) < cfg.products:
        top, sub, (nouns, brands, (low, high), sizes) = subs[family % len(subs)]
        noun, brand = nouns[rng.integers(len(nouns))], brands[rng.integers(len(brands))]
        adjective = ADJECTIVES[rng.integers(len(ADJECTIVES))]
        base = float(rng.uniform(low, high))
        quality = float(np.clip(rng.normal(4.0, 0.45), 1.5, 5.0))
        n_sizes = int(rng.integers(1, min(3, len(sizes)) + 1))
        group = f"g{family:05d}"
        for k, size in enumerate(sizes[:n_sizes]):
            if len(products) >= cfg.products:
                break
            pid = f"D{len(products) + 1:05d}"
            price = round(base * (1 + 0.85 * k) * (0.95 if k else 1.0)) - 0.01 * (k % 2)
            rated = rng.random() > 0.07
            features = rng.choice(len(FEATURES), size=2, replace=False)
            title = f"{brand} {adjective} {noun} - {size}"
            products.append(
                DemoProduct(
                    product_id=pid,
                    title=title,
                    description=(
                        f"{brand} {noun.lower()} ({size}) from our {sub.lower()} range: "
                        f"{FEATURES[features[0]]}, {FEATURES[features[1]]}."
                    ),
                    category=f"{top} > {sub}",
                    brand=brand,
                    price=round(max(price, 5.0), 2),
                    currency="INR",
                    rating=round(float(np.clip(quality + rng.normal(0, 0.2), 1.0, 5.0)), 1)
                    if rated
                    else None,
                    rating_count=int(rng.integers(3, 4000)) if rated else 0,
                    in_stock=bool(rng.random() > 0.08),
                    image_url=f"https://demo.shopassist.local/img/{pid}.jpg",
                    group_id=group,
                    attributes={"pack_size": size, "type": noun},
                    _quality=quality,
                )
            )
        family += 1
    return products


def _users(
    cfg: DemoConfig, rng: np.random.Generator
) -> tuple[dict[str, DemoUser], dict[str, list[str]]]:
    tops = list(TAXONOMY)
    users: dict[str, DemoUser] = {}
    tastes: dict[str, list[str]] = {}
    for i in range(cfg.users):
        uid = f"U{i + 1:04d}"
        first, last = (
            FIRST_NAMES[rng.integers(len(FIRST_NAMES))],
            LAST_NAMES[rng.integers(len(LAST_NAMES))],
        )
        city, state, zip_prefix = CITIES[rng.integers(len(CITIES))]
        n_fav = 1 if rng.random() < 0.6 else 2
        tastes[uid] = [tops[j] for j in rng.choice(len(tops), size=n_fav, replace=False)]
        address = DemoAddress(city=city, state=state, zip=f"{zip_prefix}{rng.integers(10, 99)}",
                              country="India")  # fmt: skip
        users[uid] = DemoUser(
            name=f"{first} {last}",
            email=f"{first.lower()}.{last.lower()}{i + 1}@example.com",
            attributes={"address": address},
        )
    return users, tastes


def _status(age_days: float, rng: np.random.Generator) -> str:
    if rng.random() < 0.05:
        return "cancelled"
    if age_days > 5:
        return "delivered"
    return "processed" if age_days > 1.5 else "pending"


def generate(cfg: DemoConfig) -> DemoStore:
    """The whole demo store for cfg (same config, same store)."""
    rng = np.random.default_rng(cfg.seed)
    products = _products(cfg, rng)
    users, tastes = _users(cfg, rng)
    by_top: dict[str, list[int]] = {}
    for i, p in enumerate(products):
        by_top.setdefault(p["category"].split(" > ")[0], []).append(i)
    # popularity within a category follows rating quality, so "good" items sell more
    weights = {
        top: np.exp(2.0 * np.array([products[i]["_quality"] for i in idx]))
        for top, idx in by_top.items()
    }
    weights = {top: w / w.sum() for top, w in weights.items()}
    tops = list(by_top)
    end = cfg.start + timedelta(days=cfg.days)
    events: list[DemoEvent] = []
    orders: list[DemoOrder] = []
    for uid in users:
        activity = rng.gamma(2.0, 5.0)  # sessions over the period, heavy-tailed across users
        for s in range(max(1, int(rng.poisson(activity)))):
            t = cfg.start + timedelta(seconds=float(rng.uniform(0, cfg.days * 86400)))
            liked = rng.random() < cfg.taste_share
            top = (
                tastes[uid][rng.integers(len(tastes[uid]))]
                if liked
                else tops[rng.integers(len(tops))]
            )
            liked = top in tastes[uid]
            session = f"{uid}-s{s:03d}"
            idx = by_top[top]
            n_views = int(rng.integers(2, 8))
            seen = rng.choice(len(idx), size=min(n_views, len(idx)), replace=False, p=weights[top])
            if rng.random() < 0.3:
                noun = products[idx[seen[0]]]["attributes"]["type"]
                events.append(_event(uid, None, "search", t, None, session, noun.lower()))
                t += timedelta(seconds=float(rng.uniform(2, 10)))
            bought: list[DemoProduct] = []
            for j in seen:
                p = products[idx[j]]
                cart_p = cfg.cart_rate * (1.0 if liked else 0.33) * (1.0 if p["in_stock"] else 0.0)
                carted = rng.random() < cart_p
                dwell = float(rng.lognormal(3.6 if carted else 2.8, 0.5))  # ~37 s vs ~16 s
                events.append(_event(uid, p["product_id"], "view", t, round(dwell, 1), session))
                t += timedelta(seconds=dwell + float(rng.uniform(1, 6)))
                if carted:
                    events.append(_event(uid, p["product_id"], "cart", t, None, session))
                    t += timedelta(seconds=float(rng.uniform(3, 30)))
                    if rng.random() < cfg.buy_rate:
                        bought.append(p)
            if bought and t < end:
                for p in bought:
                    events.append(_event(uid, p["product_id"], "purchase", t, None, session))
                orders.append(_order(uid, len(orders), t, bought, users[uid], end, rng))
    events.sort(key=lambda e: (e["ts"], e["user_id"]))
    for p in products:
        p.pop("_quality")
    return DemoStore(products, events, orders, tastes, users)


def _event(uid: str, pid: str | None, kind: str, t: datetime, dwell: float | None,
           session: str, query: str = "") -> DemoEvent:  # fmt: skip
    ts = t.replace(microsecond=0)
    return DemoEvent(
        client_event_id=f"{session}-{kind}-{pid or query}-{ts:%H%M%S}",
        user_id=uid,
        product_id=pid or "",
        type=kind,
        ts=ts.isoformat(),
        dwell_seconds="" if dwell is None else dwell,
        session_id=session,
        query=query,
    )


def _order(uid: str, n: int, t: datetime, items: list[DemoProduct], user: DemoUser,
           end: datetime, rng: np.random.Generator) -> DemoOrder:  # fmt: skip
    oid = f"#D{n + 100001}"
    status = _status((end - t).total_seconds() / 86400, rng)
    lines = [
        DemoOrderLine(product_id=p["product_id"], name=p["title"], price=p["price"],
                      quantity=int(rng.integers(1, 3)),
                      options={"pack_size": p["attributes"]["pack_size"]})
        for p in items
    ]  # fmt: skip
    total = round(sum(i["price"] * i["quantity"] for i in lines), 2)
    shipped = status in {"processed", "delivered"}
    shipments = [
        DemoFulfillment(tracking_id=[f"TRK{int(rng.integers(10**9, 10**10))}"],
                        item_ids=[i["product_id"] for i in lines])
    ] if shipped else []  # fmt: skip
    payments = [
        DemoPayment(transaction_type="payment", amount=total,
                    payment_method_id=PAYMENT_METHODS[int(rng.integers(len(PAYMENT_METHODS)))])
    ] + ([DemoPayment(transaction_type="refund", amount=total)] if status == "cancelled" else [])  # fmt: skip
    return DemoOrder(
        order_id=oid,
        user_id=uid,
        status=status,
        created_at=t.replace(microsecond=0).isoformat(),
        currency="INR",
        total=total,
        address=user["attributes"]["address"],
        items=lines,
        fulfillments=shipments,
        payment_history=payments,
        user=DemoUser(name=user["name"], email=user["email"], attributes=user["attributes"]),
    )


def write_demo_files(cfg: DemoConfig, out: Path, store: DemoStore | None = None) -> dict[str, Path]:
    """Write catalog.jsonl, events.csv and orders.jsonl for cfg under out; returns their paths."""
    store = store or generate(cfg)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "catalog": out / "catalog.jsonl",
        "events": out / "events.csv",
        "orders": out / "orders.jsonl",
    }
    with files["catalog"].open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in store.products)
    with files["events"].open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=EVENT_COLUMNS)
        writer.writeheader()
        writer.writerows(store.events)
    with files["orders"].open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(o, ensure_ascii=False) + "\n" for o in store.orders)
    (out / "config.json").write_text(json.dumps(asdict(cfg), default=str, indent=2))
    return files


def generate_and_load(settings: Settings, cfg: DemoConfig, out: Path | None = None,
                      progress: bool = False) -> Iterator[IngestReport]:  # fmt: skip
    """Write the demo files and import them (catalog, events, orders) through the ingest path."""
    files = write_demo_files(cfg, out or settings.path("demo"))
    upgrade(settings)
    for kind, fmt in (("catalog", "jsonl"), ("events", "csv"), ("orders", "jsonl")):
        with session_factory(settings.effective_database_url)() as session:
            yield ingest(session, kind, files[kind], fmt, source=SOURCE, progress=progress)


DEMO_POLICY = Path(__file__).with_name("demo_policy.md")


def ensure_demo_policy(settings: Settings) -> None:
    """Install the demo store's policy when no policy document is configured or installed."""
    if not policy_files(settings):
        install_policy(settings, DEMO_POLICY)


def ensure_demo_store(settings: Settings) -> str:
    """Setup step: when the database has no products, generate and import the demo store."""
    upgrade(settings)
    ensure_demo_policy(settings)
    with session_factory(settings.effective_database_url)() as session:
        if session.scalar(select(func.count()).select_from(Product)):
            return "catalog present: demo store not needed"
    reports = list(generate_and_load(settings, DemoConfig()))
    return "demo store loaded: " + ", ".join(f"{r.loaded} {r.kind}" for r in reports)
