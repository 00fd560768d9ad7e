"""Liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from assistant.api.deps import SessionDep
from assistant.api.errors import responses
from assistant.errors import Unavailable

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process is up ("ok"), or it can serve requests ("ready")."""

    status: Literal["ok", "ready"]


@router.get("/healthz")
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", responses=responses(503))
def readyz(db: SessionDep) -> Health:
    """The database answers (503 otherwise)."""
    try:
        db.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure means "not ready"
        raise Unavailable(
            f"database unavailable: {str(exc)[:200]}", code="not_ready", retry_after_s=5
        ) from exc
    return Health(status="ready")
