"""The 11 contract tools over the database: validated, structured, failures become results."""

from __future__ import annotations

import pytest

from assistant.agent.compose import compose
from assistant.config import Settings
from assistant.db.session import session_scope
from assistant.services.state import AppState
from assistant.tools.context import ToolContext
from assistant.tools.contract import TOOL_NAMES
from assistant.tools.registry import TOOLS, execute, langchain_tools


@pytest.fixture
def ctx(store_settings: Settings, store_state: AppState, store):
    with session_scope(store_settings.effective_database_url) as db:
        yield ToolContext(store_state, db, user_id="u1", role="widget")


def test_every_contract_tool_has_a_documented_implementation():
    assert set(TOOLS) == set(TOOL_NAMES)
    assert all((f.__doc__ or "").strip() for f in TOOLS.values())


def test_get_and_compare(ctx):
    out = execute(ctx, "get_product", {"product_id": "102"})
    assert (
        out.ok
        and out.result["product"]["brand"] == "Milton"
        and out.result["product"]["price"] == 450.0
    )
    out = execute(ctx, "compare_products", {"product_ids": ["101", "102"]})
    assert out.ok and out.result["table"]["price"] == {"101": 180.0, "102": 450.0}


def test_search_returns_catalog_cards_with_filters(ctx):
    out = execute(ctx, "search_products", {"query": "water bottle", "max_price": 200})
    assert out.ok, out.error
    ids = [p["product_id"] for p in out.result["products"]]
    assert ids and set(ids) <= {"101", "103"}
    assert all(p["price"] <= 200 for p in out.result["products"])


def test_bad_arguments_and_unknown_tools_become_errors(ctx):
    out = execute(ctx, "search_products", {"query": "x", "min_price": 500, "max_price": 100})
    assert not out.ok and "min_price" in out.error
    out = execute(ctx, "get_product", {"product_id": "101", "user_id": "u2"})
    assert not out.ok and "user_id" in out.error  # the user is never an argument
    out = execute(ctx, "delete_everything", {})
    assert not out.ok and "unknown tool" in out.error
    out = execute(ctx, "get_product", {"product_id": "nope"})
    assert not out.ok and "not found" in out.error
    out = execute(ctx, "compare_products", {"product_ids": ["101", "zzz"]})
    assert not out.ok and "zzz" in out.error
    assert out.for_model() == {"error": out.error}


def test_orders_are_the_sessions_own(ctx):
    out = execute(ctx, "list_my_orders", {})
    assert out.ok and {o["order_id"] for o in out.result["orders"]} == {"#W1000001", "#W1000002"}
    out = execute(ctx, "list_my_orders", {"status": "pending"})
    assert [o["order_id"] for o in out.result["orders"]] == ["#W1000002"]
    assert "others" not in out.result
    none = execute(ctx, "list_my_orders", {"status": "cancelled"}).result
    assert none["orders"] == [] and {o["order_id"] for o in none["others"]} == {
        "#W1000001",
        "#W1000002",
    }  # none cancelled: where the shopper's orders are instead
    assert (
        execute(ctx, "get_order_status", {"order_id": "#W1000001"}).result["order"]["status"]
        == "delivered"
    )
    foreign = execute(ctx, "get_order_status", {"order_id": "#W2000001"})
    assert not foreign.ok and "not found" in foreign.error


def test_agents_see_any_order_and_anonymous_has_none(ctx):
    agent = ToolContext(ctx.state, ctx.db, user_id=None, role="agent")
    assert execute(agent, "get_order_status", {"order_id": "W2000001"}).ok
    anon = ToolContext(ctx.state, ctx.db, user_id=None, role="widget")
    out = execute(anon, "list_my_orders", {})
    assert not out.ok and "signed-in" in out.error
    assert not execute(anon, "get_order_status", {"order_id": "#W1000001"}).ok


def test_failing_engine_is_a_result_not_a_crash(ctx, monkeypatch):
    from assistant.tools import catalog

    def boom(*a, **k):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(catalog.catalog, "get_cards", boom)
    out = execute(ctx, "compare_products", {"product_ids": ["101", "102"]})
    assert not out.ok and "index exploded" in out.error


def test_handoff_queues_the_conversation(ctx):
    from assistant.db.models import Conversation

    ctx.db.add(Conversation(id="c-1", user_id="u1"))
    ctx.db.commit()
    ctx.conversation_id = "c-1"
    out = execute(ctx, "handoff_to_human", {"reason": "wants a person"})
    assert out.ok, out.error
    assert ctx.db.get(Conversation, "c-1").status == "queued"


def test_langchain_tools_are_typed(ctx):
    tools = {t.name: t for t in langchain_tools(ctx)}
    assert set(tools) == set(TOOL_NAMES)
    assert tools["get_product"].invoke({"product_id": "108"})["product"]["brand"] == "Amul"


def test_search_and_similar_use_the_real_index(ctx):
    from assistant.services import search as search_service

    search_service.build_index(ctx.settings, ctx.db)
    out = execute(ctx, "search_products", {"query": "rice", "max_price": 240})
    assert out.ok and "note" not in out.result  # the engine answered, not the keyword fallback
    assert [p["product_id"] for p in out.result["products"]][:1] == ["105"]
    assert all(p["price"] <= 240 for p in out.result["products"])
    out = execute(ctx, "similar_products", {"product_id": "101", "k": 2})
    assert out.ok and "101" not in [p["product_id"] for p in out.result["products"]]
    assert len(out.result["products"]) == 2
    out = execute(ctx, "search_products", {"query": "bottle", "brand": "Milton"})
    assert [p["product_id"] for p in out.result["products"]] == ["102"]
    # a kind of product no title names: hits come back, none of them is a match
    out = execute(ctx, "search_products", {"query": "steel helmet"})
    assert out.ok and out.result["products"]
    assert not any(p["match"] or p["related"] for p in out.result["products"])
    out = execute(ctx, "search_products", {"query": "steel bottle"})
    assert out.result["products"][0]["match"]


def test_recommendations_degrade_to_popular_items_without_a_model(ctx):
    out = execute(ctx, "recommend_for_user", {"k": 3})
    assert out.ok, out.error
    assert out.result["strategy"] == "popular" and len(out.result["products"]) == 3
    out = execute(ctx, "recommend_for_user", {"category": "Rice"})
    assert {p["product_id"] for p in out.result["products"]} == {"104", "105"}
    out = execute(ctx, "explain_recommendation", {"product_id": "104"})
    # no recommender yet: the product with no recorded reason (said plainly), not an error
    assert out.ok, out.error
    assert out.result["product"]["product_id"] == "104"
    assert out.result["explanation"]["evidence"] == []
    answer = compose([out], "why this one for me?")
    assert "[104]" in answer and "no recorded evidence" in answer


def test_a_brand_is_named_only_as_whole_words():
    from assistant.tools.arguments import Hints

    brands = ["Tata", "Tata Sampann", "Amul", "B"]
    assert Hints("tata sampann dal please", brands=brands).brand_in_text() == "Tata Sampann"
    assert Hints("tata-salt 1kg", brands=brands).brand_in_text() == "Tata"
    assert Hints("amultiple offers", brands=brands).brand_in_text() is None  # inside a word
    assert Hints("amul.", brands=brands).brand_in_text() == "Amul"
    assert Hints("plan b", brands=brands).brand_in_text() is None  # one letter: never a brand
