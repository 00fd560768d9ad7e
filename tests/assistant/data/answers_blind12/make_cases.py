"""Builds the twelfth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 15061, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind12.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences ("Kindly ...", "Requesting you to ...", "Dear
# team, ..."), personal context, Hinglish in Latin script, voice-typed run-ons without
# punctuation, other Indian-English turns, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the thirteen other sets.
ORDER_Q = [
    "mera parcel kab tak ghar pahuchega",
    "Kindly share an update on every order I have placed so far.",
    "my ordrs whr r they",
    "jo pichle hafte mangwaya tha uska kya scene hai",
    "i placed something few days back and got no sms yet can you see where it has reached",
    "mummy ke birthday ka gift mangaya tha, dispatch hua ki nahi",
    "show me a list of everything i have bought from you till now",
    "koi order galti se cancel toh nahi ho gaya na mera",
    "Are any of my deliveries still travelling to me?",
    "delivery wale bhaiya aaye hi nahi 😤 dekho kya hua",
    "kitne orders chal rahe hai mere naam pe abhi",
    "track karke batao mera saamaan kidhar hai",
]
BLIND12 = Phrasing(
    needs="""sunscreen fries kebab trimmer sieve skewers belan trivet pegs salami inhaler brownie
    croissant pesto""".split(),
    need_q=[
        "ek {need} lena tha, inme se kaunsa wahi hai",
        "Kindly indicate which listed item is the {need}.",
        "{need} kaunsa h isme",
        "arre yaar mujhe sirf {need} chahiye tha, teeno mein se kaunsa hai woh",
        "ok so which of these 3 is actually the {need}, cant tell from the names",
        "👀 {need} kidhar hai list mein",
        "my mother-in-law asked for {need} specifically, which one do i add to cart",
        "{need} ka serial number bata do ji",
        "hello i want {need} only not the others which one is it",
        "in teeno mein {need} dhoondh ke do na plz",
        "Sorting out stuff for my flatmates, which of your three is the {need}?",
        "pls point out the {need}",
        "{need} ke liye kaunsa product add karu",
    ],
    cheap_q=[
        "budget tight hai 🥲 sabse kam paisa kisme lagega",
        "Kindly advise which option carries the lowest price tag.",
        "lowest rate wala?",
        "end of month yaar, inme sabse saste ka naam batao",
        "i am a student so whichever costs the fewest rupees just tell me that",
        "kaunsa jeb pe halka padega",
        "paise bachane hain, konsa lu",
        "which is the wallet-friendly guy in this bunch",
        "Requesting you to tell me which of these has the smallest bill amount.",
    ],
    best_q=[
        "kaunsa item reviewers ka laadla hai",
        "Kindly advise which option has earned the strongest customer ratings.",
        "max rating kiski?",
        "jo log sabse pasand kar rahe hai woh wala batao",
        "my husband reads reviews for everything so which one here scores top marks",
        "yaar 🤔 reviews ke mamle mein kaun champion hai",
        "customers ne kisko full marks ke kareeb diye",
        "kiske reviews sabse chamakdar hai",
        "whats the top scorer on reviews among these three",
    ],
    price_q=[
        "{o} khareedne mein jeb kitni dheeli hogi",
        "Requesting you to quote today's price for {o}.",
        "{o} rs?",
        "{o} ke liye kitna pay karna hoga 💰",
        "how many rupees is {o} coming to",
        "salary aane mein time hai, {o} ka rate kya hai",
    ],
    rating_q=[
        "{o} ko kitna rating mila hai",
        "Kindly share the review rating for {o}.",
        "{o} stars?",
        "{o} ke reviews kaise hai, kitne star",
        "has {o} been reviewed nicely, what number does it show",
        "bhabhi bol rahi thi {o} acha hai, rating kya hai uski",
    ],
    brand_q=[
        "{o} kaun si factory se aata hai, naam kya hai brand ka",
        "Requesting you to confirm which brand sells {o}.",
        "{o} make?",
        "{o} ke packet pe brand kaunsa hoga",
        "so like whose brand is {o}, the label i mean",
        "I only trust certain labels, so who makes {o}?",
    ],
    compare_q=[
        "{a} ya {b}, tum hote toh kaunsa lete",
        "Kindly compare {a} against {b} and tell me which is better.",
        "{a} v/s {b}??",
        "confused hu 🙈 {a} lu ki {b}",
        "honestly speaking {a} and {b} which gives more bang for the buck",
        "guests aa rahe hai weekend pe, {a} better rahega ya {b}",
        "{a} se {b} ki takkar karao, jeetega kaun",
        "ok so {a} or {b}, final answer",
    ],
    more_q=[
        "{o} ka pura bio-data chahiye 😄",
        "Requesting a fuller description of {o}, thank you.",
        "{o} details?",
        "{o} ke andar kya kya hai, features wagairah",
        "tell me everything about {o} like ingredients size whatever you have",
        "never heard of {o} before, what is it like",
    ],
    why_q=[
        "{o} kyun recommend kiya",
        "Dear team, on what basis was {o} suggested to me?",
        "why {o}??",
        "{o} hi mere liye fit kyun baitha",
        "what makes {o} the right fit for someone like me",
        "mujhe laga tha doosra better hai, phir {o} kyun",
    ],
    order_q=ORDER_Q,
    no_match="""painter, mobile repair, cab booking, electrician, mehendi artist, tailor, carpenter,
    kite, gold jewellery, passport renewal, caterer, kerosene, screen guard, aadhaar update, sofa
    cleaning, pest control service, diesel, tiffin service""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} ke liye bhi aapse contact kar sakte hain?",
        "Requesting you to tell whether {q} is provided by your store.",
        "urgent: {q} arrange ho sakta hai via your store?",
        "so i was wondering if you guys do {q} also",
        "ghar mein function hai, {q} ka kuch jugaad ho jayega?",
        "🙏 {q} mil sakta hai aapke yaha se",
    ],
    match="""greek yogurt, shoe polish, hakka noodles, garbage bags, soya milk, masala dabba,
    shower gel, massage oil""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} abhi order ho jayega?",
        "Kindly confirm if {q} is available for delivery.",
        "{q} available h kya boss",
        "my {q} got over today itself, can you send some",
    ],
    policy=[
        (
            "maine apna user id de diya hai, phir bhi email kyun maang rahe ho?",
            ["even when the user already provides the user id", "already provides the user id"],
        ),
        (
            "bhai bot se baat nahi karni, kisi insaan se connect karo",
            ["transfer the user to a human agent", "human agent"],
        ),
        (
            "the order time says 14:00, is that indian time or what?",
            ["All times in the database are EST", "EST and 24 hour based", "in EST"],
        ),
        (
            "cancel karne ke liye reason batana zaroori hai kya?",
            ["either 'no longer needed' or 'ordered by mistake'", "ordered by mistake"],
        ),
        (
            "gift card se payment kiya tha, cancel karun toh paisa turant wapas aayega?",
            ["immediately if it is gift card", "immediately"],
        ),
        (
            "pending order mein ek aur item add kar sakte ho kya?",
            [
                "shipping address, payment method, or product item options, but nothing else",
                "but nothing else",
            ],
        ),
        (
            "can i pay half by gift card and half by paypal on my pending order?",
            ["a single payment method different from the original", "single payment method"],
        ),
        (
            "want to shift my pending order's payment onto a gift card that has only ₹50 left, "
            "allowed?",
            ["it must have enough balance to cover the total amount", "enough balance"],
        ),
        (
            "return approve hone ke baad saaman wapas kaise bhejna hai, kaise pata chalega?",
            ["receive an email regarding how to return items", "email regarding how to return"],
        ),
        (
            "exchange ke liye naya order place karna padega kya?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
    ],
    ordinals=[
        (
            "pehla bandaa",
            "the product heading your reply",
            "shuru mein jo dikhaya woh",
            "the one right above the middle one",
            "the one two spots above the last",
            "the starter of your list",
        ),
        (
            "beech mein fasa hua wala",
            "option number do",
            "the filling in the sandwich of three",
            "pehle ke theek neeche wala",
            "the penultimate pick",
            "jo 1 aur 3 ke beech hai",
        ),
        (
            "the product closing out your reply",
            "teesra bandaa",
            "the one that comes after the centre one",
            "the closing option of the list",
            "jo list khatam karta hai",
            "the one sitting two rows under the first",
        ),
    ],
    openers=[
        "ghar ke liye {q} dekhna tha",
        "Requesting you to display the {q} you carry.",
        "need {q} asap",
        "{q} browse karna hai, jo bhi ho dikha do",
        "hi team, need {q} for the house this week",
        "📦 {q} list bhejo",
        "aaj {q} lena hai, kya kya hai",
        "what sort of {q} have u got",
    ],
    greet=[
        "radhe radhe 🙏",
        "hello bhaiya",
        "gm",
        "khamma ghani",
        "vanakkam",
        "hellooo anyone there on chat",
    ],
    match_greet=["side mein ek aur query", "also, separately", "haan ek kaam aur"],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=15061, prefix="n-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND12, PLAN)
