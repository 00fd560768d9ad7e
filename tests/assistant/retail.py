"""The retail_orders data for the customer-service tests: paths and helpers (fixtures in conftest.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Order, User
from tests.conftest import SHARED_DATA

RETAIL = SHARED_DATA / "retail_orders"
POLICY = RETAIL / "policy.md"


def first_order(session: Session, status: str, gift_card: bool | None = None) -> Order:
    """The first order (by id) in status; gift_card selects orders paid (or not) by gift card."""
    for order in session.scalars(select(Order).where(Order.status == status).order_by(Order.id)):
        paid = [p.get("payment_method_id", "") for p in order.payment or []]
        if gift_card is None or gift_card == any(m.startswith("gift_card") for m in paid):
            return order
    raise AssertionError(f"no {status} order in the data")


def other_user(session: Session, not_id: str) -> str:
    """Some user other than not_id."""
    return session.scalar(select(User.id).where(User.id != not_id).order_by(User.id))


def snapshot(session: Session) -> dict:
    """Everything a write action may touch, to prove a refused one changed nothing."""
    from assistant.db.support_models import OrderAction, PendingConfirmation

    session.expire_all()
    return {
        "orders": {o.id: (o.status, repr(o.payment)) for o in session.scalars(select(Order))},
        "users": {u.id: repr(u.attributes) for u in session.scalars(select(User))},
        "actions": session.scalars(select(OrderAction.id)).all(),
        "pending": session.scalars(select(PendingConfirmation.id)).all(),
    }


def new_conversation(
    session: Session, user_id: str | None, *texts: str, key_id: int | None = None
) -> str:
    """A widget conversation in which the shopper wrote texts (as the chat would store it)."""
    import uuid

    from assistant.db.models import Conversation, Message

    conv = Conversation(id=str(uuid.uuid4()), user_id=user_id, channel="widget")
    session.add(conv)
    author = f"user:{user_id}" if user_id else f"key:{key_id}"
    for text in texts:
        session.add(Message(conversation_id=conv.id, role="user", content=text, author=author))
        session.add(Message(conversation_id=conv.id, role="assistant", content="Let me check."))
    session.commit()
    return conv.id
