"""Builds the eleventh blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 13907, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind11.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, personal context, Hinglish in Latin script,
# voice-typed run-ons without punctuation, other Indian-English turns ("do the needful",
# "revert", "only"), some emoji. An ordinal is a whole noun phrase, some relative and some
# counted from the end; none of it is taken from the twelve other sets.
BLIND11 = Phrasing(
    needs="""dustpan gum mask mouthwash sweetener duster daliya""".split(),
    need_q=[
        "mujhe {need} lena tha, yeh teen mein se kisko uthau",
        "I'd be grateful if you'd point me to whichever of these is a {need}.",
        "{need} wala kon sa h bta",
        "beta ka school khul raha hai, {need} chahiye, inme kaunsa sahi rahega",
        "so basically i am looking for {need} and which of these three would that be",
        "{need} wala dikhao 🤷‍♀️ confused hu",
        "office colleague ko gift karna hai {need}, isme se kya lu",
        "sir please revert which product is {need} from above",
        "of these which would you call a {need}",
        "{need} only needed, which item is it do the needful",
        "bhaiya {need} ka naam batao in sab mein se",
        "just tell me the {need} one quick",
    ],
    cheap_q=[
        "mahine ka end hai 😅 kam daam wala bolo",
        "Would you be so kind as to name the one that's lightest on my pocket?",
        "cheepest wala konsa h",
        "teeno ka rate compare karke sasta wala nikalo",
        "so basically which one will save me the most money here",
        "just moved to a new city and money is tight, which here is least expensive",
        "sasta wala kaun hai bhaiya",
        "please revert with the minimum priced item only",
        "kiska MRP sabse kam hai isme",
    ],
    best_q=[
        "🌟 wale hisaab se winner kaun",
        "Would you be so kind as to name the crowd favourite among these?",
        "top ratd?",
        "reviews mein kaunsa jeet raha hai",
        "so basically which of them do shoppers love most",
        "my wife only buys well reviewed stuff, which wins on rating here",
        "public ka favourite konsa nikla",
        "please revert with topmost reviewed item only",
        "kaun sa sabse upar hai stars ke hisaab se",
    ],
    price_q=[
        "{o} kitne ka pad jayega",
        "May I know the selling rate of {o}, sir?",
        "{o} rate btao",
        "💸💸 {o} kitna",
        "so what is the cost of {o} right now",
        "planning my kitchen shopping this week, how much for {o}",
    ],
    rating_q=[
        "{o} ka review score dikhao",
        "May I know what score shoppers have given {o}, madam?",
        "{o} rtng?",
        "⭐ for {o} kitne aaye",
        "so basically is {o} liked by people, what's the score",
        "want to buy for my grandmother, is {o} rated well by others",
    ],
    brand_q=[
        "{o} kis ghar ka maal hai, brand bolo",
        "May I know under which company's name {o} is sold?",
        "{o} brnd??",
        "{o} ke upar kiska naam likha hai company wala",
        "so basically who manufactures {o} any idea",
        "my father is particular about makers, whose product is {o}",
    ],
    compare_q=[
        "{a} vs {b} kya lena chahiye",
        "I'd be grateful for your honest verdict: {a} or {b}?",
        "{a} / {b} whch gud",
        "😵 dono achhe lag rahe, {a} uthau ke {b}",
        "For a hostel room, would {a} or {b} work out better?",
        "so i am stuck between {a} and {b} which would you take",
        "value for money dekho toh {a} behtar hai ya {b}",
        "{a} aur {b} ka fark samjhao phir final karo",
    ],
    more_q=[
        "{o} ki puri jankari de do bhai",
        "I'd be grateful for a short write-up on {o}.",
        "{o} kis type ka item hai samjha do",
        "{o} info?",
        "so basically what's the full story on {o}",
        "first time buying this, explain {o} to me a bit",
    ],
    why_q=[
        "{o} hi kyu, baaki kyu nahi",
        "May I ask what made {o} your pick, sir?",
        "{o} y?",
        "{o} ka chunav kis wajah se",
        "so what is so special about {o} that you picked it",
        "i usually buy a different one, why should i switch to {o} 🤨",
    ],
    order_q=[
        "mera maal kahan atka pada hai",
        "I'd be grateful if you could trace my recent orders for me.",
        "ordr kaha tk pohcha",
        "list out all my purchases and their status",
        "maine jo jo manga tha uska status batao",
        "Can you tell me whether my parcels have left the warehouse?",
        "kuch order kiya tha, abhi tak aaya nahi, dekho zara",
        "so what is happening with my order is it coming today or not",
        "didi ka saman kab tak aayega",
        "ordered stuff for my son's hostel, can you see if it shipped",
        "kuch pending reh gaya kya account mein",
    ],
    no_match="""hookah, fireworks, hammock, bean bag, typewriter, life insurance, credit card,
    personal loan, dance class, lawyer consultation, property dealer, driving school, wedding
    planner, bus ticket, lottery ticket, trekking shoes, prescription glasses, laundry
    service""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} milega kya aapke store pe bhai",
        "May I ask if {q} is part of your range?",
        "{q} avlbl?",
        "so do you have {q} on this app",
        "my neighbour swears this app has {q}, true or not",
        "😊 {q} bhi deliver karte ho ya nahi",
    ],
    match="""face pack, night cream, hand cream, brown rice, fruit juice, dry fruits, pasta sauce,
    body butter""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} mil jayega kya abhi",
        "May I place an order for {q} today?",
        "{q} h??",
        "Just finished my {q}, can I get a new one from you?",
    ],
    policy=[
        (
            "can you also handle my brother's order in the same chat, he is sitting next to me",
            ["only help one user per conversation", "one user"],
        ),
        (
            "i already changed the items once, can i change them one more time?",
            ["not be able to modify or cancel the order anymore", "cancel the order anymore"],
        ),
        (
            "paid by credit card and then cancelled, how long for the money to come back?",
            ["5 to 7 business days", "business days"],
        ),
        (
            "got a shirt but want to swap it for a pair of shoes, possible?",
            ["cannot be any change of product types", "change of product types"],
        ),
        (
            "parcel is already out for delivery, can i fix the house number on it?",
            ["only be modified if its status is 'pending'", "pending"],
        ),
        (
            "refund paytm wallet mein mil sakta hai kya, card se pay kiya tha",
            ["original payment method, or an existing gift card", "existing gift card"],
        ),
        (
            "before you cancel anything will you ask me first or just do it?",
            ["list the action detail and obtain explicit user confirmation", "explicit user"],
        ),
        (
            "to exchange stuff do i have to name every item i want swapped",
            ["confirm they have provided all items to be exchanged", "all items to be exchanged"],
        ),
        (
            "my order was already cancelled, can you please change the address on it?",
            ["only take action on pending or delivered orders", "pending or delivered"],
        ),
        (
            "order abhi shipped hai, return abhi start kar sakte hai?",
            ["only be returned if its status is 'delivered'", "delivered"],
        ),
    ],
    ordinals=[
        (
            "the opening item in your answer",
            "shuruaat wala maal",
            "the topmost one you showed me",
            "pehli line mein jo naam aaya",
            "the one counted third going up from the bottom",
        ),
        (
            "the middle product of the three",
            "darmiyan wala maal",
            "the item that came after the opener",
            "upar se doosra",
            "the one sitting one above the last",
        ),
        (
            "the final product you showed",
            "antim wala maal",
            "the bottommost one in your answer",
            "list ka sabse aakhri naam",
            "the item that came two after the opener",
        ),
    ],
    openers=[
        "{q} ke kuch option dikhao na",
        "I'd be grateful to browse your {q} selection.",
        "{q} chahiye kuch accha sa",
        "🛍️ {q} batao",
        "so i want to see {q}",
        "Which {q} are available right now?",
        "mummy ne {q} mangaya hai, kya hai aapke paas",
        "{q} me kya kya milta hai yaha",
    ],
    greet=[
        "ram ram bhai",
        "hiiiii shop wale",
        "subah subah namaste",
        "hello, koi hai kya",
        "jai jinendra",
        "oye sunna zara",
    ],
    match_greet=["ek minute, aur bhi hai", "oh also one thing", "arey ruko ek aur"],
    no_ids="""mera maal kahan atka pada hai i'd be grateful if you could trace my recent orders for
    me ordr kaha tk pohcha list out all purchases and their status maine jo manga tha uska batao
    can tell whether parcels have left the warehouse kuch order kiya abhi tak aaya nahi dekho
    zara so what is happening with it coming today or not didi ka saman kab aayega ordered stuff
    son's hostel see shipped pending reh gaya kya account mein""".split(),
)
PLAN = Plan(seed=13907, prefix="m-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND11, PLAN)
