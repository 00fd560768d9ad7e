"""What the items' titles say about a (shopper, candidate) pair: TF-IDF word similarity of the
candidate's title with the shopper's latest items' titles, and whether it is for the same
platform (the part after the title's last " - ", e.g. "Halo 3 - Xbox 360").

    text = ItemText.build(titles)                  # one title per item row ("" unknown)
    x = title_features(cands, histories, text)     # (B, C, len(TITLE_FEATURES)) float32
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

TITLE_FEATURES = [
    "title_cos_last",  # TF-IDF cosine of the candidate's title with the last item's
    "title_cos_max3",  # the largest of those cosines over the last 3 items
    "platform_match",  # 1 same platform as the last item, -1 another, 0 either unknown
    "platform_share",  # share of the last 10 items (of known platform) on the candidate's
]


def platform(title: str) -> str:
    """The part after a title's last " - ", lower-cased ("" without one)."""
    return title.rsplit(" - ", 1)[1].strip().lower() if " - " in title else ""


@dataclass
class ItemText:
    """Unit TF-IDF title vectors and platform codes (-1: none) of the item rows."""

    vectors: sp.csr_matrix  # (n_items, vocabulary) rows of unit norm (or zero)
    platforms: np.ndarray  # (n_items,) int64

    @classmethod
    def build(cls, titles: Sequence[str]) -> ItemText:
        """Word unigrams seen in 2+ titles, sublinear tf, l2-normalised rows."""
        titles = [str(t or "") for t in titles]
        try:
            tf = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", sublinear_tf=True, min_df=2)
            vectors = sp.csr_matrix(tf.fit_transform(titles), dtype=np.float32)
        except ValueError:  # no word in two titles
            vectors = sp.csr_matrix((len(titles), 1), dtype=np.float32)
        names = [platform(t) for t in titles]
        codes = {p: k for k, p in enumerate(sorted(set(names) - {""}))}
        plats = np.array([codes.get(p, -1) for p in names], np.int64)
        return cls(vectors, plats)


def title_features(
    cands: np.ndarray, histories: Sequence[Sequence[int]], text: ItemText
) -> np.ndarray:
    """The TITLE_FEATURES of each (shopper, candidate); an empty history or slot (-1) gets 0.
    (B, C) item rows -> (B, C, len(TITLE_FEATURES)) float32."""
    b, c = cands.shape
    out = np.zeros((b, c, len(TITLE_FEATURES)), np.float32)
    has = np.array([len(h) > 0 for h in histories], bool)
    if b == 0 or not has.any():
        return out
    safe = np.maximum(cands, 0)
    v = text.vectors
    cand_vecs = v[safe.ravel()]
    for q in (1, 2, 3):
        latest = np.array([h[-min(q, len(h))] if len(h) else 0 for h in histories], np.int64)
        cos = cand_vecs.multiply(v[np.repeat(latest, c)]).sum(axis=1)
        cos = np.asarray(cos, np.float32).reshape(b, c)
        if q == 1:
            out[:, :, 0] = cos
        out[:, :, 1] = np.maximum(out[:, :, 1], cos)
    last = text.platforms[[h[-1] if len(h) else 0 for h in histories]][:, None]
    cp = text.platforms[safe]  # (B, C)
    known = (last >= 0) & (cp >= 0)
    out[:, :, 2] = np.where(known, np.where(last == cp, 1.0, -1.0), 0.0)
    for r, h in enumerate(histories):
        hp = text.platforms[list(h)[-10:]]
        hp = hp[hp >= 0]
        if len(hp):
            share = (hp[None, :] == cp[r][:, None]).mean(axis=1)
            out[r, :, 3] = np.where(cp[r] >= 0, share, 0.0)
    out[~has] = 0.0
    out[cands < 0] = 0.0
    return out
