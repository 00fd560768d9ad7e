"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from assistant.api.deps import SessionDep
from assistant.api.errors import responses
from assistant.errors import Unavailable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", responses=responses(503))
def readyz(db: SessionDep) -> dict[str, str]:
    """The database answers (503 otherwise)."""
    try:
        db.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        raise Unavailable(f"database unavailable: {str(exc)[:200]}", code="not_ready") from exc
    return {"status": "ready"}
