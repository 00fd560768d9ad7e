"""Idempotent writes: a request sent again with the same `Idempotency-Key` gets the first reply.

The reply is stored in the same transaction as the write it describes, so a retry after a lost
response never applies the write twice; a key reused for a different request is a 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.db.cart_models import IdempotentReply
from assistant.db.models import utcnow
from assistant.errors import Conflict, Invalid
from assistant.jsontypes import JsonObject

MAX_KEY_CHARS = 128
KEEP = timedelta(hours=24)  # how long a key is remembered (as Stripe and the IETF draft do)


class KeyReused(Conflict):
    """The Idempotency-Key was used before for a different request."""

    code = "idempotency_key_reused"


def fingerprint(method: str, path: str, body: Any) -> str:
    """SHA-256 of the request a key answers (method, path, canonical JSON body)."""
    canon = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method} {path}\n{canon}".encode()).hexdigest()


def _stored(db: Session, scope: str, key: str) -> IdempotentReply | None:
    return db.scalar(
        select(IdempotentReply).where(IdempotentReply.scope == scope, IdempotentReply.key == key)
    )


def _replay(row: IdempotentReply, print_: str) -> tuple[int, JsonObject]:
    if row.fingerprint != print_:
        raise KeyReused("this Idempotency-Key was already used for a different request")
    return row.status_code, dict(row.body)


def run_once(
    db: Session,
    scope: str,
    key: str | None,
    print_: str,
    write: Callable[[], Mapping[str, Any]],
    status_code: int = 200,
) -> tuple[int, JsonObject, bool]:
    """(status, body, replayed): write() runs (uncommitted) and is committed with its reply;
    a key seen before returns the stored reply instead. Without a key write() just runs."""
    if key is None:
        body = dict(write())
        db.commit()
        return status_code, body, False
    key = key.strip()
    if not key or len(key) > MAX_KEY_CHARS:
        raise Invalid(f"Idempotency-Key must be 1 to {MAX_KEY_CHARS} characters")
    db.execute(delete(IdempotentReply).where(IdempotentReply.created_at < utcnow() - KEEP))
    row = _stored(db, scope, key)
    if row is not None:
        return (*_replay(row, print_), True)
    body = json.loads(json.dumps(dict(write()), default=str))  # as stored: plain JSON
    db.add(
        IdempotentReply(
            scope=scope, key=key, fingerprint=print_, status_code=status_code, body=body
        )
    )
    try:
        db.commit()
    except IntegrityError:  # the same key raced us: undo our write, answer with theirs
        db.rollback()
        row = _stored(db, scope, key)
        if row is None:
            raise
        return (*_replay(row, print_), True)
    return status_code, body, False
