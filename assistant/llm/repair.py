"""Checks of tool arguments against the request and the catalog (deterministic, no model).

The fine-tuned model proposes; these rules veto what the shopper cannot have asked for: a
brand that is not a catalog brand named in the message, a price with no number in the message,
"under 500" read as a minimum. Used both to restrict constrained decoding and to fix a call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from finetune.format import ids_in_text

_NUM = r"(\d+(?:[.,]\d+)?)\s*(k\b)?"
_CUR = r"(?:₹|rs\.?|inr|rupees?)?\s*"
_MAX = re.compile(
    r"(?:under|below|less than|cheaper than|within|max(?:imum)?(?: budget)?|up ?to|upto|"
    r"not more than|no more than|at most|budget(?: of)?|costing under|that cost below)\s*"
    + _CUR
    + _NUM,
    re.I,
)
_MAX_AFTER = re.compile(
    _CUR + _NUM + r"\s*(?:rs|rupees|inr)?\s*(?:or less|and below|or under|max)", re.I
)
_MIN = re.compile(
    r"(?:above|over|more than|at least|starting (?:from|at)|min(?:imum)?|not less than|"
    r"priced above|costing over|costing more than|from)\s*"
    + _CUR
    + _NUM
    + r"(?!\s*(?:-|–|to)\s*\d)",
    re.I,
)
_MIN_AFTER = re.compile(
    _CUR + _NUM + r"\s*(?:rs|rupees|inr)?\s*(?:and above|or more|upwards|plus)", re.I
)
_RANGE = re.compile(
    _CUR + r"(\d+(?:\.\d+)?)\s*(?:rs|rupees)?\s*(?:-|–|to|and)\s*" + _CUR + r"(\d+(?:\.\d+)?)", re.I
)
_RATING = re.compile(
    r"(?:(\d(?:\.\d)?)\s*\+?\s*(?:stars?|star rating|\+ rating|rating)|"
    r"(?:rated|rating(?: of)?|rating above|rating over|minimum rating)\s*(?:at least|above|over)?\s*"
    r"(\d(?:\.\d)?))",
    re.I,
)
# an id: digits with letters / '#' (bb12, #W1234567, ORD-12345) or 4+ digits alone (123456)
_ID_LIKE = re.compile(r"#?(?=[\w\-#]*\d)(?=[\w\-#]*[A-Za-z#]|\d{4,}$)[\w\-#]+")
_PRICE_TOKEN = re.compile(
    r"(?:₹|rs\.?)?\d+(?:\.\d+)?(?:k|rs|/-|\+|-\d+)?|\d+(?:\.\d+)?-\d+(?:\.\d+)?", re.I
)


def _value(num: str, k: str | None) -> float:
    v = float(num.replace(",", ""))
    return v * 1000 if k else v


@dataclass
class Hints:
    """What the request and the store allow: numbers and ids the shopper gave, known names."""

    user_text: str = ""
    context_text: str = ""
    brands: list[str] | None = None
    categories: list[str] | None = None
    ids: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)

    @classmethod
    def from_conversation(
        cls,
        user_text: str,
        context_text: str,
        brands: list[str] | None = None,
        categories: list[str] | None = None,
    ) -> Hints:
        """Hints from the last user message and the whole conversation text."""
        ids = ids_in_text(context_text)
        numbers: list[str] = []
        for raw in user_text.split():
            tok = raw.strip(".,?!:;()[]\"'")
            if _ID_LIKE.fullmatch(tok) and not _PRICE_TOKEN.fullmatch(tok):
                if tok not in ids:
                    ids.append(tok)
                continue
            if re.fullmatch(r"\d{5,}", tok) and tok not in ids:  # a bare order number
                ids.append(tok)
            for m in re.finditer(r"\d+(?:\.\d+)?", tok):
                if m.group(0) not in numbers:
                    numbers.append(m.group(0))
        return cls(user_text, context_text, brands, categories, ids, numbers)

    def brand_in_text(self) -> str | None:
        """The longest catalog brand named in the user's message, in catalog spelling."""
        low = f" {self.user_text.lower()} "
        hits = [
            b
            for b in self.brands or []
            if len(b) > 1 and re.search(rf"(?<![a-z0-9]){re.escape(b.lower())}(?![a-z0-9])", low)
        ]
        return max(hits, key=len) if hits else None

    def category_in_text(self) -> str | None:
        """The longest catalog category named in the user's message."""
        low = self.user_text.lower()
        hits = [c for c in self.categories or [] if c and c.lower() in low]
        return max(hits, key=len) if hits else None


def price_bounds(text: str) -> tuple[float | None, float | None]:
    """(min_price, max_price) stated in a message, by the usual phrasings; None when absent."""
    clean = re.sub(r"(\d)\s*(?:stars?|\+\s*stars?)", r"\1 STARS", text)
    clean = _RATING.sub(" ", clean)
    m = re.search(
        r"between\s*"
        + _CUR
        + r"(\d+(?:\.\d+)?)\s*(?:rs|rupees)?\s*(?:and|-|–|to)\s*"
        + _CUR
        + r"(\d+(?:\.\d+)?)",
        clean,
        re.I,
    ) or _RANGE.search(clean)
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        if a < b:
            return a, b
    lo = _MIN.search(clean) or _MIN_AFTER.search(clean)
    hi = _MAX.search(clean) or _MAX_AFTER.search(clean)
    return (_value(*lo.groups()) if lo else None, _value(*hi.groups()) if hi else None)


def rating_bound(text: str) -> float | None:
    """Minimum rating stated in a message ("4+ stars", "rated at least 4"), or None."""
    m = _RATING.search(text)
    if not m:
        return None
    v = float(m.group(1) or m.group(2))
    return v if 0 <= v <= 5 else None


def allowed_argument(tool: str, arg: str, hints: Hints) -> bool:
    """Whether the message can justify this argument at all (used to constrain decoding)."""
    text = hints.user_text.lower()
    if arg in ("min_price", "max_price", "min_rating", "k"):
        return bool(hints.numbers)
    if arg == "brand" and hints.brands is not None:
        return hints.brand_in_text() is not None
    if arg == "category" and hints.categories is not None:
        return hints.category_in_text() is not None
    if arg == "in_stock":
        return "stock" in text or "available" in text
    if arg == "status" and tool == "list_my_orders":
        return any(w in text for w in ("pending", "process", "deliver", "cancel"))
    return True


def repair_arguments(tool: str, args: dict[str, Any], hints: Hints) -> dict[str, Any]:
    """Arguments with unjustified values dropped and stated bounds taken from the message."""
    out = dict(args)
    if tool != "search_products":
        return out
    for arg in list(out):
        if not allowed_argument(tool, arg, hints):
            del out[arg]
    if "brand" in out and hints.brands is not None:
        out["brand"] = hints.brand_in_text() or out.pop("brand")
    lo, hi = price_bounds(hints.user_text)
    text = hints.user_text.lower()
    if lo is None and hi is None and not re.search(r"₹|\brs\b|rupee|inr|price|budget|cost", text):
        out.pop("min_price", None)  # a bare number ("10 kombucha") is not a price
        out.pop("max_price", None)
    if rating_bound(hints.user_text) is None and not re.search(r"star|rat(ed|ing)", text):
        out.pop("min_rating", None)
    if lo is not None or hi is not None:
        out.pop("min_price", None)
        out.pop("max_price", None)
        if lo is not None:
            out["min_price"] = lo
        if hi is not None:
            out["max_price"] = hi
    rating = rating_bound(hints.user_text)
    if rating is not None:
        out["min_rating"] = rating
    for key in ("min_price", "max_price", "min_rating"):
        if isinstance(out.get(key), float) and out[key].is_integer():
            out[key] = int(out[key])
    if isinstance(out.get("query"), str):
        out["query"] = clean_query(out["query"], out)
    return out


def clean_query(query: str, args: dict[str, Any]) -> str:
    """The query without what its filters already say (the brand, the price numbers)."""
    q = query
    if args.get("brand"):
        q = re.sub(
            rf"(?<![a-z0-9]){re.escape(str(args['brand']).lower())}(?![a-z0-9])", " ", q, flags=re.I
        )
    for key in ("min_price", "max_price"):
        if args.get(key) is not None:
            num = f"{args[key]:g}" if isinstance(args[key], float) else str(args[key])
            q = re.sub(
                rf"(?:₹|rs\.?\s*)?(?<![\d.]){re.escape(num)}(?![\d.])\s*(?:rs|rupees)?",
                " ",
                q,
                flags=re.I,
            )
    q = " ".join(q.split()).strip(" -,")
    return q or query
