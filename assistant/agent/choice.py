"""A choice among the products on the screen: is the shopper asking for one, which one wins, and
the answer that says so.

"which one would you recommend for me and why?", "which is cheaper?", "the one for kids": the
answer picks one of the products already shown, by the fact the question names (price, rating,
stock, a word in the title) or, when it names none, by rating, and says which fact decided.
The price, rating and stock words are read by retrieval's query parser (`preferences`).
Products compared without a choice ("how do the first and third differ?") are set side by
side, with the cheaper and the better rated named. Pure functions over the shopper's words and
product cards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from assistant.agent.grounding import words
from assistant.agent.wording import MAX_LISTED, money, product_line, rating_text
from assistant.services.records import ProductCard
from retrieval.indic import FOR_ME, INDIC_QUESTION, THESE, WHICH, WHY, alternation
from retrieval.lexical import HINGLISH_STOPWORDS
from retrieval.query_parse import preferences, without_preferences

Basis = Literal["cheapest", "priciest", "best_rated", "in_stock", "match", "unmatched", "rating"]

# A question that asks to choose among what is shown (not a new request for products).
_WHICH = r"(?:which|whch|wich|wch|whihc)"  # and its usual typos
CHOICE = re.compile(
    rf"\b{_WHICH}\s+(?:one|ones|of\s+(?:these|those|them|the|both|you)|is|are|would|should|do|will|"
    r"to|option|item|product|sku|works|suits|fits|has|have|got|gets|offers|comes)\b"
    r"|\bwhat\s+(?:would|do|should)\s+(?:you|i)\s+(?:recommend|suggest|pick|choose|get|buy)\s+"
    r"(?:of|among|between|from|out\s+of)\s+(?:these|those|them|the\s+\w+)\b"
    r"|\b(?:among|between|out\s+of|of)\s+(?:these|those|them|the\s+(?:two|three|four|five)|both)"
    r"\b[^?]*?\b(?:best|better|recommend\w*|pick|choose|go\s+for|suggest\w*|get|buy)\b"
    r"|\b(?:should|shld|shud)\s+i\s+(?:get|buy|pick|choose|take|go\s+for|order)\b"
    r"|\bthe\s+(?:better|best|cheaper|cheapest|pricier|priciest|costlier|more\s+expensive|"
    r"less\s+expensive|most\s+expensive|higher\s+rated|best\s+rated|top\s+rated)"
    r"(?:\s+(?:one|option|choice|pick|of\b)|\s*[?.!]*$)"
    rf"|\bthe\s+one\s+(?:for|with|that|{_WHICH}|made|meant|suited)\b"
    r"|\b(?:pick|choose|take|recommend|suggest)\s+(?:me\s+|us\s+)?(?:just\s+|only\s+)?one\b"
    rf"|\b{_WHICH}\s*\??\s*$"
    rf"|(?:^|[,;:.!?\-–]\s*){_WHICH}\b"  # a clause that opens with "which" ("- which is it?")
    r"|\b(?:option|one|pick|choice|bet)\s+(?:among|of|from|out\s+of)\s+(?:these|those|them)\b"
    r"|\bany\s+of\s+(?:these|those|them)\b|\bwhichever\b"
    r"|\b(?:kaunsa|konsa|kon\s+sa|kaun\s+sa|kaunsi|konsi|kiski|kiska|kiske|kaun|kisko|kismein|kisme)\b"
    # "which" in India's languages typed in Latin script: Bengali "konta", Gujarati "kayu",
    # Punjabi "kehda", Tamil "edhu", Kannada "yavudu" (`retrieval.indic`)
    rf"|\b{alternation(WHICH)}\b"
    r"|\blist\s+(?:mein|me|main|madhe|la|e)\b|\bei\s+list\b|\bmatch\s+(?:it|this|that)\s+up\b"
    r"|\bwho(?:['’]?s|\s+has|\s+is)\b"
    # the list on the screen named as such ("spot it in this list", "in teeno mein": in these three)
    r"|\b(?:in|from|on|within)\s+(?:this|the|that|your)\s+(?:list|lot|bunch|selection)\b"
    r"|\b(?:teeno|tino|teenon|dono|inme|inmein|inmese)\b|\bteen\s+(?:mein|me|main)\s+se\b"
    r"|\bserial\s+(?:number|no)\b|\bflag\s+(?:the|it|its|that)\b|\bmark\s+(?:out\s+)?the\b|\bpick\s+out\s+the\b|\bpehcha+n\w*"
    # the shopper asks for the product's number ("number bolo": tell me the number)
    r"|\b(?:number|no\.?|nambar)\s+(?:bolo|batao|bata|do|dijiye|btao)\b"
    r"|\bpoint\s+(?:me\s+)?(?:to|out|at)\s+the\b|\bthe\s+winner\b"
    r"|\bname\s+(?:me\s+)?the\s+(?:item|product|one|option)\b"
    # "identify the folder among the products shown", "point it out", "pickle kidhr hai isme"
    r"|\bidentify\b|\bpoint\s+(?:it|them|that|this)\s+out\b|\bkidh?a?r\b|\bkahan\s+hai\s+(?:isme|inme)\b"
    r"|\bamong\s+(?:the\s+)?(?:products?|items?|ones?|options?)\s+(?:shown|listed|here|above)\b"
    r"|\bdikh\s*(?:raha|rahi|ta|ti)\b"
    r"|\bin\s+sab\s+(?:mein|me)\b|\bisme\s+se\b|\bkya\s+(?:lu|lun|loon|le\s+lu)\b|\bwhich\s+wins\b"
    r"|\bthe\s+(?:item|product|option|pack)\s+(?:with|for|that|which|made|meant|having|containing)\b"
    # "highlight the cleanser among the goods listed above", "point me to it", "which here has",
    # "best reviewed one", "kis ki" (whose)
    r"|\b(?:highlight|single\s+out)\s+the\b|\bpoint\s+me\s+to\s+(?:it|them|that|the\s+one)\b"
    r"|\bamong\s+(?:the\s+)?(?:goods|items|products|things|options|ones)\s+(?:listed|shown|above|here)\b"
    r"|\bwhich\s+(?:here|of\s+these|among\s+these)\b|\bkis\s+k[iea]\b"
    r"|\b(?:best|top|highest|better|cheapest|lowest)[\s-]+(?:reviewed|rated|priced|cost|starred)?\s*(?:one|1)\b",
    re.IGNORECASE,
)
# Words that point at the products on the screen: with them, a word no card has ("buyers",
# "strongest") is part of the question, not the name of something new to look for.
_POINTS_AT_SHOWN = re.compile(
    r"\b(?:these|those|them|which\s+one|one\s+of|(?:pick|choose)\s+(?:me\s+)?one)\b"
    rf"|\b{alternation(THESE)}\b"
    r"|\bthe\s+[a-z\-]+\s+(?:one|option|kind|variant|version)\b",
    re.IGNORECASE,
)
_WHY = alternation(WHY)  # "why" in English and India's languages
_EXPLAIN = re.compile(
    rf"\b{_WHY}\b.*\b(suggest|recommend|show|pick|put|place|chos|choos|chun|dikha)\w*|\b(suggest|recommend|show|pick|dikha|batav)\w*.*\b(?:kyu[n]?|kyon|kem)\b"
    r"|\bwhat\s+makes\s+(?:you|u)\s+think\s+(?:i|we)"
    # "how come X popped up as a suggestion", "the logic behind showing me X", "y the third tho"
    r"|\bhow\s+come\b.*\b(?:popped\s+up|show(?:n|ed|s)?\s+up|came\s+up|suggest\w*|recommend\w*)"
    r"|\b(?:logic|reason|rationale|thinking)\s+(?:behind|for)\s+(?:showing|suggesting|recommending|picking|choosing|putting)"
    r"|^\s*y\s+(?:the|this|that|did|do|would|u|you)\b"
    r"|\b(?:what\s+makes|how\s+(?:is|does))\s+(?:\w+\s+){0,5}?(?:a\s+)?(?:good|right|great|nice)\s+"
    r"(?:fit|choice|pick|match)\s+for\s+(?:me|us)\b"
    r"|\b(?:what\s+made|how\s+come)\s+(?:you|u)\s+(?:\w+\s+)?(?:pick|choose|chose|suggest|recommend|show)",
    re.I,
)
# Why a product was suggested, or why one named product suits the shopper ("why the top one for
# me?", "is the second one a good fit for me? why"): its explanation (with a product named).
_FOR_ME = (
    rf"(?:for\s+me|{alternation(FOR_ME)}|suits?\s+me|(?:good|right)\s+fit|fit\s+for\s+me|i.d\s+like|would\s+i\s+like|"
    r"(?:i|we)\s+(?:usually|normally|often|always|typically|generally)\s+(?:order|buy|get|purchase)|"
    r"my\s+(?:usual|past|previous|regular)\s+(?:orders?|purchases?|shopping|buys))"
)
# what the shopper bought before, named beside one shown product: why that one suits them
_HISTORY = (
    r"(?:(?:my|mere|meri|mera)\s+(?:\w+\s+)?(?:orders?|purchases?|buys|shopping|history)|"
    r"(?:i|i've|i\s+have|i\s+had)\s+(?:\w+\s+)?(?:bought|ordered|purchased)\s+(?:before|earlier|in\s+the\s+past)|"
    r"(?:mere|meri|mera)\s+(?:\w+\s+)?(?:kharid|khareed)\w*|"  # what I bought, in Hindi
    r"(?:order|purchase|buying|shopping)\s+history|"
    r"(?:what|stuff|things)\s+(?:i|we)\s+(?:normally|usually|often|always|typically|regularly)?\s*"
    r"(?:order|buy|get|purchase))"
)
EXPLAIN = re.compile(
    rf"{_EXPLAIN.pattern}|\b{_WHY}\b.*\b{_FOR_ME}|\b{_FOR_ME}\b.*\b{_WHY}\b|\b{_HISTORY}\b", re.I
)
# A word that points at one of the shown products without a choice phrase ("wich 1 has cheese").
_ONE_OF = re.compile(
    r"\b(?:which|wich|witch|one|1|variant|version|kind|type|here|these|those|them|wala|wali|wale|"
    r"vala|vali)\b",
    re.I,
)
# The attribute a pick should have: "for kids", "with honey", "the herbal one".
_ATTRIBUTE = re.compile(
    r"\b(?:for|with|has|have|contains?|suitable\s+for|good\s+for|best\s+for|meant\s+for|"
    r"made\s+for|suited\s+to)\s+((?:(?!\band\b|\bor\b|\bbut\b)[a-z0-9'\-]+\s*){1,4})",
    re.IGNORECASE,
)
# "the herbal one", and in Hinglish "quinoa wala" (the quinoa one)
_ADJECTIVE_ONE = re.compile(
    r"\bthe\s+([a-z][a-z\-]+)\s+one\b|\b([a-z][a-z\-]+)\s+(?:wala|wali|wale|vala|vali|waala|waali)\b",
    re.I,
)
# Words of a choice question that are not an attribute a product could have.
_QUESTION_WORDS = (
    frozenset(
        """a an the this that these those it its one ones and or of for to with in on is are was be
    me my i you your us we our him her them they he she which what who why how would should
    could can do does did will get buy pick choose choosing take go order recommend recommended
    suggest suggested prefer rather think say tell please pls better best good great nice fine
    right ok okay cheaper cheapest cheap pricier priciest costlier expensive more most less least
    rated rating ratings review reviews quality popular value money budget affordable option
    options choice product products item items works work suit suits fits fit between among out
    from both two three four five honestly really personally overall just so then now here there
    use using stars star premium stock available buying have has got ve easy easiest easier
    wallet pocket friendly if had were only also too any some whichever s meant made suitable gimme
    suited want wants wanted need needs like likes looking wise whats whichevers ill ll score
    scores scoring scored tag price priced pay paying spend
    hai sabse konsa kaunsa konsi kaunsi kiski kiska kiske wala wali wale vala vali inme inmein
    mein se ka ki ke kya ye yeh acchi accha achha achhi smallest lowest highest zyada jyada kam
    whch wich shld shud point list lists this
    first second third fourth fifth last top bottom middle centre center between sandwiched below
    above under after before next suggestion suggestions numero uno topmost bottommost upar uppar
    neeche niche end
    yaar bhai bro dude lol haha plz thx thanks ji boss hmm ok okay sorry bother but out spot find
    scanning scan locate teeno tino dono inmese winner by de do lu lun loon bolo batao aage kaun
    kon kisko mera mere meri kuch woh wo phir count whos
    d guys anything something smthng smth sth isme ismein usme yahan idhar hain sa dikhao
    dikha dekh dekhke dekhkar uthau uthaun uthaoon uthana pasand kiya gaya gayi lagta lagega
    raha rahega hoga sakta chahiye stuff tops chart charts ratng rateing
    kindly selling sale mrp costing kismein kisme kharcha karna karni hoga economical no
    number rank ranked ranking position month chal rahi rate rupaye rupay pricey as name
    shoppers buyers customers people everyone identify itself want point no kidhr kidhar kidar
    dikh raha rahi bata naam kisi product shown listed ne rakha upar star drains pocket money
    student living husband checks reviews before anything scores wch m evening morning
    afternoon wins win wife husband confused hu naam sab ratd public nikla moved city tight gift
    office colleague karna lu lun new buys topper count bill chhota chota banega kifayati
    sku skus flag needful kindly revert pehchaan pehchan pehchano bolo batao btao dijiye
    dhoondhna dhoondho dhundo pakdo others rest remaining serial listed whatever straggler
    wedged flanked perched rear grahakon grahak kharidne walon favourite favorite pasand venum
    edukkanum ramro aa te checked ton vadiya vadhiya badhiya badiya changa chokho chokha bhalo bhala neek""".split()
    )
    | frozenset(w for group in INDIC_QUESTION for w in group)
    | HINGLISH_STOPWORDS
)
# Words that name the same kind of shopper in titles ("for kids" matches "Kids", "Children").
_SAME = ({"kid", "kids", "child", "children", "baby", "babies", "toddler", "junior", "newborn"},)


@dataclass
class Pick:
    """The chosen product and the fact that decided it."""

    card: Mapping[str, Any]
    basis: Basis
    attribute: list[str] = field(default_factory=list)  # the words asked for (match/unmatched)
    matched: list[str] = field(default_factory=list)  # the pick's own words that matched them


def is_choice(text: str) -> bool:
    """True when text asks to choose among shown products ("which one would you recommend?");
    an explanation of a suggestion ("why did you pick the Ariel one?") is not a choice."""
    return bool(CHOICE.search(text)) and not _EXPLAIN.search(text)


def sells_word(word: str, vocabulary: Set[str]) -> bool:
    """True when the catalog's words (its titles, brands and categories) have word, in the
    singular or plural; always True when the vocabulary is unknown (empty)."""
    if not vocabulary:
        return True
    return any(v in vocabulary for v in (word, _stem(word), word + "s", word + "es"))


def _chatter(word: str, vocabulary: Set[str]) -> bool:
    """A question word, a number ("of these 3") or a word the catalog never uses ("month end
    hai", "my daughter"): it cannot name something to look for."""
    return word in _QUESTION_WORDS or word.isdigit() or not sells_word(word, vocabulary)


def only_ordering(text: str, vocabulary: Set[str] = frozenset()) -> bool:
    """True when the words ask for an ordering and nothing else ("cheapest?", "top rated pls",
    "lowest price here?", "month end hai, sabse sasta batao" when the catalog has no "month"):
    with products on the screen, a choice among them."""
    rest = words(without_preferences(text))
    return bool(preferences(text)) and all(_chatter(w, vocabulary) for w in rest)


def asks_among(
    text: str, cards: Sequence[Mapping[str, Any]], vocabulary: Set[str] = frozenset()
) -> bool:
    """True when text asks to choose among the shown cards: a choice phrase, an ordering alone,
    or a word that some of their titles have and the others lack with a word that points at one
    of them ("got one with cheese in it?", "is there a cocoa variant here")."""
    if is_choice(text):
        return True
    if _EXPLAIN.search(text):
        return False
    return only_ordering(text, vocabulary) or bool(
        _ONE_OF.search(text) and telling_words(text, cards)
    )


def attribute_words(text: str, cards: Sequence[Mapping[str, Any]] = ()) -> list[str]:
    """The attribute a choice asks for: the words of a phrase that names one ("for dry skin"
    -> dry, skin; "the herbal one"), without question words and the cards' brands ("the Daawat
    one" names a product, not a quality); then any other word of the question that some shown
    titles have and others do not ("the green option" when one title says Green)."""
    brands = {w for c in cards for w in words(str(c.get("brand") or ""))}
    found: list[str] = []
    for m in list(_ATTRIBUTE.finditer(text)) + list(_ADJECTIVE_ONE.finditer(text)):
        for w in words(m.group(1) or m.group(2) or ""):
            if w not in _QUESTION_WORDS | brands and not w.isdigit() and w not in found:
                found.append(w)
    return found + [w for w in telling_words(text, cards) if w not in found]


def telling_words(text: str, cards: Sequence[Mapping[str, Any]]) -> list[str]:
    """Words of the question (its price and rating phrases aside) that the titles of some shown
    cards have and the others do not: they tell the cards apart."""
    titles = [{_stem(w) for w in words(str(c.get("title") or ""))} for c in cards]
    if len(titles) < 2:
        return []
    out: list[str] = []
    for w in words(without_preferences(text)):
        if w in _QUESTION_WORDS or w.isdigit() or len(w) < 3 or w in out:
            continue
        having = sum(_stem(w) in t for t in titles)
        if 0 < having < len(titles):
            out.append(w)
    return out


def refers_to_shown(text: str) -> bool:
    """True when the words point at the shown products ("which one", "of these", "the green
    option"), so the rest of the question is about them."""
    return bool(_POINTS_AT_SHOWN.search(text))


def _stem(word: str) -> str:
    for group in _SAME:
        if word in group:
            return min(group)
    if len(word) > 4 and word.endswith("es"):
        return word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _card_words(
    card: Mapping[str, Any], keys: Sequence[str] = ("title", "brand", "category")
) -> set[str]:
    text = " ".join(str(card.get(k) or "") for k in keys)
    return {_stem(w) for w in words(text)}


def foreign_words(
    text: str, cards: Sequence[Mapping[str, Any]], vocabulary: Set[str] = frozenset()
) -> list[str]:
    """Content words outside the attribute phrase and the price and rating phrases that no
    shown card has and the catalog does: a new request ("which is the best shampoo?" while
    noodles are shown), not a choice among them."""
    attr = set(attribute_words(text, cards))
    known = set().union(*(_card_words(c) for c in cards)) if cards else set()
    return [
        w
        for w in words(without_preferences(text))
        if not _chatter(w, vocabulary)
        and w not in attr
        and not w.isdigit()
        and _stem(w) not in known
    ]


def _by_rating(cards: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """Best rated (then more ratings, then cheaper); the cheapest when none is rated."""
    rated = [c for c in cards if c.get("rating") is not None]
    if not rated:
        return _cheapest(cards)
    return max(
        rated,
        key=lambda c: (
            float(c["rating"]),
            int(c.get("rating_count") or 0),
            -float(c["price"] if c.get("price") is not None else 1e12),
        ),
    )


def _cheapest(cards: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    priced = [c for c in cards if c.get("price") is not None]
    return min(priced, key=lambda c: float(c["price"])) if priced else cards[0]


def _priciest(cards: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    priced = [c for c in cards if c.get("price") is not None]
    return max(priced, key=lambda c: float(c["price"])) if priced else cards[0]


def criterion(text: str, cards: Sequence[Mapping[str, Any]] = ()) -> Basis:
    """The fact a choice question asks about (rating when it names none)."""
    wanted = preferences(text)
    if "low_price" in wanted:
        return "cheapest"
    if "high_price" in wanted:
        return "priciest"
    if attribute_words(text, cards):
        return "match"
    if "in_stock" in wanted:
        return "in_stock"
    if "rating" in wanted:
        return "best_rated"
    return "rating"


def pick(text: str, cards: Sequence[Mapping[str, Any]]) -> Pick | None:
    """The shown product the question chooses, and why (None without cards)."""
    if not cards:
        return None
    basis = criterion(text, cards)
    if basis == "cheapest":
        return Pick(_cheapest(cards), basis)
    if basis == "priciest":
        return Pick(_priciest(cards), basis)
    if basis == "in_stock":
        stocked = [c for c in cards if c.get("in_stock") is not False]
        return Pick(_by_rating(stocked or cards), basis if stocked else "rating")
    if basis == "match":
        attr = attribute_words(text, cards)
        wanted = {_stem(w) for w in attr}
        # a word in the title outweighs one in the brand or category ("the baby kind": Baby
        # Silicone Teethers over a teether whose brand is Pigeon Baby); the word as asked
        # breaks a tie of stems ("agarbatti": Agarbatti - Sandal over Puja Agarbattis)
        asked = set(attr)
        scored = [
            (
                3 * len(wanted & _card_words(c, ("title",)))
                + 1.5 * len(wanted & _card_words(c))
                + len(asked & set(words(str(c.get("title") or "")))),
                c,
            )
            for c in cards
        ]
        best = max(n for n, _ in scored)
        if best == 0:
            return Pick(_by_rating(cards), "unmatched", attr)
        card = _by_rating([c for n, c in scored if n == best])
        text = " ".join(str(card.get(k) or "") for k in ("title", "brand", "category"))
        own = list(dict.fromkeys(w for w in words(text) if _stem(w) in wanted))
        return Pick(card, "match", attr, own)
    return Pick(_by_rating(cards), basis)


def _why_rated(c: ProductCard, cards: Sequence[ProductCard], price: str) -> str:
    """Why a choice made on rating fell on c: the best rating, or the tie-break after it."""
    rated = [x for x in cards if x.get("rating") is not None]
    tied = [x for x in rated if x["rating"] == c.get("rating")]
    if c.get("rating") is None:
        return f"none of them is rated, and it is the cheapest, at {price}"
    if len(tied) == 1:
        best = rating_text(c)[len("rated ") :]
        return f"it has the best rating of the {len(cards)}, {best}, at {price}"
    rest = [x for x in tied if x is not c]
    more = all(c["rating_count"] > x["rating_count"] for x in rest)
    cheaper = all((c["price"] or 0) < (x["price"] or 0) for x in rest)
    tail = "with more ratings, at" if more else "and is cheaper, at" if cheaper else "and costs"
    return (
        f"it is {rating_text(c)} like {'the other' if len(tied) == 2 else 'others'}, {tail} {price}"
    )


def answer(question: str, cards: Sequence[ProductCard]) -> str:
    """The pick among cards (the shown products, fresh from the catalog), why, and the others;
    "" without cards. Every fact is copied from the cards."""
    chosen = pick(question, cards)
    if chosen is None:
        return ""
    c = cast(ProductCard, chosen.card)
    n, attr = len(cards), " ".join(chosen.attribute)
    name, price = f"{c['title']} [{c['product_id']}]", money(c["price"], c["currency"])
    why = _why_rated(c, cards, price)
    lead = {
        "cheapest": f"The {'cheaper' if n == 2 else 'cheapest'} one is {name}, at {price}.",
        "priciest": f"The {'pricier' if n == 2 else 'most expensive'} one is {name}, at {price}.",
        "match": f"For {attr}, {name} fits: its listing says {' '.join(chosen.matched)}. It "
        f"costs {price} and is {rating_text(c)}.",
        "unmatched": f"None of the {n} shown mentions {attr}. Of them I'd go for {name}: {why}.",
        "in_stock": f"{name} is in stock, at {price} ({rating_text(c)}).",
    }.get(chosen.basis, f"I'd go for {name}: {why}.")
    others = [x for x in cards if x["product_id"] != c["product_id"]]
    lines = [lead, "The other one:" if len(others) == 1 else "The others:"]
    return "\n".join(lines + [f"- {product_line(x)}" for x in others[: MAX_LISTED - 1]])


def side_by_side(cards: Sequence[ProductCard]) -> str:
    """Products compared: each one's line, then which is cheaper and which is better rated
    ("cheapest" / "best rated" among more than two)."""
    two = len(cards) == 2
    lines = ["Side by side:"] + [product_line(c, i) for i, c in enumerate(cards, 1)]
    priced = [c for c in cards if c.get("price") is not None]
    rated = [c for c in cards if c.get("rating") is not None]
    cheap = _cheapest(priced) if len(priced) >= 2 else None
    best = max(rated, key=lambda c: c["rating"] or 0.0) if len(rated) >= 2 else None
    wins_both = cheap is not None and best is not None and cheap["product_id"] == best["product_id"]
    if cheap is not None and wins_both and len(cards) == len(priced) == len(rated):
        # one wins both: the other(s) named too, so the verdict tells them apart
        others = " and ".join(
            f"{c['title']} [{c['product_id']}]"
            for c in cards
            if c["product_id"] != cheap["product_id"]
        )
        than = f"than {others}" if two else f"of the {len(cards)}"
        both = "both cheaper and better rated" if two else "both the cheapest and the best rated"
        lines.append(f"{cheap['title']} [{cheap['product_id']}] is {both} {than}.")
        return "\n".join(lines)
    if cheap is not None:
        most = "cheaper" if two else "cheapest"
        lines.append(f"The {most} one is {cheap['title']} [{cheap['product_id']}].")
    if best is not None:
        most = "better" if two else "best"
        # "rated one is", never "rated is 2 In 1 ...": a title may open with a number
        lines.append(f"The {most} rated one is {best['title']} [{best['product_id']}].")
    return "\n".join(lines)
