"""Builds the fourth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 6151, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind4.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into a chat widget: sloppy (typos kept on purpose), polite, with a
# reason, and some Hinglish ("dikha do na", "kitne stars mile hain", "2nd wala"), as Indian shoppers
# write. An ordinal is a whole noun phrase ("numero uno", "item no. 2", "the last of the three");
# none of it is taken from the five other sets.
BLIND4 = Phrasing(
    needs="""pasta spf vinegar biryani papad muesli chaat sponge chipotle chhole olives popcorn
    basmati chutney vermicelli upma eggless kumkumadi unsweetened stevia keto tofu barley methi
    rasam ajwain kokum litchi guava pomegranate oregano wasabi salsa toffee elaichi triphala
    microfibre eucalyptus retinol collagen citrus""".split(),
    need_q=[
        "arre which of these is the {need} one yaar",
        "Sorry to bother you, but could you point out the item with {need}?",
        "my mother-in-law is visiting and she insists on {need}, so which should i get",
        "{need} wala dikha do na, kaunsa number hai",
        "quick q - {need} is in which of them?",
        "need something with {need} for tonight, which of the 3",
        "Which listing mentions {need}, if any?",
        "{need} hi chahiye mujhe, baaki nahi. which?",
        "scanning for {need}, spot it for me in this list",
        "ok im only interested in the {need} product, which no.?",
        "Hi, just checking: which of your suggestions says {need}?",
        "the {need} kind is what we always buy, which is that here",
    ],
    cheap_q=[
        "which one is lowest on price yaar",
        "Kindly tell me which of the three will cost me the least.",
        "paisa bachana hai, sabse kam price kiska hai?",
        "salary hasnt come yet lol, which is the cheapest",
        "which is the best deal price-wise, just the lowest number pls",
        "if i want to pay the least, which do i pick?",
        "point me to the cheapo one lol",
        "cheaper wala kaunsa hai in teeno mein",
        "which undercuts the other two on price?",
    ],
    best_q=[
        "which of these has the top star score?",
        "sabse best rated kaunsa hai yaar",
        "Going by star ratings alone, which one leads, may I know?",
        "i trust ratings more than ads, which scores top here",
        "which has the best out-of-5 number",
        "go by reviews and tell me the winner",
        "whose rating is the highest among the three",
        "best reviewed wala kaunsa",
        "most stars wins, which one is that?",
    ],
    price_q=[
        "{o} ki keemat batao",
        "what's the damage for {o}?",
        "May I have the price of {o}, please?",
        "price tag on {o}??",
        "{o} - how much are you selling it for",
        "and what do i pay for {o}",
    ],
    rating_q=[
        "{o} ko kitne stars mile hain?",
        "is {o} rated 4 plus or nah",
        "May I know how {o} is rated?",
        "{o} ka review kaisa hai, stars?",
        "stars for {o}?",
        "how did {o} fare in reviews? number pls",
    ],
    brand_q=[
        "{o} kaun si company ka hai",
        "who's {o} from, brand-wise?",
        "May I ask whose brand {o} carries?",
        "is {o} from a big brand or some local one? name pls",
        "{o} ka maker kaun hai",
        "brand check on {o} pls",
    ],
    compare_q=[
        "{a} ke saamne {b} kaisa hai?",
        "should i pick {a} over {b}, or the other way round?",
        "Could you weigh {a} and {b} for me on price and rating?",
        "{a} vs {b}, help me decide plz",
        "who comes out ahead, {a} or {b}?",
        "tell me how {a} and {b} differ in price n stars",
        "{a} lu ya {b}? confused",
        "Is {a} a better buy than {b}, in your view?",
    ],
    more_q=[
        "{o} ka full detail do",
        "I'd like the specifics of {o}, please.",
        "click karke {o} dikhao",
        "what else should i know about {o}",
        "{o} - whats it all about?",
        "can i get the lowdown on {o}",
    ],
    why_q=[
        "why do u reckon {o} suits my usual shopping?",
        "{o} hi kyun? mere orders dekh ke batao",
        "Could you explain how {o} ties in with what I've bought before?",
        "i'm on a diet, is {o} a sensible pick for me? reasons pls",
        "justify {o} for me based on my history",
        "what in my past purchases points to {o}?",
    ],
    order_q=[
        "mera last order kidhar hai?",
        "Could you tell me if any of my orders are on the way?",
        "any parcels headed my way this week?",
        "i need a rundown of my orders pls",
        "has everything i ordered reached me?",
        "kya mera order cancel ho gaya?",
        "what's still processing on my side?",
        "list out my purchases so far",
        "was my recent order delivered or not",
        "any order of mine thats not delivered yet?",
        "show my order status, all of them",
    ],
    no_match="""sofa set, wifi router, study table, wardrobe, suitcase, kurta, chess set,
    memory card, inverter battery, pen drive, harmonium, wall paint, shoe rack, electric scooter,
    mosquito net, laptop bag, ladder, extension board""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "does this app have {q} at all?",
        "{q} bhi rakhte ho aap log?",
        "trying to buy {q} online today, can you help",
        "Can I get {q} delivered from your store?",
        "need {q} before diwali, do you stock it",
        "is {q} available on your site or no?",
    ],
    match="""mango pickle, face wash, baby diapers, masala oats, mouthwash, room freshener,
    hair gel, peanut chikki""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} mil jayega?",
        "could you dig up some {q} for me?",
        "Need {q} today, is it there?",
        "{q} khatam ho gaya, aur chahiye",
    ],
    policy=[
        (
            "i already gave you my user id, do you still have to verify who i am?",
            ["even when the user already provides the user id", "authenticate the user identity"],
        ),
        (
            "when switching payment on a pending order, can i pick the same card i paid with?",
            ["different from the original payment method", "single payment method"],
        ),
        (
            "in what situations would you pass me on to a real person?",
            ["human agent", "cannot be handled within the scope"],
        ),
        (
            "if i move my pending order's payment off my gift card, when does the gift card get "
            "its money back?",
            ["refunded immediately if it is a gift card", "immediately"],
        ),
        (
            "my order still says processed. can i start a return on it already?",
            ["only be returned if its status is 'delivered'", "delivered"],
        ),
        (
            "for a return, can the refund go onto a brand new gift card?",
            ["existing gift card", "original payment method"],
        ),
        (
            "Once I've requested an exchange, how do I send the old item back?",
            ["email regarding how to return items", "exchange requested"],
        ),
        (
            "can i change the items in my pending order in two goes, some today and some later?",
            ["only be called once", "collected into a list"],
        ),
        (
            "after i say yes to cancelling, what will the order show as?",
            ["changed to 'cancelled'", "cancelled"],
        ),
        (
            "if i swap an item in a pending order for a cheaper option, do i get the difference "
            "back?",
            ["refund of the price difference", "price difference"],
        ),
    ],
    ordinals=[
        (
            "numero uno",
            "sabse upar wala",
            "the first suggestion",
            "item no. 1",
            "the one right at the top",
        ),
        (
            "the one right below the first",
            "2nd wala",
            "suggestion two",
            "item no. 2",
            "the one sandwiched in between",
        ),
        (
            "the last of the three",
            "teesri wali",
            "suggestion three",
            "item no. 3",
            "the bottom-most one",
        ),
    ],
    openers=[
        "pranam, {q} mil jayega?",
        "can u show some {q} options quickly",
        "Please show me your range of {q}.",
        "{q} ka stock hai? dikhao",
        "time to restock {q}, what's on offer",
        "my sister recommended {q}, show me some",
        "ok so {q}. options?",
        "Hello, I'm shopping for {q} this evening.",
    ],
    greet=["excuse me", "hullo", "salaam", "good afternoon :)", "ping", "hey, got a minute?"],
    match_greet=["back again lol", "hey, one more thing", "sat sri akal"],
    no_ids="""mera last kidhar way parcels headed week rundown everything reached cancel gaya
    processing side purchases recent delivered status""".split(),
)
PLAN = Plan(seed=6151, prefix="e-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND4, PLAN)
