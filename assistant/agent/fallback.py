"""The plan used when the model fails, is still loading or runs out of time.

Keyword rules over the shopper's words and the shown products: an order id gets its status, a
request for a person gets a handoff, a policy question gets policy passages, a reference to
shown products gets those products, anything else is searched with the filters the text states.
"""

from __future__ import annotations

import re
from collections.abc import Set
from typing import cast

from assistant.agent.asked import asked_fields
from assistant.agent.cart_rules import (
    MENTIONS_CART,
    Call,
    cart_calls,
    is_cart_request,
    quantity_change_asked,
)
from assistant.agent.choice import EXPLAIN, is_choice, sells_word
from assistant.agent.memory import ShownProducts, names_several, resolve_references
from assistant.agent.positions import ordinal_positions
from assistant.jsontypes import JsonObject
from assistant.services.policy_gloss import asks_clause
from assistant.tools.arguments import ORDER_ID
from assistant.tools.contract import CART_WRITES
from assistant.tools.postcheck import asked_status
from assistant.tools.query_text import search_query
from assistant.tools.registry import ToolOutcome
from assistant.tools.results import SearchResult
from retrieval.indic import CHANGE, HOW, MORE, MORE_STEMS, MY, POSSIBLE, WHY, alternation, stems

_SMALL_TALK = re.compile(
    r"^\s*(hi|hii+|hello|hey|yo|thanks|thank you|thx|good (morning|evening|afternoon|night)|bye|"
    r"goodbye|ok|okay|cool|great|how are you|who are you|what can you do)\b",
    re.I,
)
_HUMAN = re.compile(
    r"\b(human|real person|a person|someone real|representative|customer (care|service)|"
    r"live agent|human agent|talk to (an? )?(agent|someone)|speak to (an? )?(agent|someone)|"
    r"(actual|live|proper) (person|human|agent)|(speak|talk|chat) with (an? )?(agent|someone|person)|"
    r"put me through|connect me (to|with) (an? )?(agent|person|someone)|"
    r"(insaan|insan|aadmi|banda|bande) se (baat|connect)|kisi (insaan|insan|aadmi|bande) se)\b",
    re.I,
)
_POLICY = re.compile(
    r"\b(return\w*|refund\w*|exchang\w*|swap\w*|cancel\w*|warranty|"
    r"(?<!insurance\s)(?<!life\s)(?<!health\s)(?<!term\s)(?:policy|policies)|"
    r"shipping|delivery time|payment\s+(?:methods?|options?|modes?)|gift card|money\s+back|wapas|vapas|"
    r"accept\w*\s+(?:\w+\s+)?(?:payments?|cards?|paypal|upi|cash)|"
    r"split\s+(?:it|the\s+(?:payment|bill|amount)|payment)|half\s+(?:on|by|via|with)\s+\w+|"
    r"half\s+\w+(?:\s+\w+)?\s+half|money\s+(?:\w+\s+)?back|"
    r"(?:different|new|another|other|correct|wrong)\s+(?:shipping\s+|delivery\s+)?address)\b",
    re.I,
)
# "can I ...?", "is it possible to ...?": what the store allows (its policy), when it asks
# about doing something to an order (a policy word, or changing it, paying another way)
_ASKS_RULES = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we)\b|\bkya\s+(?:aap|ap|main|mai|hum|mujhe)\b|"
    r"\bsakt[eai]\s+(?:ho|hai|hain|hu|hoon)\b|\bwill\s+(?:the\s+|my\s+)?(?:money|refund|amount|payment)\b|\b(?:can|could|will|would)\s+(?:you|u|it)\s+(?:still\s+)?"
    r"(?:cancel|return|refund|exchange|swap|pay|cover|change|modify|update(?!\s+(?:me|us)\b)|edit)\b|\bis\s+it\s+possible\b|\b(?:am|are)\s+(?:i|we)\s+allowed\b|"
    r"\bhow\s+(?:long|soon|do\s+i|can\s+i|will\s+i|would\s+i)\b|\bwhat\s+(?:reasons?|happens)\b|\bhow\s*[?.!]*$"
    r"|\b(?:is\s+(?:that|it|this)\s+)?(?:allowed|permitted|normal)\s*[?.!]*$|\bkar\s+sakte\b"
    # "doable?", "is exchanging possible", "any conditions?", "something you can change?"
    r"|\b(?:doable|feasible|possible)\b|\bany\s+(?:conditions?|rules?|restrictions?|limits?|catch)\b"
    r"|\bsomething\s+(?:you|u)\s+(?:can|could)\b|\bdo\s+(?:i|we)\s+(?:do|have\s+to|need\s+to|must)\b"
    r"|\bwhen\s+(?:does|do|will|would)\s+(?:i|my|the)\s+(?:\w+\s+)?(?:money|refund|amount|payment|paisa)\b"
    # a Hindi yes/no question in the future: "status badlega kya?", "paisa bank mein milega?"
    r"|\b\w+(?:ega|egi|enge)\s+(?:kya|na)\b|\b(?:milega|milegi|milenge|chalega|chalegi)\s*[?.!]*$"
    r"|\bkya\s+\w+(?:ega|egi|enge)\b|\b(?:payega|payegi|paayega|sakega|sakegi)\b"
    # "can" / "will it" / "how" in India's languages ("ho jauga?", "haakbeka?", "kevi rite")
    rf"|\b{alternation(POSSIBLE, HOW)}\b|\b\w+beka\b"
    # how long a refund takes: "refund ka intezaar kab tak?", "refund kab tak dikhega"
    r"|\bkab\s+tak\b.*\b(?:refund|paisa|paise|money)\b|\b(?:refund|paisa|paise|money)\b.*\bkab\s+tak\b",
    re.I,
)
# a case put to the store ("if i swap an item ...", "after i say yes to cancelling ..."): with
# a policy word, its rule ("if i want to pay the least, which?" is a choice)
_PUTS_CASE = re.compile(
    r"\b(?:if|once|after|when)\s+(?:i|we|you|u)\b|\bwhat\s+will\b|\bdo\s+(?:i|we)\s+get\b", re.I
)
# what the store does in general, asked as such: its rules, even about a person or a check
_ASKS_PRACTICE = re.compile(
    r"\bin\s+what\s+(?:situations?|cases?|circumstances)\b|\bunder\s+what\s+(?:conditions|circumstances)\b|"
    r"\bwhen\s+(?:would|do|will)\s+you\b|\bwhat\s+(?:states?|status(?:es)?|stages?)\s+(?:can|does|do|is|are)\b|"
    r"\b(?:states?|status(?:es)?|stages?)\s+(?:an?\s+|the\s+)?orders?\s+(?:can|could|may|goes|go)\b|"
    r"\bdo\s+(?:you|u)\s+(?:\w+\s+)?(?:look\s+at|check|verify)\b|"
    r"\b(?:will|would|do)\s+(?:you|u)\s+(?:\w+\s+)?(?:ask|check\s+with|confirm\s+with)\s+me\b|\b(?:do|does|will|would)\s+(?:you|u|i|we)\s+(?:\w+ly\s+)?"
    r"(?:still\s+)?(?:have|need)\s+to\b|\b(?:do|does|will|would)\s+(?:you|u)\s+need\s+me\s+to\b"
    # what the assistant can do about orders, why it asks for something ("why do you guys need
    # my pin code?"): its rules
    r"|\bwhat\s+(?:all\s+|else\s+|exactly\s+)?(?:can|could|do)\s+(?:you|u)\s+(?:guys\s+|people\s+)?"
    r"(?:help|do|handle|assist)\b(?=.*\border)"
    r"|\bprove\s+who\s+(?:i|we)\s+(?:am|are)\b"
    r"|\bwhy\s+(?:do|does|would|will)\s+(?:you|u)\s+(?:guys\s+|people\s+|all\s+|still\s+)?"
    r"(?:need|want|ask\s+for|require|check|verify)\b"
    # Hinglish: "email kyun maang rahe ho" (why are you asking for the email), "naya order
    # place karna padega kya" (will I have to place a new order?)
    r"|\b(?:kyun|kyon|kyu)\s+(?:\w+\s+)?(?:maang|mang|pooch|puch)\w*"
    r"|\b(?:karna|karni|karne|dena|deni|bhejna)\s+(?:padega|padegi|padta|padti|hoga|hogi)\s+kya\b",
    re.I,
)
_WHY_RE = alternation(WHY)
# a question that opens with "why" ("why the one you slotted in the centre?", "y the 2nd")
_OPENS_WHY = re.compile(rf"^\W*(?:{_WHY_RE}|y)\b", re.I)


def asks_why(text: str) -> bool:
    """True when text asks why a product was suggested: an explanation phrase, or a question
    that opens with "why" and asks for no field of it ("why is the second so pricey?" asks its
    price)."""
    return bool(EXPLAIN.search(text) or (_OPENS_WHY.search(text) and not asked_fields(text)))


# questions only the policy answers: how an order's times read, how to reach the store
_POLICY_ONLY = re.compile(
    r"\b(?:helpline|hotline|call\s+cent(?:re|er)|(?:phone|contact|support)\s+number|"
    r"time\s*zone|timestamps?|(?-i:IST|EST|GMT|UTC|PST)|(?:order|delivery)\s+(?:time|timestamp)s?\s+(?:says?|shows?|reads?|is|are)|"
    r"24[\s-]hours?\s+(?:clock|format|time)|"
    # another shopper's orders ("my friend gave me his user id"), a guess asked for, the profile
    r"(?:his|her|their|someone\s+else'?s|(?:friend|brother|sister|wife|husband|mom|dad|father|"
    r"mother|neighbou?r)'?s)\s+(?:orders?|account|profile|user\s+id)|"
    r"(?:just\s+)?guess\s+(?:a|the)\s+(?:date|time|day)|make\s+(?:something|it|one)\s+up|"
    r"(?:my|mera|meri|customer|user|a)\s+(?:profile|account\s+details)|time\s+on\s+(?:my|the|an)\s+order|indian\s+time|"
    r"difference\s+between\s+(?:a|the)\s+product\s+and|(?:don.?t|dont|do\s+not|can.?t|cannot)\s+remember\s+(?:\w+\s+){0,2}e-?mail|"
    r"(?:pin|zip|postal)\s*code|signed\s+up\s+with|"
    # a relative's orders in Hinglish ("meri behen ka order"), verifying without the email,
    # ways to pay the store has no record of
    r"(?:behen|bhai|bhaiya|didi|bhabhi|papa|mummy|dost|pati|patni|biwi)\s+(?:ka|ki|ke)\s+(?:orders?|account)|"
    r"verif(?:y|ication)\s+(?:karne|karna|myself|me|my\s+identity|identity)|"
    rf"verif\w*\s+(?:\w+\s+)?{_WHY_RE}|{_WHY_RE}\s+(?:\w+\s+){{0,3}}verif\w*|email\s+(?:yaad\s+nahi|bhool\w*)|"
    r"forgot\s+(?:my\s+|the\s+)?email|\bupi\b|default\s+address|"
    r"(?:account|identity|email)\b.*\bverif\w*|"
    r"(?:item|product|order|user)\s+ids?\b.*\b(?:same|different|interchangeable|difference|confus\w*)|net\s*banking|cash\s+on\s+delivery|"
    r"(?:product|item)\s+ids?\b.*\b(?:item|product)\s+ids?\b|user\s+id\b.*\bverif\w*|verif\w*\b.*\buser\s+id\b|"
    r"(?:do|does|will)\s+(?:you|u)\s+(?:\w+\s+)?accept\b|what\s+(?:payment|pay)\s+(?:options?|modes?|methods?)|"
    r"(?:how\s+many|kitne|kitni)\s+(?:\w+\s+)?(?:types?|kinds?|categories)\s+(?:of\s+|ke\s+)?products?)\b",
    re.I,
)
_ORDER_ACTION = re.compile(
    r"\b(?:modify|change|pay|paying|payment|fix|correct|edit|update|tweak|switch)\b"
    rf"|\b{alternation(CHANGE)}\b"
    r"|\badd\w*\b(?=.*\border\b)|\border\b.*\badd\w*\b(?!.*\bcart\b)",  # an item added to an order
    re.I,
)
_ORDERS = re.compile(
    r"\border(?:s|ed)?\b|\b(?:ordrs?|oders?|odrs?|orderz|orderd|odered)\b|\bpurchase[sd]\b|\bbought\b|\b(?:package|parcel|shipment)s?\b"
    r"|\bmy\s+(?:\w+\s+)?(?:deliver(?:y|ies)|stuff)\b|\bmy\s+(?:\w+\s+){0,2}purchases?\b"
    r"|\bsa+ma+n\b",  # Hinglish: "mera saamaan" (my stuff)
    re.I,
)
# the shopper's own orders, named without an id (anonymous shoppers are told to sign in)
_MY_ORDERS = re.compile(
    r"\bmy\s+(?:\w+\s+){0,2}(?:orders?|ordrs?|oders?|purchases?|packages?|parcels?|shipments?|deliver(?:y|ies)|"
    r"consignments?)\b|\bwhere\s*a?b?outs\s+of\s+my\b|\bwhere'?s\s+my\s+stu+f+\b"
    r"|\bmer[ae]\s+(?:\w+\s+){0,3}?(?:orders?|ordrs?|sa+ma+n|maal|parcel|package)\b"
    # the Hindi possessive after the noun: "ordrs kidr h mere", "koi parcel nikla kya mera"
    r"|\b(?:orders?|ordrs?|sa+ma+n|parcel|package)\b(?:\s+\w+){0,4}?\s+mer[aei]\b(?!\s+(?:liye|layi|hisaab))"
    # "my order" in India's languages ("amar order ta kothay": Bengali, where is my order)
    rf"|\b{alternation(MY)}\s+(?:\w+\s+)?(?:orders?|ordr|order-u|sa+ma+n|maal|parcel|package)\b"
    # "did anything I bought get cancelled?": what the shopper bought, asked about its state
    r"|\b(?:i|we)\s+(?:\w+\s+)?(?:bought|ordered|purchased|placed)\b(?=.*\b(?:cancel\w*|deliver\w*|"
    r"arriv\w*|ship\w*|pending|status|track\w*|on\s+(?:its|the)\s+way|reach\w*|dispatch\w*)\b)"
    # "gift mangaya tha, dispatch hua ki nahi" (I had a gift sent: has it left?), "the delivery
    # guy never came": the shopper's own order, with no "my"
    r"|\b(?:mangaya|mangwaya|mangvaya|manga(?=\s+tha))\b.*\b(?:dispatch\w*|deliver\w*|aaya|aayega|"
    r"pahunch\w*|ship\w*|kab|kahan|hua)\b"
    r"|\bdelivery\s+(?:wale|wala|boy|guy|person|agent|man)\b.*\b(?:nahi|nhi|didn.?t|not|never)\b"
    # the rider bringing it, asked about ("rider ka kuch ata pata?"), what sits in the account
    r"|\b(?:rider|courier|delivery\s+(?:wale|wala|boy|guy|person|agent|man))\b.*\b(?:pata|kab|kahan|kaha|where|when|status|update|news|khabar)\b"
    r"|\b(?:from|in|on|through|using)\s+my\s+(?:account|login|id)\b.*\b(?:placed|ordered|bought|shipped|sitting|there)\b"
    r"|\b(?:placed|ordered|bought)\b.*\b(?:from|in|on|through|using)\s+my\s+(?:account|login|id)\b"
    # "purchase history", "kuch atka pada hai kya mera" (is anything of mine stuck?), "jo kharida
    # tha wo abhi tak nahi aaya" (what I bought has not come yet)
    r"|\b(?:purchase|order|buying|shopping)\s+history\b|\batk\w*\b.*\bmer[aei]\b|\bmer[aei]\b.*\batk\w*"
    r"|\bkharid\w*\s+(?:tha|thi|the)\b|\bkharid(?!ne\s+wal)\w*\b.*\b(?:aaya|aayi|aayega|pahunch\w*|nikla|deliver\w*)\b"
    r"|\bstill\s+(?:processing|pending|in\s+transit|on\s+(?:its|the)\s+way)\b.*\bmy\b"
    r"|\b(?:orders?|anything)\s+of\s+mine\b"
    # "godown se mera kuch nikla ki nahi" (has anything of mine left the warehouse?)
    r"|\bmer[aei]\s+(?:kuch|koi|sab|saara|saari)\b.*\b(?:nikl\w*|aaya|aayi|pahunch\w*|dispatch\w*|"
    r"ship\w*|deliver\w*|chala|gaya)\b"
    r"|\b(?:pending|delivered|cancel\w*)\b.*\b(?:my|mere|mera)?\s*account\b"
    r"|\bmaine\s+(?:jo\s+)*(?:\w+\s+)?(?:manga|mangaya|mangwaya|order\s+kiya|kharida)\b"
    # Hinglish: "saman ghar kab tak aa jayega" (when will the stuff come home)
    r"|\b(?:sa+ma+n|maal|parcel|package|order|ordr)\b.*\b(?:kab|kahan|kaha|kyon|kyun|"
    r"abhi\s+tak|aa\s+jayega|aayega|ayega|aaega|aaya|pahunch\w*)\b"
    # a status with the Hinglish "my" ("kuch pending hai kya mera": anything of mine pending?)
    r"|\b(?:pending|delivered|processed|cancel\w*)\b.*\bmer[aei]\b|\bmer[aei]\b.*\b(?:pending|delivered|processed|cancel\w*)\b",
    re.I,
)
# the shopper's orders asked for as a list ("mere saare orders ki list nikalo")
_LISTS_ORDERS = re.compile(
    r"\b(?:orders?|purchases?)\s+(?:ki|ka|ke|di|da|ni|no|chi)?\s*list\b"
    r"|\blist\s+(?:of\s+|out\s+|down\s+)?(?:all\s+)?(?:my|mere|mera|meri)\s+(?:\w+\s+)?(?:orders?|purchases?)\b"
    r"|\b(?:look\s+up|read\s+out|pull\s+up|fetch|show)\s+(?:all\s+)?(?:my|mere)\s+(?:\w+\s+)?(?:orders?|purchases?)\b"
    r"|\bwhere\s+(?:r|are|is)\s+(?:all\s+)?(?:my|mere|meri)\s+(?:\w+\s+)?(?:orders?|parcels?|packages?|purchases?)\b",
    re.I,
)
# "where is my last order?", "my package": the shopper's newest order, without an id
LATEST_ORDER = re.compile(
    r"\b(?:last|latest|recent|most\s+recent|newest|current)\s+(?:order|purchase|package|parcel|"
    r"delivery|shipment)\b|\bmy\s+(?:package|parcel|shipment|delivery|stuff)\b"
    r"|\b(?:ordered|bought|purchased)\s+(?:most\s+)?(?:recently|lately|last)\b",
    re.I,
)
_RECOMMEND = re.compile(
    r"\b(recommend\w*|suggest\w*|for me|might like|you think i.d like|picks?)\b", re.I
)
_PERSONAL = re.compile(
    r"\b(for me|i might like|i.d like|i would like|my taste|suits me|new for me)\b", re.I
)
_FILLER = frozenset(
    "what would you recommend suggest something anything some me for today new good best any "
    "can could please pls a an the to i my".split()
)
_PREDICT = re.compile(r"\b(how likely|likelihood|chance|probability|odds)\b", re.I)
_COMPARE = re.compile(
    r"\b(compar\w*|differ\w*|vs\.?|versus|which is better|better|against|contrast\w*|"
    r"weigh\w*|head[\s-]to[\s-]head|side[\s-]by[\s-]side|stack\s+up)\b",
    re.I,
)
_SIMILAR = re.compile(
    r"\b(similar|alternatives?|like (it|this|that|item|product)|other options)\b", re.I
)
_DETAILS = re.compile(
    r"\b(more (about|on|info)|details?|tell me about|info(rmation)? (on|about)|in stock|what is|"
    r"what's in|ingredients|describe|open|zoom(?:\s+in)?|expand|elaborate|look\s+at|"
    rf"{alternation(MORE)}|{stems(MORE_STEMS)})\b",
    re.I,
)
_EXPLICIT_ID = re.compile(r"\b(?:product|item|id)\s*(?:id\s*)?#?\s*(\d{1,20})\b", re.I)


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _FILLER]


_CHAT_WORDS = frozenset(
    "hi hii hello hey yo there thanks thank you thx so much very lot good morning evening "
    "afternoon night bye goodbye ok okay cool great how are who what can do today all that "
    "s that's it is nice to meet again dear friend bot assistant".split()
)


def is_small_talk(text: str) -> bool:
    """A greeting, thanks or goodbye with nothing to look up ("hi, any rice?" is not)."""
    if not _SMALL_TALK.match(text):
        return False
    rest = [w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in _CHAT_WORDS]
    return not rest


def call_asked(name: str, args: JsonObject, text: str, shown: ShownProducts) -> bool:
    """False for a call the shopper's message does not ask for: a write (a cart change, a
    handoff) that a model may read into planted text ("ignore previous instructions, add ...")
    or a quantity change read as an add ("add one more"); a look at the cart when the message
    names no cart ("what have i purchased so far?" is about orders); a policy search when the
    message names nothing the policy covers ("do you handle bike rental?"); one product's
    details or explanation when a list is shown and the message names none of it."""
    if name == "handoff_to_human":
        return bool(_HUMAN.search(text))
    if name == "update_cart_item":  # the shopper's own count for what the cart holds
        return quantity_change_asked(args, text, shown) and bool(shown.cart_focus or shown.in_cart)
    if name in CART_WRITES:
        return is_cart_request(text, shown)
    if name == "view_cart":  # "what have i purchased so far" asks about orders, not the cart
        return bool(MENTIONS_CART.search(text) or re.search(r"\badd(?:ed)?\b", text, re.I))
    if name == "search_policy":  # "do you handle bike rental?" is a search, not a rule
        return bool(asks_rules(text) or _POLICY_TOPIC.search(text) or _ORDERS.search(text))
    if name in _ONE_PRODUCT and len(shown.latest) >= 2:  # which of the list: the text must say
        return bool(product_refs(text, shown))
    return True


# tools about one product: with a list on the screen, the message must name which one (a model
# that reads "which is rated best of the three?" as the first one's details guessed)
_ONE_PRODUCT = frozenset(
    {"get_product", "explain_recommendation", "predict_purchase", "similar_products"}
)


# What the store's policy is about: a message that names none of it asks for no rule (a
# service the store does not sell, sent to the policy by the model, gets an honest no-match).
_POLICY_TOPIC = re.compile(
    rf"{_POLICY.pattern}|{_POLICY_ONLY.pattern}|\b(?:account|profile|address|e-?mail|pay\w*|"
    r"paypal|card|verif\w*|confirm\w*|user\s+id|agent|rules?|allowed|"
    r"deliver\w*|ship\w*|track\w*|status)\b",
    re.I,
)


# a product asked to be delivered ("can notebook be delivered to my address?", "will you ship
# basmati rice to pune?"): a question about the product, not the delivery rules
_DELIVERED = re.compile(
    r"\b(?:can|could|will|would)\s+(?:a\s+|an\s+|the\s+|some\s+)?(?P<a>[a-z]+(?:\s+[a-z]+)?)\s+be\s+"
    r"(?:delivered|shipped|sent)\b"
    r"|\b(?:can|could|will|would|do|does)\s+(?:you|u)\s+(?:deliver|ship|send)\s+(?:me\s+|us\s+)?"
    r"(?:a\s+|an\s+|the\s+|some\s+)?(?P<b>[a-z]+(?:\s+[a-z]+)?)\s+(?:to|at|in)\b",
    re.I,
)
_NOT_A_PRODUCT = frozenset(
    """order orders item items product products thing things it this that parcel package stuff
    everything something anything refund return replacement exchange my our your them these
    those one ones""".split()
)


def delivered_product(text: str, vocabulary: Set[str]) -> str:
    """The product a question asks to have delivered, in words the catalog uses ("notebook" of
    "can notebook be delivered to my address?"); "" for a question about an order or items."""
    m = _DELIVERED.search(text)
    said = (m.group("a") or m.group("b") or "").lower().split() if m else []
    if not said or any(w in _NOT_A_PRODUCT for w in said):
        return ""
    return " ".join(said) if vocabulary and all(sells_word(w, vocabulary) for w in said) else ""


def fallback_calls(
    text: str, shown: ShownProducts, signed_in: bool, vocabulary: Set[str] = frozenset()
) -> list[Call]:
    """Tool calls that answer text without the model (empty for small talk); vocabulary is the
    catalog's words (`Catalog.vocabulary`)."""
    if is_small_talk(text):
        return []
    m = ORDER_ID.search(text)
    if m:
        return [("get_order_status", {"order_id": "#" + m.group(1).upper()})]
    if _HUMAN.search(text) and not _ASKS_PRACTICE.search(text):
        return [("handoff_to_human", {"reason": text.strip()[:500]})]
    cart = _cart_plan(text, shown, vocabulary)
    if cart is not None:
        return cart
    order = shown.referred_order(text)
    if order:
        return [("get_order_status", {"order_id": order})]
    if sent := delivered_product(text, vocabulary):
        return [("search_products", {"query": sent})]
    if asks_rules(text):
        return [("search_policy", {"question": text.strip()[:500]})]
    refs = product_refs(text, shown)
    if refs and asks_why(text) and not _LISTS_ORDERS.search(text):
        # "does the 2nd go with what I usually order? why?" (not "list my orders, newest on top")
        return [("explain_recommendation", {"product_id": refs[0]})]
    if (signed_in and _ORDERS.search(text)) or _MY_ORDERS.search(text):  # anonymous: sign in
        status = asked_status(text)
        args = {"status": status} if status else {}
        return [("list_my_orders", args)]
    if _POLICY.search(text):
        return [("search_policy", {"question": text.strip()[:500]})]
    if refs and _PREDICT.search(text):
        return [("predict_purchase", {"product_id": refs[0]})]
    if len(refs) >= 2 and _COMPARE.search(text):
        return [("compare_products", {"product_ids": refs[:5]})]
    if refs and _SIMILAR.search(text):
        return [("similar_products", {"product_id": refs[0]})]
    among = shown.choice_among(text, vocabulary)
    if among and not (refs and _DETAILS.search(text)):
        return [("compare_products", {"product_ids": among})]  # the answer picks one of them
    if len(refs) >= 2 and names_several(text):  # "the first and third": the one tool for two
        return [("compare_products", {"product_ids": refs[:5]})]
    if refs:
        return [("get_product", {"product_id": refs[0]})]
    query = search_query(text)
    if _PERSONAL.search(text) or (_RECOMMEND.search(text) and len(_content_words(query)) <= 1):
        return [("recommend_for_user", {})]
    return [("search_products", {"query": query})]


def about_shown(text: str, shown: ShownProducts, outcomes: list[ToolOutcome]) -> list[Call]:
    """The calls that answer text from the products on the screen, when the turn's one call
    was a search whose calibrated relevance found nothing that matches and text asks to
    choose among them ("reviews ke mamle mein kaun champion hai", "whichever costs the fewest
    rupees"): its words named no product the store sells, so they were about the list shown.
    Empty otherwise (then the search's honest no-match stands)."""
    latest = shown.latest or shown.all
    if len(outcomes) != 1 or len(latest) < 2:
        return []
    search = outcomes[0]
    if search.name != "search_products" or not search.ok or search.result is None:
        return []
    found = cast(SearchResult, search.result).get("products", [])
    if any(c.get("match", True) for c in found):
        return []
    if not is_choice(text) or EXPLAIN.search(text):
        return []
    return [("compare_products", {"product_ids": [c["product_id"] for c in latest[:5]]})]


# the assistant asked to act on an order ("can you switch it to paypal?", "can you bring it
# back and ship it?"): it has no tool that changes an order, so the answer is the rule for it
_ASKS_YOU_ACT = re.compile(
    r"\b(?:can|could|will|would)\s+(?:you|u)\s+(?:please\s+|pls\s+|still\s+|also\s+|just\s+)?"
    r"(?:cancel|return|refund|exchange|swap|switch|change|modify|update(?!\s+(?:me|us)\b)|edit|move|bring\s+\w+\s+back|"
    r"add|slip|put|throw|include|squeeze|split|"
    r"bring\s+back|restore|reopen|undo|resend|redeliver|reship)\b",
    re.I,
)


# changing something of an order (not paying, fixing or being updated)
_CHANGES = re.compile(rf"\b(?:modify|change|edit|switch|tweak)\b|\b{alternation(CHANGE)}\b", re.I)
# the assistant's own opinion asked for ("aapki raay chahiye": I want your opinion)
_OPINION = re.compile(
    r"\b(?:your|ur|aapki|apki|aapka|tumhari|teri)\s+(?:personal\s+|honest\s+|own\s+)?"
    r"(?:opinion|raay|rai|view|take)\b|\bpersonal\s+opinion\b|\bsubjective\b",
    re.I,
)
_ADDS_TO_ORDER = re.compile(
    r"\b(?:add|throw|slip|put|include|squeeze)\w*\b.*\b(?:into|in|to)\s+(?:my\s+|the\s+|this\s+|that\s+)?"
    r"(?:\w+\s+)?order\b",
    re.I,
)


def asks_rules(text: str) -> bool:
    """True for a question about what the store allows with an order ("can I change the address
    of an order that hasn't shipped?", "can I cancel my order?": the rule, which the shopper's
    own orders do not answer), not a request about the shopper's own order ("cancel my order",
    "can I pay my order another way?" names no rule word)."""
    if _ASKS_PRACTICE.search(text) or (
        _PUTS_CASE.search(text)
        and (_POLICY.search(text) or (_ORDER_ACTION.search(text) and _ORDERS.search(text)))
    ):
        return True
    if _POLICY_ONLY.search(text) or (_ASKS_YOU_ACT.search(text) and _ORDERS.search(text)):
        return True
    if asks_clause(text):  # "do I need a reason to cancel?", "how will you verify who I am?"
        return True
    if _OPINION.search(text) and _ORDERS.search(text):  # the rules on subjective comments
        return True
    if not _ASKS_RULES.search(text):
        return False
    return bool(
        _POLICY.search(text)
        or _ADDS_TO_ORDER.search(text)  # "can I throw an extra packet into my pending order?"
        # "can I change X in my pending order?" asks a rule ("can I pay my order?" does not)
        or (_ORDER_ACTION.search(text) and (not _MY_ORDERS.search(text) or _CHANGES.search(text)))
    )


def product_refs(text: str, shown: ShownProducts) -> list[str]:
    """The products text names: an explicit id, else shown products it refers to. An item that
    is only in the cart counts when the text speaks of the cart: "water bottle" with a water
    bottle in the cart is a new search, not that product."""
    explicit = _EXPLICIT_ID.search(text)
    latest = shown.latest or shown.all
    named = explicit.group(1) if explicit else ""
    # "product 3" with three products listed and none whose id is 3: the third, not id 3
    if named and (named in shown.ids() or not 0 < int(named) <= len(latest)):
        return [named]
    refs = resolve_references(text, shown)
    if MENTIONS_CART.search(text):
        return refs
    return [r for r in refs if r not in shown.cart_only]


# the cart named in a question that writes nothing: "before i add the second to cart, what's the
# damage" (its price), "which one would you put in your own cart" (a choice)
_NOT_A_CART_WRITE = re.compile(
    r"\bwhich\b.*\b(?:goes|go|should\s+go)\s+in(?:to)?\s+(?:my|the)\s+(?:cart|basket|trolley)\b"
    r"|\b(?:stalking|watching|spying\s+on|reading|snooping\s+on)\s+(?:my|the)\s+(?:cart|basket|trolley)\b"
    r"|\bbefore\s+(?:i|we)\s+(?:add|put|buy)\b|\b(?:would|will|wud|wd)\s+(?:you|u)\s+(?:put|add|keep)\b.*"
    r"\b(?:your|ur)\s+(?:own\s+)?(?:cart|basket)\b",
    re.I,
)


def _cart_plan(text: str, shown: ShownProducts, vocabulary: Set[str]) -> list[Call] | None:
    """The cart calls for a cart request; None for anything else, including a question about a
    product that merely uses a cart word ("how likely am I to buy the second one?")."""
    other = (EXPLAIN, _PREDICT, _SIMILAR, _DETAILS, _COMPARE, _POLICY)
    if (any(p.search(text) for p in other) or asks_rules(text)) and not MENTIONS_CART.search(text):
        return None  # "can you add an item to my pending order?": the order's rules
    if _NOT_A_CART_WRITE.search(text):
        return None
    if shown.choice_among(text, vocabulary):  # "which one should I add to cart?": a choice
        return None
    return cart_calls(text, shown)


def confident_calls(
    text: str, shown: ShownProducts, signed_in: bool, vocabulary: Set[str] = frozenset()
) -> list[Call] | None:
    """The plan when the request is unambiguous (small talk, an order id, a person, a resolved
    product reference with a clear action); None when the model should decide."""
    if is_small_talk(text):
        return []
    if ORDER_ID.search(text) or _HUMAN.search(text):
        return fallback_calls(text, shown, signed_in, vocabulary)
    own_orders = LATEST_ORDER.search(text) or _MY_ORDERS.search(text)
    if (signed_in and own_orders) or shown.choice_among(text, vocabulary) or asks_rules(text):
        return fallback_calls(text, shown, signed_in, vocabulary)  # no id to invent, no search
    cart = _cart_plan(
        text, shown, vocabulary
    )  # the model was never taught the cart tools: rules decide
    if cart is not None:
        return cart
    refs = product_refs(text, shown)
    if not refs:
        return _unless_open(fallback_calls(text, shown, signed_in, vocabulary), text)
    clear = (_PREDICT, _SIMILAR, _DETAILS) + ((_COMPARE,) if len(refs) >= 2 else ())
    several = len(refs) >= 2 and names_several(text)  # "#1 or the third item?": those two
    # one product named by its place in the list ("pull up dusra wala", "choice 1, say more"):
    # the rules' call for it (its details, or what the text asks of it); the model searched
    # for the ordinal's words instead
    if len(refs) == 1 and len(ordinal_positions(text)) == 1:
        return fallback_calls(text, shown, signed_in, vocabulary)
    if (
        asks_why(text)
        or any(p.search(text) for p in clear)
        or several
        or (len(refs) == 1 and asked_fields(text))
    ):
        return fallback_calls(text, shown, signed_in, vocabulary)
    return _unless_open(fallback_calls(text, shown, signed_in, vocabulary), text)


# The rules' plans the model may still change: a search of the message's words, a
# recommendation, the orders named without "my" ("order" may be a verb). Any other plan of the
# rules (a choice among the shown products, a product named by its place, a policy question)
# stands: on session 13's four first runs the model's plan for such turns won no case and lost 7.
_OPEN_PLANS = frozenset({"search_products", "recommend_for_user", "list_my_orders"})


_ORDER_WORD = re.compile(r"\border(?:s|ed|ing)?\b", re.I)
# "order" as a noun for sure: plural ("hamar orders kata dhari pahunchal?") or owned ("amar order")
_ORDER_NOUN = re.compile(rf"\borders\b|\b(?:my|our|{alternation(MY)})\s+(?:\w+\s+)?order\b", re.I)


def _unless_open(plan: list[Call], text: str) -> list[Call] | None:
    """The rules' plan, or None (the model plans) when it is one the model may change: the
    orders stand when named by a word that is no verb ("saamaan", "bought", "parcel") or by a
    noun for sure ("orders", "amar order")."""
    if not plan:
        return None
    name = plan[0][0]
    if name == "list_my_orders" and (not _ORDER_WORD.search(text) or _ORDER_NOUN.search(text)):
        return plan
    return None if name in _OPEN_PLANS else plan
