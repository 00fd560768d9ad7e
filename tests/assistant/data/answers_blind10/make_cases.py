"""Builds the tenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 12781, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind10.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, personal context, Hinglish in Latin script,
# voice-typed run-ons without punctuation, other Indian-English turns ("kindly", "itself",
# "no?"), some emoji. An ordinal is a whole noun phrase, some relative and some counted from the
# end; none of it is taken from the eleven other sets.
BLIND10 = Phrasing(
    needs="""pickle tape folder mould scissors envelope""".split(),
    need_q=[
        "yaar {need} ke liye inme se kaunsa uthana chahiye batao",
        "Kindly let me know which of these items is the {need}, thank you.",
        "{need} kidhr hai isme",
        "guests aa rahe hain kal, {need} chahiye, which product is it from this list",
        "okay so i need {need} which one of these is that one tell me",
        "wch product = {need} ??",
        "nani ke ghar ke liye {need} bhejna hai, iss list mein kaun sa wala hai",
        "🧺 {need} dikh raha hai kisi naam mein? bata do",
        "Good evening, could you identify the {need} among the products shown?",
        "{need} itself only I want, point it out no",
        "ek {need} dhundh raha hu, in teeno mein se kaun",
        "hey so like which of these counts as {need}",
    ],
    cheap_q=[
        "paisa tight hai is baar 🙏 sabse sasta kaunsa padega",
        "Kindly tell me which of these three has the smallest price tag.",
        "cheapst 1 plz",
        "teeno mein kiska daam sabse neeche hai",
        "okay which of these costs me the least money tell me quickly",
        "I'm a student living on pocket money, which of these drains it the least?",
        "kam kharche wala item kaunsa hai ji",
        "lowest rupees item among these three itself tell",
        "budget wise sabse halka kaun sa hai",
    ],
    best_q=[
        "logon ko sabse zyada kaunsa pasand aaya hai",
        "Kindly point out the product with the strongest buyer reviews here.",
        "highst ratd 1??",
        "star rating mein top pe kaun hai ⭐⭐⭐",
        "okay which one of these do people rate the best tell me",
        "My husband checks reviews before anything, which scores top here?",
        "sabse achhe review wala product konsa hai bhai",
        "of the three, whose rating is the best itself",
        "customers ne kisko sabse upar rakha hai",
    ],
    price_q=[
        "{o} ke liye jeb se kitna jayega bhai",
        "Kindly advise the amount payable for {o}.",
        "{o} ka bhav kya lagaya hai aaj",
        "prce of {o} ??",
        "okay how much money is {o} tell me the price",
        "doing my grocery budget for the month, what will {o} cost me",
    ],
    rating_q=[
        "{o} ko buyers ne kitne number diye out of 5",
        "Kindly let me know how customers have rated {o}.",
        "🌟 ginti for {o}?? kitne hai",
        "ratng of {o} pls tell",
        "okay what rating does {o} have out of five",
        "thinking of buying it for my in-laws, how well rated is {o}?",
    ],
    brand_q=[
        "{o} banaya kisne hai, firm ka naam do",
        "Kindly advise which manufacturer's label {o} carries.",
        "packet of {o} pe konsi company chhapi hai yaar",
        "brnd of {o}??",
        "okay who is the maker of {o} which brand",
        "my mother trusts only certain companies, which brand is {o}?",
    ],
    compare_q=[
        "{a} lu ya {b}, aap hi decide karo",
        "Kindly put {a} and {b} side by side and advise.",
        "{a} or {b} wich 1 beter",
        "confuse ho gaya hu 🤷 {a} ya {b}",
        "For a small family of three, is {a} or {b} the better choice?",
        "okay so between {a} and {b} which one should i go for tell me",
        "paisa vasool kaun hai, {a} ki {b}? dono ke number dekh ke bolo",
        "{a} ka {b} se comparison chahiye",
    ],
    more_q=[
        "{o} ke baare mein jaankari chahiye thodi",
        "Kindly share some more information about {o}.",
        "bhai {o} kis kaam aata hai",
        "{o} deets plz",
        "okay tell me more about {o} what is it exactly",
        "never bought this before, what all should I know about {o}?",
    ],
    why_q=[
        "aapne {o} kis base pe choose kiya",
        "Kindly explain the reason for suggesting {o}.",
        "y did u pick {o}",
        "{o} ke peeche kya logic hai",
        "okay why {o} though what made you choose it",
        "i normally stick to another product, convince me on {o} 🤔",
    ],
    order_q=[
        "mera parcel kis shehar tak aaya",
        "Kindly apprise me of where each of my orders stands.",
        "ordrs status??",
        "go through every order i have placed",
        "jitne bhi order kiye hain sab ki list do",
        "Could you let me know where my deliveries have reached?",
        "order ka update do yaar, kuch pata nahi chal raha",
        "okay so where is my order right now has it shipped or what",
        "bhaiya saamaan ghar kab pahunchega",
        "bought return gifts for my daughter's party last week, have they been dispatched?",
        "pending orders hai kya mere koi",
    ],
    no_match="""laptop repair, car rental, wedding photographer, visa application, mutual fund, gold
    loan, physiotherapy session, marriage hall booking, cement bags, bricks, water tanker, second
    hand car, car servicing, demat account, ac repair, flat on rent, packers and movers, floor
    tiles""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "arre {q} wala kaam bhi karte ho aap log",
        "Kindly confirm whether you offer {q}.",
        "ur app pe {q} dikha nahi, rakhte ho?",
        "okay do you guys have {q} or not",
        "a friend told me to ask you for {q}, do you have it?",
        "🙂 {q} ka kuch jugaad hoga aapke paas?",
    ],
    match="""cornflakes, baking powder, soy sauce, cotton buds, hair conditioner, green peas,
    tomato sauce, sugar free""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} ka packet bhej sakte ho aaj shaam tak",
        "Kindly let me know if {q} is available.",
        "{q} hai??",
        "Ran out of {q} this morning, can I order it here?",
    ],
    policy=[
        (
            "my mom also wants to return something from her order, can you do that in this chat?",
            ["only help one user per conversation", "one user"],
        ),
        (
            "order status now says pending items modified, can i still cancel the whole thing?",
            ["not be able to modify or cancel the order anymore", "cancel the order anymore"],
        ),
        (
            "card se paid tha aur cancel kar diya, paisa wapas kitne din mein aayega?",
            ["5 to 7 business days", "business days"],
        ),
        (
            "the kettle you delivered is fine but can i exchange it for a toaster instead?",
            ["cannot be any change of product types", "change of product types"],
        ),
        (
            "my order is processed already, can you still switch it to paypal payment?",
            ["only be modified if its status is 'pending'", "pending"],
        ),
        (
            "return ka refund mere naye bank account mein daal doge kya?",
            ["original payment method, or an existing gift card", "existing gift card"],
        ),
        (
            "Kindly tell me, will you do the return directly or first tell me what you will do?",
            ["list the action detail and obtain explicit user confirmation", "explicit user"],
        ),
        (
            "for the return do i need to tell you each item i am sending back",
            ["the list of items to be returned", "list of items"],
        ),
        (
            "my order got cancelled by mistake, can you bring it back and ship it?",
            ["only take action on pending or delivered orders", "pending or delivered"],
        ),
        (
            "order still shows processed, can i exchange the size now or wait?",
            ["only be exchanged if its status is 'delivered'", "delivered"],
        ),
    ],
    ordinals=[
        (
            "the very first thing you listed",
            "pehla wala jo dikhaya",
            "the one at the head of the list",
            "sabse pehli entry",
            "the item three places from the bottom",
        ),
        (
            "the one wedged between the other two",
            "do ke beech wala",
            "the one just after the top item",
            "the item placed second in your reply",
            "the one parked right above the final entry",
        ),
        (
            "the very last thing you listed",
            "sabse neeche wala item",
            "the one at the tail of the list",
            "teesri entry",
            "the one two places after the top",
        ),
    ],
    openers=[
        "yaar {q} dikhao kuch",
        "Kindly display your full {q} assortment.",
        "{q} wali shelf pe kya rakha hai",
        "🛒 {q} chahiye abhi",
        "okay show me some {q}",
        "What kinds of {q} do you have in store today?",
        "ghar ke liye {q} dekh rahi hu",
        "kya {q} milenge, kuch naam gino",
    ],
    greet=[
        "namaskar ji 🙏",
        "hello hello store",
        "gm gm store team",
        "yo, anyone awake",
        "vanakkam, is anyone there",
        "hi team, need a little help",
    ],
    match_greet=["wait, ek last cheez", "btw quick add-on question", "acha aur suno"],
    no_ids="""mera parcel kis shehar tak aaya kindly apprise me of where each my orders stands ordrs
    status go through every order have placed jitne bhi kiye hain sab ki list do could you let
    know deliveries reached ka update yaar kuch pata nahi chal raha okay so is right now has it
    shipped or what bhaiya saamaan ghar kab pahunchega bought return gifts for daughter's party
    last week they been dispatched pending hai kya mere koi""".split(),
)
PLAN = Plan(seed=12781, prefix="k-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND10, PLAN)
