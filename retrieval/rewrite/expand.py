"""Expansions of a query from the catalog itself: related terms and the other form of compounds.

Related terms are words that share titles with a query word far more often than by chance
(PMI weighted by how often), e.g. "mower" -> "riding", "lawn". With an embedding function, words the
embedder places close together ("fridge" -> "refrigerator") are added as synonyms. Expansions
are suggestions: the rewritten query itself never contains them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from retrieval.rewrite.spell import letter_words

if TYPE_CHECKING:
    from scipy import sparse

EmbedFn = Callable[[list[str]], np.ndarray]  # texts -> (n, d) L2-normalised vectors


@dataclass(frozen=True)
class ExpandConfig:
    """Limits on expansions."""

    max_terms: int = 5
    min_count: int = 3  # words rarer than this in the catalog neither expand nor are expansions
    min_similarity: float = 0.05  # share of the catalog's strongest association
    min_synonym_similarity: float = 0.7  # cosine of embeddings (with an embedding function)
    neighbours: int = 8
    max_vocab: int = 30_000

    def __post_init__(self) -> None:
        if self.max_terms < 0 or self.min_count < 1 or self.neighbours < 1:
            raise ValueError("max_terms must be >= 0, min_count >= 1 and neighbours >= 1")
        if not 0 < self.min_similarity <= 1 or not 0 < self.min_synonym_similarity <= 1:
            raise ValueError("similarity thresholds must be in (0, 1]")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def _top_neighbours(
    x: np.ndarray | sparse.spmatrix, vocab: list[str], k: int, min_sim: float, chunk: int = 2000
) -> dict[str, list[tuple[str, float]]]:
    """Top-k cosine neighbours of every row of x (rows L2-normalised; dense or scipy sparse)."""
    out: dict[str, list[tuple[str, float]]] = {}
    xt = x.T.tocsr() if hasattr(x, "tocsr") else x.T
    for start in range(0, len(vocab), chunk):
        block = x[start : start + chunk] @ xt  # (chunk, V)
        sims = block.toarray() if hasattr(block, "toarray") else np.asarray(block)
        for r in range(sims.shape[0]):
            sims[r, start + r] = 0.0
            kk = min(k, sims.shape[1] - 1)
            if kk <= 0:
                continue
            top = np.argpartition(-sims[r], kk)[:kk]
            top = top[np.argsort(-sims[r][top])]
            found = [(vocab[j], round(float(sims[r, j]), 3)) for j in top if sims[r, j] >= min_sim]
            if found:
                out[vocab[start + r]] = found
    return out


def related_terms(
    texts: list[list[str]], config: ExpandConfig
) -> dict[str, list[tuple[str, float]]]:
    """word -> [(related word, score)]: words that share titles with it far more than by chance.

    score = PMI x log(1 + co-occurrences), so that a strong association seen once loses to one
    seen many times; pairs seen fewer than min_count times are ignored.
    """
    import scipy.sparse as sp

    docs = [set(ws) for ws in texts]
    df = Counter(w for d in docs for w in d)
    vocab = [w for w, c in df.most_common(config.max_vocab) if c >= config.min_count]
    if len(vocab) < 2:
        return {}
    index = {w: i for i, w in enumerate(vocab)}
    rows, cols = [], []
    for i, d in enumerate(docs):
        for w in d:
            j = index.get(w)
            if j is not None:
                rows.append(i)
                cols.append(j)
    dt = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(docs), len(vocab))
    )  # (docs, V) binary
    co = (dt.T @ dt).tocoo()  # (V, V) co-occurrence counts
    n = np.asarray(dt.sum(axis=0)).ravel()  # (V,) document frequency
    keep = (co.row != co.col) & (co.data >= config.min_count)
    r, c, cnt = co.row[keep], co.col[keep], co.data[keep]
    pmi = np.log(cnt * len(docs) / (n[r] * n[c]))  # (nnz,)
    score = pmi * np.log1p(cnt)
    good = pmi > 0
    r, c, score = r[good], c[good], score[good]
    order = np.lexsort((-score, r))  # by row, best first
    r, c, score = r[order], c[order], score[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    out: dict[str, list[tuple[str, float]]] = {}
    top = max((float(score.max()) if len(score) else 1.0), 1e-9)
    for s, e in zip(starts, np.r_[starts[1:], len(r)], strict=False):
        e = min(e, s + config.neighbours)
        found = [(vocab[c[j]], round(float(score[j]) / top, 3)) for j in range(s, e)]
        found = [(w, v) for w, v in found if v >= config.min_similarity]
        if found:
            out[vocab[r[s]]] = found
    return out


class Expander:
    """Related terms, synonyms and compound variants for query words, learnt from a catalog."""

    def __init__(
        self,
        related: dict[str, list[tuple[str, float]]],
        variants: dict[str, list[str]],
        config: ExpandConfig,
        synonyms: dict[str, list[tuple[str, float]]] | None = None,
    ) -> None:
        self.related, self.variants, self.config = related, variants, config
        self.synonyms = synonyms or {}

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], config: ExpandConfig | None = None, embed: EmbedFn | None = None
    ) -> Expander:
        """Learn related terms (and synonyms, given an embedding function) from catalog texts."""
        config = config or ExpandConfig()
        stop = _stopwords()
        words = [letter_words(t) for t in texts]
        counts: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for ws in words:
            counts.update(ws)
            pairs.update(zip(ws, ws[1:], strict=False))
        variants: dict[str, list[str]] = {}
        for (a, b), n in pairs.items():
            if n >= config.min_count and counts.get(a + b, 0) >= config.min_count:
                variants.setdefault(a + b, []).append(f"{a} {b}")
                variants.setdefault(f"{a} {b}", []).append(a + b)
        content = [[w for w in ws if len(w) >= 3 and w not in stop] for ws in words]
        related = related_terms(content, config)
        synonyms = None
        if embed is not None:
            vocab = [w for w, c in counts.most_common(config.max_vocab) if c >= config.min_count]
            vocab = [w for w in vocab if len(w) >= 3 and w not in stop]
            if len(vocab) >= 2:
                vecs = np.asarray(embed(vocab), dtype=np.float32)  # (V, d)
                synonyms = _top_neighbours(
                    vecs, vocab, config.neighbours, config.min_synonym_similarity
                )
        return cls(related, variants, config, synonyms)

    def expand(self, toks: list[str]) -> list[str]:
        """Expansion terms for the query's word tokens (never the words themselves).

        Order: compound variants, synonyms, then related terms, round-robin over query words.
        """
        out: list[str] = []
        grams = toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]
        seen = set(grams)

        def add(term: str) -> None:
            if term not in seen and len(out) < self.config.max_terms:
                seen.add(term)
                out.append(term)

        for g in grams:
            for v in self.variants.get(g, ()):
                add(v)
        for table in (self.synonyms, self.related):
            lists = [table.get(t, []) for t in toks]
            for rank in range(self.config.neighbours):
                for lst in lists:
                    if rank < len(lst):
                        add(lst[rank][0])
        return out
