"""The rules plan reads what a message asks of the products on the screen: a choice by price or
rating words, by a word some titles have and others lack, two products compared, one product's
field; a question about the store's rules goes to the policy, the latest order needs no id.
Pure functions over plain cards (no store)."""

from __future__ import annotations

import pytest

from assistant.agent import asked, choice, grounding
from assistant.agent.compose import compose
from assistant.agent.fallback import (
    LATEST_ORDER,
    about_shown,
    asks_rules,
    confident_calls,
    fallback_calls,
)
from assistant.agent.memory import ShownProducts, resolve_references
from assistant.tools.registry import ToolOutcome
from retrieval.query_parse import preferences, without_preferences


def card(pid, title, brand, price, rating):
    return {"product_id": pid, "title": title, "brand": brand, "category": "Home > Bags",
            "price": price, "currency": "INR", "rating": rating, "rating_count": 10,
            "in_stock": True}  # fmt: skip


# cheapest 302, best rated 301, only 303's title says Red, only 301's says Jute
BAGS = [
    card("301", "Shopping Bag - Jute, Natural", "Eco Baby", 240.0, 4.6),
    card("302", "Grocery Bag - Cotton, Blue", "Clean Planet", 99.0, 3.9),
    card("303", "Baby Diaper Bag - Red", "Mee Mee", 650.0, 4.1),
]


def shown(cards=BAGS) -> ShownProducts:
    s = ShownProducts()
    s.add_list(cards)
    return s


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("something that doesn't break the bank", ["low_price"]),
        ("I'd like to pay as little as I can", ["low_price"]),
        ("the one with the least money spent", ["low_price"]),
        ("which costs less?", ["low_price"]),
        ("which do people rate highest?", ["rating"]),
        ("the one with the loudest reviews", ["rating"]),
        ("which one breaks nothing?", []),
        ("paise bachane hain, konsa lu", ["low_price"]),  # Hinglish: I need to save money
        ("kaunsa jeb pe halka padega", ["low_price"]),  # light on the pocket
        ("customers ne kisko full marks diye", ["rating"]),
        ("kiska bill sabse chhota banega", ["low_price"]),  # whose bill is smallest
        ("kaunsa sabse kifayati hai", ["low_price"]),  # the most economical
        ("star count mein topper?", ["rating"]),
    ],
)
def test_price_and_rating_phrases_are_orderings(text, wanted):
    assert preferences(text) == wanted


def test_without_preferences_leaves_the_rest_of_the_question():
    assert without_preferences("which won't break the bank, the red one?") == "which , the red one?"
    assert without_preferences("which has the strongest reviews?") == "which has the ?"


@pytest.mark.parametrize(
    "text, chosen",
    [
        ("which of them won't break the bank?", "302"),  # a price phrase: the cheapest
        ("which has the loudest reviews?", "301"),  # a rating phrase: the best rated
        ("the red option please - which is it?", "303"),  # a word only one title has
        ("I'd want the jute kind - which?", "301"),
        ("any of these cotton? pick me one", "302"),
        ("I want the baby kind, which should I take?", "303"),  # title Baby over brand Eco Baby
    ],
)
def test_a_choice_reads_price_rating_and_title_words(text, chosen):
    s = shown()
    assert fallback_calls(text, s, signed_in=False) == [
        ("compare_products", {"product_ids": ["301", "302", "303"]})
    ]
    picked = choice.pick(text, BAGS)
    assert picked is not None and picked.card["product_id"] == chosen


def test_telling_words_are_the_ones_that_split_the_titles():
    assert fallback_calls("the red option please", shown(), False) == [
        ("get_product", {"product_id": "303"})
    ]
    assert choice.telling_words("the red bag", BAGS) == ["red"]  # every title says Bag
    assert choice.telling_words("the cheaper one", BAGS) == []
    assert choice.telling_words("red", BAGS[:1]) == []


def test_a_word_no_card_has_is_a_new_request_unless_the_words_point_at_the_cards():
    s = shown()
    assert fallback_calls("which is the best shampoo?", s, False)[0][0] == "search_products"
    assert choice.refers_to_shown("which one do shoppers rate highest?")
    assert fallback_calls("which one do shoppers rate highest?", s, False)[0][0] == (
        "compare_products"
    )


def test_a_which_question_about_one_product_is_not_a_choice():
    assert shown().choice_among("which company makes the third one?") == []
    assert fallback_calls("which company makes the third one?", shown(), False) == [
        ("get_product", {"product_id": "303"})
    ]


@pytest.mark.parametrize(
    "text",
    [
        "put the first and third ones side by side",
        "how does the first one stack up against the third?",
        "the first and third: how do they differ?",
        "first and third please",
    ],
)
def test_two_shown_products_named_are_compared_not_carted(text):
    assert fallback_calls(text, shown(), signed_in=False) == [
        ("compare_products", {"product_ids": ["301", "303"]})
    ]


def test_a_comparison_of_two_says_cheaper_and_better_rated():
    out = ToolOutcome("compare_products", {}, True, {"products": BAGS[:2]})
    answer = compose([out], "compare the first two")
    assert "The cheaper one is Grocery Bag - Cotton, Blue [302]." in answer
    assert "The better rated one is Shopping Bag - Jute, Natural [301]." in answer
    numbered = [card("304", "2 In 1 Shoe Brush", "Kiwi", 60.0, 4.4), BAGS[1]]
    out = ToolOutcome("compare_products", {}, True, {"products": numbered})
    answer = compose([out], "how do they differ?")
    assert grounding.check(answer, grounding.evidence_from_results([out.result])).ok, answer


@pytest.mark.parametrize(
    "text, line",
    [
        ("how much is the third one?", "Baby Diaper Bag - Red [303] costs ₹650."),
        ("who makes the third one?", "Baby Diaper Bag - Red [303] is made by Mee Mee."),
        ("what rating does it have and what's the price?",
         "Baby Diaper Bag - Red [303] costs ₹650 and is rated 4.1/5."),
        ("tell me more about it", ""),
    ],
)  # fmt: skip
def test_an_attribute_question_is_answered_from_the_product_fields(text, line):
    assert asked.answer_line(text, BAGS[2]) == line
    out = ToolOutcome("get_product", {}, True, {"product": BAGS[2]})
    assert compose([out], text).startswith(line or "Baby Diaper Bag - Red by Mee Mee, ₹650")


@pytest.mark.parametrize(
    "text, rules",
    [
        ("could we return something that was delivered damaged?", True),
        ("is it possible to swap a size after it arrived?", True),
        ("how long does a refund take?", True),
        ("can I change the payment card on an order that is pending?", True),
        ("can I cancel my order?", True),  # what the store allows: its cancellation rule
        ("want to return my order, how", True),
        ("cancel my order", False),  # a request about their own order: their orders
        ("can I get a red bag?", False),
        ("do you have exchange offers on bags?", False),
        # a case put to the store, or what it does in general: its rules
        ("if i swap a size in a pending order, do i pay the difference?", True),
        ("after i agree to cancel, what will the order say?", True),
        ("do you still have to check my email if i'm signed in?", True),
        ("in what cases would you hand me to a human?", True),
        # Hinglish: "will I have to place a new order?", "can you add an item to it?", and a
        # change asked "allowed?"
        ("exchange ke liye naya order place karna padega kya?", True),
        ("pending order mein ek aur item add kar sakte ho kya?", True),
        ("move my pending order's payment onto a gift card, allowed?", True),
        ("can I add the red bag to my cart?", False),
        ("meri behen ka order bhi cancel kar do", True),  # another shopper's order
        ("cancelled an order, 3 days and no money back yet, normal?", True),
        ("wapas kiye saaman ka paisa seedha bank khaate mein milega?", True),
        ("email yaad nahi hai, koi aur tareeka hai verify karne ka?", True),
        ("upi chalega kya profile pe, ya sirf card?", True),
        ("payment method badal diya toh order ka status badlega kya?", True),
    ],
)
def test_a_question_about_what_the_store_allows_goes_to_the_policy(text, rules):
    assert asks_rules(text) is rules
    calls = fallback_calls(text, ShownProducts(), signed_in=True)
    assert (calls[0][0] == "search_policy") is rules or not rules


@pytest.mark.parametrize(
    "text, args",
    [
        ("any order of mine that's not delivered yet?", {}),  # all but delivered: no filter
        ("which of my orders haven't been delivered", {}),
        ("what's still processing on my end?", {}),
        ("my delivered orders", {"status": "delivered"}),
        ("kuch pending hai kya mera", {"status": "pending"}),
        ("mummy ke birthday ka gift mangaya tha, dispatch hua ki nahi", {}),
        ("delivery wale bhaiya aaye hi nahi, dekho kya hua", {}),
        ("i placed something few days back, can you see where it has reached", {}),
        ("purchase history with status, all of it", {}),
        ("kuch atka pada hai kya mera, ya sab nikal gaya?", {}),
        ("last week jo kharida tha wo abhi tak nahi aaya", {}),
        ("mera last wala saaman kab tak aayega", {}),
    ],
)
def test_own_orders_in_words_and_a_negated_status(text, args):
    assert fallback_calls(text, ShownProducts(), signed_in=True) == [("list_my_orders", args)]


def test_a_person_asked_for_is_still_a_handoff():
    assert fallback_calls("let me talk to a real person", ShownProducts(), True)[0][0] == (
        "handoff_to_human"
    )


@pytest.mark.parametrize(
    "text, query",
    [
        ("masala oats khatam ho gaya, aur chahiye", "masala oats"),
        ("ghee chahiye bhai", "ghee"),
        ("hakka noodles available h kya boss", "hakka noodles"),
        ("my garbage bags got over today itself, can you send some", "garbage bags"),
        ("urgent: sofa cleaning arrange ho sakta hai via your store?", "sofa cleaning"),
        ("I'd be obliged if you'd check whether pencil box is on your shelves.", "pencil box"),
        ("our old hair dryer broke yesterday, do you have a new one", "hair dryer"),
        ("festival season hai, firecrackers bhi mil jayega?", "firecrackers"),
        ("guitar milsi kai sa?", "guitar"),  # Marwari: will a guitar be had?
        ("🙏 babysitter ki seva bhi uplabdh hai?", "babysitter"),  # is the service available
        ("random but do u guys do scuba diving too 😂", "scuba diving"),
        ("u carry screw driver set or nah?", "screw driver set"),
        ("I wonder whether painting kit is amongst your wares?", "painting kit"),
        ("can i get mobile recharge here or nah", "mobile recharge"),
    ],
)
def test_hinglish_request_words_after_the_product_leave_the_query(text, query):
    assert fallback_calls(text, ShownProducts(), False) == [("search_products", {"query": query})]


def test_the_latest_order_is_named_without_an_id():
    s = shown()
    text = "has the thing I bought most recently shipped?"
    assert LATEST_ORDER.search(text)
    assert fallback_calls(text, s, signed_in=True) == [("list_my_orders", {})]
    assert resolve_references("the last thing I ordered", s) == []
    assert resolve_references("the last one", s) == ["303"]


@pytest.mark.parametrize(
    "text, ids",
    [
        ("how much is the top one", ["301"]),
        ("the one on top - brand?", ["301"]),
        ("more on the middle one", ["302"]),
        ("the one in the middle", ["302"]),
        ("what about the bottom one", ["303"]),
        ("number two please", ["302"]),
        ("item 3", ["303"]),
        ("compare top and 3rd", ["301", "303"]),
        ("top rated pls", []),  # an ordering, not the first product
        ("the top 2", ["301", "302"]),
        ("no one else sells it?", []),
        # a place named from another, or in other words for top / middle / bottom
        ("the one just below the first, price?", ["302"]),
        ("and the one after the 2nd?", ["303"]),
        ("the one above the bottom one", ["302"]),
        ("the second to last one", ["302"]),
        ("numero uno ka brand", ["301"]),
        ("the opening one, price?", ["301"]),
        ("whats the one heading the list", ["301"]),
        ("beech wala ka rating", ["302"]),
        ("the closing one pls", ["303"]),
        ("nambar do wala ka daam", ["302"]),
        ("the in-between item, stars?", ["302"]),
        ("sabse upar wala kitne ka hai", ["301"]),
        ("sabse neeche wala", ["303"]),
        ("the one in between", ["302"]),
        ("the bottommost", ["303"]),
        ("recommendation 2, details", ["302"]),
        ("the last of the three", ["303"]),  # one of them, not all three
        ("which has the top star score", []),  # a rating, not the top product
        ("anything in between 100 and 200?", []),  # a price range
    ],
)
def test_top_middle_bottom_and_spelled_numbers_are_positions(text, ids):
    assert resolve_references(text, shown()) == ids


def test_the_middle_of_an_even_list_is_no_product():
    assert resolve_references("the middle one", shown(BAGS[:2])) == []


@pytest.mark.parametrize(
    "text, chosen",
    [
        ("cheapest?", "302"),
        ("lowest price here?", "302"),
        ("which is the most afordable", "302"),
        ("highest rated one?", "301"),
        ("got one with jute in it?", "301"),  # a word one title has, pointing at one of them
        ("lookin for red specifically.. which?", "303"),
        ("is there a cotton variant here", "302"),
        ("which is lowest on price bhai", "302"),
        ("point me to the cheapo one lol", "302"),
        ("sabse achha rated kaunsa hai yaar", "301"),
        ("sasta wala kaunsa hai in teeno mein", "302"),
        ("go by the stars and tell me the winner", "301"),
        ("kam paise wala konsa hai", "302"),
        ("whos got the highest star count", "301"),
        ("which would cost me the least?", "302"),
        ("searching for jute, find it in this list", "301"),
        ("sorry, could you point out the item with cotton?", "302"),
    ],
)
def test_an_ordering_alone_or_a_telling_word_chooses_among_the_shown(text, chosen):
    calls = fallback_calls(text, shown(), signed_in=False)
    assert calls == [("compare_products", {"product_ids": ["301", "302", "303"]})]
    out = ToolOutcome("compare_products", {}, True, {"products": BAGS, "table": {}})
    assert compose([out], text).splitlines()[0].count(f"[{chosen}]") == 1


def test_a_new_product_is_still_searched_with_products_on_the_screen():
    assert fallback_calls("got any shampoo?", shown(), signed_in=False)[0][0] == "search_products"
    assert fallback_calls("which is the best shampoo?", shown(), False)[0][0] == "search_products"


@pytest.mark.parametrize(
    "text",
    [
        "why the top one for me?",
        "is the 2nd one a good fit for me? why",
        "u think the last suits me? why",
        "what in my past purchases points to the 2nd?",
        "the top one hi kyun? mere orders dekh ke batao",
        "how does the third tie in with what I've bought before?",
        "how does the 2nd match the stuff i normally order",
        "what makes u think i'd like the top one",
        "teesra wala recommend kyun kiya?",
    ],
)
def test_why_one_named_product_suits_the_shopper_is_its_explanation(text):
    calls = fallback_calls(text, shown(), signed_in=True)
    assert calls[0][0] == "explain_recommendation"


def test_which_one_for_me_and_why_is_still_a_choice():
    calls = fallback_calls("which one would you recommend for me and why?", shown(), True)
    assert calls[0][0] == "compare_products"


def test_a_question_about_the_store_rules_is_planned_by_the_rules():
    calls = confident_calls("can i swap a tshirt for a different product", ShownProducts(), True)
    assert calls and calls[0][0] == "search_policy"


def _search(products):
    return [ToolOutcome("search_products", {"query": "x"}, True, {"products": products})]


def test_a_choice_whose_search_finds_nothing_is_about_the_list_on_the_screen():
    asked = "yaar reviews ke mamle mein kaun champion hai"
    nothing = _search([{**BAGS[0], "product_id": "900", "match": False}])
    assert about_shown(asked, shown(), nothing) == [
        ("compare_products", {"product_ids": ["301", "302", "303"]})
    ]
    assert about_shown(asked, shown(), _search([{**BAGS[0], "match": True}])) == []
    assert about_shown("do you sell hammocks?", shown(), nothing) == []  # not a choice
    assert about_shown(asked, ShownProducts(), nothing) == []  # nothing on the screen


@pytest.mark.parametrize(
    "text, tool",
    [
        ("ei list e jute konta?", "compare_products"),  # Bengali: which one in this list
        ("yaat red kontla aahe?", "compare_products"),  # Marathi
        ("which one would you put in your own cart", "compare_products"),
        ("before i add the second to cart, whats the damage", "get_product"),
        ("teesre position ka saaman mere liye kyon theek rahega", "explain_recommendation"),
        ("add the second to cart", "add_to_cart"),
    ],
)
def test_which_in_other_languages_and_the_cart_named_without_a_write(text, tool):
    assert fallback_calls(text, shown(), True)[0][0] == tool


@pytest.mark.parametrize(
    "text, call",
    [
        ("sauthi sastu kayu?", ("compare_products", "302")),  # Gujarati: which is cheapest
        ("jute wala kehda hai", ("compare_products", "301")),  # Punjabi: which is the jute one
        ("dooja item da mull", ("get_product", "302")),  # Punjabi: the second's price
        ("moonnaamathe item ethra", ("get_product", "303")),  # Malayalam: the third's price
        ("eradane item bagge heli", ("get_product", "302")),  # Kannada: tell about the second
        ("amar order ta kothay ache", ("list_my_orders", None)),  # Bengali: where is my order
        ("naa order status", ("list_my_orders", None)),  # Telugu
    ],
)
def test_the_rules_read_indias_languages_typed_in_latin_script(text, call):
    name, args = fallback_calls(text, shown(), True)[0]
    assert name == call[0]
    if name == "compare_products":
        assert choice.pick(text, BAGS).card["product_id"] == call[1]
    elif call[1]:
        assert args["product_id"] == call[1]


def test_a_price_asked_in_another_language_is_answered_from_the_card():
    assert asked.asked_fields("dooja item da mull ki hai") == ["price"]
    assert asked.asked_fields("eradane item eshtu") == ["price"]
    assert asked.asked_fields("teesre wala kis kampni ka hai") == ["brand"]


@pytest.mark.parametrize(
    "text, tool",
    [
        ("Can I also throw an extra packet of something into my pending order?", "search_policy"),
        (
            "half on paypal half on my card for the pending order, can you split it?",
            "search_policy",
        ),
        ("exchange maadoke hosa order haakbeka?", "search_policy"),  # Kannada: should I
        ("order details mein time 14:30 likha hai, woh IST hai ya kuch aur?", "search_policy"),
        ("user id already bata chuka hu, phir verification kaahe ko?", "search_policy"),
        ("janab, mujhe kisi insaan se baat karwa dijiye", "handoff_to_human"),
        ("🚚 rider ka kuch ata pata?", "list_my_orders"),
        ("mere saare orders ki list nikalo, naya wala sabse upar", "list_my_orders"),
        ("isme jute dhoondhna hai, number bolo", "compare_products"),
        ("Among these, whose reviews stand tallest?", "compare_products"),
    ],
)
def test_rules_questions_own_orders_and_choices_in_more_words(text, tool):
    assert fallback_calls(text, shown(), True)[0][0] == tool


@pytest.mark.parametrize(
    "text",
    [
        "ordrs kidr h mere",
        "janab, mere mangwaye hue saamaan ki kya khabar hai?",
        "🚚 koi parcel nikla kya mera aaj?",
    ],  # fmt: skip
)
def test_own_orders_with_the_hindi_possessive_after_the_noun_are_planned_by_the_rules(text):
    assert confident_calls(text, shown(), True) == [("list_my_orders", {})]


def test_a_price_asked_with_hoga_is_about_the_product_and_option_number_do_is_a_place():
    assert fallback_calls("the second one ke liye kitna pay karna hoga", shown(), True)[0] == (
        "get_product",
        {"product_id": "302"},
    )
    assert fallback_calls("pehla lu ki option number do", shown(), True)[0][0] == (
        "compare_products"
    )


@pytest.mark.parametrize(
    "text, tool",
    [
        ("kharidne walon ka favourite kaun nikla?", "compare_products"),  # buyers, not a purchase
        ("Be a dear and mark out the jute for me?", "compare_products"),
        ("kunto aatai kom daamor?", "compare_products"),  # Assamese: which is cheap
        ("if i tweak an item in my pending order, can i tweak again later?", "search_policy"),
        ("do you need me to say yes every time before you change my order?", "search_policy"),
        ("credit card wala order cancel karwaya, refund ka intezaar kab tak?", "search_policy"),
        ("en default address-a maathanum, neenga panna mudiyuma?", "search_policy"),  # Tamil
        ("amar delivered kettle ta ekta toaster diye bodlano jabe?", "search_policy"),  # Bengali
        ("are item ids and product ids interchangeable?", "search_policy"),
        ("if i want to pay the least, which?", "compare_products"),  # still a choice
        # a change asked of the shopper's own order is its rule; so are the assistant's opinion
        # of an order, its states, and a payment split or a refund's timing
        ("pending order mein main kya kya badal sakta hoon?", "search_policy"),
        (
            "in my pending order can i change the shampoo into a conditioner instead?",
            "search_policy",
        ),
        ("half paypal half gift card for my pending order, doable?", "search_policy"),
        ("paid with paypal, cancelled the order, when does my money come back", "search_policy"),
        ("in your personal opinion which of my orders should i return?", "search_policy"),
        ("what states can an order be in", "search_policy"),
        ("where is my pending order?", "list_my_orders"),  # no rule asked
        ("can you update me on my order?", "list_my_orders"),
        ("godown se mera kuch nikla ki nahi abhi tak", "list_my_orders"),  # anything of mine
        (
            "Respected team, I wish to ascertain the whereabouts of my consignments.",
            "list_my_orders",
        ),
        ("what payment options do you accept on orders?", "search_policy"),
        ("Do I have to prove who I am before you can look at my order?", "search_policy"),
        ("order processed ho gaya hai, ab bhi cancel ho payega?", "search_policy"),
        ("the opening act versus the third: which goes in my trolley?", "compare_products"),
        ("Would you kindly highlight the jute among the goods listed above?", "compare_products"),
    ],
)
def test_more_rules_questions_and_choices(text, tool):
    sold = frozenset({"bag", "jute", "kettle", "toaster", "card", "credit"})  # the catalog's words
    assert fallback_calls(text, shown(), True, sold)[0][0] == tool


def test_the_model_plans_only_what_the_rules_would_search_recommend_or_list():
    sold = frozenset({"bag", "jute", "shampoo"})
    assert confident_calls("cheapest?", shown(), True, sold)[0][0] == "compare_products"
    assert confident_calls("do you have shampoo", shown(), True, sold) is None  # a search
    assert confident_calls("i want to order shampoo", shown(), True, sold) is None  # "order"
    assert confident_calls("is something i bought held up in transit", shown(), True, sold) == [
        ("list_my_orders", {})
    ]


def test_what_the_shopper_says_does_not_matter_is_no_attribute_of_the_choice():
    # "brand" is a catalog word, but said as what does not matter: the cheapest of the shown
    assert fallback_calls("lowest price pls, dont care abt brand", shown(), False) == [
        ("compare_products", {"product_ids": ["301", "302", "303"]})
    ]
    assert without_preferences("any size is fine, top rated?") == ", ?"


def test_a_question_that_opens_with_why_about_a_shown_product_asks_its_explanation():
    text = "why the one you slotted in the centre? i've never bought anything like that"
    assert confident_calls(text, shown(), True) == [
        ("explain_recommendation", {"product_id": "302"})
    ]
    # a field of it asked: its details, not why it was suggested
    assert fallback_calls("why is the second one so pricey?", shown(), True)[0][0] != (
        "explain_recommendation"
    )


def test_a_count_of_the_shown_list_is_all_of_it_and_a_where_about_orders_lists_them():
    # "of these 3": the three shown, and a number names no product
    assert fallback_calls("lowest price out of these 3? just that", shown(), False) == [
        ("compare_products", {"product_ids": ["301", "302", "303"]})
    ]
    # "none of them" is the orders, not the products on the screen
    text = "where r my orders at? none of them showed up yet i think"
    assert fallback_calls(text, shown(), True) == [("list_my_orders", {})]


def test_a_product_asked_to_be_delivered_is_searched_and_an_order_is_not():
    vocabulary = frozenset("notebook basmati rice".split())
    assert fallback_calls(
        "Can notebook be delivered to my address?", shown(), True, vocabulary
    ) == [("search_products", {"query": "notebook"})]
    text = "can my order be delivered to another address?"
    assert fallback_calls(text, shown(), True, vocabulary)[0][0] != "search_products"
