"""Write actions: every policy rule enforced, confirmation required, refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from assistant import errors
from assistant.db.models import Order, ProductVariant, User
from assistant.db.support_models import OrderAction, PendingConfirmation
from assistant.services import orders
from assistant.services.order_actions import (
    ActionRequest,
    Actor,
    check_action,
    confirm_action,
    order_history,
    propose_action,
)
from tests.assistant.retail import first_order, other_user, snapshot

AGENT = Actor("agent-key-1", "agent")
OTHER_AGENT = Actor("agent-key-2", "agent")


def refused(session, exc_type, fn, *args, match: str | None = None):  # noqa: ANN001, ANN201
    """Run fn expecting exc_type, and prove the database is exactly as before."""
    before = snapshot(session)
    with pytest.raises(exc_type, match=match) as info:
        fn(*args)
    session.rollback()
    assert snapshot(session) == before
    return info.value


def _original_method(order: Order) -> str:
    return order.payment[0]["payment_method_id"]


def _exchange_target(session, order: Order) -> tuple[str, str]:
    """(ordered item id, an available other option of the same product)."""
    for item in order.items:
        alt = session.scalar(
            select(ProductVariant.id)
            .where(
                ProductVariant.product_id == item.product_id, ProductVariant.id != item.variant_id
            )
            .where(ProductVariant.in_stock.is_(True))
            .order_by(ProductVariant.id)
        )
        if alt:
            return item.variant_id, alt
    raise AssertionError("no exchangeable item")


def test_cancel_needs_confirmation_then_executes_and_audits(db) -> None:
    order = first_order(db, "pending", gift_card=False)
    req = ActionRequest("cancel", order.id, order.user_id, reason="ordered by mistake")
    before = snapshot(db)
    proposal = propose_action(db, req, AGENT)
    assert proposal["confirmation_token"] and "ordered by mistake" in proposal["summary"]
    after_propose = snapshot(db)
    assert after_propose["orders"] == before["orders"]  # proposing changes no order
    assert after_propose["actions"] == []
    done = confirm_action(db, proposal["confirmation_token"], AGENT)
    db.expire_all()
    assert db.get(Order, order.id).status == "cancelled"
    assert done["order"]["payments"][-1]["transaction_type"] == "refund"
    assert done["actor"] == AGENT.id
    history = order_history(db, order.id)
    assert [(h["action"], h["status_before"], h["status_after"], h["actor"]) for h in history] == [
        ("cancel", "pending", "cancelled", AGENT.id)
    ]
    # the token is single-use
    refused(db, errors.Conflict, confirm_action, db, proposal["confirmation_token"], AGENT)


def test_cancel_to_gift_card_refunds_the_balance_immediately(db) -> None:
    order = first_order(db, "pending", gift_card=True)
    card = _original_method(order)
    balance = orders.payment_methods(db.get(User, order.user_id))[card]["balance"]
    paid = sum(p["amount"] for p in order.payment if p["transaction_type"] == "payment")
    token = propose_action(
        db, ActionRequest("cancel", order.id, order.user_id, reason="no longer needed"), AGENT
    )
    assert "immediately" in token["summary"]
    confirm_action(db, token["confirmation_token"], AGENT)
    db.expire_all()
    new = orders.payment_methods(db.get(User, order.user_id))[card]["balance"]
    assert new == pytest.approx(balance + paid)


@pytest.mark.parametrize("status", ["processed", "delivered", "cancelled"])
def test_cancel_wrong_status_is_refused(db, status) -> None:
    order = first_order(db, status)
    req = ActionRequest("cancel", order.id, order.user_id, reason="no longer needed")
    err = refused(db, errors.Conflict, propose_action, db, req, AGENT, match="only be cancelled")
    assert err.status_code == 409


def test_cancel_needs_an_allowed_reason(db) -> None:
    order = first_order(db, "pending")
    req = ActionRequest("cancel", order.id, order.user_id, reason="found it cheaper")
    refused(db, errors.Invalid, propose_action, db, req, AGENT, match="reason")


def test_wrong_user_is_refused(db) -> None:
    order = first_order(db, "pending")
    req = ActionRequest(
        "cancel", order.id, other_user(db, order.user_id), reason="no longer needed"
    )
    err = refused(
        db, errors.Forbidden, propose_action, db, req, AGENT, match="another customer|not customer"
    )
    assert err.status_code == 403


def test_unknown_order_and_action_are_refused(db) -> None:
    refused(
        db,
        errors.NotFound,
        propose_action,
        db,
        ActionRequest("cancel", "#W0000000", "x", reason="no longer needed"),
        AGENT,
    )
    order = first_order(db, "pending")
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest("delete", order.id, order.user_id),
        AGENT,
    )


def test_shopper_role_cannot_act(db) -> None:
    order = first_order(db, "pending")
    req = ActionRequest("cancel", order.id, order.user_id, reason="no longer needed")
    refused(db, errors.Forbidden, propose_action, db, req, Actor("widget-key-9", "widget"))


def test_no_confirmation_no_change(db) -> None:
    order = first_order(db, "pending")
    req = ActionRequest("cancel", order.id, order.user_id, reason="no longer needed")
    refused(
        db,
        errors.NotFound,
        confirm_action,
        db,
        "not-a-token",
        AGENT,
        match="propose the action first",
    )
    token = propose_action(db, req, AGENT)["confirmation_token"]
    refused(db, errors.Forbidden, confirm_action, db, token, OTHER_AGENT, match="another agent")
    pending = db.scalar(select(PendingConfirmation))
    pending.expires_at = pending.expires_at - timedelta(hours=1)
    db.commit()
    refused(db, errors.Conflict, confirm_action, db, token, AGENT, match="expired")
    assert db.get(Order, order.id).status == "pending"


def test_state_change_between_propose_and_confirm_is_caught(db) -> None:
    order = first_order(db, "pending")
    token = propose_action(
        db, ActionRequest("cancel", order.id, order.user_id, reason="no longer needed"), AGENT
    )
    db.get(Order, order.id).status = "processed"  # shipped meanwhile
    db.commit()
    refused(db, errors.Conflict, confirm_action, db, token["confirmation_token"], AGENT)
    assert db.scalars(select(OrderAction)).all() == []


def test_return_rules(db) -> None:
    order = first_order(db, "delivered", gift_card=False)
    item = order.items[0].variant_id
    base = dict(action="return", order_id=order.id, user_id=order.user_id)
    # items must be in the order; refund only to the original method or a gift card
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[], payment_method_id=_original_method(order)),
        AGENT,
    )
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=["0000000000"], payment_method_id=_original_method(order)),
        AGENT,
        match="not in order",
    )
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[item], payment_method_id="paypal_0"),
        AGENT,
        match="original payment method",
    )
    pending = first_order(db, "pending")
    refused(
        db,
        errors.Conflict,
        propose_action,
        db,
        ActionRequest(
            "return",
            pending.id,
            pending.user_id,
            item_ids=[pending.items[0].variant_id],
            payment_method_id=_original_method(pending),
        ),
        AGENT,
        match="only be returned",
    )
    token = propose_action(
        db, ActionRequest(**base, item_ids=[item], payment_method_id=_original_method(order)), AGENT
    )
    confirm_action(db, token["confirmation_token"], AGENT)
    db.expire_all()
    assert db.get(Order, order.id).status == "return requested"
    # no second return or exchange on the same order
    refused(
        db,
        errors.Conflict,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[item], payment_method_id=_original_method(order)),
        AGENT,
    )


def test_exchange_rules_and_only_once(db) -> None:
    order = first_order(db, "delivered", gift_card=False)
    old, new = _exchange_target(db, order)
    method = _original_method(order)
    base = dict(
        action="exchange", order_id=order.id, user_id=order.user_id, payment_method_id=method
    )
    other_product = db.scalar(
        select(ProductVariant.id).where(ProductVariant.product_id != order.items[0].product_id)
    )
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[old], new_item_ids=[]),
        AGENT,
        match="one new item",
    )
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[order.items[0].variant_id], new_item_ids=[other_product]),
        AGENT,
        match="same product",
    )
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[old], new_item_ids=[old]),
        AGENT,
        match="same option",
    )
    db.get(ProductVariant, new).in_stock = False
    db.commit()
    refused(
        db,
        errors.Invalid,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[old], new_item_ids=[new]),
        AGENT,
        match="not available",
    )
    db.get(ProductVariant, new).in_stock = True
    db.commit()
    token = propose_action(db, ActionRequest(**base, item_ids=[old], new_item_ids=[new]), AGENT)
    assert "only once" in token["summary"]
    done = confirm_action(db, token["confirmation_token"], AGENT)
    assert done["order"]["status"] == "exchange requested"
    refused(
        db,
        errors.Conflict,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[old], new_item_ids=[new]),
        AGENT,
    )
    # even if the status were reset, the audit log keeps it to one exchange per order
    db.get(Order, order.id).status = "delivered"
    db.commit()
    refused(
        db,
        errors.Conflict,
        propose_action,
        db,
        ActionRequest(**base, item_ids=[old], new_item_ids=[new]),
        AGENT,
        match="already had a return or exchange",
    )


def test_exchange_gift_card_must_cover_the_difference(db) -> None:
    for order in db.scalars(select(Order).where(Order.status == "delivered").order_by(Order.id)):
        cards = {
            k: m
            for k, m in orders.payment_methods(db.get(User, order.user_id)).items()
            if m.get("source") == "gift_card"
        }
        if not cards:
            continue
        item = order.items[0]
        pricier = db.scalar(
            select(ProductVariant.id)
            .where(ProductVariant.product_id == item.product_id, ProductVariant.in_stock.is_(True))
            .where(
                ProductVariant.price > item.price + max(m.get("balance", 0) for m in cards.values())
            )
        )
        if pricier:
            card = next(iter(cards))
            req = ActionRequest(
                "exchange",
                order.id,
                order.user_id,
                item_ids=[item.variant_id],
                new_item_ids=[pricier],
                payment_method_id=card,
            )
            refused(db, errors.Invalid, propose_action, db, req, AGENT, match="does not cover")
            return
    pytest.skip("no delivered order whose owner's gift card is short of an upgrade")


def test_check_action_is_a_pure_dry_run(db) -> None:
    order = first_order(db, "pending")
    before = snapshot(db)
    plan = check_action(
        db, ActionRequest("cancel", order.id, order.user_id, reason="no longer needed"), AGENT
    )
    assert plan.status_after == "cancelled"
    assert snapshot(db) == before
