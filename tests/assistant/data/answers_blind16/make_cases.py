"""Builds the sixteenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 19421, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind16.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, voice-typed run-ons, personal context, Hinglish,
# and Bengali, Marathi, Tamil and Telugu turns in Latin script, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the other sets.
ORDER_Q = [
    "naa order ippudu ekkada undi?",
    "maza order kuthparyant pohochla?",
    "naan vaangina saamaan eppo varum?",
    "apne saare orders ka haal-chaal sunao",
    "is something i bought held up in transit",
    "could you please list all the orders on my account along with their current status",
    "my wife says she ordered from my account last week can you check if anything is pending or "
    "already delivered",
    "📦 kuch deliver hua ki nahi mera?",
    "pending pade orders gin ke batao mujhe",
    "I'd like a summary of my past purchases, please.",
    "kitne orders aa gaye aur kitne baaki hain mere",
    "yaar mera pichhla order kab tak aayega",
]
BLIND16 = Phrasing(
    needs="""cutter granite roti idly kabuli fenugreek castor shikanji peanuts glucose kadhai
    puppy sandwich marie garbage dahi dessert microwave flaxseed dispenser""".split(),
    need_q=[
        "ee moodintlo {need} edi?",
        "{need} kuthla aahe yaatla?",
        "indha moonu-la {need} edhu?",
        "I'm after {need}; would you be so good as to flag its row?",
        "{need} wala kidhar chhupa hai is list mein 😅",
        "mummy ne {need} mangaya hai, usko tap karna hai, number bolo",
        "looking 4 {need} which no",
        "so basically my cousin is visiting and she wants {need} and i cant tell from these names "
        "which one it is",
        "Which listing would be the {need}, if I may ask?",
        "{need} pakdao bhai, teeno mein kaunsa",
        "dada {need} ta kon number e?",
        "{need} saathi kuthla number dabu?",
        "{need} venum, edha edukkanum?",
    ],
    cheap_q=[
        "shobcheye shosta konta?",
        "sarvaat swasta kuthla?",
        "kammi vilaiyil kidaikkira onnu edhu?",
        "tankhwah aane mein der hai, sabse kam mol ka kaunsa",
        "cheapest pls, broke af 🥲",
        "Whichever drains my purse least, name it.",
        "hostel mess band hai aur wallet khaali, sabse kifayati kaunsa",
        "i run a small canteen and buy in bulk so i need whatever has the lowest price on it here",
        "💰 bachat wala pick?",
    ],
    best_q=[
        "kon ta-r rating shobcheye beshi?",
        "lokanni sarvaat jasta pasant kela te kuthla?",
        "edhukku rating romba adhigam?",
        "grahakon ki pehli pasand kaunsi, rating ke hisaab se",
        "⭐ tally jeetne wala?",
        "my mother in law reads every review before buying, which would she pick as best rated",
        "Which would reviewers crown the winner here?",
        "top scorer by ratings?",
        "buyers ka favourite kaun, stars dekh ke batao",
    ],
    price_q=[
        "{o} dhara entha?",
        "{o} la kiti paise lagtil?",
        "{o} evlo rooba?",
        "{o} lene mein jeb se kitna jayega",
        "{o} rate chahiye fatafat",
        "{o} ke daam bata do zara, bill banana hai",
    ],
    rating_q=[
        "{o} ki rating entha undi?",
        "{o} la kiti star miltat?",
        "{o}-ku ethana stars irukku?",
        "{o} ke reviews ka score kya aaya hai",
        "{o} rated how high",
        "before i order {o} for my dad, how many stars has it got from buyers",
    ],
    brand_q=[
        "{o} tayaaru chesindi evaru?",
        "{o} konachya brand cha aahe?",
        "{o} yaaru thayaarippu?",
        "{o} banane wali firm ka naam?",
        "{o} whose label",
        "we only buy certain labels at home, which brand sells {o}",
    ],
    compare_q=[
        "{a} manchidaa {b} manchidaa?",
        "{a} ki {b}, kuthla ghyaycha?",
        "{a}-ah illa {b}-ah, rendula edhu nalladhu?",
        "{a} aur {b} mein faisla kar do please, dimaag kharab ho gaya",
        "{a} vs {b} whos winning",
        "hubby says {a}, i say {b}, who's right 🙃",
        "just line up {a} against {b} on cost and stars and tell me which one i should go for",
        "Between {a} and {b}, which would you lean towards?",
    ],
    more_q=[
        "{o} ka description padh ke sunao",
        "{o} vishayi sagla sanga",
        "{o} gurinchi inkaa cheppandi",
        "{o} ke baare mein sab kuch khol ke batao",
        "{o} full info plz",
        "tell me everything the listing says about {o}, weight, what's inside, all of it",
    ],
    why_q=[
        "{o} naaku enduku choopincharu?",
        "{o} mala ka suchavla?",
        "{o} enakku yen recommend panneenga?",
        "{o} mere liye kyun chuna, mere purane orders se kya match hua?",
        "why'd u suggest {o} to me",
        "is {o} showing up because of something i bought before? curious",
    ],
    order_q=ORDER_Q,
    # Item i takes no_match_q[i % 6]: the order pairs each item with a template it reads well in.
    no_match="""scrap dealer, lamination, notary, visa, voter id, music teacher, movers and packers,
    architect, swimming lessons, moped, horse riding, chimney, stroller, flight booking,
    property tax, key duplication, bike rental, mutual funds""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} ka intezaam bhi ho jaata hai kya idhar?",
        "tomader kache {q} pawa jay?",
        "{q} chi soy aahe ka ithe?",
        "ungakitta {q} irukka?",
        "Do you folks handle {q} as well, or only groceries?",
        "my neighbour swears she got {q} through this app, is she pulling my leg 😂",
    ],
    # Item i takes match_q[i % 4].
    match="""lunch box, water bottle, incense sticks, steel tumbler, bath mug, cotton wool,
    screw driver, chewing gum""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} paoa jabe?",
        "{q} bhetel ka ithun?",
        "{q} kidaikkuma?",
        "got {q}? housewarming on sunday",
    ],
    policy=[
        (
            "my brother's account has a pending order, can you cancel it for him while you're "
            "on with me?",
            [
                "must deny any requests for tasks related to any other user",
                "any other user",
            ],
        ),
        (
            "why do you need me to type yes before you cancel, can't you just do it?",
            [
                "obtain explicit user confirmation (yes) to proceed",
                "explicit user confirmation",
            ],
        ),
        (
            "status mein processed likha aa gaya, ab rukwa sakte hain order?",
            [
                "An order can only be cancelled if its status is 'pending'",
                "only be cancelled if its status is 'pending'",
            ],
        ),
        (
            "cancellation ke baad mere credit card mein refund kab tak dikhega?",
            ["otherwise in 5 to 7 business days", "5 to 7 business days"],
        ),
        (
            "amar delivered kettle ta ekta toaster diye bodlano jabe?",
            [
                "There cannot be any change of product types",
                "change of product types",
            ],
        ),
        (
            "return ka refund mere naye credit card pe bhej doge jo maine abhi add kiya?",
            [
                "The refund must either go to the original payment method, or an existing gift "
                "card",
                "original payment method, or an existing gift card",
            ],
        ),
        (
            "If I swap an item option on my pending order now, can I still cancel it later?",
            [
                "will not be able to modify or cancel the order anymore",
                "not be able to modify or cancel the order anymore",
            ],
        ),
        (
            "maza order ajun pending aahe, tari return karta yeil ka?",
            [
                "An order can only be returned if its status is 'delivered'",
                "only be returned if its status is 'delivered'",
            ],
        ),
        (
            "en default address-a maathanum, neenga panna mudiyuma?",
            ["modify their default user address", "default user address"],
        ),
        (
            "exchange wala naya item mehenga hai aur gift card mein thoda hi balance hai, chalega?",
            [
                "it must have enough balance to cover the price difference",
                "enough balance to cover the price difference",
            ],
        ),
    ],
    ordinals=[
        (
            "modati vastuvu",
            "pahila product",
            "modhal porul",
            "the top slot in your list",
            "whatever precedes the centre pick",
            "last se ginke teesra",
        ),
        (
            "rendo vastuvu",
            "madhla product",
            "rendaavadhu porul",
            "the middle slot",
            "the entry squeezed between top and bottom",
            "the pick one place shy of the bottom",
        ),
        (
            "moodo vastuvu",
            "shevatcha product",
            "moonaavadhu porul",
            "the bottom slot",
            "the pick sitting two places below the top",
            "the pick immediately following the centre pick",
        ),
    ],
    openers=[
        "{q} dekhao toh",
        "{q} chupinchandi",
        "{q} kaattunga",
        "{q} ka stock kholo",
        "gimme {q} choices",
        "guests coming tonight, need {q}",
        "Hello, could I have a peek at the {q} aisle?",
        "{q} khareedna tha 🛒",
    ],
    greet=[
        "nomoshkar dada",
        "ela unnaru?",
        "jai shri krishna",
        "Evening! Hope the day's treating you kindly.",
        "oii 👋 jaag rahe ho?",
        "hellooo, koi sun raha?",
    ],
    match_greet=[
        "haan sun, doosri baat",
        "wait, separate thing 🙏",
        "One more thing, if you don't mind:",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=19421, prefix="s-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND16, PLAN)
