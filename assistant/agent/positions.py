"""Places in a list of shown products, named in words: "the second one", "#2", "the one after
the middle one", "the third from the end", "do number ka item", "neeche se pehla".

A place is an anchor (first / middle / last, or a number, in English and Hinglish) and, where
said, a move from it ("just below", "two spots after") or a count from the end. Places that
depend on the list's length (the middle, the last, the k-th from the end) are kept as negative
codes until `position_index` resolves them against the list shown. Pure functions over text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval import indic

ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8,
    "ninth": 9, "9th": 9, "tenth": 10, "10th": 10,
    "chautha": 4, "chauthi": 4,
    # "numero uno", "the topmost", "sabse upar wala" (the one on top), "neeche wala" (below)
    "uno": 1, "topmost": 1, "uppermost": 1, "opening": 1, "starting": 1, "initial": 1,
    "opener": 1, "foremost": 1, "leftmost": 1, "left-most": 1, "headliner": 1, "runner-up": 2, "leadoff": 1,
    # "first" to "third" in India's languages typed in Latin script ("prothom ta", "biju wala")
    **indic.ordinal_words(),
}  # fmt: skip
# Hindi "antim" (last) and "darmiyan" (middle), read with the other last and middle words
# and in Hindi after a list's noun ("nambar ek wala", "number do") or before it ("do number ka")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ek": 1, "do": 2,
                "teen": 3, "char": 4, "chaar": 4, "paanch": 5, **indic.NUMBERS}  # fmt: skip
# positions that depend on how many were listed
AFTER_MIDDLE, BEFORE_MIDDLE, BEFORE_LAST, MIDDLE, LAST = -5, -4, -3, -2, -1
FROM_END = -100  # FROM_END - k: the k-th from the end (k >= 3; `from_end`)
_BEFORE_LAST = re.compile(
    r"\b(?:second|2nd|next)[\s-]+(?:to[\s-]+|from-)?(?:the[\s-]+)?last\b|\bpenultimate\b|\bone\s+before\s+(?:the\s+)?last\b"
    r"|\blast[\s-]+but[\s-]+one\b",
    re.IGNORECASE,
)
_LIST_NOUNS = (
    r"number|numero|nambar|namber|nmbr|option|item|choice|product|numbered|entry|result|listing|suggestion|sku|"
    r"recommendation|pick|row|line|slot|position|spot|place"
)
# the list as the shopper names it: "your list", "ur reply", "the results", "this lot"
_THE_LIST = (
    r"(?:the|your|ur|this|that|my)\s+(?:list|lot|reply|answer|message|results|suggestions|"
    r"options|picks|lineup|line-up)"
)
# the rest of the list, against which a place is named ("above the rest", "flanked by the others")
_THE_REST = r"(?:all\s+)?(?:the\s+)?(?:rest|others|other\s+(?:two|2|ones|items|products))\b"
_ONE_WORD = r"(?:wala|wali|wale|vala|vali|waala|waali|item|product|one|option|pick|entry)"
_NUMBERS = indic.alternation(list(indic.NUMBERS))
_PLACE_STEMS = indic.stems(indic.FIRST_STEMS, indic.SECOND_STEMS, indic.THIRD_STEMS)
_ORDINAL_RE = re.compile(
    r"\b(" + "|".join(ORDINALS) + "|" + _PLACE_STEMS + r")\b"
    # a list's noun and a number: "option 2", "choice 1", "product three", "the one numbered 2"
    r"|(?<!rating\smein\s)(?<!rating\sme\s)(?<!ratings\smein\s)"
    rf"(?:\b(?:no\.?|{_LIST_NOUNS})\s?|#)(\d{{1,2}})\b(?!\s+(?:in|for|on)\s+(?:rating|ratings|reviews|price|quality))"
    rf"|\b(?:{_LIST_NOUNS})\s+(one|two|three|four|five|ek|do(?!\s+(?:i|you|u|we|they|it)\b)|teen|"
    rf"chaa?r|paanch|{_NUMBERS})\b"
    rf"|\b(ek|do|teen|chaa?r|paanch|{_NUMBERS})\s+(?:number|nambar|namber|numbar|no\.?)(?=\s|$)"
    # "the top one", "the one on top", "top of ur list" (not "top rated", "top 3", "top brands")
    r"|\b(top)\b(?!(?:\s+|-)(?:rat\w*|reviewed|notch|quality|picks?|choices?|sellers?|"
    r"(?:customer|buyer|user|shopper|people)s?['’]?\s+(?:rat\w*|reviews?|scores?|favou?rites?)|"
    r"brands?|of\s+(?!(?:the|ur|your|this|my|that)\s+(?:list|lot|page|screen|results))|up|two|"
    r"three|four|five|stars?|scor\w*|reviews?|\d))"
    r"|\b((?:sabse\s+)?upp?ar(?=\s+(?:wala|wali|wale|vala|vali)\b)|sabse\s+upp?ar|"
    rf"(?:heading|starter\s+of|start\s+of|opening)\s+{_THE_LIST}|(?:top|first)\s+line\s+of\s+{_THE_LIST}|at\s+the\s+head|leading\s+(?:off|the\s+(?:list|lot|pack))|"
    r"shuru(?:aat\w*|ati|aati)?(?=\s+(?:mein\s+|me\s+|ka\s+|ki\s+|wal[aie]\s+)?\w*)|"
    r"lead(?:-?off|\s+off)?\s+(?:item|product|one|option|entry|pick)|kicks?\s+(?:things|it|the\s+(?:list|lot))\s+off|"
    r"kicks?\s+off\s+the\s+(?:list|lot)|at\s+the\s+(?:very\s+)?(?:start|beginning)|"
    r"(?:you|u|we)\s+(?:opened|started|began|kicked\s+off)\s+with|"
    # a place named against the rest of the list: "perched above the rest", "behind the others"
    rf"(?:up\s+)?(?:above|ahead\s+of|atop|before)\s+{_THE_REST})\b"
    rf"|\b(middle|{indic.alternation(indic.MIDDLE)}|{indic.stems(indic.MIDDLE_STEMS)}|darmiy[aā]+n|sandwiched(?:\s+in\s+between)?|(?:wedged|squeezed|stuck|placed)\s+(?:in\s+)?"
    r"between\s+the\s+(?:other\s+)?(?:two|2)|between\s+the\s+other\s+(?:two|2)|in[\s-]+between\b(?!\s+\w+(?:\s+\w+)?\s+and\b)|"
    r"cent(?:re|er)|(?:the\s+)?filling\s+(?:in|of)\s+the\s+sandwich|"
    rf"(?:flanked|surrounded|hemmed\s+in)\s+(?:by|between)\s+{_THE_REST}|between\s+{_THE_REST}|"
    r"(?:flanked|hemmed\s+in|neighbou?rs?|neighbou?red|one)\s+on\s+(?:both|either|each)\s+(?:sides?|ends?)|"
    r"between\s+(?:the\s+)?(?:top|first)\s+(?:one\s+)?and\s+(?:the\s+)?(?:bottom|last)(?:\s+one)?)\b"
    rf"|\b(last|latter|former|final|closing|concluding|{indic.alternation(indic.LAST)}|{indic.stems(indic.LAST_STEMS)}|"
    r"lowest[\s-]+placed|bottom[\s-]+placed|last[\s-]+placed|rightmost|right-most|(?<!rock-)(?<!rock\s)bottom|bottommost|lowermost|"
    rf"(?<=at\sthe\s)end|end(?=\s+{_ONE_WORD}\b)|(?:clos|end|finish|wrapp)(?:ed|es|s)\s+(?:out\s+|up\s+)?"
    rf"{_THE_LIST}|list\s+(?:ko\s+)?khatam\s+kar\w*|khatam\s+karne\s+wal[aie]|(?<=the\s)end(?=\s+one\b)|tail(?:[\s-]+end)?|"
    rf"bringing\s+up\s+the\s+rear|tail[\s-]*ender|caboose|trailing\s+(?:the\s+)?(?:pack|list|lot|bunch|field|line)|trailing\s+{_THE_REST}|at\s+the\s+rear|very\s+end|(?:below|after|behind|beneath|under)\s+{_THE_REST}|"
    r"(?:sabse\s+)?n(?:ee|i)che(?=\s+(?:wala|wali|wale|vala|vali))|sabse\s+n(?:ee|i)che)\b(?!\s+(?:wal[aei]\s+)?(?:order|orders|purchase|package|parcel|delivery|"
    r"shipment|time|week|month|year|night|visit)|\s+(?:\w+\s+){0,2}(?:i|we)\s+(?:ordered|bought|"
    r"purchased|got))",  # "the last thing I ordered" is an order, not the last product shown
    re.IGNORECASE,
)
# a place counted from the end: "neeche se pehla" (first from below), "second from the bottom"
# counted from the top in Hinglish ("upar se doosra": the second from the top)
_FROM_TOP = re.compile(
    r"\bupp?ar\s+se\s+(pehla|pehli|dusra|dusri|doosra|doosri|teesra|teesri|tisra|tisri)\b"
    # "second from the top", "the 3rd one counting from the top"
    r"|\b(first|1st|second|2nd|third|3rd|fourth|4th)\s+(?:one\s+|item\s+|product\s+|option\s+)?"
    r"(?:counting\s+|counted\s+)?(?:down\s+)?from\s+(?:the\s+)?(?:top|start|beginning)\b",
    re.IGNORECASE,
)
_FROM_END = re.compile(
    r"\bn(?:ee|i)che\s+se\s+gin\w*\s+(?:toh?\s+)?(ek|do|teen|char|chaar)\s+(?:number|nambar)\b|"
    r"\b(?:n(?:ee|i)che|end|aakhir|last|peeche|piche)\s+se\s+(pehla|pehli|pahla|dusra|dusri|"
    r"doosra|doosri|teesra|teesri|tisra|tisri)\b|\b(first|1st|second|2nd|third|3rd|fourth|4th)\s+"
    r"(?:one\s+|item\s+|product\s+|option\s+)?(?:counting\s+|counted\s+)?(?:going\s+up\s+|up\s+)?"
    r"from\s+(?:the\s+)?"
    r"(?:bottom|end|last)\b|\b(third|3rd|fourth|4th)[\s-]+last\b|\b(one|two|three|four)\s+(?:places?|spots?|positions?|steps?)\s+"
    r"(?:up\s+)?from\s+(?:the\s+)?(?:bottom|end)\b|\blast[\s-]+but[\s-]+(two|three)\b",
    re.IGNORECASE,
)
# counting from below in India's languages, then a place within three words
_FROM_BELOW = re.compile(
    rf"\b{indic.alternation(indic.FROM_BELOW)}((?:\s+\w+){{1,3}})",
    re.IGNORECASE,
)


def _place_word(word: str) -> int:
    """The place (1-based) one word names: an ordinal, a number word or a stem; 0 if none."""
    w = word.lower()
    return ORDINALS.get(w) or NUMBER_WORDS.get(w) or indic.stem_place(w) or 0


# how far a relative place is from its anchor ("two spots below the top"): one when unsaid
_STEPS = re.compile(
    r"\b(one|two|three|four|\d)\s+(?:(?:spots?|places?|positions?|steps?|rows?|rungs?|notches?|slots?|"
    r"levels?|items?|down|up)\s*)?$",
    re.IGNORECASE,
)
# "the one right below the first", "the one that follows the first", "the one after the middle
# one", "the one above the last": a place named from another one (the anchor, read as above)
_RELATIVE = re.compile(
    r"\b(?:(?:right|just|directly|immediately)\s+)?(below|under|beneath|after|following|follows?|trailing|trails?|"
    r"follow-?ups?\s+to|"
    r"comes?\s+after|next\s+to|above|on\s+top\s+of|before|preceding|precedes?|comes?\s+before|ahead\s+of|shy\s+of|"
    r"down\s+from|up\s+from)"
    r"\s+(?:the\s+|ur\s+|your\s+)?(?=\S)",
    re.IGNORECASE,
)


# the Hindi order, the anchor first: "pehle ke theek neeche wala" (the one just below the first),
# "teesre se pehle wala" (the one before the third), "beech wale ke baad" (after the middle one)
_HINDI_RELATIVE = re.compile(
    r"\s*(?:wal[aei]\s+|waal[aei]\s+|item\s+|product\s+|number\s+|nambar\s+)?(?:ke|ki|se)\s+(?:theek\s+|thik\s+|bilkul\s+|just\s+|turant\s+|ek\s+)?"
    r"(neeche|niche|baad|upp?ar|pehle)\b",
    re.IGNORECASE,
)


# a place named after (or before) two numbered ones: "1 aur 2 ke baad wala", "the one after 1 and
# 2", "before #2 and #3"
_BESIDE_TWO = re.compile(
    r"\b(?:(after|following|before|preceding)\s+)?(?:#|no\.?\s*)?([1-9])\s*(?:aur|and|&|n|,)\s*"
    r"(?:#|no\.?\s*)?([1-9])(?:\s+(?:ke|ki|se)\s+(baad|pehle))?\b",
    re.I,
)


def _beside_two(text: str) -> list[tuple[int, int, int]]:
    """(start, end, place) of each place named after or before two numbered ones."""
    out = []
    for m in _BESIDE_TWO.finditer(text):
        word = (m.group(1) or m.group(4) or "").lower()
        if not word:
            continue
        a, b = int(m.group(2)), int(m.group(3))
        place = max(a, b) + 1 if word in ("after", "following", "baad") else min(a, b) - 1
        if place >= 1:
            out.append((m.start(), m.end(), place))
    return out


def from_end(k: int) -> int:
    """The position of the k-th product counted from the end of the list (1: the last)."""
    return LAST if k == 1 else BEFORE_LAST if k == 2 else FROM_END - k


def _moved(anchor: int, after: bool, steps: int = 1) -> int | None:
    """The place steps after (or before) an anchor place; None when there is none."""
    if anchor == LAST or anchor == BEFORE_LAST or anchor <= FROM_END:
        k = 1 if anchor == LAST else 2 if anchor == BEFORE_LAST else FROM_END - anchor
        return None if after else from_end(k + steps)
    if anchor == MIDDLE:
        if steps != 1:
            return None
        return AFTER_MIDDLE if after else BEFORE_MIDDLE
    if anchor < 0:
        return None
    at = anchor + (steps if after else -steps)
    return at if at >= 1 else None


def _plain_positions(text: str) -> list[tuple[int, int, int]]:
    """(start, end, position) of each place named without reference to another one."""
    found = [(m.start(), m.end(), BEFORE_LAST) for m in _BEFORE_LAST.finditer(text)]
    for m in _FROM_END.finditer(text):  # "neeche se pehla", "the third from the end"
        word = next((g for g in m.groups() if g), "").lower()
        at = _place_word(word)
        if m.group(5) and re.search(r"\bup\b", m.group(0), re.I):
            at += 1  # "two spots up from the end": the last, moved up two
        if m.group(6):
            at += 1  # "last but two": two before the last
        if at >= 1:
            found.append((m.start(), m.end(), from_end(at)))
    for m in _FROM_BELOW.finditer(text):  # "talaru gonile tini number ta" (Odia)
        for w in re.finditer(r"\w+", m.group(1)):
            at = _place_word(w.group(0))
            if at and not any(a <= m.start() < b for a, b, _ in found):
                found.append((m.start(), m.start(1) + w.end(), from_end(at)))
                break
    for m in _FROM_TOP.finditer(text):  # "upar se doosra", "second from the top"
        found.append((m.start(), m.end(), ORDINALS[(m.group(1) or m.group(2)).lower()]))
    blank = _blanked(text, found)
    for m in _ORDINAL_RE.finditer(blank):
        word, num, spelled, hindi, top, upar, middle, last = m.groups()
        if word:
            pos = _place_word(word)
        elif num or spelled or hindi:
            pos = int(num) if num else NUMBER_WORDS[(spelled or hindi).lower()]
        elif top or upar:
            pos = 1
        elif middle:
            pos = MIDDLE
        else:
            pos = 1 if last.lower() == "former" else LAST
        found.append((m.start(), m.end(), pos))
    return sorted(found)


def _blanked(text: str, spans: Iterable[tuple[int, int, int]]) -> str:
    for start, end, _ in spans:
        # a bar, not only spaces: words either side must not join up ("listing ... one")
        text = text[:start] + (" |" + " " * (end - start))[: end - start] + text[end:]
    return text


# "star rating mein top pe", "which scores top", "customers ne sabse upar rakha": a rank in the
# ratings, not a place in the list
_RANKED = re.compile(
    r"\b(?:ratings?|reviews?|stars?)\s+(?:mein|me|in|pe|par|on)\s+(?:top|no\.?\s*1|number\s+(?:1|one)|"
    r"sabse\s+upp?ar|first)\b|\b(?:scores?|scored|rated|ranks?|ranked|comes?\s+out)\s+(?:at\s+the\s+)?top\b"
    r"|\b(?:rated|rates|scores?|scored|ranks?|ranked|priced|costs?|reviewed)\s+(?:\w+\s+)?(?:above|over|ahead\s+of|below|under|behind)\s+(?:all\s+)?(?:the\s+)?(?:rest|others)\b"
    r"|\b(?<=(?:ke|ka|ki|ko)\s)(?:number|nambar)\s+do\s*[?.!]*$"
    r"|\b(?:pehli|pahli|first|top|number\s+one)\s+(?:pasand|choice|favou?rite)\b"  # a favourite  # "... ke number do": give the number
    r"|\bsabse\s+upp?ar\s+rakh\w*|\bsabse\s+upp?ar(?=.*\b(?:stars?|ratings?|reviews?)\s+ke\s+his[aā]+b)"
    # "reviews ke hisaab se top pe kaunsa", "rating ke hisaab se top wala": top by the rating
    r"|\b(?:stars?|ratings?|reviews?)\s+(?:ke|ki)\s+his[aā]+b\s+se\s+top\b"
    r"|\btop\b(?=\s+(?:\w+\s+)?(?:by|in|on|for)\s+(?:the\s+)?(?:ratings?|reviews?|stars?)\b)",
    re.IGNORECASE,
)


def ordinal_positions(text: str) -> list[int]:
    """1-based positions named by ordinals, in the order named ("second", "#2", "number two",
    "do number ka", "the top one", "the one right below the first", "the one after the middle
    one"); LAST for "last" / "bottom" / "end wala", MIDDLE for "the middle one", BEFORE_LAST for
    "the second to last" / "next-to-last", AFTER_MIDDLE / BEFORE_MIDDLE beside the middle."""
    text = _RANKED.sub(lambda m: " " * len(m.group(0)), text)
    relative: list[tuple[int, int, int]] = []
    for m in _RELATIVE.finditer(text):
        rest = _plain_positions(text[m.end() : m.end() + 40])
        if rest and rest[0][0] == 0:  # the anchor follows the place word at once
            steps = _STEPS.search(text[: m.start()])
            if not steps and m.group(1).lower().startswith(("up", "down")):
                continue  # "going up from the bottom" counts from the end; "one step up from" moves
            n = 1 if not steps else int(NUMBER_WORDS.get(steps.group(1).lower(), steps.group(1)))
            after = not m.group(1).lower().startswith(_BEFORE_WORDS)
            moved = _moved(rest[0][2], after, n)
            if moved is not None:
                begin = steps.start() if steps else m.start()
                relative.append((begin, m.end() + rest[0][1], moved))
    beside = _beside_two(text)  # "after 1 and 2" is one place, not "after 1" and "2"
    relative = [r for r in relative if not any(a < r[1] and r[0] < b for a, b, _ in beside)]
    relative += beside
    plain = _plain_positions(_blanked(text, relative))
    hindi_found = False
    for start, end, anchor in plain:
        hindi = _HINDI_RELATIVE.match(text, end)
        if hindi and not any(a < hindi.end() and start < b for a, b, _ in relative):
            moved = _moved(anchor, hindi.group(1).lower() in ("neeche", "niche", "baad"))
            if moved is not None:
                relative.append((start, hindi.end(), moved))
                hindi_found = True
    relative.sort()
    relative = [r for i, r in enumerate(relative) if not i or r[0] >= relative[i - 1][1]]
    if hindi_found:  # the anchors they took are places no more
        plain = _plain_positions(_blanked(text, relative))
    return [pos for _, _, pos in sorted(relative + plain)]


_BEFORE_WORDS = (
    "above",
    "on top",
    "before",
    "preced",
    "come before",
    "comes before",
    "ahead",
    "shy",
    "up",
)


def position_index(pos: int, count: int) -> int:
    """The 0-based index of an ordinal position in a list of count items (-1 when none)."""
    middle = count // 2 if count % 2 else -1  # no middle one among an even number
    if pos == LAST:
        return count - 1
    if pos == BEFORE_LAST:
        return count - 2 if count >= 2 else -1
    if pos == MIDDLE:
        return middle
    if pos in (AFTER_MIDDLE, BEFORE_MIDDLE):
        return -1 if middle < 0 else middle + (1 if pos == AFTER_MIDDLE else -1)
    if pos <= FROM_END:
        return count - (FROM_END - pos) if FROM_END - pos <= count else -1
    return pos - 1 if 0 < pos <= count else -1
