"""Agent assist: grounded drafts on realistic scenarios, customer summary, and the agent API."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from assistant.cli.support import scenario_met
from assistant.db.models import Order, Product
from assistant.db.support_models import OrderAction
from assistant.services import agent_assist, customer_summary
from tests.assistant.retail import first_order, new_conversation, snapshot

SCENARIOS = Path(__file__).parent / "data" / "agent_scenarios.jsonl"
KNOWN_MISSES: set[str] = set()  # scenario ids allowed to miss an expectation (none now)


def H(keys, who):  # noqa: ANN001, ANN201, N802
    return {"X-API-Key": keys[who]}


def test_scenarios_drafts_are_grounded_and_on_point(db, retail_state) -> None:
    rows = [json.loads(line) for line in SCENARIOS.read_text().splitlines() if line.strip()]
    assert len(rows) >= 20
    before = snapshot(db)
    missed = {}
    for row in rows:
        res = agent_assist.suggest_for_messages(
            db, retail_state, row["user_id"], row["messages"], keep_ungrounded=True
        )
        for s in res["suggestions"]:
            assert s["grounded"], (row["id"], s["kind"], s["problems"], s["text"])
            assert s["sources"], (row["id"], s["kind"])
        ok, why = scenario_met(row["expect"], res)
        if not ok:
            missed[row["id"]] = why
    assert set(missed) <= KNOWN_MISSES, missed
    assert snapshot(db) == before  # drafting never writes


def test_grounding_check_rejects_a_tampered_draft(db, retail_settings) -> None:
    order = first_order(db, "processed")
    order_dict = agent_assist.order_svc.get_order(db, order.id, None)
    draft = agent_assist.check_draft(agent_assist.order_facts_reply(order_dict))
    assert draft["grounded"]
    price = f"{order.items[0].price:.2f} USD"
    for bad in (
        draft["text"].replace(price, "1.00 USD"),  # a price no tool returned
        draft["text"].replace("is processed", "is delivered"),  # the wrong status
        draft["text"].replace(order.id, "#W0000001"),  # an order nobody looked up
    ):
        assert bad != draft["text"]
        redone = agent_assist.check_draft({**draft, "text": bad})
        assert not redone["grounded"] and redone["problems"]
    # naming a catalog product that no tool returned fails too
    ordered = [i.product_id for i in order.items]
    other = db.scalar(
        select(Product.title).where(Product.id.not_in(ordered), Product.title.contains(" "))
    )
    titles = agent_assist._catalog_titles(db)
    assert agent_assist.check_draft(draft, titles)["grounded"]
    named = {**draft, "text": draft["text"] + f"\nYou may also like the {other}."}
    assert not agent_assist.check_draft(named, titles)["grounded"]


def test_foreign_order_in_the_message_is_never_used(db, retail_state) -> None:
    theirs = first_order(db, "pending")
    me = db.scalar(
        select(Order.user_id).where(Order.user_id != theirs.user_id).order_by(Order.user_id)
    )
    res = agent_assist.suggest_for_messages(db, retail_state, me, [f"cancel {theirs.id} please"])
    assert res["order_id"] is None
    assert theirs.id not in " ".join(s["text"] for s in res["suggestions"])


def test_customer_summary_degrades_without_trained_models(db, retail_state) -> None:
    order = first_order(db, "delivered")
    new_conversation(db, order.user_id, "hello")
    summary = customer_summary.customer_summary(db, retail_state, order.user_id)
    assert summary["profile"]["user_id"] == order.user_id
    assert summary["orders"]["count"] >= 1 and summary["orders"]["by_status"]["delivered"] >= 1
    assert len(summary["open_conversations"]) == 1
    pred = summary["behaviour"]["predictor"]
    assert pred["available"] is False and pred["note"]


def test_agent_api_summary_suggestions_and_bad_input(client, keys, db) -> None:
    user = keys["shopper_id"]
    r = client.get(f"/v1/agent/customers/{user}", headers=H(keys, "agent"))
    assert r.status_code == 200 and r.json()["profile"]["user_id"] == user
    assert client.get("/v1/agent/customers/nobody", headers=H(keys, "agent")).status_code == 404
    assert client.get(f"/v1/agent/customers/{user}", headers=H(keys, "shopper")).status_code == 403
    cid = new_conversation(db, user, "I want to cancel my order")
    r = client.get(f"/v1/agent/conversations/{cid}/suggestions", headers=H(keys, "agent"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert 1 <= len(body["suggestions"]) <= 3 and body["intent"] == "cancel"
    assert all(s["grounded"] and s["sources"] for s in body["suggestions"])
    assert (
        client.get(
            f"/v1/agent/conversations/{cid}/suggestions", headers=H(keys, "shopper")
        ).status_code
        == 403
    )
    empty = new_conversation(db, user)
    assert (
        client.get(
            f"/v1/agent/conversations/{empty}/suggestions", headers=H(keys, "agent")
        ).status_code
        == 422
    )
    r = client.get(
        "/v1/agent/policy/search",
        params={"q": "how are cancelled orders refunded?"},
        headers=H(keys, "agent"),
    )
    assert r.status_code == 200 and r.json()["passages"][0]["passage_id"].startswith("policy:")
    assert (
        client.get(
            "/v1/agent/policy/search", params={"q": ""}, headers=H(keys, "agent")
        ).status_code
        == 422
    )


def test_order_actions_over_http(client, keys, db) -> None:
    order = first_order(db, "pending")
    body = {"action": "cancel", "user_id": order.user_id, "reason": "no longer needed"}
    plain = order.id.lstrip("#")
    # widget keys cannot act, unknown orders are 404, the wrong customer is 403, bad bodies 422
    before = snapshot(db)
    assert (
        client.post(
            f"/v1/agent/orders/{plain}/actions", json=body, headers=H(keys, "shopper")
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/v1/agent/orders/W0000000/actions", json=body, headers=H(keys, "agent")
        ).status_code
        == 404
    )
    wrong = body | {"user_id": keys["stranger_id"]}
    assert (
        client.post(
            f"/v1/agent/orders/{plain}/actions", json=wrong, headers=H(keys, "agent")
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/v1/agent/orders/{plain}/actions",
            json=body | {"action": "refund"},
            headers=H(keys, "agent"),
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/v1/agent/actions/confirm",
            json={"confirmation_token": "x" * 20},
            headers=H(keys, "agent"),
        ).status_code
        == 404
    )
    delivered = first_order(db, "delivered")
    r = client.post(
        f"/v1/agent/orders/{delivered.id.lstrip('#')}/actions",
        json={"action": "cancel", "user_id": delivered.user_id, "reason": "no longer needed"},
        headers=H(keys, "agent"),
    )
    assert r.status_code == 409 and "pending" in r.json()["error"]["message"]
    assert snapshot(db) == before
    # propose, then confirm with the token
    r = client.post(f"/v1/agent/orders/{plain}/actions", json=body, headers=H(keys, "agent"))
    assert r.status_code == 200, r.text
    token = r.json()["confirmation_token"]
    assert (
        client.get(f"/v1/agent/orders/{plain}", headers=H(keys, "agent")).json()["status"]
        == "pending"
    )
    assert (
        client.post(
            "/v1/agent/actions/confirm",
            json={"confirmation_token": token},
            headers=H(keys, "agent2"),
        ).status_code
        == 403
    )
    r = client.post(
        "/v1/agent/actions/confirm", json={"confirmation_token": token}, headers=H(keys, "agent")
    )
    assert r.status_code == 200 and r.json()["order"]["status"] == "cancelled"
    detail = client.get(f"/v1/agent/orders/{plain}", headers=H(keys, "agent")).json()
    assert detail["history"][0]["action"] == "cancel" and detail["history"][0]["actor"].startswith(
        "agent-key-"
    )
    db.expire_all()
    assert len(db.scalars(select(OrderAction)).all()) == 1


def test_shopper_order_endpoints_are_scoped(client, keys, db) -> None:
    mine = client.get("/v1/orders", headers=H(keys, "shopper")).json()
    assert mine["count"] >= 1 and all(o["user_id"] == keys["shopper_id"] for o in mine["orders"])
    oid = mine["orders"][0]["order_id"].lstrip("#")
    assert client.get(f"/v1/orders/{oid}", headers=H(keys, "shopper")).status_code == 200
    foreign = client.get(f"/v1/orders/{oid}", headers=H(keys, "stranger"))
    missing = client.get("/v1/orders/W0000000", headers=H(keys, "stranger"))
    assert foreign.status_code == missing.status_code == 404
    assert client.get("/v1/orders?status=bogus", headers=H(keys, "shopper")).status_code == 422
    assert client.get("/v1/orders", headers=H(keys, "agent")).status_code == 400


def test_customer_summary_shows_predictor_scores_when_available(
    db, retail_state, monkeypatch
) -> None:
    """Wiring only: the recommender service's answers reach the summary (its models are tested there)."""
    from datetime import datetime

    from assistant.db.models import Event
    from assistant.services import recs

    order = first_order(db, "delivered")
    pid = order.items[0].product_id
    db.add(
        Event(
            user_id=order.user_id,
            product_id=pid,
            type="view",
            ts=datetime(2026, 11, 1),
            client_event_id="e1",
        )
    )
    db.commit()
    seen = []

    def fake_predict(state, session, user_id, product_id):  # noqa: ANN001, ANN202
        seen.append((user_id, product_id))
        return {
            "product_id": product_id,
            "probability": 0.42,
            "likely": True,
            "basis": "your events on this item",
        }

    monkeypatch.setattr(recs, "predict_purchase", fake_predict)
    churn = {"probability": 0.1, "days": 3.0, "basis": "", "top_features": [], "model": "logistic"}
    monkeypatch.setattr(recs, "churn_risk", lambda s, db_, u: churn)
    pred = customer_summary.customer_summary(db, retail_state, order.user_id)["behaviour"][
        "predictor"
    ]
    assert pred["available"] and "note" not in pred
    assert pred["purchase_intent"] == [
        {
            "product_id": pid,
            "probability": 0.42,
            "likely": True,
            "basis": "your events on this item",
        }
    ]
    assert pred["churn"] == churn and seen == [(order.user_id, pid)]
    # an untrained model becomes a note, never an error
    monkeypatch.setattr(
        recs,
        "predict_purchase",
        lambda *a: (_ for _ in ()).throw(
            recs.ModelMissing("train first: run `shopassist train behavior`")
        ),
    )
    pred = customer_summary.customer_summary(db, retail_state, order.user_id)["behaviour"][
        "predictor"
    ]
    assert "train behavior" in pred["note"] and "purchase_intent" not in pred


def test_eval_agent_replies_command(retail_settings, tmp_path) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app, load_commands
    from assistant.config import get_settings

    rows = [json.loads(x) for x in SCENARIOS.read_text().splitlines()[:2]]
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = {
        "SHOPASSIST_DATA_DIR": str(retail_settings.data_dir),
        "SHOPASSIST_POLICY_PATH": retail_settings.policy_path,
    }
    load_commands()
    get_settings.cache_clear()
    try:
        out = tmp_path / "drafts.jsonl"
        r = CliRunner().invoke(
            app, ["eval", "agent-replies", "--scenarios", str(cases), "--out", str(out)], env=env
        )
        assert r.exit_code == 0, r.output
        assert "2 scenarios" in r.output and "0 ungrounded" in r.output and "met 2/2" in r.output
        drafts = [json.loads(x) for x in out.read_text().splitlines()]
        assert [d["id"] for d in drafts] == ["s01", "s02"] and all(d["suggestions"] for d in drafts)
        cases.write_text('{"id": "x", "messages": ["hi"]}\n{"id": "y"}\n')
        r = CliRunner().invoke(app, ["eval", "agent-replies", "--scenarios", str(cases)], env=env)
        assert r.exit_code == 1 and f"{cases}:2: missing field(s) messages" in r.output
    finally:
        get_settings.cache_clear()
