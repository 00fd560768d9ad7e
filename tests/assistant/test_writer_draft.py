"""Draft, then write: the lead the templates decide, the writer's one extra sentence (known
answers on small cards), and the writer's SFT examples keeping the copy rule the decoder
enforces."""

from __future__ import annotations

import pytest

from assistant.agent.compose import compose
from assistant.agent.draft import keeps_draft, keeps_lead, lead, listed_rest, main_result
from assistant.demo import DEMO_POLICY, DemoConfig, generate
from assistant.llm.copy_constraint import CopyRule, LeadRule
from assistant.tools.registry import ToolOutcome
from finetune.answer_data import CAPITAL_WORDS, build_writer_data, copyable
from finetune.answers import LEAD, writer_prompt
from finetune.follow_up import follow_up, target, true_sentences


def card(pid: str, title: str, price: float, rating: float, **more: object) -> dict:
    return {"product_id": pid, "title": title, "brand": "Acme", "category": "Home > Bottles",
            "price": price, "currency": "INR", "rating": rating, "rating_count": 10,
            "in_stock": True, "image_url": "", **more}  # fmt: skip


A = card("1", "Steel Bottle", 45, 4.0)
B = card("2", "Glass Bottle", 60, 4.5)
C = card("3", "Kids Bottle", 80, 3.9)


def compared(*cards: dict) -> list:
    return [("compare_products", {"products": list(cards), "table": {}})]


def order(oid: str, status: str, day: str, **more: object) -> dict:
    return {"order_id": oid, "status": status, "total": 180.0, "currency": "INR",
            "created_at": f"{day}T10:00:00", "items": [{"name": "Steel Bottle"}],
            "tracking": [], **more}  # fmt: skip


POLICY = [("search_policy", {"question": "returns?", "passages": [
    {"passage_id": "p", "doc": "policy", "heading": "Returns", "section": "Returns",
     "text": "Delivered orders can be returned. Refunds take 5 to 7 business days."}]})]  # fmt: skip
NO_MATCH = [("search_products", {"query": "tent", "filters": {}, "products": [
    {**A, "match": False, "related": False, "relevance": 0.1}]})]  # fmt: skip


@pytest.mark.parametrize(
    ("question", "results", "expected"),
    [
        ("which one is cheapest?", compared(A, B, C), "The cheapest one is Steel Bottle [1], at ₹45."),
        ("which one would you recommend?", compared(A, B, C),
         "I'd go for Glass Bottle [2]: it has the best rating of the 3, 4.5/5, at ₹60."),
        ("the one for kids", compared(A, B, C),
         "For kids, Kids Bottle [3] fits: its listing says kids."),
        ("compare them", compared(A, B),
         "The cheaper one is Steel Bottle [1]. The better rated one is Glass Bottle [2]."),
        ("compare them", compared(A, C),  # one wins both: the other is named too
         "Steel Bottle [1] is both cheaper and better rated than Kids Bottle [3]."),
        ("how much is it?", [("get_product", {"product": A})], "Steel Bottle [1] costs ₹45."),
        ("tell me more", [("get_product", {"product": A})], "Steel Bottle by Acme, ₹45, rated 4/5 [1]."),
        ("tent", NO_MATCH, 'I couldn\'t find anything that matches "tent" in the catalog.'),
        ("where is my last order?",
         [("list_my_orders", {"count": 2, "orders": [order("#W2", "pending", "2026-02-01"),
                                                     order("#W1", "delivered", "2026-01-01")]})],
         "Your most recent order is #W2: pending, total ₹180 (Steel Bottle)."),
        ("where is my last order?",  # no distinct dates: the lead goes on to name an order
         [("list_my_orders", {"count": 2, "orders": [order("#W2", "pending", "2026-01-01"),
                                                     order("#W1", "delivered", "2026-01-01")]})],
         "I can't tell which order came last: they have no distinct order dates. Your orders: "
         "Order #W2: pending, total ₹180 (Steel Bottle)."),
        ("returns?", POLICY, "From the store policy (Returns): Delivered orders can be returned."),
        ("how many days do refunds take?", POLICY,  # the sentence that answers, not the first
         "From the store policy (Returns): Refunds take 5 to 7 business days."),
        ("when is my money back?",  # the search's highlight, even with no word in common
         [("search_policy", {"passages": [{**POLICY[0][1]["passages"][0],
           "highlight": "Refunds take 5 to 7 business days."}]})],
         "From the store policy (Returns): Refunds take 5 to 7 business days."),
    ],
)  # fmt: skip
def test_the_lead_is_the_templates_decided_opening(question, results, expected):
    assert lead(question, results) == expected


def test_the_main_result_is_the_first_answered_tool_in_call_order():
    results = [("search_products", {"products": []}), ("add_to_cart", {}),
               ("get_product", {"product": A}), ("search_products", {"products": [B]})]  # fmt: skip
    assert main_result(results) == ("get_product", {"product": A})
    assert main_result([("view_cart", {})]) is None and lead("hi", []) == ""


@pytest.mark.parametrize(
    ("question", "results", "expected"),
    [
        ("which one is cheapest?", compared(A, B, C), "The best rated of these is Glass Bottle [2], 4.5/5."),
        ("which one would you recommend?", compared(A, B, C),
         "The cheapest of these is Steel Bottle [1], at ₹45."),
        ("which one would you recommend?", compared(B, card("4", "Tin Bottle", 90, 4.1)),
         "The other one, Tin Bottle [4], costs ₹90 and is rated 4.1/5."),
        ("which is the cheaper one?", compared(A, B),
         "The other one, Glass Bottle [2], costs ₹60 and is rated 4.5/5."),
        ("compare them", compared(A, B), "That is ₹45 against ₹60, and 4.5/5 against 4/5."),
        ("compare them", compared(A, C), "That is ₹45 against ₹80, and 4/5 against 3.9/5."),
        ("how much is it?", [("get_product", {"product": A})], "It is rated 4/5."),
        ("how is it rated?", [("get_product", {"product": A})], "It costs ₹45."),
        ("tell me more", [("get_product", {"product": {**A, "description": "Keeps water cold. 1 L."}})],
         "Keeps water cold."),
        ("bottles", [("search_products", {"query": "bottles", "products": [C, A, B]})],
         "The cheapest of these is Steel Bottle [1], at ₹45."),
        ("tent", NO_MATCH, "The closest section is Home > Bottles."),
        ("status of #W1?",
         [("get_order_status", {"order": order("#W1", "processed", "2026-01-01",
                                               tracking=[{"tracking_ids": ["TRK1"]}])})],
         "Its tracking number is TRK1."),
        ("returns?", POLICY, "Refunds take 5 to 7 business days."),
    ],
)  # fmt: skip
def test_the_follow_up_is_one_true_sentence_from_the_results(question, results, expected):
    said = lead(question, results)
    assert follow_up(question, results, said) == expected
    prompt = writer_prompt(question, results)
    answer = target(question, results, prompt.lead)
    assert answer == f"{said} {expected}" and copyable(answer, prompt.facts)
    assert CopyRule(prompt.facts.spans, CAPITAL_WORDS).accepts(answer)
    assert prompt.messages[-1]["content"].endswith(f"\n{LEAD}{said}")


def test_a_written_answer_keeps_the_lead_only_with_its_facts_and_first_product():
    said = "The cheaper one is Steel Bottle [1], at ₹45."
    assert keeps_lead(said + " The other one, Glass Bottle [2], is rated higher, 4.5/5.", said)
    assert keeps_lead("Steel Bottle [1] is the cheaper one, at ₹45.", said)  # reworded
    assert not keeps_lead("The cheaper one is Steel Bottle [1].", said)  # the price dropped
    assert not keeps_lead("Glass Bottle [2] or Steel Bottle [1], at ₹45.", said)  # another first
    no_match = 'I couldn\'t find anything that matches "tent" in the catalog.'
    assert keeps_lead(no_match + " The closest section is Home > Bottles.", no_match)
    assert not keeps_lead('Try Steel Bottle [1] for "tent".', no_match)  # presents a product
    policy = "From the store policy (Returns): Delivered orders can be returned."
    assert keeps_lead("The store policy says delivered orders can be returned.", policy)
    assert not keeps_lead("Refunds take 5 to 7 business days.", policy)


def test_a_written_order_list_is_followed_by_the_orders_it_left_out():
    orders = {
        "count": 3,
        "orders": [
            order("#W1003", "shipped", "2026-03-01"),
            order("#W1002", "pending", "2026-02-01"),
            order("#W1001", "delivered", "2026-01-01"),
        ],
    }
    template = compose([ToolOutcome("list_my_orders", {}, True, orders)], "show me my orders")
    written = "Your orders: #W1003 is shipped, total ₹180 (Steel Bottle). Ask me about any of them."
    rest = listed_rest(template, written)
    assert [line.split(":")[0] for line in rest] == ["- Order #W1002", "- Order #W1001"]
    assert listed_rest(template, written + " #W1002 and #W1001 too.") == []
    # a product list's other items are shown as cards, not told again
    search = "Here is what I found:\n1. Steel Bottle [1]\n2. Glass Bottle [2]"
    assert listed_rest(search, "Steel Bottle [1] is the one.") == []


def test_a_written_answer_keeps_the_draft_only_with_the_true_sentence_after_the_lead():
    said = "The cheaper one is Steel Bottle [1], at ₹45."
    true = "The other one, Glass Bottle [2], costs ₹60 and is rated 4.5/5."
    tails = [true, "Glass Bottle [2] costs ₹60 and is rated 4.5/5."]
    assert keeps_draft(f"{said} {true}", said, tails) and keeps_draft(said, said, tails)
    assert keeps_draft(f"{said}  The other one, Glass Bottle [2], also costs ₹60 and is rated "
                       "4.5/5", said, tails)  # fmt: skip
    assert keeps_draft(f"{said} {tails[1]}", said, tails)
    # each fact copied, the claim false: Steel Bottle is rated 4/5
    assert not keeps_draft(f"{said} It is also the better rated of the two, 4.5/5.", said, tails)
    assert not keeps_draft(f"{said} {true} {tails[1]}", said, tails)  # more than one


def test_after_the_lead_the_decoder_lets_the_writer_add_only_a_true_sentence():
    results, question = compared(A, B, C), "which one is cheapest?"
    said = lead(question, results)  # The cheapest one is Steel Bottle [1], at ₹45.
    true = true_sentences(question, results, said)
    assert true[0] == follow_up(question, results, said)
    assert "The best rated of these is Glass Bottle [2], 4.5/5." in true
    assert "Steel Bottle [1] costs ₹45 and is rated 4/5." in true
    prompt = writer_prompt(question, results)
    rule = LeadRule(prompt.facts.spans, CAPITAL_WORDS, said, true)
    assert rule.accepts(said) and all(rule.accepts(f"{said} {t}") for t in true)
    for false in (
        "The best rated of these is Kids Bottle [3], 3.9/5.",  # each fact copied, claim false
        "It is also the best rated of these, 4/5.",
        "The other one, Glass Bottle [2], costs ₹60 and is rated 4.5/5.",  # of three
    ):
        assert CopyRule(prompt.facts.spans, CAPITAL_WORDS).accepts(f"{said} {false}")
        assert not rule.accepts(f"{said} {false}") and false not in true
    assert not rule.accepts(f"{said} {true[0]} {true[1]}")  # one sentence after the lead
    assert rule.accepts("Steel Bottle [1] is the cheapest, at ₹45.")  # reworded: the copy rule


def test_every_writer_example_passes_the_copy_rule_of_the_decoder():
    """build_writer_data checks each target with copyable() and the decoder's own automaton
    (CopyRule over the prompt's spans) and raises on a break: building is the test."""
    store = generate(DemoConfig(products=300, users=10, days=3))
    orders = [
        {**{k: o[k] for k in ("order_id", "status", "total", "currency", "created_at")},
         "items": [{"name": i["name"]} for i in o["items"]],
         "tracking": [{"tracking_ids": f["tracking_id"]} for f in o["fulfillments"]]}
        for o in store.orders
    ]  # fmt: skip
    rows = build_writer_data([dict(p) for p in store.products], orders,
                             DEMO_POLICY.read_text(encoding="utf-8"), 300, seed=5)  # fmt: skip
    assert {r["kind"] for r in rows} >= {
        "choice", "compare", "attribute", "about", "search", "no_match", "latest_order",
        "order_status", "policy", "recommend", "explain", "similar",
    }  # fmt: skip
    extra = 0
    for r in rows:
        said = r["messages"][-1]["content"].rsplit(f"\n{LEAD}", 1)[1]
        assert r["target"].startswith(said)
        extra += len(r["target"]) > len(said)
    assert extra >= 0.8 * len(rows)  # nearly every target adds a sentence of its own
