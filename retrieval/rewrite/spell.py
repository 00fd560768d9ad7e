"""Spelling correction of query words against the catalog's own vocabulary (symspellpy).

Safe by construction: a word is only ever corrected when nothing knows it (not the catalog, not
past searches, not everyday English) and one candidate clearly wins on frequency, edit distance
and the catalog's word pairs around it. Numbers, model numbers, units and brands never change.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_LETTERS = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class SpellConfig:
    """Knobs of the corrector; the defaults are the safe ones measured on Home Depot queries."""

    max_edit_distance: int = 2
    min_word_len: int = 4  # shorter words (ptz, gfi, otr) are too often acronyms
    min_target_count: int = 2  # a correction must land on a word the catalog uses this often
    min_confidence: float = 0.5  # with the typing-error model (error_weight) below
    english_min_count: int = 3_000_000  # everyday English words above this count are left alone
    past_query_min_count: int = 2  # a word searched this often is a word, not a typo
    join_min_count: int = 3  # "dish washer" -> "dishwasher" needs the joined word this often
    join_ratio: float = 10.0  # ... and this many times more often than the pair
    split_min_pair: int = 2  # "nailgun" -> "nail gun" needs the pair this often in titles
    context_weight: float = 1.0
    long_word_len: int = 6  # words this long may be two edits away from the right one
    typo_prior: float = 1.0  # bonus for the common slips: a left-out or swapped letter
    first_letter_penalty: float = 0.0  # people rarely get the first letter wrong
    # >0: score candidates by a typing-error model (cheap slips cost less than arbitrary
    # edits) weighted this much, instead of 2.5 x edit distance and the slip bonus above
    error_weight: float = 4.0
    # >0: the typed word itself competes as a real word the catalog lacks (a brand, a name),
    # scored as a candidate seen this often at no edit cost
    unseen_word_count: float = 0.0
    loose_split_min_count: int = 0  # >0: split into two words this common even if never paired

    def __post_init__(self) -> None:
        if not 1 <= self.max_edit_distance <= 3:
            raise ValueError(f"max_edit_distance must be 1..3, got {self.max_edit_distance}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {self.min_confidence}")
        if self.min_word_len < 2:
            raise ValueError(f"min_word_len must be >= 2, got {self.min_word_len}")


@dataclass(frozen=True)
class Correction:
    """One edit of the query's words: kind is spelling | split | join."""

    kind: str
    before: str
    after: str
    confidence: float


def letter_words(text: str) -> list[str]:
    """Lowercase letter-only words of a text (numbers and model numbers are not words here)."""
    return _LETTERS.findall(text.lower())


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """symspellpy's bundled English frequency list (shipped in the wheel, read once)."""
    import symspellpy

    path = Path(symspellpy.__file__).with_name("frequency_dictionary_en_82_765.txt")
    out: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            word, _, count = line.partition(" ")
            out[word] = int(count)
    return out


def _common_slip(typed: str, word: str) -> bool:
    """typed is word with a letter left out, or with two neighbouring letters swapped."""
    if len(typed) == len(word) - 1:
        it = iter(word)
        return all(ch in it for ch in typed)
    if len(typed) == len(word):
        diff = [i for i, (x, y) in enumerate(zip(typed, word, strict=True)) if x != y]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]]
    return False


_VOWELS = frozenset("aeiouy")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Keys next to each letter on a QWERTY keyboard (rows are staggered half a key)."""
    pos = {ch: (r, i) for r, row in enumerate(_ROWS) for i, ch in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for ch, (r, i) in pos.items():
        near = [(r, i - 1), (r, i + 1), (r - 1, i), (r - 1, i + 1), (r + 1, i - 1), (r + 1, i)]
        out[ch] = frozenset(
            _ROWS[rr][ii] for rr, ii in near if 0 <= rr < len(_ROWS) and 0 <= ii < len(_ROWS[rr])
        )
    return out


_NEAR = _keyboard_neighbours()


def typing_cost(typed: str, word: str) -> float:
    """Edit cost of typing `word` as `typed`, where the usual slips cost less than 1.

    Cheap: swapped neighbours, a doubled or undoubled letter, a vowel for a vowel (spelling by
    ear), a key next to the right one. Any edit of the first letter costs 0.5 more: people
    rarely get it wrong. Damerau (restricted) dynamic programme over the weighted operations.
    """
    n, m = len(typed), len(word)
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + _indel(typed, i - 1)
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + _indel(word, j - 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            a, b = typed[i - 1], word[j - 1]
            first = 0.5 if min(i, j) == 1 else 0.0
            best = min(
                d[i - 1][j] + _indel(typed, i - 1) + first,
                d[i][j - 1] + _indel(word, j - 1) + first,
                d[i - 1][j - 1] + (0.0 if a == b else _substitution(a, b) + first),
            )
            if i > 1 and j > 1 and a == word[j - 2] and typed[i - 2] == b and a != b:
                best = min(best, d[i - 2][j - 2] + 0.6 + first)
            d[i][j] = best
    return d[n][m]


def _indel(s: str, k: int) -> float:
    """Cost of a letter s[k] typed in excess or left out: cheap when it doubles a neighbour."""
    return 0.4 if (k > 0 and s[k - 1] == s[k]) or (k + 1 < len(s) and s[k + 1] == s[k]) else 1.0


def _substitution(a: str, b: str) -> float:
    if a in _VOWELS and b in _VOWELS:
        return 0.5
    return 0.6 if b in _NEAR.get(a, ()) else 1.0


class SpellCorrector:
    """Corrects unknown query words to catalog words; built once per catalog."""

    def __init__(
        self,
        texts: Iterable[str],
        protected: Iterable[str] = (),
        past_queries: Iterable[str] = (),
        config: SpellConfig | None = None,
    ) -> None:
        import Stemmer
        from symspellpy import SymSpell

        self.config = cfg = config or SpellConfig()
        self.counts: Counter[str] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        for text in texts:
            ws = letter_words(text)
            self.counts.update(ws)
            self.pairs.update(zip(ws, ws[1:], strict=False))
        past: Counter[str] = Counter()
        for q in past_queries:
            ws = letter_words(q)
            past.update(set(ws))
            self.pairs.update(zip(ws, ws[1:], strict=False))
        stem = Stemmer.Stemmer("english").stemWord
        self.protected = frozenset(w for p in protected for w in letter_words(p))
        self.known = (
            set(self.counts)
            | {w for w, c in past.items() if c >= cfg.past_query_min_count}
            | {w for w, c in english_counts().items() if c >= cfg.english_min_count}
            | set(self.protected)
        )
        self.stems = frozenset(stem(w) for w in self.counts)
        self._stem = stem
        self.symspell = SymSpell(
            max_dictionary_edit_distance=cfg.max_edit_distance, prefix_length=7
        )
        for w, c in self.counts.items():
            if c >= cfg.min_target_count and len(w) >= 3:
                self.symspell.create_dictionary_entry(w, c)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_stem", None)  # a C extension object; rebuilt on load
        return state

    def __setstate__(self, state: dict) -> None:
        import Stemmer

        self.__dict__.update(state)
        self._stem = Stemmer.Stemmer("english").stemWord

    def is_known(self, word: str) -> bool:
        """A word the catalog, past searches or everyday English use (directly or by its stem)."""
        return word in self.known or self._stem(word) in self.stems

    def _pair(self, a: str | None, b: str | None) -> int:
        return self.pairs.get((a, b), 0) if a and b else 0

    def suggest(
        self, word: str, prev: str | None, nxt: str | None, context: frozenset[str] = frozenset()
    ) -> tuple[str, float, str] | None:
        """Best (replacement, confidence, kind) for an unknown word in its context, or None.

        context: words of the shopper's earlier searches; a candidate among them gains weight.
        """
        from symspellpy import Verbosity

        cfg = self.config
        max_d = 1 if len(word) < cfg.long_word_len else cfg.max_edit_distance
        options: list[tuple[float, str, str, int]] = []  # (score, replacement, kind, distance)
        for s in self.symspell.lookup(word, Verbosity.ALL, max_edit_distance=max_d):
            ctx = self._pair(prev, s.term) + self._pair(s.term, nxt)
            score = math.log(s.count) + cfg.context_weight * math.log1p(3 * ctx)
            score += 2.0 * cfg.context_weight * (s.term in context)
            if cfg.error_weight > 0:
                score -= cfg.error_weight * typing_cost(word, s.term)
            else:
                score -= 2.5 * s.distance
                score += cfg.typo_prior * _common_slip(word, s.term)
                score -= cfg.first_letter_penalty * (s.term[:1] != word[:1])
            options.append((score, s.term, "spelling", s.distance))
        for i in range(3, len(word) - 2):
            a, b = word[:i], word[i:]
            together = self.pairs.get((a, b), 0)
            if together >= cfg.split_min_pair:
                ctx = self._pair(prev, a) + self._pair(b, nxt)
                score = math.log(together) + 1.0 + cfg.context_weight * math.log1p(3 * ctx)
                options.append((score, f"{a} {b}", "split", 1))
            elif (
                cfg.loose_split_min_count
                and min(self.counts.get(a, 0), self.counts.get(b, 0)) >= cfg.loose_split_min_count
            ):
                weaker = math.log(min(self.counts[a], self.counts[b])) - 2.5
                options.append((weaker, f"{a} {b}", "split", 2))
        if not options:
            return None
        if cfg.unseen_word_count > 0:
            options.append((math.log(cfg.unseen_word_count), word, "keep", 0))
        options.sort(reverse=True)
        best_score, best, kind, dist = options[0]
        if kind == "keep":
            return None
        # Share of the evidence the winner holds against its rivals, shrunk for long edits.
        total = sum(math.exp(s - best_score) for s, *_ in options)
        confidence = (1.0 / total) * (0.95 if dist <= 1 else 0.8)
        return best, round(confidence, 3), kind

    def _join(self, a: str, b: str) -> float:
        """Confidence that two adjacent words are one catalog word written apart, else 0."""
        cfg = self.config
        if min(len(a), len(b)) < 3:
            return 0.0  # "bar b q", "ch air": letters, not halves of a word
        joined = self.counts.get(a + b, 0)
        if joined < cfg.join_min_count or joined < cfg.join_ratio * (self.pairs.get((a, b), 0) + 1):
            return 0.0
        return round(min(0.95, 0.5 + 0.1 * math.log(joined)), 3)

    def correct_words(
        self, toks: list[str], editable: list[bool], context: frozenset[str] = frozenset()
    ) -> list[tuple[int, int, Correction]]:
        """Edits of lowercase word tokens as (first index, token count, correction), in order.

        Only tokens marked editable may change.
        """
        cfg = self.config
        edits: list[tuple[int, int, Correction]] = []
        prev: str | None = None
        i = 0
        while i < len(toks):
            w = toks[i]
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if editable[i] and nxt is not None and editable[i + 1]:
                conf = self._join(w, nxt)
                if conf >= cfg.min_confidence:
                    edits.append((i, 2, Correction("join", f"{w} {nxt}", w + nxt, conf)))
                    prev, i = w + nxt, i + 2
                    continue
            if (
                editable[i]
                and len(w) >= cfg.min_word_len
                and w not in self.protected
                and not self.is_known(w)
            ):
                found = self.suggest(w, prev, nxt, context)
                if found and found[1] >= cfg.min_confidence:
                    edits.append((i, 1, Correction(found[2], w, found[0], found[1])))
                    prev, i = found[0].split()[-1], i + 1
                    continue
            prev, i = w, i + 1
        return edits
