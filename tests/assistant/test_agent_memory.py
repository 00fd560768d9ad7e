"""References to products shown earlier, and argument checks against the shopper's text."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from assistant.agent.fallback import confident_calls
from assistant.agent.memory import PastTurn, ShownProducts, history_for_model, resolve_references
from assistant.tools.arguments import Catalog
from assistant.tools.postcheck import ImplausibleCall, check_call

CARDS = [
    {"product_id": "101", "title": "Water Bottle - Orange 1 L", "brand": "Cello", "price": 180.0},
    {"product_id": "102", "title": "Steel Water Bottle 750 ml", "brand": "Milton", "price": 450.0},
    {"product_id": "103", "title": "Kids Water Bottle - Blue", "brand": "Borosil", "price": 99.0},
]
CATALOG = Catalog(
    brands=("Cello", "Milton", "Borosil", "Amul", "India Gate"),
    categories=("Kitchen", "Bottles", "Foodgrains", "Rice"),
    titles=tuple(c["title"] for c in CARDS),
)


def shown() -> ShownProducts:
    s = ShownProducts()
    s.add_list(CARDS)
    return s


def test_ordinals_and_last():
    s = shown()
    assert resolve_references("tell me more about the second one", s) == ["102"]
    assert resolve_references("is #3 in stock?", s) == ["103"]
    assert resolve_references("what about the last one", s) == ["103"]
    assert resolve_references("compare the first and third", s) == ["101", "103"]
    assert resolve_references("compare the first two", s) == ["101", "102"]
    assert resolve_references("compare both", s) == ["101", "102"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how pricey is dusra wala", ["102"]),  # Hinglish ordinals
        ("teesra wala kaisa hai?", ["103"]),
        ("what does product three cost", ["103"]),  # a list's noun and a number
        ("the brand behind choice 1?", ["101"]),
        ("the selling price of the one numbered 2?", ["102"]),
        ("is the one at the end rated well?", ["103"]),
        ("the first of those, how much?", ["101"]),  # a partitive is not "them"
        ("product one or the second in the list?", ["101", "102"]),
        ("I want 2 kg of rice", []),  # a quantity is no position
    ],
)
def test_positions_named_other_ways(text, expected):
    assert resolve_references(text, shown()) == expected


def test_names_and_nothing():
    s = shown()
    assert resolve_references("I like the Milton one", s) == ["102"]
    assert resolve_references("the kids bottle please", s) == ["103"]
    assert resolve_references("show me rice", s) == []
    assert resolve_references("the second one", ShownProducts()) == []


def test_latest_list_wins_for_ordinals():
    s = shown()
    s.add_list([{"product_id": "201", "title": "Basmati Rice", "brand": "India Gate"}])
    assert resolve_references("the first one", s) == ["201"]
    assert resolve_references("the cello one", s) == ["101"]  # names reach earlier lists
    assert "[201] Basmati Rice" in s.for_model()


def test_history_replays_listed_products_as_tool_results():
    turns = [
        PastTurn("hi", "Hello! How can I help?"),
        PastTurn(
            "bottles",
            "Here is what I found: ...",
            {"name": "search_products", "arguments": {"query": "bottle"}},
            CARDS,
        ),
    ]
    msgs = history_for_model(turns)
    assert [type(m) for m in msgs] == [
        HumanMessage,
        AIMessage,
        HumanMessage,
        AIMessage,
        ToolMessage,
        AIMessage,
    ]
    assert msgs[3].tool_calls[0]["name"] == "search_products"
    assert (
        '"product_id": "102"' in msgs[4].content
        and msgs[4].tool_call_id == msgs[3].tool_calls[0]["id"]
    )


def test_product_id_replaced_by_reference():
    args = check_call(
        "get_product", {"product_id": "999"}, "more about the second one", shown(), CATALOG
    )
    assert args == {"product_id": "102"}
    args = check_call(
        "compare_products", {"product_ids": ["101"]}, "compare the first and last", shown(), CATALOG
    )
    assert args == {"product_ids": ["101", "103"]}
    # a correct id is kept
    args = check_call(
        "similar_products",
        {"product_id": "102", "k": 3},
        "similar to the Milton one",
        shown(),
        CATALOG,
    )
    assert args == {"product_id": "102", "k": 3}


def test_search_filters_only_where_stated():
    text = "water bottle under 300 rupees"
    args = check_call(
        "search_products",
        {"query": "water bottle", "min_price": 300, "brand": "Orange", "min_rating": 4},
        text, ShownProducts(), CATALOG,
    )  # fmt: skip
    assert args == {"query": "water bottle", "max_price": 300.0}


def test_search_brand_from_text_and_range():
    args = check_call(
        "search_products", {"query": "bottle", "max_price": 100, "min_price": 500},
        "milton bottle between 100 and 500", ShownProducts(), CATALOG,
    )  # fmt: skip
    assert args["brand"] == "Milton"
    assert (args["min_price"], args["max_price"]) == (100.0, 500.0)
    args = check_call(
        "search_products",
        {"query": "", "in_stock": True},
        "rice rated 4 stars and up",
        ShownProducts(),
        CATALOG,
    )
    assert args["min_rating"] == 4.0 and "in_stock" not in args and args["query"]


def test_search_query_must_come_from_the_text():
    args = check_call(
        "search_products", {"query": "search_products"}, "basmati rice", ShownProducts(), CATALOG
    )
    assert args["query"] == "basmati rice"
    args = check_call(
        "search_products", {"query": "basmati rice"}, "basmathi rice pls", ShownProducts(), CATALOG
    )
    assert args["query"] == "basmati rice"  # a typo fix keeps the model's query
    # a word of the request's phrasing is not what was asked for: the shopper's words instead
    text = "is there a grater in your range?"
    args = check_call("search_products", {"query": "range"}, text, ShownProducts(), CATALOG)
    assert "grater" in args["query"] and "range" not in args["query"]
    args = check_call("search_products", {"query": "roof tiles"}, "any chance of roof tiles here",
                      ShownProducts(), CATALOG)  # fmt: skip
    assert args["query"] == "roof tiles"  # the model may drop chatter the rules keep


def test_small_talk_and_fallback_intents():
    from assistant.agent.fallback import fallback_calls, is_small_talk

    assert is_small_talk("hi!") and is_small_talk("Thanks so much, that's all")
    assert not is_small_talk("hi, do you have basmati rice?")
    empty = ShownProducts()
    assert fallback_calls("hello there", empty, True) == []
    assert fallback_calls("hi, got any ghee?", empty, True) == [
        ("search_products", {"query": "ghee"})
    ]
    assert fallback_calls("where is W1234567", empty, True)[0] == (
        "get_order_status",
        {"order_id": "#W1234567"},
    )
    assert fallback_calls("I want to talk to a human", empty, True)[0][0] == "handoff_to_human"
    assert fallback_calls("my pending orders", empty, True)[0] == (
        "list_my_orders",
        {"status": "pending"},
    )
    assert fallback_calls("how do refunds work?", empty, False)[0][0] == "search_policy"
    assert fallback_calls("compare the first and second", shown(), False)[0] == (
        "compare_products",
        {"product_ids": ["101", "102"]},
    )
    assert fallback_calls("why did you suggest the Milton one?", shown(), True)[0] == (
        "explain_recommendation",
        {"product_id": "102"},
    )
    assert fallback_calls("something similar to product 42", empty, False)[0] == (
        "similar_products",
        {"product_id": "42"},
    )
    assert fallback_calls("what would you recommend for me?", empty, True)[0] == (
        "recommend_for_user",
        {},
    )


def test_dangling_filter_words_leave_the_query():
    args = check_call(
        "search_products",
        {"query": "face wash below", "max_price": 150},
        "face wash below ₹150",
        ShownProducts(),
        CATALOG,
    )
    assert args == {"query": "face wash", "max_price": 150.0}
    args = check_call(
        "search_products",
        {"query": "rice rated"},
        "rice rated 4 stars and up",
        ShownProducts(),
        CATALOG,
    )
    assert args["query"] == "rice"


def test_recommendation_category_must_be_named():
    args = check_call(
        "recommend_for_user",
        {"category": "Rice", "k": 7},
        "suggest something for me",
        ShownProducts(),
        CATALOG,
    )
    assert args == {}
    args = check_call(
        "recommend_for_user",
        {"category": "rice"},
        "any rice you'd recommend for me?",
        ShownProducts(),
        CATALOG,
    )
    assert args == {"category": "Rice"}


def test_distinctive_title_words_name_a_product():
    s = ShownProducts()
    s.add_list([
        {"product_id": "105", "title": "Veda Marie Light Biscuits", "brand": "Sunfeast"},
        {"product_id": "131", "title": "Dark Fantasy - Choco Fills Biscuits", "brand": "Sunfeast"},
        {"product_id": "245", "title": "Sixer Biscuits - Salted", "brand": "Parle"},
    ])  # fmt: skip
    assert resolve_references("is the Dark Fantasy one in stock?", s) == ["131"]
    assert resolve_references("the salted ones", s) == ["245"]
    assert resolve_references("which biscuits are best?", s) == []  # a word they all share


def test_new_requests_are_not_references():
    s = ShownProducts()
    s.add_list([{"product_id": "245", "title": "Sixer Biscuits - Salted", "brand": "Parle"},
                {"product_id": "105", "title": "Veda Marie Light Biscuits", "brand": "Sunfeast"}])  # fmt: skip
    assert resolve_references("show me salted peanuts", s) == []
    assert resolve_references("more about the salted one", s) == ["245"]


def test_a_position_word_is_not_an_id_the_shopper_typed():
    # the model copied "2nd" into an id list: rejected before the tool runs, the rules answer
    with pytest.raises(ImplausibleCall):
        check_call(
            "compare_products", {"product_ids": ["2nd", "101"]}, "2nd one cost?", shown(), CATALOG
        )
    with pytest.raises(ImplausibleCall):
        check_call(
            "get_product", {"product_id": "3rd"}, "what about the 3rd", ShownProducts(), CATALOG
        )


def test_a_question_about_one_shown_product_is_not_a_comparison():
    with pytest.raises(ImplausibleCall):
        check_call(
            "compare_products",
            {"product_ids": ["101", "102"]},
            "brand of the first?",
            shown(),
            CATALOG,
        )


def test_a_field_asked_of_one_shown_product_is_planned_by_the_rules():
    assert confident_calls("brand of the first?", shown(), signed_in=False) == [
        ("get_product", {"product_id": "101"})
    ]
    assert confident_calls("last one cost?", shown(), signed_in=False) == [
        ("get_product", {"product_id": "103"})
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("which of my orders are still pending right now?", {"status": "pending"}),
        ("did anything i bought get cancelled?", {"status": "cancelled"}),
        ("mera saamaan kahan pahuncha?", {}),  # Hinglish: where has my stuff got to?
    ],
)
def test_the_shoppers_own_orders_are_planned_by_the_rules(text, expected):
    # with products on the screen: "which of my orders" is no choice among them
    assert confident_calls(text, shown(), signed_in=True) == [("list_my_orders", expected)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the one after the middle one, rated how?", ["103"]),  # a place named from the middle
        ("the one that follows the first ka brand", ["102"]),
        ("the next-to-last item's price", ["102"]),
        ("do number ka item kitne ka hai", ["102"]),  # Hindi: the number before the noun
        ("the one up top of ur list ki reviews", ["101"]),
        ("shuru wala item rated kitna hai", ["101"]),
        ("whatever sits at the tail end ka price", ["103"]),
        ("the item leading off - maker?", ["101"]),
        ("end wala product vs the one before the last", ["103", "102"]),
        ("which item do i take", []),  # "do i" is English, not the Hindi two
        ("the opener of the list kitne ka hai", ["101"]),
        ("neeche se pehla ka price", ["103"]),  # Hinglish: the first from below
        ("second from the bottom, rated?", ["102"]),
        ("rating mein no. 1 kaunsa hai", []),  # number one in rating: the best rated, no place
        ("the item two spots below the top ka rate", ["103"]),  # a distance from the anchor
        ("the third from the end yaar", ["101"]),
        ("whatever closed out the list, who makes it", ["103"]),
        ("the item you opened with vs the one after the centre item", ["101", "103"]),
        ("prce of the one wedged between the other two ??", ["102"]),
        ("the item three places from the bottom which brand", ["101"]),
        ("star rating mein top pe kaun hai", []),  # a rank in the ratings, not a place
    ],
)
def test_places_named_from_another_place_and_in_more_words(text, expected):
    assert resolve_references(text, shown()) == expected


def test_words_the_catalog_never_uses_are_chatter_in_a_choice():
    # "salary" names nothing this catalog sells: the question is a choice among the shown three
    text = "salary nahi aayi, sabse sasta batao"
    assert shown().choice_among(text, CATALOG.vocabulary) == ["101", "102", "103"]
    # a word the catalog does use, that no shown card has, is a new request
    assert shown().choice_among("which is the cheapest rice", CATALOG.vocabulary | {"rice"}) == []
    # without the catalog's words nothing changes
    assert shown().choice_among(text) == []
    assert confident_calls(text, shown(), False, CATALOG.vocabulary) == [
        ("compare_products", {"product_ids": ["101", "102", "103"]})
    ]


@pytest.mark.parametrize(
    "text",
    [
        "why do you guys need my pin code?",
        "do i literally have to type yes before you do anything?",
        "what all can you guys help me with for my orders?",
        "my order's already been delivered, can you cancel it rather than me returning it?",
        "do you guys have a helpline number i can call instead of chatting?",
        "my order time says 02:30:00 - was that in the afternoon?",
        "my friend gave me his user id, can you look at his orders for me?",
        "order already delivered to my old flat, can u update the shipping address on it now?",
        "if ur not sure when my parcel comes just guess a date, its fine",
        "total kitne type ke products rakhte ho aap log?",
        "mera order abhi processed dikha raha hai, usko cancel kar sakte ho?",
        "my order is processed already, can you still switch it to paypal payment?",
        "my order got cancelled by mistake, can you bring it back and ship it?",
        "tumhi mazi olakh kashi patavnar? email chalel ka?",  # Marathi: how will you verify me
        "order radd karwane ke lie koi wajah batani padti hai kya?",  # a reason to cancel?
        "return chodichu kazhinjaal order nte status enthaayirikkum?",  # status after a return
        "pending order nu payment gift card par badalvu chhe, pan balance thodu ochhu chhe",
        "kya main pending order ka bhugtaan do alag-alag card mein baantkar kar sakta hun?",
        "what are all the statuses an order can be in?",
        "how will you verify it's really me?",
    ],
)
def test_questions_put_to_the_store_go_to_its_policy(text):
    from assistant.agent.fallback import fallback_calls

    assert fallback_calls(text, shown(), True)[0][0] == "search_policy"


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("need dishwash liquid urgently, got any?", "dishwash liquid"),
        ("My moong dal just got over, do you sell it?", "moong dal"),
        ("need suitcase before diwali, do you stock it", "suitcase"),  # when, not what
        ("aapke yahan rain boots ka kuch hai?", "rain boots"),
        ("do you guys stock green tea", "green tea"),
        ("dhoti ahiya madse?", "dhoti"),  # Gujarati: will I get it here
        ("tyre idya nimmalli?", "tyre"),  # Kannada: do you have it
        ("plumber bhi milega yahan se? ya kahin aur dekhun", "plumber"),
        ("any chance of snake catcher here", "snake catcher"),
        ("is there any chance you have brown rice", "brown rice"),
        ("horse saddle jaisa kuch bechte ho kya aap?", "horse saddle"),  # something like
        ("basmati rice, any brand is fine", "basmati rice"),  # what does not matter
        ("does this shop keep wiper", "wiper"),
        ("colander order karna tha, mil jayega?", "colander"),  # I wanted to order
        ("flask aapki app par available hai kya?", "flask"),  # on your app
        ("need mehndi artist asap, u guys have it?", "mehndi artist"),
        ("do u guys do eye test as well or just groceries", "eye test"),
        ("kya aapke yahan se nail art ka bhi intezaam ho jata hai?", "nail art"),
        ("inga dance classes vikkireengala?", "dance classes"),  # Tamil: do you sell it here
    ],
)
def test_request_phrasing_leaves_the_search_query(text, query):
    from assistant.tools.query_text import search_query

    assert search_query(text) == query


def test_a_look_at_the_cart_needs_a_cart_in_the_message():
    from assistant.agent.fallback import call_asked

    assert not call_asked("view_cart", {}, "jog my memory - what have i purchased so far", shown())
    assert call_asked("view_cart", {}, "what's in my basket?", shown())
    assert call_asked("view_cart", {}, "what did i add?", shown())


def test_more_ways_to_ask_why_and_to_name_ones_orders():
    from assistant.agent.choice import EXPLAIN
    from assistant.agent.fallback import fallback_calls

    assert EXPLAIN.search("What made you pick the second one for me?")
    assert EXPLAIN.search("how come u suggested the last one")
    assert fallback_calls("wheeer are my ordrs man", ShownProducts(), True) == [
        ("list_my_orders", {})
    ]


@pytest.mark.parametrize("text", ["parcel abhi tak kyon nahi aaya", "ordr kab ayega yaar"])
def test_hinglish_questions_about_a_parcel_are_the_shoppers_orders(text):
    assert confident_calls(text, ShownProducts(), signed_in=True) == [("list_my_orders", {})]


@pytest.mark.parametrize(
    "text",
    ["steel kidhr hai isme", "could you identify the steel one among the products shown?",
     "steel itself only I want, point it out no", "wch product = steel ??"],
)  # fmt: skip
def test_more_ways_to_ask_which_shown_product_has_a_word(text):
    assert shown().choice_among(text, CATALOG.vocabulary) == ["101", "102", "103"]


def test_a_policy_search_needs_a_message_about_what_the_policy_covers():
    from assistant.agent.fallback import call_asked

    assert not call_asked("search_policy", {}, "Do you folks handle bike rental as well?", shown())
    assert not call_asked("search_policy", {}, "ungakitta visa irukka?", shown())
    assert call_asked("search_policy", {}, "no money back yet, normal?", shown())
    assert call_asked("search_policy", {}, "can i pay with paypal?", shown())
