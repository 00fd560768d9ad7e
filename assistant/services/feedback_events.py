"""A shopper's latest events as the recommender reads them at request time: the items they
just touched (never recommended again; they steer the transition signal) and the interaction
weights of events newer than the model (they re-solve the shopper's factors)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Event

RECENT_EVENTS = 10
FRESH_EVENTS = 200


def recent_items(session: Session, user_id: str, after: float | None = None) -> list[str]:
    """The user's latest product ids, oldest first; only events after `after` (unix s) if given."""
    stmt = (
        select(Event.product_id)
        .where(Event.user_id == user_id, Event.product_id.is_not(None))
        .order_by(Event.ts.desc(), Event.id.desc())
        .limit(RECENT_EVENTS)
    )
    if after is not None:
        stmt = stmt.where(Event.ts > datetime.fromtimestamp(after, UTC).replace(tzinfo=None))
    return [p for p in reversed(session.scalars(stmt).all()) if p]


def fresh_weights(
    session: Session, user_id: str | None, after: float | None, type_weights: dict[str, float]
) -> dict[str, float]:
    """Interaction weight per product of the user's events newer than the model (all of an
    unknown user's), as the recommender weighs them in training (newest FRESH_EVENTS)."""
    if not user_id:
        return {}
    stmt = (
        select(Event.product_id, Event.type)
        .where(Event.user_id == user_id, Event.product_id.is_not(None))
        .where(Event.type.in_(list(type_weights)))
        .order_by(Event.ts.desc(), Event.id.desc())
        .limit(FRESH_EVENTS)
    )
    if after is not None:
        stmt = stmt.where(Event.ts > datetime.fromtimestamp(after, UTC).replace(tzinfo=None))
    out: dict[str, float] = {}
    for pid, kind in session.execute(stmt).all():
        if pid:
            out[pid] = out.get(pid, 0.0) + type_weights[kind]
    return out
