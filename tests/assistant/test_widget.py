"""The chat widget in a real headless Chromium against the real server: ask, see a product card."""

from __future__ import annotations

import re

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
        # the cards show the products: the text neither lists them again nor shows raw ids
        text = page.locator(".sa-bot .sa-text").last.inner_text()
        assert "Basmati Rice Classic" not in text and not re.search(r"\[[^\]\s]+\]", text)
        page.locator(".sa-thumbs button[data-rating='1']").last.click()
        page.locator(".sa-thumbs[data-sent='1']").wait_for(timeout=10_000)
        # a choice among the shown products: the pick is a chip in the text, never "[104]"
        page.fill("input[name=message]", "which one would you recommend for me and why?")
        page.press("input[name=message]", "Enter")
        answer = page.locator(".sa-bot").nth(1)
        answer.locator(".sa-thumbs").wait_for(timeout=20_000)
        chip = answer.locator('.sa-text .sa-chip[data-product-id="104"]')
        assert chip.inner_text() == "Basmati Rice Classic 1 kg"
        assert not re.search(r"\[[^\]\s]+\]", answer.locator(".sa-text").inner_text())
        assert answer.locator(".sa-card").count() == 2
        # a follow-up in the same conversation refers to the shown list
        page.fill("input[name=message]", "tell me more about the first one")
        page.press("input[name=message]", "Enter")
        page.locator(".sa-bot").nth(2).locator(".sa-card").first.wait_for(timeout=20_000)
        assert page.locator(".sa-bot").nth(2).locator(".sa-chip").count() >= 1
        # a handoff: a person's reply appears in the widget
        page.fill("input[name=message]", "I want to talk to a human please")
        page.press("input[name=message]", "Enter")
        page.locator(".sa-bot").nth(3).locator(".sa-thumbs").wait_for(timeout=20_000)
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
