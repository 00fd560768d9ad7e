"""Builds the twentieth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 24317, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind20.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: mostly English
# as Indians, Americans and Britons type it (terse, texting shorthand, typos kept on purpose,
# polite and formal, rambling, voice-typed run-ons, older shoppers, some emoji), some Hinglish,
# and a few turns in Konkani, Assamese, Nepali and Haryanvi in Latin script.
# An ordinal is a whole noun phrase naming one fixed place in a list of three: plain ordinals,
# counted from the end, relative to another place, idioms; none of it is taken from the other sets.
ORDER_Q = [
    "are any of my orders out for delivery or what",
    "Any news on the bits and bobs I've ordered from you lot?",
    "I'm a pensioner and not good with these apps, could you kindly look up my orders and "
    "read them out to me",
    "mera maal abhi kidhar atka pada hai, tracking batao",
    "mero order haru kaha pugyo?",
    "mera saaman kit pohonch rya se?",
    "show me my full order history real quick",
    "my daughter helped me place a few orders some weeks back, can you see them and tell me what "
    "happened to each one",
    "has any of my stuff shipped yet?",
    "Respected team, I wish to ascertain the whereabouts of my consignments.",
    "wheres my stuf, orderd ages ago",
    "mhoje orders khoim pavle?",
]
BLIND20 = Phrasing(
    needs="""detergent disinfectant freshener moisturiser cookies scrubber cleanser seasoning
    crisps batter flour napkin biscuits sauce candy""".split(),
    need_q=[
        "which one of these 3 is {need}? can't scroll properly on this phone",
        "Would you kindly highlight the {need} among the goods listed above?",
        "ok but like... where's the {need} in this bunch",
        "{need} kaha h isme, no. bta",
        "I am searching {need} only. Out of these, kindly indicate the correct one.",
        "my wife sent a voice note saying get {need} and now im standing in the aisle staring at "
        "three things so which one is it",
        "bas {need} chahiye tha, teeno mein se pehchaan ke do",
        "🙏 {need} spotted anywhere in these? gimme its position",
        "hya tinantlem {need} khuinchem?",
        "{need} chahiyeko thiyo, yesma kun wala ho hajur?",
        "re bhai, {need} konsi aali cheez se inn mein, bata de",
        "ei tinitar bhitorot {need} kontu?",
    ],
    cheap_q=[
        "budget's stretched thin till payday, point me at the lowest priced of these",
        "Which would set me back the least, do you reckon?",
        "lowest cost one?? broke af rn 😅",
        "pension comes on the first so till then i need whichever costs less, which one is that",
        "bhaiya jeb halki hai, kam paise wala konsa padega",
        "I'd rather go for the most affordable of the lot — which would that be?",
        "ei tinitar bhitorot kontu xobatkoi xosta?",
        "gimme the budget option, whichever's fewest bucks",
    ],
    best_q=[
        "which of em did buyers actually love, going by feedback",
        "Out of curiosity, which of these do shoppers rave about most in their ratings?",
        "wats the highest starred 1",
        "my late husband always checked the stars before buying anything, so which here has the "
        "highest star rating",
        "Kindly inform which product has secured maximum rating from customers.",
        "grahak haru le sab bhanda dherai tara diyeko kun ho?",
        "sab te badiya rating kis ki se?",
        "best reviewed one pls, it's for my mum's kitchen",
        "kaunsa sabse zyada pasand kiya gaya hai logon dwara, ratings dekh ke batao",
    ],
    price_q=[
        "rupees-wise, {o} comes to?",
        "Pardon me, how is {o} priced at your end?",
        "{o} ke liye wallet kitna dheela karna padega?",
        "{o} kitleak mellta?",
        "price of {o} plz, typing with one hand lol",
        "cost on {o}? been a while since i bought groceries lol",
    ],
    rating_q=[
        "star tally for {o}, anyone?",
        "What sort of score have buyers given {o}?",
        "{o} tur kiman tora pale?",
        "{o} ke reviews mein taare kitne aaye",
        "gimme avg stars for {o}",
        "May I know how shoppers have scored {o} out of five?",
    ],
    brand_q=[
        "{o} — which outfit produces it?",
        "May I ask the name of the firm behind {o}?",
        "{o} kun company ko ho?",
        "brand of {o}? i only buy names i know",
        "{o} kaunsi kampani ne banaya hai ji",
        "{o} — which lot manufactures it, duck?",
    ],
    compare_q=[
        "{a} versus {b}: which goes in my trolley?",
        "If you had to bin one of {a} and {b}, which stays in the basket?",
        "{a} le lun ya {b}? dimaag kharab ho gaya soch soch ke",
        "{a} ke {b}, konsa badhiya rahvaiga?",
        "cant decide lol {a} or {b}, u choose",
        "my flatmate swears by {a} but I've got my eye on {b}, who's right?",
        "Request you to evaluate {a} against {b} and recommend the worthier purchase.",
        "{a} 🆚 {b}, ur honest take?",
    ],
    more_q=[
        "spill the tea on {o}",
        "I'd like a proper rundown of {o} — what's in it, weight, all that.",
        "{o} ki poori kundli nikaalo",
        "{o} vixim anik sang re",
        "whats in {o} exactly and how big is the pack",
        "more info on {o} pls, what does the description say",
    ],
    why_q=[
        "what's the logic behind showing me {o}?",
        "Might I ask what prompted you to put {o} forward for me?",
        "{o} mere liye hi kyun chuna, koi khaas wajah?",
        "{o} mur babe kiyo bachi dila?",
        "y {o} tho, u stalking my cart? 😂",
        "Is {o} suggested because of things I've bought before? I'd like to understand why.",
    ],
    order_q=ORDER_Q,
    no_match="""hospital bed, income tax filing, motorbike, dth recharge, real estate agent,
    photocopy, cricket coaching, phone repair, home tutor, gold chain, spectacle frames,
    dry cleaning, bike helmet, generator, guest house, job vacancy, school admission,
    parking space""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q}... bet you don't have that huh",
        "Is {q} something your shop offers, by any chance?",
        "aap log {q} bhi bechte ho ya sirf raashan?",
        "{q} pam ne ikhinit?",
        "looking for {q}, does the store have that?",
        "{q} mellta?",
    ],
    # Item i takes match_q[i % 4].
    match="""screw driver set, painting kit, nut cracker, shot glass, laundry bag, inverter bulb,
    back scrubber, coffee mugs""".replace("\n    ", " ").split(", "),
    match_q=[
        "u carry {q} or nah?",
        "I wonder whether {q} is amongst your wares?",
        "{q} ka stock rakhte ho?",
        "{q} yaha paincha?",
    ],
    policy=[
        (
            "Do I have to prove who I am before you can look at my order?",
            [
                "authenticate the user identity by locating their user id via email, or via "
                "name + zip code",
                "name + zip code",
            ],
        ),
        (
            "I already gave you my user id, why do you still need my email?",
            [
                "This has to be done even when the user already provides the user id",
                "already provides the user id",
            ],
        ),
        (
            "what payment options do you accept on orders?",
            [
                "Each payment method is either a gift card, a paypal account, or a credit card",
                "a paypal account, or a credit card",
            ],
        ),
        (
            "If I switch my pending order's payment to a gift card, how much balance does it need?",
            ["it must have enough balance to cover the total amount", "cover the total amount"],
        ),
        (
            "Got a kettle delivered, can I exchange it for a toaster instead?",
            ["There cannot be any change of product types", "change of product types"],
        ),
        (
            "For a return, can the refund be put on a brand new gift card?",
            [
                "The refund must either go to the original payment method, or an existing gift "
                "card",
                "an existing gift card",
            ],
        ),
        (
            "If I change the items on my pending order, can I still cancel it afterwards?",
            [
                "the agent will not be able to modify or cancel the order anymore",
                "modify or cancel the order anymore",
            ],
        ),
        (
            "payment method badal diya pending order ka, ab status kya rahega?",
            ["the order status will be kept 'pending'", "kept 'pending'"],
        ),
        (
            "can I talk to a real person instead of a bot?",
            [
                "transfer the user to a human agent if and only if the request cannot be handled "
                "within the scope of your actions",
                "transfer the user to a human agent",
            ],
        ),
        (
            "pending order lai return garna milcha?",
            [
                "An order can only be returned if its status is 'delivered'",
                "only be returned if its status is 'delivered'",
            ],
        ),
    ],
    ordinals=[
        (
            "the 1st listing",
            "the last-but-two item",
            "whichever sits directly above the middle pick",
            "the opening act",
            "pehle aala",
            "poili vostu",
        ),
        (
            "the 2nd listing",
            "the listing perched on top of the last",
            "the item that comes after no. 1 and before no. 3",
            "the one with neighbours on both ends",
            "bichla aala",
            "dosro saman",
        ),
        (
            "the 3rd listing",
            "the caboose",
            "whatever's parked two rows under the top one",
            "the tail-ender",
            "sabte pachhla aala",
            "tritiyo bostutu",
        ),
    ],
    openers=[
        "right, I'm after {q}, what've you got",
        "Please display a selection of {q} for my perusal.",
        "{q} dikhao bhai",
        "mom's list says {q}, whatcha got",
        "lemme browse {q} real quick",
        "{q} dekhaunus na",
        "{q} for the new flat, show me what's there 🏠",
        "{q} options plz",
    ],
    greet=[
        "evening all",
        "Good afternoon, is this customer help?",
        "ji namaskaar, shopkeeper sahab online ho?",
        "Dev borem dis diun",
        "nomoskar, bhal ne?",
        "wassup fam 👋",
    ],
    match_greet=[
        "raam raam bhai",
        "oh and one other thing",
        "one sec, a related q",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=24317, prefix="w-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND20, PLAN)
