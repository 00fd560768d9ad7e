"""The cart and idempotent replies on SQLite, PostgreSQL and MariaDB (after the migrations)."""

from __future__ import annotations

import pytest

from assistant import errors
from assistant.db.migrate import upgrade_url
from assistant.db.models import Product
from assistant.db.session import session_factory
from assistant.services import cart, idempotency


def test_cart_on_each_database(db_url: str) -> None:
    upgrade_url(db_url)  # the migrations, including the cart revision
    db = session_factory(db_url)()
    try:
        db.add_all(
            [
                Product(id="p1", title="Salted Butter 500 g", brand="Amul", price=275.0),
                Product(id="p2", title="Dark Chocolate Bar", brand="Amul", price=99.5),
                Product(id="p3", title="Herbal Shampoo", brand="Himalaya", in_stock=False),
            ]
        )
        db.commit()
        anon, shopper = "key:7", "user:u1"
        added = cart.add(db, anon, "p1", 2, shown_price=250.0)
        assert added["price_change"]["price"] == 275.0
        cart.add(db, anon, "p2")
        with pytest.raises(cart.OutOfStock):
            cart.add(db, anon, "p3")
        db.rollback()
        assert cart.set_quantity(db, anon, "p2", 3)["cart"]["total"] == 2 * 275 + 3 * 99.5
        cart.add(db, shopper, "p2", 1)
        merged = cart.merge(db, anon, shopper)["cart"]
        assert {i["product_id"]: i["quantity"] for i in merged["items"]} == {"p2": 4, "p1": 2}
        assert cart.view(db, anon)["items"] == []
        assert cart.remove(db, shopper, "p1")["cart"]["count"] == 4
        with pytest.raises(cart.NotInCart):
            cart.remove(db, shopper, "p1")
        db.rollback()

        # an idempotent add: the second run with the key replays, and adds nothing
        def add_one() -> cart.CartChange:
            return cart.add(db, shopper, "p1", 1, commit=False)

        first = idempotency.run_once(db, shopper, "key-1", "fp", add_one)
        again = idempotency.run_once(db, shopper, "key-1", "fp", add_one)
        assert again[1] == first[1] and (first[2], again[2]) == (False, True)
        assert cart.view(db, shopper)["count"] == 5
        with pytest.raises(errors.Conflict):
            idempotency.run_once(db, shopper, "key-1", "other request", add_one)
    finally:
        db.close()
