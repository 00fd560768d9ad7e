"""Expansions of a query from the catalog itself: the other spelling of compound words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from retrieval.rewrite_spell import letter_words


@dataclass(frozen=True)
class ExpandConfig:
    """Limits on expansions."""

    max_terms: int = 5
    min_count: int = 3

    def __post_init__(self) -> None:
        if self.max_terms < 0 or self.min_count < 1:
            raise ValueError("max_terms must be >= 0 and min_count >= 1")


class Expander:
    """Related terms for query words, learnt from catalog titles."""

    def __init__(self, variants: dict[str, list[str]], config: ExpandConfig) -> None:
        self.variants, self.config = variants, config

    @classmethod
    def from_texts(cls, texts: Iterable[str], config: ExpandConfig | None = None) -> Expander:
        """Learn compound variants ("dishwasher" <-> "dish washer") from texts."""
        config = config or ExpandConfig()
        counts: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for t in texts:
            ws = letter_words(t)
            counts.update(ws)
            pairs.update(zip(ws, ws[1:], strict=False))
        variants: dict[str, list[str]] = {}
        for (a, b), n in pairs.items():
            if n >= config.min_count and counts.get(a + b, 0) >= config.min_count:
                variants.setdefault(a + b, []).append(f"{a} {b}")
                variants.setdefault(f"{a} {b}", []).append(a + b)
        return cls(variants, config)

    def expand(self, toks: list[str]) -> list[str]:
        """Expansion phrases for the query's word tokens (never the words themselves)."""
        out: list[str] = []
        grams = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
        for g in grams:
            for v in self.variants.get(g, ()):
                if v not in out and v not in grams:
                    out.append(v)
        return out[: self.config.max_terms]
