"""Bad files write nothing, bad rows are skipped or fail under --strict, re-imports are harmless."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.db.migrate import upgrade_url
from assistant.db.models import Event, Order, Product, User
from assistant.db.session import session_factory
from assistant.ingest.clean import Cleaner
from assistant.ingest.pipeline import ingest, loader_for
from assistant.ingest.report import IngestError, SkipRow

CATALOG = (
    "sku,name,cost,stars,cat,maker,colour\n"
    'A1, Green Tea  ,"₹1,299.00",4.5,Beverages > Tea,Tata,green\n'
    "A2,Coffee,$12,7,Beverages>Coffee,Bru,\n"
    "A3,,10,3,Beverages,Bru,\n"  # no title: skipped
    "A4,Water,Rs. 20,,Beverages,Bisleri,\n"
    'A1, Green Tea  ,"₹1,299.00",4.5,Beverages > Tea,Tata,green\n'  # exact duplicate
)
MAPPING = {"product_id": "sku", "title": "name", "price": "cost", "rating": "stars",
           "category": "cat", "brand": "maker"}  # fmt: skip


def snapshot(session: Session) -> list[tuple]:
    """Every product and event, to compare a database before and after."""
    session.expire_all()
    products = session.execute(
        select(Product.id, Product.title, Product.price).order_by(Product.id)
    )
    events = session.execute(
        select(Event.client_event_id, Event.type).order_by(Event.client_event_id)
    )
    return [*products.all(), *events.all()]


def bigbasket_lines(shared_data: Path, records: int) -> list[bytes]:
    """The header and the first `records` records of the BigBasket file, as physical lines."""
    src = shared_data / "bigbasket/bigbasket_products.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        for _ in zip(range(records + 1), reader, strict=False):
            pass
        end = reader.line_num
    return src.read_bytes().split(b"\n")[:end]


def open_db(url: str) -> Session:
    upgrade_url(url)
    return session_factory(url)()


def test_generic_csv_mapping_and_cleaning(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text(CATALOG, encoding="utf-8")
    with open_db(f"sqlite:///{tmp_path / 'db.sqlite'}") as session:
        report = ingest(session, "catalog", path, "csv", mapping=MAPPING)
        assert (report.read, report.loaded, report.duplicates) == (5, 3, 1)
        assert report.skipped == [("line 4", "missing required field 'title'")]
        tea, coffee, water = (session.get(Product, k) for k in ("A1", "A2", "A4"))
        assert (tea.title, tea.price, tea.rating, tea.category) == (
            "Green Tea",
            1299.0,
            4.5,
            "Beverages > Tea",
        )
        assert tea.attributes == {"colour": "green"}
        assert (coffee.price, coffee.rating, coffee.category) == (12.0, 5.0, "Beverages > Coffee")
        assert (water.price, water.rating) == (20.0, None)
        assert (
            report.fixes["rating clipped to 0-5"] == 1 and report.fixes["price normalised"] == 4
        )  # incl. the duplicate
        assert "skipped line 4: missing required field 'title'" in report.summary()


def test_strict_fails_on_first_bad_row_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cat.csv"
    path.write_text(CATALOG, encoding="utf-8")
    with open_db(f"sqlite:///{tmp_path / 'db.sqlite'}") as session:
        with pytest.raises(IngestError, match=r"cat\.csv: line 4: missing required field 'title'"):
            ingest(session, "catalog", path, "csv", mapping=MAPPING, strict=True)
        assert snapshot(session) == []


@pytest.mark.parametrize(
    ("damage", "line", "reason"),
    [
        ("truncate", 3, "expected 11 fields, found"),
        ("quote", 3, "malformed CSV"),
        ("latin1", 3, "not valid UTF-8"),
        ("cut-end", None, "expected 11 fields|malformed CSV"),
    ],
)
def test_broken_bigbasket_copy_fails_with_line_and_leaves_db(
    tmp_path: Path, shared_data: Path, damage: str, line: int | None, reason: str
) -> None:
    lines = bigbasket_lines(shared_data, 300)
    good = tmp_path / "good.csv"
    good.write_bytes(b"\n".join(bigbasket_lines(shared_data, 150)) + b"\n")
    bad = lines[:]
    if damage == "truncate":  # line 3 cut after its fifth field
        bad[2] = b",".join(bad[2].split(b",")[:5])
    elif damage == "quote":  # line 3 cut inside its quoted description
        bad[2] = bad[2][: bad[2].index(b'"Each') + 40]
    elif damage == "latin1":
        bad[2] = bad[2].replace(b"Water Bottle", "Wäter Bottle".encode("latin-1"))
    broken = tmp_path / "broken.csv"
    data = b"\n".join(bad)
    broken.write_bytes(data[: len(data) - 300] if damage == "cut-end" else data)
    with open_db(f"sqlite:///{tmp_path / 'db.sqlite'}") as session:
        ingest(session, "catalog", good, "bigbasket")
        before = snapshot(session)
        with pytest.raises(IngestError, match=reason) as err:
            ingest(session, "catalog", broken, "bigbasket")
        assert str(broken) in str(err.value)
        if line is not None:
            assert err.value.where == line
        assert snapshot(session) == before


def test_bad_jsonl_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    ok = {"user_id": "u1", "product_id": "p1", "type": "view", "ts": "2024-01-01T10:00:00Z"}
    path.write_text(json.dumps(ok) + "\n" + json.dumps(ok)[:-5] + "\n", encoding="utf-8")
    with open_db(f"sqlite:///{tmp_path / 'db.sqlite'}") as session:
        with pytest.raises(IngestError, match=r"line 2: invalid JSON"):
            ingest(session, "events", path, "jsonl")
        assert snapshot(session) == []


def test_events_generic_validation(tmp_path: Path) -> None:
    path = tmp_path / "ev.csv"
    path.write_text(
        "uid,item,action,when,browse_time\n"
        "u1,p1,page_view,1700000000,12.5\n"
        "u1,p1,add_to_cart,1700000100,\n"
        "u1,p1,teleport,1700000200,\n"  # unknown type
        "u2,,buy,1700000300,\n"  # purchase without product
        "u2,p2,buy,yesterday,\n",  # bad timestamp
        encoding="utf-8",
    )
    mapping = {"user_id": "uid", "product_id": "item", "type": "action", "ts": "when",
               "dwell_seconds": "browse_time"}  # fmt: skip
    with open_db(f"sqlite:///{tmp_path / 'db.sqlite'}") as session:
        report = ingest(session, "events", path, "csv", mapping=mapping)
        assert report.loaded == 2
        assert [w for w, _ in report.skipped] == ["line 4", "line 5", "line 6"]
        assert "unknown event type 'teleport'" in report.skipped[0][1]
        rows = session.scalars(select(Event).order_by(Event.ts)).all()
        assert [(e.type, e.dwell_seconds) for e in rows] == [("view", 12.5), ("cart", None)]


def test_unknown_format_lists_valid_ones() -> None:
    with pytest.raises(ValueError, match="valid: csv, jsonl, taobao, recbole"):
        loader_for("events", "parquet")


def test_price_and_rating_cleaning() -> None:
    clean = Cleaner()
    assert [clean.price(v) for v in ["₹1,299.00", "$12", "Rs. 45", 3, "", None]] == [
        1299.0, 12.0, 45.0, 3.0, None, None,
    ]  # fmt: skip
    assert [clean.rating(v) for v in ["4.1", "", "7", "-1", None]] == [4.1, None, 5.0, 0.0, None]
    with pytest.raises(SkipRow):
        clean.price("10-12")


def test_reimport_is_idempotent_and_rollback_on_every_database(
    db_url: str, tmp_path: Path, shared_data: Path
) -> None:
    catalog = tmp_path / "bb.csv"
    catalog.write_bytes(
        b"\n".join(
            (shared_data / "bigbasket/bigbasket_products.csv").read_bytes().split(b"\n")[:300]
        )
    )
    events = tmp_path / "ub.csv"
    with (shared_data / "taobao/UserBehavior_dev.csv").open("rb") as fh:
        events.write_bytes(b"".join(line for _, line in zip(range(3000), fh, strict=False)))
    with open_db(db_url) as session:
        first = ingest(session, "catalog", catalog, "bigbasket")
        ev1 = ingest(session, "events", events, "taobao")
        before = snapshot(session)
        users = session.scalar(select(func.count()).select_from(User))
        again = ingest(session, "catalog", catalog, "bigbasket")
        ev2 = ingest(session, "events", events, "taobao")
        assert again.loaded == first.loaded > 100
        assert (ev2.loaded, ev2.already_present) == (0, ev1.loaded) and ev1.loaded > 2900
        assert snapshot(session) == before
        assert session.scalar(select(func.count()).select_from(User)) == users
        broken = tmp_path / "broken.csv"
        broken.write_bytes(events.read_bytes()[:-20])  # last line truncated
        with pytest.raises(IngestError, match="line 3000: expected 5 fields"):
            ingest(session, "events", broken, "taobao", source="other")
        assert snapshot(session) == before


def test_json_array_orders_with_users(tmp_path: Path) -> None:
    path = tmp_path / "orders.json"
    order = {
        "order_id": "o1",
        "user_id": "u9",
        "status": "Delivered",
        "created_at": "2024-05-01T10:00:00+05:30",
        "items": [{"product_id": "p1", "price": "₹100", "quantity": 2}],
        "user": {"name": " Asha  Rao ", "email": "asha@example.com"},
    }
    bad = {**order, "order_id": "o2", "status": "lost"}
    path.write_text(json.dumps([order, bad]), encoding="utf-8")
    with open_db(f"sqlite:///{tmp_path / 'db.sqlite'}") as session:
        report = ingest(session, "orders", path, "jsonl")
        assert report.loaded == 1 and report.skipped[0][0] == "line 2"
        assert "unknown order status 'lost'" in report.skipped[0][1]
        stored = session.get(Order, "o1")
        assert (stored.status, stored.total, stored.created_at.hour) == ("delivered", 200.0, 4)
        assert session.get(User, "u9").name == "Asha Rao"
