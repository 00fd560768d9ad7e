"""The rules plan for cart requests: "add the second one", "two of the Amul bars", "make it 3",
"remove the shampoo", "what's in my cart?".

The request's cart phrasing and quantity are read here; which shown product it means is
resolved by assistant/agent/memory.py (ordinals, names, "it" = the last product the cart changed).
"""

from __future__ import annotations

import re

from assistant.agent.grounding import words
from assistant.agent.memory import ShownProducts, cart_references, names_several
from assistant.jsontypes import JsonObject
from assistant.tools.contract import CART_WRITES

Call = tuple[str, JsonObject]

_CART = r"(?:my|the|your|our)\s+(?:shopping\s+)?(?:cart|basket|trolley|bag)"
MENTIONS_CART = re.compile(r"\b(cart|basket|trolley)\b|" + _CART, re.I)
_VIEW = re.compile(
    rf"\b(?:what'?s|what\s+is|whats|anything)\s+(?:in|on)\s+{_CART}|"
    rf"\b(?:show|view|see|open|check|display|review|list)\b.{{0,20}}\b{_CART}|"
    rf"^\W*{_CART}\W*$|^\W*(?:cart|basket)\W*$|\b{_CART}\s+(?:total|contents|summary)|"
    rf"\bhow\s+much\s+is\s+{_CART}|\bcart\s+total\b|\bwhat\s+did\s+i\s+add\b",
    re.I,
)
_REMOVE = re.compile(
    r"\b(?:remove|delete|drop|discard|get\s+rid\s+of|take\s+(?:\w+\s+){0,4}?out|"
    r"(?:don'?t|do\s+not|no\s+longer)\s+(?:want|need))\b",
    re.I,
)
_SET = re.compile(
    r"\b(?:make\s+(?:it|that|this|them|those)|change|update|set|instead|bump|increase|"
    r"decrease|reduce|raise|lower|"
    r"(?:only|just)\s+(?:want|need)|quantity|qty)\b",
    re.I,
)
_INTO_CART = re.compile(rf"\b(?:in|into|to)\s+{_CART}", re.I)  # "pop the orange one in my cart"
_ADD = re.compile(  # "the item you put before the other two" is the list, not the cart
    r"\b(?:add|(?<!you\s)(?<!\bu\s)(?<!you've\s)(?<!\bya\s)put|throw|toss|pop|i'?ll\s+(?:take|have|get)|i\s+will\s+(?:take|have|get)|grab|"
    r"another|one\s+more)\b",
    re.I,
)
# Words of cart phrasing, taken out before the rest is read as a product reference.
_PHRASING = re.compile(
    rf"\b(?:to|in|into|from|on|out\s+of)\s+{_CART}|{_CART}|\b(?:cart|basket|trolley)\b|"
    r"\b(?:add|put|throw|toss|pop|grab|bump|increase|decrease|reduce|raise|lower|remove|delete|drop|discard|get\s+rid\s+of|take|out|have|"
    r"i'?ll|i\s+will|make|change|update|set|instead|only|just|want|need|don'?t|do\s+not|"
    r"no\s+longer|quantity|qty|of|also|too|as\s+well|actually|please|pls|more|another|in|into|"
    r"to|anymore|now|then|okay|ok|oh|so|wait|hmm|sorry|but|and|yes|yeah|great|thanks|cool|"
    r"nice|perfect|i|i'd|like|would|plus)\b",
    re.I,
)
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "couple": 2, "pair": 2,
}  # fmt: skip
_QUANTITY = re.compile(
    r"(?<![#\w.])(?:x\s?|×\s?)?(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")(?:\s?(?:x|×)(?!\w))?\b",
    re.I,
)
_NOT_COUNT_BEFORE = re.compile(r"(?:#|\bno\.?|\bnumber|\boption|\bitem|\bproduct|\bid)\s*$", re.I)
_UNIT_AFTER = re.compile(
    r"^\s*(?:g|gm|gms|grams?|kg|kgs|ml|l|ltr|litres?|liters?|mg|cm|mm|inch(?:es)?|oz|lbs?|%|"
    r"stars?|rupees?|rs|inr|₹)\b",
    re.I,
)
_ONE_AS_COUNT = re.compile(r"(?:just|only|to|it|them|with|make\s+it)\s*$", re.I)


def stated_quantity(text: str, shown: ShownProducts) -> int | None:
    """The number of items the text asks for ("two of", "x3", "make it 4", "another"), not the
    numbers of a title ("500 g", "25 bags" when a shown title says so) or of a position ("#2")."""
    titles = " ".join(" ".join(words(c.get("title", ""))) for c in shown.all)
    for m in _QUANTITY.finditer(text):
        token = m.group(1).lower()
        before, after = text[: m.start()], text[m.end() :]
        if _NOT_COUNT_BEFORE.search(before) or _UNIT_AFTER.match(after):
            continue
        following = words(after)[:1]
        if following and f"{token} {following[0]}" in titles:
            continue  # a number the product's own title has ("Tea 25 Bags")
        if token == "one":
            if re.match(r"\s*(?:of|more)\b", after, re.I) or _ONE_AS_COUNT.search(before):
                return 1
            continue  # "the second one", "that one": a pronoun
        if token in ("dozen", "couple", "pair") and not re.search(r"\ba\s*$", before, re.I):
            continue
        value = int(token) if token.isdigit() else NUMBER_WORDS[token]
        if token == "dozen" and re.search(r"\bhalf\s+a\s*$", before, re.I):
            value = 6
        if 0 <= value <= 99:
            return value
    if re.search(r"\b(?:another|one\s+more)\b", text, re.I):
        return 1
    return None


def _reference_text(text: str) -> str:
    """The request without its cart phrasing and counts: what is left names the product."""
    rest = _PHRASING.sub(" ", text)

    def count(m: re.Match[str]) -> str:
        position = _NOT_COUNT_BEFORE.search(rest[: m.start()])  # "number 2" is a position
        return m.group(0) if position or m.group(1).lower() == "one" else " "

    return " ".join(_QUANTITY.sub(count, rest).split())


# "two of the first", "3 of those", "add one of them": a count of a product to put in the cart
# ("the middle one of the three" is a place, "one" its pronoun)
_COUNTS = "|".join(w for w in NUMBER_WORDS if w != "one")
_SOME_OF = re.compile(
    r"^\s*(?:\d{1,2}|" + "|".join(NUMBER_WORDS) + r")\s+of\b|"
    r"\b(?:\d{1,2}|" + _COUNTS + r")\s+of\s+(?:the|those|these|them|it|this|that)\b|"
    r"\b(?:add|buy|get|take|want|need|order|give\s+me|put|grab)\s+(?:me\s+)?one\s+of\b",
    re.I,
)
_AGAIN = re.compile(r"\b(?:it|that|this|them|those|another|one\s+more)\b", re.I)


_MORE = re.compile(r"^\W*(?:and|also|plus)\b|\b(?:too|as\s+well|also)\W*$", re.I)


def _asks_to_add(text: str, shown: ShownProducts) -> bool:
    """An add verb, or "and ... too" right after an add."""
    return bool(_ADD.search(text) or (shown.last_call == "add_to_cart" and _MORE.search(text)))


def _referred(rest: str, text: str, shown: ShownProducts, in_cart_first: bool) -> list[str]:
    """The products a cart request is about (rest: the request without its cart phrasing);
    "it" / "another" with no product named: what the last cart change was about."""
    refs = cart_references(rest, shown, in_cart_first=in_cart_first) if rest else []
    return refs or (list(shown.cart_focus) if _AGAIN.search(text) else [])


def is_cart_request(text: str, shown: ShownProducts) -> bool:
    """True when the text asks something of the cart: names it, adds, removes, "two of the ...",
    "and the third one too" right after an add, or changes a quantity once the cart has
    something in it."""
    if MENTIONS_CART.search(text) or _REMOVE.search(text) or _asks_to_add(text, shown):
        return True
    if _SOME_OF.search(text):
        return True
    return bool(_SET.search(text) and (shown.cart_focus or shown.in_cart))


def cart_calls(text: str, shown: ShownProducts) -> list[Call] | None:
    """The cart calls that answer text; None when it is not a cart request the rules can read
    (or names several products where one is meant: the model, or a question, must settle it)."""
    if not is_cart_request(text, shown):
        return None
    removing, setting = _REMOVE.search(text), _SET.search(text)
    adding = _asks_to_add(text, shown)
    if _VIEW.search(text) and not (removing or adding):
        return [("view_cart", {})]
    adding = adding or bool(_INTO_CART.search(text))
    rest = _reference_text(text)
    quantity = stated_quantity(text, shown)
    changing = bool(removing or (setting and quantity is not None))
    refs = _referred(rest, text, shown, in_cart_first=changing)
    if len(refs) > 1 and not names_several(rest):
        return None
    if removing or quantity == 0:
        return [("remove_from_cart", {"product_id": r}) for r in refs] or _unresolved(text)
    if setting and quantity is not None and not adding:
        if refs:
            return [("update_cart_item", {"product_id": r, "quantity": quantity}) for r in refs]
        return _unresolved(text)
    if refs:
        extra = {"quantity": quantity} if quantity and quantity > 1 else {}
        return [("add_to_cart", {"product_id": r, **extra}) for r in refs[:5]]
    if adding and rest and not MENTIONS_CART.fullmatch(rest):
        return [("search_products", {"query": rest[:200]})]  # "add rice": find it first
    return _unresolved(text)


def quantity_change_asked(args: JsonObject, text: str, shown: ShownProducts) -> bool:
    """True when text states the quantity the call sets ("make it 3", "actually just 1") and
    does not ask to add ("one more"; "and the second one too" after an add: no count at all)."""
    if stated_quantity(text, shown) != args.get("quantity"):
        return False
    return not _asks_to_add(text, shown) or bool(_SET.search(text))


def complete_cart_calls(calls: list[Call], text: str, shown: ShownProducts) -> list[Call]:
    """A planned cart write completed from the shopper's words: a quantity of 0 is a removal; a
    write on one of several products the text names ("both", "the 2nd and 3rd") is made for each
    (a model turn plans one call where the shopper asked for two); and a write on one product is
    about the one the words point at ("it", "another one", "the Amul bar"), as for the rules."""
    calls = [
        ("remove_from_cart", {"product_id": args["product_id"]})
        if name == "update_cart_item" and args.get("quantity") == 0 and "product_id" in args
        else (name, args)
        for name, args in calls
    ]
    names = {name for name, _ in calls}
    if len(names) != 1 or not names <= set(CART_WRITES):
        return calls
    name, template = calls[0]
    rest = _reference_text(text)
    refs = _referred(rest, text, shown, in_cart_first=name != "add_to_cart")
    planned = {str(args.get("product_id")) for _, args in calls}
    if names_several(rest) and len(refs) > 1 and planned <= set(refs):
        other = {k: v for k, v in template.items() if k != "product_id"}
        return [(name, {"product_id": r, **other}) for r in refs[:5]]
    if len(calls) == 1 and len(refs) == 1:
        return [(name, {**template, "product_id": refs[0]})]
    return calls


def _unresolved(text: str) -> list[Call] | None:
    """A cart request naming nothing the rules can find: show the cart when it names the cart,
    else let the model (or the search fallback) read it."""
    return [("view_cart", {})] if MENTIONS_CART.search(text) else None
