"""Shopper sessions of a store's public site key: POST /v1/sessions (an anonymous shopper's
session id) and POST /v1/sessions/claim (after sign-in, the session's conversations and cart
become the shopper's)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assistant.api.deps import Principal, PrincipalDep, SessionDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import RequestModel
from assistant.errors import Forbidden, Unfit
from assistant.services import cart, conversations
from assistant.services.keys import create_session, find_session

router = APIRouter(prefix="/v1/sessions", tags=["sessions"], responses=AUTH_ERRORS)


def site_of(who: Principal, signed_in: bool) -> str:
    """The site of a caller that came through a site key (signed in, or not, as asked)."""
    if who.site is None:
        raise Forbidden("shopper sessions are made through a store's site key")
    if signed_in and not (who.role == "widget" and who.user_id):
        raise Forbidden("claiming a session needs the signed-in shopper's token")
    if not signed_in and who.role != "site":
        raise Forbidden("send the site key alone (no shopper token or session) to start one")
    return who.site


class NewSession(BaseModel):
    """An anonymous shopper's session id: send it as X-Shopper-Session beside the site key.
    Keep it like a password (it is the only proof of the anonymous shopper's conversations)."""

    session_id: str
    site: str


@router.post("", status_code=201, responses=responses(403))
def start_session(who: PrincipalDep, db: SessionDep) -> NewSession:
    """Start an anonymous shopper session (site key only)."""
    site = site_of(who, signed_in=False)
    return NewSession(session_id=create_session(db, site).raw, site=site)


class ClaimIn(RequestModel):
    """The anonymous session the shopper used before signing in."""

    session_id: str = Field(min_length=8, max_length=128)


class Claimed(BaseModel):
    """What became the signed-in shopper's: conversations, and the cart's lines merged."""

    user_id: str
    conversation_ids: list[str]
    cart: cart.CartView


@router.post("/claim", responses=responses(403, 409))
def claim_session(body: ClaimIn, who: PrincipalDep, db: SessionDep) -> Claimed:
    """After sign-in: the anonymous session's conversations and cart become the shopper's, and
    the session ends (its id no longer works)."""
    site = site_of(who, signed_in=True)
    session = find_session(db, body.session_id, site)
    if session is None:
        raise Unfit("session_id is not an open anonymous session of this site")
    assert who.user_id is not None  # site_of checked it
    ids = conversations.claim(db, session.id, who.user_id, commit=False)
    merged = cart.merge(
        db, cart.owner_of("widget", session.id, None), f"user:{who.user_id}", commit=False
    )
    session.revoked = True
    db.commit()
    return Claimed(user_id=who.user_id, conversation_ids=ids, cart=merged["cart"])
