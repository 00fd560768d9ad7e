"""BM25 over product texts with bm25s: stemmed, stopword-free tokens; full score vectors."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


@dataclass(frozen=True)
class LexicalConfig:
    """BM25 parameters and tokenisation choices."""

    # tuned on Home Depot dev judgments (k1 0.7-1.2, b 0.3-0.75: nDCG@10 0.413-0.418)
    k1: float = 0.9
    b: float = 0.4
    method: str = "lucene"  # one of bm25s's methods: robertson, atire, bm25l, bm25+, lucene
    stem: bool = True
    stopwords: bool = True

    def __post_init__(self) -> None:
        if self.k1 <= 0 or not 0 <= self.b <= 1:
            raise ValueError(f"bm25 needs k1 > 0 and 0 <= b <= 1, got k1={self.k1} b={self.b}")
        valid = ("robertson", "atire", "bm25l", "bm25+", "lucene")
        if self.method not in valid:
            raise ValueError(f"unknown bm25 method {self.method!r}; valid: {', '.join(valid)}")


# Hindi function words as shoppers type them in Latin letters ("tattoo ka intezaam hai kya":
# is there a tattoo service?): like "of", "is", "what", they name nothing, and a title that has
# one ("Potli Ka Masala") must not look relevant for it
HINGLISH_STOPWORDS = frozenset(
    """ka ki ke hai hain kya bhi se mein mei ko aur ya wala wali wale bhai yahan idhar kuch koi
    hota hoti karte karo kar ho tha thi nahi na ji aap aapke apke aapka mera meri mere mujhe liye
    toh pe par tak sab sabse zara jo woh ye yeh isme usme hum humko kaunsa konsa""".split()
)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | HINGLISH_STOPWORDS


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


class Tokenizer:
    """Lower-case word tokens (keeping 1/2, 3.5, o'clock together), stopwords out, stemmed."""

    def __init__(self, stem: bool = True, stopwords: bool = True) -> None:
        self._stop = _stopwords() if stopwords else frozenset()
        self._stem_cache: dict[str, str] = {}
        self._stem = stem

    def words(self, text: str) -> list[str]:
        """Unstemmed tokens of text (what a user would recognise as matched terms)."""
        text = text.lower().replace("/", " / ").replace("-", " ")
        return [t for t in _TOKEN.findall(text.replace(" / ", "/")) if t not in self._stop]

    def stem(self, word: str) -> str:
        """Stem of one word (memoised; product vocabularies repeat a lot)."""
        if not self._stem:
            return word
        out = self._stem_cache.get(word)
        if out is None:
            out = self._stem_cache[word] = _stemmer().stemWord(word)
        return out

    def __call__(self, text: str) -> list[str]:
        """Index tokens of text."""
        return [self.stem(w) for w in self.words(text)]


class LexicalIndex:
    """BM25 scores of a query against every indexed text (row i = texts[i])."""

    def __init__(self, config: LexicalConfig | None = None) -> None:
        self.config = config or LexicalConfig()
        self.tokenizer = Tokenizer(self.config.stem, self.config.stopwords)
        self._bm25 = None
        self.n_docs = 0

    def build(self, texts: list[str], show_progress: bool = False) -> LexicalIndex:
        """Index texts (replaces any previous content)."""
        import bm25s

        tokens = [self.tokenizer(t) or [""] for t in texts]
        bm25 = bm25s.BM25(k1=self.config.k1, b=self.config.b, method=self.config.method)
        bm25.index(tokens, show_progress=show_progress)
        self._bm25, self.n_docs = bm25, len(texts)
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every row for query, shape (n_docs,), float32; zeros when no term matches."""
        assert self._bm25 is not None, "index not built"
        ids = self._bm25.get_tokens_ids(self.tokenizer(query))
        if not ids:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(ids), dtype=np.float32)

    def matched_terms(self, query: str, text: str) -> list[str]:
        """Query words whose stem occurs in text (the lexical reason for a hit)."""
        doc = set(self.tokenizer(text))
        out: list[str] = []
        for w in self.tokenizer.words(query):
            if self.tokenizer.stem(w) in doc and w not in out:
                out.append(w)
        return out

    def save(self, path: str | Path) -> None:
        """Write the index under directory path."""
        assert self._bm25 is not None, "index not built"
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self._bm25.save(str(path / "bm25"))
        (path / "lexical.json").write_text(
            json.dumps({"config": asdict(self.config), "n": self.n_docs})
        )

    @classmethod
    def load(cls, path: str | Path) -> LexicalIndex:
        """Read an index written by save."""
        import bm25s

        path = Path(path)
        meta = json.loads((path / "lexical.json").read_text())
        index = cls(LexicalConfig(**meta["config"]))
        index._bm25 = bm25s.BM25.load(str(path / "bm25"))
        index.n_docs = int(meta["n"])
        return index
