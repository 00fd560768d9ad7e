"""Builds the eighth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 10453, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind8.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, Indian-English office idiom ("kindly", "do the
# needful", "revert"), personal context, Hinglish in Latin script, some emoji and ALL CAPS. An
# ordinal is a whole noun phrase, some of them relative ("the one just under the first", "the
# one just above the bottom one"); none of it is taken from the nine other sets.
BLIND8 = Phrasing(
    needs="""mug basket soap shampoo namkeen toothbrush toothpaste bowl plate flask
    jam lotion cooker towel jug""".split(),
    need_q=[
        "namaste ji, teeno cheezon mein se {need} konsi wali hai, zara bataiye",
        "Kindly revert which among these is {need}.",
        "{need}?? lemme knw which 1 it is yaar",
        "guests coming tonite n i forgot {need}, which of these shud i add",
        "Please do the needful and point me to the {need} here 🙏",
        "arre {need} dhoondh raha hoon, is list mein kaunsa hai",
        "I NEED {need} - which item is that??",
        "for my hostel room i want {need}, pick the right one from these",
        "amma asked me to get {need}, which one is it here",
        "Good sir, may I know which product here is {need}?",
        "{need} waala dedo, konsa hai woh",
        "confused 🤔 which thing here counts as {need} really",
    ],
    cheap_q=[
        "paise kam hain yaar, sabse sasta kaunsa padega",
        "Kindly suggest the most economical item among these.",
        "CHEAPEST ONE PLS, no fancy stuff",
        "student hoon, least expensive wala batao",
        "kharcha kam karna hai 💸 so what's easiest on my wallet",
        "Please tell me which item has the lowest selling price.",
        "kam se kam kharcha kismein hoga",
        "which is the pocket friendly pick here",
        "saving up for diwali, so which of these is least costly",
    ],
    best_q=[
        "Kindly let me know the highest rated item among these.",
        "rating mein no. 1 kaunsa hai",
        "ppl ne ⭐ sabse jyada kisko de rakhe",
        "jiski rating top pe ho wahi pack kar do",
        "My mother only trusts top-rated stuff, which of these should I pick?",
        "BEST RATED one pls",
        "logon ne sabse zyada stars kisko diye",
        "what has the strongest reviews out of these",
        "Please revert with the item having the best customer rating.",
    ],
    price_q=[
        "{o} ki keemat kya hai ji",
        "Kindly revert with the price of {o}.",
        "{o} kitne rupay mein ghar aa jayega",
        "{o} costs wat?? 💰",
        "{o} PRICE batao jaldi",
        "My budget is tight, what does {o} cost me?",
    ],
    rating_q=[
        "{o} ko customers ne kitne number diye",
        "Kindly intimate the customer score received by {o}.",
        "{o} - stars out of 5?",
        "{o} ka feedback solid hai ya bekaar",
        "buyers gave {o} how many ⭐ out of five",
        "yaar {o} ko log kitna achha bolte, score?",
    ],
    brand_q=[
        "{o} ke peeche kaunsi firm hai, naam?",
        "Kindly inform me of the brand name of {o}.",
        "whose label is on {o} pack",
        "ji {o} pe naam kis brand ka likha hai",
        "{o} ka BRAND NAME chahiye",
        "my husband wants one particular brand only, which brand is {o}?",
    ],
    compare_q=[
        "{a} ya {b}, dono mein se kaunsa lun",
        "Kindly compare {a} and {b} and revert.",
        "🤔 {a} lu ki {b}, paisa vasool kaunsa",
        "should i pick {a} over {b}? price n rating pls",
        "Between {a} and {b}, which would you suggest for my family?",
        "{a} ki tulna {b} se karo",
        "sach sach batana, {a} accha ki {b}",
        "PLS put {a} side by side with {b}",
    ],
    more_q=[
        "{o} ke bare mein details do",
        "Kindly share complete details of {o}.",
        "{o} abt it more info needed urgent",
        "{o} ke baare mein poora likha hua bhejo",
        "explain {o} to me like im 5",
        "Before placing the order, kindly elaborate on {o}.",
    ],
    why_q=[
        "aapne {o} pe ungli kyun rakhi",
        "Kindly clarify the basis for proposing {o} in my case.",
        "{o} for me?? 🤔 whats the logic",
        "based on my past buys, why {o}?",
        "{o} mere liye kyon theek rahega",
        "What made you pick {o} for me?",
    ],
    order_q=[
        "saman ghar kab tak aa jayega bhai",
        "Kindly revert with the status of my orders.",
        "wheeer are my ordrs man",
        "show me everything i ordered till now",
        "maine kya kya order kiya hai ab tak",
        "Please do the needful and check my deliveries.",
        "ORDER STATUS pls",
        "did my parcel get delivered or not",
        "mere parcel abhi kis shehar mein hain",
        "I ordered some stuff for my mom's birthday, has it been shipped?",
        "any of my orders stuck somewhere?",
    ],
    no_match="""petrol, cricket stumps, flight ticket, car insurance, plumber service, wedding card,
    movie ticket, pressure washer, wooden cot, led tv, gold coin, sports shoes, bike tyre,
    tuition classes, phone cover, computer mouse, guitar strings, bus
    pass""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "aapki dukaan pe {q} bikta hai kya ji?",
        "Kindly confirm whether {q} is available on your store.",
        "oye {q} milega ki nahi ur app pe??",
        "my son's asking for {q}, is that something you keep",
        "{q} milta hai idhar?",
        "searched everywhere 🤔 {q} is listed on this site or not",
    ],
    match="""besan, sooji, rice bran oil, soan papdi, kaju katli, ragi flour, peanut oil, garam
    masala""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} mangwana hai, hai kya?",
        "Kindly check if {q} is in stock.",
        "{q} in stock today, yes/no?",
        "Running out of {q} at home, do you have it?",
    ],
    policy=[
        (
            "Kindly do the needful and tell me what details of my profile you can share.",
            ["information about their own profile", "profile"],
        ),
        (
            "paid thru paypal, cancelling now - can the money come to my gift card instead? pls"
            " revert",
            ["refunded via the original payment method", "original payment method"],
        ),
        (
            "if ur not sure when my parcel comes just guess a date, its fine 🙂",
            ["not make up any information", "make up"],
        ),
        (
            "exchange book karne se pehle kya aap check karoge ki maine saare items bata diye?",
            ["remind the customer to confirm they have provided all items", "all items"],
        ),
        (
            "my order got cancelled last week, can I still send it back as a return?",
            ["only be returned if its status is 'delivered'", "delivered"],
        ),
        (
            "order already delivered to my old flat, can u update the shipping address on it now?",
            ["only be modified if its status is 'pending'", "pending"],
        ),
        (
            "in my pending order can i only change size or colour, or the model itself also?",
            ["of different product option", "same product"],
        ),
        (
            "my friend gave me his user id, can you look at his orders for me?",
            ["one user", "other user"],
        ),
        (
            "can i cancel my pending order without giving u any reason? just cancel na",
            ["the order id and the reason", "no longer needed"],
        ),
        (
            "my order says return requested, can I switch it to an exchange instead?",
            ["only be exchanged if its status is 'delivered'", "delivered"],
        ),
    ],
    ordinals=[
        (
            "the item right at the head",
            "jo pehle position pe hai",
            "jo list mein sabse pehle hai",
            "the opener of the list",
            "whichever you listed at number one",
        ),
        (
            "the one just under the first",
            "beech ki position wala saaman",
            "whatever got sandwiched between the other two",
            "doosri jagah wala",
            "the one just above the bottom one",
        ),
        (
            "the item at the very bottom",
            "neeche se pehla",
            "the final item",
            "teesre position ka saaman",
            "the one just below the middle",
        ),
    ],
    openers=[
        "namaste, {q} dikhaiye",
        "Kindly show {q} products.",
        "{q} dikhao na pls pls",
        "🔍 {q} ki talaash hai",
        "mujhe {q} chahiye tha",
        "Show me whatever {q} you are having.",
        "{q} ke kitne types available hai",
        "{q} related saaman ki list do",
    ],
    greet=[
        "pranam",
        "hiiii team 👋",
        "hello bigbasket wale",
        "gd evng",
        "hello sir",
        "KOI HAI?? need help",
    ],
    match_greet=["aur haan", "sorry another doubt", "btw"],
    no_ids="""mera saman kab aayega kindly revert status orders where show everything ordered
    till now maine kya kiya hai tak needful check deliveries order did parcel delivered
    mere kahan pahunche stuff mom's birthday shipped stuck somewhere""".split(),
)
PLAN = Plan(seed=10453, prefix="i-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND8, PLAN)
