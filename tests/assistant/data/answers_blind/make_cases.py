"""Builds the blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 3103, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into a chat widget (typos kept on purpose). An ordinal here is a whole
# noun phrase ("the one on top", "number two"), so the templates take {o} without "the ... one".
BLIND = Phrasing(
    needs="""sugar gluten black white pink blue fresh sweet chilli vitamin amla soya flax chia
    peach pumpkin corn potato chicken ayurvedic germ floral copper insulated airtight glow repair
    smooth argan virgin whole printed square round curry cider silver""".split(),
    need_q=[
        "which of those is {need}?",
        "buying for my mom, she only uses {need} stuff. which one?",
        "ok so im picky about this.. which one is {need}",
        "{need}?? which number",
        "hey could you tell me which of these is the {need} option, please?",
        "i was hoping for something {need}, any of these fit",
        "wich one says {need} on it",
        "my wife asked specifically for {need}, which do i grab",
        "looking for the {need} version of this, which is it",
        "do any of them come in {need}? if so which",
        "plz point me to the {need} one",
    ],
    cheap_q=[
        "im a student, money's tight - which one costs the least?",
        "i just want whatever's least costly",
        "which of these is kindest on my wallet?",
        "sort by price for me - which comes out on the low end?",
        "cheepest one?",
        "which would save me the most money?",
        "could you point out the most economical option, please?",
        "whats the budget pick here",
    ],
    best_q=[
        "which one has the best star rating?",
        "buying for my mom so i want the one people love most, which?",
        "which is the most highly rated",
        "which got the best feedback from customers?",
        "highest rating among these pls",
        "which do reviewers score highest?",
        "which one gets the best marks from other buyers?",
        "for my dad - which one do reviewers like the most?",
    ],
    price_q=[
        "what does {o} cost?",
        "price for {o} pls",
        "wats {o} priced at",
        "could you tell me what {o} costs, please?",
        "{o} - how many rupees?",
        "and {o}, what's it gonna cost me",
    ],
    rating_q=[
        "what rating does {o} have?",
        "do people like {o}? whats its rating",
        "star rating of {o}?",
        "{o} - what do reviewers give it out of 5?",
        "how's {o} rated by customers",
    ],
    brand_q=[
        "who makes {o}?",
        "what's the brand name on {o}",
        "{o} is by which company?",
        "whose product is {o}",
        "brand for {o} please, my mom only trusts certain brands",
    ],
    compare_q=[
        "put {a} next to {b} - which wins?",
        "is {a} better than {b}?",
        "torn between {a} and {b}, help",
        "what separates {a} from {b}",
        "help me choose between {a} and {b} for my mom",
        "how does {a} stack up against {b}",
        "which is the smarter buy, {a} or {b}",
    ],
    more_q=[
        "tell me everything about {o}",
        "what's the deal with {o}?",
        "can you give me the details of {o}, please?",
        "expand on {o} a bit",
        "i'd like to know more about {o}",
        "info abt {o} pls",
    ],
    why_q=[
        "explain to me why {o} fits what i usually buy",
        "based on my past orders, would {o} be a good choice?",
        "give me a reason to go for {o}",
        "how is {o} a fit for me",
        "convince me {o} is right for me",
        "im diabetic - is {o} ok for someone like me? why",
    ],
    order_q=[
        "my last order - has it shipped?",
        "whats happening with my package",
        "remind me what i bought recently?",
        "can u tell me what i ordered last time",
        "hey is my parcel coming today?",
        "i placed an order a few days back, any news?",
        "did the groceries i ordered get delivered",
        "show me my previous orders pls",
        "i ordered a birthday gift for my mom, is it on the way?",
        "how is my most recent order doing?",
    ],
    no_match="""bluetooth speaker, office chair, wrist watch, surfboard, washing machine,
    lawn mower, car seat cover, football boots, gaming console, sunglasses, leather wallet,
    power drill, air conditioner, treadmill, violin, binoculars, hockey stick,
    badminton racket""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "does your store sell {q}?",
        "i need to buy {q} for my son",
        "can i order a {q} here",
        "{q} - do you have any?",
        "where can i find {q} on this site",
        "my dad wants a {q}, do you sell those",
    ],
    match="""apple cider vinegar, chia seeds, mosquito repellent, sunscreen, pressure cooker,
    coconut oil, tomato ketchup, toilet cleaner""".replace("\n    ", " ").split(", "),
    match_q=[
        "where do i find {q}",
        "i'm out of {q}, can i get some here?",
        "searching for {q}",
        "is there {q} in this store",
    ],
    policy=[
        (
            "i paid by paypal and cancelled, how soon is the money back?",
            ["5 to 7 business days", "original payment method"],
        ),
        (
            "my order hasnt shipped yet, can i switch the size of something in it?",
            ["pending", "same product"],
        ),
        ("if i return stuff where does the refund go?", ["original payment method", "gift card"]),
        ("after i ask for a return, what happens next?", ["return requested", "email"]),
        ("can you also help me with my sister's order?", ["one user", "other user"]),
        (
            "do i need to place a new order when i exchange something?",
            ["no need to place a new order", "exchange requested"],
        ),
        (
            "want to use my gift card on an order that's still pending, any conditions?",
            ["enough balance", "gift card"],
        ),
        ("what time zone are the times on my orders in?", ["EST"]),
        ("can i update the default address on my account please", ["default", "address"]),
        ("what states can an order be in", ["pending", "processed", "delivered", "cancelled"]),
    ],
    ordinals=[
        ("the first one", "the 1st", "the top one", "the one on top", "item 1"),
        ("the second one", "the 2nd", "number two", "the middle one", "the one in the middle"),
        ("the third one", "the 3rd", "the last one", "the bottom one", "the one at the bottom"),
    ],
    openers=[
        "hi, looking for {q} for my mom",
        "do you have any {q}",
        "need some {q} pls",
        "{q} in stock?",
        "hey can you show me {q}",
        "searching {q}",
        "Hello! I'd like to buy {q}, please.",
    ],
    greet=["hey there", "hiya", "good evening", "helloo", "heya :)", "namaste"],
    match_greet=["heyy", "hi there", "morning!"],
    no_ids="""last latest recent recently last_order package parcel previous groceries birthday
    gift today news""".split(),
)
PLAN = Plan(seed=3103, prefix="b-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND, PLAN)
