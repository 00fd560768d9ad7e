"""Agent-assist API (/v1/agent/...): customers, orders and their actions, the handoff queue,
suggested replies and policy search. Every route needs an `agent` (or admin) key."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import AgentDep, Principal, SessionDep, SettingsDep
from assistant.services import agent_assist, customer_summary, handoff, order_actions, orders
from assistant.services.orders import ServiceError

router = APIRouter(prefix="/v1/agent", tags=["agent"])


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service refusal into its 4xx with the service's message."""
    try:
        yield
    except ServiceError as exc:
        raise HTTPException(exc.status_code, exc.message) from exc


def agent_id(who: Principal) -> str:
    """The identity recorded for this caller (claims, replies, audit log)."""
    return f"agent-key-{who.key_id}" if who.key_id is not None else who.role


def actor(who: Principal) -> order_actions.Actor:
    """The caller as an order-action actor."""
    return order_actions.Actor(agent_id(who), who.role)


class ActionBody(BaseModel):
    """A write action to propose; nothing changes until it is confirmed with the token."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["cancel", "return", "exchange"]
    user_id: str = Field(min_length=1, max_length=64, description="the customer being helped")
    reason: str | None = Field(
        None, max_length=64, description="cancel: 'no longer needed' | 'ordered by mistake'"
    )
    item_ids: list[str] = Field(default_factory=list, max_length=50)
    new_item_ids: list[str] = Field(default_factory=list, max_length=50)
    payment_method_id: str | None = Field(None, max_length=64)
    conversation_id: str | None = Field(None, max_length=36)


class ConfirmBody(BaseModel):
    """The explicit confirmation of a proposed action."""

    model_config = ConfigDict(extra="forbid")

    confirmation_token: str = Field(min_length=8, max_length=128)


class ReplyBody(BaseModel):
    """The agent's message to the customer (usually an edited suggestion)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=handoff.MAX_REPLY_CHARS)


@router.get("/customers/{user_id}")
def customer(user_id: str, who: AgentDep, db: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    """Who the customer is: profile, orders, recent behaviour, churn / purchase scores, chats."""
    with service_errors():
        return customer_summary.customer_summary(db, settings, user_id)


@router.get("/customers/{user_id}/orders")
def customer_orders(
    user_id: str, who: AgentDep, db: SessionDep, status: str | None = Query(None, max_length=32)
) -> dict[str, Any]:
    """The customer's orders, newest first (optionally one status)."""
    with service_errors():
        orders.get_user(db, user_id)
        found = orders.list_orders(db, user_id, status)
    return {"user_id": user_id, "count": len(found), "orders": found}


@router.get("/orders/{order_id}")
def order_detail(order_id: str, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """Any order (ids with or without the leading '#'), with its action history."""
    with service_errors():
        order = orders.get_order(db, order_id, None)
    return {**order, "history": order_actions.order_history(db, order["order_id"])}


@router.post("/orders/{order_id}/actions")
def propose(order_id: str, body: ActionBody, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """Check an action against the policy and return its summary and a confirmation token."""
    req = order_actions.ActionRequest(order_id=order_id, **body.model_dump())
    with service_errors():
        return order_actions.propose_action(db, req, actor(who))


@router.post("/actions/confirm")
def confirm(body: ConfirmBody, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """Execute a proposed action (the customer said yes); rules are checked again."""
    with service_errors():
        return order_actions.confirm_action(db, body.confirmation_token, actor(who))


@router.get("/queue")
def queue(
    who: AgentDep,
    db: SessionDep,
    status: Literal["queued", "claimed", "all"] = "queued",
    mine: bool = False,
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    """Conversations handed off to humans, oldest first."""
    with service_errors():
        rows = handoff.list_queue(
            db, None if status == "all" else status, agent_id(who) if mine else None, limit
        )
    return {"count": len(rows), "conversations": rows}


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: str, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """A conversation with all its messages."""
    with service_errors():
        return handoff.conversation_view(db, conversation_id)


@router.post("/conversations/{conversation_id}/claim")
def claim(conversation_id: str, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """Take a queued conversation (409 when another agent has it)."""
    with service_errors():
        return handoff.claim(db, conversation_id, agent_id(who))


@router.post("/conversations/{conversation_id}/reply")
def reply(conversation_id: str, body: ReplyBody, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """Send a message to the customer as role 'agent' (the conversation must be yours)."""
    with service_errors():
        return handoff.reply(db, conversation_id, agent_id(who), body.text)


@router.post("/conversations/{conversation_id}/close")
def close(conversation_id: str, who: AgentDep, db: SessionDep) -> dict[str, Any]:
    """Close a conversation you have claimed."""
    with service_errors():
        return handoff.close(db, conversation_id, agent_id(who))


@router.get("/conversations/{conversation_id}/suggestions")
def suggestions(
    conversation_id: str, who: AgentDep, db: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """1-3 draft replies grounded in the customer's orders, policy passages and products."""
    with service_errors():
        return agent_assist.suggest_replies(db, settings, conversation_id)


@router.get("/policy/search")
def policy_search(
    who: AgentDep,
    settings: SettingsDep,
    q: str = Query(min_length=1, max_length=500),
    k: int = Query(3, ge=1, le=20),
) -> dict[str, Any]:
    """Policy passages that answer a question, with ids and headings."""
    from assistant.services.policy import search_policy

    try:
        return {"question": q, "passages": search_policy(settings, q, k)}
    except FileNotFoundError as exc:
        raise HTTPException(503, str(exc)) from exc
