"""Deterministic structure extraction from a shopper's query: prices, rating, brand, size, colour.

One parser serves the search box rewriter and the chat agent (which checks the filters an LLM
produced against the text, and picks among shown products by the orderings the words ask for:
`preferences`). Everything here is pure: plain strings in, plain values out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, cast

from retrieval.indic import CHEAP, stems

# Colour words people filter by; multi-word ones first so "navy blue" wins over "blue".
COLOURS = (
    "navy blue", "sky blue", "royal blue", "light blue", "dark blue", "baby pink", "hot pink",
    "light pink", "dark green", "olive green", "lime green", "light grey", "dark grey",
    "light gray", "dark gray", "off white", "off-white", "rose gold", "wine red", "dark brown",
    "black", "white", "red", "blue", "green", "yellow", "orange", "purple", "pink", "brown",
    "grey", "gray", "beige", "navy", "maroon", "gold", "golden", "silver", "bronze", "teal",
    "turquoise", "violet", "cream", "ivory", "khaki", "charcoal", "copper", "magenta",
    "lavender", "peach", "mustard", "olive", "tan", "burgundy", "multicolour", "multicolor",
)  # fmt: skip

# Words that, right after a number, make it a measure rather than a price ("under 30 in.").
UNITS = frozenset(
    """in inch inches ft feet foot " ' mm cm m meter meters metre metres km yd yard yards
    lb lbs pound pounds oz ounce ounces kg g gm gms gram grams mg l ltr litre litres liter liters
    ml gal gallon gallons qt quart pt pint sq cu v volt volts w watt watts kw amp amps a ah mah
    hp btu psi gpm cfm rpm gauge ga awg pack packs pk pcs pc piece pieces count ct x by tab tabs
    capsule capsules sheet sheets roll rolls gb tb mb hz db lumen lumens k degree degrees
    year years yr month months day days hr hrs hour hours min mins minute minutes sec kb""".split()
)

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?k\b)?"
_CUR_PRE = r"(?:\$|₹|€|£|rs\.?|inr|usd|us\$)"
_CUR_POST = r"(?:\$|₹|€|£|rs\b\.?|inr\b|usd\b|dollars?\b|bucks\b|rupees?\b|euros?\b|/-)"
_AMOUNT = rf"(?P<pre{{n}}>{_CUR_PRE}\s?)?(?P<num{{n}}>{_NUM})(?:\s?(?P<post{{n}}>{_CUR_POST}))?"
_LEADIN = r"(?:(?:with\s+)?(?:a\s+)?(?:price[sd]?|costing|cost|budget)(?:\s+(?:of|is|range))?\s+)?"


def _amount(n: int) -> str:
    return _AMOUNT.replace("{n}", str(n))


_MAX_CUE = r"under|below|less\s+than|lesser\s+than|cheaper\s+than|within|up\s?to|upto|max(?:imum)?|at\s+most|no\s+more\s+than|not\s+more\s+than|not\s+over|<=?|≤"
_MIN_CUE = (
    r"over|above|more\s+than|greater\s+than|at\s+least|min(?:imum)?|starting\s+(?:at|from)|>=?|≥"
)
_RANGE_SEP = r"\s*(?:-|–|—|to|and|&)\s*"

_RATING = re.compile(
    r"(?:\b(?P<cue>at\s+least|min(?:imum)?|over|above|rated)\s+|>=?\s*)?"
    r"(?<![\d.,/*])(?P<val>[0-5](?:\.\d)?)\s*(?P<plus>\+|plus)?\s*(?:-\s*)?(?:stars?\b|star\s+rating|\*(?![\d.]))"
    r"(?:\s+(?:rated|rating))?(?:\s+(?P<up>(?:and|&|or)\s+(?:up|above|over|more|higher)))?"
    r"|\brated\s+(?P<val2>[0-5](?:\.\d)?)\s*(?:\+|(?:or|and)\s+(?:more|above|higher|up))"
    r"|\brating\s+(?:of\s+)?(?:(?:at\s+least|above|over|>=?)\s+)?(?P<val3>[0-5](?:\.\d)?)\s*\+?"
    r"|\b(?P<top>top|highly|best|well)[\s-]rated",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"{_LEADIN}(?:\b(?P<cue>between|from)\s*)?(?<![\w.,/-]){_amount(1)}{_RANGE_SEP}{_amount(2)}",
    re.IGNORECASE,
)
_MAX = re.compile(
    rf"{_LEADIN}(?P<cue>\b(?:{_MAX_CUE}))\s*{_amount(1)}|{_amount(2)}\s+(?:and|or|&)\s+(?:under|below|less|lower)",
    re.IGNORECASE,
)
_MIN = re.compile(
    rf"{_LEADIN}(?P<cue>\b(?:{_MIN_CUE}))\s*{_amount(1)}|{_amount(2)}\s*(?:\+|(?:and|or|&)\s+(?:above|over|more|up))",
    re.IGNORECASE,
)
_IN_STOCK = re.compile(r"\b(?:in[\s-]stock|available\s+now|ready\s+to\s+ship)\b", re.IGNORECASE)
_SIZE = re.compile(
    r"\b(?:size|sz)(?:\s*[:#]\s*|\s+)(?:(?:us|uk|eu)\s*)?"
    r"(?P<val>\d{1,2}(?:\.5)?|xxs|xs|s|m|l|xl|xxl|xxxl|[2-5]xl|small|medium|large|extra\s+large)\b",
    re.IGNORECASE,
)
# Orderings asked for in words, without a number ("the cheaper one", "premium", "best rated",
# "which is available?"): they choose among products rather than filter them.
_LOW_PRICE = re.compile(
    r"\b(?:cheap\w*|budget|af{1,2}ordabl\w*|inexpensive|economical|(?:less|least)\s+expensive|lower\s+price\w*|"
    r"lowest[\s-]+(?:selling\s+|sale\s+|retail\s+|market\s+)?price\w*|value\s+for\s+money|save\s+money|(?:low|lower|lowest|least)\s+(?:on|in)\s+(?:price|cost)|"
    r"pais[ae]\s+bach\w*|kif[a]+yat\w*|bill\s+(?:sabse\s+)?(?:chh?ota|kam)|(?:chh?ota|smallest|lowest)\s+bill|jeb\s+(?:pe|par|ke\s+liye|ko|mein|me)?\s*(?:sabse\s+)?halk\w*|"
    r"jeb\s+(?:pe|par|ko|mein|me)?\s*(?:sabse\s+)?kam\s+bhaa?ri|"
    r"halk\w*\s+(?:on\s+)?(?:the\s+|my\s+)?(?:jeb|pocket|wallet)|save\s+(?:me\s+|us\s+)?(?:the\s+)?(?:most|more)\s+money|"
    r"(?:easy|easiest|easier|light|lighter|lightest)\s+on\s+(?:the\s+|my\s+|your\s+)?"
    r"(?:wallet|pocket)|(?:pocket|wallet|budget|purse)[\s-]friendly|"
    # the price said first: "jiski qeemat sabse kam ho" (whose price is the lowest)
    r"(?:daam|dam|keemat|kimat|qeemat|price|rate)\s+(?:sabse\s+|sab\s+se\s+)?kam\b|"
    # a small amount of what is paid: "costs less", "spend as little as possible", "lowest cost"
    r"(?:costs?|spend\w*|pay\w*|priced)\s+(?:me\s+|us\s+|you\s+)?(?:as\s+|the\s+)?(?:little|less|least)|"
    r"(?:low|lower|lowest|less|least|smallest|minimum|fewest)[\s-]+(?:cost\w*|money|spend\w*|outlay|rupees|"
    r"price\s+tag)|smallest\s+price\w*|(?:less|least)\s+(?:i|we|you)\s+(?:can|could|would|will)?\s*"
    r"(?:pay|spend)|"
    # Hinglish: "sabse sasta" (the cheapest), "kam daam" (a low price)
    rf"sast[aei]\w*|{stems(CHEAP)}|kam\s+(?:daam|dam|price|keemat|kimat|qeemat|paise|paisa)|rock[\s-]*bottom|"
    r"kam\s+se\s+kam\s+(?:kharch\w*|paise|daam|price)|kharch\w*\s+kam|"
    r"sabse\s+kam\s+(?:ka|ki|ke|wala|wali|wale|mein|me|daam\w*)\b|minimum\s+kharch\w*|"
    r"kom\s+da+m\w*|"  # Bengali / Assamese: a low price
    r"(?:minimum|lowest|least|sabse\s+kam|kam)\s+(?:rate|rates|rupaye|rupay|rupees|rs)\b|(?:least|less)\s+pricey|"
    r"drains?\s+(?:\w+\s+){0,2}(?:the\s+)?least|"
    # not ruining the buyer: "won't break the bank", "without burning a hole in my pocket"
    r"(?:\w*n[’']?t|never|without)\s+(?:\w+\s+)?(?:break\w*|burn\w*)\s+(?:\w+\s+){0,4}?"
    r"(?:bank|wallet|pocket))\b"
    # the rupee sign as the price: "least ₹₹ plz", "min ₹"
    r"|\b(?:least|lowest|min\w*|kam|less|fewest)\s*₹",
    re.I,
)
_HIGH_PRICE = re.compile(
    r"\b(?:(?:most|more)\s+expensive|pricier|priciest|costlier|costliest|premium|high[\s-]end)\b",
    re.I,
)
_AVAILABLE = re.compile(r"\b(?:in\s+stock|available|can\s+i\s+get\s+now)\b", re.I)
# a rating word, with the superlative or verb phrase around it ("the strongest reviews",
# "rate the highest") so that those words are read as part of it
_WELL_RATED = re.compile(
    # the superlative after the rating word: "whose reviews stand tallest"
    r"\b(?:ratings?|reviews?|stars?|scores?)\s+(?:\w+\s+)?(?:\w+est|highest|best|top|most)\b|"
    r"\b(?:(?:\w+est|better|best|top|good|great|higher|well)[\s-]+)?"
    r"(?:rated|ratd|ratings?|ratng|reviews?|reviewed|popular|quality|stars?|starred)\b"
    r"|\btops?\s+(?:the|my|your)\s+charts?\b|\btop\s+of\s+the\s+charts?\b"
    r"|\b(?:sabse\s+)?(?:zyada|jyada|jada|adhik)\s+pasand\b"
    r"|\b(?:\w+est|best|top|better|higher)\s+(?:scor(?:e|es|ed|ing)|scorer)\b"
    r"|\b(?:fan|crowd|customer|shopper|public|people)s?(?:\s+k[aie]|'s)?[\s'-]*(?:favou?rites?|picks?)\b"
    r"|\bmost\s+(?:loved|liked)\b"
    r"|\brate[sd]?\s+(?:\w+\s+)?(?:the\s+)?(?:highest|best|most|top)\b"
    r"|\bscor(?:e|es|ed|ing)\s+(?:\w+\s+)?(?:the\s+)?(?:highest|best|most|top)\b"
    r"|\bsabse\s+upp?ar\s+rakh\w*"
    r"|\b(?:stars?|ratings?|reviews?)\s+(?:count\s+)?(?:mein|me|in)\s+topper\b"
    r"|\bfull\s+marks\b|\b(?:most|max|maximum|highest|zyada|jyada|sabse\s+zyada)\s+(?:marks|points)\b",
    re.I,
)
Preference = Literal["low_price", "high_price", "in_stock", "rating"]
_PREFERENCES: tuple[tuple[Preference, re.Pattern[str]], ...] = (
    ("low_price", _LOW_PRICE),
    ("high_price", _HIGH_PRICE),
    ("in_stock", _AVAILABLE),
    ("rating", _WELL_RATED),
)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_CONNECTORS = frozenset("and or with for in at of by from & , - the a an".split())


@dataclass(frozen=True)
class FilterMatch:
    """One filter read from the text: which key, its value, the phrase and how sure we are."""

    key: str
    value: object
    phrase: str
    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class Lexicon:
    """Catalog names the parser may recognise: brand and category phrases, as token tuples."""

    brands: dict[tuple[str, ...], str] = field(default_factory=dict)
    categories: dict[tuple[str, ...], str] = field(default_factory=dict)
    max_len: int = 1


@dataclass(frozen=True)
class ParsedQuery:
    """The text left once the filter phrases are taken out, the filters, and their evidence."""

    text: str
    filters: dict[str, object]
    matches: list[FilterMatch]


def fold(text: str) -> str:
    """Unicode-normalise and lowercase, so that catalog names and queries compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    """Lowercased word tokens (letters/digits, inner apostrophes kept) of text."""
    return [w.replace("’", "'") for w in _WORD.findall(fold(text))]


def build_lexicon(
    brands: Iterable[str] = (), categories: Iterable[str] = (), ambiguous: Iterable[str] = ()
) -> Lexicon:
    """Index brand names and category names (each level of "A > B > C") by their word tuples.

    Brands in `ambiguous` (folded names that are also ordinary words of the catalog) are left
    out: a colour, material or product noun must never become a brand filter.
    """
    skip = {fold(b).strip() for b in ambiguous}
    brand_map: dict[tuple[str, ...], str] = {}
    for name in brands:
        key = tuple(words(name))
        if key and fold(name).strip() not in skip and not all(w.isdigit() for w in key):
            brand_map.setdefault(key, name.strip())
    cat_map: dict[tuple[str, ...], str] = {}
    for path in categories:
        parts = [p.strip() for p in re.split(r"\s*>\s*", path) if p.strip()]
        for depth in range(len(parts)):
            key = tuple(w for w in words(parts[depth]) if w != "and")
            if key:
                cat_map.setdefault(key, " > ".join(parts[: depth + 1]))
    longest = max((len(k) for k in [*brand_map, *cat_map]), default=1)
    return Lexicon(brands=brand_map, categories=cat_map, max_len=longest)


@lru_cache(maxsize=8)
def _cached_lexicon(brands: tuple[str, ...], categories: tuple[str, ...]) -> Lexicon:
    return build_lexicon(brands, categories)


def _to_number(raw: str) -> float:
    raw = raw.replace(",", "").replace(" ", "").lower()
    return float(raw[:-1]) * 1000 if raw.endswith("k") else float(raw)


def _is_measure(text: str, end: int, m: re.Match, n: int) -> bool:
    """A number followed by a unit ("under 30 in.") or glued to letters is a measure, not money."""
    if m.group(f"pre{n}") or m.group(f"post{n}"):
        return False
    rest = text[end:]
    if rest and (rest[0].isalpha() or rest[0] in "\"'/"):
        return True
    if rest[:1] == ".":
        return bool(re.match(r"\.\d", rest))
    nxt = re.match(r"\s*([^\W\d_]+|[\"'])", rest)
    return nxt is not None and nxt.group(1).lower() in UNITS


def _has_money(m: re.Match, *ns: int) -> bool:
    return any(m.group(f"pre{n}") or m.group(f"post{n}") for n in ns)


class _Scanner:
    """Finds filter phrases left to right, blanking each span so later patterns cannot reuse it."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.work = text
        self.matches: list[FilterMatch] = []
        self.removed: list[tuple[str, int, int]] = []

    def take(self, key: str, value: object, start: int, end: int, conf: float) -> None:
        self.matches.append(
            FilterMatch(key, value, self.original[start:end].strip(), start, end, conf)
        )
        self.work = self.work[:start] + " " * (end - start) + self.work[end:]
        self.removed.append((key, start, end))

    def has(self, key: str) -> bool:
        return any(m.key == key for m in self.matches)


def _scan_rating(s: _Scanner) -> None:
    for m in _RATING.finditer(s.work):
        if m.group("top"):
            s.take("min_rating", 4.0, m.start(), m.end(), 0.6)
        else:
            val = float(m.group("val") or m.group("val2") or m.group("val3"))
            if 0 < val <= 5:
                s.take("min_rating", val, m.start(), m.end(), 0.9)
        return


def _scan_prices(s: _Scanner) -> None:
    for m in _RANGE.finditer(s.work):
        lo, hi = _to_number(m.group("num1")), _to_number(m.group("num2"))
        money, cue = _has_money(m, 1, 2), m.group("cue")
        sep_dash = re.search(r"\d\s*[-–—]\s*\D*\d", m.group(0)) is not None
        if not (lo < hi) or _is_measure(s.work, m.end(), m, 2) or m.group("post1") == "/-":
            continue
        round_pair = lo >= 10 and lo % 5 == 0 and hi % 5 == 0
        if not money and not cue and not (sep_dash and round_pair):
            continue  # "2 and 4", "542-960" (a model number) are no prices; a bare "100-200" is
        if re.match(r"[-\w]", s.work[m.end() : m.end() + 1]):
            continue
        if re.match(r"\s*[/.]\d", s.work[m.end() :]) or re.search(
            r"\d[/.]\s*$", s.work[: m.start()]
        ):
            continue  # part of a fraction or dimension ("1-1/2")
        conf = 0.95 if money else (0.85 if cue else 0.7)
        s.take("min_price", lo, m.start(), m.end(), conf)
        s.matches.append(FilterMatch("max_price", hi, m.group(0).strip(), m.start(), m.end(), conf))
        return
    for key, pattern in (("max_price", _MAX), ("min_price", _MIN)):
        if s.has(key):
            continue
        for m in pattern.finditer(s.work):
            n = 1 if m.group("num1") else 2
            if _is_measure(s.work, m.end(f"num{n}"), m, n) and not _has_money(m, n):
                continue
            if n == 2 and not _has_money(m, 2) and m.group(0).rstrip().endswith("+"):
                continue  # "4+" alone is not a price
            conf = 0.95 if _has_money(m, n) else 0.8
            s.take(key, _to_number(m.group(f"num{n}")), m.start(), m.end(), conf)
            break


def _find_phrase(s: _Scanner, table: dict[tuple[str, ...], str], max_len: int):
    """First (longest at its position) catalog phrase found as whole words: (start, end, value)."""
    spans = [
        (m.start(), m.end(), fold(m.group(0)).replace("’", "'")) for m in _WORD.finditer(s.work)
    ]
    toks = [t for _, _, t in spans]
    for i in range(len(toks)):
        for n in range(min(max_len, len(toks) - i), 0, -1):
            value = table.get(tuple(toks[i : i + n]))
            if value is not None:
                return spans[i][0], spans[i + n - 1][1], value
    return None


def _scan_brand(s: _Scanner, lexicon: Lexicon) -> None:
    found = _find_phrase(s, lexicon.brands, lexicon.max_len) if lexicon.brands else None
    if found:
        start, end, value = found
        lead = re.search(r"(?:\bby|\bfrom)\s+$", s.work[:start], re.IGNORECASE)
        s.take("brand", value, lead.start() if lead else start, end, 0.9)


def _scan_category(s: _Scanner, lexicon: Lexicon) -> None:
    """A category name counts only when it is the whole query or is cued ("in X", "X section")."""
    found = _find_phrase(s, lexicon.categories, lexicon.max_len) if lexicon.categories else None
    if not found:
        return
    start, end, value = found
    whole = not s.work[:start].strip() and not s.work[end:].strip()
    cued = re.search(
        r"\b(?:in|under|from)\s+(?:the\s+)?$", s.work[:start], re.IGNORECASE
    ) or re.match(r"\s+(?:category|section|department|aisle)\b", s.work[end:], re.IGNORECASE)
    if whole or cued:
        s.matches.append(FilterMatch("category", value, s.original[start:end], start, end, 0.7))


_COLOUR = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(c) for c in COLOURS) + r")(?![\w-])", re.IGNORECASE
)


def _scan_colour(s: _Scanner) -> FilterMatch | None:
    m = _COLOUR.search(s.work)
    if not m:
        return None
    colour = m.group(1).lower()
    return FilterMatch("colour", colour.replace("-", " "), m.group(1), m.start(), m.end(), 0.8)


def _tidy(text: str) -> str:
    """Collapse spaces and drop connector words stranded at the edges by the removals."""
    toks = text.split()
    while toks and toks[-1].lower() in _CONNECTORS:
        toks.pop()
    while toks and toks[0].lower() in _CONNECTORS:
        toks.pop(0)
    return " ".join(toks)


def parse_query(
    text: str,
    lexicon: Lexicon | None = None,
    keep_colours: bool = True,
    keep_keys: Iterable[str] = (),
) -> ParsedQuery:
    """Read the filters a query states and return the text without their phrases.

    Colour words stay in the text by default (a colour is also a good search term); a category
    name is reported but kept in the text for the same reason. Phrases of filters in keep_keys
    stay in the text too (a catalog without prices cannot filter by "under $20").
    """
    lexicon = lexicon or Lexicon()
    s = _Scanner(text)
    _scan_rating(s)
    _scan_prices(s)
    m = _IN_STOCK.search(s.work)
    if m:
        s.take("in_stock", True, m.start(), m.end(), 0.9)
    m = _SIZE.search(s.work)
    if m:
        s.take("size", m.group("val").lower(), m.start(), m.end(), 0.9)
    _scan_brand(s, lexicon)
    _scan_category(s, lexicon)
    colour = _scan_colour(s)
    if colour and keep_colours:
        s.matches.append(colour)
    elif colour:
        s.take(colour.key, colour.value, colour.start, colour.end, colour.confidence)
    filters = {m.key: m.value for m in s.matches}
    # price values are the floats _scan_prices takes; FilterMatch.value is typed for every key
    lo = cast(float, filters.get("min_price", 0))
    if lo > cast(float, filters.get("max_price", float("inf"))):
        filters["min_price"], filters["max_price"] = filters["max_price"], filters["min_price"]
    keep = set(keep_keys)
    out = text
    for key, start, end in s.removed:
        if key not in keep:
            out = out[:start] + " " * (end - start) + out[end:]
    rest = _tidy(out) if out != text else " ".join(text.split())
    return ParsedQuery(text=rest, filters=filters, matches=s.matches)


def extract_filters(
    text: str,
    brands: Iterable[str] = (),
    categories: Iterable[str] = (),
    *,
    lexicon: Lexicon | None = None,
    keep_colours: bool = True,
) -> tuple[str, dict[str, object]]:
    """(text without the filter phrases, filters) for a query; brands only from `brands`."""
    if lexicon is None:
        lexicon = _cached_lexicon(tuple(brands), tuple(categories))
    parsed = parse_query(text, lexicon, keep_colours=keep_colours)
    return parsed.text, parsed.filters


def preferences(text: str) -> list[Preference]:
    """The orderings the words ask for, in this order: a low price ("cheaper", "budget", "easy
    on the wallet"), a high one ("premium", "priciest"), stock ("available"), a good rating
    ("reviews", "popular"). A bound with a number ("under 300", "4+ stars") is a filter, read
    by parse_query; these name no number."""
    return [name for name, pattern in _PREFERENCES if pattern.search(text)]


# What the shopper says does not matter ("dont care abt brand", "any size is fine", "flavour
# doesn't matter", "regardless of the brand"): no word of it is asked for.
_INDIFFERENT = re.compile(
    r"\b(?:(?:do\s*n[o']?t|dont|don't|doesn'?t|does\s+not|never|not\s+that|not\s+too)\s+"
    r"(?:really\s+)?(?:care|mind|bother|fuss)\s+(?:much\s+)?(?:about|abt|for|bout|re|on)?\s*"
    r"(?:the\s+|which\s+)?[a-z]+(?:\s+(?:or|n|and|&)\s+[a-z]+)?"
    r"|(?:the\s+)?[a-z]+(?:\s+(?:or|n|and|&)\s+[a-z]+)?\s+(?:does\s*n[o']?t|doesnt|don'?t|does\s+not|do\s+not)\s+matter"
    r"|(?:no\s+matter|regardless\s+of|irrespective\s+of)\s+(?:the\s+|what\s+|which\s+)?[a-z]+"
    r"|any\s+[a-z]+\s+(?:is|will)\s+(?:fine|ok|okay|do|good))\b",
    re.I,
)


def without_indifference(text: str) -> str:
    """text without what the shopper says does not matter ("cheapest, dont care abt brand" ->
    "cheapest,")."""
    return " ".join(_INDIFFERENT.sub(" ", text).split())


def without_preferences(text: str) -> str:
    """text with the phrases `preferences` reads taken out ("which won't break the bank?" ->
    "which ?"), and what the shopper says does not matter: what is left says whether more than
    an ordering is asked for."""
    text = without_indifference(text)
    for _name, pattern in _PREFERENCES:
        text = pattern.sub(" ", text)
    return " ".join(text.split())
