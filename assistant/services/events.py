"""Behaviour events from the store: validated, stored once per client event id."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.models import EVENT_TYPES, PRODUCT_EVENT_TYPES, Event, utcnow
from assistant.errors import Conflict, Invalid
from assistant.services.experiments import arm_of
from assistant.services.records import EventAck, NewEvent

API_SOURCE = "api"
MAX_SKEW_S = 24 * 3600  # events may not claim to come from the future
# nor from before the shop could have seen them (and every database stores this range)
EARLIEST = datetime(2000, 1, 1)


class EventError(Invalid):
    """An event that breaks a rule (unknown type, missing product, future timestamp)."""

    code = "invalid_event"


class EventIdTaken(Conflict):
    """A client_event_id already stored for another shopper, or stored concurrently."""

    code = "event_id_taken"


def _naive_utc(ts: datetime | None) -> datetime:
    if ts is None:
        return utcnow()
    if ts.tzinfo is not None:
        try:
            ts = ts.astimezone(UTC).replace(tzinfo=None)
        except OverflowError as exc:  # year 1 or 9999 moved past the calendar's ends
            raise EventError(f"timestamp {ts.isoformat()} is out of range") from exc
    if (ts - utcnow()).total_seconds() > MAX_SKEW_S:
        raise EventError(f"timestamp {ts.isoformat()} is in the future")
    if ts < EARLIEST:
        raise EventError(f"timestamp {ts.isoformat()} is before {EARLIEST.year}")
    return ts


def _experiment(e: NewEvent) -> str:
    """The experiment an exposure names ("" for any other event)."""
    return (e.get("experiment") or "") if e["type"] == "exposure" else ""


def record_events(db: Session, user_id: str, events: list[NewEvent]) -> list[EventAck]:
    """Store events for user_id; re-sent client event ids are acknowledged, not stored twice.

    All events are validated before any is written, so a bad batch writes nothing.
    """
    rows: list[tuple[NewEvent, datetime]] = []
    seen: set[str] = set()
    for i, e in enumerate(events):
        if e["type"] not in EVENT_TYPES:
            raise EventError(
                f"event {i}: unknown type {e['type']!r}; valid: {', '.join(EVENT_TYPES)}"
            )
        if e["type"] in PRODUCT_EVENT_TYPES and not e.get("product_id"):
            raise EventError(f"event {i}: a {e['type']} event needs a product_id")
        if e["type"] == "exposure" and not e.get("experiment"):
            raise EventError(f"event {i}: an exposure event needs an experiment")
        cid = e["client_event_id"]
        if cid in seen:
            raise EventError(f"event {i}: client_event_id {cid!r} repeated in the batch")
        seen.add(cid)
        rows.append((e, _naive_utc(e.get("ts"))))
    existing = {
        ev.client_event_id: ev
        for ev in db.scalars(
            select(Event).where(Event.source == API_SOURCE, Event.client_event_id.in_(seen))
        )
    }
    arms = {name: arm_of(db, name, user_id) for name in {_experiment(e) for e, _ in rows} if name}
    stored: list[Event] = []  # in batch order: known duplicates and the rows added now
    for e, ts in rows:
        old = existing.get(e["client_event_id"])
        if old is not None:
            if old.user_id != user_id:
                raise EventIdTaken(f"client_event_id {e['client_event_id']!r} is taken")
            stored.append(old)
            continue
        ev = Event(
            user_id=user_id,
            product_id=e.get("product_id"),
            type=e["type"],
            ts=ts,
            dwell_seconds=e.get("dwell_seconds"),
            session_id=e.get("session_id") or "",
            query=e.get("query") or "",
            source=API_SOURCE,
            client_event_id=e["client_event_id"],
            page=e.get("page") or "",
            value=e.get("value"),
            experiment=_experiment(e),
            arm=arms.get(_experiment(e), ""),
        )
        db.add(ev)
        stored.append(ev)
    try:
        db.commit()
    except IntegrityError as exc:  # a concurrent re-send won the race: nothing of ours is kept
        db.rollback()
        raise EventIdTaken(
            "an event with that client_event_id was stored concurrently; retry"
        ) from exc
    return [
        EventAck(
            client_event_id=ev.client_event_id,
            event_id=ev.id,
            duplicate=existing.get(ev.client_event_id) is ev,
        )
        for ev in stored
    ]
