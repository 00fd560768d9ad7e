"""A shopper's latest events as the recommender reads them at request time: the items they
just touched (never recommended again; they steer the transition signal and the sequence
model) and the interaction weights of events newer than the model (they re-solve the shopper's
factors). A session id narrows both to that browsing session's events (analytics sessions:
the `session_id` the store sends with its events)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assistant.db.models import Event

RECENT_EVENTS = 10
FRESH_EVENTS = 200


def anonymous_shopper(key_id: int | None) -> str:
    """The user id an anonymous widget key's or guest session's events are stored under."""
    return f"anon-key-{key_id}"


def _scoped(
    stmt: Select, user_id: str | None, after: float | None, session_id: str | None
) -> Select:
    """stmt narrowed to the user's (and/or the session's) product events after `after`."""
    stmt = stmt.where(Event.product_id.is_not(None))
    if user_id is not None:
        stmt = stmt.where(Event.user_id == user_id)
    if session_id is not None:
        stmt = stmt.where(Event.session_id == session_id)
    if after is not None:
        stmt = stmt.where(Event.ts > datetime.fromtimestamp(after, UTC).replace(tzinfo=None))
    return stmt.order_by(Event.ts.desc(), Event.id.desc())


def recent_items(
    session: Session,
    user_id: str | None,
    after: float | None = None,
    session_id: str | None = None,
) -> list[str]:
    """The user's (or session's) latest product ids, oldest first; only events after `after`
    (unix s) if given."""
    if user_id is None and session_id is None:
        return []
    stmt = _scoped(select(Event.product_id), user_id, after, session_id).limit(RECENT_EVENTS)
    return [p for p in reversed(session.scalars(stmt).all()) if p]


def fresh_weights(
    session: Session,
    user_id: str | None,
    after: float | None,
    type_weights: dict[str, float],
    session_id: str | None = None,
) -> dict[str, float]:
    """Interaction weight per product of the user's (or session's) events newer than the model
    (all of an unknown user's), as the recommender weighs them in training (newest
    FRESH_EVENTS)."""
    if not user_id and session_id is None:
        return {}
    stmt = select(Event.product_id, Event.type).where(Event.type.in_(list(type_weights)))
    stmt = _scoped(stmt, user_id or None, after, session_id).limit(FRESH_EVENTS)
    out: dict[str, float] = {}
    for pid, kind in session.execute(stmt).all():
        if pid:
            out[pid] = out.get(pid, 0.0) + type_weights[kind]
    return out
