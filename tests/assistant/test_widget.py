"""The chat widget in a real headless Chromium against the real server: ask, see a product card,
add it to the cart."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from sqlalchemy import select

from assistant.agent.runtime import ModelRuntime
from assistant.agent.writer import Writer
from assistant.api.benchmark import serve_in_thread
from assistant.db.models import Conversation, Event
from assistant.db.session import session_scope
from assistant.services import handoff

pytestmark = pytest.mark.browser
# Records every text the newest answer bubble shows while it streams (each token re-renders it).
WATCH_TEXT = """() => {
  window.__texts = [];
  new MutationObserver(() => {
    const boxes = document.querySelectorAll(".sa-bot .sa-text");
    const text = boxes.length ? boxes[boxes.length - 1].innerText : "";
    if (text && window.__texts[window.__texts.length - 1] !== text) window.__texts.push(text);
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


class _SlowWriter:
    """Streams a written choice piece by piece, as a decoding model does (the widget's rendering
    of the stream is what is tested); other questions get no written answer (the template)."""

    PIECES = ["I'd go for ", "Basmati ", "Rice ", "Classic ", "1 kg", " [104]", ": it is the ",
              "best rated, ", "4.4/5, ", "at ₹245."]  # fmt: skip

    def stream(self, messages, options=None, adapter=None, prefix="", copy_rule=None):
        if "recommend" not in messages[-1]["content"]:
            return
        for piece in self.PIECES:
            time.sleep(0.15)
            yield piece


def test_widget_streams_an_answer_with_product_cards_and_feedback(browser, store_settings, store):
    runtime = ModelRuntime(store_settings)
    runtime.use_writer(Writer(_SlowWriter(), None))
    with serve_in_thread(store_settings, runtime) as base:
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
        # a choice among the shown products: the pick is a chip in the text, never "[104]";
        # the text grows token by token as the answer streams, and no state of it shows an id
        page.evaluate(WATCH_TEXT)
        page.fill("input[name=message]", "which one would you recommend for me and why?")
        page.press("input[name=message]", "Enter")
        answer = page.locator(".sa-bot").nth(1)
        answer.locator(".sa-thumbs").wait_for(timeout=20_000)
        seen = page.evaluate("window.__texts")
        assert len(seen) >= 3 and not any(re.search(r"\[[^\]\s]+\]", t) for t in seen)
        assert seen[0] != seen[-1] and len(seen[0]) < len(seen[-1])  # it grew as tokens came
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


def test_widget_add_to_cart_fills_the_cart_and_fires_the_event(browser, store_settings, store):
    with serve_in_thread(store_settings) as base:
        page = browser.new_page()
        page.goto(f"{base}/widget?key={store['u1']}")
        assert page.locator(".sa-cart-count").inner_text() == "0"
        page.evaluate(
            "window.__adds = []; document.addEventListener('shopassist:add-to-cart',"
            " function (e) { window.__adds.push(e.detail); });"
        )
        page.fill("input[name=message]", "basmati rice under 300 rupees")
        page.press("input[name=message]", "Enter")
        card = page.locator('.sa-card[data-product-id="104"]')
        card.wait_for(timeout=20_000)
        card.locator("button.sa-add").click()
        page.locator(".sa-root[data-cart-count='1']").wait_for(timeout=10_000)
        assert page.locator(".sa-cart-count").inner_text() == "1"
        assert card.locator("button.sa-add").inner_text().startswith("Added")
        detail = page.evaluate("window.__adds")
        assert detail == [
            {"product_id": "104", "quantity": 1, "price": 245.0, "currency": "INR",
             "title": "Basmati Rice Classic 1 kg"}
        ]  # fmt: skip
        cart = httpx.get(f"{base}/v1/cart", headers={"X-API-Key": store["u1"]}).json()
        assert [(i["product_id"], i["quantity"]) for i in cart["items"]] == [("104", 1)]
        # the host store takes over: it cancels the event and the widget adds nothing itself
        page.evaluate(
            "document.addEventListener('shopassist:add-to-cart', function (e) {"
            " e.preventDefault(); });"
        )
        other = page.locator(".sa-card").nth(1)
        other_id = other.get_attribute("data-product-id")
        assert other_id != "104"
        other.locator("button.sa-add").click()
        page.wait_for_function("window.__adds.length === 2", timeout=10_000)
        cart = httpx.get(f"{base}/v1/cart", headers={"X-API-Key": store["u1"]}).json()
        assert cart["count"] == 1 and page.locator(".sa-cart-count").inner_text() == "1"
        # both adds were recorded as cart behaviour events of this shopper (sent in the background)
        expected, deadline = sorted([("u1", "104"), ("u1", other_id)]), time.monotonic() + 10
        while True:
            with session_scope(store_settings.effective_database_url) as db:
                events = db.scalars(select(Event).where(Event.type == "cart")).all()
                recorded = sorted((e.user_id, e.product_id) for e in events)
            if recorded == expected or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert recorded == expected
        # and the assistant's exposure, for the engagement report (#17)
        with session_scope(store_settings.effective_database_url) as db:
            kinds = set(db.scalars(select(Event.type).where(Event.user_id == "u1")))
        assert {"widget_shown", "widget_open", "chat_message", "card_click"} <= kinds, kinds
