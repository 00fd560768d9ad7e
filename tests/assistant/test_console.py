"""The agent console in a real headless Chromium against a real uvicorn server."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.api.benchmark import serve_in_thread
from assistant.db.models import Message, Order, User
from assistant.db.support_models import OrderAction
from assistant.services import handoff
from tests.assistant.retail import new_conversation

pytestmark = pytest.mark.browser


def test_console_claims_drafts_edits_and_sends(browser, retail_settings, db, keys) -> None:
    user = keys["shopper_id"]
    cid = new_conversation(db, user, "I want to cancel my order <b>now</b>")
    handoff.handoff(db, cid, "wants a person to cancel")
    with serve_in_thread(retail_settings) as base:
        page = browser.new_page()
        page.goto(f"{base}/agent?key={keys['agent']}")
        entry = page.locator(f'#queue li[data-id="{cid}"]')
        entry.wait_for(timeout=20_000)
        assert "wants a person to cancel" in entry.inner_text()
        entry.locator("button.claim").click()
        # customer text is shown as text, never as markup
        page.locator("#messages li.user").first.wait_for(timeout=20_000)
        assert "<b>now</b>" in page.locator("#messages li.user").first.inner_text()
        suggestion = page.locator("#suggestions li.suggestion").first
        suggestion.wait_for(timeout=60_000)
        assert "Sources:" in suggestion.inner_text()
        page.locator("#customer-orders li").first.wait_for(timeout=20_000)
        pane = page.locator("#customer").inner_text()
        assert db.get(User, user).email in pane
        assert "behaviour predictor" in pane  # no trained models here: the note says so
        suggestion.locator("button.use").click()
        draft = page.locator("#draft").input_value()
        assert draft
        page.fill("#draft", draft + "\nAnything else I can help with?")
        page.click("#send")
        page.locator("#messages li.agent").wait_for(timeout=20_000)
        assert "Anything else I can help with?" in page.locator("#messages li.agent").inner_text()
        # an order action: refused in the wrong state, then proposed, confirmed and audited
        mine = {o.id: o.status for o in db.scalars(select(Order).where(Order.user_id == user))}
        pending = next(oid for oid, st in mine.items() if st == "pending")
        other = next((oid for oid, st in mine.items() if st != "pending"), None)
        page.select_option("#action-kind", "cancel")
        page.select_option("#action-reason", "ordered by mistake")
        if other:
            page.select_option("#action-order", other)
            page.click("#propose")
            page.locator("#action-result .note").wait_for(timeout=20_000)
            assert "409" in page.locator("#action-result").inner_text()
        page.select_option("#action-order", pending)
        page.click("#propose")
        page.locator("#action-result .proposal").wait_for(timeout=20_000)
        assert "ordered by mistake" in page.locator("#action-result .proposal").inner_text()
        db.expire_all()
        assert db.get(Order, pending).status == "pending"  # nothing changes before the yes
        page.click("#confirm-action")
        page.locator("#action-result .done").wait_for(timeout=20_000)
        assert "cancelled" in page.locator("#action-result").inner_text()
        # a widget key gets the API's refusal, shown to the user
        page.goto(f"{base}/agent?key={keys['shopper']}")
        page.locator("#status.note").wait_for(timeout=20_000)
        assert "403" in page.locator("#status").inner_text()
    db.expire_all()
    sent = db.scalars(
        select(Message).where(Message.conversation_id == cid, Message.role == "agent")
    ).all()
    assert len(sent) == 1 and sent[0].content.endswith("Anything else I can help with?")
    assert sent[0].author.startswith("agent-key-")
    assert db.get(Order, pending).status == "cancelled"
    audit = db.scalars(select(OrderAction)).all()
    assert [(a.order_id, a.action, a.conversation_id) for a in audit] == [(pending, "cancel", cid)]
