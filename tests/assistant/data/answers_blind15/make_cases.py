"""Builds the fifteenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 18413, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind15.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, Indian-English office-speak ("Kindly ...",
# "revert", "do the needful"), personal context, Hinglish, and some Malayalam, Odia and
# Urdu-flavoured Hindustani turns in Latin script, voice-typed run-ons, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the other sets.
ORDER_Q = [
    "ente order evide vare ethi?",
    "mo order kouthi pahanchila?",
    "janab, mere mangwaye hue saamaan ki kya khabar hai?",
    "Kindly share the status of all my open orders at the earliest.",
    "hv any of my orders been cancelled?? pls chk",
    "my son placed something from my login last night i think can you see what is sitting in my "
    "account and whether it has shipped",
    "🚚 koi parcel nikla kya mera aaj?",
    "mere saare orders ki list nikalo, naya wala sabse upar",
    "Would you be kind enough to tell me which of my purchases have reached me and which haven't?",
    "abhi tak kitne orders latke hue hain mere?",
    "did my last couple of orders land or not",
    "bhai apni order history dikhana zara",
]
BLIND15 = Phrasing(
    needs="""hangers lighter chivda mathri khakhro appam breadsticks swabs nuggets dalia nutmeg
    grinder carafe tapioca bonda poori sandige liners steriliser hook""".split(),
    need_q=[
        "ithil {need} ethaanu?",
        "ehi tinita bhitare {need} kouta?",
        "Kindly revert with the serial number of the {need} item.",
        "{need} wala dikha do jhatpat, konsa number",
        "huzoor, {need} inmein se kaun sa hai, zara nishandehi kar dijiye",
        "grandma's asking for {need}, point it out pls",
        "where's the {need} in this lot 🤔",
        "ok so im standing in the kitchen and my flatmate is shouting for {need} which one do i tap",
        "Might you indicate which of the trio answers to {need}?",
        "{need}?? yaar teen mein se pakdo use",
        "bhaiya {need} chahiye tha, isme se kon sa uthaun",
        "ningalude list il {need} undo, ethu number?",
        "i typed {need} and got three things, which is actually it",
    ],
    cheap_q=[
        "ethaanu ettavum vila kuranjathu?",
        "sabutharu sasta kouta?",
        "Please do the needful and flag the lowest-priced SKU.",
        "jeb halki hai aajkal, kam qeemat wala kaunsa?",
        "least ₹₹ plz",
        "student hoon bhai, pocket money pe chal raha hu, budget wala bata",
        "🪙 paise bachao mode on, kaunsa",
        "im shopping for a temple langar in bulk so price matters most which of these costs the "
        "least",
        "Would you mind telling me which one is priced lowest?",
    ],
    best_q=[
        "ethinaanu ettavum kooduthal rating?",
        "kouta ra rating sabutharu bhala?",
        "Kindly share which SKU has the top customer rating.",
        "logon ki raaye mein sabse umda kaunsa hai?",
        "👑 stars ke maamle mein sikandar kaun",
        "meri saas sirf top rated cheez leti hai, inme se wo kaunsi",
        "🌟 which has the happiest buyers",
        "which ones got the best reviews from people who actually bought it i mean the top one",
        "May I know which item customers have scored the highest?",
    ],
    price_q=[
        "{o} nte vila ethra?",
        "{o} ra dara kete?",
        "Request you to intimate the final cost of {o}.",
        "{o} ki qeemat kya rakhi hai aapne?",
        "{o} ke liye kitne note dhile karne padenge",
        "whats {o} going for rn 💸",
    ],
    rating_q=[
        "{o} nu ethra star kitti?",
        "{o} ku loke kete rating dele?",
        "Please share the customer rating for {o} for my reference.",
        "kharidaron ne {o} ko kitna pasand farmaya, sitaaron mein?",
        "{o} ⭐ kitne",
        "my sister swears by {o}, is it actually rated well, whats the number",
    ],
    brand_q=[
        "{o} ethu company yude aanu?",
        "{o} kau company ra?",
        "Kindly confirm the manufacturer/brand of {o}.",
        "{o} kis kampani ka banaya hua hai?",
        "{o} made by which co",
        "i avoid a couple of brands for allergy reasons, whose product is {o}",
    ],
    compare_q=[
        "{a} aano {b} aano nallathu?",
        "{a} na {b}, kouta nebi?",
        "Kindly share a quick comparative of {a} and {b}.",
        "{a} ya {b}, aapki nazar mein behtar kaun?",
        "{a} or {b}?? decide for me",
        "wife wants {a} and i want {b}, settle this 😂",
        "ok so compare {a} with {b} price and rating both and tell me which makes more sense",
        "I am unable to decide, {a} versus {b}, your guidance please?",
    ],
    more_q=[
        "{o} ne kurichu kooduthal parayamo?",
        "{o} bisayare au kichhi kuha",
        "Please share the complete details of {o} for my reference.",
        "{o} ki tafseelat bataiye, janab",
        "{o} ka pura kaccha chittha batao",
        "open up {o} for me, ingredients pack size whatever it says",
    ],
    why_q=[
        "{o} enikku enthinaanu suggest cheythathu?",
        "{o} mo pain kahinki bhala?",
        "Kindly justify the recommendation of {o} against my purchase history.",
        "{o} ko mere liye kis bina par chuna gaya?",
        "y u pushing {o} on me lol",
        "what about my past orders makes {o} a fit, just curious",
    ],
    order_q=ORDER_Q,
    # Item i takes no_match_q[i % 6]: the order pairs each item with a template it reads well in.
    no_match="""plumber, smartphone, insurance, passport photos, train tickets, sofa repair,
    aadhaar card, chappals, lawyer, tyre puncture, tv repair, broadband, physiotherapist,
    diesel generator, wedding hall, dentist, car loan, bike service""".replace("\n    ", " ").split(
        ", "
    ),
    no_match_q=[
        "{q} bhi milega yahan se? ya kahin aur dekhun",
        "Kindly confirm whether {q} can be procured via your platform.",
        "{q} kittumo ivide?",
        "janab, kya aap {q} ka bandobast bhi karte hain?",
        "{q} miliba ki?",
        "someone in the society whatsapp group said your app does {q} now 🙄 is that a thing",
    ],
    # Item i takes match_q[i % 4].
    match="""paint brush, menstrual cup, oil lamp, storage jar, cocktail napkins, copier paper,
    shoe brush, car freshener""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} milega? kal tak chahiye",
        "Request you to confirm stock position of {q}.",
        "{q} undo ningalude kayyil?",
        "{q} achhi ki?",
    ],
    policy=[
        (
            "I already gave you my user id, why are you still asking for email or zip code?",
            [
                "This has to be done even when the user already provides the user id",
                "even when the user already provides the user id",
            ],
        ),
        (
            "order ka time 02:30 likha hai, ye kaunse time zone ka hai?",
            ["All times in the database are EST and 24 hour based", "EST and 24 hour based"],
        ),
        (
            "online kahin aur kam daam mein dikh gaya isliye cancel chahiye, ye wajah maani jayegi?",
            [
                "either 'no longer needed' or 'ordered by mistake'",
                "'no longer needed' or 'ordered by mistake'",
            ],
        ),
        (
            "ente gift card il kurachu paisa mathrame ullu, order muzhuvan athilekku maattamo?",
            [
                "it must have enough balance to cover the total amount",
                "enough balance to cover the total amount",
            ],
        ),
        (
            "Can I also throw an extra packet of something into my pending order?",
            [
                "modify its shipping address, payment method, or product item options, but "
                "nothing else",
                "but nothing else",
            ],
        ),
        (
            "return manzoor ho gaya toh parcel lautane ka tareeka kahan se pata chalega?",
            [
                "the user will receive an email regarding how to return items",
                "email regarding how to return items",
            ],
        ),
        (
            "exchange pain mu au thare naya order karibaku padiba ki?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "janab, mujhe kisi insaan se baat karwa dijiye, machine se nahi",
            [
                "transfer the user to a human agent if and only if the request cannot be handled",
                "human agent",
            ],
        ),
        (
            "paid with a gift card and cancelled, how long till the money is back on it",
            [
                "immediately if it is gift card",
                "refunded via the original payment method immediately",
            ],
        ),
        (
            "half on paypal half on my card for the pending order, can you split it like that?",
            [
                "The user can only choose a single payment method different from the original "
                "payment method",
                "single payment method",
            ],
        ),
    ],
    ordinals=[
        (
            "onnamathe saadhanam",
            "pratham jinisa",
            "sab se awwal cheez",
            "the listing sitting directly above the middle one",
            "talaru gonile tini number ta",
            "S.No. 1 wala product",
        ),
        (
            "randamathathu",
            "dwitiya jinisa",
            "darmiyani cheez",
            "the listing flanked by the other two",
            "the entry that follows the opening listing",
            "the penultimate listing",
        ),
        (
            "moonnamathe saadhanam",
            "sesha jinisa",
            "sab se aakhir wala",
            "the listing two rows beneath the opening one",
            "whatever you listed at the very end",
            "the listing right below the centre one",
        ),
    ],
    openers=[
        "{q} kaanikkamo?",
        "{q} ra kichhi option dekhao",
        "Kindly forward the {q} range available",
        "janab, {q} dikhaiye zara",
        "yo need {q}",
        "sister's birthday party tomorrow, need {q} stuff",
        "{q} wanted urgently 🙏",
        "browsing {q} rn",
    ],
    greet=[
        "assalamu alaikum",
        "hello chetta",
        "namaskar agya",
        "Greetings of the day!",
        "hiii 🙂",
        "oye koi online hai?",
    ],
    match_greet=[
        "arey haan, bhool gaya tha",
        "btw unrelated, sorry 😅",
        "Additionally, one more query from my end:",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=18413, prefix="r-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND15, PLAN)
