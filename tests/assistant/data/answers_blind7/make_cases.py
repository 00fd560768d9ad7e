"""Builds the seventh blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 9337, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind7.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery store's chat widget: terse, sloppy (typos kept
# on purpose), polite, with personal context, idioms ("burn a hole in my pocket", "fit the
# bill"), questions put to the store ("do you guys ..."), and Hinglish in Latin script. An
# ordinal is a whole noun phrase, some of them relative ("the one before the last", "the one
# after the middle one"); none of it is taken from the eight other sets.
BLIND7 = Phrasing(
    needs="""tiffin tumbler casserole strainer kadai dustbin phenyle ketchup soup
    chapati dosa syrup sipper bucket bulb notebook balm repellent condoms wiper knife stool
    battery tray spoon""".split(),
    need_q=[
        "bhai ghar ke liye {need} lena hai, isme kaunsa sahi rahega",
        "Hello, which one of these is the {need}? Thank you.",
        "out of these 3 whch one is {need}",
        "running low on {need} at home, which one should i grab",
        "bhaiya inme {need} kidhar hai",
        "my daughter needs {need} by tomorrow, which item do i take",
        "{need} ka option konsa hai yahan",
        "Kindly help me spot the {need} among these items.",
        "do you guys have the {need} in this list? which one",
        "need {need} asap, which 1",
        "i'm hunting for {need} - does anything here fit the bill?",
        "mujhe toh bas {need} chahiye, baaki chhodo - konsa?",
    ],
    cheap_q=[
        "sabse kam kimat wala dikhao",
        "We're a family of four on a budget - which costs us least?",
        "need smthng that wont burn a hole in my pocket",
        "month end hai, sabse sasta batao",
        "whats the rock-bottom price option here",
        "I'd like whichever costs the least, please.",
        "lowest price wala kaun sa",
        "do you guys have anything cheaper here, which is the lowest",
        "on a tight budget, which should i go for",
    ],
    best_q=[
        "best reviews kiske hain",
        "Which item do your customers review most favourably?",
        "crowd favourite kaunsa hai isme",
        "bhai stars mein sabse upar kaun",
        "sabse zyada pasand kiya gaya kaunsa",
        "which of these gets the thumbs up from buyers",
        "I only buy well-reviewed stuff, so what tops the chart here?",
        "reviews dekh ke bolo kaunsa uthau",
        "whch one has top ratng",
    ],
    price_q=[
        "{o} ka MRP kitna pad raha hai",
        "{o} ka price tag dikhana",
        "Would you mind telling me what {o} sells for?",
        "{o} ke liye kitne rupaye nikalne padenge",
        "total damage for {o}?",
        "{o} ka rate bolo",
    ],
    rating_q=[
        "{o} ke reviews achhe aaye hain kya",
        "{o} ne kitne taare kamaye",
        "I'd appreciate knowing {o}'s score from shoppers.",
        "{o} ki reviews kaisi hain",
        "is {o} any good as per ratings",
        "{o} rated kitna hai",
    ],
    brand_q=[
        "{o} ko bananewali company ka naam",
        "{o} - manufacturer ka naam?",
        "Might I ask who manufactures {o}?",
        "{o} ki company konsi hai",
        "kaun si kampani ne {o} banaya",
        "the firm that produces {o}, who are they?",
    ],
    compare_q=[
        "{a} aur {b} mein kaunsa better rahega",
        "How does {a} compare with {b}?",
        "{a} or {b} - kis mein zyada fayda",
        "if u were me, {a} or {b}?",
        "{a} vs {b}?? quick comparison pls",
        "I'm torn between {a} and {b}; which is better value?",
        "{a} se {b} achha hai kya? price aur rating dekh ke batao",
        "do you guys reckon {a} is worth it over {b}?",
    ],
    more_q=[
        "{o} ki thodi aur jaankari chahiye",
        "Could you tell me a little more about {o}?",
        "{o} ka full details chahiye",
        "{o} ki kahani kya hai, describe karo",
        "gimme the lowdown on {o}",
        "{o} kya hai exactly, thoda samjhao",
    ],
    why_q=[
        "{o} meri pasand se kaise match karta hai",
        "On what grounds did you recommend {o} to me?",
        "what about my shopping history points to {o}",
        "{o} hi kyun, koi reason?",
        "why {o}, does it match my past orders",
        "how come you suggested {o}",
    ],
    order_q=[
        "mera parcel kitne din mein pahunchega",
        "Would you be so kind as to look into my orders?",
        "wheres all the stuff i bought, havent got it",
        "has my package left your godown yet",
        "order ka status kya hai mere",
        "kuch din pehle order kiya tha, koi khabar?",
        "jog my memory - what have i purchased so far",
        "meri purani orders ki list do",
        "is anything of mine still on the way",
        "do you guys have any update on my delivery",
        "kitne orders pending hain mere",
    ],
    no_match="""cricket ball, train ticket, motorcycle, spectacles, tablet computer, silver anklet,
    drum kit, gym membership, cooking class, baby walker, rain boots, keyboard, football jersey,
    contact lenses, table fan, sim card, diamond earrings, mobile
    recharge""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "is {q} part of what you guys offer?",
        "yahan {q} bhi milta hai kya, bhaiya?",
        "Is {q} something you have in your store?",
        "planning to buy {q} online, is it on your shelves?",
        "aapke yahan {q} ka kuch hai?",
        "can i get {q} here or nah",
    ],
    match="""coconut milk, gulab jamun, dishwash liquid, black pepper, baby oil, hand sanitizer,
    cashew nuts, idli rava""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} ka packet bhejoge? hai na aapke paas",
        "Do you carry {q}? Would like to order some.",
        "need {q} urgently, got any?",
        "{q} dikhao jo bhi hai",
    ],
    policy=[
        (
            "what all can you guys help me with for my orders?",
            ["cancel or modify pending orders", "return or exchange delivered orders"],
        ),
        (
            "my order's already been delivered, can you cancel it rather than me returning it?",
            ["can only be cancelled if its status is 'pending'", "only be cancelled"],
        ),
        (
            "return book hone ke baad mujhe koi mail aayega kya?",
            ["receive an email regarding how to return items", "email"],
        ),
        (
            "why do you guys need my pin code?",
            ["name + zip code", "zip code"],
        ),
        (
            "my order time says 02:30:00 - was that in the afternoon?",
            ["2:30 am est", "24 hour based"],
        ),
        (
            "after you swap the size in my pending order, can i still change its address later?",
            ["not be able to modify or cancel the order anymore", "not be able to modify"],
        ),
        (
            "the colour i want is out of stock, can you still put it in my pending order?",
            ["available new item of the same product", "available new item"],
        ),
        (
            "do i literally have to type yes before you do anything?",
            ["explicit user confirmation (yes)", "explicit user confirmation"],
        ),
        (
            "changing an item in my pending order costs more and my gift card is almost empty,"
            " can it still pay the difference?",
            ["enough balance to cover the price difference"],
        ),
        (
            "do you guys have a helpline number i can call instead of chatting?",
            ["human agent"],
        ),
    ],
    ordinals=[
        (
            "the item leading off",
            "list ka pehla item",
            "shuru wala item",
            "the one up top of ur list",
            "jo sabse upar dikha",
        ),
        (
            "the one before the last",
            "centre wala",
            "do number ka item",
            "the one that follows the first",
            "the next-to-last item",
        ),
        (
            "whatever sits at the tail end",
            "end wala product",
            "aakhri product jo dikhaya",
            "the one after the middle one",
            "third in line",
        ),
    ],
    openers=[
        "bhaiya {q} chahiye",
        "hey, got some {q} for me?",
        "Please list a few {q} items for me.",
        "{q} options?",
        "looking for some good {q}",
        "{q} search karo",
        "i need {q} for home",
        "lemme check out ur {q} range",
    ],
    greet=["hii there", "helo", "gud mrng", "adaab", "hellllo", "wassup"],
    match_greet=["one more question", "also", "ek aur baat puchni thi"],
    no_ids="""mera parcel kitne din pahunchega look orders wheres stuff bought havent package left
    godown yet status purani list kuch pehle order kiya khabar jog memory purchased anything
    still way update delivery pending hain mere""".split(),
)
PLAN = Plan(seed=9337, prefix="h-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND7, PLAN)
