"""Builds the thirteenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 16381, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind13.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences ("Could you ...", "May I know ..."), personal
# context, Hinglish in Latin script, some Bengali, Marathi and Tamil turns in Latin script,
# voice-typed run-ons without punctuation, other Indian-English turns, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the fourteen other sets.
ORDER_Q = [
    "mera last wala saaman kab tak aayega",
    "I'd appreciate an update on my purchases' whereabouts.",
    "ordr status pls",
    "last week jo kharida tha wo abhi tak nahi aaya, dekh lo zara",
    "my mom ordered some stuff using my account can you tell me what all is there and where it is",
    "mere kitne orders deliver ho chuke hai ab tak",
    "kuch atka pada hai kya mera, ya sab nikal gaya?",
    "📦 mera saamaan raaste mein hai ya godown mein hi pada hai",
    "amar order ta kothay ache?",
    "did any of my orders get returned or exchanged",
    "purchase history with status, all of it",
    "maza order kuthe aala?",
]
BLIND13 = Phrasing(
    needs="""saucepan massager milkshake planter tampons prunes straightener balloon
    mukhwas fertiliser thokku eclairs mints shortbread drainer khaman kheer idli boondi""".split(),
    need_q=[
        "{need} wala item kaunsa hai bhai, jaldi bolo",
        "I'd appreciate it if you could identify the {need} for me.",
        "{need} = which no.?",
        "amma's shopping chit says {need}, match it up for me",
        "bro cant figure out the {need} from these titles, help",
        "🧐 {need} spot karo list mein",
        "okay so I need the {need} one from the list you just sent which number is that",
        "teeno mein {need} wala pehchano zara",
        "Please be kind enough to point me to the {need} among these.",
        "am i blind or is there a {need} here? which one",
        "ei list e {need} konta?",
        "yaat {need} kontla aahe?",
        "my wife's list just says {need}, which of these three matches",
    ],
    cheap_q=[
        "kiska bill sabse chhota banega",
        "Which of the three would be lightest on my budget, may I ask?",
        "cheapo option?",
        "tankhwah abhi aayi nahi 😅 kaunsa sabse kifayati hai",
        "im buying for a hostel mess on a tight budget so just point me to the least expensive one",
        "kisme sabse kam rupaye katenge",
        "ei tinte-r moddhe kom dam konta?",
        "whichever of these is gentlest on the purse, tell me",
        "sasta wala dikha do, quality baad mein dekhenge",
    ],
    best_q=[
        "logon ne sabse zyada taareef kiski ki hai",
        "Could you point out the product with the highest customer score, please?",
        "star count mein topper?",
        "mere pati reviews dekh ke hi lete hai, inme se sabse upar kaun hai rating mein",
        "which of these three do buyers rate the highest, go by the stars only",
        "⭐⭐⭐⭐⭐ kiske paas hai yahan",
        "rating wise no contest winner kaun",
        "yaatla sarvaat changla rating konala?",
        "whose reviews are glowing the brightest in this trio",
    ],
    price_q=[
        "{o} ki keemat bata do ek baar",
        "I'd be grateful to learn what {o} sells for.",
        "{o} cost plz",
        "before i add {o} to cart, whats the damage",
        "{o} er dam koto?",
        "{o} lene mein kitna kharcha aayega",
    ],
    rating_q=[
        "{o} ka public verdict kya hai stars mein",
        "Might I know the average score buyers gave {o}?",
        "{o} rating plz",
        "{o} ka review score kya dikha raha hai",
        "friend said {o} is rubbish, what's its actual rating",
        "{o} la kiti rating aahe?",
    ],
    brand_q=[
        "{o} banane wali company ka thappa kya hai",
        "Whose brand name is printed on {o}?",
        "{o} brand name?",
        "{o} ye kaunsi company ka hai, local toh nahi?",
        "i'm loyal to a few brands only, so whose is {o}",
        "{o} enna brand?",
    ],
    compare_q=[
        "{a} aur {b} mein se kaunsa lena samajhdari hai",
        "Would you lay out {a} next to {b} so I can decide?",
        "{a} 🆚 {b}, jaldi",
        "dil bole {a}, dimaag bole {b} 😩 aap batao",
        "so basically {a} or {b} which one would you put in your own cart",
        "{a} bhalo na {b} bhalo?",
        "amma says {a}, appa says {b}, who is right",
        "{a} ki {b}, konta ghyava?",
    ],
    more_q=[
        "{o} ki puri kundli nikalo",
        "Could you share some more information on {o}?",
        "{o} specs pls",
        "{o} ka description padhna hai, bhejo",
        "what exactly am i getting with {o}, size quantity all that",
        "{o} pathi konjam sollunga",
    ],
    why_q=[
        "{o} pe itna bharosa kyun, mere liye?",
        "I'm curious what tipped you towards {o} in my case.",
        "reason for {o}?",
        "{o} mere profile ke hisaab se kaise theek hai",
        "given my past shopping how does {o} make sense for me",
        "{o} keno dile amake?",
    ],
    order_q=ORDER_Q,
    # Item i takes no_match_q[i % 6]: the order pairs each item with a template it reads well in.
    no_match="""pandit, thermometer, beedi, fastag, dj, firecrackers, car wash, stamp paper, toddy,
    ration card, maid, pichkari, astrologer, pregnancy test, locksmith, blouse stitching, kabadiwala,
    rakhi""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "do you also arrange {q}? asking for my dad",
        "Could you let me know whether {q} can be ordered here?",
        "{q} wala counter bhi hai kya aapke app pe?",
        "neighbour aunty said you guys do {q} now, sach mein?",
        "{q} er byabostha ache?",
        "festival season hai, {q} bhi mil jayega?",
    ],
    # Item i takes match_q[i % 4].
    match="""facial tissues, pencil box, glue stick, hair dryer, whisky glass, tongue scraper,
    kulfi maker, pizza cutter""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} ki delivery ho payegi aaj?",
        "I'd be obliged if you'd check whether {q} is on your shelves.",
        "{q} in stock? y/n",
        "our old {q} broke yesterday, do you have a new one",
    ],
    policy=[
        (
            "meri behen ka order bhi cancel kar do, uska email de deti hu",
            ["must deny any requests for tasks related to any other user", "any other user"],
        ),
        (
            "cancelled an order i paid by credit card, 3 days and no money back yet, normal?",
            ["otherwise in 5 to 7 business days", "5 to 7 business days"],
        ),
        (
            "the delivered thing isnt what i want, can i exchange it for a totally different "
            "product?",
            ["There cannot be any change of product types", "change of product types"],
        ),
        (
            "already changed the size of one item in my pending order, now i want to change "
            "the colour of another, can you do that too?",
            ["This action can only be called once", "can only be called once"],
        ),
        (
            "wapas kiye saaman ka paisa seedha bank khaate mein milega?",
            [
                "The refund must either go to the original payment method, or an existing gift card",
                "original payment method, or an existing gift card",
            ],
        ),
        (
            "order processed dikha raha hai, ab bhi cancel ho sakta hai?",
            [
                "An order can only be cancelled if its status is 'pending'",
                "only be cancelled if its status is 'pending'",
            ],
        ),
        (
            "email yaad nahi hai, koi aur tareeka hai verify karne ka?",
            ["via name + zip code", "name + zip code"],
        ),
        (
            "just cancel it, don't keep asking me to confirm",
            ["obtain explicit user confirmation (yes) to proceed", "explicit user confirmation"],
        ),
        (
            "upi chalega kya profile pe, ya sirf card?",
            [
                "either a gift card, a paypal account, or a credit card",
                "a gift card, a paypal account, or a credit card",
            ],
        ),
        (
            "payment method badal diya toh order ka status badlega kya ya waisa hi rahega?",
            ["the order status will be kept 'pending'", "kept 'pending'"],
        ),
    ],
    ordinals=[
        (
            "prothom ta",
            "the one leading the pack",
            "shuruaati entry",
            "the one just ahead of the middle one",
            "neeche se ginoge toh teen number wala",
            "the topmost line of your message",
        ),
        (
            "the one in the centre slot",
            "rendavadhu item",
            "the second-from-last one",
            "the one immediately beneath the opener",
            "beech wali entry",
            "entry #2",
        ),
        (
            "the lowest-placed product",
            "tritiyo ta",
            "the product two steps beneath the first",
            "the one trailing the middle pick",
            "aakhri wali entry",
            "the first one from the bottom",
        ),
    ],
    openers=[
        "{q} ke kuch options bhejo",
        "Might I browse your {q} selection?",
        "{q} dhoondh ke lao",
        "hey, shopping for {q} today",
        "amma asked me to order {q}, what do you have",
        "{q} er ki ki ache?",
        "looking at {q}, show me a few",
        "🛒 cart mein {q} daalna hai",
    ],
    greet=[
        "namaskaram andi",
        "nomoshkar",
        "ram ram sa",
        "good evening sir/madam",
        "heyyy 👋 koi hai",
        "excuse me, is someone there?",
    ],
    match_greet=["accha, doosri baat", "unrelated q", "oh and before i forget"],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=16381, prefix="p-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND13, PLAN)
