"""Builds the twenty-fourth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery
of answers/make_cases.py with phrasings written for this set alone, without reading the
assistant's rules or training phrases, seed 30727, every case in the report set. See README.md in
this folder.

    python -m tests.assistant.data.answers_blind24.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian online grocery / household store's chat widget: about
# half everyday English (short and casual, typos and texting shorthand, some polite and formal,
# some with personal context), over a quarter Hinglish in Latin script as city shoppers type it,
# an eighth Hindi in Devanagari (whole turns, each keeping a Latin word or digit), and an eighth
# Bengali, Marathi, Tamil and Kannada in Latin script.
# An ordinal is a whole noun phrase naming one fixed place in a list of three, some counted from
# the end, some relative to another place.
ORDER_Q = [
    "where r my orders at? none of them showed up yet i think",
    "can u pull up all the stuff ive ordered n say whats where",
    "I would appreciate a status report on every order under my name.",
    "bought a bunch of stuff for my son's bday party couple weeks back, did all of it get "
    "delivered? check pls",
    "anything of mine still stuck? gimme the full list",
    "order history dikha do, kaunsa aaya kaunsa nahi",
    "mere jitne bhi orders hain unka status ek baar check kar do",
    "maine pichhle hafte kaafi kuch mangaya tha, sab kahan tak pahuncha?",
    "yaar mera saamaan abhi tak nahi aaya, saare orders dekho zara",
    "मेरे सारे orders कहाँ अटके हैं, tracking बताओ",
    "amar deoa shob order er ki obostha, ektu janaben?",
    "maajhya orders chi sadhyachi sthiti kay aahe?",
]
BLIND24 = Phrasing(
    needs="""pimple floor shave greek flakes lip foot night cat dog mouth fairness pants reusable
    unsalted""".split(),
    need_q=[
        "which of these 3 says {need} on it, i only want that one",
        "lol which of these is {need}, product names all look the same to me",
        "I am specifically looking for something {need}. Could you tell me which of the three "
        "that is?",
        "my mom's doctor told her to get {need} stuff, which product here is it",
        "which one here is the {need} thing, cant figure it out frm the titles",
        "Among the items you've listed, may I know which one is meant as {need}?",
        "office se nikal rahi hoon, {need} wala jaldi select karke do",
        "sirf {need} ki zaroorat thi, woh teeno mein kidhar hai?",
        "{need} wala item kaunsa hai isme? confuse ho rahi hoon",
        "yaar {need} type ka kuch chahiye, teeno mein woh kaun sa hai?",
        "इन 3 में से {need} वाला product कौन सा है?",
        "{need} asalela product ya tighaat konta?",
    ],
    cheap_q=[
        "tight month, which is the least expensive of this bunch",
        "Kindly point me to the most budget-friendly listing.",
        "its month end n im broke, which one costs least",
        "lowest price out of these 3? just that",
        "daam mein sabse halka kaun sa padega?",
        "sasta wala batao bhai, teeno mein se",
        "kaunsa wala jeb pe sabse kam bhaari padega?",
        "सबसे सस्ता कौन सा है? salary अभी late है",
        "idhula yedhu romba cheap-aa kidaikkum?",
    ],
    best_q=[
        "fav of most buyers here, by rating?",
        "I'd appreciate knowing which of these is reviewed most favourably.",
        "3 options, which has max stars? go",
        "hubby checks stars before anything lol, which is top rated here",
        "ratings wise whos winning among these",
        "top rating wala kaunsa, jaldi batao",
        "customers ka favourite kaunsa nikla, stars wise?",
        "किस product को सबसे ज़्यादा stars मिले हैं?",
        "idralli yavdakke jaasti rating sikkide?",
    ],
    price_q=[
        "{o} - whats the price on that",
        "{o} rupees kitna? jaldi",
        "{o} - ballpark price?",
        "{o} ka price batana zara",
        "{o} kitne mein padega, delivery ke alawa?",
        "{o} का total bill कितना बनेगा?",
        "{o} ta koto taka porbe?",
    ],
    rating_q=[
        "how's {o} doing on ratings",
        "what score out of 5 has {o} earned?",
        "I'd like to see how customers have rated {o}.",
        "{o} ki rating check karke bolo na",
        "{o} ke taare ginke batao, kitne mile?",
        "{o} की rating 5 में से कितनी है?",
        "{o} la grahakanni kiti gun dile?",
    ],
    brand_q=[
        "{o} - which brand is it, mom only buys a few brands",
        "Which manufacturer's name is on {o}, if you don't mind my asking?",
        "brandwise, {o} belongs to whom?",
        "{o} kis kampni ki hai? original brand hai na?",
        "{o} kiski banayi hui hai, brand ka naam?",
        "{o} किसका product है? logo देख के बताओ",
        "{o} yaaru company-oda product?",
    ],
    compare_q=[
        "{a} or {b}... if u were me which one goes in the cart?",
        "we're 4 people at home, {a} or {b}, which works out better?",
        "{a} vs {b}, gotta choose one, help",
        "torn between {a} and {b} honestly, help me decide",
        "{a} ya {b}, dono mein zyada value for money kaunsa?",
        "{a} lun ya {b}, tum batao kya sahi rahega",
        "{a} या {b}, कौन सा लूँ? आपका opinion चाहिए",
        "{a} na {b}, konta nile bhalo hobe?",
    ],
    more_q=[
        "anything more i shld know abt {o}?",
        "Please share the complete details of {o}, including the pack size.",
        "{o} - full specs pls, pack size, contents",
        "{o} ke andar kya kya hai, pura byora do",
        "{o} ke baare mein sab kuch bata do, kitne ka pack hai, kya kya hai",
        "{o} की पूरी info भेजो, weight वगैरह",
        "{o} bagge full details helthira?",
    ],
    why_q=[
        "hmm why {o} for me of all things",
        "why exactly is {o} being pushed to me?",
        "y {o}? did my past orders have smth to do with it",
        "{o} mujhe kyu recommend kiya?",
        "{o} ka suggestion kahan se aaya, maine toh kabhi liya nahi",
        "{o} मेरे लिए क्यों चुना गया? कोई pattern है क्या?",
        "{o} maza sathi ka nivadla?",
    ],
    order_q=ORDER_Q,
    no_match="""tarot reading, driving lessons, mehndi artist, kundli matching, mri scan,
    holiday package, salon appointment, sneakers, karate classes, ielts coaching,
    birthday magician, pottery classes, wig, nail extensions, security guard, coding bootcamp,
    zumba classes, eyebrow threading""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q}? do u have that by any chance",
        "Is {q} something you offer through this app?",
        "need {q} asap, u guys have it?",
        "{q} bhi karwa dete ho kya, ya sirf grocery?",
        "{q} मिलेगा क्या? online book करना है",
        "{q} unga kitta irukka?",
    ],
    # Item i takes match_q[i % 4].
    match="wiper, colander, casserole, flask, water jug, camphor, notebook, scissors".split(", "),
    match_q=[
        "does this shop keep {q}",
        "{q} order karna tha, mil jayega?",
        "Can {q} be delivered to my address?",
        "{q} आपकी app पर available है क्या?",
    ],
    policy=[
        (
            "what are all the statuses an order can be in?",
            [
                "can be in status 'pending', 'processed', 'delivered', or 'cancelled'",
                "'processed', 'delivered', or 'cancelled'",
            ],
        ),
        (
            "can you also cancel my brother's order? he's not on this chat",
            [
                "must deny any requests for tasks related to any other user",
                "any other user",
            ],
        ),
        (
            "cancel karne ke baad paisa kitne din mein wapas aayega?",
            [
                "refunded via the original payment method immediately if it is gift card, "
                "otherwise in 5 to 7 business days",
                "otherwise in 5 to 7 business days",
            ],
        ),
        (
            "order ke time jo dikhte hain woh kis timezone mein hote hain?",
            [
                "All times in the database are EST and 24 hour based",
                "EST and 24 hour based",
            ],
        ),
        (
            "What reasons am I allowed to give when I cancel an order?",
            [
                "either 'no longer needed' or 'ordered by mistake'",
                "'ordered by mistake'",
            ],
        ),
        (
            "can i switch my pending order's payment to a gift card that only has a little "
            "money left on it?",
            [
                "it must have enough balance to cover the total amount",
                "enough balance to cover the total amount",
            ],
        ),
        (
            "return confirm होने के बाद order का status क्या हो जाएगा?",
            [
                "the order status will be changed to 'return requested'",
                "'return requested'",
            ],
        ),
        (
            "exchange korle ki abar notun kore order dite hobe?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "pending order mein kya kya badal sakte hain? address change ho jayega?",
            [
                "modify its shipping address, payment method, or product item options, but "
                "nothing else",
                "shipping address, payment method, or product item options",
            ],
        ),
        (
            "Can I split the payment for one order across two different cards?",
            [
                "can only choose a single payment method different from the original payment "
                "method",
                "a single payment method",
            ],
        ),
    ],
    ordinals=[
        (
            "the topmost product you listed",
            "upar se pehla wala maal",
            "the product you mentioned first",
            "the one two notches above the bottom",
            "सबसे ऊपर रखा 1st item",
            "pahilya jaagevarchi vastu",
        ),
        (
            "the centre pick of the bunch",
            "the follow-up to the first item",
            "the second-to-last thing you showed",
            "doosre number wala saamaan",
            "beech mein jo pada hai woh wala",
            "maajhkhaner jinish",
        ),
        (
            "the bottommost entry",
            "the last suggestion you gave",
            "what comes right after the middle thing",
            "teesre number wala item",
            "सबसे नीचे रखा 3rd item",
            "koneya product",
        ),
    ],
    openers=[
        "hey, shifting to a new place, need {q}",
        "Hello, I would like to buy {q}. What do you have?",
        "{q}?? send the good stuff",
        "we're out of {q} at home, send me options",
        "{q} dikhao kuch acche wale",
        "{q} lena tha, kya kya milega?",
        "{q} चाहिए, 2-4 options भेजो",
        "mala {q} pahije, kay aahe tumchyakade?",
    ],
    greet=[
        "helloooo, anybody on this chat?",
        "Good morning, hope all is well at your end.",
        "hi hi, got a quick question",
        "namaste bhaiya, sab badhiya?",
        "hii ji, sun rahe ho?",
        "नमस्ते जी, koi bhaiya हैं chat पे?",
        "namaskar, kemon achen?",
    ],
    match_greet=[
        "oh wait, forgot to ask something",
        "haan ek aur sawal yaad aaya",
        "अरे हाँ, एक और sawaal था, quick wala",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=30727, prefix="a24-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND24, PLAN)
