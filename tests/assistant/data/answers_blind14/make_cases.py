"""Builds the fourteenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 17393, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind14.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences ("Would you kindly ...", "Might you ..."),
# personal context, Hinglish in Latin script, Gujarati, Punjabi and Kannada turns in Latin script,
# voice-typed run-ons without punctuation, other Indian-English turns, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the fifteen other sets.
ORDER_Q = [
    "mera order kithe ae, dasso ji",
    "maro order kyare aavse?",
    "nanna order elli ide?",
    "ordrs kidr h mere",
    "Would you be able to give me a summary of everything I've bought from you and where each "
    "stands?",
    "last month kuch return kiya tha, uska kya hua",
    "i placed something for my parents house a few days back but nothing has reached them yet can "
    "you look",
    "🚚 rider ka kuch ata pata?",
    "kahin mera koi parcel apne aap radd toh nahi hua?",
    "count of my undelivered stuff?",
    "jitne bhi orders kiye sab ka haal batao",
    "pichle hafte ka parcel abhi tak darwaze pe nahi aaya",
]
BLIND14 = Phrasing(
    needs="""spatula umbrella thali patila chopper pongal samosa prawns marinade cartridge
    gelatin chyawanprash smoothie saucer gongura""".split(),
    need_q=[
        "{need} yavudu idralli?",
        "aama {need} kayu che?",
        "ehna vich {need} kehra ae?",
        "{need} ko pehchaan ke number do",
        "If it's no bother, which entry matches {need}?",
        "my grandmother specifically asked for {need}, pls tell me which number to tap",
        "hello so i was looking for {need} actually and i see three things here which of them is "
        "it exactly",
        "🔍 isme {need} dhoondhna hai, number bolo",
        "{need} chahiye tha, kaunsa uthau",
        "recipe calls for {need}, which of the listed ones do i grab",
        "Kindly highlight the {need} item among your results.",
        "pick out the {need} for me quick, guests arriving 😬",
        "bhaiya {need} mangwana hai, isme se kaunsa sahi rahega",
    ],
    cheap_q=[
        "sabse sasta kehra ae?",
        "aama sauthi sasti vastu kai?",
        "idralli kammi bele yavudu?",
        "lowst rate??",
        "Which item here costs the least, if you don't mind me asking?",
        "student hoon, paise kam hai, jo sabse kam ka ho wo batao",
        "my dad only buys whatever is the lowest priced so tell me which one that would be from "
        "this list",
        "💸 bachat wala option kaunsa",
        "👛 minimum kharche wala kaun",
    ],
    best_q=[
        "sauthi vadhu rating kone che?",
        "kehre nu sab ton vadiya rating mili?",
        "yavudakke jaasti rating ide?",
        "hghest rated?",
        "Among these, whose reviews stand tallest, would you say?",
        "bhabhi ko sirf top rated cheez chahiye, isme se kaunsi hai",
        "i always go with what other customers liked most so which of the three has the top star "
        "rating",
        "🏆 rating ka champion kaun",
        "reviews mein kaun sabse aage chal raha hai",
    ],
    price_q=[
        "{o} di keemat ki ae?",
        "{o} ni kimat ketli che?",
        "{o} bele eshtu?",
        "{o} pe kitne paise lagenge, bill banane se pehle bolo",
        "Might I trouble you for the price tag on {o}?",
        "{o} ka rate btao jaldi",
    ],
    rating_q=[
        "{o} nu rating ketlu che?",
        "{o} di rating kinni ae?",
        "{o} ge rating eshtu?",
        "{o} ko log kitne star de rahe",
        "Could I see how buyers have scored {o}?",
        "thinking of gifting {o} to my aunt, is it well rated or meh",
    ],
    brand_q=[
        "{o} kehri company banaundi ae?",
        "{o} kai brand nu che?",
        "{o} yaava brand?",
        "{o} kampni??",
        "Out of curiosity, which label does {o} carry?",
        "my husband is picky about brands, who makes {o}",
    ],
    compare_q=[
        "{a} ke {b}, kayu saru?",
        "{a} ja {b}, kehra changa?",
        "{a} athava {b}, yavudu olledu?",
        "{a} vs {b} kaun jeeta 🤔",
        "I'm having trouble choosing between {a} and {b}; could you contrast them?",
        "cmpare {a} n {b} plz",
        "my roommate wants {a} and i want {b} so settle this for us which is better value",
        "{a} lu ya {b}, faayda kisme zyada",
    ],
    more_q=[
        "{o} vishe vadhu mahiti aapo",
        "{o} bare hor dasso",
        "{o} bagge innashtu heli",
        "{o} ki details kholo zara",
        "Would you elaborate a little on {o}?",
        "{o} whats inside, weight pack size ingredients etc",
    ],
    why_q=[
        "{o} mane kem suggest karyu?",
        "{o} mainu kyon dassya?",
        "{o} nanage yaake?",
        "baaki chhod ke {o} pe ungli kyun rakhi",
        "Which of my past buys led you to {o}, may I ask?",
        "i never buy this kind of stuff so why is {o} showing up for me",
    ],
    order_q=ORDER_Q,
    # Item i takes no_match_q[i % 6]: the order pairs each item with a template it reads well in.
    no_match="""haircut, courier pickup, dhoti, helmet, taxi, broadband connection, cement,
    xerox, bangles, sofa, auto rickshaw, bike repair, tuition teacher, movie tickets, chappal,
    tyre, wristwatch, car mechanic""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} ka intezaam ho sakta hai aapki taraf se?",
        "Does your store happen to offer {q}?",
        "{q} ahiya madse?",
        "{q} idya nimmalli?",
        "{q} vi milda ae tuhade kol?",
        "just moved to this area, can you arrange {q} too?",
    ],
    # Item i takes match_q[i % 4].
    match="""birthday candle, rolling pin, tennis balls, led bulb, mascara, toilet brush, soap dish,
    tea strainer""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} abhi mangaun toh mil jayegi?",
        "Is {q} something I could order from you today?",
        "{q} joie che, malse?",
        "my {q} just gave up on me, you have a replacement?",
    ],
    policy=[
        (
            "user id already bata chuka hu, phir verification kaahe ko?",
            [
                "This has to be done even when the user already provides the user id",
                "even when the user already provides the user id",
            ],
        ),
        (
            "order details mein time 14:30 likha hai, woh IST hai ya kuch aur?",
            ["All times in the database are EST", "EST and 24 hour based"],
        ),
        (
            "gift card ch thode hi paise bache ne, pura order us te shift ho jauga?",
            [
                "it must have enough balance to cover the total amount",
                "enough balance to cover the total amount",
            ],
        ),
        (
            "cancel karna hai kyunki doosri site pe sasta mil gaya, ye reason chalega?",
            [
                "either 'no longer needed' or 'ordered by mistake'",
                "no longer needed",
                "ordered by mistake",
            ],
        ),
        (
            "return approve thai gaya pachi saaman kevi rite mokalvanu?",
            [
                "the user will receive an email regarding how to return items",
                "email regarding how to return items",
            ],
        ),
        (
            "exchange maadoke hosa order haakbeka?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "forgot the atta in my still-pending order, could you slip a packet in?",
            [
                "modify its shipping address, payment method, or product item options, but "
                "nothing else",
                "but nothing else",
            ],
        ),
        (
            "half gift card aur half paypal se pay kar sakta hu kya pending order ko?",
            [
                "The user can only choose a single payment method different from the original "
                "payment method",
                "single payment method",
            ],
        ),
        (
            "item ka colour badalwa liya tha pending order mein, ab poora order cancel ho jayega "
            "na?",
            [
                "the agent will not be able to modify or cancel the order anymore",
                "not be able to modify or cancel the order anymore",
            ],
        ),
        (
            "I'd rather speak with an actual person about my orders, can you put me through?",
            ["transfer the user to a human agent", "human agent"],
        ),
    ],
    ordinals=[
        (
            "pehlu vaalu",
            "modalaneyadu",
            "the one perched up above the rest",
            "the product sitting just before the centre one",
            "the one two spots up from the end",
            "your opening suggestion",
        ),
        (
            "dooja wala",
            "biju product",
            "the one wedged between the others",
            "the product that comes directly after number one",
            "the penultimate option",
            "the 2nd listed thing",
        ),
        (
            "teeja wala",
            "mooraneyadu",
            "the final listing",
            "whatever follows the centre product",
            "chhellu vaalu",
            "the straggler bringing up the rear",
        ),
    ],
    openers=[
        "{q} batavo",
        "{q} vikhao ji",
        "{q} thorisi",
        "Kindly fetch a few {q} picks.",
        "need {q} for my kids tiffin, whats there",
        "ok so im after some {q} what have you got",
        "👀 {q} wale saamaan dikhana zara",
        "{q} lena tha yaar",
    ],
    greet=[
        "sasriakal paaji",
        "kem cho bhai, majama?",
        "namaskara sir",
        "hellooo is this thing on",
        "suprabhata 🌞",
        "Good afternoon, hope you're doing well.",
    ],
    match_greet=["arre suno", "side note", "switching topics for a sec"],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=17393, prefix="q-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND14, PLAN)
