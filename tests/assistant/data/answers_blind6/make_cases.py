"""Builds the sixth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 8219, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind6.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into a grocery store's chat: sloppy (typos kept on purpose), terse,
# polite, with a reason, and Hinglish in Latin script ("konsa lu", "sasta wala de do", "yaar").
# An ordinal is a whole noun phrase ("the topmost item", "nambar do wala", "teesra product",
# "woh neeche wala", "the one right at the end"); none of it is taken from the seven other sets.
BLIND6 = Phrasing(
    needs="""granola mayonnaise serum scrub conditioner wipes tissue wafers poha sambar loofah
    comb shaving foam crackers digestive kaju paratha sprinkles biscotti cutlery chikki
    yeast mascara murukku lassi peeler puttu amchur""".split(),
    need_q=[
        "yaar {need} chahiye tha, in teeno mein se konsa lu",
        "Could you point me to the one that is {need}, please?",
        "recipe calls for {need}.. which of these",
        "{need}?? kaunsa",
        "wife ne {need} bola hai, konsa uthau",
        "just need the {need}, which number is it",
        "out of these which is {need} one, cant tell",
        "I am specifically after {need}; which of these fits?",
        "{need} wali cheez kaunsi hai isme",
        "mom asked for {need} - which of these should i add",
        "which 1 is {need} lol",
        "pls tell me which item here is {need}",
    ],
    cheap_q=[
        "sasta wala de do",
        "Which of these would cost me the least, please?",
        "whichever is lowest priced, which is it",
        "least rupees out of these?",
        "kam paise wala konsa hai",
        "i'm a student, which is easiest on pocket",
        "Please tell me the lowest-cost option here.",
        "which 1 is cheapest yaar",
        "paisa bachana hai, konsa lu",
    ],
    best_q=[
        "kiske stars sabse zyada hain yahan",
        "Which of these do customers rate highest?",
        "which has best stars among them",
        "top rated konsa hai isme",
        "going by ratings which should i pick",
        "Kindly tell me which one is best reviewed.",
        "whos got the highest star count",
        "which do ppl rate better, out of these",
        "rating mein kaun aage hai",
    ],
    price_q=[
        "{o} ka daam batao",
        "{o} costs how much here",
        "Could you tell me the price of {o}?",
        "{o} kitne mein aayega",
        "{o} pe kitna kharcha hoga",
        "{o}, how much rs?",
    ],
    rating_q=[
        "{o} ko customers ne kaisa rate kiya",
        "{o} gets how many stars from buyers",
        "Could you tell me how {o} is rated?",
        "{o} stars kitne hain",
        "do buyers like {o}, stars wise?",
        "{o} ko kitne star mile",
    ],
    brand_q=[
        "{o} kaunsi company ka hai",
        "brand behind {o}?",
        "May I know the brand of {o}?",
        "{o} ka brand kya h",
        "{o} - kiska product hai ye",
        "who is the maker of {o}",
    ],
    compare_q=[
        "{a} vs {b} kaunsa behtar",
        "Could you compare {a} and {b} for me, please?",
        "{a} ya {b}, dono mein kya difference hai",
        "{a} versus {b} - price n rating?",
        "confused b/w {a} and {b}, help",
        "paisa vasool kaun, {a} ya phir {b}?",
        "{a} ke jagah {b} le sakta hu? compare karke batao",
        "pit {a} against {b} on price and stars",
    ],
    more_q=[
        "{o} ke bare me detail me batao",
        "Can you describe {o} in more detail?",
        "{o} actually kya cheez hai, explain karo",
        "{o} ka poora vivaran do",
        "{o} pe thoda info milega?",
        "I would like the full details of {o}, please.",
    ],
    why_q=[
        "{o} mujhe kyun suggest kiya?",
        "Why would {o} suit me, given what I have bought before?",
        "whats the reason u picked {o} for me",
        "{o} kis basis pe recommend kiya",
        "y {o}? based on my orders?",
        "how is {o} related to what i buy usually",
    ],
    order_q=[
        "mera saman kahan tak pahuncha",
        "Could you give me an update on my orders, please?",
        "where r my orders",
        "did my last order arrive or not",
        "delivery kab tak expect karu",
        "can u peek at my orders",
        "parcel nikla ya abhi bhi warehouse mein hai",
        "dispatch hua kya mera saman",
        "I would like to know the status of my orders.",
        "kuch pending hai kya mera",
        "list out whatever i ordered lately",
    ],
    no_match="""table tennis bat, punching bag, lehenga, dupatta, hearing aid, tractor, roller
    skates, dslr camera, earphones, solar panel, door lock, mangalsutra, engagement ring, piano,
    flute, almirah, cradle, cricket helmet""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "do you stock {q}",
        "{q} ka bhi section hai kya aapke store mein?",
        "Would I be able to buy {q} from you?",
        "need a {q}, u have?",
        "{q} order kar sakta hu yahan se?",
        "any {q} on this site",
    ],
    match="""toor dal, honey, detergent powder, biscuits, rock salt, chyawanprash, paneer,
    jam""".replace("\n    ", " ").split(", "),
    match_q=[
        "ghar pe {q} khatam, hai kya?",
        "Do you have {q}? I need some.",
        "{q} in stock?? need asap",
        "{q} ke options dikha do",
    ],
    policy=[
        (
            "can i pay by upi or cash on delivery, or only cards?",
            ["a gift card, a paypal account, or a credit card", "paypal account"],
        ),
        (
            "after you book an exchange for me what will my order status say?",
            ["exchange requested"],
        ),
        (
            "what will my order status read once you book a return?",
            ["return requested"],
        ),
        (
            "in my pending order can i change the shampoo into a conditioner instead?",
            ["cannot be any change of product types", "change of product types"],
        ),
        (
            "order is still pending, can you add one more item to it?",
            ["but nothing else", "shipping address, payment method, or product item options"],
        ),
        (
            "for my return can the refund go to paypal even though i paid by card?",
            ["original payment method, or an existing gift card", "original payment method"],
        ),
        (
            "just cancel it, no need to ask me again, ok?",
            ["explicit user confirmation", "confirmation"],
        ),
        (
            "is the time on my order in indian time?",
            ["are EST", "EST and 24 hour based"],
        ),
        (
            "i want to cancel because i found it cheaper elsewhere, is that a valid reason?",
            ["no longer needed", "ordered by mistake"],
        ),
        (
            "if i move my pending order off my credit card, when does the card get refunded?",
            ["5 to 7 business days"],
        ),
    ],
    ordinals=[
        (
            "the topmost item",
            "nambar ek wala",
            "pehla product",
            "woh upar wala",
            "the one u put on top",
        ),
        (
            "the in-between item",
            "nambar do wala",
            "doosra product",
            "woh beech ka",
            "the one sandwiched in the middle",
        ),
        (
            "the bottom item",
            "nambar teen wala",
            "teesra product",
            "woh neeche wala",
            "the one right at the end",
        ),
    ],
    openers=[
        "{q} dikhao zara",
        "hi, need {q}",
        "Could you show me what {q} you have?",
        "{q} ki variety dikhao",
        "on the hunt for {q}",
        "kuch achha {q} batao",
        "{q} ka stock dekhna tha",
        "I'm looking for {q} today.",
    ],
    greet=["hlo", "namaskaram", "heyyy", "gd evening", "hello shop", "hellooo ji"],
    match_greet=["ek aur sawaal", "aur ek cheez", "hey again"],
    no_ids="""mera saman kahan tak pahuncha update arrive delivery kab expect karu peek dispatch
    hua nikla warehouse kuch pending lately ordered parcel status abhi""".split(),
)
PLAN = Plan(seed=8219, prefix="g-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND6, PLAN)
