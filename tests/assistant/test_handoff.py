"""Handoff: the queue, claiming, agent replies the shopper sees, and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assistant.db.models import Conversation, Message
from assistant.errors import Conflict, Forbidden, Invalid, NotFound
from assistant.services import handoff
from tests.assistant.retail import new_conversation


def H(keys, who):  # noqa: ANN001, ANN201, N802
    return {"X-API-Key": keys[who]}


def test_handoff_queues_with_reason_and_summary(db) -> None:
    cid = new_conversation(db, "aarav_brown_3744", "my order never came", "I want a person")
    entry = handoff.handoff(db, cid, "customer asks for a human")
    assert entry["status"] == "queued" and entry["reason"] == "customer asks for a human"
    assert "I want a person" in entry["summary"]  # default summary: what the shopper wrote
    conv = db.get(Conversation, cid)
    assert conv.messages[-1].role == "system"
    # handing off again keeps its place and adds nothing
    n = db.scalar(select(func.count(Message.id)))
    assert handoff.handoff(db, cid, "again")["reason"] == "customer asks for a human"
    assert db.scalar(select(func.count(Message.id))) == n
    with pytest.raises(Invalid):
        handoff.handoff(db, cid, "  ")
    with pytest.raises(NotFound):
        handoff.handoff(db, "no-such-conversation", "x")
    # a shopper handing off someone else's conversation sees "not found"
    with pytest.raises(NotFound):
        handoff.handoff(db, cid, "x", user_id="someone_else")


def test_claim_reply_close_rules(db) -> None:
    cid = new_conversation(db, "aarav_brown_3744", "help")
    with pytest.raises(Conflict):
        handoff.claim(db, cid, "a1")  # not queued yet
    handoff.request_handoff(db, cid, "needs a person", "summary given")
    assert [c["conversation_id"] for c in handoff.list_queue(db)] == [cid]
    with pytest.raises(Conflict, match="claim it first"):
        handoff.reply(db, cid, "a1", "hello")
    assert handoff.claim(db, cid, "a1")["assigned_agent"] == "a1"
    assert handoff.claim(db, cid, "a1")["status"] == "claimed"  # idempotent for the same agent
    with pytest.raises(Conflict, match="already claimed"):
        handoff.claim(db, cid, "a2")
    with pytest.raises(Forbidden):
        handoff.reply(db, cid, "a2", "hello")
    with pytest.raises(Invalid):
        handoff.reply(db, cid, "a1", "   ")
    msg = handoff.reply(db, cid, "a1", "Hi, I am Sam from support.")
    assert msg["role"] == "agent" and msg["author"] == "a1"
    assert handoff.list_queue(db) == [] and handoff.list_queue(db, "claimed", agent="a1")
    with pytest.raises(Invalid):
        handoff.list_queue(db, "open")
    handoff.close(db, cid, "a1")
    with pytest.raises(Conflict):
        handoff.handoff(db, cid, "again")


def test_queue_api_roles_and_shopper_sees_agent_reply(client, keys, db) -> None:
    shopper = keys["shopper_id"]
    cid = new_conversation(db, shopper, "where is my refund?")
    # the shopper asks for a human through the API
    r = client.post(
        f"/v1/conversations/{cid}/handoff",
        json={"reason": "wants a person"},
        headers=H(keys, "shopper"),
    )
    assert r.status_code == 200 and r.json()["status"] == "queued"
    # widget keys and missing keys cannot reach the agent API
    assert client.get("/v1/agent/queue", headers=H(keys, "shopper")).status_code == 403
    assert client.get("/v1/agent/queue").status_code == 401
    assert (
        client.post(f"/v1/agent/conversations/{cid}/claim", headers=H(keys, "shopper")).status_code
        == 403
    )
    queue = client.get("/v1/agent/queue", headers=H(keys, "agent")).json()
    assert [c["conversation_id"] for c in queue["conversations"]] == [cid]
    assert (
        client.post(f"/v1/agent/conversations/{cid}/claim", headers=H(keys, "agent")).status_code
        == 200
    )
    r = client.post(f"/v1/agent/conversations/{cid}/claim", headers=H(keys, "agent2"))
    assert r.status_code == 409 and "claimed" in r.json()["error"]["message"]
    r = client.post(
        f"/v1/agent/conversations/{cid}/reply",
        json={"text": "Hello from a person"},
        headers=H(keys, "agent2"),
    )
    assert r.status_code == 403
    r = client.post(
        f"/v1/agent/conversations/{cid}/reply",
        json={"text": "Hello from a person"},
        headers=H(keys, "agent"),
    )
    assert r.status_code == 200, r.text
    # the shopper's own view of the conversation shows the agent's reply
    view = client.get(f"/v1/conversations/{cid}", headers=H(keys, "shopper")).json()
    assert [m["content"] for m in view["messages"] if m["role"] == "agent"] == [
        "Hello from a person"
    ]
    mine = client.get("/v1/agent/queue?status=claimed&mine=true", headers=H(keys, "agent")).json()
    assert mine["count"] == 1
    assert (
        client.get("/v1/agent/queue?status=claimed&mine=true", headers=H(keys, "agent2")).json()[
            "count"
        ]
        == 0
    )


def test_shopper_cannot_hand_off_a_foreign_conversation(client, keys, db) -> None:
    cid = new_conversation(db, keys["shopper_id"], "hello")
    r = client.post(
        f"/v1/conversations/{cid}/handoff", json={"reason": "x"}, headers=H(keys, "stranger")
    )
    assert r.status_code == 404
    db.expire_all()
    assert db.get(Conversation, cid).status == "open"
    r = client.post(
        f"/v1/conversations/{cid}/handoff", json={"reason": ""}, headers=H(keys, "shopper")
    )
    assert r.status_code == 422
    for path in ("/v1/agent/conversations/nope", "/v1/agent/conversations/nope/suggestions"):
        assert client.get(path, headers=H(keys, "agent")).status_code == 404
    r = client.post(
        "/v1/agent/conversations/nope/reply", json={"text": "hi"}, headers=H(keys, "agent")
    )
    assert r.status_code == 404
