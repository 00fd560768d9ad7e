"""Annotated FastAPI dependencies: settings, model runtime, app state, database session, and
the caller (authenticate(): the one place a request's credentials become a Principal)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session
from starlette.types import Scope

from assistant.agent.runtime import ModelRuntime
from assistant.api.ratelimit import Limits, client_ip
from assistant.api.sites import Sites
from assistant.config import Settings
from assistant.db.session import session_factory
from assistant.errors import Forbidden, Invalid, Unauthorized
from assistant.services.feedback_events import anonymous_shopper
from assistant.services.keys import SESSION_PREFIX, find_key, find_session
from assistant.services.state import AppState


async def get_app_settings(request: Request) -> Settings:
    """The Settings the app was created with (the cheap dependencies are async: FastAPI runs a
    sync one in the thread pool, a hop per request for nothing)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_runtime(request: Request) -> ModelRuntime:
    """The model runtime the app's lifespan created (backend, chat model, agent)."""
    return request.app.state.runtime


RuntimeDep = Annotated[ModelRuntime, Depends(get_runtime)]


async def get_state(request: Request) -> AppState:
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

# documents the key in the OpenAPI schema; the credentials themselves are read by credentials()
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


@dataclass(frozen=True)
class Principal:
    """Who is calling: role, key id and, for widget keys, the shopper; site: the site key's
    name when the caller came through a store's public site key (role "site" for the bare key,
    "widget" for its signed-in shopper or anonymous session)."""

    role: str
    key_id: int | None
    user_id: str | None
    site: str | None = None

    @property
    def limit_key(self) -> str:
        """Whom the per-caller rate limit counts: the key, else the shopper, else the role."""
        if self.key_id is not None:
            return f"key:{self.key_id}"
        return f"user:{self.user_id}" if self.user_id else f"role:{self.role}"


@dataclass(frozen=True)
class Credentials:
    """What a request presents: its API key (X-API-Key, or `Authorization: Bearer KEY`); beside
    a site key, the shopper's token (X-Shopper-Token) or anonymous session (X-Shopper-Session)
    and the page's Origin; and the client's address (for the per-IP failure limit)."""

    api_key: str | None
    client_ip: str
    shopper_token: str | None = None
    session_id: str | None = None
    origin: str | None = None


def credentials(scope: Scope) -> Credentials:
    """The credentials of an HTTP request's ASGI scope (a Bearer token wins over X-API-Key)."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    bearer = headers.get("authorization", "")
    key = bearer[7:].strip() if bearer[:7].lower() == "bearer " else headers.get("x-api-key")
    return Credentials(
        api_key=key or None,
        client_ip=client_ip(scope),
        shopper_token=headers.get("x-shopper-token") or None,
        session_id=headers.get("x-shopper-session") or None,
        origin=headers.get("origin") or None,
    )


def authenticate(
    settings: Settings, limits: Limits, sites: Sites, db: Session, creds: Credentials
) -> Principal:
    """The caller behind a request's credentials, or 401 (403: a site key from a foreign
    origin); the one check of the HTTP API, the MCP server and the OpenAI-compatible routes. An
    IP over the failed-authentication limit gets 429 before its key is even looked at; a failure
    counts against its IP; a known caller counts against its own rate limit (a bare site key's
    callers per site and IP), and a site's callers against the site's."""
    if creds.api_key:
        limits.check_auth_failures(creds.client_ip)
    try:
        who = _resolve(settings, sites, db, creds)
    except Unauthorized:
        if creds.api_key:
            limits.auth_failed(creds.client_ip)
        raise
    caller = f"site:{who.site}:ip:{creds.client_ip}" if who.role == "site" else who.limit_key
    limits.check_caller(caller, who.site)
    return who


def _resolve(settings: Settings, sites: Sites, db: Session, creds: Credentials) -> Principal:
    site = sites.find(creds.api_key) if creds.api_key else None
    if site is None:
        return principal_for(settings, db, creds.api_key)
    sites.check_origin(site, creds.origin)
    if creds.shopper_token:
        user_id = sites.shopper(site, creds.shopper_token)
        return Principal(role="widget", key_id=None, user_id=user_id, site=site.name)
    if creds.session_id:
        session = find_session(db, creds.session_id, site.name)
        if session is None:
            raise Unauthorized("unknown or revoked shopper session")
        return Principal(role="widget", key_id=session.id, user_id=None, site=site.name)
    return Principal(role="site", key_id=None, user_id=None, site=site.name)


def get_principal(
    request: Request,
    settings: SettingsDep,
    db: SessionDep,
    documented: Annotated[str | None, Depends(_api_key_header)],
) -> Principal:
    """Resolve the request's credentials to a Principal: 401/403, or 429 when over a limit."""
    app = request.app.state
    return authenticate(settings, app.limits, app.sites, db, credentials(request.scope))


def principal_for(settings: Settings, db: Session, raw: str | None) -> Principal:
    """The caller behind a raw API key (the admin key, or a stored unrevoked key), or 401.
    Counts nothing: requests go through authenticate()."""
    if not raw:
        raise Unauthorized("missing X-API-Key header")
    if raw.startswith(SESSION_PREFIX):
        raise Unauthorized("a shopper session id is not an API key: send it as X-Shopper-Session")
    admin = settings.admin_api_key.get_secret_value()
    if admin and hmac.compare_digest(raw.encode(), admin.encode()):
        return Principal(role="admin", key_id=None, user_id=None)
    key = find_key(db, raw)  # a lookup by SHA-256: its timing says nothing about the raw key
    if key is None or key.revoked:
        raise Unauthorized("invalid or revoked API key")
    return Principal(role=key.role, key_id=key.id, user_id=key.user_id)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_role(*roles: str):
    """Dependency factory: the caller must hold one of roles (admin always passes)."""

    async def check(principal: PrincipalDep) -> Principal:  # async: no thread-pool hop
        if principal.role != "admin" and principal.role not in roles:
            raise Forbidden(f"role {principal.role!r} may not call this endpoint")
        return principal

    return check


def acting_shopper(who: Principal, user_id: str | None) -> str:
    """The shopper a call acts for: a widget's own (an anonymous one is `anon-key-<key id>`);
    agent and admin keys must name one."""
    if who.role == "widget":
        if user_id and user_id != who.user_id:
            raise Forbidden("a widget key may only act for its own shopper")
        return who.user_id or anonymous_shopper(who.key_id)
    if not user_id:
        raise Invalid("user_id is required for agent and admin keys")
    return user_id


WidgetDep = Annotated[Principal, Depends(require_role("widget", "agent"))]
# what a bare site key (no shopper token or session) may also call: search, rewrite, products
CatalogDep = Annotated[Principal, Depends(require_role("widget", "agent", "site"))]
AgentDep = Annotated[Principal, Depends(require_role("agent"))]
AdminDep = Annotated[Principal, Depends(require_role("admin"))]
