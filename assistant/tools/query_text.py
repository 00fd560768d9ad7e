"""The product words of a shopper's message: its request phrasing taken off ("do you have ...",
"please", "at all", Hinglish "chahiye"). The rules search with them, and a model's search query
is tidied the same way, so both ask the catalog for the same words."""

from __future__ import annotations

import re

from retrieval.indic import AVAILABLE, alternation
from retrieval.query_parse import without_indifference

_LEAD = re.compile(
    r"^\s*(please\s+)?(can you\s+|could you\s+)?((just\s+)?(finished|used up|ran out of)( my)?|show me|"
    r"find me|find|search for|get me|"
    # an aside first: "random but do u guys do ...", "just curious, does your store provide ..."
    r"((random|just curious|curious|btw|by the way|quick q(uestion)?|one more thing)[\s,:.-]*(but\s+)?)?"
    r"((do|would|will) (you|u)( guys)? (have|sell|stock|keep|carry|do|offer|provide)|do (you|u)( guys)? carry|"
    r"(you|u)( guys)? (carry|stock|sell|got)|(i )?wonder(ing)? (whether|if)( you have)?|"
    r"(can|could|may) (i|we) (get|buy|find|order)( some| a| an)?|"
    r"(is there )?(any )?chance( of| that)?( (you|u)( guys)? (have|sell|stock|carry|keep))?|"
    r"got any|any|(i )?need( some)?)|(does|do) (this|the|your|ur) (shop|store|place) (have|keep|sell|stock|carry)|"
    r"i want|i'm looking for|(kya )?(aapke|apke|aap ke|tumhare) (yahan|yaha|paas|pas|store (me|mein|pe))( se)?|"
    r"inga|ingey|ikkada|"
    r"im looking for|looking for|where can i (find|get|buy)|i would like|i'?m after|i am after|"
    r"(i'?m |i am )?(searching|hunting|shopping) for|"
    # "I'd be obliged if you'd check whether ...", "please check if ..."
    r"(i'?d be (obliged|grateful) if you'?d |please |pls )?check (whether|if)( you have)?|"
    r"(our|my) old)\s+",
    re.I,
)
_GREETING_LEAD = re.compile(
    r"^\s*(hi|hello|hey|hii+|oye|oi|urgent|urgently|good (morning|evening|afternoon)|(dukaan|dukan|shop) wale (bhai|bhaiya|ji)|"
    r"bhaiya|bhai)\b[\s,!.]*",
    re.I,
)
_TRAIL = re.compile(r"[\s?!.,]*(please|pls|plz|thanks)?[\s?!.]*$", re.I)
# request words after the product, taken off the end like "please": Hinglish ("masala oats
# khatam ho gaya, aur chahiye": ran out, want more; "bhi rakhte ho aap log": do you keep) and
# English ("at all", "or not", "online today")
_TRAILING_ASK = re.compile(
    r"(?:[\s,?!.]+(?:khatam|khtm|ho|gaya|gayi|gaye|aur|bhi|zara|chahiye|chaiye|chahie|dikhao|"
    r"dikhana|milega|hai|hain|kya|yaar|bhai|ji|rakhte|rakhta|rakhti|bechte|bechta|milta|milti|"
    r"aap|aapke|apke|store\s+(?:pe|par|mein|me)|avlbl|avl|available|log|idhar|ka|ke|ki|ka\s+kuch|kuch|jugaad|hoga|paas|packet|bhej\s+sakte|bhejo|bhej\s+do|intezaam|intazaam|intazam|dhandha|karte|karti|urgently|"
    r"(?:(?:do|does)\s+)?(?:you|u)(?:\s+guys)?\s+(?:sell|have|stock|carry|keep|got)(?:\s+(?:it|them|this|that|one))?|"
    r"is\s+(?:that|it|this)\s+something\s+(?:you|u)(?:\s+guys)?\s+(?:sell|have|stock|carry|keep)|"
    r"as\s+well|too|also|(?:ki|ka|ke)\s+(?:seva|sewa|service|suvidha)|or\s+nah|nah|here|"
    r"(?:is|are)\s+(?:amongst|among|in|part\s+of)\s+(?:your|ur)\s+(?:wares|stock|range|catalog(?:ue)?|products|offerings)|"
    r"in\s+(?:your|ur)\s+(?:inventory|stock|range|catalog(?:ue)?)|jayega|jaayega|jaega|bhai\s+sahab|sahab|seth|re|"
    r"aapse|ghar\s+pe|mangwa\s+sakte(?:\s+hain)?|jaisa|jaisi|jaise|(?:as\s+well\s+)?(?:or|ya)\s+(?:just|only|sirf)\s+(?:groceries|grocery|food|ration)|"
    r"vikkireengala|vikkiringala|vikkareengala|vikkirangala|amuthara|"
    r"(?:ka|ki|ke)\s+bhi\s+intezaam(?:\s+ho\s+jata\s+hai)?|ho\s+jata\s+hai|(?:ki|ya)\s+nahi?n?|"
    r"(?:aapki|aapke|apki|apke|tumhari|your|ur)\s+(?:app|website|site)(?:\s+(?:par|pe|mein|me|on))?|"
    r"(?:order\s+)?karna\s+(?:tha|thi|hai|h)|"
    r"just\s+got\s+over|got\s+over|ran\s+out|is\s+over|over|finished|"
    r"can\s+i\s+get\s+(?:a\s+)?(?:new\s+)?(?:one|some|it|more)(?:\s+from\s+(?:you|u))?||asap|got\s+any|have\s+any|any|at\s+all|or\s+not?|online|today|"
    r"right\s+now|at\s+the\s+moment|currently|jaata|jata|jaati|on\s+your\s+(?:site|app|store)|h|hn|boss|itself|"
    # "can you send some", "arrange ho sakta hai via your store"
    r"(?:can|could)\s+(?:you|u)\s+(?:send|deliver|bring)(?:\s+(?:some|it|them|more|me))*|send\s+some|"
    r"arrange|sakta|sakte|via\s+(?:your|ur|the)\s+(?:store|app|site|shop)|"
    # "... is on your shelves", "... broke yesterday, do you have a new one", "mil jayega"
    r"(?:is|are)\s+on\s+(?:your|ur|the)\s+shel(?:f|ves)|in\s+stock|"
    r"broke(?:\s+(?:yesterday|today|down|again))?(?:\s*,?\s*(?:do|does)\s+(?:you|u)\s+have\s+(?:a\s+)?new\s+one)?|"
    r"mil\s+(?:jayega|jaega|jayegi|jaegi|sakta|sakti)|"
    # the same asked in India's other languages ("ahiya madse", "idya nimmalli", "miliba ki")
    rf"{alternation(AVAILABLE)}|yaha?n?\s+se|ya\s+kahin\s+aur\s+dekhun|ki))+"
    r"[\s?!.]*$",
    re.I,
)


# when it is needed, not what ("suitcase before diwali", "cake by tomorrow"): said of the errand
_WHEN = re.compile(
    r"\s*\b(?:before|by|for|till|until|this|next|on)\s+(?:the\s+)?(?:diwali|holi|eid|christmas|"
    r"rakhi|navratri|pongal|onam|new\s+year|tomorrow|tonight|today|weekend|sunday|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|festival|festive\s+season|month\s+end)\b"
    r"|\s*\b(?:aaj|kal)(?:\s+(?:shaam|subah|raat))?(?:\s+tak)?\b"
    # the occasion as a clause: "festival season hai, ...", "shaadi aa rahi hai, ..."
    r"|\s*\b(?:festival|festive|shaadi|wedding|party|diwali|holi|eid|rakhi)\s+(?:season\s+)?"
    r"(?:hai|hain|h|aa\s+rah[aie]\s+hai)\b\s*,?",
    re.I,
)


# emoji and pictographs ("🙏", "😂"): no product word, and they hide a request's last words
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d]+")


def search_query(text: str) -> str:
    """The shopper's words without request phrasing ("do you have ...", "please"), when the
    thing is needed ("before diwali") or what does not matter ("any brand is fine")."""
    query = without_indifference(_EMOJI.sub(" ", text)).strip()
    query = _GREETING_LEAD.sub("", _WHEN.sub("", query))
    query = _TRAIL.sub("", _LEAD.sub("", query))
    query = _TRAILING_ASK.sub("", " " + query).strip()
    query = re.sub(r"^[\s:;,.!-]*(?:(some|a|an|the|my|our)\s+)?", "", query, flags=re.I)
    return (query or text).strip()[:200]
