"""Builds the twenty-second blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery
of answers/make_cases.py with phrasings written for this set alone, without reading the
assistant's rules or training phrases, seed 27019, every case in the report set. See README.md in
this folder.

    python -m tests.assistant.data.answers_blind22.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an online store's chat widget: about 70% plain everyday English
# (US, UK, Indian and Australian; short and natural first, casual and polite, typos and texting
# shorthand kept, voice-dictated run-ons, personal context before or after the question), the
# rest everyday Hinglish in Latin script and a few Marathi and Gujarati turns in Latin script.
# An ordinal is a whole noun phrase naming one fixed place in a list of three, some counted from
# the end, some relative to another place.
ORDER_Q = [
    "hiya, any news on my orders?",
    "has any of my stuff gone out yet or nah",
    "What's happening with my orders? Haven't heard a thing.",
    "can u pull up my orders, want to see whats still coming",
    "I ordered a few bits last week, could you tell me if they've been delivered? My husband's "
    "been waiting in all day.",
    "my parcel still hasn't turned up, can you look into my orders pls",
    "show me everything i've ordered so far",
    "hey so i think i ordered twice by accident maybe can you just list what orders i have and "
    "where each one is at",
    "mere saare orders ka status dikha do please",
    "jo maine order kiya tha woh abhi tak nahi aaya, check karoge?",
    "maza order kuthe aahe, kadhi yeil?",
    "maro order kya pahonchyo, jara joi ne kaho",
]
BLIND22 = Phrasing(
    needs="""dal salt lunch spray atta jar paper cone fish tablets mist shake
    mixture""".split(),
    need_q=[
        "ok which of these is actually {need}",
        "I only need the {need} — which is it?",
        "hey sorry bit confused, which of those three is the {need}",
        "Mum's after {need}, could you tell me which one that'd be?",
        "u got {need} in there somewhere? which no.",
        "so im making my list for the week and {need} is on it which one of these should i tap on",
        "Just to double check, is there {need} among these, and which one?",
        "reckon one of these is {need}, which one mate?",
        "yaar inme {need} wala konsa hai, thoda bata do",
        "mujhe bas {need} lena hai, teeno mein se kaunsa wo wala hai?",
        "hyatla {need} kuthla aahe?",
        "aama thi {need} vadu kayu chhe?",
    ],
    cheap_q=[
        "which one's easiest on the budget? we're saving for a holiday",
        "Sorry, which of these costs the least? Trying to stay under budget this week.",
        "lowest price pls, dont care abt brand",
        "whichever won't break the bank, ta",
        "the least pricey of those three, which is it",
        "im a student lol whichever is cheapest",
        "inme se sabse sasta wala dikha do yaar",
        "hyatla sagdyat swasta kuthla?",
        "aama sauthi sastu kayu?",
    ],
    best_q=[
        "which ones got the best reviews from other buyers",
        "Which of those do people rate highest? Want something that actually works.",
        "whichever's rated best by shoppers, just that one",
        "going by the stars, which would other customers say is best",
        "who's winning on stars out of these, mate?",
        "which is highest rated? my last one was rubbish",
        "which one do people actually like best? going off ratings",
        "in teeno mein logon ne sabse zyada pasand kisko kiya, rating dekh ke batao",
        "hyatla kuthlyala sagdyat jast rating aahe?",
        "aama kone sauthi vadhare rating malyu chhe?",
    ],
    price_q=[
        "what's {o} going for at the moment?",
        "{o} — how much does that one cost, roughly?",
        "wat does {o} cost me",
        "how much for {o} mate?",
        "Could you tell me what {o} costs, please? Comparing with my local shop.",
        "{o} ka daam kitna padega?",
        "{o} chi kimmat kiti aahe?",
        "{o} ni kimmat ketli chhe?",
    ],
    rating_q=[
        "{o} decent or nah? what's it rated",
        "what rating has {o} got",
        "{o} any good? what do the stars say",
        "do ppl like {o}? how many stars",
        "is {o} well reviewed, like whats its score",
        "{o} ke baare mein customers kya bolte, star kitne?",
        "{o} la lokanni kiti rating dili?",
        "{o} ne loko e ketla star aapya?",
    ],
    brand_q=[
        "{o} — which company is making this?",
        "which brand's {o} from? sorry I can't see the label",
        "{o}, is that a brand i'd know? whose is it",
        "what company's {o} from? my son's allergic to some brands",
        "Could you confirm the brand of {o}, please?",
        "{o} kis company ne banaya, pata hai?",
        "{o} banavnari company konti?",
        "{o} kai company banave chhe?",
    ],
    compare_q=[
        "torn between {a} and {b}, what would you go for",
        "{a} vs {b}? quick answer pls",
        "Is {a} any better than {b}, or should I save my money?",
        "between {a} and {b} which is the better buy for a family of four",
        "{a} or {b} mate, which'd you reckon",
        "so i was gonna get {a} but then i saw {b} and now i dunno which is better can you help",
        "{a} lu ya {b}? kaunsa better rahega",
        "{a} ki {b}, mi kuthla ghyava?",
        "{a} ane {b} ma thi kayu levu joie?",
    ],
    more_q=[
        "can you give me a bit more info on {o}",
        "what's in {o} exactly, size and all that",
        "{o} sounds ok, more details?",
        "tell me abt {o} pls, ingredients, size, whatever u have",
        "Before I add {o}, could you share the full product details?",
        "{o} ki puri jaankari de do, kitna quantity hai",
        "{o} baddal ajun mahiti dya",
        "{o} ni badhi details batavo ne",
    ],
    why_q=[
        "why are you showing me {o} though",
        "how'd you land on {o} for me?",
        "just curious why {o} came up, is it cos of stuff i bought before",
        "Out of interest, why recommend {o} to me in particular?",
        "why {o}? i've never bought anything like that",
        "mujhe {o} kyun recommend kar rahe ho?",
        "tumhi mala {o} ka dakhavtay?",
        "tame mane {o} kem batavo chho?",
    ],
    order_q=ORDER_Q,
    no_match="""printer, scooter helmet, roof tiles, horse saddle, yacht, kite manja,
    marble flooring, ear piercing, snake catcher, tyre puncture repair, cruise booking,
    root canal, zoo tickets, tax filing, astrology reading, cinema tickets, bungee jumping,
    physiotherapy""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "bit random but do you do {q}?",
        "Can I get {q} through you?",
        "any chance of {q} here",
        "{q} jaisa kuch bechte ho kya aap?",
        "tumchyakade {q} milel ka?",
        "tamari paase {q} male chhe?",
    ],
    # Item i takes match_q[i % 4].
    match="""peeler, grater, baby potty, sandwich toaster, mixing bowl, coffee mug, kitchen apron,
    bathroom stool""".replace("\n    ", " ").split(", "),
    match_q=[
        "looking for a decent {q}, got one?",
        "is there a {q} in your range?",
        "{q} order kar sakte hain kya yahan se?",
        "{q} tamara store ma chhe?",
    ],
    policy=[
        (
            "if I cancel an order I paid by card, how long does the refund take?",
            [
                "refunded via the original payment method immediately if it is gift card, "
                "otherwise in 5 to 7 business days",
                "otherwise in 5 to 7 business days",
            ],
        ),
        (
            "order cancel karwana hai, koi wajah batani padegi kya?",
            [
                "the reason (either 'no longer needed' or 'ordered by mistake') for cancellation",
                "ordered by mistake",
            ],
        ),
        (
            "What am I allowed to change on an order that hasn't shipped yet?",
            [
                "modify its shipping address, payment method, or product item options, but "
                "nothing else",
                "but nothing else",
            ],
        ),
        (
            "can i move the payment on my order to a gift card with only a few dollars on it",
            [
                "it must have enough balance to cover the total amount",
                "enough balance to cover the total amount",
            ],
        ),
        (
            "for an exchange do i need to place a fresh order?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "once the return's approved how do I actually send the stuff back?",
            [
                "the user will receive an email regarding how to return items",
                "receive an email regarding how to return items",
            ],
        ),
        (
            "order history mein jo time dikhta hai woh kaunse timezone ka hai?",
            ["All times in the database are EST and 24 hour based", "EST and 24 hour based"],
        ),
        (
            "my mum's sitting next to me, can you sort her order out as well?",
            [
                "must deny any requests for tasks related to any other user",
                "related to any other user",
            ],
        ),
        (
            "tumhi mazi olakh kashi patavnar? email chalel ka?",
            [
                "authenticate the user identity by locating their user id via email, or via "
                "name + zip code",
                "locating their user id via email",
            ],
        ),
        (
            "maro delivered order ma size badli shakay?",
            [
                "each item can be exchanged to an available new item of the same product but of "
                "different product option",
                "can be exchanged to an available new item",
            ],
        ),
    ],
    ordinals=[
        (
            "the one up top",
            "the first thing you showed",
            "pahilya kramankacha product",
            "the product two spots above the final one",
            "list mein sabse pehle dikhaya gaya",
            "the one you listed before the middle one",
        ),
        (
            "the one stuck in between the other two",
            "the one you slotted in the centre",
            "vachlu vaalu",
            "the one that came straight after the first",
            "the one sitting one up from the bottom",
            "the second option you gave",
        ),
        (
            "the product at the very bottom of your list",
            "the last option you listed",
            "teesre number pe dikhaya hua saaman",
            "chhelle batavelu",
            "sagdyat shevti dilela",
            "the one two spots under the top one",
        ),
    ],
    openers=[
        "need to grab some {q}",
        "can you show me what {q} you've got",
        "can i see some {q} options",
        "after {q} for the house, what've you got",
        "I'm looking at getting {q}, what do you recommend?",
        "we're almost out of {q}, what do you have",
        "kuch achha sa {q} dikhaiye",
        "mala {q} pahije",
        "mare {q} joie chhe",
    ],
    greet=[
        "hey there, you open?",
        "morning all, bit early I know",
        "hellooo is this the shop chat",
        "g'day team",
        "evening! quick one",
        "namaskar, kasa aahat?",
        "kem cho bhai, store chalu chhe?",
    ],
    match_greet=[
        "oh wait, one last q",
        "sorry, forgot to ask",
        "arre haan, bhool gaya poochna",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=27019, prefix="y-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND22, PLAN)
