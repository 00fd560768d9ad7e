"""Shopper-facing customer service: my orders, one order, and asking for a human."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import Principal, SessionDep, WidgetDep
from assistant.api.routes.agent import service_errors
from assistant.services import handoff, orders

router = APIRouter(prefix="/v1", tags=["orders"])


def shopper(who: Principal) -> str:
    """The signed-in shopper behind a widget key (agents use /v1/agent/...)."""
    if who.role != "widget":
        raise HTTPException(
            400, "this endpoint is for shoppers; agents use /v1/agent/customers/{id}/orders"
        )
    if not who.user_id:
        raise HTTPException(403, "this widget key has no signed-in shopper")
    return who.user_id


@router.get("/orders")
def my_orders(
    who: WidgetDep, db: SessionDep, status: str | None = Query(None, max_length=32)
) -> dict[str, Any]:
    """The shopper's own orders, newest first."""
    with service_errors():
        found = orders.list_orders(db, shopper(who), status)
    return {"count": len(found), "orders": found}


@router.get("/orders/{order_id}")
def my_order(order_id: str, who: WidgetDep, db: SessionDep) -> dict[str, Any]:
    """One of the shopper's own orders (another shopper's reads as not found)."""
    with service_errors():
        return orders.get_order(db, order_id, shopper(who))


class HandoffBody(BaseModel):
    """Why the shopper wants a person, and optionally a summary."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=handoff.MAX_REASON_CHARS)
    summary: str = Field("", max_length=2000)


@router.post("/conversations/{conversation_id}/handoff")
def request_human(
    conversation_id: str, body: HandoffBody, who: WidgetDep, db: SessionDep
) -> dict[str, Any]:
    """Queue the shopper's conversation for a human agent."""
    from assistant.services.chat import ChatError, load_conversation

    try:  # the chat's own visibility rule: a foreign conversation reads as missing
        load_conversation(db, conversation_id, who.role, who.key_id, who.user_id)
    except ChatError as exc:
        raise HTTPException(exc.status_code, exc.message) from exc
    with service_errors():
        return handoff.handoff(db, conversation_id, body.reason, body.summary)
