"""The product words of a shopper's message: its request phrasing taken off ("do you have ...",
"please", "at all", Hinglish "chahiye"). The rules search with them, and a model's search query
is tidied the same way, so both ask the catalog for the same words."""

from __future__ import annotations

import re

_LEAD = re.compile(
    r"^\s*(please\s+)?(can you\s+|could you\s+)?(show me|find me|find|search for|get me|"
    r"do (you|u)( guys)? (have|sell|stock|keep)|do (you|u)( guys)? carry|got any|any|(i )?need( some)?|"
    r"i want|i'm looking for|(kya )?(aapke|apke|aap ke|tumhare) (yahan|yaha|paas|pas|store (me|mein|pe))|"
    r"im looking for|looking for|where can i (find|get|buy)|i would like|i'?m after|i am after|"
    r"(i'?m |i am )?(searching|hunting|shopping) for)\s+",
    re.I,
)
_GREETING_LEAD = re.compile(
    r"^\s*(hi|hello|hey|hii+|good (morning|evening|afternoon))\b[\s,!.]*", re.I
)
_TRAIL = re.compile(r"[\s?!.,]*(please|pls|plz|thanks)?[\s?!.]*$", re.I)
# request words after the product, taken off the end like "please": Hinglish ("masala oats
# khatam ho gaya, aur chahiye": ran out, want more; "bhi rakhte ho aap log": do you keep) and
# English ("at all", "or not", "online today")
_TRAILING_ASK = re.compile(
    r"(?:[\s,?!.]+(?:khatam|khtm|ho|gaya|gayi|gaye|aur|bhi|zara|chahiye|chaiye|chahie|dikhao|"
    r"dikhana|milega|hai|hain|kya|yaar|bhai|ji|rakhte|rakhta|rakhti|bechte|bechta|milta|milti|"
    r"aap|log|idhar|ka\s+kuch|kuch|urgently|asap|got\s+any|have\s+any|any|at\s+all|or\s+not?|online|today|"
    r"right\s+now|on\s+your\s+(?:site|app|store)))+"
    r"[\s?!.]*$",
    re.I,
)


def search_query(text: str) -> str:
    """The shopper's words without request phrasing ("do you have ...", "please")."""
    query = _GREETING_LEAD.sub("", text.strip())
    query = _TRAIL.sub("", _LEAD.sub("", query))
    query = _TRAILING_ASK.sub("", " " + query).strip()
    query = re.sub(r"^(some|a|an|the)\s+", "", query, flags=re.I)
    return (query or text).strip()[:200]
