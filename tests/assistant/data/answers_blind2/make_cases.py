"""Builds the second blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 4217, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind2.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into a chat widget: sloppy (typos kept on purpose), polite, with a
# reason, and a little Hinglish ("kitne ka hai", "sabse sasta"), as Indian shoppers write. An
# ordinal is a whole noun phrase ("the one listed first", "option 2", "#3"), as in the first blind
# set; none of it is taken from the three other sets.
BLIND2 = Phrasing(
    needs="""purple grey lemongrass gel brass bamboo aluminium borosilicate opalware silicone
    transparent induction sugarfree jaggery cumin cardamom kesar papaya pineapple raspberry
    apricot walnut quinoa jowar chamomile shea tamarind coriander hibiscus cranberry sandalwood
    camphor peppermint fig clove blueberry""".split(),
    need_q=[
        "which ones {need}",
        "I'd prefer something {need}. Which of these would that be?",
        "doc told me to switch to {need}, which should i pick",
        "{need} is a must for me - which has it?",
        "is any of them {need}",
        "gotta have {need}, which is it",
        "pls which is {need} i cant tell from the names",
        "Could you let me know which product is the {need} one?",
        "for my grandmother, she wants {need} - which of the three?",
        "sorry which of them was {need} again",
        "{need} wala konsa hai",
        "i specifically came here for {need}, point me to it",
    ],
    cheap_q=[
        "whats the least i can pay here",
        "sabse sasta kaunsa hai",
        "Which one has the smallest price tag?",
        "trying to save a few rupees, which is lowest priced",
        "cheapst pls",
        "end of the month and im broke.. which one is less money",
        "Could you tell me which of these is the most affordable, please?",
        "whichevers cheaper ill take that",
        "min price option?",
    ],
    best_q=[
        "which ones got the most love in the reviews",
        "which is rated the highest by people who bought it?",
        "who's got the highest score",
        "I'd like the one customers are happiest with - which is it?",
        "which has the best avg rating",
        "which would other shoppers recommend most, going by ratings?",
        "best scoring of the three?",
        "rating wise which is best",
        "sabse acchi rating kiski hai",
    ],
    price_q=[
        "{o}, price?",
        "can I know the cost of {o}?",
        "{o} kitne ka hai",
        "How much does {o} sell for?",
        "what would {o} run me",
        "pricing on {o}?",
    ],
    rating_q=[
        "what's the customer score for {o}?",
        "is {o} well liked? rating?",
        "{o} - rating out of five?",
        "Could you share the rating of {o}?",
        "how do buyers rate {o}",
        "ratng for {o} plz",
    ],
    brand_q=[
        "{o} - what brand?",
        "who's the manufacturer of {o}?",
        "May I know which brand {o} comes from?",
        "{o} kis brand ka hai",
        "wats the make of {o}",
        "which label is {o} from",
    ],
    compare_q=[
        "{a} or {b}, which should i go with",
        "can you compare {a} with {b} for me please?",
        "pros and cons of {a} versus {b}",
        "whats better value, {a} or {b}",
        "i cant decide: {a} or {b}. thoughts?",
        "how is {a} different from {b}",
        "side by side, {a} and {b} please",
        "{a} aur {b} mein kya farak hai",
    ],
    more_q=[
        "describe {o} for me",
        "I'd love some more detail on {o}, if you don't mind.",
        "what exactly is {o}?",
        "zoom in on {o} pls",
        "open {o}",
        "gimme the full rundown on {o}",
    ],
    why_q=[
        "why do you think {o} is a match for me?",
        "does {o} go with the kind of things i normally order? why?",
        "what about my history makes {o} a good pick",
        "Why would you recommend {o} to me specifically?",
        "i have high bp, is {o} suitable for me and why",
        "whats the reason {o} would work for me",
    ],
    order_q=[
        "any tracking info for my shipment?",
        "ordered some things on monday, still nothing. whats up",
        "Could you please check the status of my orders?",
        "wat have i ordered so far",
        "is my delivery delayed?",
        "i want to see my order history",
        "its been a week, when does my delivery get here",
        "the things i ordered for my son, have they shipped?",
        "pls list everything ive bought from you",
        "I'm expecting a parcel from you this week, could you tell me where it is?",
        "mera order kab aayega",
    ],
    no_match="""microwave oven, ceiling fan, yoga mat, mobile phone, dining table, water heater,
    gold necklace, air fryer, kayak, refrigerator, mattress, baby crib, fish tank, steam iron,
    vacuum cleaner, electric kettle, dumbbells, jeans""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "Is it possible to buy {q} from you?",
        "{q} milega?",
        "searching for {q} for our new flat",
        "any chance you stock {q}?",
        "need decent {q}, what do you have",
        "do you guys deliver {q} too",
    ],
    match="""mustard oil, soya chunks, jaggery powder, sanitary pads, kitchen towel, dog food,
    lip balm, aluminium foil""".replace("\n    ", " ").split(", "),
    match_q=[
        "can i buy {q} on here",
        "Do you sell {q}? I'm running low.",
        "{q} hai kya?",
        "where's the {q} section",
    ],
    policy=[
        (
            "do u need to verify its me before helping with my order?",
            ["authenticate", "email", "zip code"],
        ),
        (
            "before you cancel anything, will you check with me first?",
            ["explicit user confirmation", "confirmation"],
        ),
        ("is there a way to speak with a human instead", ["human agent"]),
        (
            "once i've changed the items in my pending order, could i still cancel it later?",
            ["not be able to modify or cancel", "items modifed"],
        ),
        (
            "i want to exchange two things from one delivered order, do i do them one at a time?",
            ["all items", "only be called once"],
        ),
        (
            "the new option costs more than the one i got, how is the difference paid when "
            "exchanging?",
            ["price difference", "payment method"],
        ),
        (
            "Could I split the payment for my pending order across two cards?",
            ["single payment method"],
        ),
        ("what kinds of payment methods can i keep on my profile?", ["paypal", "credit card"]),
        ("is an item id the same as a product id?", ["no relations", "item id"]),
        (
            "to return something what details do you need from me?",
            ["order id", "list of items", "payment method"],
        ),
    ],
    ordinals=[
        ("the first of those", "option 1", "#1", "the one listed first", "the first product"),
        ("the second item", "option 2", "#2", "the 2nd of those", "no. 2"),
        ("the final one", "#3", "the third item", "option 3", "the last of them"),
    ],
    openers=[
        "Good afternoon, could you show me some {q}?",
        "want to buy {q}",
        "what {q} do you have",
        "i'm shopping for {q} for my grandma",
        "browsing for {q}, any suggestions?",
        "Can you help me find {q}? Thanks!",
        "lemme see ur {q}",
        "{q} ke options dikhao",
    ],
    greet=["howdy", "hola", "hello, anyone there?", "hi team", "sup", "hey!! quick question"],
    match_greet=["hey buddy", "hi again", "hallo"],
    no_ids="""tracking shipment monday status history delayed week delivery things son everything
    parcel mera kab aayega""".split(),
)
PLAN = Plan(seed=4217, prefix="c-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND2, PLAN)
