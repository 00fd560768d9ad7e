"""Bulk writes for imports: dialect-native upserts and insert-if-new for events.

All writes go through one Session inside the caller's transaction, so a failed import rolls
back everything it wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session

from assistant.db.models import Event, Order, OrderItem, Product, ProductVariant, User, utcnow

CHUNK = 2000  # rows per statement batch; also the IN-list size for key look-ups


@dataclass
class ProductRec:
    """A product row (column -> value) and its variant rows."""

    row: dict[str, Any]
    variants: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.row["id"]


@dataclass
class UserRec:
    """A user row."""

    row: dict[str, Any]

    @property
    def key(self) -> str:
        return self.row["id"]


@dataclass
class EventRec:
    """An event row; its key is (source, client_event_id)."""

    row: dict[str, Any]

    @property
    def key(self) -> str:
        return self.row["client_event_id"]


@dataclass
class OrderRec:
    """An order row, its item rows, and the customer's details when the file carries them."""

    row: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    user: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return self.row["id"]


def _chunks(rows: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def upsert(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    keep_existing: Sequence[str] = (),
) -> None:
    """Insert rows, updating rows whose primary key exists (columns in keep_existing are kept)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    keys = [c.name for c in table.primary_key.columns]
    update_cols = [c for c in rows[0] if c not in keys and c not in keep_existing]
    stmt: Any  # the dialects' Insert classes share ON CONFLICT but no base type that has it
    if dialect in {"sqlite", "postgresql"}:
        stmt = (sqlite if dialect == "sqlite" else postgresql).insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={c: stmt.excluded[c] for c in update_cols}
        )
    elif dialect in {"mysql", "mariadb"}:
        my = mysql.insert(table)
        stmt = my.on_duplicate_key_update({c: my.inserted[c] for c in update_cols})
    else:  # portable fallback: look up existing keys, update those, insert the rest
        for chunk in _chunks(rows):
            _merge_portable(session, table, chunk, keys[0], update_cols)
        return
    for chunk in _chunks(rows):
        session.execute(stmt, list(chunk))


def _merge_portable(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], key: str, cols: list[str]
) -> None:
    existing = set(
        session.scalars(select(table.c[key]).where(table.c[key].in_([r[key] for r in rows])))
    )
    new = [r for r in rows if r[key] not in existing]
    if new:
        session.execute(insert(table), new)
    for r in rows:
        if r[key] in existing and cols:
            session.execute(
                table.update().where(table.c[key] == r[key]).values({c: r[c] for c in cols})
            )


def existing_keys(session: Session, column: Any, keys: Sequence[str], *where: Any) -> set[str]:
    """The subset of keys already stored in column (optionally under extra conditions)."""
    found: set[str] = set()
    for chunk in _chunks(list(keys)):
        found.update(session.scalars(select(column).where(column.in_(chunk), *where)))
    return found


def write_products(session: Session, recs: Sequence[ProductRec]) -> int:
    """Upsert products and their variants; returns the number of variants written."""
    now = utcnow()
    upsert(session, Product.__table__, [{**r.row, "updated_at": now} for r in recs])
    variants = [v for r in recs for v in r.variants]
    upsert(session, ProductVariant.__table__, variants)
    return len(variants)


def write_users(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Upsert full user rows (the creation time of existing users is kept)."""
    upsert(session, User.__table__, list(rows), keep_existing=("created_at",))


def insert_ignore(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, silently skipping those that collide with a stored primary or unique key.

    The database's own conflict handling does the check (no look-up queries), which stays fast
    inside a long transaction whose table statistics are stale.
    """
    dialect = session.get_bind().dialect.name
    stmt: Any  # the dialects' Insert classes share ON CONFLICT but no base type that has it
    if dialect == "sqlite":
        stmt = sqlite.insert(table).on_conflict_do_nothing()
    elif dialect == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect in {"mysql", "mariadb"}:
        stmt = insert(table).prefix_with("IGNORE")
    else:
        raise NotImplementedError(f"insert-or-ignore is not implemented for {dialect}")
    for chunk in _chunks(list(rows)):
        session.execute(stmt, list(chunk))


def ensure_users(session: Session, user_ids: Iterable[str]) -> None:
    """Insert id-only users for ids not stored yet (existing users are never overwritten)."""
    now = utcnow()
    rows = [
        {"id": u, "name": "", "email": "", "attributes": {}, "created_at": now}
        for u in sorted(set(user_ids))
    ]
    insert_ignore(session, User.__table__, rows)


def count_events(session: Session, source: str) -> int:
    """How many events of source are stored."""
    return (
        session.scalar(select(func.count()).select_from(Event).where(Event.source == source)) or 0
    )


def write_events(session: Session, recs: Sequence[EventRec]) -> None:
    """Insert events; those whose (source, client_event_id) is already stored are ignored."""
    insert_ignore(session, Event.__table__, [r.row for r in recs])


def write_orders(session: Session, recs: Sequence[OrderRec]) -> int:
    """Upsert orders and replace their items; returns the number of items written."""
    now = utcnow()
    # Files without order times: stamp new orders now and keep the time of stored ones.
    dated = all(r.row.get("created_at") for r in recs)
    rows = [
        {**r.row, "created_at": r.row.get("created_at") or now, "updated_at": now} for r in recs
    ]
    upsert(session, Order.__table__, rows, keep_existing=() if dated else ("created_at",))
    ids = [r.key for r in recs]
    for chunk in _chunks(ids):
        session.execute(delete(OrderItem.__table__).where(OrderItem.order_id.in_(chunk)))
    items = [item for r in recs for item in r.items]
    for chunk in _chunks(items):
        session.execute(insert(OrderItem.__table__), list(chunk))
    return len(items)
