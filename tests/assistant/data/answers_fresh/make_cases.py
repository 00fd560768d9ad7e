"""Builds the fresh held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, blind to the rules and the
training data, seed 2612, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_fresh.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written the way shoppers type, typos kept on purpose; none of it is taken from the other set.
FRESH = Phrasing(
    needs="""steel glass plastic coffee butter cheese orange honey olive roasted millet apple peanut
    wheat protein cotton pepper lime salted ragi ghee cocoa badam cashew dandruff caramel acne
    cinnamon sunflower berry hazelnut sesame jeera banana paneer mustard""".split(),
    need_q=[
        "i need {need}, which of these",
        "got one with {need} in it?",
        "{need} one pls",
        "which 1 has {need}",
        "lookin for {need} specifically.. which?",
        "need it {need} - wich one do i get",
        "the {need} one, which number is that?",
        "prefer {need}. recomend one",
        "is there a {need} variant here",
        "my kid only likes {need}.. which one",
    ],
    cheap_q=[
        "cheapest?",
        "whats the cheapest one",
        "which is the most afordable",
        "on a budget, which one",
        "which costs less",
        "lowest price here?",
        "gimme the cheap one",
        "least expensive of these pls",
    ],
    best_q=[
        "which has the best reviews",
        "highest rated one?",
        "which do ppl like most",
        "top rated pls",
        "which is rated best",
        "the one with most stars?",
        "which one is best reviewd",
    ],
    price_q=[
        "how much is the {o} one",
        "price of the {o} one?",
        "{o} one cost?",
        "whats the {o} one go for",
        "hw much for the {o}",
    ],
    rating_q=[
        "rating on the {o} one?",
        "how many stars does the {o} have",
        "is the {o} one rated well",
        "{o} one - reviews any good?",
    ],
    brand_q=[
        "who's the brand of the {o} one",
        "brand of the {o}?",
        "what brand is the {o} one",
        "{o} one is from which brand",
    ],
    compare_q=[
        "compare {a} and {b}",
        "{a} or {b}, which is better?",
        "difference between the {a} and the {b}?",
        "{a} one vs {b} one",
        "should i get the {a} or {b} one",
        "hows the {a} one compare to the {b}",
    ],
    more_q=[
        "more info on the {o} one?",
        "details for the {o} pls",
        "tell me abt the {o} one",
        "what's the {o} one like",
        "show me the {o} one",
        "can i see more on the {o}",
    ],
    why_q=[
        "why the {o} one for me?",
        "why would i like the {o} one",
        "is the {o} one a good fit for me? why",
        "u think the {o} suits me? why",
        "explain why the {o} one is for me",
    ],
    order_q=[
        "did my order ship?",
        "wheres my package",
        "any update on my stuff",
        "when will my order arrive",
        "track my order pls",
        "status of my last purchase?",
        "has my delivery left yet",
        "i ordered something last week, where is it",
        "what did i order recently",
        "my orders?",
    ],
    no_match="""laptop charger, running shoes, cricket bat, car tyre, winter jacket, printer ink,
    bicycle, wedding dress, dog leash, skateboard, hiking boots, electric guitar""".replace(
        "\n    ", " "
    ).split(", "),
    no_match_q=["u guys sell {q}?", "need a {q}", "looking for {q}", "{q} available?", "any {q}"],
    match=["olive oil", "dark chocolate", "toothpaste", "floor cleaner", "baby wipes"],
    match_q=["got {q}?", "need {q}", "{q} pls", "looking for {q}", "do u stock {q}"],
    policy=[
        ("can i cancel my order? it still says pending", ["pending", "cancel"]),
        ("i got the wrong size, can i exchange it", ["exchange", "delivered"]),
        ("refund how many days??", ["5 to 7 business days", "refund"]),
        ("paid w gift card, when do i get money back if i cancel", ["gift card", "immediately"]),
        ("want to return my order, how", ["delivered", "return"]),
        ("change delivery adress on my order?", ["address", "pending"]),
        ("what counts as a reason to cancel", ["no longer needed", "ordered by mistake"]),
        ("can i swap a tshirt for a different product", ["same product", "product types"]),
    ],
    ordinals=[("first", "1st", "top"), ("second", "2nd", "middle"), ("third", "3rd", "last")],
    openers=["{q}", "show me {q}", "{q} pls", "looking for {q}", "got any {q}?"],
    greet=["hey", "hello there", "hi!", "yo"],
    match_greet=["hey", "hii", "good morning"],
    no_ids=["last", "latest", "recent", "last_order", "last week", "package", "stuff", "purchase"],
)
PLAN = Plan(seed=2612, prefix="f-", need=20, pick=14, attr=18, cmp=12, why=8, ref=10, orders=14,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, FRESH, PLAN)
