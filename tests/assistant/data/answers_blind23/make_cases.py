"""Builds the twenty-third blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery
of answers/make_cases.py with phrasings written for this set alone, without reading the
assistant's rules or training phrases, seed 28571, every case in the report set. See README.md in
this folder.

    python -m tests.assistant.data.answers_blind23.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: about 40%
# English asked indirectly (trying to decide, would it be possible, conditional and negated
# questions, questions buried in a longer message with a greeting or thanks around them), 40%
# Hindi / Hinglish (a third of it whole turns in Devanagari, the rest in Latin script) and 20%
# Marathi, Gujarati, Punjabi, Malayalam and Odia in Latin script.
# A Devanagari turn keeps a numeral or a Latin-script word as Hindi typists write them ("3",
# "MRP", "rating"): a turn with no Latin letter or digit would have no shape at all for the
# overlap test.
# An ordinal is a whole noun phrase naming one fixed place in a list of three, some counted from
# the end, some relative to another place.
ORDER_Q = [
    "Hi there, hope you're well. I was wondering whether you could check where my orders have "
    "got to? Thanks!",
    "I don't suppose you could pull up everything I've ordered and tell me how each one is doing?",
    "I'm trying to figure out if anything I bought is still on its way, could you take a look?",
    "Would it be possible to see all of my orders along with their status?",
    "If it isn't too much trouble, can you tell me what happened with the things I bought from "
    "you?",
    "mere jitne bhi order hain, sabka status ek baar dekh ke batao",
    "maine jo samaan mangwaya tha woh kahan tak pahuncha, pata karke batana",
    "mera koi order abhi tak atka to nahi hai na? zara check kar do",
    "मेरे सारे orders का क्या हाल है? ज़रा देखकर बताइए",
    "मैंने जो सामान मँगवाया था उसका कुछ पता नहीं, मेरे हर order की खबर दीजिए",
    "maze saglya orders cha kay zhala, jara baghun sanga",
    "ente orders okke ippo evide ethi ennu nokkamo?",
]
BLIND23 = Phrasing(
    needs="""toilet pressure dinner chewing fabric liquid feeding sliced whisky storage massage
    disposable diabetic""".split(),
    need_q=[
        "I'm trying to work out which of these three is the {need} one, could you point it out?",
        "Hi, thanks for the list! Would it be possible to tell me which of them is {need}? I "
        "don't want to pick the wrong thing.",
        "If I'm reading this right only one of them says {need}, which one would that be?",
        "I can't quite tell from the names which is {need}, would you mind telling me?",
        "yaar in teeno mein {need} wala konsa hai, zara dhyan se dekh ke bolo",
        "ghar se bola gaya tha sirf {need} lana, inme se woh kaunsi hai?",
        "{need} wali cheez pe ungli rakh do bas, baaki mujhe nahi chahiye",
        "भैया, इन 3 चीज़ों में {need} वाली कौन सी है? मुझे वही लेनी है",
        "{need} वाला product इनमें से कौन सा है, ज़रा बताइए",
        "hya tinhi paiki {need} konta aahe, jara sanga na",
        "ehna tinna vichon {need} wala kehda hai ji, dasso zara",
    ],
    cheap_q=[
        "I'm trying to decide on price alone, so which of these would cost me the least?",
        "I don't really care about the brand, I just don't want to spend more than I have to. "
        "Which one is cheapest?",
        "Would it be possible to go with whichever is lowest priced? Which one is that, thanks",
        "mahina khatam hone wala hai, jo sabse kam daam ka ho wahi bata do",
        "inme se kiski keemat sabse kam padti hai, bata sakte ho?",
        "पैसे बचाने हैं, इन 3 में से सबसे सस्ता कौन सा है?",
        "aa tran maathi sauthi sastu kayu chhe?",
        "ee moonnennathil kuranja kaashinu kittunnathu ethaa?",
    ],
    best_q=[
        "I'm trying to decide and I'd rather not pick something people didn't like, which has "
        "the best ratings?",
        "If I went purely by what other shoppers thought, which of these would come out on top?",
        "Hello again, and thanks for these. I was wondering which one customers have scored "
        "highest?",
        "I don't suppose you could tell me which is the best reviewed of the lot?",
        "logon ne sabse achha kisko bataya hai inme, rating dekh ke bolo",
        "sabse zyada pasand kiya gaya wala konsa hai, stars ke hisaab se?",
        "इन 3 में से किसको सबसे ज़्यादा 5 स्टार मिले हैं?",
        "ei tinita bhitaru kouta ra rating sabu thu bhala?",
        "lokanni sarvaat jaast pasant kelela konta aahe?",
    ],
    price_q=[
        "Would it be possible to tell me what {o} would set me back?",
        "I'm trying to keep to a budget, what's the price on {o}?",
        "{o} kitne ka hai, ek baar daam bata do",
        "{o} ghar laane mein jeb se kitna jaayega?",
        "{o} की कीमत कितनी है? MRP नहीं, आपका rate बताइए",
        "{o} no bhaav ketlo chhe?",
    ],
    rating_q=[
        "I'm curious whether people actually liked {o}, what's it rated?",
        "Would you happen to know the rating on {o}?",
        "{o} ko kharidne walon ne kitne taare diye?",
        "{o} ki rating kaisi hai, theek thaak ya badhiya?",
        "{o} को 5 में से कितने स्टार मिले हैं?",
        "{o} nu lokan ne kinne taare ditte ne?",
    ],
    brand_q=[
        "I'm not sure who makes {o}, would you know the brand?",
        "Just so I know before ordering, which company is behind {o}?",
        "{o} ke packet pe kaunsi company likhi hai?",
        "{o} wale ka maker kaun hai, yeh pata chalega?",
        "{o} किस कंपनी का है? brand का नाम बताइए",
        "{o} aarude brand aanu, ariyamo?",
    ],
    compare_q=[
        "I'm trying to decide between {a} and {b}, which would you lean towards?",
        "If you were in my place, would you go for {a} or {b}?",
        "Thanks for the options. I can't make up my mind: {a}, or is {b} the better buy?",
        "{a} ke muqable {b} kaisa hai, kisme zyada fayda hai?",
        "{a} loon ki {b}, dono mein farak kya hai?",
        "{a} और {b} में से कौन सा बेहतर रहेगा? 1 ही लेना है",
        "{a} ki {b}? tumhi mazya jagi asta tar konta ghetla asta?",
        "{a} levu joie ke {b}? tame shu salah aapo?",
    ],
    more_q=[
        "Would it be possible to get a bit more detail on {o}, like the pack size and what's in "
        "it?",
        "I'd like to know more about {o} before I add it, could you fill me in?",
        "Hi, sorry to bother you again, could you tell me a little more about {o}? Thanks so much.",
        "{o} ke baare mein thoda aur batao, kitni quantity hai, kya kya hai",
        "{o} के बारे में और जानकारी दीजिए, pack कितने का है?",
        "{o} ra au adhika bibarana dele bhala hanta",
    ],
    why_q=[
        "I'm curious, is there a reason {o} was suggested to me?",
        "I didn't ask for {o} specifically, so why did it come up for me?",
        "{o} mere saamne aaya, iske peeche kya soch thi?",
        "{o} ki salaah dene ka kaaran samjha doge?",
        "आपने मुझे {o} क्यों सुझाया? मेरे पुराने order से कुछ लेना देना है?",
        "{o} tusi mainu kyon dasseya?",
    ],
    order_q=ORDER_Q,
    no_match="""scooter tyre, tabla set, root canal treatment, chess coaching, kathak classes,
    cycle repair, astrology consultation, shehnai, mridangam, kabaddi coaching, iphone, tanpura,
    santoor, horoscope matching, marriage bureau, kurta pyjama, ghungroo,
    ghazal concert""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "I'm not sure you'd carry this, but would it be possible to get {q} through you?",
        "Hello! Quick question, and no worries if not: do you sell {q}?",
        "{q} ka bhi bandobast hai aapke yahan, ya galat jagah aa gaya?",
        "{q} ke liye kahin aur jaana padega ya aap hi de doge?",
        "क्या आपके store में {q} मिल जाएगा?",
        "tamara tya {q} male chhe ke?",
    ],
    # Item i takes match_q[i % 4].
    match=(
        "agarbathi, frying pan, apron, cake stand, tiffin box, masala box, serving bowl, "
        "oil dispenser"
    ).split(", "),
    match_q=[
        "I was wondering if you might have {q} in stock?",
        "{q} bhi bechte ho? ek chahiye tha",
        "आपके पास {q} है क्या? online मँगवाना है",
        "{q} milel ka ithe? ghari lagnar aahe",
    ],
    policy=[
        (
            "My sister also orders from here, would it be possible for you to check her orders "
            "for me too?",
            ["must deny any requests for tasks related to any other user", "any other user"],
        ),
        (
            "order history mein jo time dikh raha hai woh kis zone ka hai, IST hai kya?",
            ["All times in the database are EST and 24 hour based", "EST and 24 hour based"],
        ),
        (
            "If I exchange one thing now, I'm guessing I couldn't go back and exchange something "
            "else later?",
            [
                "Exchange or modify order tools can only be called once",
                "order tools can only be called once",
            ],
        ),
        (
            "ऑर्डर रद्द करवाने के लिए कोई वजह बतानी पड़ती है क्या?",
            ["either 'no longer needed' or 'ordered by mistake'", "no longer needed"],
        ),
        (
            "I paid with a credit card and cancelled yesterday; I'm trying to figure out when the "
            "refund would reach me.",
            [
                "immediately if it is gift card, otherwise in 5 to 7 business days",
                "5 to 7 business days",
            ],
        ),
        (
            "pending order nu payment gift card par badalvu chhe, pan balance thodu ochhu chhe, "
            "chalse?",
            ["it must have enough balance to cover the total amount", "cover the total amount"],
        ),
        (
            "pending order mein address ke alawa aur kya kya badalwa sakte hain?",
            [
                "modify its shipping address, payment method, or product item options, but "
                "nothing else",
                "but nothing else",
            ],
        ),
        (
            "return chodichu kazhinjaal order nte status enthaayirikkum?",
            ["the order status will be changed to 'return requested'", "'return requested'"],
        ),
        (
            "Would I have to place a fresh order for the replacement if I go for an exchange?",
            ["There is no need to place a new order", "no need to place a new order"],
        ),
        (
            "क्या मैं पेंडिंग ऑर्डर का भुगतान दो अलग-अलग कार्ड में बाँटकर कर सकता हूँ?",
            [
                "can only choose a single payment method different from the original payment "
                "method",
                "a single payment method",
            ],
        ),
    ],
    ordinals=[
        (
            "whichever you listed first",
            "the one sitting above the other two",
            "the one at the head of your reply",
            "pehle number wala saaman",
            "list में नीचे से तीसरा",
            "pahila vala",
        ),
        (
            "the one you put in the middle",
            "the product just after the first",
            "beech mein pada hua item",
            "aakhri se pehle wala",
            "list में ऊपर से दूसरा option",
            "naduvilathe saadhanam",
        ),
        (
            "whichever came last in your reply",
            "the item right after the middle one",
            "sabse neeche wala product",
            "1 और 2 के बाद वाला",
            "shesha jinisa",
            "chhevte mukeli vastu",
        ),
    ],
    openers=[
        "Hi, I'm trying to find some {q}, what have you got?",
        "Would it be possible to see a few {q} options?",
        "hello! looking to stock up on {q} this week, could you show me some?",
        "bhaiya {q} dikhao zara, ghar ke liye chahiye",
        "{q} ki talaash mein hoon, kya kya rakha hai aapne?",
        "मुझे {q} लेना है, अच्छे brands दिखाइए",
        "mainu {q} chahida, ki ki hai tuhade kol?",
        "mote {q} darkar, kana kana achhi dekhantu",
    ],
    greet=[
        "Morning! I hope the shop's having a quiet day.",
        "hey, thanks for being there at this hour",
        "namaste ji, kaise ho aap?",
        "नमस्ते 🙏 आज app ठीक चल रहा है?",
        "namaskaram chechi, sukhamano?",
        "sat sri akal veere, ki haal aa?",
    ],
    match_greet=[
        "Oh, and one more thing before I go",
        "अच्छा सुनिए, 1 चीज़ और पूछनी थी",
        "ek biju pan puchhvu hatu",
    ],
    # The words of the order questions (Devanagari ones too), none of which a tool may take for
    # an order id.
    no_ids=sorted(
        {w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+|[\u0900-\u097f]+", q.lower())}
    ),
)
PLAN = Plan(seed=28571, prefix="z-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND23, PLAN)
