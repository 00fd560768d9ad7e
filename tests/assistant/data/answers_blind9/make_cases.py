"""Builds the ninth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 11617, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind9.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, personal context, Hinglish in Latin script,
# other Indian-English turns ("what is the rate", "tell na", "only"), some emoji. An ordinal is a
# whole noun phrase, some relative ("the one after the opening item") and some counted from the
# end ("third from the end"); none of it is taken from the ten other sets.
BLIND9 = Phrasing(
    needs="""candle kettle sanitizer mosquito hanger ladle
    colander""".split(),
    need_q=[
        "bhaiya inme se {need} kaunsa wala padega, jaldi bolo",
        "Would you be so good as to mark out the {need} from this lot?",
        "{need} chahiye thaa.. konsa uthau isme se",
        "shifting to a new flat this weekend, which of the three is a {need}",
        "mummy ne {need} likha hai list mein, in mein se kaun sa hai",
        "wich 1 is d {need} here",
        "{need} hi lena hai only, which item is that tell na",
        "🛒 {need} - kaunsa product match karta hai",
        "Hello, I am looking for a {need}; which of the listed items is it?",
        "dadi ji ko {need} gift karna hai, inmein se uska naam lo",
        "of all these, where is the {need}",
        "jo {need} hai usko cart mein daalna hai, konsa hai",
    ],
    cheap_q=[
        "month end chal raha hai 😅 sabse kam daam wala kaunsa",
        "Could you point out the lowest priced item from these three?",
        "which costs least yaar",
        "kaunsa item sabse kam rupaye ka hai",
        "I'm buying for a hostel mess on a budget, which is the least pricey?",
        "sasta wala bolo bas",
        "minimum rate wala item konsa hai ji",
        "what is the rate wise lowest one among these",
        "least amount i have to pay is for which item",
    ],
    best_q=[
        "sabse badhiya reviews kisko mile hain",
        "Would you be so good as to name the item shoppers have scored highest?",
        "whch 1 got d most stars",
        "rating dekh ke batao konsa best hai 🌟",
        "My wife goes by ratings only, which has the highest?",
        "top reviewed item konsa hai bhai",
        "among these three which is rated highest by buyers",
        "taaron ki ginti mein kaun jeet raha hai",
        "the best scoring product here, which?",
    ],
    price_q=[
        "{o} ka rate kya chal raha hai",
        "Would you be so good as to quote me the amount for {o}?",
        "{o} kitne ka padega bhaiya",
        "wat is d rate of {o}",
        "{o} ke liye kitna rupaya nikalna padega",
        "planning my monthly budget, so how much is {o} exactly",
    ],
    rating_q=[
        "{o} ko logon ne kitne star diye hain",
        "Could you please share the customer rating given to {o}?",
        "{o} rated kitna hai out of 5 ⭐",
        "{o} ke reviews acche hai ya nahi, number batao",
        "how r buyers scoring {o}",
        "before gifting it to my sister, what's the rating on {o}?",
    ],
    brand_q=[
        "{o} ki factory kis naam se chalti hai",
        "Would you be so good as to name the company behind {o}, for my records?",
        "{o} banane wale ka label kya hai",
        "which label stamps {o} yaar",
        "papa only buys known brands, so who makes {o}",
        "{o} pe kiska thappa laga hai",
    ],
    compare_q=[
        "{a} aur {b} ka muqabla karwa do zara",
        "Would you be so good as to weigh {a} against {b}?",
        "{a} vs {b} wich is gud",
        "dimag kharab ho gaya 😕 {a} uthau ya {b}",
        "For my parents' kitchen, would {a} or {b} be the wiser buy?",
        "daam aur taare dono dekh ke faisla karo: {a} ya phir {b}",
        "tell na, {a} better or {b} better",
        "{a} ko {b} ke saath match karke dikhao",
    ],
    more_q=[
        "{o} ke baare mein thoda aur batao na",
        "Would you be so good as to walk me through {o}?",
        "{o} kya cheez hai exactly, detail mein samjhao",
        "more abt {o} plz, wat it is",
        "I'm new to this kind of product, could you describe {o} for me?",
        "{o} ka pura kundli nikalo 📋",
    ],
    why_q=[
        "{o} hi kyun bola aapne",
        "Could you please explain why {o} was recommended to me?",
        "y {o} 4 me tho",
        "{o} suggest karne ki wajah kya hai",
        "I usually buy different stuff, so why {o} this time?",
        "{o} se mujhe kya fayda, thoda samjhao 🤔",
    ],
    order_q=[
        "humara saamaan kidhar atak gaya bhai",
        "Could you please check where my orders are right now?",
        "ordr kab ayega yaar",
        "list all my past orders",
        "mere saare orders ka haal batao",
        "Could you kindly track my recent deliveries?",
        "trak kar do mera maal plz",
        "has my package reached or not yet",
        "parcel abhi tak kyon nahi aaya",
        "I placed an order for my son's hostel, what's its status?",
        "koi order atka hua hai kya",
    ],
    no_match="""home loan, taxi ride, haircut appointment, concert ticket, scooty, plywood sheet,
    tattoo, passport photo, ambulance, bank locker, health insurance, cycle helmet, inkjet
    printer, driving licence, hotel booking, electricity bill payment, broadband plan, dentist
    appointment""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "dukaan wale bhai, {q} ka intezaam hai kya",
        "Would you be so good as to say if {q} is on your shelves?",
        "{q} available hai ur side??",
        "my neighbour said you might have {q}, is that true",
        "{q} ka dhandha bhi karte ho kya",
        "looking for {q} 🔎 do you carry it",
    ],
    match="""fabric conditioner, glass cleaner, kasuri methi, moong dal, sesame oil, tomato puree,
    body wash, almond oil""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} aapke godown mein pada hai kya, bhejoge aaj",
        "Could you please check if you have {q}?",
        "{q} milega today??",
        "My {q} just got over, do you sell it?",
    ],
    policy=[
        (
            "i forgot which email i signed up with, can you find me using my name and pin code?",
            ["name + zip code", "zip code"],
        ),
        (
            "sach batao, mera last order achha deal tha ya paisa barbaad? aapki raay chahiye",
            ["subjective recommendations or comments", "subjective"],
        ),
        (
            "my gift card only has 200 rupees left, can I move my 900 rupee pending order to it?",
            ["enough balance to cover the total amount", "enough balance"],
        ),
        (
            "once the return is booked, how will I know where to send the items?",
            ["receive an email regarding how to return items", "email"],
        ),
        (
            "cancelled an order i paid with gift card, will the money come back at once?",
            ["immediately if it is gift card", "immediately"],
        ),
        (
            "can you change the home address saved on my account, not on any order?",
            ["modify their default user address", "default user address"],
        ),
        (
            "total kitne type ke products rakhte ho aap log?",
            ["50 types of products", "50 types"],
        ),
        (
            "Could you tell me which reasons are accepted when I cancel an order?",
            ["'no longer needed' or 'ordered by mistake'", "ordered by mistake"],
        ),
        (
            "mera order abhi processed dikha raha hai, usko cancel kar sakte ho?",
            ["only be cancelled if its status is 'pending'", "pending"],
        ),
        (
            "the mixer i got was fine but i want the bigger size, can i swap it after delivery?",
            ["same product but of different product option", "different product option"],
        ),
    ],
    ordinals=[
        (
            "the one shown at the very start",
            "sabse upar dikhaya hua item",
            "the third from the end",
            "jo shuruaat mein aaya tha",
            "the item you opened with",
        ),
        (
            "the one after the opening item",
            "the centre item of the three",
            "doosre number pe jo dikha",
            "the one right before the final item",
            "the second counting from the bottom",
        ),
        (
            "whatever closed out the list",
            "aakhri mein dikhaya hua saaman",
            "the one after the centre item",
            "the one standing third in the queue",
            "the item two spots below the top",
        ),
    ],
    openers=[
        "bhaiya zara {q} wala section kholo",
        "Would you be so good as to pull up your {q} range?",
        "{q} ki variety khol ke dikhao yaar",
        "🛍️ {q} lena hai",
        "hume {q} dekhna hai",
        "Please list the {q} you currently stock.",
        "{q} ki saari vaaraitiyan chahiye",
        "kuch {q} suggest karo",
    ],
    greet=[
        "ram ram ji",
        "heyy store waalo 🙂",
        "suprabhat bigbasket",
        "hii hi",
        "sat sri akal ji, koi sun raha hai",
        "anybody online? need some help",
    ],
    match_greet=["ruko, ek chhota doubt bacha hai", "also one more query", "achha sunno"],
    no_ids="""humara saamaan kidhar atak gaya bhai where orders right now ordr kab ayega yaar list all
    past mere saare ka haal batao track recent deliveries plz has package reached not yet parcel
    abhi tak kyon nahi aaya placed son's hostel what's status koi atka hua""".split(),
)
PLAN = Plan(seed=11617, prefix="j-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND9, PLAN)
