"""What an experiment arm may change in a chat turn (services/variant.py): the planner's adapter,
the search mode and the learned reranker, the assistant on or off; arms are checked when the
experiment is created."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from analytics.assignment import assign
from assistant.api.app import create_app
from assistant.db.session import session_scope
from assistant.errors import Invalid
from assistant.llm.adapters import known_adapters
from assistant.services import experiments
from assistant.services import search as search_service
from assistant.services.state import AppState
from assistant.services.variant import Variant, variant_of
from tests.assistant.scripted_model import ScriptedModel, tool_call

HALVES = [("a", 0.5), ("b", 0.5)]


def test_an_arm_reads_as_a_variant_and_bad_arms_name_the_valid_choices():
    arm = {"planner": "model", "adapter": "general", "search_mode": "bm25",
           "search_learned": "false", "writer": "templates"}  # fmt: skip
    assert variant_of(arm, ["general"]) == Variant(
        planner="model", writer="templates", adapter="general", search_mode="bm25",
        search_learned=False,
    )  # fmt: skip
    assert variant_of({"assistant_enabled": "false"}).assistant_enabled is False
    assert variant_of({}) == Variant()
    with pytest.raises(Invalid, match="search_mode may be: hybrid, bm25, dense"):
        variant_of({"search_mode": "vector"})
    with pytest.raises(Invalid, match="adapter may be: default, general"):
        variant_of({"adapter": "nope"}, ["general", "default"])
    with pytest.raises(Invalid, match="'serch_mode'; an arm may set planner, writer, adapter"):
        variant_of({"serch_mode": "bm25"})
    with pytest.raises(Invalid, match="search_learned may be: true, false"):
        variant_of({"search_learned": "no"})


def test_bad_arms_are_refused_by_the_admin_endpoint(store_settings, store):
    admin = {"X-API-Key": store["admin"]}
    assert "general" in known_adapters(store_settings)  # shipped in the package

    def create(name: str, settings: dict[str, str]):
        arms = [{"name": "control", "weight": 1}, {"name": "b", "weight": 1, "settings": settings}]
        return c.post("/v1/admin/experiments", json={"name": name, "arms": arms}, headers=admin)

    with TestClient(create_app(store_settings)) as c:
        r = create("bad-adapter", {"planner": "model", "adapter": "nope"})
        assert r.status_code == 409, r.text
        message = r.json()["error"]["message"]
        assert "arm 'b': arm setting adapter='nope' is not valid" in message
        assert "general" in message
        r = create("bad-mode", {"search_mode": "vector"})
        assert r.status_code == 409 and "hybrid, bm25, dense" in r.json()["error"]["message"]
        assert c.get("/v1/admin/experiments/bad-mode", headers=admin).status_code == 404
        r = create("good", {"adapter": "general", "search_mode": "dense"})
        assert r.status_code == 200, r.text


def test_an_arm_chooses_the_adapter_the_model_plans_with_and_can_turn_the_assistant_off(
    store_settings, store
):
    """The runtime's models by adapter (a test's fakes: this is about routing): the arm that
    names the general adapter plans with its model, the other arm with the serving one."""
    with session_scope(store_settings.effective_database_url) as db:
        experiments.create_experiment(db, "adapter-arms", [
            {"name": "serving", "weight": 0.5, "settings": {"planner": "model"}},
            {"name": "general", "weight": 0.5,
             "settings": {"planner": "model", "adapter": "general"}},
        ], adapters=known_adapters(store_settings))  # fmt: skip
        experiments.create_experiment(db, "assistant-off", [
            {"name": "on", "weight": 0.5},
            {"name": "off", "weight": 0.5, "settings": {"assistant_enabled": "false"}},
        ])  # fmt: skip
    assert [assign("adapter-arms", u, HALVES) for u in ("u1", "u2")] == ["a", "b"]
    settings = store_settings.model_copy(update={"agent_fast_path": False})
    app = create_app(settings)
    serving = ScriptedModel(script=[tool_call("search_products", query="rice")])
    general = ScriptedModel(script=[tool_call("search_products", query="rice")])
    with TestClient(app) as c:
        app.state.runtime.use(serving)
        app.state.runtime.use(general, adapter="general")

        def chat(user: str, experiment: str):
            body = {"message": "basmati rice", "experiment": experiment}
            return c.post("/v1/chat", json=body, headers={"X-API-Key": store[user]})

        r = chat("u2", "adapter-arms")
        assert r.status_code == 200, r.text
        assert (r.json()["planner"], r.json()["adapter"]) == ("model", "general")
        assert (general.calls, serving.calls) == (1, 0)
        r = chat("u1", "adapter-arms")
        assert (r.json()["planner"], r.json()["adapter"]) == ("model", None)
        assert (general.calls, serving.calls) == (1, 1)
        # u1 is in the arm without the assistant: the server refuses what the widget hides
        assert [assign("assistant-off", u, HALVES) for u in ("u1", "u2")] == ["b", "a"]
        r = chat("u1", "assistant-off")
        assert r.status_code == 409 and r.json()["error"]["code"] == "assistant_off"
        assert chat("u2", "assistant-off").status_code == 200


def test_an_arm_chooses_how_the_turn_searches(indexed_store):
    """The same search in a bm25 arm and a dense arm: each lists that mode's ranking, and the
    record of the call says which mode ranked it."""
    settings, keys = indexed_store
    query = "steel water bottle for kids"
    with AppState(settings) as state:
        expected = {
            mode: [h.product_id for h in search_service.search(state, query, k=5, mode=mode)]
            for mode in ("bm25", "dense")
        }
    assert expected["bm25"] != expected["dense"]  # the query tells the two modes apart
    with session_scope(settings.effective_database_url) as db:
        experiments.create_experiment(db, "mode-arms", [
            {"name": "bm25", "weight": 0.5, "settings": {"search_mode": "bm25"}},
            {"name": "dense", "weight": 0.5, "settings": {"search_mode": "dense"}},
        ])  # fmt: skip
    assert [assign("mode-arms", u, HALVES) for u in ("u1", "u2")] == ["a", "b"]
    users = {"bm25": "u1", "dense": "u2"}
    chat_settings = settings.model_copy(update={"agent_use_llm": True, "agent_fast_path": False})
    app = create_app(chat_settings)
    with TestClient(app) as c:
        app.state.runtime.use(ScriptedModel(script=[tool_call("search_products", query=query)]))
        for mode, user in users.items():
            body = {"message": query, "experiment": "mode-arms"}
            r = c.post("/v1/chat", json=body, headers={"X-API-Key": keys[user]})
            assert r.status_code == 200, r.text
            call = r.json()["tool_calls"][0]
            assert call["name"] == "search_products" and call["search_mode"] == mode
            assert call["product_ids"] == expected[mode]
        # without the experiment: the settings' mode (hybrid), recorded as such
        r = c.post("/v1/chat", json={"message": query}, headers={"X-API-Key": keys["u1"]})
        assert r.json()["tool_calls"][0]["search_mode"] == "hybrid"
