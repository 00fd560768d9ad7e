"""The conversation is the context: choices among shown products, the latest order without an id,
and ids nobody gave rejected before a tool runs (rules plan and the model plan's post-check)."""

from __future__ import annotations

import pytest

from assistant.agent import choice, grounding
from assistant.agent.loop import Agent
from assistant.agent.memory import ShownProducts
from assistant.agent.turn import Token, ToolCalled, TurnDone
from assistant.agent.writer import Writer
from assistant.db.session import session_scope
from assistant.services.products import get_cards
from assistant.tools.arguments import Catalog
from assistant.tools.context import ToolContext
from assistant.tools.postcheck import ImplausibleCall, check_call
from tests.assistant.scripted_model import ScriptedModel, tool_call

BOTTLES = ["101", "102", "103"]  # Cello 180 (4.2), Milton 450 (4.5), Cello Kids 99 (3.9)


@pytest.fixture
def ctx(store_settings, store_state, store):
    with session_scope(store_settings.effective_database_url) as db:
        yield ToolContext(store_state, db, user_id="u1", role="widget", conversation_id=None)


def shown_of(ctx, ids):
    shown = ShownProducts()
    shown.add_list(get_cards(ctx.db, list(ids)))
    return shown


def turn(ctx, text, shown=None, model=None):
    """(events, result) of one turn; the rules plan without a model."""
    agent = Agent(model, fast_path=model is None)
    events = list(agent.run(ctx, text, [], shown))
    result = events[-1].result
    ev = grounding.evidence_from_results(o.result for o in result.outcomes if o.ok)
    assert grounding.check(result.answer, ev).ok, result.answer
    return events, result


def names(result):
    return [o.name for o in result.outcomes]


@pytest.mark.parametrize(
    "text, ids, chosen",
    [
        ("which one would you recommend for me and why?", ["101", "102"], "102"),  # best rated
        ("which one", ["101", "102"], "102"),
        ("the cheaper one", ["101", "102"], "101"),
        ("which of these is the cheapest?", BOTTLES, "103"),
        ("the one for kids", BOTTLES, "103"),
        ("which one is good for children?", BOTTLES, "103"),
        ("which would you pick, honestly?", BOTTLES, "102"),
    ],
)
def test_a_choice_is_made_among_the_shown_products(ctx, text, ids, chosen):
    for model in (None, ScriptedModel(script=[tool_call("recommend_for_user")])):
        _, result = turn(ctx, text, shown_of(ctx, ids), model)
        assert names(result) == ["compare_products"], text
        assert result.tool_calls()[0]["arguments"]["product_ids"] == ids
        first_line = result.answer.splitlines()[0]
        assert f"[{chosen}]" in first_line and first_line.count("[") == 1, result.answer
        assert result.cited_product_ids[0] == chosen


@pytest.mark.parametrize(
    "misread",
    [
        tool_call("recommend_for_user"),
        tool_call("predict_purchase", product_id="101"),
        tool_call("explain_recommendation", product_id="102"),
        tool_call("search_products", query="water bottle for me"),
    ],
)
def test_the_model_plan_cannot_turn_a_choice_into_another_request(ctx, misread):
    shown = shown_of(ctx, ["101", "102"])
    model = ScriptedModel(script=[misread])
    _, result = turn(ctx, "which one would you recommend for me and why?", shown, model)
    assert result.fallback == "invalid_call" and names(result) == ["compare_products"]
    assert "I'd go for Steel Water Bottle 750 ml [102]" in result.answer


def test_a_choice_that_names_an_attribute_no_product_has_says_so(ctx):
    _, result = turn(ctx, "which one is best for camping?", shown_of(ctx, BOTTLES))
    assert result.answer.startswith("None of the 3 shown mentions camping.")
    assert "[102]" in result.answer.splitlines()[0]


def test_a_new_request_or_an_explanation_is_not_a_choice(ctx):
    shown = shown_of(ctx, ["101", "102"])
    assert shown.choice_among("which is the best basmati rice?") == []  # not about the bottles
    assert shown.choice_among("why did you pick the Milton one?") == []
    assert shown.choice_among("tell me more about the first one") == []
    assert shown_of(ctx, ["101"]).choice_among("which one is better?") == []  # one product
    _, result = turn(ctx, "tell me more about the cheaper one", shown)
    assert result.tool_calls()[0] == {
        "name": "get_product",
        "arguments": {"product_id": "101"},
        "ok": True,
        "ms": result.tool_calls()[0]["ms"],
    }
    _, result = turn(ctx, "anything similar to the last one?", shown)
    assert names(result) == ["similar_products"]


def test_choice_criteria():
    assert choice.criterion("which one is more budget friendly?") == "cheapest"
    assert choice.criterion("which is the premium one") == "priciest"
    assert choice.criterion("which has better reviews?") == "best_rated"
    assert choice.criterion("which one is available now") == "in_stock"
    assert choice.attribute_words("which one would you recommend for me and why?") == []
    assert choice.attribute_words("the one for dry skin") == ["dry", "skin"]
    assert choice.attribute_words("the herbal one") == ["herbal"]


@pytest.mark.parametrize(
    "text", ["where is my last order?", "my package", "any news on my recent order?"]
)
def test_the_latest_order_in_words(ctx, text):
    _, result = turn(ctx, text)
    assert names(result) == ["list_my_orders"]
    assert result.answer.startswith("Your most recent order is #W1000002: pending")
    assert "You have 2 orders" in result.answer


@pytest.mark.parametrize("invented", ["last_order", "recent", "#W9999999", "last week"])
def test_an_invented_order_id_never_reaches_a_tool(ctx, invented):
    model = ScriptedModel(script=[tool_call("get_order_status", order_id=invented)])
    events, result = turn(ctx, "where is my last order?", None, model)
    called = [e for e in events if isinstance(e, ToolCalled)]
    assert all(e.name != "get_order_status" for e in called)
    assert result.fallback == "invalid_call" and names(result) == ["list_my_orders"]
    assert "#W1000002" in result.answer


def test_an_order_id_from_the_conversation_may_be_looked_up(ctx):
    shown = ShownProducts()
    shown.note_text("Your orders:\n- Order #W1000001: delivered, total ₹180")
    model = ScriptedModel(script=[tool_call("get_order_status", order_id="#W1000001")])
    _, result = turn(ctx, "what was in that delivered one?", shown, model)
    assert result.tool_calls()[0]["arguments"] == {"order_id": "#W1000001"}
    assert not result.fallback


def test_invented_product_ids_are_rejected_before_the_tool_runs(ctx):
    shown = shown_of(ctx, BOTTLES)
    # a price from the conversation passed as a product id
    model = ScriptedModel(script=[tool_call("compare_products", product_ids=["103", "388.88"])])
    events, result = turn(ctx, "compare it with the Milton one", shown, model)
    called = [e.arguments for e in events if isinstance(e, ToolCalled)]
    assert called and all("388.88" not in str(a) for a in called)
    assert result.fallback == "invalid_call"
    model = ScriptedModel(script=[tool_call("compare_products", product_ids=["62", "388.88"])])
    _, result = turn(ctx, "compare the second and the third", shown, model)
    assert result.tool_calls()[0]["arguments"]["product_ids"] == ["102", "103"]
    # the rules: a single id nobody gave
    catalog = Catalog()
    with pytest.raises(ImplausibleCall):
        check_call("compare_products", {"product_ids": ["101", "555"]}, "compare", shown, catalog)
    with pytest.raises(ImplausibleCall):
        check_call("predict_purchase", {"product_id": "62"}, "would I buy it?", shown, catalog)
    assert check_call(
        "compare_products", {"product_ids": ["101", "555"]}, "compare 101 and 555", shown, catalog
    ) == {"product_ids": ["101", "555"]}
    assert check_call(
        "get_order_status", {"order_id": "#W1000002"}, "status of W1000002?", shown, catalog
    ) == {"order_id": "#W1000002"}


def test_a_search_answer_presents_only_the_hits_that_match():
    from assistant.agent.compose import compose
    from assistant.tools.registry import ToolOutcome

    def card(pid, match, category, related=None):
        return {"product_id": pid, "title": f"Item {pid}", "brand": "", "category": category,
                "price": 10.0, "currency": "INR", "rating": None, "rating_count": 0,
                "in_stock": True, "image_url": "", "relevance": 0.9 if match else 0.2,
                "match": match, "related": match if related is None else related}  # fmt: skip

    def search(*cards):
        result = {"query": "headache relief", "filters": {}, "products": list(cards)}
        return compose([ToolOutcome("search_products", {}, True, result)])

    answer = search(card("1", False, "Beauty > Skin > Tissues"), card("2", False, "Hair > Care"))
    assert answer.startswith('I couldn\'t find anything that matches "headache relief"')
    assert "The closest section is Skin > Tissues." in answer and "[" not in answer
    answer = search(card("1", False, "A > B"), card("2", True, "A > B"))
    assert "[2]" in answer and "[1]" not in answer
    # once something matches, a related hit is shown beside it
    answer = search(card("1", True, "A"), card("2", False, "A", True), card("3", False, "A"))
    assert "[1]" in answer and "[2]" in answer and "[3]" not in answer
    judged = ("match", "related", "relevance")
    unjudged = {k: v for k, v in card("1", False, "A").items() if k not in judged}
    assert "[1]" in search(unjudged)  # no relevance known (keyword search): presented


def test_orders_listed_earlier_are_named_by_position(ctx):
    shown = ShownProducts()
    shown.note_text("Your orders:\n- Order #W1000001: delivered\n- Order #W1000002: pending")
    _, result = turn(ctx, "what's inside the second one?", shown)
    assert result.tool_calls()[0]["arguments"] == {"order_id": "#W1000002"}
    shown.add_list(get_cards(ctx.db, ["101", "102"]))  # products shown since: they are "the second"
    _, result = turn(ctx, "what's inside the second one?", shown)
    assert result.tool_calls()[0]["arguments"] == {"product_id": "102"}


def test_an_anonymous_shopper_asking_for_their_order_is_told_to_sign_in(ctx):
    ctx.user_id = None
    _, result = turn(ctx, "where is my order from yesterday?")
    assert names(result) == ["list_my_orders"] and "signed-in" in result.answer


def test_a_shown_product_named_by_its_price(ctx):
    shown = shown_of(ctx, BOTTLES)
    _, result = turn(ctx, "tell me more about the ₹99 one", shown)
    assert result.tool_calls()[0]["arguments"] == {"product_id": "103"}
    _, result = turn(ctx, "compare 180 and 450", shown)
    assert result.tool_calls()[0]["arguments"] == {"product_ids": ["101", "102"]}
    _, result = turn(ctx, "water bottles under 180 rupees", shown)  # a price filter, not a name
    assert names(result) == ["search_products"]


def test_orders_without_distinct_dates_are_listed_not_ranked():
    from assistant.agent.compose import compose
    from assistant.tools.registry import ToolOutcome

    same = "2026-01-01T00:00:00"
    orders = [
        {"order_id": f"#W100000{i}", "status": "pending", "total": None, "currency": "INR",
         "created_at": same, "items": []}
        for i in (1, 2)
    ]  # fmt: skip
    result = {"status_filter": None, "count": 2, "orders": orders}
    answer = compose([ToolOutcome("list_my_orders", {}, True, result)], "where is my last order?")
    assert answer.startswith("I can't tell which order came last")
    assert "#W1000001" in answer and "#W1000002" in answer


class _Pieces:
    """A backend that streams fixed pieces and records the copy rule it was given (the loop's
    streaming and its grounding gate are what is tested here, not a model)."""

    def __init__(self, pieces):
        self.pieces, self.rules, self.prompts = pieces, [], []

    def stream(self, messages, options=None, adapter=None, prefix="", copy_rule=None):
        self.rules.append(copy_rule)
        self.prompts.append(messages[-1]["content"])
        yield from self.pieces


def test_the_writer_streams_its_pieces_and_a_grounded_answer_is_kept(ctx):
    backend = _Pieces(["The cheaper one is ", "Cello", " [101] at ₹180."])
    agent = Agent(None, writer=Writer(backend, "writer"))
    events = list(agent.run(ctx, "the cheaper one", [], shown_of(ctx, ["101", "102"])))
    tokens = [e.text for e in events if isinstance(e, Token)]
    result = events[-1].result
    assert tokens == backend.pieces and isinstance(events[-1], TurnDone)
    assert result.writer == "model" and result.answer == "".join(backend.pieces)
    assert backend.rules[0] is not None and backend.rules[0].accepts(result.answer)


def test_a_written_answer_that_fails_grounding_is_replaced_by_the_template(ctx):
    backend = _Pieces(["The cheaper one is [101] at ₹99."])  # a price no result states
    agent = Agent(None, writer=Writer(backend, "writer"))
    _, result = turn_with(agent, ctx, "the cheaper one", ["101", "102"])
    assert result.writer == "template" and "₹99" not in result.answer
    assert result.problems and "101" in result.cited_product_ids


@pytest.mark.parametrize(
    "written",
    [
        "Steel Water Bottle 750 ml [102] costs ₹450.",  # grounded, another product first
        "The cheaper one is Water Bottle - Orange 1 L [101].",  # grounded, the price dropped
        # the lead kept, then a claim made of copied facts that is false (102 is rated higher)
        "The cheaper one is Water Bottle - Orange 1 L [101], at ₹180. It is also the better "
        "rated of the two, 4.5/5.",
    ],
)
def test_a_written_answer_that_drops_the_lead_falls_back_to_the_template(ctx, written):
    backend = _Pieces([written])
    agent = Agent(None, writer=Writer(backend, "writer"))
    _, result = turn_with(agent, ctx, "the cheaper one", ["101", "102"])
    lead = "The cheaper one is Water Bottle - Orange 1 L [101], at ₹180."
    assert backend.prompts[0].endswith(f"\nAnswer with: {lead}")  # the writer got the lead
    assert result.writer == "template" and result.answer.startswith(lead)
    assert result.cited_product_ids[0] == "101" and result.problems


def test_the_lead_then_the_true_sentence_is_kept_as_written(ctx):
    written = (
        "The cheaper one is Water Bottle - Orange 1 L [101], at ₹180. The other one, Steel "
        "Water Bottle 750 ml [102], costs ₹450 and is rated 4.5/5."
    )
    agent = Agent(None, writer=Writer(_Pieces([written]), "writer"))
    _, result = turn_with(agent, ctx, "the cheaper one", ["101", "102"])
    assert result.writer == "model" and result.answer == written and not result.problems


def turn_with(agent, ctx, text, ids):
    events = list(agent.run(ctx, text, [], shown_of(ctx, ids)))
    return events, events[-1].result
