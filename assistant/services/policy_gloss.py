"""Shoppers' words for what a store's policy rules on, glossed in the policy's own English.

A policy question comes in a shopper's words ("meri didi ka account hai, uska return kar du?",
"do i literally have to type yes?"); the policy is written in an agent's ("must deny any requests
for tasks related to any other user", "obtain explicit user confirmation"). The policy search
(BM25 and an English embedder) finds the section the question's action names (return, cancel),
not the clause that answers it (another user, a confirmation). A gloss appends the clause's
terms to the question; where the question is about a person other than the shopper, the gloss
is searched alone: whatever is asked of another person's order, the answering rule is that one.
Pure data and one function, used by `services.policy.search_policy`.
"""

from __future__ import annotations

import re

from retrieval.indic import CHANGE, alternation

# a person other than the shopper, in English and Hinglish ("meri behen", "my brother's")
_PERSON = (
    r"(?:mother|mom|mum|mummy|maa|mummi|father|dad|daddy|papa|wife|husband|sister|brother|"
    r"sis|bro|friend|son|daughter|neighbou?r|relative|cousin|uncle|aunt|aunty|auntie|didi|"
    r"bhai|bhaiya|behen|bahen|behan|bhabhi|dost|pati|patni|biwi|beta|beti|grandma|grandpa|"
    r"grandmother|grandfather|nani|dadi|nana|dada|colleague|boss|roommate|flatmate|"
    r"in-laws?|saas|sasur|chacha|chachi|mama|mami|jiju|devar|nanad)"
)
_ACCOUNT = r"(?:orders?|account|profile|user\s*id|e-?mail|login|id|parcel|package|return|refund)"
_OTHER_USER = re.compile(
    rf"\b{_PERSON}(?:'s|s'|\s+(?:ka|ki|ke|da|di|de|er|cha|chi|che|no|ni|nu|ra|ri|re))?\s+"
    rf"(?:\w+\s+){{0,3}}?{_ACCOUNT}\b"
    rf"|\b(?:his|her|their|uska|uski|uske|unka|unki|unke|iska|iski|someone\s+else'?s?|"
    rf"somebody\s+else'?s?|another\s+(?:person|user|customer)'?s?|other\s+(?:person|user|"
    rf"customer)'?s?)\s+(?:\w+\s+)?{_ACCOUNT}\b"
    rf"|\bfor\s+(?:him|her|them)\b(?=.*\b{_ACCOUNT}\b)|\b{_ACCOUNT}\b.*\bfor\s+(?:him|her|them)\b",
    re.I,
)
# who one is, in India's languages ("mazi olakh": Marathi; "pehchaan": Hindi)
_IDENTITY = r"(?:olakh|olkh|oolakh|pehchaan|pehchan|pahchaan|pahchan|pechan|shanakht|sanakht)"
# a gift card's balance asked about, in either order
_GIFT_BALANCE = r"\bgift\s*card\b.*\bbalance\b|\bbalance\b.*\bgift\s*card\b"
_ONE_USER = "help one user per conversation, deny requests for tasks related to any other user"
# (what the shopper asks about, the policy's terms for it), each appended when asked
_GLOSSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (  # who the shopper is, proven before anything is done
        re.compile(
            r"\bprove\s+who\b|\bwho\s+i\s+am\b|\bverif\w*|\bidentit\w*|\bauthenticat\w*|"
            rf"\b{_IDENTITY}\w*|"
            r"\b(?:need|want|ask\w*\s+for)\s+(?:my\s+)?(?:e-?mail|zip|pin\s*code)\b",
            re.I,
        ),
        "authenticate the user identity by locating their user id via email, or via name + zip "
        "code, even when the user already provides the user id",
    ),
    (  # several things at once in one chat
        re.compile(
            r"\b(?:same|one|this)\s+(?:chat|conversation|session)\b|\bcouple\s+of\s+things\b|"
            r"\b(?:multiple|several|many|two|2)\s+(?:requests|things|tasks|issues)\b",
            re.I,
        ),
        "handle multiple requests from the same user in one conversation",
    ),
    (  # asked to confirm, or not to be asked
        re.compile(
            r"\btype\s+(?:a\s+)?(?:yes|y|ok)\b|\bsay\s+(?:yes|ok)\b|\b(?:keep|stop)\s+asking\b|"
            r"\bask(?:ing)?\s+(?:me\s+)?(?:first|before|every\s+time|again)\b|\bwithout\s+asking\b|"
            r"\bjust\s+do\s+it\b|\bconfirm(?:ation)?\s+(?:every|each|before|first)\b|"
            r"\b(?:will|would|do)\s+(?:you|u)\s+(?:\w+\s+)?(?:ask|tell|check\s+with)\s+me\b|"
            r"\bhaan\s+(?:bol|kah|likh)\w*|\bpooch\w*\s+(?:ke|kar|bina)\b|\bpermission\b",
            re.I,
        ),
        "list the action detail and obtain explicit user confirmation (yes) to proceed",
    ),
    (  # an order past pending: what can still be done with it
        re.compile(
            r"\b(?:already\s+)?(?:cancell?ed|processed|shipped|dispatched)\b.*\b(?:change|modify|"
            r"cancel|bring\s+\w*\s*back|restore|undo|reopen|rukwa\w*|badal\w*|address|edit)\b"
            r"|\b(?:change|modify|cancel|rukwa\w*|badal\w*|edit)\b.*\b(?:already\s+)?"
            r"(?:cancell?ed|processed|shipped|dispatched)\b",
            re.I,
        ),
        "order status pending processed delivered cancelled: action only on pending or delivered",
    ),
    (  # a change made once, another asked after it
        re.compile(
            r"\b(?:already|once|after)\b.*\b(?:chang\w*|modif\w*|swap\w*|badal\w*|exchang\w*)\b.*"
            r"\b(?:again|later|now|another|still|more|also|bhi|phir|ab)\b"
            r"|\b(?:two|2|several|multiple)\s+(?:goes|times|rounds|batches|steps)\b|\bone\s+at\s+a\s+time\b"
            # the same action asked twice: "exchange one thing now ... exchange something else later"
            r"|\b(exchang|modif|swap)\w*\b.*\b\1\w*\b.*\b(?:later|again|else|more|another)\b"
            r"|\bsome\s+(?:today|now)\b.*\blater\b",
            re.I,
        ),
        "exchange or modify order tools can only be called once, all items collected into a list; "
        "the agent will not be able to modify or cancel the order anymore",
    ),
    (  # the profile's own address or email, not an order's
        re.compile(
            r"\b(?:default|home|saved|profile|account|permanent)\s+(?:\w+\s+)?(?:address|e-?mail)"
            r"|\b(?:address|e-?mail(?:\s+id)?)\s+(?:\w+\s+){0,2}(?:on|in|of)\s+(?:my\s+)?(?:account|profile)\b",
            re.I,
        ),
        "modify their default user address; the user's profile",
    ),
    (  # another kind of product in place of the one ordered
        re.compile(
            r"\b(?:into|to|for|with|se)\s+(?:a|an|the|ek)?\s*\w+\s+(?:instead|badle\s+mein)\b|"
            r"\b(?:different|another|other)\s+(?:product|item|model|thing|type|kind)\b|"
            r"\bthe\s+model\s+itself\b|\b(?:size|colou?r)\b.*\bor\b.*\b(?:model|product|itself)\b",
            re.I,
        ),
        "modified to an available new item of the same product but different product option; "
        "no change of product types",
    ),
    (  # a gift card asked to pay ("balance thodu ochhu chhe": the balance is a bit short)
        re.compile(_GIFT_BALANCE, re.I),
        "gift card must have enough balance to cover the total amount",
    ),
    (  # why the shopper cancels ("wajah", "kaaran": reason)
        re.compile(
            r"\b(?:cancel\w*|radd|rad|raddh)\b.*\b(?:reason|why|wajah|vajah|kaaran|karan|kaaranam|"
            r"karanam)\b|\b(?:reason|wajah|vajah|kaaran|karan)\b.*\b(?:cancel\w*|radd|raddh)\b",
            re.I,
        ),
        "confirm the order id and the reason (either 'no longer needed' or 'ordered by mistake') "
        "for cancellation",
    ),
    (  # the order's status once a return is asked for
        re.compile(r"\breturn\b.*\bstatus\b|\bstatus\b.*\breturn\b", re.I),
        "after user confirmation, the order status will be changed to 'return requested'",
    ),
    (  # paying in two ways at once
        re.compile(
            r"\bhalf\b.*\bhalf\b|\bsplit\b|\b(?:two|2|do|multiple|several)\s+(?:cards|payment|"
            r"methods|ways)\b|\bpartly\b|\b(?:two|2|do)\s+(?:alag|different|separate)\S*\s+"
            r"(?:\S+\s+)?(?:cards?|methods?)\b|\b(?:baant|bant)\w*",
            re.I,
        ),
        "the user can only choose a single payment method",
    ),
    (  # a new order for an exchange ("dobara khareedna", "buy it again")
        re.compile(
            r"\b(?:dobara|dubara|phir\s+se|again|new|naya|nayi|fresh|alag\s+se|separate(?:ly)?)\s+"
            r"(?:\w+\s+)?(?:khareed\w*|kharid\w*|order\w*|buy\w*|purchas\w*|place)\b"
            r"|\b(?:buy|order|purchase)\s+(?:it\s+)?again\b",
            re.I,
        ),
        "exchange: there is no need to place a new order",
    ),
    (  # when the money comes back
        re.compile(
            r"\b(?:money|paisa|paise|refund|amount|rupees|payment)\b.*\b(?:kab|when|how\s+long|"
            r"how\s+soon|days?|back)\b|\b(?:when|kab)\b.*\b(?:money|paisa|paise|refund)\b",
            re.I,
        ),
        "refunded via the original payment method immediately if gift card, "
        "otherwise in 5 to 7 business days",
    ),
    (  # changing an order, in India's languages ("badal sakta hoon", "maathanum")
        re.compile(rf"\b(?:{alternation(CHANGE)}|badal\w*|badl\w*)\b", re.I),
        "modify change",
    ),
    (  # sending back ("wapas", "lautana")
        re.compile(r"\b(?:wapas|vapas|waapas|lauta\w*|phera\w*|ferat)\b", re.I),
        "return",
    ),
)


# Clauses only the policy answers, however the question is phrased: who one is proven; a gift
# card's balance; the reason a cancellation needs; an order's status after a return is asked for;
# one order paid in two ways. The agent's rules send such a question to the policy search.
_CLAUSE = re.compile(
    # who one is: one's own ("mazi olakh", "meri pehchaan"), not a product told apart
    r"\b(?:my|meri|mera|mere|mazi|maza|majhi|majha|amar|aamar|naa|en|nanna|ente|hamar|hamari)\s+"
    rf"(?:\w+\s+)?{_IDENTITY}\w*"
    r"|\b(?:verify|prove|confirm|check)\w*\s+(?:that\s+)?(?:it'?s\s+|it\s+is\s+)?(?:really\s+)?"
    r"(?:me|who\s+i\s+am|my\s+identity)\b"
    rf"|{_GIFT_BALANCE}"
    r"|\b(?:cancel\w*|radd|raddh)\b.*\b(?:reason|wajah|vajah|kaaran|karan)\b"
    r"|\b(?:reason|wajah|vajah|kaaran|karan)\b.*\b(?:cancel\w*|radd|raddh)\b"
    r"|\b(?:after|once|kazhinj\w*|baad|nantar|pachhi|pore)\b.*\breturn\b.*\bstatus\b"
    r"|\breturn\b.*\b(?:after|once|kazhinj\w*|baad|nantar|pachhi|pore)\b.*\bstatus\b"
    r"|\b(?:pay\w*|bhugtaan|bhugtan)\b.*\b(?:baant\w*|bant\w*|split|(?:two|2|do)\s+(?:alag|different|"
    r"separate)\S*\s+(?:\S+\s+)?cards?)\b",
    re.I,
)


def asks_clause(question: str) -> bool:
    """True when the question asks what only a clause of the policy answers ("tumhi mazi olakh
    kashi patavnar?": how will you verify who I am; "do I need a reason to cancel?")."""
    return bool(_CLAUSE.search(question))


def gloss(question: str) -> str:
    """The question as the policy search should read it: about another person's order, the
    one-user rule alone; else the question and the policy's terms for what it asks."""
    if _OTHER_USER.search(question):
        return _ONE_USER
    terms = [terms for pattern, terms in _GLOSSES if pattern.search(question)]
    return " ".join([question, *terms])
