"""Value cleaning shared by every loader: text, prices, ratings, booleans, timestamps.

A Cleaner is reset per row and remembers which fixes it applied, so the report can count
cleaned rows by kind of fix.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from assistant.ingest.report import SkipRow

_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)")
_TRUE = {"1", "true", "yes", "y", "t", "in stock", "instock", "available"}
_FALSE = {"0", "false", "no", "n", "f", "out of stock", "outofstock", "unavailable", "sold out"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


class Cleaner:
    """Normalises one row's values and records the fixes it made."""

    def __init__(self) -> None:
        self.fixes: set[str] = set()

    def reset(self) -> None:
        """Start a new row."""
        self.fixes = set()

    def text(self, value: Any, *, multiline: bool = False) -> str:
        """Trimmed text with runs of whitespace collapsed ("" for missing)."""
        if _blank(value):
            return ""
        raw = str(value)
        if multiline:
            out = "\n".join(_SPACES.sub(" ", line).strip() for line in raw.strip().splitlines())
            out = re.sub(r"\n{3,}", "\n\n", out)
        else:
            out = _SPACES.sub(" ", raw).strip()
        if out != raw:
            self.fixes.add("whitespace trimmed")
        return out

    def required(self, value: Any, name: str) -> str:
        """Trimmed text that must not be empty (else the row is skipped)."""
        out = self.text(value)
        if not out:
            raise SkipRow(f"missing required field '{name}'")
        return out

    def price(self, value: Any, name: str = "price") -> float | None:
        """A price from a number or text such as '₹1,299.00', '$12', 'Rs. 45' (None if empty)."""
        if _blank(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        else:
            raw = str(value).strip()
            numbers = _NUMBER.findall(raw)
            if len(numbers) != 1:  # "10-12", "" or "abc" are not one price
                raise SkipRow(f"{name} {raw!r} is not a price")
            number = float(numbers[0].replace(",", ""))
            if numbers[0] != raw:
                self.fixes.add(f"{name} normalised")
        if number < 0 or math.isinf(number):
            raise SkipRow(f"{name} {value!r} is negative or infinite")
        return round(number, 2)

    def rating(self, value: Any) -> float | None:
        """A rating on the 0-5 scale: clipped into range, None when empty or unparsable."""
        if _blank(value) or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = (
                float(str(value).strip().split("/")[0]) if isinstance(value, str) else float(value)
            )
        except ValueError:
            self.fixes.add("unparsable rating dropped")
            return None
        if math.isnan(number):
            return None
        if not 0.0 <= number <= 5.0:
            self.fixes.add("rating clipped to 0-5")
            number = min(5.0, max(0.0, number))
        return number

    def integer(self, value: Any, default: int = 0) -> int:
        """A non-negative integer count (default when empty or unparsable)."""
        if _blank(value):
            return default
        try:
            return max(0, int(float(str(value).replace(",", ""))))
        except ValueError:
            self.fixes.add("unparsable count dropped")
            return default

    def boolean(self, value: Any, default: bool = True) -> bool:
        """True/False from booleans, numbers and words such as 'in stock' / 'no'."""
        if _blank(value):
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise SkipRow(f"{value!r} is not a yes/no value")

    def number(self, value: Any, name: str) -> float | None:
        """A float (None when empty); a value that is not a number skips the row."""
        if _blank(value):
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise SkipRow(f"{name} {value!r} is not a number") from None

    def category(self, value: Any) -> str:
        """A category path "A > B > C" from a list or text with '>' separators."""
        if _blank(value):
            return ""
        parts = (
            value if isinstance(value, list | tuple) else [p.strip() for p in str(value).split(">")]
        )
        return " > ".join(p for p in (self.text(x) for x in parts) if p)


def parse_timestamp(value: Any) -> datetime:
    """Naive-UTC datetime from unix seconds/milliseconds or ISO 8601 text; SkipRow otherwise."""
    if _blank(value):
        raise SkipRow("missing required field 'ts'")
    if isinstance(value, datetime):
        dt = value
    else:
        raw = str(value).strip()
        try:
            number = float(raw)
        except ValueError:
            try:
                dt = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise SkipRow(f"timestamp {raw!r} is neither unix time nor ISO 8601") from None
        else:
            if number > 1e11:  # milliseconds
                number /= 1000.0
            dt = datetime.fromtimestamp(number, UTC)
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt
