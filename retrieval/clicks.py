"""Learning from search clicks: a position-based click model, its simulation, training data.

Shoppers click what they look at and like; they look at the top of a result list far more than
at its bottom, so raw click rates mostly measure position. The position-based model (PBM):

    P(click | query q, product d, position k) = theta[k] * gamma[q, d]

theta[k]: how often position k is examined (the propensity), gamma: how attractive (relevant)
d is for q. `fit_position_model` estimates both by expectation-maximisation (regression-EM's
plain form) from a log of impressions; the logging policy must show some products at more than
one position (a randomised swap of neighbours in a share of searches does, as does any change
of ranking over time). gamma, debiased, is the reranker's training grade for every shown
product. `simulate` makes such a log from hidden true grades, for tests and the README's check.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.engine import SearchEngine
from retrieval.judgments import training_set
from retrieval.rank_features import query_key
from retrieval.ranker import MAX_GRADE, RankerConfig, TrainingSet


@dataclass(frozen=True)
class Impression:
    """One product shown for one search, at a 1-based position, clicked or not."""

    search_id: str
    query: str
    product_id: str
    position: int
    clicked: bool


@dataclass
class PositionModel:
    """Fitted PBM: propensity per position (theta[0] is position 1) and attractiveness per
    shown (query, product) pair."""

    theta: np.ndarray  # (max_position,)
    gamma: dict[tuple[str, str], float]
    iterations: int

    def relative_propensity(self) -> np.ndarray:
        """theta / theta[0]: how much less often each position is examined than the first."""
        return self.theta / max(float(self.theta[0]), 1e-9)


def fit_position_model(
    impressions: Sequence[Impression], iterations: int = 100, prior: float = 1.0, tol: float = 1e-6
) -> PositionModel:
    """EM for the position-based click model; gamma of a pair seen n times is shrunk towards
    the mean attractiveness by `prior` pseudo-impressions."""
    if not impressions:
        raise ValueError("no impressions to fit a click model on")
    pairs: dict[tuple[str, str], int] = {}
    pair_idx = np.array(
        [pairs.setdefault((i.query, i.product_id), len(pairs)) for i in impressions]
    )  # (n,)
    pos = np.array([i.position - 1 for i in impressions])  # (n,) 0-based
    if pos.min() < 0:
        raise ValueError("positions start at 1")
    clicks = np.array([i.clicked for i in impressions], dtype=np.float64)  # (n,)
    n_pos, n_pair = int(pos.max()) + 1, len(pairs)
    shown_at = np.bincount(pos, minlength=n_pos).astype(np.float64)  # (P,)
    shown_pair = np.bincount(pair_idx, minlength=n_pair).astype(np.float64)  # (Q,)
    theta = np.full(n_pos, 0.5)
    gamma = np.full(n_pair, 0.5)
    done = 0
    while done < iterations:
        done += 1
        t, g = theta[pos], gamma[pair_idx]  # (n,)
        # posteriors of an unclicked impression: examined (and not attractive) / attractive
        unclicked = np.clip(1.0 - t * g, 1e-12, None)
        p_exam = np.where(clicks > 0, 1.0, t * (1 - g) / unclicked)
        p_attr = np.where(clicks > 0, 1.0, (1 - t) * g / unclicked)
        new_theta = np.bincount(pos, p_exam, n_pos) / np.clip(shown_at, 1, None)
        mean = float(p_attr.mean())
        new_gamma = (np.bincount(pair_idx, p_attr, n_pair) + prior * mean) / (shown_pair + prior)
        shift = max(np.abs(new_theta - theta).max(), np.abs(new_gamma - gamma).max())
        theta, gamma = new_theta, new_gamma
        if shift < tol:
            break
    keys = list(pairs)
    return PositionModel(theta, {keys[i]: float(gamma[i]) for i in range(n_pair)}, done)


def simulate(
    rankings: Mapping[str, Sequence[str]],
    grades: Mapping[str, Mapping[str, float]],
    sessions: int,
    examination: Sequence[float],
    rng: np.random.Generator,
    swap: float = 0.25,
    noise: float = 0.05,
) -> list[Impression]:
    """Shoppers searching each query `sessions` times: they are shown the query's ranking (its
    first len(examination) products; each neighbouring pair swapped with probability `swap`,
    the logging policy's randomisation), examine position k with probability examination[k-1]
    and click an examined product with probability noise + (1 - noise) * (2^grade - 1) / 7
    (its hidden grade, 0 when unjudged)."""
    depth = len(examination)
    out: list[Impression] = []
    top_gain = 2.0**MAX_GRADE - 1.0
    for query, ranking in rankings.items():
        shown_base = list(ranking[:depth])
        truth = grades.get(query, {})
        for s in range(sessions):
            shown = list(shown_base)
            for k in range(len(shown) - 1):
                if rng.random() < swap:
                    shown[k], shown[k + 1] = shown[k + 1], shown[k]
            for k, pid in enumerate(shown):
                like = noise + (1 - noise) * (2.0 ** truth.get(pid, 0.0) - 1.0) / top_gain
                clicked = rng.random() < examination[k] and rng.random() < like
                out.append(Impression(f"{query}#{s}", query, pid, k + 1, bool(clicked)))
    return out


def click_grades(model: PositionModel) -> dict[str, dict[str, float]]:
    """{query key: {product_id: grade}} from the click model: gamma scaled to 0..MAX_GRADE."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (query, pid), g in model.gamma.items():
        out[query_key(query)][pid] = MAX_GRADE * g
    return dict(out)


def click_popularity(
    impressions: Sequence[Impression], model: PositionModel
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Clicks per product, each weighted by 1 / its position's relative propensity; and what
    each query key's own clicks added to that."""
    weight = 1.0 / np.clip(model.relative_propensity(), 1e-3, None)
    total: dict[str, float] = defaultdict(float)
    own: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for i in impressions:
        if i.clicked:
            w = float(weight[min(i.position, len(weight)) - 1])
            total[i.product_id] += w
            own[query_key(i.query)][i.product_id] += w
    return dict(total), {q: dict(v) for q, v in own.items()}


@dataclass
class ClickSignals:
    """What a ranker trained on clicks reads at serving time, from the whole log."""

    popularity: dict[str, float]
    clicks: dict[str, dict[str, float]]  # query key -> product id -> attractiveness (0..3)


def click_training_set(
    engine: SearchEngine,
    impressions: Sequence[Impression],
    config: RankerConfig,
    progress: bool = False,
) -> tuple[TrainingSet, ClickSignals, dict]:
    """Training rows from a click log. The searches are split in two by a hash of their id:
    one half's click model grades the shown products (unshown candidates: 0), the other
    half's gives the features popularity and query_clicks, so a row's features never hold
    its own grade. Also returns the signals of the whole log for serving, and figures."""
    if not impressions:
        raise ValueError("no impressions to learn from")
    graded_half = [_grading(i.search_id) for i in impressions]
    labels = [i for i, g in zip(impressions, graded_half, strict=True) if g]
    signals = [i for i, g in zip(impressions, graded_half, strict=True) if not g]
    if not labels or not signals:
        labels = signals = list(impressions)  # too few searches to split
    label_model, signal_model = fit_position_model(labels), fit_position_model(signals)
    grades = click_grades(label_model)
    popularity, own = click_popularity(signals, signal_model)
    seen = training_set(
        engine,
        grades,
        config,
        popularity,
        own={},
        query_clicks=click_grades(signal_model),
        progress=progress,
    )
    # the same queries as if never searched: no query_clicks, and popularity without their own
    # clicks, so the ranker also learns to rank a new query from what other queries taught
    unseen = training_set(engine, grades, config, popularity, own=own, progress=progress)
    data = TrainingSet(
        np.concatenate([seen.features, unseen.features]),
        np.concatenate([seen.grades, unseen.grades]),
        seen.groups + unseen.groups,
        seen.keys + [f"{k} (unseen)" for k in unseen.keys],
    )
    full = fit_position_model(impressions)
    figures = {
        "impressions": len(impressions),
        "clicks": int(sum(i.clicked for i in impressions)),
        "relative_propensity": [round(float(x), 4) for x in full.relative_propensity()[:20]],
        "click_model_iterations": full.iterations,
    }
    signals_all = ClickSignals(click_popularity(impressions, full)[0], click_grades(full))
    return data, signals_all, figures


def _grading(search_id: str) -> bool:
    return int(hashlib.sha1(search_id.encode()).hexdigest()[:8], 16) % 2 == 0
