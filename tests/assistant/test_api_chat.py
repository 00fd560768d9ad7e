"""HTTP API: chat (JSON and SSE), conversations, roles, bad input, feedback, products, metrics."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from assistant.api.app import create_app
from assistant.db.models import Conversation, Feedback, Message
from assistant.db.session import session_scope


@pytest.fixture
def client(store_settings, store):
    with TestClient(create_app(store_settings)) as c:
        yield c


def h(store, who):
    return {"X-API-Key": store[who]}


def counts(settings):
    with session_scope(settings.effective_database_url) as db:
        return (
            db.scalar(select(func.count(Conversation.id))),
            db.scalar(select(func.count(Message.id))),
        )


def sse(text):
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_chat_json_reply_persists_the_turn(client, store, store_settings):
    r = client.post("/v1/chat", json={"message": "basmati rice"}, headers=h(store, "u1"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert "104" in body["cited_product_ids"]
    card = next(c for c in body["cited_products"] if c["product_id"] == "104")
    assert card["price"] == 245.0 and card["rating"] == 4.4
    assert body["tool_calls"][0]["name"] == "search_products"
    conv = client.get(f"/v1/conversations/{body['conversation_id']}", headers=h(store, "u1")).json()
    roles = [m["role"] for m in conv["messages"]]
    assert roles == ["user", "assistant"]
    assert conv["messages"][1]["tool_calls"][0]["name"] == "search_products"
    assert conv["messages"][1]["cited_product_ids"] == body["cited_product_ids"]


def test_chat_sse_streams_tool_calls_tokens_and_final(client, store):
    r = client.post(
        "/v1/chat", json={"message": "water bottle under 200"},
        headers=h(store, "u1") | {"Accept": "text/event-stream"},
    )  # fmt: skip
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse(r.text)
    kinds = [k for k, _ in events]
    assert (
        kinds[0] == "conversation"
        and "tool_call" in kinds
        and "token" in kinds
        and kinds[-1] == "final"
    )
    final = events[-1][1]
    assert "".join(d["text"] for k, d in events if k == "token") == final["answer"]
    assert final["cited_products"] and all(c["price"] <= 200 for c in final["cited_products"])


def test_follow_up_refers_to_shown_products(client, store):
    first = client.post("/v1/chat", json={"message": "water bottle"}, headers=h(store, "u1")).json()
    second_id = first["cited_product_ids"][1]
    r = client.post(
        "/v1/chat",
        json={
            "message": "tell me more about the second one",
            "conversation_id": first["conversation_id"],
        },
        headers=h(store, "u1"),
    )
    body = r.json()
    assert body["tool_calls"][0] == body["tool_calls"][0] | {
        "name": "get_product",
        "arguments": {"product_id": second_id},
    }
    assert body["cited_product_ids"] == [second_id]


@pytest.mark.parametrize(
    "payload, status, words",
    [
        ({"message": ""}, 422, "empty"),
        ({"message": "   "}, 422, "empty"),
        ({"message": "x" * 2001}, 413, "too long"),
        ({"message": "hi\x00\x01there"}, 422, "binary"),
        ({"message": 42}, 422, "string"),
        ({"message": "hi", "conversation_id": "does-not-exist"}, 404, "not found"),
        ({"message": "hi", "evil": 1}, 422, "extra"),
        ({"message": "hi", "user_id": "u2"}, 403, "own shopper"),
    ],
)
def test_bad_chat_requests_are_4xx_and_write_nothing(
    client, store, store_settings, payload, status, words
):
    before = counts(store_settings)
    r = client.post("/v1/chat", json=payload, headers=h(store, "u1"))
    assert r.status_code == status, r.text
    assert words in r.text.lower()
    assert counts(store_settings) == before


def test_malformed_json_huge_body_and_bad_keys(client, store, store_settings):
    before = counts(store_settings)
    r = client.post(
        "/v1/chat",
        content=b"{not json",
        headers=h(store, "u1") | {"Content-Type": "application/json"},
    )
    assert r.status_code == 422 and "json" in r.text.lower()
    r = client.post(
        "/v1/chat",
        content=b"{" + b" " * 70_000 + b"}",
        headers=h(store, "u1") | {"Content-Type": "application/json"},
    )
    assert r.status_code == 413 and "larger than" in r.text
    assert client.post("/v1/chat", json={"message": "hi"}).status_code == 401
    r = client.post("/v1/chat", json={"message": "hi"}, headers={"X-API-Key": "sa_wrong"})
    assert r.status_code == 401 and "invalid" in r.text
    assert counts(store_settings) == before


def test_shoppers_see_only_their_own_conversations(client, store):
    mine = client.post("/v1/chat", json={"message": "hello"}, headers=h(store, "u1")).json()
    cid = mine["conversation_id"]
    assert client.get(f"/v1/conversations/{cid}", headers=h(store, "u2")).status_code == 404
    assert client.get(f"/v1/conversations/{cid}", headers=h(store, "anon")).status_code == 404
    r = client.post(
        "/v1/chat", json={"message": "hi", "conversation_id": cid}, headers=h(store, "u2")
    )
    assert r.status_code == 404
    assert client.get(f"/v1/conversations/{cid}", headers=h(store, "agent")).status_code == 200
    # an anonymous key owns its own conversations
    anon = client.post("/v1/chat", json={"message": "hello"}, headers=h(store, "anon")).json()
    assert (
        client.get(
            f"/v1/conversations/{anon['conversation_id']}", headers=h(store, "anon")
        ).status_code
        == 200
    )


def test_another_users_order_is_not_revealed(client, store):
    body = client.post(
        "/v1/chat", json={"message": "status of order #W2000001"}, headers=h(store, "u1")
    ).json()
    assert body["tool_calls"][0]["ok"] is False
    assert "processed" not in body["answer"] and "275" not in body["answer"]
    assert body["answer"] == "Sorry, I couldn't find that order on your account."
    # an agent chatting for u2 sees it
    body = client.post(
        "/v1/chat",
        json={"message": "status of order #W2000001", "user_id": "u2"},
        headers=h(store, "agent"),
    ).json()
    assert "processed" in body["answer"]


def test_feedback_on_own_assistant_message(client, store, store_settings):
    body = client.post("/v1/chat", json={"message": "green tea"}, headers=h(store, "u1")).json()
    mid = body["message_id"]
    r = client.post(
        "/v1/feedback",
        json={"message_id": mid, "rating": 1, "comment": "nice"},
        headers=h(store, "u1"),
    )
    assert r.status_code == 201, r.text
    assert (
        client.post(
            "/v1/feedback", json={"message_id": mid, "rating": 1}, headers=h(store, "u2")
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/v1/feedback", json={"message_id": mid, "rating": 5}, headers=h(store, "u1")
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/v1/feedback", json={"message_id": 99999, "rating": 1}, headers=h(store, "u1")
        ).status_code
        == 404
    )
    # the shopper's own message: a valid request the message's role refuses (409, not 422)
    assert (
        client.post(
            "/v1/feedback", json={"message_id": mid - 1, "rating": 1}, headers=h(store, "u1")
        ).status_code
        == 409
    )
    with session_scope(store_settings.effective_database_url) as db:
        assert db.scalar(select(func.count(Feedback.id))) == 1


def test_products_routes(client, store):
    r = client.get("/v1/products/107", headers=h(store, "u1"))
    assert r.status_code == 200 and r.json()["brand"] == "Sri Sri Ayurveda"
    assert client.get("/v1/products/nope", headers=h(store, "u1")).status_code == 404
    assert client.get("/v1/products/107/similar?k=0", headers=h(store, "u1")).status_code == 422
    r = client.get("/v1/products/nope/similar", headers=h(store, "u1"))
    assert r.status_code == 404


def test_metrics_docs_and_widget_page(client, store):
    client.post("/v1/chat", json={"message": "hello"}, headers=h(store, "u1"))
    text = client.get("/metrics").text
    assert "shopassist_http_requests_total" in text and "shopassist_chat_turns_total" in text
    assert "/v1/chat" in client.get("/openapi.json").text
    assert client.get("/docs").status_code == 200
    page = client.get("/widget")
    assert page.status_code == 200 and "widget.js" in page.text
    assert client.get("/widget/widget.js").status_code == 200
    assert client.get("/widget/secret.py").status_code == 404


def test_rate_limit_per_key(store_settings, store):
    app = create_app(store_settings.model_copy(update={"rate_limit": "3/minute"}))
    with TestClient(app) as c:
        codes = [c.get("/v1/products/101", headers=h(store, "u1")).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = c.get("/v1/products/101", headers=h(store, "u1"))
        assert "rate limit" in r.text and int(r.headers["retry-after"]) >= 1
        assert c.get("/v1/products/101", headers=h(store, "u2")).status_code == 200  # per key
        assert c.get("/healthz").status_code == 200


def test_cors_for_the_store_origin(client, store):
    r = client.options(
        "/v1/chat",
        headers={"Origin": "http://localhost:8000", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "x-api-key,content-type"},
    )  # fmt: skip
    assert r.headers.get("access-control-allow-origin") == "http://localhost:8000"
    r = client.options(
        "/v1/chat",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in r.headers


def test_model_sees_the_previous_list_and_its_call_is_checked(store_settings, store):
    from langchain_core.messages import ToolMessage

    from tests.assistant.scripted_model import ScriptedModel, tool_call

    # the model plans every turn: with the fast path on, the rules plan a product named by its
    # brand themselves and the model is not asked
    settings = store_settings.model_copy(update={"agent_use_llm": True, "agent_fast_path": False})
    model = ScriptedModel(
        script=[
            tool_call("search_products", query="water bottle"),
            tool_call("get_product", product_id="999"),
        ]
    )
    app = create_app(settings)
    with TestClient(app) as c:
        app.state.runtime.use(model)  # the runtime the app's lifespan made
        first = c.post("/v1/chat", json={"message": "water bottle"}, headers=h(store, "u1")).json()
        assert first["fallback"] == "" and first["tool_calls"][0]["arguments"] == {
            "query": "water bottle"
        }
        assert first["planner"] == "model" and first["writer"] == "template"  # no writer adapter
        # named by its brand
        brands = [p["brand"] for p in first["cited_products"]]
        pick = next(p for p in first["cited_products"] if brands.count(p["brand"]) == 1)
        second = c.post(
            "/v1/chat",
            json={
                "message": f"the {pick['brand']} one please",
                "conversation_id": first["conversation_id"],
            },
            headers=h(store, "u1"),
        ).json()
    replayed = [m for m in model.seen[1] if isinstance(m, ToolMessage)]
    assert replayed and pick["product_id"] in replayed[0].content
    # the model's invented id (999) never reaches a tool: the named product is the one looked up
    assert second["tool_calls"] == [
        {
            **second["tool_calls"][0],
            "name": "get_product",
            "arguments": {"product_id": pick["product_id"]},
        }
    ]


def test_rate_limit_storage_outage_limits_per_process(store_settings, store):
    app = create_app(
        store_settings.model_copy(
            update={"redis_url": "redis://127.0.0.1:9/0", "rate_limit": "1/minute"}
        )
    )
    with TestClient(app) as c:
        codes = [c.get("/v1/products/101", headers=h(store, "u1")).status_code for _ in range(2)]
    assert codes == [200, 429]  # Redis cannot be reached: this process limits on its own


def test_an_internal_bug_costs_one_answer_not_a_500(client, store, monkeypatch):
    from assistant.agent import loop

    def broken(*a, **k):
        raise RuntimeError("bug in composing")

    monkeypatch.setattr(loop, "compose", broken)
    r = client.post("/v1/chat", json={"message": "basmati rice"}, headers=h(store, "u1"))
    assert (
        r.status_code == 200 and r.json()["fallback"] == "error" and "Sorry" in r.json()["answer"]
    )
    conv = client.get(
        f"/v1/conversations/{r.json()['conversation_id']}", headers=h(store, "u1")
    ).json()
    assert [m["role"] for m in conv["messages"]] == ["user", "assistant"]


def test_chunked_body_over_the_limit_is_413(client, store, store_settings):
    before = counts(store_settings)

    def body():
        yield b'{"message": "'
        for _ in range(80):
            yield b"x" * 1000
        yield b'"}'

    r = client.post(
        "/v1/chat", content=body(), headers=h(store, "u1") | {"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert counts(store_settings) == before


def test_valid_json_padded_past_the_limit_writes_nothing(client, store, store_settings):
    before = counts(store_settings)

    def body():
        yield b'{"message": "basmati rice"}'
        for _ in range(80):
            yield b" " * 1000

    r = client.post(
        "/v1/chat", content=body(), headers=h(store, "u1") | {"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert counts(store_settings) == before


def test_model_that_cannot_load_degrades_and_says_why(store_settings, store):
    settings = store_settings.model_copy(
        update={"agent_use_llm": True, "llm_model_path": "/nonexistent/model.gguf"}
    )
    app = create_app(settings)
    with TestClient(app) as c:
        first = c.post("/v1/chat", json={"message": "basmati rice"}, headers=h(store, "u1")).json()
        app.state.runtime.model(wait=True)  # the failed load has finished
        second = c.post("/v1/chat", json={"message": "basmati rice"}, headers=h(store, "u1")).json()
    assert first["fallback"] in ("model_loading", "model_unavailable")
    assert second["fallback"] == "model_unavailable" and "104" in second["cited_product_ids"]
