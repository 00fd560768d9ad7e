"""Builds the twenty-fifth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery
of answers/make_cases.py with phrasings written for this set alone, without reading the
assistant's rules or training phrases, seed 33013, every case in the report set. See README.md in
this folder.

    python -m tests.assistant.data.answers_blind25.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as an Indian online grocery store's chat widget really receives it: about 60% English
# (US, UK and Indian; casual and terse, some long messages with context before or after the
# question, typos and texting shorthand kept on purpose, some polite and formal), a quarter
# everyday Hinglish in Latin script, a tenth Hindi in Devanagari script (each such turn keeps one
# Latin word or ASCII digit, as people type them), and a few Tamil and Telugu turns in Latin script.
# An ordinal is a whole noun phrase naming one fixed place in a list of three: mostly the plain
# ways shoppers say it, some counted from the end or relative to another place.
ORDER_Q = [
    "yo where r my orders at, been ages",
    "can u check all my orders n tell me which ones r still pending",
    "Hi, I've ordered a few times from this account over the past few weeks. Could you list "
    "each order with its current status, please?",
    "has my stuff shipped yet?? check everything on my acct",
    "my mum has been ordering through my login and keeps asking me when her things will come. "
    "can you pull up all the orders on here",
    "Kindly let me know the status of all orders placed by me.",
    "Any chance you could tell me what's happening with my orders? Cheers",
    "mere account pe jo orders hain unka kya haal hai",
    "yaar order abhi tak nahi aaya, sab orders check karke batao kya scene hai",
    "ab tak ke saare order ek baar dikha do, kaunsa aaya kaunsa nahi",
    "मैंने जो जो मंगाया था वो सब कब तक आएगा? order list भेजो",
    "en orders ellam eppo varum nu sollunga",
]
BLIND25 = Phrasing(
    needs="""frozen breakfast bathroom puja uppu pudi vegan himalayan handmade toilette cake
    pain meat paste brush""".split(),
    need_q=[
        "thumbnails too tiny on my phone - {need} is which one?",
        "hubby wants {need} specifically, point me to it",
        "Out of those, which product's title mentions {need}?",
        "ok so which of them actually says {need} on the pack",
        "sorry if this is a silly question but my eyesight isnt great, which of those has {need} "
        "in the name?",
        "after {need} specifically — which option's that then?",
        "inme se {need} wala konsa h bhai, jaldi batao",
        "mujhe {need} chahiye tha, teeno mein se kaunsa wala pick karu?",
        "mummy ne {need} bola tha, isme se kaunsa lu?",
        "इन तीनों में {need} वाला product कौन सा है, plz बताओ",
        "indha moonu product la {need} potturukkradhu edhu?",
    ],
    cheap_q=[
        "cheapest of the lot pls, dont care abt brand",
        "whats the cheapest out of these, need to save a few bucks",
        "I'm on a bit of a budget this week — which one of those works out least expensive?",
        "Which one would cost me the least? I'm buying for a hostel mess.",
        "kam se kam paise mein kaunsa aa jayega?",
        "yaar budget kam hai, sasta wala konsa padega",
        "सबसे कम दाम वाला कौन सा है? बस वही add to cart करना है",
        "ivi moodintlo edi chaala cheap ga undi?",
    ],
    best_q=[
        "which one do ppl actually rave about, going by the stars",
        "whichever's got the most stars, that's the one i want",
        "Of the three, which has been best received by other shoppers?",
        "if i go purely by star ratings which one wins",
        "Could you tell me which product has the top customer rating, please? I usually go by "
        "what other buyers say.",
        "reviews ke hisaab se top pe kaunsa hai",
        "jis pe sabse badhiya reviews aaye ho woh wala de do",
        "ग्राहकों ने किसे सबसे ज़्यादा पसंद किया? rating के हिसाब से top वाला",
        "idhula edhuku rating adhigam?",
    ],
    price_q=[
        "how much is {o} going for today",
        "how much are you lot charging for {o}?",
        "Could you kindly confirm the selling price of {o} as of today?",
        "{o} ke liye kitne rs dene honge",
        "bhaiya {o} ka rate bata do zara",
        "{o} कितने rupees का पड़ेगा?",
    ],
    rating_q=[
        "what're people rating {o}",
        "{o} - how many stars has it got out of five",
        "May I know the average customer rating for {o}?",
        "{o} ka star score dekh ke batao, chalega ya nahi",
        "{o} ke reviews kaise hain, kitne star mile",
        "{o} को लोगों ने कितने stars दिए? reviews कैसे हैं",
    ],
    brand_q=[
        "who's {o} made by",
        "{o} — which brand's it from, can't read the pic",
        "Please inform the company name which is manufacturing {o}.",
        "{o} kis company ka product hai, local toh nahi?",
        "{o} ka brand kaunsa hai yaar, naam batao",
        "{o} ki brand peru enti?",
    ],
    compare_q=[
        "if you were in my shoes, {a} or {b}?",
        "Between {a} and {b}, which would you say is the wiser buy?",
        "cant decide between {a} and {b} tbh, help a girl out",
        "{a} >>> {b}?? or am i wrong",
        "I'm buying for my parents, would {a} or {b} be the better choice?",
        "{a} vs {b}, ghar walon ko kaunsa pasand aayega?",
        "{a} lu ya {b} lu? kab se atki hui hu, aap hi decide karo",
        "{a} या {b}, कौन सा ज़्यादा worth it है?",
    ],
    more_q=[
        "can u tell me a bit more about {o}, never tried it before",
        "got any more info on {o}? size, what's in it etc",
        "{o} ka pura description bhejo, kitne gram ka hai wagera",
        "whats the pack size n details for {o}",
        "{o} ke baare mein aur jaankari chahiye thi",
        "{o} के बारे में पूरी detail दीजिए",
    ],
    why_q=[
        "why'd {o} pop up on my screen, never searched it",
        "May I ask on what basis {o} was recommended to me?",
        "why {o}? i don't normally go for stuff like that",
        "mujhe {o} kis basis pe suggest hua?",
        "{o} मुझे ही क्यों सुझाया गया, history देख कर?",
        "{o} ah enakku edhuku kaamicheenga?",
    ],
    order_q=ORDER_Q,
    no_match="""car tyres, bike insurance, badminton shuttlecock, aquarium, ac service, hotel room,
    eye test, blood test, funeral services, nail art, bridal makeup, dj booking, band baaja,
    football, screwdriver, pg room, passport, dance classes""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "do u guys do {q} as well or just groceries",
        "Would it be possible to get {q} through your store?",
        "hunting high n low for {q}, any luck on ur end?",
        "kya aapke yahan se {q} ka bhi intezaam ho jata hai?",
        "{q} मिलेगा क्या? online order करना है",
        "inga {q} vikkireengala?",
    ],
    # Item i takes match_q[i % 4].
    match="tawa, broom, garbage bag, diya, mop, thali, microfibre cloth, copper bottle".split(", "),
    match_q=[
        "you lot do {q}? cheers",
        "{q} available hai kya abhi",
        "Is {q} something you'd have in your household range?",
        "urgently require {q}, kindly check availability",
    ],
    policy=[
        (
            "can i exchange the dress i got for a pair of jeans instead?",
            ["There cannot be any change of product types", "any change of product types"],
        ),
        (
            "If I cancel and I paid by credit card, how long until I get the money back?",
            [
                "refunded via the original payment method immediately if it is gift card, "
                "otherwise in 5 to 7 business days",
                "5 to 7 business days",
            ],
        ),
        (
            "what reasons am i allowed to give when cancelling an order",
            ["either 'no longer needed' or 'ordered by mistake'", "ordered by mistake"],
        ),
        (
            "The order times shown on my account, which time zone are they in?",
            ["All times in the database are EST and 24 hour based", "are EST"],
        ),
        (
            "order abhi pending hai, delivery address change ho sakta hai kya?",
            [
                "modify its shipping address, payment method, or product item options",
                "shipping address",
            ],
        ),
        (
            "Can I switch my pending order to a gift card that only has a little balance left?",
            ["it must have enough balance to cover the total amount", "cover the total amount"],
        ),
        (
            "once i request a return how do i actually send the things back",
            [
                "changed to 'return requested', and the user will receive an email",
                "return requested",
            ],
        ),
        (
            "exchange karwaya toh kya mujhe dobara order dalna hoga?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "मेरे भाई का order भी check कर दो, उसका email मेरे पास है",
            [
                "must deny any requests for tasks related to any other user",
                "only help one user per conversation",
            ],
        ),
        (
            "how will you verify it's really me?",
            [
                "locating their user id via email, or via name + zip code",
                "name + zip code",
            ],
        ),
    ],
    ordinals=[
        (
            "the first one on ur list",
            "the very top one",
            "#1 on the list",
            "pehle wala product",
            "सबसे ऊपर वाला option",
            "the one just above the middle one",
        ),
        (
            "the 2nd item in that list",
            "the middle one of the three",
            "beech wala product",
            "the one right after the first",
            "the second last one",
            "naduvula irukkura item",
        ),
        (
            "the last one u listed",
            "the bottom one in the list",
            "no. 3",
            "aakhri wala item",
            "आखिरी वाला packet",
            "the one that comes after the middle one",
        ),
    ],
    openers=[
        "hey, after some {q} for the house",
        "wanna see ur {q} range",
        "Hi there, I'm shopping for {q} today, what's available?",
        "{q} pls. wht brands do u carry",
        "ghar ke liye {q} lena hai, kya kya milega",
        "acche wale {q} dikha do bhai",
        "{q} दिखाइए, home delivery चाहिए",
        "Good morning. Please show me a few {q} to choose from.",
    ],
    greet=[
        "hiii is anybody there??",
        "hello, am i chatting with a real person or a bot",
        "hey there, got a sec?",
        "namaskaar ji, subah subah disturb karne ke liye sorry 🙏",
        "afternoon! hope ur day's going ok",
        "हेलो, कोई है? store open hai?",
        "bhaiya sun rahe ho?",
    ],
    match_greet=[
        "btw another thing",
        "acha ek aur sawal tha",
        "oh and while i'm here",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=33013, prefix="a25-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND25, PLAN)
