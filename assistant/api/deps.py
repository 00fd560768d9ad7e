"""Annotated FastAPI dependencies: settings, model runtime, app state, database session, the
caller's API key."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session

from assistant.agent.runtime import ModelRuntime
from assistant.config import Settings
from assistant.db.session import session_factory
from assistant.errors import Forbidden, Unauthorized
from assistant.services.keys import find_key
from assistant.services.state import AppState


def get_app_settings(request: Request) -> Settings:
    """The Settings the app was created with."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_runtime(request: Request) -> ModelRuntime:
    """The model runtime the app's lifespan created (backend, chat model, agent)."""
    return request.app.state.runtime


RuntimeDep = Annotated[ModelRuntime, Depends(get_runtime)]


def get_state(request: Request) -> AppState:
    """The app state the app's lifespan created (loaded search index, policy index, models)."""
    return request.app.state.app_state


StateDep = Annotated[AppState, Depends(get_state)]


def get_db(settings: SettingsDep) -> Iterator[Session]:
    """A database session per request, committed by the service functions that write."""
    session = session_factory(settings.effective_database_url)()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_db)]

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


@dataclass(frozen=True)
class Principal:
    """Who is calling: role, key id and, for widget keys, the shopper."""

    role: str
    key_id: int | None
    user_id: str | None


def get_principal(
    settings: SettingsDep, db: SessionDep, raw: Annotated[str | None, Depends(_api_key_header)]
) -> Principal:
    """Resolve the X-API-Key header to a Principal, or 401."""
    return principal_for(settings, db, raw)


def principal_for(settings: Settings, db: Session, raw: str | None) -> Principal:
    """The caller behind a raw API key (the admin key, or a stored unrevoked key), or 401; the
    HTTP API, the MCP server and the OpenAI-compatible routes all authorise through this."""
    if not raw:
        raise Unauthorized("missing X-API-Key header")
    admin = settings.admin_api_key.get_secret_value()
    if admin and raw == admin:
        return Principal(role="admin", key_id=None, user_id=None)
    key = find_key(db, raw)
    if key is None or key.revoked:
        raise Unauthorized("invalid or revoked API key")
    return Principal(role=key.role, key_id=key.id, user_id=key.user_id)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_role(*roles: str):
    """Dependency factory: the caller must hold one of roles (admin always passes)."""

    def check(principal: PrincipalDep) -> Principal:
        if principal.role != "admin" and principal.role not in roles:
            raise Forbidden(f"role {principal.role!r} may not call this endpoint")
        return principal

    return check


WidgetDep = Annotated[Principal, Depends(require_role("widget", "agent"))]
AgentDep = Annotated[Principal, Depends(require_role("agent"))]
AdminDep = Annotated[Principal, Depends(require_role("admin"))]
