"""Order look-ups: a shopper sees only their own orders; foreign ids read as unknown."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant import errors
from assistant.db.models import Order
from assistant.services import orders
from tests.assistant.retail import first_order, other_user


def test_list_orders_only_the_users_own(db) -> None:
    order = first_order(db, "delivered")
    mine = orders.list_orders(db, order.user_id)
    expected = db.scalars(select(Order.id).where(Order.user_id == order.user_id)).all()
    assert sorted(o["order_id"] for o in mine) == sorted(expected)
    assert all(o["user_id"] == order.user_id for o in mine)
    delivered = orders.list_orders(db, order.user_id, status="delivered")
    assert delivered and all(o["status"] == "delivered" for o in delivered)
    assert orders.list_orders(db, "no_such_user") == []


def test_list_orders_rejects_unknown_status(db) -> None:
    with pytest.raises(errors.Invalid, match="unknown status"):
        orders.list_orders(db, "anyone", status="shipped-ish")


def test_get_order_has_items_tracking_and_payments(db) -> None:
    order = first_order(db, "delivered")
    got = orders.get_order(db, order.id, order.user_id)
    assert got["order_id"] == order.id and got["status"] == "delivered"
    assert {i["item_id"] for i in got["items"]} == {i.variant_id for i in order.items}
    assert got["tracking"] and got["tracking"][0]["tracking_ids"]
    assert got["payments"][0]["transaction_type"] == "payment"
    assert got["currency"] == "USD"
    # ids without the '#' (awkward in URLs) name the same order
    assert orders.get_order(db, order.id.lstrip("#"), None)["order_id"] == order.id


def test_foreign_order_reads_exactly_like_a_missing_one(db) -> None:
    order = first_order(db, "pending")
    stranger = other_user(db, order.user_id)
    with pytest.raises(errors.NotFound) as foreign:
        orders.get_order(db, order.id, stranger)
    with pytest.raises(errors.NotFound) as missing:
        orders.get_order(db, "#W0000000", stranger)
    assert str(foreign.value).replace(order.id, "X") == str(missing.value).replace("#W0000000", "X")
    assert foreign.value.status_code == missing.value.status_code == 404
    # agents (no principal user) see any order
    assert orders.get_order(db, order.id, None)["user_id"] == order.user_id


def test_user_profile_has_payment_methods(db) -> None:
    order = first_order(db, "pending")
    profile = orders.user_profile(orders.get_user(db, order.user_id))
    assert profile["email"] and profile["payment_methods"]
    with pytest.raises(errors.NotFound):
        orders.get_user(db, "nobody_here")
