"""Builds the third blind held-out answer cases (cases.jsonl, labels.jsonl): the machinery of
answers/make_cases.py with phrasings written for this set alone, without reading the assistant's
rules or training phrases, seed 5309, every case in the report set. See README.md in this folder.

    python -m tests.assistant.data.answers_blind3.make_cases ../shared/data
"""

from __future__ import annotations

from pathlib import Path

from tests.assistant.data.answers.make_cases import Phrasing, Plan, make

HERE = Path(__file__).parent
# Written as shoppers type into a chat widget: sloppy (typos kept on purpose), polite, with a
# reason, and some Hinglish ("kaunsa lu", "ka price kya hai", "pehla wala"), as Indian shoppers
# write. An ordinal is a whole noun phrase ("choice 2", "the one numbered 3", "dusra wala"); none
# of it is taken from the four other sets.
BLIND3 = Phrasing(
    needs="""basil kashmiri bhringraj keratin groundnut bajra moong urad rava asafoetida cheddar
    schezwan tuna musk melamine nacho matcha dates cucumber chana peas pista avocado cherry
    carrot masoor butterscotch espresso oud alphonso jalapeno tandoori mozzarella foxtail menthol
    rajma""".split(),
    need_q=[
        "hmm i'm after {need}, which number should i click",
        "Would you kindly tell me which option contains {need}? Thank you.",
        "my husband is fussy, he only wants {need}.. which one do i order",
        "{need} chahiye, kaunsa lu?",
        "ok which of these mentions {need}",
        "budget doesn't matter, i just want {need} - which?",
        "also, is there a {need} version among these?",
        "which ones got {need} written on it thx",
        "searching specifically for {need}... which of these three?",
        "{need} vala product kaun sa hai bhai",
        "Hello again, I need the {need} one from this list. Which is it?",
        "wanted {need} for a recipe, whch one shld i add to cart",
    ],
    cheap_q=[
        "which costs the fewest rupees?",
        "kam daam wala kaunsa hai",
        "hmm whichever is lightest on the pocket",
        "Please point me to the lowest-cost item in this list.",
        "which is the most budget friendly of the three",
        "cheaper the better, which one?",
        "which one won't burn a hole in my pocket",
        "whats the most inexpensive here?!!",
        "konsa wala sasta padega",
    ],
    best_q=[
        "which one do customers give the most stars",
        "sabse zyada rating wala kaunsa",
        "I only buy well-reviewed stuff, which one scores best?",
        "ok so the one with the biggest rating?",
        "gimme the fan favourite",
        "which has the highest stars out of these",
        "Could you tell me which item has the best customer rating?",
        "hmm whos winning on ratings",
        "which of them do ppl review most positively",
    ],
    price_q=[
        "{o} ka price kya hai",
        "Could you confirm the selling price of {o}?",
        "how pricey is {o}",
        "and {o} costs how much?",
        "what are they charging for {o}",
        "ok what's {o} going for these days",
    ],
    rating_q=[
        "{o} ki rating kitni hai",
        "what do reviews say about {o}, score wise?",
        "what's the star count on {o}",
        "{o} any good? what's it rated",
        "gimme the rating on {o} thx",
        "is {o} rated high or low?",
    ],
    brand_q=[
        "{o} ka brand batao",
        "which brand sells {o}?",
        "who produces {o}",
        "brand name of {o} pls, i'm particular about brands",
        "Could you tell me the brand behind {o}?",
        "ok and {o} is whose brand?",
    ],
    compare_q=[
        "{a} vs {b} - which would you go for?",
        "{a} ya {b}, kaunsa better hai",
        "between {a} and {b}, which is the better deal?",
        "is {b} worth it over {a}?",
        "compare {a} to {b} please, price and stars",
        "how do {a} and {b} match up?",
        "thinking of {a} but {b} looks good too.. which one?",
        "quick comparison of {a} and {b} thx",
    ],
    more_q=[
        "what's in {o}?",
        "can you pull up {o} for me",
        "{o} ke baare mein batao",
        "walk me through {o}",
        "Could I get a proper description of {o}, please?",
        "{o} sounds interesting, say more",
    ],
    why_q=[
        "what's your reasoning for suggesting {o} to me?",
        "based on what i usually get, does {o} make sense? explain",
        "{o} mere liye sahi kyun hai?",
        "I'm watching my cholesterol, would {o} be good for me, and why?",
        "give me one good reason {o} fits my shopping habits",
        "what makes you think {o} is right for my household?",
    ],
    order_q=[
        "hey did my stuff get dispatched yet?",
        "mera saamaan kahan pahuncha?",
        "Could you look up the orders on my account, please?",
        "when's my next delivery arriving?",
        "i think one of my orders is stuck, can u check",
        "which of my orders are still pending right now?",
        "did anything i bought get cancelled?",
        "order kab tak deliver hoga bhai?",
        "ok so which of my orders have already been delivered",
        "is there anything still in transit for me?",
        "how many orders have i placed with you?",
    ],
    no_match="""table lamp, wall clock, bookshelf, smart tv, headphones, school bag, bedsheet,
    curtains, carrom board, power bank, water purifier, rice cooker, saree, raincoat,
    mixer grinder, bird cage, photo frame, room heater""".replace("\n    ", " ").split(", "),
    no_match_q=[
        "is {q} something you sell?",
        "{q} bhi bechte ho kya?",
        "want to place an order for {q}, possible?",
        "shopping for {q} for my parents' anniversary, got any?",
        "can you check stock for {q}?",
        "urgently need {q}!! pls help",
    ],
    match="""poha, agarbatti, cat food, hair oil, rose water, sambar powder, dosa batter,
    shaving cream""".replace("\n    ", " ").split(", "),
    match_q=[
        "{q} chahiye",
        "are you selling {q} these days?",
        "Please list whatever {q} you carry.",
        "ran out of {q} again, need more thx",
    ],
    policy=[
        (
            "in general, what does a customer profile on your store contain?",
            ["default address", "payment methods"],
        ),
        (
            "are the times shown on orders in am/pm or the 24-hour clock?",
            ["24 hour", "2:30 am"],
        ),
        (
            "cancel ho chuke order mein baad mein kuch change ho sakta hai kya?",
            ["pending or delivered", "only take action", "modified if its status is 'pending'"],
        ),
        (
            "if i change the payment method on a pending order, does it stay pending?",
            ["kept 'pending'", "status will be kept"],
        ),
        (
            "what exactly am i allowed to change on an order that hasn't shipped yet?",
            ["product item options", "nothing else", "shipping address, payment method"],
        ),
        (
            "What do you need me to confirm before you cancel an order for me?",
            ["order id and the reason", "the reason", "no longer needed"],
        ),
        (
            "can you sort out a couple of things for me in the same chat, like a return and an "
            "address change?",
            ["multiple requests", "same user"],
        ),
        (
            "hmm whats the difference between a product and its options like size or colour",
            ["variant", "different options"],
        ),
        (
            "is exchanging possible before an order is delivered?",
            ["delivered", "exchanged"],
        ),
        (
            "for an exchange that costs extra, can my gift card cover the gap?",
            ["enough balance", "price difference"],
        ),
    ],
    ordinals=[
        ("the very first one", "choice 1", "pehla wala", "the one numbered 1", "product one"),
        ("choice 2", "dusra wala", "the one numbered 2", "product two", "the second in the list"),
        ("choice 3", "teesra wala", "the one numbered 3", "product three", "the one at the end"),
    ],
    openers=[
        "hi, could i see what {q} you stock?",
        "{q} dikhana zara",
        "Morning! I'm looking to order some {q}.",
        "ok need {q} for the house",
        "what are my choices for {q}?",
        "also i'm hunting for {q} today",
        "{q} for a party this weekend, what've you got",
        "my flatmate asked me to get {q}",
    ],
    greet=["namaskar", "hi, help needed", "good day", "heyo", "anybody online?", "hi folks"],
    match_greet=["kaise ho", "hello, me again", "hey, back with another q"],
    no_ids="""stuff dispatched saamaan kahan pahuncha account next stuck pending cancelled anything
    kab tak deliver hoga bhai delivered transit placed""".split(),
)
PLAN = Plan(seed=5309, prefix="d-", need=27, pick=18, attr=25, cmp=18, why=10, ref=12, orders=18,
            split=lambda cid: "report")  # fmt: skip


if __name__ == "__main__":
    make(HERE, BLIND3, PLAN)
