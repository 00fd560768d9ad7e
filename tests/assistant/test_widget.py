"""The chat widget in a real headless Chromium against the real server: ask, see a product card."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assistant.api.benchmark import serve_in_thread
from assistant.db.models import Conversation
from assistant.db.session import session_scope
from assistant.services import handoff

pytestmark = pytest.mark.browser


def test_widget_streams_an_answer_with_product_cards_and_feedback(browser, store_settings, store):
    with serve_in_thread(store_settings) as base:
        page = browser.new_page()
        page.goto(f"{base}/widget?key={store['u1']}&poll_ms=300")
        page.fill("input[name=message]", "basmati rice under 300 rupees")
        page.press("input[name=message]", "Enter")
        card = page.locator('.sa-card[data-product-id="104"]')
        card.wait_for(timeout=20_000)
        assert "India Gate" in card.inner_text() or "Basmati Rice Classic" in card.inner_text()
        assert "\u20b9245" in card.locator(".sa-price").inner_text()
        assert "4.4" in card.locator(".sa-rating").inner_text()
        assert "[104]" in page.locator(".sa-bot .sa-text").last.inner_text()
        page.locator(".sa-thumbs button[data-rating='1']").last.click()
        page.locator(".sa-thumbs[data-sent='1']").wait_for(timeout=10_000)
        # a follow-up in the same conversation refers to the shown list
        page.fill("input[name=message]", "tell me more about the first one")
        page.press("input[name=message]", "Enter")
        page.locator(".sa-bot").nth(1).locator(".sa-card").first.wait_for(timeout=20_000)
        # a handoff: a person's reply appears in the widget
        page.fill("input[name=message]", "I want to talk to a human please")
        page.press("input[name=message]", "Enter")
        page.locator(".sa-bot").nth(2).locator(".sa-thumbs").wait_for(timeout=20_000)
        with session_scope(store_settings.effective_database_url) as db:
            conv = db.scalar(select(Conversation).where(Conversation.status == "queued"))
            handoff.claim(db, conv.id, "agent-ann")
            handoff.reply(db, conv.id, "agent-ann", "Hi, Ann here. How can I help?")
        page.locator(".sa-agent").wait_for(timeout=10_000)
        assert "Ann here" in page.locator(".sa-agent").inner_text()
        # a bad key shows the API's message instead of failing silently
        page.goto(f"{base}/widget?key=sa_wrong")
        page.fill("input[name=message]", "hi")
        page.press("input[name=message]", "Enter")
        page.locator(".sa-error").wait_for(timeout=10_000)
        assert "invalid" in page.locator(".sa-error").inner_text()
