"""The order actions, audit log and handoff queue on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from assistant import errors
from assistant.db.migrate import upgrade_url
from assistant.db.models import Conversation, Message, Order
from assistant.db.session import session_factory
from assistant.db.support_models import OrderAction
from assistant.services import handoff
from assistant.services.order_actions import ActionRequest, Actor, confirm_action, propose_action
from tests.assistant.retail import RETAIL

AGENT = Actor("agent-key-1", "agent")


@pytest.mark.slow
def test_actions_and_queue_on_each_database(db_url) -> None:
    if not RETAIL.is_dir():
        pytest.skip(f"retail_orders data not found at {RETAIL}")
    from assistant.ingest.pipeline import ingest

    upgrade_url(db_url)  # the migrations, including the support tables' revision
    db = session_factory(db_url)()
    try:
        ingest(db, "catalog", RETAIL, "retail-orders")
        ingest(db, "orders", RETAIL, "retail-orders")
        pending = db.scalar(select(Order).where(Order.status == "pending").order_by(Order.id))
        req = ActionRequest("cancel", pending.id, pending.user_id, reason="ordered by mistake")
        token = propose_action(db, req, AGENT)["confirmation_token"]
        done = confirm_action(db, token, AGENT)
        assert done["order"]["status"] == "cancelled"
        assert done["order"]["payments"][-1]["transaction_type"] == "refund"
        with pytest.raises(errors.Conflict):
            confirm_action(db, token, AGENT)
        db.rollback()
        delivered = db.scalar(select(Order).where(Order.status == "delivered").order_by(Order.id))
        method = delivered.payment[0]["payment_method_id"]
        ret = ActionRequest(
            "return",
            delivered.id,
            delivered.user_id,
            item_ids=[delivered.items[0].variant_id],
            payment_method_id=method,
        )
        confirm_action(db, propose_action(db, ret, AGENT)["confirmation_token"], AGENT)
        with pytest.raises(errors.Conflict):
            propose_action(db, ret, AGENT)
        db.rollback()
        assert [a.action for a in db.scalars(select(OrderAction).order_by(OrderAction.id))] == [
            "cancel",
            "return",
        ]
        conv = Conversation(id=str(uuid.uuid4()), user_id=pending.user_id)
        db.add(conv)
        db.add(Message(conversation_id=conv.id, role="user", content="a person please"))
        db.commit()
        handoff.handoff(db, conv.id, "asks for a person")
        handoff.claim(db, conv.id, AGENT.id)
        handoff.reply(db, conv.id, AGENT.id, "Hello!")
        assert handoff.list_queue(db, "claimed")[0]["conversation_id"] == conv.id
    finally:
        db.close()
