"""Numbers glued to units or dimensions ("18v", "1/2in", "2x4"), written the catalog's way.

Only a token the catalog never uses is touched, so "40w" stays when titles say "40W"; the
number itself never changes, only how its unit is written ("18v" -> "18 volt" when titles
say "18-Volt").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Canonical unit -> the ways people write it right after a number.
UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "inch": ("in", "in.", "inch", "inches", '"'),
    "foot": ("ft", "ft.", "foot", "feet", "'"),
    "gallon": ("gal", "gal.", "gallon", "gallons"),
    "pound": ("lb", "lb.", "lbs", "lbs.", "pound", "pounds"),
    "ounce": ("oz", "oz.", "ounce", "ounces"),
    "volt": ("v", "volt", "volts"),
    "watt": ("w", "watt", "watts"),
    "amp": ("a", "amp", "amps"),
    "millimetre": ("mm",),
    "centimetre": ("cm",),
    "kilogram": ("kg", "kgs"),
    "gram": ("g", "gm", "gms", "gram", "grams"),
    "litre": ("l", "ltr", "litre", "liter", "litres", "liters"),
    "millilitre": ("ml",),
}
_SURFACE = {alias.rstrip("."): unit for unit, aliases in UNIT_ALIASES.items() for alias in aliases}
_NUMBER = r"\d+(?:\.\d+)?|\d+/\d+|\d+-\d+/\d+"
_GLUED = re.compile(rf"^(?P<num>{_NUMBER})(?P<unit>[a-z]+)\.?$")
_DIMS = re.compile(rf"^(?:{_NUMBER})(?:x(?:{_NUMBER}))+$")
# Index-style tokens: what the search engine would see as one term.
_TOKEN = re.compile(r"[a-z0-9]+(?:[./'][a-z0-9]+)*")
_AFTER_NUMBER = re.compile(r"\d\s*-?\s*([a-z]+\.?|[\"'])", re.IGNORECASE)


class UnitNormalizer:
    """Learns the catalog's tokens and how it writes each unit; splits unknown glued tokens."""

    def __init__(
        self, tokens: Counter[str], unit_forms: dict[str, str], split_dims: bool = False
    ) -> None:
        self.tokens, self.unit_forms, self.split_dims = tokens, unit_forms, split_dims

    @classmethod
    def from_texts(cls, texts: Iterable[str], split_dims: bool = False) -> UnitNormalizer:
        """Count tokens and the most common written form of each unit after a number."""
        tokens: Counter[str] = Counter()
        forms: dict[str, Counter[str]] = {}
        for text in texts:
            low = text.lower()
            tokens.update(_TOKEN.findall(low))
            for m in _AFTER_NUMBER.finditer(low):
                unit = _SURFACE.get(m.group(1).rstrip("."))
                if unit and m.group(1) not in ('"', "'"):
                    forms.setdefault(unit, Counter())[m.group(1)] += 1
        unit_forms = {
            u: c.most_common(1)[0][0] for u, c in forms.items() if c.most_common(1)[0][1] >= 3
        }
        return cls(tokens, unit_forms, split_dims)

    def rewrite_text(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """text with its unknown glued tokens rewritten, and the (before, after) pairs."""
        out, pos, changes = [], 0, []
        for m in _TOKEN.finditer(text.lower()):
            tok = m.group(0)
            if not any(ch.isdigit() for ch in tok) or not any(ch.isalpha() for ch in tok):
                continue
            new = self.normalize(tok)
            if new:
                out += [text[pos : m.start()], new]
                pos = m.end()
                changes.append((text[m.start() : m.end()], new))
        out.append(text[pos:])
        return "".join(out), changes

    def dimension_terms(self, text: str) -> list[str]:
        """Unknown glued dimensions of text written apart ("2x4" -> "2 x 4") for a soft search.

        The catalog writes "2 in. x 4 in.", so a glued "2x4" matches nothing; its parts alone
        match too much to replace it (measured), so they are searched at a lower weight.
        """
        return [
            " x ".join(tok.split("x"))
            for tok in _TOKEN.findall(text.lower())
            if _DIMS.match(tok) and self.tokens.get(tok, 0) == 0
        ]

    def normalize(self, token: str) -> str | None:
        """The catalog's way of writing an unknown glued token, or None to leave it as typed."""
        low = token.lower()
        if self.tokens.get(low, 0) > 0:
            return None
        if _DIMS.match(low):
            if not self.split_dims:
                return None  # measured on Home Depot: "19x48" -> "19 x 48" loses more than it wins
            return " x ".join(low.split("x"))
        m = _GLUED.match(low)
        if m:
            form = self.unit_forms.get(_SURFACE.get(m.group("unit"), ""))
            if form:
                return f"{m.group('num')} {form}"
        return None
