"""The policy passages and their search index: BM25 and MiniLM embeddings, fused.

The search is retrieval's: its BM25 index, the product index's embedder, reciprocal-rank fusion.
A PolicyIndex is built from passages; which files it covers, and keeping it, is services/policy.py's
(the app's state holds the current one).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from cachetools import LRUCache

from assistant.services.records import PassageView
from retrieval.embed import Embedder, EmbedderConfig
from retrieval.fusion import rrf
from retrieval.lexical import LexicalConfig, LexicalIndex

SEARCH_MODES = ("bm25", "dense", "hybrid")
QUERY_CACHE = 512  # query vectors kept per index
POLICY_BM25 = LexicalConfig(k1=1.5, b=0.75)  # bm25s's defaults: passages are paragraphs, not titles
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'\"])")


@dataclass(frozen=True)
class Passage:
    """One paragraph or list item of a policy document, under its heading path."""

    id: str  # "<doc>:<heading slug>:<n>", stable while the document's structure is
    doc: str
    heading: str  # the nearest heading
    path: tuple[str, ...]  # headings from the top
    text: str

    def as_dict(self, score: float | None = None, highlight: str = "") -> PassageView:
        """The passage as a tool result (with the sentence that best answers the question)."""
        out = PassageView(
            passage_id=self.id,
            doc=self.doc,
            heading=self.heading,
            section=" > ".join(self.path),
            text=self.text,
        )
        if score is not None:
            out["score"] = round(float(score), 4)
        if highlight:
            out["highlight"] = highlight
        return out


@dataclass(frozen=True)
class PolicySearchConfig:
    """How passages are ranked: bm25, dense or hybrid (reciprocal-rank fusion)."""

    mode: str = "hybrid"
    rrf_k: int = 10  # small: the corpus is tens of passages, so ranks beyond ~10 say little
    bm25_weight: float = 1.0
    dense_weight: float = 2.0  # paraphrased questions: embeddings rank better (see eval policy)
    # passages ranked by their best sentence's similarity: a paragraph's one sentence that
    # answers ("the price difference is paid ...") is diluted in the paragraph's vector
    sentence_weight: float = 1.0

    def __post_init__(self) -> None:
        if self.mode not in SEARCH_MODES:
            raise ValueError(
                f"unknown policy search mode {self.mode!r}; valid: {', '.join(SEARCH_MODES)}"
            )
        if self.rrf_k < 1:
            raise ValueError("rrf_k must be >= 1")


def slug(text: str) -> str:
    """Lower-case words joined by '-' (heading ids)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "top"


def split_passages(text: str, doc: str) -> list[Passage]:
    """Split markdown into passages: one per list item or paragraph, keyed by heading path."""
    passages: list[Passage] = []
    path: list[str] = []
    counts: dict[str, int] = {}
    buf: list[str] = []

    def flush() -> None:
        body = " ".join(s.strip() for s in buf).strip()
        buf.clear()
        if not body:
            return
        heading = path[-1] if path else doc
        key = slug(heading)
        counts[key] = counts.get(key, 0) + 1
        passages.append(Passage(f"{doc}:{key}:{counts[key]}", doc, heading, tuple(path), body))

    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            flush()
            level = len(m.group(1))
            del path[level - 1 :]
            path.extend([""] * (level - 1 - len(path)))
            path.append(m.group(2).strip())
            path[:] = [p for p in path if p]
        elif not line.strip():
            flush()
        elif _BULLET.match(line):
            flush()
            buf.append(_BULLET.sub("", line, count=1))
        else:
            buf.append(line)
    flush()
    return passages


def sentences_of(text: str) -> list[str]:
    """A passage's sentences ("e.g. shirt to shoe" does not end one: a capital must follow)."""
    return [t.strip() for t in _SENTENCE_END.split(" ".join(text.split())) if t.strip()]


def _passage_doc(p: Passage) -> str:
    # the heading carries the topic ("Cancel pending order") that the paragraph leaves implicit
    return f"{' > '.join(p.path[1:]) or p.heading}: {p.text}"


def _embedder_config(embedder: EmbedderConfig | str) -> EmbedderConfig:
    """The embedder to use: as given, or a model directory with the default runtime."""
    if isinstance(embedder, EmbedderConfig):
        return embedder
    if not embedder or not Path(embedder).is_dir():
        raise FileNotFoundError(f"embedding model directory not found: {embedder!r}")
    return EmbedderConfig(embedder)


class PolicyIndex:
    """BM25 and dense indexes over a list of passages (retrieval's lexical index and embedder)."""

    def __init__(
        self,
        passages: list[Passage],
        embedder: EmbedderConfig | str,
        config: PolicySearchConfig | None = None,
    ) -> None:
        if not passages:
            raise ValueError("no policy passages to index")
        self.passages = passages
        self.config = config or PolicySearchConfig()
        docs = [_passage_doc(p) for p in passages]
        self._lexical = LexicalIndex(POLICY_BM25).build(docs)
        self._embedder: Embedder | None = None
        self._vectors: np.ndarray | None = None  # (n_passages, dim), unit rows
        self._query_cache: LRUCache[str, np.ndarray] = LRUCache(maxsize=QUERY_CACHE)
        self._cache_lock = threading.Lock()
        # every passage's sentences, with the passage each is from (its heading gives the topic)
        self._sentences = [(i, t) for i, p in enumerate(passages) for t in sentences_of(p.text)]
        self._sentence_vectors: np.ndarray | None = None  # (n_sentences, dim), unit rows
        if self.config.mode != "bm25":
            self._embedder = Embedder(_embedder_config(embedder))
            self._vectors = self._embedder.embed(docs)
            heads = [passages[i].heading for i, _ in self._sentences]
            self._sentence_vectors = self._embedder.embed(
                [f"{h}: {t}" for h, (_, t) in zip(heads, self._sentences, strict=True)]
            )

    def _bm25_ranking(self, question: str) -> list[int]:
        scores = self._lexical.scores(question)  # (n_passages,)
        # only passages sharing a word with the question are ranked: a zero is no evidence
        return [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]

    def _query_vector(self, question: str) -> np.ndarray:
        # drafting asks the same section questions again and again; encoding is the slow part
        assert self._embedder is not None
        with self._cache_lock:
            q = self._query_cache.get(question)
        if q is None:
            q = self._embedder.embed_query(question)  # (dim,)
            with self._cache_lock:
                self._query_cache[question] = q
        return q

    def _dense_ranking(self, question: str) -> list[int]:
        assert self._vectors is not None
        q = self._query_vector(question)  # (dim,)
        sims = self._vectors @ q  # (n_passages,)
        return [int(i) for i in np.argsort(-sims)]

    def _sentence_scores(self, question: str) -> tuple[list[int], dict[int, str]]:
        """Passages ranked by their best sentence's similarity to question, and that sentence."""
        assert self._sentence_vectors is not None
        sims = self._sentence_vectors @ self._query_vector(question)  # (n_sentences,)
        best: dict[int, str] = {}
        ranking: list[int] = []
        for j in np.argsort(-sims):
            i, text = self._sentences[int(j)]
            if i not in best:
                best[i] = text
                ranking.append(i)
        return ranking, best

    def highlighted(self, question: str, k: int = 3) -> list[tuple[Passage, float, str]]:
        """The k best passages with their fused scores and the sentence of each that best
        answers question ("" without embeddings), best first."""
        ranked, highlights = self._ranked(question, k)
        return [(self.passages[i], s, highlights.get(i, "")) for i, s in ranked]

    def search(self, question: str, k: int = 3) -> list[tuple[Passage, float]]:
        """The k best passages for question with their fused scores, best first."""
        return [(self.passages[i], s) for i, s in self._ranked(question, k)[0]]

    def _ranked(self, question: str, k: int) -> tuple[list[tuple[int, float]], dict[int, str]]:
        """(passage index, fused score) best first, and each passage's best sentence."""
        question = (question or "").strip()
        if not question:
            raise ValueError("empty question")
        cfg = self.config
        rankings, weights = [], []
        if cfg.mode in ("bm25", "hybrid"):
            rankings.append(self._bm25_ranking(question))
            weights.append(cfg.bm25_weight)
        if cfg.mode in ("dense", "hybrid"):
            rankings.append(self._dense_ranking(question))
            weights.append(cfg.dense_weight)
        highlights: dict[int, str] = {}
        if self._sentence_vectors is not None:
            by_sentence, highlights = self._sentence_scores(question)
            if cfg.sentence_weight > 0:
                rankings.append(by_sentence)
                weights.append(cfg.sentence_weight)
        scores = rrf(rankings, weights, cfg.rrf_k)
        best = sorted(scores, key=lambda i: (-scores[i], i))[:k]
        return [(i, scores[i]) for i in best], highlights
