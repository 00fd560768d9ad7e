"""Agent-assist API (/v1/agent/...): customers, orders and their actions, the handoff queue,
suggested replies and policy search. Every route needs an `agent` (or admin) key."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, Field

from assistant.api.deps import AgentDep, Principal, SessionDep, StateDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import NOT_BLANK, OrderStatus, RequestModel
from assistant.services import agent_assist, customer_summary, handoff, order_actions, orders
from assistant.services.policy import search_policy
from assistant.services.records import (
    AgentConversationView,
    ConversationSuggestions,
    CustomerSummary,
    DoneAction,
    HistoryEntry,
    MessageView,
    OrderView,
    PassageView,
    ProposedAction,
    QueueEntry,
)

router = APIRouter(prefix="/v1/agent", tags=["agent"], responses=AUTH_ERRORS)


def agent_id(who: Principal) -> str:
    """The identity recorded for this caller (claims, replies, audit log)."""
    return f"agent-key-{who.key_id}" if who.key_id is not None else who.role


def actor(who: Principal) -> order_actions.Actor:
    """The caller as an order-action actor."""
    return order_actions.Actor(agent_id(who), who.role)


class _ActionFields(RequestModel):
    """A write action to propose; nothing changes until it is confirmed with the token."""

    user_id: str = Field(min_length=1, max_length=64, description="the customer being helped")
    reason: str | None = Field(None, max_length=64)
    item_ids: list[str] = Field(default_factory=list, max_length=50)
    new_item_ids: list[str] = Field(default_factory=list, max_length=50)
    payment_method_id: str | None = Field(None, max_length=64)
    conversation_id: str | None = Field(None, max_length=36)


class CancelAction(_ActionFields):
    """Cancel a pending order; the refund goes back to how it was paid."""

    action: Literal["cancel"]
    reason: order_actions.CancelReason = Field(description="why the customer cancels")


class ReturnAction(_ActionFields):
    """Return items of a delivered order (all of them in one request), refunded to
    payment_method_id: the original payment method or a gift card."""

    action: Literal["return"]
    item_ids: list[str] = Field(min_length=1, max_length=50)
    payment_method_id: str = Field(min_length=1, max_length=64)


class ExchangeAction(_ActionFields):
    """Exchange items of a delivered order for other options of the same products: one new
    item id per item id, in the same order; payment_method_id pays or receives the difference."""

    action: Literal["exchange"]
    item_ids: list[str] = Field(min_length=1, max_length=50)
    new_item_ids: list[str] = Field(min_length=1, max_length=50)
    payment_method_id: str = Field(min_length=1, max_length=64)


ActionBody = Annotated[CancelAction | ReturnAction | ExchangeAction, Body(discriminator="action")]


class ConfirmBody(RequestModel):
    """The explicit confirmation of a proposed action."""

    confirmation_token: str = Field(min_length=8, max_length=128)


class ReplyBody(RequestModel):
    """The agent's message to the customer (usually an edited suggestion)."""

    text: str = Field(
        min_length=1, max_length=handoff.MAX_REPLY_CHARS, json_schema_extra={"pattern": NOT_BLANK}
    )


class CustomerOrders(BaseModel):
    """A customer's orders, newest first."""

    user_id: str
    count: int
    orders: list[OrderView]


class OrderWithHistory(OrderView):
    """An order and the audit log of the actions taken on it."""

    history: list[HistoryEntry]


class Queue(BaseModel):
    """Conversations waiting for (or claimed by) a human agent, oldest first."""

    count: int
    conversations: list[QueueEntry]


class PolicyResults(BaseModel):
    """The passages that best answer a question."""

    question: str
    passages: list[PassageView]


@router.get("/customers/{user_id}", responses=responses(404))
def customer(user_id: str, who: AgentDep, db: SessionDep, state: StateDep) -> CustomerSummary:
    """Who the customer is: profile, orders, recent behaviour, churn / purchase scores, chats."""
    return customer_summary.customer_summary(db, state, user_id)


@router.get("/customers/{user_id}/orders", responses=responses(404))
def customer_orders(
    user_id: str, who: AgentDep, db: SessionDep, status: OrderStatus = None
) -> CustomerOrders:
    """The customer's orders, newest first (optionally one status)."""
    orders.get_user(db, user_id)
    found = orders.list_orders(db, user_id, status)
    return CustomerOrders(user_id=user_id, count=len(found), orders=found)


@router.get("/orders/{order_id}", responses=responses(404))
def order_detail(order_id: str, who: AgentDep, db: SessionDep) -> OrderWithHistory:
    """Any order (ids with or without the leading '#'), with its action history."""
    order = orders.get_order(db, order_id, None)
    return OrderWithHistory(**order, history=order_actions.order_history(db, order["order_id"]))


@router.post("/orders/{order_id}/actions", responses=responses(404, 409))
def propose(order_id: str, body: ActionBody, who: AgentDep, db: SessionDep) -> ProposedAction:
    """Check an action against the policy and return its summary and a confirmation token."""
    req = order_actions.ActionRequest(order_id=order_id, **body.model_dump())
    return order_actions.propose_action(db, req, actor(who))


@router.post("/actions/confirm", responses=responses(404, 409))
def confirm(body: ConfirmBody, who: AgentDep, db: SessionDep) -> DoneAction:
    """Execute a proposed action (the customer said yes); rules are checked again."""
    return order_actions.confirm_action(db, body.confirmation_token, actor(who))


@router.get("/queue")
def queue(
    who: AgentDep,
    db: SessionDep,
    status: Literal["queued", "claimed", "all"] = "queued",
    mine: bool = False,
    limit: int = Query(50, ge=1, le=500),
) -> Queue:
    """Conversations handed off to humans, oldest first."""
    rows = handoff.list_queue(
        db, None if status == "all" else status, agent_id(who) if mine else None, limit
    )
    return Queue(count=len(rows), conversations=rows)


@router.get("/conversations/{conversation_id}", responses=responses(404))
def conversation(conversation_id: str, who: AgentDep, db: SessionDep) -> AgentConversationView:
    """A conversation with all its messages."""
    return handoff.conversation_view(db, conversation_id)


@router.post("/conversations/{conversation_id}/claim", responses=responses(404, 409))
def claim(conversation_id: str, who: AgentDep, db: SessionDep) -> QueueEntry:
    """Take a queued conversation (409 when another agent has it)."""
    return handoff.claim(db, conversation_id, agent_id(who))


@router.post("/conversations/{conversation_id}/reply", responses=responses(404, 409))
def reply(conversation_id: str, body: ReplyBody, who: AgentDep, db: SessionDep) -> MessageView:
    """Send a message to the customer as role 'agent' (the conversation must be yours)."""
    return handoff.reply(db, conversation_id, agent_id(who), body.text)


@router.post("/conversations/{conversation_id}/close", responses=responses(404, 409))
def close(conversation_id: str, who: AgentDep, db: SessionDep) -> QueueEntry:
    """Close a conversation you have claimed."""
    return handoff.close(db, conversation_id, agent_id(who))


@router.get("/conversations/{conversation_id}/suggestions", responses=responses(404))
def suggestions(
    conversation_id: str, who: AgentDep, db: SessionDep, state: StateDep
) -> ConversationSuggestions:
    """1-3 draft replies grounded in the customer's orders, policy passages and products."""
    return agent_assist.suggest_replies(db, state, conversation_id)


@router.get("/policy/search", responses=responses(503))
def policy_search(
    who: AgentDep,
    state: StateDep,
    q: str = Query(min_length=1, max_length=500),
    k: int = Query(3, ge=1, le=20),
) -> PolicyResults:
    """Policy passages that answer a question, with ids and headings."""
    return PolicyResults(question=q, passages=search_policy(state, q, k))
