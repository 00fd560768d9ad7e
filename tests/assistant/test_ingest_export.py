"""catalog_docs / events_frame: what retrieval and the recommender read out of the database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.db.migrate import upgrade_url
from assistant.db.models import Event, Product, ProductVariant
from assistant.db.session import session_factory
from assistant.ingest.export import catalog_docs, events_frame


def test_export_docs_and_events(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade_url(url)
    with session_factory(url)() as s:
        s.add_all(
            [
                Product(id="p1", title="Shirt", category="Clothing > Shirts", price=30, source="a",
                        attributes={"group_id": "g1", "fabric": "cotton"},
                        variants=[ProductVariant(id="v1", options={"size": "M"}, price=25.5, in_stock=False),
                                  ProductVariant(id="v2", options={"size": "S"}, price=27, in_stock=True)]),
                Product(id="p2", title="Mug", source="b", in_stock=False),
                Event(user_id="u", product_id="p1", type="view", ts=datetime(2024, 1, 2), dwell_seconds=3,
                      client_event_id="1"),
                Event(user_id="u", product_id="zz", type="cart", ts=datetime(2024, 1, 1), category_id="c9",
                      client_event_id="2"),
            ]
        )  # fmt: skip
        s.commit()
        docs = catalog_docs(s)
        assert [d.product_id for d in docs] == ["p1", "p2"]
        shirt = docs[0]
        assert (shirt.price, shirt.in_stock, shirt.group_id) == (25.5, True, "g1")
        assert shirt.extra == {"fabric": "cotton", "size": "M, S"}
        assert docs[1].in_stock is False and [d.product_id for d in catalog_docs(s, "b")] == ["p2"]
        frame = events_frame(s)
        assert frame["product_id"].tolist() == ["zz", "p1"]  # time order
        assert frame["category"].tolist() == ["c9", "Clothing > Shirts"]
        assert frame["dwell_seconds"].iloc[1] == 3.0
