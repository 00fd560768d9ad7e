"""The store the contract fuzz test serves: the known store with behaviour, a store policy, a
built search index and trained recommender and behaviour models, so no route answers 503."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from assistant.config import Settings
from assistant.db.models import Event
from assistant.db.session import session_scope
from assistant.services import policy, recs, search
from tests.assistant.known_store import PRODUCTS, USERS, build_store

POLICY = Path(__file__).resolve().parents[2] / "assistant" / "demo_policy.md"
T0 = datetime(2026, 1, 1)


def _events() -> list[Event]:
    """A month of views, carts and purchases: shoppers s0..s29 and the known ones."""
    ids = [p[0] for p in PRODUCTS]
    out, n = [], 0
    for u, user in enumerate([f"s{i}" for i in range(30)] + USERS):
        day = T0 + timedelta(days=u % 20, hours=u % 7)
        first, second = ids[u % len(ids)], ids[(u + 1) % len(ids)]
        for kind, pid, later in (
            ("view", first, timedelta(0)),
            ("cart", second, timedelta(minutes=4)),
            ("purchase", second, timedelta(days=1)),
            ("view", ids[(u + 3) % len(ids)], timedelta(days=2)),
        ):
            n += 1
            out.append(Event(user_id=user, product_id=pid, type=kind, ts=day + later,
                             client_event_id=f"seed-{n}", source="seed"))  # fmt: skip
    return out


def build_fuzz_store(settings: Settings) -> dict[str, str]:
    """Create the whole store in settings' data dir; returns raw API keys by name."""
    keys = build_store(settings)
    with session_scope(settings.effective_database_url) as db:
        db.add_all(_events())
    policy.install_policy(settings, POLICY)
    with session_scope(settings.effective_database_url) as db:
        search.build_index(settings, db)
        recs.train_recsys(settings, db)
        recs.train_behavior(settings, db)
    return keys
