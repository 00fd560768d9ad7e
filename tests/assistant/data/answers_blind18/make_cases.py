"""Builds the eighteenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 21589, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind18.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, personal context, Hinglish, Dakhni, some
# Maithili, Kashmiri, Chhattisgarhi, Awadhi, Odia, Malayalam, Punjabi and Marwari turns in Latin
# script, voice-typed run-ons, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the other sets.
ORDER_Q = [
    "mere orders kidhar tak pahunche hain, bolo na miyan",
    "mo orders ra khabar kana?",
    "order ka kya scene hai mera, sab dikhao",
    "have the things I ordered reached me yet or not, all of them",
    "I'd like a rundown of every order I've placed, with where each one stands.",
    "kuch atka hua hai kya mera? 🤔 orders check karo",
    "i think i ordered something twice by mistake last month can you show me all my orders so i "
    "can check",
    "📋 meri order history nikalo",
    "koi order cancel toh nahi hua mera?",
    "mera order aaya ki nahi abhi tak",
    "mere orders vich kujh pending aa?",
    "which of my purchases are still on the way",
]
BLIND18 = Phrasing(
    needs="""agarbatti akki almonds chai chips dabba diapers handwash juice mugs napkins noodles
    perfume pizza podi sakkare tuppa wafer""".split(),
    need_q=[
        "in moonnil {need} ethaanu?",
        "ee teenu mein {need} kon chhai?",
        "inaa maay {need} kunsi hai?",
        "eh vich {need} kehdi aa ji?",
        "mom asked me to grab {need} on the way back, which one of these is it",
        "{need} wala number kya hai? jaldi",
        "Pardon me, but which of your three suggestions actually contains {need}?",
        "need {need}, wich no. is tht",
        "bhai {need} kaunse mein likha hai",
        "hello so I am looking at these three and honestly I only care about the {need} one so "
        "which is it",
        "{need} konsa hai re isme, dikh nahi raha 🙋",
    ],
    cheap_q=[
        "yimav manz kus chhu sasta?",
        "kouta sabuthu saste?",
        "inaa maay sasto kunso hai?",
        "sab ton ghatt keemat wala kehda?",
        "budget tight hai yaar, least expensive kaunsa padega",
        "which 1 costs lesss",
        "Which of the three would be kindest to my wallet?",
        "🪙 wallet-friendly wala kaunsa",
        "just moved into a new flat and money is going everywhere so point me to the cheapest",
    ],
    best_q=[
        "yimav manz kemis chhu sabhan khota zyada rating?",
        "kaun sa wala sab se acha rating le ko baitha hai?",
        "sab ton vadiya rating kisdi aa?",
        "jiske reviews sabse chamakdaar hain woh bata",
        "the crowd favourite among these?? by stars",
        "Which one here has earned the warmest reviews, may I ask?",
        "🌟 sitaare kiske zyada hain",
        "i only buy stuff that other people rated well, so whichever scored best of these",
        "rating ki race kaun jeeta?",
    ],
    price_q=[
        "{o} ke kimat kitka he?",
        "{o} ke daam kate chhai?",
        "{o} da rate ki aa?",
        "{o} kitte ka hai miyan?",
        "whats the damage on {o}",
        "pricing of {o} pls 🧾",
    ],
    rating_q=[
        "{o} kku ethra star undu?",
        "{o} hund rating kyah chhu?",
        "{o} nu kinne star mile?",
        "{o} ki reputation kaisi hai, stars bolo",
        "{o} ki ratings ka scorecard dikhao",
        "is {o} well reviewed, give me the number",
    ],
    brand_q=[
        "{o} kaunse company ka maal hai bolo na",
        "{o} kon company ke chhai?",
        "{o} kis kampni da maal aa?",
        "{o} pe kaunsa company ka naam chhapa hai",
        "which company puts out {o}",
        "{o} ka brand? papa sirf trusted brand lete hain",
    ],
    compare_q=[
        "{a} kinna {b}, kus chhu behtar?",
        "{a} ki {b}, kon neek?",
        "{a} yaa {b}, kaunu badhiya lagi?",
        "{a} ke {b}, dono me se behtar kaun",
        "{a} or {b}?? worth it konsa rahega",
        "Could you compare {a} with {b} and let me know which comes out ahead?",
        "{a} vs {b} 🤔 samajh nahi aa raha",
        "my roommate keeps buying {a} but i usually get {b}, settle this for us",
    ],
    more_q=[
        "{o} ka poora khulasa karo, andar kya kya milta hai",
        "{o} ke baare mein aur kahu ne",
        "{o} bare hor daso ji",
        "{o} ki puri jankari chahiye",
        "more info on {o}? ingredients, size, whatever you have",
        "I'd appreciate a fuller description of {o} if you have one.",
    ],
    why_q=[
        "{o} la mor bar kaabar chunes?",
        "{o} mote kahinki suggest kala?",
        "{o} nu mere layi kyon chuneya?",
        "{o} mere liye kyu sahi laga tumhe",
        "why'd you put {o} in front of me specifically",
        "What about my past purchases made {o} a fit?",
    ],
    order_q=ORDER_Q,
    # Item i takes no_match_q[i % 6]: the order pairs each item with a template it reads well in.
    no_match="""pan card, crutches, tent house, saxophone, anklet, scuba diving, wall putty,
    welding, marriage hall, drill machine, nanny, paragliding, sunroof, piano tuner,
    spectacle repair, plywood, tattoo artist, boat ride""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} ehaan milthe ka?",
        "{q} milibo ki?",
        "ek baat batao, {q} ka bhi kuch arrangement hai aapke yahan?",
        "You wouldn't happen to sell {q}, would you?",
        "{q} bhi milda aa ethe?",
        "random but do u guys do {q} too 😂",
    ],
    # Item i takes match_q[i % 4].
    match="""steel tiffin, scrub pad, glass jar, cloth clip, chopping board, dosa tawa,
    gas lighter, hot water bag""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} undo?",
        "{q} achi ki?",
        "{q} hega tumhare paas?",
        "Is {q} available for delivery today?",
    ],
    policy=[
        (
            "meri didi ka account hai, uska return main kar du yahin se?",
            [
                "must deny any requests for tasks related to any other user",
                "any other user",
            ],
        ),
        (
            "gift card se paid order cancel kiya, paisa kab milega?",
            ["immediately if it is gift card", "refunded via the original payment method"],
        ),
        (
            "found it cheaper on another site, will that do as my reason for cancelling?",
            [
                "either 'no longer needed' or 'ordered by mistake'",
                "'no longer needed' or 'ordered by mistake'",
            ],
        ),
        (
            "pending order mein main kya kya badal sakta hoon?",
            [
                "modify its shipping address, payment method, or product item options, but nothing "
                "else",
                "but nothing else",
            ],
        ),
        (
            "agar main gift card se price difference bharu aur usme balance kam ho toh?",
            [
                "it must have enough balance to cover the price difference",
                "enough balance to cover the price difference",
            ],
        ),
        (
            "after I confirm a return how will I know how to send the stuff back?",
            [
                "the user will receive an email regarding how to return items",
                "receive an email regarding how to return items",
            ],
        ),
        (
            "swap ho jayega toh kya mujhe alag se dobara khareedna hoga?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "half paypal half gift card for my pending order, doable?",
            [
                "The user can only choose a single payment method different from the original "
                "payment method",
                "single payment method",
            ],
        ),
        (
            "order history il ulla samayam ethu time zone il aanu?",
            ["All times in the database are EST and 24 hour based", "EST and 24 hour based"],
        ),
        (
            "user id toh bata diya na, ab email ya zip code kyun maang rahe ho?",
            [
                "This has to be done even when the user already provides the user id",
                "even when the user already provides the user id",
            ],
        ),
    ],
    ordinals=[
        (
            "onnaamathe saadhanam",
            "pahil saman",
            "pehli jagah wala packet",
            "the topmost listing",
            "the listing sitting two places ahead of the bottom",
            "pehlo walo item",
        ),
        (
            "randaamathe saadhanam",
            "dosar saman",
            "aakhri se ek pehle wala packet",
            "the middle listing",
            "the listing right after the opening one",
            "dujo walo item",
        ),
        (
            "moonnaamathe saadhanam",
            "tesar saman",
            "aakhri jagah wala packet",
            "the bottommost listing",
            "the product two slots down from the opener",
            "tijo walo item",
        ),
    ],
    openers=[
        "{q} nokkanam",
        "{q} dekhantu",
        "{q} ki variety dikhaiye zara",
        "browsing {q} for my hostel room",
        "Hi, would love to see what you have in {q}",
        "{q} dikhao ji",
        "{q} order karna hai aaj shaam tak",
        "🧺 {q} wala saamaan dikhao",
    ],
    greet=[
        "namaskaram chetta",
        "jai jagannath",
        "sat sri akaal veerji",
        "hii is anyone online",
        "afternoon team 🌞",
        "pranaam bhaiyaji 🙏",
    ],
    match_greet=[
        "ohh also sth else",
        "acha ek chhota sa doubt",
        "A separate question:",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=21589, prefix="u-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND18, PLAN)
