"""POST /v1/chat as server-sent events: keep-alive pings, and a client that leaves mid-turn."""

from __future__ import annotations

import json
import logging

import anyio
from fastapi.testclient import TestClient
from sqlalchemy import select

from assistant.api.app import create_app
from assistant.api.routes import chat as chat_route
from assistant.db.models import Message
from assistant.db.session import session_scope
from tests.assistant.scripted_model import ScriptedModel, tool_call

# A first call that fails (no product 999), so the agent would plan a second step.
SCRIPT = [tool_call("get_product", product_id="999"), tool_call("get_product", product_id="101")]
ASK = {"message": "tell me about product 999", "stream": True}


def model_settings(store_settings):
    return store_settings.model_copy(update={"agent_use_llm": True, "agent_fast_path": False})


def assistant_messages(settings) -> int:
    with session_scope(settings.effective_database_url) as db:
        return len(db.scalars(select(Message.id).where(Message.role == "assistant")).all())


async def post_and_leave(app, key: str, after_chunks: int) -> list[bytes]:
    """POST /v1/chat (SSE) straight to the ASGI app; disconnect once after_chunks arrived."""
    chunks: list[bytes] = []
    enough = anyio.Event()
    asked = False

    async def receive():
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": json.dumps(ASK).encode(), "more_body": False}
        await enough.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])
            if len(chunks) >= after_chunks:
                enough.set()

    headers = [(b"content-type", b"application/json"), (b"x-api-key", key.encode())]
    scope = {
        # spec 2.4, as uvicorn serves it: a leaving client is noticed only by listening for it
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
        "method": "POST",
        "scheme": "http", "path": "/v1/chat", "raw_path": b"/v1/chat", "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80), "state": {},
    }  # fmt: skip
    await app(scope, receive, send)
    return chunks


def test_a_client_that_leaves_stops_the_turn(store_settings, store, caplog):
    caplog.set_level(logging.INFO, logger=chat_route.__name__)
    settings = model_settings(store_settings)
    app = create_app(settings)
    with TestClient(app) as c:
        # the whole turn: two model steps and an answer, stored
        model = ScriptedModel(script=SCRIPT)
        app.state.runtime.use(model)
        r = c.post("/v1/chat", json=ASK, headers={"X-API-Key": store["u1"]})
        assert "event: final" in r.text and model.calls == 2
        assert assistant_messages(settings) == 1
        # the shopper leaves after the first event: no second model step, no tool, nothing stored
        model = ScriptedModel(script=SCRIPT)
        app.state.runtime.use(model)
        chunks = c.portal.call(post_and_leave, app, store["u1"], 1)
    body = b"".join(chunks).decode()
    assert body.startswith("event: conversation") and "event: final" not in body
    assert "event: tool_result" not in body and model.calls <= 1
    assert assistant_messages(settings) == 1
    assert "stopped early: closing the turn" in caplog.text


def test_a_slow_turn_gets_keep_alive_pings(store_settings, store, monkeypatch):
    monkeypatch.setattr(chat_route, "PING_S", 0.2)
    settings = model_settings(store_settings)
    app = create_app(settings)
    with TestClient(app) as c:
        app.state.runtime.use(ScriptedModel(script=SCRIPT[1:], delay_s=0.7))
        r = c.post("/v1/chat", json=ASK, headers={"X-API-Key": store["u1"]})
    blocks = r.text.strip().split("\n\n")
    assert any(b.startswith(": ping") for b in blocks)
    events = [b.split("\n", 1)[0] for b in blocks if b.startswith("event: ")]
    assert events[0] == "event: conversation" and events[-1] == "event: final"
