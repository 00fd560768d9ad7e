"""Each loader on the real files in ../shared/data, with known counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.migrate import upgrade_url
from assistant.db.models import Event, Order, OrderItem, Product, ProductVariant, User
from assistant.db.session import session_factory
from assistant.ingest.pipeline import ingest


@pytest.fixture
def session(tmp_path: Path) -> Session:
    url = f"sqlite:///{tmp_path / 'ingest.db'}"
    upgrade_url(url)
    with session_factory(url)() as s:
        yield s


def head(src: Path, dst: Path, lines: int) -> Path:
    """The first `lines` lines of src written to dst."""
    with src.open("rb") as fh:
        dst.write_bytes(b"".join(line for _, line in zip(range(lines), fh, strict=False)))
    return dst


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_bigbasket_full_file(session: Session, shared_data: Path) -> None:
    report = ingest(
        session, "catalog", shared_data / "bigbasket/bigbasket_products.csv", "bigbasket"
    )
    assert (report.read, report.loaded, len(report.skipped)) == (6079, 6079, 0)
    assert count(session, Product) == 6079
    assert report.fixes["stray extra field dropped"] == 1
    # the row with the stray field keeps its image in the image column
    stray = session.get(Product, "6")
    assert stray.title == "Germ - Removal Multipurpose Wipes" and stray.image_url == "8.jpg"
    first = session.get(Product, "1")
    assert first.brand == "Sri Sri Ayurveda"  # trailing space trimmed
    assert first.category == "Beauty & Hygiene > Hair Care > Hair Oil & Serum"
    assert (first.price, first.currency, first.rating) == (220.0, "INR", 4.1)
    assert first.attributes["market_price"] == 220.0
    unrated = session.scalar(
        select(func.count()).select_from(Product).where(Product.rating.is_(None))
    )
    assert unrated > 0  # empty ratings stay unknown, not 0


def test_homedepot_title_only_catalog_deduped(session: Session, shared_data: Path) -> None:
    report = ingest(session, "catalog", shared_data / "homedepot/judgments_dev.csv", "homedepot")
    assert report.read == 51878
    assert count(session, Product) == 41205  # distinct product_uid
    assert report.duplicates + report.replaced == 51878 - 41205
    product = session.get(Product, "100001")
    assert product.title == "Simpson Strong-Tie 12-Gauge Angle" and product.description == ""


def test_recbole_items_and_sequences(session: Session, shared_data: Path, tmp_path: Path) -> None:
    report = ingest(session, "catalog", shared_data / "games/Games.item", "recbole")
    assert report.loaded == 16859 and count(session, Product) == 16859
    assert session.get(Product, "0").title == "Fire Emblem: The Sacred Stones"

    part = head(shared_data / "games/Games-6k.valid.inter", tmp_path / "part.inter", 201)
    report = ingest(session, "events", part, "recbole")
    lines = part.read_text().splitlines()[1:]
    expected = sum(len(line.split("\t")[1].split()) + 1 for line in lines)
    assert report.loaded == expected == count(session, Event)
    # user 0's history comes back in file order, then the next item
    user0 = session.scalars(
        select(Event.product_id).where(Event.user_id == "0").order_by(Event.ts)
    ).all()
    assert user0 == [str(i) for i in range(14)]
    assert set(session.scalars(select(Event.type).distinct())) == {"purchase"}


def test_taobao_behaviour(session: Session, shared_data: Path, tmp_path: Path) -> None:
    part = head(shared_data / "taobao/UserBehavior_dev.csv", tmp_path / "ub.csv", 5000)
    report = ingest(session, "events", part, "taobao")
    assert report.read == 5000 and report.loaded + report.duplicates == 5000
    types = dict(session.execute(select(Event.type, func.count()).group_by(Event.type)).all())
    assert set(types) <= {"view", "cart", "fav", "purchase"} and types["view"] > types["purchase"]
    first = session.scalars(select(Event).where(Event.user_id == "1").order_by(Event.ts)).first()
    assert first.product_id == "2268318" and first.category_id == "2520377"
    assert first.ts.isoformat() == "2017-11-24T17:21:10"  # 1511544070 as UTC
    assert count(session, User) == len({line.split(",")[0] for line in part.read_text().split()})


def test_retail_orders(session: Session, shared_data: Path) -> None:
    folder = shared_data / "retail_orders"
    catalog = ingest(session, "catalog", folder, "retail-orders")
    assert catalog.loaded == 50 and catalog.related["variants"] == 591
    assert count(session, ProductVariant) == 591
    shirt = session.get(Product, "9523456873")
    assert shirt.title == "T-Shirt" and shirt.currency == "USD"
    assert shirt.price == min(v.price for v in shirt.variants)

    orders = ingest(session, "orders", folder, "retail-orders")
    assert orders.loaded == 1000 and orders.related["users"] == 500
    assert (count(session, Order), count(session, User)) == (1000, 500)
    order = session.get(Order, "#W2611340")
    assert order.status == "processed" and order.user_id == "james_li_5688"
    assert [i.variant_id for i in order.items] == ["6469567736", "8426249116"]
    assert order.fulfillments[0]["tracking_id"] == ["357962501027"]
    assert order.total == pytest.approx(47.84 + 488.81)
    assert session.get(User, "james_li_5688").email
    statuses = set(session.scalars(select(Order.status).distinct()))
    assert statuses == {"pending", "processed", "delivered", "cancelled"}
    assert count(session, OrderItem) == orders.related["order items"]
