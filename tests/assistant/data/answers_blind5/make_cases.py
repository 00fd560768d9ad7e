"""Builds the fifth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 7043, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind5.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into a chat widget: sloppy (typos kept on purpose), polite, terse, with
# a reason, and Hinglish or Hindi in Latin script ("jo beech mein hai", "sasta kaunsa padega",
# "bhai"), as Indian shoppers write. An ordinal is a whole noun phrase ("the opening one", "entry
# two", "aakhri wala", "the one mentioned last"); none of it is taken from the six other sets.
BLIND5 = Phrasing(
    needs="""khakhra rusk nachos sriracha hummus shikakai ubtan bleach vetiver thandai
    jaljeera kulfi bhujia raisins watermelon beetroot mop broom tawa biotin henna beard
    razor talc darjeeling arabica spaghetti fusilli dhokla jelly pudding marmalade shrikhand
    halwa hakka penne toner aftershave diya""".split(),
    need_q=[
        "bhai {need} waala konsa hai inme se",
        "Would you be so kind as to tell me which one is the {need} product?",
        "kids want {need} for the party tmrw, which one do i grab",
        "{need} wala?? number bolo",
        "i was told to get {need} specifically - which number matches",
        "mujhe sirf {need} se matlab hai, kaunsa hai woh",
        "hmm which one of these actually says {need} on it",
        "doc said {need} is fine for me, so which of ur three",
        "Of the items above, which is the {need} variant?",
        "looking for the {need} thing in there, which is it",
        "{need} vala product konsa hai bata do",
        "umm so the {need} one, which would that be",
    ],
    cheap_q=[
        "sasta kaunsa padega inme?",
        "Which of these is the most economical, please?",
        "month end hai, lowest price waala bolo",
        "which is lightest on the wallet",
        "cheapest of the lot?",
        "budget tight, which one drains the least money",
        "Which among these is kindest on my budget?",
        "sabse kifayati kaunsa hai",
        "minimum spend option from these three pls",
    ],
    best_q=[
        "ratings ke hisaab se kaunsa top pe hai",
        "Which one has received the best reviews from customers?",
        "best by stars?",
        "which got the most love in reviews",
        "i only buy whatever is rated max, which here",
        "sabse zyada stars kisko mile",
        "Which has the strongest customer rating of the three?",
        "top reviewed product among these pls",
        "which do other buyers like the most going by stars",
    ],
    price_q=[
        "{o} kitne rupaye ka milega",
        "cost of {o}?",
        "What is {o} priced at, if I may ask?",
        "{o} - rate kya hai bhai",
        "{o} will cost me what",
        "pls tell price {o}",
    ],
    rating_q=[
        "{o} ko log kitna rate karte hain",
        "What have customers rated {o}, may I ask?",
        "how many stars has {o} got",
        "{o} rating??",
        "are people happy with {o}? whats its score",
        "out of five, where does {o} land",
    ],
    brand_q=[
        "{o} banata kaun hai",
        "Which manufacturer is behind {o}, please?",
        "{o} brand naam?",
        "{o} - company name kya hai",
        "{o} is manufactured by?",
        "what label is {o} sold under",
    ],
    compare_q=[
        "{a} ko {b} se compare karo",
        "Kindly set {a} against {b} for me.",
        "{a} or {b} - which gives me more for my money",
        "between {a} and {b} which would u go for and why",
        "{a} theek rahega ya {b}, aap batao",
        "{a} & {b} side by side pls, rupees + stars",
        "stuck deciding: {a} against {b}",
        "does {b} beat {a} on anything?",
    ],
    more_q=[
        "{o} ki thodi details share karo",
        "Please share more information on {o}.",
        "whats the deal with {o}, in detail",
        "whats the full story with {o}",
        "{o} ka description chahiye",
        "give me all the info on {o} pls",
    ],
    why_q=[
        "why did {o} show up for me specifically?",
        "mere purane orders se {o} ka kya connection hai?",
        "Could you explain why {o} would be a good fit given my purchase history?",
        "what makes u think i'd like {o}",
        "{o} recommend kyun kiya, based on what i usually buy?",
        "how does {o} match the stuff i normally order",
    ],
    order_q=[
        "mere orders kab tak pahunchenge?",
        "Would you kindly look into where my orders stand?",
        "any news on the stuff i ordered",
        "has anything i bought gone out for delivery",
        "mere saare orders dikhao",
        "I placed some orders a while back, where are they now?",
        "anything of mine stuck in pending?",
        "order update pls",
        "kuch order deliver hua ya nahi abhi tak",
        "can u pull up what i've ordered",
        "order tracking kar do mera",
    ],
    no_match="""tabla, sitar, drone camera, water tank, bunk bed, tyre pump, sleeping bag, sherwani,
    school uniform, smartwatch, projector, air cooler, geyser, kitchen chimney, gas cylinder,
    trampoline, cctv camera, wheelchair""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "is {q} something u guys carry",
        "{q} milega kya yahan?",
        "Is it possible to order {q} through your store?",
        "looking to buy {q}, anything?",
        "aapke paas {q} milta hai?",
        "hey can i get {q} here or should i look elsewhere",
    ],
    match="""body lotion, toothbrush, tea bags, dishwash bar, coffee powder, hair colour, shampoo,
    ghee""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} hai kya stock mein",
        "{q} is on my list today; what can you offer?",
        "running low on {q}, got any?",
        "{q} dikhao",
    ],
    policy=[
        (
            "i forgot my order number, can you find it for me?",
            ["help the user look up order id", "look up order id"],
        ),
        (
            "in your personal opinion which of my orders should i return?",
            ["subjective recommendations", "not make up any information"],
        ),
        (
            "how many kinds of products does your store sell in total?",
            ["50 types of products", "50 types"],
        ),
        (
            "once you change the items on my pending order, what status will it show?",
            ["pending (items modifed)", "items modifed"],
        ),
        (
            "for an exchange with a price difference, do i have to give you a payment method?",
            ["provide a payment method to pay or receive refund", "payment method"],
        ),
        (
            "my order is already processed, can i still change the delivery address?",
            ["only be modified if its status is 'pending'", "pending"],
        ),
        (
            "before cancelling, do you look at what state my order is in?",
            ["check its status before taking the action", "check its status"],
        ),
        (
            "can you change the email id on my account?",
            ["modify their default user address", "default user address"],
        ),
        (
            "i dont remember which email i used, can you still find my account?",
            ["name + zip code", "zip code"],
        ),
        (
            "my gift card has less money than the order total, can i still switch my pending "
            "order to it?",
            ["enough balance to cover the total amount", "enough balance"],
        ),
    ],
    ordinals=[
        (
            "the opening one",
            "entry one",
            "pehle wale",
            "jo sabse pehle dikhaya",
            "the one heading the list",
        ),
        (
            "the one after the first",
            "entry two",
            "beech wala",
            "jo beech mein hai",
            "the centre one",
        ),
        (
            "the closing one",
            "entry three",
            "aakhri wala",
            "jo sabse neeche hai",
            "the one mentioned last",
        ),
    ],
    openers=[
        "namaste ji, {q} chahiye",
        "lemme see {q}",
        "Could you locate {q} for me?",
        "{q} mein kya kya hai aapke paas",
        "{q} for the week's shopping",
        "my friend uses {q}, what do you have",
        "hmm {q}...",
        "Good evening, I'd like to look at {q}.",
    ],
    greet=["hiiii", "ram ram", "hello ji", "suprabhat!", "oye", "heya, small doubt"],
    match_greet=["wapas aa gaya", "hi, something else", "kem cho"],
    no_ids="""mere kab tak pahunchenge kindly stand news stuff ordered bought delivery saare dikhao
    placed while back stuck pending update deliver hua nahi abhi pull tracking mera""".split(),
)
PLAN = Plan(seed=7043, prefix="f-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND5, PLAN)
