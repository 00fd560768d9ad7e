"""The grounding check: facts in answers must come from this turn's tool results."""

from __future__ import annotations

from assistant.agent import grounding as g
from assistant.agent.compose import compose
from assistant.tools.registry import ToolOutcome

SEARCH = {
    "query": "water bottle",
    "products": [
        {
            "product_id": "101",
            "title": "Water Bottle - Orange 1 L",
            "brand": "Cello",
            "price": 180.0,
            "rating": 4.2,
            "currency": "INR",
        },
        {
            "product_id": "102",
            "title": "Steel Water Bottle 750 ml",
            "brand": "Milton",
            "price": 450.0,
            "rating": 4.5,
            "currency": "INR",
        },
    ],
}
ORDER = {
    "order": {
        "order_id": "#W1000001",
        "status": "delivered",
        "total": 180.0,
        "items": [{"product_id": "101", "name": "Water Bottle - Orange 1 L", "price": 180.0}],
    }
}


def ev(*results):
    return g.evidence_from_results(results)


def test_evidence_collects_products_orders_prices():
    e = ev(SEARCH, ORDER)
    assert set(e.products) == {"101", "102"}
    assert e.products["102"].prices == {450.0} and e.products["101"].ratings == {4.2}
    assert e.orders["#W1000001"].status == "delivered"
    assert 180.0 in e.orders["#W1000001"].amounts


def test_grounded_answer_passes():
    text = "The Cello Water Bottle - Orange 1 L costs ₹180 and is rated 4.2/5 [101]. Milton's steel bottle is ₹450 [102]."
    report = g.check(text, ev(SEARCH))
    assert report.ok, report.problems
    assert report.cited_ids == ["101", "102"]


def test_invented_price_rating_id_and_title_are_caught():
    e = ev(SEARCH)
    assert not g.check("The Cello bottle costs ₹150 [101].", e).ok
    assert not g.check("It is rated 4.9 stars [102].", e).ok
    assert not g.check("Try the Borosil Glass Jar [999].", e).ok
    assert not g.check("Amul Salted Butter Pack [101] is great.", e).ok  # title of another product
    assert not g.check("See product 555 for a cheaper one.", e).ok
    assert not g.check("Only Rs. 99 today!", e).ok  # 'Rs.' does not split the sentence
    # a price stated for the wrong cited product
    assert not g.check("Steel Water Bottle 750 ml costs ₹180 [102].", e).ok


def test_order_facts():
    e = ev(ORDER)
    assert g.check("Order #W1000001 was delivered, total ₹180.", e).ok
    assert not g.check("Order #W1000001 is pending.", e).ok
    assert not g.check("Order #W9999999 has shipped.", e).ok


def test_no_tool_results_means_no_facts():
    e = ev()
    assert g.check("Hello! How can I help you today?", e).ok
    assert not g.check("Our best seller costs ₹99.", e).ok
    assert not g.check("I recommend [12].", e).ok


def test_catalog_titles_not_in_results_are_caught():
    titles = g.normalise_titles(["Salted Butter 500 g", "Water Bottle - Orange 1 L"])
    e = ev(SEARCH)
    assert not g.check("You might like the Salted Butter 500 g too.", e, titles).ok
    assert g.check("The Water Bottle - Orange 1 L is popular.", e, titles).ok


def test_repair_drops_only_bad_sentences():
    text = "Here are bottles. The Cello one is ₹180 [101]. The Milton one is ₹999 [102]. Enjoy!"
    fixed, report = g.repair(text, ev(SEARCH))
    assert not report.ok and len(report.problems) == 1
    assert "999" not in fixed and "₹180 [101]" in fixed and fixed.endswith("Enjoy!")


def test_quoted_passage_is_grounded():
    passage = {
        "passages": [
            {
                "text": "Returns are accepted within 30 days for a refund of $25.00 or more on delivered orders."
            }
        ]
    }
    sentence = (
        "Returns are accepted within 30 days for a refund of $25.00 or more on delivered orders."
    )
    assert g.check(sentence, ev(passage)).ok
    assert not g.check("Returns get a refund of $40.00 always.", ev(passage)).ok


def test_percentages_come_from_results():
    pred = {"product": SEARCH["products"][0], "probability": 0.2345}
    assert g.check("The chance you buy it is 23% [101].", ev(pred)).ok
    assert not g.check("The chance you buy it is 80% [101].", ev(pred)).ok


def test_composed_answers_are_always_grounded():
    outcomes = [
        ToolOutcome("search_products", {"query": "bottle"}, True, SEARCH),
        ToolOutcome("get_order_status", {"order_id": "#W1000001"}, True, ORDER),
        ToolOutcome(
            "compare_products",
            {"product_ids": ["101", "102"]},
            True,
            {"products": SEARCH["products"]},
        ),
        ToolOutcome(
            "predict_purchase",
            {"product_id": "101"},
            True,
            {"product": SEARCH["products"][0], "probability": 0.31},
        ),
        ToolOutcome("list_my_orders", {}, True, {"orders": [ORDER["order"]], "count": 1}),
    ]
    results = [o.result for o in outcomes]
    text = compose(outcomes)
    report = g.check(text, g.evidence_from_results(results))
    assert report.ok, report.problems
    assert {"101", "102"} <= set(report.cited_ids)


def test_split_sentences_keeps_prices_whole():
    assert g.split_sentences("It is Rs. 20. Great!\nNext line") == [
        "It is Rs. 20.",
        "Great!",
        "Next line",
    ]


def test_prediction_without_history_states_no_number():
    card = SEARCH["products"][0]
    o = ToolOutcome(
        "predict_purchase",
        {"product_id": "101"},
        True,
        {"product": card, "probability": None, "basis": "no events for this user yet"},
    )
    text = compose([o])
    assert "%" not in text and "no events" in text
    assert g.check(text, g.evidence_from_results([o.result])).ok


def test_explanations_name_the_evidence_products():
    card = SEARCH["products"][0]
    exp = {"evidence": [
        {"kind": "own_event", "product_id": "102", "title": "Steel Water Bottle 750 ml", "weight": 0.6,
         "events": [{"type": "purchase", "ts": "2024-01-01T00:00:00"}], "text": "you interacted with 102 (60% ...)"},
        {"kind": "category_affinity", "weight": 0.4, "text": "40% of your items are in Kitchen"},
    ]}  # fmt: skip
    o = ToolOutcome(
        "explain_recommendation", {"product_id": "101"}, True, {"product": card, "explanation": exp}
    )
    text = compose([o])
    assert "you bought Steel Water Bottle 750 ml [102]" in text and "40% of your items" in text
    assert g.check(text, g.evidence_from_results([o.result])).ok


def test_percent_stated_in_a_result_string_is_grounded_and_others_are_not():
    order = {
        "order_id": "#W1579621",
        "status": "pending",
        "items": [{"name": "Mechanical Keyboard", "options": {"size": "60%"}}],
    }
    e = ev(order)
    assert g.check("Your keyboard in size 60% is in order #W1579621.", e).ok
    report = g.check("Your keyboard in size 75% is in order #W1579621.", e)
    assert not report.ok and any("75%" in p for p in report.problems)


def test_numbers_inside_a_results_own_title_name_it():
    bar = {"products": [{"product_id": "636", "title": "5 Star Oreo Chocolate Bar",
                         "brand": "Cadbury", "price": 35.0, "rating": 4.4, "currency": "INR"}]}  # fmt: skip
    e = ev(bar)
    assert g.check("I'd go for 5 Star Oreo Chocolate Bar [636]: rated 4.4/5, at ₹35.", e).ok
    # the title's number is no licence for the same number as a claim
    assert not g.check("5 Star Oreo Chocolate Bar [636] is rated 5 stars.", e).ok


def test_a_policy_answer_quotes_the_runner_up_passage_only_when_it_scores_nearly_as_well():
    first = {"passage_id": "p1", "section": "Returns", "text": "Returns take 7 days.", "score": 0.5}
    close = {"passage_id": "p2", "section": "Refunds", "text": "Refunds go back to the card.",
             "score": 0.47}  # fmt: skip
    far = {**close, "score": 0.3}
    near = compose([ToolOutcome("search_policy", {}, True, {"passages": [first, close]})], "?")
    assert "Returns take 7 days." in near and "Also from the store policy (Refunds)" in near
    alone = compose([ToolOutcome("search_policy", {}, True, {"passages": [first, far]})], "?")
    assert "Refunds" not in alone
    assert g.check(near, ev({"passages": [first, close]})).ok


def test_a_written_policy_answer_is_followed_by_the_passage_sentences_it_left_out():
    from assistant.agent.compose import policy_rest

    r = {"passages": [{"section": "Exchange", "text": "Items swap for another option. "
                       "No change of product types."}]}  # fmt: skip
    assert policy_rest(r, "From the store policy: No change of product types.") == (
        "Items swap for another option."
    )
    assert policy_rest(r, "Items swap for another option. No change of product types.") == ""


def test_a_policy_answer_quotes_the_rest_of_a_short_rule_and_only_once():
    best = {"passage_id": "p1", "section": "Exchange", "text": "Items swap.", "score": 0.5}
    rest = [{"passage_id": "p2", "section": "Exchange", "text": "No new order is needed."},
            {"passage_id": "p3", "section": "Exchange", "text": "Items swap."}]  # fmt: skip
    r = {"passages": [best], "rule": rest}
    answer = compose([ToolOutcome("search_policy", {}, True, r)], "?")
    assert answer.endswith("The rest of this rule (Exchange):\n- No new order is needed.")
    assert g.check(answer, ev(r)).ok
    long = {**r, "rule": [{"text": "word " * 200}]}  # too long to quote whole: left out
    assert "rest of this rule" not in compose([ToolOutcome("search_policy", {}, True, long)], "?")


def test_no_order_of_the_status_asked_still_lists_the_shoppers_orders():
    other = {"order_id": "#W1", "status": "delivered", "total": 10.0, "currency": "USD",
             "items": [{"name": "Kettle"}], "created_at": "2024-05-01"}  # fmt: skip
    r = {"status_filter": "pending", "count": 0, "orders": [], "others": [other]}
    answer = compose([ToolOutcome("list_my_orders", {}, True, r)], "anything pending?")
    assert answer.startswith("You have no pending orders.\nYour orders:\n- ") and "#W1" in answer
    assert g.check(answer, ev(r)).ok


def test_a_one_word_title_right_before_its_id_is_grounded():
    tea = {"products": [{"product_id": "3763", "title": "Tea", "brand": "Tata Tea Premium",
                         "price": 600.0, "rating": 4.5, "currency": "INR"}]}  # fmt: skip
    assert g.check("I'd go for Tea [3763]: it has the best rating of the 3, 4.5/5.", ev(tea)).ok
    assert not g.check("I'd go for Green Coffee Beans [3763].", ev(tea)).ok
