"""A simulated A/B experiment's events stored in a store's database (analytics tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from analytics.experiments import simulate_events
from assistant.config import Settings
from assistant.db.models import Event
from assistant.db.session import session_scope


def add_simulated(settings: Settings, n_users: int = 600, seed: int = 2) -> None:
    """Experiment 'sim' exposures and purchases (assistant arm +10 points) in the database."""
    ev = simulate_events(seed, n_users, 0.10, 0.10)
    with session_scope(settings.effective_database_url) as db:
        db.add_all(
            Event(
                user_id=r.user_id,
                product_id=r.item_id or None,
                type=r.type,
                ts=datetime.fromtimestamp(r.ts, UTC).replace(tzinfo=None),
                value=None if r.value != r.value else r.value,
                experiment=r.experiment,
                arm=r.arm,
                source="sim",
                client_event_id=f"sim-{i}",
            )  # fmt: skip
            for i, r in enumerate(ev.itertuples())
        )
