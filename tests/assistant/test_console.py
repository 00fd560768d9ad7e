"""The agent console in a real headless Chromium against a real uvicorn server."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from assistant.agent.benchmark import serve_in_thread
from assistant.db.models import Message
from assistant.services import handoff
from tests.assistant.support_fixtures import (  # noqa: F401  (fixtures)
    db,
    keys,
    new_conversation,
    retail_settings,
    retail_template,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_console_claims_drafts_edits_and_sends(browser, retail_settings, db, keys) -> None:  # noqa: F811
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
        assert (
            user in page.locator("#customer").inner_text()
            or page.locator("#customer h3").inner_text()
        )
        suggestion.locator("button.use").click()
        draft = page.locator("#draft").input_value()
        assert draft
        page.fill("#draft", draft + "\nAnything else I can help with?")
        page.click("#send")
        page.locator("#messages li.agent").wait_for(timeout=20_000)
        assert "Anything else I can help with?" in page.locator("#messages li.agent").inner_text()
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
