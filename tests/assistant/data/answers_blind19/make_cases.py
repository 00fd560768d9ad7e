"""Builds the nineteenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 22651, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind19.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite and somewhat formal full sentences as non-native speakers write
# them, older shoppers ("beta ..."), personal context, Hinglish and Urdu-flavoured Hindi, and
# Marwari, Sindhi, Maithili, Garhwali, Marathi, Gujarati, Tamil, Bengali, Odia, Malayalam and
# Punjabi turns in Latin script, voice-typed run-ons, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the other sets.
ORDER_Q = [
    "mhaara orders kathe pugya sa?",
    "hamar orders kata dhari pahunchal?",
    "beta mere orders ka kya haal hai, aaye ki nahi?",
    "yo where my packages at",
    "Kindly furnish the details of every order booked under my name.",
    "did anything i ordered get cancelled?? got no msg",
    "son set up this app for me and I ordered some things I think, can you tell me what all I "
    "have ordered and where it is",
    "📬 parcel sab mere wale kidhar atke hain",
    "godown se mera kuch nikla ki nahi abhi tak",
    "Has everything I purchased been delivered?",
    "ab tak jo jo mangwaya uska khaata dikhao",
    "maze orders kuthe aahet?",
]
BLIND19 = Phrasing(
    needs="""dishwash sunblock yoghurt kharjura hesaru tadka cranberries barbeque incense menasina
    arisina kadale chopping facewash deodorant""".split(),
    need_q=[
        "yaa teenaan mein {need} kun-so hai sa?",
        "hinan tinan mein {need} kehro aahe?",
        "{need} wali cheez kaunsi hai, zara nishandehi farmaiye",
        "pls tel me whch product hav {need} in it, eyes r weak cant read small font",
        "{need} ... where?? 1 2 or 3",
        "Respected sir, among the three shown, kindly point out the {need}.",
        "my grandson wrote {need} on the list in his handwriting and i found these three, tell me "
        "which one matches it",
        "🔍 {need} dikhe toh batana kaunse number pe",
        "indha moonula {need} edhu nu sollunga",
        "e tiin mein {need} kon achhi?",
        "e tinte modhye {need} konta go?",
    ],
    cheap_q=[
        "sab su sasto kun-so sa?",
        "sabhni mein sasto kehro aahe?",
        "retired aadmi hoon, jiski qeemat sabse kam ho wo bataiye",
        "lowest price one plz quick",
        "Which item would be the most economical choice for me?",
        "🪙 kanjoos mode on, sasta wala?",
        "im buying for the whole hostel floor so need the one that costs the least per piece "
        "basically the cheapest of the three",
        "sagalyat swasta konta?",
    ],
    best_q=[
        "ithil ettavum nalla rating ullathu ethu?",
        "sab su chokho rating kun-so ne milyo?",
        "kehre khe sab khaan wadheek stars milya aahin?",
        "ratng me no 1 kon??",
        "Among these, which has earned the finest reviews from purchasers?",
        "⭐ count mein winner kaun",
        "reviews ke hisaab se topper batao yaar",
        "i always go by what other buyers say so whichever one got the best stars from them thats "
        "the one i want",
        "sagalyat jaast rating konala aahe?",
    ],
    price_q=[
        "{o} ro mol kitro sa?",
        "{o} kathga ku ch?",
        "{o} ke liye kitni rakam deni hogi?",
        "{o} ka bhav kitna chal ra aajkal",
        "{o} ke vaaste kharcha batao seth",
        "{o} ka tag pe kya likha hai, paison mein",
    ],
    rating_q=[
        "{o} ne kitra taara milya sa?",
        "{o} ku kete star milichi?",
        "{o} reating kitni h",
        "{o} ka score kya diya public ne",
        "Kindly tell me the star score given for {o}.",
        "{o} ni sitaara gintee ketli?",
    ],
    brand_q=[
        "{o} kun-si company ro hai sa?",
        "{o} banaunihar ke chhathi?",
        "{o} kiski banayi hui hai janab?",
        "{o} brnd name?",
        "Kindly mention the company that manufactures {o}.",
        "{o} kaarkhana kiska?",
    ],
    compare_q=[
        "{a} ke {b}, kun-so chokho sa?",
        "{a} ya {b}, kehro bhalo aahe?",
        "{a} aur {b} mein se konsa lena theek rahega beta, aap hi batao",
        "{a} vs {b} ek shabd mein faisla",
        "Kindly weigh {a} against {b} and let me know which merits purchase.",
        "{a} 🥊 {b}, aapka vote?",
        "ghar pe sab alag alag bol rahe hain koi {a} bolta hai koi {b} tum batao kaunsa better hai",
        "{a} aa {b} mein kon neek?",
    ],
    more_q=[
        "{o} ri puri jaankari deejo sa",
        "{o} bisayare aau tike kuhantu",
        "{o} ke baare mein thoda detail mein samjhao beta",
        "{o} pe aur roshni daalo",
        "I would appreciate elaboration on {o}, its contents and size.",
        "{o} ka pura description padhke batao, ingredients quantity sab",
    ],
    why_q=[
        "{o} mhane kyun suggest kiyo sa?",
        "{o} hamra lel kiyaik chunlahun?",
        "{o} hi kyon beta, maine pehle kya liya tha uske hisaab se?",
        "why'd u push {o} on me lol",
        "On which grounds is {o} being proposed for my household?",
        "{o} mere pichhle kharide saamaan se mel khaata hai kya, kyun chuna?",
    ],
    order_q=ORDER_Q,
    no_match="""guitar, horoscope, courier service, scooter, insurance policy, babysitter, matrimony,
    stock broker, rent agreement, tyres, wifi connection, gym trainer, aadhaar card update,
    fixed deposit, doctor appointment, television, newspaper subscription,
    goldsmith""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} milsi kai sa?",
        "{q} hitey milandi?",
        "{q} ka bandobast ho payega tumse?",
        "{q} hai ya nahi bas itna bata",
        "Does your store provide {q} as well?",
        "🙏 {q} ki seva bhi uplabdh hai?",
    ],
    # Item i takes match_q[i % 4].
    match="""tadka pan, dust pan, foot file, card holder, umbrella, chair protectors, spin mop,
    ballpen set""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} ladhsi?",
        "{q} ka maal pada hai godaam mein?",
        "tumhi {q} vikta ka?",
        "Do you carry {q} in your shop?",
    ],
    policy=[
        (
            "my mother's account is different, can you cancel her order from my chat?",
            [
                "must deny any requests for tasks related to any other user",
                "any other user",
            ],
        ),
        (
            "paid with paypal, cancelled the order, when does my money come back",
            ["otherwise in 5 to 7 business days", "5 to 7 business days"],
        ),
        (
            "gift card se payment kiya tha, cancel karne pe paisa turant wapas aayega?",
            [
                "refunded via the original payment method immediately if it is gift card",
                "immediately if it is gift card",
            ],
        ),
        (
            "I want my pending order sent to a different address, is that something you can "
            "change?",
            [
                "modify its shipping address, payment method, or product item options, but "
                "nothing else",
                "shipping address, payment method, or product item options",
            ],
        ),
        (
            "can I split the payment across two cards when changing payment on my pending order?",
            ["can only choose a single payment method", "single payment method"],
        ),
        (
            "for an exchange do i have to put in a fresh order for the new item?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "return request kodutha shesham saadhanam engane thirichu ayakkum?",
            [
                "will receive an email regarding how to return items",
                "email regarding how to return items",
            ],
        ),
        (
            "what time zone are the order times in your system?",
            ["All times in the database are EST", "EST and 24 hour based"],
        ),
        (
            "cancel karne ke liye koi reason dena padega kya?",
            ["either 'no longer needed' or 'ordered by mistake'", "ordered by mistake"],
        ),
        (
            "gift card me balance kam hai, kya usse price difference bhar sakte hain?",
            [
                "it must have enough balance to cover the price difference",
                "enough balance to cover the price difference",
            ],
        ),
    ],
    ordinals=[
        (
            "pailo aaitam",
            "pahriyon shai",
            "pehle number ki cheez",
            "the product sitting at the very top",
            "the item you put before the other two",
            "ekdum aagaaz waala product",
        ),
        (
            "doojo aaitam",
            "biyon shai",
            "beech waali cheez",
            "the product flanked on both sides",
            "the second-to-last product",
            "dusre khaane wala maal",
        ),
        (
            "teejo aaitam",
            "tiyon shai",
            "aakhri number wali cheez",
            "the final product on screen",
            "the item trailing the pack",
            "sabse neeche pada saaman",
        ),
    ],
    openers=[
        "{q} venam",
        "{q} dekhanta",
        "{q} dikhao sa",
        "{q} kai kai hai?",
        "Madam I require {q} for tomorrow's function",
        "{q} mangwana tha monthly list mein",
        "getting {q} for my grandma's pooja room",
        "🧺 {q} chahiye jaldi",
    ],
    greet=[
        "charan sparsh dukaan wale",
        "juhar",
        "adaab arz hai",
        "hlo hlo mic testing 😄",
        "shubh sandhya store waalon",
        "oye hoye shopwale 😊",
    ],
    match_greet=[
        "oru doubt koodi",
        "ik gal hor",
        "Btw also—",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=22651, prefix="v-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND19, PLAN)
