"""Write actions on orders (cancel, return, exchange) for agents, checked against the store policy.

Every action takes two calls: `propose_action` checks the rules and returns a summary and a
one-time token (nothing changes yet); `confirm_action` with that token re-checks the rules,
executes, and writes the audit row. A refused call raises a ShopAssistError and writes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, cast, get_args

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.orm import Session

from assistant.db.models import Conversation, Order, ProductVariant, User, utcnow
from assistant.db.support_models import ORDER_ACTIONS, OrderAction, PendingConfirmation
from assistant.errors import Conflict, Forbidden, Invalid, NotFound, Unfit
from assistant.jsontypes import JsonObject
from assistant.services.orders import _load_order, order_to_dict, payment_methods
from assistant.services.records import (
    ActionParams,
    DoneAction,
    HistoryEntry,
    ProposedAction,
    Refund,
)

CancelReason = Literal["no longer needed", "ordered by mistake"]
CANCEL_REASONS: tuple[str, ...] = get_args(CancelReason)
ACTION_ROLES = ("agent", "admin")
# Which status each action needs and leaves (policy.md: "Cancel pending order", "Return
# delivered order", "Exchange delivered order").
REQUIRED_STATUS = {"cancel": "pending", "return": "delivered", "exchange": "delivered"}
STATUS_AFTER = {
    "cancel": "cancelled",
    "return": "return requested",
    "exchange": "exchange requested",
}
CONFIRMATION_TTL = timedelta(minutes=15)


@dataclass(frozen=True)
class Actor:
    """Who acts: an identity for the audit log and the role it holds."""

    id: str
    role: str


@dataclass
class ActionRequest:
    """A requested write action on one customer's order."""

    action: str
    order_id: str
    user_id: str  # the customer the agent is helping (one customer per conversation)
    reason: str | None = None  # cancel
    item_ids: list[str] = field(default_factory=list)  # return / exchange: ordered item ids
    new_item_ids: list[str] = field(default_factory=list)  # exchange: same product, other option
    payment_method_id: str | None = None  # return refund / exchange price difference
    conversation_id: str | None = None

    def params(self) -> ActionParams:
        """The arguments that define the action (stored with the confirmation and audit row)."""
        return ActionParams(
            reason=self.reason,
            item_ids=list(self.item_ids),
            new_item_ids=list(self.new_item_ids),
            payment_method_id=self.payment_method_id,
        )


@dataclass
class Plan:
    """A checked action: what will happen, in words and in numbers."""

    order: Order
    user: User
    summary: str
    status_after: str
    price_difference: float = 0.0
    refunds: list[Refund] = field(default_factory=list)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _gift_card_balance(method: JsonObject) -> float:
    return float(method.get("balance") or 0.0)


def check_action(session: Session, req: ActionRequest, actor: Actor) -> Plan:
    """Check req against the policy rules and return the plan; raises on any rule broken."""
    if actor.role not in ACTION_ROLES:
        raise Forbidden(f"role {actor.role!r} may not change orders; an agent must do it")
    if req.action not in ORDER_ACTIONS:
        raise Invalid(f"unknown action {req.action!r}; valid: {', '.join(ORDER_ACTIONS)}")
    order = _load_order(session, req.order_id)
    if order is None:
        raise NotFound(f"order {req.order_id!r} not found")
    if order.user_id != req.user_id:
        raise Forbidden(
            f"order {order.id} is not customer {req.user_id!r}'s; policy: help one customer per "
            "conversation and deny requests about any other customer"
        )
    if req.conversation_id:
        conv = session.get(Conversation, req.conversation_id)
        if conv is None:
            raise NotFound(f"conversation {req.conversation_id!r} not found")
        if conv.user_id and conv.user_id != req.user_id:
            raise Forbidden(f"conversation {conv.id} is with another customer")
    need = REQUIRED_STATUS[req.action]
    if order.status != need:
        raise Conflict(
            f"order {order.id} is {order.status!r}; policy: an order can only be "
            f"{'cancelled' if req.action == 'cancel' else req.action + 'ed'} if its status is "
            f"{need!r}"
        )
    user = session.get(User, order.user_id)
    if user is None:
        raise NotFound(f"customer {order.user_id!r} not found")
    if req.action == "cancel":
        return _check_cancel(order, user, req)
    if session.scalar(
        select(OrderAction.id).where(
            OrderAction.order_id == order.id, OrderAction.action.in_(("return", "exchange"))
        )
    ):
        raise Conflict(f"order {order.id} already had a return or exchange; it can be done once")
    _check_items(order, req.item_ids)
    if req.action == "return":
        return _check_return(order, user, req)
    return _check_exchange(session, order, user, req)


def _check_cancel(order: Order, user: User, req: ActionRequest) -> Plan:
    reason = (req.reason or "").strip().lower()
    if reason not in CANCEL_REASONS:
        raise Invalid(
            f"cancellation reason must be one of {', '.join(repr(r) for r in CANCEL_REASONS)}"
        )
    req.reason = reason
    methods = payment_methods(user)
    refunds: list[Refund] = []
    for p in order.payment or []:
        if isinstance(p, dict) and p.get("transaction_type") == "payment":
            mid = str(p.get("payment_method_id"))
            gift = methods.get(mid, {}).get("source") == "gift_card"
            refunds.append(
                Refund(
                    payment_method_id=mid,
                    amount=float(p.get("amount") or 0.0),
                    when="immediately" if gift else "in 5 to 7 business days",
                )
            )
    refund_text = "; ".join(
        f"{r['amount']:.2f} to {r['payment_method_id']} {r['when']}" for r in refunds
    )
    summary = (
        f"Cancel order {order.id} (reason: {reason}). Refund: {refund_text or 'none recorded'}."
    )
    return Plan(order, user, summary, STATUS_AFTER["cancel"], refunds=refunds)


def _check_items(order: Order, item_ids: list[str]) -> None:
    if not item_ids:
        raise Invalid("list the item ids to return or exchange (all of them, in one request)")
    have: Counter[str] = Counter()
    for it in order.items:
        have[it.variant_id] += it.quantity or 1
    for item_id, n in Counter(item_ids).items():
        if have[item_id] < n:
            raise Unfit(f"item {item_id!r} is not in order {order.id} (or not that many times)")


def _original_methods(order: Order) -> set[str]:
    return {
        str(p.get("payment_method_id"))
        for p in order.payment or []
        if isinstance(p, dict) and p.get("transaction_type") == "payment"
    }


def _item_price(order: Order, item_id: str) -> float:
    return next(float(it.price or 0.0) for it in order.items if it.variant_id == item_id)


def _check_return(order: Order, user: User, req: ActionRequest) -> Plan:
    mid = req.payment_method_id or ""
    methods = payment_methods(user)
    is_gift = methods.get(mid, {}).get("source") == "gift_card"
    if mid not in _original_methods(order) and not is_gift:
        raise Unfit(
            f"refund must go to the original payment method "
            f"({', '.join(sorted(_original_methods(order))) or 'none recorded'}) or an existing gift card"
        )
    amount = round(sum(_item_price(order, i) for i in req.item_ids), 2)
    summary = (
        f"Return {len(req.item_ids)} item(s) of order {order.id} ({', '.join(req.item_ids)}); "
        f"refund {amount:.2f} to {mid}. The customer gets an email on how to return the items."
    )
    return Plan(order, user, summary, STATUS_AFTER["return"], price_difference=-amount)


def _check_exchange(session: Session, order: Order, user: User, req: ActionRequest) -> Plan:
    if len(req.new_item_ids) != len(req.item_ids):
        raise Invalid("give one new item id for each item to exchange")
    difference = 0.0
    for old_id, new_id in zip(req.item_ids, req.new_item_ids, strict=True):
        old_product = next(it.product_id for it in order.items if it.variant_id == old_id)
        new = session.get(ProductVariant, new_id)
        if new is None:
            raise Unfit(f"new item {new_id!r} does not exist")
        if new.product_id != old_product:
            raise Unfit(
                f"item {old_id} can only be exchanged for another option of the same product "
                f"(product {old_product}), not product {new.product_id}"
            )
        if new_id == old_id:
            raise Unfit(f"new item {new_id} is the same option as the ordered one")
        if not new.in_stock:
            raise Unfit(f"new item {new_id} is not available")
        difference += float(new.price or 0.0) - _item_price(order, old_id)
    difference = round(difference, 2)
    mid = req.payment_method_id or ""
    method = payment_methods(user).get(mid)
    if method is None:
        raise Unfit(f"payment method {mid!r} is not one of the customer's payment methods")
    if method.get("source") == "gift_card" and difference > _gift_card_balance(method):
        raise Unfit(
            f"gift card {mid} balance {_gift_card_balance(method):.2f} does not cover the "
            f"price difference {difference:.2f}"
        )
    pays = "customer pays" if difference > 0 else "customer is refunded"
    summary = (
        f"Exchange in order {order.id}: "
        + ", ".join(f"{o} -> {n}" for o, n in zip(req.item_ids, req.new_item_ids, strict=True))
        + f"; price difference {abs(difference):.2f} ({pays}, via {mid}). "
        "Confirm that these are all the items to exchange: it can be done only once."
    )
    return Plan(order, user, summary, STATUS_AFTER["exchange"], price_difference=difference)


def propose_action(session: Session, req: ActionRequest, actor: Actor) -> ProposedAction:
    """Check the action and return its summary and a one-time confirmation token (no change yet)."""
    plan = check_action(session, req, actor)
    token = secrets.token_urlsafe(18)
    now = utcnow()
    pending = PendingConfirmation(
        token_hash=_hash(token),
        order_id=plan.order.id,
        user_id=req.user_id,
        action=req.action,
        params=req.params(),
        summary=plan.summary,
        actor=actor.id,
        conversation_id=req.conversation_id,
        created_at=now,
        expires_at=now + CONFIRMATION_TTL,
    )
    session.add(pending)
    # unconfirmed proposals are kept a day after they expire (for support questions), then go
    session.execute(
        delete(PendingConfirmation).where(PendingConfirmation.expires_at < now - timedelta(days=1))
    )
    session.commit()
    return ProposedAction(
        confirmation_token=token,
        action=req.action,
        order_id=plan.order.id,
        summary=plan.summary,
        status_after=plan.status_after,
        price_difference=plan.price_difference,
        expires_at=pending.expires_at.isoformat(),
    )


def confirm_action(session: Session, token: str, actor: Actor) -> DoneAction:
    """Execute a proposed action given its token, after re-checking every rule; audit it."""
    pending = session.scalar(
        select(PendingConfirmation).where(PendingConfirmation.token_hash == _hash(token or ""))
    )
    if pending is None:
        raise NotFound("unknown confirmation token; propose the action first")
    if pending.used_at is not None:
        raise Conflict("this confirmation was already used")
    if pending.expires_at < utcnow():
        raise Conflict("this confirmation expired; propose the action again")
    if pending.actor != actor.id:
        raise Forbidden("this confirmation belongs to another agent")
    p = pending.params or {}
    req = ActionRequest(
        action=pending.action,
        order_id=pending.order_id,
        user_id=pending.user_id,
        reason=p.get("reason"),
        item_ids=list(p.get("item_ids") or []),
        new_item_ids=list(p.get("new_item_ids") or []),
        payment_method_id=p.get("payment_method_id"),
        conversation_id=pending.conversation_id,
    )
    try:
        plan = check_action(session, req, actor)  # the state may have changed since proposing
        # an UPDATE returns a CursorResult (it has rowcount); execute() is typed as Result
        claimed = cast(
            CursorResult[Any],
            session.execute(
                update(PendingConfirmation)
                .where(PendingConfirmation.id == pending.id, PendingConfirmation.used_at.is_(None))
                .values(used_at=utcnow())
            ),
        )
        if claimed.rowcount != 1:
            raise Conflict("this confirmation was already used")
        record = _execute(session, req, actor, plan)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return DoneAction(
        action_id=record.id,
        action=record.action,
        summary=record.summary,
        actor=record.actor,
        order=order_to_dict(plan.order),
    )


def _execute(session: Session, req: ActionRequest, actor: Actor, plan: Plan) -> OrderAction:
    order, before = plan.order, plan.order.status
    order.status = plan.status_after
    if plan.refunds:
        order.payment = list(order.payment or []) + [
            {
                "transaction_type": "refund",
                "amount": r["amount"],
                "payment_method_id": r["payment_method_id"],
            }
            for r in plan.refunds
        ]
        methods = payment_methods(plan.user)
        for r in plan.refunds:
            m = methods.get(r["payment_method_id"])
            if m is not None and m.get("source") == "gift_card":
                m["balance"] = round(_gift_card_balance(m) + r["amount"], 2)
        attrs = dict(plan.user.attributes or {})
        raw = attrs.get("payment_methods")
        attrs["payment_methods"] = list(methods.values()) if isinstance(raw, list) else methods
        plan.user.attributes = attrs  # a new dict so the JSON column is written
    record = OrderAction(
        order_id=order.id,
        user_id=req.user_id,
        action=req.action,
        params={**req.params(), "price_difference": plan.price_difference},
        summary=plan.summary,
        status_before=before,
        status_after=plan.status_after,
        actor=actor.id,
        actor_role=actor.role,
        conversation_id=req.conversation_id,
    )
    session.add(record)
    session.flush()
    return record


def order_history(session: Session, order_id: str) -> list[HistoryEntry]:
    """The audit log of one order, oldest first."""
    rows = session.scalars(
        select(OrderAction).where(OrderAction.order_id == order_id).order_by(OrderAction.id)
    ).all()
    return [
        HistoryEntry(
            id=r.id,
            action=r.action,
            summary=r.summary,
            status_before=r.status_before,
            status_after=r.status_after,
            actor=r.actor,
            created_at=r.created_at.isoformat(),
        )
        for r in rows
    ]
