"""Builds the seventeenth blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 20533, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind17.make_cases ../shared/data
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into an Indian grocery / household store's chat widget: terse, sloppy
# (typos kept on purpose), polite full sentences, personal context, Hinglish, some Tamil, Bengali,
# Marathi and Punjabi turns in Latin script, voice-typed run-ons, some emoji.
# An ordinal is a whole noun phrase, some relative to another place and some counted from the
# end; none of it is taken from the other sets.
ORDER_Q = [
    "mor orders kot pale?",
    "maara orders kya pahonchya?",
    "maajhya orders cha status kay aahe?",
    "mera jo saman mangaya tha uska kya hua?",
    "Could you pull up a summary of everything I've ordered so far?",
    "any of my stuff still pending?? need to know b4 i travel",
    "my wife says she ordered something on my account last week can you tell me whats in there "
    "and if its delivered",
    "📦 jo bhi maine manga rakha hai sab dikha do",
    "which of my orders got delivered and which didnt",
    "Has anything I bought recently been called off?",
    "purane orders ka hisaab chahiye",
    "orders track karna hai mera, sab ka",
]
BLIND17 = Phrasing(
    needs="""bhaji scraper handi brahmi cologne jamun satay frankincense ashwagandha gulabari
    cheela rosemary grapefruit amritsari multani madras puree punjabi""".split(),
    need_q=[
        "yo tin ota madhye {need} kun ho hajur?",
        "aa tran maa thi {need} kayu che?",
        "idaralli {need} yavudu swalpa heli",
        "Be a dear and mark out the {need} for me?",
        "{need} dhoond raha tha, inme se konsa hai woh batao na",
        "amma wants {need} for tonight, which one is that",
        "{need} spotted?? number bata",
        "so basically i need {need} and you gave me three options and i cant tell which one has it",
        "I'd be grateful if you could identify the {need} in your list.",
        "{need} wala kidhar chupa hai bhai",
        "ok wich 1 of dese is da {need} lol",
        "{need} kaunsi wali hai, ek line me bolo",
        "paaji {need} vala kehda hai?",
    ],
    cheap_q=[
        "deenilo takkuva dhara edi?",
        "kunto aatai kom daamor?",
        "yavudu kadime bele?",
        "salary aane mein hafta baaki hai, jo sabse kam ka ho wo bata",
        "cheapo option plz, whichever",
        "I'm on a tight budget this week, which of these costs the least?",
        "💸 sabte sasta kaunsa sai bhai, batade",
        "we're a family of six and everything adds up so i want whichever is lightest on the "
        "pocket",
        "sasta wala konsa, paisa vasool chahiye",
    ],
    best_q=[
        "deeniki ekkuva rating undi?",
        "aama sauthi vadhare stars kone male che?",
        "kun chai sabai bhanda dherai rating paayeko cha?",
        "kharidne walon ka favourite kaun nikla?",
        "ekra mein sabse badhiya rating kekar ba?",
        "Which of these have buyers rated the best?",
        "✨ five star ke paas kaun pahucha",
        "my husband reads all the reviews before buying anything so tell me which one people have "
        "rated highest",
        "jisko buyers ne dil khol ke stars diye woh kaunsa",
    ],
    price_q=[
        "{o} vilai enna?",
        "{o} ke daam ka ba?",
        "{o} ko mol kati ho?",
        "{o} kitlea poishyank?",
        "so {o} is gonna cost me how many rupees exactly",
        "{o} ke liye kitna bill banega 🙏",
    ],
    rating_q=[
        "{o} ku evlo stars?",
        "{o} ke kitna tara milal ba?",
        "{o} lai kati star diyeka chan?",
        "{o} ge eshtu star sikkide?",
        "did people actually like {o}? what did they rate it",
        "before i order {o} tell me how its rated out of 5",
    ],
    brand_q=[
        "{o} e company di?",
        "{o} konn company-chem?",
        "{o} konya company cha aahe?",
        "{o} kis label ke under bikta hai?",
        "Who's the maker behind {o}?",
        "{o} brand name pls, mummy only trusts certain companies",
    ],
    compare_q=[
        "{a} leda {b}, edi manchidi?",
        "{a} ar {b} er moddhe kon ta bhalo?",
        "{a} ki {b}, kun ramro?",
        "{a} ya fer {b}, kaunsa theek rahvega?",
        "{a} v/s {b}, final answer do",
        "Put {a} and {b} side by side and tell me which edges it.",
        "{a} 🆚 {b} dimaag kharab ho gaya 😩",
        "my mom says {a} is better but i think {b} is worth it can you check both and tell me "
        "honestly which wins",
    ],
    more_q=[
        "{o} ko baare ma aru bhannus na",
        "{o} ke bare mein tanik aur bataain",
        "{o} bagge innashtu vivara kodi",
        "{o} ka postmortem karo, sab likha hua padh ke sunao",
        "Walk me through {o} in a bit more depth?",
        "{o} full specs?? weight, ingredients etc",
    ],
    why_q=[
        "{o} enakku edhukku recommend panninga?",
        "{o} amake keno suggest korle?",
        "{o} mala ka suggest kela?",
        "{o} mujhe hi kyun dikhaya, meri history dekh ke?",
        "On what basis does {o} suit someone like me?",
        "hmm why {o} tho, based on what i bought before?",
    ],
    order_q=ORDER_Q,
    # Item i takes no_match_q[i % 6]: the order pairs each item with a template it reads well in.
    no_match="""ac servicing, chartered accountant, earrings, flight tickets, bike taxi,
    maid service, tailoring, marriage registration, blazer, drone, tourist visa, wedding caterer,
    house shifting, pg accommodation, photo studio, tent, interior designer,
    electricity bill""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "{q} jaisi cheez bhi milti hai yahan, ya sirf rashan?",
        "Do you folks offer {q} by any chance?",
        "{q} kidaikkuma inga?",
        "{q} pawa jabe?",
        "{q} sigutta illi?",
        "my neighbour swears she got {q} sorted through some grocery app, is that you guys? 😅",
    ],
    # Item i takes match_q[i % 4].
    match="""coconut scraper, tongue cleaner, steel scrubber, cold cream, brass diya, glass tumbler,
    ceiling broom, sewing kit""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} mil jaayega abhi ke abhi?",
        "Would you have {q} in stock at the moment?",
        "{q} irukka?",
        "{q} ache tomader kache?",
    ],
    policy=[
        (
            "can you also check my brother's orders, he's sitting right here",
            [
                "must deny any requests for tasks related to any other user",
                "any other user",
            ],
        ),
        (
            "credit card wala order cancel karwaya, refund ka intezaar kab tak?",
            ["otherwise in 5 to 7 business days", "5 to 7 business days"],
        ),
        (
            "If I tweak one product's colour in my pending order today, can I come back later for "
            "another tweak?",
            ["This action can only be called once", "can only be called once"],
        ),
        (
            "can I swap the kettle I got for a backpack instead, as an exchange?",
            ["There cannot be any change of product types", "change of product types"],
        ),
        (
            "return er taka ki ami notun ekta card e nite pari?",
            [
                "The refund must either go to the original payment method, or an existing gift "
                "card",
                "original payment method, or an existing gift card",
            ],
        ),
        (
            "the parcel hasn't even reached me yet, can i kick off a return right now?",
            [
                "An order can only be returned if its status is 'delivered'",
                "only be returned if its status is 'delivered'",
            ],
        ),
        (
            "do you need me to say yes every time before you change something in my order?",
            ["obtain explicit user confirmation (yes) to proceed", "explicit user confirmation"],
        ),
        (
            "en email maranthuten, vera eppadi en account-a verify pannalaam?",
            ["via name + zip code", "name + zip code"],
        ),
        (
            "processed order ko modify kar sakte hain kya?",
            [
                "An order can only be modified if its status is 'pending'",
                "only be modified if its status is 'pending'",
            ],
        ),
        (
            "are item ids and product ids interchangeable?",
            ["They have no relations and should not be confused", "should not be confused"],
        ),
    ],
    ordinals=[
        (
            "mudhal porul",
            "pahilo saman",
            "pahilya kramankacha item",
            "the lead-off item in your lineup",
            "the entry perched two rungs above the last",
            "sabse pehle gina gaya maal",
        ),
        (
            "irandaavathu porul",
            "rendava vastuvu",
            "dusrya kramankacha item",
            "the pick one step down from the top",
            "the one just before the final entry",
            "do ke beech dabaa hua product",
        ),
        (
            "moonaavathu porul",
            "moodava vastuvu",
            "tisrya kramankacha item",
            "the tail-end entry",
            "the entry two rungs beneath the lead one",
            "sabse neeche baitha maal",
        ),
    ],
    openers=[
        "{q} kaatunga",
        "{q} gulo dekhi ektu",
        "{q} dekhaai na, hamra ke chaahi",
        "{q} for a house party saturday",
        "Good morning, I was hoping to find {q} here",
        "{q} batavo ne",
        "{q} lene aaya hu",
        "🛒 {q} stock up karna hai mahine ka",
    ],
    greet=[
        "radhe radhe bhaiya",
        "tashi delek",
        "namaskar mandali",
        "evening folks, anyone there",
        "helloooo 👋👋",
        "namaste hajur",
    ],
    match_greet=[
        "wait, random add-on q",
        "achha sunna",
        "Also, quick one:",
    ],
    # The words of the order questions, none of which a tool may take for an order id.
    no_ids=sorted({w for q in ORDER_Q for w in re.findall(r"[a-z0-9']+", q.lower())}),
)
PLAN = Plan(seed=20533, prefix="t-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND17, PLAN)
