"""The recommender service with SASRec and the learned blend: a store whose shoppers follow an
order rule (A then B -> C, B then A -> D) trains all three components; a new shopper's two
views decide the next item by their order, and the explanation names those two views."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select

from assistant.config import Settings
from assistant.db.models import Base, Event, Product
from assistant.db.session import get_engine, session_scope
from assistant.services import recs
from assistant.services.state import AppState

T0 = datetime(2026, 1, 1)
GROUPS = 6


def _item(g: int, x: str) -> str:
    return f"G{g}{x}"


def test_order_decides_the_next_item_and_the_explanation_names_it(settings: Settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.effective_database_url
    Base.metadata.create_all(get_engine(url))
    rng = np.random.default_rng(0)
    with session_scope(url) as db:
        db.add_all(
            Product(id=_item(g, x), title=f"Item {g}{x}", category=f"Group {g}", price=5.0)
            for g in range(GROUPS)
            for x in "ABCD"
        )
        n = 0
        for u in range(1000):
            when = T0 + timedelta(hours=u)
            for g in rng.choice(GROUPS, 2, replace=False):
                for x in "ABC" if rng.random() < 0.5 else "BAD":
                    n += 1
                    when += timedelta(minutes=3)
                    db.add(Event(user_id=f"s{u}", product_id=_item(g, x), type="view", ts=when,
                                 client_event_id=f"e{n}", source="test"))  # fmt: skip
        db.commit()
    with AppState(settings) as state, session_scope(url) as db:
        metrics = recs.train_recsys(settings, db)
        assert set(metrics["learned_blend"]) >= {"als", "transitions", "sasrec", "blend"}
        # a shopper the model never saw views B3, then A3
        db.add_all(
            Event(
                user_id="newbie",
                product_id=_item(3, x),
                type="view",
                client_event_id=f"n{x}",
                ts=T0 + timedelta(days=20, minutes=i),
                source="test",
            )  # fmt: skip
            for i, x in enumerate("BA")
        )
        db.commit()
        out = recs.recommend(state, db, "newbie", k=2)
        assert out["strategy"] == "session" and out["items"][0]["product_id"] == _item(3, "D")
        why = recs.explain(state, db, "newbie", _item(3, "D"))
        seq = [e for e in why["evidence"] if e["kind"] == "sequence"]
        assert seq and {e["product_id"] for e in seq} <= {_item(3, "A"), _item(3, "B")}
        assert all(e["events"] and "sequence model ranks it #" in e["text"] for e in seq)
        viewed = set(db.scalars(select(Event.product_id).where(Event.user_id == "newbie")))
        cited = {e["product_id"] for e in why["evidence"] if "product_id" in e}
        assert cited <= viewed  # never a reason the shopper's own events do not back
