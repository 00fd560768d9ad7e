"""Builds the twenty-first blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery
of answers/make_cases.py with phrasings written for this set alone, without reading the
assistant's rules or training phrases, seed 25463, every case in the report set. See README.md in
this folder.

    python -m tests.assistant.data.answers_blind21.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: about half
# Hinglish / Hindi in Latin script (Delhi, Mumbai, Bihar and Lucknow registers), a third plain
# English (terse, sloppy with typos kept on purpose, polite and formal non-native, older
# shoppers, personal context, voice-typed run-ons, some emoji), and Telugu, Tamil, Bengali,
# Kannada, Tulu and Chhattisgarhi turns in Latin script.
# An ordinal is a whole noun phrase naming one fixed place in a list of three, some counted from
# the end, some relative to another place, some idioms.
ORDER_Q = [
    "bhaiya mera jo bhi saaman book hai uska haal chaal batao",
    "apun ne jo maal mangaya tha woh kidhar pahuncha re",
    "hamar saman sab kahan le pahunchal ba, tanik dekh ke bataiye",
    "huzoor, hamare tamaam orders ki tafseel farmaiye",
    "show me every order on my account rn",
    "What is the present status of each of my orders?",
    "i placed a few orders last month i think, my daughter helped, cant remember whats pending "
    "what came, pls check",
    "🚚 parcel kab tak aayega, sab orders check karo",
    "naa orders anni ekkada unnayi?",
    "en orders ellam enna nilamai la irukku?",
    "amar order gulo kothay ache ektu dekhben?",
    "mor jamma order kahan tak pahunchis he?",
]
BLIND21 = Phrasing(
    needs="""diaper yogurt noodle drink gravy biscuit laundry shower spread cracker seeds refill
    dressing hittu sanitary""".split(),
    need_q=[
        "arre bhaiya {need} likha hua kaunse pe hai, teeno mein se chhaant ke batao",
        "{need} kidhar hai re isme, apun ko samajh nahi aaya",
        "ee teeno mein {need} kaun sa ba ho?",
        "meharbani karke farmaaiye, {need} kis mein paaya jaata hai?",
        "gotta grab {need} before the shop van leaves, point me to it",
        "Could you kindly indicate which of the listed products contains {need}?",
        "my wife said get {need}, i dont see it clearly on my phone screen, which one is it "
        "among these 3",
        "{need} unnadi e product o koncham chepthara?",
        "idhula {need} irukkaradhu endha product?",
        "{need} konta? ektu dekhe bolun na",
        "ein teen jhan man {need} wala kaun he?",
    ],
    cheap_q=[
        "paise bachane hain, teeno mein kiska bhaav neeche hai",
        "sabse sasta kaunsa re, bol na",
        "inmein sabse kam paisa wala kaun ba?",
        "budget tight hai this month, whichever is lightest on the wallet",
        "Pension is limited, so I would like the least costly item please.",
        "idhula kammiyana vilai edhu?",
        "mooru alli kammi duddu yaavdakke?",
        "sab ma sasta kaun he ga?",
    ],
    best_q=[
        "janta ka favourite kaun hai inme, taaron ke hisaab se",
        "sabse zyada star kisko mila re",
        "logan sab kekra ke sabse badhiya rating dehle ba?",
        "janab, kis cheez ko khareedaron ne sabse umda darja diya hai?",
        "top rated of these three? just the name",
        "I'd like whichever product has the strongest customer rating, please.",
        "ee moodilo ekkuva rating unnadi edi?",
        "kake sobai beshi tara diyeche?",
        "vovuge jaasti star ullundu?",
    ],
    price_q=[
        "{o} ke liye jeb kitni dheeli karni padegi",
        "{o} ka kitna rokda lagega re",
        "{o} kitna rupaiya me milat ba?",
        "How much would I be paying for {o}?",
        "{o} ki enni rupayalu avutayi?",
        "{o} bele eshtu swalpa heli",
    ],
    rating_q=[
        "{o} paanch mein se kitne pe tika hai",
        "{o} ka star wala score kya hai bhidu",
        "{o} ke rating ketna ba?",
        "stars for {o}? out of 5 i mean",
        "{o} ku ethana nakshathiram kuduthirukkanga?",
        "{o} ke lok kemon rating diyeche?",
    ],
    brand_q=[
        "{o} pe kaunsi company ka thappa laga hai",
        "{o} konsa brand ka hai bole toh?",
        "{o} kaun banawela?",
        "{o} — brand naam kya chhapa hai packet pe?",
        "{o} yava brand du?",
        "{o} kon brand ke he?",
    ],
    compare_q=[
        "{a} le loon ya {b}? confuse ho gaya hoon",
        "{a} ya phir {b}, apun ka paisa kidhar vasool hoga?",
        "{a} ki {b}, kekra ke lihal jaay?",
        "hazoor, {a} aur {b} mein se behtar kaun sa rahega, aapki raaye?",
        "{a} vs {b} -- which one wud u put in ur own cart",
        "Kindly advise, sir: should my family go with {a} or with {b}?",
        "{a} vaangalaama, {b} vaangalaama?",
        "{a} naa {b}, ee rendintlo edi manchidi?",
    ],
    more_q=[
        "{o} khol ke samjhao, andar kya kya hai aur kitne gram",
        "{o} ka poora detail bhej de boss",
        "{o} ke puraa byora chahi, ka ka ba ohme?",
        "gimme the full lowdown on {o} pls, weight n all",
        "{o} gurinchi konchem ekkuva cheppandi",
        "{o} bagge innu swalpa maahiti kodi",
    ],
    why_q=[
        "{o} hi kyun dikhaya mujhe? meri purani shopping se kuch link hai kya",
        "{o} kaahe suggest kiye ho hamke?",
        "{o} kyun pesh kiya gaya, zara wajah farmaiye",
        "how come {o} popped up as a suggestion for me",
        "{o} enakku en suggest pannineenga?",
        "{o} la kaabar dikhaye hav, mola samjhao",
    ],
    order_q=ORDER_Q,
    no_match="""laptop, scuba diving course, sitar lessons, veena strings, tractor spare parts,
    camera lens, borewell drilling, wedding pagdi, silk dhoti, swimming pool membership,
    violin bow, bharatanatyam classes, dialysis, education loan, banquet hall booking,
    tubewell motor, bike chain, knee surgery""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} ka jugaad ho jayega kya bhai sahab",
        "{q} milta kya re idhar?",
        "{q} bhi bechte hain ka rauaa log?",
        "Would {q} be on offer here by any chance?",
        "{q} dorukutunda ikkada?",
        "{q} ullunda?",
    ],
    # Item i takes match_q[i % 4].
    match="kadai, ladle, spatula, bucket, dustbin, cloth clips, candles, idli plate".split(", "),
    match_q=[
        "{q} milega kya re seth?",
        "{q} mangwa sakte hain kya aapse, ghar pe?",
        "any {q} in your inventory",
        "nimma hatra {q} sigutta?",
    ],
    policy=[
        (
            "order delivered hone se pehle hi return kar sakte hain kya?",
            [
                "can only be returned if its status is 'delivered'",
                "returned if its status is 'delivered'",
            ],
        ),
        (
            "return ka paisa kahan aayega, kisi naye card pe le sakte hain?",
            [
                "must either go to the original payment method, or an existing gift card",
                "an existing gift card",
            ],
        ),
        (
            "can i swap the shirt i got for a pair of shoes instead?",
            ["There cannot be any change of product types", "change of product types"],
        ),
        (
            "order processed ho gaya hai, ab bhi cancel ho payega?",
            [
                "can only be cancelled if its status is 'pending'",
                "cancelled if its status is 'pending'",
            ],
        ),
        (
            "What kinds of payment method may be kept on my profile?",
            [
                "either a gift card, a paypal account, or a credit card",
                "a paypal account",
            ],
        ),
        (
            "item options ekbar bodle dile pore abar order cancel kora jabe?",
            [
                "will not be able to modify or cancel the order anymore",
                "modify or cancel the order anymore",
            ],
        ),
        (
            "naa user id already icchanu kada, malli verify cheyyala?",
            [
                "This has to be done even when the user already provides the user id",
                "already provides the user id",
            ],
        ),
        (
            "do you need me to say yes before you go ahead and cancel something?",
            [
                "obtain explicit user confirmation (yes) to proceed",
                "explicit user confirmation",
            ],
        ),
        (
            "product id um item id um onnu dhaana?",
            ["They have no relations and should not be confused", "should not be confused"],
        ),
        (
            "agar aap se na ho paaye toh kisi insaan se baat karwa doge?",
            [
                "transfer the user to a human agent if and only if the request cannot be handled",
                "if and only if the request cannot be handled",
            ],
        ),
    ],
    ordinals=[
        (
            "modati item",
            "the leadoff product",
            "the one heading the lineup",
            "beech wale se pehle wala item",
            "the product that kicks things off",
            "shurur jinishta",
        ),
        (
            "rendava item",
            "naduvula irukkaradhu",
            "the piece wedged in the centre",
            "the product sandwiched between the others",
            "antim wale se ek pehle ka maal",
            "majhkhane ta",
        ),
        (
            "moodava item",
            "the item that follows the middle pick",
            "qataar mein aakhri shay",
            "the product that closes the list",
            "moonavadhu porul",
            "sabse aakhir mein khada wala",
        ),
    ],
    openers=[
        "naye flat ke liye {q} kharidna hai",
        "apun ko {q} mangta",
        "hamra {q} chahi, dekhaiye na",
        "janab {q} darkaar hai, kuch pesh kijiye",
        "looking for {q}, what options do you have",
        "Good evening, kindly show me {q} available in your store.",
        "{q} kavali andi, emi unnayi?",
        "{q} venum, konjam kaatunga",
    ],
    greet=[
        "ram ram bhaiya",
        "kya bolta hai boss",
        "pranam store wala babu",
        "assalam alaikum janab",
        "jai shri krishna 🙏 dukaan khuli hai?",
        "nomoskar dada",
    ],
    match_greet=[
        "accha suno, ek sawaal bacha hai",
        "aur haan, yeh bhi poochna tha",
        "ek than aur puchhna he",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=25463, prefix="x-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND21, PLAN)
