"""API keys: created once (the raw key is shown a single time), stored as a SHA-256 hash.

An anonymous shopper's session id (issued through a store's site key) is stored the same way:
an anonymous widget key named after its site, with its own prefix, that only works beside the
site key.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import ROLES, ApiKey, Order
from assistant.db.session import session_scope

KEY_PREFIX = "sa_"
SESSION_PREFIX = "ss_"  # an anonymous shopper session id, not an API key


def hash_key(raw: str) -> str:
    """SHA-256 hex digest of a raw API key (keys are high-entropy, so no salt is needed)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def find_key(db: Session, raw: str) -> ApiKey | None:
    """The stored key whose hash matches raw (revoked ones included), or None."""
    return db.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(raw)))


class KeyRequestError(ValueError):
    """A key request that breaks a rule (unknown role, widget key without a shopper, ...)."""


@dataclass(frozen=True)
class NewKey:
    """A freshly created key: the raw value (never stored) and its database row id."""

    raw: str
    key_id: int
    role: str
    user_id: str | None
    prefix: str


def create_key(
    db: Session, role: str, user_id: str | None = None, name: str = "", prefix: str = KEY_PREFIX
) -> NewKey:
    """Create and store a key for role (and the shopper, for widget keys); returns the raw key."""
    if role not in ROLES:
        raise KeyRequestError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    user_id = (user_id or "").strip() or None
    if user_id and len(user_id) > 64:
        raise KeyRequestError("user id is longer than 64 characters")
    raw = prefix + secrets.token_urlsafe(32)
    row = ApiKey(
        name=name[:128], role=role, key_hash=hash_key(raw), prefix=raw[:10], user_id=user_id
    )
    db.add(row)
    db.commit()
    return NewKey(raw, row.id, role, user_id, row.prefix)


def session_name(site: str) -> str:
    """The stored name of an anonymous session's key: which site issued it."""
    return f"session:{site}"


def create_session(db: Session, site: str) -> NewKey:
    """A new anonymous shopper session of a site (its raw id is shown once)."""
    return create_key(db, "widget", None, session_name(site), prefix=SESSION_PREFIX)


def find_session(db: Session, raw: str, site: str) -> ApiKey | None:
    """The unrevoked anonymous session raw of this site, or None."""
    if not raw.startswith(SESSION_PREFIX):
        return None
    row = find_key(db, raw)
    if row is None or row.revoked or row.name != session_name(site) or row.user_id:
        return None
    return row


def revoke_key(db: Session, key_id: int) -> bool:
    """Revoke a key by id; False when there is no such key."""
    row = db.get(ApiKey, key_id)
    if row is None:
        return False
    row.revoked = True
    db.commit()
    return True


DEMO_KEY_FILE = "demo_widget_key"


def ensure_demo_key(settings: Settings) -> str:
    """Setup step: a widget key for the demo shopper, kept in data_dir so /widget works locally.

    The raw key is written to data_dir/demo_widget_key (mode 600) and reused while it is valid.
    """
    path = settings.path(DEMO_KEY_FILE)
    with session_scope(settings.effective_database_url) as db:
        raw = path.read_text().strip() if path.is_file() else ""
        row = find_key(db, raw) if raw else None
        if row is None or row.revoked:
            shopper = db.scalar(
                select(Order.user_id).group_by(Order.user_id).order_by(func.count().desc()).limit(1)
            )
            raw = create_key(db, "widget", shopper, "demo widget").raw
            path.write_text(raw + "\n")
            path.chmod(0o600)
    print(f"setup: chat widget at /widget?key={raw}")
    return raw
