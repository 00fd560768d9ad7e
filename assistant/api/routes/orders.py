"""Shopper-facing customer service: my orders, one order, and asking for a human."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assistant.api.deps import Principal, SessionDep, WidgetDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import NOT_BLANK, OrderStatus, RequestModel
from assistant.errors import BadRequest, Forbidden
from assistant.services import handoff, orders
from assistant.services.conversations import load_conversation
from assistant.services.records import OrderView, QueueEntry

router = APIRouter(prefix="/v1", tags=["orders"], responses=AUTH_ERRORS)


def shopper(who: Principal) -> str:
    """The signed-in shopper behind a widget key (agents use /v1/agent/...)."""
    if who.role != "widget":
        raise BadRequest(
            "this endpoint is for shoppers; agents use /v1/agent/customers/{id}/orders"
        )
    if not who.user_id:
        raise Forbidden("this widget key has no signed-in shopper")
    return who.user_id


class MyOrders(BaseModel):
    """The shopper's orders, newest first."""

    count: int
    orders: list[OrderView]


@router.get("/orders", responses=responses(400))
def my_orders(who: WidgetDep, db: SessionDep, status: OrderStatus = None) -> MyOrders:
    """The shopper's own orders, newest first."""
    found = orders.list_orders(db, shopper(who), status)
    return MyOrders(count=len(found), orders=found)


@router.get("/orders/{order_id}", responses=responses(400, 404))
def my_order(order_id: str, who: WidgetDep, db: SessionDep) -> OrderView:
    """One of the shopper's own orders (another shopper's reads as not found)."""
    return orders.get_order(db, order_id, shopper(who))


class HandoffBody(RequestModel):
    """Why the shopper wants a person, and optionally a summary."""

    reason: str = Field(
        min_length=1, max_length=handoff.MAX_REASON_CHARS, json_schema_extra={"pattern": NOT_BLANK}
    )
    summary: str = Field("", max_length=2000)


@router.post("/conversations/{conversation_id}/handoff", responses=responses(404, 409))
def request_human(
    conversation_id: str, body: HandoffBody, who: WidgetDep, db: SessionDep
) -> QueueEntry:
    """Queue the shopper's conversation for a human agent."""
    # the chat's own visibility rule: a foreign conversation reads as missing
    load_conversation(db, conversation_id, who.role, who.key_id, who.user_id)
    return handoff.handoff(db, conversation_id, body.reason, body.summary)
